"""The JSON API (``/api``): views parse, call :mod:`geo`, and serialise."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely
from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from geo.reports.overlay import add_nearby_reports
from geo.routing.itinerary import route_geojson
from geo.routing.profiles import PROFILES
from geo.routing.router import isochrone_polygon
from webmap.params import IsochroneQuery, NearestQuery, parse_latlon, profile_from_args
from webmap.reporting import current_reports_view
from webmap.state import current_network, current_overlay, current_router, current_services

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/info")
def info() -> ResponseReturnValue:
    """Counts, provenance and attribute coverage of the loaded network."""
    net = current_network()
    return jsonify({**net.summary(), "coverage": net.coverage(),
                    "parse_report": net.meta.get("parse_report", {})})


@bp.get("/profiles")
def profiles() -> ResponseReturnValue:
    """The routing profiles with their default limits."""
    return jsonify({name: p.to_dict() for name, p in PROFILES.items()})


@bp.get("/route")
def route() -> ResponseReturnValue:
    """Barrier-free route: ``from=LAT,LON&to=LAT,LON&profile=NAME[&limits…]``."""
    origin = parse_latlon(request.args.get("from"), "from")
    destination = parse_latlon(request.args.get("to"), "to")
    profile = profile_from_args(request.args)
    reports = current_reports_view()
    result = current_router().route(origin, destination, profile, reports.overlay)
    body = route_geojson(result, current_network(), reports.overlay)
    add_nearby_reports(body, reports, current_network(), profile.name,
                       max_distance_m=current_app.config["REPORTS_NEARBY_M"])
    return jsonify(body)


def _service_feature(services: Any, i: int, duration_s: float) -> dict[str, Any]:
    props = {k: v for k, v in services.properties[i].items() if _jsonable(v)}
    reachable = math.isfinite(duration_s)
    props.update(duration_s=round(duration_s, 1) if reachable else None, reachable=reachable)
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [services.lon[i], services.lat[i]]},
            "properties": props}


def _jsonable(v: Any) -> bool:
    if isinstance(v, float):
        return math.isfinite(v)
    return v is None or isinstance(v, (str, int, bool, list, dict))


@bp.get("/isochrone")
def isochrone() -> ResponseReturnValue:
    """Area reachable within ``minutes`` from ``at=LAT,LON``, and the services inside it."""
    at = parse_latlon(request.args.get("at"), "at")
    q = IsochroneQuery.from_args(request.args)
    profile = profile_from_args(request.args)
    limit_s = q.minutes * 60.0
    reach = current_router().reach(at, profile, limit_s=limit_s, overlay=current_overlay())
    area = isochrone_polygon(reach, limit_s)
    services, anchors = current_services()
    inside = []
    for i in range(len(services)):
        t = reach.arrival_s(anchors[i])
        if t <= limit_s:
            inside.append(_service_feature(services, i, t))
    inside.sort(key=lambda f: f["properties"]["duration_s"])
    area_feature = {"type": "Feature", "geometry": shapely.geometry.mapping(area),
                    "properties": {"kind": "isochrone", "profile": profile.name, "minutes": q.minutes,
                                   "origin": {"lon": reach.origin.snap.lon, "lat": reach.origin.snap.lat},
                                   "services": len(inside)}}
    return jsonify({"type": "FeatureCollection", "features": [area_feature, *inside]})


@bp.get("/services/nearest")
def nearest_services() -> ResponseReturnValue:
    """The ``limit`` services nearest to ``at`` by barrier-free travel time (one search)."""
    at = parse_latlon(request.args.get("at"), "at")
    q = NearestQuery.from_args(request.args)
    profile = profile_from_args(request.args)
    services, anchors = current_services()
    chosen = services.select(q.category)
    reach = current_router().reach(at, profile, limit_s=q.max_minutes * 60.0, overlay=current_overlay())
    times = np.array([reach.arrival_s(anchors[i]) for i in chosen]) if len(chosen) else np.zeros(0)
    order = np.argsort(times, kind="stable")[: q.limit]
    feats = [_service_feature(services, int(chosen[j]), float(times[j])) for j in order]
    return jsonify({"type": "FeatureCollection", "features": feats,
                    "properties": {"profile": profile.name, "category": q.category,
                                   "origin": {"lon": reach.origin.snap.lon, "lat": reach.origin.snap.lat},
                                   "searched_nodes": reach.searched}})
