"""The folium layers of a reach map, drawn from the GIS layers of :mod:`zorglandschap.report`."""

from __future__ import annotations

import html as html_escape
import math
from typing import Any

import branca
import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zorglandschap.access import Reach, staffed_posts
from zorglandschap.landscape import Landscape
from zorglandschap.maps.style import (
    AV_COLOUR,
    BEYOND_EDGE,
    BEYOND_FILL,
    BEYOND_OUTLINE,
    CENTRE_COLOUR,
    CHANGED_COLOUR,
    CONTEXT_FILL,
    COORDINATE_DECIMALS,
    IZA_OUTLINE,
    POST_COLOUR,
    PROVINCE_OUTLINE,
    ROAZ_OUTLINE,
    SEH_COLOURS,
    SEH_LABELS,
    SIMPLIFY_DEGREES,
    fill,
    label_priority,
)
from zorglandschap.report.region import RegionView
from zorglandschap.vocab import RegionLayer

#: West, south, east, north (lon/lat).
Bounds = tuple[float, float, float, float]


def display(frame: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """``frame`` with its geometry simplified by ``tolerance`` (degrees) and its coordinates
    rounded to :data:`~zorglandschap.maps.style.COORDINATE_DECIMALS` (smaller files)."""
    frame = frame.copy()
    simple = frame.geometry.simplify(tolerance)
    frame["geometry"] = shapely.transform(
        simple.to_numpy(), lambda xy: np.round(xy, COORDINATE_DECIMALS)
    )
    return frame


def widen(bounds: Bounds, share: float = 0.25) -> Bounds:
    """``bounds`` grown by ``share`` of their size on every side."""
    west, south, east, north = bounds
    dx, dy = (east - west) * share, (north - south) * share
    return west - dx, south - dy, east + dx, north + dy


def municipality_layer(
    frame: gpd.GeoDataFrame,
    colormap: branca.colormap.LinearColormap,
    norm: float,
    *,
    name: str = "Municipalities: mean minutes",
    overlay: bool = True,
    show: bool = True,
) -> folium.FeatureGroup:
    """Municipalities coloured by mean minutes; a thick outline where people live beyond."""
    frame = display(frame, SIMPLIFY_DEGREES)
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

    layer = folium.FeatureGroup(name=name, show=show, overlay=overlay)
    folium.GeoJson(
        frame.to_json(drop_id=True),
        style_function=style,
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "population", "mean_minutes", "beyond"],
            aliases=["municipality", "inhabitants", "mean minutes", f"beyond {norm:g} min"],
            localize=True,
        ),
    ).add_to(layer)
    return layer


def difference_layer(
    frame: gpd.GeoDataFrame, colormap: branca.colormap.LinearColormap, *, overlay: bool
) -> folium.FeatureGroup:
    """Municipalities coloured by the added mean minutes (after − before)."""
    columns = ["name", "before_minutes", "after_minutes", "added_minutes", "max_added"]
    frame = display(frame[[*columns, "added_beyond", "geometry"]], SIMPLIFY_DEGREES)
    frame[columns[1:]] = frame[columns[1:]].round(1)

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        props = feature["properties"]
        return {
            "fillColor": fill(colormap, props["added_minutes"]),
            "fillOpacity": 0.75,
            "color": BEYOND_OUTLINE if props["added_beyond"] > 0 else "#999999",
            "weight": 2.5 if props["added_beyond"] > 0 else 0.4,
        }

    layer = folium.FeatureGroup(name="Difference: added minutes", show=True, overlay=overlay)
    folium.GeoJson(
        frame.to_json(drop_id=True),
        style_function=style,
        tooltip=folium.GeoJsonTooltip(
            fields=[*columns, "added_beyond"],
            aliases=[
                "municipality",
                "mean min before",
                "mean min after",
                "added (mean)",
                "added (most, one PC4)",
                "more people beyond",
            ],
            localize=True,
        ),  # fmt: skip
    ).add_to(layer)
    return layer


def context_layer(landscape: Landscape, region: RegionView, bounds: Bounds) -> folium.FeatureGroup:
    """The municipalities around a regional view, plain (where its neighbours' sites stand)."""
    mun = landscape.municipalities
    west, south, east, north = bounds
    near = mun.cx[west:east, south:north]
    near = near[~near.index.isin(region.municipalities)]
    frame = display(near.reset_index()[["gemeentecode", "name", "geometry"]], SIMPLIFY_DEGREES * 2)
    layer = folium.FeatureGroup(name="Surrounding municipalities", show=True)
    if frame.empty:  # an extract of the region alone: nothing around it
        return layer
    folium.GeoJson(
        frame.to_json(drop_id=True),
        style_function=lambda _: {
            "fillColor": CONTEXT_FILL,
            "fillOpacity": 0.7,
            "color": "#bbbbbb",
            "weight": 0.5,
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=["outside the region"]),
    ).add_to(layer)
    return layer


