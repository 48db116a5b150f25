r"""The acute-care spreading model: build, solve (lexicographic stages), read back.

Examples
--------
Two SEHs 10 minutes apart; the point near ``a`` is within 45 minutes of both, so one of
them may close at night without anyone newly beyond 45 minutes; ``b`` (the smaller) closes,
because moving its visits costs fewer visit-minutes:

>>> import numpy as np, pandas as pd
>>> from zorglandschap.optimise.spreading.instance import SiteSpec, SpreadingInstance
>>> sites = (SiteSpec("a", "A", "R", "R", "24/7", visits=(0, 0, 40, 0),
...                   receivers=(("b", 10.0),)),
...          SiteSpec("b", "B", "R", "R", "24/7", visits=(0, 0, 10, 0),
...                   receivers=(("a", 10.0),)))
>>> points = pd.DataFrame({"population": [100.0], "municipality": "m", "region": "R",
...                        "in_scope": True})
>>> minutes = {b: np.array([[20.0, 30.0]]) for b in ("day", "evening", "night", "weekend")}
>>> result = SpreadingModel(SpreadingInstance(sites, points, minutes)).solve(solver="cbc")
>>> result.status, [s["site_id"] for s in result.open_sites() if "night" in s["blocks"]]
('optimal', ['a'])
"""

from __future__ import annotations

import time

import numpy as np
import pulp

from zorglandschap.optimise.solver import SolveOutcome, Status, solve_problem
from zorglandschap.optimise.spreading.diagnosis import diagnose
from zorglandschap.optimise.spreading.evaluate import (
    Evaluation,
    Plan,
    baseline_plan,
    evaluate,
    plan_from_states,
)
from zorglandschap.optimise.spreading.formulation import ExtraHook, Handles, build, value
from zorglandschap.optimise.spreading.instance import SpreadingInstance
from zorglandschap.optimise.spreading.prepare import Prepared, prepare
from zorglandschap.optimise.spreading.question import SpreadingQuestion
from zorglandschap.optimise.spreading.result import SpreadingResult, StageOutcome
from zorglandschap.optimise.spreading.terms import ElasticFamily
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.vocab import TIME_BLOCKS, ScenarioSehState


