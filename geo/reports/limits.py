"""Rate limits counted in the database, so they hold across worker processes.

Each event (a submission, a failed login …) is a row of ``rate_events``; :func:`hit` inserts one and
counts the client's rows in the window inside the caller's write transaction, so parallel requests
are counted one after another: SQLite runs write transactions one at a time (``BEGIN IMMEDIATE``);
on PostgreSQL the transaction first takes an advisory lock on the (kind, client) pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from geo.errors import RateLimitError
from geo.reports.database import RATE, lock


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` events of one kind per client within ``window_s`` seconds."""

    limit: int
    window_s: float


def hit(conn: Connection, kind: str, client: str, limit: RateLimit, now: datetime) -> int:
    """Record one event (inside the caller's write transaction, so parallel requests are counted
    one after another); returns its row id. Over the limit, raise :class:`RateLimitError`, which
    rolls the event back."""
    start = now - timedelta(seconds=limit.window_s)
    lock(conn, f"lbb:rate:{kind}:{client}")
    # keep the table small: drop a batch of stale rows, skipping rows another transaction is deleting
    stale = sa.select(RATE.c.id).where(RATE.c.kind == kind, RATE.c.at < start).limit(200)
    conn.execute(RATE.delete().where(RATE.c.id.in_(stale.with_for_update(skip_locked=True).scalar_subquery())))
    row_id = conn.execute(RATE.insert().values(kind=kind, client=client, at=now)).inserted_primary_key[0]
    in_window = sa.and_(RATE.c.kind == kind, RATE.c.client == client, RATE.c.at >= start)
    count, oldest = conn.execute(sa.select(sa.func.count(), sa.func.min(RATE.c.at)).where(in_window)).one()
    if count > limit.limit:
        retry = max(1, int((oldest + timedelta(seconds=limit.window_s) - now).total_seconds()) + 1)
        raise RateLimitError(f"rate.{kind}", limit=limit.limit, minutes=limit.window_s / 60, retry_after_s=retry)
    return int(row_id)
