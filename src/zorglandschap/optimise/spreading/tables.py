"""The tables of a spreading result: the scope per block, sites × blocks, regions × blocks,
moved visits, receiving SEHs and staff, each today and with the plan."""

from __future__ import annotations

import numpy as np
import pandas as pd

from zorglandschap.indicators import travel_indicators
from zorglandschap.optimise.spreading.evaluate import Evaluation
from zorglandschap.optimise.spreading.instance import SpreadingInstance
from zorglandschap.vocab import TIME_BLOCKS, TimeBlock


def result_tables(
    instance: SpreadingInstance, today: Evaluation, plan: Evaluation | None
) -> dict[str, pd.DataFrame]:
    """Every table by name (plan columns empty without a plan)."""
    return {
        "blocks": blocks_table(instance, today, plan),
        "sites": sites_table(instance, today, plan),
        "regions": regions_table(instance, today, plan),
        "moved": moved_table(instance, today, plan),
        "receiving": receiving_table(instance, today, plan),
        "staff": staff_table(today, plan),
    }


def _block_row(
    instance: SpreadingInstance, evaluation: Evaluation, h: int, label: str
) -> dict[str, float]:
    """One block of ``evaluation`` in the scope: SEHs taking ambulances, people beyond the
    norm, staff on duty (every role) and staff-hours a week."""
    block = TIME_BLOCKS[h]
    decided = np.array([s.decide for s in instance.sites], dtype=bool)
    regions = {s.region for s in instance.sites if s.decide}
    staff = evaluation.staff
    on_duty = float(
        staff.loc[staff["region"].isin(regions) & (staff["block"] == block)]["staff"].sum()
    )
    return {
        f"open_sehs_{label}": int(evaluation.plan.open[decided, h].sum()),
        f"beyond_{label}": round(evaluation.beyond(block)),
        f"staff_{label}": on_duty,
        f"staff_hours_{label}": on_duty * instance.staff.block_hours[block],
    }


def blocks_table(
    instance: SpreadingInstance, today: Evaluation, plan: Evaluation | None
) -> pd.DataFrame:
    """The scope per block, today and with the plan, and the change: SEHs taking ambulances
    (at night: the 24/7 SEHs), people beyond the norm, staff on duty (every role, on the
    scope's sites: open, closed or spoedpost) and staff-hours a week (staff × the block's
    hours, ``settings.spreading.block_hours_per_week``)."""
    rows = []
    for h, block in enumerate(TIME_BLOCKS):
        before = _block_row(instance, today, h, "today")
        after: dict[str, float | None] = (
            dict(_block_row(instance, plan, h, "plan"))
            if plan is not None
            else {k.replace("_today", "_plan"): None for k in before}
        )
        row: dict[str, object] = {"block": block}
        for key in ("open_sehs", "beyond", "staff", "staff_hours"):
            one, two = before[f"{key}_today"], after[f"{key}_plan"]
            row |= {
                f"{key}_today": one,
                f"{key}_plan": two,
                f"{key}_change": None if two is None else two - one,
            }
        rows.append(row)
    return pd.DataFrame(rows)


def _block_word(evaluation: Evaluation | None, j: int, h: int) -> str | None:
    if evaluation is None:
        return None
    plan = evaluation.plan
    if plan.open[j, h]:
        return "seh"
    return "spoedpost" if plan.spoedpost[j, h] else "closed"


def sites_table(
    instance: SpreadingInstance, today: Evaluation, plan: Evaluation | None
) -> pd.DataFrame:
    """One row per site: region, state today and with the plan, what it is in each block."""
    rows = []
    for j, site in enumerate(instance.sites):
        row: dict[str, object] = {
            "site_id": site.site_id,
            "name": site.name,
            "region": site.region,
            "decided": site.decide,
            "today": site.baseline,
            "plan": plan.plan.states[site.site_id] if plan else None,
        }
        for h, block in enumerate(TIME_BLOCKS):
            row[f"{block}_today"] = _block_word(today, j, h)
            row[block] = _block_word(plan, j, h)
        for h, block in enumerate(TIME_BLOCKS):
            row[f"visits_{block}"] = site.visits[h]
            row[f"load_{block}"] = plan.loads[j, h] if plan else np.nan
            row[f"capacity_{block}"] = site.capacity[h]
        rows.append(row)
    return pd.DataFrame(rows)


