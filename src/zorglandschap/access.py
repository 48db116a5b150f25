"""Access analysis: RIVM-style 45-minute reach per time block, and sensitive SEHs.

For every PC4 demand point *i* the RIVM composite time to an open site *j* is the drive time
from the nearest ambulance post staffed in the time block to *i*, plus fixed minutes (dispatch
and on scene), plus the drive time from *i* to *j* (:func:`zorglandschap.travel.composite_minutes`).
Reach takes the nearest open site; indicators are population-weighted.

A site is *sensitive* ("gevoelig ziekenhuis", RIVM) when closing it alone pushes people beyond
the norm. All sites are assessed in one pass from each demand point's nearest and second-nearest
open site: closing *j* moves exactly the points whose nearest site is *j* to their second-nearest,
so the extra population beyond the norm is

    extra(j) = Σ_i pop_i · [first(i) = j] · [t1(i) ≤ T] · [t2(i) > T].

Examples
--------
>>> from zorglandschap.landscape import load_landscape
>>> from zorglandschap.scenario import site_state
>>> nl = load_landscape().extract(roaz="ROAZ08")
>>> r = reach(nl, site_state(nl, "2025"), service="seh", block="night")
>>> r.summary()["population"] == int(nl.pc4["population"].sum())
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from zorglandschap.errors import ScenarioError
from zorglandschap.indicators import travel_indicators
from zorglandschap.landscape import REGION_LAYERS, Landscape, RegionLayer
from zorglandschap.landscape.state import SiteState
from zorglandschap.settings import DEFAULT_SETTINGS, TIME_BLOCKS, Settings
from zorglandschap.travel import composite_minutes

Service = Literal["seh", "av"]
SERVICES: tuple[str, ...] = ("seh", "av")
BY_CHOICES: tuple[str, ...] = ("roaz", "iza", "iza42", "province", "municipality")


def check_choice(value: str, valid: tuple[str, ...], what: str) -> None:
    """Raise a one-line :class:`ScenarioError` naming the valid choices."""
    if value not in valid:
        raise ScenarioError(f"Unknown {what} {value!r}; valid: {', '.join(valid)}.")


def open_sites(
    state: SiteState, *, service: Service, block: str, settings: Settings = DEFAULT_SETTINGS
) -> list[str]:
    """Sites offering ``service`` in time ``block`` (sorted site ids).

    An SEH open 24/7 counts in every block; a limited-hours SEH in
    ``settings.access.limited_hours_blocks`` (never at night); a spoedpost never (no ambulance
    intake). Acute obstetrics counts in ``settings.access.av_blocks``.
    """
    check_choice(service, SERVICES, "service")
    check_choice(block, TIME_BLOCKS, "time block")
    services = state.services
    if service == "av":
        available = block in settings.access.av_blocks
        mask = services["av"].astype(bool) & available
    else:
        open_states = ["24/7"]
        if block in settings.access.limited_hours_blocks:
            open_states.append("limited")
        mask = services["seh"].isin(open_states)
    return sorted(services.index[mask])


def staffed_posts(
    landscape: Landscape, *, block: str, settings: Settings = DEFAULT_SETTINGS
) -> list[str]:
    """Ambulance posts staffed in time ``block`` (sorted post ids)."""
    check_choice(block, TIME_BLOCKS, "time block")
    blocks = dict(settings.access.post_blocks)
    staffed = landscape.posts["availability"].map(lambda a: block in blocks.get(a, ()))
    return sorted(landscape.posts.index[staffed.astype(bool)])


@dataclass(frozen=True)
class Reach:
    """Reach of one service in one time block for one site state.

    Attributes
    ----------
    points
        Per PC4 (index): ``gemeentecode``, ``population``, ``minutes`` (composite time to the
        nearest open site, ``inf`` if none), ``site_id`` (that site), ``second_minutes`` and
        ``second_site_id`` (the next-nearest open site).
    """

    state_name: str
    service: str
    block: str
    minutes_norm: float
    open_site_ids: tuple[str, ...]
    points: pd.DataFrame
    landscape: Landscape

    def summary(self) -> dict[str, Any]:
        """National (or extract-wide) indicators."""
        p = self.points
        stats = travel_indicators(
            p["minutes"].to_numpy(), p["population"].to_numpy(), threshold=self.minutes_norm
        )
        return {
            "sites": self.state_name,
            "service": self.service,
            "block": self.block,
            "minutes": self.minutes_norm,
            "open_sites": len(self.open_site_ids),
            **_rounded(stats),
        }

    def by_region(self, layer: RegionLayer = "roaz") -> pd.DataFrame:
        """Indicators per region of ``layer`` (index: region), sorted by region."""
        check_choice(layer, BY_CHOICES, "--by layer")
        region = self.landscape.region_of_pc4(layer)
        rows = {}
        for name, group in self.points.groupby(region, sort=True):
            stats = travel_indicators(
                group["minutes"].to_numpy(),
                group["population"].to_numpy(),
                threshold=self.minutes_norm,
            )
            rows[name] = _rounded(stats)
        frame = pd.DataFrame.from_dict(rows, orient="index")
        frame.index.name = layer
        if layer == "roaz":
            frame.insert(0, "name", self.landscape.roaz_regions["roaz_name"].reindex(frame.index))
        return frame

    def beyond_points(self) -> pd.DataFrame:
        """The demand points beyond the norm, most populous first."""
        p = self.points
        beyond = p[(p["minutes"] > self.minutes_norm) & (p["population"] > 0)]
        return beyond.sort_values(["population", "minutes"], ascending=[False, False])

    def to_json(self, layer: RegionLayer = "roaz") -> dict[str, Any]:
        """The ``reach --json`` payload."""
        regions = self.by_region(layer)
        by_region = {
            (f"{code} {row['name']}" if layer == "roaz" else str(code)): {
                "population": row["population"],
                "beyond": row["beyond"],
                "share_within": row["share_within"],
                "mean_minutes": row["mean_minutes"],
                "p90_minutes": row["p90_minutes"],
            }
            for code, row in regions.iterrows()
        }
        beyond_by_municipality = (
            self.beyond_points()
            .groupby("gemeentecode")["population"]
            .sum()
            .sort_values(ascending=False)
        )
        names = self.landscape.municipalities["name"]
        return {
            **self.summary(),
            "by": layer,
            "by_region": by_region,
            "beyond_by_municipality": {
                names[code]: int(round(pop))
                for code, pop in beyond_by_municipality.items()
                if pop >= 0.5
            },
        }


def reach(
    landscape: Landscape,
    state: SiteState,
    *,
    service: Service = "seh",
    block: str = "day",
    minutes: float | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> Reach:
    """Composite time from every PC4 to its nearest and second-nearest open site.

    Parameters
    ----------
    landscape
        The embedded Netherlands or an extract.
    state
        Which sites offer what (a baseline year or a scenario, see :mod:`zorglandschap.scenario`).
    service, block
        ``"seh"`` or ``"av"``; ``"day"``, ``"evening"``, ``"night"`` or ``"weekend"``.
    minutes
        The travel-time norm; default ``settings.access.norm_minutes`` (45).
    """
    norm = settings.access.norm_minutes if minutes is None else float(minutes)
    if not np.isfinite(norm) or norm <= 0:
        raise ScenarioError(f"--minutes must be a positive number, got {minutes}.")
    sites = [
        s
        for s in open_sites(state, service=service, block=block, settings=settings)
        if s in landscape.sites.index
    ]
    posts = staffed_posts(landscape, block=block, settings=settings)
    points = landscape.pc4[["gemeentecode", "population"]].copy()
    if sites and posts:
        matrix = composite_minutes(landscape, site_ids=sites, post_ids=posts, settings=settings)
        matrix = matrix.reindex(index=points.index, columns=sites)
        values = matrix.to_numpy(dtype=float)
    else:
        values = np.full((len(points), max(len(sites), 1)), np.inf)
        sites = sites or [""]
    first, second = _two_nearest(values)
    rows = np.arange(len(points))
    site_array = np.asarray(sites, dtype=object)
    points["minutes"] = values[rows, first]
    points["site_id"] = site_array[first]
    if values.shape[1] > 1:
        points["second_minutes"] = values[rows, second]
        points["second_site_id"] = site_array[second]
    else:
        points["second_minutes"] = np.inf
        points["second_site_id"] = ""
    return Reach(
        state_name=state.name,
        service=service,
        block=block,
        minutes_norm=norm,
        open_site_ids=tuple(s for s in sites if s),
        points=points,
        landscape=landscape,
    )


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
    base_beyond = _beyond(base)
    ids = site_ids if site_ids is not None else list(base.open_site_ids)
    column = "seh" if service == "seh" else "av"
    closed_value: Any = "none" if service == "seh" else False
    extra = {}
    for site_id in ids:
        closed = state.with_changes({site_id: {column: closed_value}})
        after = reach(
            landscape, closed, service=service, block=block, minutes=minutes, settings=settings
        )
        extra[site_id] = _beyond(after) - base_beyond
    return pd.Series(extra, name="extra_beyond")


#: RIVM's published 2019 figure: about 33,000 inhabitants beyond 45 minutes of a 24/7 SEH
#: (99.8 % within). Source: RIVM, Bereikbaarheidsanalyse SEH's en acute verloskunde 2019, as
#: quoted in DESIGN.md section 4.
RIVM_2019_BEYOND_45 = 33_000


@dataclass(frozen=True)
class FixedMinutesFit:
    """The result of :func:`calibrate_fixed_minutes`."""

    fixed_minutes: float
    beyond: int
    target_beyond: int
    curve: pd.Series  # fixed minutes → inhabitants beyond


def calibrate_fixed_minutes(
    landscape: Landscape,
    *,
    target_beyond: int = RIVM_2019_BEYOND_45,
    year: int = 2019,
    block: str = "day",
    step: float = 0.25,
    settings: Settings = DEFAULT_SETTINGS,
) -> FixedMinutesFit:
    """Fit the one free parameter of the composite, ``travel.composite_fixed_minutes``.

    The fixed minutes (dispatch and treatment on scene) shift every composite time equally, so
    the population beyond the norm is a step function of them: computed exactly from one reach
    with 0 fixed minutes. Returns the value on a ``step`` grid whose beyond count is closest to
    ``target_beyond`` and the whole curve. The count is a step function (4,067 demand points),
    so several values can tie: the middle of the tied range is returned.
    """
    from zorglandschap.landscape.state import baseline_state

    zero = settings.replace(travel={"composite_fixed_minutes": 0.0})
    base = reach(landscape, baseline_state(landscape, year), block=block, settings=zero)
    minutes = base.points["minutes"].to_numpy()
    population = base.points["population"].to_numpy()
    norm = base.minutes_norm
    grid = np.round(np.arange(0.0, 30.0 + step / 2, step), 4)
    beyond = np.array([population[minutes + f > norm].sum() for f in grid])
    distance = np.abs(beyond - target_beyond)
    tied = np.flatnonzero(distance == distance.min())
    best = int(tied[len(tied) // 2])
    curve = pd.Series(np.round(beyond).astype(int), index=pd.Index(grid, name="fixed_minutes"))
    return FixedMinutesFit(
        fixed_minutes=float(grid[best]),
        beyond=int(curve.iloc[best]),
        target_beyond=target_beyond,
        curve=curve.rename("beyond"),
    )


def _beyond(result: Reach) -> float:
    p = result.points
    return float(p.loc[p["minutes"] > result.minutes_norm, "population"].sum())


def _two_nearest(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column positions of the smallest and second-smallest value per row (ties: lowest id)."""
    if values.shape[1] == 1:
        zeros = np.zeros(values.shape[0], dtype=int)
        return zeros, zeros
    order = np.argsort(values, axis=1, kind="stable")
    return order[:, 0], order[:, 1]


def _rounded(stats: dict[str, Any]) -> dict[str, Any]:
    """JSON-friendly indicators: inhabitants as integers, minutes to 0.1, inf as None."""

    def minutes(value: float) -> float | None:
        return round(value, 1) if np.isfinite(value) else None

    return {
        "population": int(round(stats["population"])),
        "within": int(round(stats["within"])),
        "beyond": int(round(stats["beyond"])),
        "share_within": round(stats["share_within"], 5)
        if np.isfinite(stats["share_within"])
        else None,
        "mean_minutes": minutes(stats["mean_minutes"]),
        "p90_minutes": minutes(stats["p90_minutes"]),
        "max_minutes": minutes(stats["max_minutes"]),
        "unreachable": int(round(stats["unreachable"])),
    }


__all__ = [
    "BY_CHOICES",
    "REGION_LAYERS",
    "SERVICES",
    "Reach",
    "open_sites",
    "reach",
    "sensitive_sites",
    "sensitive_sites_by_recompute",
    "staffed_posts",
]
