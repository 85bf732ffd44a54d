"""Per-app resources for barrier reports and the request handling the reports API and Open311 share.

Each app (worker process) opens the reports database once (:func:`current_store`) and keeps one
:class:`geo.reports.overlay.OverlayProvider`, which polls the database change counter and rebuilds the
routing overlay when confirmed reports change.

Settings (``app.config``; defaults in brackets):
``DATABASE_URL`` [``$LBB_DATABASE_URL`` or ``sqlite:///<instance>/lbb.sqlite3``],
``DATABASE_AUTO_MIGRATE`` [True: apply pending migrations on first use],
``REPORTS_UPLOAD_DIR`` [``<instance>/uploads``], ``REPORTS_RATE_LIMIT`` / ``REPORTS_RATE_WINDOW_S``
[10 submissions per 3600 s per client IP], ``REPORTS_LOGIN_LIMIT`` / ``REPORTS_LOGIN_WINDOW_S``
[10 failed logins per 900 s], ``REPORTS_POLL_INTERVAL_S`` [0.5], ``REPORTS_SNAP_TOLERANCE_M`` [30],
``REPORTS_NEARBY_M`` [25], ``REPORTS_HONEYPOT_FIELD`` ["website"], ``PROXY_FIX_X_FOR`` [0: number of
trusted reverse proxies whose ``X-Forwarded-For`` gives the client IP].
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import os
from contextlib import suppress
from pathlib import Path
from typing import Any

from flask import Flask, current_app, request
from werkzeug.datastructures import FileStorage
from werkzeug.middleware.proxy_fix import ProxyFix

from geo.errors import (
    BadRequestError,
    OutsideAreaError,
    PayloadTooLargeError,
    RateLimitError,
    UnsupportedMediaTypeError,
)
from geo.reports.model import MAX_PHOTO_BYTES, Photo, Report, check_photo, parse_report, utcnow
from geo.reports.overlay import OverlayProvider, ReportsView
from geo.reports.store import RateLimit, ReportStore
from webmap.state import current_network, once

log = logging.getLogger(__name__)
_STORE = "lbb.reports.store"
_PROVIDER = "lbb.reports.overlay"
#: Reports may lie this far outside the network's bounding box (metres).
AREA_MARGIN_M = 1000.0


def init_app(app: Flask) -> None:
    """Default settings and empty slots; the database is opened on first use."""
    instance = Path(app.instance_path)
    app.config.setdefault("DATABASE_URL", os.environ.get("LBB_DATABASE_URL")
                          or f"sqlite:///{instance / 'lbb.sqlite3'}")
    app.config.setdefault("DATABASE_AUTO_MIGRATE", True)
    app.config.setdefault("REPORTS_UPLOAD_DIR", str(instance / "uploads"))
    app.config.setdefault("REPORTS_RATE_LIMIT", 10)
    app.config.setdefault("REPORTS_RATE_WINDOW_S", 3600.0)
    app.config.setdefault("REPORTS_LOGIN_LIMIT", 10)
    app.config.setdefault("REPORTS_LOGIN_WINDOW_S", 900.0)
    app.config.setdefault("REPORTS_POLL_INTERVAL_S", 0.5)
    app.config.setdefault("REPORTS_SNAP_TOLERANCE_M", 30.0)
    app.config.setdefault("REPORTS_NEARBY_M", 25.0)
    app.config.setdefault("REPORTS_HONEYPOT_FIELD", "website")
    app.config.setdefault("OPEN311_AGENCY", "Statutární město Liberec")
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("PROXY_FIX_X_FOR", int(os.environ.get("LBB_PROXY_FIX_X_FOR", "0")))
    if int(app.config["PROXY_FIX_X_FOR"]) > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["PROXY_FIX_X_FOR"]))  # type: ignore[method-assign]
    app.extensions[_STORE] = None
    app.extensions[_PROVIDER] = None


def open_store(app: Flask) -> ReportStore:
    """A store for the app's settings (migrated when ``DATABASE_AUTO_MIGRATE``)."""
    store = ReportStore(app.config["DATABASE_URL"], photo_dir=app.config["REPORTS_UPLOAD_DIR"])
    if app.config["DATABASE_AUTO_MIGRATE"]:
        store.migrate()
    return store


