"""regions/ is reproducible: rebuilding from ../shared/data gives the committed bytes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from zorglandschap.landscape import Landscape

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


def test_dike_and_sand_flat_points_sit_where_the_people_live(netherlands: Landscape) -> None:
    """PC4 1779 (Den Oever) and 8242 (Lelystad-Haven) had their CBS point on the Afsluitdijk
    and the Houtribdijk, 8899 (Vlieland) on the Vliehors: regions/build.py moves them into the
    populated part (PC4_POINT_FIXES). Kornwerderzand and Breezanddijk do live on the dike."""
    pc4 = netherlands.pc4
    posts = netherlands.posts

    def km(a: str, xy: tuple[float, float]) -> float:
        return float(np.hypot(pc4.at[a, "x_rd"] - xy[0], pc4.at[a, "y_rd"] - xy[1]) / 1000)

    # Den Oever village (harbour 52.934 N, 5.036 E ~ RD 131,400 / 551,200) and Lelystad-Haven
    # (52.52 N, 5.44 E ~ RD 158,700 / 503,600); the old points were 4.9 and 10.7 km away
    assert km("1779", (131_400, 551_200)) < 2.5
    assert km("8242", (158_700, 503_600)) < 1.5
    vlieland = posts.loc["vlieland", ["x_rd", "y_rd"]].to_numpy(float)
    assert km("8899", (vlieland[0], vlieland[1])) < 1.5  # the post by the harbour, in the village
    for on_the_dike in ("8752", "8766"):
        assert pc4.at[on_the_dike, "population"] <= 30


def test_every_norm_says_where_it_stands_and_no_blank_gets_a_value(netherlands: Landscape) -> None:
    """Per-row provenance of the norms (NOTES-2026-update.md, section 5)."""
    norms = netherlands.norms
    assert norms["norm_status"].notna().all() and norms["status_source"].notna().all()
    tranche = norms[norms.index.str.contains("iza-tranche-1")]
    assert tranche["norm_status"].str.contains("tranche 1").all()
    blank = tranche[tranche["norm_min_per_year"].isna()]
    assert len(blank) >= 5  # pancreas, ERCP, oesophagus/stomach, head-neck, AAA, ...
    assert blank["norm_status"].str.contains("not found|process norm").all()
    lung = norms.loc["lung-cancer-resection-iza-tranche-1"]
    assert lung["norm_min_per_year"] == 60 and "pre-agreement" in lung["norm_status"]
    assert lung["confidence"] == "likely"
    kidney = norms.loc["kidney-cancer-local-treatment-surgery-iza-tranche-1"]
    assert kidney["norm_min_per_year"] == 50 and "region by region" in kidney["norm_status"]
    for legacy in (
        "rectal-cancer-resection",
        "vulvar-cancer-surgery",
        "soft-tissue-tumour-surgery",
    ):
        row = norms.loc[legacy]
        assert row["norm_min_per_year"] == 20 and "confirmed in 2026" in row["norm_status"]
        assert row["status_source"] == "Skipr 2026-02-13"
