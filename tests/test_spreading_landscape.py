"""The spreading model on the embedded data: ROAZ Midden-Nederland (the utrecht extract) and
the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zorglandschap.access import reach
from zorglandschap.cli import app
from zorglandschap.errors import ZorglandschapError
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.state import baseline_state
from zorglandschap.optimise.spreading import (
    LIMITED_HOURS_2025,
    SpreadingModel,
    SpreadingQuestion,
    spreading_instance,
)
from zorglandschap.optimise.spreading.writers import plan_state, write_csv
from zorglandschap.settings import DEFAULT_SETTINGS
from zorglandschap.vocab import TIME_BLOCKS

runner = CliRunner()

#: Keys the issue asks `spread --json` to print at least.
REQUIRED = {"status", "gap", "timing", "open_sites", "coverage", "beyond", "baseline_beyond"}


def test_visits_add_up_to_the_regions_share_of_the_national_total(utrecht: Landscape) -> None:
    instance = spreading_instance(utrecht, baseline_state(utrecht, 2025), SpreadingQuestion())
    total = sum(sum(site.visits) for site in instance.sites)
    s = DEFAULT_SETTINGS.spreading
    expected = s.seh_visits_per_year * float(utrecht.pc4["population"].sum()) / s.visits_population
    assert total == pytest.approx(expected)
    # the night share of every site's visits is the SAZ-derived 15.5 %
    site = instance.sites[0]
    assert site.visits[TIME_BLOCKS.index("night")] / sum(site.visits) == pytest.approx(
        0.15543, abs=1e-5
    )
    # capacity today = 1.5 x today's load: a 24/7 SEH has room for half its load again
    assert all(c >= v for c, v in zip(site.capacity, site.visits, strict=True))


@pytest.mark.parametrize(
    "question",
    [
        SpreadingQuestion(blocks=["night"], coverage="max", teams=2, capacity=False),
        SpreadingQuestion(blocks=list(TIME_BLOCKS), coverage="max", teams=1, capacity=False),
        SpreadingQuestion(blocks=["night"], capacity=True),
    ],
    ids=["night-2-seh", "all-blocks-1-seh", "keep-night"],
)
def test_model_claims_equal_reach_on_the_plan(
    utrecht: Landscape, question: SpreadingQuestion
) -> None:
    """The people beyond 45 minutes the model claims per block are what `reach` computes on
    the plan's site state (the same composite minutes, the same nearest-open-SEH rule)."""
    state = baseline_state(utrecht, 2025)
    instance = spreading_instance(utrecht, state, question)
    result = SpreadingModel(instance, question).solve()
    assert result.status == "optimal"
    assert result.notes == ()
    planned = plan_state(result, state)
    claims = result.beyond()
    for block in TIME_BLOCKS:
        r = reach(utrecht, planned, block=block)
        assert r.summary()["beyond"] == claims[block], block
    if question.teams is not None:
        night = sum("night" in s["blocks"] for s in result.open_sites())
        assert night <= question.teams


def test_fewer_night_sehs_push_people_beyond(utrecht: Landscape) -> None:
    state = baseline_state(utrecht, 2025)
    beyond = []
    for teams in (5, 3, 1):
        q = SpreadingQuestion(coverage="max", teams=teams, capacity=False)
        result = SpreadingModel(spreading_instance(utrecht, state, q), q).solve()
        beyond.append(result.beyond()["night"])
    assert beyond[0] <= beyond[1] <= beyond[2]
    assert beyond[2] > beyond[0]


def test_real_opening_hours_are_an_input(netherlands: Landscape) -> None:
    """Gelre Zutphen's office hours (day only) instead of day, evening and weekend."""
    q = SpreadingQuestion(region="ROAZ09")
    state = baseline_state(netherlands, 2025)
    instance = spreading_instance(netherlands, state, q, limited_blocks=LIMITED_HOURS_2025)
    zutphen = next(s for s in instance.sites if s.site_id == "gelre-zh-zutphen")
    assert zutphen.open_blocks("limited") == ("day",)
    today = instance.baseline_open()[instance.index()["gelre-zh-zutphen"]]
    assert today.tolist() == [True, False, False, False]


def test_result_contract_and_csv(utrecht: Landscape, tmp_path: Path) -> None:
    q = SpreadingQuestion(coverage="max", teams=2, capacity=False)
    result = SpreadingModel(
        spreading_instance(utrecht, baseline_state(utrecht, 2025), q), q
    ).solve()
    tables = result.tables()
    assert set(tables) == {"blocks", "sites", "regions", "moved", "receiving", "staff"}
    assert len(tables["sites"]) == len(result.instance.sites)
    regions = tables["regions"].query("region == 'ROAZ08' and block == 'night'").iloc[0]
    assert regions["open_today"] == 5 and regions["open_plan"] == 2
    assert regions["mean_plan"] >= regions["mean_today"]
    payload = json.loads(result.to_json())
    assert set(payload) >= REQUIRED
    assert payload["open_seh"]["night"] == {"today": 5, "plan": 2}
    paths = write_csv(result, tmp_path / "out")
    assert sorted(p.name for p in paths) == [f"spreading-{t}.csv" for t in sorted(tables)]
    assert result.to_json() == result.to_json()  # same inputs, same bytes


