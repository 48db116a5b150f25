"""The words of the spreading model, spelled once (candidates for :mod:`zorglandschap.vocab`).

>>> STAFF_ROLES, COVERAGE_RULES
(('physician', 'nurse'), ('keep', 'share', 'max'))
"""

from __future__ import annotations

from typing import Literal, get_args

#: Staff roles counted per SEH block (TNO night-closure dashboard: arts-SEH, SEH-verpleegkundige).
StaffRole = Literal["physician", "nurse"]
STAFF_ROLES: tuple[StaffRole, ...] = get_args(StaffRole)

#: Coverage rule per decided block: ``keep`` (nobody newly beyond 45 minutes compared with
#: today), ``share`` (at least a share of the population within 45 minutes), ``max`` (as many
#: people within 45 minutes as the staff allows: the objective).
CoverageRule = Literal["keep", "share", "max"]
COVERAGE_RULES: tuple[CoverageRule, ...] = get_args(CoverageRule)

#: What the plan minimises (with ``keep`` or ``share``): open SEH-blocks, or staff-hours a week.
Objective = Literal["blocks", "staff"]
OBJECTIVES: tuple[Objective, ...] = get_args(Objective)

#: How a limited-hours SEH may be open: ``patterns`` (its own opening blocks, or none) or
#: ``free`` (any blocks that respect the nesting rules).
HoursMode = Literal["patterns", "free"]
HOURS_MODES: tuple[HoursMode, ...] = get_args(HoursMode)

#: Constraint families that the diagnosis may relax, in the order it tries them.
ElasticFamily = Literal["staff", "coverage", "travel", "capacity", "guarantee", "av"]
ELASTIC_FAMILIES: tuple[ElasticFamily, ...] = get_args(ElasticFamily)
