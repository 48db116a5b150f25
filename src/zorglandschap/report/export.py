"""Tables to files for planners: CSV (one file per table) and XLSX (one sheet per table).

Any result's :meth:`~zorglandschap.result.Result.tables` go through the same two writers, so a
reach, a sensitivity, a concentration plan, a scenario run and a comparison all export alike:

- numbers are rounded by the one JSON rule (:func:`~zorglandschap.result.json_number`: six
  decimals); NaN and infinity (no open site within reach) become empty cells;
- an index with a name (``site_id``, ``pc4``, ``roaz``) becomes the first column;
- CSV: UTF-8, comma separated, ``\\n`` line ends, a header row: the same table gives the same
  bytes;
- XLSX (openpyxl): typed cells (numbers as numbers, true/false as booleans, text as text), a
  bold frozen header row with filters, columns as wide as their contents, whole numbers shown
  with thousands separators; the file's dates are fixed, so the same tables give the same bytes.

Every file is written atomically (:mod:`zorglandschap.files`).

>>> import tempfile, pathlib, pandas as pd
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> table = pd.DataFrame({"beyond": [570, 0], "mean": [25.14999, float("inf")]},
...                      index=pd.Index(["ROAZ01", "ROAZ02"], name="roaz"))
>>> print(write_csv(table, folder / "t.csv").read_text(), end="")
roaz,beyond,mean
ROAZ01,570,25.14999
ROAZ02,0,
>>> import openpyxl
>>> sheet = openpyxl.load_workbook(write_xlsx({"by roaz": table}, folder / "t.xlsx"))["by roaz"]
>>> [[cell.value for cell in row] for row in sheet.iter_rows()], sheet.freeze_panes
([['roaz', 'beyond', 'mean'], ['ROAZ01', 570, 25.14999], ['ROAZ02', 0, None]], 'A2')
"""

from __future__ import annotations

import datetime
import io
import json
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from zorglandschap.errors import InputError
from zorglandschap.files import atomic_write_bytes, atomic_write_text
from zorglandschap.result import JSON_DECIMALS, json_number

__all__ = [
    "TABLE_SUFFIXES",
    "check_table_path",
    "export_frame",
    "sheet_names",
    "write_csv",
    "write_csv_tables",
    "write_table_file",
    "write_xlsx",
]

#: The kinds of file a table export can write (by suffix); ``.gpkg`` goes through
#: :mod:`zorglandschap.report.gis` (it needs the geometries).
TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx", ".gpkg")

#: Longest sheet name Excel accepts, and the characters it refuses in one.
_SHEET_LENGTH = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
#: Widest column in a workbook, characters.
_WIDEST = 60
#: The date written into every workbook (its contents do not depend on when it was made).
_FIXED_DATE = datetime.datetime(2000, 1, 1)


def check_table_path(path: str | Path, option: str = "--out") -> Path:
    """``path`` if its suffix is one :data:`TABLE_SUFFIXES` holds, else an :class:`InputError`
    naming the option and the valid suffixes (checked before any computation)."""
    path = Path(path)
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise InputError(
            f"{option} {path}: write the tables to a .csv, .xlsx or .gpkg file (got "
            f"{path.suffix or 'no suffix'})."
        )
    return path


def _cell(value: Any) -> Any:
    """One value as a file holds it: numbers rounded (NaN, inf → None), numpy scalars as
    Python ones, lists and dicts as JSON text, anything else as text."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return json_number(value, JSON_DECIMALS)
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    try:
        if bool(pd.isna(value)):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as it is exported: a named index as the first column(s), every cell by the
    one rule (see the module docstring), columns named as text."""
    named = any(name is not None for name in frame.index.names)
    out = frame.reset_index() if named else frame.reset_index(drop=True)
    out.columns = [str(c) for c in out.columns]
    return pd.DataFrame(
        {column: [_cell(v) for v in out[column].tolist()] for column in out.columns},
        columns=out.columns,
        dtype=object,
    )


