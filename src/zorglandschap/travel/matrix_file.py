"""A user travel-time matrix: CSV or Parquet, read, checked and looked up like the network.

The file holds one origin per row and one destination per column. The first column holds the
origin ids, the header the destination ids. Bare row ids are read as PC4 codes (``1011`` →
``pc4:1011``), bare column ids as site ids (``umcg`` → ``site:umcg``); any id may be given
in full (``pc4:1011``, ``site:<site_id>``, ``post:<post_id>``, ``clinic:<clinic_id>``).
Cells are travel times in ``unit`` (minutes, seconds or hours; converted to minutes).

Reading refuses, naming the file, the line and the column: an unreadable path, a file that is
not UTF-8, an empty file, ragged rows, an empty id, an unknown id kind, an id given twice (row
or column), an empty cell, text, a negative or non-finite time, and a file whose times do not
look like its unit (a cell over ``settings.travel.matrix_file_max_minutes``: seconds; a median
under ``matrix_file_min_median_minutes``: hours). CSV from a Dutch Excel (``;`` between cells,
decimal commas) and a UTF-8 byte-order mark are read as they are.

A question asked the other way round (destination → origin) is answered from the transposed
table: times are then taken as symmetric. The minutes are used as given: the RIVM composite
adds the regime's fixed minutes to them, not its speed factor (that calibrates the default
network only; docs/travel.md).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "m.csv").write_text("pc4,umcg,post:P1\\n9713,4.5,7\\n9301,21,12.5\\n")
>>> source = MatrixFileSource(folder / "m.csv")
>>> source.minutes(["pc4:9301"], ["site:umcg"], profile="car")
array([[21.]])
>>> source.minutes(["post:P1"], ["pc4:9713", "pc4:9301"], profile="ambulance")
array([[ 7. , 12.5]])
>>> _ = (folder / "s.csv").write_text("pc4,umcg\\n9713,270\\n9301,1260\\n")
>>> MatrixFileSource(folder / "s.csv").minutes(["pc4:9301"], ["site:umcg"], profile="car")
Traceback (most recent call last):
...
zorglandschap.errors.DataError: ...s.csv: line 3, column site:umcg is 1260 minutes, more than 720 (settings.travel.matrix_file_max_minutes): the file looks like seconds; give its unit (--matrix-unit seconds, or matrix_unit = "seconds" in a scenario file).
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from zorglandschap.errors import DataError, TravelError, problems_to_error
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.travel.speeds import check_profile
from zorglandschap.vocab import MATRIX_UNITS, MatrixUnit

__all__ = ["MATRIX_SUFFIXES", "NODE_KINDS", "MatrixFileSource", "check_matrix_path"]

#: File suffixes a matrix can have, and how each is read.
MATRIX_SUFFIXES: dict[str, str] = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
#: The kinds of node id (``kind:id``) of the travel network (:mod:`.nodes`).
NODE_KINDS: tuple[str, ...] = ("pc4", "site", "post", "clinic")
#: Minutes per unit.
_TO_MINUTES: dict[str, float] = {"minutes": 1.0, "seconds": 1 / 60, "hours": 60.0}
#: What a missing id of each kind needs, in the message.
_KIND_HINTS: dict[str, str] = {
    "pc4": "one row per PC4 area of the landscape (4-digit codes)",
    "site": "a column per site (ids from `zorglandschap sites`)",
    "post": (
        "the minutes from every ambulance post to every PC4 area (the RIVM composite's "
        "response time): columns post:<post_id> (ids in regions/ambulance_posts.csv)"
    ),
    "clinic": "a column per outpatient clinic, clinic:<clinic_id>",
}
#: Problem cells named in one message (the count of all is given too).
_SHOWN = 5


def check_matrix_path(path: Path, *, option: str = "--matrix") -> Path:
    """``path`` if it is an existing CSV or Parquet file; else a :class:`DataError` naming
    ``option``, the path and the fix (before any data is read)."""
    suffix = path.suffix.lower()
    if suffix not in MATRIX_SUFFIXES:
        raise DataError(
            f"{option} {path}: a travel-time matrix is a .csv or .parquet file, not "
            f"{suffix or 'a file without suffix'!s}; save it as CSV (one row per origin)."
        )
    if not path.exists():
        raise DataError(f"{option} {path}: the file does not exist; check the path.")
    if not path.is_file():
        raise DataError(f"{option} {path}: this is a folder, not a matrix file; name the file.")
    return path


def _as_node(value: str, default_kind: str, where: str) -> tuple[str, str]:
    """``(node id, problem)`` for a row or column id of the file."""
    text = value.strip()
    if not text:
        return "", f"{where}: the id is empty; give every row and column an id."
    kind, colon, rest = text.partition(":")
    if not colon:
        if default_kind == "pc4" and text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]  # a PC4 code saved as a number by a spreadsheet
        return f"{default_kind}:{text}", ""
    if kind not in NODE_KINDS or not rest.strip():
        return "", (
            f"{where}: {text!r} is not a location id; write a bare id or KIND:ID with KIND one "
            f"of {', '.join(NODE_KINDS)}."
        )
    return f"{kind}:{rest.strip()}", ""


def _twice(ids: list[str], where: str, position: str) -> str:
    """A message naming the ids given more than once (with their lines or columns), or ""."""
    seen: dict[str, list[int]] = {}
    for number, node in enumerate(ids, start=2):  # line 1 is the header, column 1 the ids
        seen.setdefault(node, []).append(number)
    twice = {node: places for node, places in seen.items() if node and len(places) > 1}
    if not twice:
        return ""
    named = "; ".join(
        f"{node} ({', '.join(position.format(p) for p in places)})"
        for node, places in list(twice.items())[:_SHOWN]
    )
    return f"{where}: {len(twice)} id(s) given more than once: {named}; keep one of each."


class MatrixFileSource:
    """A user-supplied travel-time matrix (the module docstring has the format and checks).

    Parameters
    ----------
    path
        The file, or ``{profile: path}`` (``"*"`` for every other profile).
    unit
        The unit of the cells: ``minutes`` (default), ``seconds`` or ``hours``.
    settings
        The plausibility limits (``settings.travel.matrix_file_*``).
    """

    #: Read from the file each run, not from the disk cache (reading is as fast, and the
    #: checks then always run on the file as it is).
    cacheable = False

    def __init__(
        self,
        path: str | Path | Mapping[str, str | Path],
        *,
        unit: MatrixUnit = "minutes",
        settings: Settings = DEFAULT_SETTINGS,
    ) -> None:
        if unit not in MATRIX_UNITS:
            raise DataError(f"Unknown matrix unit {unit!r}; valid: {', '.join(MATRIX_UNITS)}.")
        paths = dict(path) if isinstance(path, Mapping) else {"*": path}
        self.paths = {k: Path(v) for k, v in paths.items()}
        self.unit: MatrixUnit = unit
        self.settings = settings
        self._tables: dict[str, pd.DataFrame] = {}

    @property
    def label(self) -> str:
        """How results name this source: ``matrix file NAME (minutes)``, per profile if more."""
        files = ", ".join(
            (p.name if k == "*" else f"{k} {p.name}") for k, p in sorted(self.paths.items())
        )
        return f"matrix file {files} ({self.unit}, as given)"

    def _path(self, profile: str) -> Path:
        check_profile(profile)
        if profile in self.paths:
            return self.paths[profile]
        if "*" in self.paths:
            return self.paths["*"]
        raise TravelError(
            f"No matrix file for profile {profile!r}; given for: {', '.join(sorted(self.paths))}."
        )

    def table(self, profile: str) -> pd.DataFrame:
        """The checked matrix for ``profile`` in minutes, node ids as index and columns."""
        path = self._path(profile)
        key = str(path)
        if key not in self._tables:
            self._tables[key] = self._read(path)
        return self._tables[key]

    def _read(self, path: Path) -> pd.DataFrame:
        check_matrix_path(path, option="matrix file")
        raw = _raw_cells(path)
        if raw.shape[0] < 2 or raw.shape[1] < 2:
            raise DataError(
                f"{path}: the matrix needs a header and at least one row and one column of "
                f"times; it has {max(raw.shape[0] - 1, 0)} row(s) and "
                f"{max(raw.shape[1] - 1, 0)} column(s) of times."
            )
        header, body = raw[0], raw[1:]
        rows, problems = [], []
        for line, value in enumerate(body[:, 0], start=2):
            node, problem = _as_node(str(value), "pc4", f"{path}: line {line}")
            rows.append(node)
            problems += [problem] if problem else []
        columns = []
        for number, value in enumerate(header[1:], start=2):
            node, problem = _as_node(str(value), "site", f"{path}: header, column {number}")
            columns.append(node)
            problems += [problem] if problem else []
        problems += [_twice(rows, f"{path}: rows", "line {}")]
        problems += [_twice(columns, f"{path}: header", "column {}")]
        problems_to_error([p for p in problems if p][: 2 * _SHOWN])
        minutes = _minutes(path, body[:, 1:], rows, columns, self.unit) * _TO_MINUTES[self.unit]
        self._check_unit(path, minutes, rows, columns)
        return pd.DataFrame(minutes, index=rows, columns=columns)

    def _check_unit(
        self, path: Path, minutes: np.ndarray, rows: list[str], columns: list[str]
    ) -> None:
        """Refuse times that cannot be minutes: seconds (too long) or hours (too short)."""
        travel = self.settings.travel
        high = travel.matrix_file_max_minutes
        if minutes.size and minutes.max() > high:
            i, j = np.unravel_index(int(np.argmax(minutes)), minutes.shape)
            guess = (
                'the file looks like seconds; give its unit (--matrix-unit seconds, or matrix_unit = "seconds" in a scenario file)'
                if self.unit == "minutes"
                else "no trip in the Netherlands takes that long; check the file and its unit"
            )
            raise DataError(
                f"{path}: line {i + 2}, column {columns[j]} is {minutes[i, j]:g} minutes, more "
                f"than {high:g} (settings.travel.matrix_file_max_minutes): {guess}."
            )
        low = travel.matrix_file_min_median_minutes
        median = float(np.median(minutes)) if minutes.size else 0.0
        if minutes.size and median < low:
            guess = (
                'the file looks like hours; give its unit (--matrix-unit hours, or matrix_unit = "hours" in a scenario file)'
                if self.unit == "minutes"
                else "check the file and its unit"
            )
            raise DataError(
                f"{path}: half of its {minutes.size:,} times are under {median:.3g} minutes, less "
                f"than {low:g} (settings.travel.matrix_file_min_median_minutes): {guess}."
            )

    def fingerprint(self, profile: str) -> str:
        """Hash of the file's bytes and unit."""
        path = check_matrix_path(self._path(profile), option="matrix file")
        h = hashlib.sha256(f"matrix-file-{self.unit}".encode())
        h.update(path.read_bytes())
        return h.hexdigest()

    def minutes(
        self, origins: Sequence[str], destinations: Sequence[str], *, profile: str
    ) -> np.ndarray:
        """Look the pairs up in the file (or its transpose)."""
        table = self.table(profile)
        rows, cols = set(table.index), set(table.columns)
        if set(origins) <= rows and set(destinations) <= cols:
            return table.loc[list(origins), list(destinations)].to_numpy(float)
        if set(origins) <= cols and set(destinations) <= rows:
            return table.loc[list(destinations), list(origins)].to_numpy(float).T
        raise TravelError(self._missing_message(profile, table, origins, destinations))

    def _missing_message(
        self,
        profile: str,
        table: pd.DataFrame,
        origins: Sequence[str],
        destinations: Sequence[str],
    ) -> str:
        """Which asked ids the file lacks, by kind, with what the question needs and the
        file's closest unused ids (a typo)."""
        rows, cols = set(table.index), set(table.columns)
        # the orientation that covers the most asked ids is the one the file meant
        straight = (set(origins) - rows) | (set(destinations) - cols)
        turned = (set(origins) - cols) | (set(destinations) - rows)
        missing = sorted(straight if len(straight) <= len(turned) else turned)
        unused = sorted((rows | cols) - set(origins) - set(destinations))
        parts = []
        for kind in NODE_KINDS:
            of_kind = [m for m in missing if m.startswith(f"{kind}:")]
            if not of_kind:
                continue
            shown = []
            for node in of_kind[:_SHOWN]:
                close = (
                    [] if node in rows | cols else difflib.get_close_matches(node, unused, 1, 0.8)
                )
                shown.append(f"{node} (the file has {close[0]})" if close else node)
            parts.append(
                f"{len(of_kind):,} {kind} id(s), e.g. {', '.join(shown)} — it needs "
                f"{_KIND_HINTS[kind]}"
            )
        both_ways = sorted(set(missing) & (rows | cols))
        axis = (
            f" {len(both_ways):,} of them are in the file on the other side only: this question "
            "asks their minutes in both directions (e.g. site → site), so give them as rows too "
            "(`zorglandschap travel export --profile car` writes such a file)."
            if both_ways
            else ""
        )
        return (
            f"The matrix file {self._path(profile)} ({profile} minutes) lacks "
            f"{'; and '.join(parts)}. Asked: {len(origins):,} origins × "
            f"{len(destinations):,} destinations.{axis}"
        )


