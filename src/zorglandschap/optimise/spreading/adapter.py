"""From the landscape and a site state to a spreading instance.

- **Sites**: every SEH the state opens 24/7 or with limited hours; those in the question's
  ROAZ region (the hospital's ``roaz``, regions/sites.csv) are decided, the others keep
  today's state. A limited-hours SEH is open in ``limited_blocks[site]`` (default
  ``settings.access.limited_hours_blocks``, as the access analysis has it).
- **Coverage data**: the RIVM composite per block (:func:`zorglandschap.travel.composite_minutes`
  with the ambulance posts staffed in that block, :func:`zorglandschap.access.staffed_posts`),
  from every PC4 to every SEH: the same minutes ``reach`` uses.
- **Visits**: ``settings.spreading.seh_visits_per_year`` spread over the population
  (:attr:`~zorglandschap.settings.SpreadingSettings.visits_population`), each PC4's visits at its
  nearest SEH by car among those open by day, split over the blocks by
  :meth:`~zorglandschap.settings.SpreadingSettings.block_load_shares`.
- **Receivers**: the other SEHs by car minutes from the site (ties by id).
- **Capacity**: ``capacity_factor`` × the site's load today in each block (its own visits plus
  those it receives today, e.g. the night visits of a limited-hours SEH).

Examples
--------
>>> from zorglandschap.landscape import load_landscape
>>> from zorglandschap.landscape.state import baseline_state
>>> nl = load_landscape()
>>> instance = spreading_instance(nl, baseline_state(nl, 2025), SpreadingQuestion())
>>> len(instance.sites), round(sum(sum(s.visits) for s in instance.sites))
(79, 1840000)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import replace

import numpy as np
import pandas as pd

from zorglandschap.access import staffed_posts
from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.state import SiteState
from zorglandschap.optimise.spreading.evaluate import baseline_plan, evaluate
from zorglandschap.optimise.spreading.instance import SiteSpec, SpreadingInstance, StaffSpec
from zorglandschap.optimise.spreading.question import SpreadingQuestion
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.travel import (
    DefaultNetworkSource,
    MatrixSource,
    composite_minutes,
    demand_site_minutes,
    travel_matrix,
)
from zorglandschap.vocab import AMBULANCE_SEH_STATES, TIME_BLOCKS, TimeBlock


def spreading_instance(
    landscape: Landscape,
    state: SiteState,
    question: SpreadingQuestion,
    *,
    limited_blocks: Mapping[str, tuple[TimeBlock, ...]] | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    source: MatrixSource | None = None,
) -> SpreadingInstance:
    """The instance of ``question`` on ``landscape`` with the SEHs of ``state``.

    Parameters
    ----------
    landscape
        The embedded Netherlands (or an extract: then only its SEHs and PC4s take part).
    state
        The site state today (a baseline year or a scenario).
    question
        Its ``region``, ``layer`` and ``capacity_factor`` shape the instance.
    limited_blocks
        Per site, the blocks it is open as a limited-hours SEH (e.g.
        :data:`~zorglandschap.optimise.spreading.instance.LIMITED_HOURS_2025`); default
        ``settings.access.limited_hours_blocks``.
    settings, source
        Constants, and a travel-time source replacing the default network.

    Raises
    ------
    ScenarioError
        For an unknown region, or a landscape without an SEH.
    """
    services = state.services.reindex(landscape.sites.index)
    ids = sorted(services.index[services["seh"].isin(AMBULANCE_SEH_STATES)])
    if not ids:
        raise ScenarioError(f"Site state {state.name!r} has no SEH taking ambulances.")
    sites = landscape.sites.loc[ids]
    regions = sorted(sites["roaz"].unique())
    if question.region is not None and question.region not in regions:
        raise ScenarioError(
            f"--region {question.region!r} has no SEH in this landscape; valid regions: "
            f"{', '.join(regions)}."
        )
    points = _points(landscape, question)
    minutes = _composite(landscape, ids, settings, source)
    visits = _visits(landscape, ids, settings, source)
    receivers = _receivers(landscape, ids, settings, source)
    guarantee = _guarantee_regions(landscape, sites, question)
    specs = tuple(
        SiteSpec(
            site_id=j,
            name=str(sites.at[j, "name"]),
            region=str(sites.at[j, "roaz"]),
            guarantee_region=guarantee[j],
            baseline=services.at[j, "seh"],
            limited_blocks=as_blocks(
                (limited_blocks or {}).get(j, state.limited_blocks(j, settings)), f"{j} blocks"
            ),
            decide=question.region is None or sites.at[j, "roaz"] == question.region,
            av=bool(services.at[j, "av"]),
            visits=tuple(float(v) for v in visits[j]),
            receivers=receivers[j],
        )
        for j in ids
    )
    instance = SpreadingInstance(
        sites=specs,
        points=points,
        minutes=minutes,
        norm_minutes=settings.access.norm_minutes,
        staff=StaffSpec.from_settings(settings),
        spoedpost_blocks=as_blocks(
            settings.spreading.spoedpost_blocks, "settings.spreading.spoedpost_blocks"
        ),
        spoedpost_keeps_share=settings.spreading.spoedpost_keeps_share,
        ambulance_share=settings.spreading.ambulance_share,
        receiving_sites=settings.spreading.receiving_sites,
        region_names=dict(landscape.roaz_regions["roaz_name"].astype(str)),
        scope=question.region,
        state_name=state.name,
    )
    return with_capacity(instance, question.capacity_factor or settings.spreading.capacity_factor)


def as_blocks(values: Iterable[str], what: str) -> tuple[TimeBlock, ...]:
    """``values`` as time blocks, in :data:`TIME_BLOCKS` order.

    Raises
    ------
    ScenarioError
        Naming ``what`` and the valid blocks, for a value that is not a time block.
    """
    values = tuple(values)
    unknown = [v for v in values if v not in TIME_BLOCKS]
    if unknown:
        raise ScenarioError(
            f"{what}: unknown time block(s) {', '.join(map(repr, unknown))}; valid: "
            f"{', '.join(TIME_BLOCKS)}."
        )
    return tuple(b for b in TIME_BLOCKS if b in values)


def with_capacity(instance: SpreadingInstance, factor: float) -> SpreadingInstance:
    """``instance`` with each site's capacity ``factor`` × its load today, per block."""
    loads = evaluate(instance, baseline_plan(instance)).loads
    sites = tuple(
        replace(site, capacity=tuple(float(factor * load) for load in loads[j]))
        for j, site in enumerate(instance.sites)
    )
    return replace(instance, sites=sites)


