"""Scenario files: a baseline year, then changes to sites and settings, validated with a schema.

A scenario is a TOML file::

    name = "Zuyderland Heerlen: SEH closed at night"
    description = "What if the 24/7 SEH in Heerlen is open day and evening only?"
    baseline = 2025

    [[site]]
    id = "zuyderland-mc-heerlen"
    seh = "limited"        # "24/7", "limited", "spoedpost" or "none"
    av = true              # acute obstetrics, optional

    [settings.access]      # any settings group and key (see zorglandschap.settings)
    norm_minutes = 45

    [reach]                # optional: what `zorglandschap run` computes (see docs/scenarios.md)
    blocks = ["day", "night"]

    [concentration]        # optional: a complex-care concentration question on these sites
    interventions = ["pancreas"]
    per_region = 1
    eligible = "seh_24_7"

Unknown keys, unknown sites and invalid values give a :class:`ScenarioError` naming the file,
the key and the valid choices.

Examples
--------
>>> from zorglandschap.landscape import load_landscape
>>> nl = load_landscape()
>>> state = site_state(nl, "2025")
>>> state.name, int((state.services["seh"] == "24/7").sum())
('2025', 76)
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from zorglandschap.errors import InputError, ScenarioError
from zorglandschap.landscape import SITE_YEARS, Landscape
from zorglandschap.landscape.population import population_factor
from zorglandschap.landscape.state import SiteState, baseline_state, unknown_site_message
from zorglandschap.optimise.spreading.question import SpreadingQuestion
from zorglandschap.scenario.access import ReachQuestion, SensitivityQuestion
from zorglandschap.scenario.questions import ConcentrationQuestion
from zorglandschap.scenario.travel import matrix_source
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.travel import MatrixSource
from zorglandschap.vocab import MatrixUnit, Profile, ScenarioSehState, TimeBlock


class SiteChange(BaseModel):
    """A change to one site's services (strict: ``av = 1`` or ``av = "yes"`` is refused)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: str
    seh: ScenarioSehState | None = None
    av: bool | None = None
    nicu: bool | None = None
    #: Opening blocks of a limited-hours SEH (e.g. ``["day"]`` for office hours only).
    blocks: list[TimeBlock] | None = Field(None, min_length=1)
    note: str = ""


class ScenarioFile(BaseModel):
    """The schema of a scenario file."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(min_length=1)
    description: str = ""
    #: Another scenario file this one builds on (relative to this file); its keys are the
    #: defaults, this file's keys win, its site changes come after the other file's.
    extends: str | None = None
    baseline: Literal[2019, 2025] = 2025
    #: Scale the 2021 population to CBS's national total of this year (1 Jan), or by a growth
    #: factor; not both (:mod:`zorglandschap.landscape.population`).
    population_year: int | None = Field(None, ge=1900, le=2200)
    population_growth: float | None = Field(None, gt=0, le=100, allow_inf_nan=False)
    site: list[SiteChange] = Field(default_factory=list)
    settings: dict[str, dict[str, Any]] = Field(default_factory=dict)
    #: A user travel-time matrix replacing the default network (relative to this file): one
    #: file, or one per profile ``{ambulance = "...", car = "..."}``; docs/travel.md.
    matrix: str | dict[Profile, str] | None = None
    #: The unit of the matrix cells (default minutes).
    matrix_unit: MatrixUnit | None = None
    #: What to compute (``zorglandschap run``): reach, sensitive sites, concentration.
    reach: ReachQuestion | None = None
    sensitivity: SensitivityQuestion | None = None
    concentration: ConcentrationQuestion | None = None
    spreading: SpreadingQuestion | None = None


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: its site state and settings."""

    name: str
    description: str
    path: Path | None
    state: SiteState
    settings: Settings
    #: The ``[concentration]`` question, when the file has one.
    concentration: ConcentrationQuestion | None = None
    #: The ``[spreading]`` question (SEH opening blocks), when the file has one.
    spreading: SpreadingQuestion | None = None
    #: The baseline year the changes apply to.
    baseline: int = 2025
    #: The population year or growth factor (at most one is set).
    population_year: int | None = None
    population_growth: float | None = None
    #: The ``[reach]`` and ``[sensitivity]`` questions, when the file has them.
    reach: ReachQuestion | None = None
    sensitivity: SensitivityQuestion | None = None
    #: The scenario's tables as read (with the files it extends merged in).
    tables: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    #: The travel times of its ``matrix`` key (None: the default network).
    travel: MatrixSource | None = field(default=None, compare=False)

    def asks(self) -> bool:
        """Whether the file asks a question of its own (reach, sensitivity, concentration,
        spreading)."""
        questions = (self.reach, self.sensitivity, self.concentration, self.spreading)
        return any(q is not None for q in questions)


