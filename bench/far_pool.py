"""The far-pool re-solve: the classic near-far scheme, kept here for comparison (bench only).

Moved out of the package (it was ``settings.concentration.strategy = "pool"``): on the national
pancreas instance it took 97.8–178 s against 16.7–21 s for the default near-far links
(bench/RESULTS.md), because the pooled far patients can count towards any site's norm, which
keeps asking for larger near sets. Built on the package's formulation through its ``extra``
hook, which is what the hook is for:

* each demand point keeps x variables for its K nearest sites only (ties included); its other
  sites are replaced by one *far* variable :math:`f_i` in its assignment row, priced at the time
  to its nearest omitted site, whose patients enter a pool
  :math:`\\sum_j w_j = \\sum_i d_i f_i` that may count towards any site's norm
  (:math:`w_j \\le y_j \\sum_{i: j \\text{ far for } i} d_i`);
* that model is a relaxation of the full one (its bound is valid); when its optimum uses no far
  variable the plan is feasible for the full model, hence optimal; otherwise the near sets of
  the points using far variables are doubled and the model re-solved (the last round uses every
  pair).

Usage: ``far_pool.solve(model, near_sites=8)`` for a single-intervention
:class:`~zorglandschap.optimise.ConcentrationModel`; returns the outcome, the rounds and the
seconds. Pairs with no far pool are exactly the default model's, so the optimum is the same.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pulp

from zorglandschap.optimise.concentration.blocks import Block
from zorglandschap.optimise.concentration.formulation import Handles, build_problem
from zorglandschap.optimise.solver import SolveOutcome, solve_problem

#: Share of a point's patients in the far pool below which it counts as zero.
FAR_TOLERANCE = 1e-6
#: Rounds before the last one, which uses every pair.
MAX_ROUNDS = 6


@dataclass
class FarPool:
    """The ``extra`` hook that adds the far pool to a model built on the near pairs only."""

    blocks: dict[str, Block]
    near: dict[str, np.ndarray]
    far: dict[str, dict[int, pulp.LpVariable]] = field(default_factory=dict)

    def __call__(self, prob: pulp.LpProblem, h: Handles) -> None:
        for b, (p, ys) in enumerate(h.y.items()):
            block, near = self.blocks[p], self.near[p]
            pool: list[tuple[pulp.LpVariable, float]] = []
            capacity = np.zeros(len(block.sites))
            fars = {}
            for m in range(block.n_points):
                sites, minutes = block.reach(m)
                k, d = int(near[m]), float(block.demand[m])
                if k >= len(sites):
                    continue
                f = pulp.LpVariable(f"f_{b}_{m}", lowBound=0, upBound=1)
                fars[m] = f
                h.assign[p][m].expr.addterm(f, 1.0)
                prob.objective.addterm(f, d * float(minutes[k]))
                pool.append((f, -d))
                capacity[sites[k:]] += d
            self.far[p] = fars
            if not fars:
                continue
            for j, y in ys.items():
                if capacity[j] > 0 and y.upBound != 0:
                    w = pulp.LpVariable(f"w_{b}_{j}", lowBound=0)
                    pool.append((w, 1.0))
                    prob += pulp.LpAffineExpression([(w, 1.0), (y, -float(capacity[j]))]) <= 0
                    if j in h.norm[p]:
                        h.norm[p][j].expr.addterm(w, 1.0)
            prob += pulp.LpAffineExpression(pool) == 0


def solve(
    model: Any, *, near_sites: int = 8, time_limit: float = 300.0, gap: float | None = None
) -> tuple[SolveOutcome, int, float]:
    """The far-pool re-solve of ``model``: (outcome, rounds, seconds)."""
    began = time.perf_counter()
    blocks = model.blocks()
    near = {
        p: np.array([b.near_count(m, near_sites) for m in range(b.n_points)], dtype=np.int64)
        for p, b in blocks.items()
    }
    form = model.formulation()
    outcome = None
    for rounds in range(1, MAX_ROUNDS + 2):
        if rounds > MAX_ROUNDS:
            near = {p: np.diff(b.order_start) for p, b in blocks.items()}
        hook = FarPool(blocks, {p: v.copy() for p, v in near.items()})
        ordered = [blocks[p] for p in model.interventions]
        prob, _ = build_problem(replace(form, extra=hook), ordered, near, far=False)
        left = max(time_limit - (time.perf_counter() - began), 1.0)
        outcome = solve_problem(prob, time_limit=left, gap=gap, settings=model.settings)
        using = {
            p: [m for m, f in fars.items() if (f.varValue or 0.0) > FAR_TOLERANCE]
            for p, fars in hook.far.items()
        }
        if outcome.status not in ("optimal", "feasible") or not any(using.values()):
            break
        for p, points in using.items():
            for m in points:
                near[p][m] = blocks[p].near_count(m, 2 * int(near[p][m]))
    assert outcome is not None
    return outcome, rounds, time.perf_counter() - began
