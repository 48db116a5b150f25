"""The result of a scenario run, :class:`ScenarioRun` (the result contract), and its tables.

A run (:func:`zorglandschap.report.run.run_scenario`) holds, per service and time block, the
scenario's reach and its baseline's (:class:`ReachPair`), the sensitive sites
(:class:`SensitivityPair`), the concentration plan, the population counted
(:class:`Population`), and the data and software versions.

Every table is a plain DataFrame with a stable name; the CSV files, the workbook's sheets and
the GeoPackage's attributes are these tables:

- ``indicators``: per service, block and area (``all``, and the ``[reach] region``): open
  sites, inhabitants, people beyond the norm, share within, mean / P90 / max minutes — each
  with its baseline value and the change (scenario − baseline);
- ``site_changes``: the sites the scenario changes, with their services before and after;
- ``<service>_<block>_<layer>``: the same indicators per region of each ``[reach] by`` layer;
- ``sensitive_<service>_<block>``: per open site, the extra people beyond the norm if it alone
  closes, in the scenario and in the baseline, and where they live;
- ``plan_sites``, ``plan_flows``, ``plan_indicators`` (``plan_detail_indicators``): the
  concentration plan (:class:`~zorglandschap.optimise.ConcentrationResult`);
- ``spreading_blocks``, ``spreading_sites``, ... (:data:`~zorglandschap.report.spreading.
  SPREADING_TABLES`): the spreading plan (:mod:`zorglandschap.report.spreading`);
- ``demand``: per PC4 area, the inhabitants and, per reach, the minutes to the nearest open
  site and its id, in the scenario and the baseline, and the minutes added (and, with a
  spreading plan, the minutes today and with the plan per decided block).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from zorglandschap.access import Reach, Sensitivity
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.state import SiteState
from zorglandschap.report.provenance import settings_changes, settings_payload
from zorglandschap.report.region import RegionView, region_reach
from zorglandschap.report.spreading import (
    SPREADING_TABLES,
    spreading_assumption,
    spreading_demand,
    spreading_summary,
    spreading_tables,
)
from zorglandschap.result import dumps, json_number, json_records
from zorglandschap.scenario import Scenario
from zorglandschap.scenario.access import ReachQuestion
from zorglandschap.settings import Settings, composite_parameters
from zorglandschap.travel import source_label

if TYPE_CHECKING:
    from zorglandschap.optimise import ConcentrationResult
    from zorglandschap.optimise.spreading import SpreadingResult

__all__ = [
    "INDICATORS",
    "RUN_FORMAT",
    "Population",
    "ReachPair",
    "ScenarioRun",
    "SensitivityPair",
    "compared",
    "run_summary",
    "run_tables",
    "tables_payload",
]

#: The version of the run JSON's layout.
RUN_FORMAT = "zorglandschap.run/1"
#: Decimals of a difference in minutes (as the minutes themselves).
_MINUTES = 1


@dataclass(frozen=True)
class ReachPair:
    """One service and block: the scenario's reach and its baseline's."""

    after: Reach
    before: Reach

    @property
    def key(self) -> str:
        """``<service>_<block>``, the stem of its table names."""
        return f"{self.after.service}_{self.after.block}"


@dataclass(frozen=True)
class SensitivityPair:
    """Sensitive sites of one service and block, in the scenario and in its baseline."""

    after: Sensitivity
    before: Sensitivity

    @property
    def key(self) -> str:
        """``<service>_<block>``."""
        return f"{self.after.reach.service}_{self.after.reach.block}"


@dataclass(frozen=True)
class Population:
    """The population counted: the data's year and total, and the scaling applied."""

    data_year: int
    data_total: float
    year: int
    growth: float | None
    factor: float

    @property
    def total(self) -> float:
        """The national population counted."""
        return self.data_total * self.factor

    def payload(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "data_year": self.data_year,
            "data_total": int(round(self.data_total)),
            "year": self.year,
            "growth": json_number(self.growth),
            "factor": json_number(self.factor),
            "total": int(round(self.total)),
        }

    def assumption(self) -> str | None:
        """The scaling in words, or None when the data's population is counted as it is."""
        if self.factor == 1.0:
            return None
        how = (
            f"by the growth factor {self.factor:g}"
            if self.growth is not None
            else f"by {self.factor:.4f} to CBS's national total of {self.total:,.0f} on 1 "
            f"January {self.year}"
        )
        return (
            f"Population: the {self.data_year} PC4 population ({self.data_total:,.0f}) is scaled "
            f"{how}; every area keeps its {self.data_year} share and age profile (assumption). "
            f"Travel times use the {self.data_year} densities the network's speeds were "
            "calibrated on; complex-care demand is not scaled (its national volume is a count of "
            "its own year: use [concentration] scale for growth)."
        )


