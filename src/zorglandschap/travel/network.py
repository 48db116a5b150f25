"""The default travel network: a land-constrained proximity graph with fixed links across water.

No national road network ships with the package, so the default network joins the demand points
(PC4), hospital sites, outpatient clinics and ambulance posts (RD New metres) in three steps,
each in its own module:

* :mod:`~zorglandschap.travel.land`: the edges of a Delaunay triangulation and of each node's
  ``knn`` nearest neighbours, plus a coarser Delaunay triangulation over the sites, clinics and
  posts ("hub" edges, which let long trips use long, fast edges), keeping only edges that stay
  on land: sampled every ``land_sample_m`` metres, no stretch longer than ``max_water_m`` may lie
  outside the municipality polygons (which exclude the IJsselmeer, Markermeer, Wadden Sea,
  Zeeland's sea arms and the randmeren);
* :mod:`~zorglandschap.travel.links`: the fixed links of ``regions/fixed_links.csv`` (dams,
  bridges, the Westerschelde tunnel and the Wadden ferries), whose two ends are joined to their
  nearest on-land nodes;
* :mod:`~zorglandschap.travel.express`: an express (motorway-like) layer for long trips.

Edge minutes per profile come from :mod:`~zorglandschap.travel.speeds`; all constants are in
:class:`zorglandschap.settings.TravelSettings`.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from zorglandschap.errors import TravelError
from zorglandschap.settings import DEFAULT_SETTINGS, Settings, TravelSettings
from zorglandschap.travel.express import express_part
from zorglandschap.travel.land import land_mask, onto_land, proximity_part, water_run_m
from zorglandschap.travel.links import FIXED_LINKS_FILE, link_part, load_fixed_links
from zorglandschap.travel.nodes import node_table
from zorglandschap.travel.parts import joined
from zorglandschap.travel.speeds import check_profile, edge_minutes, network_minutes
from zorglandschap.vocab import PROFILES, Profile

#: Bumped whenever the way the network is built changes (part of every cache key).
NETWORK_VERSION = "2"

__all__ = [
    "NETWORK_VERSION",
    "PROFILES",
    "Profile",
    "TravelNetwork",
    "build_network",
    "check_connected",
    "check_profile",
    "default_links_path",
    "edge_minutes",
    "land_mask",
    "node_table",
    "settings_fingerprint",
    "water_run_m",
]


@dataclass(frozen=True)
class TravelNetwork:
    """A travel network: the arrays the matrix code runs on, and a networkx view of them.

    Attributes
    ----------
    node_ids
        Node ids: ``pc4:<pc4>``, ``site:<site_id>``, ``clinic:<clinic_id>``, ``post:<post_id>``
        and fixed-link ends ``link:<link_id>:a|b``.
    xy
        Node coordinates, shape (n, 2), RD New metres.
    density
        Population density at each node, inhabitants/km2.
    edges
        Node positions of each (undirected) edge, shape (m, 2).
    length_m
        Edge lengths, metres (straight line; for fixed links the crossing length).
    kind
        Edge kinds: ``land``, ``hub`` (between two sites/clinics/posts), ``snap`` (a link end to
        its nodes) or the link kind (``bridge``, ``dam``, ``tunnel``, ``ferry``, ``road``).
    link_id
        The fixed link of each edge (empty for proximity edges).
    fixed_minutes
        Per profile, minutes of the fixed links (NaN for edges timed by :func:`edge_minutes`).
    minutes
        Edge minutes per profile, each shape (m,).
    dropped_links
        Fixed links left out because an end has no node on its own shore within reach
        (normal in a regional extract; in the national network a sign of a misplaced end).
    """

    node_ids: tuple[str, ...]
    xy: np.ndarray
    density: np.ndarray
    edges: np.ndarray
    length_m: np.ndarray
    kind: np.ndarray
    link_id: np.ndarray
    fixed_minutes: dict[str, np.ndarray]
    minutes: dict[str, np.ndarray]
    dropped_links: tuple[str, ...] = ()
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def index(self) -> dict[str, int]:
        """Position of each node id in :attr:`node_ids`."""
        if "index" not in self._cache:
            self._cache["index"] = {n: i for i, n in enumerate(self.node_ids)}
        index: dict[str, int] = self._cache["index"]
        return index

    @property
    def graph(self) -> nx.Graph:
        """The network as an undirected networkx graph (built on first use).

        Nodes carry ``x``, ``y`` (RD New metres), ``kind`` and ``density``; edges carry
        ``length_m``, ``kind``, ``link_id`` and ``minutes_<profile>``.
        """
        if "graph" not in self._cache:
            graph = nx.Graph()
            for i, node in enumerate(self.node_ids):
                graph.add_node(
                    node, x=float(self.xy[i, 0]), y=float(self.xy[i, 1]),
                    kind=node.split(":", 1)[0], density=float(self.density[i]),
                )  # fmt: skip
            ids = self.node_ids
            graph.add_edges_from(
                (
                    ids[u],
                    ids[v],
                    {
                        "length_m": float(self.length_m[e]),
                        "kind": str(self.kind[e]),
                        "link_id": str(self.link_id[e]),
                        **{f"minutes_{p}": float(self.minutes[p][e]) for p in self.minutes},
                    },
                )
                for e, (u, v) in enumerate(self.edges)
            )
            self._cache["graph"] = graph
        graph_: nx.Graph = self._cache["graph"]
        return graph_

    def csr(self, profile: str) -> csr_matrix:
        """The symmetric sparse matrix of edge minutes for ``profile`` (for scipy's Dijkstra)."""
        check_profile(profile)
        n = len(self.node_ids)
        w = self.minutes[profile]
        rows = np.concatenate([self.edges[:, 0], self.edges[:, 1]])
        cols = np.concatenate([self.edges[:, 1], self.edges[:, 0]])
        data = np.concatenate([w, w])
        # Zero-minute edges would vanish from a sparse matrix: keep them as a tiny positive.
        return csr_matrix((np.maximum(data, 1e-9), (rows, cols)), shape=(n, n))

    def reweighted(self, travel: TravelSettings) -> TravelNetwork:
        """The same nodes and edges with edge minutes from other speed constants.

        Only the timing constants take effect (speeds, detour, urban factor, express speeds and
        ramps); the edges themselves stay (ferry waiting is part of the fixed minutes). Used by
        the calibration.
        """
        minutes = network_minutes(
            self.length_m, self.density, self.edges, self.fixed_minutes, travel, self.kind
        )
        return replace(self, minutes=minutes, _cache={})

    def components(self) -> list[list[str]]:
        """Connected components (sorted node ids), largest first."""
        n_comp, labels = connected_components(self.csr("car"), directed=False)
        groups: list[list[str]] = [[] for _ in range(n_comp)]
        for node, label in zip(self.node_ids, labels, strict=True):
            groups[label].append(node)
        return sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))

    def fingerprint(self) -> str:
        """A hash of the nodes, edges and edge minutes (for cache keys)."""
        h = hashlib.sha256()
        h.update("\n".join(self.node_ids).encode())
        h.update(np.ascontiguousarray(self.edges).tobytes())
        for profile in sorted(self.minutes):
            h.update(profile.encode())
            h.update(np.round(self.minutes[profile], 6).tobytes())
        return h.hexdigest()


