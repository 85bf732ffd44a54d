"""Verification questions: task ids, the consensus rule, and answers whose OSM tags mean what routing assumes."""

from __future__ import annotations

import math

import pytest

from geo import i18n
from geo.errors import BadRequestError, NotFoundError
from geo.network.attributes import (
    KERB_TYPE_CM,
    parse_kerb_height_cm,
    parse_kerb_type_cm,
    parse_length_m,
    parse_smoothness,
    parse_surface,
    parse_yes_no,
)
from geo.reports.audit_model import ATTRIBUTES, OPTIONS, NewAnswer, TaskRef, consensus, option, options_json
from geo.validation import validate


@pytest.mark.parametrize(("values", "needed", "expected"), [
    ([], 2, ("open", None)),
    (["lowered"], 2, ("open", None)),
    (["lowered", "lowered"], 2, ("verified", "lowered")),
    (["lowered", "flush"], 2, ("disputed", None)),
    (["lowered", "lowered", "flush"], 2, ("disputed", None)),  # any disagreement goes to a moderator
    (["lowered"], 1, ("verified", "lowered")),
    (["lowered", "lowered"], 3, ("open", None)),
    (["lowered", "lowered", "lowered"], 3, ("verified", "lowered")),
])
def test_consensus_needs_agreeing_answers_and_no_disagreement(values: list[str], needed: int,
                                                              expected: tuple[str, str | None]) -> None:
    assert consensus(values, needed) == expected


def test_task_ids_name_the_osm_element_and_the_attribute() -> None:
    ref = TaskRef.parse("node/123/kerb")
    assert (ref.element_type, ref.element_id, ref.attribute) == ("node", 123, "kerb")
    assert ref.task_id == "node/123/kerb"
    for bad in ("node/123", "relation/1/kerb", "way/0/surface", "way/-4/surface", "way/12/colour", "way/1e3/width",
                "way/99999999999999999999/width", None, 5):
        with pytest.raises(NotFoundError):
            TaskRef.parse(bad)


@pytest.mark.parametrize("attribute", ATTRIBUTES)
def test_every_option_has_a_label_in_both_languages(attribute: str) -> None:
    assert i18n.has(f"audit.attribute.{attribute}")
    cs, en = options_json(attribute, "cs"), options_json(attribute, "en")
    assert [o["value"] for o in cs] == [o.value for o in OPTIONS[attribute]] == [o["value"] for o in en]
    assert all(o["label"] for o in cs + en)
    assert len({o["label"] for o in cs}) == len(cs)


def test_an_option_not_offered_is_a_bad_request_naming_the_choices() -> None:
    assert option("kerb", "lowered").amount == 3.0
    with pytest.raises(BadRequestError) as exc:
        option("kerb", "asphalt")
    assert exc.value.details["field"] == "value" and "lowered" in exc.value.details["choices"]


def test_the_tags_of_each_answer_read_back_as_the_value_routing_takes() -> None:
    """What is written to OSM is what routing assumed: the project's own tag parsers read every option's tags
    back to the option's amount."""
    for opt in OPTIONS["kerb"]:
        tags = dict(opt.tags)
        height = parse_kerb_height_cm(tags["kerb:height"]) if "kerb:height" in tags else math.nan
        cm = height if not math.isnan(height) else parse_kerb_type_cm(tags["kerb"])
        assert cm == pytest.approx(opt.amount), opt
    assert {o.value for o in OPTIONS["kerb"]} >= {"flush", "lowered"} and KERB_TYPE_CM["lowered"] == 3.0
    for opt in OPTIONS["surface"]:
        assert parse_surface(dict(opt.tags)["surface"]) == opt.value
    for opt in OPTIONS["smoothness"]:
        assert not math.isnan(parse_smoothness(dict(opt.tags)["smoothness"]))
    for opt in OPTIONS["width"]:
        assert parse_length_m(dict(opt.tags)["est_width"]) == pytest.approx(opt.amount)
    for opt in OPTIONS["ramp"]:
        tags = dict(opt.tags)
        wheelchair = parse_yes_no(tags.get("ramp:wheelchair", "no")) == 1.0
        assert (2 if wheelchair else 1 if parse_yes_no(tags.get("ramp:stroller", "no")) == 1.0 else 0) == opt.amount
    assert all(not o.tags for o in OPTIONS["incline"])  # no direction: routing only


def test_an_answer_position_needs_both_coordinates() -> None:
    assert validate(NewAnswer, {"task_id": "way/1/surface", "value": "asphalt"}).lat is None
    ok = validate(NewAnswer, {"task_id": "way/1/surface", "value": "asphalt", "lat": "50.7", "lon": "15.05"})
    assert (ok.lat, ok.lon) == (50.7, 15.05)
    with pytest.raises(BadRequestError) as exc:
        validate(NewAnswer, {"task_id": "way/1/surface", "value": "asphalt", "lat": "50.7"})
    assert exc.value.key == "audit.position_pair"
    with pytest.raises(BadRequestError):
        validate(NewAnswer, {"task_id": "way/1/surface", "value": "asphalt", "lat": "nan", "lon": "15"})
