"""Every model constant in one place, each with its source or labelled an assumption.

The settings are frozen dataclasses. A scenario (or a caller) overrides values with
:func:`Settings.replace`, e.g. ``DEFAULT_SETTINGS.replace(access={"fixed_minutes": 14})``;
nothing else in the package holds a magic number.
"""

from __future__ import annotations

import dataclasses
import numbers
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from zorglandschap.checks import (
    Count,
    FixedMinutes,
    Gap,
    Minutes,
    NonNegative,
    Positive,
    PositiveCount,
    Share,
    check_value,
)
from zorglandschap.errors import InputError, ScenarioError
from zorglandschap.vocab import TIME_BLOCKS, EligibleRule

__all__ = ["DEFAULT_SETTINGS", "TIME_BLOCKS", "Settings"]


@dataclass(frozen=True)
class AccessSettings:
    """Constants of the 45-minute reach analysis (RIVM bereikbaarheidsanalyse)."""

    #: Travel-time norm for SEH and acute obstetrics, minutes. Source: RIVM / Kwaliteitskader
    #: Spoedzorgketen (the "45-minutennorm" of the Regeling ambulancezorg).
    norm_minutes: float = 45.0
    #: Time blocks in which a limited-hours SEH is open. RIVM lists them as "SEH dag/avond"
    #: (day and evening); that they open on weekend days too is an assumption (opening hours
    #: differ per site and are not in the data). Never at night.
    limited_hours_blocks: tuple[str, ...] = ("day", "evening", "weekend")
    #: Time blocks in which acute obstetrics (AV) is available. RIVM counts a location as AV
    #: only if it is available 24/7 (RIVM bereikbaarheidsanalyse criteria): all blocks.
    av_blocks: tuple[str, ...] = ("day", "evening", "night", "weekend")
    #: Blocks in which an ambulance post of each availability is staffed. "24/7" and "night"
    #: follow the RIVM labels; a "day_evening" post ("Dag/avond") staffed on weekend days too is
    #: an assumption; a "turnout" point ("Opkomst") has no standing crew and never counts.
    post_blocks: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("24/7", ("day", "evening", "night", "weekend")),
        ("day_evening", ("day", "evening", "weekend")),
        ("night", ("night",)),
        ("turnout", ()),
    )
    #: Municipalities listed per sensitive SEH as "where they live" (largest first).
    sensitive_top_municipalities: int = 5


#: Relative age weights for complex-care demand, per five-year band ``age_0_4`` … ``age_95_plus``.
#: Values are the age-specific incidence of pancreatic cancer per 100,000 (both sexes, world,
#: GLOBOCAN 2012; bands 0-14: 0.0, 15-39: 0.2, 40-44: 1.3, 45-49: 3.1, 50-54: 6.1, 55-59: 10.4,
#: 60-64: 16.5, 65-69: 24.0, 70-74: 32.5, 75+: 55.7), as tabulated in "Epidemiology" of
#: *Pancreatic Cancer* (oncohemakey.com/epidemiology-4). Only the *shape* matters: demand is
#: scaled to the national annual volume. Using this shape for every intervention (not only
#: pancreas) is an assumption, until intervention-specific NKR/IKNL age profiles are added.
CANCER_AGE_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("age_0_4", 0.0),
    ("age_5_9", 0.0),
    ("age_10_14", 0.0),
    ("age_15_19", 0.2),
    ("age_20_24", 0.2),
    ("age_25_29", 0.2),
    ("age_30_34", 0.2),
    ("age_35_39", 0.2),
    ("age_40_44", 1.3),
    ("age_45_49", 3.1),
    ("age_50_54", 6.1),
    ("age_55_59", 10.4),
    ("age_60_64", 16.5),
    ("age_65_69", 24.0),
    ("age_70_74", 32.5),
    ("age_75_79", 55.7),
    ("age_80_84", 55.7),
    ("age_85_89", 55.7),
    ("age_90_94", 55.7),
    ("age_95_plus", 55.7),
)


