"""The routing API (``/api``): views parse, call :mod:`geo`, and serialise.

* ``GET /api/info`` — counts, provenance and attribute coverage of the loaded network;
* ``GET /api/profiles`` — the routing profiles and their default limits;
* ``GET /api/route`` — the barrier-free route as GeoJSON with every property;
* ``GET /api/isochrone`` — the area reachable in N minutes and the services inside it;
* ``GET /api/services/nearest`` — the K services nearest by barrier-free travel time (``wheelchair=yes,limited``:
  only those whose wheelchair access is one of these).
"""

from __future__ import annotations

import math
from pathlib import PurePath
from typing import Any

import shapely.geometry
from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from geo import i18n
from geo.reports.placement import nearby_warning
from geo.routing.isochrone import isochrone_polygon, reach
from geo.routing.itinerary import describe
from geo.routing.profiles import PROFILES
from geo.routing.targets import Targets, nearest, reachable
from webmap import resources
from webmap.i18n import api_lang
from webmap.openapi import AnyObject, FeatureCollection, IsochroneParams, NearestParams, RouteParams, doc, errors
from webmap.params import IsochroneQuery, NearestQuery, parse_latlon, profile_from_args

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/info")
@doc(tags=("network",), resp={"HTTP_200": AnyObject})
def info() -> ResponseReturnValue:
    """Counts, provenance and attribute coverage of the loaded network (no server paths): ``coverage`` with the
    attribute values citizens verified, ``coverage_osm`` from OpenStreetMap alone."""
    net = resources.network()
    return jsonify({**public_summary(net.summary()), "coverage": net.coverage(resources.overlay().arrays(net.arrays)),
                    "coverage_osm": net.coverage(), "connectivity": net.connectivity(),
                    "parse_report": net.meta.get("parse_report", {})})


def public_summary(summary: dict[str, Any]) -> dict[str, Any]:
    """A network summary without server paths: a file source and the DEM by file name only."""
    out = dict(summary)
    if out.get("source") in ("file", "sample") and out.get("location"):
        out["location"] = PurePath(str(out["location"])).name
    if out.get("dem"):
        out["dem"] = PurePath(str(out["dem"]).split(":")[-1]).name
    return out


@bp.get("/profiles")
@doc(tags=("routing",), resp={"HTTP_200": AnyObject})
def profiles() -> ResponseReturnValue:
    """The routing profiles with their default limits and labels."""
    lang = api_lang()
    return jsonify({name: {**p.to_dict(), "label": i18n.text(f"profile.{name}", lang)} for name, p in PROFILES.items()})


@bp.get("/route")
@doc(tags=("routing",), query=RouteParams, resp={"HTTP_200": FeatureCollection, **errors(400, 404, 422)})
def route() -> ResponseReturnValue:
    """Barrier-free route: ``from=LAT,LON&to=LAT,LON&profile=NAME[&limits…]``."""
    origin = parse_latlon(request.args.get("from"), "from")
    destination = parse_latlon(request.args.get("to"), "to")
    profile = profile_from_args(request.args)
    view = resources.reports_view()
    net = resources.network()
    itinerary = describe(resources.router().route(origin, destination, profile, view.overlay), net, view.overlay)
    near = nearby_warning(itinerary, view, net, max_distance_m=current_app.config["REPORTS_NEARBY_M"])
    if near is not None:
        itinerary.warnings.append(near)
    return jsonify(itinerary.to_geojson(api_lang()))


def _service_feature(targets: Targets, i: int, duration_s: float) -> dict[str, Any]:
    props = {k: v for k, v in targets.properties[i].items() if _jsonable(v)}
    ok = math.isfinite(duration_s)
    props.update(duration_s=round(duration_s, 1) if ok else None, reachable=ok)
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [targets.lon[i], targets.lat[i]]},
            "properties": props}


def _jsonable(v: Any) -> bool:
    if isinstance(v, float):
        return math.isfinite(v)
    return v is None or isinstance(v, (str, int, bool, list, dict))


def _origin(r: Any) -> dict[str, float]:
    return {"lon": r.origin.snap.lon, "lat": r.origin.snap.lat}


@bp.get("/isochrone")
@doc(tags=("routing",), query=IsochroneParams, resp={"HTTP_200": FeatureCollection, **errors(400, 422)})
def isochrone() -> ResponseReturnValue:
    """Area reachable within ``minutes`` from ``at=LAT,LON``, and the services inside it."""
    at = parse_latlon(request.args.get("at"), "at")
    q = IsochroneQuery.from_args(request.args)
    profile = profile_from_args(request.args)
    limit_s = q.minutes * 60.0
    r = reach(resources.router(), at, profile, limit_s=limit_s, overlay=resources.overlay())
    targets = resources.service_targets()
    inside = [_service_feature(targets, i, t) for i, t in reachable(r, targets, limit_s)]
    area = {"type": "Feature", "geometry": shapely.geometry.mapping(isochrone_polygon(r, limit_s)),
            "properties": {"kind": "isochrone", "profile": profile.name, "minutes": q.minutes,
                           "origin": _origin(r), "services": len(inside)}}
    return jsonify({"type": "FeatureCollection", "features": [area, *inside]})


@bp.get("/services/nearest")
@doc(tags=("routing",), query=NearestParams, resp={"HTTP_200": FeatureCollection, **errors(400, 422)})
def nearest_services() -> ResponseReturnValue:
    """The ``limit`` services nearest to ``at`` by barrier-free travel time (one search)."""
    at = parse_latlon(request.args.get("at"), "at")
    q = NearestQuery.from_args(request.args)
    profile = profile_from_args(request.args)
    r = reach(resources.router(), at, profile, limit_s=q.max_minutes * 60.0, overlay=resources.overlay())
    targets = resources.service_targets()
    feats = [_service_feature(targets, i, t)
             for i, t in nearest(r, targets, category=q.category, k=q.limit, wheelchair=q.wheelchair)]
    return jsonify({"type": "FeatureCollection", "features": feats,
                    "properties": {"profile": profile.name, "category": q.category, "origin": _origin(r),
                                   "wheelchair": list(q.wheelchair) if q.wheelchair else None,
                                   "searched_nodes": r.searched}})
