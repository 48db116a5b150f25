"""The one path from a spreading question to a model: the flags of ``zorglandschap spread``,
a scenario's ``[spreading]`` table (``spread --scenario`` and ``zorglandschap run`` alike) and
Python all build the model here, so the same question gives the same plan.

The question object itself, :class:`~zorglandschap.optimise.spreading.SpreadingQuestion`,
lives with the model (the optimise layer); a scenario's ``[spreading]`` table is validated
into it by :mod:`zorglandschap.scenario.format`.

Examples
--------
>>> from zorglandschap.landscape import load_landscape
>>> from zorglandschap.scenario import load_scenario
>>> land = load_landscape()
>>> asked = load_scenario("scenarios/spreading-question-noordwest-night.toml", land)
>>> result = scenario_spreading_model(land, asked).solve()
>>> result.status, result.summary()["open_seh"]["night"]
('optimal', {'today': 11, 'plan': 9})
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zorglandschap.errors import ScenarioError
from zorglandschap.optimise.spreading import SpreadingModel, SpreadingQuestion, spreading_instance
from zorglandschap.settings import DEFAULT_SETTINGS, Settings

if TYPE_CHECKING:
    from zorglandschap.landscape import Landscape
    from zorglandschap.landscape.state import SiteState
    from zorglandschap.scenario.format import Scenario
    from zorglandschap.travel import MatrixSource

__all__ = ["scenario_spreading_model", "spreading_model"]


def spreading_model(
    landscape: Landscape,
    question: SpreadingQuestion,
    *,
    state: SiteState,
    settings: Settings = DEFAULT_SETTINGS,
    source: MatrixSource | None = None,
) -> SpreadingModel:
    """The model of ``question`` on ``state``'s sites and ``settings`` (its instance built on
    ``landscape``, population as in the data; travel times from ``source``, a user matrix, or
    the network)."""
    instance = spreading_instance(landscape, state, question, settings=settings, source=source)
    return SpreadingModel(instance, question, settings=settings, state_name=state.name)


def scenario_spreading_model(landscape: Landscape, scenario: Scenario) -> SpreadingModel:
    """The ``[spreading]`` question of a scenario, as a model on its sites and settings.

    Raises
    ------
    ScenarioError
        Naming the file, when it has no ``[spreading]`` table.
    """
    if scenario.spreading is None:
        raise ScenarioError(
            f"{scenario.path or scenario.name} has no [spreading] table: add one (see "
            "docs/spreading.md), or ask `zorglandschap spread` with flags."
        )
    return spreading_model(
        landscape,
        scenario.spreading,
        state=scenario.state,
        settings=scenario.settings,
        source=scenario.travel,
    )
