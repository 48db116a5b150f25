"""Calibration regimes of the RIVM 45-minute composite: fit each on RIVM's counts, then check it.

RIVM's reach model changed in 2021 (ambulance speeds re-measured, lower): before, about
33,000 inhabitants lay beyond 45 minutes of a 24/7 SEH and 10–11 SEHs were sensitive; after,
59,800 (2022) and 29 sensitive SEHs (2023). The tool carries both as named regimes
(:data:`zorglandschap.settings.REGIMES`), each two parameters of the composite: the fixed
minutes (dispatch and on scene) and a factor on every ambulance driving speed.

:func:`fit_regime` fits a regime's free parameter on its *targets* (RIVM's counts beyond 45
minutes) and then computes its *checks* (other published figures: the sensitive counts, the
counts of another year), which it was not fitted on. The model's figure for a RIVM count is
computed the way RIVM counts: only 24/7 SEHs, posts staffed at night (the ``night`` block),
on the site state of the figure's date (:func:`dated_state`).

The fit searches on the composite matrices directly (fast, no disk cache); the figures it
reports at the fitted parameters come from :func:`zorglandschap.access.reach` and
:func:`zorglandschap.access.sensitive_sites`, the same path every command takes (a test checks
that both give the same counts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from zorglandschap.access import open_sites, reach, sensitive_sites, staffed_posts
from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.state import SiteState, baseline_state
from zorglandschap.result import dumps, json_number, json_records
from zorglandschap.settings import (
    DEFAULT_SETTINGS,
    REGIMES,
    CalibrationRegime,
    RivmFigure,
    Settings,
)
from zorglandschap.travel import composite_minutes
from zorglandschap.vocab import REGIME_NAMES, RIVM_MEASURES, RivmMeasure, Service

#: The block in which the model counts like RIVM: only 24/7 SEHs, the posts staffed at night.
RIVM_BLOCK = "night"

#: Grid of the fixed minutes searched (minutes): 0 to 30 in steps of 0.25.
FIXED_GRID = np.round(np.arange(0.0, 30.0 + 0.125, 0.25), 4)
#: Coarse and fine grids of the speed factor searched: 0.80-1.05 by 0.01, then ±0.01 by 0.001.
FACTOR_COARSE = np.round(np.arange(0.80, 1.05 + 0.005, 0.01), 4)
FACTOR_FINE_STEP = 0.001

#: Change kinds of ``sites.changes_2019_2025`` and what each sets (regions/build.py).
_CHANGE_EFFECTS: dict[str, tuple[str, Any]] = {
    "seh_closed": ("seh", "none"),
    "seh_to_limited_hours": ("seh", "limited"),
    "av_closed": ("av", False),
    "av_opened": ("av", True),
}


def dated_state(landscape: Landscape, date: str) -> SiteState:
    """The sites as on ``date`` (ISO ``YYYY-MM-DD``): the 2019 list with every dated change
    up to that day applied (``regions/site_changes_2019_2025.csv``, kept per site in
    ``sites.changes_2019_2025``). A change dated by month only counts from the 1st.

    >>> from zorglandschap.landscape import load_landscape
    >>> nl = load_landscape()
    >>> s = dated_state(nl, "2023-03-01").services
    >>> int((s["seh"] == "24/7").sum()), int(s["av"].sum())
    (80, 72)
    """
    services = baseline_state(landscape, 2019).services.copy()
    for site_id, log in landscape.sites["changes_2019_2025"].items():
        if not isinstance(log, str) or not log.strip():
            continue
        for entry in log.split(";"):
            when, change = entry.split()
            if len(when) == 7:  # YYYY-MM
                when += "-01"
            if when <= date and change in _CHANGE_EFFECTS:
                column, value = _CHANGE_EFFECTS[change]
                services.at[site_id, column] = value
    return SiteState(name=date, services=services)


def _service(measure: RivmMeasure) -> Service:
    return "seh" if measure.endswith("seh") else "av"


def regime_settings(
    name: str, settings: Settings = DEFAULT_SETTINGS, **parameters: float
) -> Settings:
    """``settings`` in regime ``name``, with optional ``fixed_minutes`` / ``speed_factor``."""
    if name not in REGIMES:
        raise ScenarioError(f"Unknown regime {name!r}; valid: {', '.join(REGIME_NAMES)}.")
    travel: dict[str, Any] = {"regime": name}
    if "fixed_minutes" in parameters:
        travel["composite_fixed_minutes"] = float(parameters["fixed_minutes"])
    if "speed_factor" in parameters:
        travel["composite_speed_factor"] = float(parameters["speed_factor"])
    return settings.replace(travel=travel)


def model_figure(landscape: Landscape, measure: RivmMeasure, date: str, settings: Settings) -> int:
    """The model's figure for a RIVM measure on the sites of ``date`` (night block).

    ``beyond_*``: inhabitants beyond the norm; ``sensitive_*``: the number of open sites whose
    closure alone pushes at least one inhabitant beyond it.
    """
    result = reach(
        landscape,
        dated_state(landscape, date),
        service=_service(measure),
        block=RIVM_BLOCK,
        settings=settings,
    )
    if measure.startswith("beyond"):
        return int(result.summary()["beyond"])
    return int((sensitive_sites(result)["extra_beyond"] > 0).sum())


@dataclass(frozen=True)
class _DriveTimes:
    """Composite minutes without the fixed minutes: nearest and second-nearest open site."""

    t1: np.ndarray
    t2: np.ndarray
    first: np.ndarray
    population: np.ndarray

    def beyond(self, fixed: float, norm: float) -> float:
        return float(self.population[self.t1 + fixed > norm].sum())

    def sensitive(self, fixed: float, norm: float) -> int:
        pushed = (self.t1 + fixed <= norm) & (self.t2 + fixed > norm) & (self.population > 0)
        extra = pd.Series(self.population[pushed]).groupby(self.first[pushed]).sum()
        return int((extra.round() > 0).sum())


def _drive_times(
    landscape: Landscape,
    figures: tuple[RivmFigure, ...],
    factor: float,
    settings: Settings,
) -> dict[RivmFigure, _DriveTimes]:
    """The composite at 0 fixed minutes and speed ``factor`` for each figure's sites.

    One composite (without the disk cache) over every site open for any of the figures; each
    figure then takes the columns of its own open sites (the posts are those of one block).
    """
    zero = regime_settings(settings.travel.regime, settings, fixed_minutes=0.0, speed_factor=factor)
    wanted = {
        f: [
            s
            for s in open_sites(
                dated_state(landscape, f.state_date),
                service=_service(f.measure),
                block=RIVM_BLOCK,
                settings=zero,
            )
            if s in landscape.sites.index
        ]
        for f in figures
    }
    union = sorted({s for sites in wanted.values() for s in sites})
    posts = staffed_posts(landscape, block=RIVM_BLOCK, settings=zero)
    matrix = composite_minutes(
        landscape, site_ids=union, post_ids=posts, settings=zero, cache=False
    ).reindex(index=landscape.pc4.index.astype(str))
    population = landscape.pc4["population"].to_numpy(float)
    out = {}
    for figure, sites in wanted.items():
        values = matrix[sites].to_numpy(float)
        order = np.argsort(values, axis=1, kind="stable")
        rows = np.arange(len(values))
        several = values.shape[1] > 1
        out[figure] = _DriveTimes(
            t1=values[rows, order[:, 0]],
            t2=values[rows, order[:, 1]] if several else np.full(len(values), np.inf),
            first=np.asarray(sites, dtype=object)[order[:, 0]],
            population=population,
        )
    return out


def _middle_of_best(loss: np.ndarray) -> int:
    """Position of the middle of the first run of grid values with the lowest loss."""
    best = np.flatnonzero(np.isclose(loss, loss.min(), rtol=0, atol=1e-12))
    run = best[: np.argmax(np.diff(np.append(best, best[-1] + 2)) > 1) + 1]
    return int(run[len(run) // 2])


def _loss(counts: dict[RivmFigure, float]) -> float:
    """Largest relative error of the model counts against their RIVM figures."""
    return max(abs(model / target.value - 1.0) for target, model in counts.items())


@dataclass(frozen=True)
class RegimeFit:
    """A regime fitted on its targets and checked against its other figures.

    Follows the result contract (:mod:`zorglandschap.result`).
    """

    regime: CalibrationRegime
    fixed_minutes: float
    speed_factor: float
    figures: pd.DataFrame
    curve: pd.DataFrame
    settings: Settings = field(repr=False)

    @property
    def state_name(self) -> str:
        """The site states the figures describe (dates)."""
        return ", ".join(sorted(set(self.figures["state_date"])))

    def measure(self, measure: RivmMeasure) -> dict[str, Any]:
        """The model's figure for ``measure`` next to RIVM's (the regime's first such figure)."""
        rows = self.figures[self.figures["measure"] == measure]
        row = rows.iloc[0]
        return {
            "model": int(row["model"]),
            "rivm": json_number(row["rivm"]),
            "error": json_number(row["error"]),
            "error_pct": json_number(row["error_pct"], 1),
            "state_date": row["state_date"],
            "role": row["role"],
            "within_tolerance": None if row["role"] == "target" else bool(row["within"]),
        }

    def summary(self) -> dict[str, Any]:
        """Fitted parameters, the stored ones, and the four RIVM measures side by side."""
        stored = {
            "fixed_minutes": self.regime.fixed_minutes,
            "ambulance_speed_factor": self.regime.ambulance_speed_factor,
        }
        return {
            "regime": self.regime.name,
            "description": self.regime.description,
            "fitted": list(self.regime.fitted),
            "fixed_minutes": json_number(self.fixed_minutes),
            "ambulance_speed_factor": json_number(self.speed_factor),
            "settings": stored,
            "matches_settings": bool(
                np.isclose(self.fixed_minutes, stored["fixed_minutes"])
                and np.isclose(self.speed_factor, stored["ambulance_speed_factor"])
            ),
            "block": RIVM_BLOCK,
            **{m: self.measure(m) for m in RIVM_MEASURES},
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        """``figures`` (every target and check) and ``curve`` (the search of the fit)."""
        return {"figures": self.figures, "curve": self.curve}

    def to_json(self) -> str:
        """Summary plus every figure (``figures``), as stable JSON."""
        payload = {**self.summary(), "figures": json_records(self.figures)}
        return dumps(payload)


def _fit_fixed(
    landscape: Landscape, regime: CalibrationRegime, settings: Settings, norm: float
) -> tuple[float, float, pd.DataFrame]:
    """Fit the fixed minutes (speed factor given): exact, from one composite per target."""
    factor = regime.ambulance_speed_factor
    times = _drive_times(landscape, regime.targets, factor, settings)
    counts = {t: np.array([times[t].beyond(f, norm) for f in FIXED_GRID]) for t in times}
    loss = np.array([_loss({t: counts[t][i] for t in counts}) for i in range(len(FIXED_GRID))])
    best = _middle_of_best(loss)
    curve = pd.DataFrame(
        {f"{t.measure}_{t.state_date}": np.round(c).astype(int) for t, c in counts.items()},
        index=pd.Index(FIXED_GRID, name="fixed_minutes"),
    )
    curve["max_rel_error"] = np.round(loss, 4)
    return float(FIXED_GRID[best]), factor, curve


def _fit_factor(
    landscape: Landscape, regime: CalibrationRegime, settings: Settings, norm: float
) -> tuple[float, float, pd.DataFrame]:
    """Fit the speed factor (fixed minutes given): a coarse grid, then a fine one."""
    fixed = regime.fixed_minutes
    rows: dict[float, dict[str, float]] = {}

    def evaluate(factor: float) -> None:
        if factor in rows:
            return
        times = _drive_times(landscape, regime.targets, factor, settings)
        counts = {t: times[t].beyond(fixed, norm) for t in regime.targets}
        rows[factor] = {
            **{f"{t.measure}_{t.state_date}": c for t, c in counts.items()},
            "max_rel_error": _loss(counts),
        }

    for factor in FACTOR_COARSE:
        evaluate(float(factor))
    coarse = pd.DataFrame.from_dict(rows, orient="index").sort_index()
    centre = float(coarse.index[_middle_of_best(coarse["max_rel_error"].to_numpy())])
    for factor in np.round(np.arange(centre - 0.01, centre + 0.01 + 1e-9, FACTOR_FINE_STEP), 4):
        evaluate(float(factor))
    curve = pd.DataFrame.from_dict(rows, orient="index").sort_index()
    curve.index.name = "ambulance_speed_factor"
    best = _middle_of_best(curve["max_rel_error"].to_numpy())
    curve["max_rel_error"] = curve["max_rel_error"].round(4)
    curve = curve.astype({c: int for c in curve.columns if c != "max_rel_error"})
    return fixed, float(curve.index[best]), curve


def _figures(landscape: Landscape, regime: CalibrationRegime, settings: Settings) -> pd.DataFrame:
    """Every target and check of the regime: RIVM's figure, the model's, the error."""
    rows = []
    wanted = [("target", t) for t in regime.targets] + [("check", c) for c in regime.checks]
    # a measure RIVM gives no figure for in this regime is still reported (rivm empty)
    main_date = regime.targets[0].state_date
    for measure in RIVM_MEASURES:
        if not any(f.measure == measure for _, f in wanted):
            wanted.append(("model only", RivmFigure(measure, float("nan"), main_date, "")))
    for role, figure in wanted:
        model = model_figure(landscape, figure.measure, figure.state_date, settings)
        error = model - figure.value
        rows.append(
            {
                "measure": figure.measure,
                "role": role,
                "state_date": figure.state_date,
                "rivm": figure.value,
                "model": model,
                "error": error,
                "error_pct": 100.0 * error / figure.value if figure.value else float("nan"),
                "tolerance": figure.tolerance if role == "check" else float("nan"),
                "within": bool(abs(error) <= figure.tolerance) if role == "check" else False,
                "source": figure.source,
            }
        )
    return pd.DataFrame(rows)


def fit_regime(
    landscape: Landscape, name: str, *, settings: Settings = DEFAULT_SETTINGS
) -> RegimeFit:
    """Fit regime ``name`` on its targets, then compute every target and check at the fit.

    The regime's free parameter (``CalibrationRegime.fitted``) is chosen on a grid to
    minimise the largest relative error against the targets; where several grid values tie
    (the counts are step functions: whole PC4 areas cross the norm together), the middle of
    the first tied run. The other parameter keeps the regime's value.

    Parameters
    ----------
    landscape
        The embedded Netherlands (the RIVM counts are national).
    name
        ``"rivm2019"`` or ``"rivm2022"``.
    settings
        The other constants (the travel network's speeds, the norm).

    Raises
    ------
    ScenarioError
        If ``name`` is not a regime.
    """
    if name not in REGIMES:
        raise ScenarioError(f"Unknown regime {name!r}; valid: {', '.join(REGIME_NAMES)}.")
    regime = REGIMES[name]
    base = regime_settings(name, settings)
    norm = base.access.norm_minutes
    if regime.fitted == ("fixed_minutes",):
        fixed, factor, curve = _fit_fixed(landscape, regime, base, norm)
    else:
        fixed, factor, curve = _fit_factor(landscape, regime, base, norm)
    fitted = regime_settings(name, base, fixed_minutes=fixed, speed_factor=factor)
    figures = _figures(landscape, regime, fitted)
    return RegimeFit(
        regime=regime,
        fixed_minutes=fixed,
        speed_factor=factor,
        figures=figures,
        curve=curve,
        settings=fitted,
    )


__all__ = [
    "RIVM_BLOCK",
    "RegimeFit",
    "dated_state",
    "fit_regime",
    "model_figure",
    "regime_settings",
]
