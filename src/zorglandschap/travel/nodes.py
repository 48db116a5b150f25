"""The location nodes of the travel network: PC4 points, sites, clinics and posts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from zorglandschap.errors import TravelError

#: Node kinds and the landscape table each comes from.
NODE_TABLES: tuple[tuple[str, str], ...] = (
    ("pc4", "pc4"),
    ("site", "sites"),
    ("clinic", "clinics"),
    ("post", "posts"),
)


def node_table(landscape: Any) -> pd.DataFrame:
    """The network's location nodes: id, ``x``, ``y`` (RD New), ``kind`` and ``density``.

    Sites, clinics and posts take the population density of their nearest PC4 point. Rows are
    sorted by node id, so the same landscape always gives the same network.

    Raises
    ------
    TravelError
        If the landscape has no locations at all.
    """
    frames = []
    for kind, attribute in NODE_TABLES:
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
