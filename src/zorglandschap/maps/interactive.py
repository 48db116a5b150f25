"""Interactive maps (folium): reach and sensitive sites; concentration plans.

A reach map shows, per municipality, the population-weighted mean RIVM composite time to the
nearest open site (colour) and whether anyone there lives beyond the norm (thick outline); the
PC4 areas beyond the norm (red circles, sized by inhabitants); the sites by state (24/7 SEH,
limited hours, spoedpost, closed) with what closing each would cost; the ambulance posts staffed
in the block; and the ROAZ regions. Each layer can be switched on and off; a legend explains
the colours.

A concentration map (:func:`concentration_map`) shows a plan: where patients are assigned
(municipalities coloured by their mean minutes, flows to the sites), which sites offer the
intervention with their volume against the norm, and which teams start or stop.

Both are drawn from the result's GIS layers (:mod:`zorglandschap.report.layers`) in the colours
of :mod:`zorglandschap.maps.style`. Maps are reproducible: the same inputs give the same HTML
bytes (element ids are numbered, not random). They are self-contained: Leaflet and jQuery are
inlined (:mod:`zorglandschap.maps._offline`), so a map opens offline; the OpenStreetMap tiles
are added when the browser is online.

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

import html as html_escape
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import branca
import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zorglandschap.access import Reach, sensitive_sites
from zorglandschap.files import atomic_write_text
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.state import SiteState
from zorglandschap.maps._offline import OfflineMap, inline_assets
from zorglandschap.maps._page import (
    number_elements,
    plan_legend_html,
    reach_legend_html,
    title_html,
)
from zorglandschap.maps.style import (
    BEYOND_EDGE,
    BEYOND_FILL,
    BEYOND_OUTLINE,
    CHANGE_COLOURS,
    CHANGE_LABELS,
    COMPOSITE_NOTE,
    COORDINATE_DECIMALS,
    PLAN_NOTE,
    POST_COLOUR,
    ROAZ_OUTLINE,
    SEH_COLOURS,
    SEH_LABELS,
    SIMPLIFY_DEGREES,
    fill,
    minutes_ramp,
)
from zorglandschap.report.layers import concentration_layers, reach_municipalities

if TYPE_CHECKING:
    from zorglandschap.optimise.concentration import ConcentrationResult

__all__ = ["concentration_map", "map_html", "reach_map", "save_map"]


def reach_map(
    result: Reach,
    state: SiteState,
    *,
    sensitive: pd.DataFrame | None = None,
    title: str | None = None,
) -> folium.Map:
    """An interactive map of a reach result.

    Parameters
    ----------
    result
        From :func:`zorglandschap.access.reach`.
    state
        The site state the reach was computed on (to draw closed sites and spoedposts too).
    sensitive
        From :func:`zorglandschap.access.sensitive_sites`; computed from ``result`` if omitted.
    title
        Shown at the top; default describes the service, block and site state.
    """
    landscape = result.landscape
    norm = result.minutes_norm
    sensitive = sensitive if sensitive is not None else sensitive_sites(result, top=5)
    m = _base_map(landscape)

    colormap = minutes_ramp(15, norm, caption="mean composite minutes to the nearest open site")
    _municipality_layer(result, colormap).add_to(m)
    _region_outlines(landscape).add_to(m)
    _beyond_layer(result).add_to(m)
    _posts_layer(result).add_to(m)
    _sites_layer(result, state, sensitive).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)

    summary = result.summary()
    heading = title or (
        f"{result.service.upper()} within {norm:g} minutes — {result.block}, sites {result.state_name}"
    )
    line = (
        f"{summary['within']:,} of {summary['population']:,} inhabitants within {norm:g} min "
        f"({100 * summary['share_within']:.2f} %); {summary['beyond']:,} beyond; "
        f"{summary['open_sites']} open sites"
    )
    return _finish(m, title_html(heading, line, COMPOSITE_NOTE), reach_legend_html(norm, colormap))


def _base_map(landscape: Landscape) -> folium.Map:
    """An OpenStreetMap base map fitted to the landscape's municipalities."""
    bounds = landscape.municipalities.total_bounds  # lon/lat
    m = OfflineMap(
        location=[(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2],
        tiles="OpenStreetMap",
        control_scale=True,
        prefer_canvas=True,
    )
    m.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    return m


def _finish(m: folium.Map, title: str, legend: str) -> folium.Map:
    """Add the title and legend boxes and number the elements (reproducible HTML)."""
    page = m.get_root()
    assert isinstance(page, branca.element.Figure)
    page.html.add_child(branca.element.Element(title))
    page.html.add_child(branca.element.Element(legend))
    inline_assets(m)
    number_elements(m)
    return m


def _display(frame: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """``frame`` with its geometry simplified by ``tolerance`` (degrees) and its coordinates
    rounded to :data:`~zorglandschap.maps.style.COORDINATE_DECIMALS` (smaller files)."""
    frame = frame.copy()
    simple = frame.geometry.simplify(tolerance)
    frame["geometry"] = shapely.transform(
        simple.to_numpy(), lambda xy: np.round(xy, COORDINATE_DECIMALS)
    )
    return frame


def map_html(m: folium.Map) -> str:
    """The map as one self-contained HTML page (the same inputs give the same string)."""
    return str(m.get_root().render())


def save_map(m: folium.Map, path: str | Path) -> Path:
    """Write the map to ``path`` atomically (folders created), returning the path."""
    return atomic_write_text(path, map_html(m))


# ------------------------------------------------------------------------------------------
# layers
# ------------------------------------------------------------------------------------------


def _municipality_layer(
    result: Reach, colormap: branca.colormap.LinearColormap
) -> folium.FeatureGroup:
    frame = _display(reach_municipalities(result), SIMPLIFY_DEGREES)
    frame["mean_minutes"] = frame["mean_minutes"].round(1)
    frame["population"] = frame["population"].round().astype(int)

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        props = feature["properties"]
        has_beyond = props["beyond"] > 0
        return {
            "fillColor": fill(colormap, props["mean_minutes"]),
            "fillOpacity": 0.55,
            "color": BEYOND_OUTLINE if has_beyond else "#ffffff",
            "weight": 2.5 if has_beyond else 0.5,
        }

    layer = folium.FeatureGroup(name="Municipalities: mean minutes", show=True)
    folium.GeoJson(
        frame.to_json(drop_id=True),
        style_function=style,
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "population", "mean_minutes", "beyond"],
            aliases=[
                "municipality",
                "inhabitants",
                "mean minutes",
                f"beyond {result.minutes_norm:g} min",
            ],
            localize=True,
        ),
    ).add_to(layer)
    return layer


