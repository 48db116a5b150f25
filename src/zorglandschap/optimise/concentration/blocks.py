"""Sparse data blocks of the concentration model: merged demand points and their sorted reach.

Used by the formulation and the solution method. One :class:`Block` holds, for one intervention, the
demand points that can reach at least one candidate site within the maximum travel time,
*merged* when their reach (the sites and the minutes to each) is identical, with each merged
point's reachable sites sorted from near to far.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Block:
    """Reach data of one intervention.

    Attributes
    ----------
    intervention
        Intervention id.
    sites
        Candidate site ids (eligible, not closed), sorted; positions are site indices.
    groups
        For each merged point, the original demand ids (sorted).
    demand
        Patients per year of each merged point (sum over its members).
    member_demand
        Patients per year of every original member, aligned with ``groups``.
    order_start
        ``order_start[m]:order_start[m + 1]`` slices ``order_site``/``order_minutes`` for point m.
    order_site, order_minutes
        Reachable site indices and minutes per merged point, sorted by (minutes, site id).
    unreachable
        Demand ids with patients but no candidate site within the maximum time (and not
        exempted).
    exempt
        Demand ids exempted from the maximum time because no candidate site lies within it
        (e.g. the Wadden islands); they keep all their pairs.
    """

    intervention: str
    sites: tuple[str, ...]
    groups: tuple[tuple[str, ...], ...]
    demand: np.ndarray
    member_demand: tuple[tuple[float, ...], ...]
    order_start: np.ndarray
    order_site: np.ndarray
    order_minutes: np.ndarray
    unreachable: tuple[str, ...]
    exempt: tuple[str, ...] = ()

    @property
    def n_points(self) -> int:
        """Number of merged demand points."""
        return len(self.groups)

    def reach(self, m: int) -> tuple[np.ndarray, np.ndarray]:
        """Site indices and minutes reachable from merged point ``m``, near to far."""
        a, b = self.order_start[m], self.order_start[m + 1]
        return self.order_site[a:b], self.order_minutes[a:b]

    def near_count(self, m: int, k: int) -> int:
        """How many of ``m``'s nearest sites form its near set of size ``k``, ties included.

        Sites tied in minutes with the k-th are added, so no omitted (far) site is strictly
        closer than, or as close as, a near one.
        """
        _, minutes = self.reach(m)
        n = len(minutes)
        if k >= n:
            return n
        k = max(k, 1)
        last = minutes[k - 1]
        while k < n and minutes[k] <= last:
            k += 1
        return k

    def restricted(self, keep: np.ndarray) -> Block:
        """The same block with only the sites where ``keep`` is True in every point's reach.

        Points, their order and the site positions are unchanged, so variables built from the
        restricted block carry the same names as those of the full block.
        """
        sel = keep[self.order_site]
        kept_before = np.concatenate(([0], np.cumsum(sel)))
        return Block(
            intervention=self.intervention,
            sites=self.sites,
            groups=self.groups,
            demand=self.demand,
            member_demand=self.member_demand,
            order_start=kept_before[self.order_start].astype(np.int64),
            order_site=self.order_site[sel],
            order_minutes=self.order_minutes[sel],
            unreachable=self.unreachable,
            exempt=self.exempt,
        )

    def reachable_demand(self) -> np.ndarray:
        """Patients per year that can reach each site within the maximum time."""
        out = np.zeros(len(self.sites))
        for m in range(self.n_points):
            sites, _ = self.reach(m)
            out[sites] += self.demand[m]
        return out


def build_block(
    intervention: str,
    demand: pd.Series,
    pairs: pd.DataFrame,
    candidates: list[str],
    max_minutes: float,
    *,
    merge: bool = True,
    exempt_unreachable: bool = False,
) -> Block:
    """Build the reach block of one intervention.

    Parameters
    ----------
    intervention
        Intervention id.
    demand
        Patients per year per demand id (index demand id).
    pairs
        Columns ``demand_id``, ``site_id``, ``minutes`` (any time cut-off; filtered here).
    candidates
        Candidate site ids for this intervention.
    max_minutes
        Pairs with more minutes are dropped (``inf`` keeps all).
    merge
        Merge demand points with identical reach (exact; on by default).
    exempt_unreachable
        Points with no candidate site within ``max_minutes`` keep all their pairs instead of
        being reported unreachable.
    """
    sites = tuple(sorted(candidates))
    site_pos = {s: i for i, s in enumerate(sites)}
    d = demand[demand > 0]
    p = pairs[pairs["site_id"].isin(site_pos) & pairs["demand_id"].isin(d.index)]
    within = p["minutes"] <= max_minutes
    exempt: tuple[str, ...] = ()
    if exempt_unreachable:
        has_near = set(p.loc[within, "demand_id"])
        far_only = ~p["demand_id"].isin(has_near)
        exempt = tuple(sorted(set(map(str, p.loc[far_only, "demand_id"]))))
        within = within | far_only
    p = p[within]
    site_idx = p["site_id"].map(site_pos).to_numpy(dtype=np.int64)
    minutes = p["minutes"].to_numpy(dtype=float)
    dem_ids = p["demand_id"].to_numpy(dtype=object)
    # sort by demand id, then minutes, then site id -> each point's reach near to far
    order = np.lexsort((site_idx, minutes, dem_ids.astype(str)))
    site_idx, minutes, dem_ids = site_idx[order], minutes[order], dem_ids[order]
    reached = _slices(dem_ids)
    unreachable = tuple(sorted(str(i) for i in d.index if str(i) not in reached))
    groups = _merged(reached, site_idx, minutes, merge=merge)
    dvals = {str(k): float(v) for k, v in d.items()}
    out_start = [0]
    out_site: list[np.ndarray] = []
    out_min: list[np.ndarray] = []
    for members in groups:
        a, b = reached[members[0]]
        out_site.append(site_idx[a:b])
        out_min.append(minutes[a:b])
        out_start.append(out_start[-1] + (b - a))
    return Block(
        intervention=intervention,
        sites=sites,
        groups=tuple(groups),
        demand=np.array([sum(dvals[i] for i in g) for g in groups], dtype=float),
        member_demand=tuple(tuple(dvals[i] for i in g) for g in groups),
        order_start=np.array(out_start, dtype=np.int64),
        order_site=np.concatenate(out_site) if out_site else np.zeros(0, dtype=np.int64),
        order_minutes=np.concatenate(out_min) if out_min else np.zeros(0),
        unreachable=unreachable,
        exempt=exempt,
    )


def _slices(dem_ids: np.ndarray) -> dict[str, tuple[int, int]]:
    """Where each demand id's rows start and end in the sorted pairs."""
    if len(dem_ids):
        change = np.flatnonzero(dem_ids[1:] != dem_ids[:-1]) + 1
        starts = np.concatenate(([0], change, [len(dem_ids)]))
    else:
        starts = np.array([0])
    return {str(dem_ids[a]): (int(a), int(b)) for a, b in zip(starts[:-1], starts[1:], strict=True)}


def _merged(
    reached: dict[str, tuple[int, int]], site_idx: np.ndarray, minutes: np.ndarray, *, merge: bool
) -> list[tuple[str, ...]]:
    """Demand ids with identical reach (same sites, same minutes) grouped, sorted by first id."""
    keys: dict[bytes, list[str]] = {}
    for dem in sorted(reached):
        a, b = reached[dem]
        key = site_idx[a:b].tobytes() + minutes[a:b].tobytes() if merge else dem.encode()
        keys.setdefault(key, []).append(dem)
    return sorted((tuple(members) for members in keys.values()), key=lambda g: g[0])
