r"""Complex-care concentration: which sites offer which complex intervention.

One class, :class:`ConcentrationModel`, built from explicit sparse inputs (demand per demand
point, and (demand point, site, minutes) pairs), solved by :meth:`ConcentrationModel.solve` into
an immutable :class:`ConcentrationResult`. :meth:`ConcentrationModel.tradeoff` computes a
trade-off curve (travel against the number of sites, or against disruption) in one call.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pulp

from zorglandschap.errors import DataError, InfeasiblePlan, ScenarioError, problems_to_error
from zorglandschap.indicators import weighted_quantile
from zorglandschap.optimise._blocks import Block, build_block
from zorglandschap.optimise._cuts import add_norm_cuts
from zorglandschap.optimise._formulation import Handles, Spec, build_problem
from zorglandschap.optimise._start import coarse_sites_start, lp_support_start
from zorglandschap.optimise._workers import solve_groups, worker_count
from zorglandschap.optimise.diagnosis import elastic_diagnosis, presolve_checks
from zorglandschap.optimise.solver import (
    STATUSES,
    SolveOutcome,
    Status,
    highs_available,
    solve_problem,
)
from zorglandschap.settings import DEFAULT_SETTINGS, Settings

__all__ = ["ConcentrationModel", "ConcentrationResult", "TradeoffCurve"]

_X_EPS = 1e-7
#: HiGHS options when a start plan is given: HiGHS' sub-MIP heuristics (RINS, RENS) and its
#: feasibility jump look for a plan the start already provides, and with a good incumbent cut
#: separation below the root costs more than it prunes (bladder 44 -> 27 s, liver 33 -> 23 s,
#: oesophagus 67 -> 55 s, pancreas 11 -> 9 s, stomach equal; bench/RESULTS.md).
_HIGHS_WITH_START: dict[str, bool | int | float | str] = {
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_allow_cut_separation_at_nodes": False,
}
_DIAGNOSIS_SECONDS = 30.0


# ---------------------------------------------------------------------------------------------
# result objects
# ---------------------------------------------------------------------------------------------


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
        Near-far rounds used.
    variables
        Assignment variables in the last model solved (after sparsification and merging).
    demand_level
        ``municipality``, ``pc4`` or ``custom``.
    travel
        Patient-minutes per year of the plan (the travel part of the objective).
    solve_log
        What the solution method did besides the final solve (e.g. the start plan per
        component), for transparency and benchmarks.
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

    def _overall(self, frame: pd.DataFrame | None) -> dict[str, float | None]:
        if frame is None or frame.empty:
            return {"mean_minutes": None, "p90_minutes": None, "max_minutes": None}
        row = frame[(frame["intervention"] == "all") & (frame["region"] == "all")]
        if row.empty:
            row = frame[frame["region"] == "all"]
        r = row.iloc[0]
        return {
            "mean_minutes": _r(r["mean_minutes"]),
            "p90_minutes": _r(r["p90_minutes"]),
            "max_minutes": _r(r["max_minutes"]),
            "share_beyond": _r(r["share_beyond"]),
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (stable keys; sorted lists; floats rounded to 6 decimals)."""
        offers = self.sites.loc[self.sites["offers"].astype(bool)].sort_values(
            ["intervention", "site_id"]
        )
        sites = [
            {
                "intervention": r.intervention,
                "site_id": r.site_id,
                "name": r.name,
                "region": r.region,
                "volume": _r(r.volume),
                "norm": _r(r.norm),
                "change": r.change,
            }
            for r in offers.itertuples(index=False)
        ]
        changes = [
            {
                "intervention": r.intervention,
                "site_id": r.site_id,
                "name": r.name,
                "change": r.change,
            }
            for r in self.changes().sort_values(["intervention", "site_id"]).itertuples(index=False)
        ]
        out: dict[str, Any] = {
            "status": self.status,
            "gap": _r(self.gap),
            "objective": _r(self.objective),
            "bound": _r(self.bound),
            "travel_patient_minutes": _r(self.travel),
            "seconds": round(self.seconds, 3),
            "build_seconds": round(self.build_seconds, 3),
            "solver": self.solver,
            "interventions": list(self.interventions),
            "demand_level": self.demand_level,
            "rounds": self.rounds,
            "variables": self.variables,
            "solve_log": list(self.solve_log),
            "sites": sites,
            "changes": changes,
            "diagnosis": list(self.diagnosis),
            "indicators": _records(self.indicators),
        }
        out.update(self._overall(self.indicators))
        if self.detail_indicators is not None:
            out["detail_indicators"] = _records(self.detail_indicators)
            out["detail"] = self._overall(self.detail_indicators)
        return out

    def to_json(self, path: str | Path | None = None) -> str:
        """The :meth:`to_dict` summary as sorted, indented JSON; written to ``path`` if given."""
        text = json.dumps(self.to_dict(), indent=2, sort_keys=True, ensure_ascii=False)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text

    def to_csv(self, folder: str | Path) -> list[Path]:
        """Write ``sites.csv``, ``flows.csv``, ``indicators.csv`` (and ``detail_indicators.csv``)."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        frames = {"sites": self.sites, "flows": self.flows, "indicators": self.indicators}
        if self.detail_indicators is not None:
            frames["detail_indicators"] = self.detail_indicators
        written = []
        for name, frame in frames.items():
            path = out / f"{name}.csv"
            frame.to_csv(path, index=False, float_format="%.6f", lineterminator="\n")
            written.append(path)
        return written


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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready points."""
        return {"kind": self.kind, "points": _records(self.points)}