@dataclass(frozen=True)
class ScenarioRun:
    """Everything one scenario asks, computed (a result, see :mod:`zorglandschap.result`).

    Attributes
    ----------
    scenario
        The scenario as read (its state, settings, questions and tables).
    file
        The scenario file as given.
    landscape
        The landscape with the population counted (scaled to the scenario's population year;
        travel times were computed on the data's own population).
    baseline
        The baseline year's site state.
    population
        The population counted.
    reach_question
        The ``[reach]`` question answered (the file's, or the default), or None.
    reaches, sensitivities
        Per service and block: the scenario and its baseline.
    concentration
        The ``[concentration]`` plan, when asked.
    region
        The region the maps and figures show (``[reach] region``), or None.
    data, software
        The data versions and software versions it was computed with.
    spreading
        The ``[spreading]`` plan, when asked (on the data's population, as ``spread``).
    timing
        Wall seconds per step (kept out of :meth:`to_json`).
    """

    scenario: Scenario
    file: str
    landscape: Landscape
    baseline: SiteState
    population: Population
    reach_question: ReachQuestion | None
    reaches: tuple[ReachPair, ...]
    sensitivities: tuple[SensitivityPair, ...]
    concentration: ConcentrationResult | None
    region: RegionView | None
    data: dict[str, Any]
    software: dict[str, str]
    spreading: SpreadingResult | None = None
    timing: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def settings(self) -> Settings:
        """The scenario's settings."""
        return self.scenario.settings

    @property
    def state_name(self) -> str:
        """The scenario's name."""
        return self.scenario.state.name

    @property
    def stem(self) -> str:
        """The scenario file's name without ``.toml``."""
        return Path(self.file).stem

    def summary(self) -> dict[str, Any]:
        """Per reach, sensitivity and plan: the headline figures against the baseline."""
        return run_summary(self)

    def tables(self) -> dict[str, Any]:
        """Every table, by a stable name (see the module docstring)."""
        return run_tables(self)

    def assumptions(self) -> list[str]:
        """The assumptions behind the figures, in words."""
        access = self.settings.access
        travel = self.settings.travel
        fixed, speed = composite_parameters(travel)
        user = self.scenario.travel
        drive = (
            f"ambulance speeds x {speed:g}"
            if user is None
            else f"drive minutes from {source_label(user)} (the speed factor is not applied)"
        )
        lines = [
            f"Reach: RIVM composite time = drive from the nearest staffed ambulance post to the "
            f"PC4 area + {fixed:g} fixed minutes (dispatch, on scene) + drive to the nearest "
            f"open SEH, {drive}, in the {travel.regime} calibration regime "
            f"(docs/access.md); norm {access.norm_minutes:g} minutes.",
            "A limited-hours SEH counts in its own opening blocks (its published hours, "
            "settings.access.site_opening_blocks; else "
            f"{', '.join(access.limited_hours_blocks)}); a spoedpost takes no ambulances and "
            "never counts.",
            f"Baseline: the {self.scenario.baseline} sites with the default settings and the "
            f"{self.population.data_year} population.",
        ]
        scaled = self.population.assumption()
        if scaled:
            lines.append(scaled)
        if self.concentration is not None:
            lines.append(
                "Complex-care demand: the norms table's national volume, spread over PC4 areas by "
                "age-weighted population share (docs/concentration.md); travel by car."
            )
        if self.spreading is not None:
            lines.append(spreading_assumption(self.spreading, self.settings))
        return lines

    def payload(self) -> dict[str, Any]:
        """The run as JSON-ready data (stable keys; no wall times)."""
        spec = self.scenario
        plan = None
        if self.concentration is not None:
            plan = {
                k: v
                for k, v in self.concentration.to_dict().items()
                if k not in ("seconds", "build_seconds", "solve_log", "timing")
            }
        return {
            "format": RUN_FORMAT,
            "scenario": {
                "file": self.file,
                "name": spec.name,
                "description": spec.description,
                "baseline": spec.baseline,
                "population_year": spec.population_year,
                "population_growth": json_number(spec.population_growth),
                "tables": spec.tables,
            },
            "software": self.software,
            "data": self.data,
            "population": self.population.payload(),
            "settings": settings_payload(self.settings),
            "settings_changed": settings_changes(self.settings),
            "assumptions": self.assumptions(),
            "region": None if self.region is None else self.region.label,
            "summary": self.summary(),
            "tables": tables_payload(self.tables()),
            "concentration": plan,
            "spreading": None if self.spreading is None else self.spreading.payload(),
        }

    def to_json(self) -> str:
        """:meth:`payload` as stable JSON text."""
        return dumps(self.payload())

    def timing_json(self) -> str:
        """Wall seconds per step, and the solver's own log of the plan (with its times)."""
        payload: dict[str, Any] = {
            "steps": [{"step": k, "seconds": round(v, 3)} for k, v in self.timing.items()],
            "total_seconds": round(sum(self.timing.values()), 3),
        }
        if self.concentration is not None:
            d = self.concentration.to_dict()
            timing = {k: d[k] for k in ("seconds", "build_seconds", "solve_log") if k in d}
            payload["concentration"] = {**timing, **d.get("timing", {})}
        if self.spreading is not None:
            payload["spreading"] = self.spreading.timing()
        return dumps(payload)


