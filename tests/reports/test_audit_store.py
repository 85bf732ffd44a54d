"""Verification answers in the database: consensus, one answer per client, moderation, rollback, all or nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from geo.errors import ConflictError, InvalidTransitionError, NotFoundError, RateLimitError
from geo.reports.audit_model import TaskRef
from geo.reports.audit_store import AuditStore
from geo.reports.database import Database
from geo.reports.limits import RateLimit
from geo.reports.photos import Photo
from geo.reports.store import ReportStore
from tests.reports.test_store import T0

KERB = TaskRef("node", 15, "kerb")
SURFACE = TaskRef("way", 102, "surface")
WHERE = (15.054, 50.771)


@pytest.fixture
def audits(db: Database, tmp_path: Path) -> AuditStore:
    return AuditStore(db, photo_dir=tmp_path / "photos")


def add(audits: AuditStore, task: TaskRef, value: str, client: str, *, minutes: int = 0, **kw: object):
    return audits.add_answer(task, value, client=client, now=T0 + timedelta(minutes=minutes), needed=2, where=WHERE,
                             **kw)


def test_two_agreeing_clients_verify_and_move_the_counter(audits: AuditStore, store: ReportStore) -> None:
    first = add(audits, KERB, "lowered", "a", on_site=True)
    assert (first.status, first.answers, first.value) == ("open", 1, None)
    assert store.overlay_version() == 0 and audits.verdicts() == []
    second = add(audits, KERB, "lowered", "b", minutes=1)
    assert (second.status, second.answers, second.value) == ("verified", 2, "lowered")
    assert store.overlay_version() == 1
    [v] = audits.verdicts()
    assert (v.task, v.value, v.source, v.answers, v.on_site, v.photos) == (KERB, "lowered", "community", 2, 1, 0)
    assert audits.closed() == {KERB.task_id}
    with pytest.raises(ConflictError) as exc:  # verified: no more answers
        add(audits, KERB, "flush", "c")
    assert exc.value.key == "audit.task_closed"
    item = audits.item(KERB)
    assert item is not None and item.status == "verified" and len(item.answers) == 2


def test_a_client_answers_a_task_once_and_nothing_of_a_refused_answer_stays(audits: AuditStore, tmp_path: Path) -> None:
    add(audits, SURFACE, "asphalt", "a", photo=Photo("png", b"\x89PNG first"))
    files = set((tmp_path / "photos").iterdir())
    with pytest.raises(ConflictError) as exc:
        add(audits, SURFACE, "asphalt", "a", photo=Photo("png", b"\x89PNG second"))
    assert exc.value.key == "audit.already_answered"
    assert set((tmp_path / "photos").iterdir()) == files  # the second photo was removed again
    item = audits.item(SURFACE)
    assert item is not None and len(item.answers) == 1 and item.status == "open"
    assert audits.answered_by("a") == {SURFACE.task_id} and audits.answered_by("b") == set()
    assert audits.find_photo(files.pop().name).task == SURFACE  # type: ignore[union-attr]


def test_disagreement_goes_to_a_moderator_who_confirms_and_can_roll_back(audits: AuditStore,
                                                                         store: ReportStore) -> None:
    add(audits, KERB, "lowered", "a")
    assert add(audits, KERB, "raised_15", "b").status == "disputed"
    assert store.overlay_version() == 0 and audits.closed() == {KERB.task_id}
    assert [i.task for i in audits.items(statuses=["disputed"])[0]] == [KERB]
    item = audits.decide(KERB, "confirm", actor="mod", now=T0, where=WHERE, value="raised_15", note="photo shows it")
    assert item.status == "verified" and item.verdict is not None and item.verdict.source == "moderator"
    assert item.verdict.answers == 2  # the evidence of the round it decided
    assert store.overlay_version() == 1
    item = audits.decide(KERB, "rollback", actor="mod2", now=T0, where=WHERE, note="wrong crossing")
    assert item.status == "open" and item.round == 2 and item.verdict is None
    assert item.verdicts[0].rolled_back_by == "mod2" and item.verdicts[0].rollback_note == "wrong crossing"
    assert store.overlay_version() == 2 and audits.verdicts() == []
    assert add(audits, KERB, "flush", "a").status == "open"  # a fresh round: the same client may answer again


def test_rolling_back_an_override_brings_the_community_verdict_back(audits: AuditStore) -> None:
    add(audits, SURFACE, "asphalt", "a")
    add(audits, SURFACE, "asphalt", "b")
    audits.decide(SURFACE, "confirm", actor="mod", now=T0, where=WHERE, value="concrete")
    assert [v.value for v in audits.verdicts()] == ["concrete"]
    item = audits.decide(SURFACE, "rollback", actor="mod", now=T0, where=WHERE)
    assert item.status == "verified" and item.verdict is not None and item.verdict.value == "asphalt"
    assert [v.value for v in audits.verdicts()] == ["asphalt"]
    item = audits.decide(SURFACE, "rollback", actor="mod", now=T0, where=WHERE)
    assert item.status == "open" and audits.verdicts() == []
    with pytest.raises(InvalidTransitionError):
        audits.decide(SURFACE, "rollback", actor="mod", now=T0, where=WHERE)


def test_reopen_asks_again_and_refuses_a_verified_task(audits: AuditStore) -> None:
    with pytest.raises(NotFoundError):
        audits.decide(KERB, "reopen", actor="mod", now=T0, where=WHERE)  # nobody answered yet
    add(audits, KERB, "lowered", "a")
    add(audits, KERB, "flush", "b")
    item = audits.decide(KERB, "reopen", actor="mod", now=T0, where=WHERE)
    assert (item.status, item.round, len(item.answers), item.round_answers()) == ("open", 2, 2, ())
    add(audits, KERB, "flush", "a")
    add(audits, KERB, "flush", "b")
    with pytest.raises(InvalidTransitionError):
        audits.decide(KERB, "reopen", actor="mod", now=T0, where=WHERE)
    # a moderator may verify a question nobody answered yet
    item = audits.decide(SURFACE, "confirm", actor="mod", now=T0, where=WHERE, value="asphalt")
    assert item.status == "verified" and item.answers == ()


def test_answers_count_against_the_rate_limit(audits: AuditStore) -> None:
    limit = RateLimit(2, 3600)
    audits.count_answer(client="a", now=T0, limit=limit)
    audits.count_answer(client="a", now=T0, limit=limit)
    with pytest.raises(RateLimitError) as exc:
        audits.count_answer(client="a", now=T0, limit=limit)
    assert exc.value.key == "rate.audit" and exc.value.details["retry_after_s"] > 0
    audits.count_answer(client="b", now=T0, limit=limit)  # another client has its own limit
