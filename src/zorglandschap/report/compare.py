"""Several scenarios side by side, with their differences against a baseline.

Every scenario is run on the same questions: the reach of every service and time block any of
them asks (``[reach]``, ``[sensitivity]``, or the defaults), and each one's own
``[concentration]`` plan. The baseline is a year (its sites, the default settings, the data's
population) or another scenario file. The comparison's tables put a column per scenario beside
the baseline, each followed by its difference (``Δ <scenario>`` = scenario − baseline):

- ``blocks``: per service and block, the open sites, people beyond the norm, share within,
  mean and P90 minutes;
- ``regions_<layer>``: people beyond, mean and P90 minutes per region (``roaz``, and the layer of
  ``by``, e.g. ``municipality``);
- ``interventions``: per complex intervention a scenario concentrates, the offering sites, the
  teams that stop and start, the sites below the norm, the smallest volume, mean / P90 / max
  travel; against the baseline's plan when it has one, else against today's providers
  (``sites`` only);
- ``spreading``: per scope (the region a ``[spreading]`` plan decides) and block, the SEHs
  taking ambulances (at night: the 24/7 SEHs), the staff-hours a week and the people beyond
  the norm with each scenario's plan; against the baseline's plan when it decides the same
  scope, else against the baseline's SEHs as they are.

Examples
--------
>>> from zorglandschap.landscape import load_landscape
>>> c = compare_scenarios(["scenarios/spoedpost-dirksland.toml"], landscape=load_landscape())
>>> list(c.tables()), c.labels
(['blocks', 'regions_roaz'], ('spoedpost-dirksland',))
>>> blocks = c.tables()["blocks"].set_index(["block", "indicator"])
>>> blocks.loc[("night", "beyond"), ["2025", "spoedpost-dirksland", "Δ spoedpost-dirksland"]].tolist()
[58450, 96025, 37575]
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape, load_landscape
from zorglandschap.landscape.state import baseline_state
from zorglandschap.report.run import (
    Progress,
    ReachMemo,
    ScenarioRun,
    compute_run,
)
from zorglandschap.report.spreading import COMPARED, plan_figures, scope_name, today_figures
from zorglandschap.result import dumps, json_number, json_records
from zorglandschap.scenario import Scenario, load_scenario
from zorglandschap.scenario.access import ReachQuestion
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.vocab import (
    BY_CHOICES,
    LAYER_ALIASES,
    SERVICES,
    SITE_YEARS,
    TIME_BLOCKS,
    RegionLayer,
    unalias,
)

__all__ = ["BLOCK_INDICATORS", "Comparison", "compare_scenarios"]

#: The reach indicators of the ``blocks`` table (with the decimals of a difference).
BLOCK_INDICATORS: dict[str, int] = {
    "open_sites": 0,
    "beyond": 0,
    "share_within": 5,
    "mean_minutes": 1,
    "p90_minutes": 1,
}
#: The indicators of a ``regions_<layer>`` table.
REGION_INDICATORS: dict[str, int] = {"beyond": 0, "mean_minutes": 1, "p90_minutes": 1}
#: The indicators of the ``interventions`` table.
PLAN_INDICATORS: dict[str, int] = {
    "sites": 0,
    "stops": 0,
    "starts": 0,
    "below_norm": 0,
    "min_volume": 1,
    "mean_minutes": 1,
    "p90_minutes": 1,
    "max_minutes": 1,
}
COMPARE_FORMAT = "zorglandschap.compare/1"


def _difference(value: Any, base: Any, decimals: int) -> Any:
    if value is None or base is None or pd.isna(value) or pd.isna(base):
        return None
    return int(value) - int(base) if decimals == 0 else round(float(value) - float(base), decimals)


@dataclass(frozen=True)
class Comparison:
    """Scenarios side by side against a baseline (a result, see :mod:`zorglandschap.result`).

    Attributes
    ----------
    runs, labels
        The scenarios' runs (on the shared questions) and their column labels (file names
        without ``.toml``, made unique).
    baseline, baseline_label
        The baseline's run and its label (the year, or its file name).
    by
        The region layers compared (``roaz`` and the one asked with ``--by``).
    spreading_today
        Per scope a scenario's ``[spreading]`` plan decides that the baseline's plan does not:
        block → the baseline's SEHs as they are (:func:`~zorglandschap.report.spreading.
        today_figures`), the reference of the ``spreading`` table.
    """

    runs: tuple[ScenarioRun, ...]
    labels: tuple[str, ...]
    baseline: ScenarioRun
    baseline_label: str
    by: tuple[RegionLayer, ...]
    spreading_today: Mapping[str, Mapping[str, dict[str, Any]]] = field(default_factory=dict)

    @property
    def settings(self) -> Settings:
        """The baseline's settings."""
        return self.baseline.settings

    @property
    def state_name(self) -> str:
        """``A vs B vs ... (baseline X)``."""
        return f"{' vs '.join(self.labels)} (baseline {self.baseline_label})"

    def _columns(self) -> list[str]:
        out = [self.baseline_label]
        for label in self.labels:
            out += [label, f"Δ {label}"]
        return out

    def _row(self, values: list[Any], base: Any, decimals: int) -> list[Any]:
        row = [base]
        for value in values:
            row += [value, _difference(value, base, decimals)]
        return row

    def _blocks(self) -> pd.DataFrame:
        rows = []
        base = {(r["service"], r["block"]): r for r in self.baseline.summary()["reach"]}
        mine = [
            {(r["service"], r["block"]): r for r in run.summary()["reach"]} for run in self.runs
        ]
        for key in base:
            for indicator, decimals in BLOCK_INDICATORS.items():
                values = [m[key][indicator] if key in m else None for m in mine]
                rows.append([*key, indicator, *self._row(values, base[key][indicator], decimals)])
        columns = ["service", "block", "indicator", *self._columns()]
        return pd.DataFrame(rows, columns=columns, dtype=object)

    def _regions(self, layer: RegionLayer) -> pd.DataFrame:
        rows = []
        for number, pair in enumerate(self.baseline.reaches):
            base = pair.after.by_region(layer)
            theirs = [run.reaches[number].after.by_region(layer) for run in self.runs]
            for region in base.index:
                name = base.at[region, "name"] if "name" in base else ""
                for indicator, decimals in REGION_INDICATORS.items():
                    values = [
                        t.at[region, indicator] if region in t.index else None for t in theirs
                    ]
                    row = self._row(values, base.at[region, indicator], decimals)
                    rows.append(
                        [pair.after.service, pair.after.block, region, name, indicator, *row]
                    )
        columns = ["service", "block", layer, "name", "indicator", *self._columns()]
        frame = pd.DataFrame(rows, columns=columns, dtype=object)
        return frame if layer == "roaz" else frame.drop(columns="name")

    def _interventions(self) -> pd.DataFrame | None:
        plans = [_plan_figures(run) for run in self.runs]
        if not any(plans):
            return None
        base = _plan_figures(self.baseline)
        today = {p: figures.get("sites_today") for plan in plans for p, figures in plan.items()}
        rows = []
        for intervention in sorted({p for plan in plans for p in plan}):
            for indicator, decimals in PLAN_INDICATORS.items():
                if intervention in base:
                    reference = base[intervention].get(indicator)
                else:  # today's providers: only their number is known
                    reference = today.get(intervention) if indicator == "sites" else None
                values = [plan.get(intervention, {}).get(indicator) for plan in plans]
                rows.append([intervention, indicator, *self._row(values, reference, decimals)])
        columns = ["intervention", "indicator", *self._columns()]
        return pd.DataFrame(rows, columns=columns, dtype=object)

    def _spreading(self) -> pd.DataFrame | None:
        plans = [_spreading_plans(run) for run in self.runs]
        if not any(plans):
            return None
        base = _spreading_plans(self.baseline)
        rows = []
        for scope in sorted({scope for plan in plans for scope in plan}):
            reference = base.get(scope) or self.spreading_today.get(scope, {})
            for block in TIME_BLOCKS:
                for indicator, decimals in COMPARED.items():
                    values = [plan.get(scope, {}).get(block, {}).get(indicator) for plan in plans]
                    ref = reference.get(block, {}).get(indicator)
                    rows.append([scope, block, indicator, *self._row(values, ref, decimals)])
        columns = ["scope", "block", "indicator", *self._columns()]
        return pd.DataFrame(rows, columns=columns, dtype=object)

    def tables(self) -> dict[str, pd.DataFrame]:
        """``blocks``, ``regions_<layer>`` per layer compared, ``interventions`` when a
        scenario concentrates and ``spreading`` when one asks ``[spreading]`` (see the module
        docstring)."""
        tables: dict[str, pd.DataFrame] = {}
        if self.baseline.reaches:
            tables["blocks"] = self._blocks()
            for layer in self.by:
                tables[f"regions_{layer}"] = self._regions(layer)
        plans = self._interventions()
        if plans is not None:
            tables["interventions"] = plans
        spreading = self._spreading()
        if spreading is not None:
            tables["spreading"] = spreading
        return tables

    def summary(self) -> dict[str, Any]:
        """The baseline, the scenarios, the ``blocks``, ``interventions`` and ``spreading``
        tables as records, and the status of each spreading plan."""
        tables = self.tables()
        runs = (self.baseline, *self.runs)
        return {
            "baseline": self.baseline_label,
            "scenarios": list(self.labels),
            "blocks": json_records(tables["blocks"]) if "blocks" in tables else [],
            "interventions": json_records(tables["interventions"])
            if "interventions" in tables
            else [],
            "spreading": json_records(tables["spreading"]) if "spreading" in tables else [],
            "spreading_status": {
                label: run.spreading.status
                for run, label in zip(runs, (self.baseline_label, *self.labels), strict=True)
                if run.spreading is not None
            },
        }

    def payload(self) -> dict[str, Any]:
        """Every table, the scenarios and the baseline, JSON-ready (no wall times)."""

        def about(run: ScenarioRun, label: str) -> dict[str, Any]:
            return {
                "label": label,
                "file": run.file,
                "name": run.scenario.name,
                "description": run.scenario.description,
                "population": int(round(run.population.total)),
                "assumptions": run.assumptions(),
            }

        return {
            "format": COMPARE_FORMAT,
            "baseline": about(self.baseline, self.baseline_label),
            "scenarios": [about(r, label) for r, label in zip(self.runs, self.labels, strict=True)],
            "by": list(self.by),
            "software": self.baseline.software,
            "data": self.baseline.data,
            "tables": {name: json_records(frame) for name, frame in self.tables().items()},
        }

    def to_json(self) -> str:
        """:meth:`payload` as stable JSON text."""
        return dumps(self.payload())


def _plan_figures(run: ScenarioRun) -> dict[str, dict[str, Any]]:
    """Per intervention of the run's plan: sites, stops, starts, below norm, smallest volume,
    travel (empty without a plan)."""
    plan = run.concentration
    if plan is None:
        return {}
    out = {}
    indicators = plan.indicators
    for p in plan.interventions:
        rows = plan.sites[plan.sites["intervention"] == p]
        offers = rows[rows["offers"].astype(bool)]
        travel = indicators[(indicators["intervention"] == p) & (indicators["region"] == "all")]
        first = travel.iloc[0] if len(travel) else None
        out[p] = {
            "sites": len(offers),
            "sites_today": int(rows["baseline"].astype(bool).sum()),
            "stops": int((rows["change"] == "stops").sum()),
            "starts": int((rows["change"] == "starts").sum()),
            "below_norm": int((offers["volume"] < offers["norm"] - 1e-6).sum()),
            "min_volume": json_number(offers["volume"].min(), 1) if len(offers) else None,
            **{
                key: None if first is None else json_number(first[key], 1)
                for key in ("mean_minutes", "p90_minutes", "max_minutes")
            },
        }
    return out


def _spreading_plans(run: ScenarioRun) -> dict[str, dict[str, dict[str, Any]]]:
    """Scope → block → the figures of the run's spreading plan (empty without the question)."""
    if run.spreading is None:
        return {}
    return {scope_name(run.spreading): plan_figures(run.spreading)}


def _spreading_today(
    landscape: Landscape, base: ScenarioRun, runs: Sequence[ScenarioRun]
) -> dict[str, dict[str, dict[str, Any]]]:
    """Per scope the scenarios' plans decide and the baseline's does not: the baseline's SEHs
    as they are, in that scope (see :class:`Comparison`)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    own = set(_spreading_plans(base))
    for run in runs:
        if run.spreading is None:
            continue
        scope = scope_name(run.spreading)
        if scope not in own and scope not in out:
            out[scope] = today_figures(
                landscape,
                run.spreading.question,
                state=base.scenario.state,
                settings=base.settings,
                source=base.scenario.travel,
            )
    return out


def _labels(paths: Sequence[str | Path]) -> tuple[str, ...]:
    labels: list[str] = []
    for path in paths:
        stem, n = Path(path).stem, 2
        label = stem
        while label in labels:
            label, n = f"{stem}-{n}", n + 1
        labels.append(label)
    return tuple(labels)


def _shared_question(
    scenarios: Sequence[Scenario], layers: tuple[RegionLayer, ...]
) -> ReachQuestion | None:
    """Every service and block any scenario asks about (its defaults when it asks nothing)."""
    services: set[str] = set()
    blocks: set[str] = set()
    for s in scenarios:
        questions = [s.reach, s.sensitivity] if s.asks() else [ReachQuestion()]
        for q in questions:
            if q is not None:
                services.update(q.services)
                blocks.update(q.blocks)
    if not services:
        return None
    return ReachQuestion.model_validate(
        {
            "services": [x for x in SERVICES if x in services],
            "blocks": [b for b in TIME_BLOCKS if b in blocks],
            "by": list(layers),
        }
    )


def _year_scenario(year: int, landscape: Landscape) -> Scenario:
    return Scenario(
        name=str(year),
        description=f"The {year} sites with the default settings and the data's population.",
        path=None,
        state=baseline_state(landscape, year),
        settings=DEFAULT_SETTINGS,
        baseline=year,
    )


def _layers(by: str | None) -> tuple[RegionLayer, ...]:
    if by is None:
        return ("roaz",)
    layer = unalias(by, LAYER_ALIASES)
    if layer not in BY_CHOICES:
        valid = ", ".join([*BY_CHOICES, *LAYER_ALIASES])
        raise ScenarioError(f"--by {by!r}: unknown region layer; valid: {valid}.")
    chosen: RegionLayer = next(c for c in BY_CHOICES if c == layer)
    return ("roaz",) if chosen == "roaz" else ("roaz", chosen)


def compare_scenarios(
    paths: Sequence[str | Path],
    *,
    baseline: str | int = 2025,
    by: str | None = None,
    landscape: Landscape | None = None,
    regions: str | Path | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """Run the scenarios on shared questions and compare them with ``baseline``.

    Parameters
    ----------
    paths
        Scenario ``.toml`` files (one or more).
    baseline
        A year (``2025``, ``2019``) or a scenario ``.toml`` file.
    by
        A region layer to compare besides the ROAZ regions (``municipality``/``gemeente``,
        ``iza``, ``province``/``provincie``, ``iza42``).

    Raises
    ------
    ScenarioError
        For no scenario, an unknown baseline or layer, or a scenario file with problems.
    """
    if not paths:
        raise ScenarioError("Give one or more scenario .toml files to compare.")
    layers = _layers(by)
    text = str(baseline)
    if not text.endswith(".toml") and not (
        text.isascii() and text.isdigit() and int(text) in SITE_YEARS
    ):
        valid = ", ".join(str(y) for y in SITE_YEARS)
        raise ScenarioError(f"--baseline {text!r}: give a year ({valid}) or a scenario .toml file.")
    land = landscape if landscape is not None else load_landscape(regions)
    scenarios = [load_scenario(path, land) for path in paths]
    base_scenario = (
        load_scenario(text, land) if text.endswith(".toml") else _year_scenario(int(text), land)
    )
    question = _shared_question(scenarios, layers)
    memo: ReachMemo = {}

    def run(scenario: Scenario, file: str) -> ScenarioRun:
        return compute_run(
            scenario,
            land,
            file=file,
            reach_question=question,
            sensitivity_question=None,
            concentration=True,
            progress=progress,
            memo=memo,
        )

    base = run(base_scenario, text)
    runs = tuple(run(s, str(p)) for s, p in zip(scenarios, paths, strict=True))
    labels = _labels(paths)
    label = Path(text).stem if text.endswith(".toml") else text
    if label in labels:
        label = f"{label} (baseline)"
    today = {}
    if any(r.spreading is not None for r in runs):
        shown = progress("spreading: the baseline's SEHs") if progress else contextlib.nullcontext()
        with shown:
            today = _spreading_today(land, base, runs)
    return Comparison(runs, labels, base, label, layers, spreading_today=today)
