"""Run a module-level function on several tasks side by side, in fresh worker processes.

Independent optimisation models (e.g. interventions that share no sites) spend their time in
the solver, one core each. :func:`run_tasks` runs ``function(*task)`` for every task in a fresh
Python process (``python -m zorglandschap.optimise._parallel``), at most ``workers`` at once,
and returns the results in the order of the tasks. It knows nothing about any model: the
function and its arguments travel pickled through the worker's stdin, the result comes back
pickled through its stdout.

Why fresh processes and not :mod:`multiprocessing` or threads: ``spawn`` and ``forkserver``
re-import the caller's main script, so every user script would need an
``if __name__ == "__main__"`` guard; ``fork`` copies HiGHS' global thread scheduler into the
child without its threads (a hang waiting to happen); threads share that scheduler, whose
thread safety is recent. A worker runs exactly the code the calling process would run, so the
result does not depend on the number of workers.

Workers die with their parent: the parent keeps each worker's stdin open while it runs, and the
worker exits as soon as that pipe closes (the parent ended, however it ended); on
KeyboardInterrupt or SIGTERM the parent also kills its workers itself before it stops. A
worker that fails (cannot start, crashes, hangs past ``timeout``) is not fatal: its task is run
again in this process, after the others, and :attr:`Done.failure` says why.

Examples
--------
>>> [done.value for done in run_tasks(divmod, [(7, 2), (9, 4)], workers=1)]
[(3, 1), (2, 1)]
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")

#: Exit code of a worker whose parent went away.
ORPHANED = 75
_LENGTH = struct.Struct("<Q")


def available_cores() -> int:
    """CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def worker_count(setting: int | None, tasks: int, *, size: int, min_size: int) -> int:
    """Workers for ``tasks`` independent tasks of total ``size`` (e.g. assignment pairs):
    ``setting`` (None = one per core), at most one per task, and 1 below ``min_size`` (a worker
    costs about half a second to start)."""
    if size < min_size:
        return 1
    wanted = available_cores() if setting is None else int(setting)
    return max(1, min(wanted, tasks))


@dataclass(frozen=True)
class Done(Generic[T]):
    """The result of one task, and why its worker failed (None: it did not)."""

    value: T
    failure: str | None = None


def run_tasks(
    function: Callable[..., T],
    tasks: Sequence[tuple[Any, ...]],
    *,
    workers: int,
    timeout: float | None = None,
) -> list[Done[T]]:
    """``function(*task)`` for every task, in worker processes; results in task order.

    Parameters
    ----------
    function
        A module-level function (workers import it by its module and name); its arguments
        and result must pickle.
    tasks
        One argument tuple per call.
    workers
        Processes at most at once; with 1 (or a single task) everything runs here.
    timeout
        Seconds a worker may take before it counts as hung (None: no limit).
    """
    if workers <= 1 or len(tasks) <= 1:
        return [Done(function(*task)) for task in tasks]
    if "<locals>" in function.__qualname__ or function.__name__ == "<lambda>":
        raise ValueError(f"{function.__qualname__} is not a module-level function.")
    pool = _Pool(timeout)
    with pool.terminate_on_signal(), ThreadPoolExecutor(max_workers=workers) as threads:
        try:
            answers = list(threads.map(lambda task: pool.run(function, task), tasks))
        except BaseException:  # KeyboardInterrupt, SystemExit (SIGTERM): no orphans left
            pool.kill_all()
            raise
    # failed tasks run here, one at a time, after the pool is done (never two solver runs
    # in threads of one process)
    return [
        Done(function(*task), failure=answer) if isinstance(answer, str) else answer
        for task, answer in zip(tasks, answers, strict=True)
    ]


