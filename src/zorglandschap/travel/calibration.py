"""Calibrate and check the default travel network against real travel times.

Three references from ``shared/data`` (used here only; never copied into the project):

* the RAV Utrecht PC4 × PC4 **ambulance siren** matrix (ELASPY, 2022, GPL-3):
  ``elaspy_utrecht_traveltimes/siren_driving_matrix_2022.csv``;
* the 30- and 25-minute **car** drive-time polygons (openrouteservice) around the 89 RIVM 2019
  hospital locations: ``rivm_seh_av_2019/aanrijden_{30,25}min_ors.geojson``;
* the 15-minute **car** drive-time polygons (OSRM) around the 280 ambulance posts:
  ``rivm_ambulanceposten_2019/ambulancesbereik_15min_osrm.geojson``.

:func:`calibration_report` computes the error figures for given settings; :func:`fit` searches
the speed constants (ambulance on the siren matrix, car on the 30- and 15-minute polygons) and reports
the figures on all three references. The method and the results are in docs/travel.md.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.optimize import minimize
from scipy.spatial import cKDTree

from zorglandschap.errors import DataError
from zorglandschap.settings import DEFAULT_SETTINGS, Settings, TravelSettings
from zorglandschap.travel.network import TravelNetwork, build_network
from zorglandschap.travel.sources import NetworkSource

SIREN_MATRIX = "elaspy_utrecht_traveltimes/siren_driving_matrix_2022.csv"
HOSPITAL_ISOCHRONES = {
    30: "rivm_seh_av_2019/aanrijden_30min_ors.geojson",
    25: "rivm_seh_av_2019/aanrijden_25min_ors.geojson",
}
POST_ISOCHRONES = "rivm_ambulanceposten_2019/ambulancesbereik_15min_osrm.geojson"
POST_POINTS = "rivm_ambulanceposten_2019/ambulancestandplaatsen_2019.geojson"

#: PC4 points farther (straight line) than this from the centre are not scored, km: at most
#: a 120 km/h motorway drive in the time limit, so nothing beyond it can be inside.
_RING_KM_PER_MINUTE = 2.0

#: Trip-length bands of the siren matrix (real minutes, lower bound inclusive): the fit weighs
#: each band equally, so the few long trips count as much as the many medium ones.
SIREN_BANDS: tuple[tuple[float, float], ...] = ((0, 10), (10, 20), (20, 30), (30, float("inf")))


def default_shared_data() -> Path:
    """``$ZORGLANDSCHAP_SHARED_DATA``, else ``../shared/data`` next to the source checkout."""
    env = os.environ.get("ZORGLANDSCHAP_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[4] / "shared" / "data"


@dataclass(frozen=True)
class Reference:
    """The real travel times, lined up with the landscape's node ids."""

    siren_origins: list[str]
    siren_minutes: np.ndarray  # shape (k, k), row/col order of siren_origins
    isochrones: dict[str, list[tuple[str, np.ndarray, np.ndarray]]]
    """name → [(centre node id, scored PC4 node ids, inside polygon flags)]"""
    unmatched: dict[str, int]


def _require(path: Path) -> Path:
    if not path.exists():
        raise DataError(
            f"Calibration data {path} is missing. Calibration needs the shared source data "
            "(../shared/data next to the checkout); pass its folder with --data or set "
            "ZORGLANDSCHAP_SHARED_DATA. Everything else works without it."
        )
    return path


