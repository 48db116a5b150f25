"""Every model constant in one place, each with its source or labelled an assumption.

The settings are frozen dataclasses. A scenario (or a caller) overrides values with
:func:`Settings.replace`, e.g. ``DEFAULT_SETTINGS.replace(access={"fixed_minutes": 14})``;
nothing else in the package holds a magic number.
"""

from __future__ import annotations

import dataclasses
import math
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
from zorglandschap.vocab import REGIME_NAMES, TIME_BLOCKS, EligibleRule, RegimeName, RivmMeasure

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
    #: Opening blocks of the limited-hours SEHs whose hours are published (they override
    #: ``limited_hours_blocks`` for that site; a scenario's ``[[site]] blocks`` overrides both).
    #: A block counts as open when the SEH is open for at least half of its hours (assumption;
    #: day = 08-18, evening = 18-23, night = 23-08, weekend = Saturday and Sunday daytime).
    #: Sources: /shared/data/curated/NOTES-2026-update.md section 2.
    #: - Ziekenhuis Amstelland: every day 08:00-22:00 (hospital website) → day, evening, weekend.
    #: - Franciscus Vlietland: 10:00-21:00 since 1 May 2017 (AD, 2022) → day (8 of 10 h), evening
    #:   (3 of 5 h); open on weekend days too is an assumption (the source gives no days).
    #: - Gelre Zutphen: office hours only since 1 September 2023 (NH Nieuws, 2023) → day only;
    #:   closed at weekends is an inference in the notes.
    site_opening_blocks: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("zh-amstelland-amstelveen", ("day", "evening", "weekend")),
        ("franciscus-vlietland", ("day", "evening", "weekend")),
        ("gelre-zh-zutphen", ("day",)),
    )
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
class PopulationSettings:
    """The national population of later years, to scale the 2021 PC4 population to
    (:mod:`zorglandschap.landscape.population`; a scenario's ``population_year``)."""

    #: CBS's national population on 1 January of a year, ``((year, inhabitants), ...)``:
    #: 18.05 million on 1 Jan 2025 and 18.13 million on 1 Jan 2026 (provisional), CBS as
    #: reported by ANP (Jan 2025, Feb 2026); shared/data/curated/NOTES-2026-update.md §4. On the
    #: shipped 2021 PC4 total of 17,472,870 (regions/PROVENANCE.md) the factors are 1.0330 and
    #: 1.0376. Scaling every area by one factor keeps its 2021 share and age profile: an
    #: assumption (CBS withdrew the age detail of its regional forecasts as unreliable).
    national_totals: tuple[tuple[int, float], ...] = ((2025, 18_050_000.0), (2026, 18_130_000.0))


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
    #: (OSRM, posts) isochrones: F1 and the population within / beyond (travel.calibration).
    car_speed_short_kmh: float = 44.49
    #: Car speed on long edges, km/h. Calibrated with the short speed (bounded: not slower).
    car_speed_long_kmh: float = 51.54
    #: Population density from which an edge counts as urban, inhabitants/km2 (mean of its
    #: two ends). Assumption (CBS calls >= 2,500 addresses/km2 "zeer sterk stedelijk").
    urban_density_per_km2: float = 2500.0
    #: Speed multiplier on urban edges. Calibrated on the Utrecht siren matrix.
    urban_speed_factor: float = 0.87
    #: Population density below which an edge counts as rural, inhabitants/km2 (mean of its
    #: two ends). Assumption (CBS calls < 500 addresses/km2 "niet stedelijk").
    rural_density_per_km2: float = 500.0
    #: Car speed multiplier on rural proximity edges (the ambulance keeps its speeds there).
    #: Calibrated on the isochrones together with the car speeds (docs/travel.md); 1 = off.
    car_rural_speed_factor: float = 0.936
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
    car_express_speed_kmh: float = 97.97
    #: Ambulance minutes to get on and off the express layer (once per trip, split over the
    #: two ramps). Calibrated on the Utrecht siren matrix.
    ambulance_express_ramp_minutes: float = 1.0
    #: Car minutes to get on and off the express layer. Calibrated on the isochrones.
    car_express_ramp_minutes: float = 8.58
    #: Overrides every ferry's waiting minutes when set (else the per-row value in
    #: regions/fixed_links.csv, each labelled an assumption there).
    ferry_waiting_minutes: float | None = None
    #: RIVM 45-minute composite: the calibration regime (:data:`REGIMES`) whose fixed minutes
    #: and ambulance speed factor the composite uses, unless the two keys below override them.
    #: Every reach and sensitivity figure is computed in one regime (docs/access.md).
    regime: RegimeName = "rivm2022"
    #: RIVM composite: fixed minutes for dispatch/turn-out plus treatment on scene; None = the
    #: regime's value (``--fixed-minutes`` overrides it).
    composite_fixed_minutes: float | None = None
    #: RIVM composite: multiplier on every ambulance driving speed (roads, bridges, dams, the
    #: tunnel; ferries keep their minutes) relative to the siren calibration; None = the
    #: regime's value. Below 1: slower than the Utrecht siren matrix.
    composite_speed_factor: float | None = None
    #: A user travel-time matrix (``--matrix``) is refused when a cell exceeds this, minutes:
    #: such a file is in seconds, not minutes. Assumption: half a day, against the longest
    #: trip of the default network, 447 car minutes (Vlieland → Heerlen, ferry included).
    matrix_file_max_minutes: float = 720.0
    #: A user matrix whose median cell is below this is refused, minutes: such a file is in
    #: hours. Assumption: the default network's median PC4 → site time is 102 car minutes
    #: nationally, and no region has half its trips under 2 minutes.
    matrix_file_min_median_minutes: float = 2.0


