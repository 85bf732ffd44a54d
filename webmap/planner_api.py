"""The planner's API (``/api/planner``): which barrier to remove first, what-ifs, packages, norms, coverage.

Every ranking question takes ``profile``, ``minutes`` (5–60), ``origins`` (buildings / flats / both) and
``destinations`` (services / stops / both); the analysis of one such request is computed once per state of
the confirmed reports (:func:`webmap.resources.analysis`).

* ``GET /api/planner/barriers?…&category=&min_severity=&bbox=&limit=&format=json|geojson|csv`` — the ranking;
* ``GET /api/planner/barriers/ID`` — the homes it helps, the destinations they newly reach, examples;
* ``POST /api/planner/whatif`` — ``{"barriers": [ids], …}`` → the combined gain and the same detail;
* ``GET /api/planner/package?k=`` — the greedy package of K fixes;
* ``GET /api/planner/norms[?bbox=&limit=]`` — km totals per rule; with a bbox, the judged edges in it;
* ``GET /api/planner/coverage`` — known share of surface, incline, kerb, width per city part or square.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ConfigDict, Field

from geo import i18n
from geo.analysis import export
from geo.analysis.coverage import zones_geojson
from geo.analysis.norms import LAW, LIMITS, RULES, totals
from geo.analysis.origins import DESTINATION_CHOICES, ORIGIN_CHOICES
from geo.analysis.planner import MAX_MINUTES, MAX_PACKAGE, MAX_WHATIF, MIN_MINUTES, Analysis, PlannerRequest
from geo.errors import BadRequestError
from geo.layers.barriers import CATEGORIES as OSM_CATEGORIES
from geo.layers.query import DEFAULT_LIMIT, MAX_LIMIT, feature_collection
from geo.reports.model import CATEGORIES as REPORT_CATEGORIES
from geo.routing.profiles import PROFILES
from geo.validation import validate
from webmap import resources
from webmap.i18n import api_lang
from webmap.openapi import BBOX, FeatureCollection, LangQuery, Loose, doc, errors
from webmap.params import json_body, parse_bbox, parse_int

bp = Blueprint("planner_api", __name__, url_prefix="/api/planner")

#: Every barrier category the ranking can hold.
CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys((*OSM_CATEGORIES, *REPORT_CATEGORIES)))
FORMATS: tuple[str, ...] = ("json", "geojson", "csv")
REQUEST_FIELDS: tuple[str, ...] = ("profile", "minutes", "origins", "destinations")


# --------------------------------------------------------------------------- the contract (OpenAPI)


def _literal(values: Any) -> Any:
    return Literal[tuple(values)]  # type: ignore[valid-type]


class PlannerQuery(LangQuery):
    """What every ranking question carries (:class:`~geo.analysis.planner.PlannerRequest`)."""

    profile: _literal(list(PROFILES)) | None = None  # type: ignore[valid-type]
    minutes: float | None = Field(default=None, ge=MIN_MINUTES, le=MAX_MINUTES)
    origins: _literal(ORIGIN_CHOICES) | None = None  # type: ignore[valid-type]
    destinations: _literal(DESTINATION_CHOICES) | None = None  # type: ignore[valid-type]


class RankingQuery(PlannerQuery):
    """Filters of the ranking and its format."""

    category: _literal(CATEGORIES) | None = None  # type: ignore[valid-type]
    min_severity: int | None = Field(default=None, ge=1, le=3)
    bbox: str | None = Field(default=None, pattern=BBOX, description="minlon,minlat,maxlon,maxlat")
    limit: int | None = Field(default=None, ge=1, le=MAX_LIMIT)
    format: _literal(FORMATS) | None = None  # type: ignore[valid-type]


class PackageQuery(PlannerQuery):
    """How many fixes (1–50)."""

    k: int | None = Field(default=None, ge=1, le=MAX_PACKAGE)


class NormsQuery(LangQuery):
    """A box for the judged edges (without one: only the totals) and a cap."""

    bbox: str | None = Field(default=None, pattern=BBOX, description="minlon,minlat,maxlon,maxlat")
    limit: int | None = Field(default=None, ge=1, le=MAX_LIMIT)


class WhatIfBody(BaseModel):
    """A planner's selection of ranked barriers and the question's profile, minutes, origins, destinations."""

    model_config = ConfigDict(extra="allow")

    barriers: list[str] = Field(max_length=MAX_WHATIF)
    profile: _literal(list(PROFILES)) | None = None  # type: ignore[valid-type]
    minutes: float | None = Field(default=None, ge=MIN_MINUTES, le=MAX_MINUTES)
    origins: _literal(ORIGIN_CHOICES) | None = None  # type: ignore[valid-type]
    destinations: _literal(DESTINATION_CHOICES) | None = None  # type: ignore[valid-type]


class RankingAnswer(FeatureCollection):
    """The ranked barriers (GeoJSON) with the request, counts and, for an empty ranking, the reason."""

    total: int
    count: int
    truncated: bool
    reason: str | None
    message: str | None


class EffectAnswer(FeatureCollection):
    """Barriers, the homes they help and the destinations they open (GeoJSON) with the numbers."""

    gain: float
    pairs_opened: int
    origins_helped: int
    destinations_opened: int
    time_saved_s: float
    examples: list[dict[str, Any]]


class PackageAnswer(EffectAnswer):
    """The greedy package: its steps and their combined effect."""

    steps: list[dict[str, Any]]
    greedy: bool


class NormsAnswer(Loose):
    """Kilometres per rule and status (and, with a box, the judged edges)."""

    totals: dict[str, Any]
    rules: list[str]
    law: str


class CoverageAnswer(FeatureCollection):
    """Zones with the known share of each attribute."""

    kind: str
    zones: int


def planner_request(data: Mapping[str, Any]) -> PlannerRequest:
    """The request's profile, minutes, origins and destinations (400 on anything else)."""
    return validate(PlannerRequest, {k: data[k] for k in REQUEST_FIELDS if k in data and data[k] is not None})