def _raw_cells(path: Path) -> np.ndarray:
    """Every cell of the file as text (header first), or a :class:`DataError` naming why the
    file cannot be read."""
    if MATRIX_SUFFIXES[path.suffix.lower()] == "parquet":
        return _parquet_cells(path)
    try:
        with path.open(encoding="utf-8-sig") as handle:
            first = handle.readline()
    except UnicodeDecodeError:
        raise DataError(
            f"{path}: the file is not UTF-8 text; save it as CSV UTF-8 (Excel: CSV UTF-8)."
        ) from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    # a Dutch Excel writes ; between cells and decimal commas
    separator = ";" if first.count(";") > first.count(",") else ","
    try:
        frame = pd.read_csv(
            path,
            sep=separator,
            header=None,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            skip_blank_lines=True,
        )
    except pd.errors.EmptyDataError:
        raise DataError(
            f"{path}: the file is empty; write a header and one row per origin."
        ) from None
    except UnicodeDecodeError:
        raise DataError(
            f"{path}: the file is not UTF-8 text; save it as CSV UTF-8 (Excel: CSV UTF-8)."
        ) from None
    except pd.errors.ParserError as exc:
        raise DataError(
            f"{path}: rows of unequal length ({str(exc).strip()}); every row needs an id and "
            "one time per column of the header."
        ) from None
    cells = frame.fillna("").to_numpy(dtype=object)  # a short row's missing cells are empty
    if separator == ";":
        cells[1:, 1:] = np.char.replace(cells[1:, 1:].astype(str), ",", ".")
    return cells


