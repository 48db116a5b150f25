"""Every worked scenario in scenarios/ runs, and its key figures are what the docs say
(issue 15, item 2). The access scenarios run on the whole country (a national reach takes a
fraction of a second from the travel cache); the concentration scenarios solve national MILPs
and are marked slow."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from zorglandschap.landscape import Landscape
from zorglandschap.report.run import ReachMemo, ScenarioRun, run_scenario

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
GOLDEN = REPO / "tests" / "golden"

#: Worked scenarios that solve a national concentration model (slow).
CONCENTRATION = {
    "hpb-centres-seh-24-7",
    "pancreas-norm-20-per-roaz",
    "oesophagectomy-norm-20",
    "oesophagectomy-norm-40",
    "round-table-friesland",
}


@pytest.fixture(scope="module")
def memo() -> ReachMemo:
    return {}


def run(name: str, landscape: Landscape, memo: ReachMemo | None = None) -> ScenarioRun:
    return run_scenario(SCENARIOS / f"{name}.toml", landscape=landscape, memo=memo)


def by_block(result: ScenarioRun) -> dict[str, dict[str, Any]]:
    return {row["block"]: row for row in result.summary()["reach"]}


def test_every_worked_scenario_is_tested_here() -> None:
    shipped = {p.stem for p in SCENARIOS.glob("*.toml")}
    fast = {"seh-night-closure-sneek", "seh-night-closure-heerlen", "spoedpost-dirksland"}
    fast |= {"two-night-closures-friesland", "population-2026"}
    spreading = {"spreading-noordwest-night", "spreading-question-noordwest-night"}
    spreading |= {"spreading-question-noordwest-night-staff-8"}
    assert (
        shipped == fast | CONCENTRATION | spreading
    )  # tests/test_{spreading_*,run_spreading,compare}.py


def test_sneek_closing_at_night_puts_5800_more_beyond_at_night_only(
    netherlands: Landscape, memo: ReachMemo
) -> None:
    result = run("seh-night-closure-sneek", netherlands, memo)
    blocks = by_block(result)
    assert blocks["day"]["beyond_change"] == 0  # a limited-hours SEH is open by day
    assert blocks["night"]["beyond_change"] == 5_800
    assert blocks["night"]["open_sites"] == 75 and blocks["night"]["open_sites_change"] == -1
    region = result.tables()["indicators"].set_index(["block", "area"])
    assert region.loc[("night", "ROAZ region ROAZ01 Noord-Nederland"), "beyond_change"] == 5_800


def test_two_night_closures_in_friesland_do_far_more_than_twice_one(
    netherlands: Landscape, memo: ReachMemo
) -> None:
    both = by_block(run("two-night-closures-friesland", netherlands, memo))["night"]
    one = by_block(run("seh-night-closure-sneek", netherlands, memo))["night"]
    assert both["beyond_change"] == 37_810
    assert both["beyond_change"] > 2 * one["beyond_change"]  # they covered each other's area
    changed = run("two-night-closures-friesland", netherlands, memo).tables()["site_changes"]
    assert set(changed["site_id"]) == {"antonius-zh-sneek", "de-tjongerschans-heerenveen"}


def test_dirksland_as_a_spoedpost_matches_the_reach_command(
    netherlands: Landscape, memo: ReachMemo
) -> None:
    blocks = by_block(run("spoedpost-dirksland", netherlands, memo))
    golden = json.loads((GOLDEN / "reach-dirksland-night-iza.json").read_text())
    assert blocks["night"]["beyond"] == golden["beyond"]
    assert blocks["night"]["beyond_change"] == 37_575
    assert blocks["day"]["beyond_change"] == 18_080  # a spoedpost takes no ambulances by day either


def test_heerlen_closing_at_night_pushes_nobody_beyond(
    netherlands: Landscape, memo: ReachMemo
) -> None:
    night = by_block(run("seh-night-closure-heerlen", netherlands, memo))["night"]
    assert night["open_sites_change"] == -1 and night["beyond_change"] == 0


def test_the_2026_population_scales_every_count_by_cbs_total(
    netherlands: Landscape, memo: ReachMemo
) -> None:
    result = run("population-2026", netherlands, memo)
    factor = 18_130_000 / 17_472_870
    assert result.population.factor == pytest.approx(factor)
    assert result.population.total == pytest.approx(18_130_000)
    for row in result.summary()["reach"]:
        assert row["population"] == 18_130_000
        assert row["beyond"] == pytest.approx(row["beyond_baseline"] * factor, abs=1)
        assert row["mean_minutes_change"] == 0.0  # the same sites, the same times
    assert any("1.0376" in line for line in result.assumptions())


# -- concentration scenarios (national MILPs) ---------------------------------------------


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items() if k not in ("seconds", "build_seconds")}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    if isinstance(value, str):
        return re.sub(r"\d+(\.\d+)? s\b", "<t> s", value)
    return value


@pytest.mark.slow
def test_pancreas_scenario_gives_the_concentrate_commands_plan(netherlands: Landscape) -> None:
    result = run("pancreas-norm-20-per-roaz", netherlands)
    golden = _mask(json.loads((GOLDEN / "concentrate-pancreas-20-per-roaz.json").read_text()))
    golden.pop("timing", None)  # a run keeps the plan's timing in timing.json
    assert result.payload()["concentration"] == golden
    plan = result.summary()["concentration"]
    assert plan["status"] == "optimal" and plan["below_norm"] == 0
    assert plan["sites"] == len(golden["sites"])


@pytest.mark.slow
def test_oesophagectomy_at_norm_40_needs_fewer_centres_than_at_20(netherlands: Landscape) -> None:
    twenty = run("oesophagectomy-norm-20", netherlands).summary()["concentration"]
    forty = run("oesophagectomy-norm-40", netherlands)
    assert forty.settings.solver.gap == 0.005  # from its own file; the rest from norm-20's
    plan = forty.summary()["concentration"]
    assert twenty["status"] == plan["status"] == "optimal"
    # the round table keeps today's teams where they can reach the norm: never more at 40
    assert plan["sites"] <= twenty["sites"]
    assert plan["below_norm"] == twenty["below_norm"] == 0
    volumes = forty.concentration.sites if forty.concentration is not None else None
    assert volumes is not None
    assert (volumes[volumes["offers"]]["volume"] >= 40 - 1e-6).all()


@pytest.mark.slow
def test_hpb_scenario_runs_with_shared_centres(netherlands: Landscape) -> None:
    plan = run("hpb-centres-seh-24-7", netherlands)
    assert plan.concentration is not None and plan.concentration.has_plan
    sites = plan.concentration.sites[plan.concentration.sites["offers"]]
    by = sites.groupby("intervention")["site_id"].apply(frozenset)
    assert len(by) == 2 and by.iloc[0] == by.iloc[1]  # pancreas and liver at the same centres
    assert plan.summary()["concentration"]["sites"] == len(by.iloc[0])  # 30 in docs/scenarios.md


@pytest.mark.slow
def test_make_run_scenario_end_to_end_through_the_command(tmp_path: Path) -> None:
    out = tmp_path / "round-table"
    done = subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", "run", "scenarios/round-table-friesland.toml"]
        + ["--out", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    payload = json.loads((out / "result.json").read_text())
    summary = payload["summary"]
    assert summary["population"] == 18_130_000
    night = {r["block"]: r for r in summary["reach"]}["night"]
    assert night["beyond_change"] == 41_430
    plan = payload["concentration"]
    centres = {s["site_id"] for s in plan["sites"]}
    assert plan["status"] == "optimal"
    assert not centres & {"antonius-zh-sneek", "de-tjongerschans-heerenveen"}  # no 24/7 SEH
    assert {"map-plan.html", "map-seh-night.html", "figure-seh-night.png"} <= set(payload["files"])
    assert "report.html" in done.stdout
