"""User travel-time matrices: the file format, every way a file is refused, the round trip
through the default network's own matrix, and --matrix / matrix = "…" through the real
entry point."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zorglandschap.access import reach
from zorglandschap.cli import main
from zorglandschap.errors import DataError, TravelError
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.state import baseline_state
from zorglandschap.scenario import load_scenario
from zorglandschap.scenario.travel import matrix_source
from zorglandschap.settings import DEFAULT_SETTINGS
from zorglandschap.travel import MatrixFileSource, network_matrix

# -- the format -------------------------------------------------------------------------------


def _write(folder: Path, text: str | bytes, name: str = "m.csv") -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_bare_and_full_ids_and_both_directions(tmp_path: Path) -> None:
    path = _write(tmp_path, "pc4,umcg,post:P1\n9713,4.5,7\n9301,21,12.5\n")
    source = MatrixFileSource(path)
    assert source.minutes(["pc4:9713", "pc4:9301"], ["site:umcg"], profile="car").tolist() == [
        [4.5],
        [21.0],
    ]
    # posts are asked the other way round (post → PC4): answered from the transpose
    assert source.minutes(["post:P1"], ["pc4:9301"], profile="ambulance").tolist() == [[12.5]]


def test_a_dutch_excel_file_with_semicolons_decimal_commas_and_a_bom(tmp_path: Path) -> None:
    path = _write(tmp_path, "\ufeffpc4;umcg\n9713;4,5\n9301;21\n")
    assert MatrixFileSource(path).minutes(["pc4:9713"], ["site:umcg"], profile="car")[0, 0] == 4.5


def test_seconds_and_hours_are_converted(tmp_path: Path) -> None:
    minutes = _write(tmp_path, "pc4,umcg\n9713,4.5\n9301,21\n", "min.csv")
    seconds = _write(tmp_path, "pc4,umcg\n9713,270\n9301,1260\n", "sec.csv")
    hours = _write(tmp_path, "pc4,umcg\n9713,0.075\n9301,0.35\n", "h.csv")
    ask = (["pc4:9713", "pc4:9301"], ["site:umcg"])
    want = MatrixFileSource(minutes).minutes(*ask, profile="car")
    for path, unit in ((seconds, "seconds"), (hours, "hours")):
        got = MatrixFileSource(path, unit=unit).minutes(*ask, profile="car")
        np.testing.assert_allclose(got, want)


#: Broken files → words the one-line message must hold (besides the file's name).
BROKEN: dict[str, tuple[str | bytes, list[str]]] = {
    "empty file": ("", ["empty"]),
    "header only": ("pc4,umcg\n", ["0 row(s)"]),
    "no destination": ("pc4\n9713\n", ["0 column(s)"]),
    "not utf-8": (b"pc4,umcg\n9713,\xff\xfe\n", ["not UTF-8"]),
    "longer row": ("pc4,umcg\n9713,4,5\n", ["unequal length"]),
    "short row": ("pc4,umcg,martini\n9713,4\n", ["line 2", "site:martini", "empty"]),
    "empty cell": ("pc4,umcg\n9713,\n", ["line 2", "site:umcg", "empty"]),
    "text": ("pc4,umcg\n9713,4\n9301,ten\n", ["line 3", "'ten', not a number"]),
    "negative": ("pc4,umcg\n9713,-4\n", ["line 2", "negative"]),
    "nan": ("pc4,umcg\n9713,nan\n", ["line 2", "not a finite number"]),
    "inf": ("pc4,umcg\n9713,inf\n", ["line 2", "not a finite number"]),
    "row twice": ("pc4,umcg\n9713,4\n9713,5\n", ["pc4:9713", "line 2, line 3", "more than once"]),
    "column twice": ("pc4,umcg,umcg\n9713,4,5\n", ["site:umcg", "column 2, column 3"]),
    "empty id": ("pc4,umcg\n,4\n", ["line 2", "id is empty"]),
    "unknown kind": ("pc4,bus:7\n9713,4\n", ["'bus:7'", "pc4, site, post, clinic"]),
    "seconds": (
        "pc4,umcg\n9713,900\n9301,1260\n",
        ["line 3", "looks like seconds", "--matrix-unit"],
    ),
    "hours": ("pc4,umcg\n9713,0.2\n9301,0.5\n", ["looks like hours", "matrix_unit"]),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_matrix_is_refused_by_file_line_and_column(case: str, tmp_path: Path) -> None:
    text, words = BROKEN[case]
    path = _write(tmp_path, text)
    with pytest.raises(DataError) as caught:
        MatrixFileSource(path).minutes(["pc4:9713"], ["site:umcg"], profile="car")
    message = str(caught.value)
    assert "m.csv" in message
    for word in words:
        assert word in message, f"{case}: {word!r} not in {message!r}"


def test_paths_are_refused_before_any_data_is_read(tmp_path: Path) -> None:
    (tmp_path / "folder.csv").mkdir()
    cases = {
        str(tmp_path / "missing.csv"): "does not exist",
        str(tmp_path / "folder.csv"): "folder",
        str(tmp_path / "m.xlsx"): ".csv or .parquet",
        "car=": "file name is empty",
        "bus=m.csv": "unknown profile 'bus'",
    }
    for value, words in cases.items():
        with pytest.raises(DataError, match=words):
            matrix_source([value])
    with pytest.raises(DataError, match="already given"):
        matrix_source(["car=a.csv", "car=b.csv"], check_paths=False)
    with pytest.raises(DataError, match="--matrix-unit 'seconds' was given without --matrix"):
        matrix_source(None, "seconds")
    with pytest.raises(DataError, match="unknown unit; valid: minutes, seconds, hours"):
        matrix_source(["m.csv"], "weeks", check_paths=False)


def test_missing_ids_are_named_by_kind_with_what_is_needed_and_a_typo_found(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, "pc4,umc-utrech\n9713,4\n9301,21\n")
    source = MatrixFileSource(path)
    with pytest.raises(TravelError) as caught:
        source.minutes(["pc4:9713", "pc4:9301"], ["site:umc-utrecht"], profile="car")
    assert "site:umc-utrecht (the file has site:umc-utrech)" in str(caught.value)
    with pytest.raises(TravelError) as caught:
        source.minutes(["post:P1"], ["pc4:9713"], profile="ambulance")
    message = str(caught.value)
    assert "1 post id(s)" in message and "ambulance post" in message


def test_parquet_reads_like_csv_and_pyarrow_missing_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame({"umcg": [4.5, 21.0]}, index=pd.Index(["9713", "9301"], name="pc4"))
    frame.to_parquet(tmp_path / "m.parquet")
    source = MatrixFileSource(tmp_path / "m.parquet")
    assert source.minutes(["pc4:9301"], ["site:umcg"], profile="car")[0, 0] == 21.0

    def no_pyarrow(*args: object, **kwargs: object) -> None:
        raise ImportError("pyarrow")

    monkeypatch.setattr(pd, "read_parquet", no_pyarrow)
    with pytest.raises(DataError, match=r"needs pyarrow .*zorglandschap\[parquet\]"):
        MatrixFileSource(tmp_path / "m.parquet").table("car")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=True).map(repr),
            st.text(alphabet=" 0123456789.,-eEnaif", max_size=6),
        ),
        min_size=4,
        max_size=4,
    )
)
def test_any_cells_give_checked_minutes_or_a_data_error(cells: list[str], tmp_path: Path) -> None:
    """Whatever the cells hold, the file is read as finite, non-negative minutes or refused
    with a DataError, never another exception."""
    quoted = [f'"{c}"' for c in cells]
    text = f"pc4,a,b\n1011,{quoted[0]},{quoted[1]}\n1012,{quoted[2]},{quoted[3]}\n"
    path = _write(tmp_path, text, "fuzz.csv")
    try:
        table = MatrixFileSource(path).table("car")
    except DataError as exc:
        assert "fuzz.csv" in str(exc)
        return
    values = table.to_numpy()
    assert np.isfinite(values).all() and (values >= 0).all()


# -- the round trip: the network's own matrix, read back ---------------------------------------


@pytest.mark.parametrize("regime", ["rivm2019", "rivm2022"])
def test_the_networks_matrix_read_back_gives_the_networks_reach(
    utrecht: Landscape, tmp_path: Path, regime: str
) -> None:
    settings_ = DEFAULT_SETTINGS.replace(travel={"regime": regime})
    path = tmp_path / "ambulance.csv"
    network_matrix(utrecht, "ambulance", settings=settings_).to_csv(path)
    source = MatrixFileSource(path)
    state = baseline_state(utrecht, 2025)
    for block in ("day", "night"):
        plain = reach(utrecht, state, block=block, settings=settings_, minutes=20)
        mine = reach(utrecht, state, block=block, settings=settings_, minutes=20, source=source)
        np.testing.assert_allclose(mine.points["minutes"], plain.points["minutes"], rtol=1e-9)
        assert mine.summary()["beyond"] == plain.summary()["beyond"] > 0
        assert mine.summary()["travel_source"] == "matrix file ambulance.csv (minutes, as given)"
        assert plain.summary()["travel_source"] == "network"


def test_a_user_matrix_is_used_as_given(utrecht: Landscape, tmp_path: Path) -> None:
    """Doubling every drive time in the file doubles the drive part of the composite: the
    times are the file's, not the network's (and no speed factor is applied to them)."""
    frame = network_matrix(utrecht, "ambulance", settings=DEFAULT_SETTINGS)
    frame.to_csv(tmp_path / "plain.csv")
    (frame * 2).to_csv(tmp_path / "slow.csv")
    state = baseline_state(utrecht, 2025)
    plain = reach(utrecht, state, source=MatrixFileSource(tmp_path / "plain.csv"))
    slow = reach(utrecht, state, source=MatrixFileSource(tmp_path / "slow.csv"))
    fixed = (2 * plain.points["minutes"] - slow.points["minutes"]).to_numpy()
    from zorglandschap.settings import composite_parameters

    np.testing.assert_allclose(fixed, composite_parameters(DEFAULT_SETTINGS.travel)[0], atol=1e-6)
    assert slow.summary()["beyond"] > plain.summary()["beyond"]


def test_a_car_matrix_drives_the_concentration_plan(utrecht: Landscape, tmp_path: Path) -> None:
    from zorglandschap.scenario import ConcentrationQuestion, concentration_model

    question = ConcentrationQuestion(interventions=["pancreas"], norms={"pancreas": 20})
    network_matrix(utrecht, "car").to_csv(tmp_path / "car.csv")
    plain = concentration_model(utrecht, question).solve()
    mine = concentration_model(
        utrecht, question, source=MatrixFileSource(tmp_path / "car.csv")
    ).solve()
    assert mine.offering() == plain.offering()
    assert (plain.travel_source, mine.to_dict()["travel_source"]) == (
        "network",
        "matrix file car.csv (minutes, as given)",
    )
    assert mine.summary()["travel_patient_minutes"] == pytest.approx(
        plain.summary()["travel_patient_minutes"], rel=1e-6
    )


# -- through the real entry point ---------------------------------------------------------------


def run_cli(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """Run the installed command's entry point: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["zorglandschap", *args])
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as ended:
        main()
    captured = capsys.readouterr()
    return int(ended.value.code or 0), captured.out, captured.err


