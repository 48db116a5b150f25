"""Print figure of a concentration plan (matplotlib): PNG, PDF or SVG at print quality, in the
frame of the reach figures (:func:`~zorglandschap.maps.static.furniture`: title, legend with
the minutes ramp, scale bar, north arrow, source line; A4 at 300 dpi).

It draws what the plan's interactive map shows first (:func:`~zorglandschap.maps.interactive.
concentration_map`), for the plan's first intervention: the municipalities coloured by their
patients' mean minutes to the site they are assigned to, the patient flows (width by patients a
year), the offering sites sized by volume and coloured by change against today (keeps,
starts), the teams that stop as rings, labelled without overlaps
(:mod:`zorglandschap.maps._labels`). With ``region=`` it shows one region cut from the national
plan (:func:`~zorglandschap.report.region.region_plan_layers`), fitted to the region and the
sites that receive its patients.

Examples
--------
>>> from zorglandschap.landscape import load_landscape
>>> from zorglandschap.optimise import landscape_model
>>> nl = load_landscape().extract(roaz="ROAZ08")
>>> plan = landscape_model(nl, "pancreas", norms=10, objective="travel").solve()
>>> figure = plan_figure(plan, nl)
>>> [round(float(v), 2) for v in figure.get_size_inches()]
[11.69, 8.27]
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import geopandas as gpd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from zorglandschap.maps._labels import LabelRequest
from zorglandschap.maps._plan_layers import plan_heading, plan_limit, plan_line
from zorglandschap.maps.static import (
    RD_NEW,
    Orientation,
    fit,
    furniture,
    minutes_cmap,
    page,
    place_and_name_labels,
)
from zorglandschap.maps.style import (
    CHANGE_COLOURS,
    CHANGE_LABELS,
    CONTEXT_FILL,
    NO_VALUE_COLOUR,
    ROAZ_OUTLINE,
)
from zorglandschap.report.layers import concentration_layers
from zorglandschap.report.region import RegionView, region_plan_layers

if TYPE_CHECKING:
    from zorglandschap.landscape import Landscape
    from zorglandschap.optimise.concentration import ConcentrationResult

__all__ = ["PLAN_SOURCE_LINE", "plan_figure"]

#: The source line under a plan figure (CBS licence as required: "Bron: CBS").
PLAN_SOURCE_LINE = (
    "Bron: CBS (CC BY 4.0: gemeenten 2024, PC4-bevolking 2021), RIVM (ziekenhuislocaties), "
    "volumenormen en volumes (regions/PROVENANCE.md), bewerking zorglandschap. Concentration "
    "plan (mixed-integer model, docs/concentration.md): car minutes to the assigned site."
)
#: Widest flow line (points), for the municipality with the most patients to one site.
FLOW_WIDTH_POINTS = 3.0


def plan_figure(
    result: ConcentrationResult,
    landscape: Landscape,
    *,
    region: RegionView | None = None,
    orientation: Orientation = "landscape",
    title: str | None = None,
) -> Figure:
    """A print figure of a concentration plan, national or of one region (save it with
    :func:`~zorglandschap.maps.static.save_figure`).

    Raises
    ------
    ScenarioError
        If the result has no plan, or its demand points are not municipalities or PC4s (as
        :func:`~zorglandschap.report.layers.concentration_layers`), or the orientation is
        unknown.
    """
    gis = concentration_layers(result, landscape)
    if region is not None:
        gis = region_plan_layers(gis, region, landscape)
    first = result.interventions[0]
    mine = {name: frame[frame["intervention"] == first] for name, frame in gis.items()}
    figure, (ax,) = page(orientation, panels=1)
    limit = plan_limit(result, first)
    _draw_plan(ax, landscape, mine, region, limit)
    line = plan_line(result, landscape, gis if region is not None else None, what="figure")
    figure.text(0.03, 0.915, line, fontsize=9, va="top", wrap=True)
    heading = title or plan_heading(result, landscape, region)
    caption = "municipalities: patients' mean\ncar minutes to the assigned site"
    furniture(figure, [ax], heading, PLAN_SOURCE_LINE, _handles(), (0.0, limit, caption))
    return figure


def _draw_plan(
    ax: Axes,
    landscape: Landscape,
    layers: dict[str, gpd.GeoDataFrame],
    region: RegionView | None,
    limit: float,
) -> None:
    """Municipalities, outlines, flows, sites and their labels on one map."""
    municipalities = layers["municipalities"].to_crs(RD_NEW)
    if region is not None:
        around = landscape.municipalities.drop(list(region.municipalities))
        if len(around):  # the country around the region (none on an extract of it)
            around.to_crs(RD_NEW).plot(
                ax=ax, color=CONTEXT_FILL, edgecolor="#bbbbbb", linewidth=0.3
            )
    municipalities.plot(
        ax=ax, column="mean_minutes", cmap=minutes_cmap(), norm=Normalize(0, limit),
        edgecolor="#ffffff", linewidth=0.25, missing_kwds={"color": NO_VALUE_COLOUR},
    )  # fmt: skip
    roaz = landscape.region_layer("roaz").to_crs(RD_NEW)
    roaz.boundary.plot(ax=ax, color=ROAZ_OUTLINE, linewidth=0.6, linestyle="--")
    if region is not None:
        shape = landscape.municipalities.loc[list(region.municipalities)].dissolve()
        shape.to_crs(RD_NEW).boundary.plot(ax=ax, color="#000000", linewidth=1.6)
    sites = layers["sites"].to_crs(RD_NEW)
    _draw_flows(ax, layers["flows"], sites)
    requests = _draw_sites(ax, sites)
    receiving = sorted(set(layers["sites"]["site_id"])) if region is not None else []
    fit(ax, landscape, region, receiving)
    place_and_name_labels(ax, requests)


def _draw_flows(ax: Axes, flows: gpd.GeoDataFrame, sites: gpd.GeoDataFrame) -> None:
    """The patient flows, municipality → site, width by patients, colour by the site's change."""
    if not len(flows):
        return
    ordered = flows.sort_values(["gemeentecode", "site_id"]).to_crs(RD_NEW)
    change = sites.drop_duplicates("site_id").set_index("site_id")["change"]
    biggest = float(ordered["patients"].max()) or 1.0
    lines = [list(geometry.coords) for geometry in ordered.geometry]
    widths = [0.3 + FLOW_WIDTH_POINTS * math.sqrt(p / biggest) for p in ordered["patients"]]
    colours = [
        CHANGE_COLOURS.get(str(change.get(s, "")) or "keeps", CHANGE_COLOURS["keeps"])
        for s in ordered["site_id"]
    ]
    ax.add_collection(
        LineCollection(lines, linewidths=widths, colors=colours, alpha=0.55, zorder=6),
        autolim=False,
    )