class SpreadingModel:
    r"""Which SEHs take ambulances in which time blocks, under the 45-minute norm.

    Sets: sites :math:`j \in J` (SEHs today; :math:`J^d \subseteq J` the ones the question
    decides), options :math:`o \in \{24/7, limited, spoedpost, none\}`, blocks
    :math:`h \in H^d \subseteq \{day, evening, night, weekend\}` decided (the others stay as
    today), coverage groups :math:`g` (demand points with the same decided sites :math:`S_{gh}`
    within the norm), regions :math:`r`.

    Variables: :math:`x_{jo} \in \{0,1\}` the site's state; :math:`z_{jh} \in \{0,1\}` it takes
    ambulances in block :math:`h`; :math:`w_{gh} \in [0,1]` a group's share beyond the norm;
    :math:`u_{jhm} \in [0,1]` the share of :math:`j`'s visits still to place after its
    :math:`m` nearest receivers.

    .. math::

        \sum_o x_{jo} = 1,\quad z_{jh} = \sum_o x_{jo}[h \in B_{jo}]
            \quad(\text{or free hours: } z_{night} \le z_{evening} \le z_{day},\;
            z_{night} \le z_{weekend} \le z_{day})

        \text{keep:}\ \sum_{j \in S_{gh}} z_{jh} \ge 1 \ \ (g \text{ covered today});\quad
        \text{share:}\ F_h + \sum_g P^{scope}_g w_{gh} \le (1-\tau) P^{scope},\
            w_{gh} \ge 1 - \sum_{j \in S_{gh}} z_{jh}

        \sum_{j \in r} x_{j,24/7} \ge \min(k, n_r)\quad
        \sum_{j \in r} s^q_{jh} \le A_{rhq},\ \sum_{j \in r} z_{jh} \le N

        u_{jh0} = 1 - z_{jh} - \sigma y_{jh},\ u_{jhm} \ge u_{jh,m-1} - z_{k_m h},\
            u_{jhm} \le u_{jh,m-1},\ u_{jhm} \le 1 - z_{k_m h},\ u_{jhM} = 0

        v_{kh} z_{kh} + \sum_j v_{jh} (u_{jh,m(k)-1} - u_{jh,m(k)}) \le C_{kh}

    Objective, solved lexicographically (each stage fixes the previous optimum): ``keep``/
    ``share``: (1) fewest open SEH-blocks :math:`\sum z_{jh}` or fewest staff-hours, (2) least
    moved visit-minutes :math:`\sum v_{jh} t_{jk} r_{jkh}`; ``max``: (1) fewest people beyond
    :math:`\sum P_g w_{gh}`, (2) fewest SEH-blocks, (3) least moved visit-minutes. Remaining ties:
    the solver's own, deterministic for the same input. Full text: docs/spreading.md.
    """

    def __init__(
        self,
        instance: SpreadingInstance,
        question: SpreadingQuestion | None = None,
        *,
        extra: ExtraHook | None = None,
        settings: Settings = DEFAULT_SETTINGS,
        state_name: str | None = None,
    ) -> None:
        self.instance = instance
        self.question = question if question is not None else SpreadingQuestion()
        self.prepared: Prepared = prepare(instance, self.question)
        self.extra = extra
        self.settings = settings
        self.state_name = instance.state_name if state_name is None else state_name
        per_region = self.question.per_region
        self.per_region = settings.spreading.per_region_24_7 if per_region is None else per_region

    def build(
        self, *, elastic: frozenset[ElasticFamily] = frozenset()
    ) -> tuple[pulp.LpProblem, Handles]:
        """The MILP (no objective set) and its handles; ``elastic`` families get slacks."""
        return build(self.prepared, per_region=self.per_region, elastic=elastic, extra=self.extra)

    def stages(self) -> tuple[str, ...]:
        """The objectives solved one after the other (see the class docstring)."""
        if self.question.coverage == "max":
            return ("beyond", "blocks", "visit_minutes")
        return (self.question.objective, "visit_minutes")

    def solve(
        self,
        *,
        solver: str | None = None,
        time_limit: float | None = None,
        gap: float | None = None,
    ) -> SpreadingResult:
        """Solve every stage within ``time_limit`` seconds in all; a result, never an error
        for a plan that does not exist (``status`` says so, ``diagnosis`` says why)."""
        began = time.perf_counter()
        problem, handles = self.build()
        build_seconds = time.perf_counter() - began
        limit = self.settings.solver.time_limit_seconds if time_limit is None else time_limit
        outcomes: list[StageOutcome] = []
        plan: Plan | None = None
        notes: list[str] = []
        name = ""
        for stage in self.stages():
            expression = handles.objectives[stage]
            if not expression.keys():
                continue  # nothing to choose in this stage
            remaining = max(1.0, limit - sum(o.seconds for o in outcomes))
            problem.setObjective(expression)
            outcome = solve_problem(
                problem, solver=solver, time_limit=remaining, gap=gap, settings=self.settings
            )
            name = outcome.solver
            outcomes.append(_stage(stage, outcome))
            if outcome.objective is None:
                if plan is not None:
                    notes.append(
                        f"tie-break stage {stage!r} ended {outcome.status}; the plan is "
                        "the previous stage's."
                    )
                break
            plan = read_plan(handles)
            problem += expression <= _ceiling(stage, outcome.objective), f"stage_{stage}"
        if not outcomes:  # nothing decided at all: today's plan
            plan = baseline_plan(self.instance)
        return self._result(
            plan,
            outcomes,
            notes=notes,
            build_seconds=build_seconds,
            solver_name=name,
            solver=solver,
            time_limit=time_limit,
        )

    def _result(
        self,
        plan: Plan | None,
        outcomes: list[StageOutcome],
        *,
        notes: list[str],
        build_seconds: float,
        solver_name: str,
        solver: str | None,
        time_limit: float | None,
    ) -> SpreadingResult:
        today = evaluate(self.instance, baseline_plan(self.instance))
        evaluation = evaluate(self.instance, plan) if plan is not None else None
        diagnosis: tuple[str, ...] = ()
        status = _overall(outcomes, has_plan=plan is not None)
        if status == "infeasible":
            diagnosis = tuple(
                diagnose(
                    self.prepared,
                    per_region=self.per_region,
                    extra=self.extra,
                    settings=self.settings,
                    solver=solver,
                    time_limit=time_limit,
                )
            )
        if evaluation is not None:
            notes += check_plan(self.prepared, today, evaluation)
        gaps = [o.gap for o in outcomes if o.gap is not None]
        return SpreadingResult(
            status=status,
            gap=max(gaps) if gaps else (0.0 if not outcomes else None),
            solver=solver_name or "none",
            stages=tuple(outcomes),
            instance=self.instance,
            question=self.question,
            baseline=today,
            evaluation=evaluation,
            build_seconds=build_seconds,
            diagnosis=diagnosis,
            notes=tuple(notes),
            settings=self.settings,
            state_name=self.state_name,
        )


