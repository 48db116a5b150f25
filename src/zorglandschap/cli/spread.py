"""``zorglandschap spread``: which SEHs take ambulances in which blocks (acute-care spreading)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError
from rich.table import Table

from zorglandschap.checks import Count, Gap, Minutes, Seconds, Share, check_value
from zorglandschap.cli.app import (
    JsonOption,
    MatrixOption,
    MatrixUnitOption,
    RegionsOption,
    SitesOption,
    app,
    console,
)
from zorglandschap.errors import EXIT_NO_PLAN, OutputError, ScenarioError
from zorglandschap.vocab import BLOCK_ALIASES, SOLVER_NAMES, TIME_BLOCKS, TimeBlock, unalias

if TYPE_CHECKING:
    from zorglandschap.landscape import Landscape
    from zorglandschap.landscape.state import SiteState
    from zorglandschap.optimise.spreading import SpreadingQuestion, SpreadingResult
    from zorglandschap.settings import Settings
    from zorglandschap.travel import MatrixSource


RegionOption = Annotated[
    str | None,
    typer.Option("--region", help="ROAZ region whose SEHs the plan may change (ROAZ08)."),
]
BlocksOption = Annotated[
    list[str] | None,
    typer.Option(
        "--block",
        help="Block the plan decides: day, evening, night, weekend (or dag, avond, nacht); "
        "repeat it or give several with commas (--block avond,nacht); default night.",
    ),
]
KeepOption = Annotated[
    bool,
    typer.Option(
        "--keep-coverage",
        help="Nobody newly beyond 45 minutes (the default; with --staff: within that staff).",
    ),
]
StaffOption = Annotated[
    int | None,
    typer.Option(
        "--staff",
        help="Staff for N SEHs taking ambulances per ROAZ region in each decided block; "
        "alone: as many people within 45 minutes as that staff allows.",
    ),
]
ShareOption = Annotated[
    float | None,
    typer.Option("--share", help="At least this share of the region within 45 minutes."),
]
ObjectiveOption = Annotated[
    str, typer.Option("--objective", help="blocks (fewest SEH-blocks) or staff (staff-hours).")
]
AddedOption = Annotated[
    float | None,
    typer.Option(
        "--max-added-minutes", help="Nobody's time to an SEH rises by more than this (minutes)."
    ),
]
FactorOption = Annotated[
    float | None,
    typer.Option("--capacity-factor", help="Capacity = this x today's load (default 1.5)."),
]
NoCapacityOption = Annotated[
    bool, typer.Option("--no-capacity", help="Do not limit the load of receiving SEHs.")
]
PerIzaOption = Annotated[
    bool, typer.Option("--per-iza", help="At least one 24/7 SEH per IZA region (not ROAZ).")
]
AvOption = Annotated[
    bool, typer.Option("--av-needs-24-7", help="Sites with acute obstetrics stay 24/7.")
]
SolverOption = Annotated[str, typer.Option("--solver", help="auto, highs or cbc.")]
TimeLimitOption = Annotated[
    float | None, typer.Option("--time-limit", help="Seconds (default from settings).")
]
GapOption = Annotated[float | None, typer.Option("--gap", help="Relative MIP gap.")]
CsvOption = Annotated[
    Path | None, typer.Option("--csv", help="Folder to write the tables as CSV to.")
]
ScenarioOutOption = Annotated[
    Path | None, typer.Option("--write-scenario", help="Write the plan as a scenario .toml.")
]


@app.command("spread")
def spread_command(
    sites: SitesOption = "2025",
    region: RegionOption = None,
    block: BlocksOption = None,
    keep_coverage: KeepOption = False,
    staff: StaffOption = None,
    share: ShareOption = None,
    objective: ObjectiveOption = "blocks",
    max_added_minutes: AddedOption = None,
    capacity_factor: FactorOption = None,
    no_capacity: NoCapacityOption = False,
    per_iza: PerIzaOption = False,
    av: AvOption = False,
    solver: SolverOption = "auto",
    time_limit: TimeLimitOption = None,
    gap: GapOption = None,
    csv: CsvOption = None,
    write_scenario: ScenarioOutOption = None,
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario",
            help="Scenario .toml with a \\[spreading] table: the question, its sites and settings "
            "(then no --region, --block, --keep-coverage, ... flags).",
        ),
    ] = None,
    matrix: MatrixOption = None,
    matrix_unit: MatrixUnitOption = None,
    regions: RegionsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Which SEHs take ambulances in which blocks, under the 45-minute norm (exit 1: no plan)."""
    flags = {
        "--region": region, "--block": block, "--keep-coverage": keep_coverage,
        "--staff": staff, "--share": share, "--objective": objective != "blocks",
        "--max-added-minutes": max_added_minutes, "--capacity-factor": capacity_factor,
        "--no-capacity": no_capacity, "--per-iza": per_iza, "--av-needs-24-7": av,
    }  # fmt: skip
    given = [flag for flag, value in flags.items() if value not in (None, False)]
    if scenario is not None and (given or sites != "2025"):
        raise ScenarioError(
            f"{', '.join(given or ['--sites'])} given with --scenario; the question and its "
            "sites come from the scenario's [spreading] table: set it there, or drop --scenario."
        )
    question = (
        None
        if scenario is not None
        else _question(
            region=region, block=block, keep_coverage=keep_coverage, staff=staff, share=share,
            objective=objective, max_added_minutes=max_added_minutes,
            capacity_factor=capacity_factor, no_capacity=no_capacity, per_iza=per_iza, av=av,
        )
    )  # fmt: skip
    _check_solver_flags(solver, time_limit, gap)
    from zorglandschap.landscape import load_landscape
    from zorglandschap.scenario.spreading import spreading_model
    from zorglandschap.scenario.travel import matrix_source

    matrix_source(matrix, matrix_unit)  # the matrix paths and unit, before the data
    landscape = load_landscape(regions)
    state, settings, source, own_travel = _state(landscape, str(scenario) if scenario else sites)
    if question is None:
        question = _scenario_question(landscape, scenario)
    travel = matrix_source(matrix, matrix_unit, settings=settings) or own_travel
    # the one path from a question to a model (`run` builds a scenario's [spreading] so too)
    model = spreading_model(landscape, question, state=state, settings=settings, source=travel)
    result = model.solve(solver=solver, time_limit=time_limit, gap=gap)
    if csv is not None:
        from zorglandschap.optimise.spreading.writers import write_csv

        write_csv(result, csv)
    if write_scenario is not None and result.has_plan:
        _write_scenario(result, landscape, state, settings, source, write_scenario, travel)
    if as_json:
        typer.echo(result.to_json())
    else:
        _print(result, write_scenario)
    if not result.has_plan:
        raise typer.Exit(EXIT_NO_PLAN)


