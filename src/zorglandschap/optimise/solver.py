"""Solver choice, limits and an honest status for every optimisation model.

PuLP reports ``LpStatus == "Optimal"`` for a solve that stopped on its time limit with a
solution in hand. This module never does: a result is

``optimal``
    the solver proved optimality within the relative gap tolerance;
``feasible``
    a plan exists, but optimality was not proven (time limit, node limit): its gap says how far
    from the best bound it may be;
``infeasible``
    the solver proved that no plan satisfies the constraints;
``no_solution``
    the solver stopped (time limit, error) without a plan and without a proof of infeasibility.

The status is derived from PuLP's model status *and* its solution status
(``LpSolutionOptimal``, ``LpSolutionIntegerFeasible``, ...), plus the achieved gap read from the
solver itself (HiGHS' ``mip_gap`` / ``mip_dual_bound``; CBC's log).

Examples
--------
>>> import pulp
>>> prob = pulp.LpProblem("tiny", pulp.LpMinimize)
>>> a = pulp.LpVariable("a", cat="Binary")
>>> b = pulp.LpVariable("b", cat="Binary")
>>> prob += 3 * a + 2 * b
>>> prob += a + b >= 1
>>> outcome = solve_problem(prob, solver="cbc")
>>> outcome.status, outcome.objective
('optimal', 2.0)
"""

from __future__ import annotations

import contextlib
import importlib.util
import math
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pulp

from zorglandschap.errors import ScenarioError
from zorglandschap.settings import DEFAULT_SETTINGS, Settings

Status = Literal["optimal", "feasible", "infeasible", "no_solution"]
SolverName = Literal["highs", "cbc"]

#: Statuses a result can carry, in order of how good the news is.
STATUSES: tuple[Status, ...] = ("optimal", "feasible", "infeasible", "no_solution")

_GAP_SLACK = 1e-9


@dataclass(frozen=True)
class SolveOutcome:
    """What one solver call achieved.

    Attributes
    ----------
    status
        ``optimal``, ``feasible``, ``infeasible`` or ``no_solution`` (see module docstring).
    solver
        ``highs`` or ``cbc``.
    objective
        Objective value of the plan found, or None without a plan.
    bound
        Best proven bound on the objective (for a minimisation a lower bound), or None.
    gap
        Relative gap ``(objective - bound) / max(|objective|, 1e-9)``; 0 for a proven optimum,
        None when unknown.
    seconds
        Wall time of the solver call, including PuLP's hand-over, in seconds.
    time_limited
        True when the solver stopped on its time limit.
    pulp_status, pulp_solution_status
        PuLP's own labels, kept for transparency.
    """

    status: Status
    solver: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    time_limited: bool
    pulp_status: str
    pulp_solution_status: str


def highs_available() -> bool:
    """True when highspy imports and PuLP can drive HiGHS through its API."""
    return importlib.util.find_spec("highspy") is not None and pulp.HiGHS().available()


def choose_solver(name: str | None = None, *, settings: Settings = DEFAULT_SETTINGS) -> SolverName:
    """Resolve a solver name: ``auto`` (or None) picks HiGHS when available, else CBC.

    Raises
    ------
    ScenarioError
        For an unknown name, or HiGHS asked for but highspy missing.
    """
    wanted = (name or settings.solver.name).strip().lower()
    if wanted == "auto":
        return "highs" if highs_available() else "cbc"
    if wanted == "highs":
        if not highs_available():
            raise ScenarioError(
                "Solver 'highs' was asked for, but highspy does not import; "
                "install it with `pip install highspy` or use solver='cbc'."
            )
        return "highs"
    if wanted == "cbc":
        return "cbc"
    raise ScenarioError(f"Unknown solver {name!r}; valid solvers: 'auto', 'highs', 'cbc'.")


