"""Scenario files: valid ones apply their changes; bad ones name the file, the key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape
from zorglandschap.scenario import load_scenario, site_state

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.toml")), ids=lambda p: p.stem)
def test_shipped_scenarios_are_valid(netherlands: Landscape, path: Path) -> None:
    scenario = load_scenario(path, netherlands)
    assert scenario.name
    baseline = site_state(netherlands, "2025").services
    changes_sites = not scenario.state.services.equals(baseline)
    # asks(): a [reach], [sensitivity], [concentration] or [spreading] question
    assert changes_sites or scenario.asks(), "a scenario changes or asks something"


def test_spoedpost_conversion(netherlands: Landscape) -> None:
    scenario = load_scenario(SCENARIOS / "spoedpost-dirksland.toml", netherlands)
    services = scenario.state.services
    assert services.at["het-van-weel-bethesda-zh-dirksland", "seh"] == "spoedpost"
    assert (services["seh"] == "24/7").sum() == 75


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.toml"
    path.write_text(text)
    return path


def test_unknown_key(netherlands: Landscape, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'name = "x"\nbaseline = 2025\n[[site]]\nid = "umc-maastricht"\nseh_state = "none"\n',
    )
    with pytest.raises(ScenarioError, match=r"scenario\.toml: site\[0\]\.seh_state: unknown key"):
        load_scenario(path, netherlands)


def test_unknown_site_suggests_the_close_ones(netherlands: Landscape, tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "x"\n[[site]]\nid = "umc-maastrict"\nseh = "none"\n')
    with pytest.raises(
        ScenarioError,
        match=r"site\[0\]\.id: Unknown site id 'umc-maastrict'\. Did you mean: umc-maastricht",
    ):
        load_scenario(path, netherlands)


def test_invalid_value_and_baseline(netherlands: Landscape, tmp_path: Path) -> None:
    path = write(
        tmp_path, 'name = "x"\nbaseline = 2023\n[[site]]\nid = "umc-maastricht"\nseh = "nights"\n'
    )
    with pytest.raises(ScenarioError) as excinfo:
        load_scenario(path, netherlands)
    message = str(excinfo.value)
    assert "baseline: Input should be 2019 or 2025" in message
    assert "site[0].seh: Input should be '24/7', 'limited', 'spoedpost' or 'none'" in message


def test_settings_override_and_unknown_setting(netherlands: Landscape, tmp_path: Path) -> None:
    good = write(tmp_path, 'name = "x"\n[settings.access]\nnorm_minutes = 30\n')
    assert load_scenario(good, netherlands).settings.access.norm_minutes == 30
    bad = write(tmp_path, 'name = "x"\n[settings.access]\nnorm_minute = 30\n')
    with pytest.raises(ScenarioError, match="Unknown key.*norm_minute.*valid keys:.*norm_minutes"):
        load_scenario(bad, netherlands)


def test_setting_of_the_wrong_type_names_file_key_and_fix(
    netherlands: Landscape, tmp_path: Path
) -> None:
    bad = write(tmp_path, 'name = "x"\n[settings.concentration]\ncut_rounds = "many"\n')
    with pytest.raises(ScenarioError) as excinfo:
        load_scenario(bad, netherlands)
    message = str(excinfo.value)
    assert str(bad) in message
    assert "concentration.cut_rounds must be a whole number, got 'many'; fix the value" in message
    # a whole number where a number is expected is fine (TOML writes 90 for 90.0)
    fine = write(tmp_path, 'name = "x"\n[settings.concentration]\nmax_minutes = 60\n')
    assert load_scenario(fine, netherlands).settings.concentration.max_minutes == 60


def test_setting_with_a_choice_names_the_valid_values(
    netherlands: Landscape, tmp_path: Path
) -> None:
    # a misspelt choice would otherwise reach the solver and fail deep inside it
    bad = write(tmp_path, 'name = "x"\n[settings.concentration]\nfine_root_lp = "imp"\n')
    with pytest.raises(ScenarioError) as excinfo:
        load_scenario(bad, netherlands)
    assert (
        "concentration.fine_root_lp must be one of 'choose', 'simplex', 'ipm', got 'imp'; fix "
        "the value" in str(excinfo.value)
    )
    good = write(tmp_path, 'name = "x"\n[settings.concentration]\nfine_root_lp = "simplex"\n')
    assert load_scenario(good, netherlands).settings.concentration.fine_root_lp == "simplex"


def test_not_toml_and_missing(netherlands: Landscape, tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="is not valid TOML"):
        load_scenario(write(tmp_path, "name = \n"), netherlands)
    with pytest.raises(ScenarioError, match="does not exist"):
        load_scenario(tmp_path / "nope.toml", netherlands)


def test_sites_selector(netherlands: Landscape) -> None:
    assert site_state(netherlands, "2019").name == "2019"
    with pytest.raises(ScenarioError, match="use one of 2019, 2025 or a scenario"):
        site_state(netherlands, "2023")
    with pytest.raises(ScenarioError, match="neither a year"):
        site_state(netherlands, "latest")
