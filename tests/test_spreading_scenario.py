"""The spreading question asked in a scenario file's ``[spreading]`` table: the same plan as the
same question asked with flags (one question object, one path)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUESTION = REPO / "scenarios" / "spreading-question-noordwest-night.toml"


def _spread(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", "spread", *args],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip


def _plan(stdout: str) -> dict[str, object]:
    payload = json.loads(stdout)
    payload.pop("timing", None)
    payload.pop("sites", None)  # the state's label: the scenario's name or "2025"
    return payload


def test_the_scenario_table_and_the_flags_give_the_same_plan() -> None:
    from_file = _spread("--scenario", str(QUESTION), "--json")
    from_flags = _spread("--region", "ROAZ05", "--block", "night", "--keep-coverage", "--json")
    assert from_file.returncode == from_flags.returncode == 0
    assert _plan(from_file.stdout) == _plan(from_flags.stdout)
    assert json.loads(from_file.stdout)["status"] == "optimal"


def test_flags_beside_the_scenario_are_refused_and_a_file_without_the_table_is_named(
    tmp_path: Path,
) -> None:
    both = _spread("--scenario", str(QUESTION), "--block", "evening")
    assert both.returncode == 2 and "--block given with --scenario" in both.stderr
    plain = tmp_path / "plain.toml"
    plain.write_text('name = "no question"\n', encoding="utf-8")
    missing = _spread("--scenario", str(plain))
    assert missing.returncode == 2 and "has no [spreading] table" in missing.stderr
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('name = "x"\n[spreading]\nblocks = ["middag"]\n', encoding="utf-8")
    refused = _spread("--scenario", str(wrong))
    assert refused.returncode == 2 and "spreading.blocks[0]" in refused.stderr


def test_the_scenario_table_takes_the_dutch_block_names(tmp_path: Path) -> None:
    dutch = tmp_path / "dutch.toml"
    dutch.write_text(QUESTION.read_text(encoding="utf-8").replace('["night"]', '["nacht"]'))
    assert '["nacht"]' in dutch.read_text()
    from_dutch = _spread("--scenario", str(dutch), "--json")
    from_file = _spread("--scenario", str(QUESTION), "--json")
    assert from_dutch.returncode == from_file.returncode == 0, from_dutch.stderr
    assert _plan(from_dutch.stdout) == _plan(from_file.stdout)
