"""``zorglandschap travel ...``: the travel-time network and its calibration."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from zorglandschap.cli.app import JsonOption, RegionsOption, console, print_json, travel_app
from zorglandschap.landscape import load_landscape


@travel_app.command("calibrate")
def travel_calibrate_command(
    regions: RegionsOption = None,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data", help="The shared source data folder (default ../shared/data)."),
    ] = None,
    refit: Annotated[
        bool, typer.Option("--fit", help="Fit the speed constants instead of checking them.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Check (or --fit) the travel constants against the Utrecht siren matrix and isochrones."""
    from zorglandschap.travel.calibration import calibration_report, fit

    landscape = load_landscape(regions)
    report = (
        fit(landscape, data=data_dir)[1] if refit else calibration_report(landscape, data=data_dir)
    )
    if as_json:
        print_json(report)
        return
    table = Table(title="Travel-time calibration (docs/travel.md)", show_header=True)
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in report.items():
        if key != "constants":
            table.add_row(key, str(value))
    console.print(table)
