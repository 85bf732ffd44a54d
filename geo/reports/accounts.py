"""Moderator accounts: salted password hashes (werkzeug), activation, login with a failed-login limit."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from geo.errors import BadRequestError, NotFoundError
from geo.reports.database import MODERATORS, RATE, Database
from geo.reports.limits import RateLimit, hit

#: Shortest accepted moderator password.
MIN_PASSWORD = 8
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


@dataclass(frozen=True)
class Moderator:
    """A moderator account; ``session_key`` changes with the password (old sessions end)."""

    id: int
    name: str
    session_key: str


class ModeratorAccounts:
    """Moderator accounts in one database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, name: str, password: str, *, now: datetime, reset: bool = False) -> None:
        """Create a moderator account (or, with ``reset``, set a new password for an existing one)."""
        name = name.strip()
        if not name or len(name) > 80 or any(c.isspace() or ord(c) < 32 for c in name):
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

    def set_active(self, name: str, active: bool) -> None:
        """Enable or disable an account (a disabled account's sessions stop working)."""
        with self.db.write() as conn:
            done = conn.execute(MODERATORS.update().where(MODERATORS.c.name == name).values(active=active))
            if done.rowcount == 0:
                raise NotFoundError("moderator.no_such", name=name)

    def authenticate(self, name: str, password: str, *, client: str, now: datetime,
                     limit: RateLimit | None = None) -> Moderator | None:
        """The moderator if the password matches; failed attempts count against ``limit`` per client.

        Each attempt first takes a slot of the limit in one write transaction (count and insert
        together, so parallel guesses are counted one by one); a successful login gives it back."""
        hit_id = None
        if limit is not None:
            with self.db.write() as conn:
                hit_id = hit(conn, "login", client, limit, now)
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
    key = hashlib.sha256(row["password_hash"].encode()).hexdigest()[:16]
    return Moderator(id=int(row["id"]), name=row["name"], session_key=key)