#: A stage whose objective is within this of its proven bound (visit-minutes, people, blocks)
#: counts as proven even when the relative gap is not: near an objective of 0 the relative gap
#: of :func:`~zorglandschap.optimise.solver.relative_gap` measures rounding noise (a value of
#: 1e-11 against a bound of 0 is a "gap" of 1.5 %).
ABSOLUTE_GAP = 1e-6


def _stage(stage: str, outcome: SolveOutcome) -> StageOutcome:
    status, gap = outcome.status, outcome.gap
    proven = (
        status == "feasible"
        and not outcome.time_limited
        and outcome.objective is not None
        and outcome.bound is not None
        and abs(outcome.objective - outcome.bound) <= ABSOLUTE_GAP
    )
    if proven:
        status, gap = "optimal", 0.0
    return StageOutcome(
        objective=stage,
        status=status,
        value=outcome.objective,
        bound=outcome.bound,
        gap=gap,
        seconds=outcome.seconds,
    )


def _ceiling(stage: str, value: float) -> float:
    """The bound that fixes a stage's optimum for the next: whole SEH-blocks are counted
    exactly; other objectives get a relative tolerance of 1e-9 (plus 1e-6 absolute)."""
    if stage == "blocks":
        return float(round(value)) + 1e-6
    return value + 1e-9 * abs(value) + 1e-6


def _overall(outcomes: list[StageOutcome], *, has_plan: bool) -> Status:
    """``optimal`` when every finished stage is proven, ``feasible`` when one is not; without
    a plan, the first stage's status (``infeasible`` or ``no_solution``)."""
    if not outcomes:
        return "optimal"
    if not has_plan:
        return outcomes[0].status
    done = [o.status for o in outcomes if o.status in ("optimal", "feasible")]
    return "optimal" if all(s == "optimal" for s in done) else "feasible"


def read_plan(handles: Handles) -> Plan:
    """The plan in the solved variables: each decided site's state (and blocks, free hours)."""
    p = handles.prepared
    states: dict[str, ScenarioSehState] = {}
    blocks = {}
    for j in p.decided_sites():
        site = p.instance.sites[j]
        states[site.site_id] = max(p.options[j], key=lambda o: value(handles.state(j, o)))
        if p.question.hours == "free":
            blocks[site.site_id] = tuple(b for b in TIME_BLOCKS if value(handles.open(j, b)) > 0.5)
    return plan_from_states(p.instance, states, blocks=blocks or None)


def check_plan(prepared: Prepared, today: Evaluation, plan: Evaluation) -> list[str]:
    """Where the evaluated plan breaks a rule the model enforces (empty: none; else a bug)."""
    problems = []
    question = prepared.question
    if question.coverage == "keep":
        for block in question.decided:
            beyond_today = today.beyond(block, scope_only=False)
            beyond_plan = plan.beyond(block, scope_only=False)
            if beyond_plan > beyond_today + 0.5:
                problems.append(
                    f"check: {beyond_plan - beyond_today:.0f} people newly beyond the norm in the {block} "
                    "block, which the model forbids (please report this as a bug)."
                )
    if question.max_added_minutes is not None:
        limit = question.max_added_minutes + 1e-6
        for block in question.decided:
            was, now = today.nearest[block], plan.nearest[block]
            rose = np.isfinite(was) & (now > was + limit)
            if rose.any():
                problems.append(
                    f"check: {int(rose.sum())} demand point(s) {question.max_added_minutes:g}+ "
                    f"minutes further in the {block} block (please report this as a bug)."
                )
    if question.capacity:
        over = plan.over_capacity()
        over = over[over["block"].isin(question.decided) & (over["over"] > 1e-3)]
        for row in over.itertuples():
            problems.append(
                f"check: {row.site_id} is {row.over:.1f} visits a year over its capacity in "
                f"the {row.block} block (please report this as a bug)."
            )
    return problems


def with_question(model: SpreadingModel, **changes: object) -> SpreadingModel:
    """The same model with some question fields changed (validated again)."""
    question = SpreadingQuestion.model_validate(model.question.model_dump() | changes)
    return SpreadingModel(
        model.instance,
        question,
        extra=model.extra,
        settings=model.settings,
        state_name=model.state_name,
    )
