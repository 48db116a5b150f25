"""Run a scenario: every question it asks, on its sites, settings and population, against its
baseline year — one result, :class:`ScenarioRun`, with the result contract.

A scenario file asks its questions in tables (docs/scenarios.md): ``[reach]`` (services, time
blocks, region layers), ``[sensitivity]`` (sensitive sites per block) and ``[concentration]``
(which hospitals offer a complex intervention). A file that asks none gets the default
``[reach]`` and ``[sensitivity]``. Each reach is computed twice: on the scenario, and on its
*baseline* — the baseline year's sites with the default settings and the data's (2021)
population — so every figure comes with its difference against the baseline. A place for the
``[spreading]`` question (acute-care spreading, :mod:`zorglandschap.optimise.spreading`) is
marked in :func:`compute_run`; it is not asked yet.

The run's JSON (:meth:`ScenarioRun.to_json`) holds the scenario, the data versions, the
settings, the software versions and every figure, with stable keys; the wall times are kept
apart (:meth:`ScenarioRun.timing_json`), so the same scenario gives the same bytes.

Examples
--------
>>> from zorglandschap.landscape import load_landscape
>>> nl = load_landscape().extract(roaz="ROAZ08")
>>> run = run_scenario("scenarios/spoedpost-dirksland.toml", landscape=nl)
>>> [(r["service"], r["block"]) for r in run.summary()["reach"]]
[('seh', 'day'), ('seh', 'night')]
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import time
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zorglandschap.access import Reach, Sensitivity, sensitivity
from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape, load_landscape
from zorglandschap.landscape.population import national_population, scaled_population
from zorglandschap.landscape.state import SiteState, baseline_state
from zorglandschap.report.provenance import (
    data_versions,
    settings_changes,
    settings_payload,
    software_versions,
)
from zorglandschap.report.region import RegionView, parse_region
from zorglandschap.report.run_tables import run_summary, run_tables, tables_payload
from zorglandschap.result import dumps, json_number
from zorglandschap.scenario import Scenario, load_scenario, scenario_model
from zorglandschap.scenario.access import ReachQuestion, SensitivityQuestion
from zorglandschap.scenario.selection import on_population
from zorglandschap.settings import DEFAULT_SETTINGS, Settings

if TYPE_CHECKING:
    from zorglandschap.optimise import ConcentrationResult

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
#: The version of the run JSON's layout.
RUN_FORMAT = "zorglandschap.run/1"
#: Decimals of a difference in minutes (as the minutes themselves).
_MINUTES = 1


@dataclass(frozen=True)
class ReachPair:
    """One service and block: the scenario's reach and its baseline's."""

    after: Reach
    before: Reach

    @property
    def key(self) -> str:
        """``<service>_<block>``, the stem of its table names."""
        return f"{self.after.service}_{self.after.block}"


@dataclass(frozen=True)
class SensitivityPair:
    """Sensitive sites of one service and block, in the scenario and in its baseline."""

    after: Sensitivity
    before: Sensitivity

    @property
    def key(self) -> str:
        """``<service>_<block>``."""
        return f"{self.after.reach.service}_{self.after.reach.block}"


@dataclass(frozen=True)
class Population:
    """The population counted: the data's year and total, and the scaling applied."""

    data_year: int
    data_total: float
    year: int
    growth: float | None
    factor: float

    @property
    def total(self) -> float:
        """The national population counted."""
        return self.data_total * self.factor

    def payload(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "data_year": self.data_year,
            "data_total": int(round(self.data_total)),
            "year": self.year,
            "growth": json_number(self.growth),
            "factor": json_number(self.factor),
            "total": int(round(self.total)),
        }

    def assumption(self) -> str | None:
        """The scaling in words, or None when the data's population is counted as it is."""
        if self.factor == 1.0:
            return None
        how = (
            f"by the growth factor {self.factor:g}"
            if self.growth is not None
            else f"by {self.factor:.4f} to CBS's national total of {self.total:,.0f} on 1 "
            f"January {self.year}"
        )
        return (
            f"Population: the {self.data_year} PC4 population ({self.data_total:,.0f}) is scaled "
            f"{how}; every area keeps its {self.data_year} share and age profile (assumption). "
            f"Travel times use the {self.data_year} densities the network's speeds were "
            "calibrated on; complex-care demand is not scaled (its national volume is a count of "
            "its own year: use [concentration] scale for growth)."
        )