def load_reference(landscape: Any, data: str | Path | None = None) -> Reference:
    """Read the three references and line them up with the landscape's PC4s, sites and posts.

    Raises
    ------
    DataError
        If a reference file is missing (naming it and how to point at the data).
    """
    root = Path(data) if data is not None else default_shared_data()
    siren = pd.read_csv(_require(root / SIREN_MATRIX), index_col=0)
    siren.index = siren.index.astype(str).str.zfill(4)
    siren.columns = siren.columns.astype(str).str.zfill(4)
    known = [p for p in siren.index if p in set(landscape.pc4.index) and p in set(siren.columns)]
    unmatched = {"siren_pc4_not_in_landscape": len(siren) - len(known)}
    siren_minutes = siren.loc[known, known].to_numpy(float)

    pc4 = landscape.pc4
    pc4_xy = pc4[["x_rd", "y_rd"]].to_numpy(float)
    pc4_ids = np.array([f"pc4:{p}" for p in pc4.index])
    pc4_points = shapely.points(pc4_xy)
    isochrones: dict[str, list[tuple[str, np.ndarray, np.ndarray]]] = {}

    def score_sets(
        polygons: gpd.GeoDataFrame, centres: list[str | None], minutes: int
    ) -> list[tuple[str, np.ndarray, np.ndarray]]:
        out = []
        radius = _RING_KM_PER_MINUTE * minutes * 1000
        tree = cKDTree(pc4_xy)
        geoms = polygons.to_crs(28992).geometry.to_numpy()
        for centre, geom, cxy in zip(centres, geoms, polygons["_cxy"], strict=True):
            if centre is None or geom is None:
                continue
            near = np.array(sorted(tree.query_ball_point(cxy, radius)), dtype=np.int64)
            inside = shapely.contains(geom, pc4_points[near])
            out.append((centre, pc4_ids[near], inside))
        return out

    site_xy = landscape.sites[["x_rd", "y_rd"]].to_numpy(float)
    site_tree = cKDTree(site_xy)
    for minutes, name in HOSPITAL_ISOCHRONES.items():
        polygons = gpd.read_file(_require(root / name))
        lonlat = np.array([c for c in polygons["center"]], dtype=float)
        cxy = gpd.GeoSeries(gpd.points_from_xy(lonlat[:, 0], lonlat[:, 1]), crs=4326).to_crs(28992)
        polygons["_cxy"] = list(zip(cxy.x, cxy.y, strict=True))
        dist, nearest = site_tree.query(np.array(polygons["_cxy"].tolist()))
        centres: list[str | None] = [
            f"site:{landscape.sites.index[j]}" if d < 500 else None
            for d, j in zip(dist, nearest, strict=True)
        ]
        unmatched[f"isochrone{minutes}_sites_unmatched"] = sum(c is None for c in centres)
        isochrones[f"isochrone{minutes}"] = score_sets(polygons, centres, minutes)

    polygons = gpd.read_file(_require(root / POST_ISOCHRONES))
    points = gpd.read_file(_require(root / POST_POINTS)).to_crs(28992)
    key = ["Standplaats", "Postcode"]
    where = {
        tuple(r): (g.x, g.y)
        for r, g in zip(points[key].itertuples(index=False), points.geometry, strict=True)
    }
    polygons["_cxy"] = [where.get(tuple(r)) for r in polygons[key].itertuples(index=False)]
    post_xy = landscape.posts[["x_rd", "y_rd"]].to_numpy(float)
    post_tree = cKDTree(post_xy)
    centres = []
    for cxy in polygons["_cxy"]:
        if cxy is None:
            centres.append(None)
            continue
        d, j = post_tree.query(cxy)
        centres.append(f"post:{landscape.posts.index[j]}" if d < 500 else None)
    polygons["_cxy"] = [c if c is not None else (np.nan, np.nan) for c in polygons["_cxy"]]
    unmatched["isochrone15_posts_unmatched"] = sum(c is None for c in centres)
    isochrones["isochrone15"] = score_sets(polygons, centres, 15)
    return Reference(
        siren_origins=[f"pc4:{p}" for p in known],
        siren_minutes=siren_minutes,
        isochrones=isochrones,
        unmatched=unmatched,
    )


def _siren_errors(network: TravelNetwork, reference: Reference) -> np.ndarray:
    return _siren_pairs(network, reference)[0]


def _siren_pairs(network: TravelNetwork, reference: Reference) -> tuple[np.ndarray, np.ndarray]:
    """Relative errors (model - real) / real and the real minutes of the off-diagonal pairs."""
    source = NetworkSource(network)
    ids = reference.siren_origins
    model = source.minutes(ids, ids, profile="ambulance")
    real = reference.siren_minutes
    mask = ~np.eye(len(ids), dtype=bool) & (real > 0)
    return (model[mask] - real[mask]) / real[mask], real[mask]


def _band_name(low: float, high: float) -> str:
    return f"{low:g}-{high:g}min" if np.isfinite(high) else f"{low:g}+min"


