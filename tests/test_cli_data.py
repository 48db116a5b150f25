"""The `zorglandschap data` command, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from zorglandschap.cli import app

runner = CliRunner()


def test_data_json_has_the_documented_keys() -> None:
    result = runner.invoke(app, ["data", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["municipalities"] == 342
    assert 4000 <= summary["pc4"] <= 4100
    assert isinstance(summary["population"], int)
    assert summary["roaz_regions"] == 11
    assert summary["iza_regions"] == 38
    assert summary["sites_2019"] == 89
    assert summary["sites_2025"] == 80
    assert summary["seh_24_7"] == {"2019": 83, "2025": 76}


def test_data_table_for_people() -> None:
    result = runner.invoke(app, ["data"])
    assert result.exit_code == 0
    assert "SEH 24/7" in result.output
    assert "342" in result.output


def test_bad_folder_is_one_clear_line() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", "data", "--regions", "/nonexistent"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "error: Data folder /nonexistent does not exist" in completed.stderr
    assert "Traceback" not in completed.stderr
