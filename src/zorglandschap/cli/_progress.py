"""A live progress line on stderr while a model solves: elapsed time, incumbent, bound, gap.

Only when stderr is a terminal (a pipe or a log file gets nothing), and never on stdout, so
``--json`` output stays clean. The line goes away when the solve ends.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from types import TracebackType

from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.text import Text

#: Words for the phases the solution method reports.
_PHASES = {"disruption": "1/2 disruption", "travel": "travel"}
#: Longest label shown (the interventions' ids can be long).
_LABEL = 28


class _Line:
    """The renderable: redrawn by :class:`~rich.live.Live` on every refresh, so the elapsed
    time runs on between the solver's reports (and during the steps that do not report)."""

    def __init__(self, progress: SolveProgress) -> None:
        self.progress = progress

    def __rich__(self) -> Text:
        return Text.from_markup(self.progress.line())


class SolveProgress:
    """``with SolveProgress(["pancreas"]) as progress: model.solve(progress=progress)``.

    ``progress`` is None when stderr is not a terminal (nothing is shown), else a callable
    ``progress(phase, seconds, incumbent, bound)`` that redraws the line.
    """

    def __init__(self, interventions: Sequence[str], console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.label = ", ".join(interventions)
        if len(self.label) > _LABEL:
            self.label = self.label[: _LABEL - 1] + "…"
        self.live: Live | None = None
        self.started = time.perf_counter()
        self.state: tuple[str, float | None, float | None] | None = None

    def __enter__(self) -> SolveProgress | None:
        if not self.console.is_terminal:
            return None
        self.started = time.perf_counter()
        self.live = Live(_Line(self), console=self.console, transient=True, refresh_per_second=4)
        self.live.__enter__()
        return self

    def __call__(
        self, phase: str, seconds: float, incumbent: float | None, bound: float | None
    ) -> None:
        """Keep the solve's state for the next redraw."""
        self.state = (phase, incumbent, bound)

    def line(self) -> str:
        """The progress line (rich markup)."""
        elapsed = time.perf_counter() - self.started
        if self.state is None:
            return f"[bold]{escape(self.label)}[/]: {elapsed:.1f} s, preparing the solve ..."
        phase, incumbent, bound = self.state
        best = "-" if incumbent is None else f"{incumbent:,.1f}"
        low = "-" if bound is None else f"{bound:,.1f}"
        gap = "-"
        if incumbent is not None and bound is not None:
            gap = f"{100 * max(incumbent - bound, 0.0) / max(abs(incumbent), 1e-9):.2f} %"
        return (
            f"[bold]{escape(self.label)}[/] {escape(_PHASES.get(phase, phase))}: "
            f"{elapsed:.1f} s, incumbent {best}, bound {low}, gap {gap}"
        )

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.live is not None:
            self.live.__exit__(kind, error, trace)
            self.live = None
