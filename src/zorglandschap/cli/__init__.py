"""The ``zorglandschap`` command: a thin layer that parses, calls one library function, prints.

All logic lives in the library modules; every command here is usable from Python too. One
module per command group registers its commands on :data:`app`.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

# one command group per module, registered on `app` when imported (one line each)
from zorglandschap.cli import access as access
from zorglandschap.cli import compare as compare
from zorglandschap.cli import concentrate as concentrate
from zorglandschap.cli import data as data
from zorglandschap.cli import figure as figure
from zorglandschap.cli import run as run
from zorglandschap.cli import sites as sites
from zorglandschap.cli import spread as spread
from zorglandschap.cli import travel as travel
from zorglandschap.cli.app import app
from zorglandschap.errors import ZorglandschapError

__all__ = ["app", "main"]


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
