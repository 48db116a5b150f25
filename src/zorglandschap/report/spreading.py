"""A scenario run's spreading plan (its ``[spreading]`` question): tables, headline figures,
the assumption line and the report's section.

The plan is :class:`~zorglandschap.optimise.spreading.SpreadingResult`, solved on the path
``spread --scenario`` takes (:func:`zorglandschap.scenario.scenario_spreading_model`), so
``run`` and ``spread`` give the same plan. In the run its tables are named
``spreading_<table>`` (:data:`SPREADING_TABLES`): ``spreading_blocks`` (per block in the
question's scope: SEHs taking ambulances, people beyond the norm, staff on duty and
staff-hours a week, today and with the plan), ``spreading_sites`` (what every SEH is in each
block, today and with the plan), ``spreading_regions``, ``spreading_moved``,
``spreading_receiving`` and ``spreading_staff``; the ``demand`` table gets, per decided block,
each PC4 area's minutes to the nearest SEH taking ambulances today and with the plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from zorglandschap.report.html import HtmlTable, html_table
from zorglandschap.result import json_records
from zorglandschap.vocab import TIME_BLOCKS

if TYPE_CHECKING:
    from zorglandschap.landscape import Landscape
    from zorglandschap.landscape.state import SiteState
    from zorglandschap.optimise.spreading import SpreadingQuestion, SpreadingResult
    from zorglandschap.settings import Settings
    from zorglandschap.travel import MatrixSource

__all__ = [
    "COMPARED",
    "SPREADING_TABLES",
    "plan_figures",
    "scope_name",
    "spreading_assumption",
    "spreading_cards",
    "spreading_demand",
    "spreading_section",
    "spreading_summary",
    "spreading_tables",
    "today_figures",
]

#: The spreading tables of a run, by their names in the run (``spreading_<table>``).
SPREADING_TABLES: tuple[str, ...] = tuple(
    f"spreading_{name}" for name in ("blocks", "sites", "regions", "moved", "receiving", "staff")
)
#: The figures a comparison puts side by side per block (``spreading_blocks`` columns
#: ``<figure>_today`` / ``<figure>_plan``), with the decimals of a difference.
COMPARED: dict[str, int] = {"open_sehs": 0, "staff_hours": 1, "beyond": 0}
#: What a site is in a block, in the report's words.
_WORDS = {"seh": "SEH", "closed": "closed", "spoedpost": "spoedpost"}


def spreading_tables(result: SpreadingResult) -> dict[str, pd.DataFrame]:
    """The result's tables under their run names (:data:`SPREADING_TABLES`)."""
    return {f"spreading_{name}": frame for name, frame in result.tables().items()}


def spreading_demand(result: SpreadingResult) -> pd.DataFrame:
    """Per PC4 area (index) and decided block: ``spreading_<block>_minutes`` (with the plan;
    today's without a plan), ``..._minutes_today`` and ``..._added_minutes`` (empty without a
    plan, or where no SEH is within reach)."""
    points = result.instance.points
    frame = pd.DataFrame(index=points.index)
    for block in result.question.decided:
        today = np.asarray(result.baseline.nearest[block], dtype=float)
        plan = (
            np.asarray(result.evaluation.nearest[block], dtype=float)
            if result.evaluation is not None
            else np.full(len(today), np.nan)
        )
        frame[f"spreading_{block}_minutes"] = np.where(np.isfinite(plan), plan, np.nan)
        frame[f"spreading_{block}_minutes_today"] = np.where(np.isfinite(today), today, np.nan)
        added = plan - today
        frame[f"spreading_{block}_added_minutes"] = np.where(np.isfinite(added), added, np.nan)
    return frame


def scope_name(result: SpreadingResult) -> str:
    """The region the plan decides, with its name (``ROAZ05 Noordwest``), or the Netherlands."""
    region = result.question.region
    return result.instance.region_name(region) if region else "the Netherlands"


def _figures(blocks: pd.DataFrame, when: str) -> dict[str, dict[str, Any]]:
    return {
        str(row["block"]): {key: row[f"{key}_{when}"] for key in COMPARED}
        for row in json_records(blocks)
    }


def plan_figures(result: SpreadingResult) -> dict[str, dict[str, Any]]:
    """Block → the :data:`COMPARED` figures with the plan (None without a plan)."""
    return _figures(result.tables()["blocks"], "plan")