@pytest.fixture(scope="module")
def national_matrix(tmp_path_factory: pytest.TempPathFactory, netherlands: Landscape) -> Path:
    """The default network's national ambulance matrix as a user file (rivm2022)."""
    path = tmp_path_factory.mktemp("matrix") / "ambulance.csv"
    network_matrix(netherlands, "ambulance").to_csv(path)
    return path


@pytest.mark.slow
def test_reach_and_sensitive_with_the_networks_own_matrix_match_the_network(
    national_matrix: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in (["reach", "--block", "night"], ["sensitive", "--block", "night"]):
        code, plain, _ = run_cli([*command, "--json"], monkeypatch, capsys)
        code_m, mine, err = run_cli(
            [*command, "--json", "--matrix", str(national_matrix)], monkeypatch, capsys
        )
        assert code == code_m == 0, err
        a, b = json.loads(plain), json.loads(mine)
        if command[0] == "reach":
            assert a["beyond"] == b["beyond"] == 58_450
            assert b["travel_source"].startswith("matrix file ambulance.csv")
        else:
            assert a == b and sum(s["extra_beyond"] > 0 for s in a) == 21  # sensitive at night


@pytest.mark.slow
def test_a_scenario_names_its_matrix_relative_to_itself(
    national_matrix: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    netherlands: Landscape,
) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "times.csv").write_bytes(national_matrix.read_bytes())
    scenario = folder / "sneek.toml"
    scenario.write_text(
        'name = "Sneek at night, our times"\nmatrix = "times.csv"\n'
        '[[site]]\nid = "antonius-zh-sneek"\nseh = "limited"\n'
    )
    assert load_scenario(scenario, netherlands).travel is not None
    code, out, err = run_cli(
        ["reach", "--sites", str(scenario), "--block", "night", "--json"], monkeypatch, capsys
    )
    assert code == 0, err
    # the network's figure for the same closure (seh-night-closure-sneek: +5,800)
    assert json.loads(out)["beyond"] == 58_450 + 5_800
    assert "times.csv" in json.loads(out)["travel_source"]
    # a run records the matrix it used (file, checksum) and its baseline uses it too
    from zorglandschap.report.run import run_scenario

    run = json.loads(run_scenario(str(scenario), landscape=netherlands).to_json())
    assert run["data"]["travel"]["files"]["every profile"]["file"] == "times.csv"
    night = next(r for r in run["summary"]["reach"] if r["block"] == "night")
    assert (night["beyond_baseline"], night["beyond_change"]) == (58_450, 5_800)
    assert any("speed factor is not applied" in a for a in run["assumptions"])


