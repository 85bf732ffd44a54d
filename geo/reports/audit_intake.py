"""Taking in a citizen's answer: the task must be an open question of the network, the value one of its options,
the answerer's position (optional) inside the map; then it counts against the client's rate limit, its photo
(optional) is checked, and it is stored with the task's new state — or nothing is.

As for reports, the rate limit counts every answer that passes the cheap checks, before its photo is decoded,
and a filled honeypot field looks accepted but stores nothing. The answerer's position is never stored: only
whether it lay within :data:`~geo.reports.audit_model.ON_SITE_M` of the element (evidence for mappers).
"""

from __future__ import annotations

import logging
from contextlib import suppress
from datetime import datetime
from typing import Any

import numpy as np

from geo.errors import NotFoundError, OutsideAreaError, RateLimitError
from geo.reports.audit_model import ON_SITE_M, AnswerResult, NewAnswer, TaskRef, option
from geo.reports.audit_store import AuditStore
from geo.reports.audit_tasks import AuditIndex
from geo.reports.intake import AREA_MARGIN_M, Submission, is_bot
from geo.reports.photos import Photo, check_photo
from geo.validation import validate

log = logging.getLogger(__name__)


def open_task(index: AuditIndex, task_id: Any) -> tuple[TaskRef, int]:
    """A task of the network's catalogue and its row; :class:`NotFoundError` for anything else."""
    task = TaskRef.parse(task_id)
    row = index.catalogue.find(task)
    if row is None:
        raise NotFoundError("audit.unknown_task", field="task_id", task_id=task.task_id)
    return task, row


def answer(store: AuditStore, index: AuditIndex, data: dict[str, Any], photo_bytes: bytes | None, *,
           how: Submission, now: datetime, needed: int) -> AnswerResult | None:
    """Validate and store one answer; ``None`` when the honeypot caught a bot (nothing stored)."""
    if is_bot(data, how.honeypot_field):
        log.info("honeypot: discarded an answer")
        with suppress(RateLimitError):
            store.count_answer(client=how.client, now=now, limit=how.limit)
        return None
    new = validate(NewAnswer, data)
    task, row = open_task(index, new.task_id)
    option(task.attribute, new.value)
    cat, net = index.catalogue, index.net
    where = (float(cat.lon[row]), float(cat.lat[row]))
    on_site = None
    if new.lat is not None and new.lon is not None:
        if not net.covers(new.lon, new.lat, margin_m=AREA_MARGIN_M):
            raise OutsideAreaError("audit.outside_area", field="lat", point=f"{new.lat:.6f}, {new.lon:.6f}")
        x, y = net.to_metric.transform(np.array([new.lon, where[0]]), np.array([new.lat, where[1]]))
        on_site = bool(np.hypot(x[0] - x[1], y[0] - y[1]) <= ON_SITE_M)
    store.count_answer(client=how.client, now=now, limit=how.limit)
    photo: Photo | None = check_photo(photo_bytes) if photo_bytes is not None else None
    return store.add_answer(task, new.value, client=how.client, now=now, needed=needed, where=where,
                            on_site=on_site, photo=photo)
