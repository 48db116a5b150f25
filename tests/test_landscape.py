"""The embedded Netherlands holds the real facts a planner relies on."""

from __future__ import annotations

import geopandas as gpd
import pytest

from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import AGE_BANDS, REGION_LAYERS, Landscape

#: CBS: 17,475,415 inhabitants on 1 January 2021 (StatLine 37296ned).
CBS_POPULATION_2021 = 17_475_000


def test_342_municipalities_with_every_region_layer(netherlands: Landscape) -> None:
    m = netherlands.municipalities
    assert len(m) == 342
    assert m.index.is_unique
    for column in REGION_LAYERS.values():
        assert m[column].notna().all(), f"a municipality has no {column}"
    assert m["roaz"].nunique() == 11
    assert m["iza"].nunique() == 38
    assert m["iza42"].nunique() == 42
    assert m["vr_code"].nunique() == 25
    assert m["zorgkantoor"].nunique() == 31
    assert m["province"].nunique() == 12


def test_region_layers_partition_the_country(netherlands: Landscape) -> None:
    total = netherlands.municipalities["population"].sum()
    for layer in ("province", "roaz", "iza", "iza42", "zorgkantoor"):
        regions = netherlands.region_layer(layer)
        assert regions["municipalities"].sum() == 342, layer
        assert regions["population"].sum() == total, layer
        assert regions.geometry.is_valid.all(), layer


def test_total_population_matches_cbs_2021(netherlands: Landscape) -> None:
    pc4_total = netherlands.pc4["population"].sum()
    assert pc4_total == pytest.approx(CBS_POPULATION_2021, rel=0.001)
    assert netherlands.pc4[list(AGE_BANDS)].sum(axis=1).equals(netherlands.pc4["population"])
    municipal = netherlands.pc4.groupby("gemeentecode")["population"].sum()
    assert municipal.sum() == netherlands.municipalities["population"].sum()


def polygons(landscape: Landscape) -> gpd.GeoDataFrame:
    """Municipality polygons with their code in column ``gemeentecode_right``."""
    m = landscape.municipalities
    return gpd.GeoDataFrame(
        {"gemeentecode_right": m.index}, geometry=m.geometry.to_numpy(), crs=m.crs
    )


def test_about_4070_demand_points_inside_their_municipality(netherlands: Landscape) -> None:
    pc4 = netherlands.pc4
    assert 4000 <= len(pc4) <= 4100
    assert pc4.index.str.fullmatch(r"\d{4}").all()
    joined = gpd.sjoin(pc4[["gemeentecode", "geometry"]], polygons(netherlands))
    same = (joined["gemeentecode"] == joined["gemeentecode_right"]).groupby(level=0).any()
    # Points are from 2020 PC4 polygons, municipalities from generalised 2024 polygons.
    assert same.mean() > 0.98


def test_sites_2019_and_2025_counts(netherlands: Landscape) -> None:
    s2019 = netherlands.site_services(2019)
    s2025 = netherlands.site_services(2025)
    assert len(netherlands.sites) == 89
    assert (s2019["seh"] == "24/7").sum() == 83
    assert (s2019["seh"] == "limited").sum() == 4
    assert s2019["av"].sum() == 75
    assert s2019["nicu"].sum() == 10
    # RIVM 2025: 76 SEH 24/7 + 3 limited hours, 71 acute obstetrics; the curated changes
    # reproduce these counts exactly.
    assert (s2025["seh"] == "24/7").sum() == 76
    limited = netherlands.sites.loc[s2025["seh"] == "limited", "name"]
    assert sorted(limited) == [
        "Franciscus Vlietland",
        "Gelre Ziekenhuizen Zutphen",
        "Ziekenhuis Amstelland Amstelveen",
    ]
    assert s2025["av"].sum() == 71


def test_every_site_and_post_lies_in_its_municipality(netherlands: Landscape) -> None:
    for frame in (netherlands.sites, netherlands.posts, netherlands.clinics):
        joined = gpd.sjoin(frame[["gemeentecode", "geometry"]], polygons(netherlands))
        assert joined.index.nunique() == len(frame)
        assert (joined["gemeentecode"] == joined["gemeentecode_right"]).all()


def test_site_ids_are_stable_slugs(netherlands: Landscape) -> None:
    ids = netherlands.sites.index
    assert ids.is_unique
    assert ids.str.fullmatch(r"[a-z0-9-]+").all()
    assert "umc-maastricht" in ids
    assert netherlands.sites.at["umc-maastricht", "roaz"] == "ROAZ11"


def test_ambulance_posts_and_clinics(netherlands: Landscape) -> None:
    assert len(netherlands.posts) == 280
    assert (netherlands.posts["availability"] == "24/7").sum() == 249
    assert len(netherlands.clinics) == 144


def test_norms_keep_blanks_and_sources(netherlands: Landscape) -> None:
    norms = netherlands.norms
    whipple = norms.loc["pancreatoduodenectomy-whipple-pppd"]
    assert whipple["norm_min_per_year"] == 20
    assert whipple["national_annual_volume"] == 601
    assert whipple["confidence"] == "confirmed"
    # A norm that was not found stays blank: never a silent default.
    assert norms["norm_min_per_year"].isna().sum() > 0


def test_extract_holds_only_the_region(utrecht: Landscape) -> None:
    assert set(utrecht.municipalities["roaz"]) == {"ROAZ08"}
    assert set(utrecht.pc4["gemeentecode"]) <= set(utrecht.municipalities.index)
    assert set(utrecht.sites["gemeentecode"]) <= set(utrecht.municipalities.index)
    assert len(utrecht.sites) == 6
    assert len(utrecht.region_layer("roaz")) == 1


def test_extract_rejects_unknown_region(netherlands: Landscape) -> None:
    with pytest.raises(ScenarioError, match="Unknown roaz region.*ROAZ99.*valid: ROAZ01"):
        netherlands.extract(roaz="ROAZ99")


def test_scale_population_to_a_later_year(netherlands: Landscape) -> None:
    scaled = netherlands.scale_population(target_total=18_000_000, year=2025)
    assert scaled.pc4["population"].sum() == pytest.approx(18_000_000)
    assert scaled.municipalities["population"].sum() == pytest.approx(18_000_000)
    assert scaled.population_year == 2025
    assert netherlands.pc4["population"].sum() < 17_500_000  # the original is untouched
    with pytest.raises(ScenarioError, match="positive"):
        netherlands.scale_population(-1.0, year=2030)


def test_unknown_year_and_layer_name_valid_choices(netherlands: Landscape) -> None:
    with pytest.raises(ScenarioError, match="valid years: 2019, 2025"):
        netherlands.site_services(2023)
    with pytest.raises(ScenarioError, match="valid layers: municipality, province"):
        netherlands.region_layer("gemeente")  # type: ignore[arg-type]


def test_vocabulary_is_spelled_once() -> None:
    """The landscape's lists are the vocabulary's (re-exported for old imports)."""
    from zorglandschap import landscape, vocab

    assert tuple(REGION_LAYERS) == vocab.REGION_LAYER_NAMES
    assert landscape.SEH_STATES is vocab.SEH_STATES
    assert landscape.POST_AVAILABILITY is vocab.POST_AVAILABILITY
    assert landscape.SITE_YEARS is vocab.SITE_YEARS
    assert landscape.RegionLayer is vocab.RegionLayer
