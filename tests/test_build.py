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


def test_provenance_lists_every_data_file() -> None:
    """Every data file in regions/ has a row in the provenance table with its licence."""
    table = (REPO / "regions" / "PROVENANCE.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip().strip("`"): line
        for line in table.splitlines()
        if line.startswith("| `")
    }
    data_files = sorted(
        p.name for p in (REPO / "regions").iterdir() if p.suffix in {".csv", ".geojson"}
    )
    assert data_files, "no data files found"
    for name in data_files:
        assert name in rows, f"{name} has no row in regions/PROVENANCE.md"
        assert len(rows[name].split("|")) >= 7, f"{name}: row lacks source, vintage or licence"
