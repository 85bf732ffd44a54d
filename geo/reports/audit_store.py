"""Verification answers, task states and verdicts in the reports database (tables of schema version 4).

An answer is stored with its task's new state in one write transaction: the task row is locked, a second
answer of the same client in the same round is refused, the round's answers are checked for consensus
(:func:`geo.reports.audit_model.consensus`), and a verdict — community or moderator — moves the change
counter that every worker polls (:func:`geo.reports.database.bump_overlay`), so the verified value reaches
routing within the poll interval. Rate-limit hits are counted before a photo is decoded
(:meth:`AuditStore.count_answer`), as for reports. Clients are opaque keys (a keyed hash of the IP).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from geo.errors import ConflictError, InvalidTransitionError, NotFoundError
from geo.reports.audit_model import Answer, AnswerResult, Item, TaskRef, Verdict, consensus
from geo.reports.database import AUDIT_ANSWERS, AUDIT_ITEMS, AUDIT_VERDICTS, Database, bump_overlay
from geo.reports.limits import RateLimit, hit
from geo.reports.photos import Photo, PhotoFolder

#: The source and the actor of a verdict reached by agreeing answers.
COMMUNITY = "community"


class AuditStore:
    """Tasks with answers, their verdicts and answer photos, in the reports database."""

    def __init__(self, db: Database, *, photo_dir: str | Path) -> None:
        self.db = db
        self.photos = PhotoFolder(Path(photo_dir))

    # ----------------------------------------------------------------- answers

    def count_answer(self, *, client: str, now: datetime, limit: RateLimit) -> None:
        """Count an answer against the client's rate limit (before its photo is decoded)."""
        with self.db.write() as conn:
            hit(conn, "audit", client, limit, now)

    def add_answer(self, task: TaskRef, value: str, *, client: str, now: datetime, needed: int,
                   where: tuple[float, float], on_site: bool | None = None,
                   photo: Photo | None = None) -> AnswerResult:
        """Store one answer (and its photo) and the task's new state; all or nothing.

        ``where`` is the task's (lon, lat) for the moderation list. A task that is verified or disputed takes
        no more answers, and a client answers a task once per round (:class:`ConflictError`)."""
        try:
            return self._add_answer(task, value, client, now, needed, where, on_site, photo)
        except sa.exc.IntegrityError:  # another worker created the task row at the same moment: once more
            pass
        try:
            return self._add_answer(task, value, client, now, needed, where, on_site, photo)
        except sa.exc.IntegrityError:  # a parallel answer of the same client
            raise ConflictError("audit.already_answered", field="task_id", task_id=task.task_id) from None

    def _add_answer(self, task: TaskRef, value: str, client: str, now: datetime, needed: int,
                    where: tuple[float, float], on_site: bool | None, photo: Photo | None) -> AnswerResult:
        name = None
        try:
            with self.db.write() as conn:
                row = self._lock_item(conn, task, now, where)
                if row.status != "open":
                    raise ConflictError("audit.task_closed", field="task_id", task_id=task.task_id, status=row.status)
                if conn.execute(sa.select(AUDIT_ANSWERS.c.id).where(
                        AUDIT_ANSWERS.c.task_id == task.task_id, AUDIT_ANSWERS.c.round == row.round,
                        AUDIT_ANSWERS.c.client == client)).first() is not None:
                    raise ConflictError("audit.already_answered", field="task_id", task_id=task.task_id)
                if photo is not None:
                    name = self.photos.save(photo)
                conn.execute(AUDIT_ANSWERS.insert().values(task_id=task.task_id, round=row.round, client=client,
                                                           value=value, on_site=on_site, photo=name, created_at=now))
                values = [r.value for r in conn.execute(sa.select(AUDIT_ANSWERS.c.value).where(
                    AUDIT_ANSWERS.c.task_id == task.task_id, AUDIT_ANSWERS.c.round == row.round))]
                status, verified = consensus(values, needed)
                self._set(conn, task, status=status, updated_at=now)
                if verified is not None:
                    self._verdict(conn, task, row.round, verified, source=COMMUNITY, actor=COMMUNITY, at=now)
                return AnswerResult(task, status, len(values), needed, verified)
        except BaseException:
            if name is not None:
                self.photos.delete(name)
            raise

    # ----------------------------------------------------------------- moderation

    def decide(self, task: TaskRef, action: str, *, actor: str, now: datetime, where: tuple[float, float],
               value: str | None = None, note: str | None = None) -> Item:
        """A moderator's decision: ``confirm`` ``value`` (a verdict, also over a community one), ``reopen`` a
        disputed or open question (a fresh round of answers), or ``rollback`` the verdict in force (the
        previous one comes back, or the question reopens)."""
        with self.db.write() as conn:
            row = self._lock_item(conn, task, now, where, create=action == "confirm")
            if row is None:
                raise NotFoundError("audit.no_answers", field="task_id", task_id=task.task_id)
            if action == "confirm":
                self._verdict(conn, task, row.round, str(value), source="moderator", actor=actor, at=now, note=note)
                self._set(conn, task, status="verified", updated_at=now)
            elif action == "reopen":
                if row.status == "verified":
                    raise InvalidTransitionError("audit.reopen_verified", field="action", task_id=task.task_id)
                self._set(conn, task, status="open", round=row.round + 1, updated_at=now)
            else:
                self._roll_back(conn, task, row, actor=actor, now=now, note=note)
        found = self.item(task)
        assert found is not None
        return found

    def _roll_back(self, conn: Connection, task: TaskRef, row: Any, *, actor: str, now: datetime,
                   note: str | None) -> None:
        live = conn.execute(sa.select(AUDIT_VERDICTS.c.id).where(
            AUDIT_VERDICTS.c.task_id == task.task_id, AUDIT_VERDICTS.c.rolled_back_at.is_(None))
            .order_by(AUDIT_VERDICTS.c.id.desc())).scalars().all()
        if not live:
            raise InvalidTransitionError("audit.nothing_to_roll_back", field="action", task_id=task.task_id)
        conn.execute(AUDIT_VERDICTS.update().where(AUDIT_VERDICTS.c.id == live[0]).values(
            rolled_back_at=now, rolled_back_by=actor, rollback_note=note))
        if len(live) > 1:
            self._set(conn, task, status="verified", updated_at=now)
        else:
            self._set(conn, task, status="open", round=row.round + 1, updated_at=now)
        bump_overlay(conn)

    # ----------------------------------------------------------------- reading

    def item(self, task: TaskRef) -> Item | None:
        """A task with its answers and verdicts (``None`` when nobody answered it yet)."""
        items, _ = self.items(task_ids=[task.task_id], limit=1)
        return items[0] if items else None

    def items(self, *, statuses: Sequence[str] | None = None, task_ids: Sequence[str] | None = None,
              limit: int = 100, offset: int = 0) -> tuple[list[Item], int]:
        """Tasks with answers or verdicts, least recently changed first, and how many match."""
        cond: list[Any] = []
        if statuses:
            cond.append(AUDIT_ITEMS.c.status.in_(list(statuses)))
        if task_ids is not None:
            cond.append(AUDIT_ITEMS.c.task_id.in_(list(task_ids)))
        where = sa.and_(sa.true(), *cond)
        with self.db.read() as conn:
            total = int(conn.execute(sa.select(sa.func.count()).select_from(AUDIT_ITEMS).where(where)).scalar() or 0)
            rows = list(conn.execute(sa.select(AUDIT_ITEMS).where(where)
                                     .order_by(AUDIT_ITEMS.c.updated_at, AUDIT_ITEMS.c.task_id)
                                     .limit(limit).offset(offset)).mappings())
            ids = [r["task_id"] for r in rows]
            answers: dict[str, list[Answer]] = {i: [] for i in ids}
            for a in conn.execute(sa.select(AUDIT_ANSWERS).where(AUDIT_ANSWERS.c.task_id.in_(ids))
                                  .order_by(AUDIT_ANSWERS.c.id)).mappings():
                answers[a["task_id"]].append(_answer(a))
            verdicts = self._verdicts(conn, AUDIT_VERDICTS.c.task_id.in_(ids))
        by_task: dict[str, list[Verdict]] = {i: [] for i in ids}
        for v in verdicts:
            by_task[v.task.task_id].append(v)
        return [_item(r, tuple(answers[r["task_id"]]), tuple(by_task[r["task_id"]])) for r in rows], total

    def closed(self) -> set[str]:
        """Tasks that take no answers now (verified or disputed)."""
        with self.db.read() as conn:
            return set(conn.execute(sa.select(AUDIT_ITEMS.c.task_id)
                                    .where(AUDIT_ITEMS.c.status != "open")).scalars())

    def answered_by(self, client: str) -> set[str]:
        """Tasks the client answered in their current round."""
        j = AUDIT_ANSWERS.join(AUDIT_ITEMS, AUDIT_ANSWERS.c.task_id == AUDIT_ITEMS.c.task_id)
        with self.db.read() as conn:
            return set(conn.execute(sa.select(AUDIT_ANSWERS.c.task_id).select_from(j).where(
                AUDIT_ANSWERS.c.client == client, AUDIT_ANSWERS.c.round == AUDIT_ITEMS.c.round)).scalars())

    def verdicts(self) -> list[Verdict]:
        """The verdicts in force: the newest one not rolled back of every task, with its evidence."""
        with self.db.read() as conn:
            found = self._verdicts(conn, AUDIT_VERDICTS.c.rolled_back_at.is_(None))
        latest: dict[str, Verdict] = {}
        for v in found:
            latest[v.task.task_id] = v
        return sorted(latest.values(), key=lambda v: v.id)

    def find_photo(self, name: str) -> Item | None:
        """The task an answer photo belongs to."""
        with self.db.read() as conn:
            task_id = conn.execute(sa.select(AUDIT_ANSWERS.c.task_id).where(AUDIT_ANSWERS.c.photo == name)).scalar()
        return self.item(TaskRef.parse(task_id)) if task_id else None

    # ----------------------------------------------------------------- helpers

    def _lock_item(self, conn: Connection, task: TaskRef, now: datetime, where: tuple[float, float], *,
                   create: bool = True) -> Any:
        row = conn.execute(sa.select(AUDIT_ITEMS).where(AUDIT_ITEMS.c.task_id == task.task_id)
                           .with_for_update()).first()
        if row is None and create:
            conn.execute(AUDIT_ITEMS.insert().values(
                task_id=task.task_id, element_type=task.element_type, element_id=task.element_id,
                attribute=task.attribute, status="open", round=1, lon=where[0], lat=where[1], created_at=now,
                updated_at=now))
            row = conn.execute(sa.select(AUDIT_ITEMS).where(AUDIT_ITEMS.c.task_id == task.task_id)).first()
        return row

    @staticmethod
    def _set(conn: Connection, task: TaskRef, **values: Any) -> None:
        conn.execute(AUDIT_ITEMS.update().where(AUDIT_ITEMS.c.task_id == task.task_id).values(**values))

    @staticmethod
    def _verdict(conn: Connection, task: TaskRef, round_: int, value: str, *, source: str, actor: str,
                 at: datetime, note: str | None = None) -> None:
        conn.execute(AUDIT_VERDICTS.insert().values(task_id=task.task_id, round=round_, value=value, source=source,
                                                    actor=actor, at=at, note=note))
        bump_overlay(conn)

    @staticmethod
    def _verdicts(conn: Connection, cond: Any) -> list[Verdict]:
        """Verdicts matching ``cond`` (oldest first), with the answers of the round each closed."""
        rows = list(conn.execute(sa.select(AUDIT_VERDICTS).where(cond).order_by(AUDIT_VERDICTS.c.id)).mappings())
        if not rows:
            return []
        tasks = sorted({r["task_id"] for r in rows})
        evidence: dict[tuple[str, int], tuple[int, int, int]] = {}
        a = AUDIT_ANSWERS.c
        for r in conn.execute(sa.select(a.task_id, a.round, sa.func.count(), sa.func.count(a.photo),
                                        sa.func.sum(sa.case((a.on_site.is_(True), 1), else_=0)))
                              .where(a.task_id.in_(tasks)).group_by(a.task_id, a.round)):
            evidence[(r[0], int(r[1]))] = (int(r[2]), int(r[4] or 0), int(r[3]))
        out = []
        for r in rows:
            n, on_site, photos = evidence.get((r["task_id"], int(r["round"])), (0, 0, 0))
            out.append(Verdict(id=int(r["id"]), task=TaskRef.parse(r["task_id"]), value=r["value"],
                               source=r["source"], actor=r["actor"], at=r["at"], note=r["note"],
                               rolled_back_at=r["rolled_back_at"], rolled_back_by=r["rolled_back_by"],
                               rollback_note=r["rollback_note"], answers=n, on_site=on_site, photos=photos))
        return out


def _answer(row: Any) -> Answer:
    return Answer(id=int(row["id"]), round=int(row["round"]), value=row["value"], created_at=row["created_at"],
                  on_site=row["on_site"], photo=row["photo"])


def _item(row: Any, answers: tuple[Answer, ...], verdicts: tuple[Verdict, ...]) -> Item:
    return Item(task=TaskRef.parse(row["task_id"]), status=row["status"], round=int(row["round"]),
                lon=float(row["lon"]), lat=float(row["lat"]), created_at=row["created_at"],
                updated_at=row["updated_at"], answers=answers, verdicts=verdicts)
