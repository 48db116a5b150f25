"""Questions and the one path from a question to a model.

A concentration question — which sites should offer which complex interventions, under which
norms, guarantees and limits — is one validated object, :class:`ConcentrationQuestion`, however
it is asked: the ``[concentration]`` table of a scenario file, the flags of
``zorglandschap concentrate`` (:class:`ConcentrationFlags` turns them into the same question),
or, later, a web form. One function, :func:`concentration_model`, turns a question into a
model on a landscape, its site state and its settings. A new option is added in these two
places only.

The default question is the round table's (``objective = "disruption"``): which of today's
teams continue so that each meets the norm, with as few teams stopping and as few patients
changing hospital as possible, and then as little travel as possible; new teams only with
``allow_new``. ``objective = "travel"`` asks the older question: the least travel, every
eligible site a candidate.

Examples
--------
>>> flags = ConcentrationFlags(intervention=["pancreas"], norm=20, per_roaz=1)
>>> question = flags.question()
>>> question.norms, question.per_region, question.region, question.objective
({'pancreas': 20.0}, 1, 'roaz', 'disruption')
>>> ConcentrationFlags.parse(intervention=["lung"], per_roaz=1, per_iza=1)
Traceback (most recent call last):
...
zorglandschap.errors.ScenarioError: --per-roaz and --per-iza were both given; a plan guarantees sites per one region layer: keep one of them.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

from zorglandschap.checks import (
    Count,
    Gap,
    Minutes,
    Norm,
    Scale,
    Seconds,
    Volume,
    Weight,
    describe,
)
from zorglandschap.demand import resolve_intervention
from zorglandschap.errors import ScenarioError, problems_to_error
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.vocab import ConcentrationObjective, DemandLevel, EligibleRule, GuaranteeLayer

if TYPE_CHECKING:
    import pandas as pd

    from zorglandschap.landscape import Landscape
    from zorglandschap.landscape.state import SiteState
    from zorglandschap.optimise import ConcentrationModel
    from zorglandschap.travel import MatrixSource


class ConcentrationQuestion(BaseModel):
    """Which sites should offer complex interventions: the ``[concentration]`` table of a
    scenario file, and what ``zorglandschap concentrate`` asks with its flags.

    Intervention keys (``interventions``, ``norms``, ``share_sites``, ...) take ids or aliases
    (``pancreas``, ``liver``, ...). Numbers follow :mod:`zorglandschap.checks`.
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    interventions: list[str] = Field(min_length=1)
    #: Volume norm per intervention; default the norms table (a blank norm is never defaulted).
    norms: dict[str, Norm] = Field(default_factory=dict)
    #: National patients a year per intervention; default the norms table.
    volumes: dict[str, Volume] = Field(default_factory=dict)
    #: Growth factor on the volumes (one for all, or per intervention).
    scale: Scale | dict[str, Scale] = 1.0
    #: Maximum travel time, minutes (default ``settings.concentration.max_minutes``).
    max_minutes: Minutes | None = None
    #: At least this many sites per region of ``region``.
    per_region: Count = 0
    region: GuaranteeLayer = "roaz"
    demand: DemandLevel = "municipality"
    #: ``disruption`` (the round table's: team changes and patients who change hospital first,
    #: then travel; the candidates are today's providers) or ``travel`` (travel only, every
    #: eligible site a candidate).
    objective: ConcentrationObjective = "disruption"
    #: ``disruption``: new teams may start (at the ``eligible`` sites, default a 24/7 SEH).
    allow_new: bool = False
    #: Weigh instead of order: travel + this many patient-minutes a year per team that stops
    #: or starts (None: ``disruption`` is lexicographic, ``travel`` has no weight).
    disruption_weight: Weight | None = None
    #: ``all``, ``seh_24_7`` or ``seh`` — on the question's SEH states — or a list of site ids.
    #: None: ``travel`` every site; ``disruption`` today's providers (with ``allow_new``:
    #: new teams at ``settings.concentration.new_team_eligible``, a 24/7 SEH).
    eligible: EligibleRule | list[str] | None = None
    #: Groups of interventions that must be offered at the same sites (e.g. an HPB centre).
    share_sites: list[list[str]] = Field(default_factory=list)
    #: Patients go to their nearest offering site.
    closest: bool = False
    #: Sites that must offer (every intervention), and sites that may not.
    open_sites: list[str] = Field(default_factory=list)
    closed_sites: list[str] = Field(default_factory=list)
    min_sites: Count | None = None
    max_sites: Count | None = None


