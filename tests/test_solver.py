"""The honest status mapping: a time-limited plan is never called optimal."""

from __future__ import annotations

import pulp
import pytest

from zorglandschap.errors import ScenarioError
from zorglandschap.optimise.solver import (
    choose_solver,
    classify,
    highs_available,
    parse_cbc_log,
    relative_gap,
    solve_problem,
)

SOLVERS = ["cbc"] + (["highs"] if highs_available() else [])


@pytest.mark.parametrize(
    ("lp", "sol", "gap", "limited", "expected"),
    [
        (pulp.LpStatusOptimal, pulp.LpSolutionOptimal, 0.0, False, "optimal"),
        (pulp.LpStatusOptimal, pulp.LpSolutionOptimal, 5e-5, False, "optimal"),
        # PuLP says "Optimal" for a time-limited solve with a solution: we do not
        (pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible, 0.02, True, "feasible"),
        (pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible, 0.0, True, "feasible"),
        (pulp.LpStatusOptimal, pulp.LpSolutionOptimal, 0.0, True, "feasible"),
        (pulp.LpStatusOptimal, pulp.LpSolutionOptimal, 0.01, False, "feasible"),
        (pulp.LpStatusInfeasible, pulp.LpSolutionInfeasible, None, False, "infeasible"),
        (pulp.LpStatusNotSolved, pulp.LpSolutionNoSolutionFound, None, True, "no_solution"),
        (pulp.LpStatusUnbounded, pulp.LpSolutionUnbounded, None, False, "no_solution"),
    ],
)
def test_classify(lp: int, sol: int, gap: float | None, limited: bool, expected: str) -> None:
    assert classify(lp, sol, gap=gap, gap_tolerance=1e-4, time_limited=limited) == expected


def test_relative_gap() -> None:
    assert relative_gap(100.0, 99.0) == pytest.approx(0.01)
    assert relative_gap(None, 1.0) is None
    assert relative_gap(100.0, float("-inf")) is None


def test_parse_cbc_log_time_limit() -> None:
    log = (
        "Result - Stopped on time limit\n\nObjective value:                11094.33\n"
        "Lower bound:                    11031.50\nGap:                            0.01\n"
    )
    parsed = parse_cbc_log(log)
    assert parsed["result"] == "Stopped on time limit"
    assert parsed["objective"] == pytest.approx(11094.33)
    assert parsed["bound"] == pytest.approx(11031.50)


def test_unknown_solver_names_the_valid_ones() -> None:
    with pytest.raises(ScenarioError, match="valid solvers: 'auto', 'highs', 'cbc'"):
        choose_solver("gurobi")
    assert choose_solver("auto") == ("highs" if highs_available() else "cbc")


@pytest.mark.parametrize("solver", SOLVERS)
def test_solve_problem_optimal_and_infeasible(solver: str) -> None:
    prob = pulp.LpProblem("tiny", pulp.LpMinimize)
    a = pulp.LpVariable("a", cat="Binary")
    b = pulp.LpVariable("b", cat="Binary")
    prob += 3 * a + 2 * b + 7  # a constant term: the bound must include it too
    prob += a + b >= 1
    out = solve_problem(prob, solver=solver)
    assert out.status == "optimal"
    assert out.objective == pytest.approx(9.0)
    assert out.bound == pytest.approx(9.0)
    assert out.gap == pytest.approx(0.0)
    prob += a + b >= 3
    assert solve_problem(prob, solver=solver).status == "infeasible"


def test_bad_limits_are_rejected() -> None:
    prob = pulp.LpProblem("t", pulp.LpMinimize)
    prob += pulp.LpVariable("x", 0, 1)
    with pytest.raises(ScenarioError, match="time_limit"):
        solve_problem(prob, time_limit=0)


@pytest.mark.skipif(not highs_available(), reason="highspy not installed")
def test_highs_options_are_passed_but_never_the_tolerances() -> None:
    prob = pulp.LpProblem("opts", pulp.LpMinimize)
    a = pulp.LpVariable("a", cat="Binary")
    b = pulp.LpVariable("b", cat="Binary")
    prob += 3 * a + 2 * b
    prob += a + b >= 1
    out = solve_problem(
        prob,
        solver="highs",
        gap=1e-4,
        highs_options={"mip_allow_restart": False, "mip_rel_gap": 0.5},
    )
    assert out.status == "optimal" and out.objective == pytest.approx(2.0)
    highs = prob.solverModel
    assert highs.getOptionValue("mip_allow_restart")[1] is False
    assert highs.getOptionValue("mip_rel_gap")[1] == pytest.approx(1e-4)


@pytest.mark.parametrize("solver", SOLVERS)
def test_start_plan_is_used_and_never_changes_the_optimum(solver: str) -> None:
    prob = pulp.LpProblem("start", pulp.LpMinimize)
    a = pulp.LpVariable("a", cat="Binary")
    b = pulp.LpVariable("b", cat="Binary")
    prob += 3 * a + 2 * b
    prob += a + b >= 1
    # a feasible but worse start: the solver must still return the optimum
    out = solve_problem(prob, solver=solver, start={"a": 1.0})
    assert out.status == "optimal"
    assert out.objective == pytest.approx(2.0)
    assert a.varValue == pytest.approx(0.0) and b.varValue == pytest.approx(1.0)


@pytest.mark.parametrize("solver", SOLVERS)
def test_relax_solves_the_lp_relaxation(solver: str) -> None:
    prob = pulp.LpProblem("relax", pulp.LpMinimize)
    a = pulp.LpVariable("a", cat="Binary")
    b = pulp.LpVariable("b", cat="Binary")
    prob += 3 * a + 2 * b
    prob += 2 * a + 2 * b >= 1
    out = solve_problem(prob, solver=solver, relax=True)
    assert out.status == "optimal"
    assert out.objective == pytest.approx(1.0)  # b = 1/2
    assert solve_problem(prob, solver=solver).objective == pytest.approx(2.0)


@pytest.mark.skipif(not highs_available(), reason="highspy not installed")
def test_another_thread_count_later_in_the_same_process_still_solves() -> None:
    # HiGHS fixes its thread pool on its first run and refuses a run asking for another size
    # (PuLP then saw "no solution"): a user changing settings.solver.threads between two solves
    # of one session must get the same plan, not a false "no plan within the time limit"
    from zorglandschap.settings import DEFAULT_SETTINGS

    for threads in (None, 1, 2, None):
        prob = pulp.LpProblem("threads", pulp.LpMinimize)
        a = pulp.LpVariable("a", cat="Binary")
        b = pulp.LpVariable("b", cat="Binary")
        prob += 3 * a + 2 * b
        prob += a + b >= 1
        settings = DEFAULT_SETTINGS.replace(solver={"threads": threads})
        outcome = solve_problem(prob, solver="highs", settings=settings)
        assert (outcome.status, outcome.objective) == ("optimal", 2.0), threads
