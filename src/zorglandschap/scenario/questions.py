"""Questions and the one path from a question to a model.

A concentration question — which sites should offer which complex interventions, under which
norms, guarantees and limits — is one validated object, :class:`ConcentrationQuestion`, however
it is asked: the ``[concentration]`` table of a scenario file, the flags of
``zorglandschap concentrate`` (:class:`ConcentrationFlags` turns them into the same question),
or, later, a web form. One function, :func:`concentration_model`, turns a question into a
model on a landscape, its site state and its settings. A new option is added in these two
places only.

Examples
--------
>>> flags = ConcentrationFlags(intervention=["pancreas"], norm=20, per_roaz=1)
>>> question = flags.question()
>>> question.norms, question.per_region, question.region
({'pancreas': 20.0}, 1, 'roaz')
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

from zorglandschap.checks import Count, Gap, Minutes, Norm, Scale, Seconds, Volume, describe
from zorglandschap.demand import resolve_intervention
from zorglandschap.errors import ScenarioError, problems_to_error
from zorglandschap.settings import DEFAULT_SETTINGS, Settings
from zorglandschap.vocab import DemandLevel, EligibleRule, GuaranteeLayer

if TYPE_CHECKING:
    import pandas as pd

    from zorglandschap.landscape import Landscape
    from zorglandschap.landscape.state import SiteState
    from zorglandschap.optimise import ConcentrationModel


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
    #: ``all``, ``seh_24_7`` or ``seh`` — on the question's SEH states — or a list of site ids.
    eligible: EligibleRule | list[str] = "all"
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

    Raises
    ------
    ScenarioError
        An unknown intervention, a missing norm, an unknown site.
    """
    from zorglandschap.optimise import landscape_model

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
    )


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


def scenario_model(
    landscape: Landscape, scenario: AskedScenario, *, travel_minutes: pd.DataFrame | None = None
) -> ConcentrationModel:
    """The ``[concentration]`` question of a scenario, as a model on its sites and settings.

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
        )
    except ScenarioError as exc:
        raise ScenarioError(f"{where}: concentration: {exc}") from None


#: The question's flags on the command line, in the order they are named in messages.
QUESTION_FLAGS: tuple[str, ...] = (
    "intervention", "norm", "max_minutes", "per_roaz", "per_iza", "scale", "demand", "eligible",
    "closest",
)  # fmt: skip


class ConcentrationFlags(BaseModel):
    """The flags of ``zorglandschap concentrate`` (None: not given), checked together.

    Either the question's flags or ``scenario`` (a file whose ``[concentration]`` table is
    the question), never both; one region layer per plan. :meth:`question` gives the
    :class:`ConcentrationQuestion` the flags ask; ``solver``, ``time_limit`` and ``gap`` say how
    to solve it (None: the settings').
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
    scenario: Path | None = None
    solver: str | None = None
    time_limit: Seconds | None = None
    gap: Gap | None = None

    @model_validator(mode="after")
    def _one_question(self) -> ConcentrationFlags:
        given = [_flag(name) for name in QUESTION_FLAGS if getattr(self, name)]
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
        if self.per_roaz and self.per_iza:
            raise ValueError(
                "--per-roaz and --per-iza were both given; a plan guarantees sites per one "
                "region layer: keep one of them."
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
            per_region=self.per_iza or self.per_roaz or 0,
            region="iza" if self.per_iza else "roaz",
            demand=self.demand or "municipality",
            eligible=self.eligible or "all",
            closest=bool(self.closest),
        )


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


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
