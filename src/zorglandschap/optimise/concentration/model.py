r"""The concentration model: one class built from explicit sparse inputs, solved into a result.

:class:`ConcentrationModel` checks its inputs once (:mod:`.inputs`), builds the reach blocks
(:mod:`.blocks`), and :meth:`ConcentrationModel.solve` runs the solution method
(:mod:`.method`) into an immutable :class:`~.result.ConcentrationResult` (:mod:`.assemble`);
:meth:`ConcentrationModel.tradeoff` computes a trade-off curve (travel against the number of
sites, or against disruption) in one call.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from zorglandschap.errors import ScenarioError
from zorglandschap.optimise.concentration.assemble import Solved, empty_result, plan_result
from zorglandschap.optimise.concentration.blocks import Block, build_block
from zorglandschap.optimise.concentration.diagnosis import elastic_lines, presolve_checks
from zorglandschap.optimise.concentration.formulation import Formulation, Spec
from zorglandschap.optimise.concentration.groups import combine, components, solve_groups
from zorglandschap.optimise.concentration.inputs import Extra, Instance, SiteSets, validate
from zorglandschap.optimise.concentration.method import GroupJob, PhaseProgress
from zorglandschap.optimise.concentration.result import ConcentrationResult, TradeoffCurve
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.travel.sources import NETWORK_LABEL

__all__ = ["ConcentrationModel"]


class ConcentrationModel:
    r"""Concentrate complex interventions on the sites that offer them.

    Sets: demand points :math:`i \in I`, candidate sites :math:`j \in J_p` (eligible, not
    closed), interventions :math:`p \in P`, regions :math:`r \in R` with sites
    :math:`J_{pr} \subseteq J_p`; reachable pairs :math:`A_p = \{(i, j): t_{ij} \le T_p\}`.

    Parameters: patients per year :math:`d_{ip}`, travel minutes :math:`t_{ij}`, volume norm
    :math:`V_p`, capacity :math:`C_{jp}`, maximum travel time :math:`T_p`, region guarantee
    :math:`k_{pr}`, site bounds :math:`\underline{n}_p, \overline{n}_p`, baseline
    :math:`b_{jp} \in \{0,1\}` (offers today), disruption weights :math:`w^{stop}, w^{start}`.

    Variables: :math:`y_{jp} \in \{0,1\}` (site j offers p), :math:`x_{ijp} \in [0,1]` (share of
    i's patients for p treated at j), created only for :math:`(i,j) \in A_p`.

    .. math::

        \min \; & \sum_p \sum_{(i,j) \in A_p} d_{ip} t_{ij} x_{ijp}
              + w^{stop} \sum_{b_{jp}=1} (1 - y_{jp}) + w^{start} \sum_{b_{jp}=0} y_{jp} \\
        \text{s.t.} \; & \sum_{j:(i,j) \in A_p} x_{ijp} = 1 & \forall i, p
                     & \text{(every patient served within } T_p) \\
        & x_{ijp} \le y_{jp} & \forall (i,j) \in A_p, p \\
        & \sum_i d_{ip} x_{ijp} \ge V_p \, y_{jp} & \forall j, p & \text{(volume norm)} \\
        & \sum_i d_{ip} x_{ijp} \le C_{jp} \, y_{jp} & \forall j, p & \text{(capacity)} \\
        & \underline{n}_p \le \sum_j y_{jp} \le \overline{n}_p & \forall p \\
        & \sum_{j \in J_{pr}} y_{jp} \ge k_{pr} & \forall p, r & \text{(region guarantee)} \\
        & y_{jp} = y_{jq} & \forall j, \{p, q\} \text{ shared} \\
        & \sum_{k: t_{ik} \le t_{ij}} x_{ikp} \ge y_{jp} & \forall (i,j) \in A_p
                     & \text{(closest assignment, optional)}

    plus forced sites (:math:`y_{jp} = 1` or the site removed from :math:`J_p`). The
    disruption of a plan is

    .. math::

        \Delta = \sum_p K_p \Big( \sum_{b_{jp}=1} (1 - y_{jp})
                 + \sum_{b_{jp}=0} y_{jp} \Big)
                 + \sum_p \sum_{i: h_{ip}} d_{ip} (1 - x_{i h_{ip} p})

    — team changes, each weighing :math:`K_p` patients, plus the patients a year who change
    hospital, :math:`h_{ip}` being today's hospital of :math:`i` (its nearest baseline
    provider). The round-table objective (``objective="disruption"``) is lexicographic: first
    :math:`\Delta^* = \min \Delta`, then the least travel
    :math:`\sum_p \sum d_{ip} t_{ij} x_{ijp}` subject to the same constraints and
    :math:`\Delta \le \Delta^*`.

    Solution method (all exact; :mod:`.method`):

    * demand points with identical reach (same sites, same minutes) are merged;
    * valid inequalities :math:`V_p \sum_j y_{jp} \le \sum_i d_{ip}` and, per region,
      :math:`V_p \sum_{j \in J_{pr}} y_{jp} \le` the demand that can reach :math:`J_{pr}`;
      sites that cannot reach :math:`V_p` patients are fixed closed;
    * **near-far links**: each demand point's K nearest sites (ties included) get the strong
      link :math:`x_{ijp} \le y_{jp}`; its farther pairs share one aggregated link per site,
      :math:`\sum_{i \text{ far}} d_{ip} x_{ijp} \le y_{jp} \sum_{i \text{ far}} d_{ip}`
      (the same plans with binary y; only the LP relaxation is weaker);
    * interventions not coupled by shared sites are solved as separate models (exact), side
      by side in worker processes;
    * **cluster norm cuts** tighten the LP relaxation, and a **start plan** (the best plan on
      the sites the LP relaxation opens: a restriction of the model, so a valid incumbent) is
      handed to the solver; speed only, never the optimum.

    Parameters
    ----------
    demand
        Patients per year; index demand ids, one column per intervention.
    pairs
        Columns ``demand_id``, ``site_id``, ``minutes``. Pairs beyond the maximum travel time
        may be included (they are used to diagnose infeasibility).
    norms
        Volume norm per intervention (patients per year per site). Required for every
        intervention: a norm is never defaulted.
    max_minutes
        Maximum travel time, minutes, one value or per intervention (default
        ``settings.concentration.max_minutes``; ``math.inf`` for none).
    sites
        Site table, index ``site_id``; optional columns ``name`` and ``region``. Default: the
        site ids in ``pairs``.
    capacity
        Maximum patients a year per site: a Series (all interventions) or a DataFrame (index site
        id, one column per intervention).
    baseline
        Which sites offer each intervention today: mapping intervention -> site ids.
    baseline_volume
        Columns ``intervention, site_id, volume, source`` (known or estimated volumes).
    min_sites, max_sites
        Bounds on the number of offering sites (one value or per intervention).
    per_region
        At least this many sites per region (sites' ``region`` column): one integer for every
        region, or a mapping region -> integer.
    open_sites, closed_sites
        Sites forced to offer / not to offer (site ids, or mapping intervention -> site ids).
    eligible
        Candidate sites (site ids, or mapping intervention -> site ids). Default: all sites.
    share_sites
        Groups of interventions that must be offered at the same sites.
    closest_assignment
        Patients go to their nearest offering site (ties may split).
    objective
        ``travel`` (default): travel plus the weighted team changes and moved patients;
        ``disruption``: the round table's lexicographic objective (disruption first, then
        travel; see above).
    stop_weight, start_weight
        ``travel`` objective: patient-minutes a year that one stopping / starting team weighs
        (default ``settings.concentration.disruption_weight``).
    today
        Today's hospital of each demand id, per intervention (mapping intervention ->
        mapping demand id -> site id); default: each point's nearest baseline provider.
    team_weight
        ``disruption`` objective: patients moved that one team change weighs, one value or
        per intervention (default ``settings.concentration.team_weight_share`` of the norm).
    partial_baseline
        Interventions whose baseline names only some of today's teams: in the disruption
        only their named teams that stop count (a new team may be an unnamed one; patients
        moved are not counted).
    demand_region, demand_names
        Region and display name of each demand id (for indicators and diagnosis).
    detail, detail_pairs
        Optional finer demand (e.g. PC4) for reporting a plan solved on aggregated demand:
        ``detail`` has columns ``detail_id``, ``demand_id`` and one per intervention;
        ``detail_pairs`` has ``detail_id, site_id, minutes``.
    region_label
        Word for regions in messages (``ROAZ region``).
    demand_level
        Label of the demand level (``municipality``, ``pc4``, ``custom``).
    beyond_limit
        What to do with demand points that have no candidate site within the maximum time:
        ``error`` (the plan is infeasible, with a diagnosis) or ``exempt`` (the limit does not
        apply to them — e.g. the Wadden islands, beyond 90 minutes of any hospital — and the
        result names them).
    state_name
        The site state the candidates were chosen on (e.g. ``2025`` or a scenario's name), for
        the result; ``custom`` by default.
    travel_source
        Where the travel minutes came from (``network``, or a user matrix's label), for the
        result.
    warnings
        Warnings about the data (e.g. an old baseline), carried into the result.
    infeasible_hints
        Lines added to the diagnosis when the plan is infeasible (e.g. what else to try).
    teams_today
        How many teams offer each intervention today where ``baseline`` names only some of
        them (a national count): the result compares the plan with it. Default: the
        baseline's sites.
    extra
        A callable ``extra(problem, handles)`` that adds the user's own constraints to every
        problem built (:class:`~zorglandschap.optimise.concentration.formulation.Handles`
        gives the variables and rows by intervention); a module-level function, so that
        worker processes can run it.
    coarse
        The same question on coarser demand (e.g. municipalities for a PC4 model): its plan,
        solved first to ``settings.concentration.start_gap``, gives the start plan's sites.
        Speed only: the model itself is still solved to the gap tolerance.
    settings
        Settings.

    Examples
    --------
    >>> import pandas as pd
    >>> demand = pd.Series({"a": 12.0, "b": 10.0, "c": 9.0}, name="p")
    >>> pairs = pd.DataFrame({"demand_id": ["a", "a", "b", "b", "c"],
    ...                       "site_id": ["S1", "S2", "S1", "S2", "S2"],
    ...                       "minutes": [10.0, 30.0, 20.0, 15.0, 5.0]})
    >>> result = ConcentrationModel.from_pairs(demand, pairs, norm=20).solve(solver="cbc")
    >>> result.status, result.offering(), round(result.travel, 1)
    ('optimal', ['S2'], 555.0)
    """

    def __init__(
        self,
        demand: pd.DataFrame,
        pairs: pd.DataFrame,
        *,
        norms: Mapping[str, float],
        max_minutes: float | Mapping[str, float] | None = None,
        sites: pd.DataFrame | None = None,
        capacity: pd.Series | pd.DataFrame | None = None,
        baseline: Mapping[str, Iterable[str]] | None = None,
        baseline_volume: pd.DataFrame | None = None,
        min_sites: int | Mapping[str, int] | None = None,
        max_sites: int | Mapping[str, int] | None = None,
        per_region: int | Mapping[str, int] = 0,
        open_sites: SiteSets | None = None,
        closed_sites: SiteSets | None = None,
        eligible: SiteSets | None = None,
        share_sites: Sequence[Sequence[str]] = (),
        closest_assignment: bool = False,
        objective: str = "travel",
        stop_weight: float | None = None,
        start_weight: float | None = None,
        today: Mapping[str, Mapping[str, str]] | None = None,
        team_weight: float | Mapping[str, float] | None = None,
        partial_baseline: Sequence[str] = (),
        demand_region: pd.Series | None = None,
        demand_names: pd.Series | None = None,
        detail: pd.DataFrame | None = None,
        detail_pairs: pd.DataFrame | None = None,
        region_label: str = "region",
        demand_level: str = "custom",
        beyond_limit: str = "error",
        state_name: str = "custom",
        travel_source: str = NETWORK_LABEL,
        warnings: Sequence[str] = (),
        infeasible_hints: Sequence[str] = (),
        teams_today: Mapping[str, int] | None = None,
        extra: Extra | None = None,
        coarse: ConcentrationModel | None = None,
        settings: Settings = DEFAULT_SETTINGS,
    ) -> None:
        options = {k: v for k, v in locals().items() if k not in ("self", "demand", "pairs")}
        options.pop("__class__", None)
        self._options: dict[str, Any] = options
        self._demand_in = demand
        self._pairs_in = pairs
        self.coarse = coarse
        self.instance: Instance = validate(
            demand, pairs, {k: v for k, v in options.items() if k != "coarse"}
        )
        self._blocks: dict[str, Block] | None = None

    # -- what the model holds ----------------------------------------------------------------

    @property
    def interventions(self) -> tuple[str, ...]:
        """Intervention ids, sorted."""
        return self.instance.interventions

    @property
    def specs(self) -> Mapping[str, Spec]:
        """The requirements of each intervention."""
        return self.instance.specs

    @property
    def settings(self) -> Settings:
        """The settings the model is solved with."""
        return self.instance.settings

    @property
    def demand(self) -> pd.DataFrame:
        """Patients a year per demand id and intervention."""
        return self.instance.demand

    @property
    def pairs(self) -> pd.DataFrame:
        """``demand_id, site_id, minutes``."""
        return self.instance.pairs

    @property
    def sites(self) -> pd.DataFrame:
        """The site table (``name``, ``region``)."""
        return self.instance.sites

    @property
    def candidates(self) -> Mapping[str, tuple[str, ...]]:
        """Candidate sites per intervention (eligible, not closed)."""
        return self.instance.candidates

    @property
    def site_region(self) -> Mapping[str, str]:
        """Region of each site that has one."""
        return self.instance.site_region

    @property
    def share_sites(self) -> tuple[tuple[str, ...], ...]:
        """Groups of interventions offered at the same sites."""
        return self.instance.share_sites

    @property
    def demand_level(self) -> str:
        """``municipality``, ``pc4`` or ``custom``."""
        return self.instance.demand_level

    def formulation(self) -> Formulation:
        """What the model's problems are built from (see :mod:`.formulation`)."""
        i = self.instance
        return Formulation(
            specs=i.specs,
            site_region=i.site_region,
            share_groups=i.share_sites,
            closest=i.closest_assignment,
            objective=i.objective,
            stop_weight=i.stop_weight,
            start_weight=i.start_weight,
            extra=i.extra,
        )

    # -- constructors ------------------------------------------------------------------------

    @classmethod
    def from_pairs(
        cls,
        demand: pd.Series,
        pairs: pd.DataFrame,
        *,
        norm: float,
        intervention: str | None = None,
        **options: Any,
    ) -> ConcentrationModel:
        """One intervention from a demand Series and (demand_id, site_id, minutes) pairs.

        Parameters
        ----------
        demand
            Patients per year per demand id.
        pairs
            Columns ``demand_id, site_id, minutes``.
        norm
            Volume norm (patients per year per site).
        intervention
            Intervention id (default: the Series name, else ``"intervention"``).
        **options
            Any keyword option of :class:`ConcentrationModel`.
        """
        p = intervention or (str(demand.name) if demand.name is not None else "intervention")
        frame = demand.astype(float).to_frame(p)
        if "baseline" in options and not isinstance(options["baseline"], Mapping):
            options["baseline"] = {p: options["baseline"]}
        return cls(frame, pairs, norms={p: norm}, **options)

    def replace(self, **changes: Any) -> ConcentrationModel:
        """A new model with some options changed (the data are shared, never mutated)."""
        unknown = sorted(set(changes) - set(self._options))
        if unknown:
            raise ScenarioError(
                f"Unknown option(s) {', '.join(unknown)}; valid: {', '.join(sorted(self._options))}."
            )
        return ConcentrationModel(self._demand_in, self._pairs_in, **{**self._options, **changes})

    # -- data blocks -------------------------------------------------------------------------

    def blocks(self) -> dict[str, Block]:
        """Reach blocks per intervention (merged demand points, sorted reach)."""
        if self._blocks is None:
            i = self.instance
            self._blocks = {
                p: build_block(
                    p,
                    i.demand[p],
                    i.pairs,
                    list(i.candidates[p]),
                    i.specs[p].max_minutes,
                    exempt_unreachable=i.beyond_limit == "exempt",
                )
                for p in i.interventions
            }
        return self._blocks

    # -- solving -----------------------------------------------------------------------------

    def solve(
        self,
        *,
        solver: str | None = None,
        time_limit: float | None = None,
        gap: float | None = None,
        progress: PhaseProgress | None = None,
    ) -> ConcentrationResult:
        """Solve to proven optimality within ``gap``, or as far as ``time_limit`` allows.

        Parameters
        ----------
        solver
            ``auto``/None (HiGHS when available, else CBC), ``highs`` or ``cbc``.
        time_limit
            Wall-time budget in seconds for all rounds together (default
            ``settings.solver.time_limit_seconds``).
        gap
            Relative gap tolerance (default ``settings.solver.gap``).
        progress
            Called during every MILP solved in this process (``phase, seconds, incumbent,
            bound``; HiGHS only), e.g. for a live progress line; groups solved in worker
            processes do not report.

        Returns
        -------
        ConcentrationResult
            Never raises for an infeasible plan: the result says ``infeasible`` and carries the
            diagnosis. Use :meth:`ConcentrationResult.raise_for_status` to raise instead.
        """
        start = time.perf_counter()
        budget = (
            self.settings.solver.time_limit_seconds if time_limit is None else float(time_limit)
        )
        deadline = start + budget
        blocks = self.blocks()
        build_s = time.perf_counter() - start
        ordered = [blocks[p] for p in self.interventions]
        problems = self._presolve(ordered)
        if problems:
            if not any(b.unreachable for b in ordered):
                problems += self._elastic(ordered, solver, deadline, gap)
            return empty_result(
                self.instance, "infeasible", problems, started=start, build_seconds=build_s,
                solver=solver,
            )  # fmt: skip
        solve_log: list[str] = []
        coarse_sites = self._coarse_sites(solver, deadline, solve_log)
        groups = components(self.interventions, self.share_sites)
        cs = self.settings.concentration
        jobs = self._jobs(groups, blocks, solver, gap, deadline, coarse_sites, progress=progress)
        solutions = solve_groups(jobs, workers_setting=cs.workers, min_pairs=cs.worker_min_pairs)
        plan = combine(groups, solutions)
        build_s += plan.build_seconds
        notes = self._exempt_notes(blocks)
        if plan.status == "infeasible":
            diag = [
                "The solver proved that no plan meets all requirements; the counting checks "
                "found no single cause."
            ] + self._elastic(ordered, solver, deadline, gap)
            return empty_result(self.instance, "infeasible", diag, started=start,
                                build_seconds=build_s, solver=plan.solver,
                                solve_log=tuple(solve_log) + plan.log)  # fmt: skip
        if plan.status == "no_solution":
            diag = [
                f"No plan found within the time limit of {budget:g} s; raise the time limit."
            ] + notes
            return empty_result(self.instance, "no_solution", diag, started=start,
                                build_seconds=build_s, solver=plan.solver,
                                solve_log=tuple(solve_log) + plan.log)  # fmt: skip
        solved = Solved(
            status=plan.status, objective=plan.objective, bound=plan.bound, gap=plan.gap,
            y=plan.y, x=plan.x, solver=plan.solver, rounds=1 if groups else 0,
            variables=plan.variables, build_seconds=build_s,
            solve_log=tuple(solve_log) + plan.log, disruption=plan.disruption,
        )  # fmt: skip
        return plan_result(self.instance, blocks, solved, started=start, notes=notes)

    def _jobs(
        self,
        groups: Sequence[Sequence[str]],
        blocks: Mapping[str, Block],
        solver: str | None,
        gap: float | None,
        deadline: float,
        coarse_sites: Mapping[str, Sequence[str]] | None,
        *,
        progress: PhaseProgress | None = None,
    ) -> list[GroupJob]:
        """One job per group of interventions, for this process or a worker (the progress
        callback only when there is a single group: several may go to workers)."""
        wall_deadline = time.time() + (deadline - time.perf_counter())
        return [
            GroupJob(
                form=self.formulation(),
                blocks=tuple(blocks[p] for p in group),
                settings=self.settings,
                fine=self.coarse is not None,
                solver=solver,
                gap=gap,
                wall_deadline=wall_deadline,
                coarse_sites=coarse_sites,
                progress=progress if len(groups) == 1 else None,
            )
            for group in groups
        ]

    def _presolve(self, blocks: Sequence[Block]) -> list[str]:
        """Counting checks that prove infeasibility before any solver runs."""
        i = self.instance
        return presolve_checks(
            blocks,
            i.specs,
            pairs=i.pairs,
            demand=i.demand,
            site_region=i.site_region,
            candidates=i.candidates,
            share_groups=i.share_sites,
            demand_names=i.names(),
            site_names={str(k): str(v) for k, v in i.sites["name"].items()},
            region_label=i.region_label,
        )

    def _elastic(
        self, blocks: Sequence[Block], solver: str | None, deadline: float, gap: float | None
    ) -> list[str]:
        """The smallest relaxations (elastic models), in words."""
        return elastic_lines(
            self.formulation(), blocks, settings=self.settings, solver=solver,
            deadline=deadline, gap=gap, region_label=self.instance.region_label,
        )  # fmt: skip

    def _exempt_notes(self, blocks: Mapping[str, Block]) -> list[str]:
        """A note per intervention with demand points exempt from the maximum time."""
        names = self.instance.names()
        notes = []
        for p in self.interventions:
            ex = blocks[p].exempt
            if ex:
                patients = float(self.demand.loc[list(ex), p].sum())
                shown = ", ".join(names.get(i, i) for i in ex[:6]) + (" …" if len(ex) > 6 else "")
                notes.append(
                    f"{p}: {len(ex)} demand point(s) with {patients:.1f} patients a year have no "
                    f"eligible site within {self.specs[p].max_minutes:g} minutes ({shown}); the "
                    "limit does not apply to them (beyond_limit='exempt')."
                )
        return notes

    def _coarse_sites(
        self, solver: str | None, deadline: float, solve_log: list[str]
    ) -> dict[str, list[str]] | None:
        """The coarse twin's plan (speed only: its sites start this model's solve)."""
        cs = self.settings.concentration
        if self.coarse is None or not cs.start_plan:
            return None
        left = deadline - time.perf_counter()
        if left <= 0:
            solve_log.append("coarse plan: not solved, the time limit has passed")
            return None
        c = self.coarse.solve(
            solver=solver, time_limit=min(cs.coarse_seconds, left), gap=cs.start_gap
        )
        solve_log.append(
            f"coarse plan ({c.demand_level}): {c.status} in {c.seconds:.1f} s, "
            f"{len(c.offering())} site offer(s)"
        )
        return {p: c.offering(p) for p in self.interventions} if c.has_plan else None

    # -- trade-off ---------------------------------------------------------------------------

    def tradeoff(
        self,
        *,
        sites: Sequence[int] | None = None,
        disruption_weights: Sequence[float] | None = None,
        solver: str | None = None,
        time_limit: float | None = None,
        gap: float | None = None,
    ) -> TradeoffCurve:
        """A trade-off curve in one call.

        Give ``sites`` (numbers of offering sites; the model is solved with exactly that many,
        for a single intervention) for travel against the number of sites, or
        ``disruption_weights`` for travel against disruption (teams that stop or start).

        Parameters
        ----------
        sites
            Numbers of sites, e.g. ``range(10, 21)``. With neither argument: every feasible count
            from the region guarantees' minimum up to ``floor(demand / norm)``.
        disruption_weights
            Patient-minutes a year per team change, e.g. ``[0, 1000, 5000, 20000]`` (each
            point weighs them against travel: the ``travel`` objective with these weights).
        solver, time_limit, gap
            As in :meth:`solve`; ``time_limit`` applies to each point.
        """
        from zorglandschap.optimise.concentration.tradeoff import tradeoff_curve

        how: dict[str, Any] = {"solver": solver, "time_limit": time_limit, "gap": gap}
        return tradeoff_curve(self, sites=sites, disruption_weights=disruption_weights, how=how)
