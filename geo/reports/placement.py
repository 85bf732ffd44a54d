"""Confirmed barrier reports → a routing :class:`~geo.routing.overlay.Overlay` (with the verified attribute
values of :mod:`geo.reports.audit_overlay` laid in, so one overlay carries everything the database knows).

Snapping: a report takes effect on the nearest edge within :data:`SNAP_TOLERANCE_M` (30 m — a
phone's GPS error plus the width of a street); farther reports change no route (they still show
as warnings near routes). When the snapped point lies within :data:`NODE_RADIUS_M` (3 m) of an
edge end, the report is *at the node*: it applies to every directed edge entering that node (so a
barrier at a junction is met once by any route through it). Otherwise it applies to both
directions of the edge. A ``broken_lift`` report snaps to the nearest lift (``highway=elevator``
way or node) within the tolerance and blocks it for every profile. What a report does per
category, severity and profile is the table in :mod:`geo.reports.model`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import numpy as np
import shapely

from geo.network.model import Network
from geo.reports.audit_model import Verdict
from geo.reports.audit_overlay import verdict_patches
from geo.reports.model import Effect, Report, effect
from geo.routing.itinerary import Itinerary, RouteWarning
from geo.routing.overlay import EMPTY_OVERLAY, PROFILE_BITS, Overlay
from geo.routing.profiles import PROFILES

#: How far a report may lie from the network and still change routes (metres).
SNAP_TOLERANCE_M = 30.0
#: A snapped point this close to an edge end counts as a report at that node (metres).
NODE_RADIUS_M = 3.0
#: Reports within this distance of a route line are listed with the route (metres).
NEARBY_M = 25.0

_versions = itertools.count(1)  # overlay versions are unique within the process (router cache keys)


@dataclass(frozen=True)
class Placement:
    """Where a report acts: the directed edges it applies to, and whether it is on a lift."""

    directed_edges: np.ndarray
    on_lift: bool
    distance_m: float


@dataclass
class ReportsView:
    """The active reports and verified answers of one database state, the overlay built from them (report
    effects and attribute values), and the reports' positions."""

    overlay: Overlay
    reports: tuple[Report, ...]
    x_m: np.ndarray
    y_m: np.ndarray
    db_version: int
    next_expiry: datetime | None
    placed: dict[int, Placement] = field(default_factory=dict)
    verdicts: tuple[Verdict, ...] = ()


# --------------------------------------------------------------------------- building


def place_reports(net: Network, reports: list[Report] | tuple[Report, ...], *,
                  tolerance_m: float = SNAP_TOLERANCE_M, node_radius_m: float = NODE_RADIUS_M) -> dict[int, Placement]:
    """Report id → where it acts on the network (reports farther than ``tolerance_m`` are left out)."""
    if not reports:
        return {}
    t = net.to_metric
    xs, ys = t.transform(np.array([r.lon for r in reports]), np.array([r.lat for r in reports]))
    pts = shapely.points(xs, ys)
    u = net.edges["u"].to_numpy(np.int64)
    v = net.edges["v"].to_numpy(np.int64)
    lift_edges = np.flatnonzero(net.edges["is_elevator"].to_numpy(bool))
    lift_nodes = np.flatnonzero(net.nodes["is_elevator_node"].to_numpy(bool))
    nx, ny = net.nodes["x_m"].to_numpy(float), net.nodes["y_m"].to_numpy(float)

    out: dict[int, Placement] = {}
    for i, r in enumerate(reports):
        pt = pts[i]
        if r.category == "broken_lift":
            best: tuple[float, str, int] | None = None
            if len(lift_edges):
                d = shapely.distance(net.edges_metric[lift_edges], pt)
                j = int(np.argmin(d))
                best = (float(d[j]), "edge", int(lift_edges[j]))
            if len(lift_nodes):
                d = np.hypot(nx[lift_nodes] - xs[i], ny[lift_nodes] - ys[i])
                j = int(np.argmin(d))
                if best is None or d[j] < best[0]:
                    best = (float(d[j]), "node", int(lift_nodes[j]))
            if best is not None and best[0] <= tolerance_m:
                dist, kind, k = best
                edges = net.entering(k) if kind == "node" else np.array(net.directed(k))
                out[r.id] = Placement(edges, on_lift=True, distance_m=dist)
                continue
        hits, dists = net.tree.query_nearest(pt, max_distance=tolerance_m, return_distance=True)
        if len(hits) == 0:
            continue
        e = int(hits[int(np.argmin(dists))])
        line = net.edges_metric[e]
        along = float(shapely.line_locate_point(line, pt))
        if along <= node_radius_m:
            edges = net.entering(int(u[e]))
        elif line.length - along <= node_radius_m:
            edges = net.entering(int(v[e]))
        else:
            edges = np.array(net.directed(e))
        out[r.id] = Placement(edges, on_lift=False, distance_m=float(np.min(dists)))
    return out