@dataclass(frozen=True)
class DemandSettings:
    """Constants of :mod:`zorglandschap.demand` (patients per PC4 per intervention)."""

    #: Default age weights (see :data:`CANCER_AGE_WEIGHTS` for source and assumption).
    age_weights: tuple[tuple[str, float], ...] = CANCER_AGE_WEIGHTS
    #: Intervention-specific weights, as ``((intervention_id, weights), ...)``; none known yet.
    age_weights_by_intervention: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = ()


@dataclass(frozen=True)
class SolverSettings:
    """Defaults of :mod:`zorglandschap.optimise.solver`."""

    #: "auto" (HiGHS when highspy imports, else CBC), "highs" or "cbc". Assumption.
    name: str = "auto"
    #: Wall-time limit per solve, seconds. Assumption (an interactive question answered in a minute).
    time_limit_seconds: float = 120.0
    #: Relative MIP gap at which a plan counts as proven optimal (1e-4 = 0.01 %). Assumption;
    #: equal to HiGHS' own default ``mip_rel_gap``.
    gap: float = 1e-4
    #: Threads; None = the solver's default. Assumption.
    threads: int | None = None


@dataclass(frozen=True)
class ConcentrationSettings:
    """Constants of the complex-care concentration model (:mod:`zorglandschap.optimise`)."""

    #: Maximum travel time to a site offering a complex intervention, minutes, when the caller
    #: gives none. Assumption (no national travel norm exists for planned complex surgery).
    max_minutes: float = 90.0
    #: Nearest candidate sites per demand point that get the strong link x <= y; the farther
    #: pairs share one aggregated link per site (the same plans, a weaker LP), so the value
    #: changes speed, never the optimum. Tuned on the national instance
    #: (bench/bench_concentration.py).
    near_sites: int = 4
    #: Let HiGHS restart its MIP search after the root when it has fixed some sites (HiGHS'
    #: ``mip_allow_restart``). Off: on the national pancreas instance the restart re-runs the
    #: root cut loop for a few fixed sites (bench/bench_concentration.py). Speed only: the
    #: optimum and the gap tolerance are unchanged.
    highs_restart: bool = False
    #: Start the MILP from the best plan on the sites its LP relaxation opens
    #: (:mod:`zorglandschap.optimise.concentration.start`). Speed only: the full model is still solved to the
    #: gap tolerance. Chosen on the national bench (bench/bench_concentration.py).
    start_plan: bool = True
    #: Tighten the LP relaxation with cluster norm cuts before the MILP
    #: (:mod:`zorglandschap.optimise.concentration.cuts`). Speed only: every cut is valid, the optimum is
    #: unchanged. Chosen on the national bench (bench/bench_concentration.py).
    norm_cuts: bool = True
    #: Most separation rounds of the norm cuts. Tuned on the national bench: 30 rounds closed more
    #: of the root gap but made pancreas norm 40 2.8x slower (more, denser rows in every LP).
    cut_rounds: int = 6
    #: The rounds stop when one raises the LP bound by less than this share. Assumption, tuned
    #: on the national bench.
    cut_min_gain: float = 2e-5
    #: Keep the norm cuts in the MILP only when they close at least this share of the gap
    #: between the LP bound without them and the start plan: rows that close less cost HiGHS
    #: more in every LP than they save (pancreas norm 40: 44 % closed, 1.4x slower with them;
    #: bladder 43 %, no faster; oesophagus 70 %, 2x faster). Assumption, tuned on the national
    #: bench (six interventions and pancreas norm 40; bench/RESULTS.md).
    cut_keep_share: float = 0.5
    #: Nearest kept sites per demand point in the start plan's restricted model; None = every
    #: kept site within reach (chosen on the national bench: 10 gave worse start plans).
    start_near_sites: int | None = None
    #: Relative gap of the start plan's restricted model and of a PC4 solve's coarse plan (a
    #: heuristic: loose on purpose). Assumption, tuned on the national bench.
    start_gap: float = 1e-2
    #: Safety wall-time limit of each start-plan step (LP relaxation, restricted model),
    #: seconds. The restricted model normally stops at ``start_gap`` at its root node (1–10 s on
    #: the national instances); a start that only a time limit ended is not used. Generous on
    #: purpose: a tight limit would make the start, and so the search, depend on the machine's
    #: speed (reproducibility). Assumption.
    start_seconds: float = 30.0
    #: Worker processes that solve independent interventions (or groups sharing sites) side
    #: by side; None = one per CPU core, at most one per group; 1 = one after the other in this
    #: process. Speed only: every group is solved by the same code with the same options
    #: either way, so the plan does not depend on it (tested).
    workers: int | None = None
    #: Models with fewer assignment pairs than this (all groups together) are solved in this
    #: process whatever ``workers`` says: starting a worker costs about half a second.
    #: Assumption (speed only).
    worker_min_pairs: int = 5000
    #: HiGHS' LP solver for the root node of the MILP at fine (PC4) demand (HiGHS option
    #: ``mip_lp_solver``; the nodes below the root always use dual simplex). "ipm" (interior
    #: point): the national PC4 root LP (160,000 assignment columns) takes about 18 s instead of
    #: 34 s by dual simplex, so a PC4 solve with a 60 s limit at norm 40 ends with a 2.2 % gap
    #: instead of 99.7 % (the root LP had not finished). Speed only; chosen on the national
    #: bench (bench/RESULTS.md, "PC4 demand"). Municipality demand keeps HiGHS' choice.
    fine_root_lp: Literal["choose", "simplex", "ipm"] = "ipm"
    #: Wall-time limit of the coarse plan (municipality demand) that starts a PC4 solve,
    #: seconds. Assumption.
    coarse_seconds: float = 30.0
    #: Threshold for the "share beyond" indicator when no maximum travel time is set, minutes.
    #: Assumption.
    report_minutes: float = 60.0
    #: Patient-minutes per year that one team stopping (or starting) weighs against travel.
    #: 0 = travel only. Assumption; use the trade-off curve to choose.
    disruption_weight: float = 0.0
    #: Provider records from this year on (or open ended / undated) count as "offers today" in
    #: the baseline (zorglandschap.baseline). Assumption: a ten-year window before 2025.
    baseline_since_year: int = 2015
    #: The round-table objective (``objective = "disruption"``) minimises the disruption
    #: K x (teams that stop + teams that start) + patients who change hospital, then travel
    #: with the disruption held at its optimum; K = this share of the intervention's norm, in
    #: patients a year (norm 20: a team change weighs 5 patients on top of its own patients,
    #: who all change hospital). Assumption, chosen on the national pancreas instances at norms
    #: 20-50: shares 0 to 0.25 give the same plans, 0.5 and more keep teams at exactly the norm
    #: by sending patients past nearer centres (norm 40: 15 centres, 106 patients moved,
    #: against 13 and 69; bench/RESULTS.md, "Round-table objective").
    team_weight_share: float = 0.25
    #: Where a round-table question allows new teams (``allow_new``), the sites that may start
    #: one: those with a 24/7 SEH in the question's site state (complications after complex
    #: surgery need the emergency department at night). Assumption.
    new_team_eligible: EligibleRule = "seh_24_7"
    #: A baseline (provider records, known volumes) older than this many years before the site
    #: state's year is flagged in the result's warnings. Assumption (the issue's five years).
    baseline_max_age_years: int = 5
    #: A baseline that names at least this share of the hospitals that perform an intervention
    #: nationally (zorglandschap.baseline.PROVIDER_COUNTS) counts as complete: a round-table
    #: question then takes today's providers as its candidates. Below it (or with no national
    #: count) the candidates are the new-team sites plus the named ones, and only the named
    #: teams count as stopping. Assumption.
    baseline_min_share: float = 0.5