def concentration_model(
    landscape: Landscape,
    question: ConcentrationQuestion,
    *,
    state: SiteState | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    travel_minutes: pd.DataFrame | None = None,
    source: MatrixSource | None = None,
) -> ConcentrationModel:
    """The model that answers ``question`` on ``landscape``.

    Parameters
    ----------
    landscape
        The embedded Netherlands or an extract.
    question
        What to concentrate, and under which requirements.
    state
        The site state whose SEHs the eligibility rules use (a scenario's); None: the 2025
        sites.
    settings
        Settings (a scenario's).
    travel_minutes
        Precomputed PC4 × site minutes; default: from the travel module.
    source
        A user travel-time matrix (``--matrix``, a scenario's ``matrix``): car minutes from
        every PC4 to every site, replacing the default network.

    Raises
    ------
    ScenarioError
        An unknown intervention, a missing norm, an unknown site (with the closest valid
        ids), ``allow_new`` with the travel objective.
    """
    from zorglandschap.optimise import landscape_model

    check_site_ids(landscape, question)
    labels: dict[str, Any] = {}
    if travel_minutes is None and source is not None:
        from zorglandschap.travel import demand_site_minutes, source_label

        travel_minutes = demand_site_minutes(landscape, "car", settings=settings, source=source)
        labels["travel_source"] = source_label(source)
    share = [
        tuple(resolve_intervention(landscape.norms, n) for n in g) for g in question.share_sites
    ]
    return landscape_model(
        landscape,
        question.interventions,
        demand=question.demand,
        norms=dict(question.norms) or None,
        volumes=dict(question.volumes) or None,
        scale=question.scale,
        max_minutes=question.max_minutes,
        per_region=question.per_region,
        region=question.region,
        objective=question.objective,
        disruption_weight=question.disruption_weight,
        allow_new=question.allow_new,
        eligible=question.eligible,
        site_state=state,
        travel_minutes=travel_minutes,
        settings=settings,
        share_sites=share,
        closest_assignment=question.closest,
        open_sites=question.open_sites or None,
        closed_sites=question.closed_sites or None,
        min_sites=question.min_sites,
        max_sites=question.max_sites,
        **labels,
    )


#: The question's keys that name sites, and the flag that fills each.
SITE_KEYS: dict[str, str] = {
    "open_sites": "--open",
    "closed_sites": "--close",
    "eligible": "--eligible",
}


def check_site_ids(landscape: Landscape, question: ConcentrationQuestion) -> None:
    """Every site id the question names exists; otherwise one line per unknown id, naming the
    key (and its flag) and the closest valid ids.

    Raises
    ------
    ScenarioError
        Listing every unknown id at once.
    """
    from zorglandschap.landscape.catalogue import closest_site_names

    known = set(map(str, landscape.sites.index))
    problems = []
    for key, flag in SITE_KEYS.items():
        value = getattr(question, key)
        ids = [] if value is None or isinstance(value, str) else list(value)
        for site in ids:
            if site in known:
                continue
            close = closest_site_names(landscape, site)
            hint = f"; closest: {', '.join(close)}" if close else ""
            problems.append(
                f"{key} ({flag}): unknown site id {site!r}{hint}. Find an id with "
                "`zorglandschap sites --search NAME`."
            )
    both = sorted(set(question.open_sites) & set(question.closed_sites))
    if both:
        problems.append(
            f"open_sites and closed_sites (--open and --close) both name {', '.join(both)}; "
            "a site is either forced open or closed: keep one."
        )
    problems_to_error(problems, kind=ScenarioError)


