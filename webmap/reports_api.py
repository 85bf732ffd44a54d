"""Barrier reports API (``/api/reports``) and the moderation queue: parse, call :mod:`geo.reports`, serialise.

Settings (``app.config``; defaults in :func:`webmap.create_app`): ``REPORTS_RATE_LIMIT`` /
``REPORTS_RATE_WINDOW_S`` (submissions per client IP), ``REPORTS_LOGIN_LIMIT`` /
``REPORTS_LOGIN_WINDOW_S`` (failed logins), ``REPORTS_HONEYPOT_FIELD``, ``REPORTS_NEARBY_M``.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, current_app, jsonify, request, send_from_directory, url_for
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ConfigDict, Field, field_validator

from geo import i18n
from geo.errors import AuthRequiredError, NotFoundError
from geo.reports.intake import IDEMPOTENCY_HEADER, Outcome, Submission, submit
from geo.reports.limits import RateLimit
from geo.reports.model import (
    CATEGORIES,
    EFFECTS,
    MAX_ID,
    PENALTY_S,
    PUBLIC_STATUSES,
    SEVERITIES,
    STATUSES,
    TRANSITIONS,
    NewReport,
    Report,
    StatusChange,
    utcnow,
)
from geo.validation import one_of, validate
from webmap import resources
from webmap.auth import current_moderator, moderator_required, require_moderator
from webmap.i18n import api_lang
from webmap.openapi import AnyObject, ReportAnswer, ReportCollection, ReportForm, ReportsQuery, doc, errors
from webmap.params import Bbox, bbox_field, client_key, json_body, read_body

bp = Blueprint("reports", __name__, url_prefix="/api")
_PHOTO_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png)$")


def photo_url(name: str) -> str:
    """Where a report photo is served."""
    return url_for("reports.photo", name=name)


def submission(source: str) -> Submission:
    """The current client's submission settings."""
    cfg = current_app.config
    return Submission(client=client_key(), source=source,
                      limit=RateLimit(int(cfg["REPORTS_RATE_LIMIT"]), float(cfg["REPORTS_RATE_WINDOW_S"])),
                      honeypot_field=cfg["REPORTS_HONEYPOT_FIELD"])


def submit_request(data: dict[str, Any], photo: bytes | None, how: Submission) -> Outcome:
    """Submit a parsed request body (shared with Open311), honouring its ``Idempotency-Key`` header."""
    return submit(resources.reports(), resources.network(), data, photo, how=how, now=utcnow(),
                  key=request.headers.get(IDEMPOTENCY_HEADER))


def replay_headers(outcome: Outcome) -> dict[str, str]:
    """``Idempotent-Replayed: true`` when the answer repeats an earlier submission with the same key."""
    return {"Idempotent-Replayed": "true"} if outcome.replayed else {}


def report_json(report: Report, **kwargs: Any) -> dict[str, Any]:
    """A report as JSON in the request's language."""
    return report.to_dict(now=utcnow(), photo_url=photo_url, lang=api_lang(), **kwargs)


# --------------------------------------------------------------------------- reports


def _choices(allowed: tuple[str, ...]) -> Any:
    def check(v: list[str] | None) -> list[str] | None:
        for item in v or []:
            one_of(item, allowed)
        return v

    return check


class ReportQuery(BaseModel):
    """Filters of ``GET /api/reports``: bbox=minlon,minlat,maxlon,maxlat, status and category
    (comma-separated lists), limit, offset."""

    model_config = ConfigDict(extra="ignore")

    bbox: Bbox | None = None
    status: list[str] | None = None
    category: list[str] | None = None
    limit: int = Field(default=200, ge=1, le=1000)
    offset: int = Field(default=0, ge=0, le=MAX_ID)

    _bbox = field_validator("bbox", mode="before")(bbox_field)
    _statuses = field_validator("status")(_choices(STATUSES))
    _categories = field_validator("category")(_choices(CATEGORIES))

    @field_validator("status", "category", mode="before")
    @classmethod
    def _split(cls, v: Any) -> Any:
        return [s for s in v.split(",") if s] if isinstance(v, str) else v


def _collection(query: ReportQuery, *, private: bool, oldest_first: bool = False) -> dict[str, Any]:
    found, total = resources.reports().list_reports(bbox=query.bbox, statuses=query.status,
                                                    categories=query.category, limit=query.limit,
                                                    offset=query.offset, oldest_first=oldest_first)
    now, lang = utcnow(), api_lang()
    return {"type": "FeatureCollection",
            "features": [r.to_feature(now=now, private=private, photo_url=photo_url, lang=lang) for r in found],
            "total": total, "limit": query.limit, "offset": query.offset}


@bp.post("/reports")
@doc(tags=("reports",), json=NewReport, form=ReportForm,
     resp={"HTTP_201": ReportAnswer, **errors(400, 413, 415, 422, 429, 503)},
     headers={201: ("Location", "Idempotent-Replayed")})
