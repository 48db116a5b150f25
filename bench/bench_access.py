"""Benchmark: the national access analysis (reach and the one-pass sensitivity of every SEH).

Run: ``make bench`` or ``.venv/bin/python bench/bench_access.py``. Target (issue 4): the national
sensitivity pass under 2 s warm (travel matrices cached). The brute-force recompute (one full
reach per closed site) is timed on the same instance as the baseline the one-pass method beats.
"""

from __future__ import annotations

import os
import tempfile
import time

from zorglandschap.access import reach, sensitive_sites, sensitive_sites_by_recompute
from zorglandschap.landscape import load_landscape
from zorglandschap.scenario import site_state


def timed(label: str, func, repeat: int = 3):  # type: ignore[no-untyped-def]
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<55} {best:8.3f} s (best of {repeat})")
    return best, result


def main() -> None:
    nl = load_landscape()
    state = site_state(nl, "2025")
    with tempfile.TemporaryDirectory() as empty_cache:
        os.environ["ZORGLANDSCHAP_CACHE"] = empty_cache
        timed(
            "cold: first national reach (empty cache: builds the network)",
            lambda: reach(nl, state),
            repeat=1,
        )
        timed(
            "cached: national reach (matrices from the disk cache)",
            lambda: reach(nl, state),
            repeat=1,
        )
    timed("warm: national reach, SEH day", lambda: reach(nl, state))
    warm_pass, frame = timed(
        "warm: reach + one-pass sensitivity (79 SEHs)",
        lambda: sensitive_sites(reach(nl, state)),
    )
    subset = list(frame.index[:10])
    brute, _ = timed(
        "brute force: recompute for 10 SEHs",
        lambda: sensitive_sites_by_recompute(nl, state, site_ids=subset),
        repeat=1,
    )
    per_site = brute / 10
    print(
        f"one pass vs brute force for all 79 SEHs (extrapolated): {79 * per_site / warm_pass:.0f}x faster"
    )


if __name__ == "__main__":
    main()
