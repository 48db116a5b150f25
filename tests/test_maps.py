"""Maps: the HTML holds what a planner needs, is reproducible, and renders in a real browser."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from _browser import open_offline
from zorglandschap.access import Reach, reach
from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.state import SiteState
from zorglandschap.maps import (
    CHANGE_COLOURS,
    CHANGE_LABELS,
    SEH_COLOURS,
    before_after_map,
    concentration_layers,
    concentration_map,
    map_html,
    reach_map,
    save_layers,
    save_map,
)
from zorglandschap.maps._offline import BACKGROUND
from zorglandschap.maps.style import AV_COLOUR, BEYOND_FILL, LABEL_MIN_ZOOM, PANEL_WIDTH_PX
from zorglandschap.optimise import ConcentrationResult, landscape_model
from zorglandschap.report.layers import reach_difference, reach_sites
from zorglandschap.report.region import parse_region, region_reach
from zorglandschap.scenario import site_state
from zorglandschap.settings import DEFAULT_SETTINGS

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
    # the region's own share of the national pancreas volume (≈ 42 a year) at norm 10; the
    # travel-only plan on every site (today's two teams stop, others start: both on the map)
    return landscape_model(utrecht, "pancreas", norms=10, objective="travel").solve()


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
    again = landscape_model(utrecht, "pancreas", norms=10, objective="travel").solve()
    assert map_html(concentration_map(again, utrecht)) == first


def test_no_plan_no_map(utrecht: Landscape) -> None:
    infeasible = landscape_model(
        utrecht, "pancreas", norms=500, per_region=1, objective="travel"
    ).solve()
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


def test_regional_plan_map_shows_the_region_its_flows_and_where_they_go(
    utrecht: Landscape, utrecht_plan: ConcentrationResult, tmp_path: Path
) -> None:
    view = parse_region("gemeente:Amersfoort", utrecht)
    html = map_html(concentration_map(utrecht_plan, utrecht, region=view))
    assert "Pancreatoduodenectomy (Whipple/PPPD) — " in html
    assert " — municipality Amersfoort</div>" in html
    # only the region's flows, the national plan's (nothing re-solved)
    flows = utrecht_plan.flows.assign(
        gemeentecode=lambda f: f["demand_id"]  # municipality demand
    )
    mine = flows[flows["gemeentecode"].isin(view.municipalities) & (flows["patients"] > 1e-6)]
    drawn = re.findall(r" → [^:]+: [0-9.]+ patients a year, [0-9]+ min", html)
    assert len(drawn) == len(mine.groupby(["demand_id", "site_id"])) > 0
    patients = mine["patients"].sum()
    assert f"the region&#x27;s {patients:.1f} patients a year: mean " in html
    assert "The region shown: municipality Amersfoort" in html
    opened = open_offline(html, tmp_path / "browser")
    assert opened.probe["errors"] == []
    assert "Surrounding municipalities" in opened.probe["overlays"]
    west, south, east, north = (float(v) for v in opened.probe["bounds"].split(","))
    w, s, e, n = view.bounds(utrecht)
    assert west <= w and east >= e and south <= s and north >= n  # the region in view


def test_plan_map_of_several_interventions_has_a_layer_group_each(utrecht: Landscape) -> None:
    both = landscape_model(
        utrecht, ["pancreas", "liver"], norms={"pancreas": 10, "liver": 10}, objective="travel"
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
    listed = dict(pyogrio.list_layers(path))
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


# -- regional views, layers, before/after (issue 16) --------------------------------------


def test_region_selectors_name_the_layer_and_the_valid_names(netherlands: Landscape) -> None:
    assert parse_region("roaz:ROAZ08", netherlands) == parse_region(
        "ROAZ:Midden-Nederland", netherlands
    )
    assert parse_region("province:zeeland", netherlands).label == "province Zeeland"
    assert parse_region("gemeente:Sluis", netherlands).municipalities == ("GM1714",)
    with pytest.raises(
        ScenarioError, match=r"no iza named 'Zuid Limburg'; did you mean: Zuid-Limburg"
    ):
        parse_region("iza:Zuid Limburg", netherlands)
    with pytest.raises(ScenarioError, match="give LAYER:NAME with LAYER one of municipality"):
        parse_region("Zeeland", netherlands)


@pytest.fixture(scope="module")
def national_night(netherlands: Landscape) -> tuple[Reach, SiteState]:
    state = site_state(netherlands, "2025")
    return reach(netherlands, state, block="night"), state


@pytest.mark.slow
def test_a_regional_map_shows_the_national_figures_of_its_pc4_areas(
    netherlands: Landscape, national_night: tuple[Reach, SiteState]
) -> None:
    national, state = national_night
    view = parse_region("iza:Zuid-Limburg", netherlands)
    regional = region_reach(national, view)
    # the same PC4 rows, the same minutes: nothing recomputed on an extract
    assert set(regional.points.index) == set(view.pc4(netherlands))
    assert regional.points["minutes"].equals(national.points.loc[regional.points.index, "minutes"])
    by_iza = national.by_region("iza").loc["Zuid-Limburg"]
    s = regional.summary()
    for key in ("population", "beyond", "mean_minutes", "p90_minutes"):
        assert s[key] == by_iza[key], key
    # the national figures were 23.0 / 31.0 in the rivm2019 regime
    assert (s["mean_minutes"], s["p90_minutes"]) == (24.6, 33.2)  # rivm2022
    html = map_html(reach_map(national, state, region=view))
    assert f"mean {s['mean_minutes']} min, P90 {s['p90_minutes']} min" in html
    assert "SEH within 45 minutes — night, sites 2025 — IZA region Zuid-Limburg" in html
    # the neighbour across the region's border that is nearest for some of its people is drawn
    assert "Laurentius Ziekenhuis Roermond" in html
    assert "Zuyderland MC Heerlen" in html  # a label (short name)


def _map_area(opened_size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The pixels of the map itself (left of the side panel)."""
    return (0, 0, opened_size[0] - PANEL_WIDTH_PX, opened_size[1])