def test_cli_json_and_written_scenario_agree_with_reach(tmp_path: Path) -> None:
    """Run as a user pipes it: stdout holds the JSON only; the written scenario loads in
    `reach` and gives the beyond-45 figures the plan claims."""
    scenario = tmp_path / "plan.toml"
    # staff for one SEH at night in Noord-Nederland: about 486,000 people beyond 45 minutes
    args = ["spread", "--region", "ROAZ01", "--staff", "1", "--no-capacity", "--json",
            "--write-scenario", str(scenario)]  # fmt: skip
    completed = subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    out = json.loads(completed.stdout)
    assert set(out) >= REQUIRED
    assert out["status"] == "optimal" and out["gap"] == 0
    assert {"seconds", "build_seconds"} <= set(out["timing"])
    assert all({"site_id", "name", "blocks"} <= set(s) for s in out["open_sites"])
    assert sum("night" in s["blocks"] for s in out["open_sites"]) == 1
    assert out["beyond"]["night"] > 100 * out["baseline_beyond"]["night"] / 10
    for block in TIME_BLOCKS:
        r = runner.invoke(app, ["reach", "--sites", str(scenario), "--block", block, "--json"])
        assert r.exit_code == 0, r.output
        by_region = json.loads(r.output)["by_region"]
        assert by_region["ROAZ01 Noord-Nederland"]["beyond"] == out["beyond"][block], block
    assert runner.invoke(app, ["sensitive", "--sites", str(scenario), "--json"]).exit_code == 0


def test_cli_impossible_staff_limit_exits_1_with_a_diagnosis() -> None:
    r = runner.invoke(app, ["spread", "--region", "ROAZ08", "--staff", "0", "--json"])
    assert r.exit_code == 1
    out = json.loads(r.output)
    assert out["status"] == "infeasible"
    assert out["beyond"]["night"] is None
    assert any("ROAZ08 Midden-Nederland, night" in line for line in out["diagnosis"])
    human = runner.invoke(app, ["spread", "--region", "ROAZ08", "--staff", "0"])
    assert human.exit_code == 1 and "Smallest relaxations" in human.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--block", "middag"], "--block: unknown time block 'middag'; valid: day, evening"),
        (["--block", "night,"], "--block: unknown time block ''"),
        (["--staff", "-1"], "--staff: got -1"),
        (["--share", "1.5"], "--share: got 1.5"),
        (["--share", "0.99", "--staff", "2"], "--share asks its own coverage rule"),
        (["--region", "ROAZ99"], "--region 'ROAZ99' has no SEH"),
        (["--objective", "cost"], "--objective: got 'cost'"),
    ],
)
def test_cli_bad_input_is_one_line_with_exit_2(args: list[str], message: str) -> None:
    r = runner.invoke(app, ["spread", *args])
    assert isinstance(r.exception, ZorglandschapError), r.output
    assert r.exception.exit_code == 2
    assert message in str(r.exception)


def test_cli_bad_input_from_the_shell() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", "spread", "--block", "avond,middag"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 2
    assert "--block: unknown time block 'middag'" in completed.stderr
    assert "nacht" in completed.stderr  # the valid words name the Dutch ones too
    assert "Traceback" not in completed.stderr


def _spread_json(*args: str) -> dict[str, object]:
    """``spread ... --json`` through the real entry point, without its timing."""
    completed = subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", "spread", *args, "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    payload = json.loads(completed.stdout)
    payload.pop("timing")
    return payload


def test_cli_block_takes_the_dutch_names_repeated_and_with_commas() -> None:
    """``--block nacht`` is ``--block night``; ``--block avond,nacht`` and ``--block avond
    --block Nacht`` are ``--block evening --block night`` (as reach takes them)."""
    night = _spread_json("--region", "ROAZ08", "--block", "night")
    assert _spread_json("--region", "ROAZ08", "--block", "nacht") == night
    assert night["decided_blocks"] == ["night"]
    both = _spread_json("--region", "ROAZ08", "--block", "evening", "--block", "night")
    assert both["decided_blocks"] == ["evening", "night"]
    assert _spread_json("--region", "ROAZ08", "--block", "avond,nacht") == both
    assert _spread_json("--region", "ROAZ08", "--block", "Nacht", "--block", "avond") == both
    assert _spread_json("--region", "ROAZ08", "--block", "avond, avond,nacht") == both


def test_the_shipped_worked_scenario_is_the_models_plan(netherlands: Landscape) -> None:
    """scenarios/spreading-noordwest-night.toml is what `spread --region ROAZ05` proposes."""
    from zorglandschap.optimise.spreading.answers import smallest_night_set
    from zorglandschap.scenario import load_scenario

    path = Path(__file__).resolve().parents[1] / "scenarios" / "spreading-noordwest-night.toml"
    shipped = load_scenario(path, netherlands).state.services["seh"]
    q = SpreadingQuestion(region="ROAZ05")
    instance = spreading_instance(netherlands, baseline_state(netherlands, 2025), q)
    result = smallest_night_set(instance, region="ROAZ05")
    planned = plan_state(result, baseline_state(netherlands, 2025)).services["seh"]
    assert planned.equals(shipped)
    assert sorted(c["site_id"] for c in result.changed_sites()) == [
        "bovenij-zh-amsterdam",
        "zaans-mc-zaandam",
    ]  # Den Helder is sensitive in the rivm2022 regime (RIVM: sensitive for SEH and AV)
