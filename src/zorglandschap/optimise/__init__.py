"""Optimisation models: complex-care concentration (and, elsewhere, acute-care spreading).

Public API: :class:`ConcentrationModel`, :class:`ConcentrationResult`, :class:`TradeoffCurve`,
:func:`landscape_model`, and :func:`~zorglandschap.optimise.solver.solve_problem` with its honest
status mapping.
"""

from zorglandschap.optimise.concentration import (
    ConcentrationModel,
    ConcentrationResult,
    TradeoffCurve,
)
from zorglandschap.optimise.national import landscape_model, scenario_model

__all__ = [
    "ConcentrationModel",
    "ConcentrationResult",
    "TradeoffCurve",
    "landscape_model",
    "scenario_model",
]
