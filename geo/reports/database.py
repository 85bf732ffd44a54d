"""The reports database: SQLAlchemy Core over SQLite (default, WAL) or PostgreSQL, with versioned migrations.

Everything lives in the database — reports, their history, moderator accounts, API keys of Open311
clients, rate-limit hits, citizens' answers to verification questions with their verdicts (version 4),
and the ``overlay_state.version`` change counter that every worker polls to know when confirmed reports
or verified attributes changed (it is incremented in the same transaction as each such change).

Timestamps are stored as naive UTC; ids are 64-bit integers on both databases. SQL is portable
Core; SQLite gets ``PRAGMA foreign_keys=ON``, ``journal_mode=WAL`` and real transactions (``BEGIN``,
or ``BEGIN IMMEDIATE`` for writes, so two workers never deadlock on a lock upgrade and writes are
serialised); PostgreSQL uses ``SELECT … FOR UPDATE`` and transaction-scoped advisory locks
(:func:`lock`) where two transactions must not interleave (rate limits, idempotency keys, migrations).

Migrations are an ordered list of ``(version, description, function)``; the versions applied are
rows of ``schema_version``. A migration, once released, never changes: a later schema change is a
new entry that alters the tables (and the table definitions below follow it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from geo.errors import DataError, StorageError
from geo.reports.model import utcnow

log = logging.getLogger(__name__)

Migration = tuple[int, str, Callable[[Connection], None]]


# --------------------------------------------------------------------------- schema


#: A 64-bit id column: BIGINT on PostgreSQL; on SQLite an INTEGER (the rowid alias, 64-bit already).
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _define_v1(md: sa.MetaData, id_type: Any = sa.Integer) -> dict[str, sa.Table]:
    """The tables of schema version 1 (``id_type``: ``Integer`` as released, :data:`BIG_ID` since version 2)."""
    reports = sa.Table(
        "reports", md,
        sa.Column("id", id_type, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("severity", sa.SmallInteger, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("contact", sa.String(200)),
        sa.Column("photo", sa.String(64), unique=True),
        sa.Column("valid_until", sa.DateTime),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("duplicate_of", id_type, sa.ForeignKey("reports.id")),
        sa.Column("source", sa.String(16), nullable=False),
        sa.CheckConstraint("severity BETWEEN 1 AND 3", name="ck_reports_severity"),
        sa.Index("ix_reports_status", "status"),
        sa.Index("ix_reports_lat_lon", "lat", "lon"),
    )
    events = sa.Table(
        "report_events", md,
        sa.Column("id", id_type, primary_key=True, autoincrement=True),
        sa.Column("report_id", id_type, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("from_status", sa.String(16)),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text),
        sa.Index("ix_report_events_report", "report_id"),
    )
    moderators = sa.Table(
        "moderators", md,
        sa.Column("id", id_type, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    rate = sa.Table(
        "rate_events", md,
        sa.Column("id", id_type, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Index("ix_rate_events_kind_client_at", "kind", "client", "at"),
    )
    overlay_state = sa.Table(
        "overlay_state", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.BigInteger, nullable=False),
    )
    return {t.name: t for t in (reports, events, moderators, rate, overlay_state)}


def _migrate_v1(conn: Connection) -> None:
    md = sa.MetaData()
    tables = _define_v1(md)
    md.create_all(conn)
    conn.execute(tables["overlay_state"].insert().values(id=1, version=0))


def _define_v2(md: sa.MetaData) -> dict[str, sa.Table]:
    """The tables version 2 adds: server-side moderator sessions and idempotency keys of submissions."""
    sessions = sa.Table(
        "moderator_sessions", md,
        sa.Column("id", sa.String(64), primary_key=True),  # SHA-256 of the session token (never the token)
        sa.Column("moderator_id", BIG_ID, sa.ForeignKey("moderators.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Index("ix_moderator_sessions_moderator", "moderator_id"),
    )
    keys = sa.Table(
        "idempotency_keys", md,
        sa.Column("key", sa.String(64), primary_key=True),  # SHA-256 of the client's Idempotency-Key
        sa.Column("body_sha256", sa.String(64), nullable=False),
        sa.Column("report_id", BIG_ID, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Index("ix_idempotency_keys_created", "created_at"),
    )
    return {t.name: t for t in (sessions, keys)}


#: Columns that version 2 widens to 64 bits on PostgreSQL (SQLite integers are 64-bit already).
_WIDENED = {"reports": ("id", "duplicate_of"), "report_events": ("id", "report_id"), "moderators": ("id",),
            "rate_events": ("id",)}


def _migrate_v2(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        for table, columns in _WIDENED.items():
            conn.execute(sa.text(f"ALTER TABLE {table} "
                                 + ", ".join(f"ALTER COLUMN {c} TYPE BIGINT" for c in columns)))
            seq = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table}).scalar()
            if seq:
                conn.execute(sa.text(f"ALTER SEQUENCE {seq} AS BIGINT"))
    md = sa.MetaData()
    _define_v1(md, BIG_ID)  # the tables the new foreign keys point to
    new = _define_v2(md)
    md.create_all(conn, tables=list(new.values()))


def _define_v3(md: sa.MetaData) -> dict[str, sa.Table]:
    """The table version 3 adds: API keys of Open311 clients, each with its own submission quota."""
    keys = sa.Table(
        "api_keys", md,
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("key_sha256", sa.String(64), nullable=False, unique=True),  # never the key itself
        sa.Column("rate_limit", sa.Integer, nullable=False),
        sa.Column("window_s", sa.Float, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("revoked_at", sa.DateTime),
        sa.CheckConstraint("rate_limit > 0 AND window_s > 0", name="ck_api_keys_quota"),
    )
    return {t.name: t for t in (keys,)}


def _report_columns_v3() -> list[sa.Column]:
    """The columns version 3 adds to ``reports``: a link to media elsewhere (never fetched) and the API key
    the report was submitted with."""
    return [sa.Column("media_url", sa.String(2048)),  # model.MAX_MEDIA_URL as released
            sa.Column("api_key_id", BIG_ID, sa.ForeignKey("api_keys.id"))]


def _migrate_v3(conn: Connection) -> None:
    md = sa.MetaData()
    md.create_all(conn, tables=list(_define_v3(md).values()))
    for column in _report_columns_v3():
        ddl = f"ALTER TABLE reports ADD COLUMN {column.name} {column.type.compile(dialect=conn.dialect)}"
        if column.foreign_keys:
            target = next(iter(column.foreign_keys)).target_fullname.split(".")
            ddl += f" REFERENCES {target[0]} ({target[1]})"
        conn.execute(sa.text(ddl))


def _define_v4(md: sa.MetaData) -> dict[str, sa.Table]:
    """The tables schema version 4 adds: verification tasks with answers, and their verdicts."""
    items = sa.Table(
        "audit_items", md,
        sa.Column("task_id", sa.String(100), primary_key=True),
        sa.Column("element_type", sa.String(8), nullable=False),
        sa.Column("element_id", sa.BigInteger, nullable=False),
        sa.Column("attribute", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Index("ix_audit_items_status", "status"),
    )
    answers = sa.Table(
        "audit_answers", md,
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("task_id", sa.String(100), sa.ForeignKey("audit_items.task_id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("value", sa.String(40), nullable=False),
        sa.Column("on_site", sa.Boolean),
        sa.Column("photo", sa.String(64), unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("task_id", "round", "client", name="uq_audit_answers_client"),
        sa.Index("ix_audit_answers_task", "task_id"),
        sa.Index("ix_audit_answers_client", "client"),
    )
    verdicts = sa.Table(
        "audit_verdicts", md,
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("task_id", sa.String(100), sa.ForeignKey("audit_items.task_id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("value", sa.String(40), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("rolled_back_at", sa.DateTime),
        sa.Column("rolled_back_by", sa.String(80)),
        sa.Column("rollback_note", sa.Text),
        sa.Index("ix_audit_verdicts_task", "task_id"),
    )
    return {t.name: t for t in (items, answers, verdicts)}


def _migrate_v4(conn: Connection) -> None:
    md = sa.MetaData()
    md.create_all(conn, tables=list(_define_v4(md).values()))


#: The released migrations, in order.
MIGRATIONS: tuple[Migration, ...] = (
    (1, "reports, report history, moderators, rate-limit hits, overlay change counter", _migrate_v1),
    (2, "64-bit ids on PostgreSQL, server-side moderator sessions, idempotency keys", _migrate_v2),
    (3, "API keys of Open311 clients; media links and API keys of reports", _migrate_v3),
    (4, "verification tasks with citizens' answers, and their verdicts", _migrate_v4),
)

metadata = sa.MetaData()
_T = {**_define_v1(metadata, BIG_ID), **_define_v2(metadata), **_define_v3(metadata),
      **_define_v4(metadata)}  # the current schema (= 4)
for _column in _report_columns_v3():
    _T["reports"].append_column(_column)
REPORTS, EVENTS, MODERATORS, RATE, OVERLAY_STATE, SESSIONS, IDEMPOTENCY, API_KEYS = (
    _T["reports"], _T["report_events"], _T["moderators"], _T["rate_events"], _T["overlay_state"],
    _T["moderator_sessions"], _T["idempotency_keys"], _T["api_keys"])
AUDIT_ITEMS, AUDIT_ANSWERS, AUDIT_VERDICTS = _T["audit_items"], _T["audit_answers"], _T["audit_verdicts"]
SCHEMA_VERSION = sa.Table(
    "schema_version", sa.MetaData(),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.DateTime, nullable=False),
)


def bump_overlay(conn: Connection) -> None:
    """Move the change counter every worker polls (inside the transaction that changed what routing uses)."""
    conn.execute(OVERLAY_STATE.update().where(OVERLAY_STATE.c.id == 1).values(version=OVERLAY_STATE.c.version + 1))


# --------------------------------------------------------------------------- engine


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL, foreign keys, a busy timeout and real transactions."""
    try:
        u = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise DataError("db.bad_url", url=url) from None
    if u.get_backend_name() != "sqlite":
        try:
            return sa.create_engine(u, pool_pre_ping=True)
        except (ImportError, sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as exc:
            raise DataError("db.unusable", url=u.render_as_string(hide_password=True), reason=str(exc)) from None
    if not u.database or u.database == ":memory:" or u.query.get("mode") == "memory":
        raise DataError("db.in_memory")
    Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(u, connect_args={"timeout": 15})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _on_begin)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("lbb_write") else "BEGIN")

    return engine


