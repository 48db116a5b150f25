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
    if q.max_added_minutes is not None:
        rules.append(f"nobody's time up by more than {q.max_added_minutes:g} minutes")
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
        "travel": q.max_added_minutes is not None,
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
    if "travel" in families:
        objective = objective + handles.objectives["travel_excess"]
    problem.setObjective(objective)
    limit = model.settings.spreading.diagnosis_seconds
    if time_limit is not None:
        limit = min(limit, time_limit)
    outcome = solve_problem(problem, solver=solver, time_limit=limit, settings=model.settings)
    if outcome.objective is None:
        return ""
    words = _slack_words(model, handles)
    if "coverage" in families:
        words += _beyond_words(model, handles)
    if "travel" in families:
        words += _travel_words(model, handles)
    if not words:
        return ""
    proven = "" if outcome.status == "optimal" else " (not proven the smallest in the time limit)"
    return "; ".join(words) + proven


def _amounts(handles: Handles) -> dict[tuple[str, ...], dict[str, float]]:
    """Positive slacks grouped by what they relax: (family, region or site, role) → block →
    amount."""
    grouped: dict[tuple[str, ...], dict[str, float]] = {}
    for key, variable in sorted(handles.slack.items()):
        amount = value(variable)
        if amount <= 1e-6:
            continue
        family = key[0]
        if family == "travel":
            continue  # in people, see _travel_words
        if family == "staff":
            grouped.setdefault(("staff", key[1], key[3]), {})[key[2]] = amount
        elif family == "capacity":
            grouped.setdefault(("capacity", key[1]), {})[key[2]] = amount
        else:
            grouped.setdefault(key, {})[""] = amount
    return grouped


def _where(name: str, per_block: dict[str, float], unit: str) -> tuple[str, str]:
    """``("R, night", "")`` for one block, ``("R", " (day 6, night 4)")`` for several."""
    if len(per_block) == 1:
        ((block, _),) = per_block.items()
        return (f"{name}, {block}" if block else name), ""
    listing = ", ".join(f"{b} {a:{unit}}" for b, a in per_block.items())
    return name, f" ({listing})"


def _slack_words(model: _Model, handles: Handles) -> list[str]:
    instance = model.instance
    staff = instance.staff
    team = " and ".join(
        f"{staff.open[r]:g} {r}{'' if staff.open[r] == 1 else 's'}" for r in staff.open
    )
    factor = model.question.capacity_factor or model.settings.spreading.capacity_factor
    words, teams, capacity = [], [], []
    for key, per_block in _amounts(handles).items():
        family, amount = key[0], max(per_block.values())
        if family == "staff":
            where, listing = _where(instance.region_name(key[1]), per_block, ".0f")
            if key[2] == "teams":
                teams.append(f"{where}: staff for {amount:.0f} more SEH(s){listing}")
            else:
                words.append(f"{where}: {amount:.1f} more {key[2]}(s) on duty{listing}")
        elif family == "capacity":
            capacity += [(a, key[1], b) for b, a in per_block.items()]
        elif family == "guarantee":
            words.append(f"{instance.region_name(key[1])}: {amount:.0f} fewer 24/7 SEH(s) required")
        elif family == "av":
            words.append(f"{key[1]}: acute obstetrics without a 24/7 SEH on the site")
        elif family == "coverage":
            words.append(f"{key[1]}: the coverage target {amount:,.0f} people lower")
    if teams:
        teams = _shorten(teams)
        teams[-1] += (
            f" (SEHs taking ambulances; {model.question.teams} allowed per region; an SEH "
            f"team is {team})"
        )
        words = teams + words
    if capacity:
        capacity.sort(key=lambda item: (-item[0], item[1], item[2]))
        top = ", ".join(f"{site} ({block}, {a:,.0f})" for a, site, block in capacity[:3])
        words.append(
            f"capacity {sum(a for a, _, _ in capacity):,.0f} visits a year higher at "
            f"{len(capacity)} SEH-block(s) (today x {factor:g} is not enough); most at {top}"
        )
    return words


def _shorten(words: list[str], most: int = 6) -> list[str]:
    """At most ``most`` items, then how many more."""
    if len(words) <= most:
        return words
    return [*words[:most], f"and {len(words) - most} more region(s)"]


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


def _travel_words(model: _Model, handles: Handles) -> list[str]:
    p = model.prepared
    words = []
    for block, groups in p.travel_groups.items():
        people = sum(
            groups[int(key[2])].population * value(v)
            for key, v in handles.slack.items()
            if key[0] == "travel" and key[1] == block
        )
        if people >= 0.5:
            words.append(
                f"{block}: accept {people:,.0f} people whose time rises by more than "
                f"{p.question.max_added_minutes:g} minutes"
            )
    return words
