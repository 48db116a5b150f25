"""The ``zorglandschap`` command: a thin layer that parses, calls one library function, prints.

All logic lives in the library modules; every command here is usable from Python too. One
module per command group registers its commands on :data:`app`.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from zorglandschap.cli import access, compare, concentrate, data, figure, run, sites, travel
from zorglandschap.cli.app import app
from zorglandschap.errors import ZorglandschapError

__all__ = [
    "access",
    "app",
    "compare",
    "concentrate",
    "data",
    "figure",
    "main",
    "run",
    "sites",
    "travel",
]


def main() -> None:
    """Entry point: run the app and turn the package's own errors into one clear line."""
    try:
        app()
    except ZorglandschapError as exc:
        # escaped: messages quote TOML tables ("[concentration]"), which are not rich markup
        Console(stderr=True).print(
            f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True
        )
        raise SystemExit(exc.exit_code) from None
