"""``zorglandschap concentrate``: which sites offer a complex intervention under its norm.

The flags fill one :class:`~zorglandschap.scenario.ConcentrationFlags` (the question's rules
live there, the same as a scenario file's); this module only checks where the outputs go,
shows a progress line while the model solves, and prints the plan in a planner's words.
Exit codes: 0 a plan, 1 no plan (infeasible, or none in time; with and without ``--json``),
2 a bad flag or file, 3 an output that cannot be written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from zorglandschap.cli._plan_outputs import (
    PlanFigureOption,
    PlanRegionOption,
    check_plan_views,
    plan_region,
    write_plan_figure,
)
from zorglandschap.cli._progress import SolveProgress
from zorglandschap.cli.app import (
    JsonOption,
    MatrixOption,
    MatrixUnitOption,
    RegionsOption,
    app,
    console,
    travel_words,
)
from zorglandschap.errors import EXIT_NO_PLAN, OutputError
from zorglandschap.landscape import load_landscape

if TYPE_CHECKING:
    from zorglandschap.landscape import Landscape
    from zorglandschap.optimise import ConcentrationResult
    from zorglandschap.report.region import RegionView


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
ObjectiveOption = Annotated[
    str | None,
    typer.Option(
        "--objective",
        help="disruption (default: today's teams, as few stopping and as few patients "
        "changing hospital as possible, then least travel) or travel (least travel, every "
        "site a candidate).",
    ),
]
DisruptionWeightOption = Annotated[
    float | None,
    typer.Option(
        "--disruption-weight",
        help="Weigh instead of order: travel + W patient-minutes a year per team that stops "
        "or starts.",
    ),
]
AllowNewOption = Annotated[
    bool | None,
    typer.Option(
        "--allow-new",
        help="Let new teams start (at sites with a 24/7 SEH, or those of --eligible).",
    ),
]
EligibleOption = Annotated[
    str | None,
    typer.Option(
        "--eligible",
        help="all, seh_24_7 or seh (2025): with --objective travel the candidates; else the "
        "providers that may continue, or with --allow-new where new teams may start.",
    ),
]
ClosestOption = Annotated[
    bool | None, typer.Option("--closest", help="Patients go to their nearest offering site.")
]
MinSitesOption = Annotated[
    int | None, typer.Option("--min-sites", help="At least N offering sites.")
]
MaxSitesOption = Annotated[
    int | None, typer.Option("--max-sites", help="At most N offering sites.")
]
OpenOption = Annotated[
    list[str] | None,
    typer.Option("--open", help="A site that must offer it (site id; repeat for several)."),
]
CloseOption = Annotated[
    list[str] | None,
    typer.Option("--close", help="A site that may not offer it (site id; repeat)."),
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
    float | None,
    typer.Option(
        "--time-limit",
        help="Seconds for the whole solve, every step together (default from settings, 120).",
    ),
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
    Path | None, typer.Option("--csv", help="Folder to write the plan's tables to as CSV.")
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
    objective: ObjectiveOption = None,
    disruption_weight: DisruptionWeightOption = None,
    allow_new: AllowNewOption = None,
    eligible: EligibleOption = None,
    closest: ClosestOption = None,
    min_sites: MinSitesOption = None,
    max_sites: MaxSitesOption = None,
    open_site: OpenOption = None,
    close_site: CloseOption = None,
    scenario: ScenarioOption = None,
    solver: SolverOption = None,
    time_limit: TimeLimitOption = None,
    gap: GapOption = None,
    csv: CsvOption = None,
    map_path: MapOption = None,
    figure: PlanFigureOption = None,
    region: PlanRegionOption = None,
    gpkg: GpkgOption = None,
    matrix: MatrixOption = None,
    matrix_unit: MatrixUnitOption = None,
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
    from zorglandschap.scenario.travel import matrix_source

    # the flags and the output paths are checked before the slower data load
    flags = ConcentrationFlags.parse(
        intervention=intervention, norm=norm, max_minutes=max_minutes, per_roaz=per_roaz,
        per_iza=per_iza, scale=scale, demand=demand, objective=objective,
        disruption_weight=disruption_weight, allow_new=allow_new, eligible=eligible,
        closest=closest, min_sites=min_sites, max_sites=max_sites, open_sites=open_site,
        closed_sites=close_site, scenario=scenario, solver=solver, time_limit=time_limit,
        gap=gap,
    )  # fmt: skip
    check_plan_views(region, map_path=map_path, figure=figure)
    check_outputs(csv=csv, map_path=map_path, gpkg=gpkg, figure=figure)
    matrix_source(matrix, matrix_unit)  # the matrix paths and unit, before the data
    landscape = load_landscape(regions)
    view = plan_region(region, landscape)
    if flags.scenario is not None:
        asked = load_scenario(flags.scenario, landscape)
        source = matrix_source(matrix, matrix_unit, settings=asked.settings)
        model = scenario_model(landscape, asked, source=source)
        title = f"{asked.name} ({flags.scenario})"
    else:
        source = matrix_source(matrix, matrix_unit)
        model = concentration_model(landscape, flags.question(), source=source)
        title = ""
    with SolveProgress(model.interventions) as progress:
        result = model.solve(
            solver=flags.solver, time_limit=flags.time_limit, gap=flags.gap, progress=progress
        )
    _write_outputs(
        result, landscape, csv=csv, map_path=map_path, gpkg=gpkg, figure=figure, region=view
    )
    if as_json:
        typer.echo(result.to_json())
    else:
        print_plan(result, title)
    if not result.has_plan:
        raise typer.Exit(EXIT_NO_PLAN)


# -- outputs ---------------------------------------------------------------------------------


def check_outputs(
    *, csv: Path | None, map_path: Path | None, gpkg: Path | None, figure: Path | None = None
) -> None:
    """Refuse, before any computation, output paths that cannot be written: an empty path, a
    folder given for a file (or a file for the CSV folder), a parent that is a file, a name
    the file system refuses (too long). The folders are made here.

    Raises
    ------
    OutputError
        Naming the option and the path.
    """
    for flag, path, folder in (("--csv", csv, True), ("--map", map_path, False),
                               ("--gpkg", gpkg, False), ("--figure", figure, False)):  # fmt: skip
        if path is None:
            continue
        if str(path).strip() in ("", "."):
            raise OutputError(
                f"{flag}: got an empty path; give a {'folder' if folder else 'file'} path, "
                f"e.g. {'plan/' if folder else 'maps/plan.html'}."
            )
        try:
            _check_output(flag, path, folder=folder)
        except OSError as exc:
            raise OutputError(
                f"{flag}: cannot write {exc.filename or path}: {exc.strerror or exc}; give a "
                "path in a folder you can write to."
            ) from None


def _check_output(flag: str, path: Path, *, folder: bool) -> None:
    """One output path: its kind, its folder made, its name tried (OSError when refused)."""
    if folder and path.exists() and not path.is_dir():
        raise OutputError(f"{flag}: {path} is a file, not a folder; give a folder path.")
    if not folder and path.is_dir():
        raise OutputError(f"{flag}: {path} is a folder; give a file path in it.")
    where = path if folder else path.parent
    for parent in (where, *where.parents):
        if parent.exists() and not parent.is_dir():
            raise OutputError(
                f"{flag}: cannot write {path}: {parent} is a file, not a folder; give a path "
                "in a folder you can write to."
            )
    where.mkdir(parents=True, exist_ok=True)
    if not folder:
        # the file system's limits on the name itself (too long, a character it refuses)
        probe = path.with_name(path.name + ".zl-check")
        probe.touch()
        probe.unlink()


def _write_outputs(
    result: ConcentrationResult,
    landscape: Landscape,
    *,
    csv: Path | None,
    map_path: Path | None,
    gpkg: Path | None,
    figure: Path | None = None,
    region: RegionView | None = None,
) -> None:
    """Write the plan's CSV tables, map, GeoPackage and figure (each atomically; the map and
    figure of ``region`` when given); without a plan write nothing, so the files of an earlier
    plan stay, and say so. Notes go to stderr."""
    from zorglandschap.maps import concentration_layers, concentration_map, save_layers, save_map

    err = Console(stderr=True)
    wanted = [
        (path, kind)
        for path, kind in (
            (csv, "CSV"),
            (map_path, "map"),
            (gpkg, "GeoPackage"),
            (figure, "figure"),
        )
        if path is not None
    ]
    if not result.has_plan:
        for path, kind in wanted:
            err.print(
                f"no {kind} written to {escape(str(path))}: the solve ended {result.status}, "
                "there is no plan (see the diagnosis); files already there are left as they "
                "were.",
                highlight=False,
            )
        return
    try:
        if csv is not None:
            written = result.to_csv(csv)
            err.print(f"wrote {len(written)} CSV files to {escape(str(csv))}.", highlight=False)
        if map_path is not None:
            written_map = save_map(concentration_map(result, landscape, region=region), map_path)
            err.print(f"wrote {escape(str(written_map))}: open it in a browser.", highlight=False)
        if gpkg is not None:
            written_gpkg = save_layers(concentration_layers(result, landscape), gpkg)
            err.print(
                f"wrote {escape(str(written_gpkg))}: layers municipalities, flows, sites.",
                highlight=False,
            )
        if figure is not None:
            written_figure = write_plan_figure(result, landscape, figure, region)
            err.print(f"wrote {escape(str(written_figure))}.", highlight=False)
    except OSError as exc:
        raise OutputError(
            f"Cannot write {exc.filename or map_path or gpkg or figure}: {exc.strerror or exc}; "
            "give a file path in a folder you can write to."
        ) from None


# -- the plan for people ---------------------------------------------------------------------

#: Words for the objective kinds, in the headline.
_OBJECTIVE_WORDS = {
    "disruption": "disruption first (teams that stop or start, patients who change hospital), "
    "then travel",
    "weighted": "travel plus weighted team changes",
    "travel": "least travel",
}


def print_plan(result: ConcentrationResult, title: str) -> None:
    """The plan for people: a headline, then per intervention the centres today and in the
    plan, who keeps, starts and stops, the patients who change hospital; then the warnings
    and the diagnosis."""
    d = result.to_dict()
    gap_text = "n/a" if d["gap"] is None else f"{100 * d['gap']:.3f} %"
    if title:
        console.print(f"scenario: {escape(title)}", highlight=False)
    console.print(
        f"[bold]{escape(', '.join(result.interventions))}[/]: {result.status} (gap {gap_text}, "
        f"{result.seconds:.1f} s, {result.solver}); objective: "
        f"{_OBJECTIVE_WORDS.get(result.objective_kind, result.objective_kind)}.",
        highlight=False,
    )
    if result.has_plan:
        console.print(
            f"travel: mean {_minutes(d['mean_minutes'])} min, P90 {_minutes(d['p90_minutes'])} "
            f"min, max {_minutes(d['max_minutes'])} min"
            f"{travel_words(result.travel_source)}.",
            highlight=False,
        )
        for p in result.interventions:
            _print_intervention(result, p)
    for line in result.warnings:
        console.print(f"[bold yellow]warning:[/] {escape(line)}", highlight=False, soft_wrap=True)
    for line in result.diagnosis:
        console.print(f"- {escape(line)}", highlight=False, soft_wrap=True)


def _minutes(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _print_intervention(result: ConcentrationResult, p: str) -> None:
    """One intervention's centres: today against the plan, and the patients who move."""
    move = result.movement[result.movement["intervention"] == p]
    sites = result.sites[result.sites["intervention"] == p]
    if not move.empty:
        m = move.iloc[0]
        today = f"today {m['sites_today']}" if m["sites_today"] else "today unknown"
        unknown = m["sites_plan"] - m["keeps"] - m["starts"]
        others = f", {unknown} not in the baseline" if unknown else ""
        console.print(
            f"[bold]{escape(p)}[/]: {m['sites_plan']} centres ({today}): {m['keeps']} keep, "
            f"{m['starts']} start, {m['stops']} stop{others}; {m['patients_moved']:.1f} of "
            f"{m['patients']:.1f} patients a year change hospital, "
            f"{m['patients_past_nearer']:.1f} are sent past a nearer offering centre.",
            highlight=False,
        )
    table = Table(title=f"{p}: centres today and in the plan")
    for column in ("site", "region", "listed", "today", "plan", "norm", "change"):
        table.add_column(column, justify="right" if column in ("today", "plan", "norm") else "left")
    order = sites.assign(_o=sites["change"].map({"stops": 1}).fillna(0)).sort_values(
        ["_o", "site_id"]
    )
    for r in order.itertuples(index=False):
        listed, today = _today_text(r, result.baseline)
        table.add_row(
            escape(str(r.name)), escape(str(r.region)), listed, today,
            f"{r.volume:.1f}" if r.offers else "-", f"{r.norm:g}", str(r.change) or "-",
        )  # fmt: skip
    console.print(table)


def _today_text(row: Any, baseline: pd.DataFrame) -> tuple[str, str]:
    """A provider's record (its year and confidence) and its volume today: known (with its
    year) or estimated; blank for a site that offers nothing today."""
    if baseline.empty:
        return "", ""
    b = baseline[
        (baseline["intervention"] == row.intervention) & (baseline["site_id"] == row.site_id)
    ]
    if b.empty:
        return "", ""
    r = b.iloc[0]
    listed = f"{_year(r['record_year'], 'undated')}, {r['confidence']}"
    if pd.isna(r["volume"]):
        return listed, "unknown"
    if r["volume_kind"] == "known":
        return listed, f"{r['volume']:.0f} ({_year(r['volume_year'], '?')})"
    return listed, f"~{r['volume']:.0f} (est.)"


def _year(value: Any, missing: str) -> str:
    return missing if value is None or pd.isna(value) else str(int(value))
