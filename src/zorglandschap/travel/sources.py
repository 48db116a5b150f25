"""Pluggable travel-time sources: the default network, a user matrix file, a road graph.

Every source answers one question, :meth:`MatrixSource.minutes`: the minutes from each origin
to each destination, where origins and destinations are node ids (``pc4:1011``,
``site:<site_id>``, ``post:<post_id>``, ``clinic:<clinic_id>``). :meth:`MatrixSource.fingerprint`
is a hash of everything the answer depends on, so results can be cached on disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import networkx as nx
import numpy as np
import pandas as pd
from pyproj import Transformer
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from zorglandschap.errors import TravelError
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.travel.links import load_fixed_links
from zorglandschap.travel.matrix_file import MatrixFileSource
from zorglandschap.travel.network import (
    NETWORK_VERSION,
    TravelNetwork,
    build_network,
    default_links_path,
    settings_fingerprint,
)
from zorglandschap.travel.nodes import node_table
from zorglandschap.travel.speeds import check_profile

__all__ = [
    "NETWORK_LABEL",
    "DefaultNetworkSource",
    "MatrixFileSource",
    "MatrixSource",
    "NetworkSource",
    "RoadGraphSource",
    "graph_minutes",
    "source_label",
]


@runtime_checkable
class MatrixSource(Protocol):
    """Anything that gives travel minutes between node ids.

    A source may also have a ``label`` (how results name it, e.g. ``matrix file m.csv``) and
    ``cacheable = False`` (its matrices are not kept in the disk cache).
    """

    def fingerprint(self, profile: str) -> str:
        """A hash of everything :meth:`minutes` depends on for ``profile``."""
        ...

    def minutes(
        self, origins: Sequence[str], destinations: Sequence[str], *, profile: str
    ) -> np.ndarray:
        """Minutes from each origin (rows) to each destination (columns)."""
        ...


#: How results name the default network as their travel source.
NETWORK_LABEL = "network"


def source_label(source: MatrixSource | None) -> str:
    """How results name a travel source: ``network`` for the default (None), else the
    source's ``label`` (or its class name)."""
    if source is None or isinstance(source, DefaultNetworkSource):
        return NETWORK_LABEL
    return str(getattr(source, "label", type(source).__name__))


def graph_minutes(
    csr: csr_matrix,
    index: Mapping[str, int],
    origins: Sequence[str],
    destinations: Sequence[str],
    *,
    directed: bool = False,
) -> np.ndarray:
    """Shortest-path minutes with :func:`scipy.sparse.csgraph.dijkstra` from the smaller side.

    Raises
    ------
    TravelError
        If an id is not a node, or a destination cannot be reached from an origin.
    """
    missing = [n for n in [*origins, *destinations] if n not in index]
    if missing:
        raise TravelError(
            f"{len(missing)} location(s) are not in the travel network, e.g. "
            f"{', '.join(sorted(set(missing))[:5])}; build the network from the landscape that "
            "holds them (node ids look like pc4:1011, site:<site_id>, post:<post_id>)."
        )
    o = np.array([index[n] for n in origins], dtype=np.int64)
    d = np.array([index[n] for n in destinations], dtype=np.int64)
    if len(o) == 0 or len(d) == 0:
        return np.zeros((len(o), len(d)))
    if len(o) <= len(d):
        result = dijkstra(csr, directed=directed, indices=o)[:, d]
    else:
        # from the destinations over the reversed edges, then transpose
        result = dijkstra(csr.T.tocsr() if directed else csr, directed=directed, indices=d)[:, o].T
    if not np.all(np.isfinite(result)):
        i, j = np.argwhere(~np.isfinite(result))[0]
        count = int((~np.isfinite(result)).sum())
        raise TravelError(
            f"{destinations[j]} cannot be reached from {origins[i]} ({count} pair(s) without a "
            "route): the network is not connected. Add the bridge, dam, tunnel or ferry that "
            "joins them (regions/fixed_links.csv), or check both locations' coordinates."
        )
    return np.ascontiguousarray(result)


class NetworkSource:
    """Travel minutes over a :class:`TravelNetwork` (built here, or given)."""

    def __init__(self, network: TravelNetwork) -> None:
        self.network = network
        self._csr: dict[str, csr_matrix] = {}

    def fingerprint(self, profile: str) -> str:
        """Hash of the network's nodes, edges and edge minutes."""
        check_profile(profile)
        return self.network.fingerprint()

    def minutes(
        self, origins: Sequence[str], destinations: Sequence[str], *, profile: str
    ) -> np.ndarray:
        """Shortest-path minutes over the network for ``profile``."""
        check_profile(profile)
        if profile not in self._csr:
            self._csr[profile] = self.network.csr(profile)
        return graph_minutes(self._csr[profile], self.network.index(), origins, destinations)


#: Networks built in this process, by input fingerprint (the latest two).
_NETWORKS: dict[str, TravelNetwork] = {}


