"""The result contract: what every analysis returns, and the one rule for turning it into JSON.

Every analysis (reach, sensitivity, concentration, spreading) returns a frozen result that
offers the same small surface, so that writers (JSON, CSV, XLSX, GeoPackage, HTML reports,
comparisons) take any result:

- ``summary() -> dict``: the headline figures, JSON-ready;
- ``tables() -> dict[str, DataFrame]``: every table the result holds, by a stable name;
- ``to_json() -> str``: the machine payload, sorted keys, numbers by :func:`json_number`;
- ``settings`` and ``state_name``: the settings and the site state it was computed with.

Timing (wall seconds) is kept apart from the figures so that two runs of the same question
compare byte for byte once the timing fields are dropped.

>>> dumps({"b": json_number(1.23456789), "a": json_number(float("nan"))})
'{\\n  "a": null,\\n  "b": 1.234568\\n}'
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import pandas as pd

    from zorglandschap.settings import Settings

#: Decimals kept for a float in JSON unless a field says otherwise.
JSON_DECIMALS = 6


@runtime_checkable
class Result(Protocol):
    """The surface every analysis result offers (see the module docstring)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def state_name(self) -> str: ...

    def summary(self) -> dict[str, Any]: ...

    def tables(self) -> dict[str, pd.DataFrame]: ...

    def to_json(self) -> str: ...


def json_number(value: Any, digits: int = JSON_DECIMALS) -> Any:
    """The one rounding rule: a finite number rounded to ``digits`` decimals; NaN and ±inf
    become ``None``; anything that is not a number is returned as it is.

    >>> json_number(2.0), json_number(float("inf")), json_number("x"), json_number(None)
    (2.0, None, 'x', None)
    """
    if value is None or isinstance(value, bool | str):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    if math.isnan(number) or math.isinf(number):
        return None
    return round(number, digits)


def json_records(frame: pd.DataFrame, digits: int = JSON_DECIMALS) -> list[dict[str, Any]]:
    """The rows of ``frame`` as JSON-ready dicts (numbers by :func:`json_number`)."""
    return [
        {key: json_number(value, digits) for key, value in row.items()}
        for row in frame.to_dict(orient="records")
    ]


def dumps(payload: Any) -> str:
    """``payload`` as stable JSON text: sorted keys, two-space indent, UTF-8 kept as is."""
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False)
