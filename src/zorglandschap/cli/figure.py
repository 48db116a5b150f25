"""``zorglandschap figure``: print figures (PNG, PDF, SVG) of reach, nationally or for a region,
and before/after a scenario; and the inputs the ``map`` command shares with it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

from zorglandschap.cli.app import (
    AccessOptions,
    BlockOption,
    FixedMinutesOption,
    MatrixOption,
    MatrixUnitOption,
    MinutesOption,
    RegimeOption,
    RegionsOption,
    ServiceOption,
    SitesOption,
    app,
    console,
)
from zorglandschap.errors import OutputError, ScenarioError
from zorglandschap.landscape import load_landscape

if TYPE_CHECKING:
    from zorglandschap.access import Reach
    from zorglandschap.landscape.state import SiteState
    from zorglandschap.maps.static import Orientation
    from zorglandschap.report.region import RegionView
    from zorglandschap.vocab import Service

RegionOption = Annotated[
    str | None,
    typer.Option(
        "--region",
        help='Show one region, LAYER:NAME: roaz:ROAZ08, iza:"Zuid-Limburg", province:Zeeland, '
        "gemeente:Sluis (computed on national travel times).",
    ),
]
BeforeAfterOption = Annotated[
    bool,
    typer.Option(
        "--before-after",
        help="With --sites SCENARIO.toml: the scenario against its baseline year, and the "
        "added minutes.",
    ),
]


@dataclass(frozen=True)
class MapInputs:
    """What a map or figure draws: the reach after (or only), before, states, region."""

    after: Reach
    state: SiteState
    before: Reach | None
    baseline: SiteState | None
    region: RegionView | None
    stem: str


def map_inputs(
    regions: Path | None, options: AccessOptions, region_text: str | None, before_after: bool
) -> MapInputs:
    """Check the options, resolve the selection and compute reach on the whole country (and
    its baseline).

    A scenario's baseline is the year its file names (``baseline = 2025``); it is computed with
    the default settings, the scenario with its own. With what-ifs (``--close``,
    ``--spoedpost``) on a year, the baseline is that year. ``--fixed-minutes``, ``--regime``
    and the travel times (``--matrix``, a scenario's ``matrix``) apply to both.
    """
    from zorglandschap.access import reach
    from zorglandschap.report.region import parse_region
    from zorglandschap.scenario import baseline_state, site_state
    from zorglandschap.settings import DEFAULT_SETTINGS

    options = options.checked()
    sites, block = options.sites, options.block
    what_ifs = bool(options.close or options.spoedpost)
    if before_after and not sites.endswith(".toml") and not what_ifs:
        raise ScenarioError(
            f"--before-after compares a scenario with its baseline; --sites {sites!r} is not a "
            "scenario file: give --sites scenarios/NAME.toml (or what-ifs: --close SITE)."
        )
    landscape = load_landscape(regions)
    region = None if region_text is None else parse_region(region_text, landscape)
    chosen = options.select(landscape)
    baseline: SiteState | None
    if chosen.scenario is not None:
        baseline = baseline_state(landscape, chosen.scenario.baseline)
    else:
        baseline = site_state(landscape, sites) if what_ifs else None
    base_settings = DEFAULT_SETTINGS
    if options.regime is not None:
        base_settings = base_settings.replace(travel={"regime": options.regime})
    if options.fixed_minutes is not None:
        base_settings = base_settings.replace(
            travel={"composite_fixed_minutes": options.fixed_minutes}
        )
    kind = cast("Service", options.service)  # checked above
    after = chosen.reach(service=kind, block=block, minutes=options.minutes)
    before = None
    if before_after and baseline is not None:
        before = reach(
            landscape, baseline, service=kind, block=block, minutes=options.minutes,
            settings=base_settings, source=chosen.travel,
        )  # fmt: skip
    return MapInputs(after, chosen.state, before, baseline, region, _stem(options, region, before))


def _stem(options: AccessOptions, region: RegionView | None, before: Reach | None) -> str:
    """The default file name of a map: sites, service, block, what-ifs, region, regime."""
    stem = f"reach-{Path(options.sites).stem}-{options.service}-{options.block}"
    what_ifs = [*(options.close or []), *(f"{s}:spoedpost" for s in options.spoedpost or [])]
    for text in what_ifs:
        stem += "-" + re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if region is not None:
        stem += "-" + re.sub(r"[^a-z0-9]+", "-", f"{region.layer} {region.name}".lower()).strip("-")
    if options.regime is not None:
        stem += f"-{options.regime}"
    if before is not None:
        stem += "-before-after"
    return stem


def prepare_folder(target: Path) -> Path:
    """Create ``target``'s folder (so that a path that cannot be written fails before the
    computation, not after it)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def save_written(write: Callable[[], Path], target: Path) -> Path:
    """Run a writer; a file that cannot be written becomes one clear :class:`OutputError`."""
    try:
        return write()
    except OSError as exc:
        raise OutputError(
            f"Cannot write {target}: {exc.strerror or exc}; give a file path in "
            "a folder you can write to."
        ) from None


@app.command("figure")
def figure_command(
    out: Annotated[
        Path,
        typer.Option("--out", help="Figure to write: FIG.png (300 dpi), FIG.pdf or FIG.svg."),
    ],
    sites: SitesOption = "2025",
    service: ServiceOption = "seh",
    block: BlockOption = "day",
    minutes: MinutesOption = None,
    fixed_minutes: FixedMinutesOption = None,
    regime: RegimeOption = None,
    region: RegionOption = None,
    before_after: BeforeAfterOption = False,
    orientation: Annotated[
        str, typer.Option("--orientation", help="A4 landscape (default) or portrait.")
    ] = "landscape",
    matrix: MatrixOption = None,
    matrix_unit: MatrixUnitOption = None,
    regions: RegionsOption = None,
) -> None:
    """A print figure (A4, PNG/PDF/SVG) of reach: national, regional, or before/after."""
    from zorglandschap.maps.static import (
        ORIENTATIONS,
        before_after_figure,
        check_format,
        reach_figure,
        save_figure,
    )

    check_format(out)  # before the (slower) computation
    save_written(lambda: prepare_folder(out), out)
    if orientation not in ORIENTATIONS:
        raise ScenarioError(f"--orientation {orientation!r}: use one of {', '.join(ORIENTATIONS)}.")
    kind = cast("Orientation", orientation)
    options = AccessOptions(
        sites, service, block, minutes, fixed_minutes, regime, matrix=matrix,
        matrix_unit=matrix_unit,
    )  # fmt: skip
    inputs = map_inputs(regions, options, region, before_after)
    if inputs.before is not None:
        assert inputs.baseline is not None
        figure = before_after_figure(
            inputs.before, inputs.after, inputs.baseline, inputs.state,
            region=inputs.region, orientation=kind,
        )  # fmt: skip
    else:
        figure = reach_figure(
            inputs.after, inputs.state, region=inputs.region, baseline=inputs.baseline,
            orientation=kind,
        )  # fmt: skip
    path = save_written(lambda: save_figure(figure, out), out)
    console.print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB).")


__all__ = [
    "BeforeAfterOption",
    "MapInputs",
    "RegionOption",
    "figure_command",
    "map_inputs",
    "prepare_folder",
    "save_written",
]