@dataclass(frozen=True)
class RivmFigure:
    """A figure RIVM published about its 45-minute reach analysis.

    ``state_date`` names the site state it describes: the 2019 RIVM list with the dated
    changes of ``regions/site_changes_2019_2025.csv`` up to that day applied (RIVM's lists have
    a peildatum in spring; 1 March is an assumption).
    """

    measure: RivmMeasure
    value: float
    state_date: str
    source: str
    #: For a check: the model figure passes within ``value ± tolerance``. 0 for a fit target.
    tolerance: float = 0.0


#: RIVM, 2017–2020 analyses: about 33,000 inhabitants beyond 45 minutes of a 24/7 SEH (99.8 %
#: within; "ruim 33 duizend" in 2019), 10–11 sensitive SEH and 13 sensitive AV locations
#: (Kamerstuk 29247-315); 2021 analysis (still the old speeds): SEH 33,700, AV 34,000
#: (vzinfo.nl). 2022 analysis (speeds re-measured July 2019–June 2020, lower): SEH 59,800
#: (0.3 %), AV 61,600 (vzinfo.nl, AV and SEH pages); 2023: 29 of 83 SEH and 32 of 72 AV
#: locations sensitive (rivm.nl/acute-zorg/spoedzorg-in-ziekenhuizen). All as quoted in
#: shared/data/curated/NOTES-2026-update.md, section 1.
_KAMERSTUK = "Kamerstuk 29247-315 (RIVM bereikbaarheidsanalyses 2017-2020)"
_VZINFO = "vzinfo.nl, SEH and acute verloskunde pages (RIVM bereikbaarheidsanalyse)"
_RIVM_2023 = "rivm.nl/acute-zorg/spoedzorg-in-ziekenhuizen (RIVM analysis 2023)"


@dataclass(frozen=True)
class CalibrationRegime:
    """One regime of RIVM's reach model: the composite's parameters and the figures behind them.

    The parameters are fitted on ``targets`` only (``zorglandschap travel calibrate --regime``,
    :mod:`zorglandschap.access.regimes`); ``checks`` are figures the fit is checked against, never
    fitted on.
    """

    name: RegimeName
    description: str
    #: Dispatch/turn-out plus on-scene minutes of the composite.
    fixed_minutes: float
    #: Multiplier on every ambulance driving speed, relative to the siren calibration.
    ambulance_speed_factor: float
    #: Which of the two parameters the fit chose (the other is given, with its reason).
    fitted: tuple[str, ...]
    targets: tuple[RivmFigure, ...]
    checks: tuple[RivmFigure, ...]


