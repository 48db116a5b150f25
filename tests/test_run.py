"""``zorglandschap run``: a scenario into a result folder (issue 15, item 3).

Most tests run a scenario of the ROAZ Midden-Nederland extract (two night closures in the city
of Utrecht and a small concentration question), written into a temporary folder once per
module; a few go through the command line on the whole country.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pyogrio
import pytest

from _browser import open_offline
from zorglandschap.access import reach, sensitivity
from zorglandschap.errors import OutputError, ScenarioError
from zorglandschap.folders import write_run
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.state import baseline_state
from zorglandschap.report.run import ScenarioRun, run_scenario

REPO = Path(__file__).resolve().parents[1]

UTRECHT = """\
name = "Utrecht: two SEHs closed at night"
description = "St. Antonius Utrecht and Diakonessenhuis close at night (a test scenario)."
baseline = 2025

[[site]]
id = "st-antonius-zh-utrecht"
seh = "limited"
note = "test"

[[site]]
id = "diakonessenhuis-utrecht"
seh = "limited"

[settings.access]
norm_minutes = 20

[reach]
blocks = ["dag", "nacht"]
by = ["roaz", "gemeente"]
region = "gemeente:Utrecht"

[sensitivity]
blocks = ["night"]

[concentration]
interventions = ["pancreas"]
norms = { pancreas = 10 }
"""


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scenario") / "utrecht-nights.toml"
    path.write_text(UTRECHT, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def utrecht_run(utrecht: Landscape, scenario_file: Path) -> ScenarioRun:
    return run_scenario(scenario_file, landscape=utrecht)


@pytest.fixture(scope="module")
def folder(utrecht_run: ScenarioRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run") / "out"
    write_run(utrecht_run, out)
    return out


def test_the_run_answers_each_question_against_its_baseline(
    utrecht: Landscape, utrecht_run: ScenarioRun
) -> None:
    # the same figures as reach() and sensitivity() called directly
    night = {r["block"]: r for r in utrecht_run.summary()["reach"]}["night"]
    after = reach(utrecht, utrecht_run.scenario.state, block="night", minutes=20)
    before = reach(utrecht, baseline_state(utrecht, 2025), block="night")  # default norm 45
    assert night["beyond"] == after.summary()["beyond"]
    assert night["beyond_baseline"] == before.summary()["beyond"]
    assert night["beyond_change"] == night["beyond"] - night["beyond_baseline"]
    assert night["open_sites"] == 3 and night["open_sites_baseline"] == 5
    # the baseline is the year with the default settings: the 20-minute norm is the scenario's
    assert utrecht_run.reaches[1].before.minutes_norm == 45.0
    sensitive = utrecht_run.summary()["sensitivity"][0]
    assert sensitive["sensitive"] == sensitivity(after).summary()["sensitive"]
    plan = utrecht_run.summary()["concentration"]
    assert plan["status"] == "optimal" and plan["below_norm"] == 0


def test_the_tables_have_stable_names(utrecht_run: ScenarioRun) -> None:
    assert list(utrecht_run.tables()) == [
        "indicators",
        "site_changes",
        "seh_day_roaz",
        "seh_day_municipality",
        "seh_night_roaz",
        "seh_night_municipality",
        "sensitive_seh_night",
        "plan_sites",
        "plan_flows",
        "plan_indicators",
        "plan_detail_indicators",
        "demand",
    ]
    changes = utrecht_run.tables()["site_changes"]
    assert changes.set_index("site_id")["seh"].to_dict() == {
        "diakonessenhuis-utrecht": "limited",
        "st-antonius-zh-utrecht": "limited",
    }
    indicators = utrecht_run.tables()["indicators"]
    assert set(indicators["area"]) == {"all", "municipality Utrecht"}


def test_the_folder_holds_every_output(folder: Path) -> None:
    names = {p.name for p in folder.iterdir()}
    expected = {
        "report.html",
        "result.json",
        "timing.json",
        "result.xlsx",
        "result.gpkg",
        "map-seh-day.html",
        "map-seh-night.html",
        "figure-seh-day.png",
        "figure-seh-night.png",
        "map-plan.html",
        "indicators.csv",
        "demand.csv",
    }
    assert expected <= names
    listed = json.loads((folder / "result.json").read_text())["files"]
    assert sorted(listed) == sorted(names)


def test_result_json_holds_the_scenario_data_settings_and_software(folder: Path) -> None:
    payload = json.loads((folder / "result.json").read_text())
    assert payload["format"] == "zorglandschap.run/1"
    assert payload["scenario"]["tables"]["reach"]["blocks"] == ["dag", "nacht"]
    assert payload["data"]["files"]["pc4.csv"]["vintage"].endswith("population 1 Jan 2021")
    assert len(payload["data"]["files"]["sites.csv"]["sha256"]) == 16
    assert payload["settings"]["access"]["norm_minutes"] == 20.0
    assert payload["settings_changed"] == {"access.norm_minutes": 20.0}
    assert payload["software"]["zorglandschap"]
    assert "seconds" not in json.dumps(payload["concentration"])
    timing = json.loads((folder / "timing.json").read_text())
    assert {s["step"] for s in timing["steps"]} >= {"reach seh night", "concentration pancreas"}


def test_same_scenario_same_result_json_and_csv_bytes(
    utrecht: Landscape, scenario_file: Path, folder: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    write_run(run_scenario(scenario_file, landscape=utrecht), again)
    for path in sorted(folder.glob("*.csv")) + [folder / "result.json", folder / "result.xlsx"]:
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name
    # the timing is apart, and differs
    assert (again / "timing.json").exists()


def test_the_workbook_holds_the_csv_numbers_typed(folder: Path) -> None:
    book = openpyxl.load_workbook(folder / "result.xlsx")
    for name in ("indicators", "seh_night_municipality", "demand", "plan_sites"):
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        rows = list(sheet.iter_rows(values_only=True))
        frame = pd.read_csv(folder / f"{name}.csv", keep_default_na=False, dtype=str)
        assert list(rows[0]) == list(frame.columns)
        assert len(rows) - 1 == len(frame)
        for cells, (_, line) in zip(rows[1:], frame.iterrows(), strict=True):
            for cell, text in zip(cells, line, strict=True):
                if cell is None:
                    assert text == ""
                elif isinstance(cell, bool):
                    assert text == str(cell)
                elif isinstance(cell, int | float):
                    assert cell == pytest.approx(float(text)), (name, text)
                else:
                    assert cell == text
    header = [cell.value for cell in book["indicators"][1]]
    beyond = book["indicators"].cell(row=2, column=header.index("beyond") + 1).value
    assert isinstance(beyond, int) and not isinstance(beyond, bool)  # a number, not text
    assert book["indicators"].column_dimensions["C"].width >= len("municipality Utrecht")


def test_the_geopackage_reads_back_with_its_layers(folder: Path, utrecht: Landscape) -> None:
    layers = dict(pyogrio.list_layers(folder / "result.gpkg"))
    assert {"sites", "regions_roaz", "regions_municipality", "demand"} <= set(layers)
    assert {"plan_municipalities", "plan_flows", "plan_sites"} <= set(layers)
    demand = pyogrio.read_dataframe(folder / "result.gpkg", layer="demand")
    assert len(demand) == len(utrecht.pc4)
    assert {"seh_night_minutes", "seh_night_minutes_baseline", "seh_night_added_minutes"} <= set(
        demand.columns
    )
    regions = pyogrio.read_dataframe(folder / "result.gpkg", layer="regions_municipality")
    csv = pd.read_csv(folder / "seh_night_municipality.csv").set_index("municipality")
    got = regions.set_index("municipality")["seh_night_beyond_change"]
    assert got.to_dict() == csv["beyond_change"].reindex(got.index).to_dict()
    sites = pyogrio.read_dataframe(folder / "result.gpkg", layer="sites").set_index("site_id")
    assert sites.loc["st-antonius-zh-utrecht", "changed"]
    assert not sites.loc["st-antonius-zh-utrecht", "seh_night_open"]


def test_the_report_opens_offline_without_javascript_errors(folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"  # the probe writes its page beside the report's maps
    shutil.copytree(folder, copy)
    opened = open_offline((copy / "report.html").read_text("utf-8"), copy, size=(1300, 2400))
    assert opened.probe["errors"] == []
    assert "Utrecht: two SEHs closed at night" in opened.dom
    assert 'src="map-seh-night.html"' in opened.dom and 'src="figure-seh-night.png"' in opened.dom
    # the page is drawn (header band, tables), not blank
    assert opened.shows("#1f5f8b") > 10_000
    # the maps it embeds open offline too (a frame's errors do not reach the page's probe)
    for name in ("map-seh-night.html", "map-plan.html"):
        shown = open_offline((folder / name).read_text("utf-8"), tmp_path / name)
        assert shown.probe["errors"] == [] and shown.probe["maps"] == 1, name


def test_a_folder_that_is_not_a_result_folder_is_left_alone(
    utrecht_run: ScenarioRun, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="not a result folder"):
        write_run(utrecht_run, tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_rewriting_a_result_folder_removes_the_files_the_run_no_longer_writes(
    utrecht: Landscape, utrecht_run: ScenarioRun, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    write_run(utrecht_run, out)
    fewer = tmp_path / "fewer.toml"
    fewer.write_text('name = "night only"\n[reach]\nblocks = ["night"]\nby = ["roaz"]\n')
    write_run(run_scenario(fewer, landscape=utrecht), out)
    names = {p.name for p in out.iterdir()}
    assert "map-seh-night.html" in names and "seh_night_roaz.csv" in names
    assert not names & {"map-seh-day.html", "map-plan.html", "plan_sites.csv"}


def test_a_region_that_does_not_exist_names_the_file_and_key(
    utrecht: Landscape, tmp_path: Path
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\n[reach]\nregion = "roaz:ROAZ99"\n')
    with pytest.raises(ScenarioError, match=r"bad\.toml: reach\.region 'roaz:ROAZ99': no roaz"):
        run_scenario(path, landscape=utrecht)


def test_a_file_that_asks_nothing_gets_the_default_reach_and_sensitivity(
    utrecht: Landscape, tmp_path: Path
) -> None:
    path = tmp_path / "plain.toml"
    path.write_text('name = "x"\n[[site]]\nid = "umc-utrecht"\nseh = "spoedpost"\n')
    run = run_scenario(path, landscape=utrecht)
    assert [(p.after.service, p.after.block) for p in run.reaches] == [
        ("seh", "day"),
        ("seh", "night"),
    ]
    assert [p.key for p in run.sensitivities] == ["seh_night"]
    assert run.concentration is None and run.reach_question is not None
    assert run.reach_question.by == ["roaz", "municipality"]


def run_cli(args: list[str]) -> tuple[int, str, str]:
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def test_cli_run_writes_the_folder_and_names_where(tmp_path: Path) -> None:
    out = tmp_path / "heerlen"
    code, stdout, stderr = run_cli(
        ["run", "scenarios/seh-night-closure-heerlen.toml", "--out", str(out)]
    )
    assert code == 0, stderr
    assert "Zuyderland Heerlen: SEH closed at night" in stdout
    assert f"{out}/report.html" in stdout.replace("\n", "")
    assert (out / "report.html").exists() and (out / "map-seh-night.html").exists()
    payload = json.loads((out / "result.json").read_text())
    night = payload["summary"]["reach"][0]
    assert night["block"] == "night" and night["open_sites_change"] == -1
    assert "Traceback" not in stderr


def test_cli_run_refuses_bad_input_and_unwritable_folders_with_one_line(tmp_path: Path) -> None:
    code, _, stderr = run_cli(["run", str(tmp_path / "missing.toml"), "--out", str(tmp_path / "o")])
    assert code == 2 and "does not exist" in stderr and "Traceback" not in stderr
    blocked = tmp_path / "file"
    blocked.write_text("x")
    code, _, stderr = run_cli(
        ["run", "scenarios/seh-night-closure-heerlen.toml", "--out", str(blocked)]
    )
    assert code == 3 and "is a file" in stderr and "Traceback" not in stderr
