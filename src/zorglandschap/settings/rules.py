"""The checks every settings override passes: its type, and its range by key (one place)."""

from __future__ import annotations

import math
import numbers
import typing
from typing import Any, Literal

from zorglandschap.checks import (
    Count,
    FixedMinutes,
    Gap,
    Minutes,
    NonNegative,
    Positive,
    PositiveCount,
    Share,
    check_value,
)
from zorglandschap.errors import InputError
from zorglandschap.vocab import TIME_BLOCKS


def as_tuple(value: Any) -> Any:
    """A TOML list (of lists) as the tuple (of tuples) a frozen setting holds."""
    if isinstance(value, list | tuple):
        return tuple(as_tuple(v) for v in value)
    return value


def type_problem(group: str, key: str, value: Any, hint: Any) -> str:
    """Why ``value`` does not fit a setting (type, range, choices), or "" when it fits."""
    name = f"{group}.{key}"
    allowed = set(typing.get_args(hint)) or {hint}
    if typing.get_origin(hint) is Literal:
        if value in allowed:
            return ""
        valid = ", ".join(repr(c) for c in typing.get_args(hint))
        return f"{name} must be one of {valid}, got {value!r}; fix the value."
    if value is None:
        return "" if type(None) in allowed else f"{name} must not be empty (None)."
    if typing.get_origin(hint) is tuple:
        return _tuple_problem(name, key, value, hint)
    if int in allowed or float in allowed:
        return _number_problem(name, key, value, whole=float not in allowed)
    for kind, want in ((bool, "true or false"), (str, "a text")):
        if kind in allowed and not isinstance(value, kind):
            return f"{name} must be {want}, got {value!r}; fix the value."
    return ""


def _number_problem(name: str, key: str, value: Any, *, whole: bool) -> str:
    """Why a numeric setting's value does not fit: not a number, or out of its range."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or (whole and not isinstance(value, numbers.Integral))
    ):
        want = "a whole number" if whole else "a number"
        return f"{name} must be {want}, got {value!r}; fix the value."
    try:
        check_value(name, value, setting_rule(key, whole=whole))
    except InputError as exc:
        return str(exc)
    return ""


def _tuple_problem(name: str, key: str, value: Any, hint: Any) -> str:
    """Why a tuple setting's value does not fit: not a list, or (for ``*_blocks``) an element
    that is not a time block."""
    if isinstance(value, str) or not isinstance(value, list | tuple):
        return f'{name} must be a list, e.g. ["day", "evening"], got {value!r}; fix the value.'
    if key.endswith("_blocks") and typing.get_args(hint)[0] is str:
        wrong = [v for v in value if v not in TIME_BLOCKS]
        if wrong:
            return (
                f"{name}: {', '.join(repr(w) for w in wrong)} is not a time block; "
                f"valid: {', '.join(TIME_BLOCKS)}."
            )
    return _pairs_problem(name, value, typing.get_args(hint)[0])


def _pairs_problem(name: str, value: list[Any] | tuple[Any, ...], inner: Any) -> str:
    """For a list of pairs of plain values (``[[2026, 18130000.0], ...]``): why an entry does
    not fit its ``(text | whole number | number, ...)`` shape, or "" when all fit."""
    kinds = typing.get_args(inner) if typing.get_origin(inner) is tuple else ()
    if not kinds or not all(k in (str, int, float) for k in kinds):
        return ""
    for entry in value:
        fits = isinstance(entry, list | tuple) and len(entry) == len(kinds)
        if fits:
            for part, kind in zip(entry, kinds, strict=True):
                number = isinstance(part, numbers.Real) and not isinstance(part, bool)
                if kind is str:
                    fits &= isinstance(part, str)
                elif kind is int:
                    fits &= number and isinstance(part, numbers.Integral)
                else:
                    fits &= number and math.isfinite(part) and part >= 0
        if not fits:
            shape = ", ".join({str: "text", int: "whole number", float: "number"}[k] for k in kinds)
            return f"{name}: entry {entry!r} must be a list [{shape}] (numbers finite and not negative); fix the value."
    return ""


#: Numeric settings with a rule of their own (by key); the others follow their key's suffix.
_RULES_BY_KEY: dict[str, Any] = {
    "gap": Gap,
    "start_gap": Gap,
    "far_tolerance": Share,
    "cut_keep_share": NonNegative,  # a threshold: above 1 the cuts are never kept
    "norm_minutes": Minutes,
    "max_minutes": Minutes,
    "report_minutes": Minutes,
    "matrix_file_max_minutes": Minutes,
    "matrix_file_min_median_minutes": Minutes,
    **dict.fromkeys(
        ("knn", "express_knn", "link_snap_k", "near_sites", "start_near_sites", "threads"),
        PositiveCount,
    ),
    **dict.fromkeys(("workers", "max_rounds"), PositiveCount),
}
#: Key suffix → rule (for a whole-number setting, then for a fractional one).
_RULES_BY_SUFFIX: tuple[tuple[str, Any, Any], ...] = (
    ("_share", Share, Share),
    ("_kmh", PositiveCount, Positive),
    ("_factor", PositiveCount, Positive),
    ("_seconds", PositiveCount, Positive),
    ("_minutes", Count, FixedMinutes),
)


def setting_rule(key: str, *, whole: bool = False) -> Any:
    """The checks type (:mod:`zorglandschap.checks`) a numeric setting must satisfy, by its key.

    Every numeric setting is finite and not negative; speeds, factors, time limits and
    neighbour counts must be positive; gaps and shares lie between 0 and 1. (A length of 0 km
    can switch a part off, e.g. ``express_max_km``.)

    >>> setting_rule("gap") is Gap, setting_rule("ambulance_speed_long_kmh") is Positive
    (True, True)
    """
    if key in _RULES_BY_KEY:
        return _RULES_BY_KEY[key]
    for suffix, whole_rule, rule in _RULES_BY_SUFFIX:
        if key.endswith(suffix):
            return whole_rule if whole else rule
    return Count if whole else NonNegative
