"""The reports database on SQLite and PostgreSQL: migrations, 64-bit ids, WAL and foreign keys, refused URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from geo.errors import DataError, StorageError
from geo.reports.database import AUDIT_ANSWERS, AUDIT_ITEMS, EVENTS, MIGRATIONS, REPORTS, Database, metadata
from tests.reports.test_store import T0


def test_migrations_are_recorded_and_idempotent(database_url: str) -> None:
    url = database_url
    s = Database(url)
    assert s.schema_version() == 0
    assert s.migrate() == MIGRATIONS[-1][0]
    assert s.migrate() == MIGRATIONS[-1][0]  # running again changes nothing
    with s.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT version FROM schema_version")).all()
        assert [r[0] for r in rows] == [m[0] for m in MIGRATIONS]
        assert conn.execute(sa.text("SELECT version FROM overlay_state WHERE id = 1")).scalar() == 0

def test_a_later_migration_is_applied_once_in_order(database_url: str) -> None:
    url = database_url
    Database(url).migrate()
    nxt = MIGRATIONS[-1][0] + 1
    calls = []

    def add_column(conn: sa.Connection) -> None:
        calls.append(1)
        conn.execute(sa.text("ALTER TABLE reports ADD COLUMN district VARCHAR(40)"))

    newer = Database(url, migrations=(*MIGRATIONS, (nxt, "district", add_column)))
    assert newer.migrate() == nxt
    assert newer.migrate() == nxt
    assert calls == [1]
    with newer.engine.connect() as conn:
        assert "district" in {c["name"] for c in sa.inspect(conn).get_columns("reports")}
    # the old code refuses a database newer than itself
    with pytest.raises(StorageError, match="newer than this code"):
        Database(url).migrate()

def test_a_failing_migration_leaves_no_trace(database_url: str) -> None:
    url = database_url
    Database(url).migrate()

    def broken(conn: sa.Connection) -> None:
        conn.execute(sa.text("CREATE TABLE half_done (x INTEGER)"))
        conn.execute(sa.text("SELECT no_such_function()"))

    s = Database(url, migrations=(*MIGRATIONS, (MIGRATIONS[-1][0] + 1, "broken", broken)))
    with pytest.raises(StorageError, match=r"no such function|does not exist"):
        s.migrate()
    assert s.schema_version() == MIGRATIONS[-1][0]
    with s.engine.connect() as conn:
        assert not sa.inspect(conn).has_table("half_done")  # DDL is transactional on SQLite too

def test_version_1_data_survives_the_upgrade_and_ids_become_64_bit(database_url: str) -> None:
    v1 = Database(database_url, migrations=MIGRATIONS[:1])
    v1.migrate()
    with v1.write() as conn:
        conn.execute(REPORTS.insert().values(id=7, created_at=T0, updated_at=T0, lat=60.17, lon=24.94,
                                             category="steps", severity=3, description="old", status="submitted",
                                             source="web"))
    v1.close()
    db = Database(database_url)
    assert db.migrate() == MIGRATIONS[-1][0]
    big = 2**31 + 12345  # beyond a 32-bit integer column
    with db.write() as conn:
        if conn.dialect.name == "postgresql":
            seq = conn.execute(sa.text("SELECT pg_get_serial_sequence('reports', 'id')")).scalar()
            conn.execute(sa.text(f"ALTER SEQUENCE {seq} RESTART WITH {big}"))
        else:
            conn.execute(REPORTS.insert().values(id=big - 1, created_at=T0, updated_at=T0, lat=0, lon=0,
                                                 category="steps", severity=1, description="", status="submitted",
                                                 source="web"))
        rid = conn.execute(REPORTS.insert().values(created_at=T0, updated_at=T0, lat=60.17, lon=24.94,
                                                   category="steps", severity=3, description="new",
                                                   status="submitted", source="web", duplicate_of=7)
                           ).inserted_primary_key[0]
        conn.execute(EVENTS.insert().values(report_id=rid, at=T0, actor="x", to_status="submitted"))
    assert rid == big
    with db.read() as conn:
        assert conn.execute(sa.select(REPORTS.c.description).where(REPORTS.c.id == 7)).scalar() == "old"
        assert conn.execute(sa.select(EVENTS.c.report_id).where(EVENTS.c.report_id == big)).scalar() == big
        assert conn.execute(sa.select(REPORTS.c.id).where(REPORTS.c.id == 2**63 - 1)).first() is None
        assert {"audit_items", "audit_answers", "audit_verdicts"} <= set(sa.inspect(conn).get_table_names())
    db.close()


def test_a_version_3_database_gets_the_verification_tables_of_version_4(database_url: str) -> None:
    assert [m[0] for m in MIGRATIONS] == [1, 2, 3, 4]  # sessions 2, Open311 API keys 3, "Help verify" 4
    v3 = Database(database_url, migrations=MIGRATIONS[:3])
    assert v3.migrate() == 3
    with v3.read() as conn:
        assert "audit_items" not in set(sa.inspect(conn).get_table_names())
    v3.close()
    db = Database(database_url)
    assert db.migrate() == 4
    with db.write() as conn:
        conn.execute(AUDIT_ITEMS.insert().values(task_id="node/15/kerb", element_type="node", element_id=2**40,
                                                 attribute="kerb", status="open", round=1, lon=15.05, lat=50.77,
                                                 created_at=T0, updated_at=T0))
        aid = conn.execute(AUDIT_ANSWERS.insert().values(task_id="node/15/kerb", round=1, client="c", value="flush",
                                                         created_at=T0)).inserted_primary_key[0]
    with db.read() as conn:
        assert conn.execute(sa.select(AUDIT_ANSWERS.c.value).where(AUDIT_ANSWERS.c.id == aid)).scalar() == "flush"
        assert {"moderator_sessions", "idempotency_keys", "api_keys"} <= set(sa.inspect(conn).get_table_names())
    db.close()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    db.migrate()
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


def test_the_migrated_schema_is_the_declared_one(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    with db.engine.connect() as conn:
        inspector = sa.inspect(conn)
        for table in metadata.sorted_tables:
            assert {c["name"] for c in inspector.get_columns(table.name)} == set(table.columns.keys()), table.name
        keys = inspector.get_foreign_keys("reports")
        assert (["api_key_id"], "api_keys") in [(fk["constrained_columns"], fk["referred_table"]) for fk in keys]
    db.close()


def test_version_2_data_survives_version_3(database_url: str) -> None:
    v2 = Database(database_url, migrations=MIGRATIONS[:2])
    v2.migrate()
    with v2.write() as conn:
        conn.execute(sa.text("INSERT INTO reports (created_at, updated_at, lat, lon, category, severity, description, "
                             "status, source) VALUES (:t, :t, 60.17, 24.94, 'steps', 3, 'before', 'confirmed', 'web')"),
                     {"t": T0})
    v2.close()
    db = Database(database_url)
    assert db.migrate() == MIGRATIONS[-1][0]
    with db.read() as conn:
        row = conn.execute(sa.select(REPORTS)).mappings().one()
    assert (row["description"], row["media_url"], row["api_key_id"]) == ("before", None, None)
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:  # the key must exist
        conn.execute(REPORTS.update().values(api_key_id=99))
    db.close()
