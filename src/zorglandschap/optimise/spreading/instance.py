"""The frozen instance of the spreading model: SEH sites, demand points, composite minutes.

An instance holds everything the model reads and nothing it decides: the SEH sites (which
of them the plan may change, their state today, their own visits per block, their capacity
and the SEHs their visits would go to), the demand points with their population, and the RIVM
composite minutes from every point to every site per time block. It is built from the
landscape by :func:`~zorglandschap.optimise.spreading.adapter.spreading_instance`, or by hand
(the tests' small instances).

Examples
--------
>>> site = SiteSpec("a", "A", region="R1", guarantee_region="R1", baseline="24/7")
>>> site.open_blocks("24/7"), site.open_blocks("limited")
(('day', 'evening', 'night', 'weekend'), ('day', 'evening', 'weekend'))
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import cast

import numpy as np
import pandas as pd

from zorglandschap.errors import InputError, problems_to_error
from zorglandschap.optimise.spreading.terms import STAFF_ROLES, StaffRole
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.vocab import TIME_BLOCKS, ScenarioSehState, SehState, TimeBlock

#: The default opening blocks of a limited-hours SEH (``settings.access.limited_hours_blocks``).
DEFAULT_LIMITED_BLOCKS: tuple[TimeBlock, ...] = ("day", "evening", "weekend")

#: Opening hours of the three limited-hours SEHs of 2025, as model blocks: the published hours
#: of ``settings.access.site_opening_blocks`` (sources there), which the site state applies
#: (:meth:`~zorglandschap.landscape.state.SiteState.limited_blocks`).
LIMITED_HOURS_2025: Mapping[str, tuple[TimeBlock, ...]] = MappingProxyType(
    {
        site: cast("tuple[TimeBlock, ...]", blocks)
        for site, blocks in DEFAULT_SETTINGS.access.site_opening_blocks
    }
)


@dataclass(frozen=True)
class SiteSpec:
    """One SEH site of the instance.

    Attributes
    ----------
    site_id, name
        Identity (``regions/sites.csv``).
    region
        The ROAZ region whose staff the site's SEH uses (and where it is reported).
    guarantee_region
        Its region in the layer of the "at least one 24/7 SEH" rule (ROAZ or IZA).
    baseline
        Its SEH today: ``"24/7"`` or ``"limited"``.
    limited_blocks
        The blocks it is open as a limited-hours SEH (must hold ``day``, never ``night``).
    decide
        Whether the plan may change it; other sites keep today's state.
    av
        Acute obstetrics today (for the optional "AV needs a 24/7 SEH" rule).
    visits
        Its own SEH visits a year falling in each block (:data:`TIME_BLOCKS` order).
    capacity
        Most visits a year it may take in each block (``inf``: no limit).
    receivers
        The other sites of the instance, nearest first: ``(site_id, car minutes)``.
    """

    site_id: str
    name: str
    region: str
    guarantee_region: str
    baseline: SehState
    limited_blocks: tuple[TimeBlock, ...] = DEFAULT_LIMITED_BLOCKS
    decide: bool = True
    av: bool = False
    visits: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)
    capacity: tuple[float, ...] = (math.inf, math.inf, math.inf, math.inf)
    receivers: tuple[tuple[str, float], ...] = ()

    def open_blocks(self, state: ScenarioSehState) -> tuple[TimeBlock, ...]:
        """The blocks the site takes ambulances in, in ``state``."""
        if state == "24/7":
            return TIME_BLOCKS
        if state == "limited":
            return tuple(b for b in TIME_BLOCKS if b in self.limited_blocks)
        return ()

    def problems(self) -> list[str]:
        """What is wrong with this site's data (empty when nothing)."""
        problems = []
        if self.baseline not in ("24/7", "limited"):
            problems.append(
                f"site {self.site_id}: baseline {self.baseline!r} takes no ambulances; only "
                "SEHs open 24/7 or with limited hours belong in a spreading instance."
            )
        blocks = set(self.limited_blocks)
        if "day" not in blocks or "night" in blocks or not blocks <= set(TIME_BLOCKS):
            problems.append(
                f"site {self.site_id}: limited_blocks {self.limited_blocks} must hold 'day', "
                "not 'night', and only time blocks (day, evening, weekend)."
            )
        if len(self.visits) != len(TIME_BLOCKS) or len(self.capacity) != len(TIME_BLOCKS):
            problems.append(f"site {self.site_id}: visits and capacity need one value per block.")
        elif min(self.visits) < 0 or min(self.capacity) < 0:
            problems.append(f"site {self.site_id}: visits and capacity must not be negative.")
        return problems


def _roles(pairs: tuple[tuple[str, float], ...], what: str) -> Mapping[StaffRole, float]:
    values = dict(pairs)
    unknown = sorted(set(values) - set(STAFF_ROLES))
    if unknown:
        raise InputError(
            f"settings.spreading.{what}: unknown staff role(s) {', '.join(unknown)}; "
            f"valid roles: {', '.join(STAFF_ROLES)}."
        )
    return MappingProxyType({role: float(values.get(role, 0.0)) for role in STAFF_ROLES})


