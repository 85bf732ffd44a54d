"""Moderator accounts: salted password hashes (werkzeug), activation, login with a failed-login limit,
and server-side sessions.

A session is a random token in the moderator's (signed) cookie and a row of ``moderator_sessions``
holding only the token's SHA-256; it ends when the moderator logs out, when it expires, and for
every session of the account when its password is reset or the account is disabled — a copied
cookie stops working at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from geo.errors import BadRequestError, NotFoundError
from geo.reports.database import MODERATORS, RATE, SESSIONS, Database
from geo.reports.limits import RateLimit, hit

#: Shortest accepted moderator password.
MIN_PASSWORD = 8
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


def valid_name(name: str) -> bool:
    """Whether ``name`` can be a moderator's name: 1–80 characters, no spaces or control characters."""
    return 0 < len(name) <= 80 and not any(c.isspace() or ord(c) < 32 for c in name)


@dataclass(frozen=True)
class Moderator:
    """A moderator account."""

    id: int
    name: str


class ModeratorAccounts:
    """Moderator accounts in one database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, name: str, password: str, *, now: datetime, reset: bool = False) -> None:
        """Create a moderator account (or, with ``reset``, set a new password for an existing one)."""
        name = name.strip()
        if not valid_name(name):
            raise BadRequestError("moderator.name_invalid", field="name")
        if len(password) < MIN_PASSWORD:
            raise BadRequestError("moderator.password_short", field="password", min=MIN_PASSWORD)
        hashed = generate_password_hash(password)
        with self.db.write() as conn:
            exists = conn.execute(sa.select(MODERATORS.c.id).where(MODERATORS.c.name == name)).first()
            if exists is not None and not reset:
                raise BadRequestError("moderator.exists", field="name", name=name)
            if exists is None and reset:
                raise NotFoundError("moderator.no_such", name=name)
            if exists is None:
                conn.execute(MODERATORS.insert().values(name=name, password_hash=hashed, active=True, created_at=now))
            else:
                conn.execute(MODERATORS.update().where(MODERATORS.c.id == exists.id)
                             .values(password_hash=hashed, active=True))
                conn.execute(SESSIONS.delete().where(SESSIONS.c.moderator_id == exists.id))  # a new password

    def set_active(self, name: str, active: bool) -> None:
        """Enable or disable an account (disabling ends its sessions)."""
        with self.db.write() as conn:
            row = conn.execute(sa.select(MODERATORS.c.id).where(MODERATORS.c.name == name)).first()
            if row is None:
                raise NotFoundError("moderator.no_such", name=name)
            conn.execute(MODERATORS.update().where(MODERATORS.c.id == row.id).values(active=active))
            if not active:
                conn.execute(SESSIONS.delete().where(SESSIONS.c.moderator_id == row.id))

    # ----------------------------------------------------------------- sessions

    def start_session(self, moderator: Moderator, *, now: datetime, lifetime: timedelta) -> str:
        """A new session of ``moderator``: the token for the cookie (only its hash is stored)."""
        token = secrets.token_urlsafe(32)
        with self.db.write() as conn:
            conn.execute(SESSIONS.delete().where(SESSIONS.c.expires_at <= now))  # keeps the table small
            conn.execute(SESSIONS.insert().values(id=_token_hash(token), moderator_id=moderator.id, created_at=now,
                                                  expires_at=now + lifetime))
        return token

    def by_session(self, token: str, *, now: datetime) -> Moderator | None:
        """The active moderator of a live session token (``None`` if ended, expired or unknown)."""
        with self.db.read() as conn:
            row = conn.execute(
                sa.select(MODERATORS).join(SESSIONS, SESSIONS.c.moderator_id == MODERATORS.c.id)
                .where(SESSIONS.c.id == _token_hash(token), SESSIONS.c.expires_at > now,
                       MODERATORS.c.active.is_(True))).mappings().first()
        return _moderator(row) if row is not None else None

    def end_session(self, token: str) -> None:
        """End one session (logout)."""
        with self.db.write() as conn:
            conn.execute(SESSIONS.delete().where(SESSIONS.c.id == _token_hash(token)))

    def authenticate(self, name: str, password: str, *, client: str, now: datetime,
                     limit: RateLimit | None = None) -> Moderator | None:
        """The moderator if the password matches; failed attempts count against ``limit`` per client.

        Each attempt first takes a slot of the limit in one write transaction (count and insert
        together, so parallel guesses are counted one by one); a successful login gives it back."""
        hit_id = None
        if limit is not None:
            with self.db.write() as conn:
                hit_id = hit(conn, "login", client, limit, now)
        row = None
        if valid_name(name):  # no account has any other name (and PostgreSQL text cannot hold NUL)
            with self.db.read() as conn:
                row = conn.execute(sa.select(MODERATORS).where(MODERATORS.c.name == name)).mappings().first()
        ok = check_password_hash(row["password_hash"] if row is not None else _DUMMY_HASH, password)
        if row is not None and ok and row["active"]:
            if hit_id is not None:
                with self.db.write() as conn:
                    conn.execute(RATE.delete().where(RATE.c.id == hit_id))
            return _moderator(row)
        return None

    def get(self, moderator_id: int) -> Moderator | None:
        """An active moderator by id."""
        with self.db.read() as conn:
            row = conn.execute(sa.select(MODERATORS).where(MODERATORS.c.id == moderator_id,
                                                           MODERATORS.c.active.is_(True))).mappings().first()
        return _moderator(row) if row is not None else None


def _moderator(row: Any) -> Moderator:
    return Moderator(id=int(row["id"]), name=row["name"])


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
