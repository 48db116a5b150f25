"""National pancreatic resection on the embedded Netherlands (slow: full national solves)."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from zorglandschap.landscape import Landscape
from zorglandschap.optimise import ConcentrationModel, ConcentrationResult, landscape_model
from zorglandschap.optimise.solver import highs_available

pytestmark = pytest.mark.slow

MAX_MINUTES = 90.0


@pytest.fixture(scope="module")
def pancreas_models(netherlands: Landscape) -> dict[int, ConcentrationModel]:
    """The travel-only question on every site (the model before the round table's default)."""
    return {
        norm: landscape_model(
            netherlands,
            "pancreas",
            norms=norm,
            per_region=1,
            max_minutes=MAX_MINUTES,
            objective="travel",
        )  # fmt: skip
        for norm in (20, 40)
    }


@pytest.fixture(scope="module")
def pancreas(pancreas_models: dict[int, ConcentrationModel]) -> dict[int, ConcentrationResult]:
    return {norm: m.solve(time_limit=300) for norm, m in pancreas_models.items()}


def check_plan(model: ConcentrationModel, result: ConcentrationResult, norm: float) -> None:
    p = model.interventions[0]
    assert result.status == "optimal"
    assert result.gap is not None and result.gap <= 1e-3
    offers = result.sites[result.sites["offers"]]
    # every offering site meets the norm
    assert (offers["volume"] >= norm - 1e-6).all()
    # every patient is assigned, within the time limit (the exempt Wadden islands excepted,
    # and named in the result)
    served = result.flows.groupby("demand_id")["patients"].sum()
    demand = model.demand[p][model.demand[p] > 0]
    assert served.reindex(demand.index).to_numpy() == pytest.approx(demand.to_numpy())
    exempt = set(model.blocks()[p].exempt)
    assert exempt == {"GM0060", "GM0088", "GM0093", "GM0096"}  # the four Wadden islands
    assert any("limit does not apply" in d for d in result.diagnosis)
    inside = result.flows[~result.flows["demand_id"].isin(exempt)]
    assert inside["minutes"].max() <= MAX_MINUTES
    # per-ROAZ guarantees
    assert set(offers["region"]) == {f"ROAZ{k:02d}" for k in range(1, 12)}


def test_pancreas_norm_20_is_proven_optimal(
    pancreas_models: dict[int, ConcentrationModel], pancreas: dict[int, ConcentrationResult]
) -> None:
    check_plan(pancreas_models[20], pancreas[20], 20)


def test_raised_norm_gives_fewer_sites_and_longer_travel(
    pancreas_models: dict[int, ConcentrationModel], pancreas: dict[int, ConcentrationResult]
) -> None:
    check_plan(pancreas_models[40], pancreas[40], 40)
    low, high = pancreas[20], pancreas[40]
    assert len(high.offering()) < len(low.offering())
    assert high.travel > low.travel
    mean = {n: r.to_dict()["mean_minutes"] for n, r in pancreas.items()}
    assert mean[40] > mean[20]


@pytest.mark.skipif(not highs_available(), reason="needs HiGHS to compare with CBC")
def test_cbc_finds_the_same_optimum(
    pancreas_models: dict[int, ConcentrationModel], pancreas: dict[int, ConcentrationResult]
) -> None:
    cbc = pancreas_models[20].solve(solver="cbc", time_limit=300)
    assert cbc.status == "optimal"
    assert cbc.objective == pytest.approx(pancreas[20].objective, rel=2e-4)


def test_norm_cuts_raise_the_bound_and_leave_the_optimum(
    pancreas_models: dict[int, ConcentrationModel], pancreas: dict[int, ConcentrationResult]
) -> None:
    import re

    from zorglandschap.settings import DEFAULT_SETTINGS

    result = pancreas[20]
    line = next(x for x in result.solve_log if x.startswith("norm cuts:"))
    found = re.search(r"(\d+) cluster cut\(s\).* from ([\d.]+) to ([\d.]+)", line)
    assert found is not None, line
    cuts, before, after = int(found[1]), float(found[2]), float(found[3])
    assert cuts > 0 and before < after <= result.objective
    # the LP relaxation alone is ~1 % below this optimum; the cuts close a good part of that
    assert (after - before) / (result.objective - before) > 0.3
    settings = DEFAULT_SETTINGS.replace(concentration={"norm_cuts": False})
    plain = pancreas_models[20].replace(settings=settings).solve(time_limit=300)
    assert plain.status == "optimal"
    assert plain.objective == pytest.approx(result.objective, rel=2e-4)


def test_pc4_level_is_reported_too(pancreas: dict[int, ConcentrationResult]) -> None:
    detail = pancreas[20].detail_indicators
    assert detail is not None and (detail["level"] == "pc4").all()
    total = detail[detail["region"] == "all"].iloc[0]
    assert total["patients"] == pytest.approx(601.0)
    # PC4s inherit their municipality's shares but keep their own times: the max is higher
    assert total["max_minutes"] >= pancreas[20].indicators["max_minutes"].max() - 1e-9


def test_infeasible_region_guarantee_is_diagnosed(netherlands: Landscape) -> None:
    result = landscape_model(
        netherlands, "pancreas", norms=60, per_region=1, objective="travel"
    ).solve(time_limit=120)
    assert result.status == "infeasible"
    text = "\n".join(result.diagnosis)
    assert "need 660 patients a year" in text
    assert "largest norm that can be met" in text


# -- the round table's question (the default) ------------------------------------------------

REPO = Path(__file__).resolve().parents[1]


def make_run_concentrate() -> list[str]:
    """The arguments of `make run`'s concentration step, read from the Makefile (so that the
    test asks exactly the question `make run` asks), without its --map."""
    recipe = (REPO / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    line = next(x for x in recipe.splitlines() if "zorglandschap concentrate" in x)
    args = shlex.split(line.split("zorglandschap", 1)[1])
    if "--map" in args:
        i = args.index("--map")
        del args[i : i + 2]
    return args


def run_json(args: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", *args, "--json"],
        capture_output=True, text=True, check=False, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_make_run_keeps_at_most_todays_centres_each_at_the_norm_and_names_who_stops() -> None:
    args = make_run_concentrate()
    assert args[:3] == ["concentrate", "--intervention", "pancreas"] and "--per-roaz" in args
    norm = float(args[args.index("--norm") + 1])
    out = run_json(args)
    assert out["status"] == "optimal" and out["objective_kind"] == "disruption"
    today = {b["site_id"] for b in out["baseline"]}
    chosen = {s["site_id"] for s in out["sites"]}
    assert len(today) == 14 and len(chosen) <= len(today)
    assert all(s["volume"] >= norm - 1e-6 for s in out["sites"])
    # every team of today keeps or is named as stopping, with its volume today
    stops = {s["site_id"] for s in out["stops"]}
    assert chosen | stops == today and not chosen & stops
    assert all(s["volume"] is not None for s in out["stops"])
    # one centre per ROAZ region
    assert len({s["region"] for s in out["sites"]}) == 11
    # the seven UMCs keep pancreatic surgery (as in the Netherlands today; Amsterdam UMC at
    # its De Boelelaan location, VUmc, since 2021)
    umcs = {"vu-mc-amsterdam", "lumc-leiden", "erasmus-mc-rotterdam", "umc-utrecht",
            "radboudumc-nijmegen", "umc-groningen", "umc-maastricht"}  # fmt: skip
    assert umcs <= chosen and "amc-amsterdam" not in chosen


def test_norm_40_gives_fewer_centres_than_norm_20() -> None:
    args = make_run_concentrate()
    i = args.index("--norm")
    at = {norm: run_json([*args[: i + 1], str(norm), *args[i + 2 :]]) for norm in (20, 40)}
    assert len(at[40]["sites"]) < len(at[20]["sites"])
    assert len(at[40]["stops"]) > len(at[20]["stops"])
    assert at[40]["patients_moved"] > at[20]["patients_moved"]
    assert all(s["volume"] >= 40 - 1e-6 for s in at[40]["sites"])


@pytest.mark.parametrize("intervention", ["pancreas", "oesophagus", "lung"])
def test_the_default_question_is_proven_optimal_at_the_norm(
    netherlands: Landscape, intervention: str
) -> None:
    result = landscape_model(netherlands, intervention).solve(time_limit=300)
    assert result.status == "optimal" and result.objective_kind == "disruption"
    norm = float(result.sites["norm"].iloc[0])
    offers = result.sites[result.sites["offers"]]
    assert (offers["volume"] >= norm - 1e-6).all()


def test_a_time_limit_holds_within_seconds(netherlands: Landscape) -> None:
    # the travel question on every site takes ~10 s to prove; with a few seconds the solve
    # (start plan, MILP) stops within a few seconds of its limit and says how far it got: a
    # plan and its gap (the bound at least the LP relaxation's), or no plan at all
    model = landscape_model(netherlands, "pancreas", norms=20, per_region=1, objective="travel")
    for limit in (1.0, 3.0):
        result = model.solve(time_limit=limit)
        assert result.seconds - result.build_seconds < limit + 4.0
        assert result.status in ("feasible", "optimal", "no_solution")
    assert result.has_plan and result.gap is not None and result.gap < 0.2
