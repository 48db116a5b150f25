"""The travel times an analysis runs on: the default network, or a user matrix.

A user matrix is given on the command line (``--matrix FILE``, or ``--matrix ambulance=FILE
--matrix car=FILE`` for one file per profile, with ``--matrix-unit``) or in a scenario file
(``matrix = "FILE"`` or ``matrix = {ambulance = "...", car = "..."}``, with ``matrix_unit``;
paths relative to the file). Both end in :func:`matrix_source`, so the same file gives the same
figures however it is named. The file's format and checks: :mod:`zorglandschap.travel.matrix_file`.

>>> matrix_source(None) is None
True
>>> matrix_source(["car=m.csv"], check_paths=False).paths
{'car': PosixPath('m.csv')}
>>> matrix_source(["bus=m.csv"], check_paths=False)
Traceback (most recent call last):
...
zorglandschap.errors.DataError: --matrix 'bus=m.csv': unknown profile 'bus'; write FILE (every profile) or PROFILE=FILE with PROFILE one of ambulance, car.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from zorglandschap.errors import DataError, problems_to_error
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.travel.matrix_file import MatrixFileSource, check_matrix_path
from zorglandschap.vocab import MATRIX_UNITS, PROFILES

if TYPE_CHECKING:
    from zorglandschap.vocab import MatrixUnit

__all__ = ["matrix_source", "parse_matrix_options"]


def parse_matrix_options(values: Sequence[str], *, option: str = "--matrix") -> dict[str, str]:
    """``--matrix`` values → ``{profile or "*": path}``.

    Raises
    ------
    DataError
        For an unknown profile, a profile or "every profile" given twice, or an empty path.
    """
    paths: dict[str, str] = {}
    problems = []
    for value in values:
        head, equals, tail = value.partition("=")
        profile, path = (head.strip(), tail) if equals and ("/" not in head) else ("*", value)
        if profile != "*" and profile not in PROFILES:
            problems.append(
                f"{option} {value!r}: unknown profile {profile!r}; write FILE (every profile) "
                f"or PROFILE=FILE with PROFILE one of {', '.join(PROFILES)}."
            )
        elif not path.strip():
            problems.append(f"{option} {value!r}: the file name is empty.")
        elif profile in paths:
            which = "every profile" if profile == "*" else f"profile {profile}"
            problems.append(f"{option} {value!r}: a file for {which} is already given; give one.")
        else:
            paths[profile] = path
    problems_to_error(problems)
    return paths


def matrix_source(
    matrix: str | Sequence[str] | Mapping[str, str] | None,
    unit: str | None = None,
    *,
    settings: Settings = DEFAULT_SETTINGS,
    base: Path | None = None,
    option: str = "--matrix",
    unit_option: str = "--matrix-unit",
    check_paths: bool = True,
) -> MatrixFileSource | None:
    """The user matrix of ``--matrix`` values or a scenario's ``matrix`` key (None: none given).

    Parameters
    ----------
    matrix
        ``--matrix`` values (``FILE`` or ``PROFILE=FILE``), one path, or ``{profile: path}``.
    unit
        The cells' unit (default minutes).
    settings
        The plausibility limits the file is checked against.
    base
        Relative paths are relative to this folder (a scenario file's).
    option, unit_option
        How messages name the two (``--matrix`` or ``FILE: matrix``).
    check_paths
        Check that every file exists and is CSV or Parquet now, before any data is read.

    Raises
    ------
    DataError
        Naming the option: a unit without a matrix, an unknown unit or profile, a missing file
        or a file that is not CSV or Parquet.
    """
    if matrix is None or (not isinstance(matrix, str | Mapping) and not matrix):
        if unit is not None:
            raise DataError(
                f"{unit_option} {unit!r} was given without {option}; give the matrix file too, "
                f"or leave {unit_option} out."
            )
        return None
    if unit is not None and unit not in MATRIX_UNITS:
        raise DataError(f"{unit_option} {unit!r}: unknown unit; valid: {', '.join(MATRIX_UNITS)}.")
    if isinstance(matrix, str):
        paths = {"*": matrix}
    elif isinstance(matrix, Mapping):
        paths = dict(matrix)
    else:
        paths = parse_matrix_options(matrix, option=option)
    resolved = {k: (base / v if base is not None else Path(v)) for k, v in paths.items()}
    if check_paths:
        problems = []
        for profile, path in sorted(resolved.items()):
            named = option if profile == "*" else f"{option} {profile}"
            try:
                check_matrix_path(path, option=named)
            except DataError as exc:
                problems.append(str(exc))
        problems_to_error(problems)
    chosen = cast("MatrixUnit", unit or "minutes")
    return MatrixFileSource(resolved, unit=chosen, settings=settings)
