"""``zorglandschap sites``: find a site id by part of its name, city or municipality."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from zorglandschap.cli import app
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.catalogue import closest_site_names, site_catalogue

runner = CliRunner()


def test_search_finds_a_site_by_part_of_its_name(netherlands: Landscape) -> None:
    found = site_catalogue(netherlands, 2025, search="Dirksland")
    assert found.index.tolist() == ["het-van-weel-bethesda-zh-dirksland"]
    assert found.iloc[0]["municipality"] == "Goeree-Overflakkee"


def test_search_needs_every_word_and_ignores_case_and_accents(netherlands: Landscape) -> None:
    both = site_catalogue(netherlands, 2025, search="ZUYDERLAND heerlen")
    assert both.index.tolist() == ["zuyderland-mc-heerlen"]
    sneek = site_catalogue(netherlands, 2025, search="sudwest")  # Súdwest-Fryslân
    assert "antonius-zh-sneek" in sneek.index


def test_catalogue_lists_every_site_with_its_services_of_the_year(netherlands: Landscape) -> None:
    all_2025 = site_catalogue(netherlands, 2025)
    all_2019 = site_catalogue(netherlands, 2019)
    assert len(all_2025) == len(netherlands.sites) == 89
    assert (all_2025["seh"] == "24/7").sum() == 76
    assert (all_2019["seh"] != all_2025["seh"]).any()  # the years differ


def test_cli_search_prints_the_id_and_json_lists_records() -> None:
    table = runner.invoke(app, ["sites", "--search", "Dirksland"])
    assert table.exit_code == 0
    assert "het-van-weel-bethesda-zh-dirksland" in table.output
    as_json = runner.invoke(app, ["sites", "--search", "Dirksland", "--json"])
    records = json.loads(as_json.output)
    assert [r["site_id"] for r in records] == ["het-van-weel-bethesda-zh-dirksland"]
    assert set(records[0]) == {
        "site_id",
        "name",
        "organisation",
        "city",
        "municipality",
        "roaz",
        "seh",
        "av",
        "nicu",
    }


def test_no_match_suggests_the_closest_ids(netherlands: Landscape) -> None:
    assert closest_site_names(netherlands, "heerln")[0] == "zuyderland-mc-heerlen"
    result = runner.invoke(app, ["sites", "--search", "heerln"])
    assert result.exit_code == 0
    assert "No site matches" in result.output and "zuyderland-mc-heerlen" in result.output
