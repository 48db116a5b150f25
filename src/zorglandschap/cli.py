"""The ``zorglandschap`` command: a thin layer that parses, calls one library function, prints.

All logic lives in the library modules; every command here is usable from Python too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from zorglandschap.errors import ScenarioError, ZorglandschapError
from zorglandschap.landscape import RegionLayer, load_landscape

if TYPE_CHECKING:
    from zorglandschap.access import Reach
    from zorglandschap.landscape import Landscape
    from zorglandschap.optimise import ConcentrationResult
    from zorglandschap.scenario import SiteState

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


@app.command()
def data(regions: RegionsOption = None, as_json: JsonOption = False) -> None:
    """Summarise the embedded Netherlands: counts per layer, population, sites per year."""
    summary = load_landscape(regions).summary()
    if as_json:
        print_json(summary)
        return
    table = Table(title=f"Embedded Netherlands ({summary['source']})", show_header=True)
    table.add_column("layer")
    table.add_column("count", justify="right")
    rows = [
        ("municipalities (CBS 2024)", summary["municipalities"]),
        ("PC4 demand points", summary["pc4"]),
        (f"population ({summary['population_year']})", f"{summary['population']:,}"),
        ("provinces", summary["provinces"]),
        ("veiligheidsregio's (RAV)", summary["veiligheidsregios"]),
        ("zorgkantoorregio's", summary["zorgkantoorregios"]),
        ("ROAZ regions", summary["roaz_regions"]),
        ("IZA regions (38; 42 SPUK)", f"{summary['iza_regions']} ({summary['iza42_regions']})"),
        ("hospital locations (RIVM 2019 list)", summary["hospital_locations"]),
        ("outpatient clinics (2016)", summary["outpatient_clinics"]),
        ("ambulance posts (2019)", sum(summary["ambulance_posts"].values())),
        ("interventions with a volume norm", summary["interventions_with_norm"]),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    console.print(table)
    services = Table(title="Sites by service", show_header=True)
    services.add_column("service")
    for year in summary["seh_24_7"]:
        services.add_column(year, justify="right")
    for key, label in [
        ("seh_24_7", "SEH 24/7"),
        ("seh_limited", "SEH limited hours"),
        ("acute_obstetrics", "acute obstetrics (AV)"),
        ("nicu", "NICU"),
    ]:
        services.add_row(label, *(str(v) for v in summary[key].values()))
    console.print(services)


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
) -> tuple[Reach, SiteState]:
    """Resolve the selectors (a baseline year or a scenario file) and compute reach."""
    from zorglandschap.access import reach
    from zorglandschap.scenario import load_scenario, site_state
    from zorglandschap.settings import DEFAULT_SETTINGS

    landscape = load_landscape(regions)
    settings = DEFAULT_SETTINGS
    if sites.endswith(".toml"):
        scenario = load_scenario(sites, landscape)
        state, settings = scenario.state, scenario.settings
    else:
        state = site_state(landscape, sites)
    if fixed_minutes is not None:
        settings = settings.replace(travel={"composite_fixed_minutes": fixed_minutes})
    result = reach(
        landscape,
        state,
        service=service,  # type: ignore[arg-type]  # validated inside reach
        block=block,
        minutes=minutes,
        settings=settings,
    )
    return result, state


@app.command("reach")
def reach_command(
    sites: SitesOption = "2025",
    service: ServiceOption = "seh",
    block: BlockOption = "day",
    minutes: MinutesOption = None,
    fixed_minutes: FixedMinutesOption = None,
    by: ByOption = "roaz",
    regions: RegionsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Who reaches an open SEH (or acute obstetrics) within the norm, RIVM composite time."""
    from zorglandschap.access import BY_CHOICES, check_choice

    check_choice(by, BY_CHOICES, "--by layer")
    result, _ = _reach(regions, sites, service, block, minutes, fixed_minutes)
    if as_json:
        print_json(result.to_json(cast(RegionLayer, by)))
        return
    s = result.summary()
    console.print(
        f"[bold]{service.upper()} reach, {block}, sites {s['sites']}[/]: "
        f"{s['open_sites']} open sites; {s['within']:,} of {s['population']:,} inhabitants "
        f"({100 * s['share_within']:.2f} %) within {s['minutes']:g} min; "
        f"[bold]{s['beyond']:,} beyond[/]; mean {s['mean_minutes']} min, P90 {s['p90_minutes']} min."
    )
    table = Table(title=f"By {by}")
    frame = result.by_region(cast(RegionLayer, by))
    table.add_column(by)
    if "name" in frame:
        table.add_column("name")
    for column in ("population", "beyond", "share within", "mean min", "P90 min"):
        table.add_column(column, justify="right")
    for code, row in frame.iterrows():
        cells = [str(code)] + ([str(row["name"])] if "name" in frame else [])
        cells += [
            f"{row['population']:,}",
            f"{row['beyond']:,}",
            f"{100 * row['share_within']:.2f} %",
            str(row["mean_minutes"]),
            str(row["p90_minutes"]),
        ]
        table.add_row(*cells)
    console.print(table)


