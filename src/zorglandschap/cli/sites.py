"""``zorglandschap sites``: the site ids, names, places and services (find an id to use)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from zorglandschap.cli.app import JsonOption, RegionsOption, app, console, print_json
from zorglandschap.landscape import load_landscape
from zorglandschap.landscape.catalogue import closest_site_names, site_catalogue
from zorglandschap.result import json_records


@app.command("sites")
def sites_command(
    search: Annotated[
        str | None,
        typer.Option("--search", help="Words to look for in id, name, city or municipality."),
    ] = None,
    year: Annotated[
        int, typer.Option("--year", help="Services of this year: 2019 or 2025.")
    ] = 2025,
    regions: RegionsOption = None,
    as_json: JsonOption = False,
) -> None:
    """List hospital locations: site id, name, municipality, ROAZ region, SEH, AV, NICU."""
    landscape = load_landscape(regions)
    frame = site_catalogue(landscape, year, search=search)
    if as_json:
        print_json(json_records(frame.reset_index()))
        return
    if frame.empty:
        close = closest_site_names(landscape, search or "")
        hint = f" Closest: {', '.join(close)}." if close else ""
        console.print(f"No site matches {escape(repr(search))}.{hint}", highlight=False)
        raise typer.Exit(0)
    table = Table(title=f"Hospital locations ({year}): {len(frame)}")
    table.add_column("site_id", no_wrap=True)  # the id is what the user copies: never cut
    for column in ("name", "municipality", "ROAZ", "SEH", "AV", "NICU"):
        table.add_column(column)
    for site_id, row in frame.iterrows():
        table.add_row(
            str(site_id), escape(str(row["name"])), escape(str(row["municipality"])),
            str(row["roaz"]), str(row["seh"]), "yes" if row["av"] else "",
            "yes" if row["nicu"] else "",
        )  # fmt: skip
    console.print(table)
