"""The population of a later year: the 2021 PC4 population scaled to CBS's national total.

The embedded PC4 population is that of 1 January 2021 (CBS; 17,472,870 in all). For a later
year the whole landscape is scaled by one factor, CBS's national population on 1 January of
that year (``settings.population.national_totals``) over the data's national total, or by a
growth factor the caller gives. Every area keeps its 2021 share and age profile: an
assumption (CBS publishes no recent age detail per area), stated wherever results are reported.

The factor is always taken on the *national* total, also for a regional extract, so an
extract's inhabitants are the national run's inhabitants of the same areas.

>>> from zorglandschap.landscape import load_landscape
>>> nl = load_landscape()
>>> round(population_factor(nl, year=2026), 4), round(population_factor(nl, year=2025), 4)
(1.0376, 1.033)
>>> later = scaled_population(nl, year=2026)
>>> later.population_year, round(float(later.pc4["population"].sum()))
(2026, 18130000)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from zorglandschap.errors import ScenarioError
from zorglandschap.settings import DEFAULT_SETTINGS, Settings

if TYPE_CHECKING:
    from zorglandschap.landscape.model import Landscape

__all__ = ["national_population", "population_factor", "population_years", "scaled_population"]


def national_population(landscape: Landscape) -> float:
    """The national population of the landscape's data (of the whole country it was cut from,
    for an extract)."""
    frame = landscape.pc4 if landscape.national_pc4 is None else landscape.national_pc4
    return float(frame["population"].sum())


def population_years(settings: Settings = DEFAULT_SETTINGS) -> dict[int, float]:
    """The years with a national total to scale to, and the total (from the settings)."""
    return {int(year): float(total) for year, total in settings.population.national_totals}


def population_factor(
    landscape: Landscape,
    *,
    year: int | None = None,
    growth: float | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> float:
    """The factor that takes the landscape's population to ``year`` (or by ``growth``).

    ``year`` equal to the data's own population year gives 1.0. Give ``year`` or ``growth``,
    not both; neither gives 1.0.

    Raises
    ------
    ScenarioError
        For both given, a year without a national total in the settings (naming the years
        that have one), or a growth factor that is not a positive finite number.
    """
    if year is not None and growth is not None:
        raise ScenarioError(
            "Give population_year or population_growth, not both: the year implies its own "
            "growth from the 2021 data."
        )
    if growth is not None:
        if isinstance(growth, bool) or not math.isfinite(growth) or growth <= 0:
            raise ScenarioError(f"population_growth must be a positive number, got {growth!r}.")
        return float(growth)
    if year is None or year == landscape.population_year:
        return 1.0
    totals = population_years(settings)
    if year not in totals:
        valid = ", ".join(str(y) for y in (landscape.population_year, *sorted(totals)))
        raise ScenarioError(
            f"population_year {year}: no national population known for that year; valid: "
            f"{valid} (add one in [settings.population] national_totals = [[{year}, "
            "INHABITANTS]] with its source)."
        )
    return totals[year] / national_population(landscape)


def scaled_population(
    landscape: Landscape,
    *,
    year: int | None = None,
    growth: float | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> Landscape:
    """A copy of ``landscape`` with every population figure scaled to ``year`` (or by
    ``growth``); the landscape itself when the factor is 1.

    A growth factor keeps the data's population year (the figures are "2021 × growth").
    See :func:`population_factor` for the rules and errors.
    """
    factor = population_factor(landscape, year=year, growth=growth, settings=settings)
    if factor == 1.0:
        return landscape
    label = landscape.population_year if year is None else year
    return landscape.scale_population(factor, year=label)
