"""The Typer application the command groups register on, its console, and the shared options."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from zorglandschap.landscape import load_landscape

if TYPE_CHECKING:
    from zorglandschap.access import Reach
    from zorglandschap.landscape import Landscape
    from zorglandschap.landscape.state import SiteState
    from zorglandschap.scenario.selection import Selection
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


MatrixOption = Annotated[
    list[str] | None,
    typer.Option(
        "--matrix",
        help="Travel times from your own matrix instead of the default network: FILE.csv or "
        "FILE.parquet (a row per PC4 or post, a column per site), or PROFILE=FILE per profile "
        "(ambulance=…, car=…; repeatable); docs/travel.md.",
    ),
]
MatrixUnitOption = Annotated[
    str | None,
    typer.Option(
        "--matrix-unit", help="Unit of the --matrix cells: minutes (default), seconds or hours."
    ),
]


@dataclass(frozen=True)
class AccessOptions:
    """The options the access commands share (``reach``, ``sensitive``, ``map``, ``figure``):
    what they select and how travel is timed. :meth:`checked` checks them all before any data
    is read, so a bad one costs nothing and says which option is wrong."""

    sites: str = "2025"
    service: str = "seh"
    block: str = "day"
    minutes: float | None = None
    fixed_minutes: float | None = None
    regime: str | None = None
    close: list[str] | None = None
    spoedpost: list[str] | None = None
    matrix: list[str] | None = None
    matrix_unit: str | None = None

    def checked(self) -> AccessOptions:
        """These options with the block's Dutch name resolved; a :class:`ScenarioError` (or
        :class:`DataError` for the matrix) naming the first bad option."""
        from zorglandschap.access import check_choice
        from zorglandschap.checks import FixedMinutes, Minutes, check_value
        from zorglandschap.scenario.travel import matrix_source
        from zorglandschap.vocab import BLOCK_ALIASES, REGIME_NAMES, SERVICES, TIME_BLOCKS, unalias

        check_choice(self.service, SERVICES, "service")
        block = check_choice(unalias(self.block, BLOCK_ALIASES), TIME_BLOCKS, "time block")
        if self.minutes is not None:
            check_value("--minutes", self.minutes, Minutes)
        if self.fixed_minutes is not None:
            check_value("--fixed-minutes", self.fixed_minutes, FixedMinutes)
        if self.regime is not None:
            check_choice(self.regime, REGIME_NAMES, "--regime")
        matrix_source(self.matrix, self.matrix_unit)  # the paths and unit, before the data
        return dataclasses.replace(self, block=block)

    def select(self, landscape: Landscape) -> Selection:
        """The selection these options make on ``landscape``
        (:func:`zorglandschap.scenario.selection.select`)."""
        from zorglandschap.scenario.selection import select

        return select(
            landscape,
            self.sites,
            close=self.close or (),
            spoedpost=self.spoedpost or (),
            fixed_minutes=self.fixed_minutes,
            regime=self.regime,
            matrix=self.matrix,
            matrix_unit=self.matrix_unit,
        )


def travel_words(travel: str) -> str:
    """``, travel: matrix file …`` when the times are not the default network's ("" else)."""
    from rich.markup import escape

    from zorglandschap.travel import NETWORK_LABEL

    return "" if travel == NETWORK_LABEL else f", travel: {escape(travel)}"


def _reach(
    regions: Path | None, options: AccessOptions, *, layer: RegionLayer = "roaz"
) -> tuple[Reach, SiteState]:
    """Check the options, resolve the selection (a baseline year or a scenario file, the
    what-ifs, the travel times) and compute reach."""
    options = options.checked()
    chosen = options.select(load_landscape(regions))
    result = chosen.reach(
        service=options.service, block=options.block, minutes=options.minutes, layer=layer
    )
    return result, chosen.state
