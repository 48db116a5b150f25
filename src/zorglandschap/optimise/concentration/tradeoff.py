"""Trade-off curves of a concentration model: travel against the number of sites, or against
disruption (teams that stop or start), each point a full solve of a changed model."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import pandas as pd

from zorglandschap.errors import ScenarioError
from zorglandschap.optimise.concentration.formulation import Spec
from zorglandschap.optimise.concentration.result import ConcentrationResult, TradeoffCurve


class ConcentrationModel(Protocol):
    """What a trade-off reads of :class:`~.model.ConcentrationModel`."""

    @property
    def interventions(self) -> tuple[str, ...]: ...
    @property
    def specs(self) -> Mapping[str, Spec]: ...
    @property
    def candidates(self) -> Mapping[str, tuple[str, ...]]: ...
    @property
    def demand(self) -> pd.DataFrame: ...
    def replace(self, **changes: Any) -> ConcentrationModel: ...
    def solve(
        self,
        *,
        solver: str | None = ...,
        time_limit: float | None = ...,
        gap: float | None = ...,
    ) -> ConcentrationResult: ...


def tradeoff_curve(
    model: ConcentrationModel,
    *,
    sites: Sequence[int] | None,
    disruption_weights: Sequence[float] | None,
    how: dict[str, Any],
) -> TradeoffCurve:
    """The curve :meth:`ConcentrationModel.tradeoff` describes (``how``: its solve options)."""
    if sites is not None and disruption_weights is not None:
        raise ScenarioError("Give either sites or disruption_weights to tradeoff, not both.")
    if disruption_weights is not None:
        weights = [float(w) for w in disruption_weights]
        results = []
        for w in weights:
            if not math.isfinite(w) or w < 0:
                raise ScenarioError(f"Disruption weights must be finite and >= 0, got {w}.")
            # weighed, not ordered: the travel objective with w per team change
            weighted = model.replace(objective="travel", stop_weight=w, start_weight=w)
            results.append(weighted.solve(**how))
        return TradeoffCurve.from_results("disruption", weights, results)
    if len(model.interventions) != 1:
        raise ScenarioError(
            "A sites trade-off needs a single intervention; the model has "
            f"{len(model.interventions)} ({', '.join(model.interventions)})."
        )
    p = model.interventions[0]
    counts = [float(n) for n in (feasible_site_counts(model) if sites is None else sites)]
    results = [
        model.replace(min_sites={p: int(n)}, max_sites={p: int(n)}).solve(**how) for n in counts
    ]
    return TradeoffCurve.from_results("sites", counts, results)


def feasible_site_counts(model: ConcentrationModel) -> range:
    """Every feasible number of sites of the single intervention: from what the region
    guarantees, forced sites and bounds require up to ``floor(demand / norm)``."""
    p = model.interventions[0]
    spec = model.specs[p]
    low = max(1, sum(spec.per_region.values()), len(spec.force_open), spec.min_sites or 0)
    n_candidates = len(model.candidates[p])
    total = float(model.demand[p].sum())
    high = math.floor(total / spec.norm + 1e-9) if spec.norm > 0 else n_candidates
    high = min(high, n_candidates)
    if spec.max_sites is not None:
        high = min(high, spec.max_sites)
    return range(low, high + 1)
