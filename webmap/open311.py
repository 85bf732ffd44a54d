"""Open311 GeoReport v2 (``/open311/v2``) and its Service Discovery (``/open311/discovery``), in XML and JSON.

Every resource answers as ``.xml`` (the standard's required format, ``text/xml``) and ``.json``, with the
same data (:mod:`webmap.open311_xml` writes the JSON answer as XML by the standard's Spark convention).

* ``GET discovery`` — the endpoint, its formats, how to get an API key and the jurisdiction id;
* ``GET v2/services`` — one service per report category (``service_code`` = category);
  ``GET v2/services/CODE`` — its attributes: ``severity`` (1–3, default 2) and ``valid_until``;
* ``POST v2/requests`` — a new report (status ``submitted``): ``service_code``, ``lat``, ``long``,
  ``description``, optional ``attribute[severity]``, ``attribute[valid_until]``, ``email`` / ``phone`` /
  ``first_name`` / ``last_name`` (kept as the private contact), a ``media`` file (JPEG/PNG) or a
  ``media_url`` (an http(s) link: stored, shown after moderation, never fetched), ``api_key`` (optional:
  the key's own quota instead of the per-address limit; an unknown or revoked key is a 403).
  ``address_string`` is not supported (we never geocode). Answers 201;
* ``GET v2/requests`` — the public list holds moderated requests only (confirmed, planned, in progress,
  fixed, also once expired), as ``/api/reports`` does; moderators see every status. Filters
  ``service_code``, ``status`` (open / closed), ``start_date`` / ``end_date`` (at most 90 days apart; a
  missing bound is 90 days from the other, both missing: the last 90 days; a bare date includes that
  whole day); ``service_request_id`` (comma list) overrides all of them and finds any request by id. At
  most 1000, newest first; every filter applies before that limit;
* ``GET v2/requests/ID`` — one request (in a one-element list, as the standard says);
* ``GET v2/tokens/TOKEN`` — always 404: requests get their id at once (type ``realtime``).

``jurisdiction_id`` is optional (one jurisdiction is served); another value than ``OPEN311_JURISDICTION``
is a 404. A request's ``description`` and ``media_url`` are empty for the public until a moderator
confirms it (and stay empty if it is rejected or a duplicate). Statuses: submitted, confirmed, planned
and in_progress are ``open``; fixed, rejected, duplicate and expired (past ``valid_until``) are
``closed``; the detailed status is in ``status_notes`` and, with ``extensions=true``, in
``extended_attributes``. Errors are ``[{"code", "description"}]`` (``<errors><error>…``), with the
standard's parameter names.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from geo import i18n
from geo.errors import BadRequestError, ForbiddenError, GeoError, NotFoundError
from geo.reports.apikeys import ApiKey
from geo.reports.intake import Submission
from geo.reports.model import (
    CATEGORIES,
    CLOSED_STATUSES,
    MAX_ID,
    PUBLIC_STATUSES,
    SEVERITIES,
    Report,
    iso,
    parse_datetime,
    utcnow,
)
from webmap import resources
from webmap.auth import current_moderator
from webmap.errors import headers_of, http_headers, http_message, open311_error, status_of
from webmap.i18n import api_lang
from webmap.open311_xml import MIMETYPE, to_xml
from webmap.openapi import (
    Open311CreatedList,
    Open311Definition,
    Open311Discovery,
    Open311Form,
    Open311PostQuery,
    Open311Query,
    Open311RequestQuery,
    Open311Requests,
    Open311RequestsQuery,
    Open311Services,
    doc,
    errors,
)
from webmap.params import parse_flag, read_body
from webmap.reports_api import replay_headers, submission, submit_request

bp = Blueprint("open311", __name__, url_prefix="/open311")
#: The default span of a request list and the longest one asked for (days).
DEFAULT_DAYS = 90
#: A span of 90 local days is an hour longer in UTC when it crosses the end of summer time.
_SPAN_SLACK = timedelta(hours=1)
MAX_REQUESTS = 1000
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
#: When the service list or a service definition last changed (discovery's ``changeset``): bump it with them.
SERVICES_CHANGED = "2026-11-30T00:00:00Z"
FORMATS = {"json": "application/json", "xml": MIMETYPE}
#: Report fields → the standard's parameter names, for error messages.
FIELD_NAMES = {"category": "service_code", "lon": "long", "severity": "attribute[severity]",
               "valid_until": "attribute[valid_until]"}
_CONTACT_FIELDS = ("email", "phone", "first_name", "last_name")


def _both(rule: str, **options: Any) -> Any:
    """Route a view at ``rule.json`` and ``rule.xml``."""
    def register(view: Any) -> Any:
        for fmt in FORMATS:
            bp.add_url_rule(f"{rule}.{fmt}", view_func=view, **options)
        return view

    return register


def _xml() -> bool:
    return request.path.endswith(".xml")


def answer(data: Any, root: str, status: int = 200, headers: dict[str, str] | None = None) -> ResponseReturnValue:
    """``data`` as JSON, or for a ``.xml`` URL as XML under ``root``."""
    if _xml():
        return Response(to_xml(root, data), status, headers or {}, mimetype=MIMETYPE)
    return jsonify(data), status, headers or {}


@bp.errorhandler(GeoError)
def _geo_error(exc: GeoError) -> ResponseReturnValue:
    return open311_error(status_of(exc), exc.message(api_lang()), headers_of(exc))


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> ResponseReturnValue:
    return open311_error(exc.code or 500, http_message(exc, api_lang()), http_headers(exc))


@bp.before_request
def _check_jurisdiction() -> None:
    """Every resource but discovery: the ``jurisdiction_id`` of the query string or form."""
    if request.endpoint != "open311.discovery":
        check_jurisdiction(request.args.get("jurisdiction_id"))
        if request.method == "POST":
            check_jurisdiction(request.form.get("jurisdiction_id"))


def check_jurisdiction(given: Any) -> None:
    """``jurisdiction_id`` is optional (one jurisdiction is served); an empty one is absent; any other than
    ours is a 404."""
    given = str(given or "").strip()
    ours = str(current_app.config["OPEN311_JURISDICTION"])
    if given and given.lower() != ours.lower():
        raise NotFoundError("open311.no_jurisdiction", field="jurisdiction_id", jurisdiction=given, ours=ours)


# --------------------------------------------------------------------------- discovery


@_both("/discovery")
@doc(tags=("open311",), resp={"HTTP_200": Open311Discovery})
def discovery() -> ResponseReturnValue:
    """Open311 Service Discovery: the GeoReport v2 endpoint, its formats, API keys, the jurisdiction id."""
    lang, cfg = api_lang(), current_app.config
    endpoint = {"specification": SPECIFICATION, "url": request.url_root + "open311/v2", "changeset": SERVICES_CHANGED,
                "type": "test" if resources.is_sample(resources.network()) else "production",
                "formats": [FORMATS["xml"], FORMATS["json"]]}
    return answer({
        "changeset": SERVICES_CHANGED,
        "contact": i18n.text("open311.contact", lang, agency=resources.open311_agency() or i18n.text(
            "open311.no_agency", lang, area=resources.network().summary()["area"]),
                             jurisdiction=cfg["OPEN311_JURISDICTION"],
                             docs=url_for("openapi.docs_page", _external=True)),
        "key_service": i18n.text("open311.key_service", lang, limit=int(cfg["REPORTS_RATE_LIMIT"]),
                                 minutes=float(cfg["REPORTS_RATE_WINDOW_S"]) / 60),
        "endpoints": [endpoint],
    }, "discovery")


# --------------------------------------------------------------------------- services


def _service(code: str) -> dict[str, Any]:
    lang = api_lang()
    return {"service_code": code, "service_name": i18n.text(f"report.category.{code}", lang),
            "description": i18n.text(f"report.category.{code}", lang), "metadata": True, "type": "realtime",
            "keywords": i18n.text("open311.keywords", lang), "group": i18n.text("open311.group", lang)}


@_both("/v2/services", methods=["GET"])
@doc(tags=("open311",), query=Open311Query, resp={"HTTP_200": Open311Services, **errors(404, open311=True)})
def services() -> ResponseReturnValue:
    """Every report category as a service."""
    return answer([_service(code) for code in CATEGORIES], "services")


@_both("/v2/services/<code>", methods=["GET"])
@doc(tags=("open311",), query=Open311Query, resp={"HTTP_200": Open311Definition, **errors(404, open311=True)})
def service_definition(code: str) -> ResponseReturnValue:
    """The extra attributes a request of this service may carry."""
    if code not in CATEGORIES:
        raise NotFoundError("open311.no_service", field="service_code", code=code)
    lang = api_lang()
    return answer({"service_code": code, "attributes": [
        {"variable": True, "code": "severity", "datatype": "singlevaluelist", "required": False,
         "datatype_description": i18n.text("open311.attr.severity_help", lang), "order": 1,
         "description": i18n.text("open311.attr.severity", lang),
         "values": [{"key": str(k), "name": i18n.text(f"report.severity.{k}", lang)} for k in SEVERITIES]},
        {"variable": True, "code": "valid_until", "datatype": "datetime", "required": False,
         "datatype_description": i18n.text("open311.attr.valid_until_help", lang), "order": 2,
         "description": i18n.text("open311.attr.valid_until", lang)},
    ]}, "service_definition")


# --------------------------------------------------------------------------- requests


def _request(r: Report, now: datetime, *, private: bool, extensions: bool) -> dict[str, Any]:
    """A report as an Open311 request; before confirmation the public gets no description or media.
    ``status_notes`` is the detailed status with the note of the change that set it; ``updated_datetime``
    of a request closed by its ``valid_until`` is that moment."""
    expired = r.expired(now) and r.status not in CLOSED_STATUSES
    note = None if expired else r.status_note()
    detailed = "expired" if expired else r.status
    show = private or r.content_public()
    media = url_for("reports.photo", name=r.photo, _external=True) if r.photo else r.media_url
    out: dict[str, Any] = {
        "service_request_id": str(r.id), "status": "closed" if r.status in CLOSED_STATUSES or expired else "open",
        "status_notes": f"{detailed}: {note}" if note else detailed,
        "service_name": i18n.text(f"report.category.{r.category}", api_lang()), "service_code": r.category,
        "description": r.description if show else None,
        "agency_responsible": resources.open311_agency(), "service_notice": None,
        "requested_datetime": iso(r.created_at), "updated_datetime": iso(r.last_change(now)),
        "expected_datetime": iso(r.valid_until), "address": None, "address_id": None, "zipcode": None,
        "lat": r.lat, "long": r.lon, "media_url": media if show else None,
    }
    if extensions:
        out["extended_attributes"] = {"detailed_status": detailed, "severity": r.severity,
                                      "expired": r.expired(now), "duplicate_of": r.duplicate_of}
    return out


def _from_open311(form: dict[str, Any], has_media: bool) -> dict[str, Any]:
    """Open311 fields → the fields of a report submission."""
    if ("lat" not in form or "long" not in form) and form.get("address_string"):
        raise BadRequestError("open311.latlong_only", field="lat")
    code = form.get("service_code")
    if not code:
        raise BadRequestError("open311.service_code_required", field="service_code")
    if code not in CATEGORIES:
        raise NotFoundError("open311.no_service", field="service_code", code=str(code))
    if has_media and form.get("media_url"):
        raise BadRequestError("open311.media_twice", field="media_url")
    name = " ".join(str(form[k]).strip() for k in ("first_name", "last_name") if form.get(k))
    contact = ", ".join(p for p in (name, str(form.get("email") or "").strip(), str(form.get("phone") or "").strip())
                        if p)
    honeypot = current_app.config["REPORTS_HONEYPOT_FIELD"]
    return {
        "lat": form.get("lat"), "lon": form.get("long"), "category": code,
        "severity": form.get("attribute[severity]") or 2, "description": form.get("description") or "",
        "contact": contact or None, "valid_until": form.get("attribute[valid_until]") or None,
        "media_url": form.get("media_url") or None, honeypot: form.get(honeypot),
    }


def _api_key(form: dict[str, Any]) -> ApiKey | None:
    """The client's API key (form field or query string; empty = none); an unknown or revoked one is a 403."""
    secret = str(form.get("api_key") or request.args.get("api_key") or "").strip()
    if not secret:
        return None
    key = resources.api_keys().verify(secret)
    if key is None:
        raise ForbiddenError("open311.api_key_invalid", field="api_key")
    return key


