"""``zorglandschap run SCENARIO.toml [--out DIR]``: a scenario into a result folder."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from zorglandschap.cli.app import RegionsOption, app, console
from zorglandschap.errors import EXIT_NO_PLAN

if TYPE_CHECKING:
    from zorglandschap.folders import FolderFiles
    from zorglandschap.report.run_result import ScenarioRun

__all__ = ["cell", "progress_display", "run_command"]

ScenarioArgument = Annotated[
    Path, typer.Argument(help="The scenario file (scenarios/*.toml; format: docs/scenarios.md).")
]


@contextlib.contextmanager
def progress_display() -> Iterator[Any]:
    """A live display on stderr: a spinner and the elapsed time of the step running; gone at
    the end (the summary says what was done). Yields ``step(label)``, a context manager."""
    shown = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )

    @contextlib.contextmanager
    def step(label: str) -> Iterator[None]:
        task = shown.add_task(label, total=None)
        try:
            yield
        finally:
            shown.remove_task(task)

    with shown:
        yield step


def cell(column: str, value: Any) -> str:
    """A value formatted as the reports show it, coloured for the terminal (changes: red where
    worse, green where better)."""
    from zorglandschap.report.html import format_cell

    text, css = format_cell(column, value)
    if "worse" in css:
        return f"[red]{escape(text)}[/]"
    if "better" in css:
        return f"[green]{escape(text)}[/]"
    return escape(text)


def _summary_tables(run: ScenarioRun) -> list[Table]:
    summary = run.summary()
    year = run.scenario.baseline
    tables = []
    if summary["reach"]:
        norm = run.settings.access.norm_minutes
        table = Table(title=f"Reach within {norm:g} minutes, against {year}")
        for column in (
            "service",
            "block",
            "open",
            f"beyond {norm:g}",
            f"Δ vs {year}",
            "mean",
            "Δ",
            "P90",
            "Δ ",
        ):
            table.add_column(column, justify="left" if column in ("service", "block") else "right")
        for row in summary["reach"]:
            table.add_row(
                row["service"], row["block"], cell("open_sites", row["open_sites"]),
                cell("beyond", row["beyond"]), cell("beyond_change", row["beyond_change"]),
                cell("mean_minutes", row["mean_minutes"]), cell("mean_minutes_change", row["mean_minutes_change"]),
                cell("p90_minutes", row["p90_minutes"]), cell("p90_minutes_change", row["p90_minutes_change"]),
            )  # fmt: skip
        tables.append(table)
    if summary["sensitivity"]:
        table = Table(title="Sensitive sites")
        for column in (
            "service",
            "block",
            "sensitive",
            f"in {year}",
            "most sensitive",
            "extra beyond",
        ):
            table.add_column(
                column,
                justify="right"
                if column in ("sensitive", f"in {year}", "extra beyond")
                else "left",
            )
        for row in summary["sensitivity"]:
            table.add_row(
                row["service"], row["block"], str(row["sensitive"]), str(row["sensitive_baseline"]),
                escape(row["most_sensitive"] or "–"), f"{row['max_extra_beyond']:,}",
            )  # fmt: skip
        tables.append(table)
    return tables


def _plan_line(run: ScenarioRun) -> str | None:
    plan = run.summary()["concentration"]
    if plan is None:
        return None
    gap = "n/a" if plan["gap"] is None else f"{100 * plan['gap']:.3f} %"
    return (
        f"[bold]Concentration {escape(', '.join(plan['interventions']))}[/]: {plan['status']} "
        f"(gap {gap}); {plan['sites']} sites ({plan['sites_today']} today): {plan['stops']} stop, "
        f"{plan['starts']} start, {plan['below_norm']} below the norm; mean "
        f"{plan['mean_minutes']} min, P90 {plan['p90_minutes']} min."
    )


def _spreading_lines(run: ScenarioRun) -> list[str]:
    """The spreading plan in a line per decided block, or its status and diagnosis."""
    plan = run.summary()["spreading"]
    if plan is None:
        return []
    gap = "n/a" if plan["gap"] is None else f"{100 * plan['gap']:.3f} %"
    head = (
        f"[bold]Spreading {escape(plan['scope_name'])}[/] "
        f"({escape(', '.join(plan['decided_blocks']))}): {plan['status']} (gap {gap})"
    )
    if run.spreading is None or not run.spreading.has_plan:
        return [head + "; no plan (why: below the files)."]
    lines = [
        f"{head}; {plan['changed_sites']} site(s) change, {plan['moved_visits']:,.0f} visits a "
        "year go to another SEH."
    ]
    for row in plan["blocks"]:
        if row["block"] in plan["decided_blocks"]:
            lines.append(
                f"  {row['block']}: SEHs {row['open_sehs_today']:.0f} → {row['open_sehs_plan']:.0f}, beyond "
                f"{row['beyond_today']:,.0f} → {row['beyond_plan']:,.0f}, staff-hours a week "
                f"{row['staff_hours_today']:,.0f} → {row['staff_hours_plan']:,.0f}"
            )
    return lines


def print_files(out: Path, files: FolderFiles, seconds: float) -> None:
    """Where the files went: the report first, the rest counted by kind."""
    names = [name for name, _ in files]
    kinds = {
        "CSV tables": [n for n in names if n.endswith(".csv")],
        "interactive maps": [n for n in names if n.endswith(".html") and n != "report.html"],
        "print figures": [n for n in names if n.endswith(".png")],
    }
    console.print(
        f"\nWrote {len(names)} files to [bold]{escape(str(out))}/[/] in {seconds:.1f} s:",
        highlight=False,
        soft_wrap=True,
    )
    console.print(
        f"  [bold]{escape(str(out / 'report.html'))}[/]  the report: open it in a browser",
        highlight=False,
        soft_wrap=True,
    )
    for name in names:
        if name.endswith((".json", ".xlsx", ".gpkg")):
            what = dict(files)[name]
            console.print(f"  {escape(name)}  {escape(what)}", highlight=False, soft_wrap=True)
    for kind, found in kinds.items():
        if found:
            listed = ", ".join(found[:4]) + (", ..." if len(found) > 4 else "")
            console.print(
                f"  {len(found)} {kind}: {escape(listed)}", highlight=False, soft_wrap=True
            )


@app.command("run")
def run_command(
    scenario: ScenarioArgument,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Result folder (default results/<scenario name>/)."),
    ] = None,
    regions: RegionsOption = None,
) -> None:
    """Run a scenario into a result folder: JSON, CSV, XLSX, GeoPackage, maps, figures and an
    HTML report."""
    from zorglandschap.folders import prepare_folder, write_run
    from zorglandschap.report.run import default_out, run_scenario

    target = default_out(scenario) if out is None else out
    prepare_folder(target)  # a folder that cannot be written fails before the computation
    start = time.perf_counter()
    with progress_display() as step:
        run = run_scenario(scenario, regions=regions, progress=step)
        files = write_run(run, target, progress=step)
    spec = run.scenario
    console.print(
        f"[bold]{escape(spec.name)}[/] ({escape(str(scenario))}; baseline {spec.baseline}; "
        f"population {run.population.total:,.0f}, {run.population.year})",
        highlight=False,
    )
    if run.summary()["site_changes"]:
        console.print(
            f"{run.summary()['site_changes']} site(s) changed.", highlight=False, soft_wrap=True
        )
    for table in _summary_tables(run):
        console.print(table)
    line = _plan_line(run)
    if line:
        console.print(line, highlight=False, soft_wrap=True)
    for text in _spreading_lines(run):
        console.print(text, highlight=False, soft_wrap=True)
    print_files(target, files, time.perf_counter() - start)
    no_plan = False
    if run.concentration is not None and not run.concentration.has_plan:
        for reason in run.concentration.diagnosis:
            console.print(f"- {escape(reason)}", highlight=False, soft_wrap=True)
        no_plan = True
    if run.spreading is not None and not run.spreading.has_plan:
        for reason in run.spreading.diagnosis:
            console.print(escape(reason), highlight=False, soft_wrap=True)
        no_plan = True
    if no_plan:
        raise typer.Exit(EXIT_NO_PLAN)