def load_scenario(
    path: str | Path, landscape: Landscape, *, settings: Settings = DEFAULT_SETTINGS
) -> Scenario:
    """Read, validate and apply a scenario file (and the files it ``extends``).

    Raises
    ------
    ScenarioError
        Naming the file, the key and the fix, for a missing, unreadable, empty or binary file,
        invalid TOML, an ``extends`` loop, an unknown key (with the closest valid key), a value
        of the wrong type or out of range, an unknown or repeated site id; all problems at once.
    """
    path = Path(path)
    return scenario_from_tables(read_scenario_tables(path), path, landscape, settings=settings)


def scenario_from_tables(
    raw: dict[str, Any],
    path: Path,
    landscape: Landscape,
    *,
    settings: Settings = DEFAULT_SETTINGS,
) -> Scenario:
    """Validate and apply a scenario's tables (as read from ``path``, which messages name)."""
    problems = _repeated_sites(path, raw.get("site"))
    try:
        spec = ScenarioFile.model_validate(raw)
    except ValidationError as exc:
        problems += [f"{path}: {_location(e['loc'])}: {_message(e)}" for e in exc.errors()]
        problems += _unknown_sites(path, raw.get("site"), landscape)
        raise ScenarioError("\n".join(problems)) from None

    state = baseline_state(landscape, spec.baseline)
    changes: dict[str, dict[str, Any]] = {}
    problems += _unknown_sites(path, raw.get("site"), landscape)
    for i, change in enumerate(spec.site):
        values = change.model_dump(exclude_none=True, exclude={"id", "note"})
        changes.setdefault(change.id, {}).update(values)
        problems += _blocks_problem(path, i, change, state)
    try:
        scenario_settings = settings.replace(**spec.settings)
    except ScenarioError as exc:
        problems.append(f"{path}: settings: {exc}")
        scenario_settings = settings
    problems += _population_problems(path, spec, landscape, scenario_settings)
    travel = None
    try:
        travel = matrix_source(
            cast("str | dict[str, str] | None", spec.matrix), spec.matrix_unit, settings=scenario_settings, base=path.parent,
            option=f"{path}: matrix", unit_option=f"{path}: matrix_unit",
        )  # fmt: skip
    except InputError as exc:
        problems.append(str(exc))
    if problems:
        raise ScenarioError("\n".join(problems))
    return Scenario(
        name=spec.name,
        description=spec.description,
        path=path,
        state=state.with_changes(changes, name=spec.name),
        settings=scenario_settings,
        concentration=spec.concentration,
        spreading=spec.spreading,
        baseline=spec.baseline,
        population_year=spec.population_year,
        population_growth=spec.population_growth,
        reach=spec.reach,
        sensitivity=spec.sensitivity,
        tables=raw,
        travel=travel,
    )


def _population_problems(
    path: Path, spec: ScenarioFile, landscape: Landscape, settings: Settings
) -> list[str]:
    """Both population keys given, or a population year without a known national total."""
    if spec.population_year is not None and spec.population_growth is not None:
        return [
            f"{path}: population_year, population_growth: both given; keep one (the year "
            "implies its own growth from the 2021 data)."
        ]
    try:
        population_factor(landscape, year=spec.population_year, settings=settings)
    except ScenarioError as exc:
        return [f"{path}: {exc}"]
    return []


