"""Bad input gets a specific error naming the file, the line and the fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from zorglandschap.errors import DataError
from zorglandschap.landscape import load_landscape

RegionsCopy = Callable[[], Path]


def edit_csv(path: Path, edit: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    edit(frame).to_csv(path, index=False)


def test_missing_folder() -> None:
    with pytest.raises(DataError, match="does not exist.*regions/build.py"):
        load_landscape("/nonexistent/regions")


def test_missing_file(regions_copy: RegionsCopy) -> None:
    folder = regions_copy()
    (folder / "sites.csv").unlink()
    with pytest.raises(DataError, match=r"sites\.csv is missing.*regions/build\.py"):
        load_landscape(folder)


def test_malformed_file_lacks_columns(regions_copy: RegionsCopy) -> None:
    folder = regions_copy()
    (folder / "pc4.csv").write_text("this is not,the pc4 table\n1,2\n")
    with pytest.raises(DataError, match=r"pc4\.csv lacks column\(s\) pc4, gemeentecode"):
        load_landscape(folder)


def test_broken_geojson(regions_copy: RegionsCopy) -> None:
    folder = regions_copy()
    (folder / "municipalities.geojson").write_text('{"type": "FeatureCollection", "feat')
    with pytest.raises(DataError, match=r"municipalities\.geojson is not a readable GeoJSON"):
        load_landscape(folder)


def test_municipality_in_two_regions(regions_copy: RegionsCopy) -> None:
    folder = regions_copy()

    def duplicate_amsterdam(frame: pd.DataFrame) -> pd.DataFrame:
        extra = frame[frame["gemeentecode"] == "GM0363"].assign(roaz="ROAZ05")
        return pd.concat([frame, extra])

    edit_csv(folder / "municipality_roaz.csv", duplicate_amsterdam)
    with pytest.raises(
        DataError,
        match=r"municipality_roaz\.csv: gemeentecode GM0363 is in two regions or more \(lines \d+, 344\)",
    ):
        load_landscape(folder)


def test_municipality_in_no_region(regions_copy: RegionsCopy) -> None:
    folder = regions_copy()
    edit_csv(folder / "municipality_iza.csv", lambda f: f[f["gemeentecode"] != "GM0014"])
    with pytest.raises(
        DataError, match=r"municipality_iza\.csv: municipality GM0014 \(Groningen\) is in no region"
    ):
        load_landscape(folder)


def test_site_outside_the_netherlands(regions_copy: RegionsCopy) -> None:
    folder = regions_copy()

    def move_to_germany(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[frame["site_id"] == "umc-maastricht", ["lon", "lat"]] = ["7.5", "51.0"]
        return frame

    edit_csv(folder / "sites.csv", move_to_germany)
    with pytest.raises(
        DataError,
        match=r"sites\.csv \(umc-maastricht\): the point \(7\.50000, 51\.00000\) lies outside every Dutch municipality",
    ):
        load_landscape(folder)


def test_swapped_coordinates_are_named(regions_copy: RegionsCopy) -> None:
    folder = regions_copy()

    def swap(frame: pd.DataFrame) -> pd.DataFrame:
        row = frame["post_id"] == frame["post_id"].iloc[0]
        frame.loc[row, ["lon", "lat"]] = frame.loc[row, ["lat", "lon"]].to_numpy()
        return frame

    edit_csv(folder / "ambulance_posts.csv", swap)
    with pytest.raises(DataError, match="lon and lat look swapped"):
        load_landscape(folder)


def test_negative_population(regions_copy: RegionsCopy) -> None:
    folder = regions_copy()

    def negative(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[frame["pc4"] == "1011", "population"] = "-40"
        return frame

    edit_csv(folder / "pc4.csv", negative)
    with pytest.raises(
        DataError, match=r"pc4\.csv line 2 \(pc4 1011\): population is -40; it must be 0 or more"
    ):
        load_landscape(folder)


def test_not_a_number_and_all_problems_at_once(regions_copy: RegionsCopy) -> None:
    folder = regions_copy()

    def corrupt(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[frame["pc4"] == "1012", "x_rd"] = "twelve"
        frame.loc[frame["pc4"] == "1013", "age_0_4"] = "-1"
        return frame

    edit_csv(folder / "pc4.csv", corrupt)
    with pytest.raises(DataError, match=r"2 problems found") as excinfo:
        load_landscape(folder)
    assert "line 3 (pc4 1012): x_rd 'twelve' is not a number" in str(excinfo.value)
    assert "line 4 (pc4 1013): age_0_4 is -1" in str(excinfo.value)


def test_unknown_seh_state(regions_copy: RegionsCopy) -> None:
    folder = regions_copy()

    def bad_state(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[frame["site_id"] == "umc-maastricht", "seh_2025"] = "nights only"
        return frame

    edit_csv(folder / "sites.csv", bad_state)
    with pytest.raises(
        DataError,
        match=r"site umc-maastricht\): seh_2025 is 'nights only'; valid values: 24/7, limited, none",
    ):
        load_landscape(folder)