#: The reach indicators compared with the baseline, and the decimals of their change.
INDICATORS: dict[str, int] = {
    "open_sites": 0,
    "population": 0,
    "beyond": 0,
    "share_within": 5,
    "mean_minutes": 1,
    "p90_minutes": 1,
    "max_minutes": 1,
}
#: Tables left out of the run's JSON: large, and in their CSV file (or in ``concentration``
#: and ``spreading``).
_CSV_ONLY = (
    "demand",
    "plan_sites",
    "plan_flows",
    "plan_indicators",
    "plan_detail_indicators",
    *SPREADING_TABLES,
)


def _change(after: Any, before: Any, decimals: int) -> Any:
    if after is None or before is None:
        return None
    if decimals == 0:
        return int(after) - int(before)
    return round(float(after) - float(before), decimals)


def compared(after: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    """Each indicator of :data:`INDICATORS` with its ``_baseline`` value and its ``_change``."""
    row: dict[str, Any] = {}
    for key, decimals in INDICATORS.items():
        row[key] = after.get(key)
        row[f"{key}_baseline"] = before.get(key)
        row[f"{key}_change"] = _change(after.get(key), before.get(key), decimals)
    return row


def _indicator_rows(run: ScenarioRun) -> list[dict[str, Any]]:
    rows = []
    for pair in run.reaches:
        areas: list[tuple[str, Reach, Reach]] = [("all", pair.after, pair.before)]
        if run.region is not None:
            view = run.region
            areas.append(
                (view.label, region_reach(pair.after, view), region_reach(pair.before, view))
            )
        for area, after, before in areas:
            a, b = after.summary(), before.summary()
            a["open_sites"], b["open_sites"] = (
                len(pair.after.open_site_ids),
                len(pair.before.open_site_ids),
            )
            rows.append(
                {"service": pair.after.service, "block": pair.after.block, "area": area}
                | compared(a, b)
            )
    return rows


def _by_region(pair: ReachPair, layer: Any) -> pd.DataFrame:
    after, before = pair.after.by_region(layer), pair.before.by_region(layer)
    out = pd.DataFrame(index=after.index)
    if "name" in after:
        out["name"] = after["name"]
    for key, decimals in INDICATORS.items():
        if key == "open_sites":
            continue
        one, two = after[key], before[key].reindex(after.index)
        out[key] = one
        out[f"{key}_baseline"] = two
        out[f"{key}_change"] = [
            _change(None if pd.isna(x) else x, None if pd.isna(y) else y, decimals)
            for x, y in zip(one, two, strict=True)
        ]
    return out


def _site_changes(run: ScenarioRun) -> pd.DataFrame:
    after, before = (
        run.scenario.state.services,
        run.baseline.services.reindex(run.scenario.state.services.index),
    )
    changed = (after != before).any(axis=1)
    sites = run.landscape.sites
    notes = {
        str(e.get("id")): str(e.get("note", ""))
        for e in run.scenario.tables.get("site", [])
        if isinstance(e, dict)
    }
    rows = [
        {
            "site_id": site_id,
            "name": sites.at[site_id, "name"] if site_id in sites.index else "",
            "roaz": sites.at[site_id, "roaz"] if site_id in sites.index else "",
            "seh_baseline": before.at[site_id, "seh"],
            "seh": after.at[site_id, "seh"],
            "av_baseline": bool(before.at[site_id, "av"]),
            "av": bool(after.at[site_id, "av"]),
            "nicu_baseline": bool(before.at[site_id, "nicu"]),
            "nicu": bool(after.at[site_id, "nicu"]),
            "note": notes.get(str(site_id), ""),
        }
        for site_id in after.index[changed]
    ]
    columns = ["site_id", "name", "roaz", "seh_baseline", "seh", "av_baseline", "av"]
    columns += ["nicu_baseline", "nicu", "note"]
    return pd.DataFrame(rows, columns=columns)


def _sensitive(pair: SensitivityPair) -> pd.DataFrame:
    sites = pair.after.sites
    base = pair.before.sites["extra_beyond"]
    return pd.DataFrame(
        {
            "name": sites["name"],
            "extra_beyond": sites["extra_beyond"],
            "extra_beyond_baseline": base.reindex(sites.index).astype("Int64"),
            "where": [
                "; ".join(f"{n} {v:,}" for n, v in where.items())
                for where in sites["municipalities"]
            ],
        },
        index=sites.index,
    )


def _demand(run: ScenarioRun) -> pd.DataFrame:
    pc4 = run.landscape.pc4
    frame = pd.DataFrame(
        {
            "gemeentecode": pc4["gemeentecode"],
            "municipality": pc4["gemeentecode"].map(run.landscape.municipalities["name"]),
            "population": pc4["population"],
        },
        index=pc4.index,
    )
    if run.reaches and run.population.factor != 1.0:
        frame["population_baseline"] = run.reaches[0].before.points["population"]
    for pair in run.reaches:
        after, before = pair.after.points, pair.before.points
        frame[f"{pair.key}_minutes"] = after["minutes"]
        frame[f"{pair.key}_site_id"] = after["site_id"]
        frame[f"{pair.key}_minutes_baseline"] = before["minutes"]
        added = after["minutes"] - before["minutes"]
        frame[f"{pair.key}_added_minutes"] = added.where(np.isfinite(added), np.nan)
    if run.spreading is not None:
        frame = frame.join(spreading_demand(run.spreading))
    frame.index.name = "pc4"
    return frame


def run_tables(run: ScenarioRun) -> dict[str, pd.DataFrame]:
    """Every table of the run, by name (see the module docstring), in reading order."""
    tables: dict[str, pd.DataFrame] = {}
    if run.reaches:
        tables["indicators"] = pd.DataFrame(_indicator_rows(run))
    tables["site_changes"] = _site_changes(run)
    layers = [] if run.reach_question is None else run.reach_question.by
    for pair in run.reaches:
        for layer in layers:
            tables[f"{pair.key}_{layer}"] = _by_region(pair, layer)
    for sensitive in run.sensitivities:
        tables[f"sensitive_{sensitive.key}"] = _sensitive(sensitive)
    plan = run.concentration
    if plan is not None:
        tables["plan_sites"] = plan.sites
        tables["plan_flows"] = plan.flows
        tables["plan_indicators"] = plan.indicators
        if plan.detail_indicators is not None:
            tables["plan_detail_indicators"] = plan.detail_indicators
    if run.spreading is not None:
        tables |= spreading_tables(run.spreading)
    tables["demand"] = _demand(run)
    return tables


def tables_payload(tables: dict[str, pd.DataFrame]) -> dict[str, list[dict[str, Any]]]:
    """The tables for the run's JSON (the large ones are in their CSV files only)."""
    out = {}
    for name, frame in tables.items():
        if name in _CSV_ONLY:
            continue
        named = any(n is not None for n in frame.index.names)
        out[name] = json_records(frame.reset_index() if named else frame)
    return out


def _plan_summary(run: ScenarioRun) -> dict[str, Any] | None:
    plan = run.concentration
    if plan is None:
        return None
    d = plan.to_dict()
    offers = plan.sites[plan.sites["offers"].astype(bool)]
    below = offers[offers["volume"] < offers["norm"] - 1e-6]
    return {
        "status": d["status"],
        "gap": d["gap"],
        "interventions": d["interventions"],
        "sites": len(plan.offering()),
        "sites_today": plan.sites.loc[plan.sites["baseline"].astype(bool), "site_id"].nunique(),
        "stops": sum(c["change"] == "stops" for c in d["changes"]),
        "starts": sum(c["change"] == "starts" for c in d["changes"]),
        "below_norm": len(below),
        "mean_minutes": json_number(d.get("mean_minutes"), 1),
        "p90_minutes": json_number(d.get("p90_minutes"), 1),
        "max_minutes": json_number(d.get("max_minutes"), 1),
    }


def run_summary(run: ScenarioRun) -> dict[str, Any]:
    """The headline figures: per reach (all areas) and sensitivity against the baseline, and
    the plan's status, sites, changes and travel."""
    sensitive = []
    for pair in run.sensitivities:
        after, before = pair.after.summary(), pair.before.summary()
        top = pair.after.sites.head(1)
        sensitive.append(
            {
                "service": pair.after.reach.service,
                "block": pair.after.reach.block,
                "sensitive": after["sensitive"],
                "sensitive_baseline": before["sensitive"],
                "max_extra_beyond": after["max_extra_beyond"],
                "most_sensitive": str(top.index[0]) if len(top) and after["sensitive"] else None,
            }
        )
    return {
        "scenario": run.scenario.name,
        "file": run.file,
        "baseline": run.scenario.baseline,
        "population": int(round(run.population.total)),
        "site_changes": int((_site_changes(run)["site_id"]).size),
        "reach": [row for row in _indicator_rows(run) if row["area"] == "all"],
        "sensitivity": sensitive,
        "concentration": _plan_summary(run),
        "spreading": None if run.spreading is None else spreading_summary(run.spreading),
    }
