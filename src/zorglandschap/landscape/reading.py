"""Reading ``regions/``: find the folder, read the CSV and GeoJSON files, assemble a landscape.

:func:`load_landscape` reads every file described in :mod:`.schema`, runs the checks of
:mod:`.validation` and raises one :class:`~zorglandschap.errors.DataError` listing every
problem, or returns a :class:`~zorglandschap.landscape.model.Landscape`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

from zorglandschap.errors import DataError, problems_to_error
from zorglandschap.landscape.model import Landscape
from zorglandschap.landscape.schema import (
    FILES,
    MUNICIPALITY_ATTRIBUTES,
    MUNICIPALITY_POLYGONS,
    FileSpec,
)
from zorglandschap.landscape.validation import (
    REBUILD,
    Table,
    check_ids,
    check_memberships,
    check_municipality_codes,
    check_not_empty,
    check_numbers,
    check_places,
    check_polygons,
    check_posts,
    check_sites,
)

#: The tables of located places, with the id column that becomes their index.
_PLACES = {
    "pc4.csv": "pc4",
    "sites.csv": "site_id",
    "clinics.csv": "clinic_id",
    "ambulance_posts.csv": "post_id",
}


def default_regions_dir() -> Path:
    """Where the embedded data lives.

    In order: ``$ZORGLANDSCHAP_REGIONS``; ``regions/`` of the source checkout this package runs
    from; ``<prefix>/share/zorglandschap/regions`` of an installed wheel.
    """
    env = os.environ.get("ZORGLANDSCHAP_REGIONS")
    if env:
        return Path(env)
    checkout = Path(__file__).resolve().parents[3] / "regions"
    if (checkout / "pc4.csv").exists():
        return checkout
    installed = Path(sys.prefix) / "share" / "zorglandschap" / "regions"
    if installed.exists():
        return installed
    return checkout


def load_landscape(path: str | Path | None = None) -> Landscape:
    """Load and validate the embedded Netherlands (or a folder with the same files).

    Parameters
    ----------
    path
        Folder holding the ``regions/`` files; default :func:`default_regions_dir`.

    Raises
    ------
    DataError
        Listing every problem found: a missing, malformed or empty file, a missing column, an
        empty cell or a value that is not a finite number, a negative population, a
        municipality in two regions or none, a point outside the Netherlands or whose lon/lat
        and RD coordinates disagree (swapped). Each names the file, the line, the column and
        the fix.
    """
    folder = Path(path) if path is not None else default_regions_dir()
    if not folder.is_dir():
        raise DataError(
            f"Data folder {folder} does not exist. Pass the folder that holds the regions/ files, "
            "or rebuild them with `python regions/build.py` from a checkout with ../shared/data."
        )
    problems: list[str] = []
    tables = {name: read_table(folder, spec, problems) for name, spec in FILES.items()}
    polygons = read_polygons(folder / MUNICIPALITY_POLYGONS, problems)
    problems_to_error(problems)  # nothing further can be checked without the files

    municipalities = assemble_municipalities(polygons, tables)
    check_memberships(folder, municipalities, tables, problems)
    for name in ("municipality_points.csv", "pc4.csv"):  # PC4 points: in the country's box
        check_places(Table(folder / name, FILES[name], tables[name]), problems)
    for name in ("sites.csv", "ambulance_posts.csv", "clinics.csv"):  # in a municipality
        check_places(Table(folder / name, FILES[name], tables[name]), problems, municipalities)
    points = {name: _points(tables[name], id_column) for name, id_column in _PLACES.items()}
    check_sites(folder, points["sites.csv"], problems)
    check_posts(folder, points["ambulance_posts.csv"], problems)
    check_municipality_codes(folder, points, municipalities, problems)
    problems_to_error(problems)

    return Landscape(
        municipalities=municipalities,
        pc4=points["pc4.csv"],
        sites=points["sites.csv"],
        clinics=points["clinics.csv"],
        posts=points["ambulance_posts.csv"],
        norms=tables["norms.csv"].set_index("intervention_id"),
        providers=tables["complex_care_providers.csv"].fillna({"site_ids": ""}),
        roaz_regions=tables["roaz_regions.csv"].set_index("roaz"),
        source=folder,
    )


def read_table(folder: Path, spec: FileSpec, problems: list[str]) -> pd.DataFrame:
    """One CSV file of ``regions/``, its numbers converted and its cells checked.

    Returns an empty frame (and appends the problem) when the file is missing, unreadable,
    lacks a column or has no rows: nothing more can be checked in it then.
    """
    path = folder / spec.name
    if not path.exists():
        problems.append(
            f"{path} is missing. Rebuild the embedded data with `python regions/build.py`, "
            "or point ZORGLANDSCHAP_REGIONS at a folder that has it."
        )
        return pd.DataFrame()
    dtypes = dict.fromkeys(("gemeentecode", *spec.text_ids, spec.id_column), str)
    try:
        frame = pd.read_csv(path, dtype=dtypes, keep_default_na=True)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        problems.append(f"{path} is not a readable CSV file ({exc}); {REBUILD}.")
        return pd.DataFrame()
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        problems.append(
            f"{path} lacks column(s) {', '.join(missing)}; expected at least: "
            f"{', '.join(spec.columns)}."
        )
        return pd.DataFrame()
    table = Table(path, spec, frame)
    if not check_not_empty(table, problems):
        return pd.DataFrame()
    # the same cells as text, to tell an empty cell from a word in a message
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=list(spec.numeric))
    frame = check_numbers(table, raw, problems)
    check_ids(table, problems)
    return frame


def read_polygons(path: Path, problems: list[str]) -> gpd.GeoDataFrame:
    """The municipality polygons, with their attributes checked."""
    if not path.exists():
        problems.append(
            f"{path} is missing. Rebuild the embedded data with `python regions/build.py`."
        )
        return gpd.GeoDataFrame()
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several error types for a broken file
        problems.append(
            f"{path} is not a readable GeoJSON file ({exc}); restore it from git or rebuild it."
        )
        return gpd.GeoDataFrame()
    missing = [c for c in MUNICIPALITY_ATTRIBUTES if c not in frame.columns]
    if missing:
        problems.append(f"{path} lacks column(s) {', '.join(missing)}.")
    if frame.empty:
        problems.append(f"{path} holds no municipalities; {REBUILD}.")
        return frame
    check_polygons(path, frame, problems)
    return frame


def assemble_municipalities(
    polygons: gpd.GeoDataFrame, tables: dict[str, pd.DataFrame]
) -> gpd.GeoDataFrame:
    """The municipality polygons with their ROAZ and IZA regions and RD point joined on."""
    municipalities = polygons.set_index("gemeentecode").sort_index()
    memberships = {
        "municipality_roaz.csv": ["roaz", "roaz_name"],
        "municipality_iza.csv": ["iza", "iza42"],
        "municipality_points.csv": ["x_rd", "y_rd"],
    }
    for name, columns in memberships.items():
        table = tables[name].drop_duplicates("gemeentecode").set_index("gemeentecode")
        for column in columns:
            municipalities[column] = table[column].reindex(municipalities.index)
    return municipalities


def _points(frame: pd.DataFrame, id_column: str) -> gpd.GeoDataFrame:
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=4326).set_index(id_column).sort_index()