def _in_open311_terms(exc: GeoError, form: dict[str, Any]) -> GeoError:
    """``exc`` naming the standard's parameter instead of the report field (``lon`` → ``long`` …)."""
    field = exc.details.get("field")
    if field == "contact":
        exc.details["field"] = next((k for k in _CONTACT_FIELDS if form.get(k)), "email")
    elif field in FIELD_NAMES:
        exc.details["field"] = FIELD_NAMES[field]
    return exc


@_both("/v2/requests", methods=["POST"])
@doc(tags=("open311",), query=Open311PostQuery, form=Open311Form,
     resp={"HTTP_201": Open311CreatedList, **errors(400, 403, 404, 413, 415, 422, 429, 503, open311=True)},
     headers={201: ("Idempotent-Replayed",)})
def create_request() -> ResponseReturnValue:
    """Create a service request (a submitted report)."""
    form, media = read_body("media")
    check_jurisdiction(form.get("jurisdiction_id"))  # also in a JSON body
    key = _api_key(form)
    how = submission("open311")
    if key is not None:
        how = Submission(client=key.client, source="open311", limit=key.quota, honeypot_field=how.honeypot_field,
                         api_key_id=key.id)
    try:
        outcome = submit_request(_from_open311(form, media is not None), media, how)
    except GeoError as exc:
        raise _in_open311_terms(exc, form) from None
    rid = str(outcome.report.id) if outcome.report is not None else None
    created = [{"service_request_id": rid, "service_notice": i18n.text("open311.notice", api_lang()),
                "account_id": None}]
    return answer(created, "service_requests", 201, replay_headers(outcome))


