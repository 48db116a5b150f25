"""The solution method of one group of interventions: norm cuts, a start plan, the MILP(s), and
read-back (:mod:`.groups` splits a question into groups and solves them side by side).

Each group (:func:`solve_group`, a module-level function of a picklable :class:`GroupJob`, so
that a worker process can run it) is built, solved and read back:

1. build the exact near-far model (:func:`~.formulation.build_problem`);
2. tighten its LP relaxation with cluster norm cuts (:mod:`.cuts`), find a start plan
   (:mod:`.start`: from a coarse twin's sites, else from the LP's sites), take the cuts out
   again when they close too little of the gap to that plan, and solve the MILP;
3. for the round-table objective (``disruption``), solve again for travel with the
   disruption held at the optimum just found (:func:`travel_phase`: one more row, the first
   plan as the start);
4. read the offers and shares back through the handles (:class:`GroupSolution`).

The cuts and the start plan change how fast a group is solved, never its optimum. Every step
takes its time from one deadline: when it has passed, a step gets at most
:data:`_LAST_SECONDS` and a plan found so far is kept (status ``feasible`` with its gap).
docs/concentration.md §5 has the reasoning and bench/RESULTS.md the measurements.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pulp

from zorglandschap.optimise.concentration.blocks import Block
from zorglandschap.optimise.concentration.cuts import Strengthened, add_norm_cuts
from zorglandschap.optimise.concentration.formulation import (
    Formulation,
    Handles,
    build_problem,
    cap_row,
)
from zorglandschap.optimise.concentration.start import Start, coarse_sites_start, lp_support_start
from zorglandschap.optimise.solver import (
    SolveOutcome,
    choose_solver,
    highs_available,
    relative_gap,
    solve_problem,
)
from zorglandschap.settings import Settings

#: Shares at or below this count as zero when a plan is read back.
_X_EPS = 1e-7
#: HiGHS options when a start plan is given: HiGHS' sub-MIP heuristics (RINS, RENS) and its
#: feasibility jump look for a plan the start already provides, and with a good incumbent cut
#: separation below the root costs more than it prunes (bladder 44 -> 27 s, liver 33 -> 23 s,
#: oesophagus 67 -> 55 s, pancreas 11 -> 9 s, stomach equal; bench/RESULTS.md).
_HIGHS_WITH_START: dict[str, bool | int | float | str] = {
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_allow_cut_separation_at_nodes": False,
}
#: Wall time a step still gets once the deadline has passed (HiGHS then returns the start or
#: the best plan it has), seconds. Assumption: small, so a time limit holds within seconds.
_LAST_SECONDS = 0.05
#: Shares of the time left that the norm cuts and the start plan may take (they take 1-10 s
#: nationally, so only a short time limit binds them). Assumption.
_CUT_SHARE = 0.25
_START_SHARE = 0.5
#: A solve with less time than this left is in a hurry: no norm cuts (a start plan is worth
#: more then), and a start plan its time limit ended is used. Assumption.
_HURRY_SECONDS = 20.0
#: The travel solve of the round-table objective keeps the disruption at most this much
#: (relative, at least 1e-6 absolute) above the first solve's value: numerical slack only.
_CAP_TOLERANCE = 1e-7


@dataclass(frozen=True)
class GroupJob:
    """One group of coupled interventions to solve (everything a worker process needs).

    Attributes
    ----------
    form
        What to build.
    blocks
        The group's reach blocks, one per intervention.
    settings
        Settings (``concentration`` and ``solver``).
    fine
        The model has a coarse twin (fine demand, PC4): the root LP by ``fine_root_lp``, no
        norm cuts (one LP relaxation takes most of a minute there).
    solver, gap
        Solver name and gap tolerance (None: the settings').
    wall_deadline
        When the solve must end, on the :func:`time.time` clock (shared by all processes).
    coarse_sites
        The coarse plan's offering sites per intervention, for the start plan; None: none.
    progress
        Called during each MILP with the phase, seconds, incumbent and bound (in this process
        only: a worker process gets None).
    """

    form: Formulation
    blocks: tuple[Block, ...]
    settings: Settings
    fine: bool
    solver: str | None
    gap: float | None
    wall_deadline: float
    coarse_sites: Mapping[str, Sequence[str]] | None = None
    progress: PhaseProgress | None = None

    @property
    def interventions(self) -> list[str]:
        """The group's interventions."""
        return [b.intervention for b in self.blocks]


#: A progress report of one phase: ``(phase, seconds, incumbent, bound)``; the phase is
#: ``travel`` or ``disruption`` and the figures are in that phase's objective.
PhaseProgress = Callable[[str, float, float | None, float | None], None]


@dataclass(frozen=True)
class GroupSolution:
    """What solving one group gave: the outcome, the plan read back, and how it went.

    ``outcome`` is the last solve's (travel); ``first`` the disruption solve's of the
    round-table objective (None for the travel objective).
    """

    outcome: SolveOutcome
    build_seconds: float
    log: tuple[str, ...]
    variables: int
    y: dict[tuple[str, str], float] = field(default_factory=dict)
    x: dict[tuple[str, int, int], float] = field(default_factory=dict)
    first: SolveOutcome | None = None


class _Run:
    """Solves problems of one group within what is left of its deadline; times the builds."""

    def __init__(self, job: GroupJob, deadline: float) -> None:
        self.job = job
        self.deadline = deadline
        self.build_seconds = 0.0
        cs = job.settings.concentration
        self.options: dict[str, bool | int | float | str] = {
            "mip_allow_restart": bool(cs.highs_restart)
        }
        if job.fine and cs.fine_root_lp != "choose":
            # fine demand: the root LP is most of the work (docs/concentration.md §3)
            self.options["mip_lp_solver"] = cs.fine_root_lp

    def build(
        self, blocks: Sequence[Block], near: Mapping[str, np.ndarray], *, far: bool, name: str
    ) -> tuple[pulp.LpProblem, Handles]:
        """Build a problem, timed."""
        t0 = time.perf_counter()
        built = build_problem(self.job.form, blocks, near, far=far, name=name)
        self.build_seconds += time.perf_counter() - t0
        return built

    def left(self, min_seconds: float = _LAST_SECONDS) -> float:
        """Seconds left before the deadline (at least ``min_seconds``)."""
        return max(self.deadline - time.perf_counter(), min_seconds)

    def step(self, share: float) -> tuple[float, bool]:
        """The time limit of a preparatory step (cuts, a start plan): ``share`` of what is
        left, at most ``start_seconds``; and whether the solve is in a hurry (less than
        :data:`_HURRY_SECONDS` left: the steps then adapt to the time, so the solve depends on
        the machine's speed, as any solve does once its time limit binds)."""
        left = self.left()
        limit = min(self.job.settings.concentration.start_seconds, left * share)
        return max(limit, _LAST_SECONDS), left < _HURRY_SECONDS

    def solve(
        self,
        prob: pulp.LpProblem,
        *,
        tuned: bool = True,
        time_limit: float | None = None,
        phase: str | None = None,
        **kw: Any,
    ) -> SolveOutcome:
        """Solve within what is left (``tuned``: with the MILP's HiGHS options; ``phase``:
        report progress under that name)."""
        left = self.left()
        kw.setdefault("gap", self.job.gap)
        report = self.job.progress
        if phase is not None and report is not None:
            constant = float(prob.objective.constant or 0.0)

            def progress(seconds: float, best: float | None, bound: float | None) -> None:
                assert report is not None
                report(
                    phase,
                    seconds,
                    None if best is None else best + constant,
                    None if bound is None else bound + constant,
                )

            kw["progress"] = progress
        return solve_problem(
            prob,
            solver=self.job.solver,
            time_limit=left if time_limit is None else min(left, time_limit),
            highs_options=self.options if tuned else None,
            settings=self.job.settings,
            **kw,
        )

    def solve_start(self, prob: pulp.LpProblem, **kw: Any) -> SolveOutcome:
        """Solve a start-plan problem (HiGHS' own defaults)."""
        return self.solve(prob, tuned=False, **kw)


def near_sets(blocks: Sequence[Block], near_sites: int, closest: bool) -> dict[str, np.ndarray]:
    """Per intervention, each point's near-set size (ties included; all pairs with closest
    assignment, whose rows need every pair near)."""
    if closest:
        return {b.intervention: np.diff(b.order_start) for b in blocks}
    return {
        b.intervention: np.array(
            [b.near_count(m, near_sites) for m in range(b.n_points)], dtype=np.int64
        )
        for b in blocks
    }


def solve_group(job: GroupJob) -> GroupSolution:
    """Build, solve and read back one group (see the module docstring)."""
    deadline = time.perf_counter() + (job.wall_deadline - time.time())
    cs = job.settings.concentration
    blocks = list(job.blocks)
    if deadline <= time.perf_counter():
        line = "model not built: the time limit passed before (e.g. in the coarse plan)"
        return GroupSolution(_no_time(job), build_seconds=0.0, log=(line,), variables=0)
    run = _Run(job, deadline)
    name = f"concentration_{'_'.join(job.interventions)}"[:60]
    prob, handles = run.build(blocks, near_sets(blocks, cs.near_sites, job.form.closest),
                              far=True, name=name)  # fmt: skip
    log: list[str] = []
    tightened = _tighten(job, run, prob, handles, log)
    start, from_coarse, lp_bound = _start_plan(job, run, prob, handles, tightened, log)
    if tightened is not None and tightened.cuts and start is not None:
        _drop_weak_cuts(prob, start, tightened, cs.cut_keep_share, log)
    if start is not None and not from_coarse:
        # a coarse plan is a good start but not the fine optimum: HiGHS' sub-MIP
        # heuristics stay on to improve it
        run.options = {**run.options, **_HIGHS_WITH_START}
    outcome = _first_solve(job, run, prob, start=start, lp_bound=lp_bound, log=log)
    first = None
    if job.form.objective == "disruption" and outcome.status in ("optimal", "feasible"):
        first = outcome
        outcome = travel_phase(run, prob, handles, log)
    return read_back(outcome, handles, blocks, run.build_seconds, log, first=first)


def _first_solve(
    job: GroupJob,
    run: _Run,
    prob: pulp.LpProblem,
    *,
    start: Start | None,
    lp_bound: float | None,
    log: list[str],
) -> SolveOutcome:
    """The MILP of the first objective; once the deadline has passed, the start plan as it
    is (handing the model to the solver alone takes seconds on PC4 demand), or no plan."""
    phase = "disruption" if job.form.objective == "disruption" else "travel"
    if run.deadline <= time.perf_counter():
        if start is None:
            log.append("MILP: not started, the time limit has passed and there is no start plan")
            return _no_time(job)
        log.append(f"MILP ({phase}): not started, the time limit has passed: the start plan")
        return with_bound(_as_plan(job, prob, start), lp_bound)
    t_mip = time.perf_counter()
    outcome = with_bound(run.solve(prob, start=start, phase=phase), lp_bound)
    log.append(f"MILP ({phase}): {outcome.status} in {time.perf_counter() - t_mip:.1f} s")
    return outcome


def _as_plan(job: GroupJob, prob: pulp.LpProblem, start: Start) -> SolveOutcome:
    """The start plan put into ``prob``'s variables, as a ``feasible`` outcome (no bound)."""
    for v in prob.variables():
        v.varValue = start.get(v, 0.0)
    return SolveOutcome(
        status="feasible", solver=choose_solver(job.solver, settings=job.settings),
        objective=float(pulp.value(prob.objective) or 0.0), bound=None, gap=None, seconds=0.0,
        time_limited=True, pulp_status="Not Solved", pulp_solution_status="Start plan",
    )  # fmt: skip


def _no_time(job: GroupJob) -> SolveOutcome:
    """The outcome of a solve that never started: the time limit had passed."""
    return SolveOutcome(
        status="no_solution", solver=choose_solver(job.solver, settings=job.settings),
        objective=None, bound=None, gap=None, seconds=0.0, time_limited=True,
        pulp_status="Not Solved", pulp_solution_status="No Solution Found",
    )  # fmt: skip


def with_bound(outcome: SolveOutcome, lp_bound: float | None) -> SolveOutcome:
    """``outcome`` with the better of its bound and an LP bound of the same problem found
    before the MILP (the LP relaxation, tightened by valid cuts): a solve the time limit ended
    before HiGHS finished its root node still reports an honest, meaningful gap."""
    if lp_bound is None or outcome.objective is None:
        return outcome
    if outcome.bound is not None and outcome.bound >= lp_bound:
        return outcome
    bound = min(lp_bound, outcome.objective)
    return replace(outcome, bound=bound, gap=relative_gap(outcome.objective, bound))


def travel_phase(run: _Run, prob: pulp.LpProblem, handles: Handles, log: list[str]) -> SolveOutcome:
    """The round table's second solve: least travel among the plans whose disruption is at
    most the first solve's (a row added to ``prob``, the first plan handed over as the start).

    The first plan is a plan of this problem, so there is always one; should the solver
    return none (it rejected the start within the time left), the first plan is put back and
    the outcome says ``feasible`` (travel not minimised).
    """
    disruption = handles.disruption()
    value = disruption.value()
    cap = value + _CAP_TOLERANCE * max(1.0, abs(value)) + 1e-6
    first_plan = {v: float(v.varValue) for v in prob.variables() if v.varValue}
    travel = handles.travel()
    if run.deadline <= time.perf_counter():
        log.append("MILP (travel): not started, the time limit has passed: the first plan")
        return SolveOutcome(
            status="feasible", solver=choose_solver(run.job.solver, settings=run.job.settings),
            objective=travel.value(), bound=None, gap=None, seconds=0.0, time_limited=True,
            pulp_status="Not Solved", pulp_solution_status="Start plan",
        )  # fmt: skip
    prob.addConstraint(cap_row(disruption, cap, "disruption_cap"))
    prob.setObjective(pulp.LpAffineExpression(list(travel.terms), constant=travel.constant))
    t0 = time.perf_counter()
    outcome = run.solve(prob, start=first_plan, phase="travel")
    log.append(
        f"MILP (travel, disruption held at {value:.2f}): {outcome.status} in "
        f"{time.perf_counter() - t0:.1f} s"
    )
    if outcome.status in ("optimal", "feasible"):
        return outcome
    for v in prob.variables():
        v.varValue = first_plan.get(v, 0.0)
    log.append("travel solve found no plan in time: the disruption solve's plan is kept")
    return replace(
        outcome,
        status="feasible",
        objective=travel.value(),
        bound=None,
        gap=None,
    )


def _tighten(
    job: GroupJob, run: _Run, prob: pulp.LpProblem, handles: Handles, log: list[str]
) -> Strengthened | None:
    """Cluster norm cuts on the LP relaxation (not on fine demand; needs HiGHS)."""
    cs = job.settings.concentration
    if cs.norm_cuts and job.fine:
        # fine demand (PC4): one LP relaxation takes most of a minute, so separation
        # rounds would eat the time limit and make the model depend on machine speed
        log.append("norm cuts: not used on fine demand (the LP alone is too slow)")
        return None
    if not (cs.norm_cuts and highs_available()):
        return None
    limit, bound_by_deadline = run.step(_CUT_SHARE)
    if bound_by_deadline:
        # with little time a start plan is worth more than a tighter LP
        log.append("norm cuts: not used, too little time left for them")
        return None
    tightened = add_norm_cuts(
        prob,
        handles,
        list(job.blocks),
        {p: job.form.specs[p].norm for p in job.interventions},
        max_rounds=cs.cut_rounds,
        min_gain=cs.cut_min_gain,
        time_limit=limit,
        threads=job.settings.solver.threads,
    )
    log.append(
        tightened.line
        if tightened is not None
        else "norm cuts: LP relaxation not solved, none added"
    )
    return tightened


def _start_plan(
    job: GroupJob,
    run: _Run,
    prob: pulp.LpProblem,
    handles: Handles,
    tightened: Strengthened | None,
    log: list[str],
) -> tuple[Start | None, bool, float | None]:
    """A start plan (from the coarse plan's sites, else the LP's), whether it is the coarse
    one, and the best LP bound known (the cuts', else the LP relaxation's, if solved)."""
    cs = job.settings.concentration
    lp_bound = None if tightened is None else tightened.bound
    if not cs.start_plan:
        return None, False, lp_bound
    if run.deadline <= time.perf_counter():
        log.append("start plan: not used, the time limit has passed")
        return None, False, lp_bound
    blocks = list(job.blocks)

    def build_start(on: Sequence[Block], sets: Mapping[str, np.ndarray]) -> Any:
        return run.build(on, sets, far=False, name="start")

    start = None
    limit, bound_by_deadline = run.step(_START_SHARE)
    if job.coarse_sites is not None:
        start, line = coarse_sites_start(
            handles, blocks, job.coarse_sites, build_restricted=build_start,
            run=run.solve_start, gap=cs.start_gap, time_limit=limit,
            accept_feasible=bound_by_deadline,
        )  # fmt: skip
        log.append(line)
        if start is not None:
            return start, True, lp_bound
    openings = None if tightened is None else tightened.openings
    if openings is None:
        relaxed = run.solve_start(prob, relax=True, time_limit=limit)
        if relaxed.status != "optimal":
            log.append(f"start plan: LP relaxation {relaxed.status} within {limit:g} s, not used")
            return None, False, lp_bound
        lp_bound = relaxed.objective
        openings = {
            b.intervention: np.array(
                [handles.y[b.intervention][j].varValue or 0.0 for j in range(len(b.sites))]
            )
            for b in blocks
        }
    start, line = lp_support_start(
        prob, handles, blocks, build_restricted=build_start, run=run.solve_start,
        near_sites=cs.start_near_sites, gap=cs.start_gap, time_limit=limit,
        openings=openings, accept_feasible=bound_by_deadline,
    )  # fmt: skip
    log.append(line)
    return start, False, lp_bound


def _drop_weak_cuts(
    prob: pulp.LpProblem, start: Start, tightened: Strengthened, keep_share: float, log: list[str]
) -> None:
    """Take the cuts out again when they close less than ``keep_share`` of the gap between
    the LP bound without them and the start plan."""
    plan = float(prob.objective.constant or 0.0) + sum(
        c * start.get(v, 0.0) for v, c in prob.objective.items()
    )
    closed = tightened.share_closed(plan)
    if closed < keep_share:
        tightened.remove(prob)
        log.append(
            f"norm cuts: taken out again, they close only {closed:.0%} of the gap "
            f"between the LP bound and the start plan (< {keep_share:.0%})"
        )


def read_back(
    outcome: SolveOutcome,
    handles: Handles,
    blocks: Sequence[Block],
    build_seconds: float,
    log: Sequence[str],
    *,
    first: SolveOutcome | None = None,
) -> GroupSolution:
    """The offers and shares of a solved problem, through its handles."""
    y_vals: dict[tuple[str, str], float] = {}
    x_vals: dict[tuple[str, int, int], float] = {}
    if outcome.status in ("optimal", "feasible"):
        for block in blocks:
            p = block.intervention
            for j, v in handles.y[p].items():
                y_vals[(p, block.sites[j])] = float(v.varValue or 0.0)
            for m, j, v in handles.x[p]:
                val = float(v.varValue or 0.0)
                if val > _X_EPS:
                    x_vals[(p, m, j)] = val
    return GroupSolution(
        outcome=outcome,
        build_seconds=build_seconds,
        log=tuple(log),
        variables=handles.n_x,
        y=y_vals,
        x=x_vals,
        first=first,
    )
