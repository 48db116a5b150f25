"""``zorglandschap concentrate``: which sites offer a complex intervention under its norm."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from zorglandschap.cli.app import JsonOption, RegionsOption, app, console
from zorglandschap.errors import OutputError
from zorglandschap.landscape import load_landscape

if TYPE_CHECKING:
    from zorglandschap.landscape import Landscape
    from zorglandschap.optimise import ConcentrationResult


InterventionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--intervention",
        help="Intervention id or alias (pancreas, liver, ...); repeat for several.",
    ),
]
NormOption = Annotated[
    float | None, typer.Option("--norm", help="Volume norm per site (default: the norms table).")
]
MaxMinutesOption = Annotated[
    float | None, typer.Option("--max-minutes", help="Maximum travel time (default 90).")
]
PerRoazOption = Annotated[
    int | None, typer.Option("--per-roaz", help="At least N sites per ROAZ region.")
]
PerIzaOption = Annotated[
    int | None,
    typer.Option("--per-iza", help="At least N sites per IZA region (not with --per-roaz)."),
]
ScaleOption = Annotated[
    float | None,
    typer.Option("--scale", help="Multiply the national volume (growth, a later year)."),
]
DemandOption = Annotated[
    str | None,
    typer.Option("--demand", help="Demand level solved on: municipality (default) or pc4."),
]
EligibleOption = Annotated[
    str | None,
    typer.Option("--eligible", help="Candidate sites: all (default), seh_24_7 or seh (2025)."),
]
ClosestOption = Annotated[
    bool | None, typer.Option("--closest", help="Patients go to their nearest offering site.")
]
ScenarioOption = Annotated[
    Path | None,
    typer.Option(
        "--scenario",
        help="Scenario .toml with a \\[concentration] table: the question, its sites and "
        "settings (then no --intervention, --norm, ... flags).",
    ),
]
SolverOption = Annotated[str | None, typer.Option("--solver", help="auto (default), highs or cbc.")]
TimeLimitOption = Annotated[
    float | None, typer.Option("--time-limit", help="Seconds (default from settings).")
]
GapOption = Annotated[
    float | None,
    typer.Option(
        "--gap",
        help="Relative gap at which a plan counts as proven optimal (default from settings, "
        "1e-4 = 0.01 %).",
    ),
]
CsvOption = Annotated[
    Path | None, typer.Option("--csv", help="Folder to write sites/flows/indicators CSV.")
]
MapOption = Annotated[
    Path | None,
    typer.Option(
        "--map", help="HTML file to write the plan's interactive map to (open in a browser)."
    ),
]
GpkgOption = Annotated[
    Path | None,
    typer.Option(
        "--gpkg",
        help="GeoPackage to write the plan's layers to (municipalities, flows, sites; QGIS).",
    ),
]


@app.command("concentrate")
def concentrate_command(
    intervention: InterventionOption = None,
    norm: NormOption = None,
    max_minutes: MaxMinutesOption = None,
    per_roaz: PerRoazOption = None,
    per_iza: PerIzaOption = None,
    scale: ScaleOption = None,
    demand: DemandOption = None,
    eligible: EligibleOption = None,
    closest: ClosestOption = None,
    scenario: ScenarioOption = None,
    solver: SolverOption = None,
    time_limit: TimeLimitOption = None,
    gap: GapOption = None,
    csv: CsvOption = None,
    map_path: MapOption = None,
    gpkg: GpkgOption = None,
    regions: RegionsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Concentrate a complex intervention: which sites offer it, meeting the volume norm."""
    from zorglandschap.scenario import (
        ConcentrationFlags,
        concentration_model,
        load_scenario,
        scenario_model,
    )

    # the flags are checked (the question object's rules) before the slower data load
    flags = ConcentrationFlags.parse(
        intervention=intervention, norm=norm, max_minutes=max_minutes, per_roaz=per_roaz,
        per_iza=per_iza, scale=scale, demand=demand, eligible=eligible, closest=closest,
        scenario=scenario, solver=solver, time_limit=time_limit, gap=gap,
    )  # fmt: skip
    landscape = load_landscape(regions)
    if flags.scenario is not None:
        asked = load_scenario(flags.scenario, landscape)
        model = scenario_model(landscape, asked)
        title = f"{asked.name} ({flags.scenario})"
    else:
        model = concentration_model(landscape, flags.question())
        title = ""
    result = model.solve(solver=flags.solver, time_limit=flags.time_limit, gap=flags.gap)
    if csv is not None:
        result.to_csv(csv)
    if map_path is not None or gpkg is not None:
        _write_plan_outputs(result, landscape, map_path=map_path, gpkg=gpkg)
    if as_json:
        typer.echo(result.to_json())
        return
    _print_plan(result, title)
    if result.status == "infeasible":
        raise typer.Exit(1)


def _print_plan(result: ConcentrationResult, title: str) -> None:
    """The plan for people: one line, the offering sites, the diagnosis."""
    d = result.to_dict()
    gap_text = "n/a" if d["gap"] is None else f"{100 * d['gap']:.3f} %"

    def minutes(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.1f}"

    if title:
        console.print(f"scenario: {escape(title)}", highlight=False)
    console.print(
        f"[bold]{', '.join(result.interventions)}[/]: {result.status} (gap {gap_text}, "
        f"{d['seconds']:.1f} s, {result.solver}); {len(d['sites'])} site(s); mean "
        f"{minutes(d['mean_minutes'])} min, P90 {minutes(d['p90_minutes'])} min, "
        f"max {minutes(d['max_minutes'])} min."
    )
    if d["sites"]:
        table = Table(title="Offering sites")
        for column in ("intervention", "site", "region", "volume", "norm", "change"):
            table.add_column(column, justify="right" if column in ("volume", "norm") else "left")
        for site in d["sites"]:
            table.add_row(
                site["intervention"], site["name"], str(site["region"]),
                f"{site['volume']:.1f}", f"{site['norm']:g}", site["change"],
            )  # fmt: skip
        console.print(table)
    for line in d["diagnosis"]:
        console.print(f"- {escape(line)}", highlight=False, soft_wrap=True)


def _write_plan_outputs(
    result: ConcentrationResult, landscape: Landscape, *, map_path: Path | None, gpkg: Path | None
) -> None:
    """Write the plan's map and/or GeoPackage; the notes go to stderr (stdout may be JSON)."""
    from zorglandschap.maps import concentration_layers, concentration_map, save_layers, save_map

    err = Console(stderr=True)
    wanted = [(path, kind) for path, kind in ((map_path, "map"), (gpkg, "GeoPackage")) if path]
    if not result.has_plan:
        for path, kind in wanted:
            err.print(
                f"no {kind} written to {escape(str(path))}: the solve ended {result.status}, "
                "there is no plan to draw (see the diagnosis)."
            )
        return
    try:
        if map_path is not None:
            written = save_map(concentration_map(result, landscape), map_path)
            err.print(f"wrote {escape(str(written))}: open it in a browser.")
        if gpkg is not None:
            written = save_layers(concentration_layers(result, landscape), gpkg)
            err.print(f"wrote {escape(str(written))}: layers municipalities, flows, sites.")
    except OSError as exc:
        raise OutputError(
            f"Cannot write {exc.filename or map_path or gpkg}: {exc.strerror or exc}; give a "
            "file path in a folder you can write to."
        ) from None