class DefaultNetworkSource(NetworkSource):
    """The default network of a landscape, built only when a matrix is not in the cache.

    The fingerprint hashes the inputs (node ids and coordinates, population density, the land
    polygons, the fixed links, the travel constants and :data:`NETWORK_VERSION`), so a cached
    matrix is found without building the network.
    """

    def __init__(self, landscape: Any, settings: Settings = DEFAULT_SETTINGS) -> None:
        self.landscape = landscape
        self.settings = settings
        self._network: TravelNetwork | None = None
        self._fingerprint: str | None = None
        self._csr = {}

    @property
    def network(self) -> TravelNetwork:
        """The network, built on first use (and shared by sources with the same inputs)."""
        if self._network is None:
            key = self.fingerprint("car")
            if key not in _NETWORKS:
                _NETWORKS[key] = build_network(self.landscape, self.settings)
                while len(_NETWORKS) > 2:  # keep memory bounded: the two latest networks
                    del _NETWORKS[next(iter(_NETWORKS))]
            self._network = _NETWORKS[key]
        return self._network

    @network.setter
    def network(self, value: TravelNetwork) -> None:
        self._network = value

    def fingerprint(self, profile: str) -> str:
        """Hash of the network's inputs (profile-independent: both profiles share them)."""
        check_profile(profile)
        if self._fingerprint is None:
            h = hashlib.sha256(f"default-network-{NETWORK_VERSION}".encode())
            nodes = node_table(self.landscape)
            h.update("\n".join(nodes.index).encode())
            h.update(np.round(nodes[["x", "y", "density"]].to_numpy(float), 3).tobytes())
            geometry = self.landscape.municipalities.geometry
            h.update(b"".join(geometry.to_wkb(hex=False).to_numpy()))
            links_path = default_links_path(self.landscape)
            h.update(load_fixed_links(links_path).to_csv().encode())
            h.update(settings_fingerprint(self.settings.travel).encode())
            self._fingerprint = h.hexdigest()
        return self._fingerprint


class RoadGraphSource:
    """Travel minutes over a road graph, e.g. from osmnx or pyrosm.

    Each location is joined to its nearest graph node (straight line, no extra time). Edge
    weights are read from ``weight`` (``travel_time`` in seconds, as set by
    ``osmnx.add_edge_travel_times``); ``weight_unit`` converts them to minutes. Node positions
    are the ``x``/``y`` node attributes in ``crs`` (default the graph's ``crs`` attribute, else
    EPSG:4326 lon/lat). Directed graphs are respected.
    """

    def __init__(
        self,
        graph: nx.Graph,
        landscape: Any,
        *,
        weight: str = "travel_time",
        weight_unit: str = "seconds",
        crs: Any = None,
    ) -> None:
        if weight_unit not in {"seconds", "minutes"}:
            raise TravelError(f"weight_unit must be 'seconds' or 'minutes', not {weight_unit!r}.")
        self.graph = graph
        self.weight = weight
        self.scale = 1 / 60 if weight_unit == "seconds" else 1.0
        self.directed = graph.is_directed()
        crs = crs if crs is not None else graph.graph.get("crs", 4326)
        graph_nodes = list(graph.nodes)
        if not graph_nodes:
            raise TravelError("The road graph has no nodes.")
        try:
            gx = np.array([graph.nodes[n]["x"] for n in graph_nodes], float)
            gy = np.array([graph.nodes[n]["y"] for n in graph_nodes], float)
        except KeyError as exc:
            raise TravelError("Every road-graph node needs 'x' and 'y' attributes.") from exc
        to_rd = Transformer.from_crs(crs, 28992, always_xy=True)
        gx, gy = to_rd.transform(gx, gy)
        nodes = node_table(landscape)
        _, nearest = cKDTree(np.column_stack([gx, gy])).query(nodes[["x", "y"]].to_numpy())
        position = {n: i for i, n in enumerate(graph_nodes)}
        self._index = {node: int(nearest[i]) for i, node in enumerate(nodes.index)}
        rows, cols, data = [], [], []
        for u, v, attributes in graph.edges(data=True):
            if weight not in attributes:
                raise TravelError(f"Road-graph edge {u}→{v} has no {weight!r} attribute.")
            rows.append(position[u])
            cols.append(position[v])
            data.append(max(float(attributes[weight]) * self.scale, 1e-9))
        n = len(graph_nodes)
        matrix = csr_matrix((data, (rows, cols)), shape=(n, n))
        # parallel edges: csr sums duplicates, so keep the minimum instead
        if len(rows) != matrix.nnz:
            frame = pd.DataFrame({"r": rows, "c": cols, "w": data}).groupby(["r", "c"]).min()
            r, c = zip(*frame.index, strict=True)
            matrix = csr_matrix((frame["w"].to_numpy(), (r, c)), shape=(n, n))
        self._csr = matrix
        h = hashlib.sha256(f"road-graph-{weight}-{weight_unit}".encode())
        h.update(np.round(np.column_stack([gx, gy]), 1).tobytes())
        h.update(np.array(rows, np.int64).tobytes() + np.array(cols, np.int64).tobytes())
        h.update(np.round(np.array(data), 6).tobytes())
        h.update(repr(sorted(self._index.items())).encode())
        self._fingerprint = h.hexdigest()

    def fingerprint(self, profile: str) -> str:
        """Hash of the graph, its weights and where each location joins it."""
        check_profile(profile)
        return self._fingerprint

    def minutes(
        self, origins: Sequence[str], destinations: Sequence[str], *, profile: str
    ) -> np.ndarray:
        """Shortest-path minutes over the road graph (the same graph for every profile)."""
        check_profile(profile)
        return graph_minutes(self._csr, self._index, origins, destinations, directed=self.directed)