class _Pool:
    """The live worker processes of one :func:`run_tasks` call."""

    def __init__(self, timeout: float | None) -> None:
        self.timeout = timeout
        self.live: set[subprocess.Popen[bytes]] = set()
        self.lock = threading.Lock()
        self.stopping = False
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        self.env = env

    def run(self, function: Callable[..., Any], task: tuple[Any, ...]) -> Done[Any] | str:
        """One task in a worker: its result, or why the worker failed."""
        try:
            payload = pickle.dumps((function, task), protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, AttributeError, TypeError) as exc:
            return f"cannot send the task to a worker ({type(exc).__name__}: {exc})"
        with tempfile.TemporaryFile() as errors:
            try:
                proc = self._start(errors)
            except OSError as exc:
                return f"{type(exc).__name__}: {exc}"
            expired = threading.Event()

            def expire() -> None:
                expired.set()
                proc.kill()

            timer = None
            if self.timeout is not None:
                timer = threading.Timer(self.timeout, expire)
                timer.start()
            try:
                assert proc.stdin is not None and proc.stdout is not None
                proc.stdin.write(_LENGTH.pack(len(payload)) + payload)
                proc.stdin.flush()
                output = proc.stdout.read()  # until the worker exits
            except OSError as exc:  # the worker died before it read its task
                proc.kill()
                output, why = b"", f"{type(exc).__name__}: {exc}"
            else:
                why = ""
            finally:
                if timer is not None:
                    timer.cancel()
                self._close(proc)
            if expired.is_set():
                return f"worker timed out after {self.timeout:g} s"
            if proc.returncode != 0 or why:
                errors.seek(0)
                lines = errors.read().decode(errors="replace").strip().splitlines()
                return why or f"exit code {proc.returncode}: {lines[-1] if lines else 'no message'}"
        try:
            return Done(pickle.loads(output))
        except Exception as exc:  # a worker that exited 0 without a whole result
            return f"unreadable result ({type(exc).__name__}: {exc})"

    def _start(self, errors: Any) -> subprocess.Popen[bytes]:
        with self.lock:
            if self.stopping:
                raise OSError("stopping: no new workers")
            proc = subprocess.Popen(
                [sys.executable, "-m", __name__],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                env=self.env,
            )
            self.live.add(proc)
            return proc

    def _close(self, proc: subprocess.Popen[bytes]) -> None:
        # the worker has closed its stdout (done, or killed): let it exit before closing its
        # stdin, whose end is the sign for a worker to stop when its parent is gone
        proc.wait()
        with contextlib.suppress(OSError):
            assert proc.stdin is not None
            proc.stdin.close()
        assert proc.stdout is not None
        proc.stdout.close()
        with self.lock:
            self.live.discard(proc)

    def kill_all(self) -> None:
        """Kill every live worker (and start no new one)."""
        with self.lock:
            self.stopping = True
            for proc in self.live:
                with contextlib.suppress(OSError):
                    proc.kill()

    @contextlib.contextmanager
    def terminate_on_signal(self) -> Iterator[None]:
        """While the pool runs: SIGTERM kills the workers, then ends this process as the
        previous SIGTERM handler would (only in the main thread, where handlers live)."""
        previous = signal.getsignal(signal.SIGTERM)
        if threading.current_thread() is not threading.main_thread() or previous in (
            signal.SIG_IGN,
            None,
        ):
            yield
            return

        def handler(signum: int, frame: Any) -> None:
            self.kill_all()
            raise _Terminated

        signal.signal(signal.SIGTERM, handler)
        try:
            yield
        except _Terminated:
            signal.signal(signal.SIGTERM, previous)
            signal.raise_signal(signal.SIGTERM)
            raise SystemExit(128 + signal.SIGTERM) from None  # a handler that returned
        finally:
            signal.signal(signal.SIGTERM, previous)


class _Terminated(BaseException):
    """SIGTERM arrived while the pool ran."""


def _watch_parent(fd: int) -> None:
    """Exit this worker as soon as the parent closes our stdin (or dies). Reads the raw file
    descriptor: a daemon thread blocked inside ``sys.stdin`` would hold its lock at exit."""
    while os.read(fd, 4096):
        pass
    os._exit(ORPHANED)


def _main() -> None:
    """Worker: read (function, arguments) from stdin, write the result to stdout (pickled)."""
    result_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # solver banners go to stderr: stdout carries only the result
    stdin = sys.stdin.buffer
    header = stdin.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        os._exit(ORPHANED)
    (size,) = _LENGTH.unpack(header)
    function, task = pickle.loads(stdin.read(size))
    threading.Thread(target=_watch_parent, args=(stdin.fileno(),), daemon=True).start()
    result = function(*task)
    pickle.dump(result, result_out, protocol=pickle.HIGHEST_PROTOCOL)
    result_out.close()


if __name__ == "__main__":
    _main()
