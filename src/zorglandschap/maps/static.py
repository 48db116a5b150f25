"""Print figures (matplotlib): reach maps for a report, nationally or for one region, and a
scenario before/after as two panels — PNG, PDF or SVG at print quality, no tile server.

The figures draw the same GIS layers as the interactive maps (:mod:`zorglandschap.report.
layers`) in the same colours and words (:mod:`zorglandschap.maps.style`), in RD New
(EPSG:28992, metres) so that the scale bar is true; the north arrow points to grid north, which
differs from true north by less than 2° anywhere in the Netherlands. Each figure carries a title,
the figures of what it shows, a legend, a scale bar, a north arrow and the source line
(:data:`SOURCE_LINE`). A4 landscape or portrait; saved at :data:`PRINT_DPI`.

Examples
--------
>>> from zorglandschap.landscape import load_landscape
>>> from zorglandschap.scenario import site_state
>>> from zorglandschap.access import reach
>>> nl = load_landscape().extract(roaz="ROAZ08")
>>> state = site_state(nl, "2025")
>>> figure = reach_figure(reach(nl, state, block="night"), state)
>>> [round(float(v), 2) for v in figure.get_size_inches()]
[11.69, 8.27]
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import geopandas as gpd
import matplotlib as mpl
import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.colors import Colormap, LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from zorglandschap.access import sensitive_sites
from zorglandschap.errors import ScenarioError
from zorglandschap.files import atomic_path
from zorglandschap.maps._labels import LabelRequest, Placement, label_priority, place_labels
from zorglandschap.maps.style import (
    AV_COLOUR,
    BEYOND_EDGE,
    BEYOND_FILL,
    BEYOND_OUTLINE,
    CHANGED_COLOUR,
    CONTEXT_FILL,
    MINUTES_COLOURS,
    NO_VALUE_COLOUR,
    ROAZ_OUTLINE,
    SEH_COLOURS,
    SEH_LABELS,
    regime_words,
)
from zorglandschap.report.layers import reach_municipalities, reach_sites
from zorglandschap.report.region import RegionView, region_reach, view_site_ids

if TYPE_CHECKING:
    from zorglandschap.access import Reach
    from zorglandschap.landscape import Landscape
    from zorglandschap.landscape.state import SiteState

__all__ = [
    "PRINT_DPI",
    "SOURCE_LINE",
    "before_after_figure",
    "check_format",
    "reach_figure",
    "save_figure",
    "source_line",
]

Orientation = Literal["landscape", "portrait"]
ORIENTATIONS: tuple[Orientation, ...] = ("landscape", "portrait")
#: A4 in inches (210 × 297 mm).
A4_INCHES = (297 / 25.4, 210 / 25.4)
#: Resolution of raster figures (print quality).
PRINT_DPI = 300
#: Formats a figure can be saved in, by file suffix.
FORMATS: tuple[str, ...] = ("png", "pdf", "svg")
#: The source line under every figure (CBS licence as required: "Bron: CBS");
#: :func:`source_line` adds the calibration regime the figure was computed in.
SOURCE_LINE = (
    "Bron: CBS (CC BY 4.0: gemeenten 2024, PC4-bevolking 2021), RIVM (SEH-locaties, "
    "ambulanceposten), bewerking zorglandschap. RIVM composite time: ambulance post → patient "
    "+ fixed minutes + patient → SEH."
)
#: The projected reference system figures are drawn in (RD New, metres).
RD_NEW = "EPSG:28992"
_HALO = [patheffects.withStroke(linewidth=2.5, foreground="white")]


def reach_figure(
    result: Reach,
    state: SiteState,
    *,
    region: RegionView | None = None,
    baseline: SiteState | None = None,
    orientation: Orientation = "landscape",
    title: str | None = None,
) -> Figure:
    """A print figure of a reach result: municipalities by mean minutes, PC4 areas beyond the
    norm, sites by state (labelled in a regional view), outlines, legend and map furniture.

    ``region`` cuts the national ``result`` to the region (its figures are the national run's
    for its PC4 areas); ``baseline`` rings the sites a scenario changed.
    """
    figure, (ax,) = page(orientation, panels=1)
    view = result if region is None else region_reach(result, region)
    _draw_reach(ax, view, state, baseline, region)
    heading = title or (
        f"{result.service.upper()} within {result.minutes_norm:g} minutes — {result.block}, "
        f"sites {result.state_name}" + ("" if region is None else f" — {region.label}")
    )
    figure.text(0.03, 0.915, _figures_line(view), fontsize=9, va="top")
    source = source_line(regime_words(result.settings.travel.regime))
    handles = _legend_handles(result.minutes_norm, changed=baseline is not None)
    furniture(figure, [ax], heading, source, handles, reach_ramp(result.minutes_norm))
    return figure


def before_after_figure(
    before: Reach,
    after: Reach,
    before_state: SiteState,
    after_state: SiteState,
    *,
    region: RegionView | None = None,
    orientation: Orientation = "landscape",
    title: str | None = None,
) -> Figure:
    """Two panels, the baseline and the scenario, on the same scale and colours."""
    figure, axes = page(orientation, panels=2)
    one = before if region is None else region_reach(before, region)
    two = after if region is None else region_reach(after, region)
    _draw_reach(axes[0], one, before_state, None, region)
    _draw_reach(axes[1], two, after_state, before_state, region)
    regimes = (before.settings.travel.regime, after.settings.travel.regime)
    for ax, label, reach_view in ((axes[0], "Before", one), (axes[1], "After", two)):
        s = reach_view.summary()
        # the panels name their regime when the two differ (the source line names both)
        own = f" ({reach_view.settings.travel.regime})" if regimes[0] != regimes[1] else ""
        ax.set_title(
            f"{label}: sites {reach_view.state_name}{own}\n{s['beyond']:,} beyond "
            f"{s['minutes']:g} min; mean {s['mean_minutes']} min, P90 {s['p90_minutes']} min",
            fontsize=8,
            loc="left",
        )
    added = two.summary()["beyond"] - one.summary()["beyond"]
    heading = title or (
        f"{after.service.upper()} within {after.minutes_norm:g} min, {after.block}: "
        f"{after.state_name} against {before.state_name} ({added:+,} beyond)"
        + ("" if region is None else f" — {region.label}")
    )
    source = source_line(regime_words(regimes[1], regimes[0]))
    handles = _legend_handles(after.minutes_norm, changed=True)
    furniture(figure, axes, heading, source, handles, reach_ramp(after.minutes_norm))
    return figure


def source_line(regime: str) -> str:
    """The source line of a reach figure computed in ``regime`` (:func:`~zorglandschap.maps.
    style.regime_words`).

    >>> source_line("calibration regime rivm2022").endswith(
    ...     "RIVM composite time in calibration regime rivm2022: ambulance post → patient "
    ...     "+ fixed minutes + patient → SEH.")
    True
    """
    return SOURCE_LINE.replace("RIVM composite time:", f"RIVM composite time in {regime}:")


def save_figure(figure: Figure, path: str | Path) -> Path:
    """Save ``figure`` as PNG, PDF or SVG (by the suffix) at print resolution, atomically.

    The same figure gives the same bytes (no creation date in PDF/SVG, fixed SVG ids).

    Raises
    ------
    ScenarioError
        If the suffix is not one of :data:`FORMATS`.
    """
    path = Path(path)
    kind = check_format(path)
    metadata = {"png": {}, "pdf": {"CreationDate": None}, "svg": {"Date": None}}[kind]
    with (
        mpl.rc_context({"svg.hashsalt": "zorglandschap", "pdf.compression": 6}),
        atomic_path(path) as temp,
    ):
        figure.savefig(temp, format=kind, dpi=PRINT_DPI, metadata=metadata)
    return path


def check_format(path: str | Path) -> str:
    """The figure format of ``path`` by its suffix (``png``, ``pdf``, ``svg``).

    Raises
    ------
    ScenarioError
        Naming the path and the valid suffixes.
    """
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ScenarioError(
            f"--out {path}: cannot write a figure as {path.suffix or 'a file without suffix'}; "
            f"use one of {', '.join('.' + f for f in FORMATS)}."
        )
    return kind


# ------------------------------------------------------------------------------------------
# page and map furniture
# ------------------------------------------------------------------------------------------


def page(orientation: str, *, panels: int) -> tuple[Figure, list[Axes]]:
    """An A4 figure with the map axes laid out (legend on the right or below)."""
    if orientation not in ORIENTATIONS:
        raise ScenarioError(f"--orientation {orientation!r}: use one of {', '.join(ORIENTATIONS)}.")
    wide = orientation == "landscape"
    figure = Figure(figsize=A4_INCHES if wide else A4_INCHES[::-1], dpi=PRINT_DPI)
    # [left, bottom, width, height] in figure fractions; the legend sits at _LEGEND_BOX
    if panels == 1:
        boxes = [(0.03, 0.07, 0.70, 0.82)] if wide else [(0.04, 0.25, 0.92, 0.66)]
    elif wide:
        boxes = [(0.02, 0.07, 0.37, 0.80), (0.40, 0.07, 0.37, 0.80)]
    else:
        boxes = [(0.04, 0.56, 0.92, 0.35), (0.04, 0.19, 0.92, 0.35)]
    axes = [figure.add_axes(box) for box in boxes]
    for ax in axes:
        ax.set_axis_off()
        ax.set_aspect("equal")
    return figure, axes


#: The minutes ramp of a figure's legend: (green end, red end, caption).
Ramp = tuple[float, float, str]


def reach_ramp(norm: float) -> Ramp:
    """The legend ramp of a reach figure: 15 minutes green, the norm red."""
    return (15.0, norm, "municipalities: mean minutes\nto the nearest open site")


def furniture(
    figure: Figure,
    maps: list[Axes],
    heading: str,
    source: str,
    handles: list[Patch | Line2D],
    ramp: Ramp,
) -> None:
    """Title, legend (``handles``) with the minutes ramp, scale bar and north arrow per map,
    source line: the frame of every print figure (reach and plan)."""
    width, height = figure.get_size_inches()
    wide = width > height
    figure.text(0.03, 0.965, heading, fontsize=13, weight="bold", va="top", wrap=True)
    figure.text(0.03, 0.02, source, fontsize=6.5, color="#444444", va="bottom", wrap=True)
    for ax in maps:
        _scale_bar(ax)
        _north_arrow(ax)
    where = (0.78, 0.12, 0.21, 0.62) if wide else (0.04, 0.055, 0.92, 0.12)
    legend_ax = figure.add_axes(where)
    legend_ax.set_axis_off()
    legend_ax.legend(
        handles=handles,
        loc="upper left",
        frameon=False,
        fontsize=7,
        ncols=1 if wide else 3,
        title="Legend",
        title_fontsize=8,
        alignment="left",
    )
    low, high, caption = ramp
    box = (0.79, 0.80, 0.17, 0.018) if wide else (0.55, 0.195, 0.4, 0.012)
    bar = figure.colorbar(
        mpl.cm.ScalarMappable(norm=Normalize(low, high), cmap=minutes_cmap()),
        cax=figure.add_axes(box),
        orientation="horizontal",
        extend="max",
    )
    bar.set_label(caption, fontsize=7)
    bar.ax.tick_params(labelsize=7)


def _legend_handles(norm: float, *, changed: bool) -> list[Patch | Line2D]:
    def dot(face: str, edge: str = "#000000", width: float = 0.8, size: float = 7) -> dict:
        return {"marker": "o", "linestyle": "", "markerfacecolor": face, "markeredgecolor": edge,
                "markeredgewidth": width, "markersize": size}  # fmt: skip

    handles: list[Patch | Line2D] = [
        Line2D([], [], label=SEH_LABELS[s], **dot(c, "#000000" if s == "24/7" else c))
        for s, c in SEH_COLOURS.items()
    ]
    handles += [
        Line2D([], [], label="acute obstetrics (ring)", **dot("none", AV_COLOUR, 1.5, 10)),
        Line2D([], [], label=f"PC4 area beyond {norm:g} min (size: inhabitants)",
               **dot(BEYOND_FILL, BEYOND_EDGE, 0.5, 6)),
        Patch(facecolor="none", edgecolor=BEYOND_OUTLINE, linewidth=1.5,
              label=f"municipality with people beyond {norm:g} min"),
        Patch(facecolor=NO_VALUE_COLOUR, edgecolor="#999999", label="no open SEH reachable"),
        Line2D([], [], color=ROAZ_OUTLINE, linestyle="--", linewidth=0.8, label="ROAZ region"),
    ]  # fmt: skip
    if changed:
        handles.append(
            Line2D([], [], label="changed in the scenario", **dot("none", CHANGED_COLOUR, 1.5, 13))
        )
    return handles


def _scale_bar(ax: Axes) -> None:
    """A scale bar of a round length, about a fifth of the map's width, bottom left."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    target = (x1 - x0) / 5
    km = max(k for k in (1, 2, 5, 10, 20, 25, 50, 100) if k * 1000 <= max(target, 1000))
    length = km * 1000
    left, bottom = x0 + 0.04 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    height = 0.008 * (y1 - y0)
    for i in range(2):
        ax.add_patch(
            Rectangle((left + i * length / 2, bottom), length / 2, height,
                      facecolor="#000000" if i == 0 else "#ffffff", edgecolor="#000000",
                      linewidth=0.6, zorder=20)
        )  # fmt: skip
    for i, text in enumerate(("0", f"{km / 2:g}", f"{km:g} km")):
        ax.text(left + i * length / 2, bottom + 1.6 * height, text, fontsize=6.5, ha="center",
                va="bottom", zorder=20, path_effects=_HALO)  # fmt: skip