def current_store() -> ReportStore:
    """The app's reports store (opened once per process)."""
    return once(_STORE, lambda: open_store(current_app))  # type: ignore[arg-type]


def current_overlay_provider() -> OverlayProvider:
    """The app's overlay provider (one per process)."""
    config = current_app.config
    return once(_PROVIDER, lambda: OverlayProvider(current_store(), current_network(),
                                                   poll_interval_s=float(config["REPORTS_POLL_INTERVAL_S"]),
                                                   tolerance_m=float(config["REPORTS_SNAP_TOLERANCE_M"])))


def current_reports_view() -> ReportsView:
    """The active reports and the routing overlay built from them (fresh within the poll interval)."""
    return current_overlay_provider().view()


def client_key() -> str:
    """An opaque per-client key for rate limits: a keyed hash of the IP, never the IP itself."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    ip = (request.remote_addr or "unknown").encode()
    return hmac.new(secret, ip, hashlib.sha256).hexdigest()[:32]


# --------------------------------------------------------------------------- submissions


def read_body(photo_field: str) -> tuple[dict[str, Any], bytes | None]:
    """Fields and the optional photo of a JSON, url-encoded or multipart request."""
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            msg = "the body must be a JSON object"
            raise BadRequestError(msg)
        return data, None
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        data = request.form.to_dict()
        upload: FileStorage | None = request.files.get(photo_field)
        photo = None
        if upload is not None and (upload.filename or upload.content_length):
            photo = upload.stream.read(MAX_PHOTO_BYTES + 1)
            if len(photo) > MAX_PHOTO_BYTES:
                msg = f"the photo is larger than {MAX_PHOTO_BYTES // (1024 * 1024)} MB"
                raise PayloadTooLargeError(msg, field=photo_field, max_bytes=MAX_PHOTO_BYTES)
            if not photo:
                photo = None
        return data, photo
    msg = "send the report as JSON, a url-encoded form or multipart/form-data"
    raise UnsupportedMediaTypeError(msg)


def is_bot(data: dict[str, Any]) -> bool:
    """True when the honeypot field (hidden from people) was filled in."""
    value = data.get(current_app.config["REPORTS_HONEYPOT_FIELD"])
    return value not in (None, "")


def check_in_area(lon: float, lat: float) -> None:
    """Reject points far outside the served network."""
    minx, miny, maxx, maxy = current_network().bounds()
    dlat = AREA_MARGIN_M / 111_320.0
    dlon = dlat / max(math.cos(math.radians((miny + maxy) / 2)), 0.01)
    if not (minx - dlon <= lon <= maxx + dlon and miny - dlat <= lat <= maxy + dlat):
        msg = f"the point {lat:.6f},{lon:.6f} is outside the area this map covers"
        raise OutsideAreaError(msg, field="lat")


def submission_limit() -> RateLimit:
    """The per-client submission limit of the app's settings."""
    cfg = current_app.config
    return RateLimit(int(cfg["REPORTS_RATE_LIMIT"]), float(cfg["REPORTS_RATE_WINDOW_S"]))


def submit(data: dict[str, Any], photo_bytes: bytes | None, *, source: str) -> Report | None:
    """Validate and store one submission; ``None`` when the honeypot caught a bot (nothing stored).

    Every submission that passes the cheap field checks is counted against the client's rate limit
    before its photo is decoded, so refused photos count and an over-limit client costs no decoding.
    Honeypot hits count too, but the bot always gets the same fake success."""
    store, now = current_store(), utcnow()
    if is_bot(data):
        log.info("honeypot: discarded a %s submission", source)
        with suppress(RateLimitError):
            store.count_submission(client=client_key(), now=now, limit=submission_limit())
        return None
    new = parse_report(data, now=now)
    check_in_area(new.lon, new.lat)
    store.count_submission(client=client_key(), now=now, limit=submission_limit())
    photo: Photo | None = check_photo(photo_bytes) if photo_bytes is not None else None
    return store.add_report(new, source=source, client=client_key(), now=now, photo=photo)
