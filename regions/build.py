"""Build the embedded Netherlands in ``regions/`` from the public source data in ``shared/data``.

Run from the repository root::

    python regions/build.py [--source ../shared/data]

Every output file is deterministic (sorted rows, fixed float precision), so a rebuild on the
same sources gives the same bytes. Provenance of each output file: ``regions/PROVENANCE.md``.
Judgement calls are written next to the code that makes them and in that table.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parent.parent / "shared" / "data"

AGE_BANDS = [
    "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
    "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90-94", "95+",
]  # fmt: skip


def age_column(band: str) -> str:
    """``"0-4"`` → ``"age_0_4"``, ``"95+"`` → ``"age_95_plus"``."""
    return "age_" + band.replace("-", "_").replace("+", "_plus")


#: ROAZ codes named after their trauma centre (curated/hospital_roaz_2022.csv, SOURCES.md).
ROAZ_NAMES = {
    "ROAZ01": ("Noord-Nederland", "UMCG"),
    "ROAZ02": ("AMC", "Amsterdam UMC loc. AMC"),
    "ROAZ03": ("Euregio", "MST"),
    "ROAZ04": ("Zuidwest", "Erasmus MC"),
    "ROAZ05": ("Noordwest", "VUmc"),
    "ROAZ06": ("West", "LUMC/HMC"),
    "ROAZ07": ("Brabant", "ETZ"),
    "ROAZ08": ("Midden-Nederland", "UMC Utrecht"),
    "ROAZ09": ("Zwolle", "Isala"),
    "ROAZ10": ("Oost", "Radboudumc"),
    "ROAZ11": ("Limburg", "MUMC+"),
}

#: Hospitals that are themselves a trauma centre belong to their own ROAZ region even when the
#: curated table lists several codes for them (judgement call, see PROVENANCE.md).
TRAUMA_CENTRE_OWN_REGION = {"VU MC Amsterdam": "ROAZ05", "AMC Amsterdam": "ROAZ02"}

#: The five Utrecht SPUK regions counted as one IZA region to reach the quoted 38 (assumption:
#: shared/data/curated/NOTES-seh-and-iza.md, "most parsimonious hypothesis", unverified).
UTRECHT_FIVE = ["Utrecht", "Utrecht Zuidoost", "Utrecht/West", "Utrecht-Eemland", "Lekstroom"]
UTRECHT_38_NAME = "Utrecht (5 SPUK regions)"

#: RIVM availability labels of ambulance posts → the project's availability codes.
POST_AVAILABILITY = {
    "24 uur": "24/7",
    "24 uur DAM/VWS": "24/7",  # 24-hour post funded as dekkingsaanvullende middelen (VWS)
    "Dag/avond": "day_evening",
    "Nacht": "night",
    "Opkomst": "turnout",  # turn-out point without a standing crew: not counted as a post
}


def slug(text: str) -> str:
    """A stable, readable ASCII id: ``"HMC-Bronovo Den Haag"`` → ``"hmc-bronovo-den-haag"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.6f")
    print(f"wrote {path.name} ({len(frame)} rows)")


def rd_coordinates(lon: pd.Series, lat: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    points = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=4326).to_crs(28992)
    return np.round(points.x.to_numpy(), 1), np.round(points.y.to_numpy(), 1)


def locate_municipality(
    lon: pd.Series, lat: pd.Series, municipalities: gpd.GeoDataFrame
) -> np.ndarray:
    """Municipality code of each point (point in polygon), in input order; NaN outside all."""
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    joined = gpd.sjoin(points, municipalities[["gemeentecode", "geometry"]], how="left")
    joined = joined[~joined.index.duplicated()]
    return joined["gemeentecode"].reindex(points.index).to_numpy()


# --------------------------------------------------------------------------------------------
# municipalities
# --------------------------------------------------------------------------------------------


