"""Moderator accounts: hashed passwords, activation, server-side sessions ending on logout, a new password or
a disabled account, failed-login limit."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from geo.errors import BadRequestError, RateLimitError
from geo.reports.accounts import ModeratorAccounts
from geo.reports.database import Database
from geo.reports.limits import RateLimit
from tests.reports.test_store import T0


def test_moderator_accounts(accounts: ModeratorAccounts) -> None:
    accounts.create("alice", "correct horse", now=T0)
    with accounts.db.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT password_hash FROM moderators")).scalar()
    assert "correct horse" not in stored and stored.startswith(("scrypt:", "pbkdf2:"))
    mod = accounts.authenticate("alice", "correct horse", client="x", now=T0)
    assert mod is not None and mod.name == "alice"
    assert accounts.authenticate("alice", "wrong", client="x", now=T0) is None
    assert accounts.authenticate("nobody", "correct horse", client="x", now=T0) is None
    with pytest.raises(BadRequestError, match="already exists"):
        accounts.create("alice", "another pass", now=T0)
    with pytest.raises(BadRequestError, match="at least"):
        accounts.create("bob", "short", now=T0)
    with pytest.raises(BadRequestError):
        accounts.create("bad name", "long enough", now=T0)
    accounts.create("alice", "new password", now=T0, reset=True)
    accounts.set_active("alice", False)
    assert accounts.get(mod.id) is None
    assert accounts.authenticate("alice", "new password", client="x", now=T0) is None


def test_sessions_end_on_logout_expiry_new_password_and_deactivation(accounts: ModeratorAccounts) -> None:
    accounts.create("alice", "correct horse", now=T0)
    mod = accounts.authenticate("alice", "correct horse", client="x", now=T0)
    hour = timedelta(hours=1)
    one, two = (accounts.start_session(mod, now=T0, lifetime=hour) for _ in range(2))
    assert one != two and accounts.by_session(one, now=T0) == mod == accounts.by_session(two, now=T0)
    with accounts.db.read() as conn:  # only hashes are stored
        stored = {r[0] for r in conn.execute(sa.text("SELECT id FROM moderator_sessions"))}
    assert one not in stored and len(stored) == 2
    accounts.end_session(one)
    assert accounts.by_session(one, now=T0) is None and accounts.by_session(two, now=T0) == mod
    assert accounts.by_session(two, now=T0 + hour) is None  # expired
    assert accounts.by_session("made-up", now=T0) is None
    three = accounts.start_session(mod, now=T0, lifetime=hour)
    accounts.create("alice", "new password", now=T0, reset=True)
    assert accounts.by_session(three, now=T0) is None
    four = accounts.start_session(mod, now=T0, lifetime=hour)
    accounts.set_active("alice", False)
    accounts.set_active("alice", True)
    assert accounts.by_session(four, now=T0) is None


def test_names_with_nul_or_control_characters_are_just_wrong_logins(accounts: ModeratorAccounts) -> None:
    accounts.create("alice", "correct horse", now=T0)
    for name in ("ali\x00ce", "\x00", "alice\n", "x" * 500):
        assert accounts.authenticate(name, "correct horse", client="x", now=T0) is None

def test_failed_logins_are_rate_limited(accounts: ModeratorAccounts) -> None:
    accounts.create("alice", "correct horse", now=T0)
    limit = RateLimit(limit=3, window_s=900)
    for _ in range(3):
        assert accounts.authenticate("alice", "guess", client="x", now=T0, limit=limit) is None
    with pytest.raises(RateLimitError):
        accounts.authenticate("alice", "correct horse", client="x", now=T0, limit=limit)
    assert accounts.authenticate("alice", "correct horse", client="y", now=T0, limit=limit) is not None
    later = T0 + timedelta(seconds=901)
    assert accounts.authenticate("alice", "correct horse", client="x", now=later, limit=limit) is not None

def test_parallel_failed_logins_cannot_pass_the_limit_together(accounts: ModeratorAccounts, tmp_path: Path) -> None:
    accounts.create("alice", "correct horse", now=T0)
    limit = RateLimit(limit=3, window_s=900)
    workers = [ModeratorAccounts(Database(accounts.db.url)) for _ in range(8)]
    results: list[str] = []
    barrier = threading.Barrier(len(workers))

    def guess(s: ModeratorAccounts) -> None:
        barrier.wait()
        try:
            results.append("ok" if s.authenticate("alice", "guess", client="x", now=T0, limit=limit) else "wrong")
        except RateLimitError:
            results.append("limited")

    threads = [threading.Thread(target=guess, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for w in workers:
        w.db.close()
    assert sorted(results) == ["limited"] * 5 + ["wrong"] * 3
    with pytest.raises(RateLimitError):
        accounts.authenticate("alice", "correct horse", client="x", now=T0, limit=limit)

def test_a_successful_login_does_not_count_against_the_limit(accounts: ModeratorAccounts) -> None:
    accounts.create("alice", "correct horse", now=T0)
    limit = RateLimit(limit=2, window_s=900)
    for _ in range(5):
        assert accounts.authenticate("alice", "correct horse", client="x", now=T0, limit=limit) is not None
    assert accounts.authenticate("alice", "guess", client="x", now=T0, limit=limit) is None