def lock(conn: Connection, name: str) -> None:
    """Serialise transactions that use the same ``name`` until the current one ends: a
    transaction-scoped advisory lock on PostgreSQL; nothing on SQLite, whose write transactions
    (``BEGIN IMMEDIATE``) run one at a time anyway."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtextextended(name, 0))))


class Database:
    """One database: its engine, transactions and migrations (shared by the reports, accounts and
    rate-limit stores of a process)."""

    def __init__(self, url: str, *, migrations: Sequence[Migration] = MIGRATIONS) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.migrations = tuple(sorted(migrations, key=lambda m: m[0]))

    @property
    def display_url(self) -> str:
        """The URL without its password."""
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()

    # ----------------------------------------------------------------- transactions

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading; a database that cannot be reached is a :class:`StorageError`."""
        try:
            with self.engine.connect() as conn:
                yield conn
        except sa.exc.OperationalError as exc:
            raise self._unavailable(exc) from None

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection in a write transaction (``BEGIN IMMEDIATE`` on SQLite), committed on success."""
        try:
            with self.engine.connect() as conn:
                conn.execution_options(lbb_write=True)
                with conn.begin():
                    yield conn
        except sa.exc.OperationalError as exc:
            raise self._unavailable(exc) from None

    def _unavailable(self, exc: Exception) -> StorageError:
        log.error("database error on %s: %s", self.display_url, exc)
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return StorageError("db.failed", reason=reason)

    # ----------------------------------------------------------------- migrations

    def schema_version(self) -> int:
        """The highest applied migration (0 for an empty database)."""
        with self.read() as conn:
            if not sa.inspect(conn).has_table("schema_version"):
                return 0
            return int(conn.execute(sa.select(sa.func.max(SCHEMA_VERSION.c.version))).scalar() or 0)

    def migrate(self) -> int:
        """Apply the pending migrations in order, each in its own transaction; returns the version."""
        latest = self.migrations[-1][0] if self.migrations else 0
        with self.write() as conn:
            lock(conn, "lbb:migrations")  # serialise concurrent starts of several workers
            SCHEMA_VERSION.create(conn, checkfirst=True)
        current = self.schema_version()
        if current > latest:
            raise StorageError("db.schema_newer", url=self.display_url, version=current, latest=latest)
        for version, description, fn in self.migrations:
            self._apply(version, description, fn)
        return self.schema_version()

    def _apply(self, version: int, description: str, fn: Callable[[Connection], None]) -> None:
        try:
            with self.write() as conn:
                lock(conn, "lbb:migrations")
                done = conn.execute(sa.select(SCHEMA_VERSION.c.version)
                                    .where(SCHEMA_VERSION.c.version == version)).first()
                if done is not None:
                    return
                fn(conn)
                conn.execute(SCHEMA_VERSION.insert().values(version=version, description=description,
                                                            applied_at=utcnow()))
                log.info("database %s: applied migration %d (%s)", self.display_url, version, description)
        except sa.exc.DBAPIError as exc:  # a failed migration is rolled back whole (DDL is transactional)
            raise self._unavailable(exc) from None