@pytest.mark.slow
def test_national_map_opens_offline_with_its_layers_and_markers(
    national_night: tuple[Reach, SiteState], tmp_path: Path
) -> None:
    national, state = national_night
    opened = open_offline(map_html(reach_map(national, state)), tmp_path)
    probe = opened.probe
    assert probe["errors"] == []
    assert probe["maps"] == 1
    for layer in ("Municipalities: mean minutes", "ROAZ regions", "IZA regions", "Provinces",
                  "PC4 areas beyond 45 min", "Hospital sites", "Acute obstetrics (AV)",
                  "Complex-care centres", "Site labels (regional zoom)"):  # fmt: skip
        assert layer in probe["overlays"]
    services = state.services
    assert probe["markers"][SEH_COLOURS["24/7"]] == int((services["seh"] == "24/7").sum())
    assert probe["markers"][BEYOND_FILL] == len(national.beyond_points())
    assert probe["markers"][AV_COLOUR] == int(services["av"].sum())
    assert len(probe["labels"]) == len(services)
    # zoomed out on the country: the labels are hidden, and the country fills the map area
    assert probe["labels_hidden"]
    assert opened.non_background(BACKGROUND, _map_area((1400, 1000))) > 0.15
    assert opened.shows(SEH_COLOURS["24/7"], box=_map_area((1400, 1000))) > 300


@pytest.mark.slow
def test_regional_map_opens_offline_fitted_to_the_region_with_labels(
    netherlands: Landscape, national_night: tuple[Reach, SiteState], tmp_path: Path
) -> None:
    national, state = national_night
    view = parse_region("iza:Zuid-Limburg", netherlands)
    opened = open_offline(map_html(reach_map(national, state, region=view)), tmp_path)
    probe = opened.probe
    assert probe["errors"] == []
    assert probe["zoom"] >= LABEL_MIN_ZOOM
    assert not probe["labels_hidden"]  # labels shown at regional zoom
    assert {"UMC Maastricht", "Zuyderland MC Heerlen", "Laurentius Roermond"} <= set(
        probe["labels"]
    )
    west, south, east, north = (float(v) for v in probe["bounds"].split(","))
    w, s, e, n = view.bounds(netherlands)
    assert west <= w and east >= e and south <= s and north >= n  # the whole region in view
    assert east - west < 1.5  # and not the whole country
    assert "The region shown: IZA region Zuid-Limburg" in probe["overlays"]
    assert opened.non_background(BACKGROUND, _map_area((1400, 1000))) > 0.15


def test_maps_name_the_calibration_regime_and_both_when_they_differ(utrecht: Landscape) -> None:
    state = site_state(utrecht, "2025")
    old = DEFAULT_SETTINGS.replace(travel={"regime": "rivm2019"})
    now = reach(utrecht, state, block="night", minutes=20)
    then = reach(utrecht, state, block="night", minutes=20, settings=old)
    html = map_html(reach_map(then, state))
    assert "RIVM composite time in calibration regime rivm2019 (" in html
    assert "rivm2022" not in html
    html = map_html(before_after_map(then, now, state, state))
    assert "in calibration regimes: before rivm2019, after rivm2022 (" in html
    html = map_html(before_after_map(now, now, state, state))
    assert "RIVM composite time in calibration regime rivm2022 (" in html


def _overlapping_labels(boxes: list[list], within: float = 0.0) -> list[tuple[str, str]]:
    """Pairs of labels (probe: text, left, top, right, bottom) whose boxes overlap, or come
    closer than ``within`` pixels."""
    w = within
    return [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] + w and b[1] < a[3] + w and a[2] < b[4] + w and b[2] < a[4] + w
    ]


