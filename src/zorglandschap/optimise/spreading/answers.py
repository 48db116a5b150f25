"""The planner's questions, one call each, on a spreading instance.

- :func:`smallest_night_set`: the fewest 24/7 SEHs that keep today's night coverage (nobody
  newly beyond 45 minutes), capacity respected; nationally or in one ROAZ region;
  :func:`smallest_night_sets` does it for every ROAZ region.
- :func:`night_shift_curve`: in a region, the people newly beyond 45 minutes at night as
  night shifts are removed one by one (each point: the best plan with that many SEHs open at
  night).
- :func:`least_harmful_night_closure`: in a region, the one night closure that pushes the
  fewest people beyond 45 minutes (ties: fewest moved visit-minutes); per region with
  :func:`least_harmful_night_closures`.
- :func:`spoedpost_candidates`: which SEHs could become a spoedpost, each on its own, without
  anyone newly beyond 45 minutes in any block (and within the capacity of the SEHs that take
  their visits).

Each result reports, per region and block, people beyond and the mean, P90 and max minutes
before and after, the visits moved to each receiving SEH, and the staff used
(:class:`~zorglandschap.optimise.spreading.result.SpreadingResult`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pulp

from zorglandschap.optimise.spreading.evaluate import baseline_plan, evaluate, plan_from_states
from zorglandschap.optimise.spreading.formulation import ExtraHook, Handles
from zorglandschap.optimise.spreading.instance import SpreadingInstance
from zorglandschap.optimise.spreading.model import SpreadingModel
from zorglandschap.optimise.spreading.prepare import Prepared
from zorglandschap.optimise.spreading.question import SpreadingQuestion
from zorglandschap.optimise.spreading.result import SpreadingResult
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.vocab import TIME_BLOCKS, TimeBlock


def smallest_night_set(
    instance: SpreadingInstance,
    *,
    region: str | None = None,
    capacity: bool = True,
    solver: str | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> SpreadingResult:
    """The fewest 24/7 SEHs (in ``region``, or all) that keep today's night coverage."""
    question = SpreadingQuestion(region=region, blocks=["night"], capacity=capacity)
    return SpreadingModel(instance.scoped(region), question, settings=settings).solve(solver=solver)