def outline_layers(landscape: Landscape, region: RegionView | None) -> list[folium.FeatureGroup]:
    """Region outlines: ROAZ (shown), IZA and provinces (switched off), and the region shown."""
    layers = []
    specs: list[tuple[RegionLayer, str, str, str, bool]] = [
        ("roaz", "ROAZ regions", ROAZ_OUTLINE, "6 4", True),
        ("iza", "IZA regions", IZA_OUTLINE, "2 4", False),
        ("province", "Provinces", PROVINCE_OUTLINE, "8 3 2 3", False),
    ]
    for layer_name, title, colour, dash, show in specs:
        regions = display(landscape.region_layer(layer_name), SIMPLIFY_DEGREES * 2)
        regions["name"] = regions.index.astype(str)
        if layer_name == "roaz":
            regions["name"] = landscape.roaz_regions["roaz_name"].reindex(regions.index)
        frame = regions.rename_axis("code").reset_index()[["code", "name", "geometry"]]
        layer = folium.FeatureGroup(name=title, show=show)
        folium.GeoJson(
            frame.to_json(drop_id=True),
            style_function=lambda _, c=colour, d=dash: {
                "fill": False, "color": c, "weight": 1.5, "dashArray": d,
            },
            tooltip=folium.GeoJsonTooltip(fields=["code", "name"], aliases=[title, "name"]),
        ).add_to(layer)  # fmt: skip
        layers.append(layer)
    if region is not None:
        shape = landscape.municipalities.loc[list(region.municipalities)].dissolve()
        frame = display(shape[["geometry"]], SIMPLIFY_DEGREES)
        frame["name"] = region.label
        layer = folium.FeatureGroup(name=f"The region shown: {region.label}", show=True)
        folium.GeoJson(
            frame.to_json(drop_id=True),
            style_function=lambda _: {"fill": False, "color": "#000000", "weight": 3},
            tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=["region"]),
        ).add_to(layer)
        layers.append(layer)
    return layers


def beyond_layer(
    result: Reach, *, name: str | None = None, show: bool = True
) -> folium.FeatureGroup:
    """The PC4 areas beyond the norm, sized by inhabitants."""
    beyond = result.beyond_points()
    pc4 = result.landscape.pc4
    names = result.landscape.municipalities["name"]
    layer = folium.FeatureGroup(
        name=name or f"PC4 areas beyond {result.minutes_norm:g} min", show=show
    )
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


def posts_layer(result: Reach, bounds: Bounds | None) -> folium.FeatureGroup:
    """The ambulance posts staffed in the block (inside ``bounds`` when given)."""
    posts = result.landscape.posts
    staffed = staffed_posts(result.landscape, block=result.block, settings=result.settings)
    layer = folium.FeatureGroup(name=f"Ambulance posts staffed ({result.block})", show=False)
    for post_id in staffed:
        row = posts.loc[post_id]
        if bounds is not None and not (
            bounds[0] <= row["lon"] <= bounds[2] and bounds[1] <= row["lat"] <= bounds[3]
        ):
            continue
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


def site_layers(
    sites: gpd.GeoDataFrame, result: Reach, sensitive: pd.DataFrame, *, region: RegionView | None
) -> list[folium.FeatureGroup]:
    """Sites by state (one marker each, popup), and the rings for acute obstetrics, complex-care
    centres and scenario changes, and the short-name labels (at regional zoom)."""
    main = folium.FeatureGroup(name="Hospital sites", show=True)
    av = folium.FeatureGroup(name="Acute obstetrics (AV)", show=True)
    centres = folium.FeatureGroup(name="Complex-care centres", show=False)
    changed = folium.FeatureGroup(name="Changed in the scenario", show=True)
    labels = folium.FeatureGroup(name="Site labels (regional zoom)", show=True)
    for row in sites.itertuples(index=False):
        where = [float(row.geometry.y), float(row.geometry.x)]
        marker = _site_marker(row, result, sensitive, region)
        marker.add_to(main)
        radius = _radius(row)
        if row.av:
            _ring(where, radius + 2.5, AV_COLOUR, 2, "", f"{row.name}: acute obstetrics").add_to(av)
        if row.interventions:
            tip = f"{row.name}: {row.interventions}"
            _ring(where, radius + 5, CENTRE_COLOUR, 2, "2 3", tip).add_to(centres)
        if row.changed:
            tip = f"{row.name}: {_change_text(row)}"
            _ring(where, radius + 8, CHANGED_COLOUR, 3, "5 3", tip).add_to(changed)
    _label_markers(sites, labels)
    return [main, av, centres, *([changed] if sites["changed"].any() else []), labels]