@dataclass(frozen=True)
class TravelSettings:
    """Constants of the default travel-time network (``zorglandschap.travel``).

    Edge minutes = straight-line length x ``detour_factor`` / speed, where the speed grows with
    the edge length from ``<profile>_speed_short_kmh`` towards ``<profile>_speed_long_kmh``
    (half-way at ``speed_half_km``) and is multiplied by ``urban_speed_factor`` where the
    population density is at least ``urban_density_per_km2``. See docs/travel.md.
    """

    #: Neighbours per node added to the Delaunay edges (robust near coasts). Assumption.
    knn: int = 8
    #: Longest proximity edge, km (longer straight edges are not road-like). Assumption.
    max_edge_km: float = 30.0
    #: Spacing of the points sampled along an edge for the on-land test, metres. Assumption.
    land_sample_m: float = 50.0
    #: Longest stretch of an edge allowed outside the land polygons, metres: absorbs the
    #: generalised coastline and narrow harbours, never a lake or sea arm. Assumption.
    max_water_m: float = 100.0
    #: Holes in the land mask smaller than this are filled, km2: the Belgian enclaves of
    #: Baarle-Hertog (foreign land, not water) and small lakes. Assumption.
    fill_holes_km2: float = 3.0
    #: Nearest on-land nodes joined to each end of a fixed link. Assumption.
    link_snap_k: int = 3
    #: Fixed-link ends farther than this from every node are dropped (regional extracts), km.
    link_snap_max_km: float = 8.0
    #: A fixed-link end up to this far off the generalised coast (a pier, a dike head) is
    #: moved onto the nearest land before it is joined to its nodes, metres. Assumption.
    link_snap_water_m: float = 1500.0
    #: Road distance / straight-line distance. Assumption (fixed, not fitted: it only scales
    #: the speeds below, which are fitted with it).
    detour_factor: float = 1.3
    #: Edge length at which speed is half-way between short and long, km. Calibrated on the
    #: Utrecht siren matrix, by trip-length band (zorglandschap.travel.calibration.fit; docs/travel.md).
    speed_half_km: float = 7.01
    #: Ambulance (siren) speed on short edges, km/h. Calibrated on the Utrecht siren matrix.
    ambulance_speed_short_kmh: float = 37.9
    #: Ambulance (siren) speed on long edges, km/h. Calibrated on the Utrecht siren matrix.
    ambulance_speed_long_kmh: float = 127.7
    #: Car speed on short edges, km/h. Calibrated on the 30-min (ORS, hospitals) and 15-min
    #: (OSRM, posts) isochrones (maximum F1).
    car_speed_short_kmh: float = 42.3
    #: Car speed on long edges, km/h. Calibrated on the 30-min (ORS, hospitals) and 15-min
    #: (OSRM, posts) isochrones (maximum F1).
    car_speed_long_kmh: float = 55.6
    #: Population density from which an edge counts as urban, inhabitants/km2 (mean of its
    #: two ends). Assumption (CBS calls >= 2,500 addresses/km2 "zeer sterk stedelijk").
    urban_density_per_km2: float = 2500.0
    #: Speed multiplier on urban edges. Calibrated on the Utrecht siren matrix.
    urban_speed_factor: float = 0.87
    #: Speed multiplier of the ambulance over the posted limit on fixed links. Assumption.
    ambulance_link_speed_factor: float = 1.0
    #: Express layer (motorway-like): the sites, clinics and posts get a copy in an express
    #: layer, joined to it by a ramp and to each other by on-land edges of at most this
    #: length, km (Delaunay over the hubs plus each hub's ``express_knn`` nearest hubs).
    #: 0 switches the layer off. Assumption (network construction).
    express_max_km: float = 40.0
    #: Nearest hubs each hub is joined to in the express layer. Assumption.
    express_knn: int = 6
    #: PC4 points join the express hubs where no hub lies within this distance, km (0: only
    #: sites, clinics, posts and fixed-link ends). Assumption.
    express_hub_spacing_km: float = 6.0
    #: Ambulance (siren) speed in the express layer, km/h (straight length x
    #: ``detour_factor``). Calibrated on the Utrecht siren matrix.
    ambulance_express_speed_kmh: float = 109.0
    #: Car speed in the express layer, km/h. Calibrated on the 30-min and 15-min isochrones.
    car_express_speed_kmh: float = 101.7
    #: Ambulance minutes to get on and off the express layer (once per trip, split over the
    #: two ramps). Calibrated on the Utrecht siren matrix.
    ambulance_express_ramp_minutes: float = 1.0
    #: Car minutes to get on and off the express layer. Calibrated on the isochrones.
    car_express_ramp_minutes: float = 8.1
    #: Overrides every ferry's waiting minutes when set (else the per-row value in
    #: regions/fixed_links.csv, each labelled an assumption there).
    ferry_waiting_minutes: float | None = None
    #: RIVM 45-minute composite: fixed minutes for dispatch/turn-out plus treatment on scene.
    #: The one parameter fitted to RIVM's published figure: ~33,000 inhabitants beyond 45 min
    #: of a 24/7 SEH in 2019 (RIVM bereikbaarheidsanalyse 2019). Calibrated with
    #: access.calibrate_fixed_minutes on the embedded 2019 sites and posts (day block): 9.0 min
    #: gives 28,655 beyond (99.84 % within); 9.25 gives 42,260. See docs/access.md. A
    #: first-principles value (3 min dispatch/turn-out + ~12 min on scene = 15) gives 106,640:
    #: the proximity network is slower than RIVM's road network near the 45-minute boundary.
    composite_fixed_minutes: float = 9.0


