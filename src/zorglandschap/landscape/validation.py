"""The checks of the ``regions/`` files: every problem found is collected, none is fixed silently.

Each check appends sentences to a ``problems`` list, naming the file, the line (or the feature,
for GeoJSON), the column, the value and the fix; :func:`~zorglandschap.landscape.load_landscape`
raises one :class:`~zorglandschap.errors.DataError` listing them all. Line numbers count the
header as line 1, as an editor shows them.

>>> import pandas as pd
>>> problems: list[str] = []
>>> frame = pd.DataFrame({"pc4": ["1011"], "population": [None]})
>>> table = Table(Path("pc4.csv"), FILES["pc4.csv"], frame)
>>> _ = check_numbers(table, pd.DataFrame({"population": [""]}), problems, ["population"])
>>> problems[0]
'pc4.csv line 2 (pc4 1011): population is empty; give inhabitants, 0 or more.'
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
from pyproj import Transformer

from zorglandschap.landscape.schema import (
    AGE_BANDS,
    FILES,
    MUNICIPALITY_NUMBERS,
    MUNICIPALITY_POLYGONS,
    NL_BOUNDS,
    RD_TOLERANCE_METRES,
    FileSpec,
)
from zorglandschap.vocab import POST_AVAILABILITY, SEH_STATES, SITE_YEARS

Mask = npt.NDArray[np.bool_]

#: At most this many lines are named per file, column and kind of problem; the rest are counted.
MAX_LINES_NAMED = 5

#: The fix every message about a damaged committed file ends with.
REBUILD = "restore it from git or rebuild regions/ with `python regions/build.py`"

#: What a number in a column means, for the fix in a message.
_MEANING: dict[str, str] = {
    "lon": "the longitude in WGS84 degrees (about 3.4 to 7.2 in the Netherlands)",
    "lat": "the latitude in WGS84 degrees (about 50.8 to 53.5 in the Netherlands)",
    "x_rd": "the RD New x in metres (EPSG:28992)",
    "y_rd": "the RD New y in metres (EPSG:28992)",
    "area_km2": "the area in km², 0 or more",
    "population": "inhabitants, 0 or more",
    **dict.fromkeys(AGE_BANDS, "inhabitants, 0 or more"),
    "norm_min_per_year": "patients a year, 0 or more, or leave it blank if not known",
    "national_annual_volume": "patients a year, 0 or more, or leave it blank if not known",
}


def line_of(position: int) -> int:
    """The editor line of the row at ``position`` of a CSV file (the header is line 1)."""
    return int(position) + 2


def report(
    problems: list[str], mask: Mask, message: Callable[[int], str], *, path: Path, what: str
) -> None:
    """Append ``message(position)`` for the first rows in ``mask``; count the others in one line
    ("<path>: N more line(s) where <what>.")."""
    positions = np.flatnonzero(mask)
    problems.extend(message(int(i)) for i in positions[:MAX_LINES_NAMED])
    hidden = len(positions) - MAX_LINES_NAMED
    if hidden > 0:
        problems.append(f"{path}: {hidden} more line(s) where {what}.")


@dataclass(frozen=True)
class Table:
    """A CSV file being checked: where it is, what it should hold, what it holds."""

    path: Path
    spec: FileSpec
    frame: pd.DataFrame

    def row(self, position: int) -> str:
        """``"<path> line <n> (<id column> <id>)"``: where a problem is."""
        row_id = self.frame[self.spec.id_column].iloc[position]
        return f"{self.path} line {line_of(position)} ({self.spec.id_column} {row_id})"

    def column(self, name: str) -> npt.NDArray[np.float64]:
        """A numeric column as floats."""
        return self.frame[name].to_numpy(dtype=float)


# ------------------------------------------------------------------------------------------
# one table at a time
# ------------------------------------------------------------------------------------------


def check_not_empty(table: Table, problems: list[str]) -> bool:
    """A table needs at least one data row (a header alone is a damaged file)."""
    if len(table.frame) > 0:
        return True
    problems.append(f"{table.path} has a header but no data rows; {REBUILD}.")
    return False


def check_numbers(
    table: Table, raw: pd.DataFrame, problems: list[str], columns: Iterable[str] | None = None
) -> pd.DataFrame:
    """Turn the numeric columns of the table into numbers and check every cell.

    A cell must be a finite number (blank only where ``spec.optional`` allows it) and 0 or more
    in ``spec.non_negative``. ``raw`` holds the same columns as text exactly as in the file, so
    that a message can tell an empty cell from a word.

    Returns
    -------
    pandas.DataFrame
        The table's frame with the numeric columns converted (a bad cell becomes NaN).
    """
    frame = table.frame
    for column in table.spec.numeric if columns is None else columns:
        values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
        if np.isnan(values).any() or np.isinf(values).any():
            _check_cells(table, column, values, raw[column], problems)
        if column in table.spec.non_negative:
            _check_negative(table.row, column, values, problems, table.path)
        frame[column] = values
    return frame


def _check_negative(
    where: Callable[[int], str],
    column: str,
    values: npt.NDArray[np.float64],
    problems: list[str],
    path: Path,
) -> None:
    """Name the negative values of one column (``where(i)``: the row's place in messages)."""

    def negative(i: int) -> str:
        return f"{where(i)}: {column} is {values[i]:g}; it must be 0 or more."

    mask = np.isfinite(values) & (values < 0)
    report(problems, mask, negative, path=path, what=f"{column} is negative")


def _check_cells(
    table: Table, column: str, values: npt.NDArray[np.float64], raw: pd.Series, problems: list[str]
) -> None:
    """Name the empty, non-numeric and infinite cells of one column (``values``: NaN if bad)."""
    text = raw.astype(str).str.strip().to_numpy()
    blank, nan = text == "", np.isnan(values)
    # in an optional column a blank or an NA word ("NA", "nan") means "not found"
    optional = column in table.spec.optional
    allowed = table.frame[column].isna().to_numpy() if optional else np.zeros(len(nan), bool)
    fix = _MEANING.get(column, "a number")

    def empty(i: int) -> str:
        return f"{table.row(i)}: {column} is empty; give {fix}."

    def word(i: int) -> str:
        return f"{table.row(i)}: {column} {text[i]!r} is not a number."

    def infinite(i: int) -> str:
        return f"{table.row(i)}: {column} is {text[i]!r}, not a finite number; give {fix}."

    where = {"path": table.path}
    report(problems, nan & blank & ~allowed, empty, **where, what=f"{column} is empty")
    report(problems, nan & ~blank & ~allowed, word, **where, what=f"{column} is not a number")
    report(problems, np.isinf(values), infinite, **where, what=f"{column} is not finite")


def check_ids(table: Table, problems: list[str]) -> None:
    """Every row has an id (and a municipality code, where the file has one); ids are unique
    where the spec says so."""
    spec, frame = table.spec, table.frame
    required = dict.fromkeys([spec.id_column, *(c for c in ("gemeentecode",) if c in spec.columns)])
    for column in required:
        _check_blank_text(table, column, problems)
    ids = frame[spec.id_column]
    duplicated = ids.duplicated(keep=False) & ids.notna()
    if not spec.unique_ids or not duplicated.any():
        return
    values = sorted(set(frame.loc[duplicated, spec.id_column]))
    lines = [str(line_of(int(i))) for i in np.flatnonzero(duplicated)][:10]
    what = "is in two regions or more" if spec.name.startswith("municipality_") else "is not unique"
    problems.append(
        f"{table.path}: {spec.id_column} {', '.join(values[:5])} {what} "
        f"(lines {', '.join(lines)}); each must appear exactly once."
    )


def _check_blank_text(table: Table, column: str, problems: list[str]) -> None:
    values = table.frame[column]
    blank = values.isna().to_numpy() | (values.astype(str).str.strip() == "").to_numpy()

    def empty(i: int) -> str:
        return f"{table.path} line {line_of(i)}: {column} is empty; every row needs one."

    report(problems, blank, empty, path=table.path, what=f"{column} is empty")


# ------------------------------------------------------------------------------------------
# coordinates
# ------------------------------------------------------------------------------------------


@functools.cache
def _to_rd() -> Transformer:
    return Transformer.from_crs(4326, 28992, always_xy=True)


def _in_box(lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]) -> Mask:
    lon_min, lat_min, lon_max, lat_max = NL_BOUNDS
    return (lon >= lon_min) & (lon <= lon_max) & (lat >= lat_min) & (lat <= lat_max)


