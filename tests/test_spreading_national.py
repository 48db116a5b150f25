"""Acute-care spreading on the whole embedded Netherlands (slow: national models)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zorglandschap.access import reach
from zorglandschap.cli import app
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.state import baseline_state
from zorglandschap.optimise.spreading import SpreadingModel, SpreadingQuestion, spreading_instance
from zorglandschap.optimise.spreading.answers import (
    least_harmful_night_closure,
    night_shift_curve,
    smallest_night_sets,
    spoedpost_candidates,
)
from zorglandschap.scenario import load_scenario
from zorglandschap.vocab import TIME_BLOCKS

pytestmark = pytest.mark.slow
runner = CliRunner()


def _reach_matches(landscape: Landscape, scenario: Path, beyond: dict[str, int]) -> None:
    """`reach` on the written scenario gives exactly the model's beyond-45 figure per block."""
    loaded = load_scenario(scenario, landscape)
    for block in TIME_BLOCKS:
        r = reach(landscape, loaded.state, block=block, settings=loaded.settings)
        assert r.summary()["beyond"] == beyond[block], block


def test_fewest_24_7_sehs_keeping_todays_night_coverage(
    netherlands: Landscape, tmp_path: Path
) -> None:
    """Nationally, keep today's night coverage with as few 24/7 SEHs as possible, capacity
    respected: proven optimal, and `reach` on the written plan confirms it per block."""
    scenario = tmp_path / "night.toml"
    r = runner.invoke(app, ["spread", "--json", "--write-scenario", str(scenario)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["status"] == "optimal"
    assert out["gap"] <= 1e-4
    assert [s["status"] for s in out["stages"]] == ["optimal", "optimal"]
    assert out["beyond"] == out["baseline_beyond"]  # nobody newly beyond, in any block
    night = out["open_seh"]["night"]
    assert night["plan"] < night["today"] == 76
    assert out["stages"][0]["value"] == night["plan"]
    assert all(row["use_of_capacity"] <= 1 + 1e-9 for row in out["receiving"])
    _reach_matches(netherlands, scenario, out["beyond"])
    # both solvers prove the same optimum
    q = SpreadingQuestion()
    instance = spreading_instance(netherlands, baseline_state(netherlands, 2025), q)
    values = {}
    for solver in ("highs", "cbc"):
        result = SpreadingModel(instance, q).solve(solver=solver)
        assert result.status == "optimal"
        values[solver] = [round(s.value, 3) for s in result.stages]
    assert values["highs"] == values["cbc"]
    assert values["highs"][0] == night["plan"]


def test_a_plan_that_pushes_people_beyond_is_confirmed_by_reach(
    netherlands: Landscape, tmp_path: Path
) -> None:
    """Staff for three SEHs per ROAZ region in every block, no capacity limit: the model's
    people beyond 45 minutes per block are exactly what `reach` finds on the written plan."""
    scenario = tmp_path / "three.toml"
    args = ["spread", "--staff", "3", "--no-capacity", "--json", "--write-scenario", str(scenario)]
    args += [f"--block={b}" for b in TIME_BLOCKS]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["status"] == "optimal"
    assert all(out["beyond"][b] > out["baseline_beyond"][b] for b in TIME_BLOCKS)
    assert all(out["open_seh"][b]["plan"] <= 33 for b in TIME_BLOCKS)
    text = scenario.read_text(encoding="utf-8")
    assert 'seh = "spoedpost"' in text or 'seh = "none"' in text
    _reach_matches(netherlands, scenario, out["beyond"])


def test_the_planners_questions(netherlands: Landscape) -> None:
    q = SpreadingQuestion()
    instance = spreading_instance(netherlands, baseline_state(netherlands, 2025), q)
    table, results = smallest_night_sets(instance)
    assert len(table) == 11 and set(table["status"]) == {"optimal"}
    assert (table["night_plan"] <= table["night_today"]).all()
    assert (table["newly_beyond"] == 0).all()
    # the night-shift curve: every shift removed costs coverage or breaks capacity
    curve = night_shift_curve(instance, "ROAZ01", capacity=False)
    assert curve["night_seh"].tolist() == list(range(9, 0, -1))
    assert curve["closed_at_night"].map(len).tolist() == curve["shifts_removed"].tolist()
    beyond = curve["newly_beyond"].tolist()
    assert beyond == sorted(beyond) and beyond[0] == 0 and beyond[-1] > 100_000
    # the least harmful single night closure in ROAZ04 closes one SEH and keeps coverage
    one = least_harmful_night_closure(instance, "ROAZ04")
    assert one.status == "optimal"
    assert len(one.changed_sites()) == 1
    assert one.beyond()["night"] == one.baseline_beyond()["night"]
    # spoedpost candidates: each keeps everyone within 45 minutes in every block
    candidates = spoedpost_candidates(instance)
    chosen = candidates[candidates["candidate"]]
    assert 0 < len(chosen) < len(candidates)
    newly = [f"newly_beyond_{b}" for b in TIME_BLOCKS]
    assert (chosen[newly].to_numpy() == 0).all()
