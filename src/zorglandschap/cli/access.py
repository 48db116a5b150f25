"""``zorglandschap reach``, ``sensitive`` and ``map``: 45-minute reach and sensitive SEHs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from zorglandschap.checks import Count, check_value
from zorglandschap.cli.app import (
    AccessOptions,
    BlockOption,
    ByOption,
    CloseOption,
    FixedMinutesOption,
    JsonOption,
    MatrixOption,
    MatrixUnitOption,
    MinutesOption,
    RegimeOption,
    RegionsOption,
    ServiceOption,
    SitesOption,
    SpoedpostOption,
    TablesOutOption,
    _reach,
    app,
    console,
    travel_words,
)
from zorglandschap.cli.figure import BeforeAfterOption, RegionOption, save_written
from zorglandschap.vocab import BY_CHOICES, LAYER_ALIASES, RegionLayer, unalias

if TYPE_CHECKING:
    import pandas as pd

    from zorglandschap.access import Reach, Sensitivity
    from zorglandschap.landscape.state import SiteState


@app.command("reach")
def reach_command(
    sites: SitesOption = "2025",
    service: ServiceOption = "seh",
    block: BlockOption = "day",
    minutes: MinutesOption = None,
    fixed_minutes: FixedMinutesOption = None,
    regime: RegimeOption = None,
    by: ByOption = "roaz",
    close: CloseOption = None,
    spoedpost: SpoedpostOption = None,
    matrix: MatrixOption = None,
    matrix_unit: MatrixUnitOption = None,
    out: TablesOutOption = None,
    regions: RegionsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Who reaches an open SEH (or acute obstetrics) within the norm, RIVM composite time."""
    from zorglandschap.access import check_choice

    layer = check_choice(unalias(by, LAYER_ALIASES), BY_CHOICES, "--by layer")
    _check_out(out)
    options = AccessOptions(
        sites, service, block, minutes, fixed_minutes, regime, close, spoedpost, matrix,
        matrix_unit,
    )  # fmt: skip
    result, state = _reach(regions, options, layer=layer)
    _write_tables(result, state, out)
    if as_json:
        typer.echo(result.to_json(layer))
        return
    block = result.block
    s = result.summary()
    console.print(
        f"[bold]{service.upper()} reach, {block}, sites {escape(s['sites'])}[/] "
        f"(regime {s['regime']}{travel_words(s['travel_source'])}): "
        f"{s['open_sites']} open sites; {s['within']:,} of {s['population']:,} inhabitants "
        f"({100 * s['share_within']:.2f} %) within {s['minutes']:g} min; "
        f"[bold]{s['beyond']:,} beyond[/]; "
        f"mean {s['mean_minutes']} min, P90 {s['p90_minutes']} min."
    )
    console.print(_regions_table(result.by_region(layer), layer))


def _check_out(out: Path | None) -> None:
    """A bad ``--out`` suffix or folder fails before the computation."""
    if out is None:
        return
    from zorglandschap.cli.figure import prepare_folder
    from zorglandschap.report.export import check_table_path

    check_table_path(out)
    save_written(lambda: prepare_folder(out), out)


def _write_tables(result: Reach | Sensitivity, state: SiteState, out: Path | None) -> None:
    """Write ``--out``; the note goes to stderr (stdout may be JSON)."""
    if out is None:
        return
    from rich.console import Console

    from zorglandschap.report.gis import write_result_file

    written = save_written(lambda: write_result_file(result, state, out)[0], out)
    Console(stderr=True).print(f"wrote {escape(str(written))}", highlight=False)


def _regions_table(frame: pd.DataFrame, layer: RegionLayer) -> Table:
    """The reach indicators per region as a table (names escaped: they are not markup)."""
    table = Table(title=f"By {layer}")
    table.add_column(layer)
    if "name" in frame:
        table.add_column("name")
    for column in ("population", "beyond", "share within", "mean min", "P90 min"):
        table.add_column(column, justify="right")
    for code, row in frame.iterrows():
        cells = [escape(str(code))] + ([escape(str(row["name"]))] if "name" in frame else [])
        cells += [
            f"{row['population']:,.0f}",
            f"{row['beyond']:,.0f}",
            f"{100 * row['share_within']:.2f} %",
            str(row["mean_minutes"]),
            str(row["p90_minutes"]),
        ]
        table.add_row(*cells)
    return table


