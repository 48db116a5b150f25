"""The embedded Netherlands: load and validate ``regions/`` into a typed :class:`Landscape`.

One call, :func:`load_landscape`, reads the committed data files (built from public CBS and
RIVM sources by ``regions/build.py``; provenance in ``regions/PROVENANCE.md``), checks them and
returns GeoDataFrames. Every problem found is reported at once, naming the file, the line and
the fix.

Examples
--------
>>> from zorglandschap.landscape import load_landscape
>>> nl = load_landscape()
>>> len(nl.municipalities), nl.municipalities["roaz"].nunique(), nl.municipalities["iza"].nunique()
(342, 11, 38)
>>> int((nl.sites["seh_2019"] == "24/7").sum())
83
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from zorglandschap.errors import DataError, ScenarioError, problems_to_error

#: Years for which the landscape holds a site state (services per site).
SITE_YEARS: tuple[int, ...] = (2019, 2025)

#: SEH states of a site.
SEH_STATES: tuple[str, ...] = ("24/7", "limited", "none")

#: Ambulance post availability codes (RIVM labels mapped in regions/build.py).
POST_AVAILABILITY: tuple[str, ...] = ("24/7", "day_evening", "night", "turnout")

#: Age bands of the PC4 demand points, CBS five-year classes.
AGE_BANDS: tuple[str, ...] = tuple(f"age_{lo}_{lo + 4}" for lo in range(0, 95, 5)) + (
    "age_95_plus",
)

#: Region layers: name → municipality column that holds the region's name or code.
REGION_LAYERS: dict[str, str] = {
    "municipality": "name",
    "province": "province",
    "vr": "vr_name",
    "zorgkantoor": "zorgkantoor",
    "roaz": "roaz",
    "iza": "iza",
    "iza42": "iza42",
}

RegionLayer = Literal["municipality", "province", "vr", "zorgkantoor", "roaz", "iza", "iza42"]

#: The Netherlands in WGS84 (generous box), for a cheap first coordinate check.
_NL_BOUNDS = (3.2, 50.7, 7.3, 53.7)


@dataclass(frozen=True)
class _FileSpec:
    name: str
    columns: tuple[str, ...]
    id_column: str
    numeric: tuple[str, ...] = ()
    non_negative: tuple[str, ...] = ()
    text_ids: tuple[str, ...] = ()


_COORDINATES = ("lon", "lat", "x_rd", "y_rd")
#: Columns of every located place (sites, clinics): name, address and coordinates.
_PLACE_COLUMNS = ("name", "organisation", "city", *_COORDINATES, "gemeentecode")

_FILES: dict[str, _FileSpec] = {
    spec.name: spec
    for spec in [
        _FileSpec(
            "municipality_points.csv",
            ("gemeentecode", "name", "lon", "lat", "x_rd", "y_rd"),
            "gemeentecode",
            numeric=("lon", "lat", "x_rd", "y_rd"),
        ),
        _FileSpec(
            "municipality_roaz.csv",
            ("gemeentecode", "roaz", "roaz_name", "method", "confidence"),
            "gemeentecode",
        ),
        _FileSpec(
            "municipality_iza.csv",
            ("gemeentecode", "iza", "iza42", "confidence", "iza38_grouping"),
            "gemeentecode",
        ),
        _FileSpec("roaz_regions.csv", ("roaz", "roaz_name", "trauma_centre"), "roaz"),
        _FileSpec(
            "pc4.csv",
            ("pc4", "gemeentecode", "lon", "lat", "x_rd", "y_rd", "area_km2", "population")
            + AGE_BANDS,
            "pc4",
            numeric=("lon", "lat", "x_rd", "y_rd", "area_km2", "population") + AGE_BANDS,
            non_negative=("population", "area_km2") + AGE_BANDS,
            text_ids=("pc4",),
        ),
        _FileSpec(
            "sites.csv",
            ("site_id", *_PLACE_COLUMNS, "roaz")
            + tuple(
                f"{service}_{year}" for year in SITE_YEARS for service in ("seh", "av", "nicu")
            ),
            "site_id",
            numeric=_COORDINATES,
        ),
        _FileSpec(
            "clinics.csv",
            ("clinic_id", *_PLACE_COLUMNS),
            "clinic_id",
            numeric=_COORDINATES,
        ),
        _FileSpec(
            "ambulance_posts.csv",
            ("post_id", "name", "availability", "lon", "lat", "x_rd", "y_rd", "gemeentecode"),
            "post_id",
            numeric=("lon", "lat", "x_rd", "y_rd"),
        ),
        _FileSpec(
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
            ),  # fmt: skip
            "intervention_id",
            numeric=("norm_min_per_year", "national_annual_volume"),
            non_negative=("norm_min_per_year", "national_annual_volume"),
        ),
        _FileSpec(
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
        ),
    ]
}
_MUNICIPALITY_POLYGONS = "municipalities.geojson"
_MUNICIPALITY_ATTRIBUTES = (
    "gemeentecode", "name", "province", "vr_code", "vr_name", "zorgkantoor", "area_km2",
    "pop_0_14", "pop_15_64", "pop_65plus", "pop_75plus", "population",
)  # fmt: skip


@dataclass(frozen=True)
class Landscape:
    """The Dutch hospital care landscape: regions, demand points, sites, posts and norms.

    Attributes
    ----------
    municipalities
        342 CBS 2024 municipalities (index ``gemeentecode``), polygons in EPSG:4326, with
        ``name``, ``province``, ``vr_code``/``vr_name`` (veiligheidsregio = RAV area),
        ``zorgkantoor``, ``roaz``/``roaz_name``, ``iza`` (38, see PROVENANCE.md), ``iza42``,
        population by age group (``pop_0_14`` … ``pop_75plus``) and ``population``.
    pc4
        PC4 demand points (index ``pc4``, 4-digit string): a point inside the area (EPSG:4326,
        with ``x_rd``/``y_rd`` in RD New metres), ``gemeentecode``, ``population`` and the
        five-year age bands :data:`AGE_BANDS`.
    sites
        The 89 RIVM 2019 hospital locations (index ``site_id``) with ``seh_<year>`` in
        :data:`SEH_STATES`, ``av_<year>`` (acute obstetrics) and ``nicu_<year>`` for each year in
        :data:`SITE_YEARS`, and ``roaz`` (the hospital's ROAZ region).
    clinics
        Outpatient clinics (buitenpoliklinieken, 2016), candidate spoedpost sites.
    posts
        Ambulance posts (2019) with ``availability`` in :data:`POST_AVAILABILITY`.
    norms
        Volume norms and national annual volumes per intervention (index ``intervention_id``),
        with their sources and confidence; blank means *not found*.
    providers
        Which sites perform which complex interventions (``site_ids``), with volumes where known.
    roaz_regions
        The 11 ROAZ regions (index ``roaz``) with name and trauma centre.
    source
        The folder the data was read from.
    population_year
        The reference year of the population figures (2021 unless scaled).
    national_pc4
        For a regional extract, the PC4 table of the whole country it was cut from (None for
        the whole country): national annual volumes are distributed over it, so a region's
        demand is its own share and not the whole national volume
        (:func:`zorglandschap.demand.intervention_demand`).
    """

    municipalities: gpd.GeoDataFrame
    pc4: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    clinics: gpd.GeoDataFrame
    posts: gpd.GeoDataFrame
    norms: pd.DataFrame
    providers: pd.DataFrame
    roaz_regions: pd.DataFrame
    source: Path
    population_year: int = 2021
    national_pc4: gpd.GeoDataFrame | None = field(default=None, repr=False, compare=False)
    _layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict, repr=False, compare=False)

    # -- views ---------------------------------------------------------------------------

    def site_services(self, year: int) -> pd.DataFrame:
        """Services per site in ``year``: columns ``seh``, ``av``, ``nicu`` (index ``site_id``).

        Raises
        ------
        ScenarioError
            If ``year`` is not one of :data:`SITE_YEARS`.
        """
        if year not in SITE_YEARS:
            valid = ", ".join(str(y) for y in SITE_YEARS)
            raise ScenarioError(f"No site state for year {year}; valid years: {valid}.")
        return pd.DataFrame(
            {
                "seh": self.sites[f"seh_{year}"],
                "av": self.sites[f"av_{year}"],
                "nicu": self.sites[f"nicu_{year}"],
            }
        )

    def region_layer(self, layer: RegionLayer) -> gpd.GeoDataFrame:
        """Region polygons of ``layer`` dissolved from the municipalities, with population.

        The index is the region name (or code, for ``roaz``); columns ``population``,
        ``municipalities`` (count) and ``geometry``.
        """
        column = _region_column(layer)
        if layer not in self._layers:
            grouped = self.municipalities[[column, "population", "geometry"]].dissolve(
                by=column, aggfunc={"population": "sum"}
            )
            grouped["municipalities"] = self.municipalities.groupby(column).size()
            self._layers[layer] = grouped.sort_index()
        return self._layers[layer]

    def region_of_pc4(self, layer: RegionLayer) -> pd.Series:
        """The region (of ``layer``) of every PC4 demand point, via its municipality."""
        column = _region_column(layer)
        return self.pc4["gemeentecode"].map(self.municipalities[column]).rename(layer)

    # -- derived landscapes --------------------------------------------------------------

    def extract(
        self,
        *,
        roaz: str | Iterable[str] | None = None,
        iza: str | Iterable[str] | None = None,
        province: str | Iterable[str] | None = None,
    ) -> Landscape:
        """A regional extract: the municipalities of the named region(s) and what lies in them.

        Sites, clinics and posts are kept when they lie in a selected municipality. Norms and
        providers are kept whole.

        Examples
        --------
        >>> utrecht = load_landscape().extract(roaz="ROAZ08")
        >>> len(utrecht.municipalities), len(utrecht.sites)
        (26, 6)
        """
        selectors = {"roaz": roaz, "iza": iza, "province": province}
        mask = pd.Series(True, index=self.municipalities.index)
        for layer, wanted in selectors.items():
            if wanted is None:
                continue
            names = [wanted] if isinstance(wanted, str) else list(wanted)
            valid = sorted(self.municipalities[layer].unique())
            unknown = [n for n in names if n not in valid]
            if unknown:
                raise ScenarioError(
                    f"Unknown {layer} region(s) {', '.join(unknown)}; valid: {', '.join(valid)}."
                )
            mask &= self.municipalities[layer].isin(names)
        codes = self.municipalities.index[mask]

        def within(frame: pd.DataFrame) -> Any:
            return frame[frame["gemeentecode"].isin(codes)]

        return replace(
            self,
            municipalities=self.municipalities[mask],
            pc4=within(self.pc4),
            sites=within(self.sites),
            clinics=within(self.clinics),
            posts=within(self.posts),
            national_pc4=self.pc4 if self.national_pc4 is None else self.national_pc4,
            _layers={},
        )

    def scale_population(
        self, factor: float | None = None, *, target_total: float | None = None, year: int
    ) -> Landscape:
        """Scale every population figure uniformly to a later ``year``.

        Give either ``factor`` or ``target_total`` (e.g. CBS's published national population for
        1 January of ``year``). Uniform scaling keeps each area's share and age profile of 2021:
        an assumption, stated wherever results are reported.
        """
        if (factor is None) == (target_total is None):
            raise ScenarioError("Give exactly one of factor or target_total to scale_population.")
        if factor is None:
            assert target_total is not None
            factor = target_total / float(self.pc4["population"].sum())
        if not np.isfinite(factor) or factor <= 0:
            raise ScenarioError(f"Population scale factor must be positive, got {factor}.")

        def scaled(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
            out = frame.copy()
            columns = ["population", *AGE_BANDS]
            out[columns] = out[columns].astype(float) * factor
            return out

        pc4 = scaled(self.pc4)
        national = None if self.national_pc4 is None else scaled(self.national_pc4)
        municipalities = self.municipalities.copy()
        pop_columns = ["pop_0_14", "pop_15_64", "pop_65plus", "pop_75plus", "population"]
        municipalities[pop_columns] = municipalities[pop_columns].astype(float) * factor
        return replace(
            self,
            pc4=pc4,
            municipalities=municipalities,
            national_pc4=national,
            population_year=year,
            _layers={},
        )

    # -- summary -------------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """Counts per layer, population and sites by service and year (the ``data`` command)."""
        services: dict[str, dict[str, int]] = {}
        for year in SITE_YEARS:
            s = self.site_services(year)
            services[str(year)] = {
                "sites": int(((s["seh"] != "none") | s["av"]).sum()),
                "seh_24_7": int((s["seh"] == "24/7").sum()),
                "seh_limited": int((s["seh"] == "limited").sum()),
                "acute_obstetrics": int(s["av"].sum()),
                "nicu": int(s["nicu"].sum()),
            }
        posts = self.posts["availability"].value_counts()
        return {
            "source": str(self.source),
            "population_year": self.population_year,
            "municipalities": len(self.municipalities),
            "pc4": len(self.pc4),
            "population": int(round(float(self.pc4["population"].sum()))),
            "provinces": int(self.municipalities["province"].nunique()),
            "veiligheidsregios": int(self.municipalities["vr_code"].nunique()),
            "zorgkantoorregios": int(self.municipalities["zorgkantoor"].nunique()),
            "roaz_regions": int(self.municipalities["roaz"].nunique()),
            "iza_regions": int(self.municipalities["iza"].nunique()),
            "iza42_regions": int(self.municipalities["iza42"].nunique()),
            "sites_2019": services["2019"]["sites"],
            "sites_2025": services["2025"]["sites"],
            "seh_24_7": {y: services[y]["seh_24_7"] for y in services},
            "seh_limited": {y: services[y]["seh_limited"] for y in services},
            "acute_obstetrics": {y: services[y]["acute_obstetrics"] for y in services},
            "nicu": {y: services[y]["nicu"] for y in services},
            "hospital_locations": len(self.sites),
            "outpatient_clinics": len(self.clinics),
            "ambulance_posts": {k: int(posts.get(k, 0)) for k in POST_AVAILABILITY},
            "interventions_with_norm": int(self.norms["norm_min_per_year"].notna().sum()),
            "interventions": len(self.norms),
        }


def _region_column(layer: str) -> str:
    if layer not in REGION_LAYERS:
        raise ScenarioError(
            f"Unknown region layer {layer!r}; valid layers: {', '.join(REGION_LAYERS)}."
        )
    return REGION_LAYERS[layer]


# ------------------------------------------------------------------------------------------
# loading
# ------------------------------------------------------------------------------------------


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
        Listing every problem found: a missing or malformed file, a missing column, a value
        that is not a number, a negative population, a municipality in two regions or none,
        a site outside the Netherlands. Each names the file, the line and the fix.
    """
    folder = Path(path) if path is not None else default_regions_dir()
    if not folder.is_dir():
        raise DataError(
            f"Data folder {folder} does not exist. Pass the folder that holds the regions/ files, "
            "or rebuild them with `python regions/build.py` from a checkout with ../shared/data."
        )
    problems: list[str] = []
    tables = {name: _read_csv(folder, spec, problems) for name, spec in _FILES.items()}
    polygons = _read_polygons(folder / _MUNICIPALITY_POLYGONS, problems)
    problems_to_error(problems)  # nothing further can be checked without the files

    municipalities = _assemble_municipalities(folder, polygons, tables, problems)
    pc4 = _points(tables["pc4.csv"], "pc4")
    sites = _points(tables["sites.csv"], "site_id")
    clinics = _points(tables["clinics.csv"], "clinic_id")
    posts = _points(tables["ambulance_posts.csv"], "post_id")
    _check_sites(folder, sites, problems)
    _check_posts(folder, posts, problems)
    _check_inside(folder, "sites.csv", sites, municipalities, problems)
    _check_inside(folder, "ambulance_posts.csv", posts, municipalities, problems)
    _check_inside(folder, "clinics.csv", clinics, municipalities, problems)
    for name, frame in (
        ("pc4.csv", pc4),
        ("sites.csv", sites),
        ("clinics.csv", clinics),
        ("ambulance_posts.csv", posts),
    ):
        unknown = sorted(set(frame["gemeentecode"]) - set(municipalities.index))
        if unknown:
            problems.append(
                f"{folder / name}: gemeentecode(s) {', '.join(map(str, unknown[:5]))} are not among "
                f"the municipalities in {_MUNICIPALITY_POLYGONS}; use CBS 2024 codes (GM0363)."
            )
    problems_to_error(problems)

    return Landscape(
        municipalities=municipalities,
        pc4=pc4,
        sites=sites,
        clinics=clinics,
        posts=posts,
        norms=tables["norms.csv"].set_index("intervention_id"),
        providers=tables["complex_care_providers.csv"].fillna({"site_ids": ""}),
        roaz_regions=tables["roaz_regions.csv"].set_index("roaz"),
        source=folder,
    )


def _read_csv(folder: Path, spec: _FileSpec, problems: list[str]) -> pd.DataFrame:
    path = folder / spec.name
    if not path.exists():
        problems.append(
            f"{path} is missing. Rebuild the embedded data with `python regions/build.py`, "
            "or point ZORGLANDSCHAP_REGIONS at a folder that has it."
        )
        return pd.DataFrame()
    dtypes = {c: str for c in ("gemeentecode", *spec.text_ids, spec.id_column)}
    try:
        frame = pd.read_csv(path, dtype=dtypes, keep_default_na=True)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        problems.append(
            f"{path} is not a readable CSV file ({exc}); restore it from git or rebuild it."
        )
        return pd.DataFrame()
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        problems.append(
            f"{path} lacks column(s) {', '.join(missing)}; expected at least: "
            f"{', '.join(spec.columns)}."
        )
        return pd.DataFrame()
    for column in spec.numeric:
        converted = pd.to_numeric(frame[column], errors="coerce")
        bad = converted.isna() & frame[column].notna()
        for i in frame.index[bad][:5]:
            problems.append(
                f"{path} line {i + 2} ({spec.id_column} {frame.at[i, spec.id_column]}): "
                f"{column} {frame.at[i, column]!r} is not a number."
            )
        frame[column] = converted
    for column in spec.non_negative:
        negative = frame[column] < 0
        for i in frame.index[negative][:5]:
            problems.append(
                f"{path} line {i + 2} ({spec.id_column} {frame.at[i, spec.id_column]}): "
                f"{column} is {frame.at[i, column]:g}; it must be 0 or more."
            )
    if spec.id_column != "intervention":
        duplicated = frame[spec.id_column].duplicated(keep=False)
        if duplicated.any():
            ids = sorted(set(frame.loc[duplicated, spec.id_column]))
            lines = [str(i + 2) for i in frame.index[duplicated]][:10]
            what = (
                "is in two regions or more"
                if spec.name.startswith("municipality_")
                else "is not unique"
            )
            problems.append(
                f"{path}: {spec.id_column} {', '.join(ids[:5])} {what} (lines {', '.join(lines)}); "
                "each must appear exactly once."
            )
    return frame


def _read_polygons(path: Path, problems: list[str]) -> gpd.GeoDataFrame:
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
    missing = [c for c in _MUNICIPALITY_ATTRIBUTES if c not in frame.columns]
    if missing:
        problems.append(f"{path} lacks column(s) {', '.join(missing)}.")
    negative = [
        c
        for c in ("population", "pop_0_14", "pop_15_64", "pop_65plus")
        if c in frame and (frame[c] < 0).any()
    ]
    for column in negative:
        for i in frame.index[frame[column] < 0][:5]:
            problems.append(
                f"{path} feature {i} ({frame.at[i, 'gemeentecode']}): {column} is "
                f"{frame.at[i, column]:g}; it must be 0 or more."
            )
    return frame


def _assemble_municipalities(
    folder: Path, polygons: gpd.GeoDataFrame, tables: dict[str, pd.DataFrame], problems: list[str]
) -> gpd.GeoDataFrame:
    municipalities = polygons.set_index("gemeentecode").sort_index()
    codes = set(municipalities.index)
    memberships = {
        "municipality_roaz.csv": ["roaz", "roaz_name"],
        "municipality_iza.csv": ["iza", "iza42"],
    }
    for name, columns in memberships.items():
        table = tables[name].drop_duplicates("gemeentecode").set_index("gemeentecode")
        missing = sorted(codes - set(table.index))
        if missing:
            named = ", ".join(f"{c} ({municipalities.at[c, 'name']})" for c in missing[:5])
            problems.append(
                f"{folder / name}: municipality {named} is in no region; add a row for each "
                "(every municipality must be in exactly one region)."
            )
        extra = sorted(set(table.index) - codes)
        if extra:
            problems.append(
                f"{folder / name}: gemeentecode(s) {', '.join(extra[:5])} are not CBS 2024 "
                "municipalities; fix or remove those rows."
            )
        empty = table[columns].isna().any(axis=1)
        if empty.any():
            problems.append(
                f"{folder / name}: municipality {', '.join(table.index[empty][:5])} has an empty "
                f"{' or '.join(columns)}; every municipality needs a region."
            )
        for column in columns:
            municipalities[column] = table[column].reindex(municipalities.index)
    points = tables["municipality_points.csv"].set_index("gemeentecode")
    for column in ("x_rd", "y_rd"):
        municipalities[column] = points[column].reindex(municipalities.index)
    return municipalities


def _points(frame: pd.DataFrame, id_column: str) -> gpd.GeoDataFrame:
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=4326).set_index(id_column).sort_index()