def _question(  # noqa: PLR0913 - one argument per flag
    *,
    region: str | None,
    block: list[str] | None,
    keep_coverage: bool,
    staff: int | None,
    share: float | None,
    objective: str,
    max_added_minutes: float | None,
    capacity_factor: float | None,
    no_capacity: bool,
    per_iza: bool,
    av: bool,
) -> SpreadingQuestion:
    """The question the flags ask, checked before any data is read."""
    from zorglandschap.optimise.spreading import SpreadingQuestion
    from zorglandschap.optimise.spreading.terms import OBJECTIVES

    blocks = _blocks(block)
    if objective not in OBJECTIVES:
        raise ScenarioError(f"--objective: got {objective!r}; valid: {', '.join(OBJECTIVES)}.")
    if staff is not None:
        check_value("--staff", staff, Count)
    if share is not None:
        check_value("--share", share, Share)
        if staff is not None or keep_coverage:
            raise ScenarioError("--share asks its own coverage rule: drop --keep-coverage/--staff.")
    if max_added_minutes is not None:
        check_value("--max-added-minutes", max_added_minutes, Minutes)
    if capacity_factor is not None and not 1.0 <= capacity_factor <= 100.0:
        raise ScenarioError(f"--capacity-factor: got {capacity_factor}; must be from 1 to 100.")
    coverage = (
        "share"
        if share is not None
        else ("max" if staff is not None and not keep_coverage else "keep")
    )
    try:
        return SpreadingQuestion(
            region=region,
            blocks=blocks,
            coverage=coverage,  # type: ignore[arg-type]
            share=share,
            objective=objective,
            teams=staff,
            capacity=not no_capacity,
            capacity_factor=capacity_factor,
            layer="iza" if per_iza else "roaz",
            av_needs_24_7=av,
            max_added_minutes=max_added_minutes,
        )
    except ValidationError as exc:
        raise ScenarioError(f"spread: {exc.errors()[0]['msg']}.") from None