@dataclass(frozen=True)
class Settings:
    """All constants, grouped by the module that uses them."""

    access: AccessSettings = field(default_factory=AccessSettings)
    demand: DemandSettings = field(default_factory=DemandSettings)
    solver: SolverSettings = field(default_factory=SolverSettings)
    concentration: ConcentrationSettings = field(default_factory=ConcentrationSettings)
    travel: TravelSettings = field(default_factory=TravelSettings)

    def replace(self, **groups: dict[str, Any]) -> Settings:
        """Return a copy with some values overridden, e.g. ``replace(access={...})``.

        Raises
        ------
        ScenarioError
            If a group or a key does not exist, naming the valid ones, or a value has the
            wrong type for its setting (e.g. text for a number).
        """
        changes: dict[str, Any] = {}
        for group_name, values in groups.items():
            if group_name not in {f.name for f in dataclasses.fields(self)}:
                valid = ", ".join(f.name for f in dataclasses.fields(self))
                raise ScenarioError(
                    f"Unknown settings group {group_name!r}; valid groups: {valid}."
                )
            group = getattr(self, group_name)
            valid_keys = {f.name for f in dataclasses.fields(group)}
            unknown = sorted(set(values) - valid_keys)
            if unknown:
                raise ScenarioError(
                    f"Unknown key(s) {', '.join(unknown)} in settings group {group_name!r}; "
                    f"valid keys: {', '.join(sorted(valid_keys))}."
                )
            hints = typing.get_type_hints(type(group))
            wrong = [
                _type_problem(group_name, key, value, hints[key])
                for key, value in sorted(values.items())
            ]
            wrong = [w for w in wrong if w]
            if wrong:
                raise ScenarioError(" ".join(wrong))
            as_tuples = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
            changes[group_name] = dataclasses.replace(group, **as_tuples)
        return dataclasses.replace(self, **changes)


