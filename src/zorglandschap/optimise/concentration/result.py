"""The outcome of a concentration solve (:class:`ConcentrationResult`) and a trade-off curve.

Both follow the result contract of :mod:`zorglandschap.result`: ``summary()``, ``tables()``,
``to_json()``, and the ``settings`` and ``state_name`` they were computed with; every number in
their JSON is rounded by :func:`~zorglandschap.result.json_number`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from zorglandschap.errors import InfeasiblePlan, OutputError
from zorglandschap.files import atomic_write_bytes
from zorglandschap.optimise.solver import Status
from zorglandschap.result import dumps, json_number, json_records
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.travel.sources import NETWORK_LABEL

#: Decimals of the timing fields in JSON.
_SECONDS_DECIMALS = 3


@dataclass(frozen=True)
class ConcentrationResult:
    """The outcome of one concentration solve. Immutable; export with :meth:`to_json`/:meth:`to_csv`.

    Attributes
    ----------
    status
        ``optimal`` (proven within the gap tolerance), ``feasible`` (a plan, optimality not
        proven), ``infeasible`` (proven: see ``diagnosis``) or ``no_solution``.
    gap
        Relative gap between the plan's objective and the best proven bound; None without plan.
    objective
        Objective value: patient-minutes per year plus weighted disruption.
    bound
        Best proven lower bound on the objective.
    seconds
        Wall time of build plus solve(s), seconds.
    build_seconds
        Part of ``seconds`` spent building models in Python.
    solver
        ``highs`` or ``cbc``.
    interventions
        Intervention ids in the plan.
    sites
        One row per (intervention, site) that offers it in the plan or in the baseline:
        ``intervention, site_id, name, region, offers, baseline, change`` (``keeps``, ``starts``,
        ``stops``), ``volume`` (patients a year in the plan), ``norm``, ``capacity``,
        ``baseline_volume`` and ``baseline_volume_source``.
    flows
        Patient flows: ``intervention, demand_id, site_id, patients, share, minutes``.
    indicators
        Travel per intervention and region of residence (``region`` = ``all`` for the total):
        ``patients, mean_minutes, p90_minutes, max_minutes, share_beyond, beyond_minutes``, at the
        demand level solved (``level``).
    detail_indicators
        The same at the detail level (PC4) when the model was solved on aggregated demand.
    diagnosis
        Plain-words reasons and smallest relaxations when infeasible; notes otherwise.
    rounds
        Solve rounds used (1: the exact near-far model is solved once).
    variables
        Assignment variables in the last model solved (after sparsification and merging).
    demand_level
        ``municipality``, ``pc4`` or ``custom``.
    travel
        Patient-minutes per year of the plan (the travel part of the objective).
    solve_log
        What the solution method did besides the final solve (e.g. the start plan per
        component), for transparency and benchmarks.
    settings
        The settings the plan was computed with.
    state_name
        The site state whose SEHs the eligibility rules used (``2025``, a scenario's name), or
        ``custom`` for a model built from explicit tables.
    travel_source
        Where the travel minutes came from: ``network`` or a user matrix's label.
    objective_kind
        ``travel`` or ``disruption`` (the round table's: disruption first, then travel).
    baseline
        Today's providers (:func:`~.changes.baseline_table`): per intervention and site the
        volume today (``volume_kind`` known or estimate, with its year and source) and the
        provider record's year and confidence.
    movement
        Per intervention (:func:`~.changes.movement_table`): patients, patients who change
        hospital, patients sent past a nearer offering centre, centres today and in the plan,
        teams that keep, stop and start.
    warnings
        What a planner should check: an old or unknown baseline, more centres than today, a
        team that stops although it meets the norm today.
    disruption
        The round-table objective's first solve: ``(disruption, bound, gap)`` (team changes
        weighted by ``team_weight`` plus patients moved); None otherwise.
    """

    status: Status
    gap: float | None
    objective: float | None
    bound: float | None
    seconds: float
    build_seconds: float
    solver: str
    interventions: tuple[str, ...]
    sites: pd.DataFrame
    flows: pd.DataFrame
    indicators: pd.DataFrame
    detail_indicators: pd.DataFrame | None
    diagnosis: tuple[str, ...]
    rounds: int
    variables: int
    demand_level: str
    travel: float | None
    solve_log: tuple[str, ...] = ()
    settings: Settings = field(default=DEFAULT_SETTINGS, repr=False, compare=False)
    state_name: str = "custom"
    travel_source: str = NETWORK_LABEL
    objective_kind: str = "travel"
    baseline: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    movement: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    warnings: tuple[str, ...] = ()
    disruption: tuple[float, float | None, float | None] | None = None

    @property
    def has_plan(self) -> bool:
        """True when the result carries a plan (``optimal`` or ``feasible``)."""
        return self.status in ("optimal", "feasible")

    def offering(self, intervention: str | None = None) -> list[str]:
        """Sorted site ids offering ``intervention`` (or any intervention) in the plan."""
        s = self.sites.loc[self.sites["offers"].astype(bool)]
        if intervention is not None:
            s = s[s["intervention"] == intervention]
        return sorted(set(s["site_id"]))

    def changes(self) -> pd.DataFrame:
        """Rows of :attr:`sites` whose team starts or stops relative to the baseline."""
        return self.sites[self.sites["change"].isin(["starts", "stops"])].reset_index(drop=True)

    def raise_for_status(self) -> ConcentrationResult:
        """Raise :class:`~zorglandschap.errors.InfeasiblePlan` unless there is a plan."""
        if not self.has_plan:
            raise InfeasiblePlan(
                f"No concentration plan: status {self.status}.", diagnosis=list(self.diagnosis)
            )
        return self

    def overall(self, frame: pd.DataFrame | None = None) -> dict[str, float | None]:
        """Mean, P90 and max minutes and the share beyond of all patients (of ``frame``,
        default :attr:`indicators`)."""
        frame = self.indicators if frame is None else frame
        if frame is None or frame.empty:
            return {"mean_minutes": None, "p90_minutes": None, "max_minutes": None}
        row = frame[(frame["intervention"] == "all") & (frame["region"] == "all")]
        if row.empty:
            row = frame[frame["region"] == "all"]
        r = row.iloc[0]
        return {
            key: json_number(r[key])
            for key in ("mean_minutes", "p90_minutes", "max_minutes", "share_beyond")
        }

    def summary(self) -> dict[str, Any]:
        """The headline figures: status, objective, sites that offer, changes, travel."""
        return {
            "status": self.status,
            "gap": json_number(self.gap),
            "objective": json_number(self.objective),
            "travel_patient_minutes": json_number(self.travel),
            "solver": self.solver,
            "interventions": list(self.interventions),
            "demand_level": self.demand_level,
            "sites": len(self.offering()),
            "stops": int((self.sites["change"] == "stops").sum()),
            "starts": int((self.sites["change"] == "starts").sum()),
            "patients_moved": self.patients_moved(),
            "objective_kind": self.objective_kind,
            "warnings": len(self.warnings),
            "state_name": self.state_name,
            "travel_source": self.travel_source,
            **self.overall(),
        }

    def patients_moved(self) -> float | None:
        """Patients a year who change hospital, all interventions (None without a plan)."""
        if not self.has_plan or self.movement.empty:
            return None
        return json_number(float(self.movement["patients_moved"].sum()))

    def tables(self) -> dict[str, pd.DataFrame]:
        """``sites``, ``flows``, ``indicators``, ``baseline``, ``movement`` and, when present,
        ``detail_indicators``."""
        frames = {"sites": self.sites, "flows": self.flows, "indicators": self.indicators}
        frames["baseline"] = self.baseline
        frames["movement"] = self.movement
        if self.detail_indicators is not None:
            frames["detail_indicators"] = self.detail_indicators
        return frames

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready payload (stable keys; sorted lists; numbers by ``json_number``).

        Everything that depends on the machine (wall times, the solve log with its seconds)
        is under ``timing``: without it two runs of the same question compare byte for byte.
        """
        out: dict[str, Any] = {
            "status": self.status,
            "gap": json_number(self.gap),
            "objective": json_number(self.objective),
            "objective_kind": self.objective_kind,
            "bound": json_number(self.bound),
            "disruption": self._disruption(),
            "travel_patient_minutes": json_number(self.travel),
            "solver": self.solver,
            "interventions": list(self.interventions),
            "demand_level": self.demand_level,
            "travel_source": self.travel_source,
            "rounds": self.rounds,
            "variables": self.variables,
            "sites": self._offering_records(),
            "changes": self._change_records(),
            "baseline": self._baseline_records(),
            "stops": self._stop_records(),
            "patients_moved": self.patients_moved(),
            "movement": json_records(self.movement) if self.has_plan else [],
            "warnings": list(self.warnings),
            "diagnosis": list(self.diagnosis),
            "indicators": json_records(self.indicators),
            "timing": {
                "seconds": json_number(self.seconds, _SECONDS_DECIMALS),
                "build_seconds": json_number(self.build_seconds, _SECONDS_DECIMALS),
                "solve_log": list(self.solve_log),
            },
        }
        out.update(self.overall(self.indicators))
        if self.detail_indicators is not None:
            out["detail_indicators"] = json_records(self.detail_indicators)
            out["detail"] = self.overall(self.detail_indicators)
        return out

    def _disruption(self) -> dict[str, Any] | None:
        if self.disruption is None:
            return None
        value, bound, gap = self.disruption
        return {"value": json_number(value), "bound": json_number(bound), "gap": json_number(gap)}

    def _offering_records(self) -> list[dict[str, Any]]:
        """The offering sites, each with its change against today: ``keep`` or ``start``
        (``unknown`` where the intervention has no baseline)."""
        offers = self.sites.loc[self.sites["offers"].astype(bool)].sort_values(
            ["intervention", "site_id"]
        )
        known = set(self.baseline["intervention"]) if len(self.baseline) else set()
        return [
            {
                "intervention": r.intervention,
                "site_id": r.site_id,
                "name": r.name,
                "region": r.region,
                "volume": json_number(r.volume),
                "norm": json_number(r.norm),
                "change": _CHANGE_WORDS.get(str(r.change), "")
                if r.intervention in known
                else "unknown",
                "volume_today": json_number(r.baseline_volume),
            }
            for r in offers.itertuples(index=False)
        ]

    def _change_records(self) -> list[dict[str, Any]]:
        rows = self.changes().sort_values(["intervention", "site_id"])
        return [
            {"intervention": r.intervention, "site_id": r.site_id, "name": r.name,
             "change": r.change}
            for r in rows.itertuples(index=False)
        ]  # fmt: skip

    def _baseline_records(self) -> list[dict[str, Any]]:
        """Today's providers: ``site_id, name, volume, year`` (the provider record's year), the
        volume's kind, year and source, and the record's confidence."""
        if self.baseline.empty:
            return []
        return [
            {
                "intervention": r.intervention,
                "site_id": r.site_id,
                "name": r.name,
                "volume": json_number(r.volume),
                "year": r.record_year,
                "confidence": r.confidence,
                "volume_kind": r.volume_kind,
                "volume_year": r.volume_year,
                "volume_source": r.volume_source,
            }
            for r in self.baseline.sort_values(["intervention", "site_id"]).itertuples(index=False)
        ]

    def _stop_records(self) -> list[dict[str, Any]]:
        """The teams that stop, with their volume today (known or estimated)."""
        if not self.has_plan:
            return []
        rows = self.sites[self.sites["change"] == "stops"].sort_values(["intervention", "site_id"])
        return [
            {"intervention": r.intervention, "site_id": r.site_id, "name": r.name,
             "volume": json_number(r.baseline_volume)}
            for r in rows.itertuples(index=False)
        ]  # fmt: skip

    def to_json(self, path: str | Path | None = None) -> str:
        """The :meth:`to_dict` payload as sorted, indented JSON; written to ``path`` if given
        (atomically).

        Raises
        ------
        OutputError
            ``path`` cannot be written (named, with the reason).
        """
        text = dumps(self.to_dict())
        if path is not None:
            with _writing(Path(path)):
                atomic_write_bytes(path, (text + "\n").encode("utf-8"))
        return text

    def to_csv(self, folder: str | Path) -> list[Path]:
        """Write each of :meth:`tables` as ``<name>.csv`` into ``folder`` (each file atomically).

        Raises
        ------
        InfeasiblePlan
            The result has no plan: nothing is written, so a previous plan's CSV files in
            ``folder`` stay as they were.
        OutputError
            ``folder`` cannot be made or a file in it cannot be written (named).
        """
        out = Path(folder)
        if not self.has_plan:
            raise InfeasiblePlan(
                f"No CSV written to {out}: the solve ended {self.status}, there is no plan "
                "(the files already there are left as they were).",
                diagnosis=list(self.diagnosis),
            )
        written = []
        with _writing(out):
            if out.exists() and not out.is_dir():
                raise NotADirectoryError(20, "it is a file, not a folder", str(out))
            for name, frame in self.tables().items():
                path = out / f"{name}.csv"
                text = frame.to_csv(index=False, float_format="%.6f", lineterminator="\n")
                atomic_write_bytes(path, text.encode("utf-8"))
                written.append(path)
        return written


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Turn an OS error while writing ``path`` into an :class:`OutputError` naming it."""
    try:
        yield
    except OSError as exc:
        where = exc.filename or path
        raise OutputError(
            f"Cannot write {where}: {exc.strerror or exc}; give a path in a folder you can "
            "write to."
        ) from None


#: The JSON words for a site's change against today.
_CHANGE_WORDS = {"keeps": "keep", "starts": "start", "stops": "stop", "unknown": "unknown"}


@dataclass(frozen=True)
class TradeoffCurve:
    """Points of a trade-off curve, each a full :class:`ConcentrationResult`.

    Attributes
    ----------
    kind
        ``sites`` (travel against the number of sites) or ``disruption`` (travel against teams
        that stop or start, by disruption weight).
    points
        One row per point: ``value`` (number of sites or weight), ``status``, ``gap``,
        ``sites``, ``travel`` (patient-minutes a year), ``mean_minutes``, ``p90_minutes``,
        ``max_minutes``, ``stops``, ``starts``, ``seconds``.
    results
        The results, aligned with ``points``.
    """

    kind: str
    points: pd.DataFrame
    results: tuple[ConcentrationResult, ...]

    @classmethod
    def from_results(
        cls, kind: str, values: list[float], results: list[ConcentrationResult]
    ) -> TradeoffCurve:
        """The curve of ``results``, one per value (a number of sites or a weight)."""
        rows = []
        for v, r in zip(values, results, strict=True):
            overall = r.overall(r.indicators)
            rows.append(
                {
                    "value": v,
                    "status": r.status,
                    "gap": r.gap,
                    "sites": int(r.sites["offers"].sum()) if len(r.sites) else 0,
                    "travel": r.travel,
                    "mean_minutes": overall["mean_minutes"],
                    "p90_minutes": overall["p90_minutes"],
                    "max_minutes": overall["max_minutes"],
                    "stops": int((r.sites["change"] == "stops").sum()) if r.has_plan else None,
                    "starts": int((r.sites["change"] == "starts").sum()) if r.has_plan else None,
                    "seconds": r.seconds,
                }
            )
        return cls(kind=kind, points=pd.DataFrame(rows), results=tuple(results))

    @property
    def settings(self) -> Settings:
        """The settings of the curve's solves."""
        return self.results[0].settings if self.results else DEFAULT_SETTINGS

    @property
    def state_name(self) -> str:
        """The site state of the curve's solves."""
        return self.results[0].state_name if self.results else "custom"

    def summary(self) -> dict[str, Any]:
        """The kind of curve and its number of points."""
        return {"kind": self.kind, "points": len(self.points)}

    def tables(self) -> dict[str, pd.DataFrame]:
        """``points``."""
        return {"points": self.points}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready points."""
        return {"kind": self.kind, "points": json_records(self.points)}

    def to_json(self) -> str:
        """The :meth:`to_dict` payload as sorted, indented JSON."""
        return dumps(self.to_dict())
