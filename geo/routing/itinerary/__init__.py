"""A computed route described for people: figures, warnings, elevation profile, directions, segments.

:func:`describe` builds an :class:`Itinerary` from a :class:`~geo.routing.router.Route` in array
operations (:mod:`.pieces`, :mod:`.metrics`, :mod:`.warnings`, :mod:`.directions`, :mod:`.segments`);
warnings and directions are codes and values until :meth:`Itinerary.to_geojson` renders them in
one language (:mod:`.text`). Other packages may add warnings before rendering (confirmed reports
near the route come from :mod:`geo.reports.placement`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from geo.network.model import Network
from geo.routing.itinerary.checks import LimitCheck, limit_checks
from geo.routing.itinerary.directions import Direction, directions
from geo.routing.itinerary.metrics import Metrics, elevation_profile, height_line, metrics
from geo.routing.itinerary.pieces import Pieces, pieces_of
from geo.routing.itinerary.segments import segments
from geo.routing.itinerary.text import check_text, direction_text, warning_text
from geo.routing.itinerary.warnings import RouteWarning, destination_access, moved_ends, route_warnings
from geo.routing.overlay import Overlay
from geo.routing.profiles import LIMITS, Profile
from geo.routing.router import Route

__all__ = ["Itinerary", "RouteWarning", "describe", "route_geojson"]


@dataclass
class Itinerary:
    """Everything said about one route, before it is put into words."""

    route: Route
    pieces: Pieces
    metrics: Metrics
    warnings: list[RouteWarning]
    directions: list[Direction]
    segments: list[dict[str, Any]]
    elevation_profile: list[list[float | None]]
    has_elevation: bool
    checks: list[LimitCheck]

    @property
    def profile(self) -> Profile:
        """The profile the route was computed for."""
        return self.route.profile

    @property
    def line(self) -> np.ndarray:
        """The route line, lon/lat."""
        return self.pieces.line

    def properties(self, lang: str | None) -> dict[str, Any]:
        """The route feature's properties, texts in ``lang``."""
        m, p, r = self.metrics, self.profile, self.route
        return {
            "kind": "route",
            "profile": p.name,
            "length_m": round(m.length_m, 1),
            "duration_s": round(r.duration_s, 1),
            "climb_m": round(m.climb_m, 1),
            "descent_m": round(m.descent_m, 1),
            "max_incline_pct": None if m.max_incline_pct is None else round(m.max_incline_pct, 1),
            "max_decline_pct": None if m.max_decline_pct is None else round(m.max_decline_pct, 1),
            "verified_share": round(m.verified_share, 3),
            "surfaces": {k: round(v, 1) for k, v in m.surfaces.items()},
            "warnings": [_warning_json(w, lang) for w in self.warnings],
            "checks": [{**c.to_dict(), "message": check_text(c, lang)} for c in self.checks],
            "elevation_profile": self.elevation_profile,
            "elevation_source": "dem" if self.has_elevation else None,
            "directions": [_direction_json(d, lang) for d in self.directions],
            "segments": self.segments,
            "snapped": {"origin": _snapped(r.origin.snap), "destination": _snapped(r.destination.snap)},
            "limits": {**{lim.field: _finite(getattr(p, lim.field)) for lim in LIMITS},
                       "avoid_unknown": p.avoid_unknown, "steps": p.steps},
        }

    def to_geojson(self, lang: str | None = None) -> dict[str, Any]:
        """A FeatureCollection: the route LineString with every property, then a Point per place of a warning
        (with that place's details, e.g. the kerb height or the report id)."""
        props = self.properties(lang)
        features = [{"type": "Feature", "geometry": {"type": "LineString", "coordinates": np.round(
            self.line, 7).tolist()}, "properties": props}]
        for w in props["warnings"]:
            base = {"kind": "warning", "type": w["type"], "message": w["message"]}
            for item in w["items"]:
                if item.get("place"):
                    details = {k: v for k, v in item.items() if k != "place"}
                    features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": item["place"]},
                                     "properties": {**base, **details}})
        return {"type": "FeatureCollection", "features": features}


def _finite(x: float) -> float | None:
    return None if math.isinf(x) else x


def _snapped(s: Any) -> dict[str, float]:
    return {"lon": round(s.lon, 7), "lat": round(s.lat, 7), "distance_m": round(s.distance_m, 1)}


def _warning_json(w: RouteWarning, lang: str | None) -> dict[str, Any]:
    return {"type": w.code, "count": w.count, "value": w.value, "message": warning_text(w, lang),
            "location": w.places[0] if w.places else None, "places": w.places, "items": w.items}


def _direction_json(d: Direction, lang: str | None) -> dict[str, Any]:
    return {"maneuver": d.maneuver, "kind": d.kind, "street": d.street, "distance_m": d.distance_m,
            "text": direction_text(d, lang), "obstacles": [{"type": c, "value": v} for c, v in d.obstacles],
            "location": d.location}


def describe(route: Route, net: Network, overlay: Overlay | None = None) -> Itinerary:
    """Everything about a route, as data (no text yet); attributes as the overlay has them."""
    p = pieces_of(route, net, overlay.arrays(net.arrays) if overlay is not None else None)
    line = height_line(p, net)
    m = metrics(p, line)
    return Itinerary(
        route=route, pieces=p, metrics=m,
        warnings=[*moved_ends(route), *route_warnings(p, m, net, route.profile, overlay),
                  *destination_access(route, net)],
        checks=limit_checks(p, net, route.profile),
        directions=directions(p, net), segments=segments(p, net), elevation_profile=elevation_profile(p, line),
        has_elevation=bool(np.isfinite(np.asarray(net.node_col("elevation_m"), dtype=float)).any()),
    )


def route_geojson(route: Route, net: Network, overlay: Overlay | None = None, *, lang: str | None = None
                  ) -> dict[str, Any]:
    """The route as a GeoJSON FeatureCollection with texts in ``lang`` (Czech by default)."""
    return describe(route, net, overlay).to_geojson(lang)
