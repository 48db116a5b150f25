"""Today's providers of each complex intervention, with known or transparently estimated volumes.

The provider records (``regions/complex_care_providers.csv``, from
``shared/data/curated/complex_care_providers.csv``) carry free-text intervention labels, years and
record types. This module turns them into a baseline per intervention id:

* records of type ``provider_volume``, ``provider_listed`` and ``provider_below_norm`` whose
  year is ``since`` or later (default ``settings.concentration.baseline_since_year``), or open
  ended ("2016-") or undated, count as *offers today*; a later ``decision_stop`` for the same
  site removes it;
* a record naming several locations of one organisation (e.g. Amsterdam UMC: AMC and VUmc)
  counts at each of them — stated in the ``note`` column — except at a location with a decision
  to stop: an organisation-level record does not say the care came back to that location
  (Amsterdam UMC moved its HPB surgery to the De Boelelaan location in 2021; its 2024
  organisation-level liver record does not reopen the AMC location);
* records without a site id (ambiguous location, e.g. Amphia's two Breda sites) are reported in
  :func:`unmapped_providers`, never guessed;
* known volumes are the most recent ``annual_volume`` for that site and intervention family, with
  year and source; :func:`estimate_catchment_volumes` estimates the others as the modelled demand
  whose nearest baseline provider is that site, labelled ``estimate``;
* :func:`baseline_coverage` compares the sites found with the number of hospitals that perform
  the intervention nationally (:data:`PROVIDER_COUNTS`, read from the curated national counts),
  and :func:`baseline_warnings` says where the baseline is incomplete, unplaced or old.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from zorglandschap.errors import ScenarioError
from zorglandschap.settings import DEFAULT_SETTINGS, Settings

if TYPE_CHECKING:
    from zorglandschap.landscape import Landscape

#: Provider-file labels that count as performing each intervention id (an editorial mapping,
#: documented in docs/concentration.md). Pancreatoduodenectomy is the main pancreatic resection,
#: so the pancreatic-resection centre list counts for it.
PROVIDER_LABELS: dict[str, tuple[str, ...]] = {
    "pancreatoduodenectomy-whipple-pppd": (
        "Pancreatoduodenectomy (Whipple/PPPD)",
        "Pancreatic resection (all types)",
    ),
    "pancreatic-resection-all-types-iza-tranche-1": (
        "Pancreatoduodenectomy (Whipple/PPPD)",
        "Pancreatic resection (all types)",
    ),
    "oesophagectomy-for-cancer": ("Oesophagectomy",),
    "gastrectomy-for-cancer": ("Gastrectomy",),
    "oesophageal-gastric-cancer-resections-combined-iza-tranche-1": (
        "Oesophagectomy",
        "Gastrectomy",
    ),
    "liver-resection": ("Liver resection",),
    "radical-cystectomy-bladder-cancer": ("Radical cystectomy",),
    "partial-nephrectomy-kidney-cancer": ("Partial nephrectomy",),
    "rectal-cancer-resection": ("Rectal cancer surgery",),
    "vulvar-cancer-surgery": ("Vulvar cancer surgery",),
    "radical-prostatectomy": ("Radical prostatectomy",),
}

#: How many hospitals perform each intervention nationally, and where that count is from (an
#: editorial reading of the curated records: the ``national_count`` rows of
#: complex_care_providers.csv and the notes of norms.csv). A baseline is compared with it to
#: tell a complete provider list from a partial one; interventions without a count are
#: treated as partial.
PROVIDER_COUNTS: dict[str, tuple[int, str]] = {
    "pancreatoduodenectomy-whipple-pppd": (15, "IKNL 2021: 15 hospitals"),
    "pancreatic-resection-all-types-iza-tranche-1": (15, "IKNL 2021: 15 hospitals"),
    "oesophagectomy-for-cancer": (
        16,
        "NZa 2024 on 2022 data: 16 hospitals did oesophageal/stomach resections",
    ),
    "gastrectomy-for-cancer": (
        16,
        "NZa 2024 on 2022 data: 16 hospitals did oesophageal/stomach resections",
    ),
    "oesophageal-gastric-cancer-resections-combined-iza-tranche-1": (
        16,
        "NZa 2024 on 2022 data: 16 hospitals did oesophageal/stomach resections",
    ),
    "liver-resection": (33, "DHBA 2014-2017: 33 centres"),
    "rectal-cancer-resection": (61, "Kompas in Zorg 2023: 61 hospitals"),
    "partial-nephrectomy-kidney-cancer": (38, "Kompas in Zorg 2023: 38 hospitals"),
    "lung-cancer-resection-iza-tranche-1": (
        42,
        "NZa 2024: 42 hospitals did lung-cancer resections",
    ),
}

_OFFER_TYPES = ("provider_volume", "provider_listed", "provider_below_norm")
_YEAR = re.compile(r"(19|20)\d{2}")


def record_year(text: object) -> tuple[int | None, bool]:
    """The latest year in a free-text year field and whether it is open ended.

    Examples
    --------
    >>> record_year("2018-2020"), record_year("2016-"), record_year("undated")
    ((2020, False), (2016, True), (None, False))
    """
    s = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    years = [int(m.group(0)) for m in _YEAR.finditer(s)]
    if not years:
        return None, False
    return max(years), s.strip().endswith("-")


def _records(providers: pd.DataFrame, intervention: str) -> pd.DataFrame:
    if intervention not in PROVIDER_LABELS:
        return providers.iloc[0:0]
    labels = PROVIDER_LABELS[intervention]
    return providers[providers["intervention"].isin(labels)]


#: The columns of :func:`baseline_providers`.
BASELINE_COLUMNS = [
    "site_id",
    "record_year",
    "volume",
    "volume_year",
    "volume_source",
    "confidence",
    "note",
]


@dataclass
class _Evidence:
    """What the provider records say per site: the latest current offer, the latest stop and
    the most recent known volume ``(year, patients, source)``."""

    offers: dict[str, dict[str, Any]] = field(default_factory=dict)
    stops: dict[str, int] = field(default_factory=dict)
    volumes: dict[str, tuple[int, float, str]] = field(default_factory=dict)


def baseline_providers(
    landscape: Landscape,
    intervention: str,
    *,
    since: int | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    everywhere: bool = False,
) -> pd.DataFrame:
    """Sites that offer ``intervention`` today, with the most recent known volume.

    Parameters
    ----------
    landscape
        A :class:`~zorglandschap.landscape.Landscape` (``providers`` and ``sites``).
    intervention
        Intervention id.
    since
        Earliest record year that counts as *today* (default
        ``settings.concentration.baseline_since_year``).
    settings
        Settings.
    everywhere
        Count every site the records name, also those outside ``landscape`` (a regional
        extract keeps the national records): the national baseline.

    Returns
    -------
    pandas.DataFrame
        Columns ``site_id, record_year, volume, volume_year, volume_source, confidence, note``
        (``volume`` NaN when unknown), sorted by site id.
    """
    start = settings.concentration.baseline_since_year if since is None else since
    site_index = set(map(str, landscape.sites.index))
    evidence = _Evidence()
    for r in _records(landscape.providers, intervention).itertuples(index=False):
        ids = [s for s in str(r.site_ids).split(";") if s and s != "nan"]
        for sid in ids:
            if everywhere or sid in site_index:
                _weigh(evidence, r, sid, shared=len(ids) > 1, start=start)
    rows = []
    for sid in sorted(evidence.offers):
        offer = evidence.offers[sid]
        year = offer["record_year"]
        shared = offer.pop("shared")
        if sid in evidence.stops and (year is None or shared or evidence.stops[sid] >= int(year)):
            continue  # a decision to stop at or after the latest offer, or any organisation-level one
        vyear, volume, source = evidence.volumes.get(sid, (0, float("nan"), ""))
        rows.append(
            {**offer, "volume": volume, "volume_year": vyear or None, "volume_source": source}
        )
    return pd.DataFrame(rows, columns=BASELINE_COLUMNS)


def _weigh(evidence: _Evidence, r: Any, sid: str, *, shared: bool, start: int) -> None:
    """Add what provider record ``r`` says about site ``sid`` to ``evidence``.

    ``shared``: the record names several locations of one organisation (counted at each).
    """
    year, open_ended = record_year(r.year)
    if r.record_type == "decision_stop" and year is not None:
        evidence.stops[sid] = max(evidence.stops.get(sid, 0), year)
    if r.record_type not in _OFFER_TYPES:
        return
    if not pd.isna(r.annual_volume):
        previous = evidence.volumes.get(sid)
        vyear = year or 0
        if previous is None or vyear > previous[0]:
            evidence.volumes[sid] = (vyear, float(r.annual_volume), f"{r.year}: {r.source}")
    if not (year is None or open_ended or year >= start):
        return  # an offer before ``since`` does not count as today
    note = "organisation-level record counted at each listed location" if shared else ""
    if year is None:
        note = (note + "; " if note else "") + "undated record"
    latest = evidence.offers.get(sid)
    newer = latest is None or (year or 0) > int(latest["record_year"] or 0)
    # of the same year, a record of the location itself says more than the organisation's
    own = (
        latest is not None
        and (year or 0) == int(latest["record_year"] or 0)
        and bool(latest["shared"])
        and not shared
    )
    if newer or own:
        evidence.offers[sid] = {
            "site_id": sid,
            "record_year": year,
            "confidence": str(r.confidence),
            "note": note,
            "shared": shared,
        }


def unmapped_providers(landscape: Landscape, intervention: str) -> list[str]:
    """Provider records for ``intervention`` without a site id (ambiguous location), as text."""
    recs = _records(landscape.providers, intervention)
    recs = recs[recs["record_type"].isin(_OFFER_TYPES)]
    out = []
    for r in recs.itertuples(index=False):
        if pd.isna(r.site_ids) or not str(r.site_ids).strip():
            out.append(f"{r.hospital_organisation} ({r.location}, {r.year})")
    return sorted(set(out))


def estimate_catchment_volumes(
    demand: pd.Series, pairs: pd.DataFrame, providers: Iterable[str]
) -> pd.Series:
    """Estimated volume per provider: the demand whose nearest provider it is.

    Parameters
    ----------
    demand
        Patients a year per demand id.
    pairs
        Columns ``demand_id, site_id, minutes``.
    providers
        Site ids of today's providers.

    Returns
    -------
    pandas.Series
        Patients a year per provider site id (0 for a provider nearest to nobody).

    Raises
    ------
    ScenarioError
        If there are no providers.

    Examples
    --------
    >>> pairs = pd.DataFrame({"demand_id": ["a", "a", "b", "b"], "site_id": ["S", "T", "S", "T"],
    ...                       "minutes": [5.0, 9.0, 8.0, 4.0]})
    >>> estimate_catchment_volumes(pd.Series({"a": 3.0, "b": 2.0}), pairs, ["S", "T"]).to_dict()
    {'S': 3.0, 'T': 2.0}
    """
    prov = sorted(set(providers))
    if not prov:
        raise ScenarioError("No baseline providers to estimate catchment volumes for.")
    p = pairs[pairs["site_id"].isin(prov)].sort_values(["demand_id", "minutes", "site_id"])
    nearest = p.drop_duplicates("demand_id")[["demand_id", "site_id"]]
    d = demand.rename("d").rename_axis("demand_id").reset_index()
    d["demand_id"] = d["demand_id"].astype(str)
    joined = nearest.astype({"demand_id": str}).merge(d, on="demand_id", how="inner")
    vol = joined.groupby("site_id")["d"].sum()
    return vol.reindex(prov, fill_value=0.0).astype(float)


@dataclass(frozen=True)
class BaselineCoverage:
    """How much of today's provision of an intervention the baseline names.

    Attributes
    ----------
    intervention
        Intervention id.
    named
        Sites the baseline names (:func:`baseline_providers`).
    national
        Hospitals that perform it nationally (:data:`PROVIDER_COUNTS`), None when unknown.
    national_source
        Where ``national`` is from.
    unplaced
        Provider records without a site id (:func:`unmapped_providers`).
    min_share
        The share of ``national`` the baseline must name to count as complete.
    """

    intervention: str
    named: int
    national: int | None
    national_source: str
    unplaced: tuple[str, ...]
    min_share: float

    @property
    def complete(self) -> bool:
        """True when the baseline names at least ``min_share`` of the national count (a
        round table may then take today's providers as the candidates)."""
        return (
            self.named > 0
            and self.national is not None
            and self.named >= self.min_share * self.national
        )


def baseline_coverage(
    landscape: Landscape, intervention: str, *, settings: Settings = DEFAULT_SETTINGS
) -> BaselineCoverage:
    """The baseline of ``intervention`` against the national count of its providers (on a
    regional extract too: the question is whether the records name today's providers, which
    is a national matter).

    >>> from zorglandschap.landscape import load_landscape
    >>> c = baseline_coverage(load_landscape(), "oesophagectomy-for-cancer")
    >>> c.named, c.national, c.complete
    (9, 16, True)
    """
    named = len(baseline_providers(landscape, intervention, settings=settings, everywhere=True))
    national, source = PROVIDER_COUNTS.get(intervention, (None, ""))
    return BaselineCoverage(
        intervention=intervention,
        named=named,
        national=national,
        national_source=source,
        unplaced=tuple(unmapped_providers(landscape, intervention)),
        min_share=settings.concentration.baseline_min_share,
    )


def baseline_warnings(
    coverage: BaselineCoverage,
    providers: pd.DataFrame,
    *,
    label: str,
    year: int,
    max_age: int,
) -> list[str]:
    """What a planner should know about a baseline: unnamed, partial or unplaced providers,
    and provider records or known volumes older than ``max_age`` years before ``year``.

    ``providers`` is :func:`baseline_providers`' table; ``label`` names the intervention.
    """
    lines = []
    c = coverage
    if c.national is not None and c.named < c.national:
        lines.append(
            f"{label}: the data name {c.named} of the {c.national} hospitals that perform it "
            f"({c.national_source}); the others are not in the baseline."
        )
    if c.unplaced:
        lines.append(
            f"{label}: provider record(s) without a site, left out of the baseline: "
            f"{'; '.join(c.unplaced)}."
        )
    limit = year - max_age
    years = [int(y) for y in providers["record_year"].dropna()]
    if years and max(years) < limit:
        lines.append(
            f"{label}: the latest provider record is from {max(years)}, more than {max_age} "
            f"years before {year}: today's providers may have changed."
        )
    vol = providers.dropna(subset=["volume"])
    old = vol[[(y or 0) < limit for y in vol["volume_year"]]]
    if len(old):
        span = sorted({int(y) for y in old["volume_year"] if y})
        when = f"{span[0]}" if len(span) == 1 else f"{span[0]}-{span[-1]}"
        lines.append(
            f"{label}: {len(old)} of the {len(providers)} volumes known today are from {when}, "
            f"more than {max_age} years before {year}."
        )
    return lines
