"""Run a scenario: every question it asks, on its sites, settings and population, against its
baseline year — one result, :class:`ScenarioRun`, with the result contract.

A scenario file asks its questions in tables (docs/scenarios.md): ``[reach]`` (services, time
blocks, region layers), ``[sensitivity]`` (sensitive sites per block) and ``[concentration]``
(which hospitals offer a complex intervention). A file that asks none gets the default
``[reach]`` and ``[sensitivity]``. Each reach is computed twice: on the scenario, and on its
*baseline* — the baseline year's sites with the default settings and the data's (2021)
population — so every figure comes with its difference against the baseline. A
``[spreading]`` question (acute-care spreading, :mod:`zorglandschap.optimise.spreading`) is
solved as one more step, on the path ``spread --scenario`` takes (the same plan), against the
scenario's own sites today.

The run's JSON (:meth:`ScenarioRun.to_json`) holds the scenario, the data versions, the
settings, the software versions and every figure, with stable keys; the wall times are kept
apart (:meth:`ScenarioRun.timing_json`), so the same scenario gives the same bytes.

Examples
--------
>>> from zorglandschap.landscape import load_landscape
>>> run = run_scenario("scenarios/seh-night-closure-sneek.toml", landscape=load_landscape())
>>> [(r["block"], r["beyond_change"]) for r in run.summary()["reach"]]
[('day', 0), ('night', 5800)]
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import time
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zorglandschap.access import Reach, sensitivity
from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape, load_landscape
from zorglandschap.landscape.population import national_population, scaled_population
from zorglandschap.landscape.state import SiteState, baseline_state
from zorglandschap.report.provenance import (
    data_versions,
    software_versions,
    travel_versions,
)
from zorglandschap.report.region import RegionView, parse_region
from zorglandschap.report.run_result import (
    Population,
    ReachPair,
    ScenarioRun,
    SensitivityPair,
)
from zorglandschap.scenario import Scenario, load_scenario, scenario_model
from zorglandschap.scenario.access import ReachQuestion, SensitivityQuestion
from zorglandschap.scenario.selection import on_population
from zorglandschap.scenario.spreading import scenario_spreading_model
from zorglandschap.settings import DEFAULT_SETTINGS, Settings

if TYPE_CHECKING:
    from zorglandschap.travel import MatrixSource

__all__ = [
    "Population",
    "Progress",
    "ReachMemo",
    "ReachPair",
    "ScenarioRun",
    "SensitivityPair",
    "compute_run",
    "default_out",
    "run_scenario",
]

#: Shown while a step runs: ``progress("reach seh night")`` is entered around the step.
Progress = Callable[[str], AbstractContextManager[Any]]
#: Reach results already computed, shared between runs (a comparison's baseline).
ReachMemo = MutableMapping[tuple[Any, ...], Reach]


def default_out(path: str | Path) -> Path:
    """Where a run writes by default: ``results/<scenario stem>/``."""
    return Path("results") / Path(path).stem


class _Clock:
    """Times each step and shows it through ``progress``."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def step(self, label: str) -> Iterator[None]:
        start = time.perf_counter()
        with self.progress(label) if self.progress else contextlib.nullcontext():
            yield
        self.seconds[label] = time.perf_counter() - start


def _state_key(state: SiteState) -> str:
    return hashlib.sha256(state.services.to_csv().encode()).hexdigest()


def memo_reach(
    memo: ReachMemo | None,
    landscape: Landscape,
    state: SiteState,
    settings: Settings,
    *,
    service: str,
    block: str,
    source: MatrixSource | None = None,
) -> Reach:
    """Reach of ``state``, from ``memo`` when the same sites, settings, service, block and
    travel times (``source``: a user matrix, None: the network) were computed before on the
    same landscape (its name is the state's)."""
    from zorglandschap.access import reach

    travel = None if source is None else source.fingerprint("ambulance")
    key = (id(landscape), _state_key(state), repr(settings), service, block, travel)
    if memo is not None and key in memo:
        return dataclasses.replace(memo[key], state_name=state.name)
    result = reach(landscape, state, service=service, block=block, settings=settings, source=source)
    if memo is not None:
        memo[key] = result
    return result


def _population(scenario: Scenario, landscape: Landscape) -> tuple[Population, Landscape]:
    counted = scaled_population(
        landscape,
        year=scenario.population_year,
        growth=scenario.population_growth,
        settings=scenario.settings,
    )
    total = national_population(landscape)
    info = Population(
        data_year=landscape.population_year,
        data_total=total,
        year=counted.population_year,
        growth=scenario.population_growth,
        factor=national_population(counted) / total if total else 1.0,
    )
    return info, counted


