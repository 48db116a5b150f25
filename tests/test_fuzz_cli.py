"""Property-based checks of the command line: any invalid value of a number or choice flag
ends with exit code 2 and one message naming the flag — no traceback, no silent run."""

from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zorglandschap.cli import main

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

not_a_number = st.sampled_from(["nan", "inf", "-inf", "abc", "1e400", ""])
negative = st.floats(max_value=-1e-6, allow_nan=False, allow_infinity=False).map(repr)
huge = st.sampled_from(["1e308", "1e30", "100000000000"])

#: (command and its other arguments, flag, invalid values) — flags whose value is checked
#: before any solve
CASES = [
    ("reach", "--minutes", not_a_number | negative | st.just("0") | huge),
    ("reach", "--fixed-minutes", not_a_number | negative | huge),
    (
        "reach",
        "--block",
        st.text(min_size=1, max_size=8).filter(
            lambda t: t not in ("day", "evening", "night", "weekend") and not t.startswith("-")
        ),
    ),
    (
        "reach",
        "--service",
        st.text(min_size=1, max_size=6).filter(
            lambda t: t not in ("seh", "av") and not t.startswith("-")
        ),
    ),
    ("sensitive", "--top", st.sampled_from(["-1", "-100", "1e30", "x", "2.5"])),
    # a matrix file that is not there, not CSV/Parquet, or of an unknown profile; a unit
    # that is not one (or given without a matrix): refused before the data is read
    ("reach", "--matrix", st.text(min_size=1, max_size=12).filter(lambda t: t[0] != "-")),
    (
        "concentrate --intervention pancreas",
        "--matrix",
        st.text(min_size=1, max_size=12).filter(lambda t: t[0] != "-"),
    ),
    ("reach", "--matrix-unit", st.text(min_size=1, max_size=8).filter(lambda t: t[0] != "-")),
    ("spread", "--staff", st.sampled_from(["-1", "x", "1e30", "2.5"])),
    ("spread", "--share", not_a_number | negative | st.sampled_from(["1.5", "2"])),
    ("spread", "--max-added-minutes", not_a_number | negative | st.just("0")),
    ("spread", "--time-limit", not_a_number | negative | st.just("0")),
    ("spread", "--gap", not_a_number | negative | st.sampled_from(["1", "5"])),
]


def run_cli(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["zorglandschap", *args])
    with pytest.raises(SystemExit) as ended:
        main()
    return int(ended.value.code or 0), capsys.readouterr().err


@pytest.mark.parametrize(
    ("command", "flag", "values"), CASES, ids=[f"{c} {f}" for c, f, _ in CASES]
)
@FUZZ
@given(data=st.data())
def test_an_invalid_value_is_refused_naming_the_flag(
    command: str,
    flag: str,
    values: st.SearchStrategy[str],
    data: st.DataObject,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    value = data.draw(values)
    code, err = run_cli([*command.split(), flag, value], monkeypatch, capsys)
    assert code == 2, f"{command} {flag} {value!r} ended {code}: {err}"
    assert "Traceback" not in err
    named = (
        flag in err
        or flag.lstrip("-") in err
        or "Invalid value" in err
        or "time block" in err
        or "service" in err
    )
    assert named, err
