"""Cluster norm cuts on a hand-made instance where the LP relaxation half-opens two neighbours.

Instance (norm 8 patients a year; minutes per pair):

======  ========  ====  ====  ====
point   patients   A     B     C
======  ========  ====  ====  ====
a           7      10    30   100
b           5      30    10   100
c          12     100   100    10
======  ========  ====  ====  ====

24 patients allow floor(24 / 8) = 3 sites, so the national count does not bind. By hand: C
serves c (120); a and b together fill 1.5 norms, so only one of A and B can offer unless c's
patients travel 100 minutes to fill the other. {A, C}: a 70 + b 150 + c 120 = 340; {B, C}: 380;
{A, B, C}: A and B each need 3 of c's patients at 100 minutes, 70 + 50 + 6 * 100 + 6 * 10 = 780.
Optimum: {A, C}, 340.

The LP relaxation opens A and B at about 0.75 each; the cluster cut for J = {A, B}, N = {a, b}
(D(N) = 12, b = 1.5, f = 0.5) reads ``4 y_A + 4 y_B - 12 (x_cA + x_cB) <= 4``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from zorglandschap.optimise import ConcentrationModel
from zorglandschap.optimise.concentration.cuts import add_norm_cuts, separate
from zorglandschap.optimise.concentration.formulation import Formulation, build_problem
from zorglandschap.optimise.solver import highs_available, solve_problem
from zorglandschap.settings import DEFAULT_SETTINGS

pytestmark = pytest.mark.skipif(not highs_available(), reason="the cut loop solves LPs in HiGHS")

MINUTES = {
    "a": {"A": 10, "B": 30, "C": 100},
    "b": {"A": 30, "B": 10, "C": 100},
    "c": {"A": 100, "B": 100, "C": 10},
}
PATIENTS = {"a": 7.0, "b": 5.0, "c": 12.0}


def model(**options: object) -> ConcentrationModel:
    pairs = pd.DataFrame(
        [(i, j, float(t)) for i, row in MINUTES.items() for j, t in row.items()],
        columns=["demand_id", "site_id", "minutes"],
    )
    sites = pd.DataFrame(
        {"name": ["A", "B", "C"], "region": ["R1", "R1", "R2"]},
        index=pd.Index(["A", "B", "C"], name="site_id"),
    )
    return ConcentrationModel.from_pairs(
        pd.Series(PATIENTS, name="p"),
        pairs,
        norm=8,
        sites=sites,
        max_minutes=math.inf,
        **options,  # type: ignore[arg-type]
    )


def built() -> tuple[object, object, object]:
    m = model()
    block = m.blocks()["p"]
    near = {"p": np.diff(block.order_start)}
    prob, handles = build_problem(Formulation(specs=m.specs, site_region={}), [block], near)
    return block, prob, handles


def test_lp_half_opens_the_neighbours_and_the_cluster_cut_is_found() -> None:
    block, prob, handles = built()
    relaxed = solve_problem(prob, solver="highs", relax=True)
    assert relaxed.status == "optimal" and relaxed.objective is not None
    assert relaxed.objective < 340.0 - 1.0  # the LP is weaker than the optimum
    y = np.array([handles.y["p"][j].varValue for j in range(3)])
    x = np.zeros((block.n_points, 3))
    for m, j, v in handles.x["p"]:
        x[m, j] = v.varValue
    cuts = separate(block, 8.0, y, x)
    a, b, c = (block.groups.index((p,)) for p in "abc")
    pair = [cut for cut in cuts if [block.sites[j] for j in cut.sites] == ["A", "B"]]
    assert len(pair) == 1
    cut = pair[0]
    assert sorted(cut.inside) == sorted([a, b]) and cut.rhs == 1
    assert cut.scale == pytest.approx(4.0)
    lhs = lambda yv, xv: cut.scale * yv[list(cut.sites)].sum() - sum(  # noqa: E731
        block.demand[m] * xv[m, j] for m in range(block.n_points) for j in cut.sites
        if m not in cut.inside
    )  # fmt: skip
    assert lhs(y, x) > cut.scale * cut.rhs + 1e-6  # violated by the LP
    # ... and satisfied by every plan: the optimum {A, C} and the three-site plan
    best_y, best_x = np.array([1.0, 0.0, 1.0]), np.zeros((3, 3))
    best_x[a, 0] = best_x[b, 0] = best_x[c, 2] = 1.0
    assert lhs(best_y, best_x) <= cut.scale * cut.rhs + 1e-9
    three_y, three_x = np.ones(3), np.zeros((3, 3))
    three_x[a, 0] = three_x[b, 1] = 1.0
    three_x[c, 0] = three_x[c, 1] = 3 / 12
    three_x[c, 2] = 6 / 12
    assert lhs(three_y, three_x) <= cut.scale * cut.rhs + 1e-9


def test_cuts_raise_the_lp_bound_but_never_above_the_optimum() -> None:
    block, prob, handles = built()
    result = add_norm_cuts(
        prob, handles, [block], {"p": 8.0}, max_rounds=10, min_gain=0.0, time_limit=30.0
    )
    assert result is not None and result.cuts >= 1
    assert result.bound > result.first_bound + 1.0
    assert result.bound <= 340.0 + 1e-6
    assert "cluster cut(s)" in result.line
    # the cuts are in the problem and leave the optimum where the hand computation has it
    assert any(name.startswith("normcut_") for name in prob.constraints)
    for solver in ("highs", "cbc"):
        outcome = solve_problem(prob, solver=solver)
        assert outcome.status == "optimal" and outcome.objective == pytest.approx(340.0)


@pytest.mark.parametrize("norm_cuts", [True, False])
@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_norm_cuts_change_speed_never_the_plan(norm_cuts: bool, solver: str) -> None:
    settings = DEFAULT_SETTINGS.replace(concentration={"norm_cuts": norm_cuts})
    result = model(settings=settings).solve(solver=solver)
    assert result.status == "optimal"
    assert result.offering() == ["A", "C"] and result.objective == pytest.approx(340.0)
    logged = [line for line in result.solve_log if line.startswith("norm cuts:")]
    assert len(logged) == (1 if norm_cuts else 0)


def test_separation_is_deterministic() -> None:
    first = built()
    second = built()
    lines = []
    for block, prob, handles in (first, second):
        out = add_norm_cuts(
            prob, handles, [block], {"p": 8.0}, max_rounds=10, min_gain=0.0, time_limit=30.0
        )
        assert out is not None
        lines.append((out.line.split(" in ")[0], str(prob)))
    assert lines[0] == lines[1]


def test_no_norm_cuts_on_fine_demand_with_a_coarse_twin() -> None:
    # at PC4 one LP relaxation takes most of a minute: the cut rounds are skipped, and said so
    result = model(coarse=model()).solve()
    assert result.status == "optimal" and result.objective == pytest.approx(340.0)
    assert "norm cuts: not used on fine demand (the LP alone is too slow)" in result.solve_log


def test_cuts_that_close_too_little_are_taken_out_again() -> None:
    # a share above 100 % can never be reached: the cuts are found, then removed before the MILP
    settings = DEFAULT_SETTINGS.replace(concentration={"cut_keep_share": 1.01})
    result = model(settings=settings).solve()
    assert result.status == "optimal" and result.objective == pytest.approx(340.0)
    removed = [line for line in result.solve_log if line.startswith("norm cuts: taken out again")]
    assert len(removed) == 1 and "< 101%" in removed[0]
    kept = model().solve()
    assert not any(line.startswith("norm cuts: taken out") for line in kept.solve_log)
