"""regions/ is reproducible: rebuilding from ../shared/data gives the committed bytes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_rebuild_is_byte_identical(shared_data: Path, tmp_path: Path) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            str(REPO / "regions" / "build.py"),
            "--source",
            str(shared_data),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    built = sorted(p.name for p in tmp_path.iterdir())
    assert "pc4.csv" in built and "municipalities.geojson" in built
    for name in built:
        assert (tmp_path / name).read_bytes() == (REPO / "regions" / name).read_bytes(), name
