"""Map-layer and search endpoints (``/api``): parse the request, ask :mod:`geo`, return JSON.

* ``GET /api/layers`` — the layers and their sizes.
* ``GET /api/layers/<name>?bbox=minlon,minlat,maxlon,maxlat&limit=N[&profile=P][&unlocated=1]`` —
  GeoJSON of ``buildings``, ``network``, ``services``, ``flats``, ``stops`` or ``barriers``.
* ``GET /api/search?q=TEXT[&limit=N]`` — addresses, places, streets and layer records.

Bad input is a 400 ``{"error": "bad_request", "message": …}`` (a :class:`~geo.errors.BadRequestError`).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from geo.errors import BadRequestError
from geo.layers.query import LAYERS, feature_collection, parse_bbox, parse_limit
from webmap import layers_state
from webmap.layers_state import current_layers

bp = Blueprint("layers_api", __name__, url_prefix="/api")
bp.record_once(lambda state: layers_state.init_app(state.app))

MAX_QUERY_CHARS = 200
MAX_SEARCH_RESULTS = 50


@bp.get("/layers")
def layers_index() -> ResponseReturnValue:
    """The layers with their feature counts."""
    return jsonify({"layers": current_layers().summary()})


@bp.get("/layers/<name>")
def layer(name: str) -> ResponseReturnValue:
    """GeoJSON of one layer in a bbox, capped at ``limit`` with a ``truncated`` flag."""
    if name not in LAYERS:
        msg = f"unknown layer {name!r}; choose one of {', '.join(LAYERS)}"
        raise BadRequestError(msg, field="layer")
    bbox = parse_bbox(request.args.get("bbox"))
    limit = parse_limit(request.args.get("limit"))
    unlocated = request.args.get("unlocated", "").lower() in ("1", "true", "yes")
    result = current_layers().query(name, bbox, limit=limit, profile=request.args.get("profile"),
                                    include_unlocated=unlocated)
    return jsonify(feature_collection(result))


@bp.get("/search")
def search() -> ResponseReturnValue:
    """Diacritics- and case-insensitive prefix search, best matches first."""
    q = request.args.get("q", "").strip()
    if not q:
        msg = "q (the text to search for) is required"
        raise BadRequestError(msg, field="q")
    if len(q) > MAX_QUERY_CHARS:
        msg = f"q is longer than {MAX_QUERY_CHARS} characters"
        raise BadRequestError(msg, field="q")
    limit = parse_limit(request.args.get("limit") or "10")
    results = current_layers().search.search(q, limit=min(limit, MAX_SEARCH_RESULTS))
    return jsonify({"query": q, "count": len(results), "results": results})
