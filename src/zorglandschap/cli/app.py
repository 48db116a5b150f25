"""The Typer application the command groups register on, its console, and the shared options."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from zorglandschap.landscape import load_landscape

if TYPE_CHECKING:
    from zorglandschap.access import Reach
    from zorglandschap.landscape.state import SiteState
    from zorglandschap.vocab import RegionLayer

app = typer.Typer(
    help="Plan the Dutch hospital care landscape on the embedded Netherlands.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
travel_app = typer.Typer(
    help="Travel-time network, matrices and calibration.", no_args_is_help=True
)
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


SitesOption = Annotated[
    str, typer.Option("--sites", help="Site state: 2019, 2025 or a scenario .toml file.")
]
ServiceOption = Annotated[str, typer.Option("--service", help="seh or av (acute obstetrics).")]
BlockOption = Annotated[
    str,
    typer.Option("--block", help="Time block: day, evening, night or weekend (dag, avond, nacht)."),
]
MinutesOption = Annotated[
    float | None, typer.Option("--minutes", help="Travel-time norm in minutes (default 45).")
]
FixedMinutesOption = Annotated[
    float | None,
    typer.Option(
        "--fixed-minutes",
        help="Dispatch + on-scene minutes in the RIVM composite (default: the calibrated value).",
    ),
]
RegimeOption = Annotated[
    str | None,
    typer.Option(
        "--regime",
        help="Calibration regime of the RIVM composite: rivm2022 (default, RIVM's current "
        "speeds) or rivm2019 (before its 2021 update); docs/access.md.",
    ),
]
ByOption = Annotated[
    str,
    typer.Option(
        "--by",
        help="Regions: roaz, iza, iza42, province (provincie) or municipality (gemeente).",
    ),
]


CloseOption = Annotated[
    list[str] | None,
    typer.Option(
        "--close",
        help="What-if: SITE closes its SEH, or SITE:night (nacht) closes it at night "
        "(repeatable; ids from `zorglandschap sites`).",
    ),
]
SpoedpostOption = Annotated[
    list[str] | None,
    typer.Option(
        "--spoedpost",
        help="What-if: SITE's SEH becomes a spoedpost, no ambulance intake (repeatable).",
    ),
]
TablesOutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Also write the tables: FILE.csv (the main table; the others beside it), "
        "FILE.xlsx (a sheet each) or FILE.gpkg (GIS layers, QGIS).",
    ),
]


def _reach(
    regions: Path | None,
    sites: str,
    service: str,
    block: str,
    minutes: float | None,
    fixed_minutes: float | None = None,
    *,
    close: list[str] | None = None,
    spoedpost: list[str] | None = None,
    layer: RegionLayer = "roaz",
    regime: str | None = None,
) -> tuple[Reach, SiteState]:
    """Resolve the selectors (a baseline year or a scenario file, and the what-ifs) and compute
    reach (:func:`zorglandschap.scenario.selection.select`).

    The choices (service, block; Dutch block names taken) and numbers (``--minutes``,
    ``--fixed-minutes``) are checked before any data is read, so a bad one costs nothing and
    says which option is wrong.
    """
    from zorglandschap.access import check_choice
    from zorglandschap.checks import FixedMinutes, check_value
    from zorglandschap.scenario.selection import select
    from zorglandschap.vocab import BLOCK_ALIASES, REGIME_NAMES, SERVICES, TIME_BLOCKS, unalias

    check_choice(service, SERVICES, "service")
    block = check_choice(unalias(block, BLOCK_ALIASES), TIME_BLOCKS, "time block")
    if fixed_minutes is not None:
        check_value("--fixed-minutes", fixed_minutes, FixedMinutes)
    if regime is not None:
        check_choice(regime, REGIME_NAMES, "--regime")
    landscape = load_landscape(regions)
    chosen = select(
        landscape,
        sites,
        close=close or (),
        spoedpost=spoedpost or (),
        fixed_minutes=fixed_minutes,
        regime=regime,
    )
    result = chosen.reach(service=service, block=block, minutes=minutes, layer=layer)
    return result, chosen.state