def _north_arrow(ax: Axes) -> None:
    """A north arrow (grid north of RD New) in the top right corner of the map."""
    ax.annotate(
        "N", xy=(0.95, 0.97), xytext=(0.95, 0.89), xycoords="axes fraction",
        ha="center", va="center", fontsize=10, weight="bold", zorder=20,
        arrowprops={"arrowstyle": "-|>", "color": "#000000", "linewidth": 1.2},
    )  # fmt: skip


# ------------------------------------------------------------------------------------------
# the map
# ------------------------------------------------------------------------------------------


def minutes_cmap() -> Colormap:
    """The minutes colour map of the print figures (the maps' ramp; grey without a value)."""
    cmap = LinearSegmentedColormap.from_list("zorglandschap-minutes", MINUTES_COLOURS)
    return cmap.with_extremes(bad=NO_VALUE_COLOUR, over=MINUTES_COLOURS[-1])


def _draw_reach(
    ax: Axes,
    view: Reach,
    state: SiteState,
    baseline: SiteState | None,
    region: RegionView | None,
) -> Placement:
    """Draw one map of ``view``; its labels (a regional view) placed without overlaps."""
    landscape = view.landscape
    municipalities = reach_municipalities(view).to_crs(RD_NEW)
    if region is not None:
        inside = municipalities["gemeentecode"].isin(region.municipalities)
        if not inside.all():  # the country around the region (none on an extract of it)
            municipalities[~inside].plot(
                ax=ax, color=CONTEXT_FILL, edgecolor="#bbbbbb", linewidth=0.3
            )
        municipalities = municipalities[inside]
    municipalities.plot(
        ax=ax, column="mean_minutes", cmap=minutes_cmap(), norm=Normalize(15, view.minutes_norm),
        edgecolor="#ffffff", linewidth=0.25, missing_kwds={"color": NO_VALUE_COLOUR},
    )  # fmt: skip
    beyond = municipalities[municipalities["beyond"] > 0]
    if len(beyond):
        beyond.boundary.plot(ax=ax, color=BEYOND_OUTLINE, linewidth=1.2)
    roaz = landscape.region_layer("roaz").to_crs(RD_NEW)
    roaz.boundary.plot(ax=ax, color=ROAZ_OUTLINE, linewidth=0.6, linestyle="--")
    if region is not None:
        shape = landscape.municipalities.loc[list(region.municipalities)].dissolve().to_crs(RD_NEW)
        shape.boundary.plot(ax=ax, color="#000000", linewidth=1.6)
    _draw_beyond(ax, view)
    site_ids = view_site_ids(view, state, region)
    sensitive = sensitive_sites(view)
    sites = reach_sites(view, state, baseline=baseline, sensitive=sensitive, site_ids=site_ids)
    requests = _draw_sites(ax, sites.to_crs(RD_NEW), labels=region is not None)
    fit(ax, landscape, region, sorted({str(s) for s in view.points["site_id"] if s}))
    return place_and_name_labels(ax, requests)