@dataclass(frozen=True)
class StaffSpec:
    """Staff per site and block, by role: an open SEH, a closed one, a spoedpost."""

    open: Mapping[StaffRole, float]
    closed: Mapping[StaffRole, float]
    spoedpost: Mapping[StaffRole, float]
    block_hours: Mapping[TimeBlock, float]

    @classmethod
    def from_settings(cls, settings: Settings = DEFAULT_SETTINGS) -> StaffSpec:
        """The staff of ``settings.spreading`` (TNO dashboard defaults; see settings/optimise.py)."""
        s = settings.spreading
        hours = dict(s.block_hours_per_week)
        return cls(
            open=_roles(s.open_staff, "open_staff"),
            closed=_roles(s.closed_staff, "closed_staff"),
            spoedpost=_roles(s.spoedpost_staff, "spoedpost_staff"),
            block_hours=MappingProxyType({b: float(hours.get(b, 0.0)) for b in TIME_BLOCKS}),
        )


@dataclass(frozen=True)
class SpreadingInstance:
    """Everything the spreading model reads (see the module docstring).

    Attributes
    ----------
    sites
        The SEH sites, in the column order of ``minutes``.
    points
        Demand points (index: id) with ``population``, ``municipality``, ``region`` (ROAZ,
        for reporting) and ``in_scope`` (counted in the question's coverage target).
    minutes
        Per block, an array points × sites of RIVM composite minutes (``inf``: no route).
    norm_minutes
        The travel-time norm (45).
    staff
        Staff per open, closed and spoedpost block.
    spoedpost_blocks, spoedpost_keeps_share
        When a spoedpost is open, and the share of its site's visits it keeps.
    ambulance_share
        Share of visits arriving by ambulance (reported with moved visits).
    receiving_sites
        How many nearest SEHs a closed SEH's visits may go to in the model.
    region_names
        Display names of the regions (``ROAZ08`` → ``Midden-Nederland``).
    scope
        The region whose SEHs the plan decides, or None for all.
    state_name
        The site state the instance was built from (``"2025"`` or a scenario's name).
    """

    sites: tuple[SiteSpec, ...]
    points: pd.DataFrame
    minutes: Mapping[TimeBlock, np.ndarray]
    norm_minutes: float = 45.0
    staff: StaffSpec = field(default_factory=StaffSpec.from_settings)
    spoedpost_blocks: tuple[TimeBlock, ...] = ("day", "evening")
    spoedpost_keeps_share: float = 0.0
    ambulance_share: float = 0.215
    receiving_sites: int = 10
    region_names: Mapping[str, str] = field(default_factory=dict)
    scope: str | None = None
    state_name: str = ""

    def __post_init__(self) -> None:
        problems = [p for site in self.sites for p in site.problems()]
        ids = [s.site_id for s in self.sites]
        if len(set(ids)) != len(ids):
            problems.append("site ids must be unique.")
        known = set(ids)
        for site in self.sites:
            unknown = [r for r, _ in site.receivers if r not in known]
            if unknown:
                problems.append(f"site {site.site_id}: receivers not in the instance: {unknown}.")
        missing = {"population", "municipality", "region", "in_scope"} - set(self.points.columns)
        if missing:
            problems.append(f"points lack column(s) {', '.join(sorted(missing))}.")
        shape = (len(self.points), len(self.sites))
        for block in TIME_BLOCKS:
            values = self.minutes.get(block)
            if values is None or values.shape != shape:
                problems.append(f"minutes[{block!r}] must be an array of shape {shape}.")
        problems_to_error(problems, kind=InputError)
        frozen = {}
        for block in TIME_BLOCKS:
            values = np.array(self.minutes[block], dtype=float)
            values.setflags(write=False)
            frozen[block] = values
        object.__setattr__(self, "minutes", MappingProxyType(frozen))

    # -- views ---------------------------------------------------------------------------

    @property
    def site_ids(self) -> tuple[str, ...]:
        """Site ids in column order."""
        return tuple(s.site_id for s in self.sites)

    def index(self) -> dict[str, int]:
        """Site id → column position."""
        return {s.site_id: j for j, s in enumerate(self.sites)}

    def baseline_open(self) -> np.ndarray:
        """Sites × blocks: 1 where the site takes ambulances in the block today."""
        return np.array(
            [[b in s.open_blocks(s.baseline) for b in TIME_BLOCKS] for s in self.sites],
            dtype=bool,
        ).reshape(len(self.sites), len(TIME_BLOCKS))

    def scoped(self, region: str | None) -> SpreadingInstance:
        """The same instance with the plan deciding only the SEHs of ``region`` (None: all),
        and the coverage target counted on that region's demand points.

        Raises
        ------
        InputError
            When no site lies in ``region``.
        """
        regions = sorted({s.region for s in self.sites})
        if region is not None and region not in regions:
            raise InputError(
                f"Region {region!r} has no SEH in this instance; valid: {', '.join(regions)}."
            )
        sites = tuple(replace(s, decide=region is None or s.region == region) for s in self.sites)
        points = self.points.assign(
            in_scope=(self.points["region"] == region) if region is not None else True
        )
        return replace(self, sites=sites, points=points, scope=region)

    def region_name(self, region: str) -> str:
        """``ROAZ08 Midden-Nederland`` (or the code alone when no name is known)."""
        name = self.region_names.get(region)
        return f"{region} {name}" if name else region