#: The calibration regimes. Figures and fits: docs/access.md ("Two calibration regimes").
REGIMES: dict[str, CalibrationRegime] = {
    "rivm2019": CalibrationRegime(
        name="rivm2019",
        description=(
            "RIVM's reach model before the 2021 update of its ambulance speeds (analyses "
            "2017-2021). Speeds as the siren calibration (factor 1, the Utrecht siren matrix); "
            "the fixed minutes fitted on 'ruim 33 duizend' beyond 45 minutes in 2019."
        ),
        fixed_minutes=9.5,
        ambulance_speed_factor=1.0,
        fitted=("fixed_minutes",),
        targets=(RivmFigure("beyond_seh", 33_000, "2019-03-01", _KAMERSTUK),),
        checks=(
            RivmFigure("beyond_seh", 33_700, "2021-03-01", _VZINFO, tolerance=5_000),
            RivmFigure("beyond_av", 34_000, "2021-03-01", _VZINFO, tolerance=5_000),
            RivmFigure("sensitive_seh", 10.5, "2019-03-01", _KAMERSTUK, tolerance=3),
            RivmFigure("sensitive_av", 13, "2019-03-01", _KAMERSTUK, tolerance=3),
        ),
    ),
    "rivm2022": CalibrationRegime(
        name="rivm2022",
        description=(
            "RIVM's reach model since its 2021 update (ambulance speeds measured July 2019-June "
            "2020, lower; analyses from 2022). The fixed minutes stay those of rivm2019 (the "
            "update re-estimated driving speeds only); the speed factor is fitted on the 2022 "
            "counts beyond 45 minutes for SEH and AV."
        ),
        fixed_minutes=9.5,
        ambulance_speed_factor=0.928,
        fitted=("ambulance_speed_factor",),
        targets=(
            RivmFigure("beyond_seh", 59_800, "2022-03-01", _VZINFO),
            RivmFigure("beyond_av", 61_600, "2022-03-01", _VZINFO),
        ),
        checks=(
            RivmFigure("sensitive_seh", 29, "2023-03-01", _RIVM_2023, tolerance=6),
            RivmFigure("sensitive_av", 32, "2023-03-01", _RIVM_2023, tolerance=6),
        ),
    ),
}


def composite_parameters(travel: TravelSettings) -> tuple[float, float]:
    """The composite's fixed minutes and ambulance speed factor: the regime's, or overrides.

    Raises
    ------
    ScenarioError
        If the regime is unknown, or an override is not a finite number in range (fixed
        minutes 0-120, speed factor more than 0 and at most 3).

    Examples
    --------
    >>> composite_parameters(TravelSettings(regime="rivm2019"))
    (9.5, 1.0)
    >>> composite_parameters(TravelSettings(composite_fixed_minutes=12.0))[0]
    12.0
    """
    if travel.regime not in REGIMES:
        valid = ", ".join(REGIME_NAMES)
        raise ScenarioError(f"travel.regime {travel.regime!r} is unknown; valid: {valid}.")
    regime = REGIMES[travel.regime]
    fixed = regime.fixed_minutes
    if travel.composite_fixed_minutes is not None:
        fixed = float(travel.composite_fixed_minutes)
    factor = regime.ambulance_speed_factor
    if travel.composite_speed_factor is not None:
        factor = float(travel.composite_speed_factor)
    if not (math.isfinite(fixed) and 0 <= fixed <= 120):
        raise ScenarioError(
            f"travel.composite_fixed_minutes must be a finite number of minutes from 0 to 120, "
            f"got {fixed}."
        )
    if not (math.isfinite(factor) and 0 < factor <= 3):
        raise ScenarioError(
            f"travel.composite_speed_factor must be a finite number more than 0 and at most 3, "
            f"got {factor}."
        )
    return fixed, factor


