"""Complex-care concentration: which sites should offer which complex intervention.

The package, by job (data flows down the list):

- :mod:`.blocks` — the sparse reach of every demand point (merged, near to far);
- :mod:`.formulation` — the MILP as small builder functions, one per constraint family;
- :mod:`.inputs` — the model's options, checked once into a frozen :class:`~.inputs.Instance`;
- :mod:`.diagnosis`, :mod:`.cuts`, :mod:`.start` — pre-solve checks and elastic diagnosis,
  cluster norm cuts, start plans;
- :mod:`.method` — the solution method (groups, worker processes, cuts, start, MILP);
- :mod:`.indicators`, :mod:`.result`, :mod:`.assemble` — travel indicators, the result
  objects, and a solved plan read back into a result;
- :mod:`.model` — :class:`ConcentrationModel`, the one class a user builds and solves;
- :mod:`.changes` — a plan against today: keeps, stops, starts, patients moved, warnings;
- :mod:`.today` — today's providers on the embedded Netherlands and a question's candidates;
- :mod:`.landscape` — :func:`landscape_model`, the model on the embedded Netherlands.
"""

from zorglandschap.optimise.concentration.landscape import (
    landscape_model,
    municipality_pairs,
    pc4_site_minutes,
)
from zorglandschap.optimise.concentration.model import ConcentrationModel
from zorglandschap.optimise.concentration.result import ConcentrationResult, TradeoffCurve
from zorglandschap.optimise.concentration.today import eligible_sites

__all__ = [
    "ConcentrationModel",
    "ConcentrationResult",
    "TradeoffCurve",
    "eligible_sites",
    "landscape_model",
    "municipality_pairs",
    "pc4_site_minutes",
]
