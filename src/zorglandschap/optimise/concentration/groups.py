"""Groups of interventions: which must be solved together, solving them side by side, and
their solutions combined into one plan.

Interventions that share no sites are separate MILPs (:func:`components`), solved in worker
processes (:mod:`zorglandschap.optimise._parallel`) when there are several and they are large
enough (:func:`solve_groups`); :func:`combine` gives the plan of them all, with the worst
status of any of their solves.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from zorglandschap.optimise._parallel import run_tasks, worker_count
from zorglandschap.optimise.concentration.method import GroupJob, GroupSolution, solve_group
from zorglandschap.optimise.solver import SolveOutcome, Status, relative_gap

#: Extra wall time a worker gets beyond the solve's own deadline before it counts as hung
#: (start-up, hand-over of the result). Assumption.
_GRACE_SECONDS = 60.0
#: Statuses from best to worst news, for the status of several groups together.
_STATUS_RANK = {"optimal": 0, "feasible": 1, "no_solution": 2, "infeasible": 3}


def components(interventions: Sequence[str], groups: Sequence[tuple[str, ...]]) -> list[list[str]]:
    """The interventions in groups that must be solved together (coupled by shared sites).

    >>> components(["a", "b", "c"], [("a", "c")])
    [['a', 'c'], ['b']]
    """
    parent = {p: p for p in interventions}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for g in groups:
        present = [p for p in g if p in parent]
        for q in present[1:]:
            parent[find(q)] = find(present[0])
    comps: dict[str, list[str]] = {}
    for p in interventions:
        comps.setdefault(find(p), []).append(p)
    return sorted((sorted(c) for c in comps.values()), key=lambda c: c[0])


def solve_groups(
    jobs: Sequence[GroupJob], *, workers_setting: int | None, min_pairs: int
) -> list[GroupSolution]:
    """Every group's solution, in the order given: side by side in worker processes when
    there are several groups with enough pairs, else one after the other here. A group whose
    worker failed is solved here and its log says so."""
    if not jobs:
        return []
    pairs = sum(int(b.order_start[-1]) for job in jobs for b in job.blocks)
    workers = worker_count(workers_setting, len(jobs), size=pairs, min_size=min_pairs)
    timeout = max(jobs[0].wall_deadline - time.time(), 1.0) + _GRACE_SECONDS
    done = run_tasks(solve_group, [(job,) for job in jobs], workers=workers, timeout=timeout)
    solutions = []
    for job, d in zip(jobs, done, strict=True):
        solution = d.value
        if d.failure is not None:
            why = f"worker for {'+'.join(job.interventions)} failed ({d.failure}); solved in this process"
            solution = replace(solution, log=(why, *solution.log))
        solutions.append(solution)
    return solutions


@dataclass(frozen=True)
class Combined:
    """The groups' solutions together: one status, objective and bound, and the plan.

    ``status`` is the worst of every solve's (both solves of the round-table objective);
    ``objective``, ``bound`` and ``gap`` are those of the last solve (travel), and
    ``disruption`` the first solve's ``(objective, bound, gap)`` for the round-table
    objective (None otherwise).
    """

    status: Status
    objective: float
    bound: float | None
    gap: float | None
    solver: str
    y: dict[tuple[str, str], float]
    x: dict[tuple[str, int, int], float]
    variables: int
    build_seconds: float
    log: tuple[str, ...]
    disruption: tuple[float, float | None, float | None] | None = None


def combine(groups: Sequence[Sequence[str]], solutions: Sequence[GroupSolution]) -> Combined:
    """Worst status, summed objective and bound, the union of the plans; with several groups
    each log line says which group it is about."""
    y: dict[tuple[str, str], float] = {}
    x: dict[tuple[str, int, int], float] = {}
    log: list[str] = []
    for group, sol in zip(groups, solutions, strict=True):
        prefix = f"{'+'.join(group)}: " if len(groups) > 1 else ""
        log += [prefix + line for line in sol.log]
        if sol.outcome.status in ("optimal", "feasible"):
            y.update(sol.y)
            x.update(sol.x)
    outcomes = [s.outcome for s in solutions]
    firsts = [s.first for s in solutions if s.first is not None]
    status = max((o.status for o in outcomes + firsts), key=lambda s: _STATUS_RANK[s])
    objective, bound = _summed(outcomes)
    disruption = None
    if firsts and len(firsts) == len(outcomes):
        d_objective, d_bound = _summed(firsts)
        disruption = (d_objective, d_bound, relative_gap(d_objective, d_bound))
    return Combined(
        status=status,
        objective=objective,
        bound=bound,
        gap=relative_gap(objective, bound),
        solver=outcomes[0].solver if outcomes else "none",
        y=y,
        x=x,
        variables=sum(s.variables for s in solutions),
        build_seconds=sum(s.build_seconds for s in solutions),
        log=tuple(log),
        disruption=disruption,
    )


def _summed(outcomes: Sequence[SolveOutcome]) -> tuple[float, float | None]:
    """The summed objective and bound of several groups' solves (no bound if one lacks it)."""
    objective = float(sum(o.objective or 0.0 for o in outcomes))
    bounds = [o.bound for o in outcomes]
    bound = float(sum(b for b in bounds if b is not None)) if None not in bounds else None
    return objective, bound
