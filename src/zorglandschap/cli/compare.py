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

    from zorglandschap.report.compare import Comparison

__all__ = ["compare_command"]

#: Rows of a per-municipality table printed (the files hold all).
PRINTED_ROWS = 30


def _printed(
    frame: pd.DataFrame,
    keys: list[str],
    title: str,
    *,
    changed_only: bool,
    indicators: tuple[str, ...] | None = None,
) -> Table:
    """A comparison table for the terminal: keys, indicator, the baseline, then per scenario
    its value with the difference in brackets, coloured (the files hold every column)."""
    if "name" in frame.columns and "name" not in keys:
        keys = [*keys, "name"]
    labels = [c for c in frame.columns if c not in (*keys, "indicator") and not c.startswith("Δ")]
    baseline, scenarios = labels[0], labels[1:]
    if indicators is not None:
        frame = frame[frame["indicator"].isin(indicators)]
    if changed_only:
        deltas = [f"Δ {label}" for label in scenarios]
        moved = frame[deltas].fillna(0).ne(0).any(axis=1)
        wanted = frame.loc[moved, keys].drop_duplicates()
        regions = wanted.shape[0]
        if regions > PRINTED_ROWS:
            wanted = wanted.head(PRINTED_ROWS)
            title += f" ({PRINTED_ROWS} of {regions} that differ; all in the files)"
        else:
            title += " (those that differ)" if regions else ": no differences"
        frame = frame.merge(wanted, on=keys)
    if "service" in keys and frame["service"].nunique() <= 1:
        keys = [k for k in keys if k != "service"]
    table = Table(title=title)
    for column in (*keys, "indicator", baseline):
        table.add_column(escape(column), justify="right" if column == baseline else "left")
    for label in scenarios:
        table.add_column(escape(label) + " (Δ)", justify="right")
    for record in frame.to_dict(orient="records"):
        indicator = str(record["indicator"])
        cells = [escape(str(record[k])) for k in keys] + [indicator.replace("_", " ")]
        cells.append(cell(indicator, record[baseline]))
        for label in scenarios:
            change = cell(f"{indicator}_change", record[f"Δ {label}"])
            cells.append(f"{cell(indicator, record[label])} ({change})")
        table.add_row(*cells)
    return table


def _default_out(paths: list[Path]) -> Path:
    stems = "-".join(p.stem for p in paths[:3]) + ("-etc" if len(paths) > 3 else "")
    return Path("results") / ("compare-" + re.sub(r"[^A-Za-z0-9._-]+", "-", stems))[:120]


def _print_tables(comparison: Comparison) -> None:
    """The comparison's tables, side by side, for the terminal."""
    tables = comparison.tables()
    if "blocks" in tables:
        console.print(
            _printed(tables["blocks"], ["service", "block"], "Per time block", changed_only=False)
        )
    for layer in comparison.by:
        if f"regions_{layer}" not in tables:
            continue  # no reach asked (e.g. scenarios asking [spreading] alone)
        keys = ["service", "block", layer]
        console.print(
            _printed(
                tables[f"regions_{layer}"],
                keys,
                f"Per {layer}",
                changed_only=True,
                indicators=("beyond", "mean_minutes"),
            )
        )
    if "interventions" in tables:
        console.print(
            _printed(
                tables["interventions"], ["intervention"], "Per intervention", changed_only=False
            )
        )
    if "spreading" in tables:
        console.print(
            _printed(
                tables["spreading"],
                ["scope", "block"],
                "Spreading plans per block (SEHs taking ambulances, staff-hours a week, beyond)",
                changed_only=False,
            )
        )
        status = comparison.summary()["spreading_status"]
        console.print(
            "Spreading plans: " + ", ".join(f"{escape(k)} {v}" for k, v in status.items()),
            highlight=False,
            soft_wrap=True,
        )


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
    _print_tables(comparison)
    print_files(target, files, time.perf_counter() - start)
