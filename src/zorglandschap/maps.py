"""Interactive maps (folium): who reaches an open site within the norm, and the sensitive sites.

A reach map shows, per municipality, the population-weighted mean RIVM composite time to the
nearest open site (colour) and whether anyone there lives beyond the norm (thick outline); the
PC4 areas beyond the norm (red circles, sized by inhabitants); the sites by state (24/7 SEH,
limited hours, spoedpost, closed) with what closing each would cost; the ambulance posts staffed
in the block; and the ROAZ regions. Each layer can be switched on and off; a legend explains
the colours.

Maps are reproducible: the same inputs give the same HTML bytes (element ids are numbered, not
random). They load Leaflet from its CDN, as folium does, so opening one needs an internet
connection.

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
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import branca
import folium
import numpy as np
import pandas as pd

from zorglandschap.access import Reach, sensitive_sites
from zorglandschap.scenario import SiteState

#: Marker colours per SEH state (colour-blind safe, from ColorBrewer "Set1"/"Dark2").
SEH_COLOURS: dict[str, str] = {
    "24/7": "#b2182b",
    "limited": "#ef8a62",
    "spoedpost": "#7570b3",
    "none": "#636363",
}
SEH_LABELS: dict[str, str] = {
    "24/7": "SEH 24/7",
    "limited": "SEH limited hours",
    "spoedpost": "spoedpost (no ambulance intake)",
    "none": "no SEH",
}
#: Colour ramp of the mean composite time (minutes), green → yellow → red at the norm.
MINUTES_COLOURS = ["#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027"]
#: Simplification tolerance of the region polygons drawn on the map, degrees (≈ 50 m).
SIMPLIFY_DEGREES = 0.0005


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
    bounds = landscape.municipalities.total_bounds  # lon/lat
    m = folium.Map(
        location=[(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2],
        tiles="OpenStreetMap",
        control_scale=True,
        prefer_canvas=True,
    )
    m.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])

    colormap = branca.colormap.LinearColormap(
        MINUTES_COLOURS,
        vmin=15,
        vmax=norm,
        caption="mean composite minutes to the nearest open site",
    )
    _municipality_layer(result, colormap).add_to(m)
    _region_outlines(result).add_to(m)
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
    page = m.get_root()
    assert isinstance(page, branca.element.Figure)
    page.html.add_child(branca.element.Element(_title_html(heading, line)))
    page.html.add_child(branca.element.Element(_legend_html(norm, colormap)))
    _number_elements(m)
    return m


def map_html(m: folium.Map) -> str:
    """The map as one self-contained HTML page (the same inputs give the same string)."""
    return str(m.get_root().render())


def save_map(m: folium.Map, path: str | Path) -> Path:
    """Write the map to ``path`` (folders created), returning the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(map_html(m), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------
# layers
# ------------------------------------------------------------------------------------------


def _municipality_layer(
    result: Reach, colormap: branca.colormap.LinearColormap
) -> folium.FeatureGroup:
    landscape = result.landscape
    p = result.points
    finite = np.isfinite(p["minutes"])
    weighted = (p["minutes"].where(finite, 0) * p["population"]).groupby(p["gemeentecode"]).sum()
    reachable = p["population"].where(finite, 0).groupby(p["gemeentecode"]).sum()
    beyond = (
        p["population"]
        .where(p["minutes"] > result.minutes_norm, 0)
        .groupby(p["gemeentecode"])
        .sum()
    )
    municipalities = landscape.municipalities[["name", "population", "geometry"]].copy()
    municipalities["mean_minutes"] = (weighted / reachable.replace(0, np.nan)).reindex(
        municipalities.index
    )
    municipalities["beyond"] = beyond.reindex(municipalities.index).fillna(0).round().astype(int)
    municipalities["geometry"] = municipalities.geometry.simplify(SIMPLIFY_DEGREES)
    municipalities["mean_minutes"] = municipalities["mean_minutes"].round(1)
    municipalities["population"] = municipalities["population"].round().astype(int)
    frame = municipalities.reset_index()

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        props = feature["properties"]
        minutes = props["mean_minutes"]
        colour = (
            colormap(min(max(minutes, colormap.vmin), colormap.vmax))
            if minutes is not None
            else "#cccccc"
        )
        has_beyond = props["beyond"] > 0
        return {
            "fillColor": colour,
            "fillOpacity": 0.55,
            "color": "#67001f" if has_beyond else "#ffffff",
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


def _region_outlines(result: Reach) -> folium.FeatureGroup:
    regions = result.landscape.region_layer("roaz").copy()
    regions["geometry"] = regions.geometry.simplify(SIMPLIFY_DEGREES * 2)
    regions["name"] = result.landscape.roaz_regions["roaz_name"].reindex(regions.index)
    frame = regions.reset_index()[["roaz", "name", "geometry"]]
    layer = folium.FeatureGroup(name="ROAZ regions", show=True)
    folium.GeoJson(
        frame.to_json(drop_id=True),
        style_function=lambda _: {
            "fill": False,
            "color": "#252525",
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
            color="#49006a",
            weight=1,
            fill=True,
            fill_color="#e7298a",
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
            color="#2166ac",
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
# page elements
# ------------------------------------------------------------------------------------------


def _title_html(heading: str, line: str) -> str:
    return (
        '<div style="position: fixed; top: 10px; left: 60px; z-index: 9999; background: white; '
        "padding: 6px 10px; border: 1px solid #999; border-radius: 4px; font: 14px sans-serif; "
        f'max-width: 60%;"><b>{html_escape.escape(heading)}</b><br>'
        f'<span style="font-size: 12px">{html_escape.escape(line)}</span><br>'
        '<span style="font-size: 10px; color: #555">zorglandschap · RIVM composite time '
        "(ambulance post → patient + fixed minutes + patient → site) · data: CBS (CC BY 4.0), "
        "RIVM</span></div>"
    )


def _legend_html(norm: float, colormap: branca.colormap.LinearColormap) -> str:
    rows = "".join(
        f'<div><span style="display:inline-block;width:12px;height:12px;border-radius:6px;'
        f'background:{colour};border:1px solid #000;margin-right:6px"></span>{SEH_LABELS[state]}</div>'
        for state, colour in SEH_COLOURS.items()
    )
    steps = np.linspace(colormap.vmin, colormap.vmax, 7)
    gradient = ", ".join(colormap(v) for v in steps)
    return (
        '<div style="position: fixed; bottom: 70px; left: 10px; z-index: 9999; background: white; '
        'padding: 6px 10px; border: 1px solid #999; border-radius: 4px; font: 12px sans-serif;">'
        "<b>Municipalities</b>: mean minutes to the nearest open site"
        f'<div style="height:10px;width:220px;background:linear-gradient(to right, {gradient});'
        'border:1px solid #999"></div>'
        '<div style="width:224px;display:flex;justify-content:space-between;font-size:10px">'
        f"<span>{colormap.vmin:g}</span><span>{(colormap.vmin + colormap.vmax) / 2:g}</span>"
        f"<span>{colormap.vmax:g}+</span></div>"
        f"<b>Sites</b>{rows}"
        '<div style="margin-top:4px"><span style="display:inline-block;width:12px;height:12px;'
        'border-radius:6px;background:#e7298a;border:1px solid #49006a;margin-right:6px"></span>'
        f"PC4 area beyond {norm:g} min (size: inhabitants)</div>"
        '<div><span style="display:inline-block;width:12px;height:8px;border:2.5px solid #67001f;'
        f'margin-right:6px"></span>municipality with people beyond {norm:g} min</div>'
        '<div><span style="display:inline-block;width:12px;height:0;border-top:2px dashed #252525;'
        'margin-right:6px;vertical-align:middle"></span>ROAZ region</div>'
        "<div>open site: black ring, larger when its closure pushes more people beyond</div>"
        "</div>"
    )


def _walk(element: branca.element.Element) -> Iterator[branca.element.Element]:
    """Every element below ``element``: its children and its header/html/script parts."""
    yield element
    for part in ("header", "html", "script"):
        sub = getattr(element, part, None)
        if isinstance(sub, branca.element.Element) and sub is not element:
            yield from _walk(sub)
    for child in list(element._children.values()):
        yield from _walk(child)


def _number_elements(m: folium.Map) -> None:
    """Replace folium's random element ids by sequence numbers (reproducible HTML)."""
    root = m.get_root()
    for i, element in enumerate(_walk(root)):
        element._id = f"{i:06d}"
    for element in _walk(root):
        # Children are keyed by their old name; rebuild the dicts under the new names.
        element._children = OrderedDict(
            (child.get_name(), child) for child in element._children.values()
        )
