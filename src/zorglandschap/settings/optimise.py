"""Settings of the solver, the concentration of complex care and acute-care spreading."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from zorglandschap.vocab import TIME_BLOCKS, EligibleRule


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
