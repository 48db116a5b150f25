r"""The concentration MILP, built from small builder functions, one per constraint family.

The mathematics is on :class:`~zorglandschap.optimise.concentration.ConcentrationModel` and in
``docs/concentration.md`` §5. :func:`build_problem` combines, per intervention (one reach block
each), in this order:

1. :func:`offer_variables` — :math:`y_j` with its bounds (forced open, useless sites closed);
   the team changes against the baseline (:func:`change_terms`);
2. the assignment family from :mod:`zorglandschap.optimise.families` — :math:`x_{ij}` over the
   sparse pairs, :math:`\sum_j x_{ij} = 1`, the links :math:`x_{ij} \le y_j` for the near pairs
   and, optionally, closest assignment; how the *far* pairs (beyond each point's near set)
   enter is the ``far`` choice: ``True`` — as x variables under one aggregated link per site
   (exact), ``False`` — not at all (the restriction to the near sets, for start plans);
3. :func:`norm_rows` — volume norm :math:`\sum_i d_i x_{ij} \ge V y_j` and capacity;
4. :func:`site_count_rows` — bounds on the number of sites and the valid inequality
   :math:`V \sum_j y_j \le \sum_i d_i`;
5. :func:`region_rows` — the guarantees per region and their valid inequalities;

then :func:`share_rows` (interventions offered at the same sites), the objective, and the
user's ``extra`` hook.

Two objectives (``Formulation.objective``), built from the same three measures kept by handle
(:class:`Measures`): travel (patient-minutes a year), team changes (teams that stop or start
against the baseline) and patients moved (patients whose hospital is not today's):

* ``travel`` — travel + :math:`w^{stop}` stops + :math:`w^{start}` starts (both 0: travel
  only);
* ``disruption`` — the disruption :math:`K_p \cdot` team changes + patients moved, travel
  ignored; the round table's first solve (:mod:`.method` then minimises travel with the
  disruption held at its optimum, :func:`cap_row`). Elastic diagnosis models (``elastic``) add slack variables to the rows
of one family and minimise their total instead of travel.

The order in which rows are added is fixed (HiGHS breaks ties among equally good plans by it),
so the same question always gives the same plan.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pulp

from zorglandschap.optimise.concentration.blocks import Block
from zorglandschap.optimise.families import (
    Assignment,
    Term,
    add_rows,
    aggregated_link_rows,
    assignment_rows,
    assignment_variables,
    closest_rows,
    link_rows,
    row,
)
from zorglandschap.vocab import CONCENTRATION_OBJECTIVES

#: Elastic modes of the diagnosis models.
ELASTIC_MODES: tuple[str, ...] = ("norm", "region", "sites", "serve")

LE, GE, EQ = pulp.LpConstraintLE, pulp.LpConstraintGE, pulp.LpConstraintEQ


@dataclass(frozen=True)
class Spec:
    """Normalised requirements of one intervention."""

    intervention: str
    norm: float
    max_minutes: float
    min_sites: int | None = None
    max_sites: int | None = None
    per_region: Mapping[str, int] = field(default_factory=dict)
    force_open: frozenset[str] = frozenset()
    capacity: Mapping[str, float] = field(default_factory=dict)
    baseline: frozenset[str] = frozenset()
    #: Today's hospital of each demand id (its nearest baseline provider): who counts as moved.
    today: Mapping[str, str] = field(default_factory=dict)
    #: Patients moved that one team change weighs in the disruption (``disruption`` objective).
    team_weight: float = 0.0
    #: The baseline names only some of today's teams: a new team is no change (it may be one
    #: of the unnamed), and only the named teams that stop count.
    partial: bool = False


@dataclass
class Handles:
    """Variables and rows of a built problem, by intervention, to read the solution back.

    ``y[p][j]`` opens site position j; ``x[p]`` lists ``(point, site, x)``; ``assign[p][m]`` and
    ``norm[p][j]`` are the assignment and norm rows (for an ``extra`` hook that adds terms);
    the slack dicts are filled in elastic models only.
    """

    y: dict[str, dict[int, pulp.LpVariable]] = field(default_factory=dict)
    x: dict[str, list[tuple[int, int, pulp.LpVariable]]] = field(default_factory=dict)
    assign: dict[str, dict[int, pulp.LpConstraint]] = field(default_factory=dict)
    norm: dict[str, dict[int, pulp.LpConstraint]] = field(default_factory=dict)
    sigma: dict[str, pulp.LpVariable] = field(default_factory=dict)
    region_slack: dict[tuple[str, str], pulp.LpVariable] = field(default_factory=dict)
    max_slack: dict[str, pulp.LpVariable] = field(default_factory=dict)
    min_slack: dict[str, pulp.LpVariable] = field(default_factory=dict)
    unserved: dict[str, dict[int, pulp.LpVariable]] = field(default_factory=dict)
    n_x: int = 0
    measures: dict[str, Measures] = field(default_factory=dict)

    def disruption(self) -> Measure:
        """The disruption of the whole group: :math:`K_p` team changes + patients moved."""
        total = Measure()
        for m in self.measures.values():
            total = total + m.changes.scaled(m.team_weight) + m.moved
        return total

    def travel(self) -> Measure:
        """Patient-minutes a year of the whole group."""
        total = Measure()
        for m in self.measures.values():
            total = total + m.travel
        return total


@dataclass(frozen=True)
class Measure:
    """A linear measure of a plan: ``constant + sum(c * v)`` (by handle)."""

    terms: tuple[Term, ...] = ()
    constant: float = 0.0

    def __add__(self, other: Measure) -> Measure:
        return Measure(self.terms + other.terms, self.constant + other.constant)

    def scaled(self, factor: float) -> Measure:
        """The measure times ``factor``."""
        if factor == 0:
            return Measure()
        return Measure(tuple((v, c * factor) for v, c in self.terms), self.constant * factor)

    def value(self) -> float:
        """The measure at the variables' current values."""
        return self.constant + sum(c * float(v.varValue or 0.0) for v, c in self.terms)


