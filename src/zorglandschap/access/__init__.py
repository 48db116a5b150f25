"""Access analysis: RIVM-style 45-minute reach per time block, and sensitive SEHs.

One module per job:

- :mod:`.reach`: the sites open and the posts staffed in a time block, and :func:`reach`, the
  composite time from every demand point to its nearest and second-nearest open site
  (:class:`Reach`);
- :mod:`.sensitivity`: the extra population beyond the norm if one site alone closes, for all
  sites in one pass (:func:`sensitive_sites`, :func:`sensitivity` → :class:`Sensitivity`);
- :mod:`.calibration`: the fit of the composite's fixed minutes against RIVM 2019.

Both results follow the result contract of :mod:`zorglandschap.result` (``summary()``,
``tables()``, ``to_json()``, ``settings``, ``state_name``).

Examples
--------
>>> from zorglandschap.landscape import load_landscape
>>> from zorglandschap.landscape.state import baseline_state
>>> nl = load_landscape().extract(roaz="ROAZ08")
>>> r = reach(nl, baseline_state(nl, 2025), service="seh", block="night")
>>> r.summary()["population"] == int(nl.pc4["population"].sum())
True
>>> sensitivity(r).summary()["open_sites"]
5
"""

from __future__ import annotations

from zorglandschap.access.calibration import (
    RIVM_2019_BEYOND_45,
    FixedMinutesFit,
    calibrate_fixed_minutes,
)
from zorglandschap.access.reach import Reach, check_choice, open_sites, reach, staffed_posts
from zorglandschap.access.sensitivity import (
    Sensitivity,
    sensitive_sites,
    sensitive_sites_by_recompute,
    sensitivity,
)
from zorglandschap.landscape import REGION_LAYERS
from zorglandschap.vocab import BY_CHOICES, SERVICES, Service

__all__ = [
    "BY_CHOICES",
    "REGION_LAYERS",
    "RIVM_2019_BEYOND_45",
    "SERVICES",
    "FixedMinutesFit",
    "Reach",
    "Sensitivity",
    "Service",
    "calibrate_fixed_minutes",
    "check_choice",
    "open_sites",
    "reach",
    "sensitive_sites",
    "sensitive_sites_by_recompute",
    "sensitivity",
    "staffed_posts",
]
