"""The spreading question: one validated object that the CLI, a scenario's ``[spreading]``
table and Python fill, and that :func:`~zorglandschap.optimise.spreading.spread` answers.

Examples
--------
>>> q = SpreadingQuestion(region="ROAZ08", blocks=["night"])
>>> q.coverage, q.objective, q.capacity
('keep', 'blocks', True)
>>> try:
...     SpreadingQuestion(coverage="share")
... except ValueError as exc:
...     print("needs share" in str(exc))
True
"""

from __future__ import annotations

from typing import Annotated, Any, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from zorglandschap.checks import Count, Share
from zorglandschap.optimise.spreading.terms import (
    CoverageRule,
    HoursMode,
    Objective,
    StaffRole,
)
from zorglandschap.vocab import (
    BLOCK_ALIASES,
    SCENARIO_SEH_STATES,
    TIME_BLOCKS,
    GuaranteeLayer,
    ScenarioSehState,
    TimeBlock,
    unalias,
)


def _night() -> list[TimeBlock]:
    return ["night"]


def _unaliased(value: Any) -> Any:
    """Dutch block names (dag, avond, nacht) in their English words; the rest is checked by
    the field's type."""
    if not isinstance(value, list):
        return value
    return [unalias(v, BLOCK_ALIASES) if isinstance(v, str) else v for v in value]


#: Time blocks, Dutch names taken (``blocks = ["nacht"]``).
Blocks = Annotated[list[TimeBlock], BeforeValidator(_unaliased)]


class SpreadingQuestion(BaseModel):
    """Which SEHs take ambulances in which blocks (see docs/spreading.md).

    Attributes
    ----------
    region
        The ROAZ region whose SEHs the plan may change (None: every SEH). People outside it
        who depend on its SEHs count too: nobody there may end up newly beyond the norm.
    blocks
        The blocks the plan decides (Dutch names taken: dag, avond, nacht); the others stay
        as today.
    coverage
        ``keep`` (nobody newly beyond 45 minutes), ``share`` (at least ``share`` of the
        region's population within 45 minutes) or ``max`` (as many people as possible within 45
        minutes: the objective, for the staff available).
    share
        The coverage target with ``coverage = "share"``.
    objective
        With ``keep`` and ``share``: fewest open SEH-blocks (``blocks``) or fewest staff-hours a
        week (``staff``). Ties: least moved visit-minutes, then the solver's (deterministic)
        choice.
    teams
        At most this many SEHs taking ambulances per ROAZ region in each decided block (the
        staff for N open SEHs: ``--staff N``).
    staff
        Staff available, region → block → role → people on duty (a limit per role).
    capacity
        Enforce each SEH's capacity per block.
    capacity_factor
        Capacity as a multiple of today's load (default ``settings.spreading.capacity_factor``).
    per_region
        At least this many 24/7 SEHs per region of ``layer`` (default
        ``settings.spreading.per_region_24_7``), capped at the region's count today.
    layer
        The region layer of that rule: ``roaz`` or ``iza``.
    av_needs_24_7
        A site with acute obstetrics keeps a 24/7 SEH.
    hours
        ``patterns``: a limited-hours SEH is open in its own blocks (``limited_blocks``);
        ``free``: in any blocks that respect the nesting rules (night ⊆ evening ⊆ day,
        night ⊆ weekend ⊆ day).
    options
        The states a site may get (its state today is always allowed); a site never gains
        blocks it does not have today.
    keep_sites
        Sites that keep today's state.
    max_added_minutes
        In every decided block, no demand point's composite time to its nearest SEH taking
        ambulances rises by more than this many minutes (None: no limit). A bound per demand
        point: it implies the same bound on every municipality's mean and P90.
    """

    model_config = ConfigDict(extra="forbid")

    region: str | None = None
    blocks: Blocks = Field(default_factory=_night, min_length=1)
    coverage: CoverageRule = "keep"
    share: Share | None = None
    objective: Objective = "blocks"
    teams: Count | None = None
    staff: dict[str, dict[TimeBlock, dict[StaffRole, float]]] = Field(default_factory=dict)
    capacity: bool = True
    capacity_factor: float | None = Field(default=None, ge=1.0, le=100.0, allow_inf_nan=False)
    per_region: Count | None = None
    layer: GuaranteeLayer = "roaz"
    av_needs_24_7: bool = False
    hours: HoursMode = "patterns"
    options: list[ScenarioSehState] = Field(default_factory=lambda: list(SCENARIO_SEH_STATES))
    keep_sites: list[str] = Field(default_factory=list)
    max_added_minutes: float | None = Field(default=None, ge=0.0, le=600.0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.coverage == "share" and self.share is None:
            raise ValueError('coverage = "share" needs share (e.g. 0.998)')
        if self.coverage != "share" and self.share is not None:
            raise ValueError(f'share is given but coverage is "{self.coverage}"; use "share"')
        for region, blocks in self.staff.items():
            for block, roles in blocks.items():
                if any(value < 0 for value in roles.values()):
                    raise ValueError(f"staff.{region}.{block}: staff must not be negative")
        self.blocks = sorted(set(self.blocks), key=TIME_BLOCKS.index)
        return self

    @property
    def decided(self) -> tuple[TimeBlock, ...]:
        """The decided blocks, in :data:`TIME_BLOCKS` order."""
        return tuple(b for b in TIME_BLOCKS if b in self.blocks)