def _region_outlines(landscape: Landscape) -> folium.FeatureGroup:
    regions = _display(landscape.region_layer("roaz"), SIMPLIFY_DEGREES * 2)
    regions["name"] = landscape.roaz_regions["roaz_name"].reindex(regions.index)
    frame = regions.reset_index()[["roaz", "name", "geometry"]]
    layer = folium.FeatureGroup(name="ROAZ regions", show=True)
    folium.GeoJson(
        frame.to_json(drop_id=True),
        style_function=lambda _: {
            "fill": False,
            "color": ROAZ_OUTLINE,
            "weight": 1.5,
            "dashArray": "6 4",
        },
        tooltip=folium.GeoJsonTooltip(fields=["roaz", "name"], aliases=["ROAZ", "region"]),
    ).add_to(layer)
    return layer


def _beyond_layer(result: Reach) -> folium.FeatureGroup:
    beyond = result.beyond_points()
    pc4 = result.landscape.pc4
    names = result.landscape.municipalities["name"]
    layer = folium.FeatureGroup(name=f"PC4 areas beyond {result.minutes_norm:g} min", show=True)
    for code, row in beyond.sort_index().iterrows():
        minutes = (
            "no open site reachable"
            if not math.isfinite(row["minutes"])
            else f"{row['minutes']:.0f} min"
        )
        folium.CircleMarker(
            location=[float(pc4.at[code, "lat"]), float(pc4.at[code, "lon"])],
            radius=float(2 + math.sqrt(row["population"]) / 12),
            color=BEYOND_EDGE,
            weight=1,
            fill=True,
            fill_color=BEYOND_FILL,
            fill_opacity=0.8,
            tooltip=(
                f"PC4 {code}, {html_escape.escape(str(names.get(row['gemeentecode'], '')))}: "
                f"{int(round(row['population'])):,} inhabitants, {minutes}"
            ),
        ).add_to(layer)
    return layer


def _posts_layer(result: Reach) -> folium.FeatureGroup:
    from zorglandschap.access import staffed_posts

    posts = result.landscape.posts
    staffed = staffed_posts(result.landscape, block=result.block)
    layer = folium.FeatureGroup(name=f"Ambulance posts staffed ({result.block})", show=False)
    for post_id in staffed:
        row = posts.loc[post_id]
        folium.CircleMarker(
            location=[float(row["lat"]), float(row["lon"])],
            radius=3,
            color=POST_COLOUR,
            weight=1,
            fill=True,
            fill_opacity=0.9,
            tooltip=f"Ambulance post {html_escape.escape(str(row['name']))} ({row['availability']})",
        ).add_to(layer)
    return layer


