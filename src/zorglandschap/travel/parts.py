"""A piece of the travel network under construction: some nodes and the edges they bring.

:func:`~zorglandschap.travel.network.build_network` builds the network in three pieces, in this
order: the location nodes with their on-land proximity edges (:mod:`~zorglandschap.travel.land`),
the fixed links across water (:mod:`~zorglandschap.travel.links`) and the express layer
(:mod:`~zorglandschap.travel.express`). Each piece is a :class:`GraphPart` whose edges refer to
node positions in the whole network (the nodes of all earlier pieces come first).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zorglandschap.vocab import PROFILES


@dataclass(frozen=True)
class GraphPart:
    """Nodes and edges added to the network by one construction step.

    Attributes
    ----------
    node_ids
        Ids of the nodes this part adds.
    xy, density
        Their coordinates (RD New metres, shape (k, 2)) and population density (inhabitants/km2).
    edges
        Edges as node positions in the whole network, shape (m, 2).
    length_m, kind, link_id
        Per edge: length in metres, kind and fixed link ("" for none).
    fixed
        Per profile, fixed minutes of each edge (NaN: timed by the speed model).
    """

    node_ids: tuple[str, ...]
    xy: np.ndarray
    density: np.ndarray
    edges: np.ndarray
    length_m: np.ndarray
    kind: np.ndarray
    link_id: np.ndarray
    fixed: dict[str, np.ndarray]


def timed_part(
    *,
    node_ids: tuple[str, ...],
    xy: np.ndarray,
    density: np.ndarray,
    edges: np.ndarray,
    length_m: np.ndarray,
    kind: np.ndarray,
    link_id: np.ndarray | None = None,
) -> GraphPart:
    """A part whose edges are all timed by the speed model (no fixed minutes)."""
    m = len(edges)
    return GraphPart(
        node_ids=node_ids,
        xy=xy,
        density=density,
        edges=np.asarray(edges, dtype=np.int64).reshape(-1, 2),
        length_m=np.asarray(length_m, dtype=float),
        kind=np.asarray(kind, dtype=object),
        link_id=np.full(m, "", dtype=object) if link_id is None else link_id,
        fixed={p: np.full(m, np.nan) for p in PROFILES},
    )


def joined(parts: list[GraphPart]) -> GraphPart:
    """The parts as one, in order."""
    return GraphPart(
        node_ids=tuple(n for part in parts for n in part.node_ids),
        xy=np.vstack([part.xy for part in parts]),
        density=np.concatenate([part.density for part in parts]),
        edges=np.vstack([part.edges for part in parts]),
        length_m=np.concatenate([part.length_m for part in parts]),
        kind=np.concatenate([part.kind for part in parts]),
        link_id=np.concatenate([part.link_id for part in parts]),
        fixed={p: np.concatenate([part.fixed[p] for part in parts]) for p in PROFILES},
    )
