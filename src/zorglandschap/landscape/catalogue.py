"""The site catalogue: every hospital location with its id, place and services, searchable.

This is how a user finds the ``site_id`` that ``--open``, ``--close``, scenario files and the
answers name (``zorglandschap sites --search Heerlen``).

>>> from zorglandschap.landscape import load_landscape
>>> found = site_catalogue(load_landscape(), 2025, search="heerlen")
>>> found.index.tolist()
['zuyderland-mc-heerlen']
>>> found.loc["zuyderland-mc-heerlen", ["municipality", "seh"]].tolist()
['Heerlen', '24/7']
"""

from __future__ import annotations

import difflib
import unicodedata
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from zorglandschap.landscape import Landscape

#: Columns of the catalogue, in order (index ``site_id``).
CATALOGUE_COLUMNS: tuple[str, ...] = (
    "name",
    "organisation",
    "city",
    "municipality",
    "roaz",
    "seh",
    "av",
    "nicu",
)

#: Columns a search looks in (besides the site id).
_SEARCHED = ("name", "organisation", "city", "municipality")


def _folded(text: str) -> str:
    """Lower case without accents, so that 'Sudwest' finds 'Súdwest'."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def site_catalogue(
    landscape: Landscape, year: int = 2025, *, search: str | None = None
) -> pd.DataFrame:
    """Hospital locations with their municipality, ROAZ region and services in ``year``.

    Parameters
    ----------
    year
        The site state whose services are listed (2019 or 2025).
    search
        Keep sites whose id, name, organisation, city or municipality contains every word of
        ``search`` (case and accents ignored).
    """
    sites = landscape.sites
    services = landscape.site_services(year)
    municipality = landscape.municipalities["name"].reindex(sites["gemeentecode"]).to_numpy()
    frame = pd.DataFrame(
        {
            "name": sites["name"],
            "organisation": sites["organisation"],
            "city": sites["city"],
            "municipality": municipality,
            "roaz": sites["roaz"],
            "seh": services["seh"],
            "av": services["av"].astype(bool),
            "nicu": services["nicu"].astype(bool),
        },
        index=sites.index,
    )[list(CATALOGUE_COLUMNS)]
    frame.index.name = "site_id"
    if search:
        haystack = frame.index.to_series().map(_folded)
        for column in _SEARCHED:
            haystack = haystack + " " + frame[column].astype(str).map(_folded)
        keep = pd.Series(True, index=frame.index)
        for word in _folded(search).split():
            keep &= haystack.str.contains(word, regex=False)
        frame = frame[keep]
    return frame.sort_index()


def closest_site_names(landscape: Landscape, text: str, n: int = 3) -> list[str]:
    """Site ids whose id or name looks most like ``text`` (for "did you mean")."""
    names = {_folded(site_id): site_id for site_id in landscape.sites.index}
    names.update({_folded(name): site_id for site_id, name in landscape.sites["name"].items()})
    close = difflib.get_close_matches(_folded(text), list(names), n=n * 2, cutoff=0.4)
    return list(dict.fromkeys(names[c] for c in close))[:n]
