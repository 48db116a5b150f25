"""Benchmark: the acute-care spreading model, nationally and per ROAZ region.

Run: ``.venv/bin/python bench/bench_spreading.py``. Targets (issue 13): the national night
model ("keep today's night coverage with the fewest 24/7 SEHs, capacity respected") built and
solved to proven optimality in under 10 s; one ROAZ region in under 2 s. Travel matrices come
from the disk cache (as in every run after the first).

Baselines in the same run: one national ``reach`` (the access analysis the model's figures
are checked against), and the same model without merging demand points with identical reach
sets (one coverage row per PC4): the sparsity the formulation relies on.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from zorglandschap.access import reach
from zorglandschap.landscape import load_landscape
from zorglandschap.landscape.state import baseline_state
from zorglandschap.optimise.spreading import SpreadingModel, SpreadingQuestion, spreading_instance
from zorglandschap.optimise.spreading.prepare import CoverGroup, Prepared
from zorglandschap.vocab import TIME_BLOCKS


def timed(label: str, func: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Best wall time of ``repeat`` runs, printed."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<62} {best:8.3f} s (best of {repeat})")
    return best, result


def unmerged(prepared: Prepared) -> Prepared:
    """The same question with one coverage group per demand point (no merging)."""
    instance = prepared.instance
    groups = {}
    population = instance.points["population"].to_numpy(float)
    today = instance.baseline_open()
    for block in prepared.free:
        h = TIME_BLOCKS.index(block)
        within = instance.minutes[block] <= instance.norm_minutes
        sure = within[:, prepared.always[:, h]].any(axis=1)
        decided = np.flatnonzero(prepared.openable[:, h] & ~prepared.always[:, h])
        rows = []
        for i in np.flatnonzero(~sure & within[:, decided].any(axis=1)):
            sites = tuple(int(j) for j in decided[within[i, decided]])
            rows.append(
                CoverGroup(sites, float(population[i]), 0.0, bool(today[list(sites), h].any()))
            )
        groups[block] = rows
    return dataclasses.replace(prepared, groups=groups)


def describe(result: Any) -> str:
    stages = ", ".join(f"{s.objective} {s.value:,.1f}" for s in result.stages)
    night = result.summary()["open_seh"]["night"]
    return f"{result.status}, gap {result.gap}, night SEHs {night['today']} -> {night['plan']}; {stages}"


def main() -> None:
    nl = load_landscape()
    state = baseline_state(nl, 2025)
    question = SpreadingQuestion()
    unit, _ = timed(
        "baseline: one national reach, night (cached matrices)",
        lambda: reach(nl, state, block="night"),
    )
    build_instance, instance = timed(
        "instance: composite x 4 blocks, visits, receivers (cached)",
        lambda: spreading_instance(nl, state, question),
    )
    prepared = SpreadingModel(instance, question).prepared
    groups = sum(len(g) for g in prepared.groups.values())
    print(
        f"  {len(instance.sites)} SEHs, {len(instance.points)} PC4; night coverage groups: {groups}"
    )
    national = {}
    for solver in ("highs", "cbc"):
        national[solver], result = timed(
            f"national night, keep coverage, capacity: build + solve ({solver})",
            lambda solver=solver: SpreadingModel(instance, question).solve(solver=solver),
        )
        print(f"  {describe(result)}; build {result.build_seconds:.3f} s")
        print(
            f"  instance + model = {build_instance + national[solver]:.2f} s "
            f"= {(build_instance + national[solver]) / unit:.1f} national reaches"
        )
    model = SpreadingModel(instance, question)
    model.prepared = unmerged(model.prepared)
    rows = sum(len(g) for g in model.prepared.groups.values())
    plain, _ = timed(
        f"baseline: the same, one coverage row per PC4 ({rows} groups, HiGHS)",
        lambda: model.solve(solver="highs"),
    )
    print(f"  merging identical reach sets: {plain / national['highs']:.2f}x faster")
    every = SpreadingQuestion(blocks=list(TIME_BLOCKS))
    for solver in ("highs", "cbc"):
        _, result = timed(
            f"national, all four blocks, keep coverage, capacity ({solver})",
            lambda solver=solver: SpreadingModel(instance, every).solve(solver=solver),
            repeat=1,
        )
        print(f"  {describe(result)}")
    staff = SpreadingQuestion(blocks=list(TIME_BLOCKS), coverage="max", teams=3, capacity=False)
    _, result = timed(
        "national, all four blocks, staff for 3 SEHs per ROAZ, max coverage (highs)",
        lambda: SpreadingModel(instance, staff).solve(solver="highs"),
        repeat=1,
    )
    print(f"  {describe(result)}; stage seconds {[round(s.seconds, 1) for s in result.stages]}")
    regions = sorted({s.region for s in instance.sites})
    for solver in ("highs", "cbc"):
        times = []
        for region in regions:
            scoped = instance.scoped(region)
            q = SpreadingQuestion(region=region)
            start = time.perf_counter()
            result = SpreadingModel(scoped, q).solve(solver=solver)
            times.append(time.perf_counter() - start)
            assert result.status == "optimal", (region, result.status)
        worst = regions[int(np.argmax(times))]
        print(
            f"{'per ROAZ (11 models), night, keep, capacity (' + solver + ')':<62} "
            f"max {max(times):.3f} s ({worst}), mean {np.mean(times):.3f} s, all optimal"
        )
    for region in ("ROAZ01", "ROAZ05", "ROAZ07"):
        curve = SpreadingQuestion(region=region, coverage="max", teams=1, capacity=False)
        timed(
            f"{region}: max coverage with staff for 1 night SEH (HiGHS)",
            lambda curve=curve, region=region: SpreadingModel(instance.scoped(region), curve).solve(
                solver="highs"
            ),
        )


if __name__ == "__main__":
    main()
