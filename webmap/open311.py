"""Open311 GeoReport v2 (``/open311/v2``), JSON only (``.json`` endpoints; no XML).

* ``GET services.json`` — one service per report category (``service_code`` = category);
  ``GET services/CODE.json`` — its attributes: ``severity`` (1–3, default 2) and ``valid_until``.
* ``POST requests.json`` — a new report (status ``submitted``): ``service_code``, ``lat``, ``long``,
  ``description``, optional ``attribute[severity]``, ``attribute[valid_until]``, ``email`` /
  ``phone`` / ``first_name`` / ``last_name`` (kept as the private contact) and a ``media`` file
  (JPEG/PNG). No ``api_key`` is needed (submissions are rate-limited per client); ``media_url`` and
  ``address_string`` are not supported (we never fetch remote URLs nor geocode). Answers 201.
* ``GET requests.json`` — filters ``service_request_id`` (comma list), ``service_code``,
  ``status`` (open / closed), ``start_date``, ``end_date`` (a bare date includes that whole day);
  by default the last 90 days, at most 1000 (newest first; every filter applies before that limit).
* ``GET requests/ID.json`` — one request (in a one-element list, as the standard says).

Like ``/api/reports``, a request's ``description`` and ``media_url`` are empty for the public until a
moderator confirms it (and stay empty if it is rejected or a duplicate); moderators see them.

Statuses: submitted, confirmed, planned and in_progress are ``open``; fixed, rejected, duplicate
and expired (past ``valid_until``) are ``closed``; the detailed status is in ``status_notes`` and
``extended_attributes.detailed_status``. Errors are a list of ``{"code", "description"}``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from flask import Blueprint, current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from geo import i18n
from geo.errors import BadRequestError, GeoError, NotFoundError
from geo.reports.model import CATEGORIES, CLOSED_STATUSES, MAX_ID, SEVERITIES, Report, iso, parse_datetime, utcnow
from webmap import resources
from webmap.auth import current_moderator
from webmap.errors import headers_of, http_message, open311_error, status_of
from webmap.i18n import api_lang
from webmap.openapi import (
    AnyObject,
    LangQuery,
    Open311Form,
    Open311Requests,
    Open311RequestsQuery,
    Open311Services,
    doc,
    errors,
)
from webmap.params import read_body
from webmap.reports_api import replay_headers, submit_request

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
DEFAULT_DAYS = 90
MAX_REQUESTS = 1000


@bp.errorhandler(GeoError)
def _geo_error(exc: GeoError) -> ResponseReturnValue:
    return open311_error(status_of(exc), exc.message(api_lang()), headers_of(exc))


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> ResponseReturnValue:
    return open311_error(exc.code or 500, http_message(exc, api_lang()))


# --------------------------------------------------------------------------- services


def _service(code: str) -> dict[str, Any]:
    lang = api_lang()
    return {"service_code": code, "service_name": i18n.text(f"report.category.{code}", lang),
            "description": i18n.text(f"report.category.{code}", lang), "metadata": True, "type": "realtime",
            "keywords": i18n.text("open311.keywords", lang), "group": i18n.text("open311.group", lang)}


@bp.get("/services.json")
@doc(tags=("open311",), resp={"HTTP_200": Open311Services})
def services() -> ResponseReturnValue:
    """Every report category as a service."""
    return jsonify([_service(code) for code in CATEGORIES])


@bp.get("/services/<code>.json")
@doc(tags=("open311",), resp={"HTTP_200": AnyObject, **errors(404, open311=True)})
def service_definition(code: str) -> ResponseReturnValue:
    """The extra attributes a request of this service may carry."""
    if code not in CATEGORIES:
        raise NotFoundError("open311.no_service", code=code)
    lang = api_lang()
    return jsonify({"service_code": code, "attributes": [
        {"variable": True, "code": "severity", "datatype": "singlevaluelist", "required": False, "order": 1,
         "datatype_description": i18n.text("open311.attr.severity_help", lang),
         "description": i18n.text("open311.attr.severity", lang),
         "values": [{"key": str(k), "name": i18n.text(f"report.severity.{k}", lang)} for k in SEVERITIES]},
        {"variable": True, "code": "valid_until", "datatype": "datetime", "required": False, "order": 2,
         "datatype_description": i18n.text("open311.attr.valid_until_help", lang),
         "description": i18n.text("open311.attr.valid_until", lang)},
    ]})


# --------------------------------------------------------------------------- requests


def _request(r: Report, now: datetime, *, private: bool) -> dict[str, Any]:
    """A report as an Open311 request; before confirmation the public gets no description or media."""
    closed = r.status in CLOSED_STATUSES or r.expired(now)
    last_note = next((e.note for e in reversed(r.history) if e.note), None)
    notes = "expired" if r.expired(now) and r.status not in CLOSED_STATUSES else r.status
    show = private or r.content_public()
    media = url_for("reports.photo", name=r.photo, _external=True) if r.photo and show else ""
    return {
        "service_request_id": str(r.id), "status": "closed" if closed else "open",
        "status_notes": f"{notes}: {last_note}" if last_note else notes,
        "service_name": i18n.text(f"report.category.{r.category}", api_lang()), "service_code": r.category,
        "description": r.description if show else "",
        "agency_responsible": current_app.config["OPEN311_AGENCY"], "service_notice": "",
        "requested_datetime": iso(r.created_at), "updated_datetime": iso(r.updated_at),
        "expected_datetime": iso(r.valid_until), "address": "", "address_id": "", "zipcode": "",
        "lat": r.lat, "long": r.lon, "media_url": media,
        "extended_attributes": {"detailed_status": r.status, "severity": r.severity, "expired": r.expired(now),
                                "duplicate_of": r.duplicate_of},
    }


def _from_open311(form: dict[str, Any]) -> dict[str, Any]:
    """Open311 fields → the fields of a report submission."""
    if ("lat" not in form or "long" not in form) and form.get("address_string"):
        raise BadRequestError("open311.latlong_only", field="lat")
    if not form.get("service_code"):
        raise BadRequestError("open311.service_code_required", field="service_code")
    name = " ".join(str(form[k]).strip() for k in ("first_name", "last_name") if form.get(k))
    contact = ", ".join(p for p in (name, str(form.get("email") or "").strip(), str(form.get("phone") or "").strip())
                        if p)
    honeypot = current_app.config["REPORTS_HONEYPOT_FIELD"]
    return {
        "lat": form.get("lat"), "lon": form.get("long"), "category": form.get("service_code"),
        "severity": form.get("attribute[severity]") or 2, "description": form.get("description") or "",
        "contact": contact or None, "valid_until": form.get("attribute[valid_until]") or None,
        honeypot: form.get(honeypot),
    }


@bp.post("/requests.json")
@doc(tags=("open311",), query=LangQuery, form=Open311Form,
     resp={"HTTP_201": Open311Requests, **errors(400, 413, 415, 422, 429, 503, open311=True)},
     headers={201: ("Idempotent-Replayed",)})
def create_request() -> ResponseReturnValue:
    """Create a service request (a submitted report)."""
    form, media = read_body("media")
    outcome = submit_request(_from_open311(form), media, "open311")
    notice = i18n.text("open311.notice", api_lang())
    rid = str(outcome.report.id) if outcome.report is not None else None
    return (jsonify([{"service_request_id": rid, "service_notice": notice, "account_id": None}]), 201,
            replay_headers(outcome))


@bp.get("/requests.json")
@doc(tags=("open311",), query=Open311RequestsQuery,
     resp={"HTTP_200": Open311Requests, **errors(400, 503, open311=True)})
def list_requests() -> ResponseReturnValue:
    """Service requests matching the standard filters."""
    args = request.args
    ids = None
    if args.get("service_request_id"):
        try:
            ids = [int(x) for x in args["service_request_id"].split(",") if x.strip()]
        except ValueError:
            ids = [0]
        if not all(1 <= i <= MAX_ID for i in ids):
            raise BadRequestError("open311.request_ids", field="service_request_id", max=MAX_ID)
    codes = [c for c in args.get("service_code", "").split(",") if c]
    bad = [c for c in codes if c not in CATEGORIES]
    if bad:
        raise BadRequestError("request.unknown_choice", field="service_code", value=bad[0],
                              choices=", ".join(CATEGORIES))
    wanted = {s.strip() for s in args.get("status", "").split(",") if s.strip()}
    if wanted - {"open", "closed"}:
        raise BadRequestError("open311.status", field="status")
    lifecycle: Literal["open", "closed"] | None = None
    if len(wanted) == 1:
        lifecycle = "open" if "open" in wanted else "closed"
    now = utcnow()
    start = parse_datetime(args["start_date"], "start_date") if args.get("start_date") else None
    end = parse_datetime(args["end_date"], "end_date", end_of_day=True) if args.get("end_date") else None
    if start is None and end is None and ids is None:
        start = now - timedelta(days=DEFAULT_DAYS)
    reports, _ = resources.reports().list_reports(ids=ids, categories=codes or None, since=start, until=end,
                                              lifecycle=lifecycle, now=now, limit=MAX_REQUESTS)
    private = current_moderator() is not None
    return jsonify([_request(r, now, private=private) for r in reports])


@bp.get("/requests/<int:request_id>.json")
@doc(tags=("open311",), resp={"HTTP_200": Open311Requests, **errors(404, 503, open311=True)})
def get_request(request_id: int) -> ResponseReturnValue:
    """One service request (its description and media only once confirmed, or for moderators)."""
    report = resources.reports().get_report(request_id)
    return jsonify([_request(report, utcnow(), private=current_moderator() is not None)])