def _points(landscape: Landscape, question: SpreadingQuestion) -> pd.DataFrame:
    pc4 = landscape.pc4.sort_index()
    region = landscape.region_of_pc4("roaz").reindex(pc4.index)
    return pd.DataFrame(
        {
            "population": pc4["population"].astype(float),
            "municipality": pc4["gemeentecode"].astype(str),
            "region": region.astype(str),
            "in_scope": (region == question.region) if question.region else True,
        },
        index=pc4.index,
    )


def _composite(
    landscape: Landscape, ids: list[str], settings: Settings, source: MatrixSource | None
) -> dict[TimeBlock, np.ndarray]:
    """Per block, PC4 × site composite minutes with the posts staffed in that block."""
    order = sorted(landscape.pc4.index)
    by_posts: dict[tuple[str, ...], np.ndarray] = {}
    minutes = {}
    for block in TIME_BLOCKS:
        posts = tuple(staffed_posts(landscape, block=block, settings=settings))
        if not posts:
            minutes[block] = np.full((len(order), len(ids)), np.inf)
            continue
        if posts not in by_posts:
            frame = composite_minutes(
                landscape, site_ids=ids, post_ids=list(posts), settings=settings, source=source
            )
            by_posts[posts] = frame.reindex(index=order, columns=ids).to_numpy(float)
        minutes[block] = by_posts[posts]
    return minutes


def _visits(
    landscape: Landscape, ids: list[str], settings: Settings, source: MatrixSource | None
) -> dict[str, np.ndarray]:
    """Own visits a year per site and block: PC4 visits at the nearest SEH open by day (car)."""
    s = settings.spreading
    day_open = ids  # every SEH taking ambulances is open by day (limited_blocks hold "day")
    car = demand_site_minutes(landscape, "car", sites=day_open, settings=settings, source=source)
    nearest = np.asarray(day_open)[np.argmin(car.to_numpy(float), axis=1)]
    rate = s.seh_visits_per_year / s.visits_population
    population = landscape.pc4["population"].reindex(car.index).to_numpy(float)
    per_site = pd.Series(rate * population).groupby(nearest).sum()
    shares = s.block_load_shares()
    return {
        j: np.array([float(per_site.get(j, 0.0)) * shares[b] for b in TIME_BLOCKS]) for j in ids
    }


def _receivers(
    landscape: Landscape, ids: list[str], settings: Settings, source: MatrixSource | None
) -> dict[str, tuple[tuple[str, float], ...]]:
    """Per site, the other SEHs nearest first by car minutes (ties: site id)."""
    network = source if source is not None else DefaultNetworkSource(landscape, settings)
    nodes = [f"site:{j}" for j in ids]
    car = travel_matrix(network, nodes, nodes, profile="car")
    receivers = {}
    for a, j in enumerate(ids):
        order = sorted(((float(car[a, b]), k) for b, k in enumerate(ids) if k != j))
        receivers[j] = tuple((k, t) for t, k in order if math.isfinite(t))
    return receivers


def _guarantee_regions(
    landscape: Landscape, sites: pd.DataFrame, question: SpreadingQuestion
) -> dict[str, str]:
    if question.layer == "roaz":
        return {j: str(sites.at[j, "roaz"]) for j in sites.index}
    iza = landscape.municipalities["iza"]
    return {j: str(iza.get(sites.at[j, "gemeentecode"], "")) for j in sites.index}
