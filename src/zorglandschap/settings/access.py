"""Settings of access (the 45-minute reach: blocks, posts, norms), demand and population."""

from __future__ import annotations

from dataclasses import dataclass


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
