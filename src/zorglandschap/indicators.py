"""Population-weighted travel indicators shared by every analysis: mean, P90, max, share beyond.

Examples
--------
>>> import numpy as np
>>> weighted_quantile(np.array([10.0, 20.0, 30.0]), np.array([1.0, 1.0, 8.0]), 0.5)
30.0
>>> travel_indicators(np.array([10.0, 50.0]), np.array([3.0, 1.0]), threshold=45)["beyond"]
1.0
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def weighted_quantile(values: FloatArray, weights: FloatArray, q: float) -> float:
    """The smallest value at or below which at least a share ``q`` of the weight lies.

    Unreachable points (``inf``) take part, so a P90 can be ``inf``. Returns NaN if the total
    weight is zero.
    """
    values = np.asarray(values, dtype=float)
    weights = np.asarray(weights, dtype=float)
    keep = weights > 0
    values, weights = values[keep], weights[keep]
    if values.size == 0:
        return float("nan")
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    position = np.searchsorted(cumulative, q * cumulative[-1] * (1 - 1e-12), side="left")
    return float(values[order][min(position, values.size - 1)])


def travel_indicators(
    minutes: FloatArray,
    weights: FloatArray,
    *,
    threshold: float | FloatArray,
    tolerance: float = 0.0,
) -> dict[str, Any]:
    """Population-weighted indicators of travel ``minutes`` against a ``threshold``.

    Parameters
    ----------
    minutes, weights
        Travel minutes (``inf`` = unreachable) and weights (population, patients) per point.
    threshold
        Minutes within which a point counts as within: one value, or one per point (e.g. the
        maximum time of each point's intervention).
    tolerance
        Minutes up to ``threshold + tolerance`` still count as within (rounding slack, e.g.
        1e-9 for minutes that are means of finer times).

    Returns
    -------
    dict
        ``population``, ``within`` and ``beyond`` (weights within / beyond the threshold,
        unreachable counted beyond), ``share_within``, ``mean_minutes`` (over reachable
        points), ``p90_minutes``, ``max_minutes`` (over points with weight), ``unreachable``.
    """
    minutes = np.asarray(minutes, dtype=float)
    weights = np.asarray(weights, dtype=float)
    total = float(weights.sum())
    within = float(weights[minutes <= np.asarray(threshold, dtype=float) + tolerance].sum())
    finite = np.isfinite(minutes)
    reachable_weight = float(weights[finite].sum())
    populated = weights > 0
    return {
        "population": total,
        "within": within,
        "beyond": total - within,
        "share_within": within / total if total > 0 else float("nan"),
        "mean_minutes": (
            float((minutes[finite] * weights[finite]).sum() / reachable_weight)
            if reachable_weight > 0
            else float("nan")
        ),
        "p90_minutes": weighted_quantile(minutes, weights, 0.9),
        "max_minutes": float(minutes[populated].max()) if populated.any() else float("nan"),
        "unreachable": float(weights[~finite].sum()),
    }
