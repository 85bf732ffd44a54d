"""The reports store on a real SQLite file: lifecycle with history, the change counter, filters, rate limits, photos."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from geo.errors import (
    BadRequestError,
    InvalidTransitionError,
    NotFoundError,
    RateLimitError,
)
from geo.reports.database import Database
from geo.reports.limits import RateLimit
from geo.reports.model import NewReport
from geo.reports.photos import Photo
from geo.reports.store import ReportStore

T0 = datetime(2025, 6, 1, 8, 0, 0)


def new(**kw: object) -> NewReport:
    return NewReport.model_validate({"lat": 60.17, "lon": 24.94, "category": "steps", "severity": 3, **kw})


def test_lifecycle_records_who_and_when_and_bumps_the_counter(store: ReportStore) -> None:
    r = store.add_report(new(description="kerb"), source="web", client="c1", now=T0)
    assert r.status == "submitted" and [e.to_status for e in r.history] == ["submitted"]
    assert store.overlay_version() == 0  # a submission changes no route
    steps = [("confirmed", "alice"), ("planned", "bob"), ("in_progress", "alice"), ("fixed", "bob")]
    for i, (status, who) in enumerate(steps, start=1):
        r = store.change_status(r.id, status, actor=who, now=T0 + timedelta(minutes=i), note=f"step {i}")
        assert r.status == status
        assert store.overlay_version() == i
    assert [(e.from_status, e.to_status, e.actor) for e in r.history] == [
        (None, "submitted", "public"), ("submitted", "confirmed", "alice"), ("confirmed", "planned", "bob"),
        ("planned", "in_progress", "alice"), ("in_progress", "fixed", "bob")]
    assert r.history[-1].at == T0 + timedelta(minutes=4) and r.history[-1].note == "step 4"
    assert r.updated_at == T0 + timedelta(minutes=4)


def test_invalid_transitions_change_nothing(store: ReportStore) -> None:
    r = store.add_report(new(), source="web", client="c1", now=T0)
    with pytest.raises(InvalidTransitionError):
        store.change_status(r.id, "fixed", actor="alice", now=T0)
    again = store.get_report(r.id)
    assert again.status == "submitted" and len(again.history) == 1
    assert store.overlay_version() == 0
    with pytest.raises(NotFoundError):
        store.change_status(12345, "confirmed", actor="alice", now=T0)


def test_duplicates_point_to_an_existing_original(store: ReportStore) -> None:
    a = store.add_report(new(), source="web", client="c1", now=T0)
    b = store.add_report(new(), source="web", client="c1", now=T0)
    c = store.add_report(new(), source="web", client="c1", now=T0)
    with pytest.raises(BadRequestError, match="no report"):
        store.change_status(b.id, "duplicate", actor="m", now=T0, duplicate_of=999)
    b = store.change_status(b.id, "duplicate", actor="m", now=T0, duplicate_of=a.id)
    assert b.status == "duplicate" and b.duplicate_of == a.id
    with pytest.raises(BadRequestError, match="itself duplicate"):
        store.change_status(c.id, "duplicate", actor="m", now=T0, duplicate_of=b.id)


def test_concurrent_moderators_cannot_both_move_a_report(store: ReportStore, tmp_path: Path) -> None:
    r = store.add_report(new(), source="web", client="c1", now=T0)
    other = ReportStore(Database(store.db.url), photo_dir=tmp_path / "photos")  # a second worker
    results: list[str] = []
    barrier = threading.Barrier(2)

    def move(s: ReportStore, status: str) -> None:
        barrier.wait()
        try:
            s.change_status(r.id, status, actor=status, now=T0)
            results.append("ok")
        except InvalidTransitionError:
            results.append("refused")

    threads = [threading.Thread(target=move, args=(store, "confirmed")),
               threading.Thread(target=move, args=(other, "confirmed"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert len(store.get_report(r.id).history) == 2
    other.db.close()


HUGE = 100000000000000000000000  # beyond SQLite's 64-bit integers


def test_ids_beyond_64_bits_are_unknown_not_a_crash(store: ReportStore) -> None:
    a = store.add_report(new(), source="web", client="c", now=T0)
    with pytest.raises(NotFoundError):
        store.get_report(HUGE)
    with pytest.raises(NotFoundError):
        store.change_status(HUGE, "confirmed", actor="m", now=T0)
    with pytest.raises(BadRequestError, match="no report"):
        store.change_status(a.id, "duplicate", actor="m", now=T0, duplicate_of=HUGE)
    assert store.list_reports(ids=[HUGE, a.id]) == ([store.get_report(a.id)], 1)
    assert store.list_reports(ids=[HUGE]) == ([], 0)
    with pytest.raises(BadRequestError, match="offset"):
        store.list_reports(offset=HUGE)
    assert store.get_report(a.id).status == "submitted"


def test_open_and_closed_are_filtered_in_the_query(store: ReportStore) -> None:
    now = T0 + timedelta(hours=1)
    ids = {}
    for key, valid in [("new", None), ("open", None), ("expired", T0 + timedelta(minutes=30)),
                       ("later", T0 + timedelta(hours=2)), ("fixed", None), ("rejected", None)]:
        ids[key] = store.add_report(new(valid_until=valid), source="web", client="c", now=T0).id
    for key in ("open", "expired", "later", "fixed"):
        store.change_status(ids[key], "confirmed", actor="m", now=T0)
    store.change_status(ids["fixed"], "in_progress", actor="m", now=T0)
    store.change_status(ids["fixed"], "fixed", actor="m", now=T0)
    store.change_status(ids["rejected"], "rejected", actor="m", now=T0)
    opened, n_open = store.list_reports(lifecycle="open", now=now, oldest_first=True)
    assert [r.id for r in opened] == [ids["new"], ids["open"], ids["later"]] and n_open == 3
    closed, n_closed = store.list_reports(lifecycle="closed", now=now, oldest_first=True)
    assert [r.id for r in closed] == [ids["expired"], ids["fixed"], ids["rejected"]] and n_closed == 3
    # the filter runs before the limit
    assert [r.id for r in store.list_reports(lifecycle="closed", now=now, limit=1)[0]] == [ids["rejected"]]


def test_filters(store: ReportStore) -> None:
    a = store.add_report(new(lat=60.17, lon=24.94, category="steps"), source="web", client="c", now=T0)
    b = store.add_report(new(lat=60.18, lon=24.96, category="obstacle"), source="web", client="c", now=T0)
    store.change_status(b.id, "confirmed", actor="m", now=T0)
    assert [r.id for r in store.list_reports()[0]] == [b.id, a.id]
    assert [r.id for r in store.list_reports(oldest_first=True)[0]] == [a.id, b.id]
    assert [r.id for r in store.list_reports(statuses=["confirmed"])[0]] == [b.id]
    assert [r.id for r in store.list_reports(categories=["steps"])[0]] == [a.id]
    assert [r.id for r in store.list_reports(bbox=(24.95, 60.175, 24.97, 60.19))[0]] == [b.id]
    page, total = store.list_reports(limit=1, offset=1)
    assert total == 2 and [r.id for r in page] == [a.id]
    assert store.list_reports(since=T0 + timedelta(seconds=1))[1] == 0


def test_active_reports_exclude_unconfirmed_closed_and_expired(store: ReportStore) -> None:
    ids = {}
    for key, valid in [("open", None), ("later", T0 + timedelta(hours=2)), ("gone", T0 + timedelta(minutes=30)),
                       ("new", None), ("fixed", None)]:
        ids[key] = store.add_report(new(valid_until=valid), source="web", client="c", now=T0).id
    for key in ("open", "later", "gone", "fixed"):
        store.change_status(ids[key], "confirmed", actor="m", now=T0)
    store.change_status(ids["fixed"], "in_progress", actor="m", now=T0)
    store.change_status(ids["fixed"], "fixed", actor="m", now=T0)
    now = T0 + timedelta(hours=1)
    assert {r.id for r in store.active_reports(now)} == {ids["open"], ids["later"]}
    assert {r.id for r in store.active_reports(T0)} == {ids["open"], ids["later"], ids["gone"]}


def test_rate_limit_counts_per_client_and_window(store: ReportStore) -> None:
    limit = RateLimit(limit=3, window_s=3600)
    for i in range(3):
        store.add_report(new(), source="web", client="a", now=T0 + timedelta(minutes=i), limit=limit)
    with pytest.raises(RateLimitError) as err:
        store.add_report(new(), source="web", client="a", now=T0 + timedelta(minutes=10), limit=limit)
    assert 0 < err.value.details["retry_after_s"] <= 3600 - 600 + 1
    store.add_report(new(), source="web", client="b", now=T0 + timedelta(minutes=10), limit=limit)
    # the refused attempt was not stored, and the window slides
    assert store.list_reports()[1] == 4
    store.add_report(new(), source="web", client="a", now=T0 + timedelta(minutes=61), limit=limit)


def test_parallel_submissions_from_several_workers_never_pass_the_limit(store: ReportStore, tmp_path: Path) -> None:
    limit = RateLimit(limit=10, window_s=3600)
    workers = [ReportStore(Database(store.db.url), photo_dir=tmp_path / "photos") for _ in range(8)]
    results: list[str] = []
    barrier = threading.Barrier(40)

    def submit(s: ReportStore) -> None:
        barrier.wait()
        try:
            s.add_report(new(), source="web", client="a", now=T0, limit=limit)
            results.append("ok")
        except RateLimitError:
            results.append("limited")

    threads = [threading.Thread(target=submit, args=(workers[i % len(workers)],)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for w in workers:
        w.db.close()
    assert results.count("ok") == 10 and results.count("limited") == 30
    assert store.list_reports()[1] == 10


def test_a_refused_report_leaves_no_photo_behind(store: ReportStore) -> None:
    limit = RateLimit(limit=1, window_s=60)
    photo = Photo("png", b"\x89PNG fake but already checked")
    r = store.add_report(new(), source="web", client="a", now=T0, limit=limit, photo=photo)
    assert (store.photos.path / r.photo).read_bytes() == photo.data
    with pytest.raises(RateLimitError):
        store.add_report(new(), source="web", client="a", now=T0, limit=limit, photo=photo)
    assert [p.name for p in store.photos.path.iterdir()] == [r.photo]
    assert store.find_photo(r.photo).id == r.id