def today_figures(
    landscape: Landscape,
    question: SpreadingQuestion,
    *,
    state: SiteState,
    settings: Settings,
    source: MatrixSource | None = None,
) -> dict[str, dict[str, Any]]:
    """Block → the :data:`COMPARED` figures of ``state``'s SEHs as they are, in the scope of
    ``question`` (a comparison's baseline that asks no plan of its own)."""
    from zorglandschap.optimise.spreading import baseline_plan, evaluate, spreading_instance
    from zorglandschap.optimise.spreading.tables import blocks_table

    instance = spreading_instance(landscape, state, question, settings=settings, source=source)
    today = evaluate(instance, baseline_plan(instance))
    return _figures(blocks_table(instance, today, None), "today")


def spreading_summary(result: SpreadingResult) -> dict[str, Any]:
    """The headline figures: status, scope, decided blocks, per block the SEHs taking
    ambulances, people beyond the norm and staff-hours a week (today, plan, change), the sites
    that change and the visits that move."""
    s = result.summary()
    return {
        "status": s["status"],
        "gap": s["gap"],
        "scope": s["scope"],
        "scope_name": scope_name(result),
        "decided_blocks": s["decided_blocks"],
        "blocks": json_records(result.tables()["blocks"]),
        "changed_sites": s["changed_sites"],
        "moved_visits": s["moved_visits"],
        "diagnosis": list(result.diagnosis),
    }


def spreading_assumption(result: SpreadingResult, settings: Settings) -> str:
    """The spreading model's assumptions in one line (docs/spreading.md)."""
    s = settings.spreading
    q = result.question
    factor = s.capacity_factor if q.capacity_factor is None else q.capacity_factor
    capacity = f"capacity {factor:g} × its load today" if q.capacity else "no capacity limit"
    open_staff = " + ".join(f"{n:g} {role}{'s' * (n != 1)}" for role, n in s.open_staff)
    closed_staff = " + ".join(f"{n:g} {role}{'s' * (n != 1)}" for role, n in s.closed_staff)
    return (
        f"Spreading (docs/spreading.md): {s.seh_visits_per_year:,.0f} SEH visits a year spread "
        "by population over the PC4 areas and over the blocks by the SAZ presence profile; the "
        f"visits of an SEH closed in a block go to the nearest open SEH ({capacity}); staff per "
        f"open SEH block {open_staff}, per closed one {closed_staff}; coverage by the RIVM "
        "composite; on the data's population, not scaled (the plan `spread --scenario` gives)."
    )


def _site_rows(result: SpreadingResult) -> pd.DataFrame:
    """The decided sites: state today and with the plan, and per block what the site is
    (``SEH → closed`` where the plan changes it)."""
    sites = result.tables()["sites"]
    sites = sites[sites["decided"].astype(bool)]
    frame = sites[["name", "today", "plan"]].copy()
    for block in TIME_BLOCKS:
        before = sites[f"{block}_today"].map(_WORDS)
        after = sites[block].map(_WORDS)
        frame[block] = [
            b if a is None or pd.isna(a) or a == b else f"{b} → {a}"
            for b, a in zip(before, after, strict=True)
        ]
    changed = (sites["today"] != sites["plan"]) | (
        frame[list(TIME_BLOCKS)].apply(lambda c: c.str.contains("→")).any(axis=1)
    )
    frame["_order"] = ~changed
    return frame.sort_values(["_order", "name"]).drop(columns="_order")


def _staff_rows(result: SpreadingResult) -> pd.DataFrame:
    """Staff on duty per region of the scope and block, a column pair per role."""
    staff = result.tables()["staff"]
    regions = {s.region for s in result.instance.sites if s.decide}
    staff = staff[staff["region"].isin(regions)]
    wide = staff.pivot(index=["region", "block"], columns="role", values=["today", "plan"])
    wide.columns = [f"{role}_{when}" for when, role in wide.columns]
    wide = wide.reset_index()
    wide["_order"] = wide["block"].map(TIME_BLOCKS.index)
    return wide.sort_values(["region", "_order"]).drop(columns="_order")


def _line(result: SpreadingResult) -> str:
    s = result.summary()
    gap = "n/a" if s["gap"] is None else f"{100 * s['gap']:.3f} %"
    scope = scope_name(result)
    parts = [f"{s['status']} (gap {gap}), deciding {', '.join(s['decided_blocks'])} in {scope}"]
    if result.has_plan:
        for block in s["decided_blocks"]:
            sehs = s["open_seh"][block]
            extra = s["beyond"][block] - s["baseline_beyond"][block]
            parts.append(
                f"{block}: {sehs['plan']} SEHs take ambulances ({sehs['today']} today), "
                f"{extra:+,} people beyond the norm"
            )
        parts.append(
            f"{s['changed_sites']} site(s) change; {s['moved_visits']:,.0f} SEH visits a year "
            "go to another SEH than today"
        )
    return "; ".join(parts) + "."