@dataclass(frozen=True)
class SpreadingSettings:
    """Constants of the acute-care spreading model (:mod:`zorglandschap.optimise.spreading`).

    The model's time blocks cover every hour of the week once: **day** = Monday–Friday 08–18,
    **evening** = Monday–Friday 18–23, **night** = every day 23–08, **weekend** = Saturday and
    Sunday 08–23. These are the weekday blocks of the SAZ SEH data sheet (08–18, 18–23, 23–08)
    with the weekend's day and evening hours as one block, as in the access analysis (which
    staffs "day/evening" ambulance posts and opens limited-hours SEHs in the weekend block).
    Sources are in ``shared/data/curated/NOTES-2026-update.md`` (section 3) unless said otherwise.
    """

    #: SEH visits a year, nationally: 1,840,000 in 2022 (LIS estimate, vzinfo.nl).
    seh_visits_per_year: float = 1_840_000.0
    #: The population those visits are spread over: the embedded CBS PC4 total of 1 January
    #: 2021 (regions/pc4.csv). Using the 2022 count on the 2021 population is an assumption;
    #: the rate (0.105 visits per inhabitant a year) is applied uniformly to every age and
    #: area (assumption: age-specific SEH rates are not in the data).
    visits_population: float = 17_472_870.0
    #: Share of the patients present on a weekday, per block: 08–18 60.8 %, 18–23 25.2 %,
    #: 23–08 14.0 % (SAZ SEH data sheet, 29 general hospitals, 2018–2019, arithmetic on its
    #: hourly tables, as found in TNO/dashboard-acute-zorg).
    weekday_block_shares: tuple[tuple[str, float], ...] = (
        ("day", 0.608),
        ("evening", 0.252),
        ("night", 0.140),
    )
    #: The same for a weekend day: 08–23 55.3 % + 25.3 % = 80.6 %, 23–08 19.4 % (SAZ sheet).
    weekend_block_shares: tuple[tuple[str, float], ...] = (("weekend", 0.806), ("night", 0.194))
    #: Share of the week's SEH load that falls on the two weekend days: 2/7, i.e. every day of
    #: the week carries the same load. Assumption (the sheet's day-of-week totals were not
    #: read). With the shares above the year's load per block is day 43.4 %, evening 18.0 %,
    #: night 15.5 %, weekend 23.0 % (:meth:`block_load_shares`).
    weekend_load_share: float = 2.0 / 7.0
    #: Share of SEH visits that arrive by ambulance: 21–22 % (SAZ sheet, 2018–2019); 21.5 %
    #: taken. Reported with the moved visits (ambulance rides that go elsewhere).
    ambulance_share: float = 0.215
    #: Share of an SEH's visits a poliklinische spoedzorglocatie (spoedpost) on the same site
    #: keeps in the blocks it is open: the self-referred, 17.4 % of SEH visits in 2015 (Gaakeer
    #: et al., NTvG 2016;160:D970). That a spoedpost treats exactly the self-referred is an
    #: assumption; every other visit goes to the nearest open SEH.
    spoedpost_keeps_share: float = 0.174
    #: Blocks in which a spoedpost is open: day and evening (self-referrals day/evening, as in
    #: issue 13; e.g. the St Jansdal Lelystad spoedpoli, 07:30–21:30 since 2019). Assumption.
    spoedpost_blocks: tuple[str, ...] = ("day", "evening")
    #: An open SEH may take at most this multiple of its own load today in a block (its
    #: capacity). Assumption (no published capacity per SEH was found); override per question.
    capacity_factor: float = 1.5
    #: The visits of an SEH closed in a block go to the nearest open SEH among its this-many
    #: nearest SEHs (car minutes); a plan that closes all of them in one block is not
    #: considered. Model size only, assumption; a national run checks that no plan reaches it.
    receiving_sites: int = 10
    #: Staff per open SEH block, by role: 1 SEH physician ("arts-SEH": an SEH physician or a
    #: poortspecialist with SEH experience) and 2 SEH nurses. The TNO night-closure dashboard's
    #: default for an open night (TNO/dashboard-acute-zorg, src/states/store.ts); the
    #: Kwaliteitskader Spoedzorgketen requires at least one physician during opening hours.
    #: The same for day, evening and weekend is an assumption (the dashboard leaves them blank).
    open_staff: tuple[tuple[str, float], ...] = (("physician", 1.0), ("nurse", 2.0))
    #: Staff a hospital keeps on its SEH in a block its SEH is closed: 1 arts-SEH and 1 SEH
    #: nurse, the TNO dashboard's default for a night closure ("bij nachtsluiting 1 arts-SEH en
    #: 1 SEH-vpk"); for other blocks and for an SEH closed altogether an assumption.
    closed_staff: tuple[tuple[str, float], ...] = (("physician", 1.0), ("nurse", 1.0))
    #: Staff of a spoedpost in a block it is open. Assumption: no norm for poliklinische
    #: spoedzorglocaties was found (Kwaliteitskader Spoedzorgketen; NOTES-2026-update section 3).
    spoedpost_staff: tuple[tuple[str, float], ...] = (("physician", 1.0), ("nurse", 1.0))
    #: Hours per week in each block (arithmetic on the block definitions above: 5 x 10, 5 x 5,
    #: 7 x 9, 2 x 15; 168 in all). They weigh staff into staff-hours.
    block_hours_per_week: tuple[tuple[str, float], ...] = (
        ("day", 50.0),
        ("evening", 25.0),
        ("night", 63.0),
        ("weekend", 30.0),
    )
    #: At least this many 24/7 SEHs per region of the guarantee layer (issue 13: one per ROAZ
    #: region), capped at the region's count today.
    per_region_24_7: int = 1
    #: Wall-time limit of each solve of the diagnosis (one per relaxed rule), seconds. An
    #: unproven relaxation is reported as such. Assumption.
    diagnosis_seconds: float = 20.0

    def block_load_shares(self) -> dict[str, float]:
        """Share of the year's SEH load in each block, from the weekday and weekend profiles.

        >>> shares = SpreadingSettings().block_load_shares()
        >>> round(shares["night"], 4), round(sum(shares.values()), 6)
        (0.1554, 1.0)
        """
        weekend = self.weekend_load_share
        shares: dict[str, float] = dict.fromkeys(TIME_BLOCKS, 0.0)
        for block, share in self.weekday_block_shares:
            shares[block] += (1.0 - weekend) * share
        for block, share in self.weekend_block_shares:
            shares[block] += weekend * share
        return shares


