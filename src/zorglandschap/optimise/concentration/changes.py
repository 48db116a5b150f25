"""A plan against today: who keeps, stops and starts, who changes hospital, and what to watch.

A round table reads a plan as changes to today's care: which of today's teams continue, which
stop and which start, how many patients a year change hospital (today's hospital of a demand
point is its nearest baseline provider, as in the baseline volume estimate), and how many are
sent past a nearer centre that offers the intervention in the plan (possible unless patients go
to their nearest centre, ``closest_assignment``). :func:`baseline_table` lists today's
providers with the year and confidence of their records, :func:`movement_table` counts the
changes per intervention and :func:`plan_warnings` says what a planner should check: a plan
with more centres than today, a team that stops although it meets the norm today.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from zorglandschap.optimise.concentration.inputs import Instance

#: Columns of :func:`baseline_table`.
BASELINE_COLUMNS = [
    "intervention", "site_id", "name", "region", "volume", "volume_kind", "volume_year",
    "volume_source", "record_year", "confidence",
]  # fmt: skip
#: Columns of :func:`movement_table`.
MOVEMENT_COLUMNS = [
    "intervention", "patients", "patients_moved", "patients_past_nearer", "sites_today",
    "sites_plan", "keeps", "stops", "starts",
]  # fmt: skip
#: Minutes by which a centre must be nearer to count as "nearer" (the minutes of a
#: municipality are means of its PC4s': equal means are ties, not nearer centres).
_NEARER = 1e-6


def _optional(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column of ``frame``, or missing values where the caller did not give it."""
    if column in frame.columns:
        return frame[column]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def baseline_table(instance: Instance) -> pd.DataFrame:
    """Today's providers per intervention: volume (known, else estimated), the volume's year
    and source, the provider record's year and confidence."""
    known = instance.baseline_volume
    if known is None or not len(known):
        known = pd.DataFrame(columns=["intervention", "site_id", "volume", "source"])
    info = {
        (str(r.intervention), str(r.site_id)): r
        for r in known.assign(
            volume_year=_optional(known, "volume_year"),
            record_year=_optional(known, "record_year"),
            confidence=_optional(known, "confidence"),
        ).itertuples(index=False)
    }
    rows = []
    for p in instance.interventions:
        for s in sorted(instance.specs[p].baseline):
            r = info.get((p, s))
            source = "" if r is None else str(r.source)
            rows.append(
                {
                    "intervention": p,
                    "site_id": s,
                    "name": str(instance.sites.at[s, "name"]),
                    "region": instance.site_region.get(s, ""),
                    "volume": float("nan") if r is None else float(r.volume),
                    "volume_kind": "" if r is None else _kind(source),
                    "volume_year": None if r is None else _year(r.volume_year),
                    "volume_source": source,
                    "record_year": None if r is None else _year(r.record_year),
                    "confidence": "" if r is None or r.confidence is None else str(r.confidence),
                }
            )
    return pd.DataFrame(rows, columns=BASELINE_COLUMNS)


def _kind(source: str) -> str:
    return "estimate" if source.startswith("estimate") else "known" if source else ""


def _year(value: object) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        return int(float(str(value)))
    except ValueError:
        return None


def moved_patients(flows: pd.DataFrame, today: Mapping[str, str]) -> float:
    """Patients a year of ``flows`` (one intervention) who are not at today's hospital (only
    demand ids that have one count)."""
    if not today or flows.empty:
        return 0.0
    home = flows["demand_id"].map(today)
    away = home.notna() & (home != flows["site_id"])
    return float(flows.loc[away, "patients"].sum())


def past_nearer(flows: pd.DataFrame, pairs: pd.DataFrame, offering: Sequence[str]) -> float:
    """Patients a year of ``flows`` (one intervention) sent to a centre farther than another
    one that offers the intervention in the plan."""
    if flows.empty or not offering:
        return 0.0
    near = pairs[pairs["site_id"].isin(set(offering))].groupby("demand_id")["minutes"].min()
    nearest = flows["demand_id"].map(near).to_numpy(float)
    farther = flows["minutes"].to_numpy(float) > np.nan_to_num(nearest, nan=np.inf) + _NEARER
    return float(flows.loc[farther, "patients"].sum())


def movement_table(instance: Instance, flows: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Per intervention: patients, patients who change hospital, patients sent past a nearer
    offering centre, centres today and in the plan, teams that keep, stop and start."""
    rows = []
    for p in instance.interventions:
        fp = flows[flows["intervention"] == p]
        sp = sites[sites["intervention"] == p]
        offering = sorted(sp.loc[sp["offers"].astype(bool), "site_id"])
        rows.append(
            {
                "intervention": p,
                "patients": float(fp["patients"].sum()),
                "patients_moved": moved_patients(fp, instance.specs[p].today),
                "patients_past_nearer": past_nearer(fp, instance.pairs, offering),
                "sites_today": instance.teams_today.get(p, len(instance.specs[p].baseline)),
                "sites_plan": len(offering),
                "keeps": int((sp["change"] == "keeps").sum()),
                "stops": int((sp["change"] == "stops").sum()),
                "starts": int((sp["change"] == "starts").sum()),
            }
        )
    return pd.DataFrame(rows, columns=MOVEMENT_COLUMNS)


def plan_warnings(
    instance: Instance, sites: pd.DataFrame, movement: pd.DataFrame, baseline: pd.DataFrame
) -> list[str]:
    """What a planner should check in a plan: more centres than today, and teams that stop
    although their volume today meets the norm."""
    lines = []
    for r in movement.itertuples(index=False):
        if r.sites_today and r.sites_plan > r.sites_today:
            lines.append(
                f"{r.intervention}: the plan has {r.sites_plan} centres, more than the "
                f"{r.sites_today} of today."
            )
    volume = {(str(b.intervention), str(b.site_id)): b for b in baseline.itertuples(index=False)}
    stops = sites[sites["change"] == "stops"].sort_values(["intervention", "site_id"])
    for r in stops.itertuples(index=False):
        b = volume.get((str(r.intervention), str(r.site_id)))
        if b is None or not math.isfinite(b.volume) or b.volume < r.norm:
            continue
        when = f"{b.volume_year}" if b.volume_kind == "known" and b.volume_year else ""
        how = f"known, {when}" if when else b.volume_kind or "today"
        lines.append(
            f"{r.intervention}: {r.name} stops although it treats {b.volume:.0f} patients a "
            f"year today ({how}), at or above the norm of {r.norm:g}."
        )
    return lines
