"""Page elements of the interactive maps: the title and legend boxes, and element numbering.

The legend rows take their colours and words from :mod:`zorglandschap.maps.style`.
"""

from __future__ import annotations

import html as html_escape
from collections import OrderedDict
from collections.abc import Iterator

import branca
import folium
import numpy as np

from zorglandschap.maps.style import (
    BEYOND_EDGE,
    BEYOND_FILL,
    BEYOND_OUTLINE,
    CHANGE_COLOURS,
    CHANGE_LABELS,
    ROAZ_OUTLINE,
    SEH_COLOURS,
    SEH_LABELS,
)


def title_html(heading: str, line: str, note: str) -> str:
    """The title box (top left): a heading, a line of figures and the source note."""
    return (
        '<div style="position: fixed; top: 10px; left: 60px; z-index: 9999; background: white; '
        "padding: 6px 10px; border: 1px solid #999; border-radius: 4px; font: 14px sans-serif; "
        f'max-width: 60%;"><b>{html_escape.escape(heading)}</b><br>'
        f'<span style="font-size: 12px">{html_escape.escape(line)}</span><br>'
        f'<span style="font-size: 10px; color: #555">{html_escape.escape(note)}</span></div>'
    )


def reach_legend_html(norm: float, colormap: branca.colormap.LinearColormap) -> str:
    """The legend box of a reach map: the minutes ramp, site states, beyond markers."""
    rows = "".join(
        f'<div><span style="display:inline-block;width:12px;height:12px;border-radius:6px;'
        f'background:{colour};border:1px solid #000;margin-right:6px"></span>{SEH_LABELS[state]}</div>'
        for state, colour in SEH_COLOURS.items()
    )
    return (
        _LEGEND_OPEN
        + "<b>Municipalities</b>: mean minutes to the nearest open site"
        + _ramp_html(colormap, top="+")
        + f"<b>Sites</b>{rows}"
        '<div style="margin-top:4px"><span style="display:inline-block;width:12px;height:12px;'
        f'border-radius:6px;background:{BEYOND_FILL};border:1px solid {BEYOND_EDGE};margin-right:6px"></span>'
        f"PC4 area beyond {norm:g} min (size: inhabitants)</div>"
        f'<div><span style="display:inline-block;width:12px;height:8px;border:2.5px solid {BEYOND_OUTLINE};'
        f'margin-right:6px"></span>municipality with people beyond {norm:g} min</div>'
        + _ROAZ_ROW
        + "<div>open site: black ring, larger when its closure pushes more people beyond</div>"
        "</div>"
    )


#: Opening of the legend box (bottom left) shared by the maps.
_LEGEND_OPEN = (
    '<div style="position: fixed; bottom: 70px; left: 10px; z-index: 9999; background: white; '
    'padding: 6px 10px; border: 1px solid #999; border-radius: 4px; font: 12px sans-serif;">'
)
#: Legend row of the dashed ROAZ outlines.
_ROAZ_ROW = (
    f'<div><span style="display:inline-block;width:12px;height:0;border-top:2px dashed {ROAZ_OUTLINE};'
    'margin-right:6px;vertical-align:middle"></span>ROAZ region</div>'
)


def _ramp_html(colormap: branca.colormap.LinearColormap, *, top: str = "") -> str:
    """The colour ramp as a gradient bar with its ends and middle labelled (``top`` after the
    highest value, e.g. "+" when higher values share its colour)."""
    steps = np.linspace(colormap.vmin, colormap.vmax, 7)
    gradient = ", ".join(colormap(v) for v in steps)
    return (
        f'<div style="height:10px;width:220px;background:linear-gradient(to right, {gradient});'
        'border:1px solid #999"></div>'
        '<div style="width:224px;display:flex;justify-content:space-between;font-size:10px">'
        f"<span>{colormap.vmin:g}</span><span>{(colormap.vmin + colormap.vmax) / 2:g}</span>"
        f"<span>{colormap.vmax:g}{top}</span></div>"
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


def number_elements(m: folium.Map) -> None:
    """Replace folium's random element ids by sequence numbers (reproducible HTML)."""
    root = m.get_root()
    for i, element in enumerate(_walk(root)):
        element._id = f"{i:06d}"
    for element in _walk(root):
        # Children are keyed by their old name; rebuild the dicts under the new names.
        element._children = OrderedDict(
            (child.get_name(), child) for child in element._children.values()
        )


def plan_legend_html(colormap: branca.colormap.LinearColormap) -> str:
    """The legend box of a concentration map: the minutes ramp, site changes, flows."""
    rows = "".join(
        f'<div><span style="display:inline-block;width:12px;height:12px;border-radius:6px;'
        f"background:{'#ffffff' if change == 'stops' else colour};border:2px solid "
        f'{colour if change == "stops" else "#000"};margin-right:6px"></span>'
        f"{CHANGE_LABELS[change]}</div>"
        for change, colour in CHANGE_COLOURS.items()
    )
    return (
        _LEGEND_OPEN
        + "<b>Municipalities</b>: patients' mean minutes to their assigned site"
        + _ramp_html(colormap)
        + f"<b>Sites</b> (size: patients a year in the plan){rows}"
        '<div style="margin-top:4px"><span style="display:inline-block;width:14px;height:0;'
        'border-top:3px solid #2166ac;margin-right:6px;vertical-align:middle"></span>'
        "patient flow, municipality → site (width: patients)</div>" + _ROAZ_ROW + "</div>"
    )
