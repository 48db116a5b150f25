"""The real travel times the default network is checked against, lined up with its node ids.

Three references from ``shared/data`` (used here only; never copied into the project):

* the RAV Utrecht PC4 × PC4 **ambulance siren** matrix (ELASPY, 2022, GPL-3):
  ``elaspy_utrecht_traveltimes/siren_driving_matrix_2022.csv``;
* the 30- and 25-minute **car** drive-time polygons (openrouteservice) around the 89 RIVM 2019
  hospital locations: ``rivm_seh_av_2019/aanrijden_{30,25}min_ors.geojson``;
* the 15-minute **car** drive-time polygons (OSRM) around the 280 ambulance posts:
  ``rivm_ambulanceposten_2019/ambulancesbereik_15min_osrm.geojson``.

:func:`load_reference` reads them; :mod:`zorglandschap.travel.calibration` scores and fits.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from zorglandschap.errors import DataError

SIREN_MATRIX = "elaspy_utrecht_traveltimes/siren_driving_matrix_2022.csv"
HOSPITAL_ISOCHRONES = {
    30: "rivm_seh_av_2019/aanrijden_30min_ors.geojson",
    25: "rivm_seh_av_2019/aanrijden_25min_ors.geojson",
}
POST_ISOCHRONES = "rivm_ambulanceposten_2019/ambulancesbereik_15min_osrm.geojson"
POST_POINTS = "rivm_ambulanceposten_2019/ambulancestandplaatsen_2019.geojson"

#: PC4 points farther (straight line) than this from the centre are not scored, km: at most
#: a 120 km/h motorway drive in the time limit, so nothing beyond it can be inside.
_RING_KM_PER_MINUTE = 2.0


def default_shared_data() -> Path:
    """``$ZORGLANDSCHAP_SHARED_DATA``, else ``../shared/data`` next to the source checkout."""
    env = os.environ.get("ZORGLANDSCHAP_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[4] / "shared" / "data"


@dataclass(frozen=True)
class Reference:
    """The real travel times, lined up with the landscape's node ids."""

    siren_origins: list[str]
    siren_minutes: np.ndarray  # shape (k, k), row/col order of siren_origins
    isochrones: dict[str, list[tuple[str, np.ndarray, np.ndarray]]]
    """name → [(centre node id, scored PC4 node ids, inside polygon flags)]"""
    unmatched: dict[str, int]
    #: Inhabitants of every PC4 of the landscape, by node id (``pc4:<code>``).
    population: pd.Series | None = None
    #: Centres (``site:<id>``) of the 30-minute polygons that offered acute obstetrics (AV) in
    #: 2019, the year of the polygons.
    av_centres: tuple[str, ...] = ()


def _require(path: Path) -> Path:
    if not path.exists():
        raise DataError(
            f"Calibration data {path} is missing. Calibration needs the shared source data "
            "(../shared/data next to the checkout); pass its folder with --data or set "
            "ZORGLANDSCHAP_SHARED_DATA. Everything else works without it."
        )
    return path


def _post_polygons(landscape: Any, root: Path) -> tuple[gpd.GeoDataFrame, list[str | None]]:
    """The 15-minute post polygons with their centres (``_cxy``) and matched post node ids.

    Each polygon names its post (``Standplaats``, ``Postcode``); the post's point comes from
    the post list, and the landscape's post within 500 m of it is the centre (None if none).
    """
    polygons = gpd.read_file(_require(root / POST_ISOCHRONES))
    points = gpd.read_file(_require(root / POST_POINTS)).to_crs(28992)
    key = ["Standplaats", "Postcode"]
    where = {
        tuple(r): (g.x, g.y)
        for r, g in zip(points[key].itertuples(index=False), points.geometry, strict=True)
    }
    polygons["_cxy"] = [where.get(tuple(r)) for r in polygons[key].itertuples(index=False)]
    post_tree = cKDTree(landscape.posts[["x_rd", "y_rd"]].to_numpy(float))
    centres: list[str | None] = []
    for cxy in polygons["_cxy"]:
        if cxy is None:
            centres.append(None)
            continue
        d, j = post_tree.query(cxy)
        centres.append(f"post:{landscape.posts.index[j]}" if d < 500 else None)
    polygons["_cxy"] = [c if c is not None else (np.nan, np.nan) for c in polygons["_cxy"]]
    return polygons, centres


