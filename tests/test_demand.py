"""Demand per PC4 per intervention, and today's providers."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from zorglandschap.baseline import baseline_providers, record_year, unmapped_providers
from zorglandschap.demand import (
    INTERVENTION_ALIASES,
    aggregate_demand,
    intervention_demand,
    resolve_intervention,
)
from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape

PD = "pancreatoduodenectomy-whipple-pppd"


def test_national_volume_is_distributed_exactly(netherlands: Landscape) -> None:
    d = intervention_demand(netherlands, [PD, "liver-resection"])
    assert d[PD].sum() == pytest.approx(601.0)
    assert d["liver-resection"].sum() == pytest.approx(1255.0)
    assert (d >= 0).all().all()
    assert d.index.is_monotonic_increasing


def test_age_weighting_puts_demand_with_older_people(netherlands: Landscape) -> None:
    d = intervention_demand(netherlands, [PD])[PD]
    pc4 = netherlands.pc4
    old = pc4[[c for c in pc4.columns if c.startswith("age_") and int(c.split("_")[1]) >= 65]]
    old_share = old.sum(axis=1) / pc4["population"].where(pc4["population"] > 0)
    per_capita = d / pc4["population"].where(pc4["population"] > 0)
    frame = pd.DataFrame({"old": old_share, "rate": per_capita}).dropna()
    assert frame["old"].corr(frame["rate"]) > 0.9


def test_scale_and_override(netherlands: Landscape) -> None:
    d = intervention_demand(netherlands, [PD], scale=1.1, volumes={PD: 1000})
    assert d[PD].sum() == pytest.approx(1100.0)


def test_blank_volume_is_never_defaulted(netherlands: Landscape) -> None:
    with pytest.raises(ScenarioError, match="no national annual volume"):
        intervention_demand(netherlands, ["rectal-cancer-resection"])
    d = intervention_demand(
        netherlands, ["rectal-cancer-resection"], volumes={"rectal-cancer-resection": 10}
    )
    assert d.iloc[:, 0].sum() == pytest.approx(10.0)


def test_regional_extract_gets_its_share(netherlands: Landscape, utrecht: Landscape) -> None:
    national = intervention_demand(netherlands, [PD])[PD]
    regional = intervention_demand(utrecht, [PD], reference_pc4=netherlands.pc4)[PD]
    assert regional.sum() == pytest.approx(national.loc[regional.index].sum())
    assert regional.sum() < 100
    # without being told: an extract remembers the country it was cut from (it used to give
    # the region the whole national volume of 601 patients)
    default = intervention_demand(utrecht, [PD])[PD]
    assert default.sum() == pytest.approx(regional.sum())
    # an extract of an extract, and a scaled extract, keep the national reference
    amersfoort = utrecht.extract(iza=utrecht.municipalities["iza"].iloc[0])
    assert intervention_demand(amersfoort, [PD])[PD].sum() == pytest.approx(
        national.loc[amersfoort.pc4.index].sum()
    )
    grown = utrecht.scale_population(1.1, year=2030)
    assert intervention_demand(grown, [PD])[PD].sum() == pytest.approx(regional.sum())


def test_aggregate_to_municipalities(netherlands: Landscape) -> None:
    d = intervention_demand(netherlands, [PD])
    mun = aggregate_demand(d, netherlands.pc4["gemeentecode"])
    assert mun[PD].sum() == pytest.approx(601.0)
    assert set(mun.index) <= set(netherlands.municipalities.index)


def test_resolve_intervention(netherlands: Landscape) -> None:
    for alias, target in INTERVENTION_ALIASES.items():
        assert resolve_intervention(netherlands.norms, alias) == target
    with pytest.raises(ScenarioError, match="ambiguous"):
        resolve_intervention(netherlands.norms, "cancer")
    with pytest.raises(ScenarioError, match="Unknown intervention"):
        resolve_intervention(netherlands.norms, "appendix")


def test_record_year() -> None:
    assert record_year("~2023 (page undated)") == (2023, False)
    assert record_year("2016-") == (2016, True)


def test_pancreas_baseline_is_the_15_centres(netherlands: Landscape) -> None:
    b = baseline_providers(netherlands, PD)
    # 15 centres (IKNL 2021); Amsterdam UMC operates at De Boelelaan (VUmc) since its HPB
    # surgery was centralised there in June 2021 (regions/build.py PROVIDER_ADDITIONS), and
    # Amphia (two Breda sites) cannot be placed: 14 site rows
    assert len(b) == 14
    assert {"vu-mc-amsterdam", "isala-zwolle"} <= set(b["site_id"])
    assert "amc-amsterdam" not in set(b["site_id"])
    assert "reinier-de-graaf-gasthuis-delft" not in set(b["site_id"])  # 2013 only
    assert b.set_index("site_id").at["radboudumc-nijmegen", "volume"] == 58.0
    assert any("Amphia" in u for u in unmapped_providers(netherlands, PD))


def test_old_records_fall_outside_the_window(netherlands: Landscape) -> None:
    # Antonius Sneek only appears in a 2008 record (kept on under an IGZ arrangement then)
    default = baseline_providers(netherlands, "oesophagectomy-for-cancer")
    wide = baseline_providers(netherlands, "oesophagectomy-for-cancer", since=2000)
    assert "antonius-zh-sneek" not in set(default["site_id"])
    assert "antonius-zh-sneek" in set(wide["site_id"])


def test_an_organisation_level_record_does_not_reopen_a_location_that_stopped(
    netherlands: Landscape,
) -> None:
    """Amsterdam UMC moved liver surgery to De Boelelaan (VUmc) in 2021; kanker.nl's 2024
    record names only the organisation, so it counts at VUmc and not at AMC. A record for the
    location itself after the decision would reopen it."""
    liver = "liver-resection"
    sites = set(baseline_providers(netherlands, liver)["site_id"])
    assert "vu-mc-amsterdam" in sites and "amc-amsterdam" not in sites
    later = pd.DataFrame(
        [
            {
                **netherlands.providers.iloc[0].to_dict(),
                "intervention": "Liver resection",
                "site_ids": "amc-amsterdam",
                "year": "2024",
                "record_type": "provider_listed",
                "annual_volume": float("nan"),
            }
        ]
    )
    reopened = dataclasses.replace(
        netherlands, providers=pd.concat([netherlands.providers, later], ignore_index=True)
    )
    assert "amc-amsterdam" in set(baseline_providers(reopened, liver)["site_id"])
