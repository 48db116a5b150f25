"""Page elements of the interactive maps: the side panel (title, layer list, legend), site
labels that show at regional zoom, and element numbering.

The panel stands beside the map, not on it: the map fills the window left of it, so the legend
and the layer list never cover the country (Leaflet fits the view to the map's own box). The
legend rows take their colours and words from :mod:`zorglandschap.maps.style`.
"""

from __future__ import annotations

import html as html_escape
from collections import OrderedDict
from collections.abc import Iterator

import branca
import folium
import numpy as np

from zorglandschap.maps.style import (
    AV_COLOUR,
    BEYOND_EDGE,
    BEYOND_FILL,
    BEYOND_OUTLINE,
    CENTRE_COLOUR,
    CHANGE_COLOURS,
    CHANGE_LABELS,
    CHANGED_COLOUR,
    LABEL_MIN_ZOOM,
    PANEL_WIDTH_PX,
    ROAZ_OUTLINE,
    SEH_COLOURS,
    SEH_LABELS,
)

_DOT = (
    '<span style="display:inline-block;width:12px;height:12px;border-radius:6px;'
    'margin-right:6px;vertical-align:middle;{}"></span>'
)


def _row(swatch: str, text: str) -> str:
    return f"<div>{swatch}{text}</div>"


def panel_html(heading: str, line: str, note: str, legend: str) -> str:
    """The side panel: heading, figures, the layer list (moved in by :func:`panel_script`),
    the legend and the source note."""
    return (
        f'<div id="zl-panel"><div class="zl-title">{html_escape.escape(heading)}</div>'
        f'<div class="zl-line">{html_escape.escape(line)}</div>'
        '<div class="zl-head">Layers</div><div id="zl-layers"></div>'
        f'<div class="zl-head">Legend</div><div class="zl-legend">{legend}</div>'
        f'<div class="zl-note">{html_escape.escape(note)}</div></div>'
    )


def panel_style() -> str:
    """CSS of the page: the map left of the panel; the panel; labels hidden when zoomed out."""
    return (
        "<style>"
        "html, body { overflow: hidden; }"
        f".folium-map {{ width: calc(100% - {PANEL_WIDTH_PX}px) !important; }}"
        f"#zl-panel {{ position: fixed; top: 0; right: 0; bottom: 0; width: {PANEL_WIDTH_PX}px; "
        "box-sizing: border-box; overflow-y: auto; padding: 10px 12px; background: #fff; "
        "border-left: 1px solid #999; font: 12px sans-serif; z-index: 1000; }"
        ".zl-title { font-size: 14px; font-weight: bold; margin-bottom: 4px; }"
        ".zl-line { margin-bottom: 6px; }"
        ".zl-head { font-weight: bold; margin: 8px 0 3px; border-bottom: 1px solid #ddd; }"
        "#zl-layers .leaflet-control-layers { box-shadow: none; border: 0; margin: 0; "
        "padding: 0; background: none; float: none; clear: both; }"
        "#zl-layers .leaflet-control-layers-list { display: block; }"
        "#zl-layers .leaflet-control-layers-toggle { display: none; }"
        ".zl-legend div { margin: 2px 0; }"
        ".zl-note { margin-top: 10px; font-size: 10px; color: #555; }"
        ".zl-label { background: rgba(255,255,255,0.85); border: 0; box-shadow: none; "
        "padding: 0 3px; font: 11px sans-serif; color: #111; }"
        ".zl-label::before { display: none; }"
        ".zl-far .zl-label { display: none; }"
        ".zl-label.zl-hidden { visibility: hidden; }"
        "</style>"
    )


def panel_script(m: folium.Map) -> str:
    """JavaScript that moves the layer list into the panel and shows the site labels from
    :data:`~zorglandschap.maps.style.LABEL_MIN_ZOOM` on; where two labels collide on screen
    the one placed first (in :func:`~zorglandschap.maps.style.label_priority` order) stays and
    the other is hidden until a closer zoom separates them (after every zoom, pan and resize,
    and once the page has loaded)."""
    name = m.get_name()
    return (
        "<script>document.addEventListener('DOMContentLoaded', function () {"
        f"var map = window['{name}'];"
        "var box = document.getElementById('zl-layers');"
        "document.querySelectorAll('.leaflet-control-layers').forEach(function (c) {"
        "box.appendChild(c); });"
        "function declutter() { var kept = [];"
        "document.querySelectorAll('.zl-label').forEach(function (e) {"
        "e.classList.remove('zl-hidden'); var r = e.getBoundingClientRect();"
        "if (r.width === 0) { return; }"
        # 2 px apart at least: Leaflet rounds positions to whole pixels after a pan
        "var hit = kept.some(function (k) { return r.left < k.right + 2 && k.left < r.right + 2 "
        "&& r.top < k.bottom + 2 && k.top < r.bottom + 2; });"
        "if (hit) { e.classList.add('zl-hidden'); } else { kept.push(r); } }); }"
        "function labels() { map.getContainer().classList.toggle('zl-far', "
        f"map.getZoom() < {LABEL_MIN_ZOOM}); declutter(); }}"
        "map.on('zoomend moveend overlayadd resize', labels); labels();"
        # again once the page has its final layout (styles, panel, fonts)
        "window.addEventListener('load', labels); });</script>"
    )


