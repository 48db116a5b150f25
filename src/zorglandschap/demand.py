"""Patients per demand point per complex intervention, from national volumes and population.

Method (also in ``docs/concentration.md``): the national annual volume of an intervention
(``norms.national_annual_volume``, with its source and year) is distributed over PC4 areas in
proportion to their age-weighted population,

.. math::

    d_{ip} = s_p \\, N_p \\, \\frac{\\sum_a w_{pa} \\, n_{ia}}{\\sum_{i'} \\sum_a w_{pa} \\, n_{i'a}},

with :math:`N_p` the national volume, :math:`n_{ia}` the population of PC4 *i* in five-year age
band *a*, :math:`w_{pa}` the age weights (:class:`~zorglandschap.settings.DemandSettings`: the
age-specific incidence shape of pancreatic cancer, GLOBOCAN 2012 — an assumption for the other
interventions) and :math:`s_p` a scenario scale (growth, a later year). Where the norms table
has no national volume, the intervention has no default demand: a scenario must supply it.

Examples
--------
>>> from zorglandschap.landscape import load_landscape
>>> land = load_landscape()
>>> d = intervention_demand(land, ["pancreatoduodenectomy-whipple-pppd"])
>>> round(float(d["pancreatoduodenectomy-whipple-pppd"].sum()), 6)
601.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from zorglandschap.errors import DataError, ScenarioError, problems_to_error
from zorglandschap.settings import DEFAULT_SETTINGS, Settings

if TYPE_CHECKING:
    from zorglandschap.landscape import Landscape

#: Short names for the interventions with both a norm and a national volume. The six are the
#: "six jointly" of the benchmark.
INTERVENTION_ALIASES: dict[str, str] = {
    "pancreas": "pancreatoduodenectomy-whipple-pppd",
    "oesophagus": "oesophagectomy-for-cancer",
    "stomach": "gastrectomy-for-cancer",
    "liver": "liver-resection",
    "bladder": "radical-cystectomy-bladder-cancer",
    "lung": "lung-cancer-new-patients-treated",
}


def resolve_intervention(norms: pd.DataFrame, name: str) -> str:
    """The intervention id for ``name``: an id, an alias (:data:`INTERVENTION_ALIASES`) or a
    unique part of an id.

    Raises
    ------
    ScenarioError
        When nothing or more than one intervention matches, listing the candidates.

    Examples
    --------
    >>> from zorglandschap.landscape import load_landscape
    >>> resolve_intervention(load_landscape().norms, "pancreas")
    'pancreatoduodenectomy-whipple-pppd'
    """
    ids = [str(i) for i in norms.index]
    key = name.strip().lower()
    if key in ids:
        return key
    if key in INTERVENTION_ALIASES and INTERVENTION_ALIASES[key] in ids:
        return INTERVENTION_ALIASES[key]
    hits = sorted(i for i in ids if key and key in i)
    if len(hits) == 1:
        return hits[0]
    aliases = ", ".join(sorted(INTERVENTION_ALIASES))
    if not hits:
        raise ScenarioError(
            f"Unknown intervention {name!r}; use an alias ({aliases}) or one of: {', '.join(ids)}."
        )
    raise ScenarioError(
        f"Intervention {name!r} is ambiguous: {', '.join(hits)}; give the full id or an alias "
        f"({aliases})."
    )


def age_weights(intervention: str, *, settings: Settings = DEFAULT_SETTINGS) -> dict[str, float]:
    """Age weights of ``intervention`` per five-year band (intervention-specific if set)."""
    specific = dict(settings.demand.age_weights_by_intervention)
    weights = specific.get(intervention, settings.demand.age_weights)
    return {band: float(w) for band, w in weights}


def weighted_population(pc4: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """Age-weighted population per PC4: ``sum_a w_a * population_a``.

    Raises
    ------
    DataError
        If an age band of ``weights`` is not a column of ``pc4``.
    """
    missing = [b for b in weights if b not in pc4.columns]
    if missing:
        raise DataError(
            f"The PC4 table lacks age band column(s) {', '.join(missing)}; expected the bands "
            "age_0_4 … age_95_plus of regions/pc4.csv."
        )
    bands = list(weights)
    w = np.array([weights[b] for b in bands], dtype=float)
    values = pc4[bands].to_numpy(dtype=float) @ w
    return pd.Series(values, index=pc4.index, name="weighted_population")


def intervention_demand(
    landscape: Landscape,
    interventions: Sequence[str],
    *,
    volumes: Mapping[str, float] | None = None,
    scale: float | Mapping[str, float] = 1.0,
    reference_pc4: pd.DataFrame | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Patients per PC4 per intervention per year.

    Parameters
    ----------
    landscape
        A :class:`~zorglandschap.landscape.Landscape` (its ``pc4`` and ``norms``).
    interventions
        Intervention ids (index of ``landscape.norms``).
    volumes
        National annual volumes that override (or supply, where blank) the norms table.
    scale
        Multiplier on the national volume (growth, a later year): one value or per intervention.
    reference_pc4
        The population over which the national volume is distributed (default: the whole
        country, ``landscape.national_pc4`` for a regional extract, else ``landscape.pc4``), so a
        region gets its own share and not the whole national volume.
    settings
        Settings (age weights).

    Returns
    -------
    pandas.DataFrame
        Index ``pc4``, one column per intervention, patients a year.

    Raises
    ------
    ScenarioError
        If an intervention is unknown or has no national volume and none is supplied, listing
        every problem at once.
    """
    volumes = dict(volumes or {})
    problems: list[str] = []
    out: dict[str, pd.Series] = {}
    base = reference_pc4 if reference_pc4 is not None else landscape.national_pc4
    if base is None:  # the landscape is the whole country
        base = landscape.pc4
    for p in interventions:
        patients = _national_patients(landscape.norms, p, volumes, scale, problems)
        if patients is None:
            continue
        wp_nat = weighted_population(base, age_weights(p, settings=settings))
        total = float(wp_nat.sum())
        if total <= 0:
            problems.append(f"{p}: the age-weighted population is zero; check the age weights.")
            continue
        wp = wp_nat.reindex(landscape.pc4.index).fillna(0.0)
        out[p] = (wp * (patients / total)).rename(p)
    problems_to_error(problems, kind=ScenarioError)
    frame = pd.DataFrame(out, index=landscape.pc4.index)
    frame.index = frame.index.astype(str)
    frame.index.name = "pc4"
    return frame.sort_index()


