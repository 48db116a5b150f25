"""The one fitted parameter of the RIVM composite: the fixed minutes, against RIVM 2019.

The fixed minutes (dispatch and treatment on scene, ``travel.composite_fixed_minutes``) shift
every composite time equally, so the population beyond the norm is an exact step function of
them, computed from one reach with 0 fixed minutes (method and figures: ``docs/access.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from zorglandschap.access.reach import reach
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.state import baseline_state
from zorglandschap.settings import DEFAULT_SETTINGS, Settings

#: RIVM's published 2019 figure: about 33,000 inhabitants beyond 45 minutes of a 24/7 SEH
#: (99.8 % within). Source: RIVM, Bereikbaarheidsanalyse SEH's en acute verloskunde 2019, as
#: quoted in DESIGN.md section 4.
RIVM_2019_BEYOND_45 = 33_000

#: The fixed minutes searched: 0 to this many, on the ``step`` grid of the fit (an assumption
#: wide enough for any plausible dispatch plus on-scene time).
MAX_FIXED_MINUTES = 30.0


@dataclass(frozen=True)
class FixedMinutesFit:
    """The result of :func:`calibrate_fixed_minutes`."""

    fixed_minutes: float
    beyond: int
    target_beyond: int
    curve: pd.Series  # fixed minutes → inhabitants beyond


def calibrate_fixed_minutes(
    landscape: Landscape,
    *,
    target_beyond: int = RIVM_2019_BEYOND_45,
    year: int = 2019,
    block: str = "day",
    step: float = 0.25,
    settings: Settings = DEFAULT_SETTINGS,
) -> FixedMinutesFit:
    """Fit the one free parameter of the composite, ``travel.composite_fixed_minutes``.

    The fixed minutes (dispatch and treatment on scene) shift every composite time equally, so
    the population beyond the norm is a step function of them: computed exactly from one reach
    with 0 fixed minutes. Returns the value on a ``step`` grid whose beyond count is closest to
    ``target_beyond`` and the whole curve. The count is a step function (4,067 demand points),
    so several values can tie: the middle of the tied range is returned.
    """
    zero = settings.replace(travel={"composite_fixed_minutes": 0.0})
    base = reach(landscape, baseline_state(landscape, year), block=block, settings=zero)
    minutes = base.points["minutes"].to_numpy()
    population = base.points["population"].to_numpy()
    norm = base.minutes_norm
    grid = np.round(np.arange(0.0, MAX_FIXED_MINUTES + step / 2, step), 4)
    beyond = np.array([population[minutes + f > norm].sum() for f in grid])
    distance = np.abs(beyond - target_beyond)
    tied = np.flatnonzero(distance == distance.min())
    best = int(tied[len(tied) // 2])
    curve = pd.Series(np.round(beyond).astype(int), index=pd.Index(grid, name="fixed_minutes"))
    return FixedMinutesFit(
        fixed_minutes=float(grid[best]),
        beyond=int(curve.iloc[best]),
        target_beyond=target_beyond,
        curve=curve.rename("beyond"),
    )
