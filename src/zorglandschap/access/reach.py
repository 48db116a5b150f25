"""Reach: the RIVM composite time from every demand point to its nearest open site.

For every PC4 demand point *i* the composite time to an open site *j* is the drive time from
the nearest ambulance post staffed in the time block to *i*, plus fixed minutes (dispatch and
on scene), plus the drive time from *i* to *j* (:func:`zorglandschap.travel.composite_minutes`).
Reach keeps the nearest and the second-nearest open site of every point (the second one makes
the sensitivity of :mod:`.sensitivity` a single pass); indicators are population-weighted.

Examples
--------
>>> from zorglandschap.landscape import load_landscape
>>> from zorglandschap.landscape.state import baseline_state
>>> nl = load_landscape().extract(roaz="ROAZ08")
>>> r = reach(nl, baseline_state(nl, 2025), service="seh", block="night")
>>> r.summary()["population"] == int(nl.pc4["population"].sum()), r.settings.access.norm_minutes
(True, 45.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd

from zorglandschap.checks import Minutes, check_value
from zorglandschap.errors import ScenarioError
from zorglandschap.indicators import travel_indicators
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.state import SiteState
from zorglandschap.result import dumps, json_number
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.travel import NETWORK_LABEL, MatrixSource, composite_minutes, source_label
from zorglandschap.vocab import BY_CHOICES, SERVICES, TIME_BLOCKS, RegionLayer, Service, TimeBlock

T = TypeVar("T", bound=str)

#: Decimals of minutes and of the share within in the reach indicators.
MINUTES_DECIMALS = 1
SHARE_DECIMALS = 5
#: A municipality is listed beyond the norm from this many inhabitants (it rounds to 1).
LISTED_FROM_INHABITANTS = 0.5


def check_choice(value: str, valid: tuple[T, ...], what: str) -> T:
    """``value`` if it is one of ``valid``; else a one-line :class:`ScenarioError` naming the
    valid choices.

    >>> check_choice("night", TIME_BLOCKS, "time block")
    'night'
    """
    if value not in valid:
        raise ScenarioError(f"Unknown {what} {value!r}; valid: {', '.join(valid)}.")
    return cast(T, value)


def open_sites(
    state: SiteState, *, service: str, block: str, settings: Settings = DEFAULT_SETTINGS
) -> list[str]:
    """Sites offering ``service`` in time ``block`` (sorted site ids).

    An SEH open 24/7 counts in every block; a limited-hours SEH in its own opening blocks
    (:meth:`~zorglandschap.landscape.state.SiteState.seh_blocks`: a scenario's hours, the
    published hours in ``settings.access.site_opening_blocks``, else
    ``settings.access.limited_hours_blocks``); a spoedpost never (no ambulance intake).
    Acute obstetrics counts in ``settings.access.av_blocks``.
    """
    check_choice(service, SERVICES, "service")
    check_choice(block, TIME_BLOCKS, "time block")
    services = state.services
    if service == "av":
        available = block in settings.access.av_blocks
        mask = services["av"].astype(bool) & available
    else:
        return state.seh_open_in(block, settings)
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
    """Reach of one service in one time block for one site state (a result, see
    :mod:`zorglandschap.result`).

    Attributes
    ----------
    state_name
        The site state it was computed for (a baseline year or a scenario's name).
    service, block
        The service (``seh``/``av``) and the time block.
    minutes_norm
        The travel-time norm in minutes.
    open_site_ids
        The sites open for ``service`` in ``block``.
    points
        Per PC4 (index): ``gemeentecode``, ``population``, ``minutes`` (composite time to the
        nearest open site, ``inf`` if none), ``site_id`` (that site), ``second_minutes`` and
        ``second_site_id`` (the next-nearest open site).
    landscape
        The landscape it was computed on.
    settings
        The settings it was computed with (a map redraws the staffed posts from them).
    layer
        The region layer of :meth:`by_region`, :meth:`tables` and :meth:`to_json` unless one is
        given.
    travel_source
        Where the travel times came from: ``network`` (the default network) or the label of
        a user source (``matrix file m.csv (minutes, as given)``).
    """

    state_name: str
    service: Service
    block: TimeBlock
    minutes_norm: float
    open_site_ids: tuple[str, ...]
    points: pd.DataFrame
    landscape: Landscape
    settings: Settings = DEFAULT_SETTINGS
    layer: RegionLayer = "roaz"
    travel_source: str = NETWORK_LABEL

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
            "regime": self.settings.travel.regime,
            "travel_source": self.travel_source,
            **rounded_indicators(stats),
        }

    def by_region(self, layer: RegionLayer | None = None) -> pd.DataFrame:
        """Indicators per region of ``layer`` (default :attr:`layer`; index: region), sorted by
        region; for ROAZ regions with their ``name``."""
        layer = check_choice(self.layer if layer is None else layer, BY_CHOICES, "--by layer")
        region = self.landscape.region_of_pc4(layer)
        rows = {}
        for name, group in self.points.groupby(region, sort=True):
            stats = travel_indicators(
                group["minutes"].to_numpy(),
                group["population"].to_numpy(),
                threshold=self.minutes_norm,
            )
            rows[name] = rounded_indicators(stats)
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

    def beyond_by_municipality(self) -> pd.Series:
        """Inhabitants beyond the norm per municipality name (index), most first; municipalities
        with fewer than :data:`LISTED_FROM_INHABITANTS` beyond are left out."""
        beyond = (
            self.beyond_points()
            .groupby("gemeentecode")["population"]
            .sum()
            .sort_values(ascending=False)
        )
        names = self.landscape.municipalities["name"]
        return pd.Series(
            {
                names[code]: int(round(pop))
                for code, pop in beyond.items()
                if pop >= LISTED_FROM_INHABITANTS
            },
            dtype=int,
            name="beyond",
        ).rename_axis("municipality")

    def tables(self) -> dict[str, pd.DataFrame]:
        """``points`` (every PC4), ``by_region`` (of :attr:`layer`), ``beyond_points`` and
        ``beyond_by_municipality``."""
        return {
            "points": self.points,
            "by_region": self.by_region(),
            "beyond_points": self.beyond_points(),
            "beyond_by_municipality": self.beyond_by_municipality().reset_index(),
        }

    def payload(self, layer: RegionLayer | None = None) -> dict[str, Any]:
        """The ``reach --json`` payload as a dict (regions of ``layer``, default :attr:`layer`)."""
        layer = self.layer if layer is None else layer
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
        return {
            **self.summary(),
            "by": layer,
            "by_region": by_region,
            "beyond_by_municipality": self.beyond_by_municipality().to_dict(),
        }

    def to_json(self, layer: RegionLayer | None = None) -> str:
        """The ``reach --json`` text: :meth:`payload` with sorted keys."""
        return dumps(self.payload(layer))


def reach(
    landscape: Landscape,
    state: SiteState,
    *,
    service: str = "seh",
    block: str = "day",
    minutes: float | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    layer: RegionLayer = "roaz",
    source: MatrixSource | None = None,
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
    settings
        The settings (blocks, posts, composite fixed minutes); kept on the result.
    layer
        The region layer the result reports by unless told otherwise.
    source
        Travel times replacing the default network (a user matrix,
        :class:`~zorglandschap.travel.MatrixFileSource`): it needs ambulance minutes from
        every PC4 to every open site and from every staffed post to every PC4.

    Raises
    ------
    ScenarioError
        For an unknown service, block or layer, or a norm that is not a positive number.
    """
    service_ = check_choice(service, SERVICES, "service")
    block_ = check_choice(block, TIME_BLOCKS, "time block")
    check_choice(layer, BY_CHOICES, "--by layer")
    norm = (
        settings.access.norm_minutes
        if minutes is None
        else float(check_value("--minutes", minutes, Minutes))
    )
    sites = [
        s
        for s in open_sites(state, service=service, block=block, settings=settings)
        if s in landscape.sites.index
    ]
    posts = staffed_posts(landscape, block=block, settings=settings)
    points = landscape.pc4[["gemeentecode", "population"]].copy()
    if sites and posts:
        matrix = composite_minutes(
            landscape, site_ids=sites, post_ids=posts, settings=settings, source=source
        )
        matrix = matrix.reindex(index=points.index, columns=sites)
        values = matrix.to_numpy(dtype=float)
    else:
        values = np.full((len(points), max(len(sites), 1)), np.inf)
        sites = sites or [""]
    _add_two_nearest(points, values, np.asarray(sites, dtype=object))
    return Reach(
        state_name=state.name,
        service=service_,
        block=block_,
        minutes_norm=norm,
        open_site_ids=tuple(s for s in sites if s),
        points=points,
        landscape=landscape,
        settings=settings,
        layer=layer,
        travel_source=source_label(source),
    )


def _add_two_nearest(points: pd.DataFrame, values: np.ndarray, sites: np.ndarray) -> None:
    """Columns ``minutes``/``site_id`` and ``second_minutes``/``second_site_id`` of ``points``
    from the points × sites ``values`` (ties: the lowest site id)."""
    rows = np.arange(len(points))
    if values.shape[1] == 1:
        points["minutes"] = values[:, 0]
        points["site_id"] = sites[np.zeros(len(points), dtype=int)]
        points["second_minutes"] = np.inf
        points["second_site_id"] = ""
        return
    order = np.argsort(values, axis=1, kind="stable")
    first, second = order[:, 0], order[:, 1]
    points["minutes"] = values[rows, first]
    points["site_id"] = sites[first]
    points["second_minutes"] = values[rows, second]
    points["second_site_id"] = sites[second]


def rounded_indicators(stats: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready indicators: inhabitants as whole numbers, minutes to 0.1, the share within to
    five decimals (:func:`~zorglandschap.result.json_number`: inf and NaN become None)."""
    return {
        "population": int(round(stats["population"])),
        "within": int(round(stats["within"])),
        "beyond": int(round(stats["beyond"])),
        "share_within": json_number(stats["share_within"], SHARE_DECIMALS),
        "mean_minutes": json_number(stats["mean_minutes"], MINUTES_DECIMALS),
        "p90_minutes": json_number(stats["p90_minutes"], MINUTES_DECIMALS),
        "max_minutes": json_number(stats["max_minutes"], MINUTES_DECIMALS),
        "unreachable": int(round(stats["unreachable"])),
    }
