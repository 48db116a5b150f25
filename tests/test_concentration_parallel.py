"""Worker processes (optimise._parallel): results in order, failures re-run here, no orphans."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from zorglandschap.optimise._parallel import ORPHANED, run_tasks

SRC = Path(__file__).resolve().parents[1] / "src"

HELPER = """
import os, time
from pathlib import Path

def where(parent):
    if os.getpid() != parent:
        raise RuntimeError("not run in the parent process")
    return "parent"

def linger(folder, seconds):
    Path(folder, f"{os.getpid()}.pid").write_text("")
    time.sleep(seconds)
    return os.getpid()
"""

PARENT = """
import sys
from helper import linger
from zorglandschap.optimise._parallel import run_tasks
run_tasks(linger, [(sys.argv[1], 600), (sys.argv[1], 600)], workers=2, timeout=900)
"""


@pytest.fixture
def helper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A module ``helper`` that workers and this process can import."""
    (tmp_path / "helper.py").write_text(HELPER, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(SRC), str(tmp_path)]))
    return tmp_path


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its reaper counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def wait_until(condition: object, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def test_results_come_back_in_order_from_other_processes() -> None:
    here = os.getpid()
    done = run_tasks(os.getpid, [(), (), ()], workers=2)
    pids = [d.value for d in done]
    assert all(d.failure is None for d in done)
    assert here not in pids and len(set(pids)) == 3  # a fresh process per task
    tasks = [(n,) for n in range(6, 12)]
    assert [d.value for d in run_tasks(math.factorial, tasks, workers=3)] == [
        math.factorial(n) for n in range(6, 12)
    ]
    # one worker (or one task) runs here, in order
    assert [d.value for d in run_tasks(os.getpid, [(), ()], workers=1)] == [here, here]


def test_only_module_level_functions_travel() -> None:
    with pytest.raises(ValueError, match="not a module-level function"):
        run_tasks(lambda: 1, [(), ()], workers=2)


def test_a_failing_worker_is_run_again_here_and_says_why(helper: Path) -> None:
    from helper import where  # type: ignore[import-not-found]

    done = run_tasks(where, [(os.getpid(),), (os.getpid(),)], workers=2)
    assert [d.value for d in done] == ["parent", "parent"]
    for d in done:
        assert d.failure is not None and d.failure.startswith("exit code 1")
        assert "RuntimeError: not run in the parent process" in d.failure


@pytest.mark.parametrize(
    "how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["kill", "term", "interrupt"]
)
def test_workers_die_with_their_parent(helper: Path, tmp_path: Path, how: signal.Signals) -> None:
    # a parent waits on two workers that would sleep for ten minutes; however it ends, its
    # workers end too: killed by the parent on SIGTERM / Ctrl-C, or, when the parent is
    # killed outright, because their stdin pipe closes
    pids = tmp_path / "pids"
    pids.mkdir()
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(pids)], stderr=subprocess.PIPE, text=True
    )
    try:
        assert wait_until(lambda: len(list(pids.glob("*.pid"))) == 2, 60), "workers not started"
        workers = [int(p.stem) for p in pids.glob("*.pid")]
        assert all(alive(pid) for pid in workers)
        parent.send_signal(how)
        _, errors = parent.communicate(timeout=30)
        assert wait_until(lambda: not any(alive(pid) for pid in workers), 20), workers
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.communicate()
    if how == signal.SIGTERM:
        assert parent.returncode == -signal.SIGTERM  # ends as SIGTERM would have ended it
    if how == signal.SIGINT:
        assert "KeyboardInterrupt" in errors


def test_a_worker_whose_parent_is_gone_exits_with_its_code(helper: Path) -> None:
    # stdin closes before a task arrives: the worker stops at once, saying it was orphaned
    done = subprocess.run(
        [sys.executable, "-m", "zorglandschap.optimise._parallel"],
        input=b"",
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == ORPHANED
