"""Access analysis: reach per time block and sensitive SEHs, on regional extracts."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from zorglandschap.access import (
    open_sites,
    reach,
    sensitive_sites,
    sensitive_sites_by_recompute,
    staffed_posts,
)
from zorglandschap.cli import app
from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape
from zorglandschap.scenario import site_state


@pytest.fixture(scope="module")
def zwolle(netherlands: Landscape) -> Landscape:
    """ROAZ Zwolle (Isala): holds Gelre Zutphen, a limited-hours SEH in 2025."""
    return netherlands.extract(roaz="ROAZ09")


def test_reach_accounts_for_everyone(utrecht: Landscape) -> None:
    result = reach(utrecht, site_state(utrecht, "2025"), service="seh", block="day")
    summary = result.summary()
    assert summary["population"] == int(utrecht.pc4["population"].sum())
    assert summary["within"] + summary["beyond"] == summary["population"]
    assert 0.99 <= summary["share_within"] <= 1.0
    seh = site_state(utrecht, "2025").services.loc[utrecht.sites.index, "seh"]
    assert summary["open_sites"] == int(seh.isin(["24/7", "limited"]).sum()) == 5
    # Each point's nearest site is no farther than its second-nearest.
    p = result.points
    assert (p["minutes"] <= p["second_minutes"]).all()
    assert summary["mean_minutes"] <= summary["p90_minutes"] <= summary["max_minutes"]


def test_tighter_norm_leaves_more_people_beyond(utrecht: Landscape) -> None:
    state = site_state(utrecht, "2025")
    beyond = [reach(utrecht, state, minutes=m).summary()["beyond"] for m in (20, 25, 30, 45)]
    assert beyond == sorted(beyond, reverse=True)
    assert beyond[0] > 0


def test_night_excludes_limited_hours_sehs(zwolle: Landscape) -> None:
    state = site_state(zwolle, "2025")
    assert state.services.at["gelre-zh-zutphen", "seh"] == "limited"
    assert "gelre-zh-zutphen" in open_sites(state, service="seh", block="day")
    assert "gelre-zh-zutphen" not in open_sites(state, service="seh", block="night")

    closed = state.with_changes({"gelre-zh-zutphen": {"seh": "none"}})
    day_before = reach(zwolle, state, block="day").points["minutes"]
    day_after = reach(zwolle, closed, block="day").points["minutes"]
    night_before = reach(zwolle, state, block="night").points["minutes"]
    night_after = reach(zwolle, closed, block="night").points["minutes"]
    assert (day_after >= day_before).all() and (day_after > day_before).any()
    assert night_after.equals(night_before)


def test_posts_by_block(netherlands: Landscape) -> None:
    day = set(staffed_posts(netherlands, block="day"))
    night = set(staffed_posts(netherlands, block="night"))
    assert len(day) == 249 + 29
    assert len(night) == 249 + 1
    turnout = netherlands.posts.index[netherlands.posts["availability"] == "turnout"]
    assert not set(turnout) & (day | night)


@pytest.mark.parametrize("minutes", [20.0, 25.0, 45.0])
def test_one_pass_sensitivity_equals_brute_force(utrecht: Landscape, minutes: float) -> None:
    state = site_state(utrecht, "2025")
    one_pass = sensitive_sites(reach(utrecht, state, minutes=minutes))["extra_beyond"]
    brute = sensitive_sites_by_recompute(utrecht, state, minutes=minutes)
    assert sorted(one_pass.index) == sorted(brute.index)
    np.testing.assert_array_equal(
        one_pass.sort_index().to_numpy(), brute.sort_index().round().astype(int).to_numpy()
    )
    if minutes == 20.0:
        assert one_pass.max() > 0, "a 20-minute norm must make some Utrecht site sensitive"


def test_sensitive_list_is_sorted_and_complete(utrecht: Landscape) -> None:
    result = reach(utrecht, site_state(utrecht, "2025"), minutes=20)
    frame = sensitive_sites(result)
    assert len(frame) == result.summary()["open_sites"]
    assert frame["extra_beyond"].is_monotonic_decreasing
    top = frame.iloc[0]
    assert sum(top["municipalities"].values()) == pytest.approx(
        top["extra_beyond"], abs=len(top["municipalities"])
    )


def test_acute_obstetrics(utrecht: Landscape) -> None:
    state = site_state(utrecht, "2025")
    av = reach(utrecht, state, service="av", block="night")
    assert av.summary()["open_sites"] == int(state.services.loc[utrecht.sites.index, "av"].sum())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"service": "ic"}, r"Unknown service 'ic'; valid: seh, av\."),
        ({"block": "nacht"}, r"Unknown time block 'nacht'; valid: day, evening, night, weekend\."),
        ({"minutes": -5}, r"--minutes must be a positive number"),
    ],
)
def test_bad_selectors_name_the_valid_choices(
    utrecht: Landscape, kwargs: dict, message: str
) -> None:
    with pytest.raises(ScenarioError, match=message):
        reach(utrecht, site_state(utrecht, "2025"), **kwargs)


runner = CliRunner()


def test_cli_reach_json(utrecht: Landscape) -> None:
    result = runner.invoke(
        app, ["reach", "--sites", "2025", "--block", "night", "--by", "iza", "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    for key in ("population", "beyond", "share_within", "by_region"):
        assert key in payload
    assert len(payload["by_region"]) == 38
    first = next(iter(payload["by_region"].values()))
    assert set(first) >= {"population", "beyond"}
    assert sum(r["population"] for r in payload["by_region"].values()) == pytest.approx(
        payload["population"], abs=40
    )


def test_cli_sensitive_json() -> None:
    result = runner.invoke(app, ["sensitive", "--sites", "2019", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 83 + 4  # every SEH open in the day block in 2019
    assert {"site_id", "name", "lon", "lat", "extra_beyond"} <= set(rows[0])
    extras = [r["extra_beyond"] for r in rows]
    assert extras == sorted(extras, reverse=True)
    assert extras[-1] == 0


def test_cli_bad_choice_is_one_line() -> None:
    import subprocess
    import sys

    completed = subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", "reach", "--block", "nacht"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert (
        completed.stderr.strip()
        == "error: Unknown time block 'nacht'; valid: day, evening, night, weekend."
    )
