"""API keys of Open311 clients on SQLite and PostgreSQL: issued once, stored hashed, own quota, revocable."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from geo.errors import BadRequestError, NotFoundError, RateLimitError
from geo.reports.apikeys import KEY_PREFIX, ApiKeys
from geo.reports.database import API_KEYS
from geo.reports.limits import hit
from tests.reports.test_store import T0


def test_a_key_is_shown_once_and_stored_as_its_hash(db: Any) -> None:
    keys = ApiKeys(db)
    key, secret = keys.create("partner", now=T0, limit=50, window_s=600)
    assert secret.startswith(KEY_PREFIX) and len(secret) >= 40
    assert (key.name, key.limit, key.window_s, key.revoked_at) == ("partner", 50, 600.0, None)
    with db.read() as conn:
        rows = [dict(r) for r in conn.execute(sa.select(API_KEYS)).mappings()]
    assert secret not in str(rows) and rows[0]["key_sha256"] == hashlib.sha256(secret.encode()).hexdigest()
    assert keys.verify(secret) == key
    _, other = keys.create("another", now=T0)
    assert other != secret and keys.verify(other).name == "another"
    for wrong in (secret[:-1], secret + "x", secret.removeprefix(KEY_PREFIX), "", KEY_PREFIX + "\ud800"):
        assert keys.verify(wrong) is None, wrong


def test_names_and_quotas_are_checked(db: Any) -> None:
    keys = ApiKeys(db)
    keys.create("partner", now=T0)
    with pytest.raises(BadRequestError, match="already exists"):
        keys.create(" partner ", now=T0)
    for bad in ("", "two words", "x" * 81):
        with pytest.raises(BadRequestError, match="1–80 characters"):
            keys.create(bad, now=T0)
    for limit, window_s in ((0, 60.0), (5, 0.0), (-1, 60.0)):
        with pytest.raises(BadRequestError, match="positive"):
            keys.create("q", now=T0, limit=limit, window_s=window_s)
    with pytest.raises(NotFoundError):
        keys.get("nobody")


def test_a_revoked_key_is_refused_from_then_on(db: Any) -> None:
    keys = ApiKeys(db)
    _, secret = keys.create("partner", now=T0)
    revoked = keys.revoke("partner", now=T0 + timedelta(hours=1))
    assert revoked.revoked_at == T0 + timedelta(hours=1) and keys.verify(secret) is None
    assert keys.revoke("partner", now=T0 + timedelta(hours=2)).revoked_at == T0 + timedelta(hours=1)
    with pytest.raises(NotFoundError, match="no key named nobody"):
        keys.revoke("nobody", now=T0)
    keys.create("next", now=T0)
    assert [(k.name, k.revoked_at is None) for k in keys.all()] == [("partner", False), ("next", True)]


def test_each_key_counts_against_its_own_quota(db: Any) -> None:
    keys = ApiKeys(db)
    a, _ = keys.create("a", now=T0, limit=2)
    b, _ = keys.create("b", now=T0, limit=1)
    assert a.client != b.client
    with db.write() as conn:
        for _ in range(2):
            hit(conn, "submit", a.client, a.quota, T0)
        hit(conn, "submit", b.client, b.quota, T0)
    with pytest.raises(RateLimitError), db.write() as conn:
        hit(conn, "submit", a.client, a.quota, T0)
    with db.write() as conn:  # the window moved on
        hit(conn, "submit", a.client, a.quota, T0 + timedelta(seconds=a.window_s + 1))
