"""Every model constant in one place, each with its source or labelled an assumption.

The settings are frozen dataclasses. A scenario (or a caller) overrides values with
:func:`Settings.replace`, e.g. ``DEFAULT_SETTINGS.replace(access={"fixed_minutes": 14})``;
nothing else in the package holds a magic number.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from zorglandschap.errors import ScenarioError

#: Time blocks of the access analysis. ANW = avond, nacht, weekend.
TIME_BLOCKS: tuple[str, ...] = ("day", "evening", "night", "weekend")


@dataclass(frozen=True)
class AccessSettings:
    """Constants of the 45-minute reach analysis (RIVM bereikbaarheidsanalyse)."""

    #: Travel-time norm for SEH and acute obstetrics, minutes. Source: RIVM / Kwaliteitskader
    #: Spoedzorgketen (the "45-minutennorm" of the Regeling ambulancezorg).
    norm_minutes: float = 45.0


@dataclass(frozen=True)
class Settings:
    """All constants, grouped by the module that uses them."""

    access: AccessSettings = field(default_factory=AccessSettings)

    def replace(self, **groups: dict[str, Any]) -> Settings:
        """Return a copy with some values overridden, e.g. ``replace(access={...})``.

        Raises
        ------
        ScenarioError
            If a group or a key does not exist, naming the valid ones.
        """
        changes: dict[str, Any] = {}
        for group_name, values in groups.items():
            if group_name not in {f.name for f in dataclasses.fields(self)}:
                valid = ", ".join(f.name for f in dataclasses.fields(self))
                raise ScenarioError(f"Unknown settings group {group_name!r}; valid groups: {valid}.")
            group = getattr(self, group_name)
            valid_keys = {f.name for f in dataclasses.fields(group)}
            unknown = sorted(set(values) - valid_keys)
            if unknown:
                raise ScenarioError(
                    f"Unknown key(s) {', '.join(unknown)} in settings group {group_name!r}; "
                    f"valid keys: {', '.join(sorted(valid_keys))}."
                )
            changes[group_name] = dataclasses.replace(group, **values)
        return dataclasses.replace(self, **changes)


DEFAULT_SETTINGS = Settings()