@app.command("sensitive")
def sensitive_command(
    sites: SitesOption = "2025",
    service: ServiceOption = "seh",
    block: BlockOption = "day",
    minutes: MinutesOption = None,
    fixed_minutes: FixedMinutesOption = None,
    regime: RegimeOption = None,
    top: Annotated[
        int | None, typer.Option("--top", help="Show only the N most sensitive.")
    ] = None,
    close: CloseOption = None,
    spoedpost: SpoedpostOption = None,
    matrix: MatrixOption = None,
    matrix_unit: MatrixUnitOption = None,
    out: TablesOutOption = None,
    regions: RegionsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Sensitive SEHs: the extra population beyond the norm if each open site alone closes."""
    from zorglandschap.access import sensitivity

    if top is not None:
        check_value("--top", top, Count)
    _check_out(out)
    options = AccessOptions(
        sites, service, block, minutes, fixed_minutes, regime, close, spoedpost, matrix,
        matrix_unit,
    )  # fmt: skip
    result, state = _reach(regions, options)
    found = sensitivity(result, sites=top)
    _write_tables(found, state, out)
    block = result.block
    if as_json:
        typer.echo(found.to_json())
        return
    title = (
        f"Sensitive sites ({service.upper()}, {block}, sites {escape(result.state_name)}, "
        f"regime {result.settings.travel.regime}{travel_words(result.travel_source)})"
    )
    table = Table(title=title)
    for column in ("site", "name", "extra beyond", "where they live"):
        table.add_column(column, justify="right" if column == "extra beyond" else "left")
    for site_id, row in found.sites.iterrows():
        where = ", ".join(f"{n} {v:,}" for n, v in row["municipalities"].items())
        cells = (str(site_id), str(row["name"]), f"{row['extra_beyond']:,}", where)
        table.add_row(*(escape(cell) for cell in cells))
    console.print(table)


@app.command("map")
def map_command(
    sites: SitesOption = "2025",
    service: ServiceOption = "seh",
    block: BlockOption = "day",
    minutes: MinutesOption = None,
    fixed_minutes: FixedMinutesOption = None,
    regime: RegimeOption = None,
    region: RegionOption = None,
    before_after: BeforeAfterOption = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="HTML file to write (default maps/reach-SITES-SERVICE-BLOCK.html)."
        ),
    ] = None,
    close: CloseOption = None,
    spoedpost: SpoedpostOption = None,
    matrix: MatrixOption = None,
    matrix_unit: MatrixUnitOption = None,
    regions: RegionsOption = None,
) -> None:
    """An interactive HTML map of reach and sensitive sites (opens offline in a browser)."""
    from zorglandschap.cli.figure import map_inputs, prepare_folder
    from zorglandschap.maps import before_after_map, reach_map, save_map

    if out is not None:
        target = out
        save_written(lambda: prepare_folder(target), target)
    options = AccessOptions(
        sites, service, block, minutes, fixed_minutes, regime, close, spoedpost, matrix,
        matrix_unit,
    )  # fmt: skip
    inputs = map_inputs(regions, options, region, before_after)
    if inputs.before is not None:
        assert inputs.baseline is not None
        m = before_after_map(
            inputs.before, inputs.after, inputs.baseline, inputs.state, region=inputs.region
        )
    else:
        m = reach_map(inputs.after, inputs.state, region=inputs.region, baseline=inputs.baseline)
    if out is None:
        out = Path("maps") / f"{inputs.stem}.html"
    path = save_written(lambda: save_map(m, out), out)
    size = path.stat().st_size / 1e6
    console.print(f"wrote {escape(str(path))} ({size:.1f} MB): open it in a browser.")