def _csv_text(frame: pd.DataFrame) -> str:
    rows = export_frame(frame)
    return rows.to_csv(index=False, lineterminator="\n", na_rep="")


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write one table as CSV (atomically; folders created); return the path."""
    return atomic_write_text(path, _csv_text(frame))


def write_csv_tables(
    tables: Mapping[str, pd.DataFrame], folder: str | Path, *, prefix: str = ""
) -> list[Path]:
    """One ``<prefix><name>.csv`` per table in ``folder``; the paths in the tables' order."""
    folder = Path(folder)
    return [write_csv(frame, folder / f"{prefix}{name}.csv") for name, frame in tables.items()]


def sheet_names(names: Sequence[str]) -> dict[str, str]:
    """A valid, unique sheet name (at most 31 characters, none of ``[]:*?/\\``) per table name."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        base = _SHEET_FORBIDDEN.sub("_", name)[:_SHEET_LENGTH] or "table"
        candidate, n = base, 2
        while candidate.lower() in used:
            tail = f"~{n}"
            candidate, n = base[: _SHEET_LENGTH - len(tail)] + tail, n + 1
        used.add(candidate.lower())
        out[name] = candidate
    return out


def write_xlsx(tables: Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Write the tables to one workbook, a sheet each in the tables' order (atomically).

    Cells are typed, the header row is bold, frozen and filtered, columns are as wide as their
    contents (at most 60 characters); whole numbers show thousands separators.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for name, sheet_name in sheet_names(list(tables)).items():
        rows = export_frame(tables[name])
        sheet = workbook.create_sheet(sheet_name)
        sheet.append(list(rows.columns))
        for cell in sheet[1]:
            cell.font = bold
        for values in rows.itertuples(index=False):
            sheet.append(list(values))
        for i, column in enumerate(rows.columns, start=1):
            values = rows[column].tolist()
            letter = get_column_letter(i)
            sheet.column_dimensions[letter].width = _width(column, values)
            if values and all(
                isinstance(v, int) and not isinstance(v, bool) for v in values if v is not None
            ):
                for cell in sheet[letter][1:]:
                    cell.number_format = "#,##0"
        sheet.freeze_panes = "A2"
        if len(rows.columns):
            sheet.auto_filter.ref = sheet.dimensions
    return atomic_write_bytes(path, _workbook_bytes(workbook))


def _width(header: str, values: list[Any]) -> float:
    longest = max([len(header), *(len(_shown(v)) for v in values[:2000])])
    return float(min(longest + 2, _WIDEST))


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


class _FixedDateZip(zipfile.ZipFile):
    """A zip archive whose entries all carry one fixed date (so the bytes do not depend on
    when it was written)."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=(1980, 1, 1, 0, 0, 0))
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        """A file from disk (openpyxl writes its worksheets so) goes in by its bytes."""
        self.writestr(str(arcname or filename), Path(filename).read_bytes())


def _workbook_bytes(workbook: Any) -> bytes:
    """The workbook's bytes, with fixed dates inside (document properties and zip entries)."""
    from openpyxl.writer.excel import ExcelWriter

    workbook.properties.created = _FIXED_DATE
    workbook.properties.modified = _FIXED_DATE
    buffer = io.BytesIO()
    with _FixedDateZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).write_data()
    return buffer.getvalue()


def write_table_file(
    tables: Mapping[str, pd.DataFrame], path: str | Path, *, main: str
) -> list[Path]:
    """Write ``tables`` to ``path`` by its suffix: ``.xlsx`` one workbook (``main`` first);
    ``.csv`` the ``main`` table in ``path`` and each other one beside it as
    ``<stem>-<name>.csv``. (A ``.gpkg`` needs the geometries: see
    :func:`zorglandschap.report.gis.write_result_layers`.)"""
    path = check_table_path(path)
    ordered = {main: tables[main], **{k: v for k, v in tables.items() if k != main}}
    if path.suffix.lower() == ".xlsx":
        return [write_xlsx(ordered, path)]
    if path.suffix.lower() != ".csv":
        raise InputError(
            f"{path}: write_table_file writes .csv or .xlsx; a .gpkg needs report.gis."
        )
    written = [write_csv(ordered[main], path)]
    for name, frame in ordered.items():
        if name != main:
            written.append(write_csv(frame, path.with_name(f"{path.stem}-{name}.csv")))
    return written
