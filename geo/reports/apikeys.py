"""API keys of Open311 clients: issued from the command line, stored hashed, each with its own quota, revocable.

A key is a random secret (``lbb_`` and 43 URL-safe characters, 256 bits) shown once when it is created;
the database keeps only its SHA-256 (a random key of that strength needs no slow hash, and a database
leak gives no usable key). A submission with a valid key counts against the key's own quota instead of
the per-address limit, so a server posting for many people from one address is not throttled as one
person; a revoked or unknown key is refused.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from geo.errors import BadRequestError, NotFoundError
from geo.reports.accounts import valid_name
from geo.reports.database import API_KEYS, Database
from geo.reports.limits import RateLimit

#: What every key starts with (tells a key from other secrets in a configuration).
KEY_PREFIX = "lbb_"
#: Default quota of a new key: submissions per window.
DEFAULT_LIMIT = 1000
DEFAULT_WINDOW_S = 3600.0


@dataclass(frozen=True)
class ApiKey:
    """An issued key (never the secret itself): its name, quota and whether it is revoked."""

    id: int
    name: str
    limit: int
    window_s: float
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def quota(self) -> RateLimit:
        """The key's own submission limit."""
        return RateLimit(self.limit, self.window_s)

    @property
    def client(self) -> str:
        """The rate-limit client of the key's submissions (shared by every address that uses it)."""
        return f"apikey:{self.id}"


def key_hash(secret: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


class ApiKeys:
    """The API keys in one database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, name: str, *, now: datetime, limit: int = DEFAULT_LIMIT,
               window_s: float = DEFAULT_WINDOW_S) -> tuple[ApiKey, str]:
        """Issue a key named ``name`` with its quota; returns it and the secret (shown once, stored hashed)."""
        name = name.strip()
        if not valid_name(name):
            raise BadRequestError("apikey.name_invalid", field="name")
        if not (0 < limit <= 10**9 and 0 < window_s <= 10**9):
            raise BadRequestError("apikey.quota_invalid", field="limit", limit=limit, window_s=window_s)
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        with self.db.write() as conn:
            if conn.execute(sa.select(API_KEYS.c.id).where(API_KEYS.c.name == name)).first() is not None:
                raise BadRequestError("apikey.exists", field="name", name=name)
            conn.execute(API_KEYS.insert().values(name=name, key_sha256=key_hash(secret), rate_limit=limit,
                                                  window_s=window_s, created_at=now, revoked_at=None))
        return self.get(name), secret

    def revoke(self, name: str, *, now: datetime) -> ApiKey:
        """Revoke a key: from now on it is refused (revoking twice keeps the first time)."""
        with self.db.write() as conn:
            row = conn.execute(sa.select(API_KEYS.c.id, API_KEYS.c.revoked_at)
                               .where(API_KEYS.c.name == name.strip())).first()
            if row is None:
                raise NotFoundError("apikey.no_such", name=name)
            if row.revoked_at is None:
                conn.execute(API_KEYS.update().where(API_KEYS.c.id == row.id).values(revoked_at=now))
        return self.get(name)

    def get(self, name: str) -> ApiKey:
        """A key by name, revoked or not."""
        with self.db.read() as conn:
            row = conn.execute(sa.select(API_KEYS).where(API_KEYS.c.name == name.strip())).mappings().first()
        if row is None:
            raise NotFoundError("apikey.no_such", name=name)
        return _api_key(row)

    def all(self) -> list[ApiKey]:
        """Every key, oldest first."""
        with self.db.read() as conn:
            return [_api_key(r) for r in conn.execute(sa.select(API_KEYS).order_by(API_KEYS.c.id)).mappings()]

    def verify(self, secret: str) -> ApiKey | None:
        """The live key whose secret this is (``None`` for an unknown or revoked key)."""
        if not secret.startswith(KEY_PREFIX) or len(secret) > 200:
            return None
        with self.db.read() as conn:
            row = conn.execute(sa.select(API_KEYS).where(API_KEYS.c.key_sha256 == key_hash(secret),
                                                         API_KEYS.c.revoked_at.is_(None))).mappings().first()
        return _api_key(row) if row is not None else None


def _api_key(row: Any) -> ApiKey:
    return ApiKey(id=int(row["id"]), name=row["name"], limit=int(row["rate_limit"]), window_s=float(row["window_s"]),
                  created_at=row["created_at"], revoked_at=row["revoked_at"])
