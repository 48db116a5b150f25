"""Benchmark: how long HiGHS needs to *prove* a concentration plan it is handed (the floor).

For each national instance (municipality demand, >= 1 site per ROAZ region, 90 minutes by car)
the default model (near-far links) is exported as MPS and solved twice in HiGHS directly:

1. as is (gap 0.1 %), to get the optimal plan;
2. from that plan (``setSolution``) with every HiGHS heuristic off, gap 0.1 % and 0.01 %: the
   time left is the proof alone (root LP, cuts, branching) — no start plan can do better.

Usage::

    .venv/bin/python bench/bench_proof_floor.py [--only pancreas] [--norm 20 --norm 40]

Results are summarised by hand in bench/RESULTS.md ("Start plan").
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import highspy
import numpy as np

from zorglandschap.landscape import load_landscape
from zorglandschap.optimise import landscape_model
from zorglandschap.optimise.concentration import pc4_site_minutes
from zorglandschap.optimise.concentration.formulation import Formulation, build_problem

SIX = ["pancreas", "oesophagus", "stomach", "liver", "bladder", "lung"]
HEURISTICS_OFF = {
    "mip_heuristic_effort": 0.0,
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_heuristic_run_feasibility_jump": False,
}


def export(model: Any, folder: Path) -> list[Path]:
    """The default near-far model of every intervention, as MPS files."""
    blocks = model.blocks()
    near_k = model.settings.concentration.near_sites
    paths = []
    for p in model.interventions:
        b = blocks[p]
        near = {p: np.array([b.near_count(m, near_k) for m in range(b.n_points)])}
        form = Formulation(specs=model.specs, site_region=model.site_region)
        prob, _ = build_problem(form, [b], near)
        path = folder / f"{p[:24]}.mps"
        prob.writeMPS(str(path))
        paths.append(path)
    return paths


def highs(path: Path, gap: float, **options: Any) -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(str(path))
    h.setOptionValue("mip_rel_gap", gap)
    h.setOptionValue("mip_allow_restart", False)
    for key, value in options.items():
        h.setOptionValue(key, value)
    return h


def floor(path: Path) -> dict[str, Any]:
    first = highs(path, 1e-3)
    t0 = time.perf_counter()
    first.run()
    row: dict[str, Any] = {"model": path.stem, "solve_s": round(time.perf_counter() - t0, 2)}
    plan = list(first.getSolution().col_value)
    for gap in (1e-3, 1e-4):
        h = highs(path, gap, **HEURISTICS_OFF)
        start = highspy.HighsSolution()
        start.col_value = plan
        start.value_valid = True
        h.setSolution(start)
        t0 = time.perf_counter()
        h.run()
        row[f"proof_s_gap_{gap:g}"] = round(time.perf_counter() - t0, 2)
        row[f"nodes_gap_{gap:g}"] = int(h.getInfo().mip_node_count)
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="Intervention(s); default: the six.")
    parser.add_argument("--norm", type=float, action="append", help="Norm(s) (pancreas only).")
    args = parser.parse_args()
    land = load_landscape()
    minutes = pc4_site_minutes(land, profile="car")
    names = args.only or SIX
    runs: list[tuple[list[str], float | None]] = (
        [(names, n) for n in args.norm] if args.norm else [(names, None)]
    )
    with tempfile.TemporaryDirectory() as tmp:
        for ivs, norm in runs:
            model = landscape_model(
                land, ivs, norms=norm, per_region=1, travel_minutes=minutes, objective="travel"
            )
            for path in export(model, Path(tmp)):
                floor(path)


if __name__ == "__main__":
    main()