def _blocks(given: list[str] | None) -> list[TimeBlock]:
    """The blocks ``--block`` names (repeated or comma-separated; Dutch names taken), in the
    order given, each once; default the night."""
    words = [w.strip() for text in given or ["night"] for w in text.split(",")]
    blocks: list[TimeBlock] = []
    for word in words:
        block = unalias(word, BLOCK_ALIASES)
        if block not in TIME_BLOCKS:
            valid = ", ".join([*TIME_BLOCKS, *(a for a in BLOCK_ALIASES if a not in TIME_BLOCKS)])
            raise ScenarioError(f"--block: unknown time block {word!r}; valid: {valid}.")
        blocks += [b for b in TIME_BLOCKS if b == block and b not in blocks]
    return blocks


def _scenario_question(landscape: Landscape, path: Path | None) -> SpreadingQuestion:
    """The ``[spreading]`` question of a scenario file (an error naming the file without one)."""
    from zorglandschap.scenario import load_scenario

    assert path is not None
    asked = load_scenario(path, landscape).spreading
    if asked is None:
        raise ScenarioError(
            f"{path} has no [spreading] table: add one (see docs/spreading.md) or ask with flags."
        )
    return asked


def _check_solver_flags(solver: str, time_limit: float | None, gap: float | None) -> None:
    if solver != "auto" and solver not in SOLVER_NAMES:
        raise ScenarioError(f"--solver: got {solver!r}; valid: auto, {', '.join(SOLVER_NAMES)}.")
    if time_limit is not None:
        check_value("--time-limit", time_limit, Seconds)
    if gap is not None:
        check_value("--gap", gap, Gap)


def _state(
    landscape: Landscape, sites: str
) -> tuple[SiteState, Settings, dict[str, Any], MatrixSource | None]:
    """The site state and settings of ``--sites``, the raw scenario (baseline, settings) and
    its travel times (its ``matrix``; None: the network)."""
    from zorglandschap.scenario import load_scenario, site_state
    from zorglandschap.settings import DEFAULT_SETTINGS

    if sites.endswith(".toml"):
        scenario = load_scenario(sites, landscape)
        # the tables as read (extends merged in): no second read of the file
        return scenario.state, scenario.settings, dict(scenario.tables), scenario.travel
    state = site_state(landscape, sites)
    return state, DEFAULT_SETTINGS, {"baseline": int(sites)}, None


