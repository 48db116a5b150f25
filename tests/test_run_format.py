"""The scenario format's new keys (population year or growth, ``[reach]``, ``[sensitivity]``),
the population scaling, the quick what-ifs on the command line and the Dutch aliases
(issue 15, items 1 and 5)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zorglandschap.cli import main
from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.population import population_factor, scaled_population
from zorglandschap.scenario.format import scenario_from_tables
from zorglandschap.scenario.selection import select, what_if_changes
from zorglandschap.vocab import BLOCK_ALIASES, LAYER_ALIASES, TIME_BLOCKS, unalias

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden"

#: name → (file content, words the one message must hold)
BROKEN: dict[str, tuple[str, list[str]]] = {
    "both population keys": (
        'name = "x"\npopulation_year = 2026\npopulation_growth = 1.02\n',
        ["population_year, population_growth: both given", "keep one"],
    ),
    "a year without a national total": (
        'name = "x"\npopulation_year = 2030\n',
        ["population_year 2030", "valid: 2021, 2025, 2026", "national_totals"],
    ),
    "a growth of zero": (
        'name = "x"\npopulation_growth = 0\n',
        ["population_growth", "greater than 0"],
    ),
    "a growth as text": (
        'name = "x"\npopulation_growth = "2%"\n',
        ["population_growth", "got '2%'"],
    ),
    "an unknown block": (
        'name = "x"\n[reach]\nblocks = ["midnight"]\n',
        ["reach.blocks[0]", "'night'", "got 'midnight'"],
    ),
    "a block twice (one in Dutch)": (
        'name = "x"\n[reach]\nblocks = ["nacht", "night"]\n',
        ["reach.blocks", "night listed more than once"],
    ),
    "no blocks": ('name = "x"\n[sensitivity]\nblocks = []\n', ["sensitivity.blocks", "at least 1"]),
    "a misspelt reach key": (
        'name = "x"\n[reach]\nblocs = ["night"]\n',
        ["reach.blocs", "did you mean 'blocks'"],
    ),
    "an unknown layer": (
        'name = "x"\n[reach]\nby = ["wijk"]\n',
        ["reach.by[0]", "'municipality'", "got 'wijk'"],
    ),
    "top of zero": (
        'name = "x"\n[sensitivity]\ntop = 0\n',
        ["sensitivity.top", "greater than or equal to 1"],
    ),
    "reach as a value": ('name = "x"\nreach = true\n', ["reach", "valid dictionary"]),
    "an unknown region": (
        'name = "x"\n[reach]\nregion = "provincie:Atlantis"\n',
        ["reach.region 'provincie:Atlantis'", "no province named 'Atlantis'"],
    ),
}


def run_main(args: list[str], capsys: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["zorglandschap", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_new_key_is_one_message_naming_file_and_key(
    name: str, tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, words = BROKEN[name]
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_main(
        ["run", str(path), "--out", str(tmp_path / "out")], capsys, monkeypatch
    )
    assert code == 2, err
    assert "Traceback" not in err and out == ""
    flat = " ".join(err.split())
    assert str(path) in flat
    for word in words:
        assert word in flat, (word, err)


def test_dutch_names_are_taken_in_files_and_options(netherlands: Landscape) -> None:
    assert [unalias(b, BLOCK_ALIASES) for b in ("dag", "Avond", "NACHT", "weekend")] == list(
        TIME_BLOCKS
    )
    assert unalias("Gemeente", LAYER_ALIASES) == "municipality"
    assert unalias("provincie", LAYER_ALIASES) == "province"
    scenario = scenario_from_tables(
        {"name": "x", "reach": {"blocks": ["avond"], "by": ["provincie"]}},
        Path("x.toml"),
        netherlands,
    )
    assert scenario.reach is not None
    assert (scenario.reach.blocks, scenario.reach.by) == (["evening"], ["province"])


access_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=True),
    st.text(max_size=8),
    st.lists(
        st.sampled_from(["day", "nacht", "avond", "x", "seh", "av", "roaz", "gemeente", 3]),
        max_size=4,
    ),
)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    table=st.sampled_from(["reach", "sensitivity"]),
    values=st.dictionaries(
        st.sampled_from(["services", "blocks", "by", "region", "top", "blokken"]),
        access_values,
        max_size=4,
    ),
    population=st.dictionaries(
        st.sampled_from(["population_year", "population_growth"]), access_values, max_size=2
    ),
)
def test_any_access_question_is_accepted_or_refused_by_name(
    netherlands: Landscape, table: str, values: dict[str, Any], population: dict[str, Any]
) -> None:
    try:
        scenario_from_tables(
            {"name": "fuzz", table: values, **population}, Path("fuzz.toml"), netherlands
        )
    except ScenarioError as exc:
        assert "fuzz.toml" in str(exc)


def test_the_population_factor_is_cbs_total_over_the_national_data(
    netherlands: Landscape, utrecht: Landscape
) -> None:
    assert population_factor(netherlands, year=2026) == pytest.approx(18_130_000 / 17_472_870)
    assert population_factor(netherlands, year=2025) == pytest.approx(1.0330, abs=5e-5)
    assert population_factor(netherlands, year=2021) == 1.0
    # an extract scales by the national factor, not by its own total
    assert population_factor(utrecht, year=2026) == population_factor(netherlands, year=2026)
    assert population_factor(utrecht, growth=1.02) == 1.02
    with pytest.raises(ScenarioError, match="not both"):
        population_factor(netherlands, year=2026, growth=1.02)
    scaled = scaled_population(utrecht, year=2026)
    assert scaled.population_year == 2026
    share = float(scaled.pc4["population"].sum()) / float(utrecht.pc4["population"].sum())
    assert share == pytest.approx(18_130_000 / 17_472_870)
    assert scaled_population(utrecht) is utrecht


def test_a_year_can_be_added_in_the_settings(netherlands: Landscape) -> None:
    scenario = scenario_from_tables(
        {
            "name": "x",
            "population_year": 2030,
            "settings": {"population": {"national_totals": [[2030, 18_500_000]]}},
        },
        Path("x.toml"),
        netherlands,
    )
    assert scenario.population_year == 2030


def test_a_what_if_on_the_command_line_is_the_scenario_file(
    capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, typed, _ = run_main(
        ["reach", "--sites", "2025", "--spoedpost", "het-van-weel-bethesda-zh-dirksland"]
        + ["--block", "nacht", "--by", "iza", "--json"],
        capsys,
        monkeypatch,
    )
    golden = json.loads((GOLDEN / "reach-dirksland-night-iza.json").read_text())
    payload = json.loads(typed)
    assert payload.pop("sites") == "2025 + het-van-weel-bethesda-zh-dirksland a spoedpost"
    golden.pop("sites")
    assert payload == golden


def test_close_at_night_is_a_limited_hours_sehs(netherlands: Landscape) -> None:
    typed = select(netherlands, "2025", close=["antonius-zh-sneek:nacht"]).reach(block="night")
    written = select(netherlands, str(REPO / "scenarios" / "seh-night-closure-sneek.toml"))
    assert typed.summary()["beyond"] == written.reach(block="night").summary()["beyond"]
    closed = select(netherlands, "2025", close=["antonius-zh-sneek"])
    assert closed.state.services.at["antonius-zh-sneek", "seh"] == "none"


@pytest.mark.parametrize(
    ("close", "spoedpost", "says"),
    [
        (["sneek"], [], "unknown site id 'sneek'. Did you mean: antonius-zh-sneek?"),
        ([], ["Heerlen"], "Did you mean: zuyderland-mc-heerlen"),
        (["antonius-zh-sneek:avond"], [], "not in the evening block alone"),
        (["antonius-zh-sneek:lunch"], [], "unknown time block 'lunch'"),
        (
            ["antonius-zh-sneek"],
            ["antonius-zh-sneek"],
            "already changed by --close antonius-zh-sneek",
        ),
    ],
)
def test_a_bad_what_if_says_what_and_how_to_fix_it(
    netherlands: Landscape, close: list[str], spoedpost: list[str], says: str
) -> None:
    with pytest.raises(ScenarioError, match=None) as caught:
        what_if_changes(netherlands, close=close, spoedpost=spoedpost)
    assert says in str(caught.value)


def test_a_bad_what_if_on_the_command_line_is_one_line_exit_2(
    capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run_main(["sensitive", "--close", "sneek:night"], capsys, monkeypatch)
    assert code == 2 and out == "" and "Traceback" not in err
    assert "Did you mean: antonius-zh-sneek?" in " ".join(err.split())


def test_reach_of_a_population_scenario_counts_its_population(
    capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run_main(
        ["reach", "--sites", "scenarios/population-2026.toml", "--block", "night", "--json"],
        capsys,
        monkeypatch,
    )
    assert code == 0
    assert json.loads(out)["population"] == 18_130_000


def test_the_map_takes_the_what_ifs_and_draws_before_after_on_a_year() -> None:
    from zorglandschap.cli.app import AccessOptions
    from zorglandschap.cli.figure import map_inputs

    options = AccessOptions("2025", "seh", "nacht", close=["antonius-zh-sneek:night"])
    inputs = map_inputs(None, options, "roaz:ROAZ01", True)
    assert inputs.before is not None and inputs.baseline is not None
    assert inputs.after.summary()["beyond"] - inputs.before.summary()["beyond"] == 5_800
    assert inputs.stem == ("reach-2025-seh-night-antonius-zh-sneek-night-roaz-roaz01-before-after")