def _draw_sites(ax: Axes, sites: gpd.GeoDataFrame) -> list[LabelRequest]:
    """Offering sites sized by volume, teams that stop as rings; the labels to place."""
    requests = []
    for row in sites.sort_values(["offers", "site_id"]).itertuples(index=False):
        x, y = float(row.geometry.x), float(row.geometry.y)
        change = str(row.change) or "keeps"
        colour = CHANGE_COLOURS.get(change, CHANGE_COLOURS["keeps"])
        if row.offers:
            size = 4.0 + 0.9 * math.sqrt(max(float(row.volume), 0.0))
            ax.plot(x, y, marker="o", markersize=size, markerfacecolor=colour, linestyle="",
                    markeredgecolor="#000000", markeredgewidth=0.7, zorder=10)  # fmt: skip
        else:
            size = 6.0
            ax.plot(x, y, marker="o", markersize=size, markerfacecolor="#ffffff", linestyle="",
                    markeredgecolor=colour, markeredgewidth=1.5, zorder=10)  # fmt: skip
        rank = {"starts": 0, "keeps": 1}.get(change, 2) if row.offers else 3
        priority = (rank, -float(row.volume), str(row.name))
        requests.append(LabelRequest(x, y, str(row.name), size / 2 + 0.8, priority))
    return requests


def _handles() -> list[Patch | Line2D]:
    def dot(face: str, edge: str, width: float, size: float) -> dict:
        return {"marker": "o", "linestyle": "", "markerfacecolor": face, "markeredgecolor": edge,
                "markeredgewidth": width, "markersize": size}  # fmt: skip

    handles: list[Patch | Line2D] = [
        Line2D([], [], label=f"{CHANGE_LABELS['keeps']}\n(size: patients a year)",
               **dot(CHANGE_COLOURS["keeps"], "#000000", 0.7, 8)),
        Line2D([], [], label=CHANGE_LABELS["starts"], **dot(CHANGE_COLOURS["starts"], "#000000",
                                                            0.7, 8)),
        Line2D([], [], label=CHANGE_LABELS["stops"], **dot("#ffffff", CHANGE_COLOURS["stops"],
                                                           1.5, 6)),
        Line2D([], [], color=CHANGE_COLOURS["keeps"], linewidth=2, alpha=0.55,
               label="patients: municipality → site\n(width: patients a year)"),
        Patch(facecolor=NO_VALUE_COLOUR, edgecolor="#999999", label="no patients"),
        Line2D([], [], color=ROAZ_OUTLINE, linestyle="--", linewidth=0.8, label="ROAZ region"),
    ]  # fmt: skip
    return handles