def create_report() -> ResponseReturnValue:
    """Submit a report (JSON, url-encoded or multipart with ``photo``) → 201 with its id and status."""
    data, photo = read_body("photo")
    outcome = submit_request(data, photo, submission("web"))
    report = outcome.report
    if report is None:  # honeypot: looks accepted, nothing stored
        return jsonify({"id": None, "status": "submitted"}), 201
    return jsonify(report_json(report, own=True)), 201, {"Location": url_for(".get_report", report_id=report.id),
                                                          **replay_headers(outcome)}


@bp.get("/reports")
@doc(tags=("reports",), query=ReportsQuery, resp={"HTTP_200": ReportCollection, **errors(400, 401, 503)})
def list_reports() -> ResponseReturnValue:
    """Reports as GeoJSON, filtered by ``bbox``, ``status`` and ``category``; newest first. The public
    gets only moderated reports (:data:`PUBLIC_STATUSES`, the default); other statuses need a login."""
    query = validate(ReportQuery, request.args.to_dict())
    private = current_moderator() is not None
    if not private:
        public = [s for s in STATUSES if s in PUBLIC_STATUSES]
        hidden = [s for s in query.status or [] if s not in PUBLIC_STATUSES]
        if hidden:
            raise AuthRequiredError("report.list_moderators_only", field="status", status=hidden[0],
                                    choices=", ".join(public))
        query.status = query.status or public
    return jsonify(_collection(query, private=private))


@bp.get("/reports/<int:report_id>")
@doc(tags=("reports",), resp={"HTTP_200": ReportAnswer, **errors(404, 503)})
def get_report(report_id: int) -> ResponseReturnValue:
    """One report with its history (moderators also see the contact and who changed it); before
    confirmation the public sees its status, category and place but not its description or photo."""
    return jsonify(report_json(resources.reports().get_report(report_id), private=current_moderator() is not None))


@bp.get("/reports/meta")
@doc(tags=("reports",), resp={"HTTP_200": AnyObject})
def reports_meta() -> ResponseReturnValue:
    """Categories, severities, statuses, allowed transitions and routing effects (for forms and the UI)."""
    lang = api_lang()
    cfg = current_app.config
    return jsonify({
        "categories": [{"code": c, "label": i18n.text(f"report.category.{c}", lang)} for c in CATEGORIES],
        "severities": [{"value": s, "label": i18n.text(f"report.severity.{s}", lang)} for s in SEVERITIES],
        "statuses": [{"code": s, "label": i18n.text(f"report.status.{s}", lang)} for s in STATUSES],
        "transitions": {k: sorted(v) for k, v in TRANSITIONS.items()},
        "effects": EFFECTS, "penalty_s": PENALTY_S,
        "honeypot_field": cfg["REPORTS_HONEYPOT_FIELD"],
        "rate_limit": {"submissions": cfg["REPORTS_RATE_LIMIT"], "window_s": cfg["REPORTS_RATE_WINDOW_S"]},
    })


@bp.get("/reports/photos/<name>")
@doc(tags=("reports",), resp={"HTTP_200": None, **errors(404, 503)}, content={200: "image/jpeg|image/png"})
def photo(name: str) -> ResponseReturnValue:
    """A report photo: public once the report is confirmed (not rejected / duplicate), else moderators only."""
    store = resources.reports()
    report = store.find_photo(name) if _PHOTO_NAME.match(name) else None
    if report is None or not (report.photo_public() or current_moderator() is not None):
        raise NotFoundError("report.photo_not_found")
    return send_from_directory(store.photos.path, name, max_age=86400)


# --------------------------------------------------------------------------- moderation


@bp.post("/reports/<int:report_id>/status")
@doc(tags=("moderation",), json=StatusChange, moderator=True,
     resp={"HTTP_200": ReportAnswer, **errors(400, 401, 403, 404, 409, 415, 503)})
@moderator_required
def change_status(report_id: int) -> ResponseReturnValue:
    """Move a report along the lifecycle: ``{"status": …, "note": …, "duplicate_of": ID}``."""
    change = validate(StatusChange, json_body())
    report = resources.reports().change_status(report_id, change.status, actor=require_moderator().name,
                                               now=utcnow(), note=change.note, duplicate_of=change.duplicate_of)
    return jsonify(report_json(report, private=True))


@bp.get("/moderation/queue")
@doc(tags=("moderation",), query=ReportsQuery, moderator=True,
     resp={"HTTP_200": ReportCollection, **errors(400, 401, 503)})
@moderator_required
def moderation_queue() -> ResponseReturnValue:
    """Reports to moderate, oldest first, with contact and full history (default: ``status=submitted``)."""
    args = request.args.to_dict()
    args.setdefault("status", "submitted")
    return jsonify(_collection(validate(ReportQuery, args), private=True, oldest_first=True))
