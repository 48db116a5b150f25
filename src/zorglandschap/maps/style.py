"""The look of every map, interactive and print: colours, labels, the minutes ramp, source lines.

The interactive maps (:mod:`zorglandschap.maps.interactive`) and the print figures
(:mod:`zorglandschap.maps.static`) take their colours and words from here, so a site, a ramp or
a legend row reads the same in a browser and in a PDF.

>>> ramp = minutes_ramp(15, 45)
>>> fill(ramp, 15.0) == MINUTES_COLOURS[0], fill(ramp, 99.0) == MINUTES_COLOURS[-1], fill(ramp, None)
(True, True, '#cccccc')
"""

from __future__ import annotations

import branca

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
#: Colour ramp of mean minutes, green → yellow → red at the norm (reach maps) or the maximum
#: travel time (concentration maps).
MINUTES_COLOURS = ["#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027"]
#: Fill of an area without a value (no patients, no reachable site).
NO_VALUE_COLOUR = "#cccccc"
#: Simplification tolerance of the region polygons drawn on the map, degrees (≈ 50 m).
SIMPLIFY_DEGREES = 0.0005
#: Decimals kept in the coordinates drawn on a map: 5 ≈ 1 m, well below the simplification.
COORDINATE_DECIMALS = 5

#: Site colours of a concentration plan by change against the baseline (ColorBrewer "Dark2"
#: and "RdBu", colour-blind safe).
CHANGE_COLOURS: dict[str, str] = {"keeps": "#2166ac", "starts": "#1b9e77", "stops": "#d95f02"}
CHANGE_LABELS: dict[str, str] = {
    "keeps": "offers it today and in the plan",
    "starts": "starts (a new team)",
    "stops": "stops (offers it today, not in the plan)",
}

#: Reach maps: the municipalities with people beyond the norm (outline), the PC4 areas beyond
#: (circles), ROAZ outlines and ambulance posts.
BEYOND_OUTLINE = "#67001f"
BEYOND_FILL, BEYOND_EDGE = "#e7298a", "#49006a"
ROAZ_OUTLINE = "#252525"
POST_COLOUR = "#2166ac"

#: Source line of the reach maps.
COMPOSITE_NOTE = (
    "zorglandschap · RIVM composite time (ambulance post → patient + fixed minutes + patient → "
    "site) · data: CBS (CC BY 4.0), RIVM"
)
#: Source line of the concentration maps.
PLAN_NOTE = (
    "zorglandschap · concentration plan (mixed-integer model, docs/concentration.md) · "
    "car minutes · data: CBS (CC BY 4.0), RIVM, volume norms table (regions/PROVENANCE.md)"
)


def minutes_ramp(vmin: float, vmax: float, *, caption: str = "") -> branca.colormap.LinearColormap:
    """The minutes colour ramp from ``vmin`` (green) to ``vmax`` (red)."""
    return branca.colormap.LinearColormap(MINUTES_COLOURS, vmin=vmin, vmax=vmax, caption=caption)


def fill(colormap: branca.colormap.LinearColormap, minutes: float | None) -> str:
    """An area's fill: its minutes on the ramp (clipped to its ends), grey without a value."""
    if minutes is None:
        return NO_VALUE_COLOUR
    return str(colormap(min(max(minutes, colormap.vmin), colormap.vmax)))