def _label(r: Report) -> dict[str, Any]:
    return {"id": r.id, "category": r.category, "severity": r.severity, "status": r.status,
            "location": (r.lon, r.lat)}


def build_overlay(reports: list[Report] | tuple[Report, ...], placed: dict[int, Placement], *,
                  version: int) -> Overlay:
    """One overlay entry per (directed edge, effect) of every placed report."""
    edges: list[np.ndarray] = []
    blocks: list[bool] = []
    penalty: list[float] = []
    masks: list[int] = []
    labels: list[dict[str, Any]] = []
    for r in reports:
        where = placed.get(r.id)
        if where is None:
            continue
        groups: dict[tuple[bool, float], int] = {}
        for name in PROFILES:
            eff = effect(r.category, r.severity, name)
            if where.on_lift:  # a broken lift is broken for everybody
                eff = Effect(blocks=True)
            if eff is None:
                continue
            key = (eff.blocks, eff.penalty_s)
            groups[key] = groups.get(key, 0) | PROFILE_BITS[name]
        label = _label(r)
        for (blk, pen), mask in groups.items():
            for k in where.directed_edges:
                edges.append(np.int64(k))
                blocks.append(blk)
                penalty.append(pen)
                masks.append(mask)
                labels.append(label)
    if not edges:
        return EMPTY_OVERLAY
    return Overlay(version=version, edges=np.array(edges, np.int64), blocks=np.array(blocks, bool),
                   penalty_s=np.array(penalty, float), profiles=np.array(masks, np.int64), labels=tuple(labels))


def reports_view(net: Network, reports: list[Report], *, db_version: int, now: datetime,
                 tolerance_m: float = SNAP_TOLERANCE_M, node_radius_m: float = NODE_RADIUS_M,
                 verdicts: list[Verdict] | tuple[Verdict, ...] = ()) -> ReportsView:
    """Everything routing needs from the active reports and the verdicts in force of one database state."""
    active = tuple(r for r in reports if r.affects_routing(now))
    placed = place_reports(net, active, tolerance_m=tolerance_m, node_radius_m=node_radius_m)
    version = next(_versions)
    overlay = build_overlay(active, placed, version=version)
    if verdicts:
        overlay = replace(overlay, patches=verdict_patches(net, verdicts, version=version))
    if active:
        xs, ys = net.to_metric.transform(np.array([r.lon for r in active]), np.array([r.lat for r in active]))
    else:
        xs = ys = np.zeros(0)
    expiries = [r.valid_until for r in active if r.valid_until is not None]
    return ReportsView(overlay=overlay, reports=active, x_m=np.asarray(xs, float), y_m=np.asarray(ys, float),
                       db_version=db_version, next_expiry=min(expiries) if expiries else None, placed=placed,
                       verdicts=tuple(verdicts))


# --------------------------------------------------------------------------- nearby reports


def nearby_reports(view: ReportsView, net: Network, line_lonlat: np.ndarray | list[list[float]], profile_name: str,
                   *, max_distance_m: float = NEARBY_M) -> list[tuple[Report, float]]:
    """Active reports within ``max_distance_m`` of a route line that matter for the profile, nearest first."""
    if not view.reports or len(line_lonlat) < 2:
        return []
    xy = np.asarray(line_lonlat, float)
    x, y = net.to_metric.transform(xy[:, 0], xy[:, 1])
    line = shapely.LineString(np.column_stack([x, y]))
    d = shapely.distance(line, shapely.points(view.x_m, view.y_m))
    out = []
    for i in np.argsort(d, kind="stable"):
        r = view.reports[i]
        if d[i] > max_distance_m:
            break
        on_lift = r.id in view.placed and view.placed[r.id].on_lift
        if on_lift or effect(r.category, r.severity, profile_name) is not None:
            out.append((r, float(d[i])))
    return out


def nearby_warning(itinerary: Itinerary, view: ReportsView, net: Network, *,
                   max_distance_m: float = NEARBY_M) -> RouteWarning | None:
    """A ``report_nearby`` warning for the active reports near a route that matter for its profile and
    that its ``report`` warning (reports on the route itself) does not already name."""
    on_route = {it.get("report_id") for w in itinerary.warnings if w.code == "report" for it in w.items}
    near = [(r, d) for r, d in nearby_reports(view, net, itinerary.line, itinerary.profile.name,
                                              max_distance_m=max_distance_m) if r.id not in on_route]
    if not near:
        return None
    items = [{"report_id": r.id, "category": r.category, "severity": r.severity, "distance_m": round(d, 1),
              "place": [round(r.lon, 7), round(r.lat, 7)]} for r, d in near]
    return RouteWarning("report_nearby", len(items), min(it["distance_m"] for it in items),
                   [it["place"] for it in items], items)