def build_municipalities(src: Path) -> gpd.GeoDataFrame:
    polygons = gpd.read_file(src / "cbs_gemeente_2024/gemeente_2024_gegeneraliseerd_wgs84.geojson")
    attributes = pd.read_csv(src / "derived/gemeente_2024_regios_bevolking.csv")
    polygons = polygons.rename(columns={"statcode": "gemeentecode"})[["gemeentecode", "geometry"]]
    table = attributes.rename(
        columns={
            "gemeentenaam": "name",
            "provincie_2022": "province",
            "zorgkantoor": "zorgkantoor",
            "inw_0_14": "pop_0_14",
            "inw_15_64": "pop_15_64",
            "inw_65plus": "pop_65plus",
            "inw_75plus": "pop_75plus",
            "inw_totaal_2021": "population",
        }
    )
    table["zorgkantoor"] = table["zorgkantoor"].str.title().str.replace("'T ", "'t ")
    columns = [
        "gemeentecode", "name", "province", "vr_code", "vr_naam", "zorgkantoor", "lon", "lat",
        "x_rd", "y_rd", "area_km2", "pop_0_14", "pop_15_64", "pop_65plus", "pop_75plus",
        "population",
    ]  # fmt: skip
    merged = polygons.merge(table[columns], on="gemeentecode", how="inner", validate="1:1")
    if len(merged) != 342:
        raise SystemExit(f"expected 342 municipalities, got {len(merged)}")
    merged = merged.rename(columns={"vr_naam": "vr_name"})
    merged["geometry"] = merged.geometry.make_valid()
    return merged.sort_values("gemeentecode").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# sites (RIVM 2019 list + curated changes to 2025)
# --------------------------------------------------------------------------------------------


