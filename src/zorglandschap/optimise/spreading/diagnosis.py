"""Why a spreading question has no plan, in plain words, and the smallest relaxation.

The model is solved again with one constraint family made elastic at a time (staff,
coverage, capacity, the 24/7 rule, acute obstetrics): each slack measures how far that
family must give. A family whose relaxation alone makes the plan possible is a way out, and
its minimal slacks say which region, which block and by how much (staff short, people newly
beyond 45 minutes, visits over capacity). When no single family suffices, all are relaxed
together.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulp

from zorglandschap.optimise.solver import solve_problem
from zorglandschap.optimise.spreading.formulation import ExtraHook, Handles, build, value
from zorglandschap.optimise.spreading.instance import SpreadingInstance
from zorglandschap.optimise.spreading.prepare import Prepared
from zorglandschap.optimise.spreading.question import SpreadingQuestion
from zorglandschap.optimise.spreading.terms import ELASTIC_FAMILIES, ElasticFamily
from zorglandschap.settings import DEFAULT_SETTINGS, Settings


@dataclass(frozen=True)
class _Model:
    """What the diagnosis needs of a model: the prepared question and how to build it."""

    prepared: Prepared
    per_region: int
    extra: ExtraHook | None
    settings: Settings

    @property
    def question(self) -> SpreadingQuestion:
        return self.prepared.question

    @property
    def instance(self) -> SpreadingInstance:
        return self.prepared.instance

    def build(self, *, elastic: frozenset[ElasticFamily]) -> tuple[pulp.LpProblem, Handles]:
        return build(self.prepared, per_region=self.per_region, elastic=elastic, extra=self.extra)


def diagnose(
    prepared: Prepared,
    *,
    per_region: int,
    extra: ExtraHook | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    solver: str | None = None,
    time_limit: float | None = None,
) -> list[str]:
    """Plain-words reasons why the question in ``prepared`` has no plan, and the smallest
    relaxations (see the module docstring)."""
    model = _Model(prepared, per_region, extra, settings)
    lines = [_headline(model)]
    ways: list[str] = []
    for family in ELASTIC_FAMILIES:
        if not _applies(model, family):
            continue
        found = _relax(model, frozenset({family}), solver=solver, time_limit=time_limit)
        if found:
            ways.append(found)
    if not ways:
        found = _relax(model, frozenset(ELASTIC_FAMILIES), solver=solver, time_limit=time_limit)
        if found:
            lines.append(
                "No single rule can give way alone; relaxing them together needs: " + found
            )
        else:
            lines.append("Even with every rule relaxed the model has no plan (check the data).")
        return lines
    lines.append("Smallest relaxations (any one of them gives a plan):")
    lines += [f"- {way}" for way in ways]
    return lines


def _headline(model: _Model) -> str:
    q = model.question
    scope = model.instance.region_name(q.region) if q.region else "the Netherlands"
    rules = []
    if q.coverage == "keep":
        rules.append("nobody newly beyond 45 minutes")
    elif q.coverage == "share":
        rules.append(f"at least {100 * float(q.share or 0):.2f} % within 45 minutes")
    if q.teams is not None:
        rules.append(f"at most {q.teams} SEH(s) taking ambulances per ROAZ region")
    if q.staff:
        rules.append("the staff available per region")
    if q.capacity:
        rules.append("each SEH's capacity")
    rules.append(f"at least {model.per_region} 24/7 SEH(s) per {q.layer.upper()} region")
    blocks = ", ".join(q.decided)
    return f"No plan for {scope} ({blocks}): {', '.join(rules)} cannot all hold."


def _applies(model: _Model, family: ElasticFamily) -> bool:
    q = model.question
    return {
        "staff": q.teams is not None or bool(q.staff),
        "coverage": q.coverage in ("keep", "share"),
        "capacity": q.capacity,
        "guarantee": model.per_region > 0,
        "av": q.av_needs_24_7,
    }[family]


def _relax(
    model: _Model,
    families: frozenset[ElasticFamily],
    *,
    solver: str | None,
    time_limit: float | None,
) -> str:
    """The relaxation of ``families`` in words, or "" when it gives no plan either."""
    problem, handles = model.build(elastic=families)
    objective = handles.objectives["slack"]
    if "coverage" in families:
        objective = objective + handles.objectives["beyond"]
    problem.setObjective(objective)
    outcome = solve_problem(problem, solver=solver, time_limit=time_limit, settings=model.settings)
    if outcome.objective is None:
        return ""
    words = _slack_words(model, handles)
    if "coverage" in families:
        words += _beyond_words(model, handles)
    return "; ".join(words) if words else ""


def _slack_words(model: _Model, handles: Handles) -> list[str]:
    instance = model.instance
    staff = instance.staff
    words = []
    for key, variable in sorted(handles.slack.items()):
        amount = value(variable)
        if amount <= 1e-6:
            continue
        family = key[0]
        if family == "staff":
            region, block, role = key[1], key[2], key[3]
            where = f"{instance.region_name(region)}, {block}"
            if role == "teams":
                team = " and ".join(
                    f"{staff.open[r]:g} {r}{'' if staff.open[r] == 1 else 's'}" for r in staff.open
                )
                words.append(
                    f"{where}: staff for {amount:.0f} more SEH(s) taking ambulances "
                    f"({model.question.teams} allowed; an SEH team is {team})"
                )
            else:
                words.append(f"{where}: {amount:.1f} more {role}(s) on duty")
        elif family == "capacity":
            words.append(
                f"{key[1]}, {key[2]}: capacity {amount:,.0f} visits a year higher "
                f"(today x {model.settings.spreading.capacity_factor:g} is not enough)"
            )
        elif family == "guarantee":
            words.append(f"{instance.region_name(key[1])}: {amount:.0f} fewer 24/7 SEH(s) required")
        elif family == "av":
            words.append(f"{key[1]}: acute obstetrics without a 24/7 SEH on the site")
        elif family == "coverage":
            words.append(f"{key[1]}: the coverage target {amount:,.0f} people lower")
    return words


def _beyond_words(model: _Model, handles: Handles) -> list[str]:
    p = model.prepared
    words = []
    for block in p.free:
        people = sum(
            p.groups[block][g].population * value(w)
            for (b, g), w in handles.uncovered.items()
            if b == block and p.groups[block][g].covered_today
        )
        if people >= 0.5:
            words.append(f"{block}: accept {people:,.0f} people newly beyond 45 minutes")
    return words
