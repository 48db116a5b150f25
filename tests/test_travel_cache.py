"""The travel-time cache never gives a wrong answer: every damaged file is rebuilt, with a note.

Every test uses its own temporary cache folder (the shared ``~/.cache/zorglandschap`` is never
touched).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from zorglandschap.access import reach
from zorglandschap.errors import DataError
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.state import baseline_state
from zorglandschap.travel import load_fixed_links, travel_matrix
from zorglandschap.travel.cache import MAGIC, read_matrix, write_matrix

REPO = Path(__file__).resolve().parents[1]


class CountingSource:
    """A matrix source with known minutes that counts how often it computes."""

    def __init__(self) -> None:
        self.calls = 0

    def fingerprint(self, profile: str) -> str:
        return "counting-source-1"

    def minutes(
        self, origins: Sequence[str], destinations: Sequence[str], *, profile: str
    ) -> np.ndarray:
        self.calls += 1
        return np.add.outer(np.arange(len(origins)), 10.0 * np.arange(len(destinations))) + 1.5


ORIGINS = [f"pc4:{1000 + i}" for i in range(7)]
DESTINATIONS = ["site:a", "site:b", "site:c"]
CLEAN = CountingSource().minutes(ORIGINS, DESTINATIONS, profile="car")


def _header_end(raw: bytes) -> int:
    return raw.index(b"\n", len(MAGIC)) + 1


def _rewrite_data(path: Path, data: bytes, *, fix_checksum: bool = False) -> None:
    """Replace the data behind the header (optionally with a matching checksum)."""
    raw = path.read_bytes()
    end = _header_end(raw)
    header = json.loads(raw[len(MAGIC) : end - 1])
    if fix_checksum:
        header["sha256"] = hashlib.sha256(data).hexdigest()
    line = json.dumps(header, sort_keys=True).encode() + b"\n"
    path.write_bytes(MAGIC + line + data)


def zeroed(path: Path) -> None:
    raw = path.read_bytes()
    _rewrite_data(path, bytes(len(raw) - _header_end(raw)))


def _nans_of_the_same_size(path: Path) -> bytes:
    raw = path.read_bytes()
    return np.full((len(raw) - _header_end(raw)) // 8, np.nan).astype("<f8").tobytes()


def nan(path: Path) -> None:
    _rewrite_data(path, _nans_of_the_same_size(path))


def nan_with_matching_checksum(path: Path) -> None:
    _rewrite_data(path, _nans_of_the_same_size(path), fix_checksum=True)


def negative_with_matching_checksum(path: Path) -> None:
    _rewrite_data(path, (-CLEAN).astype("<f8").tobytes(), fix_checksum=True)


def truncated(path: Path) -> None:
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) - 13])


def empty(path: Path) -> None:
    path.write_bytes(b"")


def random_data(path: Path) -> None:
    raw = path.read_bytes()
    noise = np.random.default_rng(7).bytes(len(raw) - _header_end(raw))
    _rewrite_data(path, noise)


def garbage_header(path: Path) -> None:
    raw = path.read_bytes()
    path.write_bytes(MAGIC + b"{not json\n" + raw[_header_end(raw) :])


def old_npy_file(path: Path) -> None:
    with path.open("wb") as handle:
        np.save(handle, np.zeros(CLEAN.shape))


def other_inputs(path: Path) -> None:
    write_matrix(path, CLEAN + 1.0, inputs="f" * 64)


def other_shape(path: Path) -> None:
    raw = path.read_bytes()
    header = json.loads(raw[len(MAGIC) : _header_end(raw) - 1])
    write_matrix(path, CLEAN[:, :2], inputs=header["inputs"])


FAULTS: dict[str, tuple[Callable[[Path], None], str]] = {
    "zeroed": (zeroed, "checksum mismatch"),
    "nan": (nan, "checksum mismatch"),
    "nan-with-matching-checksum": (nan_with_matching_checksum, "non-finite minutes"),
    "negative-with-matching-checksum": (negative_with_matching_checksum, "negative minutes"),
    "truncated": (truncated, "truncated"),
    "0-byte": (empty, "empty file"),
    "random-bytes-behind-an-intact-header": (random_data, "checksum mismatch"),
    "garbage-header": (garbage_header, "unreadable header"),
    "old-npy-file": (old_npy_file, "not a zorglandschap matrix file"),
    "other-inputs": (other_inputs, "computed from other inputs"),
    "other-shape": (other_shape, r"shape \[7, 2\], expected \[7, 3\]"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_damaged_cache_file_is_recomputed_with_a_note(
    fault: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damage, reason = FAULTS[fault]
    source = CountingSource()
    first = travel_matrix(source, ORIGINS, DESTINATIONS, profile="car", cache_dir=tmp_path)
    (path,) = tmp_path.glob("travel-*.matrix")
    assert source.calls == 1
    damage(path)

    again = travel_matrix(source, ORIGINS, DESTINATIONS, profile="car", cache_dir=tmp_path)
    np.testing.assert_array_equal(again, first)
    np.testing.assert_array_equal(again, CLEAN)
    assert source.calls == 2  # recomputed, not read
    note = capsys.readouterr().err
    assert note.count("\n") == 1, note  # one line
    assert str(path) in note and "recomputing" in note
    assert re.search(reason, note), note

    # the file was rewritten whole: the next run reads it, silently
    third = travel_matrix(source, ORIGINS, DESTINATIONS, profile="car", cache_dir=tmp_path)
    np.testing.assert_array_equal(third, CLEAN)
    assert source.calls == 2
    assert capsys.readouterr().err == ""
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_a_clean_cache_file_is_read_without_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = CountingSource()
    travel_matrix(source, ORIGINS, DESTINATIONS, profile="ambulance", cache_dir=tmp_path)
    travel_matrix(source, ORIGINS, DESTINATIONS, profile="ambulance", cache_dir=tmp_path)
    assert source.calls == 1
    assert capsys.readouterr().err == ""


def test_an_unwritable_cache_folder_costs_speed_not_answers(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    source = CountingSource()
    for _ in range(2):
        minutes = travel_matrix(source, ORIGINS, DESTINATIONS, profile="car", cache_dir=blocker)
        np.testing.assert_array_equal(minutes, CLEAN)
    assert source.calls == 2
    assert not write_matrix(blocker / "x.matrix", CLEAN, inputs="k")


def test_concurrent_writers_and_readers_never_see_half_a_file(tmp_path: Path) -> None:
    """Eight writers replace the same file while readers read it: every read is whole."""
    path = tmp_path / "travel-concurrent.matrix"
    big = np.arange(400 * 300, dtype=float).reshape(400, 300)
    failures: list[str] = []
    stop = threading.Event()

    def write() -> None:
        for _ in range(15):
            if not write_matrix(path, big, inputs="k"):
                failures.append("write failed")

    def read() -> None:
        while not stop.is_set():
            got = read_matrix(path, inputs="k", shape=big.shape)
            if got is not None and not np.array_equal(got, big):
                failures.append("wrong matrix")

    readers = [threading.Thread(target=read) for _ in range(2)]
    writers = [threading.Thread(target=write) for _ in range(8)]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    for thread in readers:
        thread.join()
    assert failures == []
    np.testing.assert_array_equal(read_matrix(path, inputs="k", shape=big.shape), big)
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize(
    "fault", ["zeroed", "nan", "truncated", "0-byte", "random-bytes-behind-an-intact-header"]
)
def test_reach_on_a_damaged_cache_equals_a_clean_run(
    fault: str,
    utrecht: Landscape,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ZORGLANDSCHAP_CACHE", str(tmp_path))
    state = baseline_state(utrecht, 2025)
    clean = reach(utrecht, state, block="night")
    files = sorted(tmp_path.glob("travel-*.matrix"))
    assert len(files) == 2  # PC4 x sites and posts x PC4
    for path in files:
        FAULTS[fault][0](path)
    capsys.readouterr()
    again = reach(utrecht, state, block="night")
    assert again.summary() == clean.summary()
    pd.testing.assert_frame_equal(again.points, clean.points)
    notes = capsys.readouterr().err.splitlines()
    assert len(notes) == 2 and all("recomputing" in n for n in notes)


@pytest.mark.slow
def test_cli_reach_on_a_zero_byte_cache_file_is_the_clean_answer(tmp_path: Path) -> None:
    """Before: a 0-byte cache file made every later run print ``Aborted.`` and exit 1."""
    env = {**os.environ, "ZORGLANDSCHAP_CACHE": str(tmp_path)}
    args = [sys.executable, "-m", "zorglandschap.cli", "reach", "--sites", "2025", "--json"]
    clean = subprocess.run(args, capture_output=True, text=True, cwd=REPO, env=env, check=True)
    for path in tmp_path.glob("travel-*.matrix"):
        path.write_bytes(b"")
    again = subprocess.run(args, capture_output=True, text=True, cwd=REPO, env=env, check=False)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["beyond"] == json.loads(clean.stdout)["beyond"]
    assert again.stdout == clean.stdout
    assert again.stderr.count("failed its check (empty file); recomputing it.") == 2


LINKS = REPO / "regions" / "fixed_links.csv"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"fixed_links\.csv is empty \(no header, no rows\); restore it from git"),
        (bytes(range(256)) * 4, r"fixed_links\.csv is not a readable UTF-8 CSV file"),
        (b"garbage\nmore garbage\n", r"fixed_links\.csv lacks column\(s\) link_id, name"),
    ],
    ids=["empty", "random-bytes", "text-garbage"],
)
def test_an_unreadable_fixed_links_file_is_one_clear_error(
    content: bytes, message: str, tmp_path: Path
) -> None:
    path = tmp_path / "fixed_links.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        load_fixed_links(path)


def test_garbage_cells_in_fixed_links_name_the_line_and_column(tmp_path: Path) -> None:
    lines = LINKS.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("length_km")] = "far"
    row[header.index("speed_kmh")] = "fast"
    row[header.index("lat_b")] = "123.4"
    path = tmp_path / "fixed_links.csv"
    path.write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_fixed_links(path)
    text = str(error.value)
    assert "3 problems found" in text
    assert f"{path} line 2 (afsluitdijk-1): length_km must be a number of km" in text
    assert "got 'far'" in text
    assert "line 2 (afsluitdijk-1): a dam needs speed_kmh (km/h, more than 0)" in text
    assert "line 2 (afsluitdijk-1): lat_b 123.4 lies outside the Netherlands" in text
