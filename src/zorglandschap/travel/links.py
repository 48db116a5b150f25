"""Fixed links across water: dams, bridges, the Westerschelde tunnel and the Wadden ferries.

The table lives in ``regions/fixed_links.csv``; every row names its source or says which values
are assumptions. :func:`load_fixed_links` reads and checks it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from pyproj import Transformer

from zorglandschap.errors import DataError, problems_to_error

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
        Listing every problem: a missing file or column, an unknown kind, a ferry without
        crossing or waiting minutes, a road link without speed, a row without source.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(
            f"{path} is missing. It holds the dams, bridges, tunnel and ferries of the travel "
            "network; restore it from git (regions/fixed_links.csv)."
        )
    frame = pd.read_csv(path, dtype={"link_id": str, "road": str})
    missing = [c for c in LINK_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(
            f"{path} lacks column(s) {', '.join(missing)}; expected {', '.join(LINK_COLUMNS)}."
        )
    problems: list[str] = []
    for i, row in frame.iterrows():
        where = f"{path} line {int(str(i)) + 2} ({row['link_id']})"
        if row["kind"] not in LINK_KINDS:
            problems.append(f"{where}: kind {row['kind']!r} is not one of {', '.join(LINK_KINDS)}.")
        for column in ("lon_a", "lat_a", "lon_b", "lat_b"):
            if not np.isfinite(pd.to_numeric(row[column], errors="coerce")):
                problems.append(f"{where}: {column} must be a number (WGS84 degrees).")
        if row["kind"] == "ferry":
            for column in ("crossing_minutes", "waiting_minutes"):
                if not pd.to_numeric(row[column], errors="coerce") >= 0:
                    problems.append(f"{where}: a ferry needs {column} (minutes, 0 or more).")
        elif not pd.to_numeric(row["speed_kmh"], errors="coerce") > 0:
            problems.append(f"{where}: a {row['kind']} needs speed_kmh (km/h, more than 0).")
        if not isinstance(row["source"], str) or not row["source"].strip():
            problems.append(f"{where}: source is empty; give the source or write 'assumption'.")
    if frame["link_id"].duplicated().any():
        dupes = sorted(set(frame.loc[frame["link_id"].duplicated(), "link_id"]))
        problems.append(f"{path}: link_id {', '.join(dupes)} is not unique.")
    problems_to_error(problems)
    x_a, y_a = _TO_RD.transform(frame["lon_a"].to_numpy(float), frame["lat_a"].to_numpy(float))
    x_b, y_b = _TO_RD.transform(frame["lon_b"].to_numpy(float), frame["lat_b"].to_numpy(float))
    frame = frame.assign(x_a=x_a, y_a=y_a, x_b=x_b, y_b=y_b)
    return frame.set_index("link_id").sort_index()