@app.command("sensitive")
def sensitive_command(
    sites: SitesOption = "2025",
    service: ServiceOption = "seh",
    block: BlockOption = "day",
    minutes: MinutesOption = None,
    fixed_minutes: FixedMinutesOption = None,
    top: Annotated[
        int | None, typer.Option("--top", help="Show only the N most sensitive.")
    ] = None,
    regions: RegionsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Sensitive SEHs: the extra population beyond the norm if each open site alone closes."""
    from zorglandschap.access import sensitive_sites
    from zorglandschap.settings import DEFAULT_SETTINGS

    result, _ = _reach(regions, sites, service, block, minutes, fixed_minutes)
    frame = sensitive_sites(result, top=DEFAULT_SETTINGS.access.sensitive_top_municipalities)
    if top is not None:
        frame = frame.head(max(top, 0))
    if as_json:
        print_json(
            [
                {
                    "site_id": site_id,
                    "name": row["name"],
                    "lon": row["lon"],
                    "lat": row["lat"],
                    "extra_beyond": int(row["extra_beyond"]),
                    "municipalities": row["municipalities"],
                }
                for site_id, row in frame.iterrows()
            ]
        )
        return
    table = Table(title=f"Sensitive sites ({service.upper()}, {block}, sites {result.state_name})")
    for column in ("site", "name", "extra beyond", "where they live"):
        table.add_column(column, justify="right" if column == "extra beyond" else "left")
    for site_id, row in frame.iterrows():
        where = ", ".join(f"{n} {v:,}" for n, v in row["municipalities"].items())
        table.add_row(str(site_id), str(row["name"]), f"{row['extra_beyond']:,}", where)
    console.print(table)


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
    as_json: JsonOption = False,
) -> None:
    """Check (or --fit) the travel constants against the Utrecht siren matrix and isochrones."""
    from zorglandschap.calibrate import calibration_report, fit

    landscape = load_landscape(regions)
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


@app.command("map")
def map_command(
    sites: SitesOption = "2025",
    service: ServiceOption = "seh",
    block: BlockOption = "day",
    minutes: MinutesOption = None,
    fixed_minutes: FixedMinutesOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="HTML file to write (default maps/reach-SITES-SERVICE-BLOCK.html)."
        ),
    ] = None,
    regions: RegionsOption = None,
) -> None:
    """An interactive HTML map of reach and sensitive sites (open it in a browser)."""
    from zorglandschap.maps import reach_map, save_map

    result, state = _reach(regions, sites, service, block, minutes, fixed_minutes)
    if out is None:
        out = Path("maps") / f"reach-{Path(sites).stem}-{service}-{block}.html"
    path = save_map(reach_map(result, state), out)
    console.print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB): open it in a browser.")


@app.command("concentrate")
def concentrate_command(
    intervention: Annotated[
        list[str] | None,
        typer.Option(
            "--intervention",
            help="Intervention id or alias (pancreas, liver, ...); repeat for several.",
        ),
    ] = None,
    norm: Annotated[
        float | None,
        typer.Option("--norm", help="Volume norm per site (default: the norms table)."),
    ] = None,
    max_minutes: Annotated[
        float | None, typer.Option("--max-minutes", help="Maximum travel time (default 90).")
    ] = None,
    per_roaz: Annotated[
        int | None, typer.Option("--per-roaz", help="At least N sites per ROAZ region.")
    ] = None,
    per_iza: Annotated[
        int | None,
        typer.Option("--per-iza", help="At least N sites per IZA region (not with --per-roaz)."),
    ] = None,
    scale: Annotated[
        float | None,
        typer.Option("--scale", help="Multiply the national volume (growth, a later year)."),
    ] = None,
    demand: Annotated[
        str | None,
        typer.Option("--demand", help="Demand level solved on: municipality (default) or pc4."),
    ] = None,
    eligible: Annotated[
        str | None,
        typer.Option("--eligible", help="Candidate sites: all (default), seh_24_7 or seh (2025)."),
    ] = None,
    closest: Annotated[
        bool | None,
        typer.Option("--closest", help="Patients go to their nearest offering site."),
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario",
            help="Scenario .toml with a \\[concentration] table: the question, its sites and "
            "settings (then no --intervention, --norm, ... flags).",
        ),
    ] = None,
    solver: Annotated[str, typer.Option("--solver", help="auto, highs or cbc.")] = "auto",
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", help="Seconds (default from settings).")
    ] = None,
    gap: Annotated[
        float | None,
        typer.Option(
            "--gap",
            help="Relative gap at which a plan counts as proven optimal (default from settings, "
            "1e-4 = 0.01 %).",
        ),
    ] = None,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Folder to write sites/flows/indicators CSV.")
    ] = None,
    map_path: Annotated[
        Path | None,
        typer.Option(
            "--map", help="HTML file to write the plan's interactive map to (open in a browser)."
        ),
    ] = None,
    gpkg: Annotated[
        Path | None,
        typer.Option(
            "--gpkg",
            help="GeoPackage to write the plan's layers to (municipalities, flows, sites; QGIS).",
        ),
    ] = None,
    regions: RegionsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Concentrate a complex intervention: which sites offer it, meeting the volume norm."""
    from zorglandschap.optimise import landscape_model, scenario_model
    from zorglandschap.scenario import load_scenario

    question = {
        "--intervention": intervention,
        "--norm": norm,
        "--max-minutes": max_minutes,
        "--per-roaz": per_roaz,
        "--per-iza": per_iza,
        "--scale": scale,
        "--demand": demand,
        "--eligible": eligible,
        "--closest": closest,
    }
    # the flags are checked before the (slower) data load
    given = [flag for flag, value in question.items() if value]
    if scenario is not None and given:
        raise ScenarioError(
            f"{', '.join(given)} given with --scenario; the question comes from the "
            f"scenario's [concentration] table: set it there, or drop --scenario."
        )
    if scenario is None and not intervention:
        raise ScenarioError(
            "Say what to concentrate: --intervention pancreas (repeat for several), or "
            "--scenario FILE.toml with a [concentration] table."
        )
    if per_roaz and per_iza:
        raise ScenarioError(
            "--per-roaz and --per-iza were both given; a plan guarantees sites per one "
            "region layer: keep one of them."
        )
    landscape = load_landscape(regions)
    if scenario is not None:
        asked = load_scenario(scenario, landscape)
        model = scenario_model(landscape, asked)
        title = f"{asked.name} ({scenario})"
    else:
        assert intervention  # checked above
        title = ""
        names = intervention[0] if len(intervention) == 1 else intervention
        norms: Any = norm
        if norm is not None and len(intervention) > 1:
            norms = dict.fromkeys(intervention, norm)
        model = landscape_model(
            landscape,
            names,
            norms=norms,
            scale=1.0 if scale is None else scale,
            max_minutes=max_minutes,
            per_region=per_iza or per_roaz or 0,
            region="iza" if per_iza else "roaz",
            demand=demand or "municipality",
            eligible=eligible or "all",
            closest_assignment=bool(closest),
        )
    result = model.solve(solver=solver, time_limit=time_limit, gap=gap)
    if csv is not None:
        result.to_csv(csv)
    if map_path is not None or gpkg is not None:
        _write_plan_outputs(result, landscape, map_path=map_path, gpkg=gpkg)
    if as_json:
        typer.echo(result.to_json())
        return
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
    if result.status == "infeasible":
        raise typer.Exit(1)


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
        raise ScenarioError(
            f"Cannot write {exc.filename or map_path or gpkg}: {exc.strerror or exc}; give a "
            "file path in a folder you can write to."
        ) from None


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


if __name__ == "__main__":
    main()
