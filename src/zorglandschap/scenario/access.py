"""The access questions a scenario asks: the ``[reach]`` and ``[sensitivity]`` tables.

``[reach]``: who reaches an open SEH (or acute obstetrics) within the norm, for each service
and time block asked, against the scenario's baseline year, reported per region layer;
``region`` draws the maps and figures of one region (cut from the national run).
``[sensitivity]``: which open sites are sensitive (closing one alone pushes people beyond the
norm) in the blocks asked. Time blocks and region layers take their Dutch names too (``nacht``,
``gemeente``). Both are strict: unknown keys, wrong types and a block listed twice are refused.

>>> ReachQuestion.model_validate({"blocks": ["dag", "nacht"], "by": ["gemeente"]}).pairs()
[('seh', 'day'), ('seh', 'night')]
>>> ReachQuestion.model_validate({"by": ["gemeente"]}).by
['municipality']
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from zorglandschap.vocab import (
    BLOCK_ALIASES,
    LAYER_ALIASES,
    Service,
    TimeBlock,
    unalias,
)

__all__ = ["ReachQuestion", "SensitivityQuestion"]

#: The region layers a reach table can be reported by (:data:`zorglandschap.vocab.BY_CHOICES`).
ByLayer = Literal["roaz", "iza", "iza42", "province", "municipality"]


def _blocks(value: Any) -> Any:
    return (
        [unalias(v, BLOCK_ALIASES) if isinstance(v, str) else v for v in value]
        if isinstance(value, list)
        else value
    )


def _layers(value: Any) -> Any:
    return (
        [unalias(v, LAYER_ALIASES) if isinstance(v, str) else v for v in value]
        if isinstance(value, list)
        else value
    )


Blocks = Annotated[list[TimeBlock], BeforeValidator(_blocks), Field(min_length=1)]
Layers = Annotated[list[ByLayer], BeforeValidator(_layers), Field(min_length=1)]
Services = Annotated[list[Service], Field(min_length=1)]


def _seh() -> list[Service]:
    return ["seh"]


def _day_night() -> list[TimeBlock]:
    return ["day", "night"]


def _night() -> list[TimeBlock]:
    return ["night"]


def _roaz_municipality() -> list[ByLayer]:
    return ["roaz", "municipality"]


def _once(values: list[str]) -> list[str]:
    twice = sorted({v for v in values if values.count(v) > 1})
    if twice:
        raise ValueError(f"{', '.join(twice)} listed more than once; list each once")
    return values


class _AccessQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    #: ``seh`` and/or ``av`` (acute obstetrics).
    services: Services = Field(default_factory=_seh)
    #: Time blocks: ``day``, ``evening``, ``night``, ``weekend`` (or dag, avond, nacht).
    blocks: Blocks = Field(default_factory=_day_night)

    @field_validator("services", "blocks")
    @classmethod
    def _listed_once(cls, values: list[str]) -> list[str]:
        return _once(values)

    def pairs(self) -> list[tuple[Service, TimeBlock]]:
        """Every (service, block) asked, services first, in the order given."""
        return [(service, block) for service in self.services for block in self.blocks]


class ReachQuestion(_AccessQuestion):
    """The ``[reach]`` table (every key optional)."""

    #: Region layers of the tables (``roaz``, ``iza``, ``iza42``, ``province``,
    #: ``municipality``/``gemeente``).
    by: Layers = Field(default_factory=_roaz_municipality)
    #: One region the maps and figures show, ``LAYER:NAME`` as ``--region`` takes it
    #: (``roaz:ROAZ01``, ``gemeente:Sluis``); the figures are the national run's.
    region: str | None = Field(default=None, min_length=3)

    @field_validator("by")
    @classmethod
    def _layers_once(cls, values: list[str]) -> list[str]:
        return _once(values)


class SensitivityQuestion(_AccessQuestion):
    """The ``[sensitivity]`` table (every key optional; blocks default to the night)."""

    blocks: Blocks = Field(default_factory=_night)
    #: List only the most sensitive sites (default every open site).
    top: int | None = Field(default=None, ge=1, le=1000)
