"""Optimisation models: complex-care concentration (and, next, acute-care spreading).

Public API: :class:`ConcentrationModel`, :class:`ConcentrationResult`, :class:`TradeoffCurve`,
:func:`landscape_model`, and :func:`~zorglandschap.optimise.solver.solve_problem` with its honest
status mapping. Shared by the models: :mod:`.families` (assignment, link and closest-assignment
rows over sparse pairs), :mod:`.solver` and :mod:`._parallel` (worker processes). A question
asked in a scenario file or on the command line becomes a model in
:func:`zorglandschap.scenario.concentration_model`.
"""

from zorglandschap.optimise.concentration import (
    ConcentrationModel,
    ConcentrationResult,
    TradeoffCurve,
    landscape_model,
)

__all__ = [
    "ConcentrationModel",
    "ConcentrationResult",
    "TradeoffCurve",
    "landscape_model",
]
