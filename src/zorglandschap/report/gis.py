"""Results as GeoPackage layers for QGIS: sites, regions and demand points with the result's
columns, built on :mod:`zorglandschap.report.layers` and written by
:func:`~zorglandschap.report.writers.save_layers`.

- :func:`reach_layers`: a reach (or a sensitivity) — ``municipalities`` (mean minutes, people
  beyond), ``sites`` (state, open, people served, extra beyond if it closes) and ``demand``
  (every PC4 point with its minutes and nearest site);
- :func:`run_layers`: a scenario run — ``sites``, ``regions_<layer>`` per ``[reach] by``
  layer and ``demand``, each with a column per reach (``seh_night_beyond``,
  ``seh_night_beyond_baseline``, ...), the concentration plan's ``plan_municipalities``,
  ``plan_flows`` and ``plan_sites``, and the spreading plan's ``spreading_sites`` (what each
  SEH is in each block, today and with the plan) and ``spreading_regions`` (ROAZ regions with
  per block the SEHs taking ambulances, people beyond the norm and mean minutes, today and
  with the plan).

Every layer is in EPSG:4326.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from zorglandschap.report.layers import concentration_layers, reach_municipalities, reach_sites
from zorglandschap.report.writers import save_layers
from zorglandschap.vocab import TIME_BLOCKS

if TYPE_CHECKING:
    from zorglandschap.access import Reach, Sensitivity
    from zorglandschap.landscape import Landscape
    from zorglandschap.landscape.state import SiteState
    from zorglandschap.optimise.spreading import SpreadingResult
    from zorglandschap.report.run_result import ScenarioRun

__all__ = ["reach_layers", "run_layers", "spreading_layers", "write_layers", "write_result_file"]

#: The per-region columns of a run's region layers (from its ``<service>_<block>_<layer>``
#: tables), prefixed with the service and block.
_REGION_COLUMNS = (
    "population",
    "beyond",
    "beyond_baseline",
    "beyond_change",
    "share_within",
    "mean_minutes",
    "mean_minutes_baseline",
    "mean_minutes_change",
    "p90_minutes",
    "p90_minutes_baseline",
)


def _demand_points(landscape: Landscape, columns: pd.DataFrame) -> gpd.GeoDataFrame:
    """PC4 points with ``columns`` (index pc4)."""
    points = landscape.pc4[["geometry"]].join(columns, how="left")
    points = points.reset_index().rename(columns={"index": "pc4"})
    return gpd.GeoDataFrame(points, geometry="geometry", crs=landscape.pc4.crs)


def reach_layers(
    result: Reach, state: SiteState, *, sensitive: pd.DataFrame | None = None
) -> dict[str, gpd.GeoDataFrame]:
    """A reach as layers ``municipalities``, ``sites`` and ``demand`` (see the module
    docstring); ``sensitive`` (:func:`~zorglandschap.access.sensitive_sites`) fills the sites'
    ``extra_beyond``."""
    p = result.points
    demand = p[["gemeentecode", "population", "minutes", "site_id"]].copy()
    demand["minutes"] = demand["minutes"].where(demand["minutes"] < float("inf"))
    demand["beyond"] = p["minutes"] > result.minutes_norm
    return {
        "municipalities": reach_municipalities(result),
        "sites": reach_sites(result, state, sensitive=sensitive),
        "demand": _demand_points(result.landscape, demand),
    }


def _region_polygons(landscape: Landscape, layer: str) -> gpd.GeoDataFrame:
    if layer == "municipality":
        frame = landscape.municipalities[["name", "geometry"]].reset_index()
        return gpd.GeoDataFrame(frame.set_index("name"), geometry="geometry", crs=frame.crs)
    return landscape.region_layer(layer)[["geometry"]]  # type: ignore[arg-type]


def _run_regions(run: ScenarioRun, tables: dict[str, pd.DataFrame]) -> dict[str, gpd.GeoDataFrame]:
    layers = {}
    for layer in [] if run.reach_question is None else run.reach_question.by:
        frame = _region_polygons(run.landscape, layer)
        for pair in run.reaches:
            table = tables[f"{pair.key}_{layer}"]
            if "name" in table and "name" not in frame:
                frame = frame.join(table[["name"]])
            for column in _REGION_COLUMNS:
                frame[f"{pair.key}_{column}"] = table[column].reindex(frame.index).to_numpy()
        frame.index.name = layer
        layers[f"regions_{layer}"] = gpd.GeoDataFrame(frame.reset_index(), crs="EPSG:4326")
    return layers


def _run_sites(run: ScenarioRun) -> gpd.GeoDataFrame:
    sites = run.landscape.sites
    after = run.scenario.state.services.reindex(sites.index)
    before = run.baseline.services.reindex(sites.index)
    frame = pd.DataFrame(
        {
            "name": sites["name"],
            "roaz": sites["roaz"],
            "seh": after["seh"].astype(str),
            "seh_baseline": before["seh"].astype(str),
            "av": after["av"].astype(bool),
            "av_baseline": before["av"].astype(bool),
        },
        index=sites.index,
    )
    frame["changed"] = (frame["seh"] != frame["seh_baseline"]) | (
        frame["av"] != frame["av_baseline"]
    )
    for pair in run.reaches:
        open_ids = set(pair.after.open_site_ids)
        frame[f"{pair.key}_open"] = [s in open_ids for s in frame.index]
        served = pair.after.points.groupby("site_id")["population"].sum()
        frame[f"{pair.key}_serves"] = served.reindex(frame.index).fillna(0).round().astype(int)
    for sensitive in run.sensitivities:
        for label, result in (("", sensitive.after), ("_baseline", sensitive.before)):
            extra = result.sites["extra_beyond"].reindex(frame.index).fillna(0).astype(int)
            frame[f"sensitive_{sensitive.key}_extra_beyond{label}"] = extra
    if run.concentration is not None and run.concentration.has_plan:
        offers = run.concentration.sites[run.concentration.sites["offers"].astype(bool)]
        offered = offers.groupby("site_id")["intervention"].apply(lambda s: ", ".join(sorted(s)))
        frame["plan_offers"] = offered.reindex(frame.index).fillna("")
    frame = frame.rename_axis("site_id").reset_index()
    points = gpd.points_from_xy(sites["lon"].to_numpy(), sites["lat"].to_numpy())
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")


def spreading_layers(result: SpreadingResult, landscape: Landscape) -> dict[str, gpd.GeoDataFrame]:
    """A spreading plan as layers ``spreading_sites`` and ``spreading_regions`` (see the
    module docstring)."""
    tables = result.tables()
    sites = tables["sites"].set_index("site_id")
    where = landscape.sites.reindex(sites.index)
    points = gpd.points_from_xy(where["lon"].to_numpy(), where["lat"].to_numpy())
    site_layer = gpd.GeoDataFrame(sites.reset_index(), geometry=points, crs="EPSG:4326")
    regions = tables["regions"]
    values = ["open_today", "open_plan", "beyond_today", "beyond_plan", "mean_today", "mean_plan"]
    wide = regions.pivot(index="region", columns="block", values=values)
    wide.columns = [f"{block}_{value}" for value, block in wide.columns]
    wide = wide[[f"{b}_{v}" for b in TIME_BLOCKS for v in values]]
    frame = _region_polygons(landscape, "roaz").join(wide, how="inner")
    frame.index.name = "roaz"
    region_layer = gpd.GeoDataFrame(frame.reset_index(), geometry="geometry", crs="EPSG:4326")
    return {"spreading_sites": site_layer, "spreading_regions": region_layer}


def run_layers(
    run: ScenarioRun, tables: dict[str, pd.DataFrame] | None = None
) -> dict[str, gpd.GeoDataFrame]:
    """A scenario run as GeoPackage layers (see the module docstring); ``tables`` are the run's
    tables when they are already built."""
    tables = run.tables() if tables is None else tables
    layers = {"sites": _run_sites(run), **_run_regions(run, tables)}
    layers["demand"] = _demand_points(run.landscape, tables["demand"])
    plan = run.concentration
    if plan is not None and plan.has_plan:
        for name, layer in concentration_layers(plan, run.landscape).items():
            layers[f"plan_{name}"] = layer
    if run.spreading is not None:
        layers |= spreading_layers(run.spreading, run.landscape)
    return layers


def write_layers(layers: dict[str, gpd.GeoDataFrame], path: str | Path) -> Path:
    """Write the layers to one GeoPackage (atomically); return the path."""
    return save_layers(layers, path)


def write_result_file(
    result: Reach | Sensitivity, state: SiteState, path: str | Path
) -> list[Path]:
    """Write a reach's or a sensitivity's tables to ``path`` by its suffix (``--out``):
    ``.csv`` the main table (reach: ``by_region``; sensitivity: ``sites``) with the others
    beside it, ``.xlsx`` a sheet each, ``.gpkg`` :func:`reach_layers`."""
    from zorglandschap.access import Sensitivity
    from zorglandschap.report.export import check_table_path, write_table_file

    path = check_table_path(path)
    if path.suffix.lower() == ".gpkg":
        if isinstance(result, Sensitivity):
            layers = reach_layers(result.reach, state, sensitive=result.sites)
        else:
            layers = reach_layers(result, state)
        return [write_layers(layers, path)]
    main = "sites" if isinstance(result, Sensitivity) else "by_region"
    return write_table_file(result.tables(), path, main=main)