def test_map_labels_that_collide_on_screen_keep_the_first_by_priority(
    utrecht: Landscape, tmp_path: Path
) -> None:
    # ROAZ Midden-Nederland fitted to the window (zoom 10.5): the city of Utrecht's four
    # hospitals within 3 km; labels are kept in priority order (the one serving most people
    # first), a label that would cover a kept one is hidden (here UMC Utrecht's, under the
    # Diakonessenhuis'); measured once Leaflet's first zoom animation has ended
    state = site_state(utrecht, "2025")
    result = reach(utrecht, state, block="night")
    view = parse_region("roaz:ROAZ08", utrecht)
    opened = open_offline(map_html(reach_map(result, state, region=view)), tmp_path)
    probe = opened.probe
    assert probe["errors"] == [] and probe["zoom"] >= LABEL_MIN_ZOOM
    shown = [box[0] for box in probe["label_boxes"]]
    assert "Diakonessenhuis Utrecht" in shown
    assert [hidden[0] for hidden in probe["labels_collided"]] == ["UMC Utrecht"]
    assert len(shown) + len(probe["labels_collided"]) == len(probe["labels"])
    assert _overlapping_labels(probe["label_boxes"]) == []
    # hidden only where it would cover a kept label (the page keeps 2 px between labels;
    # Leaflet may round a pan to whole pixels after the page measured them: 3 px)
    for hidden in probe["labels_collided"]:
        assert _overlapping_labels([hidden, *probe["label_boxes"]], within=3), hidden[0]


def test_before_after_map_toggles_and_shows_the_difference(utrecht: Landscape) -> None:
    baseline = site_state(utrecht, "2025")
    closed = baseline.with_changes({"diakonessenhuis-utrecht": {"seh": "none"}}, name="no Diak")
    before = reach(utrecht, baseline, block="night", minutes=20)
    after = reach(utrecht, closed, block="night", minutes=20)
    html = map_html(before_after_map(before, after, baseline, closed))
    for layer in ("Before: mean minutes, sites 2025", "After: mean minutes, sites no Diak",
                  "Difference: added minutes", "Changed in the scenario"):  # fmt: skip
        assert layer in html
    assert "changed in the scenario: SEH 24/7 → no SEH" in html
    difference = reach_difference(before, after)
    assert (difference["added_minutes"].dropna() >= -1e-9).all()  # closing a site never helps
    assert difference["added_minutes"].max() > 0
    gained = after.points["minutes"] - before.points["minutes"]
    assert difference["max_added"].max() == pytest.approx(gained.max())


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "maps").glob("*.html")))
def test_committed_maps_open_offline(name: str, tmp_path: Path) -> None:
    opened = open_offline((REPO / "maps" / name).read_text(encoding="utf-8"), tmp_path)
    assert opened.probe["errors"] == []
    assert opened.probe["maps"] == 1 and opened.probe["features"] > 0
    assert "Hospital sites" in opened.probe["overlays"] or "Sites" in opened.probe["overlays"]
    assert opened.non_background(BACKGROUND, _map_area((1400, 1000))) > 0.15
    assert _overlapping_labels(opened.probe["label_boxes"]) == []  # ROAZ04: Rotterdam


#: committed regional maps (the three older ones are in tests/test_golden.py) → their command
REGIONAL_MAPS: dict[str, list[str]] = {
    "reach-2025-seh-night-iza-zuid-limburg.html": [
        "map", "--sites", "2025", "--block", "night", "--region", "iza:Zuid-Limburg",
    ],
    "reach-spoedpost-dirksland-seh-night-roaz-roaz04-before-after.html": [
        "map", "--sites", "scenarios/spoedpost-dirksland.toml", "--block", "night",
        "--region", "roaz:ROAZ04", "--before-after",
    ],
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(REGIONAL_MAPS))
def test_committed_regional_maps_re_render_byte_for_byte(name: str, tmp_path: Path) -> None:
    out = tmp_path / name
    subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", *REGIONAL_MAPS[name], "--out", str(out)],
        capture_output=True, cwd=REPO, check=True,
    )  # fmt: skip
    assert out.read_bytes() == (REPO / "maps" / name).read_bytes()


def test_site_layer_counts_every_inhabitant_once_and_names_the_change(utrecht: Landscape) -> None:
    baseline = site_state(utrecht, "2025")
    state = baseline.with_changes({"diakonessenhuis-utrecht": {"seh": "spoedpost"}})
    result = reach(utrecht, state, block="night")
    sites = reach_sites(result, state, baseline=baseline)
    assert sites["serves"].sum() == pytest.approx(utrecht.pc4["population"].sum(), abs=len(sites))
    changed = sites[sites["changed"]]
    assert list(changed["site_id"]) == ["diakonessenhuis-utrecht"]
    assert (changed["seh_before"].iloc[0], changed["seh"].iloc[0]) == ("24/7", "spoedpost")
    assert not changed["open"].iloc[0] and sites.loc[sites["open"], "serves"].gt(0).all()
    assert sites.set_index("site_id").at["umc-utrecht", "label"] == "UMC Utrecht"