def read_scenario_tables(path: Path, *, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The TOML tables of ``path`` with the files it ``extends`` merged in underneath.

    A key of the extending file wins over the same key of the file it extends (tables are
    merged key by key); ``[[site]]`` lists are joined, the extending file's last, each entry
    remembering its file for messages.
    """
    raw = _read_toml(path)
    if seen:  # a file extended by another: its matrix paths are relative to itself
        raw = _matrix_relative_to(raw, path.parent)
    base_name = raw.get("extends")
    if base_name is None:
        return raw
    if not isinstance(base_name, str) or not base_name.endswith(".toml"):
        raise ScenarioError(
            f"{path}: extends: must name another scenario .toml file, got {base_name!r}."
        )
    base_path = (path.parent / base_name).resolve()
    chain = (*seen, path.resolve())
    if base_path in chain:
        loop = " -> ".join(str(p) for p in (*chain, base_path))
        raise ScenarioError(
            f"{path}: extends: {base_name} leads back to a file already read ({loop}); "
            "remove one of the extends keys."
        )
    base = read_scenario_tables(base_path, seen=chain)
    return _merged(base, raw)


def _matrix_relative_to(raw: dict[str, Any], folder: Path) -> dict[str, Any]:
    """``raw`` with its relative ``matrix`` path(s) made absolute from ``folder`` (the extended
    file's), so the file that extends it reads the same files."""
    folder = folder.resolve()
    matrix = raw.get("matrix")
    if isinstance(matrix, str):
        return {**raw, "matrix": str(folder / matrix)}
    if isinstance(matrix, dict):
        paths = {k: str(folder / v) if isinstance(v, str) else v for k, v in matrix.items()}
        return {**raw, "matrix": paths}
    return raw


def _merged(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        if key == "extends":
            continue
        if key == "site" and isinstance(value, list) and isinstance(base.get(key), list):
            ids = {e.get("id") for e in value if isinstance(e, dict)}
            kept = [e for e in base[key] if not (isinstance(e, dict) and e.get("id") in ids)]
            merged[key] = kept + value
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merged(base[key], value)
        else:
            merged[key] = value
    merged.pop("extends", None)
    return merged


def _read_toml(path: Path) -> dict[str, Any]:
    """The tables of one TOML file; every way a file can be unreadable is named."""
    if not path.exists():
        raise ScenarioError(f"Scenario file {path} does not exist; check the path.")
    if path.is_dir():
        raise ScenarioError(f"{path} is a folder, not a scenario file; give a .toml file in it.")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"{path} is not UTF-8 text (byte {exc.start} cannot be read): a scenario is a TOML "
            "text file saved as UTF-8; save it again in that encoding."
        ) from None
    except OSError as exc:
        raise ScenarioError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    if "\x00" in text:
        raise ScenarioError(f"{path} is a binary file, not a TOML scenario file.")
    if not text.strip():
        raise ScenarioError(
            f'{path} is empty; a scenario needs at least name = "..." (see docs/scenarios.md).'
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path} is not valid TOML: {exc}.") from None


def _repeated_sites(path: Path, entries: Any) -> list[str]:
    """One problem per site id listed more than once in the file's own ``[[site]]`` list."""
    if not isinstance(entries, list):
        return []
    where: dict[str, list[int]] = {}
    for i, entry in enumerate(entries):
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            where.setdefault(entry["id"], []).append(i)
    return [
        f"{path}: site: {site_id!r} is listed {len(at)} times "
        f"(site[{'], site['.join(str(i) for i in at[:5])}]{', ...' if len(at) > 5 else ''}); "
        "give each site one entry with all its changes."
        for site_id, at in where.items()
        if len(at) > 1
    ]


def _blocks_problem(path: Path, i: int, change: SiteChange, state: SiteState) -> list[str]:
    """``blocks`` only describe a limited-hours SEH (after the change)."""
    if change.blocks is None or change.id not in state.services.index:
        return []
    seh = change.seh or state.services.at[change.id, "seh"]
    if seh == "limited":
        return []
    return [
        f"{path}: site[{i}].blocks: opening blocks apply to an SEH with limited hours, and "
        f'{change.id} is {seh!r} here; add seh = "limited" or remove blocks.'
    ]


def _unknown_sites(path: Path, entries: Any, landscape: Landscape) -> list[str]:
    if not isinstance(entries, list):
        return []
    valid = landscape.sites.index
    return [
        f"{path}: site[{i}].id: {unknown_site_message(entry['id'], valid)}"
        for i, entry in enumerate(entries)
        if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"] not in valid
    ]


def site_state(
    landscape: Landscape, sites: str | int | Path, *, settings: Settings = DEFAULT_SETTINGS
) -> SiteState:
    """Resolve a ``--sites`` selector: a baseline year (``"2019"``, ``"2025"``) or a scenario file."""
    text = str(sites)
    if text.isascii() and text.isdigit():
        if int(text) not in SITE_YEARS:
            valid = ", ".join(str(y) for y in SITE_YEARS)
            raise ScenarioError(
                f"No site state for year {text}; use one of {valid} or a scenario .toml file."
            )
        return baseline_state(landscape, int(text))
    if text.endswith(".toml"):
        return load_scenario(text, landscape, settings=settings).state
    valid = ", ".join(str(y) for y in SITE_YEARS)
    raise ScenarioError(f"--sites {text!r} is neither a year ({valid}) nor a scenario .toml file.")


def _location(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts[-1] = f"{parts[-1]}[{item}]" if parts else f"[{item}]"
        elif item not in ("literal['24/7', 'limited', 'spoedpost', 'none']",):
            parts.append(str(item))
    return ".".join(parts) or "(top level)"


def _message(error: ErrorDetails) -> str:
    if error["type"] == "extra_forbidden":
        key = str(error["loc"][-1]) if error["loc"] else ""
        close = difflib.get_close_matches(key, _known_keys(), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return f"unknown key; {hint}remove it or check its spelling (see the scenario format in docs/scenarios.md)"
    if error["type"] == "missing":
        return "required key is missing"
    text = str(error["msg"]).removeprefix("Value error, ")
    return f"{text}, got {error['input']!r}" if "input" in error else text


def _known_keys() -> list[str]:
    """Every key a scenario file may hold, at any level (for "did you mean")."""
    keys: set[str] = set()
    for model in (
        ScenarioFile,
        SiteChange,
        ConcentrationQuestion,
        SpreadingQuestion,
        ReachQuestion,
        SensitivityQuestion,
    ):
        keys.update(model.model_fields)
    return sorted(keys)
