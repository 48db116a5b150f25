"""Interactive maps (folium): reach and sensitive sites, before/after a scenario, concentration
plans — nationally or for one region.

A reach map (:func:`reach_map`) shows, per municipality, the population-weighted mean RIVM
composite time to the nearest open site (colour) and whether anyone there lives beyond the norm
(thick outline); the PC4 areas beyond the norm (circles sized by inhabitants); the sites by
state (24/7 SEH, limited hours, spoedpost, closed) with rings for acute obstetrics, complex-care
centres and sites the scenario changes, popups with what closing each would cost, and short-name
labels at regional zoom; the ambulance posts staffed in the block; and ROAZ, IZA and province
outlines. :func:`before_after_map` shows a scenario against its baseline: the two as a toggle
and the added minutes per municipality. A concentration map (:func:`concentration_map`) shows a
plan: where patients are assigned (municipalities coloured by their mean minutes, flows to the
sites), which sites offer the intervention with their volume against the norm, and which teams
start or stop.

With ``region=`` (:func:`~zorglandschap.report.region.parse_region`) a map shows one region,
fitted to it, cut from the national result: the figures are the national run's for the
region's PC4 areas, and the sites across the border that serve them are drawn too.

Maps are drawn from the result's GIS layers (:mod:`zorglandschap.report.layers`) in the
colours of :mod:`zorglandschap.maps.style`. The title, layer list and legend stand in a panel
beside the map, never on the country. Maps are reproducible (element ids are numbered, not
random) and self-contained: Leaflet and jQuery are inlined (:mod:`zorglandschap.maps._offline`),
so a map opens offline; the OpenStreetMap tiles are added when the browser is online.

Examples
--------
>>> from zorglandschap.landscape import load_landscape
>>> from zorglandschap.scenario import site_state
>>> from zorglandschap.access import reach
>>> nl = load_landscape().extract(roaz="ROAZ08")
>>> state = site_state(nl, "2025")
>>> html = map_html(reach_map(reach(nl, state, block="night"), state))
>>> "Diakonessenhuis Utrecht" in html
True
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import branca
import folium
import pandas as pd

from zorglandschap.access import Reach, sensitive_sites
from zorglandschap.files import atomic_write_text
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.state import SiteState
from zorglandschap.maps import _plan_layers as plan
from zorglandschap.maps import _reach_layers as layers
from zorglandschap.maps._offline import OfflineMap, inline_assets
from zorglandschap.maps._page import (
    difference_legend_html,
    number_elements,
    panel_html,
    panel_script,
    panel_style,
    plan_legend_html,
    reach_legend_html,
)
from zorglandschap.maps.style import (
    PLAN_NOTE,
    composite_note,
    difference_ramp,
    minutes_ramp,
    regime_words,
)
from zorglandschap.report.layers import (
    concentration_layers,
    reach_difference,
    reach_municipalities,
    reach_sites,
)
from zorglandschap.report.region import (
    RegionView,
    region_plan_layers,
    region_reach,
    view_site_ids,
)

if TYPE_CHECKING:
    from zorglandschap.optimise.concentration import ConcentrationResult

__all__ = ["before_after_map", "concentration_map", "map_html", "reach_map", "save_map"]


def reach_map(
    result: Reach,
    state: SiteState,
    *,
    region: RegionView | None = None,
    baseline: SiteState | None = None,
    sensitive: pd.DataFrame | None = None,
    title: str | None = None,
) -> folium.Map:
    """An interactive map of a reach result, of the whole result or of one region.

    Parameters
    ----------
    result
        From :func:`zorglandschap.access.reach`, computed on the whole country when a region
        is shown (so that the region's figures are the national ones).
    state
        The site state the reach was computed on (to draw closed sites and spoedposts too).
    region
        Show only this region (:func:`~zorglandschap.report.region.parse_region`): its PC4
        areas, the sites in it and those that serve it, fitted to it.
    baseline
        The state a scenario changed: sites whose services differ are ringed.
    sensitive
        From :func:`zorglandschap.access.sensitive_sites` on the region's points; computed if
        omitted.
    title
        Shown in the panel; default describes the service, block, site state and region.
    """
    view = result if region is None else region_reach(result, region)
    norm = result.minutes_norm
    sensitive = sensitive if sensitive is not None else sensitive_sites(view, top=5)
    m, bounds = _base_map(result.landscape, region, serving=_nearest_sites(view, region))
    colormap = minutes_ramp(15, norm, caption="mean composite minutes to the nearest open site")
    if region is not None:
        layers.context_layer(result.landscape, region, bounds).add_to(m)
    frame = _municipalities(view, region)
    layers.municipality_layer(frame, colormap, norm).add_to(m)
    _add_common(
        m, view, state, baseline=baseline, sensitive=sensitive, region=region, bounds=bounds
    )
    return _finish(
        m,
        title or _heading(view, region),
        _summary_line(view),
        composite_note(regime_words(result.settings.travel.regime)),
        reach_legend_html(norm, colormap, region=region is not None),
    )


def before_after_map(
    before: Reach,
    after: Reach,
    before_state: SiteState,
    after_state: SiteState,
    *,
    region: RegionView | None = None,
    title: str | None = None,
) -> folium.Map:
    """A scenario against its baseline: before and after as a toggle, and the difference.

    The layer list's first three entries are exclusive (radio buttons): the municipalities'
    mean minutes before, after, and the added minutes (after − before) with the people newly
    beyond the norm outlined. The PC4 areas beyond the norm after the change, and the sites in
    the scenario's state (changed ones ringed) are on top. Both results must be computed on
    the same (national) landscape.
    """
    one = before if region is None else region_reach(before, region)
    two = after if region is None else region_reach(after, region)
    norm = after.minutes_norm
    serving = _nearest_sites(two, region)
    m, bounds = _base_map(after.landscape, region, serving=serving, tiles_overlay=True)
    colormap = minutes_ramp(15, norm, caption="mean composite minutes to the nearest open site")
    if region is not None:
        layers.context_layer(after.landscape, region, bounds).add_to(m)
    ramp = difference_ramp()
    difference = reach_difference(one, two)
    if region is not None:
        difference = difference[difference["gemeentecode"].isin(region.municipalities)]
    for reach_view, label in ((one, "Before"), (two, "After")):
        name = f"{label}: mean minutes, sites {reach_view.state_name}"
        frame = _municipalities(reach_view, region)
        layers.municipality_layer(
            frame, colormap, norm, name=name, overlay=False, show=False
        ).add_to(m)
    layers.difference_layer(difference, ramp, overlay=False).add_to(m)
    layers.beyond_layer(one, name=f"PC4 beyond {norm:g} min before", show=False).add_to(m)
    sensitive = sensitive_sites(two, top=5)
    _add_common(
        m,
        two,
        after_state,
        baseline=before_state,
        sensitive=sensitive,
        region=region,
        bounds=bounds,
    )
    s1, s2 = one.summary(), two.summary()
    line = (
        f"before: {s1['beyond']:,} beyond {norm:g} min, mean {s1['mean_minutes']} min; after: "
        f"{s2['beyond']:,} beyond, mean {s2['mean_minutes']} min "
        f"({s2['beyond'] - s1['beyond']:+,} beyond)"
    )
    heading = title or f"Before / after: {after.state_name} against {before.state_name}"
    if region is not None and title is None:
        heading += f" — {region.label}"
    legend = reach_legend_html(norm, colormap, region=region is not None) + difference_legend_html(
        ramp
    )
    regimes = regime_words(after.settings.travel.regime, before.settings.travel.regime)
    return _finish(m, heading, line, composite_note(regimes), legend)


def _add_common(
    m: folium.Map,
    view: Reach,
    state: SiteState,
    *,
    baseline: SiteState | None,
    sensitive: pd.DataFrame,
    region: RegionView | None,
    bounds: layers.Bounds,
) -> None:
    """Outlines, PC4 areas beyond, posts, sites and labels, and the layer list."""
    for outline in layers.outline_layers(view.landscape, region):
        outline.add_to(m)
    layers.beyond_layer(view).add_to(m)
    layers.posts_layer(view, bounds if region is not None else None).add_to(m)
    site_ids = view_site_ids(view, state, region)
    sites = reach_sites(view, state, baseline=baseline, sensitive=sensitive, site_ids=site_ids)
    for layer in layers.site_layers(sites, view, sensitive, region=region):
        layer.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)


def _municipalities(view: Reach, region: RegionView | None) -> pd.DataFrame:
    frame = reach_municipalities(view)
    if region is not None:
        frame = frame[frame["gemeentecode"].isin(region.municipalities)]
    return frame


def _heading(view: Reach, region: RegionView | None) -> str:
    text = (
        f"{view.service.upper()} within {view.minutes_norm:g} minutes — {view.block}, "
        f"sites {view.state_name}"
    )
    return text if region is None else f"{text} — {region.label}"


def _summary_line(view: Reach) -> str:
    s = view.summary()
    return (
        f"{s['within']:,} of {s['population']:,} inhabitants within {s['minutes']:g} min "
        f"({100 * s['share_within']:.2f} %); {s['beyond']:,} beyond; mean {s['mean_minutes']} "
        f"min, P90 {s['p90_minutes']} min; {s['open_sites']} open sites in the country"
    )


def _nearest_sites(view: Reach, region: RegionView | None) -> list[str]:
    """For a region: the open sites nearest to at least one of its PC4 areas."""
    if region is None:
        return []
    return sorted({str(s) for s in view.points["site_id"] if s})


def _base_map(
    landscape: Landscape,
    region: RegionView | None = None,
    *,
    serving: list[str] | None = None,
    tiles_overlay: bool = False,
) -> tuple[folium.Map, layers.Bounds]:
    """A map fitted to the landscape, or to the region and the sites nearest to its people;
    OpenStreetMap tiles when online.

    Returns the map and the bounds of what it shows around the region (for context layers).
    """
    west, south, east, north = (
        tuple(float(v) for v in landscape.municipalities.total_bounds)
        if region is None
        else region.bounds(landscape)
    )
    if serving:
        where = landscape.sites.loc[serving]
        west, east = min(west, float(where["lon"].min())), max(east, float(where["lon"].max()))
        south, north = min(south, float(where["lat"].min())), max(north, float(where["lat"].max()))
    m = OfflineMap(
        location=[(south + north) / 2, (west + east) / 2],
        tiles=None,
        control_scale=True,
        prefer_canvas=True,
        zoom_snap=0.25,
    )
    folium.TileLayer(
        "OpenStreetMap", name="OpenStreetMap (when online)", overlay=tiles_overlay
    ).add_to(m)
    m.fit_bounds([[south, west], [north, east]])
    return m, layers.widen((west, south, east, north))


def _finish(m: folium.Map, heading: str, line: str, note: str, legend: str) -> folium.Map:
    """Add the side panel, inline the scripts and number the elements (reproducible HTML)."""
    page = m.get_root()
    assert isinstance(page, branca.element.Figure)
    page.header.add_child(branca.element.Element(panel_style()), name="zl_style")
    page.html.add_child(branca.element.Element(panel_html(heading, line, note, legend)))
    inline_assets(m)
    number_elements(m)
    page.html.add_child(branca.element.Element(panel_script(m)), name="zl_script")
    return m


def map_html(m: folium.Map) -> str:
    """The map as one self-contained HTML page (the same inputs give the same string)."""
    return str(m.get_root().render())


def save_map(m: folium.Map, path: str | Path) -> Path:
    """Write the map to ``path`` atomically (folders created), returning the path."""
    return atomic_write_text(path, map_html(m))


# ------------------------------------------------------------------------------------------
# concentration plans
# ------------------------------------------------------------------------------------------


def concentration_map(
    result: ConcentrationResult,
    landscape: Landscape,
    *,
    region: RegionView | None = None,
    title: str | None = None,
) -> folium.Map:
    """An interactive map of a concentration plan, of the whole country or of one region.

    Per intervention (a group of layers each; the first one shown): the municipalities coloured
    by their patients' mean minutes to the site they are assigned to; the patient flows
    (municipality → site, width by patients a year); the sites that offer it, sized by volume
    and coloured by change against the baseline (keeps, starts), with the volume against the
    norm in the popup; and the sites that stop. ROAZ regions on top. The same data as GIS
    layers: :func:`concentration_layers`.

    Parameters
    ----------
    result
        A plan from :meth:`ConcentrationModel.solve` on the landscape (municipality or PC4
        demand).
    landscape
        The landscape the model was built on.
    region
        Show only this region (:func:`~zorglandschap.report.region.parse_region`): its
        municipalities, the flows from them and the sites that receive its patients (across
        its border too), fitted to them; the plan is the national one, nothing is re-solved.
    title
        Shown at the top; default names the intervention(s), norm and number of sites.

    Raises
    ------
    ScenarioError
        If the result has no plan (infeasible, or none found in time), or its demand points are
        not the landscape's municipalities or PC4s.
    """
    gis = concentration_layers(result, landscape)
    if region is not None:
        gis = region_plan_layers(gis, region, landscape)
    receiving = sorted(set(gis["sites"]["site_id"])) if region is not None else None
    m, bounds = _base_map(landscape, region, serving=receiving)
    if region is not None:
        layers.context_layer(landscape, region, bounds).add_to(m)
    legend: branca.colormap.LinearColormap | None = None
    several = len(result.interventions) > 1
    for k, p in enumerate(result.interventions):
        # layer names stay short (the layer control must not cover the title)
        prefix = f"{plan.intervention_name(landscape, p)}: " if several else ""
        colormap = minutes_ramp(0, plan.plan_limit(result, p))
        if legend is None:
            legend = colormap
        mine = {name: frame[frame["intervention"] == p] for name, frame in gis.items()}
        show = k == 0
        plan.plan_municipality_layer(mine["municipalities"], colormap, prefix, show=show).add_to(m)
        plan.flow_layer(mine["flows"], mine["sites"], prefix, show=show).add_to(m)
        plan.plan_sites_layer(mine["sites"], prefix, show=show).add_to(m)
    for outline in layers.outline_layers(landscape, region):
        outline.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    heading = title or plan.plan_heading(result, landscape, region)
    line = plan.plan_line(result, landscape, gis if region is not None else None, what="map")
    assert legend is not None  # a plan has at least one intervention
    return _finish(m, heading, line, PLAN_NOTE, plan_legend_html(legend))