def siren_by_band(errors: np.ndarray, real: np.ndarray) -> dict[str, dict[str, float]]:
    """Median absolute and signed error (%) and pair count per :data:`SIREN_BANDS` band."""
    out = {}
    for low, high in SIREN_BANDS:
        e = errors[(real >= low) & (real < high)]
        out[_band_name(low, high)] = {
            "pairs": int(e.size),
            "median_abs_pct_error": round(float(np.median(np.abs(e))) * 100, 2) if e.size else 0.0,
            "bias_pct": round(float(np.median(e)) * 100, 2) if e.size else 0.0,
        }
    return out


def _band_loss(errors: np.ndarray, real: np.ndarray) -> float:
    """Mean over the trip-length bands of median |error| + |median error|."""
    losses = []
    for low, high in SIREN_BANDS:
        e = errors[(real >= low) & (real < high)]
        if e.size:
            losses.append(float(np.median(np.abs(e)) + abs(np.median(e))))
    return float(np.mean(losses))


def _agreement(
    network: TravelNetwork, sets: list[tuple[str, np.ndarray, np.ndarray]], minutes: float
) -> dict[str, float]:
    source = NetworkSource(network)
    centres = [c for c, _, _ in sets]
    targets = sorted({t for _, ts, _ in sets for t in ts})
    column = {t: i for i, t in enumerate(targets)}
    matrix = source.minutes(centres, targets, profile="car")
    agree = inside_total = both = model_in = total = 0
    for row, (_, ts, inside) in enumerate(sets):
        model = matrix[row, [column[t] for t in ts]] <= minutes
        agree += int((model == inside).sum())
        total += len(ts)
        inside_total += int(inside.sum())
        model_in += int(model.sum())
        both += int((model & inside).sum())
    recall = both / inside_total if inside_total else float("nan")
    precision = both / model_in if model_in else float("nan")
    return {
        "agreement": agree / total if total else float("nan"),
        "recall": recall,
        "precision": precision,
        "f1": 2 * recall * precision / (recall + precision) if both else 0.0,
        "pairs": total,
    }


def calibration_report(
    landscape: Any,
    settings: Settings = DEFAULT_SETTINGS,
    *,
    data: str | Path | None = None,
    network: TravelNetwork | None = None,
    reference: Reference | None = None,
) -> dict[str, Any]:
    """Error figures of the default network against the three references.

    Returns
    -------
    dict
        ``siren_median_abs_pct_error`` and ``siren_bias_pct`` (median signed error, %) on the
        Utrecht siren matrix; ``isochrone30_agreement``, ``isochrone25_agreement`` (hospitals)
        and ``isochrone15_agreement`` (posts): the share of scored (centre, PC4) pairs where
        "model car time within the limit" agrees with "inside the polygon"; pairs are scored
        for PC4 points within 2 km per minute of the centre. Plus recall, precision and F1 of
        "inside", ``siren_by_band`` (the siren errors per trip-length band of
        :data:`SIREN_BANDS`), counts, and the constants used.
    """
    reference = reference if reference is not None else load_reference(landscape, data)
    network = network if network is not None else build_network(landscape, settings)
    errors, real = _siren_pairs(network, reference)
    report: dict[str, Any] = {
        "siren_median_abs_pct_error": round(float(np.median(np.abs(errors))) * 100, 2),
        "siren_bias_pct": round(float(np.median(errors)) * 100, 2),
        "siren_p90_abs_pct_error": round(float(np.quantile(np.abs(errors), 0.9)) * 100, 2),
        "siren_pairs": int(errors.size),
        "siren_by_band": siren_by_band(errors, real),
    }
    for name, minutes in (("isochrone30", 30), ("isochrone25", 25), ("isochrone15", 15)):
        figures = _agreement(network, reference.isochrones[name], minutes)
        report[f"{name}_agreement"] = round(figures["agreement"], 4)
        report[f"{name}_recall"] = round(figures["recall"], 4)
        report[f"{name}_precision"] = round(figures["precision"], 4)
        report[f"{name}_f1"] = round(figures["f1"], 4)
        report[f"{name}_pairs"] = figures["pairs"]
    report.update(reference.unmatched)
    report["constants"] = {k: v for k, v in sorted(dataclasses.asdict(settings.travel).items())}
    return report