def _label_markers(sites: gpd.GeoDataFrame, layer: folium.FeatureGroup) -> None:
    """The short-name labels, in the order of :func:`~zorglandschap.maps.style.label_priority`:
    where two collide on screen the page keeps the first (:func:`~zorglandschap.maps._page.
    panel_script`)."""
    order = sorted(
        sites.itertuples(index=False),
        key=lambda row: label_priority(
            sensitive=row.extra_beyond > 0, changed=bool(row.changed), seh=str(row.seh),
            is_open=bool(row.open), serves=float(row.serves), text=str(row.label),
        ),
    )  # fmt: skip
    for row in order:
        folium.CircleMarker(
            location=[float(row.geometry.y), float(row.geometry.x)],
            radius=0,
            opacity=0,
            fill=False,
            tooltip=folium.Tooltip(
                html_escape.escape(str(row.label)),
                permanent=True,
                direction="right",
                offset=(8, 0),
                class_name="zl-label",
            ),
        ).add_to(layer)


def _ring(
    where: list[float], radius: float, colour: str, weight: float, dash: str, tip: str
) -> folium.CircleMarker:
    return folium.CircleMarker(
        location=where,
        radius=float(radius),
        color=colour,
        weight=weight,
        dash_array=dash or None,
        fill=False,
        tooltip=html_escape.escape(tip),
    )


def _change_text(row: Any) -> str:
    parts = []
    if row.seh != row.seh_before:
        parts.append(
            f"{SEH_LABELS.get(row.seh_before, row.seh_before)} → {SEH_LABELS.get(row.seh, row.seh)}"
        )
    if row.av != row.av_before:
        parts.append("acute obstetrics " + ("starts" if row.av else "stops"))
    return "changed in the scenario: " + "; ".join(parts)


def _radius(row: Any) -> float:
    """An open site's marker grows with the people its closure alone pushes beyond."""
    return float(6 + min(10, math.sqrt(row.extra_beyond) / 40)) if row.open else 5.0


def _site_marker(
    row: Any, result: Reach, sensitive: pd.DataFrame, region: RegionView | None
) -> folium.CircleMarker:
    """One site: coloured by its SEH state (or AV), ringed black when open; popup lines."""
    site_id = str(row.site_id)
    if result.service == "seh":
        colour = SEH_COLOURS.get(row.seh, SEH_COLOURS["none"])
        status = SEH_LABELS.get(row.seh, row.seh)
    else:
        colour = SEH_COLOURS["24/7"] if row.open else SEH_COLOURS["none"]
        status = "acute obstetrics" if row.open else "no acute obstetrics"
    lines = [
        f"<b>{html_escape.escape(str(row.name))}</b>",
        f"site id: {site_id}",
        f"{status}; {'open' if row.open else 'not open'} in the {result.block} block",
        f"acute obstetrics: {'yes' if row.av else 'no'}",
    ]
    if row.changed:
        lines.append(f"<b>{html_escape.escape(_change_text(row))}</b>")
    if row.interventions:
        lines.append(f"complex care today: {html_escape.escape(str(row.interventions))}")
    people = "inhabitants of the region" if region is not None else "inhabitants"
    if row.serves:
        lines.append(f"nearest open site for {row.serves:,} {people}")
    if site_id in sensitive.index:
        lines.append(
            f"if it alone closes: <b>{row.extra_beyond:,}</b> more {people} beyond "
            f"{result.minutes_norm:g} min"
        )
        where = sensitive.at[site_id, "municipalities"]
        if where:
            listing = ", ".join(f"{html_escape.escape(n)} {v:,}" for n, v in where.items())
            lines.append(f"they live in: {listing}")
    return folium.CircleMarker(
        location=[float(row.geometry.y), float(row.geometry.x)],
        radius=_radius(row),
        color="#000000" if row.open else colour,
        weight=1.5 if row.open else 1,
        fill=True,
        fill_color=colour,
        fill_opacity=0.95 if row.open else 0.5,
        tooltip=html_escape.escape(str(row.name)),
        popup=folium.Popup("<br>".join(lines), max_width=320),
    )
