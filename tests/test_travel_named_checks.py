"""Named checks: public statements about single hospitals, each in the regime it holds in.

Sources: ``shared/data/curated/NOTES-2026-update.md`` (section 1, "Named cases"). A check the
model cannot meet is a strict xfail naming the input that limits it, so the suite says when it
starts to pass. Sensitive = closing the SEH (or AV) alone pushes at least one inhabitant beyond
45 minutes (``access.sensitive_sites``), counted as RIVM counts: 24/7 SEHs, night posts.
"""

from __future__ import annotations

import pytest

from zorglandschap.access import reach, sensitive_sites
from zorglandschap.access.regimes import RIVM_BLOCK, dated_state, regime_settings
from zorglandschap.landscape import Landscape
from zorglandschap.vocab import Service

pytestmark = pytest.mark.slow

DEN_HELDER = "noordwest-zhgroep-den-helder"
MEPPEL = "isala-diaconessenhuis-meppel"
HARDENBERG = "ropcke-zweers-zh-hardenberg"  # Saxenburgh's hospital in Hardenberg
ASSEN = "wilhelmina-zh-assen"


def extra_beyond(
    netherlands: Landscape, site_id: str, service: Service, regime: str, date: str
) -> int:
    """Inhabitants pushed beyond 45 minutes if ``site_id`` alone closes ``service``."""
    result = reach(
        netherlands,
        dated_state(netherlands, date),
        service=service,
        block=RIVM_BLOCK,
        settings=regime_settings(regime),
    )
    frame = sensitive_sites(result)
    return int(frame["extra_beyond"].get(site_id, 0))


@pytest.mark.regime("rivm2019")
@pytest.mark.xfail(
    strict=True,
    reason=(
        "limiting input: the proximity network's Den Helder -> Alkmaar time. In rivm2019 the "
        "northern Den Helder PC4s 1782 (10,710 inhabitants) and 1789 reach Alkmaar in 44.2 and "
        "44.8 composite minutes, within a minute of the norm (the siren matrix's median error "
        "is ~10 %); in rivm2022 they are 46.9 and 47.6 and the check holds (next test)"
    ),
)
@pytest.mark.parametrize("service", ["seh", "av"])
def test_den_helder_is_sensitive_in_2017(netherlands: Landscape, service: Service) -> None:
    """Kamervragen 2017Z10931 (5 Sept 2017): Den Helder is sensitive for SEH and AV (old
    regime; on the 2019 sites, the earliest in the data)."""
    assert extra_beyond(netherlands, DEN_HELDER, service, "rivm2019", "2019-03-01") > 0


@pytest.mark.regime("rivm2022")
@pytest.mark.parametrize("service", ["seh", "av"])
def test_den_helder_is_still_sensitive(netherlands: Landscape, service: Service) -> None:
    """The 2017 statement under today's slower speeds (no SEH or AV has opened near Den
    Helder since, so a hospital sensitive then stays sensitive)."""
    assert extra_beyond(netherlands, DEN_HELDER, service, "rivm2022", "2023-03-01") > 5_000


@pytest.mark.regime("rivm2022")
def test_meppel_is_sensitive_for_about_1700(netherlands: Landscape) -> None:
    """RIVM analysis at the hospital's request (2023): about 1,700 inhabitants. The model's
    figure is a sum of whole PC4s (about 1,500 inhabitants each here), so "about" is taken
    as within a factor 2. Today: 3,070 (Steenwijkerland 1,640, Westerveld 1,425). Before the
    update it was 15,560, mostly Urk: Urk's 21,225 inhabitants sit in two PC4 points 0.2-0.9
    minutes inside the norm in rivm2019 (so closing Meppel pushed them out); in rivm2022 Urk
    is beyond 45 minutes with Meppel open too, so its closure pushes no one from Urk."""
    extra = extra_beyond(netherlands, MEPPEL, "seh", "rivm2022", "2023-03-01")
    assert 850 <= extra <= 3_400


@pytest.mark.regime("rivm2022")
@pytest.mark.xfail(
    strict=True,
    reason=(
        "limiting input: the network's time to the second-nearest SEH at the norm. Closing "
        "Hardenberg pushes PC4 7781 (250 inhabitants) to 45.30 and 7910 (115) to 45.34 "
        "composite minutes: 0.3 minutes beyond 45, far below the proximity network's precision"
    ),
)
def test_hardenberg_is_not_sensitive(netherlands: Landscape) -> None:
    """NZa refused Saxenburgh Hardenberg the availability contribution (for the SEH of a
    sensitive hospital only); the CBb upheld it (Skipr, 4 Feb 2026)."""
    assert extra_beyond(netherlands, HARDENBERG, "seh", "rivm2022", "2025-03-01") == 0


@pytest.mark.regime("rivm2022")
@pytest.mark.xfail(
    strict=True,
    reason=(
        "limiting input: the network's time to the second-nearest SEH at the norm. Closing "
        "Assen pushes Gieten (PC4 9451, 3,795 inhabitants) to 45.02 composite minutes from "
        "Martini Groningen, one second beyond 45, plus six small Aa en Hunze PC4s at 45.2-47.4"
    ),
)
def test_assen_is_not_sensitive(netherlands: Landscape) -> None:
    """NZa refused Wilhelmina Ziekenhuis Assen the availability contribution; the CBb upheld
    it (Skipr, 4 Feb 2026)."""
    assert extra_beyond(netherlands, ASSEN, "seh", "rivm2022", "2025-03-01") == 0
