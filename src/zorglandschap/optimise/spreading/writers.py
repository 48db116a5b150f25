"""Writing a spreading result: JSON, one CSV per table, and the plan as a scenario file.

Every file is written beside its target and moved into place (``os.replace``), so a reader
never sees half a file; a path that cannot be written is an
:class:`~zorglandschap.errors.OutputError`. The scenario file says the plan in the format
``reach`` and ``sensitive`` read (docs/scenarios.md): one ``[[site]]`` per site whose SEH state
differs from the baseline year.

Examples
--------
>>> print(toml_value(["day", "night"]), toml_value(True), toml_value('a "b"'))
["day", "night"] true "a \\"b\\""
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from zorglandschap.errors import InputError, OutputError
from zorglandschap.files import atomic_write_text
from zorglandschap.landscape.state import SiteState
from zorglandschap.optimise.spreading.result import SpreadingResult
from zorglandschap.result import Result
from zorglandschap.settings import Settings
from zorglandschap.vocab import TIME_BLOCKS


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` atomically (UTF-8, one trailing newline)."""
    target = Path(path)
    try:
        atomic_write_text(target, text.rstrip("\n") + "\n")
    except OSError as exc:
        raise OutputError(
            f"Cannot write {target}: {exc.strerror or exc}; choose a folder you can write to."
        ) from None
    return target


def write_json(result: Result, path: str | Path) -> Path:
    """``result.to_json()`` to ``path``."""
    return write_text(path, result.to_json())


def write_csv(result: Result, folder: str | Path, *, prefix: str = "spreading") -> list[Path]:
    """One CSV per table of ``result`` in ``folder``: ``<prefix>-<table>.csv``."""
    paths = []
    for name, frame in sorted(result.tables().items()):
        text = frame.to_csv(index=False, float_format="%.6f", lineterminator="\n")
        paths.append(write_text(Path(folder) / f"{prefix}-{name}.csv", text))
    return paths


def plan_state(result: SpreadingResult, state: SiteState, *, name: str | None = None) -> SiteState:
    """``state`` with the plan's SEH states applied.

    Raises
    ------
    InputError
        Without a plan.
    """
    if result.evaluation is None:
        raise InputError(f"There is no plan to write: the solve ended {result.status}.")
    states = result.evaluation.plan.states
    changes = {
        site: {"seh": value}
        for site, value in states.items()
        if state.services.at[site, "seh"] != value
    }
    return state.with_changes(changes, name=name or state.name)


def limited_hours_changes(
    result: SpreadingResult, state: SiteState, settings: Settings
) -> dict[str, list[str]]:
    """``site_id → blocks`` for the plan's limited-hours SEHs whose opening blocks differ from
    what the site state and settings give them (a scenario's ``[[site]] blocks``)."""
    if result.evaluation is None:
        return {}
    plan = result.evaluation.plan
    return {
        site.site_id: list(plan.blocks(j))
        for j, site in enumerate(result.instance.sites)
        if plan.states[site.site_id] == "limited"
        and tuple(plan.blocks(j))
        != tuple(b for b in TIME_BLOCKS if b in state.limited_blocks(site.site_id, settings))
    }


def scenario_text(
    *,
    name: str,
    description: str,
    baseline: int,
    changes: Mapping[str, Mapping[str, Any]],
    settings: Mapping[str, Mapping[str, Any]] | None = None,
    travel: Mapping[str, Any] | None = None,
    comments: Sequence[str] = (),
) -> str:
    """A scenario file: header comments, name, description, baseline, the travel keys
    (``matrix``, ``matrix_unit``), ``[[site]]`` changes (sorted by id) and
    ``[settings.<group>]`` tables."""
    lines = [f"# {c}" for c in comments]
    lines += [
        f"name = {toml_value(name)}",
        f"description = {toml_value(description)}",
        f"baseline = {baseline}",
    ]
    for key, value in (travel or {}).items():
        if isinstance(value, Mapping):
            inline = ", ".join(f"{k} = {toml_value(v)}" for k, v in sorted(value.items()))
            lines.append(f"{key} = {{{inline}}}")
        else:
            lines.append(f"{key} = {toml_value(value)}")
    for site_id in sorted(changes):
        lines += ["", "[[site]]", f"id = {toml_value(site_id)}"]
        for key, value in changes[site_id].items():
            lines.append(f"{key} = {toml_value(value)}")
    for group in sorted(settings or {}):
        lines += ["", f"[settings.{group}]"]
        for key, value in sorted((settings or {})[group].items()):
            lines.append(f"{key} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


def toml_value(value: Any) -> str:
    """One TOML value: text, true/false, a number or an array of them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise InputError(f"A scenario value must be a finite number, got {value}.")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise InputError(f"Cannot write {value!r} ({type(value).__name__}) in a scenario file.")