def _plan_tables(result: SpreadingResult) -> list[HtmlTable]:
    """Per block and per site: today and with the plan."""
    return [
        html_table(
            result.tables()["blocks"],
            title="Per block: today and with the plan",
            columns={
                "block": "block",
                "open_sehs_today": "SEHs today",
                "open_sehs_plan": "plan",
                "open_sehs_change": "Δ SEHs",
                "beyond_today": "beyond norm today",
                "beyond_plan": "plan",
                "beyond_change": "Δ beyond",
                "staff_hours_today": "staff-hours today",
                "staff_hours_plan": "plan",
                "staff_hours_change": "Δ staff-hours",
            },
            limit=None,
            note="SEHs taking ambulances in the scope (at night: the 24/7 SEHs); people beyond "
            "the norm in the scope; staff-hours a week = staff on duty on the scope's SEHs "
            "(open, closed or spoedpost) × the block's hours.",
        ),
        html_table(
            _site_rows(result),
            title="Per site: today → with the plan, per block",
            columns={"name": "site", "today": "today", "plan": "plan"}
            | {b: b for b in TIME_BLOCKS},
            limit=None,
            empty="No site in the scope.",
        ),
    ]


def _effect_tables(result: SpreadingResult) -> list[HtmlTable]:
    """Staff per region and block, the receiving SEHs, and travel per region and block."""
    tables = result.tables()
    receiving = tables["receiving"].rename(columns={"use_of_capacity": "capacity_share"})
    regions = {s.region for s in result.instance.sites if s.decide}
    travel = tables["regions"][tables["regions"]["region"].isin(regions)]
    travel_columns = {"name": "region", "block": "block"}
    for key, label in (("beyond", "beyond"), ("mean", "mean"), ("p90", "P90"), ("max", "max")):
        travel_columns |= {f"{key}_today": f"{label} today", f"{key}_plan": "plan"}
    return [
        html_table(
            _staff_rows(result),
            title="Staff on duty per region and block",
            columns={
                "region": "region",
                "block": "block",
                "physician_today": "physicians today",
                "physician_plan": "plan",
                "nurse_today": "nurses today",
                "nurse_plan": "plan",
            },
            limit=None,
            empty="No plan.",
        ),
        html_table(
            receiving,
            title="Receiving SEHs (visits a year)",
            columns={
                "name": "site",
                "block": "block",
                "load_today": "today",
                "load_plan": "plan",
                "capacity": "capacity",
                "capacity_share": "use of capacity",
            },
            limit=None,
            empty="No SEH takes more visits than today.",
        ),
        html_table(
            travel,
            title="Travel per region and block (composite minutes)",
            columns=travel_columns,
            limit=None,
        ),
    ]


def spreading_section(result: SpreadingResult) -> dict[str, Any]:
    """The report's section: a line, the diagnosis, and the tables per block, per site,
    staff per region, receiving SEHs and travel per region."""
    return {
        "title": f"Spreading: {scope_name(result)}, {', '.join(result.question.decided)}",
        "line": _line(result),
        "diagnosis": list(result.diagnosis),
        "notes": list(result.notes),
        "tables": [*_plan_tables(result), *_effect_tables(result)],
    }


def spreading_cards(result: SpreadingResult) -> list[dict[str, str]]:
    """A summary card per decided block: SEHs taking ambulances with the plan, and today."""
    s = result.summary()
    cards = []
    for block in s["decided_blocks"]:
        sehs = s["open_seh"][block]
        hours = s["staff_hours"][block]
        if result.has_plan:
            extra = s["beyond"][block] - s["baseline_beyond"][block]
            detail = (
                f"{sehs['today']} today; {extra:+,} people beyond the norm; staff-hours a week "
                f"{hours['today']:,.0f} → {hours['plan']:,.0f}"
            )
        else:
            detail = f"{sehs['today']} today; {s['status']}: no plan (see the diagnosis)"
        cards.append(
            {
                "label": f"Spreading, {scope_name(result)}: SEHs taking ambulances, {block}",
                "value": "–" if sehs["plan"] is None else str(sehs["plan"]),
                "detail": detail,
            }
        )
    return cards
