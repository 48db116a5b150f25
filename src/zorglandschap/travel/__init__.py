"""Travel times: the default network, matrices, pluggable sources and the RIVM composite.

Modules: :mod:`~zorglandschap.travel.links` (fixed links across water),
:mod:`~zorglandschap.travel.network` (the default land-constrained network),
:mod:`~zorglandschap.travel.sources` (default network, matrix file, road graph) and
:mod:`~zorglandschap.travel.matrix` (matrices, disk cache, RIVM composite). Method and
calibration: docs/travel.md.
"""

from zorglandschap.travel.links import LINK_KINDS, load_fixed_links
from zorglandschap.travel.matrix import (
    composite_minutes,
    default_cache_dir,
    demand_site_minutes,
    post_demand_minutes,
    travel_matrix,
)
from zorglandschap.travel.network import (
    PROFILES,
    TravelNetwork,
    build_network,
    check_connected,
    edge_minutes,
    land_mask,
)
from zorglandschap.travel.sources import (
    DefaultNetworkSource,
    MatrixFileSource,
    MatrixSource,
    NetworkSource,
    RoadGraphSource,
)

__all__ = [
    "LINK_KINDS",
    "PROFILES",
    "DefaultNetworkSource",
    "MatrixFileSource",
    "MatrixSource",
    "NetworkSource",
    "RoadGraphSource",
    "TravelNetwork",
    "build_network",
    "check_connected",
    "composite_minutes",
    "default_cache_dir",
    "demand_site_minutes",
    "edge_minutes",
    "land_mask",
    "load_fixed_links",
    "post_demand_minutes",
    "travel_matrix",
]