def _ids(text: str) -> list[int] | None:
    """``service_request_id``: a comma list of ids (``None`` when it names none)."""
    try:
        ids = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        ids = [0]
    if not all(1 <= i <= MAX_ID for i in ids):
        raise BadRequestError("open311.request_ids", field="service_request_id", max=MAX_ID)
    return ids or None


def _window(args: Any, now: datetime) -> tuple[datetime, datetime | None]:
    """``start_date`` … ``end_date``: at most :data:`DEFAULT_DAYS` apart; a missing bound lies that far from
    the other; with neither, the last :data:`DEFAULT_DAYS` days."""
    span = timedelta(days=DEFAULT_DAYS)
    start = parse_datetime(args["start_date"], "start_date") if args.get("start_date") else None
    end = parse_datetime(args["end_date"], "end_date", end_of_day=True) if args.get("end_date") else None
    if start is None:
        return _shift(end or now, -span), end
    if end is None:
        return start, _shift(start, span)
    if end < start:
        raise BadRequestError("open311.date_order", field="end_date", start=args["start_date"], end=args["end_date"])
    if end - start > span + _SPAN_SLACK:
        raise BadRequestError("open311.date_span", field="end_date", days=DEFAULT_DAYS)
    return start, end


def _shift(at: datetime, by: timedelta) -> datetime:
    try:
        return at + by
    except OverflowError:  # near the years 1 or 9999: the bound is the calendar's end
        return datetime.min if by < timedelta(0) else datetime.max


