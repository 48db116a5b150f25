"""Benchmark: national travel matrices, cold (build network + Dijkstra) and cached.

Run from the repository root::

    .venv/bin/python bench/bench_travel.py [--repeat 5]

Cold: a fresh process state and an empty cache folder, so the land mask, the network and both
matrices (PC4 × sites and posts × PC4, ambulance profile) are computed. Cached: the same calls
again with a fresh source, so the matrices are read from the disk cache (the network is not
built). Times are wall-clock seconds, median over the repeats. Results: bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from zorglandschap.landscape import load_landscape
from zorglandschap.travel import demand_site_minutes, post_demand_minutes
from zorglandschap.travel import sources as travel_sources


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    nl = load_landscape()
    cold, cached = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as cache:
            travel_sources._NETWORKS.clear()  # no network kept from an earlier round
            start = time.perf_counter()
            a = demand_site_minutes(nl, "ambulance", cache_dir=cache)
            b = post_demand_minutes(nl, "ambulance", cache_dir=cache)
            cold.append(time.perf_counter() - start)
            travel_sources._NETWORKS.clear()
            start = time.perf_counter()
            demand_site_minutes(nl, "ambulance", cache_dir=cache)
            post_demand_minutes(nl, "ambulance", cache_dir=cache)
            cached.append(time.perf_counter() - start)
    print(f"demand x site: {a.shape[0]} x {a.shape[1]}; post x demand: {b.shape[0]} x {b.shape[1]}")
    print(
        f"cold (network + both matrices): median {statistics.median(cold):.3f} s, "
        f"min {min(cold):.3f} s over {args.repeat}"
    )
    print(
        f"cached (both matrices from disk): median {statistics.median(cached):.3f} s, "
        f"min {min(cached):.3f} s over {args.repeat}"
    )


if __name__ == "__main__":
    main()
