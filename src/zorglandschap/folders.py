"""Result folders: a scenario run, or a comparison, written to a folder of files.

A run's folder (:func:`write_run`) holds

- ``result.json``: the run (:meth:`~zorglandschap.report.run.ScenarioRun.to_json`: the scenario,
  data versions, settings, software versions, every figure; stable keys) and the list of the
  folder's files; ``timing.json``: the wall times (apart, so ``result.json`` is the same bytes
  for the same scenario);
- one CSV per table and ``result.xlsx`` (a sheet per table) (:mod:`zorglandschap.report.export`);
- ``result.gpkg``: sites, regions and demand layers with the result columns, and the plan's
  layers (:mod:`zorglandschap.report.gis`), for QGIS;
- ``map-<service>-<block>.html`` (before/after when the scenario changes something),
  ``figure-<service>-<block>.png`` and ``map-plan.html`` (:mod:`zorglandschap.maps`);
- ``report.html``: the report page embedding them (:mod:`zorglandschap.report.pages`).

This module sits after :mod:`zorglandschap.maps` in the flow of the package (the report
layer computes and formats; the maps layer draws; this one puts both into a folder).

Writing into a folder that holds files but no ``result.json`` is refused (it is not a result
folder); rewriting a result folder removes the files of the previous run that this run does
not write. Every file is written atomically.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zorglandschap.errors import OutputError
from zorglandschap.files import atomic_write_text
from zorglandschap.report.export import write_csv_tables, write_xlsx
from zorglandschap.report.gis import run_layers, write_layers
from zorglandschap.report.pages import compare_report, run_report
from zorglandschap.result import dumps
from zorglandschap.settings import DEFAULT_SETTINGS

if TYPE_CHECKING:
    from zorglandschap.report.compare import Comparison
    from zorglandschap.report.run import Progress, ReachPair, ScenarioRun

__all__ = ["FolderFiles", "prepare_folder", "write_comparison", "write_run"]

#: (file name, what it holds), in the order the report lists them.
FolderFiles = list[tuple[str, str]]


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """An OSError while writing ``path`` becomes one clear :class:`OutputError`."""
    try:
        yield
    except OSError as exc:
        raise OutputError(
            f"Cannot write {exc.filename or path}: {exc.strerror or exc}; give --out a folder "
            "you can write to."
        ) from None


def prepare_folder(out: str | Path, marker: str = "result.json") -> list[str]:
    """Create ``out`` (or check it is a result folder: one holding ``marker``) before anything
    is computed; return the files the previous run listed in its ``marker`` file.

    Raises
    ------
    OutputError
        If ``out`` is a file, cannot be created, or holds files but no ``marker``.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out} is a file; give a folder for the results.")
    with _writing(out):
        out.mkdir(parents=True, exist_ok=True)
    own = out / marker
    if not own.is_file():
        if any(out.iterdir()):
            raise OutputError(
                f"--out {out} holds files but no {marker}: it is not a result folder, and "
                "its files are left alone; give an empty or a new folder."
            )
        return []
    try:
        listed = json.loads(own.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [str(name) for name in listed if isinstance(name, str) and "/" not in name]


def _remove_stale(out: Path, previous: list[str], written: FolderFiles) -> None:
    kept = {name for name, _ in written}
    for name in previous:
        if name not in kept:
            (out / name).unlink(missing_ok=True)


def _changed(run: ScenarioRun, pair: ReachPair) -> bool:
    """Whether the scenario differs from its baseline in this reach (then its map and figure
    show before/after): other sites open, other settings, or another population."""
    return (
        pair.after.open_site_ids != pair.before.open_site_ids
        or run.settings != DEFAULT_SETTINGS
        or run.population.factor != 1.0
    )


def _draw(run: ScenarioRun, pair: ReachPair, out: Path, changed: bool) -> tuple[str, str]:
    """The interactive map and the print figure of one reach; their file names."""
    from zorglandschap.maps import before_after_map, reach_map, save_map
    from zorglandschap.maps.static import before_after_figure, reach_figure, save_figure

    stem = pair.key.replace("_", "-")
    state, region = run.scenario.state, run.region
    if changed:
        m = before_after_map(pair.before, pair.after, run.baseline, state, region=region)
        figure = before_after_figure(pair.before, pair.after, run.baseline, state, region=region)
    else:
        m = reach_map(pair.after, state, region=region)
        figure = reach_figure(pair.after, state, region=region)
    save_map(m, out / f"map-{stem}.html")
    save_figure(figure, out / f"figure-{stem}.png")
    return f"map-{stem}.html", f"figure-{stem}.png"


def _step(progress: Progress | None, label: str) -> contextlib.AbstractContextManager[Any]:
    return progress(label) if progress is not None else contextlib.nullcontext()


def write_run(
    run: ScenarioRun, out: str | Path, *, progress: Progress | None = None
) -> FolderFiles:
    """Write a scenario run's folder (see the module docstring); return its files with what
    each holds.

    Raises
    ------
    OutputError
        If the folder or a file in it cannot be written.
    """
    out = Path(out)
    previous = prepare_folder(out)
    files: FolderFiles = []
    with _writing(out):
        with _step(progress, "tables: CSV and XLSX"):
            tables = run.tables()
            for path in write_csv_tables(tables, out):
                files.append((path.name, f"table {path.stem}"))
            write_xlsx(tables, out / "result.xlsx")
            files.append(("result.xlsx", "every table, a sheet each (Excel)"))
        with _step(progress, "GeoPackage"):
            write_layers(run_layers(run, tables), out / "result.gpkg")
            files.append(("result.gpkg", "sites, regions and demand layers (QGIS)"))
        maps: dict[str, str] = {}
        figures: dict[str, str] = {}
        for pair in run.reaches:
            changed = _changed(run, pair)
            with _step(progress, f"map and figure {pair.after.service} {pair.after.block}"):
                maps[pair.key], figures[pair.key] = _draw(run, pair, out, changed)
            kind = "before/after" if changed else "reach"
            files.append((maps[pair.key], f"interactive {kind} map (opens offline)"))
            files.append((figures[pair.key], "print figure (A4, 300 dpi)"))
        if run.concentration is not None and run.concentration.has_plan:
            from zorglandschap.maps import concentration_map, save_map

            with _step(progress, "plan map"):
                save_map(concentration_map(run.concentration, run.landscape), out / "map-plan.html")
            maps["plan"] = "map-plan.html"
            files.append(("map-plan.html", "interactive map of the concentration plan"))
        files = [
            ("report.html", "this report"),
            ("result.json", "every figure, the scenario, data and software versions (JSON)"),
            ("timing.json", "wall times of the steps"),
            *files,
        ]
        with _step(progress, "report"):
            page = run_report(run, maps=maps, figures=figures, files=files, tables=tables)
            atomic_write_text(out / "report.html", page)
            payload = run.payload()
            payload["files"] = sorted(name for name, _ in files)
            atomic_write_text(out / "result.json", dumps(payload) + "\n")
            atomic_write_text(out / "timing.json", run.timing_json() + "\n")
    _remove_stale(out, previous, files)
    return files


def write_comparison(
    comparison: Comparison, out: str | Path, *, progress: Progress | None = None
) -> FolderFiles:
    """Write a comparison's folder: ``compare.json``, a CSV per table, ``compare.xlsx`` and
    ``report.html``; return its files with what each holds."""
    out = Path(out)
    previous = prepare_folder(out, "compare.json")
    files: FolderFiles = [
        ("report.html", "this report"),
        ("compare.json", "every figure side by side (JSON)"),
        ("compare.xlsx", "every table, a sheet each (Excel)"),
    ]
    with _writing(out), _step(progress, "comparison files"):
        tables = comparison.tables()
        for path in write_csv_tables(tables, out):
            files.append((path.name, f"table {path.stem}"))
        write_xlsx(tables, out / "compare.xlsx")
        atomic_write_text(out / "report.html", compare_report(comparison, files=files))
        payload = comparison.payload()
        payload["files"] = sorted(name for name, _ in files)
        atomic_write_text(out / "compare.json", dumps(payload) + "\n")
    _remove_stale(out, previous, files)
    return files