def default_links_path(landscape: Any) -> Path:
    """``fixed_links.csv`` next to the landscape's data files, else in the embedded regions/."""
    source = getattr(landscape, "source", None)
    if source is not None and (Path(source) / FIXED_LINKS_FILE).exists():
        return Path(source) / FIXED_LINKS_FILE
    from zorglandschap.landscape import default_regions_dir

    return default_regions_dir() / FIXED_LINKS_FILE


def build_network(
    landscape: Any,
    settings: Settings = DEFAULT_SETTINGS,
    *,
    links: pd.DataFrame | str | Path | None = None,
    land: shapely.Geometry | None = None,
    strict: bool = True,
) -> TravelNetwork:
    """Build the default travel network of a landscape.

    Parameters
    ----------
    landscape
        A :class:`zorglandschap.landscape.Landscape` (or an extract of one).
    settings
        Constants; only ``settings.travel`` is used.
    links
        Fixed links: a table as returned by :func:`load_fixed_links`, or a path to one; default
        ``fixed_links.csv`` of the landscape's data folder. Links with an end farther than
        ``link_snap_max_km`` from every node (outside an extract) are left out.
    land
        The land mask in RD New metres; default the union of ``landscape.municipalities``.
    strict
        Raise :class:`TravelError` when the graph is not connected (default). With ``False``,
        return the graph as it is (e.g. to inspect the components).

    Returns
    -------
    TravelNetwork

    Raises
    ------
    TravelError
        If ``strict`` and some node cannot be reached from the others: the message names the
        cut-off nodes and the fix (a fixed link in ``fixed_links.csv``).

    Examples
    --------
    >>> from zorglandschap.landscape import load_landscape
    >>> net = build_network(load_landscape().extract(roaz="ROAZ08"))
    >>> nx.is_connected(net.graph)
    True
    """
    travel = settings.travel
    nodes = node_table(landscape)
    if land is None:
        land = land_mask(landscape.municipalities, fill_holes_km2=travel.fill_holes_km2)
    xy = nodes[["x", "y"]].to_numpy()
    # A few representative points lie just off the generalised coast: test their edges from
    # the nearest land point, if that is within max_water_m.
    on_land = onto_land(land, xy, travel.max_water_m)
    hubs = np.flatnonzero(nodes["kind"].to_numpy() != "pc4")
    local = proximity_part(nodes, on_land, hubs, land, travel)
    crossings = link_part(_link_table(landscape, links), xy, on_land, local.density, land, travel)
    parts = [local, crossings.part]
    if travel.express_max_km > 0:
        parts.append(
            express_part(
                nodes, hubs, on_land, joined(parts), links=crossings, land=land, travel=travel
            )
        )
    whole = joined(parts)
    network = TravelNetwork(
        node_ids=whole.node_ids,
        xy=whole.xy,
        density=whole.density,
        edges=whole.edges,
        length_m=whole.length_m,
        kind=whole.kind,
        link_id=whole.link_id,
        fixed_minutes=whole.fixed,
        minutes=network_minutes(
            whole.length_m, whole.density, whole.edges, whole.fixed, travel, whole.kind
        ),
        dropped_links=crossings.dropped,
    )
    if strict:
        check_connected(network)
    return network


