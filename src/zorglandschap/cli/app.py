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
    str, typer.Option("--block", help="Time block: day, evening, night or weekend.")
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
    str, typer.Option("--by", help="Regions: roaz, iza, iza42, province or municipality.")
]


def _reach(
    regions: Path | None,
    sites: str,
    service: str,
    block: str,
    minutes: float | None,
    fixed_minutes: float | None = None,
    regime: str | None = None,
) -> tuple[Reach, SiteState]:
    """Resolve the selectors (a baseline year or a scenario file) and compute reach.

    The choices (service, block) and numbers (``--minutes``, ``--fixed-minutes``) are checked
    before any data is read, so a bad one costs nothing and says which option is wrong.
    """
    from zorglandschap.access import check_choice, reach
    from zorglandschap.checks import FixedMinutes, check_value
    from zorglandschap.scenario import load_scenario, site_state
    from zorglandschap.settings import DEFAULT_SETTINGS
    from zorglandschap.vocab import REGIME_NAMES, SERVICES, TIME_BLOCKS

    check_choice(service, SERVICES, "service")
    check_choice(block, TIME_BLOCKS, "time block")
    if fixed_minutes is not None:
        check_value("--fixed-minutes", fixed_minutes, FixedMinutes)
    if regime is not None:
        check_choice(regime, REGIME_NAMES, "--regime")
    landscape = load_landscape(regions)
    settings = DEFAULT_SETTINGS
    if sites.endswith(".toml"):
        scenario = load_scenario(sites, landscape)
        state, settings = scenario.state, scenario.settings
    else:
        state = site_state(landscape, sites)
    if regime is not None:
        settings = settings.replace(travel={"regime": regime})
    if fixed_minutes is not None:
        settings = settings.replace(travel={"composite_fixed_minutes": fixed_minutes})
    result = reach(
        landscape, state, service=service, block=block, minutes=minutes, settings=settings
    )
    return result, state
