"""The result of a spreading solve, through the common result contract.

``summary()`` holds the headline figures, ``tables()`` the scope per block (SEHs, people
beyond, staff and staff-hours), sites × blocks, regions × blocks, moved visits, receiving SEHs
and staff, ``to_json()`` the ``spread --json`` payload (timing kept apart in ``timing``;
``payload()`` is the same without it). Every figure is computed by
:func:`~zorglandschap.optimise.spreading.evaluate.evaluate` on the plan the solver returned,
before and after, so a plan never looks better than it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from zorglandschap.optimise.solver import Status
from zorglandschap.optimise.spreading.evaluate import Evaluation
from zorglandschap.optimise.spreading.instance import SpreadingInstance
from zorglandschap.optimise.spreading.question import SpreadingQuestion
from zorglandschap.optimise.spreading.tables import result_tables
from zorglandschap.result import dumps, json_number, json_records
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.vocab import TIME_BLOCKS


@dataclass(frozen=True)
class StageOutcome:
    """One solve of the lexicographic sequence: which objective, how it ended."""

    objective: str
    status: Status
    value: float | None
    bound: float | None
    gap: float | None
    seconds: float


@dataclass(frozen=True)
class SpreadingResult:
    """A spreading plan (or the reason there is none), with its figures before and after.

    Attributes
    ----------
    status, gap, solver
        The honest status over all stages (``optimal`` only when every stage is proven), the
        largest stage gap, and the solver used.
    stages
        The lexicographic stages (primary objective first, then the named tie-breaks).
    instance, question
        What was solved.
    baseline, evaluation
        Today's figures, and the plan's (None without a plan).
    diagnosis
        Plain-words reasons when there is no plan.
    notes
        Anything the reader must know (e.g. a tie-break stage that did not finish).
    """

    status: Status
    gap: float | None
    solver: str
    stages: tuple[StageOutcome, ...]
    instance: SpreadingInstance
    question: SpreadingQuestion
    baseline: Evaluation
    evaluation: Evaluation | None
    build_seconds: float
    diagnosis: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    settings: Settings = field(default=DEFAULT_SETTINGS, repr=False)
    state_name: str = ""

    # -- figures ---------------------------------------------------------------------------

    @property
    def has_plan(self) -> bool:
        """Whether a plan was found (``optimal`` or ``feasible``)."""
        return self.evaluation is not None

    def beyond(self) -> dict[str, int | None]:
        """Block → people in scope beyond the norm with the plan (None without a plan)."""
        e = self.evaluation
        return {b: (round(e.beyond(b)) if e else None) for b in TIME_BLOCKS}

    def baseline_beyond(self) -> dict[str, int]:
        """Block → people in scope beyond the norm today."""
        return {b: round(self.baseline.beyond(b)) for b in TIME_BLOCKS}

    def coverage(self) -> dict[str, float | None]:
        """Block → share of the scope's population within the norm with the plan."""
        points = self.instance.points
        total = float(points.loc[points["in_scope"], "population"].sum())
        e = self.evaluation
        return {
            b: (None if e is None or total <= 0 else 1.0 - e.beyond(b) / total) for b in TIME_BLOCKS
        }

    def open_sites(self) -> list[dict[str, Any]]:
        """Sites in scope taking ambulances in at least one block: id, name, blocks, state."""
        if self.evaluation is None:
            return []
        plan = self.evaluation.plan
        return [
            {
                "site_id": s.site_id,
                "name": s.name,
                "blocks": list(plan.blocks(j)),
                "state": plan.states[s.site_id],
            }
            for j, s in enumerate(self.instance.sites)
            if s.decide and plan.open[j].any()
        ]

    def changed_sites(self) -> list[dict[str, Any]]:
        """Sites whose blocks or state the plan changes: today and with the plan."""
        if self.evaluation is None:
            return []
        plan, today = self.evaluation.plan, self.baseline.plan
        return [
            {
                "site_id": s.site_id,
                "name": s.name,
                "region": s.region,
                "today": today.states[s.site_id],
                "plan": plan.states[s.site_id],
                "blocks_today": list(today.blocks(j)),
                "blocks_plan": list(plan.blocks(j)),
            }
            for j, s in enumerate(self.instance.sites)
            if plan.states[s.site_id] != today.states[s.site_id]
            or not np.array_equal(plan.open[j], today.open[j])
        ]

    # -- the contract ----------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """Headline figures: status, SEHs open per block, people beyond, moved visits, staff."""
        scope = np.array([s.decide for s in self.instance.sites], dtype=bool)
        open_today = self.baseline.plan.open[scope].sum(axis=0)
        plan = self.evaluation.plan if self.evaluation else None
        tables = self.tables()
        moved = tables["moved"]
        new_moves = moved[~moved["today"]] if len(moved) else moved
        return {
            "status": self.status,
            "gap": json_number(self.gap),
            "solver": self.solver,
            "sites": self.state_name,
            "scope": self.instance.scope or "all",
            "decided_blocks": list(self.question.decided),
            "open_seh": {
                b: {
                    "today": int(open_today[h]),
                    "plan": int(plan.open[scope, h].sum()) if plan is not None else None,
                }
                for h, b in enumerate(TIME_BLOCKS)
            },
            "beyond": self.beyond(),
            "baseline_beyond": self.baseline_beyond(),
            "coverage": {b: json_number(v) for b, v in self.coverage().items()},
            "staff_hours": {
                row["block"]: {
                    "today": json_number(row["staff_hours_today"]),
                    "plan": json_number(row["staff_hours_plan"]),
                }
                for row in tables["blocks"].to_dict(orient="records")
            },
            "changed_sites": len(self.changed_sites()),
            "moved_visits": json_number(float(new_moves["visits"].sum()) if len(moved) else 0.0),
            "objective": {s.objective: json_number(s.value) for s in self.stages},
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        """``blocks``, ``sites``, ``regions``, ``moved``, ``receiving`` and ``staff`` (see the
        module docstring)."""
        return result_tables(self.instance, self.baseline, self.evaluation)

    def payload(self) -> dict[str, Any]:
        """The ``spread --json`` payload without its wall times (:meth:`timing`): the same
        question gives the same payload."""
        tables = self.tables()
        return {
            **self.summary(),
            "question": self.question.model_dump(mode="json"),
            "open_sites": self.open_sites(),
            "changed_sites": self.changed_sites(),
            "stages": [
                {
                    "objective": s.objective,
                    "status": s.status,
                    "value": json_number(s.value),
                    "bound": json_number(s.bound),
                    "gap": json_number(s.gap),
                }
                for s in self.stages
            ],
            "regions": json_records(tables["regions"]),
            "receiving": json_records(tables["receiving"]),
            "staff": json_records(tables["staff"]),
            "diagnosis": list(self.diagnosis),
            "notes": list(self.notes),
        }

    def timing(self) -> dict[str, Any]:
        """Wall seconds: in all, of the build, and of each stage."""
        return {
            "seconds": json_number(self.build_seconds + sum(s.seconds for s in self.stages), 3),
            "build_seconds": json_number(self.build_seconds, 3),
            "stage_seconds": [json_number(s.seconds, 3) for s in self.stages],
        }

    def to_json(self) -> str:
        """The ``spread --json`` payload: sorted keys, one rounding rule, timing apart (in
        ``timing``)."""
        return dumps({**self.payload(), "timing": self.timing()})