def _region(
    scenario: Scenario, question: ReachQuestion | None, landscape: Landscape
) -> RegionView | None:
    """The ``[reach] region`` as a view, or a ScenarioError naming the file and key."""
    if question is None or question.region is None:
        return None
    try:
        return parse_region(question.region, landscape)
    except ScenarioError as exc:
        message = str(exc).replace("--region", "region", 1)
        raise ScenarioError(f"{scenario.path}: reach.{message}") from None


def compute_run(
    scenario: Scenario,
    landscape: Landscape,
    *,
    file: str,
    reach_question: ReachQuestion | None,
    sensitivity_question: SensitivityQuestion | None,
    concentration: bool,
    progress: Progress | None = None,
    memo: ReachMemo | None = None,
    spreading: bool = True,
) -> ScenarioRun:
    """Compute the questions given on ``scenario`` (see :func:`run_scenario`); the plans of
    its ``[concentration]`` and ``[spreading]`` tables when ``concentration`` and
    ``spreading`` say so."""
    clock = _Clock(progress)
    region = _region(scenario, reach_question, landscape)
    population, counted = _population(scenario, landscape)
    baseline = baseline_state(landscape, scenario.baseline)

    def pair(service: str, block: str) -> ReachPair:
        # the baseline on the scenario's travel times: the difference is the sites' alone
        after = memo_reach(
            memo, landscape, scenario.state, scenario.settings, service=service, block=block,
            source=scenario.travel,
        )  # fmt: skip
        before = memo_reach(
            memo, landscape, baseline, DEFAULT_SETTINGS, service=service, block=block,
            source=scenario.travel,
        )  # fmt: skip
        return ReachPair(on_population(after, counted), before)

    wanted = [] if reach_question is None else reach_question.pairs()
    sensitive = [] if sensitivity_question is None else sensitivity_question.pairs()
    pairs: dict[tuple[str, str], ReachPair] = {}
    for service, block in dict.fromkeys([*wanted, *sensitive]):
        with clock.step(f"reach {service} {block}"):
            pairs[(service, block)] = pair(service, block)
    sensitivities = []
    if sensitivity_question is not None:
        with clock.step("sensitive sites"):
            top = sensitivity_question.top
            for key in sensitive:
                one = pairs[key]
                sensitivities.append(
                    SensitivityPair(
                        sensitivity(one.after, sites=top), sensitivity(one.before, sites=None)
                    )
                )
    plan = None
    if concentration and scenario.concentration is not None:
        names = ", ".join(scenario.concentration.interventions)
        with clock.step(f"concentration {names}"):
            plan = scenario_model(landscape, scenario).solve()
    spread = None
    if spreading and scenario.spreading is not None:
        asked = scenario.spreading
        with clock.step(f"spreading {asked.region or 'NL'} {', '.join(asked.decided)}"):
            spread = scenario_spreading_model(landscape, scenario).solve()
    with clock.step("data versions"):
        data = {**data_versions(landscape), "travel": travel_versions(scenario.travel)}
    return ScenarioRun(
        scenario=scenario,
        file=file,
        landscape=counted,
        baseline=baseline,
        population=population,
        reach_question=reach_question,
        reaches=tuple(pairs[key] for key in wanted),
        sensitivities=tuple(sensitivities),
        concentration=plan,
        region=region,
        data=data,
        software=software_versions(),
        spreading=spread,
        timing=clock.seconds,
    )


def run_scenario(
    path: str | Path,
    *,
    landscape: Landscape | None = None,
    regions: str | Path | None = None,
    progress: Progress | None = None,
    memo: ReachMemo | None = None,
) -> ScenarioRun:
    """Read a scenario file and compute every question it asks.

    Parameters
    ----------
    path
        The scenario ``.toml`` file.
    landscape
        The landscape to run on (default: loaded from ``regions``, the embedded Netherlands).
    progress
        Entered around each step with its label (a progress display).
    memo
        Reach results to reuse (a comparison shares its baseline this way).

    Raises
    ------
    ScenarioError
        For a scenario file with problems (all named at once), or a ``[reach] region`` that
        does not exist.
    """
    clock = _Clock(progress)
    with clock.step("data"):
        land = landscape if landscape is not None else load_landscape(regions)
    with clock.step("scenario"):
        scenario = load_scenario(path, land)
    asks = scenario.asks()
    run = compute_run(
        scenario,
        land,
        file=str(path),
        reach_question=scenario.reach if asks else ReachQuestion(),
        sensitivity_question=scenario.sensitivity if asks else SensitivityQuestion(),
        concentration=True,
        progress=progress,
        memo=memo,
    )
    return dataclasses.replace(run, timing={**clock.seconds, **run.timing})
