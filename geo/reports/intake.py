"""Taking in a citizen's report: validate, check the place, count it against the client's limit, store.

The web API and Open311 both submit through :func:`submit`. Every submission that passes the cheap
field checks counts against the client's rate limit *before* its photo is decoded, so refused
photos count too and a client over the limit costs no image decoding. A filled honeypot field
(hidden from people) looks accepted but stores nothing; it still counts against the limit.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from geo.errors import OutsideAreaError, RateLimitError
from geo.network.model import Network
from geo.reports.limits import RateLimit
from geo.reports.model import Report, parse_report
from geo.reports.photos import Photo, check_photo
from geo.reports.store import ReportStore

log = logging.getLogger(__name__)

#: Reports may lie this far outside the network's bounding box (metres).
AREA_MARGIN_M = 1000.0


@dataclass(frozen=True)
class Submission:
    """Who submits, through which channel, under which limit."""

    client: str
    source: str
    limit: RateLimit
    honeypot_field: str = "website"


def is_bot(data: dict[str, Any], honeypot_field: str) -> bool:
    """True when the honeypot field was filled in."""
    return data.get(honeypot_field) not in (None, "")


def submit(store: ReportStore, net: Network, data: dict[str, Any], photo_bytes: bytes | None, *,
           how: Submission, now: datetime) -> Report | None:
    """Validate and store one submission; ``None`` when the honeypot caught a bot (nothing stored)."""
    if is_bot(data, how.honeypot_field):
        log.info("honeypot: discarded a %s submission", how.source)
        with suppress(RateLimitError):
            store.count_submission(client=how.client, now=now, limit=how.limit)
        return None
    new = parse_report(data, now=now)
    if not net.covers(new.lon, new.lat, margin_m=AREA_MARGIN_M):
        raise OutsideAreaError("report.outside_area", field="lat", point=f"{new.lat:.6f}, {new.lon:.6f}")
    store.count_submission(client=how.client, now=now, limit=how.limit)
    photo: Photo | None = check_photo(photo_bytes) if photo_bytes is not None else None
    return store.add_report(new, source=how.source, client=how.client, now=now, photo=photo)