@dataclass(frozen=True)
class Measures:
    """The three measures of one intervention's plan, by handle.

    Attributes
    ----------
    travel
        Patient-minutes a year.
    changes
        Teams that stop (baseline sites that do not offer) plus teams that start.
    moved
        Patients a year whose hospital is not today's (of the points with a today's hospital).
    team_weight
        :math:`K_p`, the patients moved one team change weighs in the disruption.
    """

    travel: Measure
    changes: Measure
    moved: Measure
    team_weight: float = 0.0


#: A user's own constraints: ``extra(problem, handles)`` adds rows to a built problem.
Extra = Callable[[pulp.LpProblem, Handles], None]


@dataclass(frozen=True)
class Formulation:
    """Everything a problem is built from besides the reach blocks (small, picklable).

    Attributes
    ----------
    specs
        Requirements per intervention.
    site_region
        Region of each site (guarantees and valid inequalities).
    share_groups
        Interventions that must be offered at the same sites.
    closest
        Add closest-assignment rows.
    objective
        ``travel`` (travel plus the weighted changes) or ``disruption`` (team changes
        weighted by each intervention's ``team_weight``, plus patients moved; no travel).
    stop_weight, start_weight
        ``travel`` objective: weight (patient-minutes a year) of a baseline team that stops /
        a new team.
    extra
        The user's extra constraints, called last on every problem built (the full model, the
        start plan's restricted model, the elastic diagnosis models); None: none.
    """

    specs: Mapping[str, Spec]
    site_region: Mapping[str, str]
    share_groups: Sequence[tuple[str, ...]] = ()
    closest: bool = False
    objective: str = "travel"
    stop_weight: float = 0.0
    start_weight: float = 0.0
    extra: Extra | None = None


@dataclass
class _Objective:
    """Terms of the elastic (slack) objective."""

    slack: list[Term] = field(default_factory=list)


#: Objectives of a problem (see the module docstring).
OBJECTIVES: tuple[str, ...] = CONCENTRATION_OBJECTIVES