def _choice(value: str | None, name: str, choices: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    if value not in choices:
        raise BadRequestError("request.unknown_choice", field=name, value=value, choices=", ".join(choices))
    return value


def _meta(a: Analysis) -> dict[str, Any]:
    lang = api_lang()
    return {"request": a.request.model_dump(), "counts": a.counts, "reason": a.reason,
            "message": i18n.text(f"planner.reason.{a.reason}", lang) if a.reason else None,
            "method": i18n.text("planner.method", lang, minutes=a.request.minutes)}


def _features(a: Analysis, rows: Any) -> tuple[list[dict[str, Any]], list[Any]]:
    recs = export.records(rows, api_lang())
    return recs, [a.candidates.geometry[int(r)] for r in rows["row"]]


def _places(items: list[dict[str, Any]], role: str) -> list[dict[str, Any]]:
    return [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
             "properties": {**p, "role": role}} for p in items]


def _effect_body(a: Analysis, described: dict[str, Any], barrier_rows: Any) -> dict[str, Any]:
    """A FeatureCollection of the barriers, the homes helped and the destinations opened, with the numbers."""
    recs, geoms = _features(a, barrier_rows)
    barriers = export.to_geojson(recs, geoms)["features"]
    for f in barriers:
        f["properties"]["role"] = "barrier"
    body = {k: v for k, v in described.items() if k not in ("origins", "destinations")}
    return {"type": "FeatureCollection", **body,
            "features": [*barriers, *_places(described["origins"], "origin"),
                         *_places(described["destinations"], "destination")], **_meta(a)}


@bp.get("/barriers")
@doc(tags=("planner",), query=RankingQuery, resp={"HTTP_200": RankingAnswer, **errors(400)},
     content={200: "application/json|application/geo+json|text/csv"})
def barriers() -> ResponseReturnValue:
    """The ranked barriers, filtered; JSON/GeoJSON or CSV."""
    args = request.args
    fmt = _choice(args.get("format"), "format", FORMATS) or "json"
    category = _choice(args.get("category"), "category", CATEGORIES)
    severity = parse_int(args.get("min_severity"), "min_severity", default=0, lo=1, hi=3) \
        if args.get("min_severity") else None
    bbox = parse_bbox(args.get("bbox"))
    limit = parse_int(args.get("limit"), "limit", default=MAX_LIMIT if fmt != "json" else DEFAULT_LIMIT, lo=1,
                      hi=MAX_LIMIT)
    a = resources.analysis(planner_request(args))
    ranking = a.ranking()
    chosen = export.select(ranking, category=category, min_severity=severity, bbox=bbox)
    rows = chosen.head(limit)
    recs, geoms = _features(a, rows)
    name = f"barriers-{a.request.profile}-{a.request.minutes:g}min"
    if fmt == "csv":
        return Response(export.to_csv(recs), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    body = export.to_geojson(recs, geoms, total=len(ranking), matching=len(chosen), count=len(recs),
                             truncated=len(chosen) > len(recs), **_meta(a))
    resp = jsonify(body)
    if fmt == "geojson":
        resp.mimetype = "application/geo+json"
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}.geojson"'
    return resp


