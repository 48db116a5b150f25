"""Scenarios: the file format (a baseline year, site changes, settings, questions) and the
questions a scenario or the command line asks.

``format`` reads and validates a scenario file into a :class:`Scenario` (its site state and
settings); the site state itself lives in :mod:`zorglandschap.landscape.state`. ``questions``
holds the question objects and the one function from a question to a model
(:func:`concentration_model`), used by scenario files and the command line alike;
``spreading`` the same for a spreading question (:func:`spreading_model`).
"""

from zorglandschap.landscape.state import SiteState, baseline_state, unknown_site_message
from zorglandschap.scenario.format import (
    Scenario,
    ScenarioFile,
    SiteChange,
    load_scenario,
    site_state,
)
from zorglandschap.scenario.questions import (
    ConcentrationFlags,
    ConcentrationQuestion,
    concentration_model,
    scenario_model,
)
from zorglandschap.scenario.spreading import scenario_spreading_model, spreading_model
from zorglandschap.vocab import SCENARIO_SEH_STATES

__all__ = [
    "SCENARIO_SEH_STATES",
    "ConcentrationFlags",
    "ConcentrationQuestion",
    "Scenario",
    "ScenarioFile",
    "SiteChange",
    "SiteState",
    "baseline_state",
    "concentration_model",
    "load_scenario",
    "scenario_model",
    "scenario_spreading_model",
    "site_state",
    "spreading_model",
    "unknown_site_message",
]
