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

from geo.network.model import Network
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
    e = p.edges
    crossing_way = net.edge_col("is_crossing")[p.eid].astype(bool)
    way_ids = net.edge_col("osm_way_id")[p.eid].tolist()
    seen: dict[Any, int] = {}
    unknown: dict[Any, int] = {}
    for i, (is_cross, on_way, head, kerb_known) in enumerate(zip(
            e.is_crossing.tolist(), crossing_way.tolist(), p.reaches_head.tolist(), e.kerb_known.tolist(),
            strict=True)):
        if not (on_way or (is_cross and head)):
            continue
        key = ("way", way_ids[i]) if on_way else ("node", int(e.dst[i]))
        seen.setdefault(key, i)
        if not kerb_known:
            unknown.setdefault(key, i)
    out = []
    if unknown:
        idx = np.array(list(unknown.values()))
        places = _points(p.end[idx])
        out.append(RouteWarning("kerb_unknown", len(idx), None, places, [{"place": pl} for pl in places]))
    if seen:
        out.append(RouteWarning("crossings", len(seen), float(len(seen))))
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
