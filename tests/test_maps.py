"""Maps: the HTML holds what a planner needs, is reproducible, and renders in a real browser."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from zorglandschap.access import reach
from zorglandschap.landscape import Landscape
from zorglandschap.maps import map_html, reach_map, save_map
from zorglandschap.scenario import site_state

REPO = Path(__file__).resolve().parents[1]
#: Local copies of Leaflet and jQuery for the offline browser test (`make browser-assets`).
ASSETS = REPO / ".cache" / "browser"


@pytest.fixture(scope="module")
def utrecht_map_html(utrecht: Landscape) -> str:
    state = site_state(utrecht, "2025")
    return map_html(reach_map(reach(utrecht, state, block="night", minutes=20), state))


def test_map_has_layers_sites_and_title(utrecht: Landscape, utrecht_map_html: str) -> None:
    html = utrecht_map_html
    for layer in (
        "Municipalities: mean minutes",
        "ROAZ regions",
        "PC4 areas beyond 20 min",
        "Hospital sites",
    ):
        assert layer in html
    for name in utrecht.sites["name"]:
        assert name in html
    assert "SEH within 20 minutes — night, sites 2025" in html
    assert "if it alone closes" in html


def test_every_pc4_beyond_the_norm_is_drawn(utrecht: Landscape, utrecht_map_html: str) -> None:
    state = site_state(utrecht, "2025")
    beyond = reach(utrecht, state, block="night", minutes=20).beyond_points()
    assert len(beyond) > 0
    drawn = set(re.findall(r"PC4 (\d{4}),", utrecht_map_html))
    assert drawn == set(beyond.index)


def test_same_inputs_same_bytes(utrecht: Landscape, utrecht_map_html: str, tmp_path: Path) -> None:
    state = site_state(utrecht, "2025")
    again = reach_map(reach(utrecht, state, block="night", minutes=20), state)
    path = save_map(again, tmp_path / "maps" / "utrecht.html")
    assert path.read_text(encoding="utf-8") == utrecht_map_html


def _offline(html: str) -> str:
    """Point the map at the local Leaflet and jQuery copies (no network in tests)."""
    return (
        html.replace(
            "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
            (ASSETS / "leaflet/dist/leaflet.js").as_uri(),
        )
        .replace(
            "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css",
            (ASSETS / "leaflet/dist/leaflet.css").as_uri(),
        )
        .replace(
            "https://code.jquery.com/jquery-3.7.1.min.js",
            (ASSETS / "jquery/dist/jquery.min.js").as_uri(),
        )
    )


def test_map_renders_in_headless_chromium(utrecht_map_html: str, tmp_path: Path) -> None:
    from PIL import Image

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None or not (ASSETS / "leaflet/dist/leaflet.js").exists():
        pytest.skip(
            "needs Debian's chromium and `make browser-assets` (Leaflet from the npm registry)"
        )
    page = tmp_path / "map.html"
    page.write_text(_offline(utrecht_map_html), encoding="utf-8")
    shot = tmp_path / "map.png"
    subprocess.run(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1000,800",
            "--virtual-time-budget=8000", f"--screenshot={shot}", page.as_uri(),
        ],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    image = Image.open(shot).convert("RGB")
    assert image.size == (1000, 800)
    pixels = np.asarray(image).reshape(-1, 3).astype(int)
    # Leaflet drew the map: the 24/7 SEH markers' red and the municipality fills are on screen,
    # not just the page background.
    seh_red = (np.abs(pixels - [0xB2, 0x18, 0x2B]).max(axis=1) < 12).sum()
    assert seh_red > 50, "no 24/7 SEH marker visible"
    distinct = len(np.unique(pixels, axis=0))
    assert distinct > 200, "the page looks blank"
