"""The error hierarchy: every error names what was wrong, where, and what would be valid.

Each error carries the process exit code the command line ends with (documented in the
README's "Errors and exit codes"):

- 0: done; 1: no plan (infeasible, or none within the time limit);
- 2: bad input (:class:`InputError`: an option, a scenario file, a data file, a travel matrix);
- 3: an output file could not be written (:class:`OutputError`).
"""

from __future__ import annotations

#: Exit codes of the command line.
EXIT_OK = 0
EXIT_NO_PLAN = 1
EXIT_BAD_INPUT = 2
EXIT_OUTPUT = 3


class ZorglandschapError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_code: int = EXIT_BAD_INPUT


class InputError(ZorglandschapError, ValueError):
    """Bad user input: an option, a setting, a scenario key or a path the user gave.

    The message names the option or key, the value, and what would be valid.
    """


class ScenarioError(InputError):
    """A scenario or a command-line selection names something that does not exist or is invalid."""


class DataError(InputError):
    """A data file is missing, malformed or inconsistent.

    The message names the file, the row or field, the problem and the fix.
    """


class TravelError(InputError):
    """The travel network or a travel-time matrix cannot answer the question asked."""


class OutputError(ZorglandschapError):
    """An output file or folder cannot be written; the message names the path and the fix."""

    exit_code = EXIT_OUTPUT


class InfeasiblePlan(ZorglandschapError):
    """An optimisation model has no feasible plan; ``diagnosis`` says why in plain words."""

    exit_code = EXIT_NO_PLAN

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
