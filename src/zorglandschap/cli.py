"""The ``zorglandschap`` command: a thin layer that parses, calls one library function, prints.

All logic lives in the library modules; every command here is usable from Python too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from zorglandschap.errors import ZorglandschapError
from zorglandschap.landscape import load_landscape

app = typer.Typer(
    help="Plan the Dutch hospital care landscape on the embedded Netherlands.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
travel_app = typer.Typer(help="Travel-time network, matrices and calibration.", no_args_is_help=True)
app.add_typer(travel_app, name="travel")

console = Console()

RegionsOption = Annotated[
    Path | None,
    typer.Option("--regions", help="Folder with the regions/ data (default: the embedded data)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]


def print_json(payload: Any) -> None:
    """Print ``payload`` as stable, sorted JSON (same inputs, same bytes)."""
    typer.echo(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False))


@app.command()
def data(regions: RegionsOption = None, as_json: JsonOption = False) -> None:
    """Summarise the embedded Netherlands: counts per layer, population, sites per year."""
    summary = load_landscape(regions).summary()
    if as_json:
        print_json(summary)
        return
    table = Table(title=f"Embedded Netherlands ({summary['source']})", show_header=True)
    table.add_column("layer")
    table.add_column("count", justify="right")
    rows = [
        ("municipalities (CBS 2024)", summary["municipalities"]),
        ("PC4 demand points", summary["pc4"]),
        (f"population ({summary['population_year']})", f"{summary['population']:,}"),
        ("provinces", summary["provinces"]),
        ("veiligheidsregio's (RAV)", summary["veiligheidsregios"]),
        ("zorgkantoorregio's", summary["zorgkantoorregios"]),
        ("ROAZ regions", summary["roaz_regions"]),
        ("IZA regions (38; 42 SPUK)", f"{summary['iza_regions']} ({summary['iza42_regions']})"),
        ("hospital locations (RIVM 2019 list)", summary["hospital_locations"]),
        ("outpatient clinics (2016)", summary["outpatient_clinics"]),
        ("ambulance posts (2019)", sum(summary["ambulance_posts"].values())),
        ("interventions with a volume norm", summary["interventions_with_norm"]),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    console.print(table)
    services = Table(title="Sites by service", show_header=True)
    services.add_column("service")
    for year in summary["seh_24_7"]:
        services.add_column(year, justify="right")
    for key, label in [
        ("seh_24_7", "SEH 24/7"),
        ("seh_limited", "SEH limited hours"),
        ("acute_obstetrics", "acute obstetrics (AV)"),
        ("nicu", "NICU"),
    ]:
        services.add_row(label, *(str(v) for v in summary[key].values()))
    console.print(services)


def main() -> None:
    """Entry point: run the app and turn the package's own errors into one clear line."""
    try:
        app()
    except ZorglandschapError as exc:
        Console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