def load_reference(landscape: Any, data: str | Path | None = None) -> Reference:
    """Read the three references and line them up with the landscape's PC4s, sites and posts.

    Raises
    ------
    DataError
        If a reference file is missing (naming it and how to point at the data).
    """
    root = Path(data) if data is not None else default_shared_data()
    siren = pd.read_csv(_require(root / SIREN_MATRIX), index_col=0)
    siren.index = siren.index.astype(str).str.zfill(4)
    siren.columns = siren.columns.astype(str).str.zfill(4)
    known = [p for p in siren.index if p in set(landscape.pc4.index) and p in set(siren.columns)]
    unmatched = {"siren_pc4_not_in_landscape": len(siren) - len(known)}
    siren_minutes = siren.loc[known, known].to_numpy(float)

    pc4 = landscape.pc4
    pc4_xy = pc4[["x_rd", "y_rd"]].to_numpy(float)
    pc4_ids = np.array([f"pc4:{p}" for p in pc4.index])
    pc4_points = shapely.points(pc4_xy)
    isochrones: dict[str, list[tuple[str, np.ndarray, np.ndarray]]] = {}

    def score_sets(
        polygons: gpd.GeoDataFrame, centres: list[str | None], minutes: int
    ) -> list[tuple[str, np.ndarray, np.ndarray]]:
        out = []
        radius = _RING_KM_PER_MINUTE * minutes * 1000
        tree = cKDTree(pc4_xy)
        geoms = polygons.to_crs(28992).geometry.to_numpy()
        for centre, geom, cxy in zip(centres, geoms, polygons["_cxy"], strict=True):
            if centre is None or geom is None:
                continue
            near = np.array(sorted(tree.query_ball_point(cxy, radius)), dtype=np.int64)
            inside = shapely.contains(geom, pc4_points[near])
            out.append((centre, pc4_ids[near], inside))
        return out

    site_xy = landscape.sites[["x_rd", "y_rd"]].to_numpy(float)
    site_tree = cKDTree(site_xy)
    for minutes, name in HOSPITAL_ISOCHRONES.items():
        polygons = gpd.read_file(_require(root / name))
        lonlat = np.array(list(polygons["center"]), dtype=float)
        cxy = gpd.GeoSeries(gpd.points_from_xy(lonlat[:, 0], lonlat[:, 1]), crs=4326).to_crs(28992)
        polygons["_cxy"] = list(zip(cxy.x, cxy.y, strict=True))
        dist, nearest = site_tree.query(np.array(polygons["_cxy"].tolist()))
        centres: list[str | None] = [
            f"site:{landscape.sites.index[j]}" if d < 500 else None
            for d, j in zip(dist, nearest, strict=True)
        ]
        unmatched[f"isochrone{minutes}_sites_unmatched"] = sum(c is None for c in centres)
        isochrones[f"isochrone{minutes}"] = score_sets(polygons, centres, minutes)

    polygons, centres = _post_polygons(landscape, root)
    unmatched["isochrone15_posts_unmatched"] = sum(c is None for c in centres)
    isochrones["isochrone15"] = score_sets(polygons, centres, 15)
    av_2019 = landscape.sites["av_2019"].astype(bool)
    av_centres = tuple(
        centre for centre, _, _ in isochrones["isochrone30"] if av_2019[centre.split(":", 1)[1]]
    )
    return Reference(
        siren_origins=[f"pc4:{p}" for p in known],
        siren_minutes=siren_minutes,
        isochrones=isochrones,
        unmatched=unmatched,
        population=pd.Series(pc4["population"].to_numpy(float), index=pc4_ids),
        av_centres=av_centres,
    )