def build_problem(
    form: Formulation,
    blocks: Sequence[Block],
    near: Mapping[str, np.ndarray],
    *,
    far: bool = True,
    elastic: frozenset[str] = frozenset(),
    name: str = "concentration",
) -> tuple[pulp.LpProblem, Handles]:
    """Build the MILP for a group of coupled interventions.

    Parameters
    ----------
    form
        What to build (requirements, regions, shared sites, options).
    blocks
        One reach block per intervention in the group.
    near
        Per intervention, the near-set size of every merged point (``len(reach)`` = all near).
    far
        True: far pairs are x variables under one aggregated link per site (exact; with binary
        y both link forms allow the same plans, only the LP is weaker). False: no far pairs
        (the restriction to the near sets).
    elastic
        Diagnosis mode(s) from :data:`ELASTIC_MODES`: slack variables are added and the
        objective becomes the total slack (travel is ignored).
    name
        Problem name.
    """
    prob = pulp.LpProblem(name, pulp.LpMinimize)
    h = Handles()
    obj = _Objective()
    for b, block in enumerate(blocks):
        _build_block(prob, h, obj, form, block, b, near[block.intervention], far, elastic)
    for c in share_rows(blocks, h.y, form.share_groups):
        prob.addConstraint(c)
    if elastic:
        prob.setObjective(pulp.LpAffineExpression(obj.slack))
    else:
        prob.setObjective(objective_expression(form, h))
    if form.extra is not None:
        form.extra(prob, h)
    return prob, h


def _build_block(
    prob: pulp.LpProblem,
    h: Handles,
    obj: _Objective,
    form: Formulation,
    block: Block,
    b: int,
    near: np.ndarray,
    far: bool,
    elastic: frozenset[str],
) -> None:
    """Variables and rows of one intervention, in the fixed order."""
    p = block.intervention
    spec = form.specs[p]
    tag = str(b)
    ys = offer_variables(block, spec, b, elastic)
    open_ = [ys[j].upBound != 0 for j in range(len(block.sites))] if far else None
    x = assignment_variables(block, near, tag=tag, far_open=open_)
    h.measures[p] = Measures(
        travel=travel_measure(block, x),
        changes=change_terms(block, spec, ys),
        moved=moved_measure(block, spec, x),
        team_weight=spec.team_weight,
    )
    pairs = x.pairs
    unserved = serve_slacks(block, b) if "serve" in elastic else {}
    obj.slack += [(u, float(block.demand[m])) for m, u in unserved.items()]
    assign = assignment_rows(x, tag=tag, extra={m: [(u, 1.0)] for m, u in unserved.items()})
    families = [link_rows(x, ys, tag=tag), assign]
    if form.closest:
        families.append(closest_rows(block, x, ys, tag=tag))
    add_rows(prob, *families)
    add_rows(prob, aggregated_link_rows(x, ys, block.demand, tag=tag))
    sigma = norm_slack(b, spec.norm) if "norm" in elastic and spec.norm > 0 else None
    if sigma is not None:
        obj.slack.append((sigma, 1.0))
    volume = x.site_terms(len(block.sites), block.demand)
    norm = norm_rows(block, spec, ys, volume, b, sigma)
    add_rows(prob, norm, capacity_rows(block, spec, ys, volume, b))
    for c in site_count_rows(block, spec, ys, b, elastic, sigma, h, obj.slack):
        prob.addConstraint(c)
    for c in region_rows(block, spec, ys, b, form.site_region, elastic, sigma, h, obj.slack):
        prob.addConstraint(c)
    h.y[p] = ys
    h.x[p] = pairs
    h.assign[p] = assign
    h.norm[p] = {j: rows[-1] for j, rows in norm.items()}
    h.unserved[p] = unserved
    if sigma is not None:
        h.sigma[p] = sigma
    h.n_x += len(pairs)


def offer_variables(
    block: Block, spec: Spec, b: int, elastic: frozenset[str]
) -> dict[int, pulp.LpVariable]:
    """``y_<b>_<j>``: site j offers; forced-open sites fixed at 1, sites that can never meet
    the norm (too few patients within reach) fixed at 0 (unless the norm is elastic)."""
    reach_dem = block.reachable_demand()
    ys: dict[int, pulp.LpVariable] = {}
    for j, site in enumerate(block.sites):
        lb = 1 if site in spec.force_open else 0
        useless = reach_dem[j] <= 0 or ("norm" not in elastic and reach_dem[j] + 1e-9 < spec.norm)
        ub = 0 if useless and lb == 0 else 1
        # LpBinary would reset the bounds to [0, 1]: an integer in [lb, ub] keeps them
        ys[j] = pulp.LpVariable(f"y_{b}_{j}", lowBound=lb, upBound=ub, cat=pulp.LpInteger)
    return ys


