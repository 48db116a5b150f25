"""Calibration regimes of the RIVM composite: parameters, speed factor, dated site states, fits."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from zorglandschap.access.regimes import (
    _drive_times,
    _loss,
    dated_state,
    fit_regime,
    model_figure,
    regime_settings,
)
from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.state import baseline_state
from zorglandschap.scenario import load_scenario
from zorglandschap.settings import (
    DEFAULT_SETTINGS,
    REGIMES,
    TravelSettings,
    composite_parameters,
)
from zorglandschap.travel import build_network, composite_minutes
from zorglandschap.travel.speeds import scaled_ambulance
from zorglandschap.vocab import REGIME_NAMES, RIVM_MEASURES

REPO = Path(__file__).resolve().parents[1]


def test_every_regime_is_named_once_and_fitted_on_beyond_counts_only() -> None:
    assert tuple(REGIMES) == REGIME_NAMES
    for name, regime in REGIMES.items():
        assert regime.name == name
        assert regime.targets, name
        assert all(t.measure.startswith("beyond") for t in regime.targets)
        assert all(t.tolerance == 0 for t in regime.targets)
        assert all(c.tolerance > 0 for c in regime.checks)
        assert all(f.source for f in (*regime.targets, *regime.checks))
        assert set(regime.fitted) <= {"fixed_minutes", "ambulance_speed_factor"}


def test_composite_parameters_follow_the_regime_unless_overridden() -> None:
    for name, regime in REGIMES.items():
        travel = TravelSettings(regime=name)
        assert composite_parameters(travel) == (
            regime.fixed_minutes,
            regime.ambulance_speed_factor,
        )
    travel = TravelSettings(regime="rivm2022", composite_fixed_minutes=12.5)
    assert composite_parameters(travel) == (12.5, REGIMES["rivm2022"].ambulance_speed_factor)
    assert composite_parameters(TravelSettings(composite_speed_factor=0.5))[1] == 0.5


@pytest.mark.parametrize(
    ("travel", "message"),
    [
        ({"composite_fixed_minutes": float("nan")}, r"composite_fixed_minutes must be a finite"),
        ({"composite_fixed_minutes": -5.0}, r"from 0 to 120, got -5\.0"),
        ({"composite_speed_factor": 0.0}, r"composite_speed_factor must be .* more than 0"),
        ({"composite_speed_factor": float("inf")}, r"composite_speed_factor must be a finite"),
    ],
)
def test_bad_composite_parameters_are_refused_by_name(travel: dict, message: str) -> None:
    (key,) = travel
    with pytest.raises(ScenarioError, match=rf"travel\.{key}: got"):  # a scenario's override
        DEFAULT_SETTINGS.replace(travel=travel)
    with pytest.raises(ScenarioError, match=message):  # settings built in Python directly
        composite_parameters(TravelSettings(**travel))


def test_an_unknown_regime_names_the_valid_ones() -> None:
    with pytest.raises(
        ScenarioError, match=r"travel\.regime must be one of 'rivm2019', 'rivm2022'"
    ):
        DEFAULT_SETTINGS.replace(travel={"regime": "rivm2030"})


def test_a_scenario_chooses_its_regime(netherlands: Landscape, tmp_path: Path) -> None:
    path = tmp_path / "old-regime.toml"
    path.write_text('name = "x"\nbaseline = 2025\n[settings.travel]\nregime = "rivm2019"\n')
    assert load_scenario(path, netherlands).settings.travel.regime == "rivm2019"
    path.write_text('name = "x"\n[settings.travel]\nregime = "rivm2023"\n')
    with pytest.raises(ScenarioError, match=r"old-regime\.toml: settings: travel\.regime must be"):
        load_scenario(path, netherlands)


def test_the_speed_factor_divides_every_ambulance_minute_except_ferries(
    utrecht: Landscape,
) -> None:
    travel = DEFAULT_SETTINGS.travel
    base = build_network(utrecht)
    slow = base.reweighted(scaled_ambulance(travel, 0.8))
    ferry = base.kind == "ferry"
    ratio = slow.minutes["ambulance"][~ferry] / base.minutes["ambulance"][~ferry]
    np.testing.assert_allclose(ratio, 1 / 0.8, rtol=1e-9)
    np.testing.assert_array_equal(slow.minutes["car"], base.minutes["car"])
    np.testing.assert_array_equal(
        slow.minutes["ambulance"][ferry], base.minutes["ambulance"][ferry]
    )
    assert scaled_ambulance(travel, 1.0) is travel


def test_the_composite_in_a_slower_regime_is_drive_over_factor_plus_fixed(
    utrecht: Landscape,
) -> None:
    sites = sorted(utrecht.sites.index)[:4]
    posts = sorted(utrecht.posts.index)
    old = regime_settings("rivm2019", fixed_minutes=0.0, speed_factor=1.0)
    slow = regime_settings("rivm2019", fixed_minutes=7.0, speed_factor=0.8)
    drive = composite_minutes(utrecht, site_ids=sites, post_ids=posts, settings=old, cache=False)
    both = composite_minutes(utrecht, site_ids=sites, post_ids=posts, settings=slow, cache=False)
    pd.testing.assert_frame_equal(both, drive / 0.8 + 7.0, rtol=1e-9)


def test_dated_states_match_the_baselines_and_rivms_counts(netherlands: Landscape) -> None:
    for year, date in ((2019, "2019-03-01"), (2025, "2025-12-31")):
        expected = baseline_state(netherlands, year).services[["seh", "av"]]
        got = dated_state(netherlands, date).services[["seh", "av"]]
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    # RIVM's published counts of 24/7 SEH and AV locations (NOTES-2026-update.md, section 1)
    rivm = {"2021-03-01": (80, None), "2023-03-01": (80, 72), "2024-03-01": (77, 71)}
    for date, (seh, av) in rivm.items():
        services = dated_state(netherlands, date).services
        assert (services["seh"] == "24/7").sum() == seh, date
        if av is not None:
            assert services["av"].sum() == av, date


def test_the_fast_search_counts_like_reach_and_sensitive_sites(netherlands: Landscape) -> None:
    """The fit searches on matrices directly; the figures it reports come from reach()."""
    regime = REGIMES["rivm2022"]
    factor = REGIMES["rivm2022"].ambulance_speed_factor  # shares the cache with real runs
    settings = regime_settings("rivm2022", fixed_minutes=9.0, speed_factor=factor)
    figures = (*regime.targets, *regime.checks)
    times = _drive_times(netherlands, figures, factor, settings)
    for figure in figures:
        model = model_figure(netherlands, figure.measure, figure.state_date, settings)
        fast = (
            times[figure].beyond(9.0, 45.0)
            if figure.measure.startswith("beyond")
            else times[figure].sensitive(9.0, 45.0)
        )
        assert fast == pytest.approx(model, abs=0.5), figure


@pytest.mark.slow
def test_rivm2019_is_its_fit(netherlands: Landscape) -> None:
    fit = fit_regime(netherlands, "rivm2019")
    summary = fit.summary()
    assert summary["matches_settings"], summary["settings"]
    assert set(RIVM_MEASURES) <= set(summary)
    beyond = summary["beyond_seh"]
    assert beyond["rivm"] == 33_000 and beyond["role"] == "target"
    # the count jumps from 26,190 (F 9.0) to 39,795 (F 9.25, Urk's 13,585 in one PC4)
    assert abs(beyond["error_pct"]) <= 25
    assert fit.curve.iloc[:, 0].is_monotonic_increasing


@pytest.mark.slow
def test_rivm2022_stored_speed_factor_is_the_best_on_its_grid(netherlands: Landscape) -> None:
    """The full search (``travel calibrate --regime rivm2022``, ~2 min) is not rerun here: the
    stored factor meets the targets and its grid neighbours do no better."""
    regime = REGIMES["rivm2022"]
    stored = regime.ambulance_speed_factor
    settings = regime_settings("rivm2022")

    def loss(factor: float) -> float:
        times = _drive_times(netherlands, regime.targets, factor, settings)
        return _loss({t: times[t].beyond(regime.fixed_minutes, 45.0) for t in regime.targets})

    at_stored = loss(stored)
    assert at_stored <= 0.05  # both 2022 counts within 5 %
    for other in (stored - 0.01, stored - 0.002, stored + 0.002, stored + 0.01):
        assert loss(other) >= at_stored - 1e-12, other


@pytest.mark.slow
def test_cli_prints_the_fit_next_to_rivm(netherlands: Landscape) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", "travel", "calibrate", "--regime", "rivm2019",
         "--json"],
        capture_output=True, text=True, cwd=REPO, check=True,
    )  # fmt: skip
    payload = json.loads(done.stdout)
    assert payload["regime"] == "rivm2019"
    for measure in RIVM_MEASURES:
        assert {"model", "rivm", "error", "state_date", "role"} <= set(payload[measure])
    model = model_figure(netherlands, "beyond_seh", "2019-03-01", regime_settings("rivm2019"))
    assert payload["beyond_seh"]["model"] == model
    bad = subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", "travel", "calibrate", "--regime", "x"],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip
    assert bad.returncode == 2
    assert "Unknown regime 'x'; valid: rivm2019, rivm2022." in bad.stderr
