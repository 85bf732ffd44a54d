""""Help verify" API (``/api/audits``): questions where answers matter most, answers, progress, the moderation of
disputed answers, and the export of verified tag changes for OpenStreetMap. Views parse, call
:mod:`geo.reports`, serialise.

Settings (``app.config``): ``AUDITS_AGREEMENT`` (agreeing answers from different clients that verify an
attribute), ``AUDITS_RATE_LIMIT`` / ``AUDITS_RATE_WINDOW_S`` (answers per client), and the reports' honeypot
field and upload folder.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from flask import Blueprint, Response, current_app, jsonify, request, send_from_directory, url_for
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ConfigDict, Field, field_validator

from geo import i18n
from geo.errors import BadRequestError, NotFoundError, OutsideAreaError
from geo.reports.audit_export import geojson, osmchange, plan
from geo.reports.audit_intake import answer, open_task
from geo.reports.audit_model import (
    ATTRIBUTES,
    STATUSES,
    AnswerResult,
    Decision,
    Item,
    NewAnswer,
    option,
    options_json,
)
from geo.reports.audit_tasks import AuditIndex
from geo.reports.intake import Submission
from geo.reports.limits import RateLimit
from geo.reports.model import MAX_ID, iso, utcnow
from geo.routing.profiles import get_profile
from geo.validation import one_of, validate
from webmap import resources
from webmap.auth import moderator_required, require_moderator
from webmap.i18n import api_lang
from webmap.openapi import (
    AnyObject,
    AuditAnswer,
    AuditAnswerForm,
    AuditProgressQuery,
    AuditQueue,
    AuditQueueQuery,
    AuditTask,
    AuditTasks,
    AuditTasksQuery,
    doc,
    errors,
)
from webmap.params import Bbox, client_key, json_body, parse_bbox, parse_int, read_body

bp = Blueprint("audits", __name__, url_prefix="/api/audits")
_PHOTO_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png)$")
DEFAULT_PROFILE = "manual_wheelchair"


def _profile() -> str:
    return get_profile(request.args.get("profile") or DEFAULT_PROFILE).name


def _bbox_in_area(bbox: Bbox | None) -> Bbox | None:
    """The bbox, or 422 when it lies wholly outside the network."""
    if bbox is None:
        return None
    minx, miny, maxx, maxy = resources.network().bounds()
    if bbox[2] < minx or bbox[0] > maxx or bbox[3] < miny or bbox[1] > maxy:
        raise OutsideAreaError("audit.bbox_outside", field="bbox", value=",".join(f"{v:g}" for v in bbox))
    return bbox


def _needed() -> int:
    return int(current_app.config["AUDITS_AGREEMENT"])


def task_json(index: AuditIndex, row: int, lang: str, *, routes: int | None = None) -> dict[str, Any]:
    """One task as a GeoJSON point feature with its question and options in ``lang``."""
    cat, net = index.catalogue, index.net
    ref = cat.ref(row)
    edges = np.unique(net.arrays.edge_id[cat.directed_edges(row)]).tolist()
    lon, lat = round(float(cat.lon[row]), 7), round(float(cat.lat[row]), 7)
    props = {
        "task_id": ref.task_id,
        "element": {"type": ref.element_type, "id": ref.element_id,
                    "version": net.element_version(ref.element_type, ref.element_id), "edge_ids": edges},
        "attribute": ref.attribute,
        "attribute_label": i18n.text(f"audit.attribute.{ref.attribute}", lang),
        "question": i18n.text(str(cat.question[row]), lang),
        "options": options_json(ref.attribute, lang),
        "name": cat.name[row],
        "routes": routes,
        "unknown_m": round(float(cat.unknown_m[row]), 1),
        "location": {"lon": lon, "lat": lat},
    }
    return {"type": "Feature", "id": ref.task_id, "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": props}


# --------------------------------------------------------------------------- questions and answers


@bp.get("/meta")
@doc(tags=("audits",), resp={"HTTP_200": AnyObject})
def meta() -> ResponseReturnValue:
    """Attributes with their options, statuses, the agreement needed and the ranking measure (for forms)."""
    lang = api_lang()
    return jsonify({
        "attributes": [{"code": a, "label": i18n.text(f"audit.attribute.{a}", lang), "options": options_json(a, lang)}
                       for a in ATTRIBUTES],
        "statuses": [{"code": s, "label": i18n.text(f"audit.status.{s}", lang)} for s in STATUSES],
        "agreement": _needed(),
        "measure": i18n.text("audit.measure", lang),
        "rate_limit": {"answers": current_app.config["AUDITS_RATE_LIMIT"],
                       "window_s": current_app.config["AUDITS_RATE_WINDOW_S"]},
    })


@bp.get("/tasks")
@doc(tags=("audits",), query=AuditTasksQuery, resp={"HTTP_200": AuditTasks, **errors(400, 422, 503)})
def tasks() -> ResponseReturnValue:
    """Open questions in ``bbox`` for ``profile``, where answers could change most routes first."""
    bbox = _bbox_in_area(parse_bbox(request.args.get("bbox")))
    profile = _profile()
    limit = parse_int(request.args.get("limit"), "limit", default=20, lo=1, hi=200)
    index = resources.audit_index()
    store = resources.audits()
    rows, total = index.best(profile, bbox=bbox, limit=limit, skip=store.closed() | store.answered_by(client_key()))
    ranking = index.ranking(profile)
    lang = api_lang()
    return jsonify({"type": "FeatureCollection",
                    "features": [task_json(index, r, lang, routes=int(ranking.routes[r])) for r in rows],
                    "total": total, "profile": profile, "sampled_trips": len(ranking.trips),
                    "measure": i18n.text("audit.measure", lang)})


@bp.get("/tasks/<path:task_id>")
@doc(tags=("audits",), resp={"HTTP_200": AuditTask, **errors(404, 503)})
def task(task_id: str) -> ResponseReturnValue:
    """One question with its state: status, answers of the current round, the value verified (if any)."""
    index = resources.audit_index()
    ref, row = open_task(index, task_id)
    item = resources.audits().item(ref)
    feature = task_json(index, row, api_lang())
    verdict = item.verdict if item else None
    feature["properties"].update(status=item.status if item else "open",
                                 answers=len(item.round_answers()) if item else 0, needed=_needed(),
                                 verified_value=verdict.value if verdict else None,
                                 verified_by=verdict.source if verdict else None)
    return jsonify(feature)


def _answer_message(result: AnswerResult, lang: str) -> str:
    if result.status == "verified":
        return i18n.text("audit.thanks_verified", lang, n=result.answers)
    if result.status == "disputed":
        return i18n.text("audit.thanks_disputed", lang)
    return i18n.text("audit.thanks_more", lang, n=result.needed - result.answers)


@bp.post("/answers")
@doc(tags=("audits",), json=NewAnswer, form=AuditAnswerForm,
     resp={"HTTP_201": AuditAnswer, **errors(400, 404, 409, 413, 415, 422, 429, 503)})
def post_answer() -> ResponseReturnValue:
    """An answer ``{task_id, value[, lat, lon]}`` (JSON, form or multipart with ``photo``) → 201 with the task's
    state after it."""
    data, photo = read_body("photo")
    cfg = current_app.config
    how = Submission(client=client_key(), source="web",
                     limit=RateLimit(int(cfg["AUDITS_RATE_LIMIT"]), float(cfg["AUDITS_RATE_WINDOW_S"])),
                     honeypot_field=cfg["REPORTS_HONEYPOT_FIELD"])
    result = answer(resources.audits(), resources.audit_index(), data, photo, how=how, now=utcnow(),
                    needed=_needed())
    lang = api_lang()
    if result is None:  # honeypot: looks accepted, nothing stored
        task_id = data.get("task_id")
        return jsonify({"task_id": task_id if isinstance(task_id, str) else None, "status": "open",
                        "stored": False}), 201
    return jsonify({"task_id": result.task.task_id, "status": result.status, "answers": result.answers,
                    "needed": result.needed, "verified": result.value is not None, "value": result.value,
                    "stored": True, "message": _answer_message(result, lang)}), 201


@bp.get("/progress")
@doc(tags=("audits",), query=AuditProgressQuery, resp={"HTTP_200": AnyObject, **errors(400, 422, 503)})
def progress() -> ResponseReturnValue:
    """How complete the data of the sampled trips in ``bbox`` is now and from OpenStreetMap alone."""
    bbox = _bbox_in_area(parse_bbox(request.args.get("bbox")))
    profile = _profile()
    view = resources.reports_view()
    index = resources.audit_index()
    out = index.progress(profile, view.overlay.arrays(index.net.arrays), bbox=bbox)
    lang = api_lang()
    gained = out["fully_verified"] - out["fully_verified_before"]
    out.update(profile=profile, verified_attributes=len(view.verdicts),
               message=i18n.text("audit.progress_verified", lang, n=gained),
               details=i18n.text("audit.progress_improved", lang, n=out["improved"], routes=out["routes"],
                                 before=out["completeness_before_pct"] or 0, now=out["completeness_pct"] or 0))
    return jsonify(out)


# --------------------------------------------------------------------------- export


def _plan() -> tuple[list[Any], list[Any]]:
    return plan(resources.network(), list(resources.reports_view().verdicts))


@bp.get("/export.osc")
@doc(tags=("audits",), resp={"HTTP_200": None}, content={200: "application/xml"},
     headers={200: ("Content-Disposition", "X-Changes", "X-Left-Out")})
def export_osc() -> ResponseReturnValue:
    """The verified tag changes as an osmChange 0.6 file (for a mapper to review and upload)."""
    changes, skipped = _plan()
    return Response(osmchange(changes, skipped=len(skipped)), mimetype="application/xml",
                    headers={"Content-Disposition": 'attachment; filename="lbb-verified.osc"',
                             "X-Changes": str(len(changes)), "X-Left-Out": str(len(skipped))})


@bp.get("/export.geojson")
@doc(tags=("audits",), resp={"HTTP_200": AnyObject})
def export_geojson() -> ResponseReturnValue:
    """The same changes as GeoJSON with their evidence, and what is left out of the osmChange and why."""
    changes, skipped = _plan()
    return jsonify(geojson(resources.network(), changes, skipped, api_lang()))


# --------------------------------------------------------------------------- moderation


def photo_url(name: str) -> str:
    """Where an answer photo is served (moderators only)."""
    return url_for("audits.photo", name=name)


def item_json(item: Item, lang: str) -> dict[str, Any]:
    """A task with its answers side by side and its verdict history (moderators)."""
    index = resources.audit_index()
    row = index.catalogue.find(item.task)
    base = task_json(index, row, lang) if row is not None else {
        "type": "Feature", "id": item.task.task_id, "geometry": {"type": "Point", "coordinates": [item.lon, item.lat]},
        "properties": {"task_id": item.task.task_id, "attribute": item.task.attribute,
                       "options": options_json(item.task.attribute, lang)}}
    labels = {o["value"]: o["label"] for o in options_json(item.task.attribute, lang)}
    verdict = item.verdict
    base["properties"].update(
        status=item.status, status_label=i18n.text(f"audit.status.{item.status}", lang), round=item.round,
        answers=[{**a.to_dict(photo_url=photo_url), "label": labels.get(a.value, a.value)}
                 for a in item.answers],
        verdicts=[{**v.to_dict(private=True), "label": labels.get(v.value, v.value),
                   "source_label": i18n.text(f"audit.source.{v.source}", lang)} for v in item.verdicts],
        verified_value=verdict.value if verdict else None, updated_at=iso(item.updated_at))
    return base


class QueueQuery(BaseModel):
    """Filters of the moderation queue: statuses (comma-separated), limit, offset."""

    model_config = ConfigDict(extra="ignore")

    status: list[str] = Field(default_factory=lambda: ["disputed"])
    limit: int = Field(default=100, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=MAX_ID)

    @field_validator("status", mode="before")
    @classmethod
    def _split(cls, v: Any) -> Any:
        items = [s for s in v.split(",") if s] if isinstance(v, str) else v
        for s in items or []:
            one_of(s, STATUSES)
        return items


@bp.get("/queue")
@doc(tags=("moderation",), query=AuditQueueQuery, moderator=True,
     resp={"HTTP_200": AuditQueue, **errors(400, 401, 503)})
@moderator_required
def queue() -> ResponseReturnValue:
    """Tasks with answers to moderate (default: disputed), least recently changed first."""
    q = validate(QueueQuery, request.args.to_dict())
    items, total = resources.audits().items(statuses=q.status, limit=q.limit, offset=q.offset)
    lang = api_lang()
    return jsonify({"type": "FeatureCollection", "features": [item_json(i, lang) for i in items], "total": total,
                    "limit": q.limit, "offset": q.offset})


@bp.post("/decisions")
@doc(tags=("moderation",), json=Decision, moderator=True,
     resp={"HTTP_200": AuditTask, **errors(400, 401, 403, 404, 409, 415, 503)})
@moderator_required
def decide() -> ResponseReturnValue:
    """A moderator's decision ``{task_id, action: confirm | reopen | rollback, value, note}``."""
    d = validate(Decision, json_body())
    index = resources.audit_index()
    ref, row = open_task(index, d.task_id)
    if d.action == "confirm":
        if d.value is None:
            raise BadRequestError("audit.confirm_needs_value", field="value")
        option(ref.attribute, d.value)
    item = resources.audits().decide(ref, d.action, actor=require_moderator().name, now=utcnow(),
                                     where=(float(index.catalogue.lon[row]), float(index.catalogue.lat[row])),
                                     value=d.value, note=d.note)
    return jsonify(item_json(item, api_lang()))


@bp.get("/photos/<name>")
@doc(tags=("moderation",), moderator=True, resp={"HTTP_200": None, **errors(401, 404, 503)},
     content={200: "image/jpeg|image/png"})
@moderator_required
def photo(name: str) -> ResponseReturnValue:
    """An answer photo (moderators only: nobody checked what it shows)."""
    store = resources.audits()
    if not _PHOTO_NAME.match(name) or store.find_photo(name) is None:
        raise NotFoundError("audit.photo_not_found")
    return send_from_directory(store.photos.path, name, max_age=3600)

