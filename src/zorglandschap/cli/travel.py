"""``zorglandschap travel ...``: the travel-time network and its calibration."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from zorglandschap.cli.app import JsonOption, RegionsOption, console, print_json, travel_app
from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape, load_landscape
from zorglandschap.vocab import REGIME_NAMES

RegimeOption = Annotated[
    str | None,
    typer.Option(
        "--regime",
        help=(
            "Fit a calibration regime of the RIVM composite on RIVM's counts and check it "
            f"({', '.join(REGIME_NAMES)}); without it, check the travel constants."
        ),
    ),
]


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
    regime: RegimeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check (or --fit) the travel constants against the Utrecht siren matrix and isochrones,
    or fit a --regime of the RIVM composite on RIVM's published counts."""
    landscape = load_landscape(regions)
    if regime is not None:
        _regime_command(landscape, regime, as_json)
        return
    from zorglandschap.travel.calibration import calibration_report, fit

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


def _regime_command(landscape: Landscape, name: str, as_json: bool) -> None:
    """Fit regime ``name`` and print its figures next to RIVM's."""
    from zorglandschap.access.regimes import fit_regime

    result = fit_regime(landscape, name)
    if as_json:
        typer.echo(result.to_json())
        return
    summary = result.summary()
    console.print(
        f"[bold]{name}[/]: fixed minutes {summary['fixed_minutes']}, ambulance speed factor "
        f"{summary['ambulance_speed_factor']} (fitted: {', '.join(summary['fitted'])}; "
        f"settings {'match' if summary['matches_settings'] else 'DIFFER: ' + str(summary['settings'])})",
        highlight=False,
    )
    table = Table(title=f"Regime {name} against RIVM (docs/access.md)", show_header=True)
    for column in ("measure", "role", "sites on", "RIVM", "model", "error", "tolerance"):
        table.add_column(column, justify="left" if column in {"measure", "role"} else "right")
    for row in result.figures.itertuples():
        table.add_row(
            str(row.measure),
            str(row.role),
            str(row.state_date),
            "—"
            if row.rivm != row.rivm
            else f"{row.rivm:,.0f}"
            if row.rivm >= 100
            else f"{row.rivm:g}",
            f"{row.model:,.0f}",
            "—" if row.error != row.error else f"{row.error:+,.0f} ({row.error_pct:+.1f} %)",
            "—" if row.tolerance != row.tolerance else f"± {row.tolerance:,.0f}",
        )
    console.print(table)


@travel_app.command("export")
def travel_export_command(
    out: Annotated[
        Path,
        typer.Option("--out", help="The matrix file to write: FILE.csv (or FILE.parquet)."),
    ],
    profile: Annotated[
        str, typer.Option("--profile", help="ambulance (siren; with the posts) or car.")
    ] = "ambulance",
    regime: Annotated[
        str | None,
        typer.Option(
            "--regime",
            help="The regime whose ambulance speed factor drives the minutes (default rivm2022).",
        ),
    ] = None,
    regions: RegionsOption = None,
) -> None:
    """Write the default network's travel minutes in the --matrix format: a template for your
    own matrix (same rows and columns), read back by `reach --matrix` with the same figures."""
    from zorglandschap.access import check_choice
    from zorglandschap.cli.figure import prepare_folder, save_written
    from zorglandschap.files import atomic_path
    from zorglandschap.settings import DEFAULT_SETTINGS
    from zorglandschap.travel import network_matrix
    from zorglandschap.travel.matrix_file import MATRIX_SUFFIXES
    from zorglandschap.vocab import PROFILES

    check_choice(profile, PROFILES, "--profile")
    if regime is not None:
        check_choice(regime, REGIME_NAMES, "--regime")
    kind = MATRIX_SUFFIXES.get(out.suffix.lower())
    if kind is None:
        raise ScenarioError(f"--out {out}: write a .csv or .parquet file.")
    save_written(lambda: prepare_folder(out), out)
    settings = DEFAULT_SETTINGS
    if regime is not None:
        settings = settings.replace(travel={"regime": regime})
    frame = network_matrix(load_landscape(regions), profile, settings=settings)

    def write() -> Path:
        with atomic_path(out) as tmp:
            if kind == "csv":
                frame.round(3).to_csv(tmp, float_format="%.3f")
            else:
                frame.to_parquet(tmp)
        return out

    save_written(write, out)
    console.print(
        f"wrote {out}: {frame.shape[0]:,} rows × {frame.shape[1]:,} columns of {profile} "
        f"minutes (regime {settings.travel.regime})."
    )
