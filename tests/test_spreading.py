"""The spreading model on small hand-made instances whose optimum is worked out by hand."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from zorglandschap.errors import InputError
from zorglandschap.optimise.spreading import (
    SiteSpec,
    SpreadingInstance,
    SpreadingModel,
    SpreadingQuestion,
    StaffSpec,
    evaluate,
    plan_from_states,
)
from zorglandschap.optimise.spreading.answers import spoedpost_candidates
from zorglandschap.vocab import TIME_BLOCKS

INF = math.inf
NIGHT = TIME_BLOCKS.index("night")
STAFF = StaffSpec(
    open={"physician": 1.0, "nurse": 2.0},
    closed={"physician": 1.0, "nurse": 1.0},
    spoedpost={"physician": 1.0, "nurse": 1.0},
    block_hours={"day": 50.0, "evening": 25.0, "night": 63.0, "weekend": 30.0},
)


def six_sites() -> SpreadingInstance:
    """Six 24/7 SEHs in three regions, five demand points; the same minutes in every block.

    ============  ===========  ===================  ====================
    point         population   sites within 45 min  so, to keep coverage
    ============  ===========  ===================  ====================
    p1            100          A, B                 A or B open
    p2            50           B, C                 B or C open
    p3            80           D                    D open
    p4            30           D, E                 (D open)
    p5            20           D, F                 (D open)
    ============  ===========  ===================  ====================

    Night visits a year (own): A 40, B 10, C 30, D 20, E 20, F 5. Receivers by car minutes:
    A: B 10, C 20; B: A 10, C 15; C: B 15, A 20; D: E 12, F 30; E: D 12; F: D 30 (and the
    other regions beyond). Night capacity: A 60, B 60, C 45, D 45, E 45, F 45.

    Coverage alone (no capacity) is kept by {B, D}. With capacity, B alone would take
    10 + 40 + 30 = 80 > 60; A alone or C alone 80 > 60 / 45; so region R1 needs two SEHs:
    {A, C} (B's 10 visits move 10 minutes: 100 visit-minutes), {A, B} (C's 30 move 15: 450)
    or {B, C} (A's 40 move 10: 400) -> {A, C}. R2: D alone takes 20 + 20 (E) = 40 <= 45.
    F (R3) is needed by nobody, but region R3 keeps one 24/7 SEH, so F stays.
    Optimum: A, C, D, F open at night (4), B and E closed; tie-break 100 + 20 x 12 = 340.
    Without the one-per-region rule F closes too (D then takes 45 <= 45): 3 open, 340 + 150.
    """
    names = ("A", "B", "C", "D", "E", "F")
    regions = ("R1", "R1", "R1", "R2", "R2", "R3")
    visits = (40.0, 10.0, 30.0, 20.0, 20.0, 5.0)
    capacity = (60.0, 60.0, 45.0, 45.0, 45.0, 45.0)
    near = {
        "A": (("B", 10.0), ("C", 20.0)),
        "B": (("A", 10.0), ("C", 15.0)),
        "C": (("B", 15.0), ("A", 20.0)),
        "D": (("E", 12.0), ("F", 30.0)),
        "E": (("D", 12.0), ("F", 40.0)),
        "F": (("D", 30.0), ("E", 40.0)),
    }
    sites = []
    for name, region, v, c in zip(names, regions, visits, capacity, strict=True):
        far = tuple(
            (k, 90.0 + i) for i, k in enumerate(names) if k != name and k not in dict(near[name])
        )
        sites.append(
            SiteSpec(
                site_id=name,
                name=f"Site {name}",
                region=region,
                guarantee_region=region,
                baseline="24/7",
                visits=tuple(v if h == NIGHT else 0.0 for h in range(4)),
                capacity=tuple(c if h == NIGHT else INF for h in range(4)),
                receivers=near[name] + far,
            )
        )
    within = {
        "p1": ("A", "B"),
        "p2": ("B", "C"),
        "p3": ("D",),
        "p4": ("D", "E"),
        "p5": ("D", "F"),
    }
    population = {"p1": 100.0, "p2": 50.0, "p3": 80.0, "p4": 30.0, "p5": 20.0}
    region_of = {"p1": "R1", "p2": "R1", "p3": "R2", "p4": "R2", "p5": "R3"}
    minutes = np.array([[30.0 if n in within[p] else 60.0 for n in names] for p in within])
    points = pd.DataFrame(
        {
            "population": [population[p] for p in within],
            "municipality": "m",
            "region": [region_of[p] for p in within],
            "in_scope": True,
        },
        index=list(within),
    )
    return SpreadingInstance(
        sites=tuple(sites),
        points=points,
        minutes=dict.fromkeys(TIME_BLOCKS, minutes),
        staff=STAFF,
        spoedpost_keeps_share=0.2,
    )


def night_open(result) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(s["site_id"] for s in result.open_sites() if "night" in s["blocks"])


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_fewest_night_sehs_with_capacity_and_one_per_region(solver: str) -> None:
    """The optimum of :func:`six_sites`: A, C, D, F at night; visit-minutes 340."""
    result = SpreadingModel(six_sites(), SpreadingQuestion()).solve(solver=solver)
    assert result.status == "optimal"
    assert night_open(result) == ["A", "C", "D", "F"]
    assert result.stages[0].value == pytest.approx(4.0)
    assert result.stages[1].value == pytest.approx(340.0)
    loads = dict(zip(result.instance.site_ids, result.evaluation.loads[:, NIGHT], strict=True))
    assert loads == pytest.approx({"A": 50.0, "B": 0.0, "C": 30.0, "D": 40.0, "E": 0.0, "F": 5.0})
    assert result.notes == ()
    receiving = result.tables()["receiving"]
    assert set(zip(receiving["site_id"], receiving["added"], strict=True)) == {
        ("A", 10.0),
        ("D", 20.0),
    }


def test_highs_and_cbc_agree() -> None:
    """Both solvers give the same plan and objective values (the optimum is unique)."""
    plans = {}
    for solver in ("highs", "cbc"):
        result = SpreadingModel(six_sites(), SpreadingQuestion()).solve(solver=solver)
        plans[solver] = (night_open(result), [round(s.value, 6) for s in result.stages])
    assert plans["highs"] == plans["cbc"]


def test_without_capacity_coverage_alone_keeps_b_and_d() -> None:
    """No capacity: {B, D} keep coverage; F stays for the one-per-region rule (3 open)."""
    result = SpreadingModel(six_sites(), SpreadingQuestion(capacity=False)).solve()
    assert night_open(result) == ["B", "D", "F"]


def test_one_per_region_rule_keeps_f() -> None:
    """Dropping the one-24/7-per-region rule lets F close: A, C, D (D takes 45 <= 45)."""
    result = SpreadingModel(six_sites(), SpreadingQuestion(per_region=0)).solve()
    assert night_open(result) == ["A", "C", "D"]
    assert result.stages[1].value == pytest.approx(340.0 + 5 * 30.0)
    assert result.evaluation.loads[3, NIGHT] == pytest.approx(45.0)


def test_region_staff_limit_binds() -> None:
    """At most one SEH per region at night and no capacity: R1 keeps B (covers p1 and p2)."""
    question = SpreadingQuestion(teams=1, capacity=False)
    result = SpreadingModel(six_sites(), question).solve()
    assert night_open(result) == ["B", "D", "F"]
    staff = result.tables()["staff"].set_index(["region", "block", "role"])
    # R1 at night: one open SEH (1 physician, 2 nurses), two closed (1 + 1 each)
    assert staff.loc[("R1", "night", "nurse"), "plan"] == pytest.approx(4.0)
    assert staff.loc[("R1", "night", "nurse"), "today"] == pytest.approx(6.0)


def test_the_blocks_table_counts_sehs_staff_and_staff_hours_in_the_scope() -> None:
    """Region R1 alone (A, B, C), keep coverage with capacity: {A, C} at night (see
    :func:`six_sites`). Staff at night: today 3 open x 3 = 9; with the plan 2 x 3 + 1 closed
    x 2 = 8 people on duty; x 63 night hours a week: 567 -> 504 staff-hours. R2 and R3 are
    outside the scope and not counted."""
    instance = six_sites().scoped("R1")
    result = SpreadingModel(instance, SpreadingQuestion(region="R1")).solve()
    blocks = result.tables()["blocks"].set_index("block")
    night = blocks.loc["night"]
    assert (night["open_sehs_today"], night["open_sehs_plan"], night["open_sehs_change"]) == (
        3,
        2,
        -1,
    )
    assert (night["staff_today"], night["staff_plan"]) == (pytest.approx(9), pytest.approx(8))
    assert night["staff_hours_today"] == pytest.approx(9 * 63)
    assert night["staff_hours_change"] == pytest.approx(-63)
    assert night["beyond_plan"] == night["beyond_today"] == 0
    # the other blocks are not decided: the same today and with the plan
    assert blocks.loc["day", "staff_hours_change"] == 0 and blocks.loc["day", "open_sehs_plan"] == 3
    hours = result.summary()["staff_hours"]["night"]
    assert (hours["today"], hours["plan"]) == (pytest.approx(567), pytest.approx(504))


def test_impossible_staff_limit_gives_a_plain_diagnosis() -> None:
    """Four nurses on duty in R1 at night allow one open SEH (2 + 1 + 1), but capacity needs
    two (5 nurses): no plan; the diagnosis names R1, night and one nurse short."""
    question = SpreadingQuestion(staff={"R1": {"night": {"nurse": 4.0}}})
    result = SpreadingModel(six_sites(), question).solve()
    assert result.status == "infeasible"
    assert not result.has_plan
    text = "\n".join(result.diagnosis)
    assert "R1, night: 1.0 more nurse(s) on duty" in text
    assert "capacity" in text  # the other way out: more capacity
    payload = result.to_json()
    assert '"status": "infeasible"' in payload and "diagnosis" in payload


def test_staff_for_more_nurses_is_feasible() -> None:
    question = SpreadingQuestion(staff={"R1": {"night": {"nurse": 5.0}}})
    result = SpreadingModel(six_sites(), question).solve()
    assert result.status == "optimal"
    assert night_open(result) == ["A", "C", "D", "F"]


def test_max_coverage_for_the_staff_available() -> None:
    """One SEH per region, no capacity, maximise coverage: R1 keeps B (150 people), R2 D."""
    question = SpreadingQuestion(teams=1, capacity=False, coverage="max")
    result = SpreadingModel(six_sites(), question).solve()
    assert night_open(result) == ["B", "D", "F"]
    assert result.beyond()["night"] == 0


def nesting_instance(limited: tuple[str, ...] = ("day", "evening", "weekend")) -> SpreadingInstance:
    """Two SEHs P and Q in one region, one point per block with its own reach.

    - day: point d (10) within P only; evening: point e (10) within P or Q;
      night: point n (10) within Q only; weekend: nobody depends on either.

    Fewest open SEH-blocks with free hours: Q open at night, so (night ⊆ evening ⊆ day,
    night ⊆ weekend) Q is open 24/7 (4 blocks); P must take ambulances by day; evening is
    covered by Q; so P is open by day only: 5 blocks. Without the nesting rows only
    night ⊆ day would hold (a site open at night is 24/7, which takes ambulances by day): Q
    at night and by day, P by day, one of them in the evening: 4. With patterns, P's limited
    hours are day, evening and weekend: 4 + 3 = 7 blocks.
    """
    sites = tuple(
        SiteSpec(i, i, "R", "R", "24/7", limited_blocks=limited, receivers=((o, 10.0),))  # type: ignore[arg-type]
        for i, o in (("P", "Q"), ("Q", "P"))
    )
    points = pd.DataFrame(
        {"population": [10.0, 10.0, 10.0], "municipality": "m", "region": "R", "in_scope": True},
        index=["d", "e", "n"],
    )
    far = 60.0
    minutes = {
        "day": np.array([[30.0, far], [far, far], [far, far]]),
        "evening": np.array([[far, far], [30.0, 30.0], [far, far]]),
        "night": np.array([[far, far], [far, far], [far, 30.0]]),
        "weekend": np.array([[far, far], [far, far], [far, far]]),
    }
    return SpreadingInstance(sites=sites, points=points, minutes=minutes, staff=STAFF)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_nesting_with_free_hours(solver: str) -> None:
    question = SpreadingQuestion(blocks=list(TIME_BLOCKS), hours="free")
    result = SpreadingModel(nesting_instance(), question).solve(solver=solver)
    assert result.status == "optimal"
    assert result.stages[0].value == pytest.approx(5.0)
    blocks = {s["site_id"]: s["blocks"] for s in result.open_sites()}
    assert blocks == {"P": ["day"], "Q": list(TIME_BLOCKS)}
    assert result.evaluation.plan.states == {"P": "limited", "Q": "24/7"}
    for row in result.evaluation.plan.open:  # every plan nests
        day, evening, night, weekend = row
        assert night <= evening <= day and night <= weekend <= day


def test_nesting_with_patterns_uses_each_sites_own_hours() -> None:
    question = SpreadingQuestion(blocks=list(TIME_BLOCKS))
    assert SpreadingModel(nesting_instance(), question).solve().stages[0].value == 7.0
    office_hours = nesting_instance(limited=("day",))
    assert SpreadingModel(office_hours, question).solve().stages[0].value == 5.0


def spoedpost_instance() -> SpreadingInstance:
    """Two SEHs in one region, both within 45 minutes of the only point; S2 is smaller.

    Deciding every block, one SEH suffices; S2 closes its SEH (fewer visit-minutes to move)
    and becomes a spoedpost rather than closing (a spoedpost keeps 20 % of its day and
    evening visits): S2's 100 day visits move 80 to S1, its 10 night visits all 10.
    """
    sites = (
        SiteSpec(
            "S1", "S1", "R", "R", "24/7", visits=(300, 100, 30, 100), receivers=(("S2", 10.0),)
        ),
        SiteSpec("S2", "S2", "R", "R", "24/7", visits=(100, 50, 10, 40), receivers=(("S1", 10.0),)),
    )
    points = pd.DataFrame(
        {"population": [10.0], "municipality": "m", "region": "R", "in_scope": True}
    )
    minutes = {b: np.array([[20.0, 25.0]]) for b in TIME_BLOCKS}
    return SpreadingInstance(
        sites=sites, points=points, minutes=minutes, staff=STAFF, spoedpost_keeps_share=0.2
    )


def test_a_closed_seh_becomes_a_spoedpost_and_keeps_its_self_referrals() -> None:
    question = SpreadingQuestion(blocks=list(TIME_BLOCKS))
    result = SpreadingModel(spoedpost_instance(), question).solve()
    assert result.evaluation.plan.states == {"S1": "24/7", "S2": "spoedpost"}
    moved = result.tables()["moved"].set_index("block")["visits"]
    assert moved.to_dict() == pytest.approx(
        {"day": 80.0, "evening": 40.0, "night": 10.0, "weekend": 40.0}
    )
    # 80 x 10 + 40 x 10 + 10 x 10 + 40 x 10 visit-minutes
    assert result.stages[1].value == pytest.approx(1700.0)


def test_spoedpost_candidates_evaluates_each_site_alone() -> None:
    frame = spoedpost_candidates(six_sites()).set_index("site_id")
    # A alone as a spoedpost: p1 still has B; its 40 night visits go to B (10 + 40 <= 60)
    assert frame.loc["A", "candidate"]
    # D alone: p3 (80 people) newly beyond at night
    assert frame.loc["D", "newly_beyond_night"] == pytest.approx(80.0)
    assert not frame.loc["D", "candidate"]
    # C alone: B takes 10 + 30 = 40 <= 60 and nobody is newly beyond
    assert frame.loc["C", "candidate"]


def test_evaluate_matches_the_model_on_loads_and_moves() -> None:
    instance = six_sites()
    plan = plan_from_states(instance, {"B": "limited", "E": "limited"})
    evaluation = evaluate(instance, plan)
    assert evaluation.over_capacity().empty
    assert evaluation.beyond("night") == 0.0


def test_keep_sites_unknown_names_the_site() -> None:
    with pytest.raises(InputError, match="Unknown site id 'Z'"):
        SpreadingModel(six_sites(), SpreadingQuestion(keep_sites=["Z"]))


def test_keep_sites_are_not_changed() -> None:
    result = SpreadingModel(six_sites(), SpreadingQuestion(keep_sites=["B"])).solve()
    assert "B" in night_open(result)
    # B and one of A, C: {A, B} moves C's 30 visits 15 min = 450, {B, C} A's 40 x 10 = 400
    assert night_open(result) == ["B", "C", "D", "F"]


def test_bad_instance_data_is_refused_with_all_problems() -> None:
    site = SiteSpec("x", "X", "R", "R", "none")  # type: ignore[arg-type]
    points = pd.DataFrame(
        {"population": [1.0], "municipality": "m", "region": "R", "in_scope": True}
    )
    with pytest.raises(InputError, match="takes no ambulances"):
        SpreadingInstance((site,), points, {b: np.zeros((1, 1)) for b in TIME_BLOCKS})


def test_travel_limit_keeps_the_nearer_seh() -> None:
    """One point 10 minutes from X and 30 from Y; X takes 10 night visits, Y 40. Keeping
    coverage, either may close at night: X closes (10 visits moved, not 40). With at most 15
    added minutes, closing X would add 20: Y closes instead."""
    sites = (
        SiteSpec("X", "X", "R", "R", "24/7", visits=(0, 0, 10, 0), receivers=(("Y", 10.0),)),
        SiteSpec("Y", "Y", "R", "R", "24/7", visits=(0, 0, 40, 0), receivers=(("X", 10.0),)),
    )
    points = pd.DataFrame(
        {"population": [10.0], "municipality": "m", "region": "R", "in_scope": True}
    )
    minutes = {b: np.array([[10.0, 30.0]]) for b in TIME_BLOCKS}
    instance = SpreadingInstance(sites=sites, points=points, minutes=minutes, staff=STAFF)
    free = SpreadingModel(instance, SpreadingQuestion(per_region=0)).solve()
    assert night_open(free) == ["Y"]
    limited = SpreadingModel(
        instance, SpreadingQuestion(per_region=0, max_added_minutes=15)
    ).solve()
    assert night_open(limited) == ["X"]
    assert limited.notes == ()


def test_without_the_nesting_rows_the_plan_would_not_nest(monkeypatch: pytest.MonkeyPatch) -> None:
    """The nesting family is what keeps free hours nested: without it the optimum of
    :func:`nesting_instance` drops to 4 blocks, and Q is open at night but not on weekends."""
    from zorglandschap.optimise.spreading import formulation

    monkeypatch.setattr(formulation, "define_nesting", lambda problem, handles: None)
    question = SpreadingQuestion(blocks=list(TIME_BLOCKS), hours="free")
    result = SpreadingModel(nesting_instance(), question).solve()
    assert result.stages[0].value == pytest.approx(4.0)
    q = result.instance.index()["Q"]
    day, evening, night, weekend = result.evaluation.plan.open[q]
    assert night and not weekend


def test_acute_obstetrics_keeps_a_24_7_seh() -> None:
    """B has acute obstetrics and must stay 24/7; R1 then needs B and one more for capacity:
    {B, C} moves A's 40 visits 10 minutes (400), {A, B} C's 30 visits 15 minutes (450)."""
    instance = six_sites()
    sites = tuple(dataclasses.replace(s, av=s.site_id == "B") for s in instance.sites)
    instance = dataclasses.replace(instance, sites=sites)
    result = SpreadingModel(instance, SpreadingQuestion(av_needs_24_7=True)).solve()
    assert night_open(result) == ["B", "C", "D", "F"]


def test_fewest_staff_hours_gives_the_same_plan() -> None:
    """Staff-hours a week at night: 6 sites x (1 + 1) on duty when closed, plus one nurse
    more at each of the 4 open SEHs, x 63 hours = 1,008."""
    result = SpreadingModel(six_sites(), SpreadingQuestion(objective="staff")).solve()
    assert night_open(result) == ["A", "C", "D", "F"]
    assert result.stages[0].value == pytest.approx(63 * (6 * 2 + 4))


def test_coverage_share_target() -> None:
    """At least 45 % of the 280 inhabitants within 45 minutes, no capacity, no 24/7 rule: one
    SEH suffices. B alone leaves p3, p4, p5 (130) beyond, D alone p1, p2 (150): both within
    the 154 allowed; B moves fewer visit-minutes (4,945 against 7,590)."""
    question = SpreadingQuestion(coverage="share", share=0.45, capacity=False, per_region=0)
    result = SpreadingModel(six_sites(), question).solve()
    assert night_open(result) == ["B"]
    assert result.beyond()["night"] == 130
    assert result.coverage()["night"] == pytest.approx(150 / 280)
    assert result.stages[1].value == pytest.approx(4945.0)
