"""A plan evaluated on an instance, without a solver: reach, loads, moved visits, staff.

The same rules as the model, computed directly: a demand point's time in a block is the
composite time to its nearest site taking ambulances in that block; the visits of a site
closed in a block go to the nearest site open in that block (car minutes between the sites),
less the share a spoedpost on the site keeps; staff follows each site's state per block. The
model's claims are checked against this, and this against ``access.reach`` (tests).

Examples
--------
>>> import numpy as np, pandas as pd
>>> from zorglandschap.optimise.spreading.instance import SiteSpec, SpreadingInstance
>>> sites = (SiteSpec("a", "A", "R", "R", "24/7", visits=(4, 2, 2, 2),
...                   receivers=(("b", 10.0),)),
...          SiteSpec("b", "B", "R", "R", "24/7", receivers=(("a", 10.0),)))
>>> points = pd.DataFrame({"population": [100.0], "municipality": ["m"], "region": ["R"],
...                        "in_scope": [True]})
>>> minutes = {b: np.array([[20.0, 50.0]]) for b in ("day", "evening", "night", "weekend")}
>>> instance = SpreadingInstance(sites, points, minutes)
>>> night_closed = plan_from_states(instance, {"a": "limited"})
>>> result = evaluate(instance, night_closed)
>>> float(result.beyond("night")), float(result.moved["visits"].sum())
(100.0, 2.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from zorglandschap.errors import InputError
from zorglandschap.optimise.spreading.instance import SpreadingInstance
from zorglandschap.optimise.spreading.terms import STAFF_ROLES
from zorglandschap.vocab import SCENARIO_SEH_STATES, TIME_BLOCKS, ScenarioSehState, TimeBlock


@dataclass(frozen=True)
class Plan:
    """What every site of an instance does in each block.

    Attributes
    ----------
    states
        Site id → SEH state (``24/7``, ``limited``, ``spoedpost``, ``none``).
    open
        Sites × blocks: takes ambulances.
    spoedpost
        Sites × blocks: a spoedpost is open (self-referrals only).
    """

    states: Mapping[str, ScenarioSehState]
    open: np.ndarray
    spoedpost: np.ndarray

    def blocks(self, position: int) -> tuple[TimeBlock, ...]:
        """The blocks site ``position`` takes ambulances in."""
        return tuple(b for h, b in enumerate(TIME_BLOCKS) if self.open[position, h])


def plan_from_states(
    instance: SpreadingInstance,
    states: Mapping[str, ScenarioSehState],
    *,
    blocks: Mapping[str, tuple[TimeBlock, ...]] | None = None,
) -> Plan:
    """A plan from site states (sites not named keep today's), with optional explicit blocks.

    ``blocks`` gives a limited-hours site's opening blocks when they differ from its own
    ``limited_blocks`` (the model's ``free`` hours).

    Raises
    ------
    InputError
        For an unknown site or state.
    """
    index = instance.index()
    unknown = sorted(set(states) - set(index))
    bad = sorted(s for s in states.values() if s not in SCENARIO_SEH_STATES)
    if unknown or bad:
        raise InputError(f"Plan names unknown site(s) {unknown} or state(s) {bad}.")
    full: dict[str, ScenarioSehState] = {s.site_id: s.baseline for s in instance.sites}
    full.update(states)
    open_ = np.zeros((len(instance.sites), len(TIME_BLOCKS)), dtype=bool)
    post = np.zeros_like(open_)
    for j, site in enumerate(instance.sites):
        state = full[site.site_id]
        own = (blocks or {}).get(site.site_id, site.open_blocks(state))
        for h, block in enumerate(TIME_BLOCKS):
            open_[j, h] = block in own
            post[j, h] = state == "spoedpost" and block in instance.spoedpost_blocks
    return Plan(states=full, open=open_, spoedpost=post)


def baseline_plan(instance: SpreadingInstance) -> Plan:
    """Today's plan: every site in its baseline state."""
    return plan_from_states(instance, {})


@dataclass(frozen=True)
class Evaluation:
    """A plan's figures on an instance.

    Attributes
    ----------
    plan
        The plan evaluated.
    nearest
        Per block, the composite minutes from each point to its nearest open site (``inf``).
    loads
        Sites × blocks: SEH visits a year each site takes (own plus received).
    moved
        One row per (from_site, block) whose visits go elsewhere: ``to_site`` (``""`` when no
        site is open), ``visits``, ``ambulance_visits``, ``minutes`` (car, site to site).
    staff
        Staff per ``region``, ``block`` and ``role`` on the instance's sites.
    """

    instance: SpreadingInstance
    plan: Plan
    nearest: Mapping[TimeBlock, np.ndarray]
    loads: np.ndarray
    moved: pd.DataFrame
    staff: pd.DataFrame

    def beyond(self, block: TimeBlock, *, scope_only: bool = True) -> float:
        """People beyond the norm in ``block`` (in the question's scope, or everywhere)."""
        points = self.instance.points
        mask = self.nearest[block] > self.instance.norm_minutes
        if scope_only:
            mask &= points["in_scope"].to_numpy(bool)
        return float(points["population"].to_numpy(float)[mask].sum())

    def over_capacity(self) -> pd.DataFrame:
        """Site-blocks whose load exceeds the capacity: ``site_id``, ``block``, ``load``,
        ``capacity``, ``over`` (visits a year)."""
        capacity = np.array([s.capacity for s in self.instance.sites], dtype=float)
        over = self.loads - capacity
        rows = [
            {
                "site_id": self.instance.sites[j].site_id,
                "block": TIME_BLOCKS[h],
                "load": self.loads[j, h],
                "capacity": capacity[j, h],
                "over": over[j, h],
            }
            for j, h in zip(*np.nonzero(over > 1e-6), strict=True)
        ]
        return pd.DataFrame(rows, columns=["site_id", "block", "load", "capacity", "over"])


def evaluate(instance: SpreadingInstance, plan: Plan) -> Evaluation:
    """Reach, loads, moved visits and staff of ``plan`` (see the module docstring)."""
    nearest = {}
    for h, block in enumerate(TIME_BLOCKS):
        values = instance.minutes[block][:, plan.open[:, h]]
        nearest[block] = values.min(axis=1) if values.shape[1] else np.full(len(values), np.inf)
    loads, moved = _loads(instance, plan)
    return Evaluation(
        instance=instance,
        plan=plan,
        nearest=nearest,
        loads=loads,
        moved=moved,
        staff=_staff(instance, plan),
    )


def _loads(instance: SpreadingInstance, plan: Plan) -> tuple[np.ndarray, pd.DataFrame]:
    index = instance.index()
    loads = np.zeros((len(instance.sites), len(TIME_BLOCKS)))
    rows = []
    keep = instance.spoedpost_keeps_share
    for j, site in enumerate(instance.sites):
        for h, block in enumerate(TIME_BLOCKS):
            visits = site.visits[h]
            if plan.open[j, h]:
                loads[j, h] += visits
                continue
            moving = visits * (1.0 - keep) if plan.spoedpost[j, h] else visits
            if moving <= 0:
                continue
            target, minutes = next(
                ((k, t) for k, t in site.receivers if plan.open[index[k], h]), ("", np.inf)
            )
            if target:
                loads[index[target], h] += moving
            rows.append(
                {
                    "from_site": site.site_id,
                    "to_site": target,
                    "block": block,
                    "visits": moving,
                    "ambulance_visits": moving * instance.ambulance_share,
                    "minutes": minutes,
                }
            )
    columns = ["from_site", "to_site", "block", "visits", "ambulance_visits", "minutes"]
    return loads, pd.DataFrame(rows, columns=columns)


def _staff(instance: SpreadingInstance, plan: Plan) -> pd.DataFrame:
    staff = instance.staff
    rows = []
    for j, site in enumerate(instance.sites):
        for h, block in enumerate(TIME_BLOCKS):
            if plan.open[j, h]:
                per_role = staff.open
            elif plan.spoedpost[j, h]:
                per_role = staff.spoedpost
            else:
                per_role = staff.closed
            rows += [
                {"region": site.region, "block": block, "role": role, "staff": per_role[role]}
                for role in STAFF_ROLES
            ]
    frame = pd.DataFrame(rows, columns=["region", "block", "role", "staff"])
    return frame.groupby(["region", "block", "role"], sort=True, as_index=False)["staff"].sum()
