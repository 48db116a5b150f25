"""Access analysis: reach per time block and sensitive SEHs, on regional extracts."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from zorglandschap.access import (
    open_sites,
    reach,
    sensitive_sites,
    sensitive_sites_by_recompute,
    staffed_posts,
)
from zorglandschap.cli import app
from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape
from zorglandschap.scenario import site_state


@pytest.fixture(scope="module")
def zwolle(netherlands: Landscape) -> Landscape:
    """ROAZ Zwolle (Isala): holds Gelre Zutphen, a limited-hours SEH in 2025."""
    return netherlands.extract(roaz="ROAZ09")


def test_reach_accounts_for_everyone(utrecht: Landscape) -> None:
    result = reach(utrecht, site_state(utrecht, "2025"), service="seh", block="day")
    summary = result.summary()
    assert summary["population"] == int(utrecht.pc4["population"].sum())
    assert summary["within"] + summary["beyond"] == summary["population"]
    assert 0.99 <= summary["share_within"] <= 1.0
    seh = site_state(utrecht, "2025").services.loc[utrecht.sites.index, "seh"]
    assert summary["open_sites"] == int(seh.isin(["24/7", "limited"]).sum()) == 5
    # Each point's nearest site is no farther than its second-nearest.
    p = result.points
    assert (p["minutes"] <= p["second_minutes"]).all()
    assert summary["mean_minutes"] <= summary["p90_minutes"] <= summary["max_minutes"]


def test_tighter_norm_leaves_more_people_beyond(utrecht: Landscape) -> None:
    state = site_state(utrecht, "2025")
    beyond = [reach(utrecht, state, minutes=m).summary()["beyond"] for m in (20, 25, 30, 45)]
    assert beyond == sorted(beyond, reverse=True)
    assert beyond[0] > 0


def test_night_excludes_limited_hours_sehs(zwolle: Landscape) -> None:
    state = site_state(zwolle, "2025")
    assert state.services.at["gelre-zh-zutphen", "seh"] == "limited"
    assert "gelre-zh-zutphen" in open_sites(state, service="seh", block="day")
    assert "gelre-zh-zutphen" not in open_sites(state, service="seh", block="night")

    closed = state.with_changes({"gelre-zh-zutphen": {"seh": "none"}})
    day_before = reach(zwolle, state, block="day").points["minutes"]
    day_after = reach(zwolle, closed, block="day").points["minutes"]
    night_before = reach(zwolle, state, block="night").points["minutes"]
    night_after = reach(zwolle, closed, block="night").points["minutes"]
    assert (day_after >= day_before).all() and (day_after > day_before).any()
    assert night_after.equals(night_before)


def test_posts_by_block(netherlands: Landscape) -> None:
    day = set(staffed_posts(netherlands, block="day"))
    night = set(staffed_posts(netherlands, block="night"))
    assert len(day) == 249 + 29
    assert len(night) == 249 + 1
    turnout = netherlands.posts.index[netherlands.posts["availability"] == "turnout"]
    assert not set(turnout) & (day | night)


@pytest.mark.parametrize("minutes", [20.0, 25.0, 45.0])
def test_one_pass_sensitivity_equals_brute_force(utrecht: Landscape, minutes: float) -> None:
    state = site_state(utrecht, "2025")
    one_pass = sensitive_sites(reach(utrecht, state, minutes=minutes))["extra_beyond"]
    brute = sensitive_sites_by_recompute(utrecht, state, minutes=minutes)
    assert sorted(one_pass.index) == sorted(brute.index)
    np.testing.assert_array_equal(
        one_pass.sort_index().to_numpy(), brute.sort_index().round().astype(int).to_numpy()
    )
    if minutes == 20.0:
        assert one_pass.max() > 0, "a 20-minute norm must make some Utrecht site sensitive"


def test_sensitive_list_is_sorted_and_complete(utrecht: Landscape) -> None:
    result = reach(utrecht, site_state(utrecht, "2025"), minutes=20)
    frame = sensitive_sites(result)
    assert len(frame) == result.summary()["open_sites"]
    assert frame["extra_beyond"].is_monotonic_decreasing
    top = frame.iloc[0]
    assert sum(top["municipalities"].values()) == pytest.approx(
        top["extra_beyond"], abs=len(top["municipalities"])
    )


def test_acute_obstetrics(utrecht: Landscape) -> None:
    state = site_state(utrecht, "2025")
    av = reach(utrecht, state, service="av", block="night")
    assert av.summary()["open_sites"] == int(state.services.loc[utrecht.sites.index, "av"].sum())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"service": "ic"}, r"Unknown service 'ic'; valid: seh, av\."),
        ({"block": "nacht"}, r"Unknown time block 'nacht'; valid: day, evening, night, weekend\."),
        ({"minutes": -5}, r"--minutes: got -5; must be a finite number greater than 0"),
    ],
)
def test_bad_selectors_name_the_valid_choices(
    utrecht: Landscape, kwargs: dict, message: str
) -> None:
    with pytest.raises(ScenarioError, match=message):
        reach(utrecht, site_state(utrecht, "2025"), **kwargs)


runner = CliRunner()


def test_cli_reach_json(utrecht: Landscape) -> None:
    result = runner.invoke(
        app, ["reach", "--sites", "2025", "--block", "night", "--by", "iza", "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    for key in ("population", "beyond", "share_within", "by_region"):
        assert key in payload
    assert len(payload["by_region"]) == 38
    first = next(iter(payload["by_region"].values()))
    assert set(first) >= {"population", "beyond"}
    assert sum(r["population"] for r in payload["by_region"].values()) == pytest.approx(
        payload["population"], abs=40
    )


def test_cli_sensitive_json() -> None:
    result = runner.invoke(app, ["sensitive", "--sites", "2019", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 83 + 4  # every SEH open in the day block in 2019
    assert {"site_id", "name", "lon", "lat", "extra_beyond"} <= set(rows[0])
    extras = [r["extra_beyond"] for r in rows]
    assert extras == sorted(extras, reverse=True)
    assert extras[-1] == 0


def test_cli_bad_choice_is_one_line() -> None:
    import subprocess

    completed = subprocess.run(
        # "nacht" is a Dutch alias of "night" now (issue 15); "middag" is no block
        [sys.executable, "-m", "zorglandschap.cli", "reach", "--block", "middag"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert (
        completed.stderr.strip()
        == "error: Unknown time block 'middag'; valid: day, evening, night, weekend."
    )


def test_reach_carries_its_settings_and_follows_the_result_contract(utrecht: Landscape) -> None:
    from zorglandschap.result import Result
    from zorglandschap.settings import DEFAULT_SETTINGS

    slower = DEFAULT_SETTINGS.replace(travel={"composite_fixed_minutes": 12.0})
    state = site_state(utrecht, "2025")
    result = reach(utrecht, state, block="night", settings=slower)
    assert isinstance(result, Result)
    assert result.settings is slower
    assert result.state_name == "2025"
    base = reach(utrecht, state, block="night")
    assert base.settings is DEFAULT_SETTINGS
    # more fixed minutes move every composite time by exactly as many minutes
    from zorglandschap.settings import composite_parameters

    extra = 12.0 - composite_parameters(DEFAULT_SETTINGS.travel)[0]
    np.testing.assert_allclose(result.points["minutes"], base.points["minutes"] + extra)
    payload = json.loads(result.to_json())
    assert payload == json.loads(json.dumps(result.payload()))
    assert payload["by"] == "roaz" and list(payload["by_region"]) == ["ROAZ08 Midden-Nederland"]
    assert json.loads(result.to_json("iza"))["by"] == "iza"
    tables = result.tables()
    assert set(tables) == {"points", "by_region", "beyond_points", "beyond_by_municipality"}
    assert tables["by_region"]["population"].sum() == payload["population"]
    assert tables["beyond_by_municipality"]["beyond"].sum() == pytest.approx(
        payload["beyond"], abs=len(tables["beyond_by_municipality"])
    )


def test_sensitivity_result(utrecht: Landscape) -> None:
    from zorglandschap.access import sensitivity
    from zorglandschap.result import Result

    result = reach(utrecht, site_state(utrecht, "2025"), minutes=20)
    found = sensitivity(result)
    assert isinstance(found, Result)
    assert found.reach is result and found.settings is result.settings
    frame = sensitive_sites(result, top=result.settings.access.sensitive_top_municipalities)
    records = json.loads(found.to_json())
    assert [r["site_id"] for r in records] == list(frame.index)
    assert [r["extra_beyond"] for r in records] == list(frame["extra_beyond"])
    summary = found.summary()
    assert summary["open_sites"] == summary["listed"] == 5
    assert summary["sensitive"] == int((frame["extra_beyond"] > 0).sum()) >= 1
    assert summary["max_extra_beyond"] == frame["extra_beyond"].max()
    tables = found.tables()
    assert "municipalities" not in tables["sites"]
    people = tables["municipalities"].groupby("site_id")["extra_beyond"].sum()
    top = frame.index[0]
    assert people[top] == sum(frame.at[top, "municipalities"].values())
    two = sensitivity(result, sites=2)
    assert len(two.sites) == 2 and two.summary()["listed"] == 2
    assert list(two.sites.index) == list(frame.index[:2])


def run_main(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    """Run the command line in this process as the console script does: (exit code, out, err)."""
    from zorglandschap.cli import main

    monkeypatch.setattr(sys, "argv", ["zorglandschap", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sensitive", "--top", "-1"], "error: --top: got -1; must be a whole number at least 0"),
        (
            ["reach", "--fixed-minutes", "nan"],
            "error: --fixed-minutes: got nan; must be a finite number at least 0 and at most 120.",
        ),
        (["sensitive", "--fixed-minutes", "-3"], "error: --fixed-minutes: got -3.0; must be"),
        (["sensitive", "--service", "ic"], "error: Unknown service 'ic'; valid: seh, av."),
        # Dutch names are aliases now (issue 15: nacht = night, gemeente = municipality)
        (["sensitive", "--block", "middag"], "error: Unknown time block 'middag'; valid: day,"),
        (["reach", "--by", "wijk"], "error: Unknown --by layer 'wijk'; valid: roaz,"),
        (["map", "--service", "ic"], "error: Unknown service 'ic'; valid: seh, av."),
    ],
)
def test_bad_options_are_one_line_with_exit_code_2(
    args: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, err = run_main(args, capsys, monkeypatch)
    assert code == 2
    assert err.startswith(message), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert out == ""


def test_names_with_rich_markup_are_printed_as_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18 item 7: a scenario named with ``[/]`` crashed ``sensitive`` (rich markup)."""
    repo = Path(__file__).resolve().parents[1]
    text = (repo / "scenarios" / "spoedpost-dirksland.toml").read_text(encoding="utf-8")
    name = "Dirksland [/] spoedpost [bold]test"
    text = "\n".join(
        f'name = "{name}"' if line.startswith("name =") else line for line in text.splitlines()
    )
    scenario = tmp_path / "markup.toml"
    scenario.write_text(text + "\n", encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "300")
    for command in (["sensitive", "--top", "2"], ["reach", "--by", "province"]):
        code, out, err = run_main([*command, "--sites", str(scenario)], capsys, monkeypatch)
        assert code == 0, err
        assert name in out, out