def _write_scenario(
    result: SpreadingResult,
    landscape: Landscape,
    state: SiteState,
    settings: Settings,
    source: dict[str, Any],
    path: Path,
    travel: MatrixSource | None = None,
) -> None:
    """Write the plan as a scenario file (with the user matrix it was planned on, by absolute
    path) and check that it loads back to the plan."""
    from zorglandschap.landscape.state import baseline_state
    from zorglandschap.optimise.spreading.writers import (
        limited_hours_changes,
        plan_state,
        scenario_text,
        write_text,
    )
    from zorglandschap.scenario import load_scenario

    year = int(source.get("baseline", 2025))
    planned = plan_state(result, state)
    base = baseline_state(landscape, year).services
    changes: dict[str, dict[str, Any]] = {}
    for site_id, row in planned.services.iterrows():
        for column in ("seh", "av", "nicu"):
            value = row[column]
            if base.at[site_id, column] != value:
                changes.setdefault(str(site_id), {})[column] = (
                    bool(value) if column != "seh" else str(value)
                )
    overrides = {k: dict(v) for k, v in source.get("settings", {}).items()}
    for site_id, blocks in limited_hours_changes(result, state, settings).items():
        changes.setdefault(site_id, {})["blocks"] = blocks
    q = result.question
    scope = result.instance.region_name(q.region) if q.region else "the Netherlands"
    text = scenario_text(
        name=f"Spreading plan for {scope}, {', '.join(q.decided)}",
        description=(
            f"zorglandschap spread on sites {state.name}: coverage {q.coverage}, objective "
            f"{q.objective}, capacity {'on' if q.capacity else 'off'}; status {result.status}."
        ),
        baseline=year,
        changes=changes,
        settings=overrides,
        travel=_matrix_keys(travel),
        comments=[
            "Written by `zorglandschap spread --write-scenario`. Check it with:",
            f"  zorglandschap reach --sites {path} --block night --by roaz",
        ],
    )
    write_text(path, text)
    loaded = load_scenario(path, landscape).state.services
    if not loaded[["seh", "av", "nicu"]].equals(planned.services[["seh", "av", "nicu"]]):
        raise OutputError(f"{path} was written but does not load back to the plan; please report.")


def _matrix_keys(travel: MatrixSource | None) -> dict[str, Any]:
    """The ``matrix`` and ``matrix_unit`` keys of a written scenario (absolute paths) for a
    user matrix file; none for the network."""
    from zorglandschap.travel import MatrixFileSource

    if not isinstance(travel, MatrixFileSource):
        return {}
    paths = {k: str(v.resolve()) for k, v in sorted(travel.paths.items())}
    matrix: str | dict[str, str] = paths.pop("*") if set(paths) == {"*"} else paths
    return {"matrix": matrix, "matrix_unit": travel.unit}


def _print(result: SpreadingResult, scenario: Path | None) -> None:
    s = result.summary()
    timing = sum(x.seconds for x in result.stages) + result.build_seconds
    gap = "" if s["gap"] is None else f", gap {100 * s['gap']:.3f} %"
    console.print(
        f"[bold]Spreading plan, sites {s['sites']}, {s['scope']}[/] ({', '.join(s['decided_blocks'])}): "
        f"{s['status']}{gap}, {timing:.1f} s."
    )
    for line in result.diagnosis:
        console.print(line, highlight=False)
    if not result.has_plan:
        return
    table = Table(title="By block")
    for column in ("block", "SEHs open today", "plan", "beyond 45 min today", "plan"):
        table.add_column(column, justify="right")
    for b in TIME_BLOCKS:
        table.add_row(
            b,
            str(s["open_seh"][b]["today"]),
            str(s["open_seh"][b]["plan"]),
            f"{s['baseline_beyond'][b]:,}",
            f"{s['beyond'][b]:,}",
        )
    console.print(table)
    changed = Table(title="Sites the plan changes")
    for column in ("site", "name", "today", "plan", "blocks with the plan"):
        changed.add_column(column)
    for c in result.changed_sites():
        changed.add_row(c["site_id"], c["name"], c["today"], c["plan"], ", ".join(c["blocks_plan"]))
    console.print(changed)
    receiving = result.tables()["receiving"]
    if len(receiving):
        t = Table(title="Receiving SEHs (visits a year)")
        for column in ("site", "block", "today", "plan", "capacity"):
            t.add_column(column, justify="left" if column == "site" else "right")
        for row in receiving.itertuples():
            t.add_row(
                row.site_id, row.block, f"{row.load_today:,.0f}", f"{row.load_plan:,.0f}",
                f"{row.capacity:,.0f}",
            )  # fmt: skip
        console.print(t)
    for note in result.notes:
        console.print(f"note: {note}", highlight=False)
    if scenario is not None:
        console.print(f"wrote {scenario}")
