"""The disk cache of travel-time matrices: checked on every read, written atomically.

A cache file holds one matrix and what it must match::

    ZORGLANDSCHAP-MATRIX 1
    {"dtype": "<f8", "inputs": "<sha256 of the inputs>", "sha256": "<sha256 of the data>", "shape": [r, c]}
    <r x c little-endian float64 values, row by row>

:func:`read_matrix` returns the matrix only when every check holds: the first line, a readable
header, the dtype, the shape asked for, the inputs' fingerprint, the data's length and
checksum, and finite minutes of 0 or more. Anything else (a 0-byte file left by a full disk, a
truncated or overwritten file, a file of another version) is *not* an answer: the caller
recomputes the matrix and :func:`write_matrix` replaces the file, and one line on stderr says
so. Writes go to a temporary file in the same folder, then :func:`os.replace`: a reader never
sees half a file, and concurrent writers of the same matrix (which write the same bytes) each
replace the file whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

#: First line of every cache file (bump the number when the layout changes).
MAGIC = b"ZORGLANDSCHAP-MATRIX 1\n"
#: The one dtype the cache stores: little-endian float64 minutes.
DTYPE = "<f8"
#: Longest header line read, bytes (a header is about 200 bytes).
_MAX_HEADER = 4096


class CacheCheckFailed(Exception):
    """A cache file failed one of its checks (the message says which)."""


def _check_header(header: object, inputs: str, shape: tuple[int, int]) -> None:
    """Raise :class:`CacheCheckFailed` unless ``header`` describes the matrix asked for."""
    if not isinstance(header, dict):
        raise CacheCheckFailed("unreadable header")
    if header.get("dtype") != DTYPE:
        raise CacheCheckFailed(f"dtype {header.get('dtype')!r}, expected {DTYPE!r}")
    if header.get("inputs") != inputs:
        raise CacheCheckFailed("computed from other inputs")
    stored = header.get("shape")
    if stored != list(shape):
        raise CacheCheckFailed(f"shape {stored}, expected {list(shape)}")
    if not isinstance(header.get("sha256"), str):
        raise CacheCheckFailed("no checksum")


def _parse(raw: bytes, inputs: str, shape: tuple[int, int]) -> np.ndarray:
    """The matrix in the bytes of a cache file, or :class:`CacheCheckFailed` saying why not."""
    if len(raw) == 0:
        raise CacheCheckFailed("empty file")
    if not raw.startswith(MAGIC):
        raise CacheCheckFailed("not a zorglandschap matrix file of this version")
    end = raw.find(b"\n", len(MAGIC), len(MAGIC) + _MAX_HEADER)
    if end < 0:
        raise CacheCheckFailed("unreadable header")
    try:
        header = json.loads(raw[len(MAGIC) : end].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise CacheCheckFailed("unreadable header") from None
    _check_header(header, inputs, shape)
    data = raw[end + 1 :]
    expected = shape[0] * shape[1] * np.dtype(DTYPE).itemsize
    if len(data) != expected:
        raise CacheCheckFailed(f"{len(data)} data bytes, expected {expected} (truncated?)")
    if hashlib.sha256(data).hexdigest() != header["sha256"]:
        raise CacheCheckFailed("checksum mismatch")
    matrix = np.frombuffer(data, dtype=DTYPE).reshape(shape).astype(float)
    if not np.all(np.isfinite(matrix)):
        raise CacheCheckFailed("non-finite minutes")
    if np.any(matrix < 0):
        raise CacheCheckFailed("negative minutes")
    return matrix


def read_matrix(path: Path, *, inputs: str, shape: tuple[int, int]) -> np.ndarray | None:
    """The cached matrix at ``path`` if it passes every check; else None (after a note).

    Parameters
    ----------
    path
        The cache file.
    inputs
        The fingerprint of everything the matrix depends on (the source, profile and ids).
    shape
        The (origins, destinations) shape asked for.

    Returns
    -------
    numpy.ndarray or None
        None when the file does not exist, or (with one line on stderr naming the file and the
        failed check) when it fails a check: the caller recomputes and rewrites it.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        _note(path, f"unreadable: {exc.strerror or exc}")
        return None
    try:
        return _parse(raw, inputs, shape)
    except CacheCheckFailed as exc:
        _note(path, str(exc))
        return None


def write_matrix(path: Path, matrix: np.ndarray, *, inputs: str) -> bool:
    """Write ``matrix`` to ``path`` atomically (temporary file beside it, then ``os.replace``).

    Returns False (and leaves any existing file untouched) when the folder cannot be written:
    a read-only cache only costs speed.
    """
    data = np.ascontiguousarray(matrix, dtype=DTYPE).tobytes()
    header = {
        "dtype": DTYPE,
        "inputs": inputs,
        "sha256": hashlib.sha256(data).hexdigest(),
        "shape": [int(s) for s in np.shape(matrix)],
    }
    line = json.dumps(header, sort_keys=True).encode("utf-8") + b"\n"
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(MAGIC + line + data)
            out.flush()
            os.fsync(out.fileno())
        Path(tmp).replace(path)
        return True
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        return False


def _note(path: Path, reason: str) -> None:
    print(
        f"zorglandschap: travel-time cache file {path} failed its check ({reason}); "
        "recomputing it.",
        file=sys.stderr,
    )
