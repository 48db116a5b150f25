"""Today's providers on the embedded Netherlands, and the candidate sites of a question.

A round table (``objective="disruption"``) asks which of today's teams continue; its
candidates are therefore today's providers (:func:`zorglandschap.baseline.baseline_providers`),
and a new team may start only where the question allows it (``allow_new``: at the sites of
``settings.concentration.new_team_eligible``, a 24/7 SEH by default). Where the provider records
name too few of today's hospitals to stand for them (:class:`~zorglandschap.baseline.BaselineCoverage`,
below ``settings.concentration.baseline_min_share`` of the national count, or no count at all),
the candidates are the new-team sites plus the named providers, and only the named teams count
as stopping; the result's warnings say so. The travel objective keeps the old rule: every
eligible site (default all) is a candidate.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from zorglandschap.baseline import (
    BaselineCoverage,
    baseline_coverage,
    baseline_providers,
    baseline_warnings,
    estimate_catchment_volumes,
)
from zorglandschap.demand import resolve_intervention
from zorglandschap.errors import ScenarioError
from zorglandschap.settings import Settings
from zorglandschap.vocab import ELIGIBLE_RULES

#: Columns of the baseline volumes a model is given.
BASELINE_VOLUME_COLUMNS = [
    "intervention", "site_id", "volume", "source", "volume_year", "record_year", "confidence",
]  # fmt: skip

#: SEH states each SEH eligibility rule admits (a spoedpost is not an SEH).
_SEH_RULES: dict[str, tuple[str, ...]] = {"seh_24_7": ("24/7",), "seh": ("24/7", "limited")}

#: An eligibility: a rule, site ids, or either per intervention.
Eligibility = str | Iterable[str] | Mapping[str, str | Iterable[str]]


def eligible_sites(
    landscape: Any,
    rule: str | Iterable[str],
    *,
    year: int = 2025,
    services: pd.DataFrame | None = None,
) -> list[str]:
    """Candidate sites by rule: ``all``, ``seh_24_7`` (a 24/7 SEH), ``seh`` (an SEH, 24/7 or
    limited hours; a spoedpost is not one), or an explicit list of site ids.

    The SEH states are those of ``services`` (e.g. a scenario's
    :attr:`~zorglandschap.scenario.SiteState.services`) when given, else of ``year``.
    """
    sites = landscape.sites
    if isinstance(rule, str):
        if rule == "all":
            return sorted(map(str, sites.index))
        if rule not in _SEH_RULES:
            raise ScenarioError(
                f"Unknown eligibility rule {rule!r}; valid: {', '.join(ELIGIBLE_RULES)}, or a "
                "list of site ids."
            )
        seh = (
            landscape.site_services(year)["seh"] if services is None else services["seh"]
        ).astype(str)
        return sorted(map(str, seh.index[seh.isin(_SEH_RULES[rule])]))
    return sorted(map(str, rule))


@dataclass
class Today:
    """Today's providers of the question's interventions, as the model needs them.

    Attributes
    ----------
    providers
        Site ids per intervention (the named ones).
    volumes
        Rows of :data:`BASELINE_VOLUME_COLUMNS`: volume known, else estimated.
    coverage
        Per intervention, how much of today's provision the baseline names.
    warnings
        What the result should say about the baseline (partial, unplaced, old).
    """

    providers: dict[str, list[str]] = field(default_factory=dict)
    volumes: list[dict[str, Any]] = field(default_factory=list)
    coverage: dict[str, BaselineCoverage] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def today_providers(
    landscape: Any,
    ids: Sequence[str],
    demand: pd.DataFrame,
    pairs: pd.DataFrame,
    *,
    year: int,
    settings: Settings,
) -> Today:
    """Today's providers per intervention and their volumes: known, else estimated from the
    nearest-provider catchment of the modelled ``demand`` (``pairs``: its minutes)."""
    out = Today()
    cs = settings.concentration
    for p in ids:
        b = baseline_providers(landscape, p, settings=settings)
        out.providers[p] = list(b["site_id"])
        out.coverage[p] = baseline_coverage(landscape, p, settings=settings)
        out.warnings += baseline_warnings(
            out.coverage[p], b, label=p, year=year, max_age=cs.baseline_max_age_years
        )
        if len(b) == 0:
            continue
        # a catchment estimate needs today's providers: with a partial list each named one
        # would get the patients of the unnamed ones too
        complete = out.coverage[p].complete
        est = estimate_catchment_volumes(demand[p], pairs, b["site_id"]) if complete else {}
        for r in b.itertuples(index=False):
            known = not math.isnan(r.volume)
            out.volumes.append(
                {
                    "intervention": p,
                    "site_id": r.site_id,
                    "volume": r.volume if known else float(est.get(r.site_id, float("nan"))),
                    "source": f"known ({r.volume_source})"
                    if known
                    else "estimate: nearest-provider catchment of the modelled demand"
                    if complete
                    else "",
                    "volume_year": r.volume_year if known else None,
                    "record_year": r.record_year,
                    "confidence": r.confidence,
                }
            )
    return out


@dataclass(frozen=True)
class Candidates:
    """The candidate sites of a question per intervention, the interventions whose baseline
    is partial, and the warnings that go with the choice."""

    sites: dict[str, list[str]]
    partial: tuple[str, ...]
    warnings: tuple[str, ...]


def candidate_sites(
    landscape: Any,
    ids: Sequence[str],
    today: Today,
    *,
    objective: str,
    allow_new: bool,
    eligible: Eligibility | None,
    open_sites: Iterable[str] | Mapping[str, Iterable[str]] | None,
    year: int,
    services: pd.DataFrame | None,
    settings: Settings,
) -> Candidates:
    """The candidates of each intervention (see the module docstring); sites forced open are
    always candidates.

    Raises
    ------
    ScenarioError
        ``allow_new`` with the travel objective (every eligible site is a candidate there).
    """
    if objective == "travel" and allow_new:
        raise ScenarioError(
            "allow_new (--allow-new) applies to the round-table objective (disruption); with "
            "objective travel every eligible site is already a candidate: drop one of them."
        )

    def rule_sites(p: str, rule: Eligibility) -> set[str]:
        r = rule.get(p, "all") if isinstance(rule, Mapping) else rule
        return set(eligible_sites(landscape, r, year=year, services=services))

    chosen = _by_intervention(landscape, eligible) if isinstance(eligible, Mapping) else eligible
    forced = _forced(landscape, ids, open_sites)
    sites: dict[str, list[str]] = {}
    partial: list[str] = []
    lines: list[str] = []
    new_rule = settings.concentration.new_team_eligible
    for p in ids:
        named = set(today.providers.get(p, []))
        if objective == "travel":
            pool = rule_sites(p, "all" if chosen is None else chosen)
        elif today.coverage.get(p) is not None and today.coverage[p].complete:
            if allow_new:
                pool = named | rule_sites(p, new_rule if chosen is None else chosen)
            else:
                pool = named if chosen is None else named & rule_sites(p, chosen)
        else:
            pool = named | rule_sites(p, new_rule if chosen is None else chosen)
            partial.append(p)
            lines.append(
                _partial_line(p, today.coverage.get(p), n=len(pool), rule=new_rule, chosen=chosen)
            )
        sites[p] = sorted(pool | forced[p])
    return Candidates(sites=sites, partial=tuple(partial), warnings=tuple(lines))


def _partial_line(
    p: str, c: BaselineCoverage | None, *, n: int, rule: str, chosen: Eligibility | None
) -> str:
    what = (f"the {n} sites of rule {rule!r}" if chosen is None else f"the {n} eligible sites") + (
        " and the named providers" if c is not None and c.named else ""
    )
    if c is None or c.named == 0:
        return (
            f"{p}: no provider records: today's providers are unknown, so the candidates are "
            f"{what} and no team counts as keeping, stopping or starting."
        )
    return (
        f"{p}: {c.named} named provider(s) are too few to stand for today's: the candidates "
        f"are {what}, and only the named teams count as keeping or stopping."
    )


def _by_intervention(
    landscape: Any, eligible: Mapping[str, str | Iterable[str]]
) -> dict[str, str | Iterable[str]]:
    return {resolve_intervention(landscape.norms, k): v for k, v in eligible.items()}


def _forced(
    landscape: Any,
    ids: Sequence[str],
    open_sites: Iterable[str] | Mapping[str, Iterable[str]] | None,
) -> dict[str, set[str]]:
    """Sites forced open per intervention (they are candidates whatever the rule)."""
    if open_sites is None:
        return {p: set() for p in ids}
    if isinstance(open_sites, str):
        return {p: {open_sites} for p in ids}
    if isinstance(open_sites, Mapping):
        by_id = {resolve_intervention(landscape.norms, k): v for k, v in open_sites.items()}
        return {p: {str(s) for s in by_id.get(p, ())} for p in ids}
    sites = {str(s) for s in open_sites}
    return {p: set(sites) for p in ids}