def _lon_lat_hint(lon: float, lat: float) -> str:
    if bool(_in_box(np.array([lat]), np.array([lon]))[0]):
        return "lon and lat look swapped (lon is the east coordinate, about 3.4 to 7.2)"
    return "check the coordinates (WGS84 degrees, lon first)"


def check_places(
    table: Table, problems: list[str], municipalities: gpd.GeoDataFrame | None = None
) -> None:
    """Every located row lies in the Netherlands, and its lon/lat and x_rd/y_rd agree.

    With ``municipalities``, a point must lie inside a municipality polygon; without (PC4
    points, which come from other polygons than the generalised municipalities), inside the
    country's box :data:`~zorglandschap.landscape.schema.NL_BOUNDS`. Then the lon/lat projected
    to RD New must lie within :data:`~zorglandschap.landscape.schema.RD_TOLERANCE_METRES` of
    x_rd/y_rd: the network measures distances in RD, the maps draw lon/lat. Rows with an empty
    or non-numeric coordinate are skipped (:func:`check_numbers` names them).
    """
    lon, lat = table.column("lon"), table.column("lat")
    finite = np.isfinite(lon) & np.isfinite(lat)
    if municipalities is not None:
        inside = np.zeros(len(lon), dtype=bool)
        points = gpd.points_from_xy(np.where(finite, lon, 0.0), np.where(finite, lat, 0.0))
        inside[np.unique(municipalities.sindex.query(points, predicate="intersects")[0])] = True
        where = "lies outside every Dutch municipality"
    else:
        inside = _in_box(lon, lat)
        where = "lies outside the Netherlands (lon 3.2 to 7.3, lat 50.7 to 53.7)"
    report(
        problems,
        finite & ~inside,
        lambda i: (
            f"{table.path} ({table.frame[table.spec.id_column].iloc[i]}): the point "
            f"({lon[i]:.5f}, {lat[i]:.5f}) {where} (line {line_of(i)}, columns lon, lat); "
            f"{_lon_lat_hint(lon[i], lat[i])}."
        ),
        path=table.path,
        what="the point lies outside the Netherlands",
    )
    _check_rd(table, finite & inside, problems)


