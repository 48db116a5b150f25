"""Travel-time matrices (demand × sites, posts × demand), the disk cache and the RIVM composite."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from zorglandschap.errors import ScenarioError
from zorglandschap.settings import DEFAULT_SETTINGS, Settings, composite_parameters
from zorglandschap.travel.cache import read_matrix, write_matrix
from zorglandschap.travel.sources import DefaultNetworkSource, MatrixSource
from zorglandschap.travel.speeds import check_profile, scaled_ambulance

#: Bumped when the cache key or file layout changes (2: checked files, :mod:`.cache`).
CACHE_VERSION = "2"


def default_cache_dir() -> Path:
    """``$ZORGLANDSCHAP_CACHE`` if set, else ``~/.cache/zorglandschap``."""
    env = os.environ.get("ZORGLANDSCHAP_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "zorglandschap"


def travel_matrix(
    source: MatrixSource,
    origins: Sequence[str],
    destinations: Sequence[str],
    *,
    profile: str,
    cache: bool = True,
    cache_dir: str | Path | None = None,
) -> np.ndarray:
    """Minutes from each origin to each destination, read from or written to the disk cache.

    The cache key hashes the source's fingerprint (its inputs and constants), the profile and
    the origin and destination ids. A cached matrix is used only when it passes every check of
    :func:`~zorglandschap.travel.cache.read_matrix` (header, dtype, shape, the key, checksum,
    finite minutes); otherwise it is recomputed and rewritten atomically, with one line on
    stderr.
    """
    check_profile(profile)
    if not cache or not getattr(source, "cacheable", True):
        return source.minutes(origins, destinations, profile=profile)
    h = hashlib.sha256(f"travel-matrix-{CACHE_VERSION}-{profile}".encode())
    h.update(source.fingerprint(profile).encode())
    h.update(("\n".join(origins) + "\x00" + "\n".join(destinations)).encode())
    key = h.hexdigest()
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = folder / f"travel-{key[:40]}.matrix"
    cached = read_matrix(path, inputs=key, shape=(len(origins), len(destinations)))
    if cached is not None:
        return cached
    matrix = source.minutes(origins, destinations, profile=profile)
    write_matrix(path, matrix, inputs=key)
    return matrix


def _ids(table: pd.DataFrame, wanted: Sequence[str] | None, what: str) -> list[str]:
    available = [str(i) for i in table.index]
    if wanted is None:
        return sorted(available)
    wanted = [str(w) for w in wanted]
    unknown = sorted(set(wanted) - set(available))
    if unknown:
        raise ScenarioError(
            f"Unknown {what} id(s) {', '.join(unknown[:5])}; valid ids are the index of the "
            f"landscape's {what} table, e.g. {', '.join(sorted(available)[:3])}."
        )
    return sorted(set(wanted))


def _source(landscape: Any, settings: Settings, source: MatrixSource | None) -> MatrixSource:
    return source if source is not None else DefaultNetworkSource(landscape, settings)


def demand_site_minutes(
    landscape: Any,
    profile: str = "ambulance",
    *,
    sites: Sequence[str] | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    source: MatrixSource | None = None,
    cache: bool = True,
    cache_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Minutes from every PC4 demand point to each site.

    Parameters
    ----------
    landscape
        The landscape (or an extract).
    profile
        ``"ambulance"`` (siren) or ``"car"``.
    sites
        Site ids (default all sites of the landscape).
    settings
        Constants of the default network.
    source
        A :class:`MatrixSource` replacing the default network (a matrix file, a road graph).
    cache, cache_dir
        Use the disk cache (default ``$ZORGLANDSCHAP_CACHE`` or ``~/.cache/zorglandschap``).

    Returns
    -------
    pandas.DataFrame
        Index ``pc4`` (sorted), one column per site id (sorted), minutes.

    Examples
    --------
    >>> from zorglandschap.landscape import load_landscape
    >>> utrecht = load_landscape().extract(roaz="ROAZ08")
    >>> m = demand_site_minutes(utrecht, "car", cache=False)
    >>> m.shape == (len(utrecht.pc4), len(utrecht.sites))
    True
    """
    site_ids = _ids(landscape.sites, sites, "site")
    pc4 = sorted(str(p) for p in landscape.pc4.index)
    source = _source(landscape, settings, source)
    return _labelled(
        source, "pc4", pc4, "site", site_ids, profile=profile, cache=cache, cache_dir=cache_dir
    )


