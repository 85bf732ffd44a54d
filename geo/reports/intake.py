"""Taking in a citizen's report: validate, check the place, count it against the client's limit, store.

The web API and Open311 both submit through :func:`submit`. Every submission that passes the cheap
field checks counts against the client's rate limit *before* its photo is decoded, so refused
photos count too and a client over the limit costs no image decoding. A filled honeypot field
(hidden from people) looks accepted but stores nothing; it still counts against the limit.

A client that retries after a lost answer sends the same ``Idempotency-Key``: the same key with the
same body (fields and photo) gives back the report stored the first time — not a duplicate, and
not counted again — and with another body it is refused.
"""

from __future__ import annotations

import hashlib
import json
import logging
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from geo.errors import BadRequestError, OutsideAreaError, RateLimitError
from geo.network.model import Network
from geo.reports.limits import RateLimit
from geo.reports.model import Report, parse_report
from geo.reports.photos import Photo, check_photo
from geo.reports.store import IdempotencyKey, ReportStore

log = logging.getLogger(__name__)

#: Reports may lie this far outside the network's bounding box (metres).
AREA_MARGIN_M = 1000.0


@dataclass(frozen=True)
class Submission:
    """Who submits, through which channel, under which limit (``api_key_id``: the API key it came with)."""

    client: str
    source: str
    limit: RateLimit
    honeypot_field: str = "website"
    api_key_id: int | None = None


@dataclass(frozen=True)
class Outcome:
    """What a submission did: the report (``None`` for a bot), and whether it was stored earlier
    under the same idempotency key."""

    report: Report | None
    replayed: bool = False


#: The request header of idempotent submissions and the longest key accepted.
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_CHARS = 200


def idempotency_key(header: str | None, data: dict[str, Any], photo: bytes | None) -> IdempotencyKey | None:
    """The hashed key and body of a submission (``None`` without the header); a key must be 1–200
    visible ASCII characters (a UUID is the usual choice)."""
    if header is None:
        return None
    if not 0 < len(header) <= MAX_KEY_CHARS or not all(33 <= ord(c) <= 126 for c in header):
        raise BadRequestError("idempotency.key_invalid", field=IDEMPOTENCY_HEADER)
    body = hashlib.sha256(json.dumps(_canonical(data), default=str, ensure_ascii=True).encode())
    body.update(b"\x00photo:" + (hashlib.sha256(photo).digest() if photo is not None else b"-"))
    return IdempotencyKey(hashlib.sha256(header.encode()).hexdigest(), body.hexdigest())


def _canonical(value: Any) -> Any:
    """``value`` with every mapping as a list of (key, value) pairs sorted by key text (keys of any type)."""
    if isinstance(value, dict):
        return sorted(([str(k), _canonical(v)] for k, v in value.items()), key=lambda kv: kv[0])
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return value


def is_bot(data: dict[str, Any], honeypot_field: str) -> bool:
    """True when the honeypot field was filled in."""
    return data.get(honeypot_field) not in (None, "")


def submit(store: ReportStore, net: Network, data: dict[str, Any], photo_bytes: bytes | None, *,
           how: Submission, now: datetime, key: str | None = None) -> Outcome:
    """Validate and store one submission (``key``: the client's idempotency key, if it sent one)."""
    if is_bot(data, how.honeypot_field):
        log.info("honeypot: discarded a %s submission", how.source)
        with suppress(RateLimitError):
            store.count_submission(client=how.client, now=now, limit=how.limit)
        return Outcome(None)
    hashed = idempotency_key(key, data, photo_bytes)
    if hashed is not None:
        earlier = store.replay(hashed, now=now)
        if earlier is not None:
            return Outcome(earlier, replayed=True)
    new = parse_report(data, now=now)
    if not net.covers(new.lon, new.lat, margin_m=AREA_MARGIN_M):
        raise OutsideAreaError("report.outside_area", field="lat", point=f"{new.lat:.6f}, {new.lon:.6f}")
    store.count_submission(client=how.client, now=now, limit=how.limit)
    photo: Photo | None = check_photo(photo_bytes) if photo_bytes is not None else None
    report = store.add_report(new, source=how.source, client=how.client, now=now, photo=photo, key=hashed,
                              api_key_id=how.api_key_id)
    return Outcome(report, replayed=report.created_at != now)
