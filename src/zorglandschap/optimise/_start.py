"""A start plan for the concentration MILP: the best plan on the sites its LP relaxation uses.

Internal to :mod:`zorglandschap.optimise`. Proving optimality is what costs time on the national
instances; HiGHS spends about half of its run in its own sub-MIP heuristics looking for the
plan it then proves (bench/RESULTS.md). This module finds that plan cheaply instead:

1. solve the LP relaxation of the full model;
2. keep the sites with a positive opening in it (for coupled interventions: in any of them);
3. solve the *restricted* MILP — only the kept sites, each demand point linked to its nearest
   kept sites — to a loose gap within a short time limit. Only a plan proven within that gap
   (of the restricted model) is used: the full solve switches HiGHS' own heuristics off.

Every plan of the restricted model is a plan of the full model (the restriction only removes
variables), so the result is a valid start. It changes how fast the full model is solved,
never its optimum: the full model is still solved, with every site and pair, to the requested
gap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pulp

from zorglandschap.optimise._blocks import Block
from zorglandschap.optimise._formulation import Handles
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
) -> tuple[dict[str, float] | None, str]:
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
    """
    relaxed = run(problem, relax=True, time_limit=time_limit)
    if relaxed.status != "optimal":
        return None, f"start plan: LP relaxation {relaxed.status} within {time_limit:g} s, not used"
    kept_ids = {
        block.sites[j]
        for block in blocks
        for j, y in handles.y[block.intervention].items()
        if (y.varValue or 0.0) > _OPEN_TOLERANCE
    }
    restricted: list[Block] = []
    near: dict[str, np.ndarray] = {}
    for block in blocks:
        keep = np.array([s in kept_ids for s in block.sites], dtype=bool)
        small = block.restricted(keep)
        if np.any(np.diff(small.order_start) == 0):
            return None, "start plan: a demand point reaches no site of the LP relaxation"
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
            if block.sites[j] not in kept_ids and (y.lowBound or 0) == 0:
                y.upBound = 0
    out = run(sub, gap=gap, time_limit=time_limit)
    if out.status != "optimal":
        # a time-limited plan may be poor, and the full solve then skips HiGHS' own heuristics
        return None, f"start plan: restricted model {out.status} within {time_limit:g} s, not used"
    start = {v.name: float(v.varValue) for v in sub.variables() if v.varValue}
    return start, (
        f"start plan: {len(kept_ids)} sites of the LP relaxation, objective "
        f"{out.objective:.1f} in {relaxed.seconds + out.seconds:.1f} s"
    )
