"""The reports database on a real SQLite file: migrations, WAL and foreign keys, refused URLs, PostgreSQL DDL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from geo.errors import DataError, StorageError
from geo.reports.database import EVENTS, MIGRATIONS, REPORTS, Database, metadata
from tests.reports.test_store import T0


def test_migrations_are_recorded_and_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    s = Database(url)
    assert s.schema_version() == 0
    assert s.migrate() == MIGRATIONS[-1][0]
    assert s.migrate() == MIGRATIONS[-1][0]  # running again changes nothing
    with s.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT version FROM schema_version")).all()
        assert [r[0] for r in rows] == [m[0] for m in MIGRATIONS]
        assert conn.execute(sa.text("SELECT version FROM overlay_state WHERE id = 1")).scalar() == 0

def test_a_later_migration_is_applied_once_in_order(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    Database(url).migrate()
    calls = []

    def add_column(conn: sa.Connection) -> None:
        calls.append(1)
        conn.execute(sa.text("ALTER TABLE reports ADD COLUMN district VARCHAR(40)"))

    nxt = MIGRATIONS[-1][0] + 1
    newer = Database(url, migrations=(*MIGRATIONS, (nxt, "district", add_column)))
    assert newer.migrate() == nxt
    assert newer.migrate() == nxt
    assert calls == [1]
    with newer.engine.connect() as conn:
        assert "district" in {c["name"] for c in sa.inspect(conn).get_columns("reports")}
    # the old code refuses a database newer than itself
    with pytest.raises(StorageError, match="newer than this code"):
        Database(url).migrate()

def test_a_failing_migration_leaves_no_trace(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    Database(url).migrate()

    def broken(conn: sa.Connection) -> None:
        conn.execute(sa.text("CREATE TABLE half_done (x INTEGER)"))
        conn.execute(sa.text("SELECT no_such_function()"))

    s = Database(url, migrations=(*MIGRATIONS, (MIGRATIONS[-1][0] + 1, "broken", broken)))
    with pytest.raises(StorageError, match="no such function"):
        s.migrate()
    assert s.schema_version() == MIGRATIONS[-1][0]
    with s.engine.connect() as conn:
        assert not sa.inspect(conn).has_table("half_done")  # DDL is transactional on SQLite too

def test_a_version_1_database_is_upgraded_with_its_reports_kept(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    old = Database(url, migrations=MIGRATIONS[:1])
    assert old.migrate() == 1
    with old.write() as conn:
        conn.execute(REPORTS.insert().values(created_at=T0, updated_at=T0, lat=50.77, lon=15.05, category="steps",
                                             severity=3, description="", status="submitted", source="web"))
    s = Database(url)
    assert s.migrate() == 2
    with s.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(REPORTS)).scalar() == 1
        assert {"audit_items", "audit_answers", "audit_verdicts"} <= set(sa.inspect(conn).get_table_names())


def test_sqlite_runs_in_wal_mode_with_foreign_keys(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
        conn.execute(EVENTS.insert().values(report_id=999, at=T0, actor="x", to_status="confirmed"))

def test_in_memory_and_bad_urls_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="in-memory"):
        Database("sqlite://")
    with pytest.raises(DataError, match="in-memory"):
        Database("sqlite:///:memory:")
    with pytest.raises(DataError):
        Database("not a url")

def test_schema_and_queries_compile_for_postgresql() -> None:
    dialect = postgresql.dialect()
    for table in metadata.sorted_tables:
        ddl = str(sa.schema.CreateTable(table).compile(dialect=dialect))
        assert "AUTOINCREMENT" not in ddl.upper()
    q = sa.select(REPORTS.c.status).where(REPORTS.c.id == 1).with_for_update()
    assert "FOR UPDATE" in str(q.compile(dialect=dialect))
