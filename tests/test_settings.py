"""Settings overrides (scenario files, callers) are checked: type, range and choices, by key."""

from __future__ import annotations

import dataclasses
import math

import pytest

from zorglandschap.errors import ScenarioError
from zorglandschap.settings import DEFAULT_SETTINGS, setting_rule


def test_every_default_passes_its_own_rule() -> None:
    for group_field in dataclasses.fields(DEFAULT_SETTINGS):
        group = getattr(DEFAULT_SETTINGS, group_field.name)
        values = {f.name: getattr(group, f.name) for f in dataclasses.fields(group)}
        again = DEFAULT_SETTINGS.replace(**{group_field.name: values})
        assert getattr(again, group_field.name) == group


@pytest.mark.parametrize(
    ("group", "key", "value", "says"),
    [
        (
            "access",
            "norm_minutes",
            -5,
            "access.norm_minutes: got -5; must be a finite number greater than 0",
        ),
        ("access", "norm_minutes", math.nan, "got nan"),
        (
            "travel",
            "detour_factor",
            0,
            "travel.detour_factor: got 0; must be a finite number greater than 0",
        ),
        ("travel", "ambulance_speed_short_kmh", -40.0, "greater than 0"),
        ("travel", "composite_fixed_minutes", -50, "at least 0"),
        ("travel", "composite_fixed_minutes", math.inf, "got inf"),
        ("travel", "knn", -3, "travel.knn: got -3; must be a whole number at least 1"),
        ("travel", "knn", 2.5, "travel.knn must be a whole number, got 2.5"),
        ("solver", "gap", 1.5, "less than 1"),
        ("solver", "time_limit_seconds", 0, "greater than 0"),
        ("concentration", "cut_rounds", "many", "must be a whole number, got 'many'"),
        ("concentration", "norm_cuts", 1, "must be true or false, got 1"),
        ("access", "limited_hours_blocks", "day", "must be a list"),
        ("access", "limited_hours_blocks", ["day", "nacht"], "'nacht' is not a time block"),
    ],
)
def test_a_bad_value_is_refused_naming_the_key_and_the_valid_range(
    group: str, key: str, value: object, says: str
) -> None:
    with pytest.raises(ScenarioError, match=None) as caught:
        DEFAULT_SETTINGS.replace(**{group: {key: value}})
    assert says in str(caught.value)


def test_a_list_from_toml_becomes_a_tuple() -> None:
    settings = DEFAULT_SETTINGS.replace(access={"limited_hours_blocks": ["day", "evening"]})
    assert settings.access.limited_hours_blocks == ("day", "evening")
    hash(settings)  # still a frozen, hashable value


def test_a_length_of_zero_may_switch_a_part_off() -> None:
    assert DEFAULT_SETTINGS.replace(travel={"express_max_km": 0}).travel.express_max_km == 0
    assert setting_rule("express_max_km").__metadata__[0].metadata  # non-negative, not positive