def place_and_name_labels(ax: Axes, requests: list[LabelRequest]) -> Placement:
    """Place the labels (:func:`~zorglandschap.maps._labels.place_labels`); those left out
    for lack of room are named under the map, wrapped to its width."""
    placement = place_labels(ax, requests)
    if placement.dropped:
        note = textwrap.fill("not labelled (no room): " + ", ".join(placement.dropped), 90)
        ax.text(0.0, -0.01, note, transform=ax.transAxes, ha="left", va="top", fontsize=5.5,
                color="#444444", clip_on=False)  # fmt: skip
    return placement


def _draw_beyond(ax: Axes, view: Reach) -> None:
    beyond = view.beyond_points()
    if not len(beyond):
        return
    pc4 = view.landscape.pc4.loc[beyond.index]
    points = gpd.GeoSeries(gpd.points_from_xy(pc4["lon"], pc4["lat"]), crs="EPSG:4326")
    xy = points.to_crs(RD_NEW)
    sizes = (2 + np.sqrt(beyond["population"].to_numpy(dtype=float)) / 12) ** 2 / 2
    ax.scatter(xy.x, xy.y, s=sizes, c=BEYOND_FILL, edgecolors=BEYOND_EDGE, linewidths=0.4,
               zorder=8)  # fmt: skip


