"""Site labels of the print figures that never overlap: a greedy, deterministic placement.

Each label is tried, in order of priority (:func:`~zorglandschap.maps.style.label_priority`:
sensitive SEHs first, then sites a scenario changes, open 24/7 SEHs, limited hours, spoedposts, the others; the site that
serves more people first), at a few positions around its marker: right, left, the four
diagonals, above, below; then further out, in 16 directions, with a thin leader line to the
marker that crosses no other label. The first
position whose box, measured with matplotlib's text extents at the figure's resolution, stays
inside the map, clear of every marker, of the labels already placed and of the map furniture
(north arrow, scale bar), is taken. A label that fits nowhere is left out, and named
(:class:`Placement`), rather than drawn over another.

Why not adjustText: it moves labels by iterated repulsion, which reduces overlaps but does not
promise none, and a label may end far from its site. Here the outcome is a pure function of the
inputs (same inputs, same positions, so PDF and SVG keep the same bytes), no label overlaps
another, and the rule is short enough to read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Annotation

from zorglandschap.maps.style import label_priority

__all__ = ["LabelRequest", "Placement", "label_priority", "place_labels"]

#: Label font size (points).
LABEL_FONTSIZE = 6.0
#: White halo around label text (points): the stroke adds half of it on each side.
HALO_POINTS = 2.5
#: Room kept free around each label box (points), beyond the halo.
MARGIN_POINTS = 0.8
#: Distances (points, from the marker's edge) tried with a leader line when none of the near
#: positions is free.
LEADER_POINTS = (10.0, 18.0, 28.0, 40.0)
#: Furniture corners kept free of labels, in axes fractions (x0, y0, x1, y1): the north arrow
#: top right and the scale bar bottom left (:mod:`zorglandschap.maps.static`).
FURNITURE_BOXES = ((0.91, 0.85, 0.99, 1.0), (0.0, 0.0, 0.32, 0.09))

Ha = Literal["left", "right", "center"]
Va = Literal["bottom", "top", "center"]
#: The directions tried, in order: unit vector and the text alignment that keeps the label on
#: that side of the marker.
_DIRECTIONS: tuple[tuple[float, float, Ha, Va], ...] = (
    (1.0, 0.0, "left", "center"),
    (-1.0, 0.0, "right", "center"),
    (1.0, 1.0, "left", "bottom"),
    (1.0, -1.0, "left", "top"),
    (-1.0, 1.0, "right", "bottom"),
    (-1.0, -1.0, "right", "top"),
    (0.0, 1.0, "center", "bottom"),
    (0.0, -1.0, "center", "top"),
)
#: With a leader line, also the directions between those (16 in all).
_BETWEEN: tuple[tuple[float, float, Ha, Va], ...] = (
    (1.0, 0.5, "left", "bottom"),
    (1.0, -0.5, "left", "top"),
    (-1.0, 0.5, "right", "bottom"),
    (-1.0, -0.5, "right", "top"),
    (0.5, 1.0, "left", "bottom"),
    (0.5, -1.0, "left", "top"),
    (-0.5, 1.0, "right", "bottom"),
    (-0.5, -1.0, "right", "top"),
)
_HALO = [patheffects.withStroke(linewidth=HALO_POINTS, foreground="white")]
_LEADER = {"arrowstyle": "-", "color": "#555555", "linewidth": 0.5, "shrinkA": 0}


@dataclass(frozen=True)
class LabelRequest:
    """A label to place: the marker's point (data coordinates), its text, its radius (points,
    the outermost ring drawn around it) and its priority (lower first)."""

    x: float
    y: float
    text: str
    radius: float
    priority: tuple[float | str, ...]


@dataclass(frozen=True)
class Placement:
    """What :func:`place_labels` drew: the annotations (in priority order) and the texts left
    out for lack of room (sites beyond the map's edge are neither)."""

    drawn: list[Annotation] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def place_labels(ax: Axes, requests: Sequence[LabelRequest]) -> Placement:
    """Place the labels of ``requests`` on ``ax`` without overlaps (see the module's rule).

    Call it once the map is drawn and its limits set: positions are measured on the axes as
    they will be printed (:meth:`~matplotlib.axes.Axes.apply_aspect` is applied here).
    """
    figure = ax.get_figure()
    assert figure is not None
    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        canvas = FigureCanvasAgg(figure)  # type: ignore[arg-type]  # to measure text
    renderer = canvas.get_renderer()
    ax.apply_aspect()
    points = figure.dpi / 72.0  # pixels per point
    frame = ax.get_window_extent(renderer)
    anchors = [tuple(a) for a in ax.transData.transform([(r.x, r.y) for r in requests])]
    taken = [_marker_box(a, r.radius * points) for a, r in zip(anchors, requests, strict=True)]
    taken += [
        (frame.x0 + a * frame.width, frame.y0 + b * frame.height,
         frame.x0 + c * frame.width, frame.y0 + d * frame.height)
        for a, b, c, d in FURNITURE_BOXES
    ]  # fmt: skip
    inside = (frame.x0, frame.y0, frame.x1, frame.y1)
    pad = (HALO_POINTS / 2 + MARGIN_POINTS) * points
    placement = Placement()
    placed: list[Box] = []  # the label boxes (a leader may not cross one)
    leaders: list[tuple[tuple[float, ...], Box]] = []  # (marker, label box): no label on one
    for k in sorted(range(len(requests)), key=lambda k: requests[k].priority):
        request = requests[k]
        if not _within(_marker_box(anchors[k], 0.0), inside):
            continue  # a site beyond the map's edge (serving the region from outside it)
        probe = ax.annotate(request.text, (0, 0), fontsize=LABEL_FONTSIZE, annotation_clip=False)
        extent = probe.get_window_extent(renderer)
        probe.remove()
        spot = _first_free(
            anchors[k], request.radius * points, (extent.width, extent.height), pad,
            taken=taken, labels=placed, leaders=leaders, inside=inside, points=points,
        )  # fmt: skip
        if spot is None:
            placement.dropped.append(request.text)
            continue
        (dx, dy, ha, va, leader), box = spot
        drawn = ax.annotate(
            request.text, (request.x, request.y), xytext=(dx, dy), textcoords="offset points",
            ha=ha, va=va, fontsize=LABEL_FONTSIZE, zorder=11, path_effects=_HALO,
            annotation_clip=False,
            arrowprops={**_LEADER, "shrinkB": request.radius} if leader else None,
        )  # fmt: skip
        placement.drawn.append(drawn)
        taken.append(box)
        placed.append(box)
        if leader:
            leaders.append((anchors[k], box))
    return placement


Box = tuple[float, float, float, float]
Spot = tuple[tuple[float, float, Ha, Va, bool], Box]


def _first_free(
    anchor: tuple[float, ...],
    radius_px: float,
    size: tuple[float, float],
    pad: float,
    *,
    taken: list[Box],
    labels: list[Box],
    leaders: list[tuple[tuple[float, ...], Box]],
    inside: Box,
    points: float,
) -> Spot | None:
    """The first candidate (offset in points, alignment, leader) whose padded box is free, on
    no leader line drawn before, and whose own leader line (if any) crosses no label."""
    gap = radius_px + pad + 0.5 * points
    for far in (0.0, *(d * points for d in LEADER_POINTS)):
        for ux, uy, ha, va in _DIRECTIONS + (_BETWEEN if far else ()):
            offset = ((gap + far) * ux, (gap + far) * uy)
            x0, y0, x1, y1 = _text_box((anchor[0] + offset[0], anchor[1] + offset[1]), size, ha, va)
            box = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
            if not _within(box, inside) or any(_overlap(box, other) for other in taken):
                continue
            if far and any(_crosses(anchor, box, other) for other in labels):
                continue
            if any(_crosses(start, end, box) for start, end in leaders):
                continue
            dx, dy = offset[0] / points, offset[1] / points
            return (round(dx, 3), round(dy, 3), ha, va, far > 0), box
    return None


def _crosses(anchor: tuple[float, ...], box: Box, other: Box) -> bool:
    """Whether the leader from ``anchor`` to the middle of ``box`` passes through ``other``
    (sampled every few pixels: exact enough for boxes a label high)."""
    mx, my = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    steps = max(2, int(max(abs(mx - anchor[0]), abs(my - anchor[1])) / 3))
    for i in range(steps + 1):
        t = i / steps
        x, y = anchor[0] + t * (mx - anchor[0]), anchor[1] + t * (my - anchor[1])
        if other[0] < x < other[2] and other[1] < y < other[3]:
            return True
    return False


def _text_box(at: tuple[float, float], size: tuple[float, float], ha: str, va: str) -> Box:
    """The box of a text of ``size`` (pixels) anchored at ``at`` with the alignment given."""
    width, height = size
    x0 = {"left": at[0], "right": at[0] - width, "center": at[0] - width / 2}[ha]
    y0 = {"bottom": at[1], "top": at[1] - height, "center": at[1] - height / 2}[va]
    return (x0, y0, x0 + width, y0 + height)


def _marker_box(at: tuple[float, ...], radius: float) -> Box:
    return (at[0] - radius, at[1] - radius, at[0] + radius, at[1] + radius)


def _overlap(a: Box, b: Box) -> bool:
    """Whether two boxes (x0, y0, x1, y1) overlap (touching edges do not)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _within(box: Box, frame: Box) -> bool:
    return box[0] >= frame[0] and box[1] >= frame[1] and box[2] <= frame[2] and box[3] <= frame[3]