_AMBULANCE_KEYS = (
    "ambulance_speed_short_kmh",
    "ambulance_speed_long_kmh",
    "speed_half_km",
    "urban_speed_factor",
    "ambulance_express_speed_kmh",
    "ambulance_express_ramp_minutes",
)
_CAR_KEYS = (
    "car_speed_short_kmh",
    "car_speed_long_kmh",
    "car_express_speed_kmh",
    "car_express_ramp_minutes",
)


def fit(
    landscape: Any,
    settings: Settings = DEFAULT_SETTINGS,
    *,
    data: str | Path | None = None,
) -> tuple[Settings, dict[str, Any]]:
    """Fit the speed constants and report the figures with the fitted values.

    The ambulance constants (local speeds, ``speed_half_km``, ``urban_speed_factor``, express
    speed and ramp minutes) minimise, averaged over the trip-length bands of
    :data:`SIREN_BANDS`, the median absolute percentage error plus the absolute median bias on
    the Utrecht siren matrix, so the long trips weigh as much as the many medium ones. The car
    constants (local and express speeds, ramp minutes; sharing the other two) then maximise
    the mean F1 score of "inside" on the 30-minute hospital and the 15-minute post polygons,
    which balances recall and precision (plain agreement is dominated by clear cases). The
    25-minute polygons are not fitted on: they check it. Nelder-Mead from a few starts; the
    network's edges do not depend on these constants, so it is built once.
    """
    reference = load_reference(landscape, data)
    network = build_network(landscape, settings)
    travel = settings.travel

    def with_values(base: TravelSettings, keys: tuple[str, ...], x: np.ndarray) -> TravelSettings:
        values: dict[str, Any] = {k: float(v) for k, v in zip(keys, x, strict=True)}
        return dataclasses.replace(base, **values)

    def siren_loss(x: np.ndarray) -> float:
        if np.any(x[:5] <= 0) or x[3] > 1.0 or x[5] < 0:  # urban edges are not faster
            return 1e9
        candidate = network.reweighted(with_values(travel, _AMBULANCE_KEYS, x))
        return _band_loss(*_siren_pairs(candidate, reference))

    # The median loss is rugged: Nelder-Mead from the current constants and from a fixed start.
    x0 = np.array([getattr(travel, k) for k in _AMBULANCE_KEYS], float)
    x0[3] = min(x0[3], 0.95)
    x0[5] = max(x0[5], 1.0)  # Nelder-Mead's first simplex needs room on every axis
    options = {"xatol": 0.05, "fatol": 1e-4, "maxiter": 400}
    runs = [
        minimize(siren_loss, x, method="Nelder-Mead", options=options)
        for x in (x0, np.array([37.0, 130.0, 7.0, 0.85, 110.0, 1.0]))
    ]
    best = min(runs, key=lambda r: float(r.fun))
    travel = with_values(travel, _AMBULANCE_KEYS, best.x)

    def car_loss(x: np.ndarray) -> float:
        if np.any(x[:3] <= 0) or x[3] < 0:
            return 1e9
        candidate = network.reweighted(with_values(travel, _CAR_KEYS, x))
        f30 = _agreement(candidate, reference.isochrones["isochrone30"], 30)["f1"]
        f15 = _agreement(candidate, reference.isochrones["isochrone15"], 15)["f1"]
        return -(f30 + f15) / 2

    # F1 is a step function of the speeds (with ~160,000 pairs a fine one): a few starts.
    current = np.array([getattr(travel, k) for k in _CAR_KEYS], float)
    current[3] = max(current[3], 1.0)
    starts = [current, np.array([40.0, 60.0, 100.0, 8.0])]
    options = {"xatol": 0.2, "fatol": 1e-5, "maxiter": 150}
    results = [minimize(car_loss, x, method="Nelder-Mead", options=options) for x in starts]
    car = min(results, key=lambda r: float(r.fun))
    travel = with_values(travel, _CAR_KEYS, car.x)
    fitted = dataclasses.replace(settings, travel=travel)
    report = calibration_report(
        landscape, fitted, network=network.reweighted(travel), reference=reference
    )
    return fitted, report
