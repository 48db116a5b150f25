"""Travel indicators of a plan per intervention and region of residence, at two demand levels.

Every figure comes from the package's one rule, :func:`zorglandschap.indicators.travel_indicators`
(patient-weighted mean over reachable points, P90, max, and the share beyond the maximum time);
this module only groups a plan's flows and labels the rows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from zorglandschap.indicators import travel_indicators
from zorglandschap.optimise.concentration.inputs import Instance

#: Columns of an indicator table.
COLUMNS = [
    "level", "intervention", "region", "patients", "mean_minutes", "p90_minutes",
    "max_minutes", "share_beyond", "beyond_minutes",
]  # fmt: skip
#: Minutes this close above the maximum time still count as within it (the minutes of a
#: municipality are means of its PC4s' minutes).
TOLERANCE = 1e-9


def indicator_table(
    flows: pd.DataFrame, *, threshold: Mapping[str, float], level: str
) -> pd.DataFrame:
    """Patient-weighted travel indicators per intervention and region (and in total).

    Parameters
    ----------
    flows
        Columns ``intervention, region, patients, minutes``.
    threshold
        Minutes beyond which patients count in ``share_beyond``, per intervention.
    level
        Label of the demand level (``municipality``, ``pc4``, ...).

    Examples
    --------
    >>> flows = pd.DataFrame({"intervention": ["p", "p"], "region": ["R", "R"],
    ...                       "patients": [3.0, 1.0], "minutes": [10.0, 50.0]})
    >>> indicator_table(flows, threshold={"p": 45.0}, level="x")[["region", "share_beyond"]]
      region  share_beyond
    0    all          0.25
    1      R          0.25
    """
    f = flows[flows["patients"] > 0]
    groups: list[tuple[str, str, pd.DataFrame]] = []
    for p in sorted(f["intervention"].unique()):
        fp = f[f["intervention"] == p]
        groups.append((p, "all", fp))
        for reg in sorted(set(fp["region"].astype(str)) - {"all"}):
            groups.append((p, reg, fp[fp["region"].astype(str) == reg]))
    if f["intervention"].nunique() > 1:
        groups.append(("all", "all", f))
    rows = [_row(p, reg, g, threshold, level) for p, reg, g in groups]
    return pd.DataFrame(rows, columns=COLUMNS)


def _row(
    p: str, reg: str, g: pd.DataFrame, threshold: Mapping[str, float], level: str
) -> dict[str, object]:
    w = g["patients"].to_numpy(float)
    t = g["minutes"].to_numpy(float)
    t = np.where(np.isfinite(t), t, np.inf)
    thr = threshold[p] if p in threshold else min(threshold.values()) if threshold else math.inf
    if p == "all":
        per_point = g["intervention"].map(threshold).to_numpy(float)
    else:
        per_point = np.full(len(g), thr)
    stats = travel_indicators(t, w, threshold=per_point, tolerance=TOLERANCE)
    total = stats["population"]
    return {
        "level": level,
        "intervention": p,
        "region": reg,
        "patients": total,
        "mean_minutes": stats["mean_minutes"],
        "p90_minutes": stats["p90_minutes"],
        "max_minutes": stats["max_minutes"],
        "share_beyond": stats["beyond"] / total if total else 0.0,
        "beyond_minutes": thr if p != "all" else float("nan"),
    }


def empty_table(level: str, threshold: Mapping[str, float] | None = None) -> pd.DataFrame:
    """An indicator table without rows (no plan)."""
    flows = pd.DataFrame(columns=["intervention", "region", "patients", "minutes"])
    return indicator_table(flows, threshold=threshold or {}, level=level)


def thresholds(instance: Instance) -> dict[str, float]:
    """The minutes of ``share_beyond`` per intervention: its maximum time, else
    ``settings.concentration.report_minutes``."""
    report = instance.settings.concentration.report_minutes
    return {
        p: spec.max_minutes if math.isfinite(spec.max_minutes) else report
        for p, spec in instance.specs.items()
    }


def region_of(instance: Instance, demand_ids: pd.Series) -> Any:
    """Region of residence of each demand id (``all`` without a region table)."""
    if instance.demand_region is None:
        return pd.Series("all", index=demand_ids.index).values
    return demand_ids.map(instance.demand_region).fillna("unknown").values


def detail_table(
    instance: Instance, flows: pd.DataFrame, threshold: Mapping[str, float]
) -> pd.DataFrame:
    """The plan's indicators at the detail level (PC4): each detail point follows its demand
    point's shares, with its own travel time."""
    assert instance.detail is not None and instance.detail_pairs is not None
    det = instance.detail.copy()
    det["detail_id"] = det["detail_id"].astype(str)
    det["demand_id"] = det["demand_id"].astype(str)
    parts = []
    for p in instance.interventions:
        if p not in det.columns:
            continue
        fp = flows[flows["intervention"] == p][["demand_id", "site_id", "share"]]
        dp = det[["detail_id", "demand_id", p]].rename(columns={p: "d"})
        joined = dp.merge(fp, on="demand_id", how="inner")
        joined["patients"] = joined["d"] * joined["share"]
        joined["intervention"] = p
        parts.append(joined[["intervention", "detail_id", "demand_id", "site_id", "patients"]])
    if not parts:
        return empty_table("detail", threshold)
    df = pd.concat(parts, ignore_index=True)
    tp = instance.detail_pairs[["detail_id", "site_id", "minutes"]].copy()
    tp["detail_id"] = tp["detail_id"].astype(str)
    tp["site_id"] = tp["site_id"].astype(str)
    df = df.merge(tp, on=["detail_id", "site_id"], how="left")
    df["minutes"] = df["minutes"].astype(float).fillna(np.inf)
    return indicator_table(
        df.assign(region=region_of(instance, df["demand_id"])), threshold=threshold, level="pc4"
    )
