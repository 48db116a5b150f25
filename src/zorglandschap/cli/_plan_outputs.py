"""The regional view and the print figure of ``concentrate``'s plan (``--region``,
``--figure``): options and the two small steps the command calls."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zorglandschap.errors import ScenarioError

if TYPE_CHECKING:
    from zorglandschap.landscape import Landscape
    from zorglandschap.optimise import ConcentrationResult
    from zorglandschap.report.region import RegionView

PlanFigureOption = Annotated[
    Path | None,
    typer.Option(
        "--figure",
        help="Print figure of the plan to write (A4): FIG.png (300 dpi), FIG.pdf or FIG.svg.",
    ),
]
PlanRegionOption = Annotated[
    str | None,
    typer.Option(
        "--region",
        help="With --map or --figure: show one region of the national plan, LAYER:NAME: "
        'roaz:ROAZ04, iza:"Rotterdam Rijnmond", province:Zeeland, gemeente:Sluis.',
    ),
]


def check_plan_views(region: str | None, *, map_path: Path | None, figure: Path | None) -> None:
    """Refuse, before any computation, a figure suffix that cannot be written and a
    ``--region`` with nothing to show it on.

    Raises
    ------
    ScenarioError
        Naming the option, the value and the fix.
    """
    from zorglandschap.maps.static import check_format

    if figure is not None:
        try:
            check_format(figure)
        except ScenarioError as exc:
            raise ScenarioError(str(exc).replace("--out ", "--figure ", 1)) from None
    if region is not None and map_path is None and figure is None:
        raise ScenarioError(
            f"--region {region!r} shows one region on the plan's map or figure; give --map "
            "FILE.html or --figure FILE.png with it."
        )


def plan_region(region: str | None, landscape: Landscape) -> RegionView | None:
    """The region to show (:func:`~zorglandschap.report.region.parse_region`), or None."""
    from zorglandschap.report.region import parse_region

    return None if region is None else parse_region(region, landscape)


def write_plan_figure(
    result: ConcentrationResult, landscape: Landscape, path: Path, region: RegionView | None
) -> Path:
    """Draw the plan's print figure (national or of ``region``) and save it atomically."""
    from zorglandschap.maps.plan_figure import plan_figure
    from zorglandschap.maps.static import save_figure

    return save_figure(plan_figure(result, landscape, region=region), path)


__all__ = [
    "PlanFigureOption",
    "PlanRegionOption",
    "check_plan_views",
    "plan_region",
    "write_plan_figure",
]
