"""Property-based checks of the scenario schema: whatever a file holds, the reader either
returns a valid scenario or refuses it with a ScenarioError that names the key — never another
exception, never a silently accepted bad number."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape
from zorglandschap.scenario.format import _read_toml, scenario_from_tables

FILE = Path("fuzz.toml")
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
top_keys = st.sampled_from(
    ["name", "description", "baseline", "site", "settings", "concentration", "extends", "nmae"]
)
site_keys = st.sampled_from(["id", "seh", "av", "nicu", "note", "sehh"])
numeric_settings = st.sampled_from(
    [
        ("access", "norm_minutes"),
        ("travel", "detour_factor"),
        ("travel", "composite_fixed_minutes"),
        ("travel", "ambulance_speed_short_kmh"),
        ("travel", "knn"),
        ("solver", "gap"),
        ("solver", "time_limit_seconds"),
        ("concentration", "max_minutes"),
    ]
)


def _accepts_or_names(landscape: Landscape, raw: dict[str, Any]) -> None:
    try:
        scenario_from_tables(raw, FILE, landscape)
    except ScenarioError as exc:
        assert str(FILE) in str(exc) or "settings" in str(exc) or "site" in str(exc)


@FUZZ
@given(raw=st.dictionaries(top_keys, values, max_size=5))
def test_any_top_level_tables_are_accepted_or_refused_by_name(
    netherlands: Landscape, raw: dict[str, Any]
) -> None:
    raw.setdefault("name", "fuzz")
    _accepts_or_names(netherlands, raw)


@FUZZ
@given(sites=st.lists(st.dictionaries(site_keys, values, max_size=4), max_size=4))
def test_any_site_entries_are_accepted_or_refused_by_name(
    netherlands: Landscape, sites: list[Any]
) -> None:
    _accepts_or_names(netherlands, {"name": "fuzz", "site": sites})


@FUZZ
@given(
    setting=numeric_settings,
    value=st.one_of(
        st.floats(max_value=-1e-9),
        st.just(math.nan),
        st.just(math.inf),
        st.just(-math.inf),
        st.text(max_size=5),
        st.booleans(),
    ),
)
def test_a_bad_number_in_settings_is_refused_naming_its_key(
    netherlands: Landscape, setting: tuple[str, str], value: Any
) -> None:
    group, key = setting
    with pytest.raises(ScenarioError, match=rf"{group}\.{key}"):
        scenario_from_tables({"name": "fuzz", "settings": {group: {key: value}}}, FILE, netherlands)


@FUZZ
@given(content=st.binary(max_size=64) | st.text(max_size=64).map(lambda t: t.encode("utf-8")))
def test_any_bytes_are_read_or_refused_naming_the_file(
    tmp_path_factory: pytest.TempPathFactory, content: bytes
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "any.toml"
    path.write_bytes(content)
    try:
        _read_toml(path)
    except ScenarioError as exc:
        assert str(path) in str(exc)
