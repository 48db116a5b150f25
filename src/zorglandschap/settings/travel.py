"""Settings of the travel-time network and the calibration regimes of the RIVM composite."""

from __future__ import annotations

import math
from dataclasses import dataclass

from zorglandschap.errors import ScenarioError
from zorglandschap.vocab import REGIME_NAMES, RegimeName, RivmMeasure


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
