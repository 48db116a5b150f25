"""HTML pages (jinja2): the table formatting and the templates of the reports
(:mod:`zorglandschap.report.pages` fills them for a scenario run and a comparison).

The page shows the headline indicators, the tables (numbers formatted for reading, changes
against the baseline coloured: red where more people are beyond the norm or travel longer),
the interactive maps (embedded as frames: the map files sit beside the report in the result
folder) and the print figures, the assumptions, the settings that differ from the defaults,
and the data and software versions. The page needs no network and runs no script of its own.
The same run gives the same bytes (no dates or times on the page).

>>> from zorglandschap.report.html import format_cell
>>> format_cell("beyond_change", 570), format_cell("share_within", 0.99833)
(('+570', 'num worse'), ('99.83 %', 'num'))
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
import pandas as pd

from zorglandschap.report.export import export_frame
from zorglandschap.report.provenance import settings_payload

__all__ = [
    "Cell",
    "Column",
    "HtmlTable",
    "format_cell",
    "html_table",
    "provenance_context",
    "render",
]

#: Columns whose increase is an improvement (more sites open, more people within).
_HIGHER_IS_BETTER = ("open_sites", "share_within", "sites", "within")
#: Rows shown per table on the page (the files hold all).
PAGE_ROWS = 30

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("zorglandschap.report", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Column:
    """A column heading; ``kind`` is ``num`` for right-aligned numbers."""

    label: str
    kind: str = ""


@dataclass(frozen=True)
class Cell:
    """A formatted cell and its CSS classes."""

    text: str
    css: str = ""


@dataclass(frozen=True)
class HtmlTable:
    """A table as the page shows it."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    empty: str = "None."


def _signed(text: str, value: float) -> str:
    return text if value <= 0 else f"+{text}"


def format_cell(column: str, value: Any) -> tuple[str, str]:
    """The text and CSS classes of one cell, by its column's name and its value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–", "num"
    if isinstance(value, bool):
        return ("yes" if value else "no"), ""
    if not isinstance(value, int | float):
        return str(value), ""
    change = column.endswith("_change") or column.startswith("Δ")
    if "share" in column:
        text = f"{100 * value:.3f} pp" if change else f"{100 * value:.2f} %"
    elif "minutes" in column or column.endswith("_min"):
        text = f"{value:.1f}"
    elif isinstance(value, int) or float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.1f}"
    if not change:
        return text, "num"
    text = _signed(text, value)
    if value == 0:
        return text, "num"
    better = (value > 0) == any(key in column for key in _HIGHER_IS_BETTER)
    return text, "num better" if better else "num worse"


def html_table(
    frame: pd.DataFrame,
    *,
    title: str = "",
    columns: Mapping[str, str] | None = None,
    limit: int | None = PAGE_ROWS,
    note: str = "",
    empty: str = "None.",
) -> HtmlTable:
    """``frame`` as a page table: ``columns`` picks and labels its columns (source → label;
    default all, by name), ``limit`` rows at most (the note then says how many more)."""
    rows = export_frame(frame)
    wanted = dict(columns) if columns is not None else {c: c for c in rows.columns}
    wanted = {k: v for k, v in wanted.items() if k in rows.columns}
    shown = rows if limit is None else rows.head(limit)
    cells = tuple(
        tuple(Cell(*format_cell(name, value)) for name, value in zip(wanted, values, strict=True))
        for values in shown[list(wanted)].itertuples(index=False)
    )
    kinds = {
        name: "num"
        if all(
            isinstance(v, int | float) and not isinstance(v, bool)
            for v in rows[name]
            if v is not None
        )
        and rows[name].notna().any()
        else ""
        for name in wanted
    }
    more = len(rows) - len(shown)
    extra = f"{more:,} more rows in the CSV and XLSX files." if more > 0 else ""
    return HtmlTable(
        title=title,
        columns=tuple(Column(label, kinds[name]) for name, label in wanted.items()),
        rows=cells,
        note=" ".join(p for p in (note, extra) if p),
        empty=empty,
    )


def _records_table(
    title: str, records: Iterable[tuple[str, Any]], heads: tuple[str, str]
) -> HtmlTable:
    frame = pd.DataFrame(list(records), columns=list(heads))
    return html_table(frame, title=title, limit=None)


def provenance_context(
    assumptions: Sequence[str],
    settings: Any,
    *,
    changed: Mapping[str, Any],
    data: Mapping[str, Any],
    software: Mapping[str, str],
) -> dict[str, Any]:
    """The assumptions, settings, data and software sections of a page."""
    every = [
        (f"{group}.{key}", str(value))
        for group, values in settings_payload(settings).items()
        for key, value in values.items()
    ]
    files = pd.DataFrame(
        [
            {"file": name, "vintage": v["vintage"], "sha256": v["sha256"], "bytes": v["bytes"]}
            for name, v in data["files"].items()
        ],
        columns=["file", "vintage", "sha256", "bytes"],
    )
    folder = data["folder"]
    return {
        "assumptions": list(assumptions),
        "changed": _records_table(
            "Settings that differ from the defaults",
            [(k, str(v)) for k, v in changed.items()],
            ("setting", "value"),
        ),
        "all_settings": _records_table("", every, ("setting", "value")),
        "data": html_table(
            files,
            title=f"Data: regions/ ({folder}), population {data['population_year']}",
            limit=None,
        ),
        "software": _records_table("Software", software.items(), ("package", "version")),
    }


def render(template: str, **context: Any) -> str:
    """A page from one of the package's templates."""
    return _ENV.get_template(template).render(**context)
