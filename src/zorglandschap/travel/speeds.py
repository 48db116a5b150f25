"""Edge minutes per travel profile: the speed model of the default network.

A proximity edge of straight length *L* km between ends of mean density ρ takes
``60 · L · detour_factor / v(L, ρ)`` minutes, where the speed grows with the edge length from
``<profile>_speed_short_kmh`` towards ``<profile>_speed_long_kmh`` (half-way at
``speed_half_km``) and is multiplied by ``urban_speed_factor`` where ρ is at least
``urban_density_per_km2``. Express edges run at ``<profile>_express_speed_kmh``; a ramp costs
half of ``<profile>_express_ramp_minutes``; fixed links keep their own minutes. All constants
are in :class:`zorglandschap.settings.TravelSettings`.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from zorglandschap.errors import TravelError
from zorglandschap.settings import TravelSettings
from zorglandschap.vocab import PROFILES


def check_profile(profile: str) -> None:
    """Raise :class:`TravelError` unless ``profile`` is one of :data:`PROFILES`."""
    if profile not in PROFILES:
        raise TravelError(
            f"Unknown travel profile {profile!r}; valid profiles: {', '.join(PROFILES)}."
        )


def edge_minutes(
    length_m: np.ndarray, density: np.ndarray, profile: str, travel: TravelSettings
) -> np.ndarray:
    """Minutes to drive proximity edges: length x detour / speed(length, density).

    Parameters
    ----------
    length_m
        Straight-line edge lengths, metres.
    density
        Mean population density of the edge's two ends, inhabitants/km2.
    profile
        ``"ambulance"`` (siren) or ``"car"``.
    travel
        The constants.

    Examples
    --------
    >>> from zorglandschap.settings import TravelSettings
    >>> t = TravelSettings(detour_factor=1.0, ambulance_speed_short_kmh=60.0,
    ...                    ambulance_speed_long_kmh=60.0, urban_speed_factor=1.0)
    >>> float(edge_minutes(np.array([1000.0]), np.array([0.0]), "ambulance", t)[0])
    1.0
    """
    check_profile(profile)
    short = getattr(travel, f"{profile}_speed_short_kmh")
    long = getattr(travel, f"{profile}_speed_long_kmh")
    km = np.asarray(length_m, float) / 1000.0
    speed = short + (long - short) * km / (km + travel.speed_half_km)
    density = np.asarray(density)
    speed = np.where(
        density >= travel.urban_density_per_km2, speed * travel.urban_speed_factor, speed
    )
    if profile == "car" and travel.car_rural_speed_factor != 1.0:
        rural = density < travel.rural_density_per_km2
        speed = np.where(rural, speed * travel.car_rural_speed_factor, speed)
    return km * travel.detour_factor / speed * 60.0


def network_minutes(
    length_m: np.ndarray,
    density: np.ndarray,
    edges: np.ndarray,
    fixed: dict[str, np.ndarray],
    travel: TravelSettings,
    kind: np.ndarray,
) -> dict[str, np.ndarray]:
    """Minutes of every edge of a network, per profile.

    Proximity edges by :func:`edge_minutes` (on the mean density of their two ends), express
    edges at the express speed, ramps at half the ramp minutes (a trip gets on and off once),
    and edges with fixed minutes (the fixed links) at those.
    """
    edge_density = (density[edges[:, 0]] + density[edges[:, 1]]) / 2.0
    express = kind == "express"
    ramp = kind == "ramp"
    out: dict[str, np.ndarray] = {}
    for profile in PROFILES:
        w = edge_minutes(length_m, edge_density, profile, travel)
        speed = getattr(travel, f"{profile}_express_speed_kmh")
        w = np.where(express, length_m / 1000.0 * travel.detour_factor / speed * 60.0, w)
        # a trip enters and leaves the express layer once: half the ramp minutes each way
        w = np.where(ramp, getattr(travel, f"{profile}_express_ramp_minutes") / 2.0, w)
        f = fixed[profile]
        out[profile] = np.where(np.isnan(f), w, f)
    return out


def link_minutes(row: pd.Series, km: float, travel: TravelSettings) -> dict[str, float]:
    """Minutes to cross one fixed link, per profile.

    A ferry takes its crossing plus waiting minutes (``travel.ferry_waiting_minutes`` overrides
    the row's waiting time when set), by car and by ambulance alike; a bridge, dam, tunnel or
    road takes its length at the posted speed (times ``ambulance_link_speed_factor`` with siren).
    """
    if row["kind"] == "ferry":
        wait = travel.ferry_waiting_minutes
        total = float(row["crossing_minutes"]) + float(
            row["waiting_minutes"] if wait is None else wait
        )
        return {"ambulance": total, "car": total}
    speed = float(row["speed_kmh"])
    return {
        "car": km / speed * 60.0,
        "ambulance": km / (speed * travel.ambulance_link_speed_factor) * 60.0,
    }


def scaled_ambulance(travel: TravelSettings, factor: float) -> TravelSettings:
    """The same constants with every ambulance driving speed multiplied by ``factor``.

    Local, long and express speeds and the speed on fixed links scale by ``factor`` and the
    express ramp minutes by ``1 / factor``, so every ambulance minute on a road, bridge, dam or
    tunnel is divided by ``factor``; ferries keep their crossing and waiting minutes. The car
    profile is untouched. Used by the RIVM composite's calibration regimes.

    Examples
    --------
    >>> from zorglandschap.settings import TravelSettings
    >>> t = TravelSettings()
    >>> slow = scaled_ambulance(t, 0.5)
    >>> length, density = np.array([5_000.0]), np.array([100.0])
    >>> ratio = edge_minutes(length, density, "ambulance", slow) / edge_minutes(
    ...     length, density, "ambulance", t)
    >>> round(float(ratio[0]), 9)
    2.0
    """
    if factor == 1.0:
        return travel
    return dataclasses.replace(
        travel,
        ambulance_speed_short_kmh=travel.ambulance_speed_short_kmh * factor,
        ambulance_speed_long_kmh=travel.ambulance_speed_long_kmh * factor,
        ambulance_express_speed_kmh=travel.ambulance_express_speed_kmh * factor,
        ambulance_express_ramp_minutes=travel.ambulance_express_ramp_minutes / factor,
        ambulance_link_speed_factor=travel.ambulance_link_speed_factor * factor,
    )