@dataclass(frozen=True)
class Settings:
    """All constants, grouped by the module that uses them."""

    access: AccessSettings = field(default_factory=AccessSettings)
    demand: DemandSettings = field(default_factory=DemandSettings)
    population: PopulationSettings = field(default_factory=PopulationSettings)
    solver: SolverSettings = field(default_factory=SolverSettings)
    concentration: ConcentrationSettings = field(default_factory=ConcentrationSettings)
    travel: TravelSettings = field(default_factory=TravelSettings)
    spreading: SpreadingSettings = field(default_factory=SpreadingSettings)

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
            as_tuples = {k: _as_tuple(v) for k, v in values.items()}
            changes[group_name] = dataclasses.replace(group, **as_tuples)
        return dataclasses.replace(self, **changes)


def _as_tuple(value: Any) -> Any:
    """A TOML list (of lists) as the tuple (of tuples) a frozen setting holds."""
    if isinstance(value, list | tuple):
        return tuple(_as_tuple(v) for v in value)
    return value


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
    return _pairs_problem(name, value, typing.get_args(hint)[0])


def _pairs_problem(name: str, value: list[Any] | tuple[Any, ...], inner: Any) -> str:
    """For a list of pairs of plain values (``[[2026, 18130000.0], ...]``): why an entry does
    not fit its ``(text | whole number | number, ...)`` shape, or "" when all fit."""
    kinds = typing.get_args(inner) if typing.get_origin(inner) is tuple else ()
    if not kinds or not all(k in (str, int, float) for k in kinds):
        return ""
    for entry in value:
        fits = isinstance(entry, list | tuple) and len(entry) == len(kinds)
        if fits:
            for part, kind in zip(entry, kinds, strict=True):
                number = isinstance(part, numbers.Real) and not isinstance(part, bool)
                if kind is str:
                    fits &= isinstance(part, str)
                elif kind is int:
                    fits &= number and isinstance(part, numbers.Integral)
                else:
                    fits &= number and math.isfinite(part) and part >= 0
        if not fits:
            shape = ", ".join({str: "text", int: "whole number", float: "number"}[k] for k in kinds)
            return f"{name}: entry {entry!r} must be a list [{shape}] (numbers finite and not negative); fix the value."
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
    "matrix_file_max_minutes": Minutes,
    "matrix_file_min_median_minutes": Minutes,
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
