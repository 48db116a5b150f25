"""What a result was computed from: the data files (their hashes and vintages), the software,
the settings, and the assumptions in words — recorded in every result folder.

>>> from zorglandschap.landscape import load_landscape
>>> data = data_versions(load_landscape())
>>> data["folder"], data["files"]["pc4.csv"]["vintage"]
('embedded', 'points 2020, population 1 Jan 2021')
>>> settings_changes(DEFAULT_SETTINGS.replace(access={"norm_minutes": 30}))
{'access.norm_minutes': 30.0}
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zorglandschap.landscape import FILES, default_regions_dir
from zorglandschap.result import json_number
from zorglandschap.settings import DEFAULT_SETTINGS, Settings

if TYPE_CHECKING:
    from zorglandschap.landscape import Landscape

__all__ = [
    "data_versions",
    "travel_versions",
    "settings_changes",
    "settings_payload",
    "software_versions",
]

#: The data files besides the CSV files of :data:`~zorglandschap.landscape.FILES`.
_OTHER_FILES = ("municipalities.geojson",)
#: Libraries whose version can change a figure (solvers, numerics, geometry), recorded.
_LIBRARIES = ("numpy", "pandas", "scipy", "networkx", "pulp", "highspy", "shapely", "geopandas")
#: Hash characters kept per file (64 bits: enough to tell versions apart).
_HASH_CHARS = 16


def _vintages(folder: Path) -> dict[str, str]:
    """File name → vintage, from the table of ``PROVENANCE.md`` (empty when there is none)."""
    path = folder / "PROVENANCE.md"
    if not path.is_file():
        return {}
    vintages = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"`([^`]+)`", cells[0]) if len(cells) >= 4 else None
        if match:
            vintages[match.group(1)] = cells[3]
    return vintages


def data_versions(landscape: Landscape) -> dict[str, Any]:
    """The data a result was computed on: per file its SHA-256 (first 16 hex digits), size and
    vintage (``regions/PROVENANCE.md``), the folder (``embedded`` for the shipped data) and the
    population year."""
    folder = Path(landscape.source)
    vintages = _vintages(folder)
    files: dict[str, Any] = {}
    for name in sorted([*FILES, *_OTHER_FILES]):
        path = folder / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        files[name] = {
            "sha256": hashlib.sha256(data).hexdigest()[:_HASH_CHARS],
            "bytes": len(data),
            "vintage": vintages.get(name, ""),
        }
    embedded = folder.resolve() == Path(default_regions_dir()).resolve()
    return {
        "folder": "embedded" if embedded else str(folder),
        "population_year": landscape.population_year,
        "files": files,
    }


def travel_versions(source: Any) -> dict[str, Any]:
    """How the travel times of a result were made: ``{"source": "network"}``, or a user
    matrix's label and, per profile, its file's name, SHA-256 (first 16 hex digits) and size."""
    from zorglandschap.travel import source_label

    out: dict[str, Any] = {"source": source_label(source)}
    paths = getattr(source, "paths", None)
    if paths:
        files = {}
        for profile, path in sorted(paths.items()):
            data = Path(path).read_bytes()
            files["every profile" if profile == "*" else profile] = {
                "file": Path(path).name,
                "sha256": hashlib.sha256(data).hexdigest()[:_HASH_CHARS],
                "bytes": len(data),
            }
        out["files"] = files
    return out


def software_versions() -> dict[str, str]:
    """The package's version and those of the libraries that compute the figures."""
    from zorglandschap import __version__

    versions = {"zorglandschap": __version__}
    for name in _LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return json_number(value)


def settings_payload(settings: Settings) -> dict[str, Any]:
    """Every setting, by group and key, JSON-ready (tuples as lists)."""
    return {
        f.name: _plain(dataclasses.asdict(getattr(settings, f.name)))
        for f in dataclasses.fields(settings)
    }


def settings_changes(settings: Settings, *, against: Settings = DEFAULT_SETTINGS) -> dict[str, Any]:
    """The settings that differ from ``against`` (the defaults), as ``{"group.key": value}``."""
    mine, theirs = settings_payload(settings), settings_payload(against)
    return {
        f"{group}.{key}": value
        for group, values in mine.items()
        for key, value in values.items()
        if theirs[group].get(key) != value
    }
