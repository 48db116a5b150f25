"""zorglandschap: plan the Dutch hospital care landscape on real public data.

Data flows one way: ``landscape`` (the embedded Netherlands) → ``travel`` (travel-time
network and matrices) → ``access`` / ``optimise`` (analysis and models) → results →
maps and reports. See ``docs/`` for the model formulations and the glossary.
"""

from zorglandschap.errors import DataError, InfeasiblePlan, ScenarioError, ZorglandschapError

__version__ = "0.1.0"

__all__ = ["DataError", "InfeasiblePlan", "ScenarioError", "ZorglandschapError", "__version__"]
