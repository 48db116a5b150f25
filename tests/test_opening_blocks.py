"""Per-site opening blocks of limited-hours SEHs (issue 13 item 2): the published hours of the
three limited-hours SEHs of 2025, a scenario's own hours, and their use by reach."""

from __future__ import annotations

from pathlib import Path

import pytest

from zorglandschap.access import open_sites, reach
from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape
from zorglandschap.scenario import load_scenario, site_state
from zorglandschap.settings import DEFAULT_SETTINGS


def test_the_published_hours_of_2025(netherlands: Landscape) -> None:
    state = site_state(netherlands, "2025")
    blocks = {s: state.seh_blocks(s, DEFAULT_SETTINGS) for s in state.services.index}
    assert blocks["gelre-zh-zutphen"] == ("day",)  # office hours only since Sept 2023
    assert blocks["zh-amstelland-amstelveen"] == ("day", "evening", "weekend")  # 08-22 daily
    assert blocks["franciscus-vlietland"] == ("day", "evening", "weekend")  # 10-21
    assert blocks["umc-groningen"] == ("day", "evening", "night", "weekend")  # 24/7
    assert blocks["hmc-bronovo-den-haag"] == ()  # SEH closed in 2019


def test_open_sites_follow_each_sites_own_blocks(netherlands: Landscape) -> None:
    state = site_state(netherlands, "2025")
    day = open_sites(state, service="seh", block="day")
    evening = open_sites(state, service="seh", block="evening")
    night = open_sites(state, service="seh", block="night")
    assert set(day) - set(evening) == {"gelre-zh-zutphen"}
    assert set(evening) - set(night) == {"zh-amstelland-amstelveen", "franciscus-vlietland"}
    assert len(night) == 76


def test_a_scenario_sets_a_sites_hours(netherlands: Landscape, tmp_path: Path) -> None:
    path = tmp_path / "office-hours.toml"
    path.write_text(
        'name = "Heerlen office hours"\n[[site]]\nid = "zuyderland-mc-heerlen"\n'
        'seh = "limited"\nblocks = ["day"]\n',
        encoding="utf-8",
    )
    state = load_scenario(path, netherlands).state
    assert state.seh_blocks("zuyderland-mc-heerlen", DEFAULT_SETTINGS) == ("day",)
    assert "zuyderland-mc-heerlen" in open_sites(state, service="seh", block="day")
    assert "zuyderland-mc-heerlen" not in open_sites(state, service="seh", block="evening")


def test_blocks_on_a_site_without_limited_hours_are_refused(
    netherlands: Landscape, tmp_path: Path
) -> None:
    path = tmp_path / "wrong.toml"
    path.write_text(
        'name = "x"\n[[site]]\nid = "zuyderland-mc-heerlen"\nblocks = ["day"]\n', encoding="utf-8"
    )
    with pytest.raises(ScenarioError, match=r"site\[0\]\.blocks: .* is '24/7' here"):
        load_scenario(path, netherlands)
    path.write_text(
        'name = "x"\n[[site]]\nid = "gelre-zh-zutphen"\nblocks = ["dag"]\n', encoding="utf-8"
    )
    with pytest.raises(ScenarioError, match=r"site\[0\]\.blocks\[0\]"):
        load_scenario(path, netherlands)


def test_closing_zutphen_in_the_evening_changes_who_is_open_not_the_day(
    utrecht: Landscape,
) -> None:
    """The ROAZ08 extract has no limited-hours SEH: its day and evening reach are the same."""
    state = site_state(utrecht, "2025")
    day = reach(utrecht, state, block="day")
    evening = reach(utrecht, state, block="evening")
    assert day.open_site_ids == evening.open_site_ids