def change_terms(block: Block, spec: Spec, ys: Mapping[int, pulp.LpVariable]) -> Measure:
    """Team changes against the baseline: :math:`\\sum_{b_j=1} (1 - y_j) + \\sum_{b_j=0} y_j`
    over the candidate sites (a baseline team that is no candidate stops in every plan and is
    left out: a constant); with a partial baseline only the stops."""
    terms = tuple(
        (ys[j], -1.0 if site in spec.baseline else 1.0)
        for j, site in enumerate(block.sites)
        if site in spec.baseline or not spec.partial
    )
    return Measure(terms, float(sum(site in spec.baseline for site in block.sites)))


def travel_measure(block: Block, x: Assignment) -> Measure:
    """Patient-minutes a year: :math:`\\sum_{ij} d_i t_{ij} x_{ij}`."""
    terms: list[Term] = []
    for m, xs in enumerate(x.points):
        _, minutes = block.reach(m)
        dm = float(block.demand[m])
        terms += [(v, dm * float(minutes[r])) for r, _, v in xs]
    return Measure(tuple(terms))


def moved_measure(block: Block, spec: Spec, x: Assignment) -> Measure:
    """Patients a year who change hospital: :math:`\\sum_i d_i (1 - x_{i, h(i)})` over the
    demand ids with a today's hospital :math:`h(i)` (members of a merged point each count
    with their own today's hospital)."""
    if not spec.today:
        return Measure()
    position = {s: j for j, s in enumerate(block.sites)}
    terms: list[Term] = []
    constant = 0.0
    for m, xs in enumerate(x.points):
        stay: dict[int, float] = {}
        for dem_id, d in zip(block.groups[m], block.member_demand[m], strict=True):
            site = spec.today.get(dem_id)
            if site is None:
                continue
            constant += float(d)
            j = position.get(site)
            if j is not None:
                stay[j] = stay.get(j, 0.0) + float(d)
        terms += [(v, -stay[j]) for _, j, v in xs if j in stay]
    return Measure(tuple(terms), constant)


def objective_expression(form: Formulation, h: Handles) -> pulp.LpAffineExpression:
    """The objective of ``form`` over the measures of the built problem, intervention by
    intervention (the order of the terms is part of what the solver sees: kept fixed)."""
    total = Measure()
    for m in h.measures.values():
        if form.objective == "disruption":
            total = total + m.changes.scaled(m.team_weight) + m.moved
        else:
            total = total + _weighted_changes(m, form) + m.travel
    return pulp.LpAffineExpression(list(total.terms), constant=total.constant)


def _weighted_changes(m: Measures, form: Formulation) -> Measure:
    """:math:`w^{stop}` stops + :math:`w^{start}` starts from the change terms (a term's sign
    says which: -1 for a baseline team, +1 for a new one); zero weights keep their terms."""
    terms = tuple(
        (v, c * (form.stop_weight if c < 0 else form.start_weight)) for v, c in m.changes.terms
    )
    return Measure(terms, m.changes.constant * form.stop_weight)


def cap_row(measure: Measure, cap: float, name: str) -> pulp.LpConstraint:
    """``measure <= cap`` as one row (the constant moved to the right-hand side)."""
    return row(measure.terms, LE, cap - measure.constant, name)


def serve_slacks(block: Block, b: int) -> dict[int, pulp.LpVariable]:
    """Elastic "serve": ``u_<b>_<m>`` in [0, 1], the share of point m's patients not served."""
    return {m: pulp.LpVariable(f"u_{b}_{m}", lowBound=0, upBound=1) for m in range(block.n_points)}