def _draw_sites(ax: Axes, sites: gpd.GeoDataFrame, *, labels: bool) -> list[LabelRequest]:
    """The site markers; with ``labels``, the labels to place (:func:`place_labels`)."""
    requests: list[LabelRequest] = []
    for row in sites.itertuples(index=False):
        x, y = row.geometry.x, row.geometry.y
        colour = SEH_COLOURS.get(row.seh, SEH_COLOURS["none"])
        size = 5.5 if row.open else 4.0
        ax.plot(x, y, marker="o", markersize=size, markerfacecolor=colour, linestyle="",
                markeredgecolor="#000000" if row.open else colour, markeredgewidth=0.6,
                alpha=1.0 if row.open else 0.7, zorder=10)  # fmt: skip
        outer = size + 0.6
        if row.av:
            ax.plot(x, y, marker="o", markersize=size + 3, markerfacecolor="none",
                    markeredgecolor=AV_COLOUR, markeredgewidth=1.0, linestyle="", zorder=9)  # fmt: skip
            outer = size + 4.0
        if row.changed:
            ax.plot(x, y, marker="o", markersize=size + 8, markerfacecolor="none",
                    markeredgecolor=CHANGED_COLOUR, markeredgewidth=1.5, linestyle="", zorder=9)  # fmt: skip
            outer = size + 9.5
        if labels:
            priority = label_priority(
                sensitive=row.extra_beyond > 0, changed=bool(row.changed), seh=str(row.seh),
                is_open=bool(row.open), serves=float(row.serves), text=str(row.label),
            )  # fmt: skip
            requests.append(LabelRequest(float(x), float(y), str(row.label), outer / 2, priority))
    return requests


