"""Writing files atomically: write beside the target, then ``os.replace`` it into place.

A reader (a browser, QGIS, another run) sees either the old file or the new one, never half a
file; a write that fails leaves the old file as it was and no temporary file behind. Every
writer of the package goes through these helpers.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write_text(folder / "a" / "note.txt", "hello").read_text()
'hello'
>>> with atomic_path(folder / "b.bin") as temp:
...     _ = temp.write_bytes(b"\\x00")
>>> (folder / "b.bin").read_bytes(), sorted(p.name for p in folder.iterdir())
(b'\\x00', ['a', 'b.bin'])
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "atomic_write_bytes", "atomic_write_text"]


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """A temporary path beside ``target``; on a clean exit it replaces ``target``.

    The temporary name keeps ``target``'s suffix (drivers such as GDAL's GeoPackage writer and
    matplotlib choose the format by it). Folders are created. The temporary file does not
    exist when the block starts (a writer that refuses to overwrite can create it); if the
    block raises, it is removed and ``target`` is left untouched.

    Parameters
    ----------
    target
        The file to write.

    Yields
    ------
    Path
        Where to write; moved onto ``target`` with :func:`os.replace` afterwards.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent
    )
    os.close(handle)
    temp = Path(name)
    temp.unlink()
    try:
        yield temp
        temp.replace(target)
    finally:
        temp.unlink(missing_ok=True)


def atomic_write_bytes(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically (folders created); return the path."""
    target = Path(target)
    with atomic_path(target) as temp:
        temp.write_bytes(data)
    return target


def atomic_write_text(target: str | Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``target`` atomically (folders created); return the path."""
    return atomic_write_bytes(target, text.encode(encoding))
