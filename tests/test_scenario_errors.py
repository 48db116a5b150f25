"""Broken scenario files: each is refused with one message naming the problem and where it is,
no traceback, and exit code 2 (README: errors and exit codes)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from zorglandschap.cli import main
from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape
from zorglandschap.scenario import load_scenario

GOOD_SITE = 'id = "zuyderland-mc-heerlen"\nseh = "limited"\n'

#: name → (file content as bytes or text, words the message must hold)
BROKEN: dict[str, tuple[str | bytes, list[str]]] = {
    "syntax error": ('name = "x"\n[[site]\nid = 3\n', ["not valid TOML", "line 2"]),
    "unknown key": (
        'name = "x"\nbaselin = 2025\n',
        ["baselin", "unknown key", "did you mean 'baseline'"],
    ),
    "unknown key in a site": (
        f'name = "x"\n[[site]]\n{GOOD_SITE}sehh = "none"\n',
        ["site[0].sehh", "did you mean 'seh'"],
    ),
    "unknown site": (
        'name = "x"\n[[site]]\nid = "zuyderland-mc-herlen"\nseh = "none"\n',
        ["site[0].id", "zuyderland-mc-heerlen"],
    ),
    "duplicate site": (
        f'name = "x"\n[[site]]\n{GOOD_SITE}[[site]]\n{GOOD_SITE}',
        ["listed 2 times", "site[0], site[1]"],
    ),
    "av as a number": (
        f'name = "x"\n[[site]]\n{GOOD_SITE}av = 1\n',
        ["site[0].av", "valid boolean", "got 1"],
    ),
    "av as text": (f'name = "x"\n[[site]]\n{GOOD_SITE}av = "yes"\n', ["site[0].av", "got 'yes'"]),
    "unknown seh state": (
        'name = "x"\n[[site]]\nid = "zuyderland-mc-heerlen"\nseh = "closed"\n',
        ["site[0].seh", "'24/7'", "spoedpost"],
    ),
    "negative norm minutes": (
        'name = "x"\n[settings.access]\nnorm_minutes = -5\n',
        ["settings", "access.norm_minutes: got -5", "greater than 0"],
    ),
    "zero detour factor": (
        'name = "x"\n[settings.travel]\ndetour_factor = 0\n',
        ["travel.detour_factor: got 0"],
    ),
    "unknown settings group": (
        'name = "x"\n[settings.acces]\nnorm_minutes = 45\n',
        ["Unknown settings group 'acces'"],
    ),
    "blocks as text": (
        'name = "x"\n[settings.access]\nlimited_hours_blocks = "day"\n',
        ["limited_hours_blocks must be a list"],
    ),
    "baseline year": ('name = "x"\nbaseline = 2030\n', ["baseline", "2019", "2025"]),
    "missing name": ("baseline = 2025\n", ["name", "required key is missing"]),
    "empty file": ("", ["is empty", 'name = "..."']),
    "binary file": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["not UTF-8"]),
    "latin-1 file": (
        'name = "Zuyderland café"\n'.encode("latin-1"),
        ["not UTF-8", "save it again"],
    ),
    "negative concentration norm": (
        'name = "x"\n[concentration]\ninterventions = ["pancreas"]\nmax_minutes = "far"\n',
        ["concentration.max_minutes"],
    ),
}


def _write(tmp_path: Path, content: str | bytes, name: str = "broken.toml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def run_cli(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    """Run the real entry point (as the installed command does) and return (exit code, stderr)."""
    monkeypatch.setattr(sys, "argv", ["zorglandschap", *args])
    with pytest.raises(SystemExit) as ended:
        main()
    return int(ended.value.code or 0), capsys.readouterr().err


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_file_is_named_with_the_problem_and_exit_code_2(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    content, words = BROKEN[case]
    path = _write(tmp_path, content)
    code, err = run_cli(["reach", "--sites", str(path)], monkeypatch, capsys)
    assert code == 2
    assert "Traceback" not in err
    flat = " ".join(err.split())
    assert str(path.name) in flat
    for word in words:
        assert word in flat, f"{case}: {word!r} not in {flat!r}"


def test_every_problem_is_listed_at_once(netherlands: Landscape, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        'name = "x"\nbaselin = 2025\n[[site]]\nid = "nowhere"\nav = 1\n'
        '[[site]]\nid = "zuyderland-mc-heerlen"\n[[site]]\nid = "zuyderland-mc-heerlen"\n',
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, netherlands)
    message = str(caught.value)
    for part in ("baselin", "site[0].av", "site[0].id", "'nowhere'", "listed 2 times"):
        assert part in message


def test_a_missing_file_and_a_folder_named_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_cli(["reach", "--sites", str(tmp_path / "nothing.toml")], monkeypatch, capsys)
    assert code == 2 and "does not exist" in err
    (tmp_path / "x.toml").mkdir()
    code, err = run_cli(["reach", "--sites", str(tmp_path / "x.toml")], monkeypatch, capsys)
    assert code == 2 and "is a folder" in err and "Traceback" not in err


def test_extends_builds_on_another_file_and_a_loop_names_both(
    netherlands: Landscape, tmp_path: Path
) -> None:
    _write(
        tmp_path,
        f'name = "base"\n[[site]]\n{GOOD_SITE}[settings.access]\nnorm_minutes = 40\n',
        "base.toml",
    )
    top = _write(
        tmp_path,
        'name = "top"\nextends = "base.toml"\n[[site]]\nid = "antonius-zh-sneek"\nseh = "limited"\n',
        "top.toml",
    )
    scenario = load_scenario(top, netherlands)
    assert scenario.name == "top"
    assert scenario.settings.access.norm_minutes == 40  # from the base
    assert scenario.state.services.loc["zuyderland-mc-heerlen", "seh"] == "limited"  # base
    assert scenario.state.services.loc["antonius-zh-sneek", "seh"] == "limited"  # top
    _write(tmp_path, 'name = "a"\nextends = "b.toml"\n', "a.toml")
    _write(tmp_path, 'name = "b"\nextends = "a.toml"\n', "b.toml")
    with pytest.raises(ScenarioError, match=r"a\.toml.*b\.toml.*a\.toml"):
        load_scenario(tmp_path / "a.toml", netherlands)


def test_the_extending_file_wins_for_the_same_site(netherlands: Landscape, tmp_path: Path) -> None:
    _write(tmp_path, f'name = "base"\n[[site]]\n{GOOD_SITE}', "base.toml")
    top = _write(
        tmp_path,
        'name = "top"\nextends = "base.toml"\n[[site]]\nid = "zuyderland-mc-heerlen"\nseh = "spoedpost"\n',
        "top.toml",
    )
    assert (
        load_scenario(top, netherlands).state.services.loc["zuyderland-mc-heerlen", "seh"]
        == "spoedpost"
    )


@pytest.mark.parametrize("selector", ["²", "٣", "2030", "x.json", ""])
def test_a_sites_selector_that_is_no_year_nor_file_is_named(
    selector: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_cli(["reach", "--sites", selector], monkeypatch, capsys)
    assert code == 2 and "Traceback" not in err
    assert "2019" in err and "2025" in err
