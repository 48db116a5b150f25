"""Travel times: the default network, matrices, pluggable sources and the RIVM composite.

Modules: :mod:`~zorglandschap.travel.network` (the default land-constrained network, built
from :mod:`~zorglandschap.travel.nodes`, :mod:`~zorglandschap.travel.land` (land mask and
on-land edges), :mod:`~zorglandschap.travel.links` (fixed links across water),
:mod:`~zorglandschap.travel.express` (the express layer) and
:mod:`~zorglandschap.travel.speeds` (edge minutes per profile)),
:mod:`~zorglandschap.travel.sources` (default network, road graph),
:mod:`~zorglandschap.travel.matrix_file` (a user matrix file, checked),
:mod:`~zorglandschap.travel.matrix` (matrices, disk cache, RIVM composite) and
:mod:`~zorglandschap.travel.calibration` (the constants against real travel times). Method
and calibration: docs/travel.md.
"""

from zorglandschap.travel.land import land_mask
from zorglandschap.travel.links import LINK_KINDS, load_fixed_links
from zorglandschap.travel.matrix import (
    composite_minutes,
    default_cache_dir,
    demand_site_minutes,
    network_matrix,
    post_demand_minutes,
    travel_matrix,
)
from zorglandschap.travel.network import TravelNetwork, build_network, check_connected
from zorglandschap.travel.sources import (
    NETWORK_LABEL,
    DefaultNetworkSource,
    MatrixFileSource,
    MatrixSource,
    NetworkSource,
    RoadGraphSource,
    source_label,
)
from zorglandschap.travel.speeds import edge_minutes
from zorglandschap.vocab import PROFILES

__all__ = [
    "LINK_KINDS",
    "NETWORK_LABEL",
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
    "network_matrix",
    "post_demand_minutes",
    "source_label",
    "travel_matrix",
]