class AskedScenario(Protocol):
    """What :func:`scenario_model` reads of a :class:`~zorglandschap.scenario.Scenario`."""

    @property
    def name(self) -> str: ...
    @property
    def path(self) -> Path | None: ...
    @property
    def state(self) -> SiteState: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def concentration(self) -> ConcentrationQuestion | None: ...
    @property
    def travel(self) -> MatrixSource | None: ...


def scenario_model(
    landscape: Landscape,
    scenario: AskedScenario,
    *,
    travel_minutes: pd.DataFrame | None = None,
    source: MatrixSource | None = None,
) -> ConcentrationModel:
    """The ``[concentration]`` question of a scenario, as a model on its sites and settings,
    on its travel times (its ``matrix``, unless ``source`` or ``travel_minutes`` replace it).

    Eligibility rules (``seh_24_7``, ``seh``) use the scenario's SEH states, so a scenario that
    closes an SEH also takes that site out of the candidates of a ``seh_24_7`` question.

    Raises
    ------
    ScenarioError
        Naming the file and the key: no ``[concentration]`` table, an unknown intervention, a
        missing norm, an unknown site.
    """
    where = f"{scenario.path or scenario.name}"
    if scenario.concentration is None:
        raise ScenarioError(
            f"{where} has no [concentration] table; add one with at least "
            'interventions = ["pancreas"] (see docs/scenarios.md).'
        )
    try:
        return concentration_model(
            landscape,
            scenario.concentration,
            state=scenario.state,
            settings=scenario.settings,
            travel_minutes=travel_minutes,
            source=source if source is not None else scenario.travel,
        )
    except ScenarioError as exc:
        raise ScenarioError(f"{where}: concentration: {exc}") from None


#: The question's flags on the command line, in the order they are named in messages.
QUESTION_FLAGS: tuple[str, ...] = (
    "intervention", "norm", "max_minutes", "per_roaz", "per_iza", "scale", "demand", "eligible",
    "closest", "objective", "disruption_weight", "allow_new", "min_sites", "max_sites",
    "open_sites", "closed_sites",
)  # fmt: skip
#: Flags spelled otherwise than their field (``--open`` fills ``open_sites``).
_FLAG_NAMES: dict[str, str] = {"open_sites": "--open", "closed_sites": "--close"}


