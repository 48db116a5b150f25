"""Fixed links across water: dams, bridges, the Westerschelde tunnel and the Wadden ferries.

The table lives in ``regions/fixed_links.csv``; every row names its source or says which values
are assumptions. :func:`load_fixed_links` reads and checks it; :func:`link_part` joins each
link's two ends to their nearest on-land nodes of the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from scipy.spatial import cKDTree

from zorglandschap.errors import DataError, problems_to_error
from zorglandschap.settings import TravelSettings
from zorglandschap.travel.land import onto_land, water_run_m
from zorglandschap.travel.parts import GraphPart
from zorglandschap.travel.speeds import link_minutes
from zorglandschap.vocab import PROFILES

#: Kinds of fixed link. ``road``: a road the proximity graph cannot see (through foreign
#: territory, or across a gap of the generalised land polygons).
LINK_KINDS: tuple[str, ...] = ("bridge", "dam", "tunnel", "ferry", "road")

#: Columns of ``fixed_links.csv``.
LINK_COLUMNS: tuple[str, ...] = (
    "link_id", "name", "kind", "road", "lon_a", "lat_a", "lon_b", "lat_b", "length_km",
    "speed_kmh", "crossing_minutes", "waiting_minutes", "source",
)  # fmt: skip

FIXED_LINKS_FILE = "fixed_links.csv"

_TO_RD = Transformer.from_crs(4326, 28992, always_xy=True)


def load_fixed_links(path: str | Path) -> pd.DataFrame:
    """Read and check a fixed-links table.

    Parameters
    ----------
    path
        A CSV file with the columns :data:`LINK_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        One row per link (index ``link_id``, sorted) with the file's columns plus the end points
        in RD New metres (``x_a``, ``y_a``, ``x_b``, ``y_b``).

    Raises
    ------
    DataError
        Listing every problem: a missing, empty or unreadable file, a missing column, and per
        row (by line and column) an empty link_id, an unknown kind, an end that is not a
        point in or near the Netherlands, a length that is not a positive number, a ferry
        without crossing or waiting minutes, a road link without speed, a row without source.
    """
    path = Path(path)
    frame = _read_links(path)
    missing = [c for c in LINK_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(
            f"{path} lacks column(s) {', '.join(missing)}; expected {', '.join(LINK_COLUMNS)}."
        )
    problems: list[str] = []
    for i, row in frame.iterrows():
        problems += _row_problems(f"{path} line {int(str(i)) + 2} ({row['link_id']})", row)
    if frame["link_id"].duplicated().any():
        dupes = sorted(set(frame.loc[frame["link_id"].duplicated(), "link_id"]))
        problems.append(f"{path}: link_id {', '.join(dupes)} is not unique.")
    problems_to_error(problems)
    x_a, y_a = _TO_RD.transform(frame["lon_a"].to_numpy(float), frame["lat_a"].to_numpy(float))
    x_b, y_b = _TO_RD.transform(frame["lon_b"].to_numpy(float), frame["lat_b"].to_numpy(float))
    frame = frame.assign(x_a=x_a, y_a=y_a, x_b=x_b, y_b=y_b)
    return frame.set_index("link_id").sort_index()


#: WGS84 box that every link end must lie in: the Netherlands with a margin (Belgian and
#: German roads next to the border). Degrees: lon_min, lon_max, lat_min, lat_max.
_LONLAT_BOX = (2.5, 7.5, 50.5, 54.0)


def _read_links(path: Path) -> pd.DataFrame:
    """The raw table, or a :class:`DataError` naming the file when it cannot be read as CSV."""
    restore = "restore it from git (regions/fixed_links.csv)"
    if not path.exists():
        raise DataError(
            f"{path} is missing. It holds the dams, bridges, tunnel and ferries of the travel "
            f"network; {restore}."
        )
    try:
        return pd.read_csv(path, dtype={"link_id": str, "road": str})
    except pd.errors.EmptyDataError:
        raise DataError(f"{path} is empty (no header, no rows); {restore}.") from None
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(
            f"{path} is not a readable UTF-8 CSV file ({reason}); {restore}, or fix the file."
        ) from None
    except OSError as exc:
        raise DataError(f"{path} cannot be read ({exc.strerror or exc}); check the path.") from None


def _number(value: object) -> float:
    """``value`` as a float, NaN when it is empty or not a number."""
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return float(number) if pd.notna(number) else float("nan")


def _row_problems(where: str, row: pd.Series) -> list[str]:
    """What is wrong with one row of the links table (empty list: nothing)."""
    problems = []
    if not isinstance(row["link_id"], str) or not row["link_id"].strip():
        problems.append(f"{where}: link_id is empty; give every link a unique id.")
    if row["kind"] not in LINK_KINDS:
        problems.append(f"{where}: kind {row['kind']!r} is not one of {', '.join(LINK_KINDS)}.")
    lon_min, lon_max, lat_min, lat_max = _LONLAT_BOX
    for column in ("lon_a", "lat_a", "lon_b", "lat_b"):
        value = _number(row[column])
        low, high = (lon_min, lon_max) if column.startswith("lon") else (lat_min, lat_max)
        if not np.isfinite(value):
            problems.append(
                f"{where}: {column} must be a number (WGS84 degrees), got {row[column]!r}."
            )
        elif not low <= value <= high:
            problems.append(
                f"{where}: {column} {value:g} lies outside the Netherlands ({low:g} to {high:g} "
                "degrees); check the coordinate (WGS84, lon then lat)."
            )
    if pd.notna(row["length_km"]) and not _number(row["length_km"]) > 0:
        problems.append(
            f"{where}: length_km must be a number of km more than 0, or empty (the distance "
            f"between the ends), got {row['length_km']!r}."
        )
    if row["kind"] == "ferry":
        for column in ("crossing_minutes", "waiting_minutes"):
            if not _number(row[column]) >= 0:
                problems.append(f"{where}: a ferry needs {column} (minutes, 0 or more).")
    elif not _number(row["speed_kmh"]) > 0:
        problems.append(f"{where}: a {row['kind']} needs speed_kmh (km/h, more than 0).")
    if not isinstance(row["source"], str) or not row["source"].strip():
        problems.append(f"{where}: source is empty; give the source or write 'assumption'.")
    return problems


@dataclass(frozen=True)
class ExpressLink:
    """A non-ferry fixed link, repeated in the express layer between the copies of its ends.

    ``end_a``/``end_b`` are node positions in the network, ``landed_a``/``landed_b`` the ends
    moved onto the land (for the express layer's on-land test) and ``edge`` the position of the
    crossing edge within its :class:`LinkPart`.
    """

    end_a: int
    end_b: int
    landed_a: np.ndarray
    landed_b: np.ndarray
    edge: int


@dataclass(frozen=True)
class LinkPart:
    """The fixed links joined to a network: their end nodes and edges, and what was left out.

    Attributes
    ----------
    part
        Per kept link, two end nodes ``link:<link_id>:a|b``, the ``snap`` edges from each end
        to its nearest on-land nodes and the crossing edge itself (with fixed minutes).
    express
        The non-ferry links, for the express layer.
    dropped
        Links left out because an end has no node on its own shore within reach.
    """

    part: GraphPart
    express: tuple[ExpressLink, ...]
    dropped: tuple[str, ...]


def _snaps(
    end: np.ndarray,
    start: np.ndarray,
    tree: cKDTree,
    on_land: np.ndarray,
    land: shapely.Geometry,
    travel: TravelSettings,
) -> list[tuple[int, float]]:
    """The ``link_snap_k`` nearest nodes reached from a link end without crossing water."""
    k = min(len(on_land), max(travel.link_snap_k * 4, 8))
    d, near = tree.query(end, k=k)
    near, d = np.atleast_1d(near), np.atleast_1d(d)
    run = water_run_m(
        land, np.repeat(start[None], len(near), 0), on_land[near], step_m=travel.land_sample_m
    )
    ok = np.flatnonzero(run <= travel.max_water_m)[: travel.link_snap_k]
    return [(int(near[j]), float(d[j])) for j in ok]


def link_part(
    links: pd.DataFrame,
    xy: np.ndarray,
    on_land: np.ndarray,
    density: np.ndarray,
    land: shapely.Geometry,
    travel: TravelSettings,
) -> LinkPart:
    """Join every fixed link to the location nodes ``xy`` (positions 0 … n-1).

    Each end (moved onto the nearest land when it lies up to ``link_snap_water_m`` off the
    generalised coast: a pier, a dike head) is joined to its ``link_snap_k`` nearest nodes on its
    own shore. Links with an end farther than ``link_snap_max_km`` from every node lie outside
    the landscape (an extract) and are skipped; links with an end that has no node on its own
    shore are reported in :attr:`LinkPart.dropped`.
    """
    node_ids: list[str] = []
    end_xy: list[np.ndarray] = []
    end_density: list[float] = []
    edges: list[tuple[int, int]] = []
    length: list[float] = []
    kind: list[str] = []
    link_id: list[str] = []
    fixed: list[dict[str, float]] = []
    express: list[ExpressLink] = []
    dropped: list[str] = []
    tree = cKDTree(xy)
    for link, row in links.iterrows():
        ends = np.array([[row["x_a"], row["y_a"]], [row["x_b"], row["y_b"]]])
        landed = onto_land(land, ends, travel.link_snap_water_m)
        dist, _ = tree.query(ends)
        if np.any(dist > travel.link_snap_max_km * 1000):
            continue
        snaps = [
            _snaps(end, start, tree, on_land, land, travel)
            for end, start in zip(ends, landed, strict=True)
        ]
        if not all(snaps):
            dropped.append(str(link))
            continue
        positions = []
        for side, end, joined in zip("ab", ends, snaps, strict=True):
            positions.append(len(xy) + len(node_ids))
            node_ids.append(f"link:{link}:{side}")
            end_xy.append(end)
            end_density.append(float(density[joined[0][0]]))
            for j, dist_m in joined:
                edges.append((positions[-1], j))
                length.append(dist_m)
                kind.append("snap")
                link_id.append(str(link))
                fixed.append({})
        straight = float(np.hypot(*(ends[1] - ends[0])))
        km = float(row["length_km"]) if pd.notna(row["length_km"]) else straight / 1000.0
        if row["kind"] != "ferry":
            express.append(
                ExpressLink(positions[0], positions[1], landed[0], landed[1], len(edges))
            )
        edges.append((positions[0], positions[1]))
        length.append(km * 1000.0)
        kind.append(str(row["kind"]))
        link_id.append(str(link))
        fixed.append(link_minutes(row, km, travel))
    part = GraphPart(
        node_ids=tuple(node_ids),
        xy=np.array(end_xy, dtype=float).reshape(-1, 2),
        density=np.array(end_density, dtype=float),
        edges=np.array(edges, dtype=np.int64).reshape(-1, 2),
        length_m=np.array(length, dtype=float),
        kind=np.array(kind, dtype=object),
        link_id=np.array(link_id, dtype=object),
        fixed={p: np.array([f.get(p, np.nan) for f in fixed], dtype=float) for p in PROFILES},
    )
    return LinkPart(part=part, express=tuple(express), dropped=tuple(sorted(dropped)))
