"""Build a :class:`ConcentrationModel` from the embedded Netherlands.

Demand comes from :func:`zorglandschap.demand.intervention_demand` (national volume × age-weighted
population share), travel times from :mod:`zorglandschap.travel` (PC4 → site minutes), today's
providers from :mod:`zorglandschap.baseline`.

Demand resolution. Complex care has about 0.1–1 patient per PC4 per year, so the default is to
solve on **municipality** demand and report travel at both levels:

* the municipality's patients are the sum of its PC4s';
* its time to a site is the **patient-weighted mean** of its PC4s' times to that site (so the
  municipality objective equals the PC4 objective of the same plan whenever a municipality's
  patients all go to one site);
* the plan is then evaluated at PC4 level (``detail_indicators``): each PC4 follows its
  municipality's shares, with its own travel time. A PC4 can therefore lie beyond the maximum
  time even when its municipality's mean does not; the detail indicators show that honestly.

``demand="pc4"`` solves on PC4 demand directly (exact at the finer level, slower); the same
question on municipalities is attached as the model's ``coarse`` twin, whose plan starts the
PC4 solve (speed only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from zorglandschap.demand import aggregate_demand, intervention_demand, resolve_intervention
from zorglandschap.errors import DataError, ScenarioError
from zorglandschap.optimise.concentration.formulation import OBJECTIVES
from zorglandschap.optimise.concentration.model import ConcentrationModel
from zorglandschap.optimise.concentration.today import (
    BASELINE_VOLUME_COLUMNS,
    Eligibility,
    Today,
    candidate_sites,
    today_providers,
)
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.vocab import DEMAND_LEVELS, GUARANTEE_LAYERS

#: Region layers a guarantee can be set on: layer -> municipality column.
REGION_COLUMNS: dict[str, str] = {layer: layer for layer in GUARANTEE_LAYERS}


def _long_minutes(minutes: pd.DataFrame) -> pd.DataFrame:
    """Accept PC4 × site minutes wide (columns = site ids) or long (pc4, site_id, minutes)."""
    if {"site_id", "minutes"} <= set(minutes.columns):
        frame = minutes.reset_index() if "pc4" not in minutes.columns else minutes
        if "pc4" not in frame.columns:
            frame = frame.rename(columns={frame.columns[0]: "pc4"})
        out = frame[["pc4", "site_id", "minutes"]].copy()
    else:
        wide = minutes.copy()
        wide.index = wide.index.astype(str)
        wide.index.name = "pc4"
        out = wide.stack().rename("minutes").reset_index()
        out.columns = ["pc4", "site_id", "minutes"]
    out["pc4"] = out["pc4"].astype(str)
    out["site_id"] = out["site_id"].astype(str)
    out["minutes"] = out["minutes"].astype(float)
    return out[np.isfinite(out["minutes"])].reset_index(drop=True)


def pc4_site_minutes(
    landscape: Any, *, profile: str = "car", settings: Settings = DEFAULT_SETTINGS
) -> pd.DataFrame:
    """PC4 → site travel minutes (long: ``pc4, site_id, minutes``) from the travel module.

    Raises
    ------
    DataError
        If the travel module cannot provide the matrix.
    """
    try:
        from zorglandschap.travel import demand_site_minutes
    except ImportError as exc:  # pragma: no cover - depends on the travel module
        raise DataError(
            "zorglandschap.travel.demand_site_minutes is not available; pass travel_minutes= "
            "(a PC4 × site minutes table) instead."
        ) from exc
    return _long_minutes(demand_site_minutes(landscape, profile, settings=settings))


def municipality_pairs(
    pc4_pairs: pd.DataFrame, pc4_weight: pd.Series, pc4_to_municipality: pd.Series
) -> pd.DataFrame:
    """Municipality → site minutes: the weighted mean over the municipality's PC4s.

    Parameters
    ----------
    pc4_pairs
        Columns ``pc4, site_id, minutes``.
    pc4_weight
        Weight per PC4 (patients a year); PC4s with zero weight are ignored unless the whole
        municipality has zero weight (then an unweighted mean is used).
    pc4_to_municipality
        Municipality code per PC4.

    Examples
    --------
    >>> pairs = pd.DataFrame({"pc4": ["1", "2"], "site_id": ["S", "S"], "minutes": [10.0, 20.0]})
    >>> municipality_pairs(pairs, pd.Series({"1": 3.0, "2": 1.0}), pd.Series({"1": "G", "2": "G"}))
      demand_id site_id  minutes
    0         G       S     12.5
    """
    p = pc4_pairs.copy()
    p["mun"] = p["pc4"].map(pc4_to_municipality)
    p = p.dropna(subset=["mun"])
    w = p["pc4"].map(pc4_weight).fillna(0.0).to_numpy(float)
    p["w"] = w
    p["wt"] = w * p["minutes"].to_numpy(float)
    g = p.groupby(["mun", "site_id"], sort=True)
    agg = g[["w", "wt"]].sum()
    plain = g["minutes"].mean()
    minutes = np.where(agg["w"] > 0, agg["wt"] / agg["w"].where(agg["w"] > 0, 1.0), plain)
    out = agg.reset_index()[["mun", "site_id"]].rename(columns={"mun": "demand_id"})
    out["minutes"] = minutes
    return out


def landscape_model(
    landscape: Any,
    interventions: str | Sequence[str],
    *,
    demand: str = "municipality",
    norms: float | Mapping[str, float] | None = None,
    volumes: Mapping[str, float] | None = None,
    scale: float | Mapping[str, float] = 1.0,
    max_minutes: float | Mapping[str, float] | None = None,
    per_region: int | Mapping[str, int] = 0,
    region: str = "roaz",
    objective: str = "disruption",
    disruption_weight: float | None = None,
    allow_new: bool = False,
    eligible: Eligibility | None = None,
    year: int = 2025,
    site_state: Any = None,
    baseline: bool = True,
    profile: str = "car",
    travel_minutes: pd.DataFrame | None = None,
    beyond_limit: str = "exempt",
    settings: Settings = DEFAULT_SETTINGS,
    **options: Any,
) -> ConcentrationModel:
    """A concentration model on the embedded Netherlands (or a regional extract).

    Parameters
    ----------
    landscape
        :class:`~zorglandschap.landscape.Landscape`.
    interventions
        Intervention id(s) or alias(es) (``pancreas``, ``oesophagus``, ...).
    demand
        ``municipality`` (default) or ``pc4``: the demand level the model is solved on.
    norms, volumes, scale
        Norm(s) overriding the norms table (one value, or a mapping; where the table has none
        and none is given, the model refuses to build), national volumes overriding it, a
        growth factor (:func:`~zorglandschap.demand.intervention_demand`).
    max_minutes
        Maximum travel time (default ``settings.concentration.max_minutes``).
    per_region, region
        At least this many sites per region of ``region`` (``roaz`` or ``iza``, also the
        layer of the indicators).
    objective
        ``disruption`` (default, the round table's): disruption first (team changes, patients
        who change hospital), then travel; the candidates are today's providers
        (:mod:`.today`). ``travel``: travel only (plus any ``stop_weight``/``start_weight``),
        every eligible site a candidate.
    disruption_weight
        Weigh instead of order: minimise travel + W x (teams that stop + teams that start), W in
        patient-minutes a year per team change (the model's ``stop_weight`` and
        ``start_weight``), on the candidates of ``objective``. None: ``disruption`` is
        lexicographic, ``travel`` uses ``settings.concentration.disruption_weight`` (0).
    allow_new
        ``disruption`` objective: new teams may start, at the sites of ``eligible`` (default
        ``settings.concentration.new_team_eligible``, a 24/7 SEH).
    eligible
        Eligibility rule (``all``, ``seh_24_7``, ``seh``), a list of site ids, or a mapping per
        intervention. ``travel``: the candidates (default ``all``); ``disruption``: today's
        providers that may continue (without ``allow_new``) or the sites where new teams may
        start (with it).
    year
        Site-state year for the eligibility rules, and the year the baseline's age is
        measured against.
    site_state
        A :class:`~zorglandschap.landscape.state.SiteState` (e.g. a scenario's) whose SEH
        states the eligibility rules use instead of ``year``'s; its name labels the result.
    baseline
        Include today's providers (disruption, changes, known/estimated volumes).
    profile, travel_minutes
        Travel profile (``car``); precomputed PC4 × site minutes (wide or long; default: from
        the travel module).
    beyond_limit
        ``exempt`` (default here): demand points with no eligible site within the maximum time
        (the Wadden islands at 90 minutes by car and ferry) are exempt from it and named in the
        result; ``error`` makes such a plan infeasible.
    settings
        Settings.
    **options
        Any other keyword option of :class:`ConcentrationModel` (``min_sites``,
        ``closest_assignment``, ``share_sites``, ``open_sites``, ``stop_weight``, ...).
    """
    names = [interventions] if isinstance(interventions, str) else list(interventions)
    ids = _check_question(landscape, names, demand=demand, region=region, objective=objective)
    norm_map = _norm_map(landscape, names, ids, norms)
    pc4_demand = intervention_demand(
        landscape,
        ids,
        volumes=None if volumes is None else _by_id(landscape, volumes),
        scale=_by_id(landscape, scale) if isinstance(scale, Mapping) else float(scale),
        settings=settings,
    )
    long = _pc4_pairs(landscape, pc4_demand, travel_minutes, profile=profile, settings=settings)
    tables = _demand_tables(landscape, pc4_demand, long, demand=demand, region=region)
    asked = {
        "objective": objective, "allow_new": allow_new, "eligible": eligible, "year": year,
        "site_state": site_state, "baseline": baseline, "settings": settings,
    }  # fmt: skip
    today = _today_options(
        landscape, ids, demand=tables["demand"], pairs=tables["pairs"], options=options, **asked
    )
    if demand == "pc4" and "coarse" not in options and settings.concentration.start_plan:
        # the same question on municipalities: its plan starts the PC4 solve (speed only);
        # the norms as resolved here (a mapping keyed by alias would not match the ids)
        options["coarse"] = landscape_model(
            landscape, ids, demand="municipality", norms=norm_map, volumes=volumes, scale=scale,
            max_minutes=max_minutes, per_region=per_region, region=region,
            disruption_weight=disruption_weight, profile=profile, travel_minutes=long,
            beyond_limit=beyond_limit, **asked, **options,
        )  # fmt: skip
    options.setdefault("state_name", str(year) if site_state is None else site_state.name)
    if disruption_weight is not None:
        # weigh instead of order: the model's weights of a team that stops or starts
        options.update(stop_weight=disruption_weight, start_weight=disruption_weight)
    lexicographic = objective == "disruption" and disruption_weight is None
    return ConcentrationModel(
        tables.pop("demand"),
        tables.pop("pairs"),
        norms=norm_map,
        max_minutes=max_minutes,
        sites=_site_table(landscape, region),
        per_region=per_region,
        objective="disruption" if lexicographic else "travel",
        region_label=f"{region.upper()} region",
        demand_level=demand,
        beyond_limit=beyond_limit,
        settings=settings,
        **today,
        **tables,
        **options,
    )


def _today_options(
    landscape: Any,
    ids: Sequence[str],
    *,
    demand: pd.DataFrame,
    pairs: pd.DataFrame,
    options: Mapping[str, Any],
    objective: str,
    allow_new: bool,
    eligible: Eligibility | None,
    year: int,
    site_state: Any,
    baseline: bool,
    settings: Settings,
) -> dict[str, Any]:
    """The model's options about today: the baseline, its volumes, the candidates, and what
    the result says about them (warnings, hints, today's number of teams)."""
    today = (
        today_providers(landscape, ids, demand, pairs, year=year, settings=settings)
        if baseline
        else Today()
    )
    chosen = candidate_sites(
        landscape, ids, today, objective=objective, allow_new=allow_new, eligible=eligible,
        open_sites=options.get("open_sites"), year=year,
        services=None if site_state is None else site_state.services, settings=settings,
    )  # fmt: skip
    return {
        "baseline": today.providers if baseline else None,
        "baseline_volume": pd.DataFrame(today.volumes, columns=BASELINE_VOLUME_COLUMNS),
        "eligible": chosen.sites,
        "partial_baseline": chosen.partial,
        "warnings": [*today.warnings, *chosen.warnings],
        "infeasible_hints": _hints(objective, allow_new, chosen.partial, ids),
        "teams_today": {
            p: c.national for p, c in today.coverage.items() if c.national and c.national > c.named
        },
    }


def _hints(
    objective: str, allow_new: bool, partial: Sequence[str], ids: Sequence[str]
) -> list[str]:
    """What to try when a round-table question is infeasible on today's providers."""
    if objective != "disruption" or allow_new or len(partial) == len(ids):
        return []
    return [
        "The candidates are today's providers only: --allow-new (allow_new = true in a "
        "scenario) lets new teams start at sites with a 24/7 SEH; --objective travel makes "
        "every site a candidate."
    ]


def _check_question(
    landscape: Any, names: Sequence[str], *, demand: str, region: str, objective: str
) -> list[str]:
    """The intervention ids of ``names``; the choices checked."""
    ids = [resolve_intervention(landscape.norms, n) for n in names]
    if len(set(ids)) != len(ids):
        raise ScenarioError(f"Intervention(s) given twice: {', '.join(names)}.")
    if demand not in DEMAND_LEVELS:
        raise ScenarioError(f"Unknown demand level {demand!r}; valid: 'municipality', 'pc4'.")
    if region not in REGION_COLUMNS:
        raise ScenarioError(f"Unknown region layer {region!r}; valid: {', '.join(REGION_COLUMNS)}.")
    if objective not in OBJECTIVES:
        raise ScenarioError(
            f"Unknown objective {objective!r}; valid: {', '.join(map(repr, OBJECTIVES))}."
        )
    return ids


def _pc4_pairs(
    landscape: Any,
    pc4_demand: pd.DataFrame,
    travel_minutes: pd.DataFrame | None,
    *,
    profile: str,
    settings: Settings,
) -> pd.DataFrame:
    """PC4 → site minutes (given, else from the travel module) of the PC4s with demand."""
    long = (
        pc4_site_minutes(landscape, profile=profile, settings=settings)
        if travel_minutes is None
        else _long_minutes(travel_minutes)
    )
    return long[
        long["pc4"].isin(pc4_demand.index) & long["site_id"].isin(landscape.sites.index.astype(str))
    ]


def _by_id(landscape: Any, values: Mapping[str, float]) -> dict[str, float]:
    """A mapping keyed by intervention id or alias, keyed by id."""
    return {resolve_intervention(landscape.norms, k): float(v) for k, v in values.items()}


def _norm_map(
    landscape: Any,
    names: Sequence[str],
    ids: Sequence[str],
    norms: float | Mapping[str, float] | None,
) -> dict[str, float]:
    """The norm of each intervention: the one given, else the norms table's (a blank norm
    stays blank and is refused: a norm is never defaulted)."""
    norm_map: dict[str, float | None] = {}
    for name, p in zip(names, ids, strict=True):
        given: Any = None
        if isinstance(norms, Mapping):
            given = norms.get(name, norms.get(p))
        elif norms is not None:
            if len(ids) > 1:
                raise ScenarioError("Give norms as a mapping when solving several interventions.")
            given = norms
        if given is None:
            raw = landscape.norms.at[p, "norm_min_per_year"]
            given = None if pd.isna(raw) else float(raw)
        norm_map[p] = given
    missing = [p for p, v in norm_map.items() if v is None]
    if missing:
        raise ScenarioError(
            f"No volume norm for {', '.join(missing)} in the norms table (blank = not found); "
            "give one, e.g. --norm 20 or norms={...} in a scenario. A norm is never defaulted."
        )
    return {p: float(v) for p, v in norm_map.items() if v is not None}


def _site_table(landscape: Any, region: str) -> pd.DataFrame:
    """Site names and the region of each site in the guarantee's layer."""
    munis = landscape.municipalities
    sites = pd.DataFrame(
        {
            "name": landscape.sites["name"].astype(str),
            "region": landscape.sites["gemeentecode"].map(munis[REGION_COLUMNS[region]]).astype(str)
            if region != "roaz"
            else landscape.sites["roaz"].astype(str),
        }
    )
    sites.index = sites.index.astype(str)
    return sites


def _demand_tables(
    landscape: Any, pc4_demand: pd.DataFrame, long: pd.DataFrame, *, demand: str, region: str
) -> dict[str, Any]:
    """Demand, pairs, labels and (at municipality level) the PC4 detail of the level solved."""
    munis = landscape.municipalities
    reg_col = REGION_COLUMNS[region]
    pc4_mun = landscape.pc4["gemeentecode"].astype(str)
    pc4_mun.index = pc4_mun.index.astype(str)
    if demand == "municipality":
        demand_region = munis[reg_col].astype(str)
        demand_region.index = demand_region.index.astype(str)
        demand_names = munis["name"].astype(str)
        demand_names.index = demand_names.index.astype(str)
        detail = pc4_demand.reset_index().rename(columns={"pc4": "detail_id"})
        detail["demand_id"] = detail["detail_id"].map(pc4_mun)
        return {
            "demand": aggregate_demand(pc4_demand, pc4_mun),
            "pairs": municipality_pairs(long, pc4_demand.sum(axis=1), pc4_mun),
            "demand_region": demand_region,
            "demand_names": demand_names,
            "detail": detail,
            "detail_pairs": long.rename(columns={"pc4": "detail_id"}),
        }
    return {
        "demand": pc4_demand,
        "pairs": long.rename(columns={"pc4": "demand_id"}),
        "demand_region": pc4_mun.map(munis[reg_col]).astype(str),
        "demand_names": pd.Series(
            {k: f"PC4 {k} ({munis.at[v, 'name']})" for k, v in pc4_mun.items() if v in munis.index}
        ),
        "detail": None,
        "detail_pairs": None,
    }
