"""Acute-care spreading: which SEHs take ambulances in which time blocks under the 45-minute
norm, with the staff and capacity there are (issue 13; docs/spreading.md).

Modules: :mod:`.instance` (the frozen instance), :mod:`.adapter` (landscape → instance),
:mod:`.question` (the validated question), :mod:`.prepare` (options and coverage groups),
:mod:`.formulation` (one builder per constraint family), :mod:`.model` (build, solve, read
back), :mod:`.evaluate` (a plan's figures without a solver), :mod:`.result` and
:mod:`.tables` (the result contract), :mod:`.diagnosis` (why there is no plan),
:mod:`.answers` (the planner's questions, one call each), :mod:`.writers` (JSON, CSV and
scenario files).
"""

from zorglandschap.optimise.spreading.adapter import spreading_instance, with_capacity
from zorglandschap.optimise.spreading.evaluate import (
    Evaluation,
    Plan,
    baseline_plan,
    evaluate,
    plan_from_states,
)
from zorglandschap.optimise.spreading.instance import (
    LIMITED_HOURS_2025,
    SiteSpec,
    SpreadingInstance,
    StaffSpec,
)
from zorglandschap.optimise.spreading.model import SpreadingModel
from zorglandschap.optimise.spreading.question import SpreadingQuestion
from zorglandschap.optimise.spreading.result import SpreadingResult

__all__ = [
    "LIMITED_HOURS_2025",
    "Evaluation",
    "Plan",
    "SiteSpec",
    "SpreadingInstance",
    "SpreadingModel",
    "SpreadingQuestion",
    "SpreadingResult",
    "StaffSpec",
    "baseline_plan",
    "evaluate",
    "plan_from_states",
    "spreading_instance",
    "with_capacity",
]
