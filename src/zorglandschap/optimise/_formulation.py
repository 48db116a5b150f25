"""The MILP of the concentration model, built sparse from (variable, coefficient) pairs.

Internal to :mod:`zorglandschap.optimise`; the mathematics is documented on
:class:`zorglandschap.optimise.concentration.ConcentrationModel` and in ``docs/concentration.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pulp

from zorglandschap.optimise._blocks import Block

#: Elastic modes of the diagnosis models.
ELASTIC_MODES: tuple[str, ...] = ("norm", "region", "sites", "serve")


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


@dataclass
class Handles:
    """Variables of a built model, to read the solution back."""

    y: dict[str, dict[int, pulp.LpVariable]] = field(default_factory=dict)
    x: dict[str, list[tuple[int, int, pulp.LpVariable]]] = field(default_factory=dict)
    far: dict[str, dict[int, pulp.LpVariable]] = field(default_factory=dict)
    sigma: dict[str, pulp.LpVariable] = field(default_factory=dict)
    region_slack: dict[tuple[str, str], pulp.LpVariable] = field(default_factory=dict)
    max_slack: dict[str, pulp.LpVariable] = field(default_factory=dict)
    min_slack: dict[str, pulp.LpVariable] = field(default_factory=dict)
    unserved: dict[str, dict[int, pulp.LpVariable]] = field(default_factory=dict)
    n_x: int = 0
    n_far: int = 0


def build_problem(
    blocks: Sequence[Block],
    specs: Mapping[str, Spec],
    near: Mapping[str, np.ndarray],
    *,
    site_region: Mapping[str, str],
    share_groups: Sequence[tuple[str, ...]],
    closest: bool,
    stop_weight: float,
    start_weight: float,
    elastic: frozenset[str] = frozenset(),
    far: bool | str = True,
    name: str = "concentration",
) -> tuple[pulp.LpProblem, Handles]:
    r"""Build the near-far MILP for a group of coupled interventions.

    Parameters
    ----------
    blocks
        One reach block per intervention in the group.
    specs
        Requirements per intervention.
    near
        Per intervention, the near-set size of every merged point (``len(reach)`` = complete).
    site_region
        Region of each site (for the per-region guarantees and the valid inequalities).
    share_groups
        Interventions that must be offered at the same sites.
    closest
        Add closest-assignment constraints.
    stop_weight, start_weight
        Objective weight (patient-minutes per year) of a baseline team that stops / a new team.
    elastic
        Diagnosis mode(s) from :data:`ELASTIC_MODES`: slack variables are added and the
        objective becomes the total slack (travel is ignored).
    far
        How the pairs outside each near set enter: ``"aggregate"`` — as x variables sharing one
        aggregated link per site, :math:`\sum_{i \text{ far}} d_i x_{ij} \le y_j \sum d_i`
        (exact: with binary y both link forms allow the same plans; only the LP is weaker);
        ``True`` — as one far-pool variable per point (a relaxation, see the model docstring);
        ``False`` — not at all (the restriction to the near sets).
    name
        Problem name.
    """
    prob = pulp.LpProblem(name, pulp.LpMinimize)
    h = Handles()
    obj_terms: list[tuple[pulp.LpVariable, float]] = []
    obj_const = 0.0
    slack_terms: list[tuple[pulp.LpVariable, float]] = []
    add = prob.addConstraint
    Le, Ge, Eq = pulp.LpConstraintLE, pulp.LpConstraintGE, pulp.LpConstraintEQ

    def con(terms: list[tuple[pulp.LpVariable, float]], sense: int, rhs: float, cname: str) -> None:
        add(pulp.LpConstraint(pulp.LpAffineExpression(terms), sense, cname, rhs))

    for b, block in enumerate(blocks):
        p = block.intervention
        spec = specs[p]
        V = spec.norm
        n_sites = len(block.sites)
        reach_dem = block.reachable_demand()
        total = float(block.demand.sum())
        # -- y: offers -------------------------------------------------------------------
        ys: dict[int, pulp.LpVariable] = {}
        for j, site in enumerate(block.sites):
            lb = 1 if site in spec.force_open else 0
            ub = 1
            useless = reach_dem[j] <= 0 or ("norm" not in elastic and reach_dem[j] + 1e-9 < V)
            if useless and lb == 0:
                ub = 0
            # LpBinary would reset the bounds to [0, 1]: an integer in [lb, ub] keeps them
            ys[j] = pulp.LpVariable(f"y_{b}_{j}", lowBound=lb, upBound=ub, cat=pulp.LpInteger)
            if site in spec.baseline:
                obj_terms.append((ys[j], -stop_weight))
                obj_const += stop_weight
            else:
                obj_terms.append((ys[j], start_weight))
        h.y[p] = ys
        # -- x, far, assignment ----------------------------------------------------------
        site_terms: list[list[tuple[pulp.LpVariable, float]]] = [[] for _ in range(n_sites)]
        far_pool: list[tuple[pulp.LpVariable, float]] = []
        far_cap = np.zeros(n_sites)
        xs: list[tuple[int, int, pulp.LpVariable]] = []
        fars: dict[int, pulp.LpVariable] = {}
        uns: dict[int, pulp.LpVariable] = {}
        weak: list[list[tuple[pulp.LpVariable, float]]] = [[] for _ in range(n_sites)]
        nears = near[p]
        for m in range(block.n_points):
            sites_m, mins_m = block.reach(m)
            k = int(nears[m])
            dm = float(block.demand[m])
            row: list[tuple[pulp.LpVariable, float]] = []
            xm: list[pulp.LpVariable] = []
            # near pairs (r < k) get a strong link; with far="aggregate" the far pairs are x
            # variables too, sharing one aggregated link per site (below)
            last = len(sites_m) if far == "aggregate" else k
            for r in range(last):
                j = int(sites_m[r])
                if r >= k and ys[j].upBound == 0:
                    continue
                v = pulp.LpVariable(f"x_{b}_{m}_{j}", lowBound=0, upBound=1)
                xm.append(v)
                xs.append((m, j, v))
                row.append((v, 1.0))
                obj_terms.append((v, dm * float(mins_m[r])))
                site_terms[j].append((v, dm))
                if r < k:
                    con([(v, 1.0), (ys[j], -1.0)], Le, 0.0, f"link_{b}_{m}_{j}")
                else:
                    weak[j].append((v, dm))
            if far is True and k < len(sites_m):
                fv = pulp.LpVariable(f"f_{b}_{m}", lowBound=0, upBound=1)
                fars[m] = fv
                row.append((fv, 1.0))
                obj_terms.append((fv, dm * float(mins_m[k])))
                far_pool.append((fv, -dm))
                far_cap[sites_m[k:]] += dm
            if "serve" in elastic:
                u = pulp.LpVariable(f"u_{b}_{m}", lowBound=0, upBound=1)
                uns[m] = u
                row.append((u, 1.0))
                slack_terms.append((u, dm))
            con(row, Eq, 1.0, f"assign_{b}_{m}")
            if closest:
                for r in range(k):
                    j = int(sites_m[r])
                    tj = mins_m[r]
                    closer = [(xm[q], 1.0) for q in range(k) if mins_m[q] <= tj]
                    con(closer + [(ys[j], -1.0)], Ge, 0.0, f"closest_{b}_{m}_{j}")
        h.x[p] = xs
        h.far[p] = fars
        h.unserved[p] = uns
        h.n_x += len(xs)
        h.n_far += len(fars)
        # -- aggregated links for the far pairs -----------------------------------------
        for j in range(n_sites):
            if weak[j]:
                big = float(sum(c for _, c in weak[j]))
                con(weak[j] + [(ys[j], -big)], Le, 0.0, f"weak_{b}_{j}")
        # -- far pool --------------------------------------------------------------------
        ws: dict[int, pulp.LpVariable] = {}
        if fars:
            for j in range(n_sites):
                if far_cap[j] > 0 and ys[j].upBound != 0:
                    w = pulp.LpVariable(f"w_{b}_{j}", lowBound=0)
                    ws[j] = w
                    far_pool.append((w, 1.0))
                    con([(w, 1.0), (ys[j], -float(far_cap[j]))], Le, 0.0, f"wcap_{b}_{j}")
            con(far_pool, Eq, 0.0, f"farpool_{b}")
        # -- volume norm and capacity ----------------------------------------------------
        sigma = None
        if "norm" in elastic and V > 0:
            sigma = pulp.LpVariable(f"sigma_{b}", lowBound=0, upBound=V)
            h.sigma[p] = sigma
            slack_terms.append((sigma, 1.0))
        for j in range(n_sites):
            if ys[j].upBound == 0:
                continue
            vol = list(site_terms[j])
            if j in ws:
                vol.append((ws[j], 1.0))
            if V > 0:
                terms = vol + [(ys[j], -V)]
                if sigma is not None:
                    s = pulp.LpVariable(f"s_{b}_{j}", lowBound=0, upBound=V)
                    terms.append((s, 1.0))
                    con([(s, 1.0), (sigma, -1.0)], Le, 0.0, f"sigma_{b}_{j}")
                con(terms, Ge, 0.0, f"norm_{b}_{j}")
            cap = spec.capacity.get(block.sites[j])
            if cap is not None and math.isfinite(cap):
                con(vol + [(ys[j], -float(cap))], Le, 0.0, f"cap_{b}_{j}")
        all_y = [(ys[j], 1.0) for j in range(n_sites)]
        # -- number of sites -------------------------------------------------------------
        if spec.max_sites is not None:
            terms = list(all_y)
            if "sites" in elastic:
                a = pulp.LpVariable(f"maxslack_{b}", lowBound=0, cat=pulp.LpInteger)
                h.max_slack[p] = a
                slack_terms.append((a, 1.0))
                terms.append((a, -1.0))
            con(terms, Le, float(spec.max_sites), f"maxsites_{b}")
        if spec.min_sites is not None and spec.min_sites > 0:
            terms = list(all_y)
            if "sites" in elastic:
                a = pulp.LpVariable(f"minslack_{b}", lowBound=0, cat=pulp.LpInteger)
                h.min_slack[p] = a
                slack_terms.append((a, 1.0))
                terms.append((a, 1.0))
            con(terms, Ge, float(spec.min_sites), f"minsites_{b}")
        if V > 0 and "norm" not in elastic:
            # valid inequality: every offering site needs V patients of the national total
            con(all_y, Le, math.floor(total / V + 1e-9), f"vi_total_{b}")
        # sites every plan must open: the region guarantees, the minimum number of sites
        required = 0
        if "region" not in elastic:
            required = sum(int(k) for k in spec.per_region.values() if k > 0)
        if "sites" not in elastic:
            required = max(required, int(spec.min_sites or 0))
        if sigma is not None and required > 0:
            # valid inequality (diagnosis): n sites at norm V - sigma share at most the total
            con([(sigma, 1.0)], Ge, V - total / required, f"vi_sigma_total_{b}")
        # -- regions ---------------------------------------------------------------------
        regions: dict[str, list[int]] = {}
        for j, site in enumerate(block.sites):
            reg = site_region.get(site)
            if reg is not None:
                regions.setdefault(reg, []).append(j)
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
                    slack_terms.append((r, 1.0))
                    terms = terms + [(r, 1.0)]
                con(terms, Ge, float(k_req), f"region_{b}_{reg}")
            if V <= 0 or (len(idx) <= 1 and sigma is None):
                continue
            # the region's sites share the demand that can reach them
            member = np.zeros(n_sites, dtype=bool)
            member[idx] = True
            in_reach = 0.0
            for m in range(block.n_points):
                sites_m, _ = block.reach(m)
                if member[sites_m].any():
                    in_reach += float(block.demand[m])
            if "norm" not in elastic and len(idx) > 1:
                # valid inequality: at most in_reach / V of them can offer
                cap_sites = math.floor(in_reach / V + 1e-9)
                if cap_sites < len(idx):
                    con([(ys[j], 1.0) for j in idx], Le, float(cap_sites), f"vi_region_{b}_{reg}")
            if sigma is not None and k_req > 0 and "region" not in elastic:
                # valid inequality (diagnosis): k_req sites at norm V - sigma share in_reach
                con([(sigma, 1.0)], Ge, V - in_reach / k_req, f"vi_sigma_{b}_{reg}")
    # -- shared sites ----------------------------------------------------------------------
    by_p = {blk.intervention: blk for blk in blocks}
    for g, group in enumerate(share_groups):
        present = [p for p in group if p in by_p]
        if len(present) < 2:
            continue
        all_sites = sorted(set().union(*(by_p[p].sites for p in present)))
        for site in all_sites:
            vars_ = []
            for p in present:
                pos = {s: i for i, s in enumerate(by_p[p].sites)}
                vars_.append(h.y[p][pos[site]] if site in pos else None)
            if any(v is None for v in vars_):
                for v in vars_:
                    if v is not None:
                        v.upBound = 0
                continue
            first = vars_[0]
            for q, v in enumerate(vars_[1:], start=1):
                assert first is not None and v is not None
                con([(first, 1.0), (v, -1.0)], Eq, 0.0, f"share_{g}_{q}_{site}")
    if elastic:
        prob.setObjective(pulp.LpAffineExpression(slack_terms))
    else:
        prob.setObjective(pulp.LpAffineExpression(obj_terms, constant=obj_const))
    return prob, h
