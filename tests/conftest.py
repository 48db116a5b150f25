"""Shared fixtures: the embedded Netherlands, regional extracts, and a scratch copy of regions/."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from zorglandschap.landscape import Landscape, default_regions_dir, load_landscape

REPO = Path(__file__).resolve().parents[1]
#: The public source data: ``$ZORGLANDSCHAP_SHARED_DATA`` (as the calibration reads it), else
#: ``../shared/data`` beside the repository.
SHARED_DATA = Path(os.environ.get("ZORGLANDSCHAP_SHARED_DATA") or REPO.parent / "shared" / "data")


@pytest.fixture(scope="session")
def netherlands() -> Landscape:
    """The whole embedded Netherlands (loaded once per test session)."""
    return load_landscape()


@pytest.fixture(scope="session")
def utrecht(netherlands: Landscape) -> Landscape:
    """The ROAZ Midden-Nederland extract (UMC Utrecht): the small region for fast tests."""
    return netherlands.extract(roaz="ROAZ08")


@pytest.fixture
def regions_copy(tmp_path: Path) -> Callable[[], Path]:
    """Factory: a writable copy of the regions/ files to corrupt in a test."""

    def make() -> Path:
        target = tmp_path / "regions"
        shutil.copytree(default_regions_dir(), target, ignore=shutil.ignore_patterns("*.py"))
        return target

    return make


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The public source data beside the repository (present in CI); skip where absent."""
    if not (SHARED_DATA / "SOURCES.md").exists():
        pytest.skip("../shared/data is not available")
    return SHARED_DATA