@pytest.mark.parametrize(
    ("toml", "words"),
    [
        ('matrix = "nowhere.csv"', ["x.toml: matrix", "nowhere.csv", "does not exist"]),
        ('matrix = "times.txt"', ["x.toml: matrix", ".csv or .parquet"]),
        ('matrix = {bus = "t.csv"}', ["x.toml", "matrix", "bus"]),
        ('matrix_unit = "seconds"', ["x.toml: matrix_unit", "without"]),
        ('matrix = "t.csv"\nmatrix_unit = "weeks"', ["x.toml", "matrix_unit", "minutes"]),
        ("matrix = 3", ["x.toml", "matrix"]),
    ],
)
def test_a_scenarios_bad_matrix_key_exits_2_naming_the_file_and_key(
    toml: str,
    words: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "t.csv").write_text("pc4,umcg\n9713,4\n")
    path = tmp_path / "x.toml"
    path.write_text(f'name = "x"\n{toml}\n')
    code, _, err = run_cli(["reach", "--sites", str(path)], monkeypatch, capsys)
    flat = " ".join(err.split())
    assert code == 2 and "Traceback" not in err
    for word in words:
        assert word in flat, f"{word!r} not in {flat!r}"


@pytest.mark.parametrize(
    "args",
    [
        ["reach", "--matrix", "{bad}"],
        ["sensitive", "--matrix", "{bad}"],
        ["map", "--matrix", "{bad}"],
        ["figure", "--out", "{tmp}/f.png", "--matrix", "{bad}"],
        ["concentrate", "--intervention", "pancreas", "--matrix", "{bad}"],
        ["spread", "--region", "ROAZ05", "--matrix", "{bad}"],
    ],
)
def test_every_command_that_takes_a_matrix_refuses_a_bad_one_with_exit_2(
    args: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = _write(tmp_path, "pc4,umcg\n9713,4\n9713,5\n", "bad.csv")
    filled = [a.format(bad=bad, tmp=tmp_path) for a in args]
    code, _, err = run_cli(filled, monkeypatch, capsys)
    flat = " ".join(err.split())
    assert code == 2, err
    assert "Traceback" not in err
    assert "bad.csv" in flat and "pc4:9713" in flat and "more than once" in flat


@pytest.mark.slow
def test_spread_on_the_networks_own_matrices_gives_the_networks_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """spread asks ambulance minutes (the composite) and car minutes PC4 → site and site →
    site (the receiving SEHs): a one-profile file is refused, naming what is missing; the
    two exports give the network's plan, and the written scenario carries them."""
    amb, car = tmp_path / "amb.csv", tmp_path / "car.csv"
    for profile, path in (("ambulance", amb), ("car", car)):
        code, _, err = run_cli(
            ["travel", "export", "--profile", profile, "--out", str(path)], monkeypatch, capsys
        )
        assert code == 0, err
    code, _, err = run_cli(
        ["spread", "--region", "ROAZ05", "--matrix", str(amb)], monkeypatch, capsys
    )
    flat = " ".join(err.split())
    assert code == 2 and "on the other side only" in flat and "travel export --profile car" in flat
    ask = ["spread", "--region", "ROAZ05", "--json"]
    code, plain, _ = run_cli(ask, monkeypatch, capsys)
    written = tmp_path / "plan.toml"
    mine_args = [*ask, "--matrix", f"ambulance={amb}", "--matrix", f"car={car}"]
    code_m, mine, err = run_cli([*mine_args, "--write-scenario", str(written)], monkeypatch, capsys)
    assert code == code_m == 0, err
    a, b = json.loads(plain), json.loads(mine)
    assert a["changed_sites"] == b["changed_sites"] and a["beyond"] == b["beyond"]
    assert {s["site_id"] for s in b["changed_sites"]} == {
        "bovenij-zh-amsterdam",
        "zaans-mc-zaandam",
    }
    assert (
        f'matrix = {{ambulance = "{amb.resolve()}", car = "{car.resolve()}"}}'
        in written.read_text()
    )