def _check_sites(folder: Path, sites: gpd.GeoDataFrame, problems: list[str]) -> None:
    path = folder / "sites.csv"
    for year in SITE_YEARS:
        column = f"seh_{year}"
        bad = ~sites[column].isin(SEH_STATES)
        for site_id in sites.index[bad][:5]:
            problems.append(
                f"{path} (site {site_id}): {column} is {sites.at[site_id, column]!r}; "
                f"valid values: {', '.join(SEH_STATES)}."
            )
        for column in (f"av_{year}", f"nicu_{year}"):
            parsed = _parse_bool(sites[column])
            for site_id in sites.index[parsed.isna()][:5]:
                problems.append(
                    f"{path} (site {site_id}): {column} is {sites.at[site_id, column]!r}; "
                    "use True or False."
                )
            sites[column] = parsed.fillna(False).astype(bool)


def _check_posts(folder: Path, posts: gpd.GeoDataFrame, problems: list[str]) -> None:
    bad = ~posts["availability"].isin(POST_AVAILABILITY)
    for post_id in posts.index[bad][:5]:
        problems.append(
            f"{folder / 'ambulance_posts.csv'} (post {post_id}): availability is "
            f"{posts.at[post_id, 'availability']!r}; valid values: {', '.join(POST_AVAILABILITY)}."
        )


