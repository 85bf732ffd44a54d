"""Report domain rules: lifecycle, routing effects, validation, time parsing and photo checks."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from geo.errors import BadRequestError, InvalidTransitionError
from geo.reports.model import (
    CATEGORIES,
    EFFECTS,
    MAX_ID,
    PENALTY_S,
    STATUSES,
    TRANSITIONS,
    Effect,
    Event,
    NewReport,
    Report,
    StatusChange,
    check_transition,
    effect,
    parse_datetime,
    parse_report,
    utcnow,
)
from geo.validation import validate

NOW = datetime(2025, 6, 1, 10, 0, 0)
OK = {"lat": 50.77, "lon": 15.05, "category": "steps", "severity": 2}


def image_bytes(fmt: str, size: tuple[int, int] = (40, 30), **save: object) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, fmt, **save)
    return buf.getvalue()


# --------------------------------------------------------------------------- lifecycle


@pytest.mark.parametrize(("current", "target"), [
    ("submitted", "confirmed"), ("submitted", "rejected"), ("confirmed", "planned"),
    ("confirmed", "in_progress"), ("confirmed", "rejected"), ("planned", "in_progress"), ("planned", "fixed"),
    ("in_progress", "fixed"),
])
def test_allowed_transitions_pass(current: str, target: str) -> None:
    check_transition(current, target, report_id=1, duplicate_of=None)


@pytest.mark.parametrize(("current", "target"), [
    ("submitted", "fixed"), ("submitted", "planned"), ("submitted", "in_progress"), ("submitted", "submitted"),
    ("confirmed", "submitted"), ("confirmed", "fixed"), ("planned", "rejected"), ("in_progress", "planned"),
    ("fixed", "confirmed"), ("rejected", "confirmed"), ("duplicate", "confirmed"), ("fixed", "rejected"),
])
def test_other_transitions_are_refused_with_the_allowed_ones(current: str, target: str) -> None:
    with pytest.raises(InvalidTransitionError) as err:
        check_transition(current, target, report_id=7, duplicate_of=None)
    assert err.value.details["allowed"] == sorted(TRANSITIONS[current])
    assert err.value.code == "invalid_transition"


def test_every_status_has_a_transition_entry_and_closed_ones_lead_nowhere() -> None:
    assert set(TRANSITIONS) == set(STATUSES)
    assert all(not TRANSITIONS[s] for s in ("fixed", "rejected", "duplicate"))
    assert all(t in STATUSES for targets in TRANSITIONS.values() for t in targets)


def test_duplicate_needs_another_report() -> None:
    check_transition("submitted", "duplicate", report_id=3, duplicate_of=2)
    with pytest.raises(BadRequestError, match="duplicate_of"):
        check_transition("submitted", "duplicate", report_id=3, duplicate_of=None)
    with pytest.raises(BadRequestError, match="itself"):
        check_transition("confirmed", "duplicate", report_id=3, duplicate_of=3)
    with pytest.raises(BadRequestError, match="only allowed"):
        check_transition("submitted", "confirmed", report_id=3, duplicate_of=2)


# --------------------------------------------------------------------------- effects


def test_blocking_categories_block_wheels_at_every_severity() -> None:
    for severity in (1, 2, 3):
        for profile in ("manual_wheelchair", "electric_wheelchair", "pram"):
            assert effect("steps", severity, profile) == Effect(blocks=True)
            assert effect("broken_lift", severity, profile) == Effect(blocks=True)
        assert effect("steps", severity, "walking") is None


def test_severity_three_blocks_and_lower_severities_add_penalties() -> None:
    assert effect("high_kerb", 3, "manual_wheelchair") == Effect(blocks=True)
    assert effect("high_kerb", 1, "manual_wheelchair") == Effect(False, PENALTY_S[1])
    assert effect("high_kerb", 2, "electric_wheelchair") == Effect(False, PENALTY_S[2])
    assert effect("high_kerb", 3, "pram") == Effect(False, PENALTY_S[3])  # prams cope with kerbs
    assert effect("steep_slope", 3, "electric_wheelchair") == Effect(False, PENALTY_S[3])
    assert PENALTY_S[1] < PENALTY_S[2] < PENALTY_S[3]


def test_walking_is_affected_only_by_impassable_construction_and_obstacles() -> None:
    affected = {(c, s) for c in CATEGORIES for s in (1, 2, 3) if effect(c, s, "walking") is not None}
    assert affected == {("construction", 3), ("obstacle", 3)}
    assert effect("construction", 3, "walking") == Effect(blocks=True)


def test_inaccessible_entrance_only_warns() -> None:
    for profile in ("manual_wheelchair", "pram"):
        assert effect("inaccessible_entrance", 3, profile) == Effect(blocks=False, penalty_s=0.0)


def test_effects_table_covers_every_category() -> None:
    assert set(EFFECTS) == set(CATEGORIES)


# --------------------------------------------------------------------------- validation


def test_a_valid_report_from_form_strings() -> None:
    r = parse_report({"lat": "50.77", "lon": "15.05", "category": "obstacle", "severity": "3", "description": "",
                      "contact": ""}, now=NOW)
    assert (r.lat, r.lon, r.severity, r.contact, r.description) == (50.77, 15.05, 3, None, "")


@pytest.mark.parametrize(("change", "field"), [
    ({"lat": None}, "lat"), ({"lat": "abc"}, "lat"), ({"lat": 91}, "lat"), ({"lon": "nan"}, "lon"),
    ({"lon": "inf"}, "lon"), ({"category": "pothole"}, "category"), ({"severity": 0}, "severity"),
    ({"severity": 4}, "severity"), ({"severity": True}, "severity"), ({"severity": 2.5}, "severity"),
    ({"description": "x" * 2001}, "description"), ({"contact": "c" * 201}, "contact"),
    ({"description": "a\x00b"}, "description"), ({"valid_until": "next week"}, "valid_until"),
    ({"valid_until": "2025-05-31"}, "valid_until"),
])
def test_invalid_fields_are_named(change: dict[str, object], field: str) -> None:
    data = {**OK, **change}
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(BadRequestError) as err:
        parse_report(data, now=NOW)
    assert err.value.details["field"] == field
    assert err.value.message


def test_description_of_2000_characters_and_markup_is_kept_verbatim() -> None:
    head = "<script>alert('x')</script> & \"quotes\" "
    text = head + "é" * (2000 - len(head))
    r = parse_report({**OK, "description": text}, now=NOW)
    assert r.description == text and len(text) == 2000


def test_valid_until_dates_are_local_and_inclusive() -> None:
    # a bare date means the barrier lasts through that day (Prague time, CEST = UTC+2 in June)
    r = parse_report({**OK, "valid_until": "2025-06-30"}, now=NOW)
    assert r.valid_until == datetime(2025, 6, 30, 22, 0)
    assert parse_datetime("2025-06-30T18:00", "x") == datetime(2025, 6, 30, 16, 0)
    assert parse_datetime("2025-01-10T18:00", "x") == datetime(2025, 1, 10, 17, 0)  # CET in winter
    assert parse_datetime("2025-06-30T18:00:00Z", "x") == datetime(2025, 6, 30, 18, 0)
    assert parse_datetime("2025-06-30T18:00:00+01:00", "x") == datetime(2025, 6, 30, 17, 0)


@pytest.mark.parametrize(("text", "utc"), [
    ("2025-06-30T18:00:00 01:00", datetime(2025, 6, 30, 17, 0)),  # "+01:00" sent unencoded in a query string
    ("2025-06-30T18:00 0100", datetime(2025, 6, 30, 17, 0)),
    ("2025-06-30 18:00:00.5 02", datetime(2025, 6, 30, 16, 0, 0, 500000)),
    ("2025-06-30 18:00", datetime(2025, 6, 30, 16, 0)),  # a space between date and time stays one (local time)
])
def test_an_offset_whose_plus_became_a_space_is_read_as_plus(text: str, utc: datetime) -> None:
    assert parse_datetime(text, "start_date") == utc


@pytest.mark.parametrize(("text", "end_of_day"), [
    ("0001-01-01", False), ("0001-01-01T00:00", False), ("9999-12-31T23:59:59-05:00", False),
    ("9999-12-31", True),
])
def test_dates_at_the_ends_of_the_calendar_are_bad_requests(text: str, end_of_day: bool) -> None:
    with pytest.raises(BadRequestError, match="out of range") as err:
        parse_datetime(text, "start_date", end_of_day=end_of_day)
    assert err.value.details["field"] == "start_date"


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01T00:00", "0001-01-01T00:00Z"])
def test_extreme_valid_until_is_refused(value: str) -> None:
    with pytest.raises(BadRequestError) as err:
        parse_report({**OK, "valid_until": value}, now=NOW)
    assert err.value.details["field"] == "valid_until"


def test_duplicate_of_must_fit_a_database_id() -> None:
    assert validate(StatusChange, {"status": "duplicate", "duplicate_of": MAX_ID}).duplicate_of == 2**63 - 1
    with pytest.raises(BadRequestError) as err:
        validate(StatusChange, {"status": "duplicate", "duplicate_of": 100000000000000000000000})
    assert err.value.details["field"] == "duplicate_of"


def test_utcnow_is_naive_utc() -> None:
    assert utcnow().tzinfo is None
    assert abs(utcnow() - datetime.now(UTC).replace(tzinfo=None)) < timedelta(seconds=5)


def test_validate_reports_missing_fields() -> None:
    with pytest.raises(BadRequestError, match="category: is required"):
        validate(NewReport, {"lat": 1, "lon": 2, "severity": 1})


def test_report_expiry_and_routing_activity() -> None:
    r = Report(id=1, lat=0, lon=0, category="construction", severity=3, description="", contact="a@b",
               photo=None, valid_until=NOW + timedelta(hours=1), status="confirmed", duplicate_of=None,
               source="web", created_at=NOW, updated_at=NOW)
    assert r.affects_routing(NOW) and not r.expired(NOW)
    assert r.expired(NOW + timedelta(hours=1)) and not r.affects_routing(NOW + timedelta(hours=2))
    public = r.to_dict(now=NOW)
    assert "contact" not in public and public["effects"]["walking"] == "blocks"
    assert r.to_dict(now=NOW, private=True)["contact"] == "a@b"


def test_the_last_change_of_an_expired_report_is_its_end() -> None:
    r = Report(id=1, lat=0, lon=0, category="construction", severity=3, description="", contact=None, photo=None,
               valid_until=NOW + timedelta(hours=5), status="confirmed", duplicate_of=None, source="web",
               created_at=NOW - timedelta(hours=1), updated_at=NOW)
    assert r.last_change(NOW + timedelta(hours=4)) == NOW  # still running
    assert r.last_change(NOW + timedelta(hours=9)) == NOW + timedelta(hours=5)  # closed by its end
    later = Report(**{**r.__dict__, "updated_at": NOW + timedelta(hours=7)})  # a change after the end
    assert later.last_change(NOW + timedelta(hours=9)) == NOW + timedelta(hours=7)


def test_the_status_note_is_the_note_of_the_change_to_the_current_status() -> None:
    history = (Event(NOW, "public", None, "submitted"), Event(NOW, "m", "submitted", "confirmed", "Ověřeno"))
    r = Report(id=1, lat=0, lon=0, category="steps", severity=3, description="", contact=None, photo=None,
               valid_until=None, status="confirmed", duplicate_of=None, source="web", created_at=NOW,
               updated_at=NOW, history=history)
    assert r.status_note() == "Ověřeno"
    moved = Report(**{**r.__dict__, "status": "in_progress",
                      "history": (*history, Event(NOW, "m", "confirmed", "in_progress"))})
    assert moved.status_note() is None


def test_media_url_is_an_http_link() -> None:
    assert str(parse_report({**OK, "media_url": "https://example.org/a.jpg"}, now=NOW).media_url) == (
        "https://example.org/a.jpg")
    for bad in ("ftp://example.org/a.jpg", "javascript:alert(1)", "a.jpg", "https://example.org/" + "a" * 2048):
        with pytest.raises(BadRequestError) as err:
            parse_report({**OK, "media_url": bad}, now=NOW)
        assert err.value.details["field"] == "media_url", bad


@pytest.mark.parametrize(("status", "public"), [
    ("submitted", False), ("confirmed", True), ("planned", True), ("in_progress", True), ("fixed", True),
    ("rejected", False), ("duplicate", False),
])
def test_text_and_photo_are_public_only_after_confirmation(status: str, public: bool) -> None:
    r = Report(id=1, lat=0, lon=0, category="steps", severity=3, description="schody", contact=None,
               photo="p.png", valid_until=None, status=status, duplicate_of=None, source="web", created_at=NOW,
               updated_at=NOW)
    assert r.content_public() is public and r.photo_public() is public
    shown = r.to_dict(now=NOW, photo_url=lambda n: f"/p/{n}")
    assert shown["status"] == status and shown["category"] == "steps"
    assert (shown["description"], shown["photo_url"]) == (("schody", "/p/p.png") if public else (None, None))
    mod = r.to_dict(now=NOW, private=True, photo_url=lambda n: f"/p/{n}")
    assert (mod["description"], mod["photo_url"]) == ("schody", "/p/p.png")
    linked = Report(**{**r.__dict__, "photo": None, "media_url": "https://example.org/a.jpg", "api_key_id": 4})
    assert linked.to_dict(now=NOW)["media_url"] == ("https://example.org/a.jpg" if public else None)
    assert "api_key_id" not in linked.to_dict(now=NOW) and linked.to_dict(now=NOW, private=True)["api_key_id"] == 4


# --------------------------------------------------------------------------- photos
