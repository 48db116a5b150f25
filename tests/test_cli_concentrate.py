"""The `zorglandschap concentrate` command, as a user runs it (national embedded data)."""

from __future__ import annotations

import json
import subprocess
import sys
from html import escape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zorglandschap.cli import app

runner = CliRunner()

#: Keys the issue asks `concentrate --json` to print at least.
REQUIRED = {"status", "gap", "objective", "seconds", "sites", "mean_minutes", "p90_minutes",
            "max_minutes"}  # fmt: skip


def test_json_has_the_required_keys_and_every_site_meets_its_norm(tmp_path: Path) -> None:
    # lung cancer (14,800 patients a year, norm 50) solves in seconds at national scale
    # run as a user pipes it (`... --json | jq`): stdout must hold the JSON and nothing else,
    # not even the banner HiGHS prints from C++ on its first use in a process, nor the line
    # saying where the map went
    plan_map = tmp_path / "maps" / "lung.html"
    layers = tmp_path / "lung.gpkg"
    args = ["concentrate", "--intervention", "lung", "--per-roaz", "1", "--gap", "1e-3", "--json",
            "--map", str(plan_map), "--gpkg", str(layers)]  # fmt: skip
    completed = subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", *args],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    out = json.loads(completed.stdout)
    assert REQUIRED <= set(out)
    assert out["status"] == "optimal" and out["gap"] <= 1e-3
    assert out["sites"], "an optimal plan offers the intervention somewhere"
    for site in out["sites"]:
        assert {"site_id", "name", "volume", "norm"} <= set(site)
        assert site["volume"] >= site["norm"] - 1e-6, site
    assert out["max_minutes"] >= out["p90_minutes"] >= 0
    assert any(line.startswith("start plan:") for line in out["solve_log"])
    # the map holds every offering site, and stderr says where it is
    html = plan_map.read_text(encoding="utf-8")
    for site in out["sites"]:
        assert escape(site["name"]) in html
    assert f"wrote {plan_map}" in completed.stderr.replace("\n", "")
    # and the same plan as GIS layers, for QGIS
    import pyogrio

    sites = pyogrio.read_dataframe(layers, layer="sites")
    offering = sites[sites["offers"]]
    assert sorted(offering["site_id"]) == sorted(site["site_id"] for site in out["sites"])


def test_infeasible_request_prints_a_diagnosis_not_a_traceback(tmp_path: Path) -> None:
    # 601 pancreas patients a year cannot give 11 ROAZ regions a site at 700 a year each
    plan_map = tmp_path / "plan.html"
    args = ["concentrate", "--intervention", "pancreas", "--norm", "700", "--per-roaz", "1",
            "--json", "--map", str(plan_map)]  # fmt: skip
    result = runner.invoke(app, args)
    assert "Traceback" not in result.output
    # no plan, no map, and it says so (on stderr: stdout stays JSON)
    assert not plan_map.exists()
    assert "no map written" in result.stderr and "infeasible" in result.stderr
    out = json.loads(result.stdout)
    assert out["status"] == "infeasible"
    assert out["sites"] == []
    text = " ".join(out["diagnosis"])
    assert "700" in text and "norm" in text.lower()


def test_scale_and_iza_guarantee_reach_the_model() -> None:
    args = ["concentrate", "--intervention", "lung", "--per-iza", "1", "--scale", "1.1",
            "--gap", "1e-3", "--json"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["status"] == "optimal"
    # 10 % more patients than the 14,800 a year of the norms table
    assert sum(site["volume"] for site in out["sites"]) == pytest.approx(1.1 * 14_800, rel=1e-6)
    # sites are labelled with their IZA region (the layer of the guarantee), all 38 covered
    assert len({site["region"] for site in out["sites"]}) == 38


def test_two_region_layers_at_once_is_one_clear_line() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", "concentrate", "--intervention", "lung",
         "--per-iza", "1", "--per-roaz", "1"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 2
    assert "--per-roaz and --per-iza were both given" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_unwritable_map_path_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    target = blocker / "plan.html"  # a folder that cannot be made: its parent is a file
    args = ["concentrate", "--intervention", "lung", "--gap", "1e-3", "--map", str(target)]
    completed = subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", *args],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 3  # OutputError (README: errors and exit codes)
    assert "Traceback" not in completed.stderr
    assert "Cannot write" in completed.stderr and "folder you can write to" in completed.stderr