def _parse_bool(values: pd.Series) -> pd.Series:
    mapping: dict[Any, Any] = {"true": True, "false": False, "1": True, "0": False}
    return values.map(
        lambda v: v if isinstance(v, bool | np.bool_) else mapping.get(str(v).lower())
    )


def _check_inside(
    folder: Path,
    name: str,
    points: gpd.GeoDataFrame,
    municipalities: gpd.GeoDataFrame,
    problems: list[str],
) -> None:
    """Every point must lie inside a municipality polygon (i.e. in the Netherlands)."""
    if points.empty:
        return
    inside = np.zeros(len(points), dtype=bool)
    tree = municipalities.sindex
    hits = tree.query(points.geometry.to_numpy(), predicate="intersects")
    inside[np.unique(hits[0])] = True
    lon_ok = points["lon"].between(_NL_BOUNDS[0], _NL_BOUNDS[2])
    lat_ok = points["lat"].between(_NL_BOUNDS[1], _NL_BOUNDS[3])
    for position in np.flatnonzero(~inside)[:5]:
        row = points.iloc[position]
        hint = (
            "lon and lat look swapped"
            if not (lon_ok.iloc[position] and lat_ok.iloc[position])
            else "check the coordinates (WGS84, lon first)"
        )
        problems.append(
            f"{folder / name} ({points.index[position]}): the point ({row['lon']:.5f}, "
            f"{row['lat']:.5f}) lies outside every Dutch municipality; {hint}."
        )
