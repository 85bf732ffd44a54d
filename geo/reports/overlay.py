"""Confirmed barrier reports → a routing :class:`~geo.routing.router.Overlay`, kept fresh in every worker.

Snapping: a report takes effect on the nearest edge within :data:`SNAP_TOLERANCE_M` (30 m — a
phone's GPS error plus the width of a street); farther reports change no route (they still show
as warnings near routes). When the snapped point lies within :data:`NODE_RADIUS_M` (3 m) of an
edge end, the report is *at the node*: it applies to every directed edge entering that node (so a
barrier at a junction is met once by any route through it). Otherwise it applies to both
directions of the edge. A ``broken_lift`` report snaps to the nearest lift (``highway=elevator``
way or node) within the tolerance and blocks it for every profile. What a report does per
category, severity and profile is the table in :mod:`geo.reports.model`.

Freshness: :class:`OverlayProvider` checks the database change counter
(``overlay_state.version``, bumped in the same transaction as every status change) at most once
per ``poll_interval_s`` (default 0.5 s) and rebuilds the overlay when it changed, or as soon as
the earliest ``valid_until`` of an active report passes. So a confirmation or a fix reaches
every worker process within about ``poll_interval_s`` plus one rebuild, without a restart.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import shapely

from geo.errors import StorageError
from geo.network.model import Network
from geo.reports.model import CATEGORIES, Effect, Report, effect, utcnow
from geo.reports.store import ReportStore
from geo.routing.profiles import PROFILES
from geo.routing.router import EMPTY_OVERLAY, PROFILE_BITS, Overlay

log = logging.getLogger(__name__)

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
    """The active reports of one database state, the overlay built from them, and their positions."""

    overlay: Overlay
    reports: tuple[Report, ...]
    x_m: np.ndarray
    y_m: np.ndarray
    db_version: int
    next_expiry: datetime | None
    placed: dict[int, Placement] = field(default_factory=dict)


# --------------------------------------------------------------------------- building


def _incoming(net: Network) -> tuple[np.ndarray, np.ndarray]:
    """Directed edges sorted by head node, and the offsets of each node's run."""
    order = np.argsort(net.arrays.dst, kind="stable")
    ptr = np.searchsorted(net.arrays.dst[order], np.arange(net.n_nodes + 1))
    return order, ptr


def _directed_of(net: Network) -> tuple[np.ndarray, np.ndarray]:
    a = net.arrays
    fwd = np.empty(len(net.edges), np.int64)
    back = np.empty(len(net.edges), np.int64)
    fwd[a.edge_id[a.forward]] = np.flatnonzero(a.forward)
    back[a.edge_id[~a.forward]] = np.flatnonzero(~a.forward)
    return fwd, back


def place_reports(net: Network, reports: list[Report] | tuple[Report, ...], *,
                  tolerance_m: float = SNAP_TOLERANCE_M, node_radius_m: float = NODE_RADIUS_M) -> dict[int, Placement]:
    """Report id → where it acts on the network (reports farther than ``tolerance_m`` are left out)."""
    if not reports:
        return {}
    t = net.to_metric
    xs, ys = t.transform(np.array([r.lon for r in reports]), np.array([r.lat for r in reports]))
    pts = shapely.points(xs, ys)
    incoming, in_ptr = _incoming(net)
    fwd_of, back_of = _directed_of(net)
    u = net.edges["u"].to_numpy(np.int64)
    v = net.edges["v"].to_numpy(np.int64)
    lift_edges = np.flatnonzero(net.edges["is_elevator"].to_numpy(bool))
    lift_nodes = np.flatnonzero(net.nodes["is_elevator_node"].to_numpy(bool))
    nx, ny = net.nodes["x_m"].to_numpy(float), net.nodes["y_m"].to_numpy(float)

    def at_node(n: int) -> np.ndarray:
        return incoming[in_ptr[n]:in_ptr[n + 1]].astype(np.int64)

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
                edges = at_node(k) if kind == "node" else np.array([fwd_of[k], back_of[k]])
                out[r.id] = Placement(edges, on_lift=True, distance_m=dist)
                continue
        hits, dists = net.tree.query_nearest(pt, max_distance=tolerance_m, return_distance=True)
        if len(hits) == 0:
            continue
        e = int(hits[int(np.argmin(dists))])
        line = net.edges_metric[e]
        along = float(shapely.line_locate_point(line, pt))
        if along <= node_radius_m:
            edges = at_node(int(u[e]))
        elif line.length - along <= node_radius_m:
            edges = at_node(int(v[e]))
        else:
            edges = np.array([fwd_of[e], back_of[e]])
        out[r.id] = Placement(edges, on_lift=False, distance_m=float(np.min(dists)))
    return out