def norm_slack(b: int, norm: float) -> pulp.LpVariable:
    """Elastic "norm": ``sigma_<b>`` in [0, V], by how much every site's norm may be missed."""
    return pulp.LpVariable(f"sigma_{b}", lowBound=0, upBound=norm)


def norm_rows(
    block: Block,
    spec: Spec,
    ys: Mapping[int, pulp.LpVariable],
    volume: Sequence[Sequence[Term]],
    b: int,
    sigma: pulp.LpVariable | None,
) -> dict[int, list[pulp.LpConstraint]]:
    """``norm_<b>_<j>``: :math:`\\sum_i d_i x_{ij} \\ge V y_j` for every site that can open
    (with an elastic norm: :math:`+ s_j \\ge`, :math:`s_j \\le \\sigma`, rows ``sigma_<b>_<j>``
    first). Keyed by site; the norm row is the last of each site's rows."""
    out: dict[int, list[pulp.LpConstraint]] = {}
    V = spec.norm
    if V <= 0:
        return out
    for j in range(len(block.sites)):
        if ys[j].upBound == 0:
            continue
        terms = list(volume[j]) + [(ys[j], -V)]
        rows = []
        if sigma is not None:
            s = pulp.LpVariable(f"s_{b}_{j}", lowBound=0, upBound=V)
            terms.append((s, 1.0))
            rows.append(row([(s, 1.0), (sigma, -1.0)], LE, 0.0, f"sigma_{b}_{j}"))
        rows.append(row(terms, GE, 0.0, f"norm_{b}_{j}"))
        out[j] = rows
    return out


def capacity_rows(
    block: Block,
    spec: Spec,
    ys: Mapping[int, pulp.LpVariable],
    volume: Sequence[Sequence[Term]],
    b: int,
) -> dict[int, pulp.LpConstraint]:
    """``cap_<b>_<j>``: :math:`\\sum_i d_i x_{ij} \\le C_j y_j` where a capacity is given."""
    out = {}
    for j, site in enumerate(block.sites):
        cap = spec.capacity.get(site)
        if ys[j].upBound != 0 and cap is not None and math.isfinite(cap):
            out[j] = row(list(volume[j]) + [(ys[j], -float(cap))], LE, 0.0, f"cap_{b}_{j}")
    return out


def site_count_rows(
    block: Block,
    spec: Spec,
    ys: Mapping[int, pulp.LpVariable],
    b: int,
    elastic: frozenset[str],
    sigma: pulp.LpVariable | None,
    h: Handles,
    slack: list[Term],
) -> list[pulp.LpConstraint]:
    """Bounds on the number of sites (elastic "sites": integer slacks), and the valid
    inequalities :math:`\\sum_j y_j \\le \\lfloor D / V \\rfloor` (every site needs V of the
    D patients) and, for an elastic norm, :math:`\\sigma \\ge V - D / n` (n sites required)."""
    p, V = block.intervention, spec.norm
    total = float(block.demand.sum())
    all_y = [(ys[j], 1.0) for j in range(len(block.sites))]
    rows = []
    if spec.max_sites is not None:
        terms = list(all_y)
        if "sites" in elastic:
            a = pulp.LpVariable(f"maxslack_{b}", lowBound=0, cat=pulp.LpInteger)
            h.max_slack[p] = a
            slack.append((a, 1.0))
            terms.append((a, -1.0))
        rows.append(row(terms, LE, float(spec.max_sites), f"maxsites_{b}"))
    if spec.min_sites is not None and spec.min_sites > 0:
        terms = list(all_y)
        if "sites" in elastic:
            a = pulp.LpVariable(f"minslack_{b}", lowBound=0, cat=pulp.LpInteger)
            h.min_slack[p] = a
            slack.append((a, 1.0))
            terms.append((a, 1.0))
        rows.append(row(terms, GE, float(spec.min_sites), f"minsites_{b}"))
    if V > 0 and "norm" not in elastic:
        rows.append(row(all_y, LE, math.floor(total / V + 1e-9), f"vi_total_{b}"))
    # sites every plan must open: the region guarantees, the minimum number of sites
    required = 0
    if "region" not in elastic:
        required = sum(int(k) for k in spec.per_region.values() if k > 0)
    if "sites" not in elastic:
        required = max(required, int(spec.min_sites or 0))
    if sigma is not None and required > 0:
        rows.append(row([(sigma, 1.0)], GE, V - total / required, f"vi_sigma_total_{b}"))
    return rows


