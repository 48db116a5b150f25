"""The site state an analysis runs on: which services each site offers.

A state is a baseline year (2019, 2025) or a baseline with a scenario's changes applied.

>>> from zorglandschap.landscape import load_landscape
>>> state = baseline_state(load_landscape(), 2025)
>>> state.name, int((state.services["seh"] == "24/7").sum())
('2025', 76)
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zorglandschap.errors import ScenarioError

if TYPE_CHECKING:
    import pandas as pd

    from zorglandschap.landscape import Landscape


@dataclass(frozen=True)
class SiteState:
    """Which services each site offers: the state an analysis runs on.

    Attributes
    ----------
    name
        ``"2019"``, ``"2025"`` or the scenario's name.
    services
        Index ``site_id``; columns ``seh`` (one of
        :data:`~zorglandschap.vocab.SCENARIO_SEH_STATES`), ``av``, ``nicu`` (bool).
    """

    name: str
    services: pd.DataFrame

    def with_changes(
        self, changes: dict[str, dict[str, Any]], *, name: str | None = None
    ) -> SiteState:
        """A new state with ``{site_id: {"seh": ..., "av": ...}}`` applied."""
        services = self.services.copy()
        for site_id, values in changes.items():
            if site_id not in services.index:
                raise ScenarioError(unknown_site_message(site_id, services.index))
            for column, value in values.items():
                services.at[site_id, column] = value
        return SiteState(name=name or self.name, services=services)


def unknown_site_message(site_id: str, valid: pd.Index) -> str:
    """'Unknown site id …' with the closest valid ids, so a typo is easy to fix."""
    close = difflib.get_close_matches(site_id, list(valid), n=3, cutoff=0.5)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    return (
        f"Unknown site id {site_id!r}.{hint} Find a site's id with "
        "`zorglandschap sites --search NAME` (or in regions/sites.csv, column site_id)."
    )


def baseline_state(landscape: Landscape, year: int) -> SiteState:
    """The site state of a baseline year (2019 or 2025)."""
    return SiteState(name=str(year), services=landscape.site_services(year).copy())
