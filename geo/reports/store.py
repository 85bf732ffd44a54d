"""Reports storage: reports with their history and photos, and the overlay change counter.

Tables and transactions are those of :mod:`geo.reports.database`; submissions count against the
client's rate limit (:mod:`geo.reports.limits`) in the same transaction that stores them. Photos
are files in a folder next to the database, under generated names (:mod:`geo.reports.photos`).

A submission may carry an idempotency key (:class:`IdempotencyKey`: hashes of the client's key and of
the body): the report is stored together with the key in one transaction, and the same key again
gives back that report instead of a second one (for :data:`IDEMPOTENCY_TTL`); the same key with
another body is an :class:`~geo.errors.IdempotencyMismatchError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from geo.errors import BadRequestError, IdempotencyMismatchError, NotFoundError
from geo.reports.database import EVENTS, IDEMPOTENCY, OVERLAY_STATE, REPORTS, Database, bump_overlay, lock
from geo.reports.limits import RateLimit, hit
from geo.reports.model import (
    ACTIVE_STATUSES,
    CLOSED_STATUSES,
    MAX_ID,
    OPEN_STATUSES,
    Event,
    NewReport,
    Report,
    check_transition,
    utcnow,
)
from geo.reports.photos import Photo, PhotoFolder

#: How long an idempotency key gives back its report.
IDEMPOTENCY_TTL = timedelta(hours=24)


@dataclass(frozen=True)
class IdempotencyKey:
    """A submission's idempotency key: SHA-256 of the client's key and of the submitted body."""

    key_sha256: str
    body_sha256: str


class ReportStore:
    """Reports, their history and photos, and the overlay change counter, in one database."""

    def __init__(self, db: Database, *, photo_dir: str | Path) -> None:
        self.db = db
        self.photos = PhotoFolder(Path(photo_dir))

    def add_report(self, new: NewReport, *, source: str, client: str, now: datetime,
                   limit: RateLimit | None = None, photo: Photo | None = None,
                   key: IdempotencyKey | None = None, api_key_id: int | None = None) -> Report:
        """Store a submitted report (and its photo) after counting it against the client's rate limit;
        with an idempotency ``key`` already used, the report stored then (see :meth:`replay`).
        ``api_key_id``: the API key of the client that submitted it, if any."""
        name = None
        try:
            with self.db.write() as conn:
                if key is not None:
                    lock(conn, f"lbb:idempotency:{key.key_sha256}")
                    earlier = self._replay(conn, key, now)
                    if earlier is not None:
                        return self.get_report(earlier)
                    old = sa.select(IDEMPOTENCY.c.key).where(IDEMPOTENCY.c.created_at <= now - IDEMPOTENCY_TTL)
                    conn.execute(IDEMPOTENCY.delete().where(IDEMPOTENCY.c.key.in_(  # expired keys, this one too
                        old.limit(200).with_for_update(skip_locked=True).scalar_subquery())))
                    conn.execute(IDEMPOTENCY.delete().where(IDEMPOTENCY.c.key == key.key_sha256))
                if limit is not None:
                    hit(conn, "submit", client, limit, now)
                if photo is not None:
                    name = self.photos.save(photo)
                rid = conn.execute(REPORTS.insert().values(
                    created_at=now, updated_at=now, lat=new.lat, lon=new.lon, category=new.category,
                    severity=new.severity, description=new.description, contact=new.contact, photo=name,
                    valid_until=new.valid_until, status="submitted", duplicate_of=None, source=source,
                    media_url=str(new.media_url) if new.media_url is not None else None, api_key_id=api_key_id,
                )).inserted_primary_key[0]
                conn.execute(EVENTS.insert().values(report_id=rid, at=now, actor="public", from_status=None,
                                                    to_status="submitted", note=None))
                if key is not None:
                    conn.execute(IDEMPOTENCY.insert().values(key=key.key_sha256, body_sha256=key.body_sha256,
                                                             report_id=rid, created_at=now))
        except BaseException:
            if name is not None:
                self.photos.delete(name)
            raise
        return self.get_report(int(rid))

    def replay(self, key: IdempotencyKey, *, now: datetime) -> Report | None:
        """The report stored earlier under ``key`` (``None`` if the key is new or expired); the key with
        another body raises :class:`~geo.errors.IdempotencyMismatchError`."""
        with self.db.read() as conn:
            rid = self._replay(conn, key, now)
        return self.get_report(rid) if rid is not None else None

    def _replay(self, conn: Connection, key: IdempotencyKey, now: datetime) -> int | None:
        row = conn.execute(sa.select(IDEMPOTENCY.c.body_sha256, IDEMPOTENCY.c.report_id).where(
            IDEMPOTENCY.c.key == key.key_sha256, IDEMPOTENCY.c.created_at > now - IDEMPOTENCY_TTL)).first()
        if row is None:
            return None
        if row.body_sha256 != key.body_sha256:
            raise IdempotencyMismatchError("idempotency.mismatch", field="Idempotency-Key")
        return int(row.report_id)

    def count_submission(self, *, client: str, now: datetime, limit: RateLimit) -> None:
        """Count a submission that is not stored (a honeypot hit) against the rate limit."""
        with self.db.write() as conn:
            hit(conn, "submit", client, limit, now)

    def get_report(self, report_id: int) -> Report:
        """One report with its history; :class:`NotFoundError` if there is none."""
        _known_id(report_id)
        with self.db.read() as conn:
            row = conn.execute(sa.select(REPORTS).where(REPORTS.c.id == report_id)).mappings().first()
            if row is None:
                raise NotFoundError("report.not_found", id=report_id)
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
            raise BadRequestError("request.out_of_range", field="offset", min=0, max=MAX_ID, value=str(offset))
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
        with self.db.read() as conn:
            total = int(conn.execute(sa.select(sa.func.count()).select_from(REPORTS).where(where)).scalar() or 0)
            rows = conn.execute(sa.select(REPORTS).where(where).order_by(order).limit(limit).offset(offset))
            return self._with_history(conn, list(rows.mappings())), total

    def active_reports(self, now: datetime) -> list[Report]:
        """Reports that change routes now: confirmed / planned / in progress and not expired."""
        with self.db.read() as conn:
            rows = conn.execute(sa.select(REPORTS).where(
                REPORTS.c.status.in_(sorted(ACTIVE_STATUSES)),
                sa.or_(REPORTS.c.valid_until.is_(None), REPORTS.c.valid_until > now),
            ).order_by(REPORTS.c.id))
            return [_report(r) for r in rows.mappings()]

    def find_photo(self, name: str) -> Report | None:
        """The report a photo belongs to."""
        with self.db.read() as conn:
            row = conn.execute(sa.select(REPORTS).where(REPORTS.c.photo == name)).mappings().first()
            return _report(row) if row is not None else None

    def change_status(self, report_id: int, status: str, *, actor: str, now: datetime, note: str | None = None,
                      duplicate_of: int | None = None) -> Report:
        """Move a report along the lifecycle, record who and when, and bump the overlay counter."""
        _known_id(report_id)
        if duplicate_of is not None and not 0 < duplicate_of <= MAX_ID:
            raise BadRequestError("report.duplicate_of_missing", field="duplicate_of", id=duplicate_of)
        with self.db.write() as conn:
            row = conn.execute(sa.select(REPORTS.c.status).where(REPORTS.c.id == report_id)
                               .with_for_update()).first()
            if row is None:
                raise NotFoundError("report.not_found", id=report_id)
            current = row.status
            check_transition(current, status, report_id=report_id, duplicate_of=duplicate_of)
            if duplicate_of is not None:
                target = conn.execute(sa.select(REPORTS.c.status).where(REPORTS.c.id == duplicate_of)).first()
                if target is None:
                    raise BadRequestError("report.duplicate_of_missing", field="duplicate_of", id=duplicate_of)
                if target.status in ("duplicate", "rejected"):
                    raise BadRequestError("report.duplicate_of_closed", field="duplicate_of", id=duplicate_of,
                                          status=target.status)
            conn.execute(REPORTS.update().where(REPORTS.c.id == report_id)
                         .values(status=status, duplicate_of=duplicate_of, updated_at=now))
            conn.execute(EVENTS.insert().values(report_id=report_id, at=now, actor=actor, from_status=current,
                                                to_status=status, note=note))
            bump_overlay(conn)
        return self.get_report(report_id)

    def overlay_version(self) -> int:
        """The change counter of confirmed reports (one cheap single-row read)."""
        with self.db.read() as conn:
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


def _known_id(report_id: int) -> None:
    """:class:`NotFoundError` for ids no row can have (SQL integers are 64-bit)."""
    if not 0 < report_id <= MAX_ID:
        raise NotFoundError("report.not_found", id=report_id)


def _report(row: Any, history: tuple[Event, ...] = ()) -> Report:
    return Report(
        id=int(row["id"]), lat=float(row["lat"]), lon=float(row["lon"]), category=row["category"],
        severity=int(row["severity"]), description=row["description"], contact=row["contact"], photo=row["photo"],
        valid_until=row["valid_until"], status=row["status"], duplicate_of=row["duplicate_of"],
        source=row["source"], created_at=row["created_at"], updated_at=row["updated_at"], history=history,
        media_url=row["media_url"], api_key_id=row["api_key_id"],
    )
