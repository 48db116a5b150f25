"""A concentration question asked in a scenario file: on the scenario's sites and settings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zorglandschap.cli import app
from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape
from zorglandschap.scenario import load_scenario, scenario_model

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
HEERLEN = "zuyderland-mc-heerlen"
#: Lung cancer (14,800 patients a year, norm 50) solves in seconds at national scale.
LUNG = '[concentration]\ninterventions = ["lung"]\neligible = "seh_24_7"\nper_region = 1\n'


def write(tmp_path: Path, text: str, name: str = "scenario.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def offered(netherlands: Landscape, path: Path) -> set[str]:
    result = scenario_model(netherlands, load_scenario(path, netherlands)).solve(gap=1e-3)
    assert result.status == "optimal"
    return set(result.offering())


def test_eligibility_follows_the_scenarios_seh_states(
    netherlands: Landscape, tmp_path: Path
) -> None:
    # Heerlen has a 24/7 SEH in 2025 and offers lung surgery in the plan; in a scenario that
    # closes its SEH at night it is no longer a candidate of a "24/7 SEH only" question
    today = write(tmp_path, f'name = "today"\n{LUNG}', "today.toml")
    night = write(
        tmp_path,
        f'name = "Heerlen closed at night"\n[[site]]\nid = "{HEERLEN}"\nseh = "limited"\n{LUNG}',
        "night.toml",
    )
    assert HEERLEN in offered(netherlands, today)
    assert HEERLEN not in offered(netherlands, night)


def test_scenario_settings_reach_the_model(netherlands: Landscape, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f'name = "x"\n{LUNG}\n[settings.concentration]\nmax_minutes = 120.0\nstart_plan = false\n',
    )
    model = scenario_model(netherlands, load_scenario(path, netherlands))
    assert model.settings.concentration.start_plan is False
    assert {spec.max_minutes for spec in model.specs.values()} == {120.0}


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ('interventions = ["lung"]\nnorm = 20', "concentration.norm: unknown key"),
        ("interventions = []", "concentration.interventions"),
        ('interventions = ["lung"]\nper_region = "one"', "concentration.per_region"),
        ('interventions = ["lung"]\neligible = "24/7"', "concentration.eligible"),
        ('interventions = ["lung"]\nnorms = { lung = "50" }', "concentration.norms.lung"),
    ],
)
def test_bad_tables_name_the_file_and_the_key(
    netherlands: Landscape, tmp_path: Path, table: str, expected: str
) -> None:
    path = write(tmp_path, f'name = "x"\n[concentration]\n{table}\n')
    with pytest.raises(ScenarioError) as err:
        load_scenario(path, netherlands)
    assert str(path) in str(err.value) and expected in str(err.value)


def test_unknown_intervention_and_site_name_the_file(
    netherlands: Landscape, tmp_path: Path
) -> None:
    path = write(tmp_path, 'name = "x"\n[concentration]\ninterventions = ["pancreass"]\n')
    with pytest.raises(ScenarioError, match="concentration") as err:
        scenario_model(netherlands, load_scenario(path, netherlands))
    assert str(path) in str(err.value) and "pancreass" in str(err.value)
    path = write(tmp_path, f'name = "x"\n{LUNG}open_sites = ["nowhere"]\n')
    with pytest.raises(ScenarioError, match="nowhere") as err:
        scenario_model(netherlands, load_scenario(path, netherlands))
    assert str(path) in str(err.value)


def test_a_scenario_without_a_question_says_what_to_add(
    netherlands: Landscape, tmp_path: Path
) -> None:
    path = write(tmp_path, f'name = "x"\n[[site]]\nid = "{HEERLEN}"\nseh = "limited"\n')
    with pytest.raises(ScenarioError, match=r"no \[concentration\] table; add one"):
        scenario_model(netherlands, load_scenario(path, netherlands))


def test_cli_runs_a_scenario_and_refuses_flags_beside_it(tmp_path: Path) -> None:
    runner = CliRunner()
    path = write(tmp_path, f'name = "x"\n{LUNG}')
    done = runner.invoke(app, ["concentrate", "--scenario", str(path), "--gap", "1e-3", "--json"])
    assert done.exit_code == 0, done.output
    out = json.loads(done.output)
    assert out["status"] == "optimal" and HEERLEN in {s["site_id"] for s in out["sites"]}

    def command(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "zorglandschap.cli", "concentrate", *args],
            capture_output=True, text=True, check=False,
        )  # fmt: skip

    clash = command("--scenario", str(path), "--norm", "20")
    assert clash.returncode == 2
    assert "--norm given with --scenario" in clash.stderr
    assert "[concentration] table" in clash.stderr  # printed as text, not eaten as markup
    assert "Traceback" not in clash.stderr
    neither = command()
    assert neither.returncode == 2 and "--intervention pancreas" in neither.stderr


def test_shipped_concentration_scenario_loads(netherlands: Landscape) -> None:
    scenario = load_scenario(SCENARIOS / "hpb-centres-seh-24-7.toml", netherlands)
    model = scenario_model(netherlands, scenario)
    assert model.share_sites and len(model.interventions) == 2
    # a redesign (objective travel): the candidates are the 76 sites with a 24/7 SEH in 2025
    assert scenario.concentration is not None and scenario.concentration.objective == "travel"
    assert all(len(c) == 76 for c in model.candidates.values())


def without_timing(text: str) -> dict[str, object]:
    """``concentrate --json`` output minus its timing (seconds, and the seconds in the log)."""
    import re

    data = json.loads(text)
    timing = data.pop("timing")
    data["solve_log"] = [re.sub(r"\d+(\.\d+)? s\b", "<t> s", line) for line in timing["solve_log"]]
    return data


def test_the_same_question_from_flags_and_from_a_file_gives_the_same_plan(
    tmp_path: Path,
) -> None:
    # one question object, one path to the model: the flags and the [concentration] table
    # that ask the same question give the same plan, byte for byte apart from the timing
    runner = CliRunner()
    flags = runner.invoke(
        app, ["concentrate", "--intervention", "lung", "--per-roaz", "1", "--scale", "1.1",
              "--max-minutes", "120", "--eligible", "seh_24_7", "--gap", "1e-3", "--json"],
    )  # fmt: skip
    assert flags.exit_code == 0, flags.output
    path = write(
        tmp_path,
        'name = "lung, one per ROAZ region"\n[concentration]\ninterventions = ["lung"]\n'
        'per_region = 1\nregion = "roaz"\nscale = 1.1\nmax_minutes = 120\neligible = "seh_24_7"\n',
    )
    asked = runner.invoke(app, ["concentrate", "--scenario", str(path), "--gap", "1e-3", "--json"])
    assert asked.exit_code == 0, asked.output
    plan = without_timing(flags.stdout)
    assert plan["status"] == "optimal" and len({s["region"] for s in plan["sites"]}) == 11
    assert without_timing(asked.stdout) == plan


def test_concentration_model_is_the_one_path_from_a_question(utrecht: Landscape) -> None:
    from zorglandschap.scenario import ConcentrationQuestion, concentration_model

    question = ConcentrationQuestion(
        interventions=["pancreas"], norms={"pancreas": 10}, closed_sites=["umc-utrecht"]
    )
    model = concentration_model(utrecht, question)
    (p,) = model.interventions
    assert model.specs[p].norm == 10.0
    assert "umc-utrecht" not in model.candidates[p]
    result = model.solve()
    assert result.status == "optimal" and result.state_name == "2025"
    assert all(site["volume"] >= 10 - 1e-6 for site in result.to_dict()["sites"])


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"intervention": ["lung"], "per_roaz": 1, "per_iza": 1},
         "--per-roaz and --per-iza were both given"),
        ({"scenario": Path("x.toml"), "norm": 20.0, "closest": True},
         "--norm, --closest given with --scenario"),
        ({}, "Say what to concentrate: --intervention pancreas"),
        ({"intervention": ["lung"], "norm": -5.0}, "--norm: got -5.0; must be a finite number"),
        ({"intervention": ["lung"], "demand": "pc6"}, "--demand: got 'pc6'; valid:"),
        ({"intervention": ["lung"], "gap": 1.5}, "--gap: got 1.5; must be"),
    ],
)  # fmt: skip
def test_the_flags_are_checked_by_the_question_model(
    flags: dict[str, object], message: str
) -> None:
    from zorglandschap.scenario import ConcentrationFlags

    with pytest.raises(ScenarioError) as err:
        ConcentrationFlags.parse(**flags)
    assert message in str(err.value)


def test_numbers_in_the_table_follow_the_shared_checks(
    netherlands: Landscape, tmp_path: Path
) -> None:
    path = write(
        tmp_path, 'name = "x"\n[concentration]\ninterventions = ["lung"]\nnorms = { lung = 0 }\n'
    )
    with pytest.raises(ScenarioError, match=r"concentration\.norms\.lung") as err:
        load_scenario(path, netherlands)
    assert str(path) in str(err.value)


# -- each flag of the round-table question reaches the model (ROAZ Midden-Nederland) ---------
#
# Today two of the region's six hospitals operate on the pancreas: St. Antonius Nieuwegein and
# UMC Utrecht; the region's own share of the national volume is about 42 patients a year.

PANCREAS_ID = "pancreatoduodenectomy-whipple-pppd"
TODAY = ["st-antonius-zh-nieuwegein", "umc-utrecht"]


def utrecht_model(utrecht: Landscape, **flags: object) -> object:
    from zorglandschap.scenario import ConcentrationFlags, concentration_model

    question = ConcentrationFlags.parse(intervention=["pancreas"], **flags).question()
    return concentration_model(utrecht, question)


def test_round_table_candidates_are_todays_providers(utrecht: Landscape) -> None:
    model = utrecht_model(utrecht, norm=10.0)
    assert list(model.candidates[PANCREAS_ID]) == TODAY
    assert model.instance.objective == "disruption"
    # --objective travel: every site is a candidate (today's model)
    travel = utrecht_model(utrecht, norm=10.0, objective="travel")
    assert len(travel.candidates[PANCREAS_ID]) == len(utrecht.sites)
    assert travel.instance.objective == "travel"
    # --allow-new: new teams at hospitals with a 24/7 SEH (2025), today's teams too
    new = utrecht_model(utrecht, norm=10.0, allow_new=True)
    seh = utrecht.site_services(2025)["seh"]
    expected = sorted(set(TODAY) | set(seh.index[seh == "24/7"]))
    assert list(new.candidates[PANCREAS_ID]) == expected
    # --eligible seh_24_7 without --allow-new: the providers that have one
    kept = utrecht_model(utrecht, norm=10.0, eligible="seh_24_7")
    assert set(kept.candidates[PANCREAS_ID]) == set(TODAY) & set(seh.index[seh == "24/7"])


def test_open_close_bounds_weight_and_closest_reach_the_model(utrecht: Landscape) -> None:
    model = utrecht_model(
        utrecht, norm=10.0, open_sites=["meander-mc-amersfoort"], closed_sites=["umc-utrecht"],
        min_sites=1, max_sites=2, closest=True,
    )  # fmt: skip
    spec = model.specs[PANCREAS_ID]
    assert spec.force_open == {"meander-mc-amersfoort"}
    assert "meander-mc-amersfoort" in model.candidates[PANCREAS_ID]  # a forced site is one
    assert "umc-utrecht" not in model.candidates[PANCREAS_ID]
    assert (spec.min_sites, spec.max_sites) == (1, 2)
    assert model.instance.closest_assignment
    weighted = utrecht_model(utrecht, norm=10.0, disruption_weight=250.0)
    assert weighted.instance.objective == "travel"  # weighed, not ordered
    assert (weighted.instance.stop_weight, weighted.instance.start_weight) == (250.0, 250.0)
    assert list(weighted.candidates[PANCREAS_ID]) == TODAY  # still today's providers


def test_utrecht_round_table_keeps_both_teams_until_the_norm_forbids(utrecht: Landscape) -> None:
    both = utrecht_model(utrecht, norm=15.0).solve()
    assert both.status == "optimal" and both.offering() == TODAY
    one = utrecht_model(utrecht, norm=25.0).solve()  # 2 x 25 > 42: one team stops
    assert one.status == "optimal" and len(one.offering()) == 1
    stops = one.to_dict()["stops"]
    assert len(stops) == 1 and stops[0]["site_id"] in TODAY
    # the patients whose hospital today is the stopping one (its modelled catchment, the
    # nearest of today's two) all change hospital, and nobody else
    from zorglandschap.baseline import estimate_catchment_volumes

    model = utrecht_model(utrecht, norm=25.0)
    catchment = estimate_catchment_volumes(model.demand[PANCREAS_ID], model.pairs, TODAY)
    moved = one.movement.iloc[0]["patients_moved"]
    assert moved == pytest.approx(catchment[stops[0]["site_id"]], rel=1e-6) and moved > 0


def test_scenario_files_take_the_same_keys(netherlands: Landscape, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'name = "x"\n[concentration]\ninterventions = ["pancreas"]\nobjective = "disruption"\n'
        "allow_new = true\ndisruption_weight = 300\nmin_sites = 15\nmax_sites = 18\n"
        'open_sites = ["zuyderland-mc-heerlen"]\nclosed_sites = ["umc-utrecht"]\n',
    )
    question = load_scenario(path, netherlands).concentration
    assert question is not None
    assert (question.objective, question.allow_new, question.disruption_weight) == (
        "disruption", True, 300.0,
    )  # fmt: skip
    bad = write(tmp_path, 'name = "x"\n[concentration]\ninterventions = ["lung"]\n'
                'objective = "fastest"\n', "bad.toml")  # fmt: skip
    with pytest.raises(ScenarioError, match="concentration.objective"):
        load_scenario(bad, netherlands)
    unknown = write(tmp_path, 'name = "x"\n[concentration]\ninterventions = ["pancreas"]\n'
                    'open_sites = ["radbodumc-nijmegen"]\n', "unknown.toml")  # fmt: skip
    with pytest.raises(ScenarioError, match="closest: radboudumc-nijmegen") as err:
        scenario_model(netherlands, load_scenario(unknown, netherlands))
    assert str(unknown) in str(err.value)
