"""What a question leaves open on an instance: the options per site, the site-blocks that may
(or must) take ambulances, and the coverage groups.

Coverage is sparse by construction. A demand point is covered in a block when some site
taking ambulances in that block lies within the norm (RIVM composite minutes), an OR over a
few sites. Points with a site that is open in every allowed plan within the norm are always
covered and leave the model; the others are merged by the set of decided sites within their
reach, so one row (or one variable) stands for every point with that set.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from zorglandschap.optimise.spreading.instance import SiteSpec, SpreadingInstance
>>> from zorglandschap.optimise.spreading.question import SpreadingQuestion
>>> sites = tuple(SiteSpec(i, i.upper(), "R", "R", "24/7") for i in ("a", "b"))
>>> points = pd.DataFrame({"population": [5.0, 7.0, 1.0], "municipality": "m",
...                        "region": "R", "in_scope": True})
>>> m = np.array([[30.0, 40.0], [30.0, 60.0], [50.0, 60.0]])
>>> p = prepare(SpreadingInstance(sites, points, {b: m for b in ("day", "evening",
...                                                "night", "weekend")}), SpreadingQuestion())
>>> [(g.sites, g.scope_population, g.covered_today) for g in p.groups["night"]]
[((0,), 7.0, True), ((0, 1), 5.0, True)]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from zorglandschap.errors import InputError
from zorglandschap.landscape.state import unknown_site_message
from zorglandschap.optimise.spreading.instance import SiteSpec, SpreadingInstance
from zorglandschap.optimise.spreading.question import SpreadingQuestion
from zorglandschap.vocab import SCENARIO_SEH_STATES, TIME_BLOCKS, ScenarioSehState, TimeBlock

#: The states a site may move to from its state today (it never gains blocks).
_DOWNWARD: Mapping[str, tuple[ScenarioSehState, ...]] = {
    "24/7": SCENARIO_SEH_STATES,
    "limited": ("limited", "spoedpost", "none"),
}


@dataclass(frozen=True)
class CoverGroup:
    """Demand points of one block with the same decided sites within the norm.

    Attributes
    ----------
    sites
        Positions of the sites that may take ambulances in the block within the norm.
    scope_population, other_population
        Inhabitants in and outside the question's scope.
    covered_today
        Whether one of those sites takes ambulances in the block today.
    """

    sites: tuple[int, ...]
    scope_population: float
    other_population: float
    covered_today: bool

    @property
    def population(self) -> float:
        """All inhabitants of the group."""
        return self.scope_population + self.other_population


@dataclass(frozen=True)
class Prepared:
    """A question on an instance, ready for the builders.

    Attributes
    ----------
    options
        Per site, the states it may get (one: the site keeps today's state).
    openable, always
        Sites × blocks: may take ambulances / takes them in every allowed plan.
    groups
        Per decided block, the coverage groups.
    fixed_beyond
        Per decided block, people in scope beyond the norm in every allowed plan.
    travel_groups
        Per decided block (with ``max_added_minutes``), the demand points whose time may rise
        too much, merged by the decided sites within today's time plus the limit.
    scope_population
        Inhabitants in the scope.
    """

    instance: SpreadingInstance
    question: SpreadingQuestion
    options: tuple[tuple[ScenarioSehState, ...], ...]
    openable: np.ndarray
    always: np.ndarray
    groups: Mapping[TimeBlock, list[CoverGroup]]
    fixed_beyond: Mapping[TimeBlock, float]
    scope_population: float
    travel_groups: Mapping[TimeBlock, list[CoverGroup]]

    @property
    def free(self) -> tuple[TimeBlock, ...]:
        """The decided blocks."""
        return self.question.decided

    def decided_sites(self) -> list[int]:
        """Positions of the sites with more than one option."""
        return [j for j, options in enumerate(self.options) if len(options) > 1]


def site_options(
    site: SiteSpec, question: SpreadingQuestion, free: tuple[TimeBlock, ...]
) -> tuple[ScenarioSehState, ...]:
    """The states ``site`` may get: downward from today, allowed by the question, and (with
    ``patterns`` hours) the same as today in every block the question does not decide."""
    if not site.decide or site.site_id in question.keep_sites:
        return (site.baseline,)
    today = site.open_blocks(site.baseline)
    fixed = [b for b in TIME_BLOCKS if b not in free]
    options = []
    for state in _DOWNWARD[site.baseline]:
        if state != site.baseline and state not in question.options:
            continue
        if question.hours == "patterns":
            blocks = site.open_blocks(state)
            if any((b in blocks) != (b in today) for b in fixed):
                continue
        options.append(state)
    return tuple(options)


def prepare(instance: SpreadingInstance, question: SpreadingQuestion) -> Prepared:
    """Options, open site-blocks and coverage groups of ``question`` on ``instance``.

    Raises
    ------
    InputError
        When ``keep_sites`` names a site the instance does not hold.
    """
    ids = instance.index()
    for site_id in question.keep_sites:
        if site_id not in ids:
            raise InputError("keep_sites: " + unknown_site_message(site_id, pd.Index(sorted(ids))))
    free = question.decided
    options = tuple(site_options(s, question, free) for s in instance.sites)
    openable, always = _open_matrices(instance, question, options)
    groups: dict[TimeBlock, list[CoverGroup]] = {}
    fixed_beyond: dict[TimeBlock, float] = {}
    scope = instance.points["in_scope"].to_numpy(bool)
    for block in free:
        groups[block], fixed_beyond[block] = _groups(instance, block, openable, always, scope)
    travel: dict[TimeBlock, list[CoverGroup]] = {}
    if question.max_added_minutes is not None:
        for block in free:
            travel[block] = _travel_groups(
                instance, block, openable, always, scope, question.max_added_minutes
            )
    population = instance.points["population"].to_numpy(float)
    return Prepared(
        instance=instance,
        question=question,
        options=options,
        openable=openable,
        always=always,
        groups=groups,
        fixed_beyond=fixed_beyond,
        travel_groups=travel,
        scope_population=float(population[scope].sum()),
    )


def _open_matrices(
    instance: SpreadingInstance,
    question: SpreadingQuestion,
    options: tuple[tuple[ScenarioSehState, ...], ...],
) -> tuple[np.ndarray, np.ndarray]:
    """Sites × blocks: may take ambulances, and takes them in every allowed plan.

    With ``patterns`` hours a site-block is open in an option when the option's blocks hold it.
    With ``free`` hours a site is open only where it is today; in a decided block it may close
    when an option without ambulance intake in that block is allowed (any option but 24/7 for
    evening, night and weekend; a spoedpost or none for the day).
    """
    today = instance.baseline_open()
    openable = np.zeros_like(today)
    always = np.zeros_like(today)
    for j, site in enumerate(instance.sites):
        for h, block in enumerate(TIME_BLOCKS):
            if question.hours == "patterns":
                opens = [block in site.open_blocks(o) for o in options[j]]
                openable[j, h], always[j, h] = any(opens), all(opens)
                continue
            closers = ("spoedpost", "none") if block == "day" else ("limited", "spoedpost", "none")
            may_close = block in question.decided and any(o in closers for o in options[j])
            openable[j, h] = today[j, h]
            always[j, h] = today[j, h] and not may_close
    return openable, always


def _groups(
    instance: SpreadingInstance,
    block: TimeBlock,
    openable: np.ndarray,
    always: np.ndarray,
    scope: np.ndarray,
) -> tuple[list[CoverGroup], float]:
    within = instance.minutes[block] <= instance.norm_minutes
    return _merge(instance, block, within, openable, always, scope)


def _travel_groups(
    instance: SpreadingInstance,
    block: TimeBlock,
    openable: np.ndarray,
    always: np.ndarray,
    scope: np.ndarray,
    added: float,
) -> list[CoverGroup]:
    """Points whose nearest open SEH must stay within today's time plus ``added`` minutes."""
    h = TIME_BLOCKS.index(block)
    minutes = instance.minutes[block]
    today = instance.baseline_open()[:, h]
    nearest = minutes[:, today].min(axis=1) if today.any() else np.full(len(minutes), np.inf)
    within = minutes <= (nearest + added + 1e-9)[:, None]
    within[~np.isfinite(nearest)] = True  # no route today: nothing to keep
    return _merge(instance, block, within, openable, always, scope)[0]


def _merge(
    instance: SpreadingInstance,
    block: TimeBlock,
    within: np.ndarray,
    openable: np.ndarray,
    always: np.ndarray,
    scope: np.ndarray,
) -> tuple[list[CoverGroup], float]:
    """Points not sure of a site within reach (``within``), merged by their decided sites."""
    h = TIME_BLOCKS.index(block)
    population = instance.points["population"].to_numpy(float)
    sure = within[:, always[:, h]].any(axis=1)
    decided = np.flatnonzero(openable[:, h] & ~always[:, h])
    reach = within[:, decided]
    affected = ~sure & reach.any(axis=1)
    fixed_beyond = float(population[~sure & ~affected & scope].sum())
    today = instance.baseline_open()[:, h]
    merged: dict[tuple[int, ...], list[float]] = {}
    for i in np.flatnonzero(affected):
        key = tuple(int(j) for j in decided[reach[i]])
        totals = merged.setdefault(key, [0.0, 0.0])
        totals[0 if scope[i] else 1] += float(population[i])
    groups = [
        CoverGroup(
            sites=key,
            scope_population=totals[0],
            other_population=totals[1],
            covered_today=bool(today[list(key)].any()),
        )
        for key, totals in sorted(merged.items(), key=lambda item: (len(item[0]), item[0]))
    ]
    return groups, fixed_beyond