def _check_rd(table: Table, located: Mask, problems: list[str]) -> None:
    """x_rd/y_rd lie within the tolerance of lon/lat projected to RD New (``located`` rows)."""
    lon, lat, x, y = (table.column(c) for c in ("lon", "lat", "x_rd", "y_rd"))
    located = located & np.isfinite(x) & np.isfinite(y)
    px, py = _to_rd().transform(np.where(located, lon, 5.0), np.where(located, lat, 52.0))
    gap = np.hypot(px - x, py - y)
    swapped = np.hypot(px - y, py - x) <= RD_TOLERANCE_METRES

    def disagree(i: int) -> str:
        fix = (
            "x_rd and y_rd look swapped."
            if swapped[i]
            else f"correct the pair that is wrong (RD New is EPSG:28992), or {REBUILD}."
        )
        return (
            f"{table.row(i)}: x_rd, y_rd ({x[i]:.0f}, {y[i]:.0f}) lie {gap[i] / 1000:.1f} km "
            f"from lon, lat ({lon[i]:.5f}, {lat[i]:.5f}), which are ({px[i]:.0f}, {py[i]:.0f}) "
            f"in RD New; {fix}"
        )

    report(
        problems,
        located & (gap > RD_TOLERANCE_METRES),
        disagree,
        path=table.path,
        what="x_rd, y_rd and lon, lat disagree",
    )


# ------------------------------------------------------------------------------------------
# the assembled landscape
# ------------------------------------------------------------------------------------------


def check_polygons(path: Path, frame: gpd.GeoDataFrame, problems: list[str]) -> None:
    """Municipality polygons: a geometry each; counts and areas finite and 0 or more."""
    codes = frame["gemeentecode"] if "gemeentecode" in frame else pd.Series("?", frame.index)

    def where(i: int) -> str:
        return f"{path} feature {i} ({codes.iloc[i]})"

    report(
        problems,
        frame.geometry.isna().to_numpy() | frame.geometry.is_empty.to_numpy(),
        lambda i: f"{where(i)}: the geometry is empty; every municipality needs its polygon.",
        path=path,
        what="the geometry is empty",
    )
    for column in (c for c in MUNICIPALITY_NUMBERS if c in frame):
        raw = frame[column]
        values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)

        def not_finite(i: int, column: str = column, raw: pd.Series = raw) -> str:
            return f"{where(i)}: {column} is {raw.iloc[i]!r}; give a finite number, 0 or more."

        what = f"{column} is not a finite number"
        report(problems, ~np.isfinite(values), not_finite, path=path, what=what)
        _check_negative(where, column, values, problems, path)


