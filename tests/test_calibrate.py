"""Calibration of the travel constants against the shared reference data."""

from __future__ import annotations

from pathlib import Path

import pytest

from zorglandschap.errors import DataError
from zorglandschap.landscape import Landscape
from zorglandschap.travel.calibration import calibration_report


def test_missing_calibration_data_is_a_clear_error(utrecht: Landscape, tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"siren_driving_matrix_2022\.csv is missing.*--data"):
        calibration_report(utrecht, data=tmp_path)


@pytest.mark.slow
def test_embedded_constants_meet_the_calibration_bounds(
    netherlands: Landscape, shared_data: Path
) -> None:
    report = calibration_report(netherlands, data=shared_data)
    assert report["siren_pairs"] > 50_000  # 231 x 230 Utrecht PC4 pairs
    assert report["siren_median_abs_pct_error"] <= 12.0
    assert abs(report["siren_bias_pct"]) <= 5.0
    assert report["isochrone30_agreement"] >= 0.85
    assert report["isochrone15_agreement"] >= 0.85
    assert report["isochrone30_sites_unmatched"] == 0
    # by population (docs/travel.md, "Car times at the 30-minute boundary")
    assert report["isochrone30_population_agreement"] >= 0.92
    assert report["isochrone15_population_agreement"] >= 0.95
    assert 0.85 <= report["isochrone30_population_ratio"] <= 1.15
    beyond = report["av_beyond30_car_model"] / report["av_beyond30_car_polygons"]
    assert 0.9 <= beyond <= 1.1  # was 0.72 with the F1-only car fit
    for band in report["siren_by_band"].values():
        assert abs(band["bias_pct"]) <= 3.5
    assert report["isochrone15_posts_unmatched"] == 0
