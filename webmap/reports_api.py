"""Barrier reports API (``/api/reports``), moderation and moderator login (``/api/auth``).

Moderators log in with a session cookie (HttpOnly, SameSite=Lax). CSRF: every state-changing
request of a logged-in moderator (status changes, logout) must carry the header
``X-CSRF-Token`` with the token returned by ``POST /api/auth/login`` and ``GET /api/auth/me``;
without it the answer is 403. A cross-site page can neither read that token nor set the header.
Login itself accepts JSON only (a cross-site HTML form cannot send JSON).
"""

from __future__ import annotations

import functools
import hmac
import re
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Response, current_app, g, jsonify, request, send_from_directory, session, url_for
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ConfigDict, Field, field_validator

from geo.errors import AuthRequiredError, ForbiddenError, NotFoundError, RateLimitError, UnsupportedMediaTypeError
from geo.reports.model import (
    CATEGORIES,
    EFFECTS,
    MAX_ID,
    PENALTY_S,
    PUBLIC_STATUSES,
    SEVERITIES,
    STATUSES,
    TRANSITIONS,
    StatusChange,
    utcnow,
    validate,
)
from geo.reports.store import Moderator, RateLimit
from webmap.reporting import client_key, current_store, read_body, submit

bp = Blueprint("reports", __name__, url_prefix="/api")
F = TypeVar("F", bound=Callable[..., Any])
CSRF_HEADER = "X-CSRF-Token"
_PHOTO_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png)$")


@bp.after_request
def _no_sniffing(resp: Response) -> Response:
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    return resp


@bp.errorhandler(RateLimitError)
def _rate_limited(exc: RateLimitError) -> ResponseReturnValue:
    return jsonify(exc.to_dict()), exc.http_status, {"Retry-After": str(exc.details.get("retry_after_s", 60))}


# --------------------------------------------------------------------------- auth helpers


def _moderator() -> Moderator:
    mod = current_moderator()
    if mod is None:
        msg = "log in as a moderator first (POST /api/auth/login)"
        raise AuthRequiredError(msg)
    return mod


def current_moderator() -> Moderator | None:
    """The logged-in moderator, if the session is still valid (account active, password unchanged)."""
    if "moderator" in g:
        return g.moderator
    mod = None
    mid = session.get("moderator_id")
    if isinstance(mid, int):
        found = current_store().get_moderator(mid)
        if found is not None and hmac.compare_digest(found.session_key, str(session.get("key", ""))):
            mod = found
    g.moderator = mod
    return mod