class ConcentrationFlags(BaseModel):
    """The flags of ``zorglandschap concentrate`` (None: not given), checked together.

    Either the question's flags or ``scenario`` (a file whose ``[concentration]`` table is
    the question), never both — a flag counts as given whatever its value (``--per-roaz 0``
    beside ``--scenario`` is refused, not dropped); one region layer per plan.
    :meth:`question` gives the :class:`ConcentrationQuestion` the flags ask; ``solver``,
    ``time_limit`` and ``gap`` say how to solve it (None: the settings'). Every number is
    checked by the types of :mod:`zorglandschap.checks`, as in a scenario file.
    """

    model_config = ConfigDict(extra="forbid")

    intervention: list[str] | None = None
    norm: Norm | None = None
    max_minutes: Minutes | None = None
    per_roaz: Count | None = None
    per_iza: Count | None = None
    scale: Scale | None = None
    demand: DemandLevel | None = None
    eligible: EligibleRule | None = None
    closest: bool | None = None
    objective: ConcentrationObjective | None = None
    disruption_weight: Weight | None = None
    allow_new: bool | None = None
    min_sites: Count | None = None
    max_sites: Count | None = None
    open_sites: list[str] | None = None
    closed_sites: list[str] | None = None
    scenario: Path | None = None
    solver: str | None = None
    time_limit: Seconds | None = None
    gap: Gap | None = None

    @model_validator(mode="after")
    def _one_question(self) -> ConcentrationFlags:
        given = [_flag(name) for name in QUESTION_FLAGS if _given(getattr(self, name))]
        if self.scenario is not None and given:
            raise ValueError(
                f"{', '.join(given)} given with --scenario; the question comes from the "
                f"scenario's [concentration] table: set it there, or drop --scenario."
            )
        if self.scenario is None and not self.intervention:
            raise ValueError(
                "Say what to concentrate: --intervention pancreas (repeat for several), or "
                "--scenario FILE.toml with a [concentration] table."
            )
        if self.per_roaz is not None and self.per_iza is not None:
            raise ValueError(
                "--per-roaz and --per-iza were both given; a plan guarantees sites per one "
                "region layer: keep one of them."
            )
        if self.allow_new and self.objective == "travel":
            raise ValueError(
                "--allow-new applies to the round-table objective (disruption); with "
                "--objective travel every eligible site is already a candidate: drop one."
            )
        if (
            self.min_sites is not None
            and self.max_sites is not None
            and self.min_sites > self.max_sites
        ):
            raise ValueError(
                f"--min-sites {self.min_sites} is more than --max-sites {self.max_sites}; "
                "give a minimum at most the maximum."
            )
        return self

    @classmethod
    def parse(cls, **flags: Any) -> ConcentrationFlags:
        """The flags, checked; a :class:`~zorglandschap.errors.ScenarioError` naming each
        flag that is wrong, and how, otherwise."""
        try:
            return cls.model_validate(flags)
        except ValidationError as exc:
            problems_to_error([_problem(e) for e in exc.errors()], kind=ScenarioError)
            raise  # pragma: no cover - problems_to_error raised

    def question(self) -> ConcentrationQuestion:
        """The question these flags ask (without ``--scenario``)."""
        assert self.intervention, "checked by the validator"
        return ConcentrationQuestion(
            interventions=list(self.intervention),
            norms=dict.fromkeys(self.intervention, self.norm) if self.norm is not None else {},
            scale=1.0 if self.scale is None else self.scale,
            max_minutes=self.max_minutes,
            per_region=next((n for n in (self.per_iza, self.per_roaz) if n is not None), 0),
            region="iza" if self.per_iza is not None else "roaz",
            demand=self.demand or "municipality",
            eligible=self.eligible,
            closest=bool(self.closest),
            objective=self.objective or "disruption",
            disruption_weight=self.disruption_weight,
            allow_new=bool(self.allow_new),
            min_sites=self.min_sites,
            max_sites=self.max_sites,
            open_sites=list(self.open_sites or []),
            closed_sites=list(self.closed_sites or []),
        )


def _given(value: object) -> bool:
    """A flag counts as given when it has a value (``0`` and ``False`` included); an empty
    list is what Typer gives for a repeatable flag that was not used."""
    return value is not None and value != []


def _flag(name: str) -> str:
    return _FLAG_NAMES.get(name, "--" + name.replace("_", "-"))


def _problem(error: ErrorDetails) -> str:
    """One line naming the flag, the value given and what would be valid."""
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    name = str(error["loc"][0]) if error["loc"] else ""
    flag, given = _flag(name), error.get("input")
    if error["type"] == "literal_error":
        return f"{flag}: got {given!r}; valid: {error.get('ctx', {}).get('expected')}."
    kind = _number_kind(name)
    if kind is not None:
        return f"{flag}: got {given!r}; must be {describe(kind)}."
    return f"{flag}: got {given!r}; {error['msg']}."


def _number_kind(name: str) -> Any:
    """The annotated number type of a flag (e.g. :data:`~zorglandschap.checks.Norm`), if any."""
    field = ConcentrationFlags.model_fields.get(name)
    if field is None:
        return None
    for arg in typing.get_args(field.annotation) or (field.annotation,):
        if getattr(arg, "__metadata__", None):
            return arg
    return None