def _parquet_cells(path: Path) -> np.ndarray:
    """The cells of a Parquet matrix as text (header first; the index, if stored, first)."""
    try:
        frame = pd.read_parquet(path)
    except ImportError:
        raise DataError(
            f"Reading {path} needs pyarrow (pip install 'zorglandschap[parquet]'), or save it "
            "as CSV."
        ) from None
    except Exception as exc:  # pyarrow's errors for a damaged file have no common base
        raise DataError(f"{path}: not a readable Parquet file ({exc}).") from None
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    header = np.array([str(c) for c in frame.columns], dtype=object)
    body = frame.astype(str).replace({"None": ""}).to_numpy(dtype=object)
    if len(frame.columns) and pd.api.types.is_float_dtype(frame[frame.columns[0]]):
        body[:, 0] = [f"{v:.0f}" if np.isfinite(v) else "" for v in frame.iloc[:, 0]]
    return np.vstack([header[None, :], body]) if len(body) else header[None, :]


def _minutes(
    path: Path, cells: np.ndarray, rows: list[str], columns: list[str], unit: str
) -> np.ndarray:
    """The numeric times of the body ``cells``, or a :class:`DataError` naming the first
    problem cells by line and column: empty, text, negative or not finite."""
    text = pd.DataFrame(cells).apply(lambda c: c.astype(str).str.strip())
    values = text.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    empty = (text == "").to_numpy()
    bad = empty | ~np.isfinite(values) | (values < 0)
    if not bad.any():
        return values
    problems = []
    for i, j in np.argwhere(bad)[:_SHOWN]:
        raw = text.iat[i, j]
        why = (
            "empty"
            if empty[i, j]
            else f"{raw!r}, not a number"
            if np.isnan(values[i, j]) and raw.lower() not in {"nan", "na"}
            else f"{raw!r}, not a finite number"
            if not np.isfinite(values[i, j])
            else f"{raw}, a negative time"
        )
        problems.append(f"line {i + 2} ({rows[i]}), column {columns[j]}: {why}")
    count = int(bad.sum())
    raise DataError(
        f"{path}: {count:,} cell(s) are not travel times: "
        f"{'; '.join(problems)}{'; …' if count > _SHOWN else ''}. Fill in every time as a "
        f"number of {unit}, 0 or more."
    )
