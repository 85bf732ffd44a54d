"""The reports store on a real SQLite file: migrations, lifecycle with history, counter, rate limits, accounts."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from geo.errors import (
    BadRequestError,
    DataError,
    InvalidTransitionError,
    NotFoundError,
    RateLimitError,
    StorageError,
)
from geo.reports.model import NewReport, Photo
from geo.reports.store import EVENTS, MIGRATIONS, REPORTS, RateLimit, ReportStore, metadata

T0 = datetime(2025, 6, 1, 8, 0, 0)


def new(**kw: object) -> NewReport:
    return NewReport.model_validate({"lat": 60.17, "lon": 24.94, "category": "steps", "severity": 3, **kw})


@pytest.fixture
def store(tmp_path: Path) -> ReportStore:
    s = ReportStore(f"sqlite:///{tmp_path / 'r.sqlite3'}", photo_dir=tmp_path / "photos")
    s.migrate()
    yield s
    s.close()


def test_migrations_are_recorded_and_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    s = ReportStore(url, photo_dir=tmp_path)
    assert s.schema_version() == 0
    assert s.migrate() == MIGRATIONS[-1][0]
    assert s.migrate() == MIGRATIONS[-1][0]  # running again changes nothing
    with s.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT version FROM schema_version")).all()
        assert [r[0] for r in rows] == [m[0] for m in MIGRATIONS]
        assert conn.execute(sa.text("SELECT version FROM overlay_state WHERE id = 1")).scalar() == 0


def test_a_later_migration_is_applied_once_in_order(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    ReportStore(url, photo_dir=tmp_path).migrate()
    calls = []

    def add_column(conn: sa.Connection) -> None:
        calls.append(1)
        conn.execute(sa.text("ALTER TABLE reports ADD COLUMN district VARCHAR(40)"))

    newer = ReportStore(url, photo_dir=tmp_path, migrations=(*MIGRATIONS, (2, "district", add_column)))
    assert newer.migrate() == 2
    assert newer.migrate() == 2
    assert calls == [1]
    with newer.engine.connect() as conn:
        assert "district" in {c["name"] for c in sa.inspect(conn).get_columns("reports")}
    # the old code refuses a database newer than itself
    with pytest.raises(StorageError, match="newer than this code"):
        ReportStore(url, photo_dir=tmp_path).migrate()


def test_a_failing_migration_leaves_no_trace(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    ReportStore(url, photo_dir=tmp_path).migrate()

    def broken(conn: sa.Connection) -> None:
        conn.execute(sa.text("CREATE TABLE half_done (x INTEGER)"))
        conn.execute(sa.text("SELECT no_such_function()"))

    s = ReportStore(url, photo_dir=tmp_path, migrations=(*MIGRATIONS, (2, "broken", broken)))
    with pytest.raises(StorageError, match="no such function"):
        s.migrate()
    assert s.schema_version() == 1
    with s.engine.connect() as conn:
        assert not sa.inspect(conn).has_table("half_done")  # DDL is transactional on SQLite too


def test_sqlite_runs_in_wal_mode_with_foreign_keys(store: ReportStore) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
        conn.execute(EVENTS.insert().values(report_id=999, at=T0, actor="x", to_status="confirmed"))


def test_in_memory_and_bad_urls_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="in-memory"):
        ReportStore("sqlite://", photo_dir=tmp_path)
    with pytest.raises(DataError, match="in-memory"):
        ReportStore("sqlite:///:memory:", photo_dir=tmp_path)
    with pytest.raises(DataError):
        ReportStore("not a url", photo_dir=tmp_path)


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
    other = ReportStore(store.url, photo_dir=tmp_path / "photos")  # a second worker
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
    other.close()


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


def test_a_refused_report_leaves_no_photo_behind(store: ReportStore) -> None:
    limit = RateLimit(limit=1, window_s=60)
    photo = Photo("png", b"\x89PNG fake but already checked")
    r = store.add_report(new(), source="web", client="a", now=T0, limit=limit, photo=photo)
    assert (store.photos.path / r.photo).read_bytes() == photo.data
    with pytest.raises(RateLimitError):
        store.add_report(new(), source="web", client="a", now=T0, limit=limit, photo=photo)
    assert [p.name for p in store.photos.path.iterdir()] == [r.photo]
    assert store.find_photo(r.photo).id == r.id


def test_moderator_accounts(store: ReportStore) -> None:
    store.create_moderator("alice", "correct horse", now=T0)
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT password_hash FROM moderators")).scalar()
    assert "correct horse" not in stored and stored.startswith(("scrypt:", "pbkdf2:"))
    mod = store.authenticate("alice", "correct horse", client="x", now=T0)
    assert mod is not None and mod.name == "alice"
    assert store.authenticate("alice", "wrong", client="x", now=T0) is None
    assert store.authenticate("nobody", "correct horse", client="x", now=T0) is None
    with pytest.raises(BadRequestError, match="already exists"):
        store.create_moderator("alice", "another pass", now=T0)
    with pytest.raises(BadRequestError, match="at least"):
        store.create_moderator("bob", "short", now=T0)
    with pytest.raises(BadRequestError):
        store.create_moderator("bad name", "long enough", now=T0)
    store.create_moderator("alice", "new password", now=T0, reset=True)
    assert store.get_moderator(mod.id).session_key != mod.session_key  # old sessions end
    store.set_moderator_active("alice", False)
    assert store.get_moderator(mod.id) is None
    assert store.authenticate("alice", "new password", client="x", now=T0) is None


def test_failed_logins_are_rate_limited(store: ReportStore) -> None:
    store.create_moderator("alice", "correct horse", now=T0)
    limit = RateLimit(limit=3, window_s=900)
    for _ in range(3):
        assert store.authenticate("alice", "guess", client="x", now=T0, limit=limit) is None
    with pytest.raises(RateLimitError):
        store.authenticate("alice", "correct horse", client="x", now=T0, limit=limit)
    assert store.authenticate("alice", "correct horse", client="y", now=T0, limit=limit) is not None
    later = T0 + timedelta(seconds=901)
    assert store.authenticate("alice", "correct horse", client="x", now=later, limit=limit) is not None


def test_parallel_failed_logins_cannot_pass_the_limit_together(store: ReportStore, tmp_path: Path) -> None:
    store.create_moderator("alice", "correct horse", now=T0)
    limit = RateLimit(limit=3, window_s=900)
    workers = [ReportStore(store.url, photo_dir=tmp_path / "photos") for _ in range(8)]
    results: list[str] = []
    barrier = threading.Barrier(len(workers))

    def guess(s: ReportStore) -> None:
        barrier.wait()
        try:
            results.append("ok" if s.authenticate("alice", "guess", client="x", now=T0, limit=limit) else "wrong")
        except RateLimitError:
            results.append("limited")

    threads = [threading.Thread(target=guess, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for w in workers:
        w.close()
    assert sorted(results) == ["limited"] * 5 + ["wrong"] * 3
    with pytest.raises(RateLimitError):
        store.authenticate("alice", "correct horse", client="x", now=T0, limit=limit)


def test_a_successful_login_does_not_count_against_the_limit(store: ReportStore) -> None:
    store.create_moderator("alice", "correct horse", now=T0)
    limit = RateLimit(limit=2, window_s=900)
    for _ in range(5):
        assert store.authenticate("alice", "correct horse", client="x", now=T0, limit=limit) is not None
    assert store.authenticate("alice", "guess", client="x", now=T0, limit=limit) is None


def test_schema_and_queries_compile_for_postgresql() -> None:
    dialect = postgresql.dialect()
    for table in metadata.sorted_tables:
        ddl = str(sa.schema.CreateTable(table).compile(dialect=dialect))
        assert "AUTOINCREMENT" not in ddl.upper()
    q = sa.select(REPORTS.c.status).where(REPORTS.c.id == 1).with_for_update()
    assert "FOR UPDATE" in str(q.compile(dialect=dialect))