def post_demand_minutes(
    landscape: Any,
    profile: str = "ambulance",
    *,
    posts: Sequence[str] | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    source: MatrixSource | None = None,
    cache: bool = True,
    cache_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Minutes from each ambulance post to every PC4 demand point.

    Returns
    -------
    pandas.DataFrame
        Index ``post_id`` (sorted), one column per PC4 (sorted), minutes. Other parameters as
        in :func:`demand_site_minutes`.
    """
    post_ids = _ids(landscape.posts, posts, "post")
    pc4 = sorted(str(p) for p in landscape.pc4.index)
    source = _source(landscape, settings, source)
    return _labelled(
        source, "post", post_ids, "pc4", pc4, profile=profile, cache=cache, cache_dir=cache_dir
    )


def _labelled(
    source: MatrixSource,
    row_kind: str,
    row_ids: list[str],
    column_kind: str,
    column_ids: list[str],
    *,
    profile: str,
    cache: bool,
    cache_dir: str | Path | None,
) -> pd.DataFrame:
    """A cached matrix between two kinds of node, as a frame labelled by their ids."""
    matrix = travel_matrix(
        source,
        [f"{row_kind}:{i}" for i in row_ids],
        [f"{column_kind}:{i}" for i in column_ids],
        profile=profile,
        cache=cache,
        cache_dir=cache_dir,
    )
    names = {"pc4": "pc4", "site": "site_id", "post": "post_id"}
    frame = pd.DataFrame(matrix, index=pd.Index(row_ids, name=names[row_kind]), columns=column_ids)
    frame.columns.name = names[column_kind]
    return frame


def composite_minutes(
    landscape: Any,
    *,
    site_ids: Sequence[str],
    post_ids: Sequence[str],
    settings: Settings = DEFAULT_SETTINGS,
    source: MatrixSource | None = None,
    cache: bool = True,
    cache_dir: str | Path | None = None,
) -> pd.DataFrame:
    """The RIVM 45-minute composite time from every PC4 to each SEH, for one time block.

    For demand point *i* and SEH *j*: ambulance (siren) minutes from the nearest of the given
    posts to *i*, plus the fixed minutes (dispatch and treatment on scene), plus ambulance
    minutes from *i* to *j*. The fixed minutes and the ambulance speed factor are those of the
    calibration regime ``settings.travel.regime`` (or its overrides,
    :func:`~zorglandschap.settings.composite_parameters`): every ambulance driving speed of
    the default network is multiplied by the factor
    (:func:`~zorglandschap.travel.speeds.scaled_ambulance`). A given ``source`` (a user
    matrix, a road graph) is used as given: the regime's fixed minutes are added to its
    times, the speed factor (a calibration of the default network) is not applied. The
    caller passes the SEHs open and the posts available in the time block.

    Returns
    -------
    pandas.DataFrame
        Index ``pc4`` (sorted), one column per site id (sorted), minutes.

    Raises
    ------
    ScenarioError
        If no post is given, or an id is unknown.

    Examples
    --------
    >>> from zorglandschap.landscape import load_landscape
    >>> from zorglandschap.settings import composite_parameters
    >>> utrecht = load_landscape().extract(roaz="ROAZ08")
    >>> c = composite_minutes(utrecht, site_ids=list(utrecht.sites.index),
    ...                       post_ids=list(utrecht.posts.index), cache=False)
    >>> fixed, _ = composite_parameters(DEFAULT_SETTINGS.travel)
    >>> bool((c.min(axis=1) >= fixed).all())
    True
    """
    if len(post_ids) == 0:
        raise ScenarioError(
            "composite_minutes needs at least one ambulance post available in the time block."
        )
    fixed, factor = composite_parameters(settings.travel)
    if factor != 1.0 and source is None:
        drive = dataclasses.replace(settings, travel=scaled_ambulance(settings.travel, factor))
    else:
        drive = settings
    to_site = demand_site_minutes(
        landscape, "ambulance", sites=site_ids, settings=drive, source=source, cache=cache,
        cache_dir=cache_dir,
    )  # fmt: skip
    from_post = post_demand_minutes(
        landscape, "ambulance", posts=post_ids, settings=drive, source=source, cache=cache,
        cache_dir=cache_dir,
    )  # fmt: skip
    response = from_post.min(axis=0).reindex(to_site.index)
    return to_site.add(response + fixed, axis=0)


def network_matrix(
    landscape: Any,
    profile: str = "ambulance",
    *,
    settings: Settings = DEFAULT_SETTINGS,
    cache: bool = True,
    cache_dir: str | Path | None = None,
) -> pd.DataFrame:
    """The default network's minutes in the user-matrix format (``--matrix``): a row per PC4
    (bare codes), a column per site (bare ids) and, for the ambulance, a column per post
    (``post:<post_id>``: its minutes to each PC4); for the car, a row per site too
    (``site:<site_id>``: site → site minutes, which ``spread`` asks for the receiving SEHs).

    The ambulance minutes are driven at the regime's speed factor, so that the file read back
    with ``--matrix`` gives the network's figures in that regime (a user matrix is used as
    given). A template for a matrix of one's own, and a check of the format.

    Examples
    --------
    >>> from zorglandschap.landscape import load_landscape
    >>> utrecht = load_landscape().extract(roaz="ROAZ08")
    >>> m = network_matrix(utrecht, cache=False)
    >>> m.shape == (len(utrecht.pc4), len(utrecht.sites) + len(utrecht.posts))
    True
    >>> network_matrix(utrecht, "car", cache=False).shape == (
    ...     len(utrecht.pc4) + len(utrecht.sites), len(utrecht.sites))
    True
    """
    check_profile(profile)
    _, factor = composite_parameters(settings.travel)
    drive = settings
    if profile == "ambulance" and factor != 1.0:
        drive = dataclasses.replace(settings, travel=scaled_ambulance(settings.travel, factor))
    to_site = demand_site_minutes(
        landscape, profile, settings=drive, cache=cache, cache_dir=cache_dir
    )
    frame = to_site.copy()
    if profile == "ambulance":
        from_post = post_demand_minutes(
            landscape, profile, settings=drive, cache=cache, cache_dir=cache_dir
        )
        posts = from_post.T.reindex(to_site.index)
        posts.columns = [f"post:{p}" for p in posts.columns]
        frame = pd.concat([frame, posts], axis=1)
    else:
        sites = [f"site:{s}" for s in frame.columns]
        between = travel_matrix(
            _source(landscape, drive, None), sites, sites, profile=profile, cache=cache,
            cache_dir=cache_dir,
        )  # fmt: skip
        frame = pd.concat([frame, pd.DataFrame(between, index=sites, columns=frame.columns)])
    frame.index.name = "pc4"
    frame.columns.name = None
    return frame
