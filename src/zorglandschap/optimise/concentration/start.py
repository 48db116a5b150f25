"""A start plan for the concentration MILP: the best plan on the sites its LP relaxation uses.

Part of the solution method (:mod:`.method`). Proving optimality is what costs time on the national
instances; HiGHS spends about half of its run in its own sub-MIP heuristics looking for the
plan it then proves (bench/RESULTS.md). This module finds that plan cheaply instead:

1. solve the LP relaxation of the full model;
2. keep the sites with a positive opening in it (for coupled interventions: in any of them);
3. solve the *restricted* MILP — only the kept sites, each demand point linked to its nearest
   kept sites — to a loose gap within a short time limit. Only a plan proven within that gap
   (of the restricted model) is used: the full solve then skips HiGHS' sub-MIP heuristics
   (RINS, RENS) and its feasibility jump.

When the model was built on fine demand (PC4) with a coarse twin (municipalities), the coarse
twin's plan gives the sites instead (:func:`coarse_sites_start`: those sites offer, patients are
assigned at the fine level; HiGHS' heuristics stay on to improve it); the LP-support start is
the fallback.

Every plan of the restricted model is a plan of the full model (the restriction only removes
variables), so the result is a valid start. It changes how fast the full model is solved,
never its optimum: the full model is still solved, with every site and pair, to the requested
gap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pulp

from zorglandschap.optimise.concentration.blocks import Block
from zorglandschap.optimise.concentration.formulation import Handles
from zorglandschap.optimise.solver import SolveOutcome

#: ``build(blocks, near_sets)`` -> restricted problem and its handles (pairs beyond the near
#: sets left out).
BuildRestricted = Callable[
    [Sequence[Block], Mapping[str, np.ndarray]], tuple[pulp.LpProblem, Handles]
]
#: ``run(problem, relax=..., gap=..., time_limit=...)`` -> outcome.
Run = Callable[..., SolveOutcome]

#: LP openings at or below this count as closed.
_OPEN_TOLERANCE = 1e-6
#: A start plan: a value for variables of the full model (missing ones are 0).
Start = dict[pulp.LpVariable, float]


def carry_over(restricted: Handles, full: Handles) -> Start:
    """The non-zero values of a restricted model's plan, on the full model's variables (the
    restriction keeps point and site positions, so both are keyed alike)."""
    start: Start = {}
    for p, ys in restricted.y.items():
        for j, y in ys.items():
            if y.varValue:
                start[full.y[p][j]] = float(y.varValue)
    for p, xs in restricted.x.items():
        full_x = {(m, j): v for m, j, v in full.x[p]}
        for m, j, x in xs:
            if x.varValue and (m, j) in full_x:
                start[full_x[(m, j)]] = float(x.varValue)
    return start


def _restricted_start(
    blocks: Sequence[Block],
    kept: Mapping[str, set[str]],
    full: Handles,
    *,
    fixed: bool,
    build_restricted: BuildRestricted,
    run: Run,
    near_sites: int | None,
    gap: float,
    time_limit: float,
    accept_feasible: bool = False,
) -> tuple[Start | None, SolveOutcome | None, str]:
    """Solve the model restricted to the ``kept`` sites per intervention (``fixed``: all open);
    ``accept_feasible``: a plan the time limit ended is used too (the caller's deadline, not the
    safety limit, set that limit: the solve is then machine-dependent whatever it does)."""
    restricted: list[Block] = []
    near: dict[str, np.ndarray] = {}
    for block in blocks:
        keep = np.array([s in kept[block.intervention] for s in block.sites], dtype=bool)
        small = block.restricted(keep)
        if np.any(np.diff(small.order_start) == 0):
            return None, None, "a demand point reaches none of the kept sites"
        restricted.append(small)
        near[block.intervention] = (
            np.diff(small.order_start)
            if near_sites is None
            else np.array(
                [small.near_count(m, near_sites) for m in range(small.n_points)], dtype=np.int64
            )
        )
    sub, sub_handles = build_restricted(restricted, near)
    for block in restricted:
        for j, y in sub_handles.y[block.intervention].items():
            if block.sites[j] not in kept[block.intervention]:
                if (y.lowBound or 0) == 0:
                    y.upBound = 0
            elif fixed:
                if y.upBound == 0:
                    return None, None, f"kept site {block.sites[j]} cannot meet the norm"
                y.lowBound = 1
    out = run(sub, gap=gap, time_limit=time_limit)
    if out.status != "optimal" and not (accept_feasible and out.status == "feasible"):
        # a time-limited plan may be poor, and the full solve then skips HiGHS' own heuristics
        return None, out, f"restricted model {out.status} within {time_limit:g} s"
    return carry_over(sub_handles, full), out, ""


def lp_support_start(
    problem: pulp.LpProblem,
    handles: Handles,
    blocks: Sequence[Block],
    *,
    build_restricted: BuildRestricted,
    run: Run,
    near_sites: int | None,
    gap: float,
    time_limit: float,
    openings: Mapping[str, np.ndarray] | None = None,
    accept_feasible: bool = False,
) -> tuple[Start | None, str]:
    """A start plan for ``problem`` (the full model), or None, and a line saying what happened.

    Parameters
    ----------
    problem, handles
        The full model, as built; its LP relaxation is solved here (variable values are then
        overwritten by the caller's MILP solve).
    blocks
        The reach blocks the full model was built from.
    build_restricted
        Builds the restricted model from restricted blocks and near sets.
    run
        Solves a problem (keywords ``relax``, ``gap``, ``time_limit``).
    near_sites
        Kept sites per demand point in the restricted model (ties included); None = all.
    gap, time_limit
        Relative gap and wall-time limit of the restricted solve.
    openings
        Site openings (block positions) of an LP relaxation already solved (e.g. tightened by
        norm cuts), per intervention; None = solve ``problem``'s relaxation here.
    accept_feasible
        Use a restricted plan that the time limit ended too (see :func:`_restricted_start`).
    """
    lp_seconds = 0.0
    if openings is None:
        relaxed = run(problem, relax=True, time_limit=time_limit)
        if relaxed.status != "optimal":
            return None, (
                f"start plan: LP relaxation {relaxed.status} within {time_limit:g} s, not used"
            )
        lp_seconds = relaxed.seconds
        openings = {
            block.intervention: np.array(
                [handles.y[block.intervention][j].varValue or 0.0 for j in range(len(block.sites))]
            )
            for block in blocks
        }
    kept_ids = {
        block.sites[j]
        for block in blocks
        for j in np.flatnonzero(np.asarray(openings[block.intervention]) > _OPEN_TOLERANCE)
    }
    start, out, why = _restricted_start(
        blocks,
        {block.intervention: kept_ids for block in blocks},
        handles,
        fixed=False,
        build_restricted=build_restricted,
        run=run,
        near_sites=near_sites,
        gap=gap,
        time_limit=time_limit,
        accept_feasible=accept_feasible,
    )
    if start is None or out is None:
        return None, f"start plan: {why}, not used"
    return start, (
        f"start plan: {len(kept_ids)} sites of the LP relaxation, objective "
        f"{out.objective:.1f} in {lp_seconds + out.seconds:.1f} s"
    )


def coarse_sites_start(
    handles: Handles,
    blocks: Sequence[Block],
    sites: Mapping[str, Sequence[str]],
    *,
    build_restricted: BuildRestricted,
    run: Run,
    gap: float,
    time_limit: float,
    accept_feasible: bool = False,
) -> tuple[Start | None, str]:
    """A start plan for the full model (``handles``) in which exactly the given ``sites`` offer each intervention (e.g. the plan
    solved on municipalities), with patients assigned at the model's own demand level.

    Returns None (and why) when those sites cannot serve the finer demand (a point with none of
    them within reach, a norm not met).
    """
    kept = {block.intervention: set(sites.get(block.intervention, ())) for block in blocks}
    start, out, why = _restricted_start(
        blocks,
        kept,
        handles,
        fixed=True,
        build_restricted=build_restricted,
        run=run,
        near_sites=None,
        gap=gap,
        time_limit=time_limit,
        accept_feasible=accept_feasible,
    )
    if start is None or out is None:
        return None, f"start plan from the coarse plan: {why}, not used"
    n = sum(len(v) for v in kept.values())
    return start, (
        f"start plan: the {n} site offer(s) of the coarse plan, objective {out.objective:.1f} "
        f"in {out.seconds:.1f} s"
    )
