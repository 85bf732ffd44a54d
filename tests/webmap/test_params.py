"""Request parameter parsing."""

from __future__ import annotations

import numpy as np
import pytest

from geo.errors import BadRequestError, UnknownProfileError
from webmap.params import IsochroneQuery, NearestQuery, parse_bbox, parse_flag, parse_latlon, profile_from_args


def test_latlon_order() -> None:
    assert parse_latlon("50.77, 15.05", "from") == (15.05, 50.77)


@pytest.mark.parametrize("text", [None, "", "50.77", "a,b", "nan,15", "50,inf", "91,15", "50,181", "1,2,3"])
def test_bad_coordinates(text: str | None) -> None:
    with pytest.raises(BadRequestError) as info:
        parse_latlon(text, "from")
    assert info.value.details["field"] == "from"


def test_profile_limits_from_query() -> None:
    p = profile_from_args({"profile": "pram", "max_kerb_cm": "5", "avoid_unknown": "true", "allow_steps": "0"})
    assert p.name == "pram" and p.max_kerb_cm == 5 and p.avoid_unknown and p.steps == "ramp_stroller"
    assert profile_from_args({}).name == "manual_wheelchair"


@pytest.mark.parametrize("args", [{"max_kerb_cm": "high"}, {"avoid_unknown": "maybe"}, {"min_width_m": "-1"},
                                  {"max_uphill_pct": "nan"}])
def test_bad_limits(args: dict) -> None:
    with pytest.raises(BadRequestError):
        profile_from_args(args)


def test_unknown_profile() -> None:
    with pytest.raises(UnknownProfileError):
        profile_from_args({"profile": "bike"})


def test_query_models() -> None:
    assert IsochroneQuery.from_args({"minutes": "15"}).minutes == 15
    with pytest.raises(BadRequestError, match="minutes"):
        IsochroneQuery.from_args({"minutes": "0"})
    with pytest.raises(BadRequestError):
        IsochroneQuery.from_args({"minutes": "nan"})
    assert NearestQuery.from_args({"limit": "3", "category": "community_centre"}).limit == 3
    with pytest.raises(BadRequestError, match="limit"):
        NearestQuery.from_args({"limit": "1000"})


def test_parse_bbox_accepts_spaces_and_negative_numbers() -> None:
    assert parse_bbox(" -1.5, -2 ,3,4") == (-1.5, -2.0, 3.0, 4.0)
    assert parse_bbox(None) is None and parse_bbox("") is None
    assert np.isfinite(parse_bbox("0,0,1,1")).all()
    for bad in ("1,2,3", "a,b,c,d", "0,0,nan,1", "1,0,0,1", "0,0,200,1"):
        with pytest.raises(BadRequestError) as err:
            parse_bbox(bad)
        assert err.value.details["field"] == "bbox"


@pytest.mark.parametrize(("word", "value"), [("1", True), ("true", True), ("on", True), ("Yes", True),
                                             ("0", False), ("false", False), ("off", False), ("no", False),
                                             (None, None), ("", None)])
def test_one_set_of_true_and_false_words(word: str | None, value: bool | None) -> None:
    assert parse_flag(word, "x") is value


def test_an_unknown_flag_word_is_a_400_not_false() -> None:
    with pytest.raises(BadRequestError) as err:
        parse_flag("maybe", "unlocated")
    assert err.value.details == {"field": "unlocated", "value": "maybe"}
