"""``zorglandschap compare``: scenarios side by side with their differences against a baseline
(issue 15, item 4)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from _browser import open_offline
from zorglandschap.errors import ScenarioError
from zorglandschap.folders import write_comparison, write_run
from zorglandschap.landscape import Landscape
from zorglandschap.report.compare import Comparison, compare_scenarios

REPO = Path(__file__).resolve().parents[1]
SNEEK = REPO / "scenarios" / "seh-night-closure-sneek.toml"
BOTH = REPO / "scenarios" / "two-night-closures-friesland.toml"
DIRKSLAND = REPO / "scenarios" / "spoedpost-dirksland.toml"


@pytest.fixture(scope="module")
def comparison(netherlands: Landscape) -> Comparison:
    return compare_scenarios([SNEEK, BOTH], by="gemeente", landscape=netherlands)


def cell(frame: pd.DataFrame, column: str, **where: object) -> object:
    rows = frame
    for key, value in where.items():
        rows = rows[rows[key] == value]
    assert len(rows) == 1, where
    return rows.iloc[0][column]


def test_the_tables_put_each_scenario_beside_the_baseline(comparison: Comparison) -> None:
    tables = comparison.tables()
    assert list(tables) == ["blocks", "regions_roaz", "regions_municipality"]
    blocks = tables["blocks"]
    assert list(blocks.columns) == [
        "service",
        "block",
        "indicator",
        "2025",
        "seh-night-closure-sneek",
        "Δ seh-night-closure-sneek",
        "two-night-closures-friesland",
        "Δ two-night-closures-friesland",
    ]
    night = {"block": "night", "indicator": "beyond"}
    assert cell(blocks, "Δ seh-night-closure-sneek", **night) == 5_800
    assert cell(blocks, "Δ two-night-closures-friesland", **night) == 37_810
    assert cell(blocks, "Δ two-night-closures-friesland", block="day", indicator="beyond") == 0
    roaz = tables["regions_roaz"]
    noord = {"block": "night", "roaz": "ROAZ01", "indicator": "beyond"}
    assert cell(roaz, "Δ seh-night-closure-sneek", **noord) == 5_800
    municipalities = tables["regions_municipality"]
    where = {"block": "night", "municipality": "De Fryske Marren", "indicator": "beyond"}
    assert cell(municipalities, "Δ two-night-closures-friesland", **where) == 21_100


def test_a_difference_is_the_two_separate_runs_apart(
    netherlands: Landscape, tmp_path: Path
) -> None:
    # run each scenario into its own folder, then compare one against the other
    from zorglandschap.report.run import run_scenario

    for path in (SNEEK, BOTH):
        write_run(run_scenario(path, landscape=netherlands), tmp_path / path.stem)

    def beyond(stem: str) -> dict[str, int]:
        payload = json.loads((tmp_path / stem / "result.json").read_text())
        return {row["block"]: row["beyond"] for row in payload["summary"]["reach"]}

    one, two = beyond(SNEEK.stem), beyond(BOTH.stem)
    compared = compare_scenarios([BOTH], baseline=str(SNEEK), landscape=netherlands)
    blocks = compared.tables()["blocks"]
    got = cell(blocks, f"Δ {BOTH.stem}", block="night", indicator="beyond")
    assert got == two["night"] - one["night"] == 32_010
    assert compared.baseline_label == SNEEK.stem


def test_the_folder_holds_json_csv_xlsx_and_a_report(
    comparison: Comparison, tmp_path: Path
) -> None:
    files = write_comparison(comparison, tmp_path / "cmp")
    names = {name for name, _ in files}
    assert {
        "report.html",
        "compare.json",
        "compare.xlsx",
        "blocks.csv",
        "regions_roaz.csv",
    } <= names
    payload = json.loads((tmp_path / "cmp" / "compare.json").read_text())
    assert payload["baseline"]["label"] == "2025"
    assert [s["label"] for s in payload["scenarios"]] == [SNEEK.stem, BOTH.stem]
    book = openpyxl.load_workbook(tmp_path / "cmp" / "compare.xlsx")
    assert book.sheetnames == ["blocks", "regions_roaz", "regions_municipality"]
    rows = list(book["blocks"].iter_rows(values_only=True))
    header = list(rows[0])
    night = next(r for r in rows if r[1] == "night" and r[2] == "beyond")
    assert night[header.index(f"Δ {BOTH.stem}")] == 37_810
    opened = open_offline((tmp_path / "cmp" / "report.html").read_text("utf-8"), tmp_path / "page")
    assert opened.probe["errors"] == []
    assert "+37,810" in opened.dom and "De Fryske Marren" in opened.dom


def test_plans_are_compared_per_intervention(utrecht: Landscape, tmp_path: Path) -> None:
    files = []
    for norm in (10, 20):
        path = tmp_path / f"pancreas-{norm}.toml"
        path.write_text(
            f'name = "norm {norm}"\n[concentration]\ninterventions = ["pancreas"]\n'
            f'norms = {{ pancreas = {norm} }}\nobjective = "travel"\n'  # the round table
            # keeps today's two Utrecht teams at both norms; least travel spreads at norm 10
        )
        files.append(path)
    compared = compare_scenarios(files, landscape=utrecht)
    tables = compared.tables()
    assert list(tables) == ["interventions"]  # no access question asked
    plans = tables["interventions"]
    p = "pancreatoduodenectomy-whipple-pppd"
    ten = cell(plans, "pancreas-10", intervention=p, indicator="sites")
    twenty = cell(plans, "pancreas-20", intervention=p, indicator="sites")
    assert ten > twenty >= 1
    today = cell(plans, "2025", intervention=p, indicator="sites")  # today's providers
    assert cell(plans, "Δ pancreas-20", intervention=p, indicator="sites") == twenty - today
    assert cell(plans, "2025", intervention=p, indicator="mean_minutes") is None
    # with a scenario as baseline, its plan is the reference
    against = compare_scenarios([files[1]], baseline=str(files[0]), landscape=utrecht)
    delta = cell(
        against.tables()["interventions"], "Δ pancreas-20", intervention=p, indicator="sites"
    )
    assert delta == twenty - ten


def test_bad_baseline_layer_or_nothing_to_compare_is_refused(utrecht: Landscape) -> None:
    with pytest.raises(ScenarioError, match="--baseline '2024': give a year"):
        compare_scenarios([SNEEK], baseline=2024, landscape=utrecht)
    with pytest.raises(ScenarioError, match="--by 'wijk': unknown region layer"):
        compare_scenarios([SNEEK], by="wijk", landscape=utrecht)
    with pytest.raises(ScenarioError, match="one or more scenario"):
        compare_scenarios([], landscape=utrecht)


def test_cli_compare_prints_and_writes_the_differences(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    done = subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", "compare", str(SNEEK), str(DIRKSLAND)]
        + ["--by", "gemeente", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        env={**os.environ, "COLUMNS": "160"},  # a terminal as wide as the table
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "Per time block" in text and "Per roaz" in text and "Per municipality" in text
    assert "+5,800" in text and "+37,575" in text
    assert "Goeree-Overflakkee" in text
    blocks = pd.read_csv(out / "blocks.csv")
    night = blocks[(blocks["block"] == "night") & (blocks["indicator"] == "beyond")].iloc[0]
    assert night["Δ spoedpost-dirksland"] == 37_575
    assert (out / "report.html").exists() and (out / "compare.xlsx").exists()
    assert "Traceback" not in done.stderr


KEEP = REPO / "scenarios" / "spreading-question-noordwest-night.toml"
EIGHT = REPO / "scenarios" / "spreading-question-noordwest-night-staff-8.toml"


def test_spreading_plans_are_compared_per_block_against_todays_sehs(
    netherlands: Landscape,
) -> None:
    """Noordwest at night: keeping today's coverage needs 9 SEHs (BovenIJ and Zaans MC close);
    staff for 8 closes Den Helder too, and 20,450 more people are beyond 45 minutes. Staff on
    duty at night (open SEH 3, closed 2): 35 today, 33 and 32 with the plans; x 63 hours."""
    c = compare_scenarios([KEEP, EIGHT], landscape=netherlands)
    assert list(c.tables()) == ["spreading"]  # the files ask [spreading] alone: no reach
    table = c.tables()["spreading"].set_index(["scope", "block", "indicator"])
    keep, eight = "spreading-question-noordwest-night", "spreading-question-noordwest-night-staff-8"
    night = table.loc["ROAZ05 Noordwest", "night"]
    assert night.loc["open_sehs", ["2025", keep, f"Δ {keep}", eight, f"Δ {eight}"]].tolist() == [
        11, 9, -2, 8, -3,
    ]  # fmt: skip
    assert night.loc["staff_hours", ["2025", keep, eight]].tolist() == [35 * 63, 33 * 63, 32 * 63]
    assert night.loc["beyond", f"Δ {keep}"] == 0
    assert night.loc["beyond", f"Δ {eight}"] == 20_450
    # the other blocks are not decided: every plan keeps today's figures there
    day = table.loc["ROAZ05 Noordwest", "day"]
    assert (day[[f"Δ {keep}", f"Δ {eight}"]] == 0).all().all()
    # a difference is the plan's figure against the baseline's SEHs as they are, each from its
    # own run (these scenarios change no site, so the baseline is their own today)
    run = c.runs[1].spreading
    assert run is not None
    blocks = run.tables()["blocks"].set_index("block")
    assert night.loc["beyond", f"Δ {eight}"] == (
        blocks.loc["night", "beyond_plan"] - blocks.loc["night", "beyond_today"]
    )
    assert c.summary()["spreading_status"] == {keep: "optimal", eight: "optimal"}


def test_spreading_against_a_baseline_file_takes_its_plan(netherlands: Landscape) -> None:
    c = compare_scenarios([EIGHT], baseline=str(KEEP), landscape=netherlands)
    table = c.tables()["spreading"].set_index(["scope", "block", "indicator"])
    label = "spreading-question-noordwest-night-staff-8"
    row = table.loc[("ROAZ05 Noordwest", "night", "open_sehs")]
    assert (row["spreading-question-noordwest-night"], row[label], row[f"Δ {label}"]) == (9, 8, -1)
    assert c.spreading_today == {}  # the baseline's own plan is the reference


def test_cli_compare_shows_the_spreading_plans_in_every_output(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    done = subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", "compare", str(KEEP), str(EIGHT)]
        + ["--out", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stderr
    assert "Spreading plans per block" in done.stdout
    assert "2,016 (-189)" in done.stdout and "62,935 (+20,450)" in done.stdout
    csv = pd.read_csv(out / "spreading.csv")
    assert set(csv["indicator"]) == {"open_sehs", "staff_hours", "beyond"}
    payload = json.loads((out / "compare.json").read_text())
    assert payload["tables"]["spreading"] == json.loads(csv.to_json(orient="records"))
    sheet = openpyxl.load_workbook(out / "compare.xlsx")["spreading"]
    assert [c.value for c in sheet[1]] == list(csv.columns)
    page = (out / "report.html").read_text("utf-8")
    assert "<h2>Spreading plans per block</h2>" in page and "2,016 (-189)" in page
    opened = open_offline(page, out, size=(1300, 1600))
    assert opened.probe["errors"] == []
    assert "Traceback" not in done.stderr
