"""The land mask and the proximity edges that stay on land.

The land mask is the union of the municipality polygons (which exclude the IJsselmeer,
Markermeer, Wadden Sea, Zeeland's sea arms and the randmeren). A straight edge is kept when no
stretch longer than ``max_water_m`` of it lies outside the mask, tested on points sampled every
``land_sample_m`` metres.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import Delaunay, cKDTree

from zorglandschap.settings import TravelSettings
from zorglandschap.travel.parts import GraphPart, timed_part


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


def onto_land(land: shapely.Geometry, xy: np.ndarray, max_m: float) -> np.ndarray:
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


def candidate_edges(xy: np.ndarray, hubs: np.ndarray, knn: int) -> np.ndarray:
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


def on_land_pairs(
    pairs: np.ndarray,
    xy: np.ndarray,
    on_land: np.ndarray,
    land: shapely.Geometry,
    travel: TravelSettings,
    *,
    max_km: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of at most ``max_km`` whose straight edge stays on land, and their lengths.

    Lengths are measured between ``xy``; the on-land test runs between ``on_land`` (the same
    points, moved onto the land where they lie just off the generalised coast).
    """
    length = np.hypot(*(xy[pairs[:, 0]] - xy[pairs[:, 1]]).T)
    short = length <= max_km * 1000
    pairs, length = pairs[short], length[short]
    water = water_run_m(
        land, on_land[pairs[:, 0]], on_land[pairs[:, 1]], step_m=travel.land_sample_m
    )
    keep = water <= travel.max_water_m
    return pairs[keep], length[keep]


def proximity_part(
    nodes: pd.DataFrame,
    on_land: np.ndarray,
    hubs: np.ndarray,
    land: shapely.Geometry,
    travel: TravelSettings,
) -> GraphPart:
    """The location nodes and their proximity edges that stay on land.

    Edges between two hubs (sites, clinics, posts) are of kind ``hub``, the others ``land``.
    """
    xy = nodes[["x", "y"]].to_numpy()
    cand = candidate_edges(xy, hubs, travel.knn)
    edges, length = on_land_pairs(cand, xy, on_land, land, travel, max_km=travel.max_edge_km)
    is_hub = np.isin(edges[:, 0], hubs) & np.isin(edges[:, 1], hubs)
    return timed_part(
        node_ids=tuple(nodes.index),
        xy=xy,
        density=nodes["density"].to_numpy(),
        edges=edges,
        length_m=length,
        kind=np.where(is_hub, "hub", "land").astype(object),
    )