def _indicators(evaluation: Evaluation, mask: np.ndarray, block: TimeBlock) -> dict[str, float]:
    points = evaluation.instance.points
    return travel_indicators(
        np.asarray(evaluation.nearest[block])[mask],
        points["population"].to_numpy(float)[mask],
        threshold=evaluation.instance.norm_minutes,
    )


def regions_table(
    instance: SpreadingInstance, today: Evaluation, plan: Evaluation | None
) -> pd.DataFrame:
    """Regions × blocks: people beyond, mean, P90 and max minutes, open SEHs; today and plan."""
    points = instance.points
    site_region = np.array([s.region for s in instance.sites])
    rows = []
    for region in sorted(points["region"].unique()):
        mask = (points["region"] == region).to_numpy()
        for h, block in enumerate(TIME_BLOCKS):
            before = _indicators(today, mask, block)
            after = _indicators(plan, mask, block) if plan else None
            in_region = site_region == region
            row: dict[str, object] = {
                "region": region,
                "name": instance.region_names.get(region, ""),
                "block": block,
                "population": before["population"],
                "open_today": int(today.plan.open[in_region, h].sum()),
                "open_plan": (int(plan.plan.open[in_region, h].sum()) if plan else None),
            }
            for key, column in (
                ("beyond", "beyond"),
                ("mean_minutes", "mean"),
                ("p90_minutes", "p90"),
                ("max_minutes", "max"),
            ):
                row[f"{column}_today"] = before[key]
                row[f"{column}_plan"] = after[key] if after else np.nan
            row["newly_beyond"] = max(0.0, after["beyond"] - before["beyond"]) if after else np.nan
            rows.append(row)
    return pd.DataFrame(rows)


def moved_table(
    instance: SpreadingInstance, today: Evaluation, plan: Evaluation | None
) -> pd.DataFrame:
    """Visits a year that go to another SEH with the plan; ``today``: the move happens today too."""
    columns = ["from_site", "from_name", "to_site", "to_name", "block", "visits"]
    columns += ["ambulance_visits", "minutes", "today"]
    if plan is None:
        return pd.DataFrame(columns=columns)
    names = {s.site_id: s.name for s in instance.sites}
    moved = plan.moved.copy()
    before = today.moved
    pairs = set(zip(before["from_site"], before["to_site"], before["block"], strict=True))
    moved["today"] = [
        (f, t, b) in pairs
        for f, t, b in zip(moved["from_site"], moved["to_site"], moved["block"], strict=True)
    ]
    moved["from_name"] = moved["from_site"].map(names)
    moved["to_name"] = moved["to_site"].map(names).fillna("")
    return moved[columns].reset_index(drop=True)


def receiving_table(
    instance: SpreadingInstance, today: Evaluation, plan: Evaluation | None
) -> pd.DataFrame:
    """SEHs whose load in a block changes: load today, with the plan, capacity, use."""
    columns = ["site_id", "name", "block", "load_today", "load_plan", "added"]
    columns += ["capacity", "use_of_capacity"]
    if plan is None:
        return pd.DataFrame(columns=columns)
    rows = []
    for j, site in enumerate(instance.sites):
        for h, block in enumerate(TIME_BLOCKS):
            before, after = today.loads[j, h], plan.loads[j, h]
            if abs(after - before) <= 1e-6 or after <= 1e-9:
                continue
            capacity = site.capacity[h]
            rows.append(
                {
                    "site_id": site.site_id,
                    "name": site.name,
                    "block": block,
                    "load_today": before,
                    "load_plan": after,
                    "added": after - before,
                    "capacity": capacity,
                    "use_of_capacity": after / capacity if 0 < capacity < np.inf else np.nan,
                }
            )
    return pd.DataFrame(rows, columns=columns)


def staff_table(today: Evaluation, plan: Evaluation | None) -> pd.DataFrame:
    """Staff on duty per region, block and role: today and with the plan."""
    before = today.staff.rename(columns={"staff": "today"})
    if plan is None:
        return before.assign(plan=np.nan)
    after = plan.staff.rename(columns={"staff": "plan"})
    return before.merge(after, on=["region", "block", "role"], how="outer")
