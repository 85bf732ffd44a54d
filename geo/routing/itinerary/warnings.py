"""Route warnings as codes and values, one per kind: "7 crossings with unknown kerb height" is one
warning with a count, its places and per-place details — never seven lines.

Codes: ``kerb``, ``kerb_unknown``, ``steps``, ``elevator``, ``barrier``, ``steep``, ``unknown_surface``,
``unknown_incline``, ``unknown_width``, ``unknown_kerb``, ``crossings``, ``rough_surface``, ``report``
(confirmed reports on the route), ``moved_from`` / ``moved_to`` (an end snapped past a nearer path that leads
nowhere for the profile); :mod:`geo.reports.placement` adds ``report_nearby``. Texts come
from the catalogue (``route.warning.<code>``), see :mod:`geo.routing.itinerary.text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from geo.network.attributes import SURFACE_CLASSES, SURFACE_VALUES
from geo.network.model import Network
from geo.routing.itinerary.checks import kerb_points
from geo.routing.itinerary.metrics import Metrics
from geo.routing.itinerary.pieces import Pieces
from geo.routing.overlay import Overlay
from geo.routing.profiles import Profile
from geo.routing.router import Route

#: A stretch steeper than this (either way) is a ``steep`` warning (percent).
STEEP_PCT = 5.0
#: Unknown attributes shorter than this are not worth a warning (metres).
MIN_UNKNOWN_M = 1.0
#: Setts shorter than this are not worth a warning (metres).
MIN_ROUGH_M = 10.0
#: Unpaved stretches shorter than this are not worth a warning (metres).
MIN_UNPAVED_M = 10.0
#: Places marked ``wheelchair=no`` this close to the destination are named in a warning (metres).
DESTINATION_RADIUS_M = 20.0
_UNPAVED = np.array([SURFACE_CLASSES.index("unpaved_compact"), SURFACE_CLASSES.index("unpaved_loose")])
_SURFACE_NAMES = np.array(SURFACE_VALUES, dtype=object)


@dataclass
class RouteWarning:
    """One kind of problem on a route: how many, the headline value, where, and per-place details."""

    code: str
    count: int = 1
    value: float | None = None
    places: list[list[float]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)


def _points(xy: np.ndarray) -> list[list[float]]:
    return np.round(xy, 7).tolist()


def _at_heads(p: Pieces, mask: np.ndarray, code: str, values: np.ndarray | None = None,
              item_key: str = "value") -> list[RouteWarning]:
    """One warning for the pieces of ``mask`` (their end points), headline = the largest value."""
    idx = np.flatnonzero(mask)
    if len(idx) == 0:
        return []
    places = _points(p.end[idx])
    if values is None:
        return [RouteWarning(code, len(idx), None, places, [{"place": pl} for pl in places])]
    vals = values[idx]
    items = [{item_key: v, "place": pl} for v, pl in zip(vals.tolist(), places, strict=True)]
    headline = float(np.max(vals)) if np.issubdtype(vals.dtype, np.number) else None
    return [RouteWarning(code, len(idx), headline, places, items)]


def _kerbs(p: Pieces) -> list[RouteWarning]:
    kerb = p.edges.kerb_cm.astype(float)
    with np.errstate(invalid="ignore"):
        return _at_heads(p, p.reaches_head & (kerb > 0), "kerb", np.round(kerb, 1))


def _crossings(p: Pieces, net: Network) -> list[RouteWarning]:
    """Crossings passed (each crossing way or crossing node once) and those of them with an unknown kerb."""
    crossings = [pt for pt in kerb_points(p, net).values() if pt.crossing]
    out = []
    unknown = np.array([pt.first for pt in crossings if not pt.known], dtype=np.int64)
    if len(unknown):
        places = _points(p.end[unknown])
        out.append(RouteWarning("kerb_unknown", len(unknown), None, places, [{"place": pl} for pl in places]))
    if crossings:
        out.append(RouteWarning("crossings", len(crossings), float(len(crossings))))
    return out


def _runs(mask: np.ndarray, key: np.ndarray) -> list[np.ndarray]:
    """Runs of consecutive pieces of ``mask`` with the same ``key``."""
    idx = np.flatnonzero(mask)
    if len(idx) == 0:
        return []
    breaks = np.flatnonzero((np.diff(idx) != 1) | (key[idx][1:] != key[idx][:-1])) + 1
    return np.split(idx, breaks)


def _steps(p: Pieces, net: Network) -> list[RouteWarning]:
    e = p.edges
    flights = _runs(e.is_steps, net.edge_col("osm_way_id")[p.eid])
    if not flights:
        return []
    items = []
    for run in flights:
        n = e.step_count[run]
        known_n = n[~np.isnan(n)]
        items.append({"steps": int(known_n.max()) if len(known_n) else None,
                      "ramp": bool(e.ramp_wheelchair[run].any() or e.ramp_stroller[run].any()),
                      "place": _points(p.start[run[:1]])[0]})
    counted = [it["steps"] for it in items if it["steps"] is not None]
    return [RouteWarning("steps", len(items), float(sum(counted)) if counted else None,
                    [it["place"] for it in items], items)]


def _steep(p: Pieces) -> list[RouteWarning]:
    e = p.edges
    up = np.nan_to_num(e.up_pct.astype(float), nan=0.0)
    down = np.nan_to_num(e.down_pct.astype(float), nan=0.0)
    grade = np.where(up >= down, up, -down)
    steep = (up > STEEP_PCT) | (down > STEEP_PCT)
    stretches = _runs(steep, np.sign(grade))
    if not stretches:
        return []
    items = []
    for run in stretches:
        j = run[np.argmax(np.abs(grade[run]))]
        items.append({"grade_pct": round(float(grade[j]), 1), "length_m": round(float(p.length_m[run].sum()), 1),
                      "place": _points(p.start[run[:1]])[0]})
    worst = max(items, key=lambda it: abs(it["grade_pct"]))
    w = RouteWarning("steep", len(items), worst["grade_pct"], [it["place"] for it in items], items)
    return [w]


def _barriers(p: Pieces, net: Network) -> list[RouteWarning]:
    values = np.array([v if isinstance(v, str) and v else "yes" for v in net.node_col("barrier")[p.edges.dst]],
                      dtype=object)
    return _at_heads(p, p.reaches_head & (p.edges.barrier_class > 0), "barrier", values, item_key="barrier")


def _stretches(p: Pieces, mask: np.ndarray, code: str, minimum_m: float,
               item: Any = None) -> list[RouteWarning]:
    """One warning for the runs of consecutive pieces of ``mask`` (their length and where each starts)."""
    runs = _runs(mask, np.zeros(len(p), np.int8))
    total = float(sum(p.length_m[r].sum() for r in runs))
    if not runs or total < minimum_m:
        return []
    items = [{"length_m": round(float(p.length_m[r].sum()), 1), "place": _points(p.start[r[:1]])[0],
              **(item(r) if item else {})} for r in runs]
    return [RouteWarning(code, len(runs), round(total, 1), [it["place"] for it in items], items)]


def _unpaved(p: Pieces) -> list[RouteWarning]:
    """Unpaved surfaces (compacted or loose), with the OSM surface values met on each stretch."""
    e = p.edges
    return _stretches(p, np.isin(e.surface_class, _UNPAVED), "unpaved", MIN_UNPAVED_M,
                      lambda r: {"surfaces": list(dict.fromkeys(_SURFACE_NAMES[e.surface_code[r]].tolist()))})


def _reports(p: Pieces, overlay: Overlay | None, profile: Profile) -> list[RouteWarning]:
    if overlay is None:
        return []
    labels = overlay.entries_on(p.k, profile)
    if not labels:
        return []
    items = [{"report_id": lb.get("id"), "category": lb.get("category"), "severity": lb.get("severity"),
              "place": [round(float(c), 7) for c in lb["location"]] if lb.get("location") else None}
             for lb in labels]
    return [RouteWarning("report", len(items), None, [it["place"] for it in items if it["place"]], items)]


def route_warnings(p: Pieces, m: Metrics, net: Network, profile: Profile,
                   overlay: Overlay | None) -> list[RouteWarning]:
    """Every warning of a route, in a fixed order of kinds."""
    out = [*_kerbs(p), *_crossings(p, net), *_steps(p, net),
           *_at_heads(p, p.edges.is_elevator & p.reaches_head, "elevator"), *_barriers(p, net), *_steep(p)]
    crossings = [w for w in out if w.code == "crossings"]
    out = [w for w in out if w.code != "crossings"]
    for attr, metres in m.unknown_m.items():
        if metres >= MIN_UNKNOWN_M:
            out.append(RouteWarning(f"unknown_{attr}", 1, round(metres, 1)))
    out += crossings
    rough = m.surfaces.get("paved_rough", 0.0)
    if rough >= MIN_ROUGH_M:
        out.append(RouteWarning("rough_surface", 1, round(rough, 1)))
    out += _unpaved(p)
    out += _stretches(p, p.edges.wheelchair == 0, "wheelchair_no", 0.0)
    return out + _reports(p, overlay, profile)


def moved_ends(route: Route) -> list[RouteWarning]:
    """An end of the route that starts or ends farther from its point than the nearest path, and why (the nearer
    path is cut off from the network, or the profile cannot use it or get anywhere on it)."""
    out = []
    for code, anchor in (("moved_from", route.origin), ("moved_to", route.destination)):
        if anchor.moved is not None:
            place = [round(anchor.snap.lon, 7), round(anchor.snap.lat, 7)]
            out.append(RouteWarning(code, 1, round(anchor.snap.distance_m, 1), [place], [{
                "reason": anchor.moved, "distance_m": round(anchor.snap.distance_m, 1),
                "nearest_m": round(anchor.nearest_m, 1), "place": place}]))
    return out


def _near(lon: np.ndarray, lat: np.ndarray, at: tuple[float, float], radius_m: float) -> np.ndarray:
    """Which lon/lat points lie within ``radius_m`` of ``at`` (an equirectangular distance: fine at this range)."""
    dx = (lon - at[0]) * 111_320.0 * np.cos(np.radians(at[1]))
    dy = (lat - at[1]) * 111_320.0
    return np.hypot(dx, dy) <= radius_m


def destination_access(route: Route, net: Network) -> list[RouteWarning]:
    """Places marked ``wheelchair=no`` at the destination — an entrance, a POI, a node of the network — for a
    profile with wheels (a wheelchair or a pram)."""
    if route.profile.vehicle_ramp is None:
        return []
    at = (route.destination.snap.lon, route.destination.snap.lat)
    items: list[dict[str, Any]] = []
    nodes = net.node_col("node_wheelchair") == 0
    if nodes.any():
        idx = np.flatnonzero(nodes)
        lon, lat = net.node_col("lon")[idx].astype(float), net.node_col("lat")[idx].astype(float)
        entrance = net.node_col("entrance")[idx]
        for k in np.flatnonzero(_near(lon, lat, at, DESTINATION_RADIUS_M)):
            items.append({"name": None, "kind": "entrance" if isinstance(entrance[k], str) else "place",
                          "place": [round(float(lon[k]), 7), round(float(lat[k]), 7)]})
    pois = net.pois
    if "wheelchair" in pois and len(pois):
        marked = pois[pois["wheelchair"].astype(str).str.lower().eq("no").to_numpy()]
        if len(marked):
            pts = marked.geometry.representative_point()
            close = _near(pts.x.to_numpy(), pts.y.to_numpy(), at, DESTINATION_RADIUS_M)
            for (_, row), pt in zip(marked[close].iterrows(), pts[close], strict=True):
                name = row.get("name")
                items.append({"name": name if isinstance(name, str) else None,
                              "kind": "entrance" if isinstance(row.get("entrance"), str) else "place",
                              "place": [round(pt.x, 7), round(pt.y, 7)]})
    items = list({tuple(it["place"]): it for it in items}.values())  # a POI on a node: once, as the POI
    if not items:
        return []
    return [RouteWarning("destination_wheelchair_no", len(items), None, [it["place"] for it in items], items)]
