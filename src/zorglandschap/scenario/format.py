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

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import SITE_YEARS, Landscape
from zorglandschap.landscape.state import SiteState, baseline_state, unknown_site_message
from zorglandschap.scenario.questions import ConcentrationQuestion
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.vocab import ScenarioSehState


class SiteChange(BaseModel):
    """A change to one site's services."""

    model_config = ConfigDict(extra="forbid")

    id: str
    seh: ScenarioSehState | None = None
    av: bool | None = None
    nicu: bool | None = None
    note: str = ""


class ScenarioFile(BaseModel):
    """The schema of a scenario file."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    baseline: Literal[2019, 2025] = 2025
    site: list[SiteChange] = Field(default_factory=list)
    settings: dict[str, dict[str, Any]] = Field(default_factory=dict)
    concentration: ConcentrationQuestion | None = None


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


def load_scenario(
    path: str | Path, landscape: Landscape, *, settings: Settings = DEFAULT_SETTINGS
) -> Scenario:
    """Read, validate and apply a scenario file.

    Raises
    ------
    ScenarioError
        Naming the file, the key and the fix, for a missing file, invalid TOML, an unknown key,
        an invalid value or an unknown site id; all problems at once.
    """
    path = Path(path)
    if not path.exists():
        raise ScenarioError(f"Scenario file {path} does not exist.")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path} is not valid TOML: {exc}.") from None
    try:
        spec = ScenarioFile.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{path}: {_location(e['loc'])}: {_message(e)}" for e in exc.errors()]
        raise ScenarioError("\n".join(problems)) from None

    problems = []
    state = baseline_state(landscape, spec.baseline)
    changes: dict[str, dict[str, Any]] = {}
    for i, change in enumerate(spec.site):
        if change.id not in state.services.index:
            problems.append(
                f"{path}: site[{i}].id: {unknown_site_message(change.id, state.services.index)}"
            )
            continue
        values = change.model_dump(exclude_none=True, exclude={"id", "note"})
        changes.setdefault(change.id, {}).update(values)
    try:
        scenario_settings = settings.replace(**spec.settings)
    except ScenarioError as exc:
        problems.append(f"{path}: settings: {exc}")
        scenario_settings = settings
    if problems:
        raise ScenarioError("\n".join(problems))
    return Scenario(
        name=spec.name,
        description=spec.description,
        path=path,
        state=state.with_changes(changes, name=spec.name),
        settings=scenario_settings,
        concentration=spec.concentration,
    )


def site_state(
    landscape: Landscape, sites: str | int | Path, *, settings: Settings = DEFAULT_SETTINGS
) -> SiteState:
    """Resolve a ``--sites`` selector: a baseline year (``"2019"``, ``"2025"``) or a scenario file."""
    text = str(sites)
    if text.isdigit():
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
        return "unknown key; remove it or check its spelling (see the scenario format in docs/scenarios.md)"
    if error["type"] == "missing":
        return "required key is missing"
    return str(error["msg"])
