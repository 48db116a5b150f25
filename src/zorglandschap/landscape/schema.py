"""The shape of the ``regions/`` files: which files, which columns, which ids and numbers.

Each CSV file is described by a :class:`FileSpec`; the reader (:mod:`.reading`) and the checks
(:mod:`.validation`) both work from these specs, so a new column is added here once.

>>> FILES["pc4.csv"].id_column, "population" in FILES["pc4.csv"].non_negative
('pc4', True)
>>> REGION_LAYERS["roaz"]
'roaz'
"""

from __future__ import annotations

from dataclasses import dataclass

from zorglandschap.vocab import SITE_YEARS, RegionLayer

#: Age bands of the PC4 demand points, CBS five-year classes.
AGE_BANDS: tuple[str, ...] = tuple(f"age_{lo}_{lo + 4}" for lo in range(0, 95, 5)) + (
    "age_95_plus",
)

#: Region layers: name → municipality column that holds the region's name or code.
REGION_LAYERS: dict[RegionLayer, str] = {
    "municipality": "name",
    "province": "province",
    "vr": "vr_name",
    "zorgkantoor": "zorgkantoor",
    "roaz": "roaz",
    "iza": "iza",
    "iza42": "iza42",
}

#: The Netherlands in WGS84 (lon_min, lat_min, lon_max, lat_max; a generous box), for a cheap
#: first coordinate check. From the extreme points of the country (Cadzand 3.36 E, Bad
#: Nieuweschans 7.23 E, Sint Pieter 50.75 N, Rottumeroog 53.56 N), widened a little.
NL_BOUNDS: tuple[float, float, float, float] = (3.2, 50.7, 7.3, 53.7)

#: How far (metres) a point's x_rd/y_rd may lie from its lon/lat projected to RD New before the
#: two are called inconsistent. Assumption: the committed data agree within 0.13 m (both come
#: from one transformation in regions/build.py); 500 m leaves room for data projected with
#: another (approximate) RD formula and still catches a point moved in one pair only.
RD_TOLERANCE_METRES = 500.0


@dataclass(frozen=True)
class FileSpec:
    """One CSV file of ``regions/``.

    Attributes
    ----------
    name
        File name inside the data folder.
    columns
        Columns that must be present (more may be).
    id_column
        The column that identifies a row (named in messages; unique unless ``unique_ids`` is
        false).
    numeric
        Columns that hold numbers: every cell a finite number.
    non_negative
        Numeric columns that must be 0 or more.
    optional
        Numeric columns whose cells may be blank (blank means *not found*, never a default).
    text_ids
        Columns read as text so that leading zeros survive (e.g. PC4 codes).
    unique_ids
        Whether ``id_column`` must be unique.
    """

    name: str
    columns: tuple[str, ...]
    id_column: str
    numeric: tuple[str, ...] = ()
    non_negative: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    text_ids: tuple[str, ...] = ()
    unique_ids: bool = True

    @property
    def has_coordinates(self) -> bool:
        """Whether rows are located places (lon/lat and x_rd/y_rd)."""
        return all(c in self.numeric for c in COORDINATES)


#: The coordinate columns of a located place: WGS84 lon/lat and RD New metres.
COORDINATES: tuple[str, ...] = ("lon", "lat", "x_rd", "y_rd")
#: Columns of every located place (sites, clinics): name, address and coordinates.
_PLACE_COLUMNS = ("name", "organisation", "city", *COORDINATES, "gemeentecode")

_SPECS = (
    FileSpec(
        "municipality_points.csv",
        ("gemeentecode", "name", *COORDINATES),
        "gemeentecode",
        numeric=COORDINATES,
    ),
    FileSpec(
        "municipality_roaz.csv",
        ("gemeentecode", "roaz", "roaz_name", "method", "confidence"),
        "gemeentecode",
    ),
    FileSpec(
        "municipality_iza.csv",
        ("gemeentecode", "iza", "iza42", "confidence", "iza38_grouping"),
        "gemeentecode",
    ),
    FileSpec("roaz_regions.csv", ("roaz", "roaz_name", "trauma_centre"), "roaz"),
    FileSpec(
        "pc4.csv",
        ("pc4", "gemeentecode", *COORDINATES, "area_km2", "population", *AGE_BANDS),
        "pc4",
        numeric=(*COORDINATES, "area_km2", "population", *AGE_BANDS),
        non_negative=("population", "area_km2", *AGE_BANDS),
        text_ids=("pc4",),
    ),
    FileSpec(
        "sites.csv",
        ("site_id", *_PLACE_COLUMNS, "roaz")
        + tuple(f"{service}_{year}" for year in SITE_YEARS for service in ("seh", "av", "nicu")),
        "site_id",
        numeric=COORDINATES,
    ),
    FileSpec("clinics.csv", ("clinic_id", *_PLACE_COLUMNS), "clinic_id", numeric=COORDINATES),
    FileSpec(
        "ambulance_posts.csv",
        ("post_id", "name", "availability", *COORDINATES, "gemeentecode"),
        "post_id",
        numeric=COORDINATES,
    ),
    FileSpec(
        "norms.csv",
        (
            "intervention_id",
            "intervention",
            "norm_min_per_year",
            "unit",
            "norm_source",
            "national_annual_volume",
            "national_volume_source",
            "confidence",
        ),
        "intervention_id",
        numeric=("norm_min_per_year", "national_annual_volume"),
        non_negative=("norm_min_per_year", "national_annual_volume"),
        optional=("norm_min_per_year", "national_annual_volume"),
    ),
    FileSpec(
        "complex_care_providers.csv",
        (
            "intervention",
            "hospital_organisation",
            "site_ids",
            "annual_volume",
            "source",
            "confidence",
        ),
        "intervention",
        unique_ids=False,
    ),
)

#: Every CSV file of ``regions/`` by name.
FILES: dict[str, FileSpec] = {spec.name: spec for spec in _SPECS}

#: The municipality polygons (CBS 2024) and the attributes they must carry.
MUNICIPALITY_POLYGONS = "municipalities.geojson"
MUNICIPALITY_ATTRIBUTES: tuple[str, ...] = (
    "gemeentecode", "name", "province", "vr_code", "vr_name", "zorgkantoor", "area_km2",
    "pop_0_14", "pop_15_64", "pop_65plus", "pop_75plus", "population",
)  # fmt: skip
#: The numeric attributes of the municipality polygons: finite and 0 or more.
MUNICIPALITY_NUMBERS: tuple[str, ...] = (
    "area_km2", "pop_0_14", "pop_15_64", "pop_65plus", "pop_75plus", "population",
)  # fmt: skip
