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
