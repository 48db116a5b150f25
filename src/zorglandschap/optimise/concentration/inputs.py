"""The inputs of a concentration model, checked once into a frozen :class:`Instance`.

:func:`validate` takes the keyword options of
:class:`~zorglandschap.optimise.concentration.ConcentrationModel` (data tables, norms, bounds,
forced sites, guarantees, weights, labels), checks them all, and reports every problem at once
in one :class:`~zorglandschap.errors.ScenarioError` (or a :class:`~zorglandschap.errors.DataError`
for a table without its columns). Everything after it — formulation, solution method, result —
reads the frozen instance and never checks again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from zorglandschap.errors import DataError, ScenarioError, problems_to_error
from zorglandschap.optimise.concentration.formulation import OBJECTIVES, Extra, Spec
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.travel.sources import NETWORK_LABEL

#: Sites per intervention, or one set for all.
SiteSets = Iterable[str] | Mapping[str, Iterable[str]]


@dataclass(frozen=True)
class Instance:
    """A checked concentration question on explicit data.

    Attributes
    ----------
    interventions
        Intervention ids, sorted.
    demand
        Patients a year (>= 0); index demand ids (str), one column per intervention.
    pairs
        ``demand_id, site_id, minutes`` (str, str, >= 0), sorted by demand and site.
    sites
        Index site id; columns ``name`` and ``region`` (None where unknown).
    specs
        The requirements of each intervention.
    candidates
        Candidate sites per intervention (eligible and not closed), sorted.
    site_region
        Region of each site that has one.
    share_sites
        Groups of interventions offered at the same sites.
    closest_assignment, objective, stop_weight, start_weight
        As in the model.
    demand_region, demand_names, detail, detail_pairs, baseline_volume
        Reporting tables (may be None).
    region_label, demand_level, beyond_limit, state_name, travel_source
        Labels.
    warnings
        Warnings about the data the question was asked on (e.g. an old baseline).
    infeasible_hints
        Lines added to the diagnosis of an infeasible plan (what else to try).
    teams_today
        How many teams offer each intervention today, where the baseline names only some
        (default: the baseline's sites).
    settings
        Settings.
    extra
        The user's extra constraints (None: none).
    """

    interventions: tuple[str, ...]
    demand: pd.DataFrame
    pairs: pd.DataFrame
    sites: pd.DataFrame
    specs: Mapping[str, Spec]
    candidates: Mapping[str, tuple[str, ...]]
    site_region: Mapping[str, str]
    share_sites: tuple[tuple[str, ...], ...]
    closest_assignment: bool
    objective: str
    stop_weight: float
    start_weight: float
    demand_region: pd.Series | None
    demand_names: pd.Series | None
    detail: pd.DataFrame | None
    detail_pairs: pd.DataFrame | None
    baseline_volume: pd.DataFrame | None
    region_label: str
    demand_level: str
    beyond_limit: str
    state_name: str
    settings: Settings
    extra: Extra | None = None
    travel_source: str = NETWORK_LABEL
    warnings: tuple[str, ...] = ()
    infeasible_hints: tuple[str, ...] = ()
    teams_today: Mapping[str, int] = field(default_factory=dict)

    def names(self) -> dict[str, str]:
        """Display name per demand id (empty without ``demand_names``)."""
        return {} if self.demand_names is None else dict(self.demand_names.items())


def validate(demand: pd.DataFrame, pairs: pd.DataFrame, options: Mapping[str, Any]) -> Instance:
    """Check every input (all problems at once) and freeze them into an :class:`Instance`.

    ``options`` are the keyword options of
    :class:`~zorglandschap.optimise.concentration.ConcentrationModel` (``norms`` required; the
    others default as there).

    Raises
    ------
    DataError
        ``demand`` is not a DataFrame, or ``pairs`` lacks a column.
    ScenarioError
        Listing every other problem: negative values, unknown ids, a missing norm, conflicts.
    """
    o = {**DEFAULTS, **options}
    settings: Settings = o["settings"]
    cs = settings.concentration
    problems: list[str] = []
    dem = _demand_table(demand, problems)
    interventions = sorted(dem.columns)
    pr = _pairs_table(pairs, dem, problems)
    st = _sites_table(o["sites"], pr, problems)
    known = set(st.index)
    norm_map = _norms(o["norms"], interventions, problems)
    limit = cs.max_minutes if o["max_minutes"] is None else o["max_minutes"]
    tmax = _max_minutes(limit, interventions, problems, cs.max_minutes)
    mins, maxs = _site_counts(o["min_sites"], o["max_sites"], interventions, problems)
    region_req = _region_requirements(o["per_region"], st, problems)
    forced_open = _site_set(o["open_sites"], interventions, "open_sites", known, problems)
    forced_closed = _site_set(o["closed_sites"], interventions, "closed_sites", known, problems)
    allowed = _site_set(o["eligible"], interventions, "eligible", known, problems)
    shares = _share_groups(o["share_sites"], interventions, problems)
    caps = _capacities(o["capacity"], interventions)
    base = _baseline(o["baseline"], interventions, known)
    partial = set(map(str, o["partial_baseline"]))
    today = _today(o["today"], base, pr, interventions, known, problems)
    today = {p: {} if p in partial else t for p, t in today.items()}
    team = _team_weights(o["team_weight"], interventions, problems)
    if o["objective"] not in OBJECTIVES:
        problems.append(
            f"objective is {o['objective']!r}; valid: {', '.join(map(repr, OBJECTIVES))}."
        )
    for p in interventions:
        both = sorted((forced_open[p] or frozenset()) & (forced_closed[p] or frozenset()))
        if both:
            problems.append(
                f"{p}: site(s) {', '.join(both)} are forced both open and closed; choose one."
            )
    if o["beyond_limit"] not in ("error", "exempt"):
        problems.append(f"beyond_limit is {o['beyond_limit']!r}; valid: 'error', 'exempt'.")
    problems_to_error(problems, kind=ScenarioError)
    specs = {
        p: Spec(
            intervention=p,
            norm=float(norm_map[p]),
            max_minutes=float(tmax[p]),
            min_sites=None if mins[p] is None else int(mins[p]),
            max_sites=None if maxs[p] is None else int(maxs[p]),
            per_region={r: k for r, k in region_req.items() if k > 0},
            force_open=forced_open[p] or frozenset(),
            capacity=caps[p],
            baseline=base[p],
            today=today[p],
            team_weight=_team_weight(team[p], norm_map[p], cs.team_weight_share),
            partial=p in partial,
        )
        for p in interventions
    }
    candidates = {p: _candidates(allowed[p], known, forced_closed[p]) for p in interventions}
    return _instance(o, dem[interventions], pr, st.sort_index(), specs, candidates, shares)


#: The defaults of the options (those of ConcentrationModel).
DEFAULTS: dict[str, Any] = {
    "max_minutes": None, "sites": None, "capacity": None, "baseline": None,
    "baseline_volume": None, "min_sites": None, "max_sites": None, "per_region": 0,
    "open_sites": None, "closed_sites": None, "eligible": None, "share_sites": (),
    "closest_assignment": False, "objective": "travel", "stop_weight": None,
    "start_weight": None, "today": None, "team_weight": None,
    "warnings": (), "partial_baseline": (), "infeasible_hints": (), "teams_today": None,
    "demand_region": None, "demand_names": None, "detail": None, "detail_pairs": None,
    "region_label": "region", "demand_level": "custom", "beyond_limit": "error",
    "state_name": "custom", "travel_source": NETWORK_LABEL, "extra": None,
    "settings": DEFAULT_SETTINGS,
}  # fmt: skip


def _instance(
    o: Mapping[str, Any],
    demand: pd.DataFrame,
    pairs: pd.DataFrame,
    sites: pd.DataFrame,
    specs: dict[str, Spec],
    candidates: dict[str, tuple[str, ...]],
    shares: list[tuple[str, ...]],
) -> Instance:
    settings: Settings = o["settings"]
    weight = settings.concentration.disruption_weight
    return Instance(
        interventions=tuple(specs),
        demand=demand,
        pairs=pairs.sort_values(["demand_id", "site_id"]).reset_index(drop=True),
        sites=sites,
        specs=specs,
        candidates=candidates,
        site_region={str(k): str(v) for k, v in sites["region"].dropna().items()},
        share_sites=tuple(sorted(shares)),
        closest_assignment=bool(o["closest_assignment"]),
        objective=str(o["objective"]),
        stop_weight=float(weight if o["stop_weight"] is None else o["stop_weight"]),
        start_weight=float(weight if o["start_weight"] is None else o["start_weight"]),
        demand_region=_labels(o["demand_region"]),
        demand_names=_labels(o["demand_names"]),
        detail=o["detail"],
        detail_pairs=o["detail_pairs"],
        baseline_volume=o["baseline_volume"],
        region_label=o["region_label"],
        demand_level=o["demand_level"],
        beyond_limit=o["beyond_limit"],
        state_name=o["state_name"],
        travel_source=str(o["travel_source"]),
        settings=settings,
        extra=o["extra"],
        warnings=tuple(str(w) for w in o["warnings"]),
        infeasible_hints=tuple(str(w) for w in o["infeasible_hints"]),
        teams_today={str(k): int(v) for k, v in (o["teams_today"] or {}).items()},
    )


def _candidates(
    allowed: frozenset[str] | None, known: set[str], closed: frozenset[str] | None
) -> tuple[str, ...]:
    """Eligible sites (all known ones without an eligibility list) that are not closed."""
    chosen = set(known) if allowed is None else set(allowed)
    return tuple(sorted(chosen - (closed or frozenset())))


def _labels(series: pd.Series | None) -> pd.Series | None:
    return None if series is None else series.rename(index=str).astype(str)


def _demand_table(demand: pd.DataFrame, problems: list[str]) -> pd.DataFrame:
    if not isinstance(demand, pd.DataFrame):
        raise DataError(
            "demand must be a DataFrame: index demand ids, one column per intervention."
        )
    dem = demand.copy()
    dem.index = dem.index.astype(str)
    dem.columns = [str(c) for c in dem.columns]
    if dem.index.has_duplicates:
        problems.append("demand has duplicate demand ids; give one row per demand point.")
    if not len(dem.columns):
        problems.append("demand has no intervention columns.")
    for p in sorted(dem.columns):
        col = pd.to_numeric(dem[p], errors="coerce")
        bad = col.isna() | (col < 0)
        if bad.any():
            problems.append(
                f"demand column {p!r} has {int(bad.sum())} missing or negative value(s) "
                f"(e.g. demand id {dem.index[bad][0]}); give patients a year >= 0."
            )
        dem[p] = col.fillna(0.0).clip(lower=0.0).astype(float)
    return dem


def _pairs_table(pairs: pd.DataFrame, dem: pd.DataFrame, problems: list[str]) -> pd.DataFrame:
    missing = [c for c in ("demand_id", "site_id", "minutes") if c not in pairs.columns]
    if missing:
        raise DataError(
            f"pairs lacks column(s) {', '.join(missing)}; give demand_id, site_id, minutes."
        )
    pr = pairs[["demand_id", "site_id", "minutes"]].copy()
    pr["demand_id"] = pr["demand_id"].astype(str)
    pr["site_id"] = pr["site_id"].astype(str)
    pr["minutes"] = pd.to_numeric(pr["minutes"], errors="coerce")
    bad = pr["minutes"].isna() | (pr["minutes"] < 0)
    if bad.any():
        problems.append(
            f"pairs has {int(bad.sum())} missing or negative minutes (e.g. "
            f"{pr.loc[bad, 'demand_id'].iloc[0]} -> {pr.loc[bad, 'site_id'].iloc[0]}); "
            "give travel minutes >= 0."
        )
    if pr.duplicated(["demand_id", "site_id"]).any():
        problems.append("pairs has duplicate (demand_id, site_id) rows; give one time per pair.")
    unknown = sorted(set(pr["demand_id"]) - set(dem.index))
    if unknown:
        problems.append(
            f"pairs names {len(unknown)} demand id(s) not in demand, e.g. {unknown[0]}."
        )
    return pr


def _sites_table(sites: pd.DataFrame | None, pr: pd.DataFrame, problems: list[str]) -> pd.DataFrame:
    if sites is None:
        st = pd.DataFrame(index=pd.Index(sorted(set(pr["site_id"])), name="site_id"))
    else:
        st = sites.copy()
        st.index = st.index.astype(str)
    if "name" not in st.columns:
        st["name"] = st.index
    if "region" not in st.columns:
        st["region"] = None
    unknown = sorted(set(pr["site_id"]) - set(st.index))
    if unknown:
        problems.append(
            f"pairs names {len(unknown)} site id(s) not in the sites table, e.g. {unknown[0]}."
        )
    return st


def per_intervention(
    value: Any, interventions: Sequence[str], name: str, problems: list[str]
) -> dict[str, Any]:
    """Spread a scalar over all interventions, or check a mapping's keys."""
    if isinstance(value, Mapping):
        unknown = sorted(set(value) - set(interventions))
        if unknown:
            problems.append(
                f"{name} names unknown intervention(s) {', '.join(map(str, unknown))}; "
                f"valid: {', '.join(interventions)}."
            )
        return {p: value.get(p) for p in interventions}
    return dict.fromkeys(interventions, value)


def _norms(
    norms: Mapping[str, float], interventions: Sequence[str], problems: list[str]
) -> dict[str, Any]:
    norm_map = per_intervention(norms, interventions, "norms", problems)
    for p in interventions:
        v = norm_map.get(p)
        if v is None or (isinstance(v, float) and math.isnan(v)):
            problems.append(
                f"No volume norm for intervention {p!r}: a norm is never defaulted. Pass "
                f"norms={{'{p}': 20}} (or --norm on the command line, or set it in a scenario)."
            )
        elif float(v) < 0:
            problems.append(f"The norm for {p!r} is {v}; give patients a year >= 0.")
    return norm_map


def _max_minutes(
    value: float | Mapping[str, float],
    interventions: Sequence[str],
    problems: list[str],
    default: float,
) -> dict[str, Any]:
    tmax = per_intervention(value, interventions, "max_minutes", problems)
    for p, t in tmax.items():
        if t is None:
            tmax[p] = default
        elif float(t) <= 0:
            problems.append(f"max_minutes for {p!r} is {t}; give a positive number of minutes.")
    return tmax


def _site_counts(
    min_sites: Any, max_sites: Any, interventions: Sequence[str], problems: list[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    mins = per_intervention(min_sites, interventions, "min_sites", problems)
    maxs = per_intervention(max_sites, interventions, "max_sites", problems)
    for label, bounds in (("min_sites", mins), ("max_sites", maxs)):
        for p, n in bounds.items():
            if n is not None and int(n) < 0:
                problems.append(f"{label} for {p!r} is {n}; give a count >= 0.")
    return mins, maxs


def _region_requirements(
    per_region: int | Mapping[str, int], st: pd.DataFrame, problems: list[str]
) -> dict[str, int]:
    known = sorted({str(r) for r in st["region"].dropna()})
    if isinstance(per_region, Mapping):
        unknown = sorted(set(map(str, per_region)) - set(known))
        if unknown:
            problems.append(
                f"per_region names unknown region(s) {', '.join(unknown)}; valid: "
                f"{', '.join(known) or '(the sites table has no region column)'}."
            )
        required = {str(r): int(k) for r, k in per_region.items()}
    else:
        if int(per_region) > 0 and not known:
            problems.append(
                "per_region asks for sites per region, but the sites table has no 'region' "
                "column; add one (e.g. the ROAZ code)."
            )
        required = dict.fromkeys(known, int(per_region))
    if any(k < 0 for k in required.values()):
        problems.append("per_region values must be >= 0.")
    return required


def _site_set(
    value: SiteSets | None,
    interventions: Sequence[str],
    name: str,
    known: set[str],
    problems: list[str],
) -> dict[str, frozenset[str] | None]:
    """Sites per intervention (None: not restricted), unknown ids reported."""
    if value is None:
        return dict.fromkeys(interventions)
    if isinstance(value, str):
        value = [value]
    spread = per_intervention(value, interventions, name, problems)
    out: dict[str, frozenset[str] | None] = {}
    for p, sites in spread.items():
        if sites is None:
            out[p] = None if isinstance(value, Mapping) else frozenset()
            continue
        chosen = frozenset([sites] if isinstance(sites, str) else sites)
        unknown = sorted(chosen - known)
        if unknown:
            problems.append(
                f"{name} for {p} names unknown site(s) {', '.join(unknown)}; use site ids from "
                "the sites table (e.g. `zorglandschap data`)."
            )
        out[p] = chosen & known
    return out


def _share_groups(
    share_sites: Sequence[Sequence[str]], interventions: Sequence[str], problems: list[str]
) -> list[tuple[str, ...]]:
    shares: list[tuple[str, ...]] = []
    for g in share_sites:
        group = tuple(sorted({str(x) for x in g}))
        unknown = [x for x in group if x not in interventions]
        if unknown:
            problems.append(
                f"share_sites names unknown intervention(s) {', '.join(unknown)}; valid: "
                f"{', '.join(interventions)}."
            )
        if len(group) >= 2:
            shares.append(group)
    return shares


def _capacities(
    capacity: pd.Series | pd.DataFrame | None, interventions: Sequence[str]
) -> dict[str, dict[str, float]]:
    caps: dict[str, dict[str, float]] = {p: {} for p in interventions}
    if isinstance(capacity, pd.DataFrame):
        for p in capacity.columns:
            if str(p) in caps:
                caps[str(p)] = {str(k): float(v) for k, v in capacity[p].dropna().items()}
    elif capacity is not None:
        for p in interventions:
            caps[p] = {str(k): float(v) for k, v in capacity.dropna().items()}
    return caps


def _baseline(
    baseline: Mapping[str, Iterable[str]] | None, interventions: Sequence[str], known: set[str]
) -> dict[str, frozenset[str]]:
    base: dict[str, frozenset[str]] = {p: frozenset() for p in interventions}
    for p, sites in (baseline or {}).items():
        if str(p) in base:
            base[str(p)] = frozenset(str(s) for s in sites) & known
    return base


def nearest_sites(pairs: pd.DataFrame, sites: Iterable[str]) -> dict[str, str]:
    """Each demand id's nearest site among ``sites`` (ties: the smaller site id), over every
    pair of ``pairs`` (any minutes).

    >>> pairs = pd.DataFrame({"demand_id": ["a", "a", "b"], "site_id": ["S", "T", "T"],
    ...                       "minutes": [5.0, 5.0, 1.0]})
    >>> nearest_sites(pairs, ["S", "T"])
    {'a': 'S', 'b': 'T'}
    """
    keep = pairs[pairs["site_id"].isin(set(sites))]
    first = keep.sort_values(["demand_id", "minutes", "site_id"]).drop_duplicates("demand_id")
    return dict(zip(first["demand_id"].astype(str), first["site_id"].astype(str), strict=True))


def _today(
    today: Mapping[str, Mapping[str, str]] | None,
    base: Mapping[str, frozenset[str]],
    pairs: pd.DataFrame,
    interventions: Sequence[str],
    known: set[str],
    problems: list[str],
) -> dict[str, dict[str, str]]:
    """Today's hospital of each demand id per intervention: given, else its nearest baseline
    provider (empty without a baseline)."""
    out: dict[str, dict[str, str]] = {}
    given = per_intervention(today, interventions, "today", problems) if today else {}
    for p in interventions:
        if given.get(p) is not None:
            chosen = {str(k): str(v) for k, v in dict(given[p]).items()}
            unknown = sorted(set(chosen.values()) - known)
            if unknown:
                problems.append(
                    f"today for {p} names unknown site(s) {', '.join(unknown[:5])}; use site ids "
                    "from the sites table."
                )
            out[p] = chosen
        else:
            out[p] = nearest_sites(pairs, base[p]) if base[p] else {}
    return out


def _team_weight(given: float | None, norm: Any, share: float) -> float:
    """K: the weight given, else ``share`` of the norm (0 where the norm is not usable)."""
    if given is not None:
        return float(given)
    try:
        return share * float(norm) if math.isfinite(float(norm)) else 0.0
    except (TypeError, ValueError):
        return 0.0


def _team_weights(
    value: float | Mapping[str, float] | None,
    interventions: Sequence[str],
    problems: list[str],
) -> dict[str, float | None]:
    """Patients moved that one team change weighs, per intervention (None: not given)."""
    weights = per_intervention(value, interventions, "team_weight", problems)
    out = {}
    for p in interventions:
        w = weights.get(p)
        if w is not None and (not math.isfinite(float(w)) or float(w) < 0):
            problems.append(f"team_weight for {p!r} is {w}; give patients a year >= 0.")
            w = 0.0
        out[p] = None if w is None else float(w)
    return out
