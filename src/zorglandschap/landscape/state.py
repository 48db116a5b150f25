"""The site state an analysis runs on: which services each site offers.

A state is a baseline year (2019, 2025) or a baseline with a scenario's changes applied.

>>> from zorglandschap.landscape import load_landscape
>>> state = baseline_state(load_landscape(), 2025)
>>> state.name, int((state.services["seh"] == "24/7").sum())
('2025', 76)
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zorglandschap.errors import ScenarioError
from zorglandschap.vocab import TIME_BLOCKS

if TYPE_CHECKING:
    import pandas as pd

    from zorglandschap.landscape import Landscape
    from zorglandschap.settings import Settings


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
    hours
        Opening blocks of limited-hours SEHs set by a scenario (``site_id → blocks``); they
        override ``settings.access.site_opening_blocks`` and ``limited_hours_blocks``.
    """

    name: str
    services: pd.DataFrame
    hours: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def seh_blocks(self, site_id: str, settings: Settings) -> tuple[str, ...]:
        """The time blocks in which ``site_id``'s SEH takes ambulances.

        24/7: every block; limited hours: the scenario's hours for the site, else its published
        hours (``settings.access.site_opening_blocks``), else
        ``settings.access.limited_hours_blocks``; a spoedpost or no SEH: none (no ambulance
        intake).
        """
        seh = self.services.at[site_id, "seh"]
        if seh == "24/7":
            return TIME_BLOCKS
        if seh != "limited":
            return ()
        return self.limited_blocks(site_id, settings)

    def limited_blocks(self, site_id: str, settings: Settings) -> tuple[str, ...]:
        """The blocks ``site_id``'s SEH is open in when it keeps limited hours (whatever its
        state now): the scenario's hours, its published hours, or the default."""
        if site_id in self.hours:
            return tuple(self.hours[site_id])
        published = dict(settings.access.site_opening_blocks)
        return tuple(published.get(site_id, settings.access.limited_hours_blocks))

    def seh_open_in(self, block: str, settings: Settings) -> list[str]:
        """Sorted site ids whose SEH takes ambulances in ``block``."""
        return sorted(s for s in self.services.index if block in self.seh_blocks(s, settings))

    def with_changes(
        self, changes: dict[str, dict[str, Any]], *, name: str | None = None
    ) -> SiteState:
        """A new state with ``{site_id: {"seh": ..., "av": ...}}`` applied."""
        services = self.services.copy()
        hours = dict(self.hours)
        for site_id, values in changes.items():
            if site_id not in services.index:
                raise ScenarioError(unknown_site_message(site_id, services.index))
            for column, value in values.items():
                if column == "blocks":
                    hours[site_id] = tuple(value)
                else:
                    services.at[site_id, column] = value
        return SiteState(name=name or self.name, services=services, hours=hours)


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