def region_rows(
    block: Block,
    spec: Spec,
    ys: Mapping[int, pulp.LpVariable],
    b: int,
    site_region: Mapping[str, str],
    elastic: frozenset[str],
    sigma: pulp.LpVariable | None,
    h: Handles,
    slack: list[Term],
) -> list[pulp.LpConstraint]:
    """Per region (sorted): ``region_<b>_<r>`` :math:`\\sum_{j \\in J_r} y_j \\ge k_r` (elastic
    "region": integer slack), and the valid inequalities :math:`\\sum_{j \\in J_r} y_j \\le
    \\lfloor D_r / V \\rfloor` and, for an elastic norm, :math:`\\sigma \\ge V - D_r / k_r`,
    with :math:`D_r` the patients that can reach the region's sites."""
    p, V = block.intervention, spec.norm
    regions: dict[str, list[int]] = {}
    for j, site in enumerate(block.sites):
        reg = site_region.get(site)
        if reg is not None:
            regions.setdefault(reg, []).append(j)
    rows = []
    for reg in sorted(regions):
        idx = regions[reg]
        k_req = int(spec.per_region.get(reg, 0))
        terms = [(ys[j], 1.0) for j in idx]
        if k_req > 0:
            if "region" in elastic:
                r = pulp.LpVariable(
                    f"rslack_{b}_{len(h.region_slack)}", 0, k_req, cat=pulp.LpInteger
                )
                h.region_slack[(p, reg)] = r
                slack.append((r, 1.0))
                terms = terms + [(r, 1.0)]
            rows.append(row(terms, GE, float(k_req), f"region_{b}_{reg}"))
        if V <= 0 or (len(idx) <= 1 and sigma is None):
            continue
        in_reach = _demand_reaching(block, idx)
        if "norm" not in elastic and len(idx) > 1:
            cap_sites = math.floor(in_reach / V + 1e-9)
            if cap_sites < len(idx):
                rows.append(
                    row([(ys[j], 1.0) for j in idx], LE, float(cap_sites), f"vi_region_{b}_{reg}")
                )
        if sigma is not None and k_req > 0 and "region" not in elastic:
            rows.append(row([(sigma, 1.0)], GE, V - in_reach / k_req, f"vi_sigma_{b}_{reg}"))
    return rows


def _demand_reaching(block: Block, idx: Sequence[int]) -> float:
    """Patients a year of the points that can reach at least one of the sites ``idx``."""
    member = np.zeros(len(block.sites), dtype=bool)
    member[list(idx)] = True
    in_reach = 0.0
    for m in range(block.n_points):
        sites, _ = block.reach(m)
        if member[sites].any():
            in_reach += float(block.demand[m])
    return in_reach


def share_rows(
    blocks: Sequence[Block],
    y: Mapping[str, Mapping[int, pulp.LpVariable]],
    share_groups: Sequence[tuple[str, ...]],
) -> list[pulp.LpConstraint]:
    """``share_<g>_<q>_<site>``: :math:`y_{jp} = y_{jq}` for interventions offered at the same
    sites; a site that is not a candidate for all of them is closed for all."""
    by_p = {blk.intervention: blk for blk in blocks}
    rows = []
    for g, group in enumerate(share_groups):
        present = [p for p in group if p in by_p]
        if len(present) < 2:
            continue
        positions = {p: {s: i for i, s in enumerate(by_p[p].sites)} for p in present}
        for site in sorted(set().union(*(by_p[p].sites for p in present))):
            vars_ = [y[p][positions[p][site]] if site in positions[p] else None for p in present]
            if any(v is None for v in vars_):
                for v in vars_:
                    if v is not None:
                        v.upBound = 0
                continue
            first = vars_[0]
            for q, v in enumerate(vars_[1:], start=1):
                assert first is not None and v is not None
                rows.append(row([(first, 1.0), (v, -1.0)], EQ, 0.0, f"share_{g}_{q}_{site}"))
    return rows
