"""Benchmark: complex-care concentration on the national instance (build + solve times).

Runs, on the embedded Netherlands with the default car travel times:

* pancreatoduodenectomy (norm 20 and 40, >= 1 site per ROAZ region, 90 minutes), municipality
  demand, HiGHS and CBC; the naive formulation (a strong x <= y link for every pair) for
  comparison; the far-pool re-solve (``bench/far_pool.py``, no longer in the package);
* the same at PC4 demand (HiGHS);
* six interventions jointly (pancreas, oesophagus, stomach, liver, bladder, lung at their norms),
  independent and with shared sites (pancreas + liver as HPB centres, oesophagus + stomach as
  upper-GI centres);
* the same pancreas instance as a plain p-median in PySAL spopt (bench-only dependency), with p
  equal to the number of sites our model chose (no norm, no time limit, no region guarantee).

Usage::

    .venv/bin/python bench/bench_concentration.py [--quick] [--repeat N] [--out bench/concentration.json]

Every run starts with the municipality HiGHS runs under the default settings and under the
baseline ``concentration.start_plan=False`` (no start plan: HiGHS' own heuristics find the
incumbent), alternating, so the ratio is measured in one run on the same (noisy) machine; then
the same with the gap tolerance of the issue's acceptance (0.1 %). ``--six`` adds the six
interventions jointly (HiGHS) to ``--quick``. ``--cuts`` runs only the comparison of the cluster
norm cuts: the default against ``concentration.norm_cuts=False``, alternating, for pancreas
norm 20 and 40 and the six jointly (HiGHS, default gap). ``--workers`` runs only the six jointly
(independent and with shared sites) with the default worker processes against
``concentration.workers=1`` (one group after the other), alternating, at both gap tolerances.
``--pc4`` runs only pancreas norm 20 and 40 at PC4 demand within 60 s, with the default
interior-point root LP against ``concentration.fine_root_lp="simplex"``, alternating.
``--round-table`` runs the round table's default question (``objective="disruption"``: today's
providers, disruption first, then travel) for pancreas, oesophagus and lung at their norms,
against the earlier default (``objective="travel"``, every site a candidate), alternating; then
the choice of ``team_weight_share`` (pancreas norms 20-50, one per ROAZ region), the weighted
alternative (``disruption_weight``) against the lexicographic order, and time limits of 1-10 s.

Every travel-only case here asks ``objective="travel"`` (the question these benchmarks
measured before the round table's default).

Results are summarised by hand in bench/RESULTS.md ("Complex-care concentration").
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path
from typing import Any

import numpy as np

from zorglandschap.landscape import load_landscape
from zorglandschap.optimise import landscape_model
from zorglandschap.optimise.concentration import pc4_site_minutes
from zorglandschap.settings import DEFAULT_SETTINGS

SIX = ["pancreas", "oesophagus", "stomach", "liver", "bladder", "lung"]


def run(
    label: str, make: Any, *, solver: str, time_limit: float = 300.0, gap: float | None = None
) -> dict[str, Any]:
    t0 = time.perf_counter()
    model = make()
    prep = time.perf_counter() - t0
    result = model.solve(solver=solver, time_limit=time_limit, gap=gap)
    d = result.to_dict()
    row = {
        "case": label,
        "solver": solver,
        "status": result.status,
        "gap": result.gap,
        "prepare_s": round(prep, 2),
        "build_s": round(result.build_seconds, 2),
        "total_s": round(result.seconds, 2),
        "x_vars": result.variables,
        "sites": len(d["sites"]),
        "travel": None if result.travel is None else round(result.travel, 1),
        "mean_min": d["mean_minutes"],
        "p90_min": d["p90_minutes"],
        "gap_tolerance": gap,
        "objective_kind": result.objective_kind,
        "solve_log": list(result.solve_log),
    }
    if result.has_plan and len(result.movement):
        m = result.movement
        row.update(
            stops=int(m["stops"].sum()), starts=int(m["starts"].sum()),
            moved=round(float(m["patients_moved"].sum()), 1),
            past_nearer=round(float(m["patients_past_nearer"].sum()), 1),
            stopping=sorted(result.sites.loc[result.sites["change"] == "stops", "site_id"]),
        )  # fmt: skip
    print(json.dumps(row), flush=True)
    return row


def far_pool_row(model: Any) -> dict[str, Any]:
    """The far-pool re-solve (bench/far_pool.py) on ``model``, K = 8, doubling."""
    import far_pool

    outcome, rounds, seconds = far_pool.solve(model, near_sites=8)
    row = {
        "case": "pancreas norm 20, municipality, far-pool re-solve (bench/far_pool.py)",
        "solver": outcome.solver,
        "status": outcome.status,
        "gap": outcome.gap,
        "total_s": round(seconds, 2),
        "rounds": rounds,
        "travel": None if outcome.objective is None else round(outcome.objective, 1),
    }
    print(json.dumps(row), flush=True)
    return row


def spopt_pmedian(land: Any, minutes: Any, p: int, solver: str) -> dict[str, Any]:
    import pulp
    from spopt.locate import PMedian

    from zorglandschap.demand import aggregate_demand, intervention_demand
    from zorglandschap.optimise.concentration import municipality_pairs

    pid = "pancreatoduodenectomy-whipple-pppd"
    d = intervention_demand(land, [pid])
    mun = aggregate_demand(d, land.pc4["gemeentecode"].astype(str))[pid]
    pairs = municipality_pairs(minutes, d[pid], land.pc4["gemeentecode"].astype(str))
    wide = pairs.pivot(index="demand_id", columns="site_id", values="minutes").reindex(mun.index)
    cost = wide.to_numpy(float)
    cost = np.where(np.isfinite(cost), cost, 1e4)
    t0 = time.perf_counter()
    model = PMedian.from_cost_matrix(cost, mun.to_numpy(float), p_facilities=p, name="pmedian")
    build = time.perf_counter() - t0
    cmd = pulp.HiGHS(msg=False) if solver == "highs" else pulp.PULP_CBC_CMD(msg=False)
    model = model.solve(cmd)
    total = time.perf_counter() - t0
    row = {
        "case": f"spopt PMedian p={p} (municipality, no norm/limit/regions)",
        "solver": solver,
        "status": pulp.LpStatus[model.problem.status],
        "build_s": round(build, 2),
        "total_s": round(total, 2),
        "x_vars": int(cost.size),
        "sites": int(sum(1 for v in model.fac_vars if (v.varValue or 0) > 0.5)),
        "travel": round(float(pulp.value(model.problem.objective)), 1),
    }
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Only the municipality HiGHS runs.")
    parser.add_argument("--six", action="store_true", help="With --quick: six jointly too.")
    parser.add_argument("--cuts", action="store_true", help="Only norm cuts on vs off.")
    parser.add_argument(
        "--workers", action="store_true",
        help="Only the six jointly: worker processes (default) vs one after the other.",
    )  # fmt: skip
    parser.add_argument(
        "--pc4", action="store_true",
        help="Only PC4 demand within 60 s: interior-point root LP (default) vs dual simplex.",
    )  # fmt: skip
    parser.add_argument(
        "--far-pool", action="store_true", help="Only the far-pool re-solve (pancreas 20)."
    )
    parser.add_argument(
        "--round-table", action="store_true",
        help="Only the round table's default question against the travel objective.",
    )  # fmt: skip
    parser.add_argument("--out", default="bench/concentration.json")
    parser.add_argument(
        "--repeat", type=int, default=1,
        help="Repeat the municipality HiGHS runs (default settings and the no-start baseline).",
    )  # fmt: skip
    args = parser.parse_args()
    land = load_landscape()
    t0 = time.perf_counter()
    minutes = pc4_site_minutes(land, profile="car")
    print(f"travel matrix: {time.perf_counter() - t0:.1f} s", flush=True)
    rows: list[dict[str, Any]] = []
    naive = DEFAULT_SETTINGS.replace(concentration={"near_sites": 10_000})

    def pancreas(norm: int, demand: str = "municipality", settings: Any = DEFAULT_SETTINGS) -> Any:
        return lambda: landscape_model(
            land, "pancreas", norms=norm, per_region=1, demand=demand,
            travel_minutes=minutes, settings=settings, objective="travel",
        )  # fmt: skip

    def six(shared: bool, settings: Any = DEFAULT_SETTINGS) -> Any:
        share = [("pancreas", "liver"), ("oesophagus", "stomach")] if shared else ()
        from zorglandschap.demand import resolve_intervention

        groups = [tuple(resolve_intervention(land.norms, n) for n in g) for g in share]
        return lambda: landscape_model(
            land, SIX, per_region=1, travel_minutes=minutes, share_sites=groups,
            settings=settings, objective="travel",
        )  # fmt: skip

    if args.round_table:
        rows += round_table(land, minutes, repeat=args.repeat)
        write(args.out, rows)
        return

    if args.far_pool:
        rows.append(far_pool_row(pancreas(20)()))
        write(args.out, rows)
        return

    if args.workers:
        # baseline of the worker processes: the groups one after the other, same run
        serial = DEFAULT_SETTINGS.replace(concentration={"workers": 1})
        for _ in range(args.repeat):
            for gap in (None, 1e-3):
                for shared in (False, True):
                    kind = "shared HPB + upper-GI sites" if shared else "independent"
                    rows.append(run(f"six jointly, {kind}, one after the other",
                                    six(shared, serial), solver="highs", gap=gap))  # fmt: skip
                    rows.append(run(f"six jointly, {kind}, workers (default)", six(shared),
                                    solver="highs", gap=gap))  # fmt: skip
        write(args.out, rows)
        return

    if args.pc4:
        # baseline of the interior-point root LP at PC4 demand: dual simplex, alternating
        simplex = DEFAULT_SETTINGS.replace(concentration={"fine_root_lp": "simplex"})
        for _ in range(args.repeat):
            for norm in (20, 40):
                rows.append(run(f"pancreas norm {norm}, PC4, root LP by dual simplex",
                                pancreas(norm, "pc4", simplex), solver="highs", time_limit=60))  # fmt: skip
                rows.append(run(f"pancreas norm {norm}, PC4, root LP by interior point",
                                pancreas(norm, "pc4"), solver="highs", time_limit=60))  # fmt: skip
        write(args.out, rows)
        return

    if args.cuts:
        # baseline of the norm cuts: the same model without them, alternating, same run
        no_cuts = DEFAULT_SETTINGS.replace(concentration={"norm_cuts": False})
        for _ in range(args.repeat):
            for norm in (20, 40):
                rows.append(run(f"pancreas norm {norm}, no norm cuts",
                                pancreas(norm, settings=no_cuts), solver="highs"))  # fmt: skip
                rows.append(run(f"pancreas norm {norm}", pancreas(norm), solver="highs"))
            rows.append(run("six jointly, no norm cuts", lambda: landscape_model(
                land, SIX, per_region=1, travel_minutes=minutes, settings=no_cuts,
                objective="travel"), solver="highs"))  # fmt: skip
            rows.append(run("six jointly", six(False), solver="highs"))
        write(args.out, rows)
        return
    # baseline of the start plan: HiGHS finds its own incumbent, same run
    no_start = DEFAULT_SETTINGS.replace(concentration={"start_plan": False})
    for _ in range(args.repeat):
        for gap in (None, 1e-3):
            for norm in (20, 40):
                rows.append(run(f"pancreas norm {norm}, municipality, baseline (no start plan)",
                                pancreas(norm, settings=no_start), solver="highs", gap=gap))  # fmt: skip
                rows.append(run(f"pancreas norm {norm}, municipality", pancreas(norm),
                                solver="highs", gap=gap))  # fmt: skip
    solvers = ["highs"] if args.quick else ["highs", "cbc"]
    for solver in solvers[1:]:
        for norm in (20, 40):
            rows.append(run(f"pancreas norm {norm}, municipality", pancreas(norm), solver=solver))

    if args.quick and args.six:
        rows.append(run("six jointly, independent", six(False), solver="highs"))
    if not args.quick:
        rows.append(run("pancreas norm 20, municipality, naive (strong links for all pairs)",
                        pancreas(20, settings=naive), solver="highs"))  # fmt: skip
        rows.append(far_pool_row(pancreas(20)()))
        for norm in (20, 40):
            rows.append(run(f"pancreas norm {norm}, PC4", pancreas(norm, "pc4"), solver="highs",
                            time_limit=600))  # fmt: skip

        for solver in solvers:
            rows.append(run("six jointly, independent", six(False), solver=solver))
            rows.append(run("six jointly, shared HPB + upper-GI sites", six(True), solver=solver,
                            time_limit=600))  # fmt: skip
        p = rows[0]["sites"]
        for solver in solvers:
            rows.append(spopt_pmedian(land, minutes, p, solver))
    write(args.out, rows)


def round_table(land: Any, minutes: Any, *, repeat: int) -> list[dict[str, Any]]:
    """The round table's question against the travel objective, the team weight, the weighted
    alternative and time limits (see the module docstring)."""
    rows: list[dict[str, Any]] = []

    def model(p: str, objective: str, **kw: Any) -> Any:
        return lambda: landscape_model(land, p, objective=objective, travel_minutes=minutes, **kw)

    for _ in range(repeat):
        for p, kw in (("pancreas", {}), ("pancreas", {"per_region": 1}), ("oesophagus", {}),
                      ("lung", {})):  # fmt: skip
            label = f"{p} at its norm{', one per ROAZ' if kw else ''}"
            rows.append(run(f"{label}, travel (earlier default)", model(p, "travel", **kw),
                            solver="highs"))  # fmt: skip
            rows.append(run(f"{label}, round table (default)", model(p, "disruption", **kw),
                            solver="highs"))  # fmt: skip
    for norm in (20, 30, 40, 50):
        for share in (0.0, 0.25, 0.5, 1.0):
            settings = DEFAULT_SETTINGS.replace(concentration={"team_weight_share": share})
            rows.append(run(f"pancreas norm {norm}, one per ROAZ, team_weight_share {share}",
                            model("pancreas", "disruption", norms=norm, per_region=1,
                                  settings=settings), solver="highs"))  # fmt: skip
        for weight in (500.0, 2000.0, 10000.0):
            rows.append(run(f"pancreas norm {norm}, one per ROAZ, disruption_weight {weight:g}",
                            model("pancreas", "disruption", norms=norm, per_region=1,
                                  disruption_weight=weight), solver="highs"))  # fmt: skip
    for limit in (1.0, 2.0, 5.0, 10.0):
        for objective in ("travel", "disruption"):
            rows.append(run(f"pancreas norm 20, one per ROAZ, {objective}, time limit {limit:g}",
                            model("pancreas", objective, norms=20, per_region=1),
                            solver="highs", time_limit=limit))  # fmt: skip
    for limit in (1.0, 10.0):
        for objective in ("travel", "disruption"):
            rows.append(run(f"pancreas norm 20, one per ROAZ, PC4, {objective}, time limit "
                            f"{limit:g}", model("pancreas", objective, norms=20, per_region=1,
                                                demand="pc4"),
                            solver="highs", time_limit=limit))  # fmt: skip
    return rows


def write(path: str, rows: list[dict[str, Any]]) -> None:
    meta = {"python": platform.python_version(), "machine": platform.machine(),
            "processor": platform.processor()}  # fmt: skip
    with Path(path).open("w", encoding="utf-8") as fh:
        json.dump({"meta": meta, "rows": rows}, fh, indent=2, sort_keys=True)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