@_both("/v2/requests", methods=["GET"])
@doc(tags=("open311",), query=Open311RequestsQuery,
     resp={"HTTP_200": Open311Requests, **errors(400, 404, 503, open311=True)})
def list_requests() -> ResponseReturnValue:
    """Service requests matching the standard filters: moderated ones for the public, all for moderators."""
    args = request.args
    now = utcnow()
    private = current_moderator() is not None
    extensions = bool(parse_flag(args.get("extensions"), "extensions"))
    ids = _ids(args["service_request_id"]) if args.get("service_request_id") else None
    store = resources.reports()
    if ids is not None:  # "overrides all other arguments": any request, by id
        found, _ = store.list_reports(ids=ids, now=now, limit=MAX_REQUESTS)
        return answer([_request(r, now, private=private, extensions=extensions) for r in found], "service_requests")
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
    start, end = _window(args, now)
    found, _ = store.list_reports(statuses=None if private else sorted(PUBLIC_STATUSES), categories=codes or None,
                                  since=start, until=end, lifecycle=lifecycle, now=now, limit=MAX_REQUESTS)
    return answer([_request(r, now, private=private, extensions=extensions) for r in found], "service_requests")


@_both("/v2/requests/<int:request_id>", methods=["GET"])
@doc(tags=("open311",), query=Open311RequestQuery,
     resp={"HTTP_200": Open311Requests, **errors(400, 404, 503, open311=True)})
def get_request(request_id: int) -> ResponseReturnValue:
    """One service request of any status (its description and media only once confirmed, or for moderators)."""
    report = resources.reports().get_report(request_id)
    extensions = bool(parse_flag(request.args.get("extensions"), "extensions"))
    return answer([_request(report, utcnow(), private=current_moderator() is not None, extensions=extensions)],
                  "service_requests")


@_both("/v2/tokens/<token>", methods=["GET"])
@doc(tags=("open311",), query=Open311Query, resp=errors(404, open311=True))
def token_lookup(token: str) -> ResponseReturnValue:
    """No tokens are issued (every service is ``realtime``): always 404, in the standard's error format."""
    raise NotFoundError("open311.no_tokens", field="token")