def _type_problem(group: str, key: str, value: Any, hint: Any) -> str:
    """Why ``value`` does not fit a setting (type, range, choices), or "" when it fits."""
    name = f"{group}.{key}"
    allowed = set(typing.get_args(hint)) or {hint}
    if typing.get_origin(hint) is Literal:
        if value in allowed:
            return ""
        valid = ", ".join(repr(c) for c in typing.get_args(hint))
        return f"{name} must be one of {valid}, got {value!r}; fix the value."
    if value is None:
        return "" if type(None) in allowed else f"{name} must not be empty (None)."
    if typing.get_origin(hint) is tuple:
        return _tuple_problem(name, key, value, hint)
    if int in allowed or float in allowed:
        return _number_problem(name, key, value, whole=float not in allowed)
    for kind, want in ((bool, "true or false"), (str, "a text")):
        if kind in allowed and not isinstance(value, kind):
            return f"{name} must be {want}, got {value!r}; fix the value."
    return ""


def _number_problem(name: str, key: str, value: Any, *, whole: bool) -> str:
    """Why a numeric setting's value does not fit: not a number, or out of its range."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or (whole and not isinstance(value, numbers.Integral))
    ):
        want = "a whole number" if whole else "a number"
        return f"{name} must be {want}, got {value!r}; fix the value."
    try:
        check_value(name, value, setting_rule(key, whole=whole))
    except InputError as exc:
        return str(exc)
    return ""


def _tuple_problem(name: str, key: str, value: Any, hint: Any) -> str:
    """Why a tuple setting's value does not fit: not a list, or (for ``*_blocks``) an element
    that is not a time block."""
    if isinstance(value, str) or not isinstance(value, list | tuple):
        return f'{name} must be a list, e.g. ["day", "evening"], got {value!r}; fix the value.'
    if key.endswith("_blocks") and typing.get_args(hint)[0] is str:
        wrong = [v for v in value if v not in TIME_BLOCKS]
        if wrong:
            return (
                f"{name}: {', '.join(repr(w) for w in wrong)} is not a time block; "
                f"valid: {', '.join(TIME_BLOCKS)}."
            )
    return ""


#: Numeric settings with a rule of their own (by key); the others follow their key's suffix.
_RULES_BY_KEY: dict[str, Any] = {
    "gap": Gap,
    "start_gap": Gap,
    "far_tolerance": Share,
    "cut_keep_share": NonNegative,  # a threshold: above 1 the cuts are never kept
    "norm_minutes": Minutes,
    "max_minutes": Minutes,
    "report_minutes": Minutes,
    **dict.fromkeys(
        ("knn", "express_knn", "link_snap_k", "near_sites", "start_near_sites", "threads"),
        PositiveCount,
    ),
    **dict.fromkeys(("workers", "max_rounds"), PositiveCount),
}
#: Key suffix → rule (for a whole-number setting, then for a fractional one).
_RULES_BY_SUFFIX: tuple[tuple[str, Any, Any], ...] = (
    ("_share", Share, Share),
    ("_kmh", PositiveCount, Positive),
    ("_factor", PositiveCount, Positive),
    ("_seconds", PositiveCount, Positive),
    ("_minutes", Count, FixedMinutes),
)


def setting_rule(key: str, *, whole: bool = False) -> Any:
    """The checks type (:mod:`zorglandschap.checks`) a numeric setting must satisfy, by its key.

    Every numeric setting is finite and not negative; speeds, factors, time limits and
    neighbour counts must be positive; gaps and shares lie between 0 and 1. (A length of 0 km
    can switch a part off, e.g. ``express_max_km``.)

    >>> setting_rule("gap") is Gap, setting_rule("ambulance_speed_long_kmh") is Positive
    (True, True)
    """
    if key in _RULES_BY_KEY:
        return _RULES_BY_KEY[key]
    for suffix, whole_rule, rule in _RULES_BY_SUFFIX:
        if key.endswith(suffix):
            return whole_rule if whole else rule
    return Count if whole else NonNegative


DEFAULT_SETTINGS = Settings()
