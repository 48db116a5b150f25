"""Every model constant in one place, each with its source or labelled an assumption.

The settings are frozen dataclasses. A scenario (or a caller) overrides values with
:func:`Settings.replace`, e.g. ``DEFAULT_SETTINGS.replace(access={"fixed_minutes": 14})``;
nothing else in the package holds a magic number.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from typing import Any

from zorglandschap.errors import ScenarioError
from zorglandschap.settings.access import (
    CANCER_AGE_WEIGHTS,
    AccessSettings,
    DemandSettings,
    PopulationSettings,
)
from zorglandschap.settings.optimise import (
    ConcentrationSettings,
    SolverSettings,
    SpreadingSettings,
)
from zorglandschap.settings.rules import as_tuple, setting_rule, type_problem
from zorglandschap.settings.travel import (
    REGIMES,
    CalibrationRegime,
    RivmFigure,
    TravelSettings,
    composite_parameters,
)
from zorglandschap.vocab import TIME_BLOCKS

__all__ = [
    "CANCER_AGE_WEIGHTS",
    "DEFAULT_SETTINGS",
    "REGIMES",
    "TIME_BLOCKS",
    "AccessSettings",
    "CalibrationRegime",
    "ConcentrationSettings",
    "DemandSettings",
    "PopulationSettings",
    "RivmFigure",
    "Settings",
    "SolverSettings",
    "SpreadingSettings",
    "TravelSettings",
    "composite_parameters",
    "setting_rule",
]


@dataclass(frozen=True)
class Settings:
    """All constants, grouped by the module that uses them."""

    access: AccessSettings = field(default_factory=AccessSettings)
    demand: DemandSettings = field(default_factory=DemandSettings)
    population: PopulationSettings = field(default_factory=PopulationSettings)
    solver: SolverSettings = field(default_factory=SolverSettings)
    concentration: ConcentrationSettings = field(default_factory=ConcentrationSettings)
    travel: TravelSettings = field(default_factory=TravelSettings)
    spreading: SpreadingSettings = field(default_factory=SpreadingSettings)

    def replace(self, **groups: dict[str, Any]) -> Settings:
        """Return a copy with some values overridden, e.g. ``replace(access={...})``.

        Raises
        ------
        ScenarioError
            If a group or a key does not exist, naming the valid ones, or a value has the
            wrong type for its setting (e.g. text for a number).
        """
        changes: dict[str, Any] = {}
        for group_name, values in groups.items():
            if group_name not in {f.name for f in dataclasses.fields(self)}:
                valid = ", ".join(f.name for f in dataclasses.fields(self))
                raise ScenarioError(
                    f"Unknown settings group {group_name!r}; valid groups: {valid}."
                )
            group = getattr(self, group_name)
            valid_keys = {f.name for f in dataclasses.fields(group)}
            unknown = sorted(set(values) - valid_keys)
            if unknown:
                raise ScenarioError(
                    f"Unknown key(s) {', '.join(unknown)} in settings group {group_name!r}; "
                    f"valid keys: {', '.join(sorted(valid_keys))}."
                )
            hints = typing.get_type_hints(type(group))
            wrong = [
                type_problem(group_name, key, value, hints[key])
                for key, value in sorted(values.items())
            ]
            wrong = [w for w in wrong if w]
            if wrong:
                raise ScenarioError(" ".join(wrong))
            as_tuples = {k: as_tuple(v) for k, v in values.items()}
            changes[group_name] = dataclasses.replace(group, **as_tuples)
        return dataclasses.replace(self, **changes)


DEFAULT_SETTINGS = Settings()
