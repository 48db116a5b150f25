"""Maps: the HTML holds what a planner needs, is reproducible, and renders in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from _browser import open_offline
from zorglandschap.access import reach
from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape
from zorglandschap.maps import (
    CHANGE_COLOURS,
    CHANGE_LABELS,
    SEH_COLOURS,
    concentration_layers,
    concentration_map,
    map_html,
    reach_map,
    save_layers,
    save_map,
)
from zorglandschap.optimise import ConcentrationResult, landscape_model
from zorglandschap.scenario import site_state

REPO = Path(__file__).resolve().parents[1]


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


def _screenshot(html: str, tmp_path: Path) -> np.ndarray:
    """The page as headless Chromium shows it offline (1000 x 800), pixels as rows of RGB."""
    opened = open_offline(html, tmp_path / "browser", size=(1000, 800))
    assert opened.probe["errors"] == [], "JavaScript errors in the page"
    return opened.pixels.reshape(-1, 3).astype(int)


def _shows(pixels: np.ndarray, colour: str) -> int:
    """How many pixels are (close to) ``colour`` (#rrggbb)."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return int((np.abs(pixels - rgb).max(axis=1) < 12).sum())


def test_map_renders_in_headless_chromium(utrecht_map_html: str, tmp_path: Path) -> None:
    pixels = _screenshot(utrecht_map_html, tmp_path)
    # Leaflet drew the map: the 24/7 SEH markers' red and the municipality fills are on screen,
    # not just the page background.
    assert _shows(pixels, SEH_COLOURS["24/7"]) > 50, "no 24/7 SEH marker visible"
    distinct = len(np.unique(pixels, axis=0))
    assert distinct > 200, "the page looks blank"


# -- concentration plans ------------------------------------------------------------------


@pytest.fixture(scope="module")
def utrecht_plan(utrecht: Landscape) -> ConcentrationResult:
    # the region's own share of the national pancreas volume (≈ 42 a year) at norm 10
    return landscape_model(utrecht, "pancreas", norms=10).solve()


def test_plan_map_shows_each_site_with_its_volume_against_the_norm(
    utrecht: Landscape, utrecht_plan: ConcentrationResult
) -> None:
    html = map_html(concentration_map(utrecht_plan, utrecht))
    assert utrecht_plan.status == "optimal"
    offering = utrecht_plan.sites[utrecht_plan.sites["offers"]]
    assert len(offering) >= 2
    for row in offering.itertuples():
        assert row.name in html
        assert f"plan: <b>{row.volume:.1f}</b> patients a year (norm 10)" in html
    # teams that stop are on the map too, and the legend explains the colours
    assert (utrecht_plan.sites["change"] == "stops").any()
    for label in CHANGE_LABELS.values():
        assert label in html
    assert "Pancreatoduodenectomy (Whipple/PPPD) — " in html
    for layer in ("Minutes to the assigned site", "Patient flows", "Sites", "ROAZ regions"):
        assert layer in html


def test_plan_map_draws_every_flow_once(
    utrecht: Landscape, utrecht_plan: ConcentrationResult
) -> None:
    html = map_html(concentration_map(utrecht_plan, utrecht))
    flows = utrecht_plan.flows
    pairs = flows[flows["patients"] > 1e-6].groupby(["demand_id", "site_id"]).size()
    drawn = re.findall(r" → [^:]+: [0-9.]+ patients a year, [0-9]+ min", html)
    assert len(drawn) == len(pairs)


def test_plan_map_same_inputs_same_bytes(
    utrecht: Landscape, utrecht_plan: ConcentrationResult
) -> None:
    first = map_html(concentration_map(utrecht_plan, utrecht))
    again = landscape_model(utrecht, "pancreas", norms=10).solve()
    assert map_html(concentration_map(again, utrecht)) == first


def test_no_plan_no_map(utrecht: Landscape) -> None:
    infeasible = landscape_model(utrecht, "pancreas", norms=500, per_region=1).solve()
    assert infeasible.status == "infeasible"
    with pytest.raises(ScenarioError, match="No plan to map: the solve ended 'infeasible'"):
        concentration_map(infeasible, utrecht)


def test_plan_map_renders_in_headless_chromium(
    utrecht: Landscape, utrecht_plan: ConcentrationResult, tmp_path: Path
) -> None:
    pixels = _screenshot(map_html(concentration_map(utrecht_plan, utrecht)), tmp_path)
    # the new teams' green markers and flows are drawn, on a coloured map
    assert _shows(pixels, CHANGE_COLOURS["starts"]) > 50, "no new-team marker or flow visible"
    assert len(np.unique(pixels, axis=0)) > 200, "the page looks blank"


def test_plan_map_of_several_interventions_has_a_layer_group_each(utrecht: Landscape) -> None:
    both = landscape_model(
        utrecht, ["pancreas", "liver"], norms={"pancreas": 10, "liver": 10}
    ).solve()
    assert both.has_plan
    html = map_html(concentration_map(both, utrecht))
    for name in ("Pancreatoduodenectomy (Whipple/PPPD)", "Liver resection"):
        for layer in ("Minutes to the assigned site", "Patient flows", "Sites"):
            assert f"{name}: {layer}" in html
    assert "map shows Liver resection, the others are in the layer list" in html


def test_plan_layers_keep_every_patient_and_site_and_open_as_a_geopackage(
    utrecht: Landscape, utrecht_plan: ConcentrationResult, tmp_path: Path
) -> None:
    import pyogrio

    layers = concentration_layers(utrecht_plan, utrecht)
    total = utrecht_plan.flows["patients"].sum()
    assert layers["flows"]["patients"].sum() == pytest.approx(total)
    assert layers["municipalities"]["patients"].sum() == pytest.approx(total)
    assert len(layers["municipalities"]) == len(utrecht.municipalities)
    assert list(layers["sites"]["site_id"]) == list(utrecht_plan.sites["site_id"])
    # every flow line ends at its site
    sites = utrecht.sites
    for row in layers["flows"].itertuples():
        end = row.geometry.coords[-1]
        assert end == (sites.at[row.site_id, "lon"], sites.at[row.site_id, "lat"])
    path = save_layers(layers, tmp_path / "plan.gpkg")
    listed = {name: kind for name, kind in pyogrio.list_layers(path)}
    assert set(listed) == {"municipalities", "flows", "sites"}
    assert listed["municipalities"] in ("Polygon", "MultiPolygon")
    assert (listed["flows"], listed["sites"]) == ("LineString", "Point")
    back = pyogrio.read_dataframe(path, layer="sites")
    assert back.crs.to_epsg() == 4326
    assert back["volume"].sum() == pytest.approx(utrecht_plan.sites["volume"].sum())


# -- self-contained -----------------------------------------------------------------------

_EXTERNAL = re.compile(r"<(?:script|link)[^>]*(?:src|href)=\"?(?:https?:)?//", re.IGNORECASE)


@pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "maps").glob("*.html")))
def test_committed_maps_load_nothing_from_the_network(name: str) -> None:
    html = (REPO / "maps" / name).read_text(encoding="utf-8")
    assert not _EXTERNAL.search(html), "a script or stylesheet comes from the network"
    assert "L.map(" in html and "jQuery" in html  # Leaflet and jQuery inlined
    assert len(html.encode()) < 15e6


def test_the_browser_probe_reports_javascript_errors(tmp_path: Path) -> None:
    # the control for the offline tests: a page with an error and a missing script is caught
    page = (
        "<!DOCTYPE html><html><head><script src='https://unpkg.com/x.js'></script></head>"
        "<body><script>notDefinedAnywhere();</script></body></html>"
    )
    errors = open_offline(page, tmp_path).probe["errors"]
    assert any("notDefinedAnywhere" in e for e in errors)
    assert any("failed to load https://unpkg.com/x.js" in e for e in errors)
