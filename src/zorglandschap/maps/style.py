"""The look of every map, interactive and print: colours, labels, the minutes ramp, source lines.

The interactive maps (:mod:`zorglandschap.maps.interactive`) and the print figures
(:mod:`zorglandschap.maps.static`) take their colours and words from here, so a site, a ramp or
a legend row reads the same in a browser and in a PDF.

>>> ramp = minutes_ramp(15, 45)
>>> fill(ramp, 15.0)[:7] == MINUTES_COLOURS[0], fill(ramp, 99.0)[:7] == MINUTES_COLOURS[-1]
(True, True)
>>> fill(ramp, None)
'#cccccc'
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
IZA_OUTLINE = "#1b7837"
PROVINCE_OUTLINE = "#762a83"
POST_COLOUR = "#2166ac"
#: Municipalities around a regional view (drawn for context, not coloured by minutes).
CONTEXT_FILL = "#f4f4f4"

#: Site marks: a ring for acute obstetrics, a dotted ring for a complex-care centre, a dashed
#: ring for a site whose services the scenario changes.
AV_COLOUR = "#a6761d"
CENTRE_COLOUR = "#1b9e77"
CHANGED_COLOUR = "#6a3d9a"

#: Diverging ramp of added minutes (after − before): blue (faster) → white (no change) →
#: purple/red (slower), ColorBrewer "RdBu"/"PuRd" ends, colour-blind safe.
DIFFERENCE_COLOURS = ["#2166ac", "#f7f7f7", "#fcc5c0", "#dd3497", "#7a0177"]
#: The added minutes at the red end of the difference ramp (an assumption for legibility:
#: most changes a scenario makes to an SEH add 0–15 minutes where they add any).
DIFFERENCE_TOP_MINUTES = 15.0
#: The blue end of the difference ramp (minutes faster).
DIFFERENCE_LOW_MINUTES = -5.0

#: Site labels (short names) show from this Leaflet zoom level on: a region or province,
#: not the whole country (zoom 7-8).
LABEL_MIN_ZOOM = 9
#: Width of the side panel (title, layer list, legend) beside the interactive map.
PANEL_WIDTH_PX = 300

#: Source line of the reach maps (:func:`composite_note` adds the calibration regime).
COMPOSITE_NOTE = (
    "zorglandschap · RIVM composite time (ambulance post → patient + fixed minutes + patient → "
    "site) · data: CBS (CC BY 4.0), RIVM"
)
#: Source line of the concentration maps.
PLAN_NOTE = (
    "zorglandschap · concentration plan (mixed-integer model, docs/concentration.md) · "
    "car minutes · data: CBS (CC BY 4.0), RIVM, volume norms table (regions/PROVENANCE.md)"
)


def regime_words(after: str, before: str | None = None) -> str:
    """The calibration regime a reach figure was computed in, for its source line; both when a
    before/after figure compares two regimes.

    >>> regime_words("rivm2022")
    'calibration regime rivm2022'
    >>> regime_words("rivm2022", "rivm2022")
    'calibration regime rivm2022'
    >>> regime_words("rivm2022", "rivm2019")
    'calibration regimes: before rivm2019, after rivm2022'
    """
    if before is None or before == after:
        return f"calibration regime {after}"
    return f"calibration regimes: before {before}, after {after}"


def composite_note(regime: str) -> str:
    """The source line of a reach map, naming the calibration regime (:func:`regime_words`).

    >>> "RIVM composite time in calibration regime rivm2019 (" in composite_note(
    ...     regime_words("rivm2019"))
    True
    """
    return COMPOSITE_NOTE.replace("RIVM composite time (", f"RIVM composite time in {regime} (")


def label_priority(
    *, sensitive: bool, changed: bool, seh: str, is_open: bool, serves: float, text: str
) -> tuple[float | str, ...]:
    """The order site labels are placed (print figures) or kept when they collide (interactive
    maps) in: sensitive SEHs, then changed sites, open 24/7 SEHs,
    limited hours, spoedposts, the others; more people served first; then by text.

    >>> a = label_priority(sensitive=True, changed=False, seh="limited", is_open=True,
    ...                    serves=10, text="A")
    >>> b = label_priority(sensitive=False, changed=False, seh="24/7", is_open=True,
    ...                    serves=9e5, text="B")
    >>> sorted([b, a]) == [a, b]
    True
    """
    rank = {"24/7": 2, "limited": 3, "spoedpost": 4}.get(seh, 5) if is_open else 6
    if changed:
        rank = 1
    if sensitive:
        rank = 0
    return (rank, -float(serves), text)


def minutes_ramp(vmin: float, vmax: float, *, caption: str = "") -> branca.colormap.LinearColormap:
    """The minutes colour ramp from ``vmin`` (green) to ``vmax`` (red)."""
    return branca.colormap.LinearColormap(MINUTES_COLOURS, vmin=vmin, vmax=vmax, caption=caption)


def difference_ramp(
    top: float = DIFFERENCE_TOP_MINUTES, low: float = DIFFERENCE_LOW_MINUTES
) -> branca.colormap.LinearColormap:
    """The added-minutes ramp from ``low`` (blue, faster) through 0 (white) to ``top``."""
    return branca.colormap.LinearColormap(
        DIFFERENCE_COLOURS, index=[low, 0.0, top / 4, top / 2, top], vmin=low, vmax=top
    )


def fill(colormap: branca.colormap.LinearColormap, minutes: float | None) -> str:
    """An area's fill: its minutes on the ramp (clipped to its ends), grey without a value."""
    if minutes is None:
        return NO_VALUE_COLOUR
    return str(colormap(min(max(minutes, colormap.vmin), colormap.vmax)))