def build_sites(src: Path, municipalities: gpd.GeoDataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    rivm = pd.read_csv(src / "rivm_seh_av_2019/seh_acute_verloskunde_locaties_2019.csv")
    roaz = pd.read_csv(src / "curated/hospital_roaz_2022.csv")
    births = gpd.read_file(src / "rivm_seh_av_2019/ziekenhuizen_seh_av_2019.geojson")
    if not (roaz["plaats"].to_numpy() == rivm["plaats"].to_numpy()).all():
        raise SystemExit("hospital_roaz_2022.csv is not in the order of the RIVM 2019 list")
    sites = pd.DataFrame(
        {
            "site_id": rivm["filenaam_geojson"].map(slug),
            "name": rivm["locatie"],
            "name_2019_file": rivm["filenaam_geojson"],
            "organisation": rivm["organisatie"],
            "city": rivm["plaats"],
            "address": rivm["adres"],
            "postcode": rivm["postcode"],
            "lon": rivm["lon"].round(6),
            "lat": rivm["lat"].round(6),
            "tno_id": roaz["tno_id"],
            "roaz_codes": roaz["roaz_codes"],
            "nicu_2019": rivm["nicu"].astype(bool),
            "seh_2019": np.select(
                [rivm["seh_24_7_2019"] == 1, rivm["seh_dag_avond_2019"] == 1],
                ["24/7", "limited"],
                "none",
            ),
            "av_2019": rivm["acute_verloskunde_2019"].astype(bool),
            "births_2019": births.set_index("id")["bevallingen"].reindex(roaz["tno_id"]).to_numpy(),
        }
    )
    if sites["site_id"].duplicated().any():
        raise SystemExit("site ids are not unique")
    # Primary ROAZ code: the first listed, except a trauma centre belongs to its own region.
    sites["roaz"] = sites["roaz_codes"].str.split(";").str[0]
    for file_name, code in TRAUMA_CENTRE_OWN_REGION.items():
        sites.loc[sites["name_2019_file"] == file_name, "roaz"] = code
    sites["x_rd"], sites["y_rd"] = rd_coordinates(sites["lon"], sites["lat"])
    sites["gemeentecode"] = locate_municipality(sites["lon"], sites["lat"], municipalities)

    changes = pd.read_csv(src / "curated/seh_changes_2019_2025.csv")
    sites, change_log = apply_changes(sites, changes)
    return sites, change_log


def apply_changes(sites: pd.DataFrame, changes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the dated curated changes in date order (rules: curated/NOTES-seh-and-iza.md)."""
    sites = sites.copy()
    sites["seh_2025"] = sites["seh_2019"]
    sites["av_2025"] = sites["av_2019"]
    sites["nicu_2025"] = sites["nicu_2019"]  # no NICU change is documented (assumption)
    sites["changes_2019_2025"] = ""
    by_file_name = dict(zip(sites["name_2019_file"], sites.index, strict=True))
    changes = changes.assign(_order=changes["effective_date"].astype(str)).sort_values(
        ["_order"], kind="stable"
    )
    log_rows = []
    for row in changes.itertuples():
        for listed in str(row.location_name_as_in_2019_file).split(";"):
            file_name = listed.strip()
            if file_name not in by_file_name:
                raise SystemExit(f"seh_changes_2019_2025.csv names unknown location {file_name!r}")
            i = by_file_name[file_name]
            if row.change == "seh_closed":
                sites.at[i, "seh_2025"] = "none"
            elif row.change == "seh_to_limited_hours":
                sites.at[i, "seh_2025"] = "limited"
            elif row.change == "av_closed":
                sites.at[i, "av_2025"] = False
            elif row.change == "av_opened":
                sites.at[i, "av_2025"] = True
            elif row.change != "merged_renamed":
                raise SystemExit(f"unknown change kind {row.change!r}")
            entry = f"{row.effective_date} {row.change}"
            previous = sites.at[i, "changes_2019_2025"]
            sites.at[i, "changes_2019_2025"] = f"{previous}; {entry}" if previous else entry
            log_rows.append(
                {
                    "site_id": sites.at[i, "site_id"],
                    "change": row.change,
                    "effective_date": row.effective_date,
                    "confidence": row.confidence,
                    "source": row.source,
                    "note": row.note,
                }
            )
    return sites, pd.DataFrame(log_rows)


# --------------------------------------------------------------------------------------------
# ROAZ and IZA membership
# --------------------------------------------------------------------------------------------


def build_roaz_membership(municipalities: gpd.GeoDataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Municipality → ROAZ region, derived from hospitals' ROAZ codes and veiligheidsregio's.

    Rule (judgement, documented in PROVENANCE.md): ROAZ regions are built from ambulance (RAV =
    veiligheidsregio) areas. Where every hospital in a veiligheidsregio has the same primary ROAZ
    code, all its municipalities get that code (``method = vr_single_code``). Where a
    veiligheidsregio's hospitals belong to several ROAZ regions, each municipality takes the code
    of the nearest hospital in that veiligheidsregio, straight-line from the municipality's point
    (``method = nearest_hospital_in_vr``).
    """
    hospitals = sites.merge(
        municipalities[["gemeentecode", "vr_code"]], on="gemeentecode", how="left"
    )
    rows = []
    for m in municipalities.itertuples():
        in_vr = hospitals[hospitals["vr_code"] == m.vr_code]
        codes = sorted(set(in_vr["roaz"]))
        if len(codes) == 1:
            rows.append((m.gemeentecode, codes[0], "vr_single_code", "likely"))
            continue
        distance = np.hypot(in_vr["x_rd"] - m.x_rd, in_vr["y_rd"] - m.y_rd)
        nearest = in_vr.loc[distance.idxmin()]
        rows.append((m.gemeentecode, nearest["roaz"], "nearest_hospital_in_vr", "unverified"))
    table = pd.DataFrame(rows, columns=["gemeentecode", "roaz", "method", "confidence"])
    table["roaz_name"] = table["roaz"].map(lambda c: ROAZ_NAMES[c][0])
    return table[["gemeentecode", "roaz", "roaz_name", "method", "confidence"]]


def build_iza_membership(src: Path, municipalities: gpd.GeoDataFrame) -> pd.DataFrame:
    """Municipality → IZA region: the 42 SPUK regions, and the 38 (Utrecht five as one)."""
    iza = pd.read_csv(src / "curated/iza_regions_2025.csv")
    code_by_name = dict(zip(municipalities["name"], municipalities["gemeentecode"], strict=True))
    rows = []
    for region in iza.itertuples():
        full_name = region.iza_region_name
        name42 = re.sub(r"\s*\(=.*\)$", "", full_name).strip()
        alias = re.search(r"= '([^']+)' in the 38-list", full_name)
        members = region.covers.split("|")[0]
        for municipality in (m.strip() for m in members.split(";")):
            if municipality not in code_by_name:
                raise SystemExit(f"iza_regions_2025.csv: unknown municipality {municipality!r}")
            name38 = UTRECHT_38_NAME if name42 in UTRECHT_FIVE else name42
            rows.append(
                {
                    "gemeentecode": code_by_name[municipality],
                    "iza": name38,
                    "iza42": name42,
                    "name_in_38_list": alias.group(1) if alias else "",
                    "confidence": region.confidence,
                    "iza38_grouping": "assumption" if name42 in UTRECHT_FIVE else "same as 42",
                }
            )
    table = pd.DataFrame(rows).sort_values("gemeentecode").reset_index(drop=True)
    counts = table["gemeentecode"].value_counts()
    if len(table) != 342 or (counts != 1).any():
        raise SystemExit("iza_regions_2025.csv does not partition the 342 municipalities")
    return table


# --------------------------------------------------------------------------------------------
# demand points
# --------------------------------------------------------------------------------------------


#: PC4 areas whose CBS representative point lies off the part where the people live (a dike or
#: a sand flat that belongs to the same area), so that the demand point, and all its
#: inhabitants, sat on the dike (judgement call, PROVENANCE.md; docs/travel.md). ``None``: the
#: centroid of the area's bulk (the largest part left after eroding the polygon by
#: ``BULK_EROSION_M``, which removes dike strips; its representative point if the centroid falls
#: outside it); a (lon, lat): a named place instead.
#: Kornwerderzand (8752) and Breezanddijk (8766) keep their points: their few inhabitants do
#: live on the Afsluitdijk.
PC4_POINT_FIXES: dict[str, tuple[str, tuple[float, float] | None]] = {
    "1779": (
        "Den Oever: the CBS point lies on the Afsluitdijk; the bulk of the area instead",
        None,
    ),
    "8242": (
        "Lelystad-Haven: the area includes the Houtribdijk and the CBS point lies on it; the "
        "bulk of the area (the town) instead",
        None,
    ),
    "8899": (
        "Vlieland: the CBS point lies on the Vliehors (an uninhabited sand flat and military "
        "range); the island's one village, Oost-Vlieland (Dorpsstraat, approximate), instead",
        (5.0650, 53.2960),
    ),
}
#: Inward buffer that removes dike strips from a PC4 polygon before taking its bulk, metres
#: (the Afsluitdijk and the Houtribdijk are about 100-200 m wide in the simplified polygons).
BULK_EROSION_M = 150.0


def fix_pc4_points(points: pd.DataFrame, src: Path) -> pd.DataFrame:
    """``points`` with the PC4s of :data:`PC4_POINT_FIXES` moved into their populated part."""
    polygons = gpd.read_file(src / "certegis_cbs_2021/pc4_2020_simplified_wgs84.geojson")
    polygons["postcode"] = polygons["postcode"].astype(str).str.zfill(4)
    polygons = polygons.set_index("postcode").to_crs(28992)
    points = points.copy()
    for pc4, (_, place) in PC4_POINT_FIXES.items():
        row = points.index[points["pc4"] == pc4]
        if len(row) != 1:
            raise SystemExit(f"PC4_POINT_FIXES names PC4 {pc4}, which is not in the point file")
        area = polygons.geometry[pc4]
        if place is None:
            bulk = max(shapely.get_parts(area.buffer(-BULK_EROSION_M)), key=lambda p: p.area)
            point = bulk.centroid if bulk.contains(bulk.centroid) else bulk.representative_point()
        else:
            point = gpd.GeoSeries(gpd.points_from_xy([place[0]], [place[1]]), crs=4326)
            point = point.to_crs(28992).iloc[0]
        if not area.contains(point):
            raise SystemExit(f"the fixed point of PC4 {pc4} lies outside its polygon")
        x, y = round(point.x, 1), round(point.y, 1)
        lonlat = gpd.GeoSeries(gpd.points_from_xy([x], [y]), crs=28992).to_crs(4326).iloc[0]
        points.loc[row, ["x_rd", "y_rd"]] = [x, y]
        points.loc[row, ["lon", "lat"]] = [round(lonlat.x, 6), round(lonlat.y, 6)]
    return points


def build_pc4(src: Path) -> pd.DataFrame:
    """PC4 demand points: a point inside the area, municipality, population per age band."""
    points = pd.read_csv(
        src / "certegis_cbs_2021/pc4_2020_representative_points.csv", dtype={"pc4": str}
    )
    points = fix_pc4_points(points, src)
    ages = pd.read_csv(
        src / "certegis_cbs_2021/pc4_inwoners_per_leeftijd_2021.csv", dtype={"postcode": str}
    )
    to_municipality = pd.read_csv(src / "derived/pc4_to_gemeente_2024.csv", dtype={"pc4": str})
    # CBS suppresses tiny cells (NaN): they count as 0 inhabitants.
    bands = (
        ages.pivot_table(index="postcode", columns="leeftijd", values="inwoners", aggfunc="sum")
        .reindex(columns=AGE_BANDS)
        .fillna(0)
        .astype(int)
    )
    bands.columns = [age_column(b) for b in AGE_BANDS]
    pc4 = points.merge(to_municipality[["pc4", "gemeentecode_2024"]], on="pc4", how="left")
    pc4 = pc4.rename(columns={"gemeentecode_2024": "gemeentecode", "oppervlakte_km2": "area_km2"})
    pc4 = pc4.join(bands, on="pc4").fillna(dict.fromkeys(bands.columns, 0))
    pc4[list(bands.columns)] = pc4[list(bands.columns)].astype(int)
    pc4["population"] = pc4[list(bands.columns)].sum(axis=1)
    missing = set(bands.index) - set(pc4["pc4"])
    lost = int(bands.loc[sorted(missing)].to_numpy().sum()) if missing else 0
    if lost:
        raise SystemExit(
            f"{lost} inhabitants live in PC4s without a demand point: {sorted(missing)}"
        )
    columns = ["pc4", "gemeentecode", "lon", "lat", "x_rd", "y_rd", "area_km2", "population"]
    return pc4[columns + list(bands.columns)].sort_values("pc4").reset_index(drop=True)


def fill_pc4_municipality(pc4: pd.DataFrame, municipalities: gpd.GeoDataFrame) -> pd.DataFrame:
    """PC4s without a 2024 municipality code get one by point in polygon (or nearest polygon)."""
    pc4 = pc4.copy()
    missing = pc4["gemeentecode"].isna()
    if missing.any():
        located = locate_municipality(
            pc4.loc[missing, "lon"], pc4.loc[missing, "lat"], municipalities
        )
        pc4.loc[missing, "gemeentecode"] = located
    still = pc4["gemeentecode"].isna()
    if still.any():
        points = gpd.GeoDataFrame(
            geometry=gpd.points_from_xy(pc4.loc[still, "x_rd"], pc4.loc[still, "y_rd"]), crs=28992
        )
        nearest = gpd.sjoin_nearest(
            points, municipalities[["gemeentecode", "geometry"]].to_crs(28992)
        )
        pc4.loc[still, "gemeentecode"] = nearest["gemeentecode"].to_numpy()
    return pc4


# --------------------------------------------------------------------------------------------
# clinics, posts, norms, providers
# --------------------------------------------------------------------------------------------


def build_clinics(src: Path, municipalities: gpd.GeoDataFrame) -> pd.DataFrame:
    raw = pd.read_csv(src / "rivm_ziekenhuizen_2016/ziekenhuizen_2016_rivm_geocoded.csv")
    clinics = raw[raw["soort.ziekenhuis"].str.lower().str.startswith("buitenpoli")].copy()
    clinics = pd.DataFrame(
        {
            "clinic_id": (clinics["naam.ziekenhuis"] + " " + clinics["plaats"]).map(slug),
            "name": clinics["naam.ziekenhuis"],
            "organisation": clinics["naam.organisatie"],
            "city": clinics["plaats"],
            "address": clinics["adres"],
            "postcode": clinics["postcode"],
            "lon": clinics["lon"].round(6),
            "lat": clinics["lat"].round(6),
        }
    )
    clinics["clinic_id"] = deduplicate(clinics["clinic_id"])
    clinics["x_rd"], clinics["y_rd"] = rd_coordinates(clinics["lon"], clinics["lat"])
    clinics["gemeentecode"] = locate_municipality(clinics["lon"], clinics["lat"], municipalities)
    return clinics.sort_values("clinic_id").reset_index(drop=True)


def deduplicate(ids: pd.Series) -> pd.Series:
    """Append -2, -3, … to repeated ids, in row order."""
    counter = ids.groupby(ids).cumcount() + 1
    return ids.where(counter == 1, ids + "-" + counter.astype(str))


def build_posts(src: Path, municipalities: gpd.GeoDataFrame) -> pd.DataFrame:
    raw = gpd.read_file(src / "rivm_ambulanceposten_2019/ambulancestandplaatsen_2019.geojson")
    unknown = sorted(set(raw["Beschikbaarheid"]) - set(POST_AVAILABILITY))
    if unknown:
        raise SystemExit(f"unknown ambulance post availability {unknown}")
    posts = pd.DataFrame(
        {
            "post_id": raw["Standplaats"].map(slug),
            "name": raw["Standplaats"],
            "address": raw["Straatnaam"].fillna("")
            + " "
            + raw["Huisnummer"].fillna("").astype(str),
            "postcode": raw["Postcode"],
            "availability": raw["Beschikbaarheid"].map(POST_AVAILABILITY),
            "availability_rivm": raw["Beschikbaarheid"],
            "lon": raw.geometry.x.round(6),
            "lat": raw.geometry.y.round(6),
        }
    )
    posts["post_id"] = deduplicate(posts["post_id"])
    posts["x_rd"], posts["y_rd"] = rd_coordinates(posts["lon"], posts["lat"])
    posts["gemeentecode"] = locate_municipality(posts["lon"], posts["lat"], municipalities)
    return posts.sort_values("post_id").reset_index(drop=True)


#: Where each norm stands, per row (shared/data/curated/NOTES-2026-update.md, section 5). A
#: status never fills a blank norm: where no number was found, the norm stays empty.
_TRANCHE_1 = (
    "tranche 1: agreed ('vastgesteld') 25 Mar 2025, to be implemented from 1 Jan 2026; "
    "where hospitals did not agree, Zorgverzekeraars Nederland decided"
)
_TRANCHE_1_SOURCE = "Skipr 2025-04 (agreed 25 Mar 2025); Skipr 2025-11-04 (ZN decided)"
_NOT_FOUND = "; the numeric value was not found in any source (blank, no default)"
_PROFESSIONAL = (
    "professional norm (SONCOS / scientific association): the latest numeric value found"
)
_HISTORIC = "historic: superseded by a later norm"
NORM_PROVENANCE: dict[str, tuple[str, str]] = {
    "pancreatoduodenectomy-whipple-pppd": (_PROFESSIONAL, "norm_source"),
    "pancreatic-resection-all-types-iza-tranche-1": (_TRANCHE_1 + _NOT_FOUND, _TRANCHE_1_SOURCE),
    "ercp-for-suspected-pancreatic-periampullary-tumour-iza-tranche-1": (
        _TRANCHE_1 + _NOT_FOUND,
        _TRANCHE_1_SOURCE,
    ),
    "oesophagectomy-for-cancer-historic-igz-norm": (_HISTORIC, "norm_source"),
    "oesophagectomy-for-cancer": (_PROFESSIONAL, "norm_source"),
    "gastrectomy-for-cancer": (_PROFESSIONAL, "norm_source"),
    "oesophageal-gastric-cancer-resections-combined-iza-tranche-1": (
        _TRANCHE_1 + _NOT_FOUND,
        _TRANCHE_1_SOURCE,
    ),
    "endoscopic-resection-of-early-oesophageal-gastric-cancer-iza-tranche-1-probable": (
        _TRANCHE_1 + _NOT_FOUND,
        _TRANCHE_1_SOURCE,
    ),
    "liver-resection": (_PROFESSIONAL, "norm_source"),
    "rectal-cancer-resection": (
        "legacy norm confirmed in 2026 on 2024 data (13 hospitals miss at least one of the "
        "rectum, vulva and soft-tissue norms)",
        "Skipr 2026-02-13",
    ),
    "lung-cancer-new-patients-treated": (_PROFESSIONAL, "norm_source"),
    "lung-cancer-resection-historic-soncos": (_HISTORIC, "norm_source"),
    "lung-cancer-resection-iza-tranche-1": (
        "tranche 1, pre-agreement value: 60 a year is the value of minister Agema's letter of "
        "January 2025, before the round tables adjusted some values; the agreed value was not "
        "found, so 60 stays 'likely'",
        "Skipr on the Agema letter (Jan 2025); Skipr 2025-04",
    ),
    "lung-cancer-systemic-therapy-iza-tranche-1": (
        "tranche 1, pre-agreement value: 100 a year is the 'beoogde norm' of the January 2025 "
        "letter; the agreed value was not found, so 100 stays 'likely'",
        "Skipr on the Agema letter (Jan 2025); Skipr 2025-04",
    ),
    "radical-cystectomy-bladder-cancer-historic": (_HISTORIC, "norm_source"),
    "radical-cystectomy-bladder-cancer": (_PROFESSIONAL, "norm_source"),
    "radical-cystectomy-bladder-cancer-per-surgeon": (_PROFESSIONAL, "norm_source"),
    "radical-prostatectomy": (_PROFESSIONAL, "norm_source"),
    "partial-nephrectomy-kidney-cancer": (_PROFESSIONAL, "norm_source"),
    "kidney-cancer-local-treatment-surgery-iza-tranche-1": (
        _TRANCHE_1 + "; 50 operations a year, implemented region by region (e.g. a move "
        "effective 1 Jan 2027)",
        "Skipr 2025-11-04",
    ),
    "head-and-neck-cancer-treatment-hhoc-concentration": (
        "concentration rule without a numeric norm (blank, no default)",
        "norm_source",
    ),
    "head-and-neck-cancer-iza-tranche-1": (_TRANCHE_1 + _NOT_FOUND, _TRANCHE_1_SOURCE),
    "elective-aaa-repair-open-evar-pre-iza": (
        "pre-tranche professional norm; the numeric value was not found (blank, no default)",
        "norm_source",
    ),
    "aortic-aneurysm-repair-iza-tranche-1": (_TRANCHE_1 + _NOT_FOUND, _TRANCHE_1_SOURCE),
    "carotid-stenosis-intervention-cea-cas-process-norm-iza-tranche-1": (
        _TRANCHE_1 + "; a process norm (intervention within 14 days), not a volume",
        _TRANCHE_1_SOURCE,
    ),
    "high-complexity-procedures-generic-igz-starting-point": (
        "generic inspectorate starting point (enforced from 2012), not intervention-specific",
        "norm_source",
    ),
    "vulvar-cancer-surgery": (
        "legacy norm confirmed in 2026 on 2024 data",
        "Skipr 2026-02-13",
    ),
    "soft-tissue-tumour-surgery": (
        "legacy norm confirmed in 2026 on 2024 data",
        "Skipr 2026-02-13",
    ),
}


def build_norms(src: Path) -> pd.DataFrame:
    """The curated norms with a per-row provenance (``norm_status``, ``status_source``)."""
    norms = pd.read_csv(src / "curated/volume_norms.csv")
    norms.insert(0, "intervention_id", norms["intervention"].map(slug))
    if norms["intervention_id"].duplicated().any():
        raise SystemExit("volume_norms.csv: intervention ids are not unique")
    unknown = sorted(set(norms["intervention_id"]) ^ set(NORM_PROVENANCE))
    if unknown:
        raise SystemExit(f"NORM_PROVENANCE and volume_norms.csv differ in: {', '.join(unknown)}")
    status = norms["intervention_id"].map(NORM_PROVENANCE)
    norms["norm_status"] = [s for s, _ in status]
    norms["status_source"] = [
        row["norm_source"] if where == "norm_source" else where
        for (_, where), (_, row) in zip(status, norms.iterrows(), strict=True)
    ]
    return norms


_AMSTERDAM_UMC_HPB = (
    "https://amsterdamumc.org/en/research/institutes/cancer-center-amsterdam/news/"
    "centralization-empowers-super-specialists-in-cancer-healthcare.htm"
)
#: Provider records this project adds to the curated table, each with its public source
#: (PROVENANCE.md). Amsterdam UMC's third reorganisation wave (June 2021) centralised "all
#: expertise and care of liver, gallbladder, and pancreatic disease (HPB)" at the De Boelelaan
#: location (VUmc, TNO id 78): the AMC location (TNO id 4) stopped pancreatic and liver surgery.
PROVIDER_ADDITIONS: tuple[dict[str, object], ...] = tuple(
    {
        "intervention": intervention,
        "hospital_organisation": "Amsterdam UMC (location AMC, Meibergdreef)",
        "location": "Amsterdam",
        "year": "2021",
        "annual_volume": float("nan"),
        "source": _AMSTERDAM_UMC_HPB,
        "confidence": "confirmed",
        "record_type": "decision_stop",
        "tno_id_2022": "4",
        "notes": (
            "Added by regions/build.py: in June 2021 Amsterdam UMC centralised all liver, "
            "gallbladder and pancreatic (HPB) surgery at the De Boelelaan location (VUmc); the "
            "AMC location stopped."
        ),
    }
    for intervention in ("Pancreatic resection (all types)", "Liver resection")
)


def build_providers(src: Path, sites: pd.DataFrame) -> pd.DataFrame:
    providers = pd.read_csv(src / "curated/complex_care_providers.csv", dtype={"tno_id_2022": str})
    providers = pd.concat([providers, pd.DataFrame(list(PROVIDER_ADDITIONS))], ignore_index=True)
    site_by_tno = dict(zip(sites["tno_id"].astype(str), sites["site_id"], strict=True))

    def to_sites(value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            return ""
        return ";".join(site_by_tno[v.strip()] for v in value.split(";") if v.strip())

    providers.insert(2, "site_ids", providers["tno_id_2022"].map(to_sites))
    return providers


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="shared/data folder")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (regions/)")
    args = parser.parse_args(argv)
    src, out = args.source, args.out
    if not (src / "SOURCES.md").exists():
        print(
            f"error: {src} is not the shared/data folder (no SOURCES.md); pass --source",
            file=sys.stderr,
        )
        return 2

    municipalities = build_municipalities(src)
    sites, change_log = build_sites(src, municipalities)
    roaz = build_roaz_membership(municipalities, sites)
    iza = build_iza_membership(src, municipalities)
    pc4 = fill_pc4_municipality(build_pc4(src), municipalities)
    clinics = build_clinics(src, municipalities)
    posts = build_posts(src, municipalities)

    geo = municipalities.drop(columns=["lon", "lat", "x_rd", "y_rd"])
    (out / "municipalities.geojson").unlink(missing_ok=True)
    geo.to_file(
        out / "municipalities.geojson", driver="GeoJSON", COORDINATE_PRECISION=5, WRITE_BBOX="NO"
    )
    print("wrote municipalities.geojson (342 polygons)")
    write_csv(
        municipalities[["gemeentecode", "name", "lon", "lat", "x_rd", "y_rd"]],
        out / "municipality_points.csv",
    )
    write_csv(roaz, out / "municipality_roaz.csv")
    write_csv(iza, out / "municipality_iza.csv")
    write_csv(
        pd.DataFrame(
            [(c, n, t) for c, (n, t) in ROAZ_NAMES.items()],
            columns=["roaz", "roaz_name", "trauma_centre"],
        ),
        out / "roaz_regions.csv",
    )
    write_csv(pc4, out / "pc4.csv")
    site_columns = [
        "site_id", "name", "organisation", "city", "address", "postcode", "lon", "lat", "x_rd",
        "y_rd", "gemeentecode", "roaz", "roaz_codes", "tno_id", "name_2019_file", "nicu_2019",
        "seh_2019", "av_2019", "births_2019", "nicu_2025", "seh_2025", "av_2025",
        "changes_2019_2025",
    ]  # fmt: skip
    write_csv(sites[site_columns].sort_values("site_id"), out / "sites.csv")
    write_csv(change_log, out / "site_changes_2019_2025.csv")
    write_csv(clinics, out / "clinics.csv")
    write_csv(posts, out / "ambulance_posts.csv")
    write_csv(build_norms(src), out / "norms.csv")
    write_csv(build_providers(src, sites), out / "complex_care_providers.csv")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
