"""Writers: results and their GIS layers to files, each written atomically.

>>> import tempfile, pathlib, geopandas as gpd
>>> from shapely.geometry import Point
>>> layer = gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(5.1, 52.1)], crs="EPSG:4326")
>>> path = save_layers({"sites": layer}, pathlib.Path(tempfile.mkdtemp()) / "out.gpkg")
>>> list(gpd.read_file(path, layer="sites")["name"])
['a']
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from zorglandschap.files import atomic_path

__all__ = ["save_layers"]


def save_layers(layers: dict[str, gpd.GeoDataFrame], path: str | Path) -> Path:
    """Write GIS layers to one GeoPackage, a layer each (folders created).

    The GeoPackage is written beside ``path`` and then moved onto it, so an existing file is
    replaced whole or, if writing fails, left as it was.
    """
    path = Path(path)
    with atomic_path(path) as temp:
        for name, frame in layers.items():
            frame.to_file(temp, layer=name, driver="GPKG")
    return path