@bp.get("/barriers/<barrier_id>")
@doc(tags=("planner",), query=PlannerQuery, resp={"HTTP_200": EffectAnswer, **errors(400, 404)})
def barrier(barrier_id: str) -> ResponseReturnValue:
    """One ranked barrier: the homes it helps, the destinations they newly reach, up to five examples."""
    a = resources.analysis(planner_request(request.args))
    detail = a.detail(barrier_id)
    ranking = a.ranking()
    return jsonify(_effect_body(a, detail, ranking[ranking["barrier_id"] == barrier_id]))


@bp.post("/whatif")
@doc(tags=("planner",), json=WhatIfBody, resp={"HTTP_200": EffectAnswer, **errors(400, 413, 415)})
def whatif() -> ResponseReturnValue:
    """The combined effect of removing the listed barriers together."""
    body = json_body()
    ids = body.get("barriers")
    if not isinstance(ids, list) or not all(isinstance(b, str) for b in ids):
        raise BadRequestError("planner.barriers_list", field="barriers")
    a = resources.analysis(planner_request(body))
    result = a.what_if(ids)
    ranking = a.ranking()
    chosen = ranking[ranking["barrier_id"].isin(result["barriers"])]
    return jsonify(_effect_body(a, {k: v for k, v in result.items() if k != "barriers"}, chosen))


@bp.get("/package")
@doc(tags=("planner",), query=PackageQuery, resp={"HTTP_200": PackageAnswer, **errors(400)})
def package() -> ResponseReturnValue:
    """The greedy package of ``k`` fixes (1–50) and its combined effect."""
    k = parse_int(request.args.get("k"), "k", default=5, lo=1, hi=MAX_PACKAGE)
    a = resources.analysis(planner_request(request.args))
    result = a.package(k)
    ranking = a.ranking()
    picked = [s["barrier_id"] for s in result["steps"]]
    chosen = ranking.set_index("barrier_id").loc[picked].reset_index() if picked else ranking.iloc[:0]
    out = _effect_body(a, {key: v for key, v in result.items() if key != "steps"}, chosen)
    out["steps"] = result["steps"]
    out["greedy"] = True
    return jsonify(out)


@bp.get("/norms")
@doc(tags=("planner",), query=NormsQuery, resp={"HTTP_200": NormsAnswer, **errors(400)})
def norms() -> ResponseReturnValue:
    """Kilometres per rule and status; with ``bbox``, every edge in it with its judgement."""
    judged = resources.norms()
    net = resources.network()
    body: dict[str, Any] = {"totals": totals(net, judged), "rules": list(RULES), "law": LAW, "limits": LIMITS}
    bbox = parse_bbox(request.args.get("bbox"))
    if bbox is not None:
        limit = parse_int(request.args.get("limit"), "limit", default=DEFAULT_LIMIT, lo=1, hi=MAX_LIMIT)
        fc = feature_collection(resources.layers().query("network", bbox, limit=limit))
        for f in fc["features"]:
            row = judged.iloc[int(f["properties"]["edge_id"])]
            f["properties"] = {"edge_id": f["properties"]["edge_id"], "name": f["properties"]["name"],
                               "status": row["status"], "failed": [r for r in row["failed"].split(";") if r],
                               **{r: row[r] for r in RULES}}
        body |= {"type": "FeatureCollection", "features": fc["features"], "count": fc["count"], "total": fc["total"],
                 "truncated": fc["truncated"]}
    return jsonify(body)


@bp.get("/coverage")
@doc(tags=("planner",), resp={"HTTP_200": CoverageAnswer})
def coverage() -> ResponseReturnValue:
    """The known share of each attribute per city part (or 500 m square), as GeoJSON."""
    zones = resources.coverage()
    fc = zones_geojson(zones)
    kind = str(zones["kind"].iat[0]) if len(zones) else "grid"
    return jsonify({**fc, "kind": kind, "attributes": ["surface", "incline", "kerb", "width"],
                    "zones": len(zones), "length_km": float(np.round(zones["length_km"].sum(), 2))})
