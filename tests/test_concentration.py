"""Complex-care concentration on hand-made instances whose optimum is computed by hand.

The instance (3 sites, 5 demand points, 40 patients a year; minutes per pair):

======  ========  ====  ====  ====
point   patients   A     B     C
======  ========  ====  ====  ====
p1         10      10    30    50
p2          8      20    10    40
p3          6      45    15    10
p4         12      60    35     5
p5          4      25    30    20
======  ========  ====  ====  ====

Hand computation (patient-minutes a year, everyone to the nearest open site unless a norm needs
otherwise): one site — A 1350, B 1010, C 1020; two sites (at most floor(40/15) = 2 at norm 15):
{A, C} 460 (A 18, C 22 patients), {B, C} 580, {A, B} 790 + 10 (A needs one more patient: p2
moves, +10). Norm 20: {A, C} needs 2 more patients at A; the cheapest is p5 (25 instead of 20
minutes, +5 each): 470. Norm 25: two sites need 50 > 40, so one site: B, 1010.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from zorglandschap.errors import InfeasiblePlan, ScenarioError
from zorglandschap.optimise import ConcentrationModel
from zorglandschap.optimise.solver import highs_available

SOLVERS = ["cbc"] + (["highs"] if highs_available() else [])
#: The CSV files a plan writes.
CSV_NAMES = ["baseline.csv", "flows.csv", "indicators.csv", "movement.csv", "sites.csv"]

MINUTES = {
    "p1": {"A": 10, "B": 30, "C": 50},
    "p2": {"A": 20, "B": 10, "C": 40},
    "p3": {"A": 45, "B": 15, "C": 10},
    "p4": {"A": 60, "B": 35, "C": 5},
    "p5": {"A": 25, "B": 30, "C": 20},
}
PATIENTS = {"p1": 10.0, "p2": 8.0, "p3": 6.0, "p4": 12.0, "p5": 4.0}


def tiny_pairs() -> pd.DataFrame:
    rows = [(i, j, float(t)) for i, row in MINUTES.items() for j, t in row.items()]
    return pd.DataFrame(rows, columns=["demand_id", "site_id", "minutes"])


def tiny_sites() -> pd.DataFrame:
    return pd.DataFrame(
        {"name": ["Site A", "Site B", "Site C"], "region": ["R1", "R1", "R2"]},
        index=pd.Index(["A", "B", "C"], name="site_id"),
    )


def close_site_c(problem: object, handles: object) -> None:
    """An ``extra`` hook: site C may not offer (a user's own constraint)."""
    import pulp

    for b, ys in enumerate(handles.y.values()):  # type: ignore[attr-defined]
        problem += pulp.LpAffineExpression([(ys[2], 1.0)]) <= 0, f"user_no_c_{b}"  # type: ignore[operator]


def tiny(norm: float, **options: object) -> ConcentrationModel:
    demand = pd.Series(PATIENTS, name="p")
    options.setdefault("max_minutes", math.inf)
    return ConcentrationModel.from_pairs(
        demand, tiny_pairs(), norm=norm, sites=tiny_sites(), **options
    )


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize(
    ("norm", "sites", "travel"),
    [(15, ["A", "C"], 460.0), (20, ["A", "C"], 470.0), (25, ["B"], 1010.0)],
)
def test_hand_optimum(solver: str, norm: float, sites: list[str], travel: float) -> None:
    result = tiny(norm).solve(solver=solver)
    assert result.status == "optimal"
    assert result.offering() == sites
    assert result.objective == pytest.approx(travel)
    assert result.travel == pytest.approx(travel)
    assert result.gap is not None and result.gap <= 1e-4
    # every offering site meets the norm; every patient is served exactly once
    offers = result.sites[result.sites["offers"]]
    assert (offers["volume"] >= norm - 1e-6).all()
    served = result.flows.groupby("demand_id")["patients"].sum()
    assert served.to_dict() == pytest.approx(PATIENTS)


def test_norm_20_moves_two_p5_patients_to_a() -> None:
    flows = tiny(20).solve(solver="cbc").flows
    p5 = flows[flows["demand_id"] == "p5"].set_index("site_id")["patients"]
    assert p5.to_dict() == pytest.approx({"A": 2.0, "C": 2.0})


def test_raised_norm_gives_fewer_sites_and_more_travel() -> None:
    low, high = tiny(15).solve(), tiny(25).solve()
    assert len(high.offering()) < len(low.offering())
    assert high.travel > low.travel


def test_max_minutes_drops_pairs_but_keeps_optimum() -> None:
    result = tiny(15, max_minutes=30).solve()
    assert result.offering() == ["A", "C"]
    assert result.objective == pytest.approx(460.0)
    assert result.flows["minutes"].max() <= 30


def test_unreachable_point_is_diagnosed_with_the_time_needed() -> None:
    result = tiny(15, max_minutes=12).solve()
    assert result.status == "infeasible"
    text = " ".join(result.diagnosis)
    assert "no eligible site within 12 minutes: p5" in text
    assert "raise the maximum travel time to 20 minutes" in text


def test_exempt_points_keep_their_sites_beyond_the_limit() -> None:
    # p1 reaches nothing within 8 minutes... neither do most: only p4 (C, 5) does
    result = tiny(5, max_minutes=8, beyond_limit="exempt").solve()
    assert result.status == "optimal"
    assert any("limit does not apply" in d for d in result.diagnosis)


def test_region_guarantee_infeasible_gives_plain_words_and_relaxation() -> None:
    result = tiny(25, per_region=1).solve()
    assert result.status == "infeasible"
    text = "\n".join(result.diagnosis)
    # counting check: 2 sites x 25 = 50 > 40 patients
    assert "need 50 patients a year" in text and "Lower the norm to 20" in text
    # elastic model: the largest norm with one site per region is 20 (40 patients split)
    assert "largest norm that can be met is 20.0" in text
    # or drop one region guarantee
    assert "guarantee for R" in text
    with pytest.raises(InfeasiblePlan, match="infeasible") as info:
        result.raise_for_status()
    assert info.value.diagnosis == list(result.diagnosis)


def test_region_guarantee_holds_when_feasible() -> None:
    result = tiny(20, per_region=1).solve()
    assert result.status == "optimal"
    regions = set(result.sites[result.sites["offers"]]["region"])
    assert regions == {"R1", "R2"}


def test_closest_assignment_changes_the_plan() -> None:
    # with closest assignment p5 must go to C when A and C are open, so A keeps 18 < 20:
    # no two-site plan meets the norm and the best single site is B (1010)
    for solver in SOLVERS:
        result = tiny(20, closest_assignment=True).solve(solver=solver)
        assert result.status == "optimal"
        assert result.offering() == ["B"]
        assert result.objective == pytest.approx(1010.0)


def test_forced_and_closed_sites() -> None:
    assert tiny(15, closed_sites=["A"]).solve().offering() == ["B", "C"]
    forced = tiny(15, open_sites=["B"]).solve()
    assert forced.offering() == ["B", "C"]
    assert forced.objective == pytest.approx(580.0)
    assert tiny(15, eligible=["A", "B"]).solve().objective == pytest.approx(800.0)


def test_site_count_bounds() -> None:
    assert tiny(15, max_sites=1).solve().offering() == ["B"]
    bad = tiny(15, min_sites=3).solve()
    assert bad.status == "infeasible"
    assert any("need at least 3 site(s)" in d for d in bad.diagnosis)
    # three sites asked of two candidates: the counting check names both numbers
    two = tiny(5, min_sites=3, eligible=["A", "B"]).solve()
    assert two.status == "infeasible"
    assert any(
        "at least 3 sites are asked, but only 2 sites are candidates" in d for d in two.diagnosis
    )


def test_capacity() -> None:
    # C may take at most 15 patients: {A, C} has C 22, so 7 must move to A at the least cost:
    # p5 (4 x +5) and 3 of p3 (3 x +35) = 20 + 105 = 125 -> 585; {B, C} with C <= 15:
    # B 18, C 22 -> 7 move to B: all 6 of p3 (+5 each) and 1 of p5 (+10) = 40 -> 620.
    cap = pd.Series({"C": 15.0})
    result = tiny(15, capacity=cap).solve()
    assert result.offering() == ["A", "C"]
    assert result.objective == pytest.approx(585.0)


def test_disruption_weight_keeps_todays_team() -> None:
    # baseline: B offers today. With weight w: {A,C} 460 + 3w, {B,C} 580 + w, {B} 1010.
    for w, sites, obj in [(0, ["A", "C"], 460.0), (100, ["B", "C"], 680.0), (600, ["B"], 1010.0)]:
        result = tiny(15, baseline=["B"], stop_weight=w, start_weight=w).solve()
        assert result.offering() == sites
        assert result.objective == pytest.approx(obj)
    changes = tiny(15, baseline=["B"]).solve().changes()
    assert dict(zip(changes["site_id"], changes["change"], strict=True)) == {
        "A": "starts",
        "B": "stops",
        "C": "starts",
    }


def test_tradeoff_curves_in_one_call() -> None:
    curve = tiny(15).tradeoff()
    assert curve.points["value"].tolist() == [1.0, 2.0]
    assert curve.points["travel"].tolist() == pytest.approx([1010.0, 460.0])
    dis = tiny(15, baseline=["B"]).tradeoff(disruption_weights=[0, 100, 600])
    assert dis.points["sites"].tolist() == [2, 2, 1]
    assert dis.points["stops"].tolist() == [1, 0, 0]
    assert dis.points["starts"].tolist() == [2, 1, 0]


def test_share_sites_couples_interventions() -> None:
    # q's demand sits at p4 only, near C; sharing forces p's plan to include q's site.
    demand = pd.DataFrame(
        {"p": PATIENTS, "q": {"p1": 0.0, "p2": 0.0, "p3": 0.0, "p4": 30.0, "p5": 0.0}}
    )
    base = ConcentrationModel(
        demand, tiny_pairs(), norms={"p": 15, "q": 15}, sites=tiny_sites(), max_sites={"q": 1}
    )
    free = base.solve()
    assert free.offering("q") == ["C"] and free.offering("p") == ["A", "C"]
    shared = base.replace(share_sites=[("p", "q")], max_sites={"q": 1, "p": 1}).solve()
    assert shared.offering("p") == shared.offering("q") == ["C"]
    assert shared.objective == pytest.approx(1020.0 + 30 * 5.0)


def test_worker_processes_never_change_the_plan() -> None:
    # three independent interventions, solved one after the other here and side by side in
    # worker processes: the same plan, flows and log, line for line
    from zorglandschap.settings import DEFAULT_SETTINGS

    demand = pd.DataFrame(
        {
            "p": PATIENTS,
            "q": {"p1": 0.0, "p2": 5.0, "p3": 0.0, "p4": 30.0, "p5": 2.0},
            "r": {"p1": 9.0, "p2": 9.0, "p3": 9.0, "p4": 9.0, "p5": 9.0},
        }
    )
    norms = {"p": 15, "q": 15, "r": 20}

    def solve(workers: int) -> tuple[dict[str, object], list[str]]:
        settings = DEFAULT_SETTINGS.replace(
            concentration={"workers": workers, "worker_min_pairs": 0}
        )
        model = ConcentrationModel(
            demand, tiny_pairs(), norms=norms, sites=tiny_sites(), settings=settings
        )
        result = model.solve()
        data = json.loads(result.to_json())
        # the timings (and the log, which has them) differ between runs: compare the rest
        data.pop("timing")
        return data, [line.split(" in ")[0] for line in result.solve_log]

    here, here_log = solve(1)
    side_by_side, side_log = solve(3)
    assert here["status"] == "optimal"
    assert side_by_side == here
    assert side_log == here_log and any(line.startswith("r: ") for line in here_log)


def test_a_failing_worker_is_solved_here_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from zorglandschap.settings import DEFAULT_SETTINGS

    monkeypatch.setattr("sys.executable", "/nonexistent/python")
    demand = pd.DataFrame({"p": PATIENTS, "q": PATIENTS})
    settings = DEFAULT_SETTINGS.replace(concentration={"workers": 2, "worker_min_pairs": 0})
    result = ConcentrationModel(
        demand, tiny_pairs(), norms={"p": 15, "q": 20}, sites=tiny_sites(), settings=settings
    ).solve()
    assert result.status == "optimal"
    assert result.objective == pytest.approx(460.0 + 470.0)
    failed = [line for line in result.solve_log if "failed" in line]
    assert len(failed) == 2 and failed[0].startswith("p: worker for p failed (FileNotFoundError")


def test_merged_demand_points_give_the_same_plan() -> None:
    # p6 (1 patient) has p1's reach: it is merged with p1, and the optimum stays {A, C}
    demand = pd.Series({**PATIENTS, "p6": 1.0}, name="p")
    pairs = pd.concat(
        [tiny_pairs(), tiny_pairs().query("demand_id == 'p1'").assign(demand_id="p6")]
    )
    model = ConcentrationModel.from_pairs(demand, pairs, norm=15, max_minutes=math.inf)
    assert model.blocks()["p"].n_points == 5
    result = model.solve()
    assert result.objective == pytest.approx(460.0 + 1 * 10)
    assert set(result.flows["demand_id"]) == {"p1", "p2", "p3", "p4", "p5", "p6"}


@pytest.mark.parametrize("near", [1, 2])
def test_near_far_links_are_exact(near: int) -> None:
    # the far-pool re-solve strategy moved to bench/far_pool.py (slower; bench/RESULTS.md)
    from zorglandschap.settings import DEFAULT_SETTINGS

    settings = DEFAULT_SETTINGS.replace(concentration={"near_sites": near})
    for norm, obj in [(15, 460.0), (20, 470.0), (25, 1010.0)]:
        result = tiny(norm, settings=settings).solve()
        assert result.status == "optimal"
        assert result.objective == pytest.approx(obj)


def test_result_exports(tmp_path: object) -> None:
    result = tiny(20).solve()
    data = json.loads(result.to_json())
    assert data["status"] == "optimal"
    assert [s["site_id"] for s in data["sites"]] == ["A", "C"]
    assert {"gap", "objective", "timing", "mean_minutes", "p90_minutes", "max_minutes"} <= set(data)
    assert {"seconds", "build_seconds", "solve_log"} == set(data["timing"])
    assert data["max_minutes"] == pytest.approx(25.0)
    # same inputs, same bytes (apart from the timings)
    again = json.loads(tiny(20).solve().to_json())
    for d in (data, again):
        d.pop("timing")
    assert again == data
    written = result.to_csv(tmp_path)  # type: ignore[arg-type]
    assert sorted(p.name for p in written) == CSV_NAMES


def test_indicators_are_patient_weighted() -> None:
    ind = tiny(15).solve().indicators
    row = ind[ind["region"] == "all"].iloc[0]
    assert row["mean_minutes"] == pytest.approx(460.0 / 40.0)
    assert row["max_minutes"] == pytest.approx(20.0)
    # minutes sorted: 5 (12), 10 (10), 10 (6), 20 (8), 20 (4): 90% of 40 = 36 -> 20
    assert row["p90_minutes"] == pytest.approx(20.0)


def test_missing_norm_is_never_defaulted() -> None:
    demand = pd.DataFrame({"p": PATIENTS})
    with pytest.raises(ScenarioError, match="never defaulted"):
        ConcentrationModel(demand, tiny_pairs(), norms={})


def test_input_errors_name_the_field_and_the_fix() -> None:
    with pytest.raises(ScenarioError, match="unknown site"):
        tiny(15, open_sites=["Z"])
    bad = tiny_pairs().assign(minutes=-1.0)
    with pytest.raises(ScenarioError, match="negative minutes"):
        ConcentrationModel.from_pairs(pd.Series(PATIENTS, name="p"), bad, norm=15)
    with pytest.raises(ScenarioError, match="forced both open and closed"):
        tiny(15, open_sites=["A"], closed_sites=["A"])


def test_restricted_block_keeps_points_and_site_positions() -> None:
    import numpy as np

    block = tiny(15).blocks()["p"]
    keep = np.array([s != "B" for s in block.sites])
    small = block.restricted(keep)
    assert small.n_points == block.n_points and small.sites == block.sites
    for m in range(block.n_points):
        sites, minutes = block.reach(m)
        kept_sites, kept_minutes = small.reach(m)
        assert list(kept_sites) == [j for j in sites if block.sites[j] != "B"]
        assert list(kept_minutes) == [t for j, t in zip(sites, minutes, strict=True) if keep[j]]


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("start_plan", [True, False])
def test_start_plan_changes_speed_never_the_optimum(solver: str, start_plan: bool) -> None:
    from zorglandschap.settings import DEFAULT_SETTINGS

    settings = DEFAULT_SETTINGS.replace(
        concentration={"start_plan": start_plan, "start_near_sites": 1}
    )
    for norm, sites, obj in [(15, ["A", "C"], 460.0), (20, ["A", "C"], 470.0), (25, ["B"], 1010.0)]:
        result = tiny(norm, settings=settings).solve(solver=solver)
        assert result.status == "optimal"
        assert result.offering() == sites
        assert result.objective == pytest.approx(obj)
        # the start plan ran (or was switched off) and says what it found
        logged = [line for line in result.solve_log if line.startswith("start plan:")]
        assert len(logged) == (1 if start_plan else 0)


def start_steps(log: list[str]) -> list[str]:
    """The solve log's lines about the coarse plan and the start plan, in order."""
    return [line for line in log if line.startswith(("coarse plan", "start plan"))]


def test_coarse_plan_starts_the_fine_solve_and_never_changes_the_optimum() -> None:
    # the coarse twin here is the same question (in practice: municipalities for PC4)
    fine = tiny(20, coarse=tiny(20))
    result = fine.solve()
    assert result.status == "optimal"
    assert result.offering() == ["A", "C"] and result.objective == pytest.approx(470.0)
    steps = start_steps(result.solve_log)
    assert steps[0].startswith("coarse plan (custom): optimal")
    assert steps[1].startswith("start plan: the 2 site offer(s) of the coarse plan")


@pytest.mark.skipif(not highs_available(), reason="HiGHS (highspy) not installed")
@pytest.mark.parametrize("root_lp", ["choose", "simplex", "ipm"])
def test_fine_root_lp_solver_changes_speed_never_the_optimum(root_lp: str) -> None:
    from zorglandschap.settings import DEFAULT_SETTINGS

    settings = DEFAULT_SETTINGS.replace(concentration={"fine_root_lp": root_lp})
    result = tiny(20, coarse=tiny(20), settings=settings).solve(solver="highs")
    assert result.status == "optimal"
    assert result.offering() == ["A", "C"] and result.objective == pytest.approx(470.0)


def test_unusable_coarse_plan_falls_back_to_the_lp_start() -> None:
    # the coarse plan offers only B; within 25 minutes p1 and p4 cannot reach B, so that plan
    # cannot start the fine solve: the LP-support start takes over, the optimum stays {A, C}
    coarse = tiny(25, closed_sites=["A", "C"])
    result = tiny(15, max_minutes=25, coarse=coarse).solve()
    assert result.status == "optimal"
    assert result.offering() == ["A", "C"] and result.objective == pytest.approx(460.0)
    steps = start_steps(result.solve_log)
    assert "a demand point reaches none of the kept sites" in steps[1]
    assert steps[2].startswith("start plan: 2 sites of the LP relaxation")


def test_result_follows_the_result_contract(tmp_path: object) -> None:
    from pathlib import Path

    from zorglandschap.result import Result, dumps
    from zorglandschap.settings import DEFAULT_SETTINGS

    settings = DEFAULT_SETTINGS.replace(concentration={"report_minutes": 30.0})
    result = tiny(20, settings=settings, state_name="toy").solve()
    assert isinstance(result, Result)
    assert result.settings is settings and result.state_name == "toy"
    summary = result.summary()
    assert (summary["status"], summary["sites"], summary["objective"]) == ("optimal", 2, 470.0)
    assert summary["mean_minutes"] == pytest.approx(470.0 / 40.0)
    assert sorted(result.tables()) == ["baseline", "flows", "indicators", "movement", "sites"]
    assert result.to_json() == dumps(result.to_dict())
    # no maximum time: "share beyond" counts the report minutes (30 here); everyone is within
    assert summary["share_beyond"] == 0.0
    folder = Path(str(tmp_path))
    (folder / "sites.csv").write_text("old", encoding="utf-8")
    written = result.to_csv(folder)
    assert sorted(p.name for p in folder.iterdir()) == CSV_NAMES
    assert written[0].read_text(encoding="utf-8").startswith("intervention,site_id,name")
    path = folder / "plan.json"
    result.to_json(path)
    assert path.read_text(encoding="utf-8") == result.to_json() + "\n"


def test_extra_constraints_reach_every_problem_built() -> None:
    # the hook closes site C in every problem built (full model, start plan, elastic): at norm
    # 15 the plan is then {A, B} at 800, as with only A and B eligible (hand computation above)
    result = tiny(15, extra=close_site_c).solve()
    assert result.status == "optimal"
    assert result.offering() == ["A", "B"] and result.objective == pytest.approx(800.0)
    # and in the elastic diagnosis: without C, norm 25 with a site per region cannot be met
    # (R2 has only C), and no norm makes it feasible
    infeasible = tiny(25, per_region=1, extra=close_site_c).solve()
    assert infeasible.status == "infeasible"
    assert any("Lowering the norm alone does not" in line for line in infeasible.diagnosis)


# -- the round table's objective: disruption first, then travel ------------------------------
#
# Today A and B offer (baseline); each point's hospital today is its nearest of them: p1, p5
# at A (14 patients), p2, p3, p4 at B (26). The disruption is K x team changes + patients who
# change hospital, K = a quarter of the norm.
#
# Norm 15 on A and B: A lacks 1 patient; the cheapest is one of p2's (20 instead of 10 minutes):
# 1 patient moves, travel 790 + 10 = 800. Stopping A would move its 14 patients. Norm 20: A
# lacks 6, all from p2 (+10 each): 6 move, travel 850. Norm 21: two sites need 42 > 40, so one
# stays: B (A's 14 patients move, plus K = 5.25) rather than A (26 move); travel 1010.


def round_table(norm: float, **options: object) -> ConcentrationModel:
    options.setdefault("eligible", ["A", "B"])
    options.setdefault("objective", "disruption")
    return tiny(norm, baseline=["A", "B"], **options)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize(
    ("norm", "sites", "moved", "travel"),
    [(15, ["A", "B"], 1.0, 800.0), (20, ["A", "B"], 6.0, 850.0), (21, ["B"], 14.0, 1010.0)],
)
def test_round_table_moves_the_fewest_patients_then_travels_least(
    solver: str, norm: float, sites: list[str], moved: float, travel: float
) -> None:
    result = round_table(norm).solve(solver=solver)
    assert result.status == "optimal" and result.objective_kind == "disruption"
    assert result.offering() == sites
    assert result.travel == pytest.approx(travel)
    row = result.movement.iloc[0]
    assert row["patients_moved"] == pytest.approx(moved)
    assert (row["sites_today"], row["sites_plan"]) == (2, len(sites))
    changes = 2 - len(sites)
    assert result.disruption is not None
    assert result.disruption[0] == pytest.approx(moved + 0.25 * norm * changes)
    # the travel-only optimum on every site ({A, C} at 460 and 470; B alone at norm 21) asks
    # another question
    assert tiny(norm).solve(solver=solver).travel <= travel


def test_round_table_names_who_stops_and_who_is_sent_past_a_nearer_centre() -> None:
    result = round_table(15).solve()
    data = result.to_dict()
    assert [s["change"] for s in data["sites"]] == ["keep", "keep"]
    assert data["stops"] == [] and data["patients_moved"] == pytest.approx(1.0)
    # the one p2 patient at A (20 minutes) passes B (10 minutes), which offers
    assert result.movement.iloc[0]["patients_past_nearer"] == pytest.approx(1.0)
    stopped = round_table(21).solve().to_dict()
    assert [(s["site_id"], s["volume"]) for s in stopped["stops"]] == [("A", None)]
    # with closest assignment nobody passes a nearer offering centre
    closest = round_table(15, closest_assignment=True).solve()
    assert closest.movement.iloc[0]["patients_past_nearer"] == pytest.approx(0.0)


def test_round_table_warns_about_more_centres_and_stopping_teams_above_the_norm() -> None:
    volumes = pd.DataFrame(
        {"intervention": ["p", "p"], "site_id": ["A", "B"], "volume": [30.0, 26.0],
         "source": ["known (2024: test)", "estimate: test"]}
    )  # fmt: skip
    # C forced open: a third centre, more than the two of today
    more = round_table(10, eligible=["A", "B", "C"], open_sites=["C"], baseline_volume=volumes)
    assert any("3 centres, more than the 2 of today" in w for w in more.solve().warnings)
    # norm 21 stops A, which treats 30 a year today (known): at or above the norm
    stop = round_table(21, baseline_volume=volumes).solve()
    assert any("Site A stops although it treats 30 patients" in w for w in stop.warnings)


def test_disruption_weight_weighs_instead_of_ordering() -> None:
    # travel + w per team change on A and B: at norm 21 B alone (1010) or A alone (1350);
    # both keep at norm 20 (850, no change)
    weighted = round_table(20, objective="travel", stop_weight=500.0, start_weight=500.0)
    result = weighted.solve()
    assert result.objective_kind == "weighted" and result.offering() == ["A", "B"]
    assert result.objective == pytest.approx(850.0)


def test_infeasible_round_table_says_what_else_to_try() -> None:
    hint = "new teams may start (a test hint)"
    result = round_table(15, min_sites=3, infeasible_hints=[hint]).solve()
    assert result.status == "infeasible"
    assert hint in result.diagnosis
    assert result.to_dict()["stops"] == [] and result.patients_moved() is None


def test_an_infeasible_result_writes_no_csv_and_leaves_the_old_ones(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    tiny(15).solve().to_csv(folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    infeasible = tiny(25, per_region=2)  # R2 has one site: two per region cannot be
    with pytest.raises(InfeasiblePlan, match="No CSV written"):
        infeasible.solve().to_csv(folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