def smallest_night_sets(
    instance: SpreadingInstance,
    *,
    capacity: bool = True,
    solver: str | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> tuple[pd.DataFrame, dict[str, SpreadingResult]]:
    """:func:`smallest_night_set` for every ROAZ region: a table and the results by region.

    The table has ``region``, ``name``, ``night_today``, ``night_plan``, ``closed_at_night``
    (site ids), ``moved_visits`` (a year), ``status`` and ``seconds``.
    """
    rows, results = [], {}
    for region in sorted({s.region for s in instance.sites}):
        result = smallest_night_set(
            instance, region=region, capacity=capacity, solver=solver, settings=settings
        )
        results[region] = result
        rows.append(_region_row(result, region))
    return pd.DataFrame(rows), results


def _region_row(result: SpreadingResult, region: str) -> dict[str, Any]:
    h = TIME_BLOCKS.index("night")
    in_region = np.array([s.region == region for s in result.instance.sites])
    today = int(result.baseline.plan.open[in_region, h].sum())
    plan = result.evaluation.plan if result.evaluation else None
    moved = result.tables()["moved"]
    moved = moved[~moved["today"]] if len(moved) else moved
    return {
        "region": region,
        "name": result.instance.region_names.get(region, ""),
        "night_today": today,
        "night_plan": int(plan.open[in_region, h].sum()) if plan is not None else None,
        "closed_at_night": [
            c["site_id"] for c in result.changed_sites() if "night" in c["blocks_today"]
        ],
        "moved_visits": float(moved["visits"].sum()) if len(moved) else 0.0,
        "newly_beyond": _newly_beyond(result, "night"),
        "status": result.status,
        "seconds": sum(s.seconds for s in result.stages),
    }


def _newly_beyond(result: SpreadingResult, block: TimeBlock) -> float | None:
    if result.evaluation is None:
        return None
    before = result.baseline.beyond(block, scope_only=False)
    return max(0.0, result.evaluation.beyond(block, scope_only=False) - before)


def night_shift_curve(
    instance: SpreadingInstance,
    region: str,
    *,
    capacity: bool = True,
    solver: str | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """People newly beyond 45 minutes at night with exactly ``n`` SEHs open at night in
    ``region``, for ``n`` from today's count down to the 24/7 guarantee: at each ``n`` the
    best ``n`` (fewest people beyond; ties: fewest moved visit-minutes).

    Columns: ``night_seh`` (n), ``shifts_removed``, ``newly_beyond`` (people, all regions),
    ``beyond`` (people in the region), ``closed_at_night``, ``moved_visits``, ``status``.
    """
    scoped = instance.scoped(region)
    h = TIME_BLOCKS.index("night")
    in_region = np.array([s.region == region for s in scoped.sites])
    today = int(scoped.baseline_open()[in_region, h].sum())
    floor = min(settings.spreading.per_region_24_7, today)
    rows = []
    for n in range(today, floor - 1, -1):
        question = SpreadingQuestion(
            region=region, blocks=["night"], coverage="max", capacity=capacity
        )
        model = SpreadingModel(
            scoped, question, extra=_night_closures(region, today - n), settings=settings
        )
        result = model.solve(solver=solver)
        row = _region_row(result, region)
        rows.append(
            {
                "night_seh": n,
                "shifts_removed": today - n,
                "newly_beyond": row["newly_beyond"],
                "beyond": result.beyond()["night"],
                "closed_at_night": row["closed_at_night"],
                "moved_visits": row["moved_visits"],
                "status": result.status,
            }
        )
    return pd.DataFrame(rows)


def _night_closures(region: str, count: int) -> ExtraHook:
    """An ``extra`` hook: exactly ``count`` SEHs of ``region`` open at night today close at
    night."""

    def hook(problem: pulp.LpProblem, handles: Handles, prepared: Prepared) -> None:
        h = TIME_BLOCKS.index("night")
        today = prepared.instance.baseline_open()
        members = [
            j for j in prepared.decided_sites()
            if prepared.instance.sites[j].region == region and today[j, h]
        ]  # fmt: skip
        closed = pulp.lpSum([1 - handles.open(j, "night") for j in members])
        problem += closed == count, f"night_closures_{region}"

    return hook


def least_harmful_night_closure(
    instance: SpreadingInstance,
    region: str,
    *,
    capacity: bool = True,
    solver: str | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> SpreadingResult:
    """The single night closure in ``region`` that pushes the fewest people beyond 45 minutes
    (capacity respected; ties: fewest moved visit-minutes)."""
    question = SpreadingQuestion(region=region, blocks=["night"], coverage="max", capacity=capacity)
    model = SpreadingModel(
        instance.scoped(region),
        question,
        extra=_night_closures(region, 1),
        settings=settings,
    )
    return model.solve(solver=solver)


def least_harmful_night_closures(
    instance: SpreadingInstance,
    *,
    capacity: bool = True,
    solver: str | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """:func:`least_harmful_night_closure` for every ROAZ region: ``region``, ``name``,
    ``site_id`` (closed at night), ``newly_beyond``, ``moved_visits``, ``status``."""
    rows = []
    for region in sorted({s.region for s in instance.sites}):
        result = least_harmful_night_closure(
            instance, region, capacity=capacity, solver=solver, settings=settings
        )
        row = _region_row(result, region)
        rows.append(
            {
                "region": region,
                "name": row["name"],
                "site_id": ", ".join(row["closed_at_night"]),
                "newly_beyond": row["newly_beyond"],
                "moved_visits": row["moved_visits"],
                "status": result.status,
                "diagnosis": " ".join(result.diagnosis),
            }
        )
    return pd.DataFrame(rows)


def spoedpost_candidates(instance: SpreadingInstance) -> pd.DataFrame:
    """Every SEH the instance decides, turned into a spoedpost on its own: people newly
    beyond 45 minutes per block, the largest excess over a receiving SEH's capacity, and
    ``candidate`` (nobody newly beyond in any block and no capacity exceeded).

    Evaluated exactly (no solver): each conversion changes one site, so the plan's figures
    follow from the nearest open site of every demand point.
    """
    today = evaluate(instance, baseline_plan(instance))
    over_today = today.over_capacity()
    rows = []
    for site in instance.sites:
        if not site.decide:
            continue
        after = evaluate(instance, plan_from_states(instance, {site.site_id: "spoedpost"}))
        row: dict[str, Any] = {"site_id": site.site_id, "name": site.name, "region": site.region}
        newly = 0.0
        for block in TIME_BLOCKS:
            extra = after.beyond(block, scope_only=False) - today.beyond(block, scope_only=False)
            row[f"newly_beyond_{block}"] = max(0.0, extra)
            newly += max(0.0, extra)
        over = after.over_capacity()
        over = over[~over.set_index(["site_id", "block"]).index.isin(
            over_today.set_index(["site_id", "block"]).index
        )]  # fmt: skip
        row["over_capacity"] = float(over["over"].max()) if len(over) else 0.0
        row["candidate"] = newly < 0.5 and row["over_capacity"] <= 1e-6
        rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.sort_values(["candidate", "site_id"], ascending=[False, True], kind="stable")