def _national_patients(
    norms: pd.DataFrame,
    intervention: str,
    volumes: Mapping[str, float],
    scale: float | Mapping[str, float],
    problems: list[str],
) -> float | None:
    """The national patients a year of ``intervention`` (volume × scale), or None after
    appending why there is none (unknown, no volume, a negative volume or a scale ≤ 0)."""
    p = intervention
    if p not in norms.index:
        problems.append(
            f"Unknown intervention {p!r}; valid ids: {', '.join(map(str, norms.index))}."
        )
        return None
    if p in volumes:
        volume = float(volumes[p])
    else:
        raw = norms.at[p, "national_annual_volume"]
        if pd.isna(raw):
            problems.append(
                f"{p} has no national annual volume in the norms table (blank = not found); "
                "supply one, e.g. volumes={'" + p + "': 1000} or in a scenario. It is never "
                "defaulted."
            )
            return None
        volume = float(raw)
    if volume < 0:
        problems.append(f"The national volume of {p} is {volume}; give patients a year >= 0.")
        return None
    s = float(scale.get(p, 1.0)) if isinstance(scale, Mapping) else float(scale)
    if s <= 0:
        problems.append(f"The demand scale of {p} is {s}; give a positive factor.")
        return None
    return volume * s


def aggregate_demand(demand: pd.DataFrame, pc4_to_area: pd.Series) -> pd.DataFrame:
    """Sum PC4 demand to larger areas (e.g. municipalities via ``pc4.gemeentecode``).

    Examples
    --------
    >>> d = pd.DataFrame({"p": [1.0, 2.0, 3.0]}, index=["1011", "1012", "3511"])
    >>> aggregate_demand(d, pd.Series({"1011": "GM0363", "1012": "GM0363", "3511": "GM0344"}))
              p
    GM0344  3.0
    GM0363  3.0
    """
    area = pc4_to_area.reindex(demand.index)
    if area.isna().any():
        missing = list(area.index[area.isna()][:5])
        raise DataError(f"PC4 area(s) without a municipality: {', '.join(map(str, missing))}.")
    out = demand.groupby(area.values).sum().sort_index()
    out.index = out.index.astype(str)
    return out
