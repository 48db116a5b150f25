"""What an analysis runs on: a site state (a year or a scenario file, plus quick what-ifs), the
settings, and the population counted.

The command line's ``--sites`` with ``--close SITE[:BLOCK]`` and ``--spoedpost SITE`` and a
scenario file's changes end in the same :class:`Selection`, so a what-if typed on the command
line and the same change written in a file give the same figures.

Travel times are always computed on the landscape as loaded: the network's urban speeds follow
the 2021 population density they were calibrated on. A scenario's ``population_year`` (or
``population_growth``) scales the inhabitants that are *counted* (:func:`on_population`).

>>> from zorglandschap.landscape import load_landscape
>>> nl = load_landscape()
>>> changes = what_if_changes(nl, close=["antonius-zh-sneek:nacht"], spoedpost=["ikazia-zh-rotterdam"])
>>> changes
{'antonius-zh-sneek': {'seh': 'limited'}, 'ikazia-zh-rotterdam': {'seh': 'spoedpost'}}
>>> chosen = select(nl, "2025", close=["antonius-zh-sneek:night"])
>>> chosen.state.name, chosen.state.services.at["antonius-zh-sneek", "seh"]
('2025 + antonius-zh-sneek closed at night', 'limited')
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zorglandschap.access import Reach, reach
from zorglandschap.errors import ScenarioError, problems_to_error
from zorglandschap.landscape.catalogue import closest_site_names
from zorglandschap.landscape.population import scaled_population
from zorglandschap.landscape.state import SiteState, unknown_site_message
from zorglandschap.scenario.format import Scenario, load_scenario, site_state
from zorglandschap.scenario.travel import matrix_source
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.vocab import BLOCK_ALIASES, TIME_BLOCKS, RegionLayer, unalias

if TYPE_CHECKING:
    from zorglandschap.landscape import Landscape
    from zorglandschap.travel import MatrixSource

__all__ = ["Selection", "on_population", "select", "what_if_changes", "with_what_ifs"]

#: The one block an SEH can close in alone: the site state knows SEHs open 24/7, with limited
#: hours (closed at night), spoedposts and none; per-site opening blocks come later.
_CLOSABLE_BLOCK = "night"


def _unknown(option: str, text: str, site_id: str, landscape: Landscape) -> str:
    close = closest_site_names(landscape, site_id)
    if not close:
        return f"{option} {text!r}: {unknown_site_message(site_id, landscape.sites.index)}"
    return (
        f"{option} {text!r}: unknown site id {site_id!r}. Did you mean: {', '.join(close)}? "
        "Find a site's id with `zorglandschap sites --search NAME`."
    )


def _closure(text: str, landscape: Landscape) -> tuple[str, str | None, str]:
    """``SITE[:BLOCK]`` → (site id, SEH state, problem); the problem is "" when it is fine."""
    site_id, _, block_text = text.partition(":")
    site_id = site_id.strip()
    if site_id not in landscape.sites.index:
        return site_id, None, _unknown("--close", text, site_id, landscape)
    if not block_text:
        return site_id, "none", ""
    block = unalias(block_text, BLOCK_ALIASES)
    if block not in TIME_BLOCKS:
        valid = ", ".join([*TIME_BLOCKS, *(a for a in BLOCK_ALIASES if a not in TIME_BLOCKS)])
        return (
            site_id,
            None,
            f"--close {text!r}: unknown time block {block_text!r}; valid: {valid}.",
        )
    if block != _CLOSABLE_BLOCK:
        return (
            site_id,
            None,
            (
                f"--close {text!r}: an SEH can close at night alone (it becomes a limited-hours SEH), "
                f"not in the {block} block alone (the site state has no per-site opening hours); "
                f"use --close {site_id}:night, or --close {site_id} to close it altogether."
            ),
        )
    return site_id, "limited", ""


def what_if_changes(
    landscape: Landscape, *, close: Sequence[str] = (), spoedpost: Sequence[str] = ()
) -> dict[str, dict[str, str]]:
    """The site changes of ``--close SITE[:night]`` and ``--spoedpost SITE`` options.

    ``--close SITE`` closes the SEH (state ``none``), ``--close SITE:night`` (or ``nacht``)
    closes it at night (``limited``), ``--spoedpost SITE`` makes it a poliklinische
    spoedzorglocatie (no ambulance intake).

    Raises
    ------
    ScenarioError
        Listing every problem at once: an unknown site (with the closest ids and names), a
        block other than the night, a site named twice.
    """
    problems: list[str] = []
    changes: dict[str, dict[str, str]] = {}
    named: dict[str, str] = {}
    given = [(text, "--close") for text in close] + [(text, "--spoedpost") for text in spoedpost]
    for text, option in given:
        if option == "--close":
            site_id, state, problem = _closure(text, landscape)
        else:
            site_id, state = text.strip(), "spoedpost"
            inside = site_id in landscape.sites.index
            problem = "" if inside else _unknown(option, text, site_id, landscape)
        if not problem and site_id in named:
            problem = (
                f"{option} {text!r}: {site_id} is already changed by {named[site_id]}; give "
                "each site one change."
            )
        if problem:
            problems.append(problem)
        elif state is not None:
            named[site_id] = f"{option} {text}"
            changes[site_id] = {"seh": state}
    problems_to_error(problems, kind=ScenarioError)
    return changes


_WORDS = {"none": "closed", "limited": "closed at night", "spoedpost": "a spoedpost"}


def with_what_ifs(
    state: SiteState,
    landscape: Landscape,
    *,
    close: Sequence[str] = (),
    spoedpost: Sequence[str] = (),
) -> SiteState:
    """``state`` with the what-ifs applied, named after them
    (``"2025 + antonius-zh-sneek closed at night"``); ``state`` itself without what-ifs."""
    changes = what_if_changes(landscape, close=close, spoedpost=spoedpost)
    if not changes:
        return state
    words = ", ".join(f"{site} {_WORDS[values['seh']]}" for site, values in changes.items())
    return state.with_changes(changes, name=f"{state.name} + {words}")


def on_population(result: Reach, population: Landscape) -> Reach:
    """``result`` counting the inhabitants of ``population`` (the same PC4 areas, scaled to
    another year); the times, sites and posts stay the ones computed."""
    if population is result.landscape:
        return result
    points = result.points.copy()
    points["population"] = population.pc4["population"].reindex(points.index).to_numpy()
    return dataclasses.replace(result, points=points, landscape=population)


@dataclass(frozen=True)
class Selection:
    """What an analysis runs on.

    Attributes
    ----------
    state
        The site state (a year or a scenario, with the what-ifs applied).
    settings
        The settings (the scenario's, with command-line overrides).
    landscape
        The landscape as loaded: travel times are computed on it.
    population
        The landscape whose inhabitants are counted (``landscape`` scaled to the scenario's
        population year or growth; ``landscape`` itself otherwise).
    scenario
        The scenario file's contents, when ``--sites`` named one.
    travel
        A user travel-time matrix (``--matrix`` or the scenario's ``matrix``); None: the
        default network.
    """

    state: SiteState
    settings: Settings
    landscape: Landscape
    population: Landscape
    scenario: Scenario | None = None
    travel: MatrixSource | None = None

    def reach(
        self,
        *,
        service: str = "seh",
        block: str = "day",
        minutes: float | None = None,
        layer: RegionLayer = "roaz",
    ) -> Reach:
        """Reach of ``service`` in ``block`` on this selection (aliases such as ``nacht``
        taken), counting :attr:`population`'s inhabitants."""
        result = reach(
            self.landscape,
            self.state,
            service=service,
            block=unalias(block, BLOCK_ALIASES),
            minutes=minutes,
            settings=self.settings,
            layer=layer,
            source=self.travel,
        )
        return on_population(result, self.population)


def select(
    landscape: Landscape,
    sites: str,
    *,
    close: Sequence[str] = (),
    spoedpost: Sequence[str] = (),
    fixed_minutes: float | None = None,
    regime: str | None = None,
    matrix: Sequence[str] | None = None,
    matrix_unit: str | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> Selection:
    """Resolve ``--sites`` (a year or a scenario file), the what-ifs and the overrides.

    Parameters
    ----------
    sites
        ``"2019"``, ``"2025"`` or a scenario ``.toml`` file.
    close, spoedpost
        What-ifs on top of it (:func:`what_if_changes`).
    fixed_minutes
        Overrides ``settings.travel.composite_fixed_minutes`` (``--fixed-minutes``).
    regime
        Overrides ``settings.travel.regime`` (``--regime``: rivm2019 or rivm2022).
    matrix, matrix_unit
        ``--matrix`` values and ``--matrix-unit``: a user travel-time matrix, replacing the
        default network and a scenario's ``matrix`` (:func:`~zorglandschap.scenario.travel.matrix_source`).
    settings
        The settings of a year (a scenario file brings its own, built on these).
    """
    scenario = None
    population = landscape
    if str(sites).endswith(".toml"):
        scenario = load_scenario(sites, landscape, settings=settings)
        state, settings = scenario.state, scenario.settings
        population = scaled_population(
            landscape,
            year=scenario.population_year,
            growth=scenario.population_growth,
            settings=settings,
        )
    else:
        state = site_state(landscape, sites, settings=settings)
    if regime is not None:
        settings = settings.replace(travel={"regime": regime})
    if fixed_minutes is not None:
        settings = settings.replace(travel={"composite_fixed_minutes": fixed_minutes})
    state = with_what_ifs(state, landscape, close=close, spoedpost=spoedpost)
    travel: MatrixSource | None = matrix_source(matrix, matrix_unit, settings=settings)
    if travel is None and scenario is not None:
        travel = scenario.travel
    return Selection(state, settings, landscape, population, scenario, travel)
