"""Reports storage: SQLAlchemy Core over SQLite (default, WAL) or PostgreSQL, with versioned migrations.

Everything lives in the database — reports, their history, moderator accounts, rate-limit hits and
the ``overlay_state.version`` change counter that every worker polls to know when confirmed
reports changed (it is incremented in the same transaction as each status change). Photos are
files in a folder next to it, under generated names.

Timestamps are stored as naive UTC. SQL is portable Core; SQLite gets ``PRAGMA foreign_keys=ON``,
``journal_mode=WAL`` and real transactions (``BEGIN``, or ``BEGIN IMMEDIATE`` for writes, so two
workers never deadlock on a lock upgrade); PostgreSQL uses ``SELECT … FOR UPDATE``.

Migrations are an ordered list of ``(version, description, function)``; the versions applied are
rows of ``schema_version``. A migration, once released, never changes: a later schema change is a
new entry that alters the tables (and the table definitions below follow it).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from werkzeug.security import check_password_hash, generate_password_hash

from geo.errors import BadRequestError, DataError, NotFoundError, RateLimitError, StorageError
from geo.reports.model import (
    ACTIVE_STATUSES,
    CLOSED_STATUSES,
    MAX_ID,
    OPEN_STATUSES,
    Event,
    NewReport,
    Photo,
    Report,
    check_transition,
    utcnow,
)

log = logging.getLogger(__name__)

Migration = tuple[int, str, Callable[[Connection], None]]
#: Shortest accepted moderator password.
MIN_PASSWORD = 8
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


# --------------------------------------------------------------------------- schema


def _define_v1(md: sa.MetaData) -> dict[str, sa.Table]:
    """The tables of schema version 1."""
    reports = sa.Table(
        "reports", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
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
        sa.Column("duplicate_of", sa.Integer, sa.ForeignKey("reports.id")),
        sa.Column("source", sa.String(16), nullable=False),
        sa.CheckConstraint("severity BETWEEN 1 AND 3", name="ck_reports_severity"),
        sa.Index("ix_reports_status", "status"),
        sa.Index("ix_reports_lat_lon", "lat", "lon"),
    )
    events = sa.Table(
        "report_events", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("from_status", sa.String(16)),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text),
        sa.Index("ix_report_events_report", "report_id"),
    )
    moderators = sa.Table(
        "moderators", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    rate = sa.Table(
        "rate_events", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
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


#: The released migrations, in order.
MIGRATIONS: tuple[Migration, ...] = (
    (1, "reports, report history, moderators, rate-limit hits, overlay change counter", _migrate_v1),
)

metadata = sa.MetaData()
_T = _define_v1(metadata)  # the current schema (= version 1)
REPORTS, EVENTS, MODERATORS, RATE, OVERLAY_STATE = (
    _T["reports"], _T["report_events"], _T["moderators"], _T["rate_events"], _T["overlay_state"])
SCHEMA_VERSION = sa.Table(
    "schema_version", sa.MetaData(),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.DateTime, nullable=False),
)


# --------------------------------------------------------------------------- engine


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL, foreign keys, a busy timeout and real transactions."""
    try:
        u = sa.make_url(url)
    except sa.exc.ArgumentError:
        msg = f"not a database URL: {url!r} (e.g. sqlite:///path/lbb.sqlite3 or postgresql://user@host/db)"
        raise DataError(msg) from None
    if u.get_backend_name() != "sqlite":
        try:
            return sa.create_engine(u, pool_pre_ping=True)
        except (ImportError, sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as exc:
            msg = f"cannot use database {u.render_as_string(hide_password=True)}: {exc}"
            raise DataError(msg) from None
    if not u.database or u.database == ":memory:" or u.query.get("mode") == "memory":
        msg = "an in-memory SQLite database would lose every report: give a file, e.g. sqlite:///lbb.sqlite3"
        raise DataError(msg)
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


# --------------------------------------------------------------------------- photos


@dataclass(frozen=True)
class PhotoFolder:
    """Photos on disk under generated names (``<32 hex>.jpg|png``)."""

    path: Path

    def save(self, photo: Photo) -> str:
        """Write the photo; returns its generated name."""
        self.path.mkdir(parents=True, exist_ok=True)
        name = f"{secrets.token_hex(16)}.{photo.ext}"
        tmp = self.path / f".{name}.part"
        tmp.write_bytes(photo.data)
        tmp.replace(self.path / name)
        return name

    def delete(self, name: str) -> None:
        """Remove a photo (missing is fine)."""
        with suppress(FileNotFoundError):
            (self.path / name).unlink()


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` events of one kind per client within ``window_s`` seconds."""

    limit: int
    window_s: float


# --------------------------------------------------------------------------- the store


class ReportStore:
    """Reports, history, moderators and the overlay change counter in one database."""

    def __init__(self, url: str, *, photo_dir: str | Path, migrations: Sequence[Migration] = MIGRATIONS) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.photos = PhotoFolder(Path(photo_dir))
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
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except sa.exc.OperationalError as exc:
            raise self._unavailable(exc) from None

    @contextmanager
    def _write(self) -> Iterator[Connection]:
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
        return StorageError(f"the reports database failed ({reason}); try again in a moment")

    # ----------------------------------------------------------------- migrations

    def schema_version(self) -> int:
        """The highest applied migration (0 for an empty database)."""
        with self._read() as conn:
            if not sa.inspect(conn).has_table("schema_version"):
                return 0
            return int(conn.execute(sa.select(sa.func.max(SCHEMA_VERSION.c.version))).scalar() or 0)

    def migrate(self) -> int:
        """Apply the pending migrations in order, each in its own transaction; returns the version."""
        latest = self.migrations[-1][0] if self.migrations else 0
        with self._write() as conn:
            if conn.dialect.name == "postgresql":  # serialise concurrent starts of several workers
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(563889)"))
            SCHEMA_VERSION.create(conn, checkfirst=True)
        current = self.schema_version()
        if current > latest:
            msg = (f"the database {self.display_url} has schema version {current}, newer than this code "
                   f"({latest}); update the code")
            raise StorageError(msg)
        for version, description, fn in self.migrations:
            with self._write() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(563889)"))
                done = conn.execute(sa.select(SCHEMA_VERSION.c.version)
                                    .where(SCHEMA_VERSION.c.version == version)).first()
                if done is not None:
                    continue
                fn(conn)
                conn.execute(SCHEMA_VERSION.insert().values(version=version, description=description,
                                                            applied_at=utcnow()))
                log.info("database %s: applied migration %d (%s)", self.display_url, version, description)
        return self.schema_version()

    # ----------------------------------------------------------------- reports

    def add_report(self, new: NewReport, *, source: str, client: str, now: datetime,
                   limit: RateLimit | None = None, photo: Photo | None = None) -> Report:
        """Store a submitted report (and its photo) after counting it against the client's rate limit."""
        name = None
        try:
            with self._write() as conn:
                if limit is not None:
                    self._hit(conn, "submit", client, limit, now)
                if photo is not None:
                    name = self.photos.save(photo)
                rid = conn.execute(REPORTS.insert().values(
                    created_at=now, updated_at=now, lat=new.lat, lon=new.lon, category=new.category,
                    severity=new.severity, description=new.description, contact=new.contact, photo=name,
                    valid_until=new.valid_until, status="submitted", duplicate_of=None, source=source,
                )).inserted_primary_key[0]
                conn.execute(EVENTS.insert().values(report_id=rid, at=now, actor="public", from_status=None,
                                                    to_status="submitted", note=None))
        except BaseException:
            if name is not None:
                self.photos.delete(name)
            raise
        return self.get_report(int(rid))

    def count_submission(self, *, client: str, now: datetime, limit: RateLimit) -> None:
        """Count a submission that is not stored (a honeypot hit) against the rate limit."""
        with self._write() as conn:
            self._hit(conn, "submit", client, limit, now)

    def get_report(self, report_id: int) -> Report:
        """One report with its history; :class:`NotFoundError` if there is none."""
        _known_id(report_id)
        with self._read() as conn:
            row = conn.execute(sa.select(REPORTS).where(REPORTS.c.id == report_id)).mappings().first()
            if row is None:
                msg = f"no report {report_id}"
                raise NotFoundError(msg)
            return self._with_history(conn, [row])[0]

    def list_reports(self, *, bbox: tuple[float, float, float, float] | None = None,
                     statuses: Sequence[str] | None = None, categories: Sequence[str] | None = None,
                     ids: Sequence[int] | None = None, since: datetime | None = None,
                     until: datetime | None = None, limit: int = 200, offset: int = 0,
                     oldest_first: bool = False, lifecycle: Literal["open", "closed"] | None = None,
                     now: datetime | None = None) -> tuple[list[Report], int]:
        """Reports matching every given filter (newest first) and how many match in total.
        ``lifecycle``: ``open`` = not closed and not expired at ``now``; ``closed`` = fixed, rejected,
        duplicate or expired."""
        if not 0 <= offset <= MAX_ID:
            msg = f"offset must be between 0 and {MAX_ID}"
            raise BadRequestError(msg, field="offset")
        cond: list[Any] = []
        if bbox is not None:
            minlon, minlat, maxlon, maxlat = bbox
            cond += [REPORTS.c.lon.between(minlon, maxlon), REPORTS.c.lat.between(minlat, maxlat)]
        if statuses:
            cond.append(REPORTS.c.status.in_(list(statuses)))
        if categories:
            cond.append(REPORTS.c.category.in_(list(categories)))
        if ids is not None:
            cond.append(REPORTS.c.id.in_([i for i in ids if 0 < i <= MAX_ID]))  # larger ones cannot exist
        if since is not None:
            cond.append(REPORTS.c.created_at >= since)
        if until is not None:
            cond.append(REPORTS.c.created_at <= until)
        if lifecycle is not None:
            at = now or utcnow()
            expired = sa.and_(REPORTS.c.valid_until.is_not(None), REPORTS.c.valid_until <= at)
            cond.append(sa.and_(REPORTS.c.status.in_(sorted(OPEN_STATUSES)), sa.not_(expired))
                        if lifecycle == "open" else
                        sa.or_(REPORTS.c.status.in_(sorted(CLOSED_STATUSES)), expired))
        where = sa.and_(sa.true(), *cond)
        order = REPORTS.c.id.asc() if oldest_first else REPORTS.c.id.desc()
        with self._read() as conn:
            total = int(conn.execute(sa.select(sa.func.count()).select_from(REPORTS).where(where)).scalar() or 0)
            rows = conn.execute(sa.select(REPORTS).where(where).order_by(order).limit(limit).offset(offset))
            return self._with_history(conn, list(rows.mappings())), total

    def active_reports(self, now: datetime) -> list[Report]:
        """Reports that change routes now: confirmed / planned / in progress and not expired."""
        with self._read() as conn:
            rows = conn.execute(sa.select(REPORTS).where(
                REPORTS.c.status.in_(sorted(ACTIVE_STATUSES)),
                sa.or_(REPORTS.c.valid_until.is_(None), REPORTS.c.valid_until > now),
            ).order_by(REPORTS.c.id))
            return [_report(r) for r in rows.mappings()]

    def find_photo(self, name: str) -> Report | None:
        """The report a photo belongs to."""
        with self._read() as conn:
            row = conn.execute(sa.select(REPORTS).where(REPORTS.c.photo == name)).mappings().first()
            return _report(row) if row is not None else None

    def change_status(self, report_id: int, status: str, *, actor: str, now: datetime, note: str | None = None,
                      duplicate_of: int | None = None) -> Report:
        """Move a report along the lifecycle, record who and when, and bump the overlay counter."""
        _known_id(report_id)
        if duplicate_of is not None and not 0 < duplicate_of <= MAX_ID:
            msg = f"duplicate_of: no report {duplicate_of}"
            raise BadRequestError(msg, field="duplicate_of")
        with self._write() as conn:
            row = conn.execute(sa.select(REPORTS.c.status).where(REPORTS.c.id == report_id)
                               .with_for_update()).first()
            if row is None:
                msg = f"no report {report_id}"
                raise NotFoundError(msg)
            current = row.status
            check_transition(current, status, report_id=report_id, duplicate_of=duplicate_of)
            if duplicate_of is not None:
                target = conn.execute(sa.select(REPORTS.c.status).where(REPORTS.c.id == duplicate_of)).first()
                if target is None:
                    msg = f"duplicate_of: no report {duplicate_of}"
                    raise BadRequestError(msg, field="duplicate_of")
                if target.status in ("duplicate", "rejected"):
                    msg = f"duplicate_of: report {duplicate_of} is itself {target.status}; give the original"
                    raise BadRequestError(msg, field="duplicate_of")
            conn.execute(REPORTS.update().where(REPORTS.c.id == report_id)
                         .values(status=status, duplicate_of=duplicate_of, updated_at=now))
            conn.execute(EVENTS.insert().values(report_id=report_id, at=now, actor=actor, from_status=current,
                                                to_status=status, note=note))
            conn.execute(OVERLAY_STATE.update().where(OVERLAY_STATE.c.id == 1)
                         .values(version=OVERLAY_STATE.c.version + 1))
        return self.get_report(report_id)

    def overlay_version(self) -> int:
        """The change counter of confirmed reports (one cheap single-row read)."""
        with self._read() as conn:
            return int(conn.execute(sa.select(OVERLAY_STATE.c.version).where(OVERLAY_STATE.c.id == 1)).scalar_one())

    def _with_history(self, conn: Connection, rows: list[Any]) -> list[Report]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        hist: dict[int, list[Event]] = {i: [] for i in ids}
        for e in conn.execute(sa.select(EVENTS).where(EVENTS.c.report_id.in_(ids))
                              .order_by(EVENTS.c.at, EVENTS.c.id)).mappings():
            hist[e["report_id"]].append(Event(at=e["at"], actor=e["actor"], from_status=e["from_status"],
                                              to_status=e["to_status"], note=e["note"]))
        return [_report(r, tuple(hist[r["id"]])) for r in rows]

    # ----------------------------------------------------------------- rate limits

    def _hit(self, conn: Connection, kind: str, client: str, limit: RateLimit, now: datetime, *,
             what: str = "requests") -> int:
        """Record one event (inside the caller's write transaction, so parallel requests are counted
        one after another); returns its row id. Over the limit, raise :class:`RateLimitError`, which
        rolls the event back."""
        start = now - timedelta(seconds=limit.window_s)
        conn.execute(RATE.delete().where(RATE.c.kind == kind, RATE.c.at < start))  # keeps the table small
        hit = conn.execute(RATE.insert().values(kind=kind, client=client, at=now)).inserted_primary_key[0]
        in_window = sa.and_(RATE.c.kind == kind, RATE.c.client == client, RATE.c.at >= start)
        count, oldest = conn.execute(sa.select(sa.func.count(), sa.func.min(RATE.c.at)).where(in_window)).one()
        if count > limit.limit:
            retry = max(1, int((oldest + timedelta(seconds=limit.window_s) - now).total_seconds()) + 1)
            msg = f"too many {what}: at most {limit.limit} in {limit.window_s / 60:g} minutes; retry in {retry} s"
            raise RateLimitError(msg, retry_after_s=retry)
        return int(hit)

    # ----------------------------------------------------------------- moderators

    def create_moderator(self, name: str, password: str, *, now: datetime, reset: bool = False) -> None:
        """Create a moderator account (or, with ``reset``, set a new password for an existing one)."""
        name = name.strip()
        if not name or len(name) > 80 or any(c.isspace() or ord(c) < 32 for c in name):
            msg = "a moderator name is 1–80 characters without spaces"
            raise BadRequestError(msg, field="name")
        if len(password) < MIN_PASSWORD:
            msg = f"the password must have at least {MIN_PASSWORD} characters"
            raise BadRequestError(msg, field="password")
        hashed = generate_password_hash(password)
        with self._write() as conn:
            exists = conn.execute(sa.select(MODERATORS.c.id).where(MODERATORS.c.name == name)).first()
            if exists is not None and not reset:
                msg = f"moderator {name!r} already exists (use --reset-password to change the password)"
                raise BadRequestError(msg, field="name")
            if exists is None and reset:
                msg = f"no moderator {name!r} to reset"
                raise NotFoundError(msg)
            if exists is None:
                conn.execute(MODERATORS.insert().values(name=name, password_hash=hashed, active=True, created_at=now))
            else:
                conn.execute(MODERATORS.update().where(MODERATORS.c.id == exists.id)
                             .values(password_hash=hashed, active=True))

    def set_moderator_active(self, name: str, active: bool) -> None:
        """Enable or disable an account (a disabled account's sessions stop working)."""
        with self._write() as conn:
            done = conn.execute(MODERATORS.update().where(MODERATORS.c.name == name).values(active=active))
            if done.rowcount == 0:
                msg = f"no moderator {name!r}"
                raise NotFoundError(msg)

    def authenticate(self, name: str, password: str, *, client: str, now: datetime,
                     limit: RateLimit | None = None) -> Moderator | None:
        """The moderator if the password matches; failed attempts count against ``limit`` per client.

        Each attempt first takes a slot of the limit in one write transaction (count and insert
        together, so parallel guesses are counted one by one); a successful login gives it back."""
        hit = None
        if limit is not None:
            with self._write() as conn:
                hit = self._hit(conn, "login", client, limit, now, what="failed logins")
        with self._read() as conn:
            row = conn.execute(sa.select(MODERATORS).where(MODERATORS.c.name == name)).mappings().first()
        ok = check_password_hash(row["password_hash"] if row is not None else _DUMMY_HASH, password)
        if row is not None and ok and row["active"]:
            if hit is not None:
                with self._write() as conn:
                    conn.execute(RATE.delete().where(RATE.c.id == hit))
            return _moderator(row)
        return None

    def get_moderator(self, moderator_id: int) -> Moderator | None:
        """An active moderator by id."""
        with self._read() as conn:
            row = conn.execute(sa.select(MODERATORS).where(MODERATORS.c.id == moderator_id,
                                                           MODERATORS.c.active.is_(True))).mappings().first()
        return _moderator(row) if row is not None else None


@dataclass(frozen=True)
class Moderator:
    """A moderator account; ``session_key`` changes with the password (old sessions end)."""

    id: int
    name: str
    session_key: str


def _known_id(report_id: int) -> None:
    """:class:`NotFoundError` for ids no row can have (SQL integers are 64-bit)."""
    if not 0 < report_id <= MAX_ID:
        msg = f"no report {report_id}"
        raise NotFoundError(msg)


def _moderator(row: Any) -> Moderator:
    key = hashlib.sha256(row["password_hash"].encode()).hexdigest()[:16]
    return Moderator(id=int(row["id"]), name=row["name"], session_key=key)


def _report(row: Any, history: tuple[Event, ...] = ()) -> Report:
    return Report(
        id=int(row["id"]), lat=float(row["lat"]), lon=float(row["lon"]), category=row["category"],
        severity=int(row["severity"]), description=row["description"], contact=row["contact"], photo=row["photo"],
        valid_until=row["valid_until"], status=row["status"], duplicate_of=row["duplicate_of"],
        source=row["source"], created_at=row["created_at"], updated_at=row["updated_at"], history=history,
    )
