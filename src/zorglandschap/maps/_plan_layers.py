"""The folium layers of a concentration-plan map, drawn from :func:`~zorglandschap.report.layers.
concentration_layers`, and the words of a plan's map and print figure (heading, figures line)."""

from __future__ import annotations

import html as html_escape
import math
from typing import TYPE_CHECKING, Any

import branca
import folium
import geopandas as gpd

from zorglandschap.landscape import Landscape
from zorglandschap.maps._reach_layers import display
from zorglandschap.maps.style import CHANGE_COLOURS, CHANGE_LABELS, SIMPLIFY_DEGREES, fill

if TYPE_CHECKING:
    from zorglandschap.optimise.concentration import ConcentrationResult
    from zorglandschap.report.region import RegionView


def intervention_name(landscape: Landscape, intervention: str) -> str:
    norms = landscape.norms
    if intervention in norms.index and "intervention" in norms.columns:
        return str(norms.at[intervention, "intervention"])
    return intervention


def plan_limit(result: ConcentrationResult, intervention: str) -> float:
    """The red end of the minutes ramp of a plan: its maximum travel time (default 90)."""
    overall = result.indicators[
        (result.indicators["intervention"] == intervention) & (result.indicators["region"] == "all")
    ]
    return float(overall["beyond_minutes"].iloc[0]) if len(overall) else 90.0


def plan_heading(
    result: ConcentrationResult, landscape: Landscape, region: RegionView | None
) -> str:
    """The heading of a plan's map or figure: intervention(s), offering sites, norm(s)."""
    names = ", ".join(intervention_name(landscape, p) for p in result.interventions)
    norms = sorted({float(v) for v in result.sites["norm"]})
    offering = result.sites[result.sites["offers"]]
    heading = (
        f"{names} — {len(offering)} site offer(s), norm {', '.join(f'{v:g}' for v in norms)} a year"
    )
    return heading if region is None else f"{heading} — {region.label}"


def plan_line(
    result: ConcentrationResult,
    landscape: Landscape,
    regional: dict[str, gpd.GeoDataFrame] | None,
    *,
    what: str,
) -> str:
    """The figures of a plan: status, the patients' minutes, teams that stop and start; with
    ``regional`` (:func:`~zorglandschap.report.region.region_plan_layers`) the region's
    patients and the sites they go to. ``what`` ("map", "figure") names what shows the first
    of several interventions."""
    d = result.to_dict()
    gap = "" if result.gap is None else f", gap {100 * result.gap:.2f} %"
    stops = int((result.sites["change"] == "stops").sum())
    starts = int((result.sites["change"] == "starts").sum())
    line = (
        f"{result.status}{gap}; patients' mean {d['mean_minutes']:.1f} min, P90 "
        f"{d['p90_minutes']:.1f}, max {d['max_minutes']:.1f}; {stops} team(s) stop, {starts} "
        f"start; solved on {result.demand_level} demand"
    )
    first = result.interventions[0]
    if regional is not None:
        flows = regional["flows"][regional["flows"]["intervention"] == first]
        patients = float(flows["patients"].sum())
        mean = (
            float((flows["patients"] * flows["mean_minutes"]).sum() / patients) if patients else 0
        )
        line += (
            f"; the region's {patients:.1f} patients a year: mean {mean:.1f} min, to "
            f"{flows['site_id'].nunique()} site(s)"
        )
    if len(result.interventions) > 1:
        shown = intervention_name(landscape, first)
        line += f"; {what} shows {shown}" + (
            ", the others are in the layer list" if what == "map" else ""
        )
    return line


def plan_municipality_layer(
    municipalities: gpd.GeoDataFrame,
    colormap: branca.colormap.LinearColormap,
    prefix: str,
    *,
    show: bool,
) -> folium.FeatureGroup:
    frame = municipalities[
        ["gemeentecode", "name", "patients", "mean_minutes", "main_site", "main_share", "geometry"]
    ]
    frame = display(frame, SIMPLIFY_DEGREES)
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


def flow_layer(
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


def plan_sites_layer(sites: gpd.GeoDataFrame, prefix: str, *, show: bool) -> folium.FeatureGroup:
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
