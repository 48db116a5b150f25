r"""Cluster norm cuts: valid inequalities that tighten the concentration model's LP relaxation.

Part of the solution method (:mod:`.method`). For one site, :math:`\{x \le y,\ \sum_i d_i x_{ij}
\ge V y\}` is already the convex hull, so no single-site inequality helps; the LP relaxation is
weak because *neighbouring* sites half-open and share the same patients (two hospitals of one
city at :math:`y \approx 0.75` when the city has patients for 1.5 norms). The cuts here reason
about such a cluster.

Derivation. Take a set :math:`J` of sites and a set :math:`N` of demand points, with
:math:`D(N) = \sum_{i \in N} d_i`. Summing the norm rows over :math:`J` and using
:math:`\sum_{j \in J} x_{ij} \le 1` (every patient is assigned once):

.. math::

    V \sum_{j \in J} y_j \le \sum_{j \in J} \sum_i d_i x_{ij}
        \le D(N) + z, \qquad z = \sum_{i \notin N} \sum_{j \in J} d_i x_{ij} \ge 0 .

:math:`\sum_J y_j` is an integer, so with :math:`b = D(N) / V` and :math:`f = b - \lfloor b
\rfloor` the mixed-integer rounding (MIR) inequality holds for every plan:

.. math::

    \sum_{j \in J} y_j \le \lfloor b \rfloor + \frac{z}{(1 - f) V}
    \quad\Longleftrightarrow\quad
    (1 - f) V \sum_{j \in J} y_j - \sum_{i \notin N} \sum_{j \in J} d_i x_{ij}
        \le (1 - f) V \lfloor b \rfloor .

In words: the sites of a cluster whose own patients fill :math:`b` norms can open more than
:math:`\lfloor b \rfloor` of them only by drawing patients from outside the cluster. It is valid
whatever the other constraints (regions, capacity, shared sites, closest assignment), so it
never changes the optimum; it only cuts fractional plans.

Separation (heuristic, deterministic). From the LP solution, every site with a fractional
opening seeds a cluster that grows greedily, up to :data:`MAX_CLUSTER` sites, by the neighbour
(sharing patients in the LP) that most increases the violation; for a cluster, :math:`N` is the
best prefix of the points ordered by the share :math:`\sum_{j \in J} x_{ij}` they send to it.
The loop re-solves the LP (HiGHS, warm) until the bound stops improving; cuts slack at the end
are dropped. bench/RESULTS.md has the effect on the national instances.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pulp

from zorglandschap.optimise.concentration.blocks import Block
from zorglandschap.optimise.concentration.formulation import Handles
from zorglandschap.optimise.solver import quiet_stdout, use_highs_threads

#: Largest cluster a cut is grown to. Assumption (speed only; 10 closed no more gap on the
#: national bench).
MAX_CLUSTER = 6
#: Smallest violation, in sites, for a cut to be added. Assumption (speed only).
MIN_VIOLATION = 1e-2
#: Openings strictly between these count as fractional.
_FRACTIONAL = 1e-6
#: A fractional part this close to 1 would give a cut with huge coefficients: skipped.
_MAX_FRACTION = 0.98


@dataclass(frozen=True)
class NormCut:
    """One cluster cut ``scale * sum_J y - sum_{i not in N, j in J} d_i x_ij <= scale * rhs``.

    Attributes
    ----------
    intervention
        Intervention id.
    sites
        Site indices of the cluster J (block positions), sorted.
    inside
        Point indices of N (block positions), sorted.
    rhs
        :math:`\\lfloor D(N) / V \\rfloor`.
    scale
        :math:`(1 - f) V`.
    violation
        By how many sites the LP solution violated it when it was found.
    """

    intervention: str
    sites: tuple[int, ...]
    inside: tuple[int, ...]
    rhs: int
    scale: float
    violation: float


def _best_inside(
    share: np.ndarray, demand: np.ndarray, norm: float, opened: np.ndarray
) -> tuple[np.ndarray, list[np.ndarray], np.ndarray, np.ndarray]:
    """Best point set N for each candidate cluster (one per column of ``share``).

    Returns the violation, N, floor(b) and the scale (1 - f) V of each column's best prefix.
    """
    n_points, n = share.shape
    # most-committed points first; ties by point index (deterministic: stable sort)
    order = np.argsort(-share, axis=0, kind="stable")
    s = np.take_along_axis(share, order, axis=0)
    d = demand[order]
    inside_volume = np.cumsum(d * s, axis=0)
    total = inside_volume[-1]
    b = np.cumsum(d, axis=0) / norm
    whole = np.floor(b + 1e-9)
    frac = np.clip(b - whole, 0.0, None)
    scale = (1.0 - frac) * norm
    usable = (frac <= _MAX_FRACTION) & (s > 1e-9)
    with np.errstate(divide="ignore", invalid="ignore"):
        rhs = np.where(usable, whole + (total - inside_volume) / scale, np.inf)
    q = np.argmin(rhs, axis=0)
    cols = np.arange(n)
    violation = opened - rhs[q, cols]
    inside = [np.sort(order[: q[c] + 1, c]) for c in range(n)]
    return violation, inside, whole[q, cols].astype(np.int64), scale[q, cols]


def separate(
    block: Block, norm: float, y: np.ndarray, x: np.ndarray, *, max_cluster: int = MAX_CLUSTER
) -> list[NormCut]:
    """Cluster cuts violated by an LP solution.

    Parameters
    ----------
    block
        The intervention's reach block.
    norm
        Its volume norm V (> 0).
    y
        LP openings per site (block positions).
    x
        LP assignment, dense ``(n_points, n_sites)``.
    max_cluster
        Largest cluster.

    Returns
    -------
    list[NormCut]
        At most one cut per cluster, deterministic order.
    """
    demand = np.asarray(block.demand, dtype=float)
    used = x > _FRACTIONAL
    neighbours = (used.T.astype(np.int32) @ used.astype(np.int32)) > 0
    seeds = np.flatnonzero((y > _FRACTIONAL) & (y < 1.0 - _FRACTIONAL))
    found: dict[tuple[int, ...], NormCut] = {}
    for seed in seeds:
        cluster = [int(seed)]
        share = x[:, seed]
        v, ins, fl, sc = _best_inside(share[:, None], demand, norm, y[[seed]])
        best = (float(v[0]), ins[0], int(fl[0]), float(sc[0]))
        while len(cluster) < max_cluster:
            near = neighbours[cluster].any(axis=0) & (y > _FRACTIONAL)
            near[cluster] = False
            candidates = np.flatnonzero(near)
            if len(candidates) == 0:
                break
            opened = float(y[cluster].sum()) + y[candidates]
            v, ins, fl, sc = _best_inside(share[:, None] + x[:, candidates], demand, norm, opened)
            pick = int(np.argmax(v))  # first maximum: the lowest site index among ties
            if v[pick] <= best[0] + 1e-9 and best[0] >= MIN_VIOLATION:
                break
            k = int(candidates[pick])
            cluster.append(k)
            share = share + x[:, k]
            best = (float(v[pick]), ins[pick], int(fl[pick]), float(sc[pick]))
        violation, inside, rhs, scale = best
        if violation < MIN_VIOLATION:
            continue
        key = tuple(sorted(cluster))
        if key not in found or found[key].violation < violation:
            found[key] = NormCut(
                block.intervention, key, tuple(int(i) for i in inside), rhs, scale, violation
            )
    return [found[k] for k in sorted(found)]


@dataclass(frozen=True)
class Strengthened:
    """What :func:`add_norm_cuts` did.

    Attributes
    ----------
    openings
        Per intervention, the site openings of the LP relaxation *without* cuts (block
        positions), for the start plan.
    bound
        Objective of the last LP: a valid lower bound on every plan.
    first_bound
        Objective of the LP relaxation without cuts.
    kept
        The cuts added to the problem (those binding in the last LP).
    rows
        Their row names in the problem.
    rounds
        Separation rounds run.
    seconds
        Wall time.
    """

    openings: dict[str, np.ndarray]
    kept: tuple[NormCut, ...]
    rows: tuple[str, ...]
    bound: float
    first_bound: float
    rounds: int
    seconds: float

    @property
    def cuts(self) -> int:
        """Number of cuts added to the problem."""
        return len(self.kept)

    def share_closed(self, plan_objective: float) -> float:
        """Share of the gap between the LP bound without cuts and a plan that the cuts close."""
        return (self.bound - self.first_bound) / max(plan_objective - self.first_bound, 1e-9)

    def remove(self, problem: pulp.LpProblem) -> None:
        """Take the cuts out of ``problem`` again."""
        for name in self.rows:
            problem.constraints.pop(name, None)

    @property
    def line(self) -> str:
        """One line for the solve log."""
        gain = (self.bound - self.first_bound) / max(abs(self.bound), 1e-9)
        return (
            f"norm cuts: {self.cuts} cluster cut(s) in {self.rounds} round(s) raise the LP bound "
            f"from {self.first_bound:.1f} to {self.bound:.1f} (+{gain:.2%}) in {self.seconds:.1f} s"
        )


#: Columns of one intervention in the LP: y per site; x as (point, site, column).
_Columns = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _columns(blocks: Sequence[Block], handles: Handles) -> dict[str, _Columns]:
    """Column numbers (PuLP's ``index`` after the LP is built) of y and x, per intervention."""
    index = {}
    for block in blocks:
        p = block.intervention
        ys = handles.y[p]
        y_col = np.array([ys[j].index for j in range(len(block.sites))], dtype=np.int64)
        x_m = np.array([m for m, _, _ in handles.x[p]], dtype=np.int64)
        x_j = np.array([j for _, j, _ in handles.x[p]], dtype=np.int64)
        x_col = np.array([v.index for _, _, v in handles.x[p]], dtype=np.int64)
        index[p] = (y_col, x_m, x_j, x_col)
    return index


def _lp(problem: pulp.LpProblem, threads: int | None, time_limit: float) -> Any:
    """``problem``'s LP relaxation loaded into a fresh HiGHS instance (quiet)."""
    import highspy

    cmd = pulp.HiGHS(msg=False, mip=False)
    use_highs_threads(threads)
    with quiet_stdout():  # HiGHS prints its banner on the first Highs() of a process
        problem.solverModel = highspy.Highs()
        problem.solverModel.setOptionValue("output_flag", False)
    if threads is not None:
        problem.solverModel.setOptionValue("threads", int(threads))
    cmd.buildSolverModel(problem)
    lp = problem.solverModel
    lp.setOptionValue("time_limit", float(time_limit))
    return lp


def _violated(
    blocks: Sequence[Block],
    norms: Mapping[str, float],
    index: Mapping[str, _Columns],
    col: np.ndarray,
    seen: set[tuple[str, tuple[int, ...], tuple[int, ...], int]],
) -> list[NormCut]:
    """Cuts violated by the LP solution ``col`` that were not found before."""
    new: list[NormCut] = []
    for block in blocks:
        p = block.intervention
        norm = float(norms[p])
        if norm <= 0:
            continue
        y_col, x_m, x_j, x_col = index[p]
        x = np.zeros((block.n_points, len(block.sites)))
        x[x_m, x_j] = col[x_col]
        for cut in separate(block, norm, col[y_col], x):
            key = (p, cut.sites, cut.inside, cut.rhs)
            if key not in seen:
                seen.add(key)
                new.append(cut)
    return new


def _add_to_lp(
    lp: Any, cut: NormCut, columns: _Columns, demand: np.ndarray
) -> tuple[NormCut, int, np.ndarray]:
    """Add ``cut`` as a row of the HiGHS LP; returns it, its row and its x pairs (positions)."""
    import highspy

    y_col, x_m, x_j, x_col = columns
    outside = np.flatnonzero(np.isin(x_j, cut.sites) & ~np.isin(x_m, cut.inside))
    cols = np.concatenate([y_col[list(cut.sites)], x_col[outside]]).astype(np.int32)
    coefs = np.concatenate([np.full(len(cut.sites), cut.scale), -demand[x_m[outside]]])
    lp.addRow(-highspy.kHighsInf, cut.scale * cut.rhs, len(cols), cols, coefs)
    return cut, lp.getNumRow() - 1, outside


def _keep_binding(
    problem: pulp.LpProblem,
    handles: Handles,
    blocks: Sequence[Block],
    added: Sequence[tuple[NormCut, int, np.ndarray]],
    activity: np.ndarray,
) -> tuple[list[NormCut], list[str]]:
    """Add the cuts binding in the last LP to ``problem`` (``normcut_<block>_<k>``)."""
    order = {block.intervention: b for b, block in enumerate(blocks)}
    binding: list[NormCut] = []
    rows: list[str] = []
    for cut, lp_row, outside in added:
        if activity[lp_row] < cut.scale * cut.rhs - 1e-6 * max(cut.scale, 1.0):
            continue
        b = order[cut.intervention]
        xs = handles.x[cut.intervention]
        terms = [(handles.y[cut.intervention][j], cut.scale) for j in cut.sites]
        terms += [(xs[q][2], -float(blocks[b].demand[xs[q][0]])) for q in outside]
        rows.append(f"normcut_{b}_{len(rows)}")
        binding.append(cut)
        problem.addConstraint(
            pulp.LpConstraint(
                pulp.LpAffineExpression(terms), pulp.LpConstraintLE, rows[-1], cut.scale * cut.rhs
            )
        )
    return binding, rows


def add_norm_cuts(
    problem: pulp.LpProblem,
    handles: Handles,
    blocks: Sequence[Block],
    norms: Mapping[str, float],
    *,
    max_rounds: int,
    min_gain: float,
    time_limit: float,
    threads: int | None = None,
) -> Strengthened | None:
    """Tighten ``problem`` with cluster cuts found on its LP relaxation (HiGHS, in memory).

    The binding cuts are added to ``problem`` as constraints named ``normcut_<block>_<k>``; the
    problem's optimum is unchanged (every cut is valid). Rounds stop when one raises the bound
    by less than ``min_gain`` (relative), after ``max_rounds``, or — a safety limit — after
    ``time_limit`` seconds; ``threads`` as in :class:`~zorglandschap.settings.SolverSettings`
    (None = HiGHS' choice). Returns None when the relaxation cannot be solved (the problem is
    then left as it was).
    """
    import highspy

    began = time.perf_counter()
    lp = _lp(problem, threads, time_limit)
    ok = highspy.HighsModelStatus.kOptimal
    order = {block.intervention: b for b, block in enumerate(blocks)}
    index = _columns(blocks, handles)

    def values() -> np.ndarray:
        return np.asarray(lp.getSolution().col_value, dtype=float)

    lp.run()
    if lp.getModelStatus() != ok:
        return None
    lp.setOptionValue("presolve", "off")  # re-solves start from the last basis
    first = bound = float(lp.getInfo().objective_function_value)
    col = values()
    # the start plan keeps the sites this first LP opens: the tightened LP opens more sites
    # (pancreas 20: 66 against 45), which made the start plan slower and no better (bench)
    openings = {b.intervention: col[index[b.intervention][0]] for b in blocks}
    # each cut added to the LP: its row there and its x pairs (positions in handles.x)
    added: list[tuple[NormCut, int, np.ndarray]] = []
    seen: set[tuple[str, tuple[int, ...], tuple[int, ...], int]] = set()
    rounds = 0
    while rounds < max_rounds and time.perf_counter() - began < time_limit:
        new = _violated(blocks, norms, index, values(), seen)
        if not new:
            break
        rounds += 1
        for cut in new:
            demand = np.asarray(blocks[order[cut.intervention]].demand, dtype=float)
            added.append(_add_to_lp(lp, cut, index[cut.intervention], demand))
        lp.run()
        if lp.getModelStatus() != ok:
            return None
        previous, bound = bound, float(lp.getInfo().objective_function_value)
        if bound - previous < min_gain * max(abs(bound), 1e-9):
            break
    activity = np.asarray(lp.getSolution().row_value, dtype=float)
    # the cuts binding in the last LP go into the problem; those slack at the end are dropped
    binding, rows = _keep_binding(problem, handles, blocks, added, activity)
    constant = float(problem.objective.constant or 0.0)
    return Strengthened(
        openings=openings,
        kept=tuple(binding),
        rows=tuple(rows),
        bound=bound + constant,
        first_bound=first + constant,
        rounds=rounds,
        seconds=time.perf_counter() - began,
    )