def moderator_required(view: F) -> F:
    """401 without a valid login; 403 for a state-changing request without the CSRF token."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        _moderator()
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            _check_csrf()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _check_csrf() -> None:
    sent = request.headers.get(CSRF_HEADER, "")
    token = session.get("csrf", "")
    if not sent or not token or not hmac.compare_digest(sent, token):
        msg = f"missing or wrong {CSRF_HEADER} header (get the token from GET /api/auth/me)"
        raise ForbiddenError(msg)


def photo_url(name: str) -> str:
    """Where a report photo is served."""
    return url_for("reports.photo", name=name)


# --------------------------------------------------------------------------- reports


class ReportQuery(BaseModel):
    """Filters of ``GET /api/reports``: bbox=minlon,minlat,maxlon,maxlat, status and category
    (comma-separated lists), limit, offset."""

    model_config = ConfigDict(extra="ignore")

    bbox: tuple[float, float, float, float] | None = None
    status: list[str] | None = None
    category: list[str] | None = None
    limit: int = Field(default=200, ge=1, le=1000)
    offset: int = Field(default=0, ge=0, le=MAX_ID)

    @field_validator("bbox", mode="before")
    @classmethod
    def _bbox(cls, v: Any) -> Any:
        if isinstance(v, str):
            parts = v.split(",")
            if len(parts) != 4:
                msg = "bbox must be minlon,minlat,maxlon,maxlat"
                raise ValueError(msg)
            v = tuple(parts)
        return v

    @field_validator("bbox")
    @classmethod
    def _bbox_order(cls, v: tuple[float, float, float, float] | None) -> Any:
        in_range = v is None or (-180 <= v[0] <= v[2] <= 180 and -90 <= v[1] <= v[3] <= 90)
        if not in_range:
            msg = "bbox must be minlon,minlat,maxlon,maxlat with min ≤ max, in degrees"
            raise ValueError(msg)
        return v

    @field_validator("status", "category", mode="before")
    @classmethod
    def _split(cls, v: Any) -> Any:
        return [s for s in v.split(",") if s] if isinstance(v, str) else v

    @field_validator("status")
    @classmethod
    def _statuses(cls, v: list[str] | None) -> list[str] | None:
        bad = [s for s in v or [] if s not in STATUSES]
        if bad:
            msg = f"unknown status {bad[0]!r}; choose from {', '.join(STATUSES)}"
            raise ValueError(msg)
        return v

    @field_validator("category")
    @classmethod
    def _categories(cls, v: list[str] | None) -> list[str] | None:
        bad = [s for s in v or [] if s not in CATEGORIES]
        if bad:
            msg = f"unknown category {bad[0]!r}; choose from {', '.join(CATEGORIES)}"
            raise ValueError(msg)
        return v


def _collection(query: ReportQuery, *, private: bool, oldest_first: bool = False) -> dict[str, Any]:
    reports, total = current_store().list_reports(bbox=query.bbox, statuses=query.status,
                                                  categories=query.category, limit=query.limit,
                                                  offset=query.offset, oldest_first=oldest_first)
    now = utcnow()
    return {"type": "FeatureCollection",
            "features": [r.to_feature(now=now, private=private, photo_url=photo_url) for r in reports],
            "total": total, "limit": query.limit, "offset": query.offset}


@bp.post("/reports")
def create_report() -> ResponseReturnValue:
    """Submit a report (JSON, url-encoded or multipart with ``photo``) → 201 with its id and status."""
    data, photo = read_body("photo")
    report = submit(data, photo, source="web")
    if report is None:  # honeypot: looks accepted, nothing stored
        return jsonify({"id": None, "status": "submitted"}), 201
    body = report.to_dict(now=utcnow(), own=True, photo_url=photo_url)
    return jsonify(body), 201, {"Location": url_for(".get_report", report_id=report.id)}


@bp.get("/reports")
def list_reports() -> ResponseReturnValue:
    """Reports as GeoJSON, filtered by ``bbox``, ``status`` and ``category``; newest first. The public
    gets only moderated reports (:data:`PUBLIC_STATUSES`, the default); other statuses need a login."""
    query = validate(ReportQuery, request.args.to_dict())
    private = current_moderator() is not None
    if not private:
        hidden = [s for s in query.status or [] if s not in PUBLIC_STATUSES]
        if hidden:
            msg = (f"{hidden[0]} reports are listed for moderators only (log in); the public list has "
                   + ", ".join(s for s in STATUSES if s in PUBLIC_STATUSES))
            raise AuthRequiredError(msg, field="status")
        query.status = query.status or [s for s in STATUSES if s in PUBLIC_STATUSES]
    return jsonify(_collection(query, private=private))


@bp.get("/reports/<int:report_id>")
def get_report(report_id: int) -> ResponseReturnValue:
    """One report with its history (moderators also see the contact and who changed it); before
    confirmation the public sees its status, category and place but not its description or photo."""
    report = current_store().get_report(report_id)
    return jsonify(report.to_dict(now=utcnow(), private=current_moderator() is not None, photo_url=photo_url))


@bp.get("/reports/meta")
def reports_meta() -> ResponseReturnValue:
    """Categories, severities, statuses, allowed transitions and routing effects (for forms and the UI)."""
    return jsonify({
        "categories": [{"code": c, "cs": cs, "en": en} for c, (cs, en) in CATEGORIES.items()],
        "severities": [{"value": s, "cs": cs, "en": en} for s, (cs, en) in SEVERITIES.items()],
        "statuses": list(STATUSES),
        "transitions": {k: sorted(v) for k, v in TRANSITIONS.items()},
        "effects": EFFECTS, "penalty_s": PENALTY_S,
        "honeypot_field": current_app.config["REPORTS_HONEYPOT_FIELD"],
        "rate_limit": {"submissions": current_app.config["REPORTS_RATE_LIMIT"],
                       "window_s": current_app.config["REPORTS_RATE_WINDOW_S"]},
    })


@bp.get("/reports/photos/<name>")
def photo(name: str) -> ResponseReturnValue:
    """A report photo: public once the report is confirmed (not rejected / duplicate), else moderators only."""
    report = current_store().find_photo(name) if _PHOTO_NAME.match(name) else None
    if report is None or not (report.photo_public() or current_moderator() is not None):
        msg = "no such photo"
        raise NotFoundError(msg)
    resp = send_from_directory(current_store().photos.path, name, max_age=86400)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'"
    return resp


# --------------------------------------------------------------------------- moderation


@bp.post("/reports/<int:report_id>/status")
@moderator_required
def change_status(report_id: int) -> ResponseReturnValue:
    """Move a report along the lifecycle: ``{"status": …, "note": …, "duplicate_of": ID}``."""
    if not request.is_json:
        msg = "send the status change as JSON"
        raise UnsupportedMediaTypeError(msg)
    change = validate(StatusChange, request.get_json(silent=True) or {})
    mod = _moderator()
    report = current_store().change_status(report_id, change.status, actor=mod.name, now=utcnow(),
                                           note=change.note, duplicate_of=change.duplicate_of)
    return jsonify(report.to_dict(now=utcnow(), private=True, photo_url=photo_url))


@bp.get("/moderation/queue")
@moderator_required
def moderation_queue() -> ResponseReturnValue:
    """Reports to moderate, oldest first, with contact and full history (default: ``status=submitted``)."""
    args = request.args.to_dict()
    args.setdefault("status", "submitted")
    query = validate(ReportQuery, args)
    return jsonify(_collection(query, private=True, oldest_first=True))


# --------------------------------------------------------------------------- login


class Login(BaseModel):
    """Moderator credentials."""

    name: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=1024)


@bp.post("/auth/login")
def login() -> ResponseReturnValue:
    """Log in with ``{"name", "password"}`` (JSON) → the CSRF token for later requests."""
    if not request.is_json:
        msg = "send the login as JSON"
        raise UnsupportedMediaTypeError(msg)
    creds = validate(Login, request.get_json(silent=True) or {})
    cfg = current_app.config
    mod = current_store().authenticate(
        creds.name, creds.password, client=client_key(), now=utcnow(),
        limit=RateLimit(int(cfg["REPORTS_LOGIN_LIMIT"]), float(cfg["REPORTS_LOGIN_WINDOW_S"])))
    if mod is None:
        msg = "wrong name or password"
        raise AuthRequiredError(msg)
    session.clear()
    session["moderator_id"] = mod.id
    session["key"] = mod.session_key
    session["csrf"] = secrets.token_urlsafe(32)
    return jsonify({"name": mod.name, "csrf_token": session["csrf"]})


@bp.post("/auth/logout")
@moderator_required
def logout() -> ResponseReturnValue:
    """End the session."""
    session.clear()
    return "", 204


@bp.get("/auth/me")
@moderator_required
def me() -> ResponseReturnValue:
    """The logged-in moderator and the CSRF token."""
    mod = _moderator()
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return jsonify({"name": mod.name, "csrf_token": session["csrf"]})
