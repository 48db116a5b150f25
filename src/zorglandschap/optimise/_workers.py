"""Solve the independent groups of a concentration model side by side, in worker processes.

Internal to :mod:`zorglandschap.optimise`. Interventions that share no sites are separate
MILPs (:func:`~zorglandschap.optimise.concentration._components`); six of them one after the
other spend most of their time in HiGHS, one core at a time. Here each group is solved in a
fresh Python process (``python -m zorglandschap.optimise._workers``) that receives the model
and the group through a pipe and sends the group's result back, at most ``workers`` at once.

Why fresh processes and not :mod:`multiprocessing` or threads: ``spawn`` and ``forkserver``
re-import the caller's main script, so every user script would need an
``if __name__ == "__main__"`` guard; ``fork`` copies HiGHS' global thread scheduler into the
child without its threads (a hang waiting to happen); threads share that scheduler, whose
thread safety is recent. A worker runs exactly the code the calling process would run, with
the same options, so the plan does not depend on the number of workers (tested).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zorglandschap.optimise._blocks import Block
    from zorglandschap.optimise.concentration import ConcentrationModel

#: Extra wall time a worker gets beyond the solve's own deadline before it counts as hung
#: (start-up, hand-over of the result). Assumption.
_GRACE_SECONDS = 60.0


def available_cores() -> int:
    """CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def worker_count(setting: int | None, groups: int, *, pairs: int, min_pairs: int) -> int:
    """Workers to use for ``groups`` independent groups with ``pairs`` assignment pairs in all
    (``setting``: None = one per core; 1 below ``min_pairs``)."""
    if pairs < min_pairs:
        return 1
    wanted = available_cores() if setting is None else int(setting)
    return max(1, min(wanted, groups))


def solve_groups(
    model: ConcentrationModel,
    groups: Sequence[list[str]],
    *,
    blocks: Mapping[str, Block],
    solver: str | None,
    deadline: float,
    gap: float | None,
    coarse_sites: Mapping[str, Sequence[str]] | None,
    workers: int,
) -> list[dict[str, Any]]:
    """Each group's result (``ConcentrationModel._solve_component``), in the order given.

    ``deadline`` is on this process' :func:`time.perf_counter` clock. With ``workers`` <= 1 or
    a single group everything runs here. A worker that fails (it cannot start, crashes, hangs)
    is not fatal: its group is solved again in this process and the log says so.
    """
    if workers <= 1 or len(groups) <= 1:
        return [
            model._solve_component(g, dict(blocks), solver, deadline, gap, coarse_sites)
            for g in groups
        ]
    wall_deadline = time.time() + (deadline - time.perf_counter())
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)

    def run(group: list[str]) -> dict[str, Any] | str:
        payload = pickle.dumps(
            (model, group, {p: blocks[p] for p in group}, solver, wall_deadline, gap, coarse_sites)
        )
        try:
            done = subprocess.run(
                [sys.executable, "-m", __name__],
                input=payload,
                capture_output=True,
                env=env,
                timeout=max(wall_deadline - time.time(), 1.0) + _GRACE_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"{type(exc).__name__}: {exc}"
        if done.returncode != 0:
            lines = done.stderr.decode(errors="replace").strip().splitlines()
            return f"exit code {done.returncode}: {lines[-1] if lines else 'no message'}"
        result: dict[str, Any] = pickle.loads(done.stdout)
        return result

    with ThreadPoolExecutor(max_workers=workers) as pool:
        answers = list(pool.map(run, groups))
    results: list[dict[str, Any]] = []
    for group, answer in zip(groups, answers, strict=True):
        if isinstance(answer, str):
            # solved here, one at a time, after the pool is done (never two HiGHS runs in
            # threads of one process)
            result = model._solve_component(
                group, dict(blocks), solver, deadline, gap, coarse_sites
            )
            result["log"] = [
                f"worker for {'+'.join(group)} failed ({answer}); solved in this process",
                *result["log"],
            ]
            answer = result
        results.append(answer)
    return results


def _main() -> None:
    """Worker: read (model, group, blocks, solver, wall deadline, gap, coarse sites) from stdin,
    write the group's result to stdout (both pickled)."""
    result_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # solver banners go to stderr: stdout carries only the result
    model, group, blocks, solver, wall_deadline, gap, coarse_sites = pickle.load(sys.stdin.buffer)
    deadline = time.perf_counter() + (wall_deadline - time.time())
    result = model._solve_component(group, blocks, solver, deadline, gap, coarse_sites)
    pickle.dump(result, result_out, protocol=pickle.HIGHEST_PROTOCOL)
    result_out.close()


if __name__ == "__main__":
    _main()
