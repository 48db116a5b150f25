"""Why a concentration plan is infeasible, in plain words, and the smallest relaxation.

Two layers:

1. :func:`presolve_checks` — counting arguments that prove infeasibility before any solver runs,
   with the numbers ("ROAZ01: 14.2 patients a year live within 90 minutes of its eligible sites;
   1 site at the norm of 20 needs 20").
2. Elastic models (:func:`elastic_diagnosis`) — the model again with slack on one kind of
   requirement at a time (the norm, the region guarantees, the number of sites, serving every
   patient), minimising the slack: the optimum *is* the smallest relaxation of that kind that
   makes the plan feasible, all other requirements kept.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from zorglandschap.optimise.concentration.blocks import Block
from zorglandschap.optimise.concentration.formulation import Formulation, Spec, build_problem
from zorglandschap.optimise.solver import solve_problem
from zorglandschap.settings import Settings


def _fmt(value: float) -> str:
    return f"{value:,.1f}"


def _names(ids: Sequence[str], names: Mapping[str, str], limit: int = 5) -> str:
    shown = [names.get(i, i) for i in ids[:limit]]
    more = len(ids) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def presolve_checks(
    blocks: Sequence[Block],
    specs: Mapping[str, Spec],
    *,
    pairs: pd.DataFrame,
    demand: pd.DataFrame,
    site_region: Mapping[str, str],
    candidates: Mapping[str, Sequence[str]],
    share_groups: Sequence[tuple[str, ...]],
    demand_names: Mapping[str, str],
    site_names: Mapping[str, str],
    region_label: str = "region",
) -> list[str]:
    """Counting arguments that prove a plan infeasible; each names the numbers and a fix.

    Returns
    -------
    list of str
        Empty when none of the checks finds a problem (the plan may still be infeasible).
    """
    problems: list[str] = []
    for block in blocks:
        spec = specs[block.intervention]
        t_txt = (
            "any travel time"
            if not math.isfinite(spec.max_minutes)
            else f"{spec.max_minutes:g} minutes"
        )
        if block.unreachable:
            problems.append(_unreachable(block, pairs, demand, candidates, demand_names, t_txt))
        problems += _forced_open(block, spec, site_names, t_txt)
        need_sites = sum(int(k) for k in spec.per_region.values() if int(k) > 0)
        problems += _regions(block, spec, site_region, region_label, t_txt)
        problems += _site_counts(block, spec, need_sites)
    problems += _shared_forced(blocks, specs, share_groups, site_names)
    for p, spec in specs.items():
        eligible = len(candidates.get(p, ()))
        if spec.min_sites is not None and spec.min_sites > eligible:
            problems.append(
                f"{p}: at least {spec.min_sites} sites are asked, but only {eligible} sites "
                f"are candidates; ask for at most {eligible} sites, or widen the candidates."
            )
    return problems


def _unreachable(
    block: Block,
    pairs: pd.DataFrame,
    demand: pd.DataFrame,
    candidates: Mapping[str, Sequence[str]],
    demand_names: Mapping[str, str],
    t_txt: str,
) -> str:
    """Demand points without an eligible site within the maximum time, and the time needed."""
    p = block.intervention
    ids = list(block.unreachable)
    sub = pairs[pairs["demand_id"].isin(ids) & pairs["site_id"].isin(set(candidates[p]))]
    nearest = sub.groupby("demand_id")["minutes"].min()
    patients = float(demand.loc[ids, p].sum())
    msg = (
        f"{p}: {len(ids)} demand point(s) with {_fmt(patients)} patients a year have no "
        f"eligible site within {t_txt}: {_names(ids, demand_names)}."
    )
    if len(nearest) == len(ids):
        need = math.ceil(float(nearest.max()) - 1e-9)
        msg += (
            f" The farthest of them is {float(nearest.max()):.1f} minutes from its "
            f"nearest eligible site: raise the maximum travel time to {need} minutes, "
            "or make a nearer site eligible."
        )
    else:
        msg += " No eligible site is in the travel-time table for some of them."
    return msg


def _forced_open(block: Block, spec: Spec, site_names: Mapping[str, str], t_txt: str) -> list[str]:
    """Sites forced open that are no candidate, or cannot meet the norm."""
    p, V = block.intervention, spec.norm
    reach = block.reachable_demand()
    pos = {s: i for i, s in enumerate(block.sites)}
    problems = []
    for site in sorted(spec.force_open):
        if site not in pos:
            problems.append(
                f"{p}: site {site_names.get(site, site)} ({site}) is forced open but is not "
                "an eligible, open candidate; remove it from the forced sites or make it "
                "eligible."
            )
        elif V > 0 and reach[pos[site]] + 1e-9 < V:
            problems.append(
                f"{p}: site {site_names.get(site, site)} is forced open, but only "
                f"{_fmt(reach[pos[site]])} patients a year live within {t_txt} of it; the "
                f"norm needs {V:g}. Lower the norm to {math.floor(reach[pos[site]])} or do "
                "not force the site open."
            )
    return problems


def _regions(
    block: Block, spec: Spec, site_region: Mapping[str, str], region_label: str, t_txt: str
) -> list[str]:
    """Region guarantees with too few eligible sites, or too few patients for the norm."""
    p, V = block.intervention, spec.norm
    problems = []
    for reg in sorted(spec.per_region):
        k = int(spec.per_region[reg])
        if k <= 0:
            continue
        idx = [i for i, s in enumerate(block.sites) if site_region.get(s) == reg]
        if len(idx) < k:
            problems.append(
                f"{p}: {region_label} {reg} has {len(idx)} eligible site(s); the guarantee "
                f"asks for {k}. Lower the guarantee for {reg} to {len(idx)}."
            )
            continue
        if V <= 0:
            continue
        member = np.zeros(len(block.sites), dtype=bool)
        member[idx] = True
        in_reach = sum(
            float(block.demand[m]) for m in range(block.n_points) if member[block.reach(m)[0]].any()
        )
        if in_reach + 1e-9 < k * V:
            problems.append(
                f"{p}: {region_label} {reg} — {_fmt(in_reach)} patients a year live "
                f"within {t_txt} of its eligible sites; {k} site(s) at the norm of "
                f"{V:g} need {k * V:g}. Lower the norm to "
                f"{math.floor(in_reach / k)} or the guarantee for {reg} to "
                f"{math.floor(in_reach / V)}."
            )
    return problems


def _site_counts(block: Block, spec: Spec, need_sites: int) -> list[str]:
    """Too few patients for the sites required, too few sites allowed, too little capacity."""
    p, V = block.intervention, spec.norm
    total = float(block.demand.sum())
    problems = []
    lower = max(need_sites, spec.min_sites or 0, len(spec.force_open), 1 if total > 0 else 0)
    if V > 0 and lower > 0 and lower * V > total + 1e-9:
        problems.append(
            f"{p}: the requirements need at least {lower} site(s); at the norm of {V:g} "
            f"they need {lower * V:g} patients a year, but the demand that can be served is "
            f"{_fmt(total)}. Lower the norm to {math.floor(total / lower)} or ask for fewer "
            "sites."
        )
    if spec.max_sites is not None:
        if need_sites > spec.max_sites:
            problems.append(
                f"{p}: the region guarantees need {need_sites} sites but at most "
                f"{spec.max_sites} are allowed; allow {need_sites} sites."
            )
        if len(spec.force_open) > spec.max_sites:
            problems.append(
                f"{p}: {len(spec.force_open)} sites are forced open but at most "
                f"{spec.max_sites} are allowed; allow {len(spec.force_open)} sites."
            )
    if spec.capacity:
        reach = block.reachable_demand()
        cap = sum(
            min(float(spec.capacity.get(s, math.inf)), float(reach[i]))
            for i, s in enumerate(block.sites)
        )
        if cap + 1e-9 < total:
            problems.append(
                f"{p}: the capacity of all eligible sites together is {_fmt(cap)} patients "
                f"a year, less than the demand of {_fmt(total)}; raise capacities."
            )
    return problems


def _shared_forced(
    blocks: Sequence[Block],
    specs: Mapping[str, Spec],
    share_groups: Sequence[tuple[str, ...]],
    site_names: Mapping[str, str],
) -> list[str]:
    """A site forced open for one intervention of a shared group but no candidate for another."""
    problems = []
    for group in share_groups:
        present = [blk for blk in blocks if blk.intervention in group]
        for blk in present:
            others = [o for o in present if o is not blk]
            for site in sorted(specs[blk.intervention].force_open):
                for o in others:
                    if site not in o.sites:
                        problems.append(
                            f"{blk.intervention} and {o.intervention} must share sites, but "
                            f"{site_names.get(site, site)} is forced open for "
                            f"{blk.intervention} and is not a candidate for {o.intervention}."
                        )
    return problems


#: One elastic solve: mode -> (status, slack values) supplied by the model.
ElasticSolver = Callable[[str], tuple[str, dict[str, object]]]


def elastic_diagnosis(
    specs: Mapping[str, Spec],
    run: ElasticSolver,
    *,
    region_label: str = "region",
) -> list[str]:
    """Smallest relaxations, one kind at a time, in plain words.

    Parameters
    ----------
    specs
        Requirements per intervention.
    run
        ``run(mode)`` solves the elastic model of ``mode`` (``norm``, ``region``, ``sites`` or
        ``serve``) and returns its status and the slack values: ``sigma`` (per intervention),
        ``region`` (per (intervention, region)), ``max``/``min`` (per intervention),
        ``unserved`` (per intervention, patients a year).
    region_label
        Word for the regions in the messages.
    """
    lines: list[str] = []
    if any(s.norm > 0 for s in specs.values()):
        lines += _norm_lines(specs, *run("norm"))
    if any(any(k > 0 for k in s.per_region.values()) for s in specs.values()):
        lines += _region_lines(specs, *run("region"), region_label=region_label)
    if any(s.max_sites is not None or (s.min_sites or 0) > 0 for s in specs.values()):
        lines += _site_lines(specs, *run("sites"))
    if not lines:
        lines += _serve_lines(*run("serve"))
    return lines


def _proven(status: str) -> str:
    return "" if status == "optimal" else " (best found within the time limit, not proven)"


def _slacks(vals: Mapping[str, object], key: str) -> dict[Any, float]:
    found = vals.get(key, {})
    assert isinstance(found, dict)
    return found


def _norm_lines(specs: Mapping[str, Spec], status: str, vals: Mapping[str, object]) -> list[str]:
    """The largest norm that can be met, keeping every other requirement."""
    if status == "infeasible":
        return [
            "Lowering the norm alone does not make the plan feasible: the other requirements "
            "(travel time, region guarantees, number of sites) conflict by themselves."
        ]
    if status not in ("optimal", "feasible"):
        return []
    lines = []
    sigma = _slacks(vals, "sigma")
    for p in sorted(sigma):
        V = specs[p].norm
        s = float(sigma[p])
        if s > 1e-6:
            lines.append(
                f"{p}: keeping every other requirement, the largest norm that can be "
                f"met is {V - s:.1f} patients a year (asked: {V:g}); a norm of "
                f"{math.floor(V - s + 1e-9)} makes the plan feasible{_proven(status)}."
            )
    return lines


def _region_lines(
    specs: Mapping[str, Spec], status: str, vals: Mapping[str, object], *, region_label: str
) -> list[str]:
    """The fewest region guarantees to lower, keeping the norm."""
    if status == "infeasible":
        return [f"Relaxing the {region_label} guarantees alone does not make the plan feasible."]
    if status not in ("optimal", "feasible"):
        return []
    dropped = sorted((k, float(v)) for k, v in _slacks(vals, "region").items() if float(v) > 0.5)
    if not dropped:
        return []
    parts = [
        f"{r} ({specs[p].per_region[r]} → {specs[p].per_region[r] - round(v)})"
        for (p, r), v in dropped
    ]
    return [
        f"Alternatively, keeping the norm: lower the {region_label} guarantee for "
        f"{', '.join(parts)} — the fewest guarantees to relax{_proven(status)}."
    ]


def _site_lines(specs: Mapping[str, Spec], status: str, vals: Mapping[str, object]) -> list[str]:
    """The number of sites to allow or ask for instead."""
    if status not in ("optimal", "feasible"):
        return []
    lines = []
    mx, mn = _slacks(vals, "max"), _slacks(vals, "min")
    for p in sorted(mx):
        a = round(float(mx[p]))
        if a > 0:
            cap = specs[p].max_sites
            lines.append(
                f"{p}: alternatively, allow {cap + a if cap is not None else a} sites "
                f"instead of at most {cap}{_proven(status)}."
            )
    for p in sorted(mn):
        a = round(float(mn[p]))
        if a > 0:
            low = specs[p].min_sites or 0
            lines.append(
                f"{p}: alternatively, ask for at least {low - a} sites instead of "
                f"{low}{_proven(status)}."
            )
    return lines


def _serve_lines(status: str, vals: Mapping[str, object]) -> list[str]:
    """The patients that cannot be served within the requirements."""
    if status not in ("optimal", "feasible"):
        return []
    uns = _slacks(vals, "unserved")
    return [
        f"{p}: at best {float(uns[p]):.1f} patients a year cannot be served "
        f"within the requirements{_proven(status)}; allow longer travel or more "
        "eligible sites."
        for p in sorted(uns)
        if float(uns[p]) > 1e-6
    ]


#: Wall-time limit of each elastic diagnosis model, seconds. Assumption.
_DIAGNOSIS_SECONDS = 30.0
#: Least wall time an elastic model gets once the deadline has passed, seconds. Assumption.
_LAST_SECONDS = 0.05


def elastic_lines(
    form: Formulation,
    blocks: Sequence[Block],
    *,
    settings: Settings,
    solver: str | None,
    deadline: float,
    gap: float | None,
    region_label: str,
) -> list[str]:
    """The smallest relaxations of an infeasible question, one kind at a time, in words."""
    full = {b.intervention: np.diff(b.order_start) for b in blocks}
    free = replace(form, stop_weight=0.0, start_weight=0.0)

    def run(mode: str) -> tuple[str, dict[str, object]]:
        prob, h = build_problem(
            free, blocks, full, far=False, elastic=frozenset([mode]), name=f"elastic_{mode}"
        )
        limit = max(min(_DIAGNOSIS_SECONDS, deadline - time.perf_counter()), _LAST_SECONDS)
        out = solve_problem(prob, solver=solver, time_limit=limit, gap=gap, settings=settings)
        demand = {b.intervention: b.demand for b in blocks}
        return out.status, {
            "sigma": {p: v.varValue or 0.0 for p, v in h.sigma.items()},
            "region": {k: v.varValue or 0.0 for k, v in h.region_slack.items()},
            "max": {p: v.varValue or 0.0 for p, v in h.max_slack.items()},
            "min": {p: v.varValue or 0.0 for p, v in h.min_slack.items()},
            "unserved": {
                p: sum(float(demand[p][m]) * (u.varValue or 0.0) for m, u in us.items())
                for p, us in h.unserved.items()
            },
        }

    return elastic_diagnosis(form.specs, run, region_label=region_label)
