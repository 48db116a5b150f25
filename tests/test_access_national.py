"""National reach against RIVM's published figures (slow: the whole country)."""

from __future__ import annotations

import json

import pytest

from zorglandschap.access import reach, sensitive_sites
from zorglandschap.landscape import Landscape
from zorglandschap.scenario import site_state
from zorglandschap.settings import DEFAULT_SETTINGS

pytestmark = pytest.mark.slow

WADDEN_ISLANDS = ["Texel", "Vlieland", "Terschelling", "Ameland", "Schiermonnikoog"]


def test_2019_lands_near_rivm(netherlands: Landscape) -> None:
    """RIVM 2019: about 33,000 inhabitants beyond 45 minutes (99.8 % within), mostly on the
    Wadden islands plus parts of Steenwijkerland, Baarle-Nassau, Sluis and Súdwest-Fryslân.
    A figure of RIVM's old regime: computed in ``rivm2019``."""
    rivm2019 = DEFAULT_SETTINGS.replace(travel={"regime": "rivm2019"})
    result = reach(
        netherlands, site_state(netherlands, "2019"), service="seh", block="day", settings=rivm2019
    )
    summary = result.summary()
    assert 20_000 <= summary["beyond"] <= 50_000
    assert summary["share_within"] == pytest.approx(0.998, abs=0.001)
    beyond = json.loads(result.to_json("municipality"))["beyond_by_municipality"]
    for island in WADDEN_ISLANDS:
        assert beyond.get(island, 0) > 0, island
    named = ["Steenwijkerland", "Baarle-Nassau", "Sluis", "Súdwest-Fryslân"]
    assert sum(1 for m in named if beyond.get(m, 0) > 0) >= 2
    # The islands and the named areas hold most of the people beyond.
    assert sum(beyond.get(m, 0) for m in WADDEN_ISLANDS + named) >= 0.5 * summary["beyond"]


def test_2025_has_more_people_beyond_than_2019(netherlands: Landscape) -> None:
    before = reach(netherlands, site_state(netherlands, "2019")).summary()["beyond"]
    after = reach(netherlands, site_state(netherlands, "2025")).summary()["beyond"]
    assert after >= before


def test_night_reach_is_no_better_than_day(netherlands: Landscape) -> None:
    state = site_state(netherlands, "2025")
    day = reach(netherlands, state, block="day").summary()
    night = reach(netherlands, state, block="night").summary()
    assert night["beyond"] >= day["beyond"]
    assert night["open_sites"] == 76


def test_national_sensitivity_names_island_and_border_hospitals(netherlands: Landscape) -> None:
    frame = sensitive_sites(reach(netherlands, site_state(netherlands, "2025")))
    assert len(frame) == 79
    sensitive = frame[frame["extra_beyond"] > 0]
    assert len(sensitive) >= 5
    assert frame["extra_beyond"].is_monotonic_decreasing


def test_default_fixed_minutes_is_the_calibrated_value(netherlands: Landscape) -> None:
    """The documented default of the composite's one free parameter is what the fit returns."""
    from zorglandschap.access import RIVM_2019_BEYOND_45, calibrate_fixed_minutes
    from zorglandschap.settings import DEFAULT_SETTINGS, REGIMES

    rivm2019 = DEFAULT_SETTINGS.replace(travel={"regime": "rivm2019"})
    fit = calibrate_fixed_minutes(netherlands, settings=rivm2019)
    assert fit.fixed_minutes == REGIMES["rivm2019"].fixed_minutes
    assert abs(fit.beyond - RIVM_2019_BEYOND_45) <= 0.25 * RIVM_2019_BEYOND_45
    assert fit.curve.is_monotonic_increasing
