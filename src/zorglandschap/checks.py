"""One place where every number a user gives is checked: finite, in range, the right type.

The command line, scenario files and settings overrides all describe their numbers with the
annotated types below (pydantic constraints), so the rules and the messages are the same
wherever a number comes from. :func:`check_value` checks one value outside a pydantic model
(e.g. a command-line flag) and raises a :class:`~zorglandschap.errors.ScenarioError` (an
:class:`~zorglandschap.errors.InputError`) that names
the option, the value and the valid range.

>>> check_value("--norm", 20, Norm)
20.0
>>> check_value("--norm", float("nan"), Norm)
Traceback (most recent call last):
...
zorglandschap.errors.ScenarioError: --norm: got nan; must be a finite number greater than 0 and at most 100000.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, TypeVar

from pydantic import Field, TypeAdapter, ValidationError

from zorglandschap.errors import ScenarioError

T = TypeVar("T")

#: Travel time in minutes: more than 0, at most a day.
Minutes = Annotated[float, Field(gt=0, le=24 * 60, allow_inf_nan=False)]
#: Fixed minutes added to a travel time (dispatch, on-scene): 0 up to two hours.
FixedMinutes = Annotated[float, Field(ge=0, le=120, allow_inf_nan=False)]
#: A volume norm or a number of patients a year per site.
Norm = Annotated[float, Field(gt=0, le=100_000, allow_inf_nan=False)]
#: A national number of patients a year.
Volume = Annotated[float, Field(ge=0, le=10_000_000, allow_inf_nan=False)]
#: A growth factor on demand (1.1 = 10 % more).
Scale = Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
#: A count of sites, regions or rows (e.g. ``--per-roaz``, ``--top``, ``--max-sites``).
Count = Annotated[int, Field(ge=0, le=100_000)]
#: A count that must be at least 1 (neighbours, workers, rounds).
PositiveCount = Annotated[int, Field(ge=1, le=100_000)]
#: A solver time limit in seconds: more than 0, at most a week.
Seconds = Annotated[float, Field(gt=0, le=7 * 24 * 3600, allow_inf_nan=False)]
#: A relative optimality gap: 0 (prove optimal) up to but not including 1.
Gap = Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)]
#: Any finite number greater than 0 (a speed, a factor, a distance).
Positive = Annotated[float, Field(gt=0, le=1e9, allow_inf_nan=False)]
#: Any finite number of 0 or more.
NonNegative = Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)]
#: A share between 0 and 1.
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
#: A weight in an objective (patient-minutes per unit): 0 or more.
Weight = Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)]

_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(kind: Any) -> TypeAdapter[Any]:
    key = repr(kind)
    if key not in _ADAPTERS:
        _ADAPTERS[key] = TypeAdapter(kind)
    return _ADAPTERS[key]


def describe(kind: Any) -> str:
    """The valid range of an annotated number type, in words (used in every message)."""
    metadata = getattr(kind, "__metadata__", ())
    base = getattr(kind, "__origin__", kind)
    noun = "a whole number" if base is int else "a finite number"
    words: list[str] = []
    for item in metadata:
        for attr, phrase in (
            ("gt", "greater than"),
            ("ge", "at least"),
            ("lt", "less than"),
            ("le", "at most"),
        ):
            for constraint in getattr(item, "metadata", [item]):
                value = getattr(constraint, attr, None)
                if value is not None:
                    words.append(f"{phrase} {value:g}")
    return noun + (" " + " and ".join(words) if words else "")


def check_value(option: str, value: Any, kind: Any) -> Any:
    """``value`` checked against ``kind`` (strictly: no text for a number, no bool for a count).

    Raises
    ------
    ScenarioError
        ``"<option>: got <value>; must be <range>."``
    """
    if isinstance(value, bool) or (
        isinstance(value, float) and getattr(kind, "__origin__", None) is int
    ):
        raise ScenarioError(f"{option}: got {value!r}; must be {describe(kind)}.")
    try:
        return _adapter(kind).validate_python(value, strict=False)
    except ValidationError:
        shown = value if not (isinstance(value, float) and math.isnan(value)) else "nan"
        raise ScenarioError(f"{option}: got {shown}; must be {describe(kind)}.") from None
