"""Sensitive sites: the extra population beyond the norm if one open site alone closes.

A site is *sensitive* ("gevoelig ziekenhuis", RIVM) when closing it alone pushes people beyond
the norm. All sites are assessed in one pass from each demand point's nearest and second-nearest
open site (:class:`~zorglandschap.access.reach.Reach`): closing *j* moves exactly the points
whose nearest site is *j* to their second-nearest, so the extra population beyond the norm is

    extra(j) = Σ_i pop_i · [first(i) = j] · [t1(i) ≤ T] · [t2(i) > T].

:func:`sensitive_sites_by_recompute` closes each site in turn and recomputes reach, to verify it.

Examples
--------
>>> from zorglandschap.access.reach import reach
>>> from zorglandschap.landscape import load_landscape
>>> from zorglandschap.landscape.state import baseline_state
>>> nl = load_landscape().extract(roaz="ROAZ08")
>>> s = sensitivity(reach(nl, baseline_state(nl, 2025), minutes=20))
>>> s.summary()["open_sites"], s.summary()["sensitive"] > 0
(5, True)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from zorglandschap.access.reach import Reach, reach
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.state import SiteState
from zorglandschap.result import dumps, json_number
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.vocab import Service


def sensitive_sites(result: Reach, *, top: int | None = None) -> pd.DataFrame:
    """For every open site, the extra population beyond the norm if it alone closes.

    One pass over the nearest and second-nearest site of every demand point (see the module
    docstring). Returns one row per open site (index ``site_id``) with ``name``, ``lon``,
    ``lat``, ``extra_beyond`` (rounded inhabitants) and ``municipalities`` (where they live:
    ``{name: inhabitants}``, the ``top`` largest, default all), sorted by ``extra_beyond``
    descending, then id. Sites with 0 are included.
    """
    p = result.points
    norm = result.minutes_norm
    pushed = (p["minutes"] <= norm) & (p["second_minutes"] > norm) & (p["population"] > 0)
    moved = p[pushed]
    extra = moved.groupby("site_id")["population"].sum()
    open_ids = list(result.open_site_ids)
    sites = result.landscape.sites.reindex(open_ids)
    names = result.landscape.municipalities["name"]
    where: dict[str, dict[str, int]] = {}
    for site_id, group in moved.groupby("site_id"):
        by_municipality = group.groupby("gemeentecode")["population"].sum()
        by_municipality = by_municipality.sort_values(ascending=False, kind="stable").iloc[:top]
        where[str(site_id)] = {names[c]: int(round(v)) for c, v in by_municipality.items()}
    frame = pd.DataFrame(
        {
            "name": sites["name"],
            "lon": sites["lon"],
            "lat": sites["lat"],
            "extra_beyond": extra.reindex(open_ids).fillna(0.0).round().astype(int),
        },
        index=pd.Index(open_ids, name="site_id"),
    )
    frame["municipalities"] = [where.get(s, {}) for s in open_ids]
    return frame.sort_values(["extra_beyond"], ascending=False, kind="stable")


@dataclass(frozen=True)
class Sensitivity:
    """Sensitive sites of one reach (a result, see :mod:`zorglandschap.result`).

    Attributes
    ----------
    reach
        The reach it was computed from (its settings, site state, service, block and norm).
    sites
        :func:`sensitive_sites`' table: per open site (index ``site_id``) ``name``, ``lon``,
        ``lat``, ``extra_beyond`` and ``municipalities`` (``{name: inhabitants}``), most
        sensitive first; possibly only the first sites (:meth:`head`).
    """

    reach: Reach
    sites: pd.DataFrame

    @property
    def settings(self) -> Settings:
        """The settings the reach was computed with."""
        return self.reach.settings

    @property
    def state_name(self) -> str:
        """The site state the reach was computed for."""
        return self.reach.state_name

    def head(self, n: int) -> Sensitivity:
        """The ``n`` most sensitive sites only."""
        return replace(self, sites=self.sites.head(max(n, 0)))

    def summary(self) -> dict[str, Any]:
        """Which reach, how many sites are listed and sensitive, and the largest extra."""
        extra = self.sites["extra_beyond"]
        return {
            "sites": self.reach.state_name,
            "service": self.reach.service,
            "block": self.reach.block,
            "minutes": self.reach.minutes_norm,
            "open_sites": len(self.reach.open_site_ids),
            "regime": self.reach.settings.travel.regime,
            "travel_source": self.reach.travel_source,
            "listed": len(self.sites),
            "sensitive": int((extra > 0).sum()),
            "max_extra_beyond": int(extra.max()) if len(extra) else 0,
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        """``sites`` (one row per site, without the municipalities) and ``municipalities``
        (one row per site and municipality where the extra people live)."""
        rows = [
            {"site_id": site_id, "municipality": name, "extra_beyond": people}
            for site_id, where in self.sites["municipalities"].items()
            for name, people in where.items()
        ]
        municipalities = pd.DataFrame(rows, columns=["site_id", "municipality", "extra_beyond"])
        return {
            "sites": self.sites.drop(columns="municipalities"),
            "municipalities": municipalities,
        }

    def records(self) -> list[dict[str, Any]]:
        """The ``sensitive --json`` records: one per listed site, most sensitive first."""
        return [
            {
                "site_id": site_id,
                "name": row["name"],
                "lon": json_number(row["lon"]),
                "lat": json_number(row["lat"]),
                "extra_beyond": int(row["extra_beyond"]),
                "municipalities": row["municipalities"],
            }
            for site_id, row in self.sites.iterrows()
        ]

    def to_json(self) -> str:
        """The ``sensitive --json`` text."""
        return dumps(self.records())


def sensitivity(
    result: Reach, *, sites: int | None = None, municipalities: int | None = None
) -> Sensitivity:
    """Sensitive sites of ``result`` as a result object.

    Parameters
    ----------
    result
        A reach (:func:`~zorglandschap.access.reach.reach`).
    sites
        Keep only the ``sites`` most sensitive (default all open sites).
    municipalities
        Name at most this many municipalities per site (default
        ``result.settings.access.sensitive_top_municipalities``).
    """
    top = result.settings.access.sensitive_top_municipalities
    out = Sensitivity(
        reach=result,
        sites=sensitive_sites(result, top=top if municipalities is None else municipalities),
    )
    return out if sites is None else out.head(sites)


def sensitive_sites_by_recompute(
    landscape: Landscape,
    state: SiteState,
    *,
    service: Service = "seh",
    block: str = "day",
    minutes: float | None = None,
    site_ids: list[str] | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.Series:
    """Brute force: close each site in turn and recompute reach (to verify the one-pass method)."""
    base = reach(landscape, state, service=service, block=block, minutes=minutes, settings=settings)
    base_beyond = beyond(base)
    ids = site_ids if site_ids is not None else list(base.open_site_ids)
    closed_value: Any = "none" if service == "seh" else False
    extra = {}
    for site_id in ids:
        closed = state.with_changes({site_id: {service: closed_value}})
        after = reach(
            landscape, closed, service=service, block=block, minutes=minutes, settings=settings
        )
        extra[site_id] = beyond(after) - base_beyond
    return pd.Series(extra, name="extra_beyond")


def beyond(result: Reach) -> float:
    """Inhabitants beyond the norm (unrounded)."""
    p = result.points
    return float(p.loc[p["minutes"] > result.minutes_norm, "population"].sum())