def check_memberships(
    folder: Path,
    municipalities: gpd.GeoDataFrame,
    tables: dict[str, pd.DataFrame],
    problems: list[str],
) -> None:
    """Every municipality is in exactly one ROAZ and one IZA region, and has a point."""
    codes = set(municipalities.index)
    memberships = {
        "municipality_roaz.csv": ["roaz", "roaz_name"],
        "municipality_iza.csv": ["iza", "iza42"],
        "municipality_points.csv": ["x_rd", "y_rd"],
    }
    for name, columns in memberships.items():
        table = tables[name].drop_duplicates("gemeentecode").set_index("gemeentecode")
        missing = sorted(codes - set(table.index))
        if missing:
            named = ", ".join(f"{c} ({municipalities.at[c, 'name']})" for c in missing[:5])
            what = "has no point" if name == "municipality_points.csv" else "is in no region"
            problems.append(
                f"{folder / name}: municipality {named} {what}; add a row for each "
                "(every municipality must be in exactly one region and have one point)."
            )
        extra = sorted(set(table.index) - codes)
        if extra:
            problems.append(
                f"{folder / name}: gemeentecode(s) {', '.join(extra[:5])} are not CBS 2024 "
                "municipalities; fix or remove those rows."
            )
        if name == "municipality_points.csv":
            continue  # empty coordinates are named with their line by check_numbers
        empty = table[columns].isna().any(axis=1)
        if empty.any():
            problems.append(
                f"{folder / name}: municipality {', '.join(table.index[empty][:5])} has an empty "
                f"{' or '.join(columns)}; every municipality needs a region."
            )


def check_municipality_codes(
    folder: Path,
    frames: dict[str, pd.DataFrame],
    municipalities: gpd.GeoDataFrame,
    problems: list[str],
) -> None:
    """Every point's ``gemeentecode`` is one of the municipalities."""
    for name, frame in frames.items():
        codes = set(frame["gemeentecode"].dropna())
        unknown = sorted(codes - set(municipalities.index), key=str)
        if unknown:
            problems.append(
                f"{folder / name}: gemeentecode(s) {', '.join(map(str, unknown[:5]))} are not "
                f"among the municipalities in {MUNICIPALITY_POLYGONS}; use CBS 2024 codes "
                "(GM0363)."
            )


def check_sites(folder: Path, sites: gpd.GeoDataFrame, problems: list[str]) -> None:
    """SEH states are known words; acute obstetrics and NICU are True or False (parsed here)."""
    path = folder / "sites.csv"
    for year in SITE_YEARS:
        column = f"seh_{year}"
        bad = ~sites[column].isin(SEH_STATES)
        for site_id in sites.index[bad][:MAX_LINES_NAMED]:
            problems.append(
                f"{path} (site {site_id}): {column} is {sites.at[site_id, column]!r}; "
                f"valid values: {', '.join(SEH_STATES)}."
            )
        for column in (f"av_{year}", f"nicu_{year}"):
            parsed = _parse_bool(sites[column])
            for site_id in sites.index[parsed.isna()][:MAX_LINES_NAMED]:
                problems.append(
                    f"{path} (site {site_id}): {column} is {sites.at[site_id, column]!r}; "
                    "use True or False."
                )
            sites[column] = parsed.fillna(False).astype(bool)


def check_posts(folder: Path, posts: gpd.GeoDataFrame, problems: list[str]) -> None:
    """Post availability is one of the known codes."""
    bad = ~posts["availability"].isin(POST_AVAILABILITY)
    for post_id in posts.index[bad][:MAX_LINES_NAMED]:
        problems.append(
            f"{folder / 'ambulance_posts.csv'} (post {post_id}): availability is "
            f"{posts.at[post_id, 'availability']!r}; valid values: {', '.join(POST_AVAILABILITY)}."
        )


def _parse_bool(values: pd.Series) -> pd.Series:
    mapping: dict[Any, Any] = {"true": True, "false": False, "1": True, "0": False}
    return values.map(
        lambda v: v if isinstance(v, bool | np.bool_) else mapping.get(str(v).lower())
    )


__all__ = [
    "FILES",
    "check_ids",
    "check_memberships",
    "check_municipality_codes",
    "check_not_empty",
    "check_numbers",
    "check_places",
    "check_polygons",
    "check_posts",
    "check_sites",
]