def _sites_layer(result: Reach, state: SiteState, sensitive: pd.DataFrame) -> folium.FeatureGroup:
    sites = result.landscape.sites
    services = state.services.reindex(sites.index)
    open_ids = set(result.open_site_ids)
    layer = folium.FeatureGroup(name="Hospital sites", show=True)
    for site_id in sites.index:
        row = sites.loc[site_id]
        seh = str(services.at[site_id, "seh"])
        is_open = site_id in open_ids
        if result.service == "seh":
            colour = SEH_COLOURS.get(seh, "#636363")
            status = SEH_LABELS.get(seh, seh)
        else:
            colour = SEH_COLOURS["24/7"] if is_open else SEH_COLOURS["none"]
            status = "acute obstetrics" if is_open else "no acute obstetrics"
        lines = [
            f"<b>{html_escape.escape(str(row['name']))}</b>",
            f"site id: {site_id}",
            f"{status}; {'open' if is_open else 'not open'} in the {result.block} block",
            f"acute obstetrics: {'yes' if bool(services.at[site_id, 'av']) else 'no'}",
        ]
        if site_id in sensitive.index:
            extra = int(sensitive.at[site_id, "extra_beyond"])
            lines.append(
                f"if it alone closes: <b>{extra:,}</b> more inhabitants beyond {result.minutes_norm:g} min"
            )
            where = sensitive.at[site_id, "municipalities"]
            if where:
                listing = ", ".join(f"{html_escape.escape(n)} {v:,}" for n, v in where.items())
                lines.append(f"they live in: {listing}")
        extra_beyond = (
            int(sensitive.at[site_id, "extra_beyond"]) if site_id in sensitive.index else 0
        )
        folium.CircleMarker(
            location=[float(row["lat"]), float(row["lon"])],
            radius=float(6 + min(10, math.sqrt(extra_beyond) / 40)) if is_open else 5.0,
            color="#000000" if is_open else colour,
            weight=1.5 if is_open else 1,
            fill=True,
            fill_color=colour,
            fill_opacity=0.95 if is_open else 0.5,
            tooltip=html_escape.escape(str(row["name"])),
            popup=folium.Popup("<br>".join(lines), max_width=320),
        ).add_to(layer)
    return layer


# ------------------------------------------------------------------------------------------
# concentration plans
# ------------------------------------------------------------------------------------------


def concentration_map(
    result: ConcentrationResult, landscape: Landscape, *, title: str | None = None
) -> folium.Map:
    """An interactive map of a concentration plan.

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
    title
        Shown at the top; default names the intervention(s), norm and number of sites.

    Raises
    ------
    ScenarioError
        If the result has no plan (infeasible, or none found in time), or its demand points are
        not the landscape's municipalities or PC4s.
    """
    layers = concentration_layers(result, landscape)
    m = _base_map(landscape)
    legend: branca.colormap.LinearColormap | None = None
    several = len(result.interventions) > 1
    for k, p in enumerate(result.interventions):
        # layer names stay short (the layer control must not cover the title)
        prefix = f"{_intervention_name(landscape, p)}: " if several else ""
        overall = result.indicators[
            (result.indicators["intervention"] == p) & (result.indicators["region"] == "all")
        ]
        limit = float(overall["beyond_minutes"].iloc[0]) if len(overall) else 90.0
        colormap = minutes_ramp(0, limit)
        if legend is None:
            legend = colormap
        mine = {name: frame[frame["intervention"] == p] for name, frame in layers.items()}
        show = k == 0
        _plan_municipality_layer(mine["municipalities"], colormap, prefix, show=show).add_to(m)
        _flow_layer(mine["flows"], mine["sites"], prefix, show=show).add_to(m)
        _plan_sites_layer(mine["sites"], prefix, show=show).add_to(m)
    _region_outlines(landscape).add_to(m)
    # with several interventions the open layer list would cover the title: it opens on hover
    folium.LayerControl(collapsed=several).add_to(m)

    d = result.to_dict()
    names = ", ".join(_intervention_name(landscape, p) for p in result.interventions)
    norms = sorted({float(v) for v in result.sites["norm"]})
    offering = result.sites[result.sites["offers"]]
    heading = title or (
        f"{names} — {len(offering)} site offer(s), norm {', '.join(f'{v:g}' for v in norms)} a year"
    )
    gap = "" if result.gap is None else f", gap {100 * result.gap:.2f} %"
    stops = int((result.sites["change"] == "stops").sum())
    starts = int((result.sites["change"] == "starts").sum())
    line = (
        f"{result.status}{gap}; patients' mean {d['mean_minutes']:.1f} min, P90 "
        f"{d['p90_minutes']:.1f}, max {d['max_minutes']:.1f}; {stops} team(s) stop, {starts} "
        f"start; solved on {result.demand_level} demand"
    )
    if several:
        first = _intervention_name(landscape, result.interventions[0])
        line += f"; map shows {first}, the others are in the layer list (top right)"
    assert legend is not None  # a plan has at least one intervention
    return _finish(m, title_html(heading, line, PLAN_NOTE), plan_legend_html(legend))