def _r(value: Any, nd: int = 6) -> Any:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return value
    if math.isnan(f):
        return None
    if math.isinf(f):
        return None
    return round(f, nd)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _r(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def travel_indicators(
    flows: pd.DataFrame, *, threshold: Mapping[str, float], level: str
) -> pd.DataFrame:
    """Patient-weighted travel indicators per intervention and region (and in total).

    Parameters
    ----------
    flows
        Columns ``intervention, region, patients, minutes``.
    threshold
        Minutes beyond which patients count in ``share_beyond``, per intervention.
    level
        Label of the demand level (``municipality``, ``pc4``, ...).
    """
    rows: list[dict[str, Any]] = []
    f = flows[flows["patients"] > 0]
    groups: list[tuple[str, str, pd.DataFrame]] = []
    for p in sorted(f["intervention"].unique()):
        fp = f[f["intervention"] == p]
        groups.append((p, "all", fp))
        for reg in sorted(set(fp["region"].astype(str)) - {"all"}):
            groups.append((p, reg, fp[fp["region"].astype(str) == reg]))
    if f["intervention"].nunique() > 1:
        groups.append(("all", "all", f))
    for p, reg, g in groups:
        w = g["patients"].to_numpy(float)
        t = g["minutes"].to_numpy(float)
        t = np.where(np.isfinite(t), t, np.inf)
        thr = threshold[p] if p in threshold else min(threshold.values()) if threshold else math.inf
        if p == "all":
            thr_arr = g["intervention"].map(threshold).to_numpy(float)
        else:
            thr_arr = np.full(len(g), thr)
        finite = np.isfinite(t)
        rows.append(
            {
                "level": level,
                "intervention": p,
                "region": reg,
                "patients": float(w.sum()),
                "mean_minutes": float((w[finite] * t[finite]).sum() / w[finite].sum())
                if w[finite].sum() > 0
                else float("nan"),
                "p90_minutes": weighted_quantile(t, w, 0.9),
                "max_minutes": float(t.max()) if len(t) else float("nan"),
                "share_beyond": float(w[t > thr_arr + 1e-9].sum() / w.sum()) if w.sum() else 0.0,
                "beyond_minutes": thr if p != "all" else float("nan"),
            }
        )
    cols = [
        "level", "intervention", "region", "patients", "mean_minutes", "p90_minutes",
        "max_minutes", "share_beyond", "beyond_minutes",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def _per_intervention(
    value: Any, interventions: Sequence[str], name: str, problems: list[str]
) -> dict[str, Any]:
    """Spread a scalar over all interventions, or check a mapping's keys."""
    if isinstance(value, Mapping):
        unknown = sorted(set(value) - set(interventions))
        if unknown:
            problems.append(
                f"{name} names unknown intervention(s) {', '.join(map(str, unknown))}; "
                f"valid: {', '.join(interventions)}."
            )
        return {p: value.get(p) for p in interventions}
    return {p: value for p in interventions}


def _site_set(
    value: Iterable[str] | Mapping[str, Iterable[str]] | None,
    interventions: Sequence[str],
    name: str,
    known: set[str],
    problems: list[str],
) -> dict[str, frozenset[str] | None]:
    if value is None:
        return {p: None for p in interventions}
    if isinstance(value, str):
        value = [value]
    spread = _per_intervention(value, interventions, name, problems)
    out: dict[str, frozenset[str] | None] = {}
    for p, sites in spread.items():
        if sites is None:
            out[p] = None if isinstance(value, Mapping) else frozenset()
            continue
        sset = frozenset([sites] if isinstance(sites, str) else sites)
        unknown = sorted(sset - known)
        if unknown:
            problems.append(
                f"{name} for {p} names unknown site(s) {', '.join(unknown)}; use site ids from "
                "the sites table (e.g. `zorglandschap data`)."
            )
        out[p] = sset & known
    return out


def _components(interventions: Sequence[str], groups: Sequence[tuple[str, ...]]) -> list[list[str]]:
    parent = {p: p for p in interventions}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for g in groups:
        present = [p for p in g if p in parent]
        for q in present[1:]:
            parent[find(q)] = find(present[0])
    comps: dict[str, list[str]] = {}
    for p in interventions:
        comps.setdefault(find(p), []).append(p)
    return sorted((sorted(c) for c in comps.values()), key=lambda c: c[0])


_STATUS_RANK = {"optimal": 0, "feasible": 1, "no_solution": 2, "infeasible": 3}


# ---------------------------------------------------------------------------------------------
# the model
# ---------------------------------------------------------------------------------------------


class ConcentrationModel:
    r"""Concentrate complex interventions on the sites that offer them.

    Sets: demand points :math:`i \in I`, candidate sites :math:`j \in J_p` (eligible, not
    closed), interventions :math:`p \in P`, regions :math:`r \in R` with sites
    :math:`J_{pr} \subseteq J_p`; reachable pairs :math:`A_p = \{(i, j): t_{ij} \le T_p\}`.

    Parameters: patients per year :math:`d_{ip}`, travel minutes :math:`t_{ij}`, volume norm
    :math:`V_p`, capacity :math:`C_{jp}`, maximum travel time :math:`T_p`, region guarantee
    :math:`k_{pr}`, site bounds :math:`\underline{n}_p, \overline{n}_p`, baseline
    :math:`b_{jp} \in \{0,1\}` (offers today), disruption weights :math:`w^{stop}, w^{start}`.

    Variables: :math:`y_{jp} \in \{0,1\}` (site j offers p), :math:`x_{ijp} \in [0,1]` (share of
    i's patients for p treated at j), created only for :math:`(i,j) \in A_p`.

    .. math::

        \min \; & \sum_p \sum_{(i,j) \in A_p} d_{ip} t_{ij} x_{ijp}
              + w^{stop} \sum_{b_{jp}=1} (1 - y_{jp}) + w^{start} \sum_{b_{jp}=0} y_{jp} \\
        \text{s.t.} \; & \sum_{j:(i,j) \in A_p} x_{ijp} = 1 & \forall i, p
                     & \text{(every patient served within } T_p) \\
        & x_{ijp} \le y_{jp} & \forall (i,j) \in A_p, p \\
        & \sum_i d_{ip} x_{ijp} \ge V_p \, y_{jp} & \forall j, p & \text{(volume norm)} \\
        & \sum_i d_{ip} x_{ijp} \le C_{jp} \, y_{jp} & \forall j, p & \text{(capacity)} \\
        & \underline{n}_p \le \sum_j y_{jp} \le \overline{n}_p & \forall p \\
        & \sum_{j \in J_{pr}} y_{jp} \ge k_{pr} & \forall p, r & \text{(region guarantee)} \\
        & y_{jp} = y_{jq} & \forall j, \{p, q\} \text{ shared} \\
        & \sum_{k: t_{ik} \le t_{ij}} x_{ikp} \ge y_{jp} & \forall (i,j) \in A_p
                     & \text{(closest assignment, optional)}

    plus forced sites (:math:`y_{jp} = 1` or the site removed from :math:`J_p`).

    Solution method (all exact):

    * demand points with identical reach (same sites, same minutes) are merged;
    * valid inequalities :math:`V_p \sum_j y_{jp} \le \sum_i d_{ip}` and, per region,
      :math:`V_p \sum_{j \in J_{pr}} y_{jp} \le` the demand that can reach :math:`J_{pr}`;
      sites that cannot reach :math:`V_p` patients are fixed closed;
    * **near-far sparsification with re-solve**: each demand point keeps x variables for its
      K nearest sites only (ties included); its remaining sites are replaced by one *far*
      variable :math:`f_{ip}` priced at the travel time to its nearest omitted site, whose
      patients enter a pool :math:`\sum_j w_{jp} = \sum_i d_{ip} f_{ip}` that may count towards
      any site's norm (:math:`w_{jp} \le y_{jp} \sum_{i: j \text{ far for } i} d_{ip}`). This is a
      relaxation of the full model, so its bound is valid; when its optimum uses no far
      variable, the plan is feasible for the full model and therefore optimal. Otherwise the
      near sets of the points using far variables are doubled and the model re-solved;
    * interventions not coupled by shared sites are solved as separate models (exact);
    * a **start plan**: the best plan on the sites the LP relaxation opens (a restriction of the
      model, so a valid incumbent) is handed to the solver; speed only, never the optimum.

    Parameters
    ----------
    demand
        Patients per year; index demand ids, one column per intervention.
    pairs
        Columns ``demand_id``, ``site_id``, ``minutes``. Pairs beyond the maximum travel time
        may be included (they are used to diagnose infeasibility).
    norms
        Volume norm per intervention (patients per year per site). Required for every
        intervention: a norm is never defaulted.
    max_minutes
        Maximum travel time, minutes, one value or per intervention (default
        ``settings.concentration.max_minutes``; ``math.inf`` for none).
    sites
        Site table, index ``site_id``; optional columns ``name`` and ``region``. Default: the
        site ids in ``pairs``.
    capacity
        Maximum patients a year per site: a Series (all interventions) or a DataFrame (index site
        id, one column per intervention).
    baseline
        Which sites offer each intervention today: mapping intervention -> site ids.
    baseline_volume
        Columns ``intervention, site_id, volume, source`` (known or estimated volumes).
    min_sites, max_sites
        Bounds on the number of offering sites (one value or per intervention).
    per_region
        At least this many sites per region (sites' ``region`` column): one integer for every
        region, or a mapping region -> integer.
    open_sites, closed_sites
        Sites forced to offer / not to offer (site ids, or mapping intervention -> site ids).
    eligible
        Candidate sites (site ids, or mapping intervention -> site ids). Default: all sites.
    share_sites
        Groups of interventions that must be offered at the same sites.
    closest_assignment
        Patients go to their nearest offering site (ties may split).
    stop_weight, start_weight
        Patient-minutes a year that one stopping / starting team weighs (default
        ``settings.concentration.disruption_weight``).
    demand_region, demand_names
        Region and display name of each demand id (for indicators and diagnosis).
    detail, detail_pairs
        Optional finer demand (e.g. PC4) for reporting a plan solved on aggregated demand:
        ``detail`` has columns ``detail_id``, ``demand_id`` and one per intervention;
        ``detail_pairs`` has ``detail_id, site_id, minutes``.
    region_label
        Word for regions in messages (``ROAZ region``).
    demand_level
        Label of the demand level (``municipality``, ``pc4``, ``custom``).
    beyond_limit
        What to do with demand points that have no candidate site within the maximum time:
        ``error`` (the plan is infeasible, with a diagnosis) or ``exempt`` (the limit does not
        apply to them — e.g. the Wadden islands, beyond 90 minutes of any hospital — and the
        result names them).
    coarse
        The same question on coarser demand (e.g. municipalities for a PC4 model): its plan,
        solved first to ``settings.concentration.start_gap``, gives the start plan's sites.
        Speed only: the model itself is still solved to the gap tolerance.
    settings
        Settings.

    Examples
    --------
    >>> import pandas as pd
    >>> demand = pd.Series({"a": 12.0, "b": 10.0, "c": 9.0}, name="p")
    >>> pairs = pd.DataFrame({"demand_id": ["a", "a", "b", "b", "c"],
    ...                       "site_id": ["S1", "S2", "S1", "S2", "S2"],
    ...                       "minutes": [10.0, 30.0, 20.0, 15.0, 5.0]})
    >>> result = ConcentrationModel.from_pairs(demand, pairs, norm=20).solve(solver="cbc")
    >>> result.status, result.offering(), round(result.travel, 1)
    ('optimal', ['S2'], 555.0)
    """

    def __init__(
        self,
        demand: pd.DataFrame,
        pairs: pd.DataFrame,
        *,
        norms: Mapping[str, float],
        max_minutes: float | Mapping[str, float] | None = None,
        sites: pd.DataFrame | None = None,
        capacity: pd.Series | pd.DataFrame | None = None,
        baseline: Mapping[str, Iterable[str]] | None = None,
        baseline_volume: pd.DataFrame | None = None,
        min_sites: int | Mapping[str, int] | None = None,
        max_sites: int | Mapping[str, int] | None = None,
        per_region: int | Mapping[str, int] = 0,
        open_sites: Iterable[str] | Mapping[str, Iterable[str]] | None = None,
        closed_sites: Iterable[str] | Mapping[str, Iterable[str]] | None = None,
        eligible: Iterable[str] | Mapping[str, Iterable[str]] | None = None,
        share_sites: Sequence[Sequence[str]] = (),
        closest_assignment: bool = False,
        stop_weight: float | None = None,
        start_weight: float | None = None,
        demand_region: pd.Series | None = None,
        demand_names: pd.Series | None = None,
        detail: pd.DataFrame | None = None,
        detail_pairs: pd.DataFrame | None = None,
        region_label: str = "region",
        demand_level: str = "custom",
        beyond_limit: str = "error",
        coarse: ConcentrationModel | None = None,
        settings: Settings = DEFAULT_SETTINGS,
    ) -> None:
        self._options: dict[str, Any] = {
            k: v for k, v in locals().items() if k not in ("self", "demand", "pairs")
        }
        self._options.pop("__class__", None)
        self._demand_in = demand
        self._pairs_in = pairs
        problems: list[str] = []
        # -- demand ----------------------------------------------------------------------
        if not isinstance(demand, pd.DataFrame):
            raise DataError(
                "demand must be a DataFrame: index demand ids, one column per intervention."
            )
        dem = demand.copy()
        dem.index = dem.index.astype(str)
        dem.columns = [str(c) for c in dem.columns]
        if dem.index.has_duplicates:
            problems.append("demand has duplicate demand ids; give one row per demand point.")
        interventions = sorted(dem.columns)
        if not interventions:
            problems.append("demand has no intervention columns.")
        for p in interventions:
            col = pd.to_numeric(dem[p], errors="coerce")
            bad = col.isna() | (col < 0)
            if bad.any():
                problems.append(
                    f"demand column {p!r} has {int(bad.sum())} missing or negative value(s) "
                    f"(e.g. demand id {dem.index[bad][0]}); give patients a year >= 0."
                )
            dem[p] = col.fillna(0.0).clip(lower=0.0).astype(float)
        # -- pairs -----------------------------------------------------------------------
        missing = [c for c in ("demand_id", "site_id", "minutes") if c not in pairs.columns]
        if missing:
            raise DataError(
                f"pairs lacks column(s) {', '.join(missing)}; give demand_id, site_id, minutes."
            )
        pr = pairs[["demand_id", "site_id", "minutes"]].copy()
        pr["demand_id"] = pr["demand_id"].astype(str)
        pr["site_id"] = pr["site_id"].astype(str)
        pr["minutes"] = pd.to_numeric(pr["minutes"], errors="coerce")
        bad = pr["minutes"].isna() | (pr["minutes"] < 0)
        if bad.any():
            problems.append(
                f"pairs has {int(bad.sum())} missing or negative minutes (e.g. "
                f"{pr.loc[bad, 'demand_id'].iloc[0]} -> {pr.loc[bad, 'site_id'].iloc[0]}); "
                "give travel minutes >= 0."
            )
        if pr.duplicated(["demand_id", "site_id"]).any():
            problems.append(
                "pairs has duplicate (demand_id, site_id) rows; give one time per pair."
            )
        unknown_dem = sorted(set(pr["demand_id"]) - set(dem.index))
        if unknown_dem:
            problems.append(
                f"pairs names {len(unknown_dem)} demand id(s) not in demand, e.g. {unknown_dem[0]}."
            )
        # -- sites -----------------------------------------------------------------------
        if sites is None:
            st = pd.DataFrame(index=pd.Index(sorted(set(pr["site_id"])), name="site_id"))
        else:
            st = sites.copy()
            st.index = st.index.astype(str)
        if "name" not in st.columns:
            st["name"] = st.index
        if "region" not in st.columns:
            st["region"] = None
        known_sites = set(st.index)
        unknown_sites = sorted(set(pr["site_id"]) - known_sites)
        if unknown_sites:
            problems.append(
                f"pairs names {len(unknown_sites)} site id(s) not in the sites table, e.g. "
                f"{unknown_sites[0]}."
            )
        # -- per-intervention options ----------------------------------------------------
        cs = settings.concentration
        norm_map = _per_intervention(norms, interventions, "norms", problems)
        for p in interventions:
            v = norm_map.get(p)
            if v is None or (isinstance(v, float) and math.isnan(v)):
                problems.append(
                    f"No volume norm for intervention {p!r}: a norm is never defaulted. Pass "
                    f"norms={{'{p}': 20}} (or --norm on the command line, or set it in a scenario)."
                )
            elif float(v) < 0:
                problems.append(f"The norm for {p!r} is {v}; give patients a year >= 0.")
        tmax = _per_intervention(
            cs.max_minutes if max_minutes is None else max_minutes,
            interventions,
            "max_minutes",
            problems,
        )
        for p, t in tmax.items():
            if t is None:
                tmax[p] = cs.max_minutes
            elif float(t) <= 0:
                problems.append(f"max_minutes for {p!r} is {t}; give a positive number of minutes.")
        mins = _per_intervention(min_sites, interventions, "min_sites", problems)
        maxs = _per_intervention(max_sites, interventions, "max_sites", problems)
        for label, bounds in (("min_sites", mins), ("max_sites", maxs)):
            for p, n in bounds.items():
                if n is not None and int(n) < 0:
                    problems.append(f"{label} for {p!r} is {n}; give a count >= 0.")
        regions_known = sorted({str(r) for r in st["region"].dropna()})
        if isinstance(per_region, Mapping):
            unknown_reg = sorted(set(map(str, per_region)) - set(regions_known))
            if unknown_reg:
                problems.append(
                    f"per_region names unknown region(s) {', '.join(unknown_reg)}; valid: "
                    f"{', '.join(regions_known) or '(the sites table has no region column)'}."
                )
            region_req = {str(r): int(k) for r, k in per_region.items()}
        else:
            if int(per_region) > 0 and not regions_known:
                problems.append(
                    "per_region asks for sites per region, but the sites table has no 'region' "
                    "column; add one (e.g. the ROAZ code)."
                )
            region_req = {r: int(per_region) for r in regions_known}
        if any(k < 0 for k in region_req.values()):
            problems.append("per_region values must be >= 0.")
        forced_open = _site_set(open_sites, interventions, "open_sites", known_sites, problems)
        forced_closed = _site_set(
            closed_sites, interventions, "closed_sites", known_sites, problems
        )
        elig = _site_set(eligible, interventions, "eligible", known_sites, problems)
        shares: list[tuple[str, ...]] = []
        for g in share_sites:
            grp = tuple(sorted({str(x) for x in g}))
            unknown_p = [x for x in grp if x not in interventions]
            if unknown_p:
                problems.append(
                    f"share_sites names unknown intervention(s) {', '.join(unknown_p)}; valid: "
                    f"{', '.join(interventions)}."
                )
            if len(grp) >= 2:
                shares.append(grp)
        cap_map: dict[str, dict[str, float]] = {p: {} for p in interventions}
        if capacity is not None:
            if isinstance(capacity, pd.DataFrame):
                for p in capacity.columns:
                    if str(p) in cap_map:
                        cap_map[str(p)] = {
                            str(k): float(v) for k, v in capacity[p].dropna().items()
                        }
            else:
                for p in interventions:
                    cap_map[p] = {str(k): float(v) for k, v in capacity.dropna().items()}
        base: dict[str, frozenset[str]] = {p: frozenset() for p in interventions}
        if baseline is not None:
            for p, ss in baseline.items():
                if str(p) in base:
                    base[str(p)] = frozenset(str(s) for s in ss) & known_sites
        for p in interventions:
            fo, fc = forced_open[p] or frozenset(), forced_closed[p] or frozenset()
            both = sorted(fo & fc)
            if both:
                problems.append(
                    f"{p}: site(s) {', '.join(both)} are forced both open and closed; choose one."
                )
        if beyond_limit not in ("error", "exempt"):
            problems.append(f"beyond_limit is {beyond_limit!r}; valid: 'error', 'exempt'.")
        problems_to_error(problems, kind=ScenarioError)

        self.beyond_limit = beyond_limit
        self.coarse = coarse
        self.interventions: tuple[str, ...] = tuple(interventions)
        self.demand = dem[interventions]
        self.pairs = pr.sort_values(["demand_id", "site_id"]).reset_index(drop=True)
        self.sites = st.sort_index()
        self.share_sites: tuple[tuple[str, ...], ...] = tuple(sorted(shares))
        self.closest_assignment = bool(closest_assignment)
        self.stop_weight = float(cs.disruption_weight if stop_weight is None else stop_weight)
        self.start_weight = float(cs.disruption_weight if start_weight is None else start_weight)
        self.settings = settings
        self.region_label = region_label
        self.demand_level = demand_level
        self.demand_region = (
            demand_region.rename(index=str).astype(str) if demand_region is not None else None
        )
        self.demand_names = (
            demand_names.rename(index=str).astype(str) if demand_names is not None else None
        )
        self.detail = detail
        self.detail_pairs = detail_pairs
        self.baseline_volume = baseline_volume
        self._site_region = {str(k): str(v) for k, v in self.sites["region"].dropna().items()}
        self._candidates: dict[str, list[str]] = {}
        self.specs: dict[str, Spec] = {}
        for p in interventions:
            allowed = elig[p]
            cand = set(allowed) if allowed is not None else set(known_sites)
            cand -= forced_closed[p] or frozenset()
            self._candidates[p] = sorted(cand)
            self.specs[p] = Spec(
                intervention=p,
                norm=float(norm_map[p]),
                max_minutes=float(tmax[p]),
                min_sites=None if mins[p] is None else int(mins[p]),
                max_sites=None if maxs[p] is None else int(maxs[p]),
                per_region={r: k for r, k in region_req.items() if k > 0},
                force_open=forced_open[p] or frozenset(),
                capacity=cap_map[p],
                baseline=base[p],
            )
        self._blocks: dict[str, Block] | None = None

    # -- constructors ------------------------------------------------------------------------

    @classmethod
    def from_pairs(
        cls,
        demand: pd.Series,
        pairs: pd.DataFrame,
        *,
        norm: float,
        intervention: str | None = None,
        **options: Any,
    ) -> ConcentrationModel:
        """One intervention from a demand Series and (demand_id, site_id, minutes) pairs.

        Parameters
        ----------
        demand
            Patients per year per demand id.
        pairs
            Columns ``demand_id, site_id, minutes``.
        norm
            Volume norm (patients per year per site).
        intervention
            Intervention id (default: the Series name, else ``"intervention"``).
        **options
            Any keyword option of :class:`ConcentrationModel`.
        """
        p = intervention or (str(demand.name) if demand.name is not None else "intervention")
        frame = demand.astype(float).to_frame(p)
        if "baseline" in options and not isinstance(options["baseline"], Mapping):
            options["baseline"] = {p: options["baseline"]}
        return cls(frame, pairs, norms={p: norm}, **options)

    @classmethod
    def from_landscape(
        cls,
        landscape: Any,
        interventions: str | Sequence[str],
        **options: Any,
    ) -> ConcentrationModel:
        """Build from the embedded Netherlands; see :func:`zorglandschap.optimise.landscape_model`."""
        from zorglandschap.optimise.national import landscape_model

        return landscape_model(landscape, interventions, **options)

    def replace(self, **changes: Any) -> ConcentrationModel:
        """A new model with some options changed (the data are shared, never mutated)."""
        unknown = sorted(set(changes) - set(self._options))
        if unknown:
            raise ScenarioError(
                f"Unknown option(s) {', '.join(unknown)}; valid: {', '.join(sorted(self._options))}."
            )
        opts = {**self._options, **changes}
        return ConcentrationModel(self._demand_in, self._pairs_in, **opts)

    # -- data blocks -------------------------------------------------------------------------

    def blocks(self) -> dict[str, Block]:
        """Reach blocks per intervention (merged demand points, sorted reach)."""
        if self._blocks is None:
            self._blocks = {
                p: build_block(
                    p,
                    self.demand[p],
                    self.pairs,
                    self._candidates[p],
                    self.specs[p].max_minutes,
                    exempt_unreachable=self.beyond_limit == "exempt",
                )
                for p in self.interventions
            }
        return self._blocks

    # -- solving -----------------------------------------------------------------------------

    def solve(
        self,
        *,
        solver: str | None = None,
        time_limit: float | None = None,
        gap: float | None = None,
    ) -> ConcentrationResult:
        """Solve to proven optimality within ``gap``, or as far as ``time_limit`` allows.

        Parameters
        ----------
        solver
            ``auto``/None (HiGHS when available, else CBC), ``highs`` or ``cbc``.
        time_limit
            Wall-time budget in seconds for all rounds together (default
            ``settings.solver.time_limit_seconds``).
        gap
            Relative gap tolerance (default ``settings.solver.gap``).

        Returns
        -------
        ConcentrationResult
            Never raises for an infeasible plan: the result says ``infeasible`` and carries the
            diagnosis. Use :meth:`ConcentrationResult.raise_for_status` to raise instead.
        """
        start = time.perf_counter()
        budget = (
            self.settings.solver.time_limit_seconds if time_limit is None else float(time_limit)
        )
        deadline = start + budget
        build_s = 0.0
        t0 = time.perf_counter()
        blocks = self.blocks()
        build_s += time.perf_counter() - t0
        names = self._names()
        site_names = {str(k): str(v) for k, v in self.sites["name"].items()}
        problems = presolve_checks(
            [blocks[p] for p in self.interventions],
            self.specs,
            pairs=self.pairs,
            demand=self.demand,
            site_region=self._site_region,
            candidates=self._candidates,
            share_groups=self.share_sites,
            demand_names=names,
            site_names=site_names,
            region_label=self.region_label,
        )
        if problems:
            diag = list(problems)
            if not any(blocks[p].unreachable for p in self.interventions):
                diag += self._elastic(blocks, solver, deadline, gap)
            return self._empty_result("infeasible", diag, start, build_s, solver)

        outcomes: list[SolveOutcome] = []
        values: dict[str, Any] = {"y": {}, "x": {}}
        rounds = 0
        n_vars = 0
        notes: list[str] = []
        solve_log: list[str] = []
        for p in self.interventions:
            ex = blocks[p].exempt
            if ex:
                patients = float(self.demand.loc[list(ex), p].sum())
                shown = ", ".join(names.get(i, i) for i in ex[:6]) + (" …" if len(ex) > 6 else "")
                notes.append(
                    f"{p}: {len(ex)} demand point(s) with {patients:.1f} patients a year have no "
                    f"eligible site within {self.specs[p].max_minutes:g} minutes ({shown}); the "
                    "limit does not apply to them (beyond_limit='exempt')."
                )
        coarse_sites = None
        if self.coarse is not None and self.settings.concentration.start_plan:
            left = max(deadline - time.perf_counter(), 1.0)
            c = self.coarse.solve(
                solver=solver,
                time_limit=min(self.settings.concentration.coarse_seconds, left),
                gap=self.settings.concentration.start_gap,
            )
            solve_log.append(
                f"coarse plan ({c.demand_level}): {c.status} in {c.seconds:.1f} s, "
                f"{len(c.offering())} site offer(s)"
            )
            if c.has_plan:
                coarse_sites = {p: c.offering(p) for p in self.interventions}
        groups = _components(self.interventions, self.share_sites)
        results = solve_groups(
            self,
            groups,
            blocks=blocks,
            solver=solver,
            deadline=deadline,
            gap=gap,
            coarse_sites=coarse_sites,
            workers=worker_count(
                self.settings.concentration.workers,
                len(groups),
                pairs=sum(int(b.order_start[-1]) for b in blocks.values()),
                min_pairs=self.settings.concentration.worker_min_pairs,
            ),
        )
        for comp, res in zip(groups, results, strict=True):
            if len(groups) > 1:
                # several groups: each line says which one it is about
                res["log"] = [f"{'+'.join(comp)}: {line}" for line in res["log"]]
            outcomes.append(res["outcome"])
            build_s += res["build_seconds"]
            rounds = max(rounds, res["rounds"])
            n_vars += res["variables"]
            notes += res["notes"]
            solve_log += res["log"]
            if res["outcome"].status in ("optimal", "feasible"):
                values["y"].update(res["y"])
                values["x"].update(res["x"])
        status = max((o.status for o in outcomes), key=lambda s: _STATUS_RANK[s])
        solver_name = outcomes[0].solver if outcomes else "none"
        if status == "infeasible":
            diag = [
                "The solver proved that no plan meets all requirements; the counting checks "
                "found no single cause."
            ] + self._elastic(blocks, solver, deadline, gap)
            return self._empty_result("infeasible", diag, start, build_s, solver_name)
        if status == "no_solution":
            diag = [
                f"No plan found within the time limit of {budget:g} s; raise the time limit."
            ] + notes
            return self._empty_result("no_solution", diag, start, build_s, solver_name)
        objective = float(sum(o.objective or 0.0 for o in outcomes))
        bound_parts = [o.bound for o in outcomes]
        bound = (
            float(sum(b for b in bound_parts if b is not None)) if None not in bound_parts else None
        )
        from zorglandschap.optimise.solver import relative_gap

        achieved = relative_gap(objective, bound)
        return self._result(
            status=status,
            objective=objective,
            bound=bound,
            gap=achieved,
            values=values,
            blocks=blocks,
            start=start,
            build_s=build_s,
            solver_name=solver_name,
            rounds=rounds,
            n_vars=n_vars,
            notes=notes,
            solve_log=solve_log,
        )

    def _names(self) -> dict[str, str]:
        if self.demand_names is None:
            return {}
        return dict(self.demand_names.items())

    def _solve_component(
        self,
        comp: list[str],
        blocks: dict[str, Block],
        solver: str | None,
        deadline: float,
        gap: float | None,
        coarse_sites: Mapping[str, Sequence[str]] | None = None,
    ) -> dict[str, Any]:
        cs = self.settings.concentration
        blks = [blocks[p] for p in comp]
        full = {p: np.diff(blocks[p].order_start) for p in comp}
        near = {
            p: np.array(
                [blocks[p].near_count(m, cs.near_sites) for m in range(blocks[p].n_points)],
                dtype=np.int64,
            )
            for p in comp
        }
        if self.closest_assignment:
            near = {p: full[p].copy() for p in comp}
        build_s = 0.0
        highs_opts: dict[str, bool | int | float | str] = {
            "mip_allow_restart": bool(cs.highs_restart)
        }
        if self.coarse is not None and cs.fine_root_lp != "choose":
            # fine demand: the root LP is most of the work (docs/concentration.md §3)
            highs_opts["mip_lp_solver"] = cs.fine_root_lp
        start_log: list[str] = []
        best_bound: float | None = None
        notes: list[str] = []
        rounds = 0
        outcome: SolveOutcome | None = None
        handles: Handles | None = None
        name = f"concentration_{'_'.join(comp)}"[:60]

        def build(
            far: bool | str,
            near_sets: Mapping[str, np.ndarray],
            *,
            named: str = "concentration",
            on: Sequence[Block] | None = None,
        ) -> Any:
            """Build the problem for this component (or ``on`` other blocks), timed."""
            nonlocal build_s
            t0 = time.perf_counter()
            built = build_problem(
                blks if on is None else on,
                self.specs,
                near_sets,
                site_region=self._site_region,
                share_groups=self.share_sites,
                closest=self.closest_assignment,
                stop_weight=self.stop_weight,
                start_weight=self.start_weight,
                far=far,
                name=named,
            )
            build_s += time.perf_counter() - t0
            return built

        def run(
            prob: Any,
            *,
            min_seconds: float = 1.0,
            tuned: bool = True,
            time_limit: float | None = None,
            **kw: Any,
        ) -> SolveOutcome:
            """Solve within what is left of the deadline (at least ``min_seconds``)."""
            left = max(deadline - time.perf_counter(), min_seconds)
            kw.setdefault("gap", gap)
            return solve_problem(
                prob,
                solver=solver,
                time_limit=left if time_limit is None else min(left, time_limit),
                highs_options=highs_opts if tuned else None,
                settings=self.settings,
                **kw,
            )

        if cs.strategy == "aggregate":
            prob, handles = build("aggregate", near, named=name)
            start = None

            def build_start(on: Sequence[Block], sets: Mapping[str, np.ndarray]) -> Any:
                return build(False, sets, on=on, named="start")

            def run_start(pr: Any, **kw: Any) -> SolveOutcome:
                return run(pr, tuned=False, **kw)

            tightened = None
            if cs.norm_cuts and self.coarse is not None:
                # fine demand (PC4): one LP relaxation takes most of a minute, so separation
                # rounds would eat the time limit and make the model depend on machine speed
                start_log.append("norm cuts: not used on fine demand (the LP alone is too slow)")
            elif cs.norm_cuts and highs_available():
                tightened = add_norm_cuts(
                    prob,
                    handles,
                    blks,
                    {p: self.specs[p].norm for p in comp},
                    max_rounds=cs.cut_rounds,
                    min_gain=cs.cut_min_gain,
                    time_limit=max(min(cs.start_seconds, deadline - time.perf_counter()), 1.0),
                    threads=self.settings.solver.threads,
                )
                start_log.append(
                    tightened.line
                    if tightened is not None
                    else "norm cuts: LP relaxation not solved, none added"
                )
            from_coarse = False
            if cs.start_plan and coarse_sites is not None:
                start, line = coarse_sites_start(
                    blks,
                    coarse_sites,
                    build_restricted=build_start,
                    run=run_start,
                    gap=cs.start_gap,
                    time_limit=cs.start_seconds,
                )
                start_log.append(line)
                from_coarse = start is not None
            if cs.start_plan and start is None:
                start, line = lp_support_start(
                    prob,
                    handles,
                    blks,
                    build_restricted=build_start,
                    run=run_start,
                    near_sites=cs.start_near_sites,
                    gap=cs.start_gap,
                    time_limit=cs.start_seconds,
                    openings=None if tightened is None else tightened.openings,
                )
                start_log.append(line)
            if tightened is not None and tightened.cuts and start is not None:
                plan = float(prob.objective.constant or 0.0) + sum(
                    c * start.get(v.name, 0.0) for v, c in prob.objective.items()
                )
                closed = tightened.share_closed(plan)
                if closed < cs.cut_keep_share:
                    tightened.remove(prob)
                    start_log.append(
                        f"norm cuts: taken out again, they close only {closed:.0%} of the gap "
                        f"between the LP bound and the start plan (< {cs.cut_keep_share:.0%})"
                    )
            if start is not None and not from_coarse:
                # a coarse plan is a good start but not the fine optimum: HiGHS' sub-MIP
                # heuristics stay on to improve it
                highs_opts = {**highs_opts, **_HIGHS_WITH_START}
            t_mip = time.perf_counter()
            outcome = run(prob, start=start)
            start_log.append(f"MILP: {outcome.status} in {time.perf_counter() - t_mip:.1f} s")
            rounds = 1
        while cs.strategy == "pool":
            rounds += 1
            last = rounds > cs.max_rounds
            if last:
                near = {p: full[p].copy() for p in comp}
            prob, h = build(True, near, named=name)
            outcome = run(prob)
            handles = h
            if outcome.status in ("infeasible", "no_solution"):
                break
            if outcome.bound is not None:
                best_bound = outcome.bound if best_bound is None else max(best_bound, outcome.bound)
            using = {
                p: [m for m, fv in h.far[p].items() if (fv.varValue or 0.0) > cs.far_tolerance]
                for p in comp
            }
            if not any(using.values()):
                break
            if time.perf_counter() >= deadline or last:
                # time is up with far flows in the relaxation: fall back to the restriction
                prob, h = build(False, near)
                restricted = run(prob, min_seconds=5.0, tuned=False)
                handles = h
                if restricted.status in ("optimal", "feasible"):
                    outcome = _as_feasible(restricted, best_bound)
                else:
                    outcome = _replace_status(restricted, "no_solution")
                notes.append(
                    "The near-far rounds ran out of time; the plan is the best one on the near "
                    "sets and its gap is measured against the relaxation's bound."
                )
                break
            for p in comp:
                for m in using[p]:
                    near[p][m] = blocks[p].near_count(m, 2 * int(near[p][m]))
        assert outcome is not None and handles is not None
        if outcome.status in ("optimal", "feasible") and best_bound is not None:
            if outcome.bound is None or best_bound > outcome.bound:
                outcome = _with_bound(outcome, best_bound)
        y_vals: dict[tuple[str, str], float] = {}
        x_vals: dict[tuple[str, int, int], float] = {}
        if outcome.status in ("optimal", "feasible"):
            for p in comp:
                for j, v in handles.y[p].items():
                    y_vals[(p, blocks[p].sites[j])] = float(v.varValue or 0.0)
                for m, j, v in handles.x[p]:
                    val = float(v.varValue or 0.0)
                    if val > _X_EPS:
                        x_vals[(p, m, j)] = val
        return {
            "outcome": outcome,
            "build_seconds": build_s,
            "rounds": rounds,
            "log": start_log,
            "variables": handles.n_x,
            "notes": notes,
            "y": y_vals,
            "x": x_vals,
        }

    def _elastic(
        self,
        blocks: dict[str, Block],
        solver: str | None,
        deadline: float,
        gap: float | None,
    ) -> list[str]:
        blks = [blocks[p] for p in self.interventions]
        full = {p: np.diff(blocks[p].order_start) for p in self.interventions}

        def run(mode: str) -> tuple[str, dict[str, object]]:
            prob, h = build_problem(
                blks,
                self.specs,
                full,
                site_region=self._site_region,
                share_groups=self.share_sites,
                closest=self.closest_assignment,
                stop_weight=0.0,
                start_weight=0.0,
                elastic=frozenset([mode]),
                far=False,
                name=f"elastic_{mode}",
            )
            limit = max(min(_DIAGNOSIS_SECONDS, deadline - time.perf_counter()), 5.0)
            out = solve_problem(
                prob, solver=solver, time_limit=limit, gap=gap, settings=self.settings
            )
            vals: dict[str, object] = {
                "sigma": {p: v.varValue or 0.0 for p, v in h.sigma.items()},
                "region": {k: v.varValue or 0.0 for k, v in h.region_slack.items()},
                "max": {p: v.varValue or 0.0 for p, v in h.max_slack.items()},
                "min": {p: v.varValue or 0.0 for p, v in h.min_slack.items()},
                "unserved": {
                    p: sum(float(blocks[p].demand[m]) * (u.varValue or 0.0) for m, u in us.items())
                    for p, us in h.unserved.items()
                },
            }
            return out.status, vals

        return elastic_diagnosis(self.specs, run, region_label=self.region_label)

    # -- result assembly ---------------------------------------------------------------------

    def _empty_result(
        self, status: Status, diagnosis: list[str], start: float, build_s: float, solver: str | None
    ) -> ConcentrationResult:
        empty_sites = self._site_table({}, {})
        return ConcentrationResult(
            status=status,
            gap=None,
            objective=None,
            bound=None,
            seconds=time.perf_counter() - start,
            build_seconds=build_s,
            solver=solver or "none",
            interventions=self.interventions,
            sites=empty_sites,
            flows=pd.DataFrame(
                columns=["intervention", "demand_id", "site_id", "patients", "share", "minutes"]
            ),
            indicators=travel_indicators(
                pd.DataFrame(columns=["intervention", "region", "patients", "minutes"]),
                threshold={},
                level=self.demand_level,
            ),
            detail_indicators=None,
            diagnosis=tuple(diagnosis),
            rounds=0,
            variables=0,
            demand_level=self.demand_level,
            travel=None,
        )

    def _site_table(
        self, offers: Mapping[tuple[str, str], bool], volume: Mapping[tuple[str, str], float]
    ) -> pd.DataFrame:
        rows = []
        bv: dict[tuple[str, str], tuple[float, str]] = {}
        if self.baseline_volume is not None and len(self.baseline_volume):
            for r in self.baseline_volume.itertuples(index=False):
                bv[(str(r.intervention), str(r.site_id))] = (float(r.volume), str(r.source))
        for p in self.interventions:
            spec = self.specs[p]
            sites = sorted({s for (q, s), o in offers.items() if q == p and o} | set(spec.baseline))
            for s in sites:
                o = bool(offers.get((p, s), False))
                b = s in spec.baseline
                change = "keeps" if o and b else "starts" if o else "stops" if b else ""
                vol, src = bv.get((p, s), (float("nan"), ""))
                rows.append(
                    {
                        "intervention": p,
                        "site_id": s,
                        "name": str(self.sites.at[s, "name"]),
                        "region": self._site_region.get(s, ""),
                        "offers": o,
                        "baseline": b,
                        "change": change,
                        "volume": float(volume.get((p, s), 0.0)) if o else 0.0,
                        "norm": spec.norm,
                        "capacity": float(spec.capacity.get(s, float("nan"))),
                        "baseline_volume": vol,
                        "baseline_volume_source": src,
                    }
                )
        cols = [
            "intervention", "site_id", "name", "region", "offers", "baseline", "change", "volume",
            "norm", "capacity", "baseline_volume", "baseline_volume_source",
        ]  # fmt: skip
        return pd.DataFrame(rows, columns=cols)

    def _result(
        self,
        *,
        status: Status,
        objective: float,
        bound: float | None,
        gap: float | None,
        values: dict[str, Any],
        blocks: dict[str, Block],
        start: float,
        build_s: float,
        solver_name: str,
        rounds: int,
        n_vars: int,
        notes: list[str],
        solve_log: Sequence[str] = (),
    ) -> ConcentrationResult:
        rows = []
        for (p, m, j), share in sorted(values["x"].items()):
            blk = blocks[p]
            sites_m, mins_m = blk.reach(m)
            minutes = float(mins_m[np.flatnonzero(sites_m == j)[0]])
            for dem_id, d in zip(blk.groups[m], blk.member_demand[m], strict=True):
                rows.append((p, dem_id, blk.sites[j], d * share, share, minutes))
        flows = pd.DataFrame(
            rows, columns=["intervention", "demand_id", "site_id", "patients", "share", "minutes"]
        )
        flows = flows.sort_values(["intervention", "demand_id", "site_id"]).reset_index(drop=True)
        offers = {k: v > 0.5 for k, v in values["y"].items()}
        vol = flows.groupby(["intervention", "site_id"])["patients"].sum()
        volume = {(str(a), str(b)): float(v) for (a, b), v in vol.items()}
        sites = self._site_table(offers, volume)
        travel = float((flows["patients"] * flows["minutes"]).sum())
        threshold = {
            p: (
                self.specs[p].max_minutes
                if math.isfinite(self.specs[p].max_minutes)
                else self.settings.concentration.report_minutes
            )
            for p in self.interventions
        }
        region = (
            flows["demand_id"].map(self.demand_region).fillna("unknown")
            if self.demand_region is not None
            else pd.Series("all", index=flows.index)
        )
        ind = travel_indicators(
            flows.assign(region=region.values), threshold=threshold, level=self.demand_level
        )
        detail_ind = None
        if self.detail is not None and self.detail_pairs is not None and len(flows):
            detail_ind = self._detail_indicators(flows, threshold)
        stops = int((sites["change"] == "stops").sum())
        starts = int((sites["change"] == "starts").sum())
        diag = list(notes)
        if stops or starts:
            diag.append(f"{stops} team(s) stop and {starts} start relative to the baseline.")
        return ConcentrationResult(
            status=status,
            gap=gap,
            objective=objective,
            bound=bound,
            seconds=time.perf_counter() - start,
            build_seconds=build_s,
            solver=solver_name,
            interventions=self.interventions,
            sites=sites,
            flows=flows,
            indicators=ind,
            detail_indicators=detail_ind,
            diagnosis=tuple(diag),
            rounds=rounds,
            variables=n_vars,
            demand_level=self.demand_level,
            travel=travel,
            solve_log=tuple(solve_log),
        )

    def _detail_indicators(
        self, flows: pd.DataFrame, threshold: Mapping[str, float]
    ) -> pd.DataFrame:
        assert self.detail is not None and self.detail_pairs is not None
        det = self.detail.copy()
        det["detail_id"] = det["detail_id"].astype(str)
        det["demand_id"] = det["demand_id"].astype(str)
        parts = []
        for p in self.interventions:
            if p not in det.columns:
                continue
            fp = flows[flows["intervention"] == p][["demand_id", "site_id", "share"]]
            dp = det[["detail_id", "demand_id", p]].rename(columns={p: "d"})
            j = dp.merge(fp, on="demand_id", how="inner")
            j["patients"] = j["d"] * j["share"]
            j["intervention"] = p
            parts.append(j[["intervention", "detail_id", "demand_id", "site_id", "patients"]])
        if not parts:
            return travel_indicators(
                pd.DataFrame(columns=["intervention", "region", "patients", "minutes"]),
                threshold=threshold,
                level="detail",
            )
        df = pd.concat(parts, ignore_index=True)
        tp = self.detail_pairs[["detail_id", "site_id", "minutes"]].copy()
        tp["detail_id"] = tp["detail_id"].astype(str)
        tp["site_id"] = tp["site_id"].astype(str)
        df = df.merge(tp, on=["detail_id", "site_id"], how="left")
        df["minutes"] = df["minutes"].astype(float).fillna(np.inf)
        region = (
            df["demand_id"].map(self.demand_region).fillna("unknown")
            if self.demand_region is not None
            else pd.Series("all", index=df.index)
        )
        return travel_indicators(df.assign(region=region.values), threshold=threshold, level="pc4")

    # -- trade-off ---------------------------------------------------------------------------

    def tradeoff(
        self,
        *,
        sites: Sequence[int] | None = None,
        disruption_weights: Sequence[float] | None = None,
        solver: str | None = None,
        time_limit: float | None = None,
        gap: float | None = None,
    ) -> TradeoffCurve:
        """A trade-off curve in one call.

        Give ``sites`` (numbers of offering sites; the model is solved with exactly that many,
        for a single intervention) for travel against the number of sites, or
        ``disruption_weights`` for travel against disruption (teams that stop or start).

        Parameters
        ----------
        sites
            Numbers of sites, e.g. ``range(10, 21)``. With neither argument: every feasible count
            from the region guarantees' minimum up to ``floor(demand / norm)``.
        disruption_weights
            Patient-minutes a year per team change, e.g. ``[0, 1000, 5000, 20000]``.
        solver, time_limit, gap
            As in :meth:`solve`; ``time_limit`` applies to each point.
        """
        if sites is not None and disruption_weights is not None:
            raise ScenarioError("Give either sites or disruption_weights to tradeoff, not both.")
        results: list[ConcentrationResult] = []
        rows = []
        if disruption_weights is not None:
            kind = "disruption"
            values: list[float] = [float(w) for w in disruption_weights]
            for w in values:
                if w < 0:
                    raise ScenarioError(f"Disruption weights must be >= 0, got {w}.")
                results.append(
                    self.replace(stop_weight=w, start_weight=w).solve(
                        solver=solver, time_limit=time_limit, gap=gap
                    )
                )
        else:
            kind = "sites"
            if len(self.interventions) != 1:
                raise ScenarioError(
                    "A sites trade-off needs a single intervention; the model has "
                    f"{len(self.interventions)} ({', '.join(self.interventions)})."
                )
            p = self.interventions[0]
            spec = self.specs[p]
            if sites is None:
                low = max(
                    1, sum(spec.per_region.values()), len(spec.force_open), spec.min_sites or 0
                )
                total = float(self.demand[p].sum())
                high = (
                    math.floor(total / spec.norm + 1e-9)
                    if spec.norm > 0
                    else len(self._candidates[p])
                )
                high = min(high, len(self._candidates[p]))
                if spec.max_sites is not None:
                    high = min(high, spec.max_sites)
                values = [float(n) for n in range(low, high + 1)]
            else:
                values = [float(n) for n in sites]
            for n in values:
                k = int(n)
                results.append(
                    self.replace(min_sites={p: k}, max_sites={p: k}).solve(
                        solver=solver, time_limit=time_limit, gap=gap
                    )
                )
        for v, r in zip(values, results, strict=True):
            overall = r._overall(r.indicators)
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
        return TradeoffCurve(kind=kind, points=pd.DataFrame(rows), results=tuple(results))


def _replace_status(o: SolveOutcome, status: Status) -> SolveOutcome:
    from dataclasses import replace

    return replace(o, status=status)


def _as_feasible(o: SolveOutcome, bound: float | None) -> SolveOutcome:
    from dataclasses import replace

    from zorglandschap.optimise.solver import relative_gap

    b = bound if bound is not None else o.bound
    return replace(o, status="feasible", bound=b, gap=relative_gap(o.objective, b))


def _with_bound(o: SolveOutcome, bound: float) -> SolveOutcome:
    from dataclasses import replace

    from zorglandschap.optimise.solver import relative_gap

    return replace(o, bound=bound, gap=relative_gap(o.objective, bound))


assert set(_STATUS_RANK) == set(STATUSES)
_ = pulp  # pulp is the modelling layer (see _formulation)
