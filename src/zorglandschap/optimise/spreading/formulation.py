r"""The MILP of the spreading model: one small builder per constraint family.

:func:`build` calls, in order, :func:`define_options` (the state of each site and the blocks
it takes ambulances in), :func:`define_nesting` (free hours only), :func:`define_coverage`,
:func:`define_travel_limit` (optional),
:func:`define_guarantee` (24/7 SEHs per region), :func:`define_staff`,
:func:`define_transfers` (where a closed SEH's visits go), :func:`define_capacity`,
:func:`define_av`, then the caller's ``extra`` hook. Every builder adds rows to one
:class:`pulp.LpProblem` and keeps its variables by handle in :class:`Handles`; nothing is
looked up by name. A family named in ``elastic`` gets non-negative slacks (for the diagnosis).
The mathematics is on :class:`~zorglandschap.optimise.spreading.model.SpreadingModel` and in
docs/spreading.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeAlias

import pulp

from zorglandschap.errors import InputError
from zorglandschap.optimise.spreading.prepare import Prepared
from zorglandschap.optimise.spreading.terms import STAFF_ROLES, ElasticFamily, StaffRole
from zorglandschap.vocab import TIME_BLOCKS, ScenarioSehState, TimeBlock

#: An expression, a variable or a constant.
Term: TypeAlias = pulp.LpAffineExpression | pulp.LpVariable | float

#: The ``extra`` hook: add your own rows to the problem, reading the variables by handle.
ExtraHook: TypeAlias = Callable[[pulp.LpProblem, "Handles", Prepared], None]


@dataclass
class Handles:
    """The variables and expressions of a built model, by handle.

    Attributes
    ----------
    x
        ``(site, state)`` → binary: the site gets that state.
    z
        ``(site, block)`` → the site takes ambulances in the block (a variable with free hours,
        an expression of ``x`` with patterns); missing pairs are constants (:meth:`open`).
    uncovered
        ``(block, group)`` → share of a coverage group beyond the norm.
    transfers
        ``(site, block)`` → ``[(receiver, share)]``: the share of the site's visits that goes
        to each receiver (expressions).
    loads
        ``(site, block)`` → visits a year the site takes.
    slack
        ``(family, ...)`` → slack of an elastic row (diagnosis models only).
    objectives
        ``blocks``, ``staff``, ``beyond``, ``visit_minutes``, ``slack``: the objective terms.
    """

    prepared: Prepared
    x: dict[tuple[int, ScenarioSehState], pulp.LpVariable] = field(default_factory=dict)
    z: dict[tuple[int, TimeBlock], Term] = field(default_factory=dict)
    uncovered: dict[tuple[TimeBlock, int], pulp.LpVariable] = field(default_factory=dict)
    transfers: dict[tuple[int, TimeBlock], list[tuple[int, Term]]] = field(default_factory=dict)
    loads: dict[tuple[int, TimeBlock], pulp.LpAffineExpression] = field(default_factory=dict)
    slack: dict[tuple[str, ...], pulp.LpVariable] = field(default_factory=dict)
    objectives: dict[str, pulp.LpAffineExpression] = field(default_factory=dict)

    def open(self, site: int, block: TimeBlock) -> Term:
        """Whether ``site`` takes ambulances in ``block``: a term, or the constant 0 or 1."""
        if (site, block) in self.z:
            return self.z[site, block]
        return 1.0 if self.prepared.always[site, TIME_BLOCKS.index(block)] else 0.0

    def state(self, site: int, state: ScenarioSehState) -> Term:
        """Whether ``site`` gets ``state``: a variable, or the constant 0 or 1."""
        if (site, state) in self.x:
            return self.x[site, state]
        return 1.0 if self.prepared.options[site] == (state,) else 0.0

    def spoedpost(self, site: int, block: TimeBlock) -> Term:
        """Whether a spoedpost is open on ``site`` in ``block``."""
        if block not in self.prepared.instance.spoedpost_blocks:
            return 0.0
        return self.state(site, "spoedpost")

    def add_slack(self, problem: pulp.LpProblem, key: tuple[str, ...]) -> pulp.LpVariable:
        """A new non-negative slack, kept under ``key``."""
        variable = pulp.LpVariable(f"slack_{len(self.slack)}", lowBound=0)
        self.slack[key] = variable
        return variable


def value(term: Term) -> float:
    """The solved value of a term (0 for a variable without a value)."""
    if isinstance(term, float | int):
        return float(term)
    result = pulp.value(term)
    return float(result) if result is not None else 0.0


def _sum(terms: list[Term]) -> pulp.LpAffineExpression:
    return pulp.lpSum(terms) if terms else pulp.LpAffineExpression()


def define_options(problem: pulp.LpProblem, handles: Handles) -> None:
    r"""One state per site: :math:`\sum_o x_{jo} = 1`; the blocks it takes ambulances in.

    Patterns: :math:`z_{jh} = \sum_o x_{jo} [h \in B_{jo}]` (``B``: the option's blocks).
    Free hours: :math:`z_{j,night} = x_{j,24/7}`, :math:`z_{j,day} = x_{j,24/7} + x_{j,lim}`,
    and evening and weekend free within the nesting rules (:func:`define_nesting`).
    """
    p = handles.prepared
    free_hours = p.question.hours == "free"
    for j in p.decided_sites():
        site = p.instance.sites[j]
        for state in p.options[j]:
            handles.x[j, state] = pulp.LpVariable(f"x_{j}_{state.replace('/', '_')}", cat="Binary")
        problem += _sum([handles.x[j, o] for o in p.options[j]]) == 1, f"one_state_{j}"
        for h, block in enumerate(TIME_BLOCKS):
            if p.always[j, h] or not p.openable[j, h]:
                continue
            if not free_hours:
                handles.z[j, block] = _sum(
                    [handles.x[j, o] for o in p.options[j] if block in site.open_blocks(o)]
                )
                continue
            handles.z[j, block] = pulp.LpVariable(f"z_{j}_{block}", cat="Binary")
        if free_hours:
            day = _sum([handles.state(j, "24/7"), handles.state(j, "limited")])
            night, always_24_7 = handles.open(j, "night"), handles.state(j, "24/7")
            if not (isinstance(night, float) and isinstance(always_24_7, float)):
                problem += night == always_24_7, f"night_{j}"
            problem += handles.open(j, "day") == day, f"day_intake_{j}"


def define_nesting(problem: pulp.LpProblem, handles: Handles) -> None:
    r"""Free hours: night ⊆ evening ⊆ day and night ⊆ weekend ⊆ day, per site.

    :math:`z_{j,night} \le z_{j,evening} \le z_{j,day}` and
    :math:`z_{j,night} \le z_{j,weekend} \le z_{j,day}`. With patterns the rule holds by
    construction (every option's blocks nest), so no rows are added.
    """
    p = handles.prepared
    if p.question.hours != "free":
        return
    pairs: tuple[tuple[TimeBlock, TimeBlock], ...] = (
        ("night", "evening"),
        ("evening", "day"),
        ("night", "weekend"),
        ("weekend", "day"),
    )
    for j in p.decided_sites():
        for inner, outer in pairs:
            a, b = handles.open(j, inner), handles.open(j, outer)
            if not (isinstance(a, float) and isinstance(b, float)):
                problem += a <= b, f"nest_{inner}_in_{outer}_{j}"


def define_coverage(
    problem: pulp.LpProblem, handles: Handles, elastic: frozenset[ElasticFamily]
) -> None:
    r"""Coverage per decided block, an OR over the sites within the norm.

    For a coverage group :math:`g` (points with the same sites :math:`S_g` within 45 minutes)
    the share beyond is :math:`w_{gh} \ge 1 - \sum_{j \in S_g} z_{jh}`, :math:`0 \le w \le 1`.
    ``keep``: :math:`\sum_{j \in S_g} z_{jh} \ge 1` for every group covered today.
    ``share``: :math:`F_h + \sum_g P^{scope}_g w_{gh} \le (1 - \tau) P^{scope}`, and people
    outside the scope keep their coverage. ``max``: :math:`\sum_g P_g w_{gh}` is the objective.
    """
    p = handles.prepared
    rule = p.question.coverage
    soft = "coverage" in elastic
    beyond: list[Term] = []
    for block in p.free:
        scope_beyond: list[Term] = []
        for g, group in enumerate(p.groups[block]):
            opened = _sum([handles.open(j, block) for j in group.sites])
            hard = group.covered_today and (
                rule == "keep" or (rule == "share" and group.other_population > 0)
            )
            if hard and not soft:
                problem += opened >= 1, f"keep_{block}_{g}"
                continue
            if not hard and rule == "keep" and not soft:
                continue
            w = pulp.LpVariable(f"w_{block}_{g}", lowBound=0, upBound=1)
            handles.uncovered[block, g] = w
            problem += w + opened >= 1, f"cover_{block}_{g}"
            weight = group.population if (rule != "share" or hard) else group.scope_population
            beyond.append(weight * w)
            scope_beyond.append(group.scope_population * w)
        if rule == "share":
            share = float(p.question.share or 0.0)
            allowed = (1.0 - share) * p.scope_population - p.fixed_beyond[block]
            rhs: Term = allowed
            if soft:
                rhs = allowed + handles.add_slack(problem, ("coverage", block, "share"))
            problem += _sum(scope_beyond) <= rhs, f"share_{block}"
    handles.objectives["beyond"] = _sum(beyond)


def define_travel_limit(
    problem: pulp.LpProblem, handles: Handles, elastic: frozenset[ElasticFamily]
) -> None:
    r"""No demand point's time rises by more than :math:`M` minutes in a decided block.

    For points with today's time :math:`t^0_i`, the sites within :math:`t^0_i + M` are an OR
    like coverage: :math:`\sum_{j: t_{ij} \le t^0_i + M} z_{jh} \ge 1`, merged by site set.
    Elastic: a share :math:`e_g \in [0, 1]` of a group may exceed it, weighed by its people
    (objective ``travel_excess``).
    """
    p = handles.prepared
    excess: list[Term] = []
    for block, groups in p.travel_groups.items():
        for g, group in enumerate(groups):
            opened = _sum([handles.open(j, block) for j in group.sites])
            if "travel" in elastic:
                e = handles.add_slack(problem, ("travel", block, str(g)))
                e.upBound = 1
                excess.append(group.population * e)
                opened = opened + e
            problem += opened >= 1, f"travel_{block}_{g}"
    handles.objectives["travel_excess"] = _sum(excess)


def define_guarantee(
    problem: pulp.LpProblem, handles: Handles, elastic: frozenset[ElasticFamily], per_region: int
) -> None:
    r"""At least :math:`k_r = \min(k, \text{today's count})` 24/7 SEHs per region :math:`r`.

    :math:`\sum_{j \in r} x_{j,24/7} \ge k_r`, for every region with a site the plan decides.
    """
    p = handles.prepared
    regions: dict[str, list[int]] = {}
    for j, site in enumerate(p.instance.sites):
        regions.setdefault(site.guarantee_region, []).append(j)
    decided = set(p.decided_sites())
    for region, members in sorted(regions.items()):
        if not decided & set(members):
            continue
        today = sum(p.instance.sites[j].baseline == "24/7" for j in members)
        need = min(per_region, today)
        if need <= 0:
            continue
        count = _sum([handles.state(j, "24/7") for j in members])
        if "guarantee" in elastic:
            count = count + handles.add_slack(problem, ("guarantee", region))
        problem += count >= need, f"guarantee_{region}"


def staff_term(handles: Handles, site: int, block: TimeBlock, role: StaffRole) -> Term:
    """Staff of ``role`` on ``site`` in ``block``: open, spoedpost or closed."""
    staff = handles.prepared.instance.staff
    closed = staff.closed[role]
    opened = handles.open(site, block)
    post = handles.spoedpost(site, block)
    return closed + (staff.open[role] - closed) * opened + (staff.spoedpost[role] - closed) * post


def define_staff(
    problem: pulp.LpProblem, handles: Handles, elastic: frozenset[ElasticFamily]
) -> None:
    r"""Staff per region, decided block and role within what is available; at most
    ``teams`` SEHs taking ambulances per region and decided block.

    :math:`\sum_{j \in r} s^{q}_{jh} \le A_{rhq}` with
    :math:`s^q_{jh} = c^q + (o^q - c^q) z_{jh} + (p^q - c^q) y_{jh}` (closed, open, spoedpost
    staff; :math:`y` the spoedpost), and :math:`\sum_{j \in r} z_{jh} \le N`. Also sets the
    ``staff`` objective: staff-hours a week over the decided blocks.
    """
    p = handles.prepared
    soft = "staff" in elastic
    hours = p.instance.staff.block_hours
    regions: dict[str, list[int]] = {}
    for j, site in enumerate(p.instance.sites):
        regions.setdefault(site.region, []).append(j)
    decided = set(p.decided_sites())
    for region, members in sorted(regions.items()):
        if not decided & set(members):
            continue
        for block in p.free:
            if p.question.teams is not None:
                lhs = _sum([handles.open(j, block) for j in members])
                rhs: Term = float(p.question.teams)
                if soft:
                    rhs = rhs + handles.add_slack(problem, ("staff", region, block, "teams"))
                problem += lhs <= rhs, f"teams_{region}_{block}"
            available = p.question.staff.get(region, {}).get(block, {})
            for role, limit in sorted(available.items()):
                lhs = _sum([staff_term(handles, j, block, role) for j in members])
                rhs = float(limit)
                if soft:
                    rhs = rhs + handles.add_slack(problem, ("staff", region, block, role))
                problem += lhs <= rhs, f"staff_{region}_{block}_{role}"
    handles.objectives["staff"] = _sum(
        [
            hours[block] * staff_term(handles, j, block, role)
            for j in sorted(decided)
            for block in p.free
            for role in STAFF_ROLES
        ]
    )
    handles.objectives["blocks"] = _sum(
        [handles.open(j, block) for j in sorted(decided) for block in p.free]
    )


def define_transfers(problem: pulp.LpProblem, handles: Handles) -> None:
    r"""The visits of a site closed in a block go to the nearest site open in that block.

    Along the site's receivers :math:`k_1, k_2, \dots` (nearest first, car minutes), the share
    still to place after the first :math:`m` is :math:`u_m`, with :math:`u_0 = 1 - z_{jh} -
    \sigma y_{jh}` (:math:`\sigma`: the share a spoedpost keeps) and
    :math:`u_m \ge u_{m-1} - z_{k_m h}`, :math:`u_m \le u_{m-1}`, :math:`u_m \le 1 - z_{k_m h}`:
    everything goes to the first open receiver. The chain stops at a receiver open in every
    plan, or after ``receiving_sites`` receivers, where :math:`u = 0`. Sets the loads and the
    ``visit_minutes`` objective (visits a year × car minutes to the receiver).
    """
    p = handles.prepared
    instance = p.instance
    index = instance.index()
    moved: list[Term] = []
    for j in p.decided_sites():
        site = instance.sites[j]
        for block in p.free:
            h = TIME_BLOCKS.index(block)
            visits = site.visits[h]
            if visits <= 0 or p.always[j, h]:
                continue
            keep = instance.spoedpost_keeps_share
            left: Term = 1.0 - handles.open(j, block) - keep * handles.spoedpost(j, block)
            chain: list[tuple[int, Term]] = []
            for m, (receiver, minutes) in enumerate(_receivers(p, site.receivers, h, index)):
                k = index[receiver]
                if p.always[k, h]:
                    chain.append((k, left))
                    moved.append(visits * minutes * left)
                    left = 0.0
                    break
                u = pulp.LpVariable(f"u_{j}_{block}_{m}", lowBound=0, upBound=1)
                z = handles.open(k, block)
                problem += u >= left - z, f"pass_{j}_{block}_{m}"
                problem += u <= left, f"carry_{j}_{block}_{m}"
                problem += u <= 1 - z, f"stop_{j}_{block}_{m}"
                chain.append((k, left - u))
                moved.append(visits * minutes * (left - u))
                left = u
            if not isinstance(left, float):
                problem += left <= 0, f"placed_{j}_{block}"
            elif left > 0:
                _nowhere(problem, handles, j, block)
            handles.transfers[j, block] = chain
            for k, share in chain:
                handles.loads.setdefault((k, block), pulp.LpAffineExpression())
                handles.loads[k, block] += visits * share
    handles.objectives["visit_minutes"] = _sum(moved)


def _nowhere(problem: pulp.LpProblem, handles: Handles, site: int, block: TimeBlock) -> None:
    """A site without receivers in ``block`` must stay open there (its visits have nowhere
    else to go)."""
    opened = handles.open(site, block)
    if isinstance(opened, float):
        name = handles.prepared.instance.sites[site].site_id
        raise InputError(
            f"site {name}: its {block} visits have no SEH to go to (no receiver may be open in "
            "that block); add receivers or set its visits in that block to 0."
        )
    problem += opened >= 1, f"no_receiver_{site}_{block}"


def _receivers(
    p: Prepared, receivers: tuple[tuple[str, float], ...], h: int, index: dict[str, int]
) -> list[tuple[str, float]]:
    """The receivers that may be open in block ``h``, up to ``receiving_sites`` of them, the
    last being the first one open in every plan."""
    chosen = []
    for receiver, minutes in receivers:
        k = index[receiver]
        if not p.openable[k, h]:
            continue
        chosen.append((receiver, minutes))
        if p.always[k, h] or len(chosen) >= p.instance.receiving_sites:
            break
    return chosen


def define_capacity(
    problem: pulp.LpProblem, handles: Handles, elastic: frozenset[ElasticFamily]
) -> None:
    r"""Load per receiving site and decided block within its capacity.

    :math:`v_{kh} z_{kh} + \sum_j v_{jh} r_{jkh} \le C_{kh}` for every site that may receive.
    """
    p = handles.prepared
    if not p.question.capacity:
        return
    for (k, block), incoming in sorted(handles.loads.items()):
        h = TIME_BLOCKS.index(block)
        site = p.instance.sites[k]
        capacity = site.capacity[h]
        if capacity == float("inf"):
            continue
        lhs = site.visits[h] * handles.open(k, block) + incoming
        rhs: Term = capacity
        if "capacity" in elastic:
            rhs = capacity + handles.add_slack(problem, ("capacity", site.site_id, block))
        problem += lhs <= rhs, f"capacity_{k}_{block}"


def define_av(problem: pulp.LpProblem, handles: Handles, elastic: frozenset[ElasticFamily]) -> None:
    r"""Optionally, a site with acute obstetrics keeps a 24/7 SEH: :math:`x_{j,24/7} = 1`."""
    p = handles.prepared
    if not p.question.av_needs_24_7:
        return
    for j in p.decided_sites():
        if not p.instance.sites[j].av:
            continue
        lhs = handles.state(j, "24/7")
        if "av" in elastic:
            lhs = lhs + handles.add_slack(problem, ("av", p.instance.sites[j].site_id))
        problem += lhs >= 1, f"av_needs_24_7_{j}"


def build(
    prepared: Prepared,
    *,
    per_region: int,
    elastic: frozenset[ElasticFamily] = frozenset(),
    extra: ExtraHook | None = None,
    name: str = "spreading",
) -> tuple[pulp.LpProblem, Handles]:
    """The whole model (every family, then ``extra``); the objective is set by the caller."""
    problem = pulp.LpProblem(name, pulp.LpMinimize)
    handles = Handles(prepared=prepared)
    define_options(problem, handles)
    define_nesting(problem, handles)
    define_coverage(problem, handles, elastic)
    define_travel_limit(problem, handles, elastic)
    define_guarantee(problem, handles, elastic, per_region)
    define_staff(problem, handles, elastic)
    define_transfers(problem, handles)
    define_capacity(problem, handles, elastic)
    define_av(problem, handles, elastic)
    handles.objectives["slack"] = _sum([v for k, v in handles.slack.items() if k[0] != "travel"])
    if extra is not None:
        extra(problem, handles, prepared)
    return problem, handles
