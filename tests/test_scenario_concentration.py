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
    # the candidates are the 76 sites with a 24/7 SEH in 2025
    assert all(len(c) == 76 for c in model.candidates.values())
