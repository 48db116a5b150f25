"""Scenarios: the file format (a baseline year, site changes, settings, questions) and the
questions a scenario or the command line asks.

``format`` reads and validates a scenario file into a :class:`Scenario` (its site state and
settings); the site state itself lives in :mod:`zorglandschap.landscape.state`.
"""

from zorglandschap.landscape.state import SiteState, baseline_state, unknown_site_message
from zorglandschap.optimise import scenario_model
from zorglandschap.scenario.format import (
    ConcentrationQuestion,
    Scenario,
    ScenarioFile,
    SiteChange,
    load_scenario,
    site_state,
)
from zorglandschap.vocab import SCENARIO_SEH_STATES

__all__ = [
    "SCENARIO_SEH_STATES",
    "ConcentrationQuestion",
    "Scenario",
    "ScenarioFile",
    "SiteChange",
    "SiteState",
    "baseline_state",
    "load_scenario",
    "scenario_model",
    "site_state",
    "unknown_site_message",
]