def _link_table(landscape: Any, links: pd.DataFrame | str | Path | None) -> pd.DataFrame:
    """The fixed links to join: given, read from a path, or the landscape's default file."""
    if links is None:
        return load_fixed_links(default_links_path(landscape))
    if isinstance(links, pd.DataFrame):
        return links
    return load_fixed_links(links)


def check_connected(network: TravelNetwork) -> None:
    """Raise :class:`TravelError` naming the nodes cut off from the largest component."""
    components = network.components()
    if len(components) <= 1:
        return
    # express copies are internal: name (and count) only the locations and link ends
    components = [[n for n in c if not n.startswith("express:")] for c in components]
    cut = components[1:]
    listing = "; ".join(
        f"{len(c)} node(s): {', '.join(c[:6])}{' …' if len(c) > 6 else ''}" for c in cut[:8]
    )
    raise TravelError(
        f"The travel network is not connected: {sum(len(c) for c in cut)} node(s) in "
        f"{len(cut)} group(s) cannot be reached from the other {len(components[0])} ({listing}). "
        "A node is cut off when every straight edge from it crosses water: add the bridge, dam, "
        "tunnel or ferry that serves it to regions/fixed_links.csv, check its coordinates "
        "(x_rd/y_rd in RD New metres), or raise travel.max_water_m."
    )


#: Travel constants the network and its matrices do not depend on: the RIVM composite applies
#: them on top (:func:`zorglandschap.travel.composite_minutes`).
COMPOSITE_ONLY: tuple[str, ...] = ("regime", "composite_fixed_minutes", "composite_speed_factor")
#: Travel constants that only check a user matrix file (:mod:`zorglandschap.travel.matrix_file`).
MATRIX_FILE_ONLY: tuple[str, ...] = ("matrix_file_max_minutes", "matrix_file_min_median_minutes")


def settings_fingerprint(travel: TravelSettings) -> str:
    """A stable text form of the travel constants the network depends on (for cache keys)."""
    skipped = {*COMPOSITE_ONLY, *MATRIX_FILE_ONLY}
    return repr(sorted((k, v) for k, v in asdict(travel).items() if k not in skipped))