def classify(
    lp_status: int,
    solution_status: int,
    *,
    gap: float | None,
    gap_tolerance: float,
    time_limited: bool,
) -> Status:
    """Map PuLP's model status, solution status and the achieved gap to an honest status.

    Parameters
    ----------
    lp_status
        ``problem.status`` (``pulp.LpStatusOptimal``, ...).
    solution_status
        ``problem.sol_status`` (``pulp.LpSolutionOptimal``, ``pulp.LpSolutionIntegerFeasible``,
        ...).
    gap
        Achieved relative gap, if known.
    gap_tolerance
        The relative gap asked for.
    time_limited
        Whether the solver stopped on its time limit.

    Examples
    --------
    >>> classify(pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible, gap=0.03,
    ...          gap_tolerance=1e-4, time_limited=True)
    'feasible'
    >>> classify(pulp.LpStatusOptimal, pulp.LpSolutionOptimal, gap=0.0,
    ...          gap_tolerance=1e-4, time_limited=False)
    'optimal'
    """
    if solution_status in (pulp.LpSolutionInfeasible,) or lp_status == pulp.LpStatusInfeasible:
        return "infeasible"
    if solution_status == pulp.LpSolutionOptimal and lp_status == pulp.LpStatusOptimal:
        if time_limited:
            return "feasible"
        if gap is not None and gap > gap_tolerance + _GAP_SLACK:
            return "feasible"
        return "optimal"
    if solution_status == pulp.LpSolutionIntegerFeasible:
        return "feasible"
    return "no_solution"


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """Relative gap between a plan's objective and the best bound (minimisation).

    Examples
    --------
    >>> relative_gap(100.0, 99.0)
    0.01
    >>> relative_gap(0.0, 0.0)
    0.0
    """
    if objective is None or bound is None or not math.isfinite(objective):
        return None
    if not math.isfinite(bound):
        return None
    return max(0.0, objective - bound) / max(abs(objective), 1e-9)


#: ``"threads"``: the thread count HiGHS' global scheduler was started with in this process
#: (0 = HiGHS' choice); absent before the first HiGHS run.
_SCHEDULER: dict[str, int] = {}