def fit(ax: Axes, landscape: Landscape, region: RegionView | None, site_ids: list[str]) -> None:
    """Limit the map to the country, or to the region and the sites ``site_ids`` (those
    nearest to its people, or that receive its patients), with room for labels on the right."""
    if region is None:
        west, south, east, north = landscape.municipalities.to_crs(RD_NEW).total_bounds
    else:
        shape = landscape.municipalities.loc[list(region.municipalities)].to_crs(RD_NEW)
        west, south, east, north = shape.total_bounds
        if site_ids:
            where = landscape.sites.loc[site_ids, ["x_rd", "y_rd"]]
            west, east = min(west, where["x_rd"].min()), max(east, where["x_rd"].max())
            south, north = min(south, where["y_rd"].min()), max(north, where["y_rd"].max())
    pad = 0.04 * max(east - west, north - south)
    # room on the right for the labels of sites at the edge (regional views are labelled)
    room = 0.0 if region is None else 0.12 * (east - west)
    ax.set_xlim(west - pad, east + pad + room)
    ax.set_ylim(south - pad, north + pad)


def _figures_line(view: Reach) -> str:
    s = view.summary()
    return (
        f"{s['within']:,} of {s['population']:,} inhabitants within {s['minutes']:g} min "
        f"({100 * s['share_within']:.2f} %); {s['beyond']:,} beyond; mean {s['mean_minutes']} "
        f"min, P90 {s['p90_minutes']} min"
    )
