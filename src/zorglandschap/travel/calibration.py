"""Calibrate and check the default travel network against real travel times.

The references (the Utrecht siren matrix, the 25/30-minute hospital and 15-minute post car
polygons) are read by :mod:`zorglandschap.travel.reference`.

:func:`calibration_report` computes the error figures for given settings; :func:`fit` searches
the speed constants (ambulance on the siren matrix, car on the 30- and 15-minute polygons) and reports
the figures on all three references. The method and the results are in docs/travel.md.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from zorglandschap.settings import DEFAULT_SETTINGS, Settings, TravelSettings
from zorglandschap.travel.network import TravelNetwork, build_network
from zorglandschap.travel.reference import Reference, default_shared_data, load_reference
from zorglandschap.travel.sources import NetworkSource

#: Trip-length bands of the siren matrix (real minutes, lower bound inclusive): the fit weighs
#: each band equally, so the few long trips count as much as the many medium ones.
SIREN_BANDS: tuple[tuple[float, float], ...] = ((0, 10), (10, 20), (20, 30), (30, float("inf")))


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
    network: TravelNetwork,
    sets: list[tuple[str, np.ndarray, np.ndarray]],
    minutes: float,
    population: pd.Series | None = None,
) -> dict[str, float]:
    """How "model car time within ``minutes``" agrees with "inside the polygon".

    Per (centre, PC4) pair: agreement, recall, precision and F1 of "inside"; with
    ``population``, the same weighted by the PC4's inhabitants, and the inhabitants inside
    the polygons and within the limit by the model, summed over the centres.
    """
    source = NetworkSource(network)
    centres = [c for c, _, _ in sets]
    targets = sorted({t for _, ts, _ in sets for t in ts})
    column = {t: i for i, t in enumerate(targets)}
    matrix = source.minutes(centres, targets, profile="car")
    weight_of = (
        population.reindex(targets).fillna(0.0).to_numpy() if population is not None else None
    )
    agree = inside_total = both = model_in = total = 0
    pop = {"agree": 0.0, "total": 0.0, "inside": 0.0, "model": 0.0}
    for row, (_, ts, inside) in enumerate(sets):
        cols = [column[t] for t in ts]
        model = matrix[row, cols] <= minutes
        agree += int((model == inside).sum())
        total += len(ts)
        inside_total += int(inside.sum())
        model_in += int(model.sum())
        both += int((model & inside).sum())
        if weight_of is not None:
            weight = weight_of[cols]
            pop["agree"] += float(weight[model == inside].sum())
            pop["total"] += float(weight.sum())
            pop["inside"] += float(weight[inside].sum())
            pop["model"] += float(weight[model].sum())
    recall = both / inside_total if inside_total else float("nan")
    precision = both / model_in if model_in else float("nan")
    figures = {
        "agreement": agree / total if total else float("nan"),
        "recall": recall,
        "precision": precision,
        "f1": 2 * recall * precision / (recall + precision) if both else 0.0,
        "pairs": total,
    }
    if weight_of is not None:
        figures["population_agreement"] = (
            pop["agree"] / pop["total"] if pop["total"] else float("nan")
        )
        figures["population_inside"] = pop["inside"]
        figures["population_model_within"] = pop["model"]
    return figures


def av_beyond(
    network: TravelNetwork, reference: Reference, minutes: float = 30.0
) -> dict[str, float]:
    """Inhabitants beyond ``minutes`` by car from the nearest acute-obstetrics site (2019).

    ``polygons``: the PC4 points outside every 30-minute polygon of an AV site; ``model``:
    the PC4 points whose model car time to the nearest of those sites is more than
    ``minutes``; ``both``: beyond in both.
    """
    if reference.population is None or not reference.av_centres:
        return {}
    ids = list(reference.population.index)
    inside: set[str] = set()
    for centre, scored, flags in reference.isochrones["isochrone30"]:
        if centre in reference.av_centres:
            inside.update(scored[flags])
    polygon_beyond = np.array([i not in inside for i in ids])
    times = NetworkSource(network).minutes(ids, list(reference.av_centres), profile="car")
    model_beyond = times.min(axis=1) > minutes
    weight = reference.population.to_numpy(float)
    return {
        "polygons": float(weight[polygon_beyond].sum()),
        "model": float(weight[model_beyond].sum()),
        "both": float(weight[polygon_beyond & model_beyond].sum()),
        "sites": float(len(reference.av_centres)),
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
        :data:`SIREN_BANDS`), counts, and the constants used. Weighted by inhabitants:
        ``*_population_agreement``, ``*_population_inside`` (inhabitants inside the polygons,
        summed over the centres), ``*_population_model_within`` (within the limit by the
        model) and their ratio; ``av_beyond30_car_polygons`` / ``_model`` / ``_both``:
        inhabitants beyond 30 minutes by car from the nearest 2019 AV site, by the polygons and
        by the model (:func:`av_beyond`).
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
        figures = _agreement(network, reference.isochrones[name], minutes, reference.population)
        for key, value in figures.items():
            report[f"{name}_{key}"] = value if key == "pairs" else round(value, 4)
        if "population_inside" in figures:
            report[f"{name}_population_inside"] = int(round(figures["population_inside"]))
            report[f"{name}_population_model_within"] = int(
                round(figures["population_model_within"])
            )
            report[f"{name}_population_ratio"] = round(
                figures["population_model_within"] / figures["population_inside"], 4
            )
    beyond = av_beyond(network, reference)
    if beyond:
        report["av_beyond30_car_polygons"] = int(round(beyond["polygons"]))
        report["av_beyond30_car_model"] = int(round(beyond["model"]))
        report["av_beyond30_car_both"] = int(round(beyond["both"]))
    report.update(reference.unmatched)
    report["constants"] = dict(sorted(dataclasses.asdict(settings.travel).items()))
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
    "car_rural_speed_factor",
)

#: Weight of the population terms in the car fit, against the mean F1 (which is about 0.84).
#: Assumption: 0.15 per term lets a 10 % population error cost as much as 0.015 of F1.
CAR_POPULATION_WEIGHT = 0.15


def _with_values(base: TravelSettings, keys: tuple[str, ...], x: np.ndarray) -> TravelSettings:
    values: dict[str, Any] = {k: float(v) for k, v in zip(keys, x, strict=True)}
    return dataclasses.replace(base, **values)


def _fit_ambulance(
    network: TravelNetwork, reference: Reference, travel: TravelSettings
) -> TravelSettings:
    """The ambulance constants that minimise the band-averaged siren loss (:func:`fit`)."""

    def siren_loss(x: np.ndarray) -> float:
        if np.any(x[:5] <= 0) or x[3] > 1.0 or x[5] < 0:  # urban edges are not faster
            return 1e9
        candidate = network.reweighted(_with_values(travel, _AMBULANCE_KEYS, x))
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
    return _with_values(travel, _AMBULANCE_KEYS, best.x)


def car_loss(network: TravelNetwork, reference: Reference) -> float:
    """The car fit's loss: minus the mean F1 on the 30-minute hospital and 15-minute post
    polygons, plus :data:`CAR_POPULATION_WEIGHT` times the relative errors of (a) the
    inhabitants within 30 minutes (summed over the hospitals) and (b) the inhabitants beyond
    30 minutes from the nearest AV site."""
    a30 = _agreement(network, reference.isochrones["isochrone30"], 30, reference.population)
    a15 = _agreement(network, reference.isochrones["isochrone15"], 15)
    loss = -(a30["f1"] + a15["f1"]) / 2
    if "population_inside" in a30:
        beyond = av_beyond(network, reference)
        loss += CAR_POPULATION_WEIGHT * (
            abs(a30["population_model_within"] / a30["population_inside"] - 1)
            + abs(beyond["model"] / beyond["polygons"] - 1)
        )
    return loss


def _fit_car(
    network: TravelNetwork, reference: Reference, travel: TravelSettings
) -> TravelSettings:
    """The car constants that minimise :func:`car_loss` (local speeds with long >= short,
    express speed and ramp, rural factor between 0.5 and 1.5)."""

    def loss(x: np.ndarray) -> float:
        if np.any(x[:3] <= 0) or x[3] < 0 or x[1] < x[0] or not 0.5 <= x[4] <= 1.5:
            return 1e9
        return car_loss(network.reweighted(_with_values(travel, _CAR_KEYS, x)), reference)

    # F1 is a step function of the speeds (with ~160,000 pairs a fine one): a few starts.
    current = np.array([getattr(travel, k) for k in _CAR_KEYS], float)
    current[3] = max(current[3], 1.0)
    current[4] = min(current[4], 0.95)  # room for the first simplex below the upper bound
    starts = [current, np.array([40.0, 60.0, 100.0, 8.0, 0.9])]
    options = {"xatol": 0.05, "fatol": 1e-5, "maxiter": 200}
    results = [minimize(loss, x, method="Nelder-Mead", options=options) for x in starts]
    car = min(results, key=lambda r: float(r.fun))
    return _with_values(travel, _CAR_KEYS, car.x)


def fit(
    landscape: Any,
    settings: Settings = DEFAULT_SETTINGS,
    *,
    data: str | Path | None = None,
    profiles: tuple[str, ...] = ("ambulance", "car"),
) -> tuple[Settings, dict[str, Any]]:
    """Fit the speed constants of ``profiles`` and report the figures with the fitted values.

    The ambulance constants (local speeds, ``speed_half_km``, ``urban_speed_factor``, express
    speed and ramp minutes) minimise, averaged over the trip-length bands of
    :data:`SIREN_BANDS`, the median absolute percentage error plus the absolute median bias on
    the Utrecht siren matrix, so the long trips weigh as much as the many medium ones. The car
    constants (local and express speeds, ramp minutes, the rural factor; sharing
    ``speed_half_km`` and the urban factor) then minimise :func:`car_loss`: the mean F1 of
    "inside" on the 30-minute hospital and 15-minute post polygons (which balances recall and
    precision; plain agreement is dominated by clear cases) plus the population terms. The
    25-minute polygons are not fitted on: they check it. Nelder-Mead from a few starts; the
    network's edges do not depend on these constants, so it is built once.
    """
    reference = load_reference(landscape, data)
    network = build_network(landscape, settings)
    travel = settings.travel
    if "ambulance" in profiles:
        travel = _fit_ambulance(network, reference, travel)
    if "car" in profiles:
        travel = _fit_car(network, reference, travel)
    fitted = dataclasses.replace(settings, travel=travel)
    report = calibration_report(
        landscape, fitted, network=network.reweighted(travel), reference=reference
    )
    return fitted, report


__all__ = [
    "Reference",
    "calibration_report",
    "car_loss",
    "default_shared_data",
    "fit",
    "load_reference",
    "siren_by_band",
]