@dataclass(frozen=True)
class ScenarioRun:
    """Everything one scenario asks, computed (a result, see :mod:`zorglandschap.result`).

    Attributes
    ----------
    scenario
        The scenario as read (its state, settings, questions and tables).
    file
        The scenario file as given.
    landscape
        The landscape with the population counted (scaled to the scenario's population year;
        travel times were computed on the data's own population).
    baseline
        The baseline year's site state.
    population
        The population counted.
    reach_question
        The ``[reach]`` question answered (the file's, or the default), or None.
    reaches, sensitivities
        Per service and block: the scenario and its baseline.
    concentration
        The ``[concentration]`` plan, when asked.
    region
        The region the maps and figures show (``[reach] region``), or None.
    data, software
        The data versions and software versions it was computed with.
    timing
        Wall seconds per step (kept out of :meth:`to_json`).
    """

    scenario: Scenario
    file: str
    landscape: Landscape
    baseline: SiteState
    population: Population
    reach_question: ReachQuestion | None
    reaches: tuple[ReachPair, ...]
    sensitivities: tuple[SensitivityPair, ...]
    concentration: ConcentrationResult | None
    region: RegionView | None
    data: dict[str, Any]
    software: dict[str, str]
    timing: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def settings(self) -> Settings:
        """The scenario's settings."""
        return self.scenario.settings

    @property
    def state_name(self) -> str:
        """The scenario's name."""
        return self.scenario.state.name

    @property
    def stem(self) -> str:
        """The scenario file's name without ``.toml``."""
        return Path(self.file).stem

    def summary(self) -> dict[str, Any]:
        """Per reach, sensitivity and plan: the headline figures against the baseline."""
        return run_summary(self)

    def tables(self) -> dict[str, Any]:
        """Every table, by a stable name (see :mod:`zorglandschap.report.run_tables`)."""
        return run_tables(self)

    def assumptions(self) -> list[str]:
        """The assumptions behind the figures, in words."""
        access = self.settings.access
        travel = dataclasses.asdict(self.settings.travel)
        lines = [
            f"Reach: RIVM composite time = drive from the nearest staffed ambulance post to the "
            f"PC4 area + {travel['composite_fixed_minutes']:g} fixed minutes (dispatch, on "
            f"scene) + drive to the nearest open SEH; norm {access.norm_minutes:g} minutes.",
            f"A limited-hours SEH counts in the blocks {', '.join(access.limited_hours_blocks)}; "
            "a spoedpost takes no ambulances and never counts (settings.access).",
            f"Baseline: the {self.scenario.baseline} sites with the default settings and the "
            f"{self.population.data_year} population.",
        ]
        if "regime" in travel:
            lines.append(f"Travel regime: {travel['regime']}.")
        scaled = self.population.assumption()
        if scaled:
            lines.append(scaled)
        if self.concentration is not None:
            lines.append(
                "Complex-care demand: the norms table's national volume, spread over PC4 areas by "
                "age-weighted population share (docs/concentration.md); travel by car."
            )
        return lines

    def payload(self) -> dict[str, Any]:
        """The run as JSON-ready data (stable keys; no wall times)."""
        spec = self.scenario
        plan = None
        if self.concentration is not None:
            plan = {
                k: v
                for k, v in self.concentration.to_dict().items()
                if k not in ("seconds", "build_seconds", "solve_log")
            }
        return {
            "format": RUN_FORMAT,
            "scenario": {
                "file": self.file,
                "name": spec.name,
                "description": spec.description,
                "baseline": spec.baseline,
                "population_year": spec.population_year,
                "population_growth": json_number(spec.population_growth),
                "tables": spec.tables,
            },
            "software": self.software,
            "data": self.data,
            "population": self.population.payload(),
            "settings": settings_payload(self.settings),
            "settings_changed": settings_changes(self.settings),
            "assumptions": self.assumptions(),
            "region": None if self.region is None else self.region.label,
            "summary": self.summary(),
            "tables": tables_payload(self.tables()),
            "concentration": plan,
        }

    def to_json(self) -> str:
        """:meth:`payload` as stable JSON text."""
        return dumps(self.payload())

    def timing_json(self) -> str:
        """Wall seconds per step, and the solver's own log of the plan (with its times)."""
        payload: dict[str, Any] = {
            "steps": [{"step": k, "seconds": round(v, 3)} for k, v in self.timing.items()],
            "total_seconds": round(sum(self.timing.values()), 3),
        }
        if self.concentration is not None:
            d = self.concentration.to_dict()
            payload["concentration"] = {
                k: d.get(k) for k in ("seconds", "build_seconds", "solve_log")
            }
        return dumps(payload)


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
) -> Reach:
    """Reach of ``state``, from ``memo`` when the same sites, settings, service and block were
    computed before on the same landscape (its name is the state's)."""
    from zorglandschap.access import reach

    key = (id(landscape), _state_key(state), repr(settings), service, block)
    if memo is not None and key in memo:
        return dataclasses.replace(memo[key], state_name=state.name)
    result = reach(landscape, state, service=service, block=block, settings=settings)
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
) -> ScenarioRun:
    """Compute the questions given on ``scenario`` (see :func:`run_scenario`)."""
    clock = _Clock(progress)
    region = _region(scenario, reach_question, landscape)
    population, counted = _population(scenario, landscape)
    baseline = baseline_state(landscape, scenario.baseline)

    def pair(service: str, block: str) -> ReachPair:
        after = memo_reach(
            memo, landscape, scenario.state, scenario.settings, service=service, block=block
        )
        before = memo_reach(
            memo, landscape, baseline, DEFAULT_SETTINGS, service=service, block=block
        )
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
    # [spreading] (acute-care spreading, optimise/spreading): once its question lands in the
    # scenario format, its plan is computed here as one more step, like the concentration.
    with clock.step("data versions"):
        data = data_versions(landscape)
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
