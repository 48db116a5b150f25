"""The default travel network: a land-constrained proximity graph with fixed links across water.

No national road network ships with the package, so the default network joins the demand points
(PC4), hospital sites, outpatient clinics and ambulance posts (RD New metres) by

* the edges of a Delaunay triangulation and of each node's ``knn`` nearest neighbours, plus a
  coarser Delaunay triangulation over the sites, clinics and posts ("hub" edges, which let long
  trips use long, fast edges), keeping only edges that stay on land: sampled every
  ``land_sample_m`` metres, no stretch longer than ``max_water_m`` may lie outside the
  municipality polygons (which exclude the IJsselmeer, Markermeer, Wadden Sea, Zeeland's sea
  arms and the randmeren);
* the fixed links of ``regions/fixed_links.csv`` (dams, bridges, the Westerschelde tunnel and the
  Wadden ferries), whose two ends are joined to their nearest on-land nodes.
* an express (motorway-like) layer for long trips: a copy of each hub (sites, clinics, posts,
  PC4 points spread ``express_hub_spacing_km`` apart, non-ferry link ends), a ramp from each hub
  to its copy, on-land edges of up to ``express_max_km`` between the copies and the non-ferry
  links repeated between them. Times stay shortest paths over one graph (symmetric, triangle
  inequality) while growing concavely with trip length.

Edge minutes per profile are set by :func:`edge_minutes`; all constants are in
:class:`zorglandschap.settings.TravelSettings`.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import Delaunay, cKDTree

from zorglandschap.errors import TravelError
from zorglandschap.settings import DEFAULT_SETTINGS, Settings, TravelSettings
from zorglandschap.travel.links import FIXED_LINKS_FILE, load_fixed_links

Profile = Literal["ambulance", "car"]

#: Travel profiles: ambulance with siren, and car at normal speed.
PROFILES: tuple[str, ...] = ("ambulance", "car")

#: Bumped whenever the way the network is built changes (part of every cache key).
NETWORK_VERSION = "2"

#: Node kinds and the landscape table each comes from.
_NODE_TABLES: tuple[tuple[str, str], ...] = (
    ("pc4", "pc4"),
    ("site", "sites"),
    ("clinic", "clinics"),
    ("post", "posts"),
)


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
        minutes = _minutes(
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


def _minutes(
    length_m: np.ndarray,
    density: np.ndarray,
    edges: np.ndarray,
    fixed: dict[str, np.ndarray],
    travel: TravelSettings,
    kind: np.ndarray,
) -> dict[str, np.ndarray]:
    edge_density = (density[edges[:, 0]] + density[edges[:, 1]]) / 2.0
    express = kind == "express"
    ramp = kind == "ramp"
    out = {}
    for profile in PROFILES:
        w = edge_minutes(length_m, edge_density, profile, travel)
        speed = getattr(travel, f"{profile}_express_speed_kmh")
        w = np.where(express, length_m / 1000.0 * travel.detour_factor / speed * 60.0, w)
        # a trip enters and leaves the express layer once: half the ramp minutes each way
        w = np.where(ramp, getattr(travel, f"{profile}_express_ramp_minutes") / 2.0, w)
        f = fixed[profile]
        out[profile] = np.where(np.isnan(f), w, f)
    return out


def check_profile(profile: str) -> None:
    """Raise :class:`TravelError` unless ``profile`` is one of :data:`PROFILES`."""
    if profile not in PROFILES:
        raise TravelError(
            f"Unknown travel profile {profile!r}; valid profiles: {', '.join(PROFILES)}."
        )


def node_table(landscape: Any) -> pd.DataFrame:
    """The network's location nodes: id, ``x``, ``y`` (RD New), ``kind`` and ``density``.

    Sites, clinics and posts take the population density of their nearest PC4 point. Rows are
    sorted by node id, so the same landscape always gives the same network.
    """
    frames = []
    for kind, attribute in _NODE_TABLES:
        table = getattr(landscape, attribute, None)
        if table is None or len(table) == 0:
            continue
        frames.append(
            pd.DataFrame(
                {
                    "node": [f"{kind}:{i}" for i in table.index],
                    "x": table["x_rd"].to_numpy(float),
                    "y": table["y_rd"].to_numpy(float),
                    "kind": kind,
                }
            )
        )
    if not frames:
        raise TravelError("The landscape has no PC4 points, sites, clinics or posts to connect.")
    nodes = pd.concat(frames, ignore_index=True).sort_values("node", ignore_index=True)
    pc4 = landscape.pc4
    area = pc4["area_km2"].to_numpy(float)
    density = np.where(area > 0, pc4["population"].to_numpy(float) / np.maximum(area, 1e-9), 0.0)
    tree = cKDTree(pc4[["x_rd", "y_rd"]].to_numpy(float))
    _, nearest = tree.query(nodes[["x", "y"]].to_numpy())
    nodes["density"] = density[nearest]
    return nodes.set_index("node")


def land_mask(municipalities: gpd.GeoDataFrame, *, fill_holes_km2: float = 0.0) -> shapely.Geometry:
    """The union of the municipality polygons in RD New metres, prepared for fast point tests.

    Holes smaller than ``fill_holes_km2`` are filled: the Belgian enclaves of Baarle-Hertog
    (foreign land, not water) and small lakes.
    """
    geometry = municipalities.geometry
    if geometry.crs is not None and geometry.crs.to_epsg() != 28992:
        geometry = geometry.to_crs(28992)
    land = shapely.union_all(shapely.make_valid(geometry.to_numpy()))
    if fill_holes_km2 > 0:
        parts = shapely.get_parts(land)
        filled = []
        for part in parts:
            rings = [r for r in part.interiors if shapely.Polygon(r).area >= fill_holes_km2 * 1e6]
            filled.append(shapely.Polygon(part.exterior, rings))
        land = shapely.union_all(filled)
    shapely.prepare(land)
    return land


def water_run_m(
    land: shapely.Geometry, a: np.ndarray, b: np.ndarray, *, step_m: float
) -> np.ndarray:
    """Longest stretch of each straight segment a→b that lies outside ``land``, in metres.

    Points are sampled every ``step_m`` metres (both ends included) and tested with
    :func:`shapely.contains_xy`, so the answer is exact to about one step.
    """
    result = np.zeros(len(a))
    if len(a) == 0:
        return result
    # Most segments lie wholly on land: one vectorised predicate settles them.
    covered = shapely.covers(land, shapely.linestrings(np.stack([a, b], axis=1)))
    rest = np.flatnonzero(~covered)
    if len(rest):
        result[rest] = _sampled_water_run(land, a[rest], b[rest], step_m)
    return result


def _sampled_water_run(
    land: shapely.Geometry, a: np.ndarray, b: np.ndarray, step_m: float
) -> np.ndarray:
    length = np.hypot(*(b - a).T)
    n = np.maximum(2, np.ceil(length / step_m).astype(int) + 1)
    edge = np.repeat(np.arange(len(a)), n)
    starts = np.concatenate([[0], np.cumsum(n)[:-1]])
    t = (np.arange(n.sum()) - starts[edge]) / (n[edge] - 1)
    points = a[edge] + (b[edge] - a[edge]) * t[:, None]
    outside = ~shapely.contains_xy(land, points[:, 0], points[:, 1])
    # Length of the current run of outside samples, reset at inside samples and edge starts.
    count = np.cumsum(outside)
    base = np.where(outside, 0, count)
    base[starts] = np.where(outside[starts], count[starts] - 1, count[starts])
    run = count - np.maximum.accumulate(base)
    longest = np.maximum.reduceat(run, starts)
    # k outside samples in a row span (k - 1) steps; one outside sample still means "some water".
    spacing = length / (n - 1)
    return np.where(longest > 0, np.maximum(longest - 1, 0.5) * spacing, 0.0)


def _onto_land(land: shapely.Geometry, xy: np.ndarray, max_m: float) -> np.ndarray:
    """``xy`` with points outside ``land`` (by at most ``max_m``) moved onto the nearest land."""
    moved = xy.copy()
    outside = np.flatnonzero(~shapely.contains_xy(land, xy[:, 0], xy[:, 1]))
    if len(outside):
        points = shapely.points(xy[outside])
        lines = shapely.shortest_line(points, land)
        ends = shapely.get_coordinates(shapely.get_point(lines, 1))
        # step 1 m beyond the boundary, into the land
        direction = ends - xy[outside]
        norm = np.maximum(np.hypot(*direction.T), 1e-9)[:, None]
        close = norm[:, 0] <= max_m
        moved[outside[close]] = (ends + direction / norm * 1.0)[close]
    return moved


def _candidate_edges(xy: np.ndarray, hubs: np.ndarray, knn: int) -> np.ndarray:
    """Delaunay edges over all nodes and over the hubs, plus k-nearest-neighbour edges."""
    pairs = []
    for positions in (np.arange(len(xy)), hubs):
        if len(positions) >= 4:
            simplices = positions[Delaunay(xy[positions]).simplices]
            pairs += [simplices[:, [0, 1]], simplices[:, [1, 2]], simplices[:, [0, 2]]]
    k = min(knn + 1, len(xy))
    if k > 1:
        _, nearest = cKDTree(xy).query(xy, k=k)
        pairs.append(
            np.column_stack([np.repeat(np.arange(len(xy)), k - 1), nearest[:, 1:].ravel()])
        )
    if not pairs:
        return np.zeros((0, 2), dtype=np.int64)
    edges = np.sort(np.vstack(pairs), axis=1)
    edges = edges[edges[:, 0] != edges[:, 1]]
    return np.unique(edges, axis=0).astype(np.int64)


def _express_hubs(
    nodes: pd.DataFrame, xy: np.ndarray, hubs: np.ndarray, spacing_km: float
) -> np.ndarray:
    """Node positions of the express hubs: the sites, clinics and posts, plus PC4 points.

    PC4 points join, densest first, where no hub lies within ``spacing_km``: so the
    layer reaches every part of the country, including narrow land between sea arms.
    """
    if spacing_km <= 0:
        return hubs
    density = nodes["density"].to_numpy()
    pc4 = np.flatnonzero(nodes["kind"].to_numpy() == "pc4")
    pc4 = pc4[np.argsort(-density[pc4], kind="stable")]
    chosen = list(hubs)
    limit = (spacing_km * 1000.0) ** 2
    taken = xy[hubs] if len(hubs) else np.zeros((0, 2))
    grid: dict[tuple[int, int], list[np.ndarray]] = {}
    cell = spacing_km * 1000.0
    for p in taken:
        grid.setdefault((int(p[0] // cell), int(p[1] // cell)), []).append(p)
    for i in pc4:
        cx, cy = int(xy[i, 0] // cell), int(xy[i, 1] // cell)
        near = [
            q for dx in (-1, 0, 1) for dy in (-1, 0, 1) for q in grid.get((cx + dx, cy + dy), [])
        ]
        if near and np.min(np.sum((np.array(near) - xy[i]) ** 2, axis=1)) < limit:
            continue
        chosen.append(i)
        grid.setdefault((cx, cy), []).append(xy[i])
    return np.sort(np.array(chosen, dtype=np.int64))


def _express_edges(
    xy: np.ndarray, on_land: np.ndarray, land: shapely.Geometry, travel: TravelSettings
) -> tuple[np.ndarray, np.ndarray]:
    """Express-layer edges between members (positions into ``xy``) and their lengths, metres.

    Delaunay edges plus each member's ``express_knn`` nearest members, at most
    ``express_max_km`` long, kept when on land by the same test as the proximity edges.
    """
    pairs = _candidate_edges(xy, np.zeros(0, dtype=np.int64), travel.express_knn)
    length = np.hypot(*(xy[pairs[:, 0]] - xy[pairs[:, 1]]).T)
    short = (length <= travel.express_max_km * 1000) & (length > 0)
    pairs, length = pairs[short], length[short]
    water = water_run_m(
        land, on_land[pairs[:, 0]], on_land[pairs[:, 1]], step_m=travel.land_sample_m
    )
    keep = water <= travel.max_water_m
    return pairs[keep], length[keep]


def edge_minutes(
    length_m: np.ndarray, density: np.ndarray, profile: str, travel: TravelSettings
) -> np.ndarray:
    """Minutes to drive proximity edges: length x detour / speed(length, density).

    Parameters
    ----------
    length_m
        Straight-line edge lengths, metres.
    density
        Mean population density of the edge's two ends, inhabitants/km2.
    profile
        ``"ambulance"`` (siren) or ``"car"``.
    travel
        The constants.

    Examples
    --------
    >>> from zorglandschap.settings import TravelSettings
    >>> t = TravelSettings(detour_factor=1.0, ambulance_speed_short_kmh=60.0,
    ...                    ambulance_speed_long_kmh=60.0, urban_speed_factor=1.0)
    >>> float(edge_minutes(np.array([1000.0]), np.array([0.0]), "ambulance", t)[0])
    1.0
    """
    check_profile(profile)
    short = getattr(travel, f"{profile}_speed_short_kmh")
    long = getattr(travel, f"{profile}_speed_long_kmh")
    km = np.asarray(length_m, float) / 1000.0
    speed = short + (long - short) * km / (km + travel.speed_half_km)
    speed = np.where(
        np.asarray(density) >= travel.urban_density_per_km2,
        speed * travel.urban_speed_factor,
        speed,
    )
    return km * travel.detour_factor / speed * 60.0


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
    if links is None:
        link_table = load_fixed_links(default_links_path(landscape))
    elif isinstance(links, pd.DataFrame):
        link_table = links
    else:
        link_table = load_fixed_links(links)

    xy = nodes[["x", "y"]].to_numpy()
    density = nodes["density"].to_numpy()
    # A few representative points lie just off the generalised coast: test their edges from
    # the nearest land point, if that is within max_water_m.
    on_land = _onto_land(land, xy, travel.max_water_m)
    hubs = np.flatnonzero(nodes["kind"].to_numpy() != "pc4")
    cand = _candidate_edges(xy, hubs, travel.knn)
    length = np.hypot(*(xy[cand[:, 0]] - xy[cand[:, 1]]).T)
    cand, length = (
        cand[length <= travel.max_edge_km * 1000],
        length[length <= travel.max_edge_km * 1000],
    )
    water = water_run_m(land, on_land[cand[:, 0]], on_land[cand[:, 1]], step_m=travel.land_sample_m)
    keep = water <= travel.max_water_m
    edges, length = cand[keep], length[keep]
    is_hub = np.isin(edges[:, 0], hubs) & np.isin(edges[:, 1], hubs)
    kinds = np.where(is_hub, "hub", "land").astype(object)
    link_ids = np.full(len(edges), "", dtype=object)

    # Fixed links: two end nodes each, snapped to their nearest on-land nodes.
    node_ids = list(nodes.index)
    all_xy, all_density = [xy], [density]
    extra_edges: list[tuple[int, int]] = []
    extra_len: list[float] = []
    extra_kind: list[str] = []
    extra_link: list[str] = []
    extra_fixed: list[dict[str, float]] = []
    # non-ferry links also join the express layer: (end a, end b, on-land a, on-land b, row)
    express_links: list[tuple[int, int, np.ndarray, np.ndarray, int]] = []
    dropped: list[str] = []
    tree = cKDTree(xy)
    for link_id, row in link_table.iterrows():
        ends = np.array([[row["x_a"], row["y_a"]], [row["x_b"], row["y_b"]]])
        # Ends a little off the generalised coast (piers, dike heads) start on the nearest land.
        landed = _onto_land(land, ends, travel.link_snap_water_m)
        dist, _ = tree.query(ends)
        if np.any(dist > travel.link_snap_max_km * 1000):
            continue
        snaps = []
        for end, start in zip(ends, landed, strict=True):
            k = min(len(xy), max(travel.link_snap_k * 4, 8))
            d, near = tree.query(end, k=k)
            near, d = np.atleast_1d(near), np.atleast_1d(d)
            run = water_run_m(
                land,
                np.repeat(start[None], len(near), 0),
                on_land[near],
                step_m=travel.land_sample_m,
            )
            ok = np.flatnonzero(run <= travel.max_water_m)[: travel.link_snap_k]
            snaps.append([(int(near[j]), float(d[j])) for j in ok])
        if not all(snaps):
            # An end with no node on its own shore: outside an extract, or misplaced.
            dropped.append(str(link_id))
            continue
        end_pos = []
        for side, end, joined in zip("ab", ends, snaps, strict=True):
            end_pos.append(len(node_ids))
            node_ids.append(f"link:{link_id}:{side}")
            all_xy.append(end[None])
            all_density.append(density[[joined[0][0]]])
            for j, dist_m in joined:
                extra_edges.append((end_pos[-1], j))
                extra_len.append(dist_m)
                extra_kind.append("snap")
                extra_link.append(str(link_id))
                extra_fixed.append({})
        straight = float(np.hypot(*(ends[1] - ends[0])))
        km = float(row["length_km"]) if pd.notna(row["length_km"]) else straight / 1000.0
        if row["kind"] == "ferry":
            wait = travel.ferry_waiting_minutes
            total = float(row["crossing_minutes"]) + float(
                row["waiting_minutes"] if wait is None else wait
            )
            minutes = {"ambulance": total, "car": total}
        else:
            speed = float(row["speed_kmh"])
            minutes = {
                "car": km / speed * 60.0,
                "ambulance": km / (speed * travel.ambulance_link_speed_factor) * 60.0,
            }
        if row["kind"] != "ferry":
            express_links.append((end_pos[0], end_pos[1], landed[0], landed[1], len(extra_edges)))
        extra_edges.append((end_pos[0], end_pos[1]))
        extra_len.append(km * 1000.0)
        extra_kind.append(str(row["kind"]))
        extra_link.append(str(link_id))
        extra_fixed.append(minutes)

    n_proximity = len(edges)
    if extra_edges:
        edges = np.vstack([edges, np.array(extra_edges, dtype=np.int64)])
        length = np.concatenate([length, np.array(extra_len)])
        kinds = np.concatenate([kinds, np.array(extra_kind, dtype=object)])
        link_ids = np.concatenate([link_ids, np.array(extra_link, dtype=object)])
    fixed = {p: np.full(len(edges), np.nan) for p in PROFILES}
    for offset, values in enumerate(extra_fixed):
        for profile, value in values.items():
            fixed[profile][n_proximity + offset] = value
    if travel.express_max_km > 0:
        # Express layer: a copy of each hub and of each non-ferry link end, a ramp from each
        # node to its copy, on-land edges between the copies, and the links between copies.
        members = np.concatenate(
            [_express_hubs(nodes, xy, hubs, travel.express_hub_spacing_km),
             np.array([pos for a, b, *_ in express_links for pos in (a, b)], dtype=np.int64)]
        )  # fmt: skip
        member_xy = np.vstack([xy, *all_xy[1:]])[members]
        member_land = np.vstack(
            [on_land[members[: len(members) - 2 * len(express_links)]],
             *[np.vstack([la, lb]) for _, _, la, lb, _ in express_links]]
        )  # fmt: skip
        pairs, hub_length = _express_edges(member_xy, member_land, land, travel)
        copy = len(node_ids) + np.arange(len(members))
        where = {int(m): int(c) for m, c in zip(members, copy, strict=True)}
        node_ids += [f"express:{node_ids[m]}" for m in members]
        all_xy.append(member_xy)
        all_density.append(np.concatenate(all_density)[members])
        dup = [(where[a], where[b]) for a, b, *_ in express_links]
        dup_index = np.array([n_proximity + i for *_, i in express_links], dtype=np.int64)
        added = len(members) + len(pairs) + len(dup)
        edges = np.vstack(
            [edges, np.column_stack([members, copy]), copy[pairs],
             np.array(dup, dtype=np.int64).reshape(-1, 2)]
        )  # fmt: skip
        length = np.concatenate([length, np.zeros(len(members)), hub_length, length[dup_index]])
        kinds = np.concatenate(
            [kinds, np.full(len(members), "ramp", dtype=object),
             np.full(len(pairs), "express", dtype=object), kinds[dup_index]]
        )  # fmt: skip
        link_ids = np.concatenate(
            [link_ids, np.full(len(members) + len(pairs), "", dtype=object), link_ids[dup_index]]
        )
        fixed = {
            p: np.concatenate([f, np.full(len(members) + len(pairs), np.nan), f[dup_index]])
            for p, f in fixed.items()
        }
        assert len(edges) == len(kinds) == n_proximity + len(extra_edges) + added
    xy_all = np.vstack(all_xy)
    density_all = np.concatenate(all_density)
    network = TravelNetwork(
        node_ids=tuple(node_ids),
        xy=xy_all,
        density=density_all,
        edges=edges,
        length_m=length,
        kind=kinds,
        link_id=link_ids,
        fixed_minutes=fixed,
        minutes=_minutes(length, density_all, edges, fixed, travel, kinds),
        dropped_links=tuple(sorted(dropped)),
    )
    if strict:
        check_connected(network)
    return network


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


def settings_fingerprint(travel: TravelSettings) -> str:
    """A stable text form of the travel constants (for cache keys)."""
    return repr(sorted(asdict(travel).items()))
