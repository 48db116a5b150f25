"""The error hierarchy: every error names what was wrong, where, and what would be valid."""

from __future__ import annotations


class ZorglandschapError(Exception):
    """Base class of every error this package raises on purpose."""


class DataError(ZorglandschapError, ValueError):
    """A data file is missing, malformed or inconsistent.

    The message names the file, the row or field, the problem and the fix.
    """


class ScenarioError(ZorglandschapError, ValueError):
    """A scenario or a command-line selection names something that does not exist or is invalid."""


class TravelError(ZorglandschapError, ValueError):
    """The travel network or a travel-time matrix cannot answer the question asked."""


class InfeasiblePlan(ZorglandschapError):
    """An optimisation model has no feasible plan; ``diagnosis`` says why in plain words."""

    def __init__(self, message: str, diagnosis: list[str] | None = None) -> None:
        super().__init__(message)
        self.diagnosis: list[str] = list(diagnosis or [])


def problems_to_error(problems: list[str], *, kind: type[ZorglandschapError] = DataError) -> None:
    """Raise ``kind`` listing every problem at once, or return if there are none."""
    if not problems:
        return
    if len(problems) == 1:
        raise kind(problems[0])
    listing = "\n".join(f"  - {p}" for p in problems)
    raise kind(f"{len(problems)} problems found:\n{listing}")
