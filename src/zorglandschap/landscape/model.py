"""The data model: :class:`Landscape`, the Dutch hospital care landscape as GeoDataFrames.

A landscape is read and checked by :func:`~zorglandschap.landscape.load_landscape`; its methods
give views (services per site and year, region layers), derived landscapes (a regional extract,
a population scaled to a later year) and the summary the ``data`` command prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from zorglandschap.errors import ScenarioError
from zorglandschap.landscape.schema import AGE_BANDS, REGION_LAYERS
from zorglandschap.vocab import POST_AVAILABILITY, SITE_YEARS, RegionLayer


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
        five-year age bands :data:`~zorglandschap.landscape.schema.AGE_BANDS`.
    sites
        The 89 RIVM 2019 hospital locations (index ``site_id``) with ``seh_<year>`` in
        :data:`~zorglandschap.vocab.SEH_STATES`, ``av_<year>`` (acute obstetrics) and
        ``nicu_<year>`` for each year in :data:`~zorglandschap.vocab.SITE_YEARS`, and ``roaz``
        (the hospital's ROAZ region).
    clinics
        Outpatient clinics (buitenpoliklinieken, 2016), candidate spoedpost sites.
    posts
        Ambulance posts (2019) with ``availability`` in
        :data:`~zorglandschap.vocab.POST_AVAILABILITY`.
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
            If ``year`` is not one of :data:`~zorglandschap.vocab.SITE_YEARS`.
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
        >>> from zorglandschap.landscape import load_landscape
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
    """The municipality column that holds the regions of ``layer``."""
    if layer not in REGION_LAYERS:
        raise ScenarioError(
            f"Unknown region layer {layer!r}; valid layers: {', '.join(REGION_LAYERS)}."
        )
    return REGION_LAYERS[layer]