def _intervention_name(landscape: Landscape, intervention: str) -> str:
    norms = landscape.norms
    if intervention in norms.index and "intervention" in norms.columns:
        return str(norms.at[intervention, "intervention"])
    return intervention


def _plan_municipality_layer(
    municipalities: gpd.GeoDataFrame,
    colormap: branca.colormap.LinearColormap,
    prefix: str,
    *,
    show: bool,
) -> folium.FeatureGroup:
    frame = municipalities[
        ["gemeentecode", "name", "patients", "mean_minutes", "main_site", "main_share", "geometry"]
    ]
    frame = _display(frame, SIMPLIFY_DEGREES)
    frame["patients"] = frame["patients"].round(2)
    frame["mean_minutes"] = frame["mean_minutes"].round(1)
    frame["main_share"] = frame["main_share"].fillna(0).round(0)

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        colour = fill(colormap, feature["properties"]["mean_minutes"])
        return {"fillColor": colour, "fillOpacity": 0.55, "color": "#ffffff", "weight": 0.5}

    layer = folium.FeatureGroup(name=f"{prefix}Minutes to the assigned site", show=show)
    folium.GeoJson(
        frame.to_json(drop_id=True),
        style_function=style,
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "patients", "mean_minutes", "main_site", "main_share"],
            aliases=["municipality", "patients a year", "mean minutes", "goes to", "% of them"],
            localize=True,
        ),
    ).add_to(layer)
    return layer


def _flow_layer(
    flows: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, prefix: str, *, show: bool
) -> folium.FeatureGroup:
    biggest = float(flows["patients"].max()) if len(flows) else 1.0
    change = sites.drop_duplicates("site_id").set_index("site_id")["change"]
    layer = folium.FeatureGroup(name=f"{prefix}Patient flows", show=show)
    for row in flows.sort_values(["gemeentecode", "site_id"]).itertuples(index=False):
        colour = CHANGE_COLOURS.get(str(change.get(row.site_id, "keeps")), "#2166ac")
        folium.PolyLine(
            locations=[[lat, lon] for lon, lat in row.geometry.coords],
            color=colour,
            weight=float(1 + 5 * math.sqrt(row.patients / biggest)),
            opacity=0.6,
            tooltip=(
                f"{html_escape.escape(str(row.municipality))} → "
                f"{html_escape.escape(str(row.site))}: "
                f"{row.patients:.1f} patients a year, {row.mean_minutes:.0f} min"
            ),
        ).add_to(layer)
    return layer


def _plan_sites_layer(sites: gpd.GeoDataFrame, prefix: str, *, show: bool) -> folium.FeatureGroup:
    layer = folium.FeatureGroup(name=f"{prefix}Sites", show=show)
    for row in sites.sort_values(["offers", "site_id"]).itertuples(index=False):
        site_id = str(row.site_id)
        change = str(row.change) or "keeps"
        colour = CHANGE_COLOURS.get(change, "#2166ac")
        lines = [
            f"<b>{html_escape.escape(str(row.name))}</b>",
            f"site id: {html_escape.escape(site_id)}; region {html_escape.escape(str(row.region))}",
            CHANGE_LABELS.get(change, change),
        ]
        if row.offers:
            lines.append(f"plan: <b>{row.volume:.1f}</b> patients a year (norm {row.norm:g})")
        if math.isfinite(row.baseline_volume):
            source = html_escape.escape(str(row.baseline_volume_source))
            lines.append(f"today: {row.baseline_volume:.0f} a year ({source})")
        folium.CircleMarker(
            location=[float(row.geometry.y), float(row.geometry.x)],
            radius=float(4 + 1.2 * math.sqrt(max(row.volume, 0.0))) if row.offers else 6.0,
            color="#000000" if row.offers else colour,
            weight=1.5 if row.offers else 2.5,
            fill=True,
            fill_color=colour if row.offers else "#ffffff",
            fill_opacity=0.9,
            tooltip=html_escape.escape(str(row.name)),
            popup=folium.Popup("<br>".join(lines), max_width=320),
        ).add_to(layer)
    return layer