def use_highs_threads(threads: int | None) -> None:
    """Prepare HiGHS for a run with ``threads`` threads (None = HiGHS' choice).

    HiGHS starts one global thread scheduler per process, on its first run, and refuses a later
    run that asks for another thread count (PuLP then sees no solution). The scheduler is
    restarted when the count changes; never call this while HiGHS runs in another thread.
    """
    wanted = int(threads or 0)
    started = _SCHEDULER.get("threads")
    if started is not None and started != wanted:
        import highspy

        highspy.Highs.resetGlobalScheduler(True)
    _SCHEDULER["threads"] = wanted


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Silence C-level writes to stdout (HiGHS prints a banner even with output off)."""
    try:
        fd = os.dup(1)
    except OSError:  # pragma: no cover - no real stdout (e.g. some notebooks)
        yield
        return
    try:
        with Path(os.devnull).open("w") as devnull:
            os.dup2(devnull.fileno(), 1)
            yield
    finally:
        os.dup2(fd, 1)
        os.close(fd)


_CBC_RESULT = re.compile(r"^Result - (.+)$", re.MULTILINE)
_CBC_OBJECTIVE = re.compile(r"^Objective value:\s+(\S+)", re.MULTILINE)
_CBC_BOUND = re.compile(r"^Lower bound:\s+(\S+)", re.MULTILINE)
_CBC_GAP = re.compile(r"^Gap:\s+(\S+)", re.MULTILINE)


def parse_cbc_log(text: str) -> dict[str, str | float | None]:
    """Read CBC's summary block: result line, objective, lower bound and gap.

    Examples
    --------
    >>> log = "Result - Stopped on time limit\\n\\nObjective value: 10.5\\nLower bound: 10.0\\n"
    >>> parse_cbc_log(log)["bound"]
    10.0
    """

    def _num(rx: re.Pattern[str]) -> float | None:
        m = rx.findall(text)
        if not m:
            return None
        try:
            return float(m[-1])
        except ValueError:
            return None

    results = _CBC_RESULT.findall(text)
    return {
        "result": results[-1].strip() if results else None,
        "objective": _num(_CBC_OBJECTIVE),
        "bound": _num(_CBC_BOUND),
        "gap": _num(_CBC_GAP),
    }


def _is_mip(problem: pulp.LpProblem) -> bool:
    return any(v.cat == pulp.LpInteger for v in problem.variables())


#: A start plan: a value per variable (by handle, or by name), missing variables 0.
StartPlan = Mapping[pulp.LpVariable, float] | Mapping[str, float]


def start_values(variables: list[pulp.LpVariable], start: StartPlan) -> list[float]:
    """The start value of each of ``variables`` (0 where ``start`` has none)."""
    if not start:
        return [0.0] * len(variables)
    if isinstance(next(iter(start)), str):
        by_name: Mapping[str, float] = start
        return [float(by_name.get(v.name, 0.0)) for v in variables]
    by_handle: Mapping[pulp.LpVariable, float] = start
    return [float(by_handle.get(v, 0.0)) for v in variables]


#: A progress report during a MIP solve: seconds into the solve, the best plan's objective and
#: the best bound so far (None before there is one), both without the objective's constant.
Progress = Callable[[float, float | None, float | None], None]

#: Least wall time between two progress reports, seconds (a report per node would slow HiGHS).
_PROGRESS_EVERY = 0.25


class _HiGHSWithStart(pulp.HiGHS):
    """PuLP's HiGHS API for a MIP: it hands HiGHS the objective's constant term (PuLP leaves
    it out, so HiGHS would measure its relative gap on another number than the one reported),
    a start plan (PuLP's has no warm start) and, when asked, reports the progress."""

    def __init__(
        self,
        *args: object,
        start: StartPlan | None,
        progress: Progress | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.start = start
        self.progress = progress

    def callSolver(self, lp: pulp.LpProblem) -> None:  # noqa: N802 - PuLP's name
        import highspy

        highs = lp.solverModel
        highs.changeObjectiveOffset(float(lp.objective.constant or 0.0))
        if self.start:
            solution = highspy.HighsSolution()
            solution.col_value = start_values(lp.variables(), self.start)
            solution.value_valid = True
            highs.setSolution(solution)
        if self.progress is not None:
            highs.cbMipInterrupt.subscribe(_reporter(self.progress))
        try:
            highs.run()
        finally:
            if self.progress is not None:
                highs.cbMipInterrupt.clear()


def _reporter(progress: Progress) -> Callable[[Any], None]:
    """A HiGHS MIP-interrupt callback that calls ``progress`` at most every
    :data:`_PROGRESS_EVERY` seconds; it never interrupts the solve, and an error in
    ``progress`` never stops it either."""
    last = [-math.inf]

    def report(event: Any) -> None:
        out = event.data_out
        now = float(out.running_time)
        if now - last[0] < _PROGRESS_EVERY:
            return
        last[0] = now
        primal, dual = float(out.mip_primal_bound), float(out.mip_dual_bound)
        with contextlib.suppress(Exception):
            progress(
                now,
                primal if math.isfinite(primal) and abs(primal) < 1e300 else None,
                dual if math.isfinite(dual) and abs(dual) < 1e300 else None,
            )

    return report


#: What a solver run reports besides PuLP's statuses: stopped on its time limit, best bound,
#: the solver's own objective value (both may lack the objective's constant term).
_Run = tuple[bool, float | None, float | None]


def _run_highs(
    problem: pulp.LpProblem,
    *,
    limit: float,
    tol: float,
    threads: int | None,
    options: Mapping[str, bool | int | float | str] | None,
    start: StartPlan | None,
    relax: bool,
    is_mip: bool,
    progress: Progress | None = None,
) -> _Run:
    """Solve with HiGHS through its API (quiet; tolerances and limit never overridden)."""
    extra = {
        k: v
        for k, v in (options or {}).items()
        if k not in ("mip_rel_gap", "mip_abs_gap", "time_limit")
    }
    kwargs = {
        "mip": not relax,
        "msg": False,
        "timeLimit": limit,
        "gapRel": tol,
        "gapAbs": 1e-9,
        "threads": threads,
    }
    if is_mip:
        cmd = _HiGHSWithStart(start=start, progress=progress, **kwargs, **extra)
    else:
        cmd = pulp.HiGHS(**kwargs, **extra)
    use_highs_threads(threads)
    with quiet_stdout():
        problem.solve(cmd)
    highs = problem.solverModel
    import highspy  # local: only when HiGHS is used

    time_limited = highs.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
    info = highs.getInfo()
    bound = None
    if is_mip and problem.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        bound = float(info.mip_dual_bound)
    return time_limited, bound, float(info.objective_function_value)


def _run_cbc(
    problem: pulp.LpProblem,
    *,
    limit: float,
    tol: float,
    threads: int | None,
    start: StartPlan | None,
    relax: bool,
    is_mip: bool,
) -> _Run:
    """Solve with CBC (PuLP's bundled binary); status details read from its log."""
    with tempfile.TemporaryDirectory(prefix="zorg-cbc-") as tmp:
        log_path = str(Path(tmp) / "cbc.log")
        if start and is_mip:
            variables = problem.variables()
            for v, value in zip(variables, start_values(variables, start), strict=True):
                v.setInitialValue(value)
        cmd = pulp.PULP_CBC_CMD(
            mip=not relax,
            warmStart=bool(start) and is_mip,
            msg=False,
            timeLimit=limit,
            gapRel=tol,
            threads=threads,
            logPath=log_path,
        )
        problem.solve(cmd)
        log = parse_cbc_log(Path(log_path).read_text(encoding="utf-8", errors="replace"))
    result = str(log["result"] or "")
    time_limited = "time" in result.lower() and "stopped" in result.lower()
    bound = log["bound"] if isinstance(log["bound"], float) else None
    objective = log["objective"] if isinstance(log["objective"], float) else None
    return time_limited, bound, objective


def solve_problem(
    problem: pulp.LpProblem,
    *,
    solver: str | None = None,
    time_limit: float | None = None,
    gap: float | None = None,
    threads: int | None = None,
    highs_options: Mapping[str, bool | int | float | str] | None = None,
    start: StartPlan | None = None,
    relax: bool = False,
    settings: Settings = DEFAULT_SETTINGS,
    progress: Progress | None = None,
) -> SolveOutcome:
    """Solve a PuLP problem (minimisation) and report an honest outcome.

    Parameters
    ----------
    problem
        The model. Variable values are written back into it by PuLP.
    solver
        ``auto``/None, ``highs`` or ``cbc``.
    time_limit
        Wall-time limit in seconds (default ``settings.solver.time_limit_seconds``).
    gap
        Relative MIP gap tolerance (default ``settings.solver.gap``).
    threads
        Solver threads (default ``settings.solver.threads``).
    highs_options
        Extra HiGHS options (e.g. ``{"mip_allow_restart": False}``), set after the ones above;
        ignored by CBC. They change the search, never what counts as optimal: the gap tolerance
        and the time limit stay those given here.
    start
        A start plan, variable (or variable name) -> value (missing variables are 0), e.g.
        from a primal heuristic. HiGHS checks it and keeps it as the first incumbent when it is feasible; CBC
        receives it as a MIP start. It changes the search, never the optimum.
    relax
        Solve the LP relaxation (integer variables treated as continuous); the status then
        describes the relaxation.
    settings
        Settings object.
    progress
        Called during a HiGHS MIP solve, at most every quarter second, with the seconds into
        the solve, the incumbent's objective and the best bound (without the objective's
        constant term); CBC and LP solves never call it.

    Returns
    -------
    SolveOutcome
    """
    name = choose_solver(solver, settings=settings)
    limit = settings.solver.time_limit_seconds if time_limit is None else float(time_limit)
    tol = settings.solver.gap if gap is None else float(gap)
    n_threads = settings.solver.threads if threads is None else threads
    if limit <= 0:
        raise ScenarioError(f"time_limit must be positive seconds, got {limit}.")
    if tol < 0:
        raise ScenarioError(f"gap must be a non-negative fraction (e.g. 1e-4), got {tol}.")
    is_mip = _is_mip(problem) and not relax
    began = time.perf_counter()
    if name == "highs":
        time_limited, bound, solver_objective = _run_highs(
            problem, limit=limit, tol=tol, threads=n_threads, options=highs_options,
            start=start, relax=relax, is_mip=is_mip, progress=progress,
        )  # fmt: skip
    else:
        time_limited, bound, solver_objective = _run_cbc(
            problem, limit=limit, tol=tol, threads=n_threads, start=start, relax=relax,
            is_mip=is_mip,
        )  # fmt: skip
    return _outcome(
        problem, name, (time_limited, bound, solver_objective), seconds=time.perf_counter() - began,
        tol=tol, is_mip=is_mip,
    )  # fmt: skip


def _outcome(
    problem: pulp.LpProblem, name: str, run: _Run, *, seconds: float, tol: float, is_mip: bool
) -> SolveOutcome:
    """The honest outcome of a solved problem: objective and bound (with the objective's
    constant), gap, status."""
    time_limited, bound, solver_objective = run
    has_plan = problem.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    objective = float(pulp.value(problem.objective) or 0.0) if has_plan else None
    if bound is not None and objective is not None and solver_objective is not None:
        # the solver's numbers may omit the objective's constant term; PuLP's value includes it
        bound += objective - solver_objective
    if has_plan and objective is not None:
        if not is_mip:
            bound = objective if problem.sol_status == pulp.LpSolutionOptimal else bound
        elif bound is None and problem.sol_status == pulp.LpSolutionOptimal and not time_limited:
            # CBC prints no bound when it proves optimality outright: the gap is within tol.
            bound = objective
    achieved = relative_gap(objective, bound) if has_plan else None
    status = classify(
        problem.status,
        problem.sol_status,
        gap=achieved,
        gap_tolerance=tol,
        time_limited=time_limited,
    )
    return SolveOutcome(
        status=status,
        solver=name,
        objective=objective,
        bound=bound,
        gap=achieved,
        seconds=seconds,
        time_limited=time_limited,
        pulp_status=pulp.LpStatus.get(problem.status, str(problem.status)),
        pulp_solution_status=pulp.LpSolution.get(problem.sol_status, str(problem.sol_status)),
    )
