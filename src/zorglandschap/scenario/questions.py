"""Questions and the one path from a question to a model.

A concentration question — which sites should offer which complex interventions, under which
norms, guarantees and limits — is one validated object, :class:`ConcentrationQuestion`: the
``[concentration]`` table of a scenario file. One function, :func:`concentration_model`, turns
a question into a model on a landscape, its site state and its settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from zorglandschap.demand import resolve_intervention
from zorglandschap.errors import ScenarioError
from zorglandschap.settings import DEFAULT_SETTINGS, Settings

if TYPE_CHECKING:
    import pandas as pd

    from zorglandschap.landscape import Landscape
    from zorglandschap.landscape.state import SiteState
    from zorglandschap.optimise import ConcentrationModel


class ConcentrationQuestion(BaseModel):
    """Which sites should offer complex interventions: the ``[concentration]`` table of a
    scenario file, and what ``zorglandschap concentrate`` asks with its flags.

    Intervention keys (``interventions``, ``norms``, ``share_sites``, ...) take ids or aliases
    (``pancreas``, ``liver``, ...). Everything not given takes the same default as
    ``zorglandschap concentrate``.
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    interventions: list[str] = Field(min_length=1)
    #: Volume norm per intervention; default the norms table (a blank norm is never defaulted).
    norms: dict[str, float] = Field(default_factory=dict)
    #: National patients a year per intervention; default the norms table.
    volumes: dict[str, float] = Field(default_factory=dict)
    #: Growth factor on the volumes (one for all, or per intervention).
    scale: float | dict[str, float] = 1.0
    #: Maximum travel time, minutes (default ``settings.concentration.max_minutes``).
    max_minutes: float | None = None
    #: At least this many sites per region of ``region``.
    per_region: int = Field(0, ge=0)
    region: Literal["roaz", "iza"] = "roaz"
    demand: Literal["municipality", "pc4"] = "municipality"
    #: ``all``, ``seh_24_7`` or ``seh`` — on this scenario's SEH states — or a list of site ids.
    eligible: Literal["all", "seh_24_7", "seh"] | list[str] = "all"
    #: Groups of interventions that must be offered at the same sites (e.g. an HPB centre).
    share_sites: list[list[str]] = Field(default_factory=list)
    #: Patients go to their nearest offering site.
    closest: bool = False
    #: Sites that must offer (every intervention), and sites that may not.
    open_sites: list[str] = Field(default_factory=list)
    closed_sites: list[str] = Field(default_factory=list)
    min_sites: int | None = Field(None, ge=0)
    max_sites: int | None = Field(None, ge=0)


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
