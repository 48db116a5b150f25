"""The JSON of ``reach``, ``sensitive`` and ``concentrate`` stays byte for byte what it was.

The stored copies in ``tests/golden/`` were written by the CLI before the redesign (issue 12);
a change that alters one of them changes the figures users see and must say so (regenerate
with ``python tests/test_golden.py`` and explain the difference in the commit). Timing fields
(``seconds``, ``build_seconds`` and the seconds in the solve log) are masked before comparing.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
REPO = GOLDEN.parents[1]

#: name → (arguments, runs on the whole country for long enough to be marked slow)
CASES: dict[str, tuple[list[str], bool]] = {
    "reach-2025-night-roaz": (
        ["reach", "--sites", "2025", "--block", "night", "--by", "roaz"],
        False,
    ),
    "reach-2025-day-municipality": (
        ["reach", "--sites", "2025", "--block", "day", "--by", "municipality"],
        False,
    ),
    "reach-dirksland-night-iza": (
        [
            "reach",
            "--sites",
            "scenarios/spoedpost-dirksland.toml",
            "--block",
            "night",
            "--by",
            "iza",
        ],
        False,
    ),
    "sensitive-2025-night": (["sensitive", "--sites", "2025", "--block", "night"], False),
    "concentrate-pancreas-20-per-roaz": (
        ["concentrate", "--intervention", "pancreas", "--norm", "20", "--per-roaz", "1"],
        True,
    ),
}

_TIMING_KEYS = {"seconds", "build_seconds", "timing"}
_SECONDS = re.compile(r"\d+(\.\d+)? s\b")


def _mask(value: object) -> object:
    """Drop timing keys and mask seconds inside log lines."""
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items() if k not in _TIMING_KEYS}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    if isinstance(value, str):
        return _SECONDS.sub("<t> s", value)
    return value


def run_json(args: list[str]) -> str:
    """The command's ``--json`` stdout, with timing masked, as stable text."""
    done = subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", *args, "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    return json.dumps(_mask(json.loads(done.stdout)), indent=2, sort_keys=True, ensure_ascii=False)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=[pytest.mark.slow] if slow else [])
        for name, (_, slow) in CASES.items()
    ],
)
def test_json_is_byte_identical_to_the_stored_copy(name: str) -> None:
    args, _ = CASES[name]
    expected = (GOLDEN / f"{name}.json").read_text(encoding="utf-8")
    assert run_json(args) + "\n" == expected


if __name__ == "__main__":  # regenerate the stored copies
    for case, (arguments, _) in CASES.items():
        (GOLDEN / f"{case}.json").write_text(run_json(arguments) + "\n", encoding="utf-8")
        print(f"wrote tests/golden/{case}.json")


#: committed map → the command that renders it (``--out``/``--map`` appended)
MAPS: dict[str, tuple[list[str], str, bool]] = {
    "reach-2025-seh-night.html": (["map", "--sites", "2025", "--block", "night"], "--out", False),
    "reach-spoedpost-dirksland-seh-night.html": (
        ["map", "--sites", "scenarios/spoedpost-dirksland.toml", "--block", "night"],
        "--out",
        False,
    ),
    "concentration-pancreas-20-per-roaz.html": (
        ["concentrate", "--intervention", "pancreas", "--norm", "20", "--per-roaz", "1"],
        "--map",
        True,
    ),
}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=[pytest.mark.slow] if slow else [])
        for name, (_, _, slow) in MAPS.items()
    ],
)
def test_committed_maps_re_render_byte_for_byte(name: str, tmp_path: Path) -> None:
    args, flag, _ = MAPS[name]
    out = tmp_path / name
    subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", *args, flag, str(out)],
        capture_output=True,
        cwd=REPO,
        check=True,
    )
    assert out.read_bytes() == (REPO / "maps" / name).read_bytes()
