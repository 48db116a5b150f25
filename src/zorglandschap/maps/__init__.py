"""Maps: interactive HTML maps (:mod:`~zorglandschap.maps.interactive`, folium) in the colours
and words of :mod:`~zorglandschap.maps.style`.

The GIS layers they are drawn from, and the GeoPackage writer, live in :mod:`zorglandschap.report`;
they are re-exported here for the callers of the former ``zorglandschap.maps`` module.
"""

from zorglandschap.maps.interactive import (
    before_after_map,
    concentration_map,
    map_html,
    reach_map,
    save_map,
)
from zorglandschap.maps.style import (
    CHANGE_COLOURS,
    CHANGE_LABELS,
    MINUTES_COLOURS,
    SEH_COLOURS,
    SEH_LABELS,
)
from zorglandschap.report.layers import concentration_layers
from zorglandschap.report.writers import save_layers

__all__ = [
    "CHANGE_COLOURS",
    "CHANGE_LABELS",
    "MINUTES_COLOURS",
    "SEH_COLOURS",
    "SEH_LABELS",
    "before_after_map",
    "concentration_layers",
    "concentration_map",
    "map_html",
    "reach_map",
    "save_layers",
    "save_map",
]
