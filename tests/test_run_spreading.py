"""``zorglandschap run`` on a scenario with a ``[spreading]`` question: the plan is the one
``spread --scenario`` gives, in result.json, the CSV/XLSX/GeoPackage files and the report, and
an infeasible question still writes its folder and exits 1 with the diagnosis.

The shipped question decides the SEHs of one ROAZ region (Noordwest) at night; the whole
country is loaded once per session (its travel times come from the cache) and the solve takes
a fraction of a second, so these tests stay in the fast suite.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pyogrio
import pytest

from _browser import open_offline
from zorglandschap.folders import write_run
from zorglandschap.landscape import Landscape
from zorglandschap.report.run import ScenarioRun, run_scenario

REPO = Path(__file__).resolve().parents[1]
QUESTION = REPO / "scenarios" / "spreading-question-noordwest-night.toml"

#: No SEH team at night in Midden-Nederland: no plan keeps a 24/7 SEH there.
NO_STAFF = """\
name = "Midden-Nederland without SEH staff at night"
baseline = 2025

[spreading]
region = "ROAZ08"
blocks = ["nacht"]
coverage = "max"
teams = 0
"""


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", *args],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def spreading_run(netherlands: Landscape) -> ScenarioRun:
    return run_scenario(QUESTION, landscape=netherlands)


@pytest.fixture(scope="module")
def folder(spreading_run: ScenarioRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("spreading") / "out"
    write_run(spreading_run, out)
    return out


def test_run_gives_the_plan_spread_gives_through_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "noordwest"
    ran = cli("run", str(QUESTION), "--out", str(out))
    assert ran.returncode == 0, ran.stderr
    spread = cli("spread", "--scenario", str(QUESTION), "--json")
    assert spread.returncode == 0, spread.stderr
    asked = json.loads(spread.stdout)
    asked.pop("timing")
    assert json.loads((out / "result.json").read_text())["spreading"] == asked
    # the one-screen summary names the plan per decided block
    assert "Spreading ROAZ05 Noordwest (night): optimal" in ran.stdout
    assert "night: SEHs 11 → 9" in ran.stdout
    timing = json.loads((out / "timing.json").read_text())
    assert {"spreading ROAZ05 night"} <= {s["step"] for s in timing["steps"]}
    assert timing["spreading"]["seconds"] >= 0


def test_the_plan_closes_bovenij_and_zaans_mc_at_night_with_its_staff(
    spreading_run: ScenarioRun,
) -> None:
    plan = spreading_run.spreading
    assert plan is not None and plan.status == "optimal"
    assert sorted(c["site_id"] for c in plan.changed_sites()) == [
        "bovenij-zh-amsterdam",
        "zaans-mc-zaandam",
    ]
    night = {r["block"]: r for r in spreading_run.summary()["spreading"]["blocks"]}["night"]
    # 11 of ROAZ05's 12 SEHs take ambulances at night today (Amstelland has limited hours)
    assert (night["open_sehs_today"], night["open_sehs_plan"], night["open_sehs_change"]) == (
        11,
        9,
        -2,
    )
    assert night["beyond_plan"] == night["beyond_today"] == 42_485  # nobody newly beyond
    # staff on duty at night: an open SEH 1 physician + 2 nurses, a closed one 1 + 1:
    # today 11 x 3 + 1 x 2 = 35, with the plan 9 x 3 + 3 x 2 = 33; x 63 night hours a week
    assert (night["staff_today"], night["staff_plan"]) == (35, 33)
    assert (night["staff_hours_today"], night["staff_hours_plan"]) == (35 * 63, 33 * 63)
    # the run's scenario asks only [spreading]: no reach, no sensitivity, no concentration
    assert spreading_run.reaches == () and spreading_run.concentration is None


def test_the_tables_hold_the_plan_under_stable_names(spreading_run: ScenarioRun) -> None:
    tables = spreading_run.tables()
    assert list(tables) == [
        "site_changes",
        "spreading_blocks",
        "spreading_sites",
        "spreading_regions",
        "spreading_moved",
        "spreading_receiving",
        "spreading_staff",
        "demand",
    ]
    demand = tables["demand"]
    added = demand["spreading_night_added_minutes"]
    assert added.min() >= 0 and added.max() > 0  # closing two SEHs adds minutes, never saves
    assert (demand["spreading_night_minutes"] - demand["spreading_night_minutes_today"]).equals(
        added
    )
    sites = tables["spreading_sites"].set_index("site_id")
    assert sites.loc["zaans-mc-zaandam", ["night_today", "night"]].tolist() == ["seh", "closed"]


def test_the_folder_holds_the_plan_in_json_csv_xlsx_and_geopackage(folder: Path) -> None:
    payload = json.loads((folder / "result.json").read_text())
    assert payload["spreading"]["status"] == "optimal"
    assert payload["summary"]["spreading"]["scope_name"] == "ROAZ05 Noordwest"
    assert "spreading_blocks" not in payload["tables"]  # in its CSV, and in "spreading"
    assert any(line.startswith("Spreading (docs/spreading.md)") for line in payload["assumptions"])
    blocks = pd.read_csv(folder / "spreading_blocks.csv").set_index("block")
    assert blocks.loc["night", "staff_hours_change"] == -126
    book = openpyxl.load_workbook(folder / "result.xlsx")
    rows = list(book["spreading_blocks"].iter_rows(values_only=True))
    assert list(rows[0]) == ["block", *blocks.columns]
    assert rows[3][:4] == ("night", 11, 9, -2)
    layers = dict(pyogrio.list_layers(folder / "result.gpkg"))
    assert layers["spreading_sites"] == "Point" and layers["spreading_regions"] == "MultiPolygon"
    regions = pyogrio.read_dataframe(folder / "result.gpkg", layer="spreading_regions")
    noordwest = regions.set_index("roaz").loc["ROAZ05"]
    assert (noordwest["night_open_today"], noordwest["night_open_plan"]) == (11, 9)
    sites = pyogrio.read_dataframe(folder / "result.gpkg", layer="spreading_sites")
    assert sites.set_index("site_id").loc["bovenij-zh-amsterdam", "night"] == "closed"


def test_same_spreading_scenario_same_bytes(
    netherlands: Landscape, folder: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    write_run(run_scenario(QUESTION, landscape=netherlands), again)
    names = sorted(p.name for p in folder.glob("*.csv")) + ["result.json", "result.xlsx"]
    assert "spreading_sites.csv" in names
    for name in [*names, "report.html"]:
        assert (again / name).read_bytes() == (folder / name).read_bytes(), name


def test_the_report_shows_the_plan_per_site_block_and_region(folder: Path, tmp_path: Path) -> None:
    page = (folder / "report.html").read_text("utf-8")
    assert '<h2 id="spreading">Spreading: ROAZ05 Noordwest, night</h2>' in page
    for heading in (
        "Per block: today and with the plan",
        "Per site: today → with the plan, per block",
        "Staff on duty per region and block",
        "Receiving SEHs (visits a year)",
    ):
        assert heading in page
    assert page.count("SEH → closed") == 2  # BovenIJ and Zaans MC at night
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    opened = open_offline((copy / "report.html").read_text("utf-8"), copy, size=(1300, 2400))
    assert opened.probe["errors"] == []
    assert "OLVG locatie West Amsterdam" in opened.dom
    assert opened.shows("#1f5f8b") > 10_000


def test_an_infeasible_question_writes_its_folder_and_exits_1_with_the_diagnosis(
    tmp_path: Path,
) -> None:
    scenario = tmp_path / "no-staff.toml"
    scenario.write_text(NO_STAFF, encoding="utf-8")
    out = tmp_path / "out"
    ran = cli("run", str(scenario), "--out", str(out))
    assert ran.returncode == 1, ran.stderr
    assert "Traceback" not in ran.stderr
    text = " ".join(ran.stdout.split())
    assert "Spreading ROAZ08 Midden-Nederland (night): infeasible" in text
    assert "ROAZ08 Midden-Nederland, night: staff for 5 more SEH(s)" in text
    payload = json.loads((out / "result.json").read_text())
    assert payload["spreading"]["status"] == "infeasible"
    assert payload["spreading"]["diagnosis"] == payload["summary"]["spreading"]["diagnosis"]
    page = (out / "report.html").read_text("utf-8")
    assert "staff for 5 more SEH(s)" in page
    assert (out / "spreading_blocks.csv").exists()
