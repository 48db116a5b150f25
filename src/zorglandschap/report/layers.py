"""Results as GIS layers: GeoDataFrames in EPSG:4326 that maps draw and GeoPackages hold.

The maps (:mod:`zorglandschap.maps`) draw these layers, and :func:`~zorglandschap.report.
writers.save_layers` writes the same layers to a GeoPackage for QGIS, so the map and the file
show the same numbers.

Examples
--------
>>> from zorglandschap.landscape import load_landscape
>>> from zorglandschap.scenario import site_state
>>> from zorglandschap.access import reach
>>> nl = load_landscape().extract(roaz="ROAZ08")
>>> frame = reach_municipalities(reach(nl, site_state(nl, "2025"), block="night"))
>>> list(frame.columns)
['gemeentecode', 'name', 'population', 'mean_minutes', 'beyond', 'geometry']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString

from zorglandschap.errors import ScenarioError

if TYPE_CHECKING:
    from zorglandschap.access import Reach
    from zorglandschap.landscape import Landscape
    from zorglandschap.landscape.state import SiteState
    from zorglandschap.optimise.concentration import ConcentrationResult

__all__ = [
    "concentration_layers",
    "patient_centres",
    "reach_difference",
    "reach_municipalities",
    "reach_sites",
    "short_name",
    "site_interventions",
]


# ------------------------------------------------------------------------------------------
# reach
# ------------------------------------------------------------------------------------------


def reach_municipalities(result: Reach) -> gpd.GeoDataFrame:
    """Per municipality of the result's landscape: population-weighted mean minutes and people
    beyond the norm.

    Columns ``gemeentecode, name, population, mean_minutes`` (population-weighted over the PC4
    areas that reach an open site; NaN where none does), ``beyond`` (inhabitants beyond the
    norm, rounded) and the municipality polygon.
    """
    p = result.points
    finite = np.isfinite(p["minutes"])
    weighted = (p["minutes"].where(finite, 0) * p["population"]).groupby(p["gemeentecode"]).sum()
    reachable = p["population"].where(finite, 0).groupby(p["gemeentecode"]).sum()
    beyond = (
        p["population"]
        .where(p["minutes"] > result.minutes_norm, 0)
        .groupby(p["gemeentecode"])
        .sum()
    )
    frame = result.landscape.municipalities[["name", "population", "geometry"]].copy()
    frame["mean_minutes"] = (weighted / reachable.replace(0, np.nan)).reindex(frame.index)
    frame["beyond"] = beyond.reindex(frame.index).fillna(0).round().astype(int)
    frame = frame.reset_index()
    columns = ["gemeentecode", "name", "population", "mean_minutes", "beyond", "geometry"]
    return gpd.GeoDataFrame(frame[columns], geometry="geometry", crs=frame.crs)


def reach_difference(before: Reach, after: Reach) -> gpd.GeoDataFrame:
    """Per municipality: mean minutes and people beyond before and after, and the difference.

    Columns ``gemeentecode, name, population, before_minutes, after_minutes, added_minutes``
    (after − before, population-weighted), ``max_added`` (the most any PC4 area of it gains),
    ``before_beyond, after_beyond, added_beyond`` and the polygon. Both results must cover the
    same PC4 areas (the same landscape or the same regional view).
    """
    one, two = reach_municipalities(before), reach_municipalities(after)
    frame = one[["gemeentecode", "name", "population"]].copy()
    frame["before_minutes"] = one["mean_minutes"]
    frame["after_minutes"] = two["mean_minutes"]
    frame["added_minutes"] = two["mean_minutes"] - one["mean_minutes"]
    gain = after.points["minutes"] - before.points["minutes"].reindex(after.points.index)
    gain = gain.where(np.isfinite(gain), np.nan)
    most = gain.groupby(after.points["gemeentecode"]).max()
    frame["max_added"] = frame["gemeentecode"].map(most)
    frame["before_beyond"] = one["beyond"]
    frame["after_beyond"] = two["beyond"]
    frame["added_beyond"] = two["beyond"] - one["beyond"]
    frame["geometry"] = one.geometry
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=one.crs)


def short_name(site: pd.Series) -> str:
    """A site's label on a map: the RIVM file's short name without "ZH" (ziekenhuis)."""
    text = str(site.get("name_2019_file") or site["name"])
    return " ".join(word for word in text.split() if word != "ZH")


def site_interventions(landscape: Landscape) -> dict[str, list[str]]:
    """The complex interventions each site offers today (providers table), as popup lines."""
    from zorglandschap.baseline import baseline_providers

    offered: dict[str, list[str]] = {}
    for intervention in landscape.norms.index:
        name = str(landscape.norms.at[intervention, "intervention"])
        for row in baseline_providers(landscape, str(intervention)).itertuples():
            volume = "" if not np.isfinite(row.volume) else f": {row.volume:.0f} a year"
            year = "" if pd.isna(row.volume_year) else f" ({int(row.volume_year)})"
            offered.setdefault(str(row.site_id), []).append(f"{name}{volume}{year}")
    return offered


def reach_sites(
    result: Reach,
    state: SiteState,
    *,
    baseline: SiteState | None = None,
    sensitive: pd.DataFrame | None = None,
    site_ids: list[str] | None = None,
) -> gpd.GeoDataFrame:
    """The sites of a reach map as points: what each offers, whether it is open, what changed.

    Columns ``site_id, name, label`` (:func:`short_name`), ``seh`` (state in ``state``),
    ``av``, ``open`` (in the result's block), ``serves`` (inhabitants of the result's PC4
    areas for whom it is the nearest open site), ``extra_beyond`` (from ``sensitive``: more
    people beyond the norm if it alone closes; 0 where not given), ``seh_before, av_before``
    and ``changed`` (against ``baseline``; without one, the state itself), ``interventions``
    (popup lines, :func:`site_interventions`) and the point. ``site_ids`` selects and orders
    the sites (default all of the landscape's, in its order).
    """
    sites = result.landscape.sites
    ids = list(sites.index) if site_ids is None else list(site_ids)
    services = state.services.reindex(ids)
    frame = sites.loc[ids, ["name", "lon", "lat"]].copy()
    frame["label"] = [short_name(sites.loc[i]) for i in ids]
    frame["seh"] = services["seh"].astype(str)
    frame["av"] = services["av"].astype(bool)
    open_ids = set(result.open_site_ids)
    frame["open"] = [i in open_ids for i in ids]
    served = result.points.groupby("site_id")["population"].sum()
    frame["serves"] = served.reindex(ids).fillna(0.0).round().astype(int).to_numpy()
    extra = sensitive["extra_beyond"] if sensitive is not None else pd.Series(dtype=int)
    frame["extra_beyond"] = extra.reindex(ids).fillna(0).astype(int).to_numpy()
    before = (baseline or state).services.reindex(ids)
    frame["seh_before"] = before["seh"].astype(str)
    frame["av_before"] = before["av"].astype(bool)
    frame["changed"] = (frame["seh"] != frame["seh_before"]) | (frame["av"] != frame["av_before"])
    offered = site_interventions(result.landscape)
    frame["interventions"] = ["; ".join(offered.get(i, [])) for i in ids]
    frame = frame.rename_axis("site_id").reset_index()
    points = gpd.points_from_xy(frame.pop("lon"), frame.pop("lat"))
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")


# ------------------------------------------------------------------------------------------
# concentration plans
# ------------------------------------------------------------------------------------------


def concentration_layers(
    result: ConcentrationResult, landscape: Landscape
) -> dict[str, gpd.GeoDataFrame]:
    """A concentration plan as GIS layers (EPSG:4326), one row per intervention and feature.

    ``municipalities`` (polygons): ``intervention, gemeentecode, name, patients`` (a year),
    ``mean_minutes`` (patient-weighted, to the assigned site), ``main_site_id, main_site`` and
    ``main_share`` (% of the patients going there); every municipality of the landscape, with 0
    patients where none. ``flows`` (lines from the municipality's population-weighted centre to
    the site): ``intervention, gemeentecode, municipality, site_id, site, patients,
    mean_minutes``. ``sites`` (points): the rows of ``result.sites`` (offering sites and
    baseline sites that stop). PC4 results are summed to municipalities. Write them with
    :func:`~zorglandschap.report.writers.save_layers` (GeoPackage, for QGIS).

    Raises
    ------
    ScenarioError
        If the result has no plan (infeasible, or none found in time), or its demand points are
        not the landscape's municipalities or PC4s.
    """
    _check_plan(result)
    pairs = _plan_pairs(result, landscape)
    return {
        "municipalities": _plan_municipalities(result, landscape, pairs),
        "flows": _plan_flows(landscape, pairs),
        "sites": _plan_sites(result, landscape),
    }


def _check_plan(result: ConcentrationResult) -> None:
    """Raise unless the result holds a plan on municipality or PC4 demand."""
    if not result.has_plan:
        reasons = " ".join(result.diagnosis)
        raise ScenarioError(f"No plan to map: the solve ended {result.status!r}. {reasons}".strip())
    if result.demand_level not in ("municipality", "pc4"):
        raise ScenarioError(
            f"A plan on {result.demand_level!r} demand cannot be placed on the map: its demand "
            "points are not municipalities or PC4s. Map a plan of landscape_model(...)."
        )


def _plan_pairs(result: ConcentrationResult, landscape: Landscape) -> pd.DataFrame:
    """Patients and mean minutes per (intervention, municipality, site) with patients."""
    flows = result.flows.copy()
    if result.demand_level == "pc4":
        flows["gemeentecode"] = flows["demand_id"].map(landscape.pc4["gemeentecode"])
    else:
        flows["gemeentecode"] = flows["demand_id"]
    flows = flows.dropna(subset=["gemeentecode"])
    flows["pm"] = flows["patients"] * flows["minutes"]
    pairs = (
        flows.groupby(["intervention", "gemeentecode", "site_id"])[["patients", "pm"]]
        .sum()
        .reset_index()
    )
    pairs = pairs[pairs["patients"] > 1e-9].copy()
    pairs["mean_minutes"] = pairs["pm"] / pairs["patients"]
    known = pairs["site_id"].isin(landscape.sites.index)
    return pairs[known & pairs["gemeentecode"].isin(landscape.municipalities.index)]


def _plan_municipalities(
    result: ConcentrationResult, landscape: Landscape, pairs: pd.DataFrame
) -> gpd.GeoDataFrame:
    """Every municipality per intervention: patients, mean minutes, the site most go to."""
    mun = landscape.municipalities
    parts = []
    for p in result.interventions:
        mine = pairs[pairs["intervention"] == p]
        per = mine.groupby("gemeentecode")[["patients", "pm"]].sum()
        main = (
            mine.sort_values(["gemeentecode", "patients", "site_id"], ascending=[True, False, True])
            .drop_duplicates("gemeentecode")
            .set_index("gemeentecode")
        )
        frame = mun[["name", "geometry"]].copy()
        frame.insert(0, "intervention", p)
        frame["patients"] = per["patients"].reindex(frame.index).fillna(0.0)
        frame["mean_minutes"] = (per["pm"] / per["patients"]).reindex(frame.index)
        frame["main_site_id"] = main["site_id"].reindex(frame.index).fillna("")
        frame["main_site"] = frame["main_site_id"].map(landscape.sites["name"]).fillna("")
        frame["main_share"] = 100 * (main["patients"] / per["patients"]).reindex(frame.index)
        parts.append(frame.reset_index())
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs="EPSG:4326")


def _plan_flows(landscape: Landscape, pairs: pd.DataFrame) -> gpd.GeoDataFrame:
    """A line per (intervention, municipality, site): patient centre → site."""
    site_rows = landscape.sites
    mun = landscape.municipalities
    centres = patient_centres(landscape)
    lines = [
        LineString(
            [
                (float(centres.at[code, "lon"]), float(centres.at[code, "lat"])),
                (float(site_rows.at[site, "lon"]), float(site_rows.at[site, "lat"])),
            ]
        )
        for code, site in zip(pairs["gemeentecode"], pairs["site_id"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            "intervention": pairs["intervention"].to_numpy(),
            "gemeentecode": pairs["gemeentecode"].to_numpy(),
            "municipality": pairs["gemeentecode"].map(mun["name"]).to_numpy(),
            "site_id": pairs["site_id"].to_numpy(),
            "site": pairs["site_id"].map(site_rows["name"]).to_numpy(),
            "patients": pairs["patients"].to_numpy(),
            "mean_minutes": pairs["mean_minutes"].to_numpy(),
        }
    )
    return gpd.GeoDataFrame(frame, geometry=lines, crs="EPSG:4326")


def _plan_sites(result: ConcentrationResult, landscape: Landscape) -> gpd.GeoDataFrame:
    """The plan's site rows (offering, and baseline sites that stop) as points."""
    site_rows = landscape.sites
    sites = result.sites[result.sites["site_id"].isin(site_rows.index)].reset_index(drop=True)
    points = gpd.points_from_xy(
        sites["site_id"].map(site_rows["lon"]), sites["site_id"].map(site_rows["lat"])
    )
    return gpd.GeoDataFrame(sites, geometry=points, crs="EPSG:4326")


def patient_centres(landscape: Landscape) -> pd.DataFrame:
    """Population-weighted centre (lat, lon) of each municipality's PC4 points."""
    pc4 = landscape.pc4
    weight = pc4["population"].astype(float).clip(lower=0) + 1e-9
    grouped = pd.DataFrame(
        {"lat": pc4["lat"] * weight, "lon": pc4["lon"] * weight, "w": weight}
    ).groupby(pc4["gemeentecode"])
    sums = grouped.sum()
    return pd.DataFrame({"lat": sums["lat"] / sums["w"], "lon": sums["lon"] / sums["w"]})
