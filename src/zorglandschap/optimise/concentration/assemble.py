"""Read a solved plan back into a :class:`ConcentrationResult`: flows, sites, indicators.

The solution method (:mod:`.method`) hands over the offers ``y`` per (intervention, site) and
the shares ``x`` per (intervention, merged point, site position); this module turns them into
patient flows per original demand point, the site table against the baseline, and the travel
indicators at the solved and the detail demand level.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from zorglandschap.optimise.concentration.blocks import Block
from zorglandschap.optimise.concentration.changes import (
    baseline_table,
    movement_table,
    plan_warnings,
)
from zorglandschap.optimise.concentration.indicators import (
    detail_table,
    empty_table,
    indicator_table,
    region_of,
    thresholds,
)
from zorglandschap.optimise.concentration.inputs import Instance
from zorglandschap.optimise.concentration.result import ConcentrationResult
from zorglandschap.optimise.solver import Status

FLOW_COLUMNS = ["intervention", "demand_id", "site_id", "patients", "share", "minutes"]
SITE_COLUMNS = [
    "intervention", "site_id", "name", "region", "offers", "baseline", "change", "volume",
    "norm", "capacity", "baseline_volume", "baseline_volume_source",
]  # fmt: skip


@dataclass(frozen=True)
class Solved:
    """A plan as the solution method found it, with how it was found.

    Attributes
    ----------
    status, objective, bound, gap
        The honest outcome (see :mod:`zorglandschap.optimise.solver`).
    y
        Opening per (intervention, site id).
    x
        Share per (intervention, merged point, site position), above a small tolerance.
    solver, rounds, variables, build_seconds, solve_log
        How: solver name, solve rounds, assignment variables, Python build time, log lines.
    disruption
        The round-table objective's first solve: ``(disruption, bound, gap)``; None for the
        travel objective.
    """

    status: Status
    objective: float
    bound: float | None
    gap: float | None
    y: Mapping[tuple[str, str], float]
    x: Mapping[tuple[str, int, int], float]
    solver: str
    rounds: int
    variables: int
    build_seconds: float
    solve_log: tuple[str, ...]
    disruption: tuple[float, float | None, float | None] | None = None


def site_table(
    instance: Instance,
    offers: Mapping[tuple[str, str], bool],
    volume: Mapping[tuple[str, str], float],
) -> pd.DataFrame:
    """One row per (intervention, site) offering in the plan or in the baseline."""
    known: dict[tuple[str, str], tuple[float, str]] = {}
    if instance.baseline_volume is not None and len(instance.baseline_volume):
        for r in instance.baseline_volume.itertuples(index=False):
            known[(str(r.intervention), str(r.site_id))] = (float(r.volume), str(r.source))
    rows = []
    for p in instance.interventions:
        spec = instance.specs[p]
        sites = sorted({s for (q, s), o in offers.items() if q == p and o} | set(spec.baseline))
        for s in sites:
            o = bool(offers.get((p, s), False))
            b = s in spec.baseline
            vol, src = known.get((p, s), (float("nan"), ""))
            rows.append(
                {
                    "intervention": p,
                    "site_id": s,
                    "name": str(instance.sites.at[s, "name"]),
                    "region": instance.site_region.get(s, ""),
                    "offers": o,
                    "baseline": b,
                    "change": _change(o, b, spec.partial),
                    "volume": float(volume.get((p, s), 0.0)) if o else 0.0,
                    "norm": spec.norm,
                    "capacity": float(spec.capacity.get(s, float("nan"))),
                    "baseline_volume": vol,
                    "baseline_volume_source": src,
                }
            )
    return pd.DataFrame(rows, columns=SITE_COLUMNS)


def objective_kind(instance: Instance) -> str:
    """``disruption`` (lexicographic), ``weighted`` (travel + weighted team changes) or
    ``travel``."""
    if instance.objective == "disruption":
        return "disruption"
    return "weighted" if instance.stop_weight > 0 or instance.start_weight > 0 else "travel"


def _change(offers: bool, baseline: bool, partial: bool) -> str:
    """``keeps``, ``starts``, ``stops`` or ``""``; a new site of a partial baseline is
    ``unknown`` (it may be one of today's unnamed teams)."""
    if offers:
        return "keeps" if baseline else "unknown" if partial else "starts"
    return "stops" if baseline else ""


def empty_result(
    instance: Instance,
    status: Status,
    diagnosis: Sequence[str],
    *,
    started: float,
    build_seconds: float,
    solver: str | None,
    solve_log: Sequence[str] = (),
) -> ConcentrationResult:
    """A result without a plan (infeasible, or none found in time); ``started`` is the
    :func:`time.perf_counter` at the start of the solve."""
    sites = site_table(instance, {}, {})
    if status == "infeasible":
        diagnosis = [*diagnosis, *instance.infeasible_hints]
    flows = pd.DataFrame(columns=FLOW_COLUMNS)
    return ConcentrationResult(
        status=status,
        gap=None,
        objective=None,
        bound=None,
        seconds=time.perf_counter() - started,
        build_seconds=build_seconds,
        solver=solver or "none",
        interventions=instance.interventions,
        sites=sites,
        flows=flows,
        indicators=empty_table(instance.demand_level),
        detail_indicators=None,
        diagnosis=tuple(diagnosis),
        rounds=0,
        variables=0,
        demand_level=instance.demand_level,
        travel=None,
        solve_log=tuple(solve_log),
        settings=instance.settings,
        state_name=instance.state_name,
        travel_source=instance.travel_source,
        objective_kind=objective_kind(instance),
        baseline=baseline_table(instance),
        warnings=instance.warnings,
    )


def flow_table(
    x: Mapping[tuple[str, int, int], float], blocks: Mapping[str, Block]
) -> pd.DataFrame:
    """Patient flows per original demand point from the shares of the merged points."""
    rows = []
    for (p, m, j), share in sorted(x.items()):
        blk = blocks[p]
        sites_m, mins_m = blk.reach(m)
        minutes = float(mins_m[np.flatnonzero(sites_m == j)[0]])
        for dem_id, d in zip(blk.groups[m], blk.member_demand[m], strict=True):
            rows.append((p, dem_id, blk.sites[j], d * share, share, minutes))
    flows = pd.DataFrame(rows, columns=FLOW_COLUMNS)
    return flows.sort_values(["intervention", "demand_id", "site_id"]).reset_index(drop=True)


def plan_result(
    instance: Instance,
    blocks: Mapping[str, Block],
    solved: Solved,
    *,
    started: float,
    notes: Sequence[str],
) -> ConcentrationResult:
    """The result of a plan: flows, site table, indicators, and the notes on changes."""
    flows = flow_table(solved.x, blocks)
    offers = {k: v > 0.5 for k, v in solved.y.items()}
    vol = flows.groupby(["intervention", "site_id"])["patients"].sum()
    volume = {(str(a), str(b)): float(v) for (a, b), v in vol.items()}
    sites = site_table(instance, offers, volume)
    travel = float((flows["patients"] * flows["minutes"]).sum())
    threshold = thresholds(instance)
    ind = indicator_table(
        flows.assign(region=region_of(instance, flows["demand_id"])),
        threshold=threshold,
        level=instance.demand_level,
    )
    detail = None
    if instance.detail is not None and instance.detail_pairs is not None and len(flows):
        detail = detail_table(instance, flows, threshold)
    stops = int((sites["change"] == "stops").sum())
    starts = int((sites["change"] == "starts").sum())
    diagnosis = list(notes)
    if stops or starts:
        diagnosis.append(f"{stops} team(s) stop and {starts} start relative to the baseline.")
    baseline = baseline_table(instance)
    movement = movement_table(instance, flows, sites)
    warnings = list(instance.warnings) + plan_warnings(instance, sites, movement, baseline)
    return ConcentrationResult(
        status=solved.status,
        gap=solved.gap,
        objective=solved.objective,
        bound=solved.bound,
        seconds=time.perf_counter() - started,
        build_seconds=solved.build_seconds,
        solver=solved.solver,
        interventions=instance.interventions,
        sites=sites,
        flows=flows,
        indicators=ind,
        detail_indicators=detail,
        diagnosis=tuple(diagnosis),
        rounds=solved.rounds,
        variables=solved.variables,
        demand_level=instance.demand_level,
        travel=travel,
        solve_log=solved.solve_log,
        settings=instance.settings,
        state_name=instance.state_name,
        travel_source=instance.travel_source,
        objective_kind=objective_kind(instance),
        baseline=baseline,
        movement=movement,
        warnings=tuple(warnings),
        disruption=solved.disruption,
    )
