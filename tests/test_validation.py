"""Bad input gets a specific error naming the file, the line and the fix."""

from __future__ import annotations

import json
import re
import subprocess
import sys
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


def set_cell(path: Path, id_column: str, row_id: str, column: str, value: str) -> None:
    """Write ``value`` (as text, exactly) into one cell of a regions/ CSV file."""

    def edit(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[frame[id_column] == row_id, column] = value
        return frame

    edit_csv(path, edit)


# Issue 18 item 6: broken data in a regions folder used to pass the loader. Each message names
# the file, the line, the column and the fix.


@pytest.mark.parametrize(
    ("name", "id_column", "row_id", "column", "line", "fix"),
    [
        ("pc4.csv", "pc4", "1011", "population", 2, "give inhabitants, 0 or more"),
        ("pc4.csv", "pc4", "1012", "age_65_69", 3, "give inhabitants, 0 or more"),
        ("pc4.csv", "pc4", "1013", "x_rd", 4, r"give the RD New x in metres \(EPSG:28992\)"),
        ("pc4.csv", "pc4", "1011", "lat", 2, "give the latitude in WGS84 degrees"),
        ("sites.csv", "site_id", "umc-maastricht", "lon", 77, "give the longitude in WGS84"),
        ("ambulance_posts.csv", "post_id", "aalsmeer", "y_rd", 2, "give the RD New y in metres"),
        ("municipality_points.csv", "gemeentecode", "GM0034", "x_rd", 3, "give the RD New x"),
    ],
)
def test_empty_numeric_cell_is_refused(
    regions_copy: RegionsCopy,
    name: str,
    id_column: str,
    row_id: str,
    column: str,
    line: int,
    fix: str,
) -> None:
    folder = regions_copy()
    set_cell(folder / name, id_column, row_id, column, "")
    with pytest.raises(DataError) as excinfo:
        load_landscape(folder)
    message = str(excinfo.value)
    assert re.search(
        rf"{re.escape(name)} line {line} \({id_column} {row_id}\): {column} is empty; {fix}",
        message,
    ), message


@pytest.mark.parametrize("value", ["inf", "-inf", "Infinity"])
def test_non_finite_number_is_refused(regions_copy: RegionsCopy, value: str) -> None:
    folder = regions_copy()
    set_cell(folder / "pc4.csv", "pc4", "1012", "population", value)
    with pytest.raises(
        DataError,
        match=rf"pc4\.csv line 3 \(pc4 1012\): population is '{value}', not a finite number; "
        "give inhabitants, 0 or more",
    ):
        load_landscape(folder)


def test_na_word_in_a_number_column_is_refused(regions_copy: RegionsCopy) -> None:
    folder = regions_copy()
    set_cell(folder / "pc4.csv", "pc4", "1011", "area_km2", "NaN")
    with pytest.raises(
        DataError, match=r"pc4\.csv line 2 \(pc4 1011\): area_km2 'NaN' is not a number"
    ):
        load_landscape(folder)


def test_blank_norm_still_means_not_found(regions_copy: RegionsCopy) -> None:
    """Blank is allowed where the schema says so (a norm that was not found), a word is not."""
    folder = regions_copy()
    norms = pd.read_csv(folder / "norms.csv", dtype=str, keep_default_na=False)
    assert (norms["norm_min_per_year"] == "").sum() > 0
    load_landscape(folder)  # the committed blanks load
    set_cell(
        folder / "norms.csv", "intervention_id", "liver-resection", "norm_min_per_year", "many"
    )
    with pytest.raises(
        DataError,
        match=r"norms\.csv line \d+ \(intervention_id liver-resection\): norm_min_per_year 'many' is not a number",
    ):
        load_landscape(folder)


def test_swapped_pc4_lon_lat_is_refused(regions_copy: RegionsCopy) -> None:
    folder = regions_copy()

    def swap(frame: pd.DataFrame) -> pd.DataFrame:
        row = frame["pc4"] == "3511"
        frame.loc[row, ["lon", "lat"]] = frame.loc[row, ["lat", "lon"]].to_numpy()
        return frame

    edit_csv(folder / "pc4.csv", swap)
    line = (
        2
        + pd.read_csv(folder / "pc4.csv", dtype=str).index[
            pd.read_csv(folder / "pc4.csv", dtype=str)["pc4"] == "3511"
        ][0]
    )
    with pytest.raises(
        DataError,
        match=rf"pc4\.csv \(3511\): the point \(52\.\d+, 5\.\d+\) lies outside the Netherlands "
        rf".*\(line {line}, columns lon, lat\); lon and lat look swapped",
    ):
        load_landscape(folder)


def test_rd_and_lon_lat_that_disagree_are_refused(regions_copy: RegionsCopy) -> None:
    """The network measures in RD, the maps draw lon/lat: a point moved in one pair only, or
    with x_rd and y_rd swapped, would put it in two places."""
    folder = regions_copy()

    def edit(frame: pd.DataFrame) -> pd.DataFrame:
        row = frame["site_id"] == "umc-maastricht"
        frame.loc[row, ["x_rd", "y_rd"]] = frame.loc[row, ["y_rd", "x_rd"]].to_numpy()
        frame.loc[frame["site_id"] == "umc-utrecht", "lon"] = "5.3"  # moved ~10 km west
        return frame

    edit_csv(folder / "sites.csv", edit)
    with pytest.raises(DataError, match="2 problems found") as excinfo:
        load_landscape(folder)
    message = str(excinfo.value)
    assert re.search(
        r"sites\.csv line 77 \(site_id umc-maastricht\): x_rd, y_rd \(\d+, \d+\) lie \d+\.\d km "
        r"from lon, lat .*; x_rd and y_rd look swapped\.",
        message,
    ), message
    assert re.search(
        r"sites\.csv line \d+ \(site_id umc-utrecht\): x_rd, y_rd .* lie \d+\.\d km from lon, "
        r"lat \(5\.30000, .*correct the pair that is wrong",
        message,
    ), message


@pytest.mark.parametrize("name", ["ambulance_posts.csv", "pc4.csv", "sites.csv", "norms.csv"])
def test_a_table_with_a_header_and_no_rows_is_refused(regions_copy: RegionsCopy, name: str) -> None:
    """An empty ambulance_posts.csv made everyone "unreachable" with exit code 0."""
    folder = regions_copy()
    header = (folder / name).read_text(encoding="utf-8").splitlines()[0]
    (folder / name).write_text(header + "\n", encoding="utf-8")
    with pytest.raises(
        DataError,
        match=rf"{re.escape(name)} has a header but no data rows; restore it from git or rebuild",
    ):
        load_landscape(folder)


def test_empty_ambulance_posts_exit_2_on_the_command_line(regions_copy: RegionsCopy) -> None:
    folder = regions_copy()
    path = folder / "ambulance_posts.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", "reach", "--regions", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "ambulance_posts.csv has a header but no data rows" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_empty_id_and_municipality_code_are_named(regions_copy: RegionsCopy) -> None:
    folder = regions_copy()
    set_cell(folder / "pc4.csv", "pc4", "1012", "gemeentecode", "")
    set_cell(folder / "ambulance_posts.csv", "post_id", "aalsmeer", "post_id", "")
    with pytest.raises(DataError, match="2 problems found") as excinfo:
        load_landscape(folder)
    message = str(excinfo.value)
    assert "pc4.csv line 3: gemeentecode is empty; every row needs one." in message
    assert "ambulance_posts.csv line 2: post_id is empty; every row needs one." in message


def test_municipality_without_a_point(regions_copy: RegionsCopy) -> None:
    folder = regions_copy()
    edit_csv(folder / "municipality_points.csv", lambda f: f[f["gemeentecode"] != "GM0014"])
    with pytest.raises(
        DataError,
        match=r"municipality_points\.csv: municipality GM0014 \(Groningen\) has no point; add a row",
    ):
        load_landscape(folder)


def test_empty_population_in_the_municipality_polygons(regions_copy: RegionsCopy) -> None:
    folder = regions_copy()
    path = folder / "municipalities.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    first = data["features"][0]["properties"]
    code = first["gemeentecode"]
    first["population"] = None
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        DataError,
        match=rf"municipalities\.geojson feature 0 \({code}\): population is .*; give a finite number",
    ):
        load_landscape(folder)


def test_many_bad_cells_all_at_once_and_counted(regions_copy: RegionsCopy) -> None:
    """Every problem at once: a few lines are named per column, the rest counted."""
    folder = regions_copy()

    def blank(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[:19, "population"] = ""
        frame.loc[0, "lon"] = "inf"
        return frame

    edit_csv(folder / "pc4.csv", blank)
    set_cell(folder / "ambulance_posts.csv", "post_id", "aalsmeer", "lat", "")
    with pytest.raises(DataError, match=r"8 problems found") as excinfo:
        load_landscape(folder)
    message = str(excinfo.value)
    assert message.count("): population is empty; give inhabitants") == 5
    assert "pc4.csv: 15 more line(s) where population is empty." in message
    assert "pc4.csv line 2 (pc4 1011): lon is 'inf', not a finite number" in message
    assert "ambulance_posts.csv line 2 (post_id aalsmeer): lat is empty" in message