def _label(r: Report) -> dict[str, Any]:
    cs, en = CATEGORIES.get(r.category, (r.category, r.category))
    return {"id": r.id, "category": r.category, "category_cs": cs, "category_en": en, "severity": r.severity,
            "status": r.status, "location": (r.lon, r.lat)}


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
                 tolerance_m: float = SNAP_TOLERANCE_M, node_radius_m: float = NODE_RADIUS_M) -> ReportsView:
    """Everything routing needs from the active reports of one database state."""
    active = tuple(r for r in reports if r.affects_routing(now))
    placed = place_reports(net, active, tolerance_m=tolerance_m, node_radius_m=node_radius_m)
    overlay = build_overlay(active, placed, version=next(_versions))
    if active:
        xs, ys = net.to_metric.transform(np.array([r.lon for r in active]), np.array([r.lat for r in active]))
    else:
        xs = ys = np.zeros(0)
    expiries = [r.valid_until for r in active if r.valid_until is not None]
    return ReportsView(overlay=overlay, reports=active, x_m=np.asarray(xs, float), y_m=np.asarray(ys, float),
                       db_version=db_version, next_expiry=min(expiries) if expiries else None, placed=placed)


# --------------------------------------------------------------------------- nearby reports


def nearby_reports(view: ReportsView, net: Network, line_lonlat: list[list[float]], profile_name: str, *,
                   max_distance_m: float = NEARBY_M) -> list[tuple[Report, float]]:
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


def add_nearby_reports(route_fc: dict[str, Any], view: ReportsView, net: Network, profile_name: str, *,
                       max_distance_m: float = NEARBY_M) -> None:
    """Add a ``report_nearby`` warning (and a point feature) for each confirmed report near the route
    that the route's own ``report`` warnings do not already mention."""
    props = route_fc["features"][0]["properties"]
    line = route_fc["features"][0]["geometry"]["coordinates"]
    known = {w.get("report_id") for w in props["warnings"] if w.get("type") == "report"}
    for r, dist in nearby_reports(view, net, line, profile_name, max_distance_m=max_distance_m):
        if r.id in known:
            continue
        cs, en = CATEGORIES[r.category]
        m = f"{round(dist):.0f} m"
        w = {"type": "report_nearby", "message": {"cs": f"Nahlášená bariéra u trasy ({m}): {cs.lower()}",
                                                  "en": f"Reported barrier near the route ({m}): {en.lower()}"},
             "location": [round(r.lon, 7), round(r.lat, 7)], "report_id": r.id, "category": r.category,
             "severity": r.severity, "distance_m": round(dist, 1)}
        props["warnings"].append(w)
        route_fc["features"].append({"type": "Feature", "geometry": {"type": "Point", "coordinates": w["location"]},
                                     "properties": {"kind": "warning",
                                                    **{k: v for k, v in w.items() if k != "location"}}})


# --------------------------------------------------------------------------- provider


class OverlayProvider:
    """The current overlay of one process: polls the change counter, rebuilds when it moves.

    ``current()`` costs nothing between polls; a poll is one single-row query; a rebuild (a few
    milliseconds per hundred reports) happens once per change in each process.
    """

    def __init__(self, store: ReportStore, net: Network, *, poll_interval_s: float = 0.5,
                 tolerance_m: float = SNAP_TOLERANCE_M, node_radius_m: float = NODE_RADIUS_M,
                 clock: Callable[[], datetime] = utcnow, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.net = net
        self.poll_interval_s = poll_interval_s
        self.tolerance_m = tolerance_m
        self.node_radius_m = node_radius_m
        self.clock = clock
        self.monotonic = monotonic
        self._view: ReportsView | None = None
        self._checked = -float("inf")
        self._lock = threading.Lock()

    def current(self) -> Overlay:
        """The overlay for routing now."""
        return self.view().overlay

    def view(self) -> ReportsView:
        """The active reports and their overlay, refreshed if the database changed."""
        view = self._view
        if view is not None and not self._due(view):
            return view
        with self._lock:
            view = self._view
            if view is not None and not self._due(view):
                return view
            self._checked = self.monotonic()
            now = self.clock()
            try:
                # the counter is read before the reports: a change in between only causes one more rebuild
                db_version = self.store.overlay_version()
                if view is not None and db_version == view.db_version and not self._expired(view):
                    return view
                reports = self.store.active_reports(now)
            except StorageError as exc:  # keep routing on the last known reports while the database is away
                log.warning("report overlay not refreshed: %s", exc.message)
                db_version = view.db_version if view is not None else -1
                reports = list(view.reports) if view is not None else []
            view = reports_view(self.net, reports, db_version=db_version, now=now,
                                tolerance_m=self.tolerance_m, node_radius_m=self.node_radius_m)
            log.info("report overlay rebuilt: %d active reports, %d placed, %d entries (db version %d)",
                     len(view.reports), len(view.placed), len(view.overlay.edges), db_version)
            self._view = view
            return view

    def _due(self, view: ReportsView) -> bool:
        return self.monotonic() - self._checked >= self.poll_interval_s or self._expired(view)

    def _expired(self, view: ReportsView) -> bool:
        return view.next_expiry is not None and self.clock() >= view.next_expiry
