"""Map-layer and search endpoints (``/api``): parse the request, ask :mod:`geo`, return JSON.

* ``GET /api/layers`` — the layers and their sizes.
* ``GET /api/layers/<name>?bbox=minlon,minlat,maxlon,maxlat&limit=N[&profile=P][&unlocated=1]`` —
  GeoJSON of ``buildings``, ``network``, ``services``, ``flats``, ``stops`` or ``barriers``; services and
  flats carry their provenance and commitments, and a ``notice`` when they cannot be placed on this map.
* ``GET /api/search?q=TEXT[&limit=N]`` — addresses, places, streets and layer records.

Bad input is a 400 ``{"error": "bad_request", "message": …, "details": …}``.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from geo.errors import BadRequestError
from geo.layers.query import DEFAULT_LIMIT, LAYERS, MAX_LIMIT, feature_collection, placement_notice
from geo.routing.overlay import EMPTY_OVERLAY
from webmap import resources
from webmap.i18n import api_lang
from webmap.openapi import LayerAnswer, LayerQuery, LayersIndex, SearchAnswer, SearchQuery, doc, errors
from webmap.params import parse_bbox, parse_flag, parse_int

bp = Blueprint("layers_api", __name__, url_prefix="/api")

MAX_QUERY_CHARS = 200
MAX_SEARCH_RESULTS = 50


@bp.get("/layers")
@doc(tags=("layers",), resp={"HTTP_200": LayersIndex})
def layers_index() -> ResponseReturnValue:
    """The layers with their feature counts."""
    return jsonify({"layers": resources.layers().summary()})


@bp.get("/layers/<name>")
@doc(tags=("layers",), query=LayerQuery, resp={"HTTP_200": LayerAnswer, **errors(400)})
def layer(name: str) -> ResponseReturnValue:
    """GeoJSON of one layer in a bbox, capped at ``limit`` with a ``truncated`` flag."""
    if name not in LAYERS:
        raise BadRequestError("request.unknown_choice", field="layer", value=name, choices=", ".join(LAYERS))
    bbox = parse_bbox(request.args.get("bbox"))
    limit = parse_int(request.args.get("limit"), "limit", default=DEFAULT_LIMIT, lo=1, hi=MAX_LIMIT)
    unlocated = bool(parse_flag(request.args.get("unlocated"), "unlocated"))
    result = resources.layers().query(name, bbox, limit=limit, profile=request.args.get("profile"),
                                      include_unlocated=unlocated,
                                      overlay=resources.overlay() if name == "network" else EMPTY_OVERLAY)
    body = feature_collection(result)
    if "placement" in body:  # services and flats: say when the curated records cannot be placed on this map
        body["notice"] = placement_notice(body["placement"], api_lang())
    return jsonify(body)


@bp.get("/search")
@doc(tags=("layers",), query=SearchQuery, resp={"HTTP_200": SearchAnswer, **errors(400)})
def search() -> ResponseReturnValue:
    """Diacritics- and case-insensitive prefix search, best matches first."""
    q = request.args.get("q", "").strip()
    if not q:
        raise BadRequestError("request.missing", field="q")
    if len(q) > MAX_QUERY_CHARS:
        raise BadRequestError("request.too_long", field="q", max=MAX_QUERY_CHARS)
    limit = parse_int(request.args.get("limit"), "limit", default=10, lo=1, hi=MAX_SEARCH_RESULTS)
    results = resources.layers().search.search(q, limit=limit)
    return jsonify({"query": q, "count": len(results), "results": results})
