"""The express (motorway-like) layer of the default network, for long trips.

Chains of short proximity edges make long trips too slow. So each *hub* (every site, clinic and
post, PC4 points spread ``express_hub_spacing_km`` apart, and both ends of every non-ferry fixed
link) gets a copy ``express:<node id>``, joined to it by a *ramp*; the copies are joined by
on-land edges of up to ``express_max_km`` and by the non-ferry links repeated between them.
Times stay shortest paths over one graph (symmetric, triangle inequality) while growing
concavely with trip length: a short trip stays local, a long one pays the ramp once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from zorglandschap.settings import TravelSettings
from zorglandschap.travel.land import candidate_edges, on_land_pairs
from zorglandschap.travel.links import LinkPart
from zorglandschap.travel.parts import GraphPart
from zorglandschap.vocab import PROFILES


def express_hubs(
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


def express_edges(
    xy: np.ndarray, on_land: np.ndarray, land: shapely.Geometry, travel: TravelSettings
) -> tuple[np.ndarray, np.ndarray]:
    """Express-layer edges between members (positions into ``xy``) and their lengths, metres.

    Delaunay edges plus each member's ``express_knn`` nearest members, at most
    ``express_max_km`` long, kept when on land by the same test as the proximity edges.
    """
    pairs = candidate_edges(xy, np.zeros(0, dtype=np.int64), travel.express_knn)
    length = np.hypot(*(xy[pairs[:, 0]] - xy[pairs[:, 1]]).T)
    pairs = pairs[length > 0]
    return on_land_pairs(pairs, xy, on_land, land, travel, max_km=travel.express_max_km)


def express_part(
    nodes: pd.DataFrame,
    hubs: np.ndarray,
    on_land: np.ndarray,
    before: GraphPart,
    *,
    links: LinkPart,
    land: shapely.Geometry,
    travel: TravelSettings,
) -> GraphPart:
    """The express layer over a network whose nodes and edges so far are ``before``.

    ``nodes``, ``hubs`` and ``on_land`` describe the location nodes (the first nodes of
    ``before``); ``links`` are the fixed links joined to them (the rest of ``before``).
    """
    xy = nodes[["x", "y"]].to_numpy()
    ends = np.array([p for link in links.express for p in (link.end_a, link.end_b)], np.int64)
    members = np.concatenate([express_hubs(nodes, xy, hubs, travel.express_hub_spacing_km), ends])
    member_xy = before.xy[members]
    member_land = np.vstack(
        [on_land[members[: len(members) - len(ends)]],
         *[np.vstack([link.landed_a, link.landed_b]) for link in links.express]]
    )  # fmt: skip
    pairs, hub_length = express_edges(member_xy, member_land, land, travel)
    copy = len(before.node_ids) + np.arange(len(members))
    where = {int(m): int(c) for m, c in zip(members, copy, strict=True)}
    dup = np.array([(where[k.end_a], where[k.end_b]) for k in links.express], dtype=np.int64)
    crossing = np.array([k.edge for k in links.express], dtype=np.int64)
    local = len(members) + len(pairs)
    return GraphPart(
        node_ids=tuple(f"express:{before.node_ids[m]}" for m in members),
        xy=member_xy,
        density=before.density[members],
        edges=np.vstack([np.column_stack([members, copy]), copy[pairs], dup.reshape(-1, 2)]),
        length_m=np.concatenate(
            [np.zeros(len(members)), hub_length, links.part.length_m[crossing]]
        ),
        kind=np.concatenate(
            [
                np.full(len(members), "ramp", dtype=object),
                np.full(len(pairs), "express", dtype=object),
                links.part.kind[crossing],
            ]
        ),
        link_id=np.concatenate([np.full(local, "", dtype=object), links.part.link_id[crossing]]),
        fixed={
            p: np.concatenate([np.full(local, np.nan), links.part.fixed[p][crossing]])
            for p in PROFILES
        },
    )
