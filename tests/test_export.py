"""Tables to files: the CSV and XLSX writers for any result, and ``--out FILE.csv|.xlsx|.gpkg``
on ``reach`` and ``sensitive`` (issue 15, items 3 and 5)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest

from zorglandschap.access import reach, sensitivity
from zorglandschap.cli import main
from zorglandschap.errors import InputError
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.state import baseline_state
from zorglandschap.report.export import (
    check_table_path,
    export_frame,
    sheet_names,
    write_csv,
    write_csv_tables,
    write_table_file,
    write_xlsx,
)
from zorglandschap.report.gis import write_result_file

TABLE = pd.DataFrame(
    {
        "name": ["Súdwest-Fryslân", "Sluis", "Texel"],
        "beyond": np.array([3642, 0, 14169], dtype=np.int64),
        "share": [0.961, 1.0, float("nan")],
        "minutes": [34.2123456789, float("inf"), 73.4],
        "open": [True, False, True],
        "where": [{"a": 1}, {}, {"b": 2}],
    },
    index=pd.Index(["GM1900", "GM1714", "GM0448"], name="gemeentecode"),
)


def test_a_frame_is_exported_by_the_one_rule() -> None:
    rows = export_frame(TABLE)
    assert list(rows.columns) == [
        "gemeentecode",
        "name",
        "beyond",
        "share",
        "minutes",
        "open",
        "where",
    ]
    first = rows.iloc[0].tolist()
    assert first == ["GM1900", "Súdwest-Fryslân", 3642, 0.961, 34.212346, True, '{"a": 1}']
    assert rows.at[1, "minutes"] is None and rows.at[2, "share"] is None  # inf, NaN: empty
    assert type(rows.at[0, "beyond"]) is int  # numpy scalars become Python numbers


def test_csv_bytes_are_fixed(tmp_path: Path) -> None:
    text = write_csv(TABLE, tmp_path / "t.csv").read_bytes()
    assert text.decode("utf-8").splitlines() == [
        "gemeentecode,name,beyond,share,minutes,open,where",
        'GM1900,Súdwest-Fryslân,3642,0.961,34.212346,True,"{""a"": 1}"',
        "GM1714,Sluis,0,1.0,,False,{}",
        'GM0448,Texel,14169,,73.4,True,"{""b"": 2}"',
    ]
    assert b"\r" not in text
    assert write_csv(TABLE, tmp_path / "again.csv").read_bytes() == text


def test_the_workbook_is_typed_frozen_filtered_and_sized(tmp_path: Path) -> None:
    path = write_xlsx({"by municipality": TABLE, "empty": TABLE.head(0)}, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["by municipality", "empty"]
    sheet = book["by municipality"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:G4"
    assert [c.font.bold for c in sheet[1]] == [True] * 7
    assert [c.value for c in sheet[2]] == [
        "GM1900",
        "Súdwest-Fryslân",
        3642,
        0.961,
        34.212346,
        True,
        '{"a": 1}',
    ]
    assert isinstance(sheet["C2"].value, int) and sheet["C2"].number_format == "#,##0"
    assert isinstance(sheet["F2"].value, bool)
    assert sheet["E3"].value is None
    assert sheet.column_dimensions["B"].width == len("Súdwest-Fryslân") + 2
    # the same tables give the same bytes (fixed dates inside)
    assert (
        write_xlsx(
            {"by municipality": TABLE, "empty": TABLE.head(0)}, tmp_path / "u.xlsx"
        ).read_bytes()
        == path.read_bytes()
    )


def test_sheet_names_are_valid_and_unique() -> None:
    names = sheet_names(["a" * 40, "a" * 40 + "x", "what? [yes]", "A" * 31])
    assert all(len(n) <= 31 for n in names.values())
    assert len({n.lower() for n in names.values()}) == 4
    assert names["what? [yes]"] == "what_ _yes_"


def test_csv_tables_and_table_files(tmp_path: Path) -> None:
    tables = {"main": TABLE, "other": TABLE.head(1)}
    assert [p.name for p in write_csv_tables(tables, tmp_path, prefix="r-")] == [
        "r-main.csv",
        "r-other.csv",
    ]
    written = write_table_file(tables, tmp_path / "out.csv", main="other")
    assert [p.name for p in written] == ["out.csv", "out-main.csv"]
    assert len(pd.read_csv(tmp_path / "out.csv")) == 1
    (book,) = write_table_file(tables, tmp_path / "out.xlsx", main="other")
    assert openpyxl.load_workbook(book).sheetnames == ["other", "main"]
    with pytest.raises(
        InputError, match=r"--out .*out\.txt: write the tables to a \.csv, \.xlsx or \.gpkg"
    ):
        check_table_path(tmp_path / "out.txt")


def test_a_reach_and_a_sensitivity_as_geopackage_layers(utrecht: Landscape, tmp_path: Path) -> None:
    state = baseline_state(utrecht, 2025)
    result = reach(utrecht, state, block="night", minutes=20)
    (path,) = write_result_file(sensitivity(result), state, tmp_path / "s.gpkg")
    assert dict(pyogrio.list_layers(path)).keys() == {"municipalities", "sites", "demand"}
    sites = pyogrio.read_dataframe(path, layer="sites").set_index("site_id")
    expected = sensitivity(result).sites["extra_beyond"]
    assert sites.loc[expected.index, "extra_beyond"].tolist() == expected.tolist()
    demand = pyogrio.read_dataframe(path, layer="demand")
    assert len(demand) == len(utrecht.pc4)
    assert int(demand.loc[demand["beyond"], "population"].sum()) == result.summary()["beyond"]


def run_main(args: list[str], capsys: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["zorglandschap", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_reach_out_writes_its_tables_beside_the_json(
    tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "night.xlsx"
    code, stdout, stderr = run_main(
        ["reach", "--block", "nacht", "--by", "provincie", "--out", str(out), "--json"],
        capsys,
        monkeypatch,
    )
    assert code == 0, stderr
    payload = json.loads(stdout)  # stdout stays clean JSON; the note goes to stderr
    assert "wrote" in stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["by_region", "points", "beyond_points", "beyond_by_municipality"]
    rows = list(book["by_region"].iter_rows(values_only=True))
    assert rows[0][0] == "province" and len(rows) == 13  # 12 provinces
    header = list(rows[0])
    total = sum(r[header.index("beyond")] for r in rows[1:])
    assert total == payload["beyond"]


def test_sensitive_out_csv_and_gpkg(
    tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, stderr = run_main(
        ["sensitive", "--block", "night", "--top", "5", "--out", str(tmp_path / "s.csv")],
        capsys,
        monkeypatch,
    )
    assert code == 0, stderr
    sites = pd.read_csv(tmp_path / "s.csv")
    assert list(sites.columns) == ["site_id", "name", "lon", "lat", "extra_beyond"]
    assert len(sites) == 5 and sites["extra_beyond"].is_monotonic_decreasing
    assert (tmp_path / "s-municipalities.csv").exists()
    code, _, stderr = run_main(
        [
            "sensitive",
            "--block",
            "night",
            "--close",
            "antonius-zh-sneek:night",
            "--out",
            str(tmp_path / "s.gpkg"),
        ],
        capsys,
        monkeypatch,
    )
    assert code == 0, stderr
    layer = pyogrio.read_dataframe(tmp_path / "s.gpkg", layer="sites").set_index("site_id")
    assert layer.at["antonius-zh-sneek", "seh"] == "limited"


def test_a_bad_out_fails_before_the_computation(
    tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run_main(["reach", "--out", str(tmp_path / "x.pdf")], capsys, monkeypatch)
    assert code == 2 and out == "" and ".csv, .xlsx or .gpkg" in err
    blocked = tmp_path / "file"
    blocked.write_text("x")
    code, out, err = run_main(["reach", "--out", str(blocked / "x.csv")], capsys, monkeypatch)
    assert code == 3 and "Cannot write" in err and "Traceback" not in err