def reach_legend_html(
    norm: float, colormap: branca.colormap.LinearColormap, *, region: bool = False
) -> str:
    """The legend of a reach map: the minutes ramp, site states and marks, beyond markers."""
    rows = "".join(
        _row(_DOT.format(f"background:{colour};border:1px solid #000"), SEH_LABELS[state])
        for state, colour in SEH_COLOURS.items()
    )
    return (
        "<b>Municipalities</b>: mean minutes to the nearest open site"
        + _ramp_html(colormap, top="+")
        + f"<b>Sites</b>{rows}"
        + _row(_DOT.format(f"border:2px solid {AV_COLOUR}"), "acute obstetrics (ring)")
        + _row(
            _DOT.format(f"border:2px dotted {CENTRE_COLOUR}"), "complex-care centre (dotted ring)"
        )
        + _row(_DOT.format(f"border:3px dashed {CHANGED_COLOUR}"), "changed in the scenario")
        + "<div>open site: black ring, larger when its closure pushes more people beyond</div>"
        + _row(
            _DOT.format(f"background:{BEYOND_FILL};border:1px solid {BEYOND_EDGE}"),
            f"PC4 area beyond {norm:g} min (size: inhabitants)",
        )
        + _row(
            '<span style="display:inline-block;width:12px;height:8px;margin-right:6px;'
            f'border:2.5px solid {BEYOND_OUTLINE}"></span>',
            f"municipality with people beyond {norm:g} min",
        )
        + _region_rows(region)
    )


def difference_legend_html(colormap: branca.colormap.LinearColormap) -> str:
    """The legend rows of the difference layer (added minutes, after − before)."""
    return (
        "<b>Difference</b>: added mean minutes (after − before)"
        + _ramp_html(colormap, top="+", bottom="−" if colormap.vmin < 0 else "")
        + '<div style="font-size:10px">white: no change; purple: slower; blue: faster; '
        "outlined: more people beyond the norm</div>"
    )


def plan_legend_html(colormap: branca.colormap.LinearColormap) -> str:
    """The legend of a concentration map: the minutes ramp, site changes, flows."""
    rows = "".join(
        _row(
            _DOT.format(
                f"background:{'#ffffff' if change == 'stops' else colour};border:2px solid "
                f"{colour if change == 'stops' else '#000'}"
            ),
            CHANGE_LABELS[change],
        )
        for change, colour in CHANGE_COLOURS.items()
    )
    return (
        "<b>Municipalities</b>: patients' mean minutes to their assigned site"
        + _ramp_html(colormap)
        + f"<b>Sites</b> (size: patients a year in the plan){rows}"
        + _row(
            '<span style="display:inline-block;width:14px;height:0;margin-right:6px;'
            f'border-top:3px solid {CHANGE_COLOURS["keeps"]};vertical-align:middle"></span>',
            "patient flow, municipality → site (width: patients)",
        )
        + _region_rows(False)
    )


def _region_rows(region: bool) -> str:
    """Legend rows of the region outlines (and of the region shown, in a regional view)."""
    rows = (
        '<div><span style="display:inline-block;width:12px;height:0;margin-right:6px;'
        f'border-top:2px dashed {ROAZ_OUTLINE};vertical-align:middle"></span>ROAZ region '
        "(IZA regions and provinces: switch on in the layer list)</div>"
    )
    if region:
        rows += (
            '<div><span style="display:inline-block;width:12px;height:0;margin-right:6px;'
            'border-top:3px solid #000;vertical-align:middle"></span>the region shown</div>'
        )
    return rows


def _ramp_html(colormap: branca.colormap.LinearColormap, *, top: str = "", bottom: str = "") -> str:
    """The colour ramp as a gradient bar with its ends and middle labelled (``top`` after the
    highest value, e.g. "+" when higher values share its colour; ``bottom`` before the lowest)."""
    steps = np.linspace(colormap.vmin, colormap.vmax, 7)
    gradient = ", ".join(colormap(v) for v in steps)
    return (
        f'<div style="height:10px;width:220px;background:linear-gradient(to right, {gradient});'
        'border:1px solid #999"></div>'
        '<div style="width:224px;display:flex;justify-content:space-between;font-size:10px">'
        f"<span>{bottom}{colormap.vmin:g}</span>"
        f"<span>{(colormap.vmin + colormap.vmax) / 2:g}</span>"
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
