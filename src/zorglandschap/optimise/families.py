r"""Constraint families shared by the location models: assignment, links, closest assignment.

A location model sends the demand of every demand point :math:`i` to sites :math:`j` within
reach: complex-care concentration sends patients to the sites that offer an intervention, and
acute-care spreading sends SEH visits to the nearest open SEH in each time block. Both build
the same rows, over the same sparse pairs (a point's sites within reach, near to far; see
:class:`SparseReach`):

.. math::

    \sum_{j:(i,j) \in A} x_{ij} = 1 \quad \forall i                  && \text{(assignment)} \\
    x_{ij} \le y_j \quad \forall (i,j) \in A                         && \text{(link)} \\
    \sum_{i \in F_j} d_i x_{ij} \le y_j \sum_{i \in F_j} d_i \quad \forall j
                                                                     && \text{(aggregated link)} \\
    \sum_{k: t_{ik} \le t_{ij}} x_{ik} \ge y_j \quad \forall (i,j) \in A
                                                                     && \text{(closest assignment)}

where :math:`y_j` is whatever opens site :math:`j` (an offer, an SEH open in a time block) and
:math:`F_j` the points whose pair with :math:`j` is *far* (it gets the weaker aggregated link;
with binary :math:`y` both forms allow the same plans, only the LP relaxation differs).

Build, solve, read back (STYLE.md 11): the functions here only build. They create variables
and rows and return them by handle (:class:`Assignment`, dicts of rows keyed by point or site);
the model adds the rows to its problem with :func:`add_rows` in one fixed order, solves, and
reads the values back through the handles — nothing is looked up again by name.

Examples
--------
Two points, two sites; the second point reaches only site 1:

>>> import numpy as np
>>> class Toy:
...     n_points = 2
...     def reach(self, m):
...         return (np.array([0, 1]), np.array([5.0, 9.0])) if m == 0 else (
...             np.array([1]), np.array([4.0]))
>>> y = {0: pulp.LpVariable("y_0", cat="Binary"), 1: pulp.LpVariable("y_1", cat="Binary")}
>>> x = assignment_variables(Toy(), [1, 1], tag="t", far_open=[True, True])
>>> [(m, j, v.name) for m, j, v in x.pairs]
[(0, 0, 'x_t_0_0'), (0, 1, 'x_t_0_1'), (1, 1, 'x_t_1_1')]
>>> prob = pulp.LpProblem("toy", pulp.LpMinimize)
>>> add_rows(prob, link_rows(x, y, tag="t"), assignment_rows(x, tag="t"))
>>> add_rows(prob, aggregated_link_rows(x, y, [3.0, 2.0], tag="t"))
>>> list(prob.constraints)
['link_t_0_0', 'assign_t_0', 'link_t_1_1', 'assign_t_1', 'weak_t_1']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pulp

#: One term of a linear expression: (variable, coefficient).
Term = tuple[pulp.LpVariable, float]
#: Whole numbers or weights per point (a sequence or a numpy array).
Ints = Sequence[int] | np.ndarray
Floats = Sequence[float] | np.ndarray
#: Rows of one family, by the point (or site) they belong to.
Rows = Mapping[int, pulp.LpConstraint | Sequence[pulp.LpConstraint]]


class SparseReach(Protocol):
    """Sparse pairs: for each demand point ``m``, the sites within reach, near to far."""

    @property
    def n_points(self) -> int:
        """Number of demand points."""
        ...

    def reach(self, m: int) -> tuple[np.ndarray, np.ndarray]:
        """Site indices and minutes of point ``m``, sorted near to far."""
        ...


def row(terms: Iterable[Term], sense: int, rhs: float, name: str) -> pulp.LpConstraint:
    """One constraint ``sum(terms) <sense> rhs`` from (variable, coefficient) pairs."""
    return pulp.LpConstraint(pulp.LpAffineExpression(list(terms)), sense, name, rhs)


@dataclass(frozen=True)
class Assignment:
    """Handles of the assignment variables :math:`x_{ij}` (share of point i's demand at j).

    Attributes
    ----------
    points
        Per point, its variables near to far as ``(rank in the point's reach, site, x)``.
    near
        Per point, how many of its nearest sites are *near* (strong links); the rest are far.
    """

    points: tuple[tuple[tuple[int, int, pulp.LpVariable], ...], ...]
    near: tuple[int, ...]

    @property
    def pairs(self) -> list[tuple[int, int, pulp.LpVariable]]:
        """Every variable as ``(point, site, x)``, point by point, near to far."""
        return [(m, j, v) for m, xs in enumerate(self.points) for _, j, v in xs]

    def site_terms(self, n_sites: int, weight: Floats) -> list[list[Term]]:
        """Per site, the terms :math:`w_i x_{ij}` of its points (its volume when w = demand)."""
        terms: list[list[Term]] = [[] for _ in range(n_sites)]
        for m, xs in enumerate(self.points):
            for _, j, v in xs:
                terms[j].append((v, float(weight[m])))
        return terms


def assignment_variables(
    reach: SparseReach,
    near: Ints,
    *,
    tag: str,
    far_open: Sequence[bool] | None = None,
) -> Assignment:
    """Variables ``x_<tag>_<point>_<site>`` in [0, 1] over the sparse pairs.

    Parameters
    ----------
    reach
        The pairs.
    near
        Per point, the size of its near set (its ``near[m]`` nearest sites).
    tag
        Name part that keeps these variables apart from another family's (e.g. a block number).
    far_open
        None: only the near pairs get a variable (a restriction of the model). Otherwise the
        far pairs too, to the sites ``j`` with ``far_open[j]`` (a far pair to a site that can
        never open would stay 0).
    """
    points = []
    for m in range(reach.n_points):
        sites, _ = reach.reach(m)
        k = int(near[m])
        last = len(sites) if far_open is not None else k
        xs = []
        for r in range(last):
            j = int(sites[r])
            if r >= k and far_open is not None and not far_open[j]:
                continue
            xs.append((r, j, pulp.LpVariable(f"x_{tag}_{m}_{j}", lowBound=0, upBound=1)))
        points.append(tuple(xs))
    return Assignment(points=tuple(points), near=tuple(int(k) for k in near))


def assignment_rows(
    x: Assignment, *, tag: str, extra: Mapping[int, Sequence[Term]] | None = None
) -> dict[int, pulp.LpConstraint]:
    """``assign_<tag>_<point>``: each point's shares add up to one (plus its ``extra`` terms,
    e.g. an elastic "unserved" slack)."""
    extra = extra or {}
    return {
        m: row(
            [(v, 1.0) for _, _, v in xs] + list(extra.get(m, ())),
            pulp.LpConstraintEQ,
            1.0,
            f"assign_{tag}_{m}",
        )
        for m, xs in enumerate(x.points)
    }


def link_rows(
    x: Assignment, y: Mapping[int, pulp.LpVariable], *, tag: str
) -> dict[int, list[pulp.LpConstraint]]:
    """``link_<tag>_<point>_<site>``: :math:`x_{ij} \\le y_j` for every near pair."""
    return {
        m: [
            row([(v, 1.0), (y[j], -1.0)], pulp.LpConstraintLE, 0.0, f"link_{tag}_{m}_{j}")
            for r, j, v in xs
            if r < x.near[m]
        ]
        for m, xs in enumerate(x.points)
    }


def aggregated_link_rows(
    x: Assignment, y: Mapping[int, pulp.LpVariable], weight: Floats, *, tag: str
) -> dict[int, pulp.LpConstraint]:
    """``weak_<tag>_<site>``: one link per site for its far pairs,
    :math:`\\sum_{i \\in F_j} w_i x_{ij} \\le y_j \\sum_{i \\in F_j} w_i` (keyed by site)."""
    far: dict[int, list[Term]] = {}
    for m, xs in enumerate(x.points):
        for r, j, v in xs:
            if r >= x.near[m]:
                far.setdefault(j, []).append((v, float(weight[m])))
    out = {}
    for j in sorted(far):
        big = float(sum(c for _, c in far[j]))
        out[j] = row(far[j] + [(y[j], -big)], pulp.LpConstraintLE, 0.0, f"weak_{tag}_{j}")
    return out


def closest_rows(
    reach: SparseReach, x: Assignment, y: Mapping[int, pulp.LpVariable], *, tag: str
) -> dict[int, list[pulp.LpConstraint]]:
    """``closest_<tag>_<point>_<site>``: a point sends its demand to its nearest open site,
    :math:`\\sum_{k: t_{ik} \\le t_{ij}} x_{ik} \\ge y_j` over its near pairs (ties may split)."""
    out = {}
    for m, xs in enumerate(x.points):
        _, minutes = reach.reach(m)
        k = x.near[m]
        near_vars = [v for r, _, v in xs if r < k]
        rows = []
        for r, j, _ in xs[:k]:
            closer = [(near_vars[q], 1.0) for q in range(k) if minutes[q] <= minutes[r]]
            rows.append(
                row(closer + [(y[j], -1.0)], pulp.LpConstraintGE, 0.0, f"closest_{tag}_{m}_{j}")
            )
        out[m] = rows
    return out


def add_rows(prob: pulp.LpProblem, *families: Rows) -> None:
    """Add the rows of ``families`` to ``prob`` key by key (ascending point or site), and
    within a key in the order the families are given.

    The order of rows is part of what a solver sees (it breaks ties among equally good plans),
    so every model adds its rows in one fixed order and a plan is reproducible.
    """
    keys = sorted(set().union(*(f.keys() for f in families)))
    for key in keys:
        for family in families:
            rows = family.get(key)
            if rows is None:
                continue
            for c in [rows] if isinstance(rows, pulp.LpConstraint) else rows:
                prob.addConstraint(c)
