"""``zorglandschap compare A.toml B.toml [...]``: scenarios side by side against a baseline."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from zorglandschap.cli.app import RegionsOption, app, console
from zorglandschap.cli.run import cell, print_files, progress_display

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["compare_command"]

#: Rows of a per-municipality table printed (the files hold all).
PRINTED_ROWS = 30


def _printed(frame: pd.DataFrame, keys: list[str], title: str, *, changed_only: bool) -> Table:
    """A comparison table for the terminal: keys, indicator, baseline, then each scenario
    with its difference coloured."""
    values = [c for c in frame.columns if c not in (*keys, "indicator")]
    if changed_only:
        deltas = [c for c in values if c.startswith("Δ")]
        moved = frame[deltas].fillna(0).ne(0).any(axis=1)
        wanted = frame.loc[moved, keys].drop_duplicates()
        shown = frame.merge(wanted, on=keys)
        regions = wanted.shape[0]
        if regions > PRINTED_ROWS:
            shown = shown.merge(wanted.head(PRINTED_ROWS), on=keys)
            title += f" ({PRINTED_ROWS} of {regions} that differ; all in the files)"
        elif regions:
            title += " (those that differ)"
        else:
            title += ": no differences"
    else:
        shown = frame
    table = Table(title=title)
    for column in (*keys, "indicator"):
        table.add_column(escape(column))
    for column in values:
        table.add_column(escape(column), justify="right")
    for record in shown.to_dict(orient="records"):
        indicator = str(record["indicator"])
        cells = [escape(str(record[k])) for k in keys] + [indicator.replace("_", " ")]
        for column in values:
            cells.append(
                cell(f"{indicator}_change" if column.startswith("Δ") else indicator, record[column])
            )
        table.add_row(*cells)
    return table


def _default_out(paths: list[Path]) -> Path:
    stems = "-".join(p.stem for p in paths[:3]) + ("-etc" if len(paths) > 3 else "")
    return Path("results") / ("compare-" + re.sub(r"[^A-Za-z0-9._-]+", "-", stems))[:120]


@app.command("compare")
def compare_command(
    scenarios: Annotated[
        list[Path], typer.Argument(help="Two or more scenario .toml files (one is fine too).")
    ],
    baseline: Annotated[
        str,
        typer.Option("--baseline", help="The baseline: a year (2025, 2019) or a scenario .toml."),
    ] = "2025",
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Also compare per municipality (gemeente), iza, iza42 or province (provincie); "
            "ROAZ regions always.",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for compare.json, CSV, XLSX and report.html "
            "(default results/compare-A-B/).",
        ),
    ] = None,
    regions: RegionsOption = None,
) -> None:
    """Scenarios side by side: per block, region and intervention, with the differences
    against the baseline."""
    from zorglandschap.folders import prepare_folder, write_comparison
    from zorglandschap.report.compare import compare_scenarios

    target = _default_out(scenarios) if out is None else out
    prepare_folder(target, "compare.json")
    start = time.perf_counter()
    with progress_display() as step:
        comparison = compare_scenarios(
            scenarios, baseline=baseline, by=by, regions=regions, progress=step
        )
        files = write_comparison(comparison, target, progress=step)
    console.print(
        f"[bold]Compared[/] {escape(', '.join(comparison.labels))} against "
        f"[bold]{escape(comparison.baseline_label)}[/] (Δ = scenario − baseline).",
        highlight=False,
    )
    tables = comparison.tables()
    if "blocks" in tables:
        console.print(
            _printed(tables["blocks"], ["service", "block"], "Per time block", changed_only=False)
        )
    for layer in comparison.by:
        keys = ["service", "block", layer]
        console.print(_printed(tables[f"regions_{layer}"], keys, f"Per {layer}", changed_only=True))
    if "interventions" in tables:
        console.print(
            _printed(
                tables["interventions"], ["intervention"], "Per intervention", changed_only=False
            )
        )
    print_files(target, files, time.perf_counter() - start)
