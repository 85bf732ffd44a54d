"""Barrier-free routing on the CSR arrays: routes, isochrones and nearest reachable targets.

A route is a compiled A* (:mod:`geo.routing.astar`) over a per-request cost array from
:func:`geo.routing.profiles.edge_cost_s` that stops as soon as the destination is settled; one-to-many
questions (isochrones, nearest services) use ``scipy.sparse.csgraph.dijkstra`` with a time limit.
Cost arrays of the built-in profiles are cached; a per-request profile reuses the cached
limit-independent part and only adds its limit checks.

Points snap onto the nearest edge the profile can use (split at the projected point, not the
nearest node): the origin becomes an extra graph node with two partial edges, the destination is
reached through the partial edges from its edge's two ends.
"""

from __future__ import annotations

import itertools
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import shapely
import shapely.geometry
import shapely.ops
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from geo.errors import NoRouteError
from geo.network.model import Network, Snap
from geo.routing.astar import astar
from geo.routing.profiles import (
    LIMIT_RANGES,
    PROFILES,
    Profile,
    base_cost_s,
    blocked_reasons,
    edge_cost_s,
    limit_blocked,
)

#: Maximum distance from a point to the network (metres).
MAX_SNAP_M = 300.0
#: How much farther than the nearest edge a usable edge may be to be preferred (metres).
SNAP_TOLERANCE_M = 25.0


# --------------------------------------------------------------------------- overlay (reports)


@dataclass(frozen=True)
class Overlay:
    """Changes to edge costs from outside the OSM data (confirmed barrier reports).

    One entry per (directed edge, effect): ``blocks`` makes the edge impassable, otherwise
    ``penalty_s`` is added; ``profiles`` is a bit mask over :data:`PROFILE_BITS` (which
    profiles the entry affects). ``version`` changes whenever the entries do.
    """

    version: int = 0
    edges: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    blocks: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    penalty_s: np.ndarray = field(default_factory=lambda: np.zeros(0, float))
    profiles: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    labels: tuple[dict[str, Any], ...] = ()

    def apply(self, cost: np.ndarray, profile: Profile) -> np.ndarray:
        """Cost array with the entries that affect ``profile`` applied (a copy when changed)."""
        if len(self.edges) == 0:
            return cost
        hit = (self.profiles & PROFILE_BITS.get(profile.name, 0)) != 0
        if not hit.any():
            return cost
        out = cost.copy()
        np.add.at(out, self.edges[hit & ~self.blocks], self.penalty_s[hit & ~self.blocks])
        out[self.edges[hit & self.blocks]] = np.inf
        return out

    def apply_at(self, edges: np.ndarray, cost: np.ndarray, profile: Profile) -> np.ndarray:
        """Like :meth:`apply`, for the costs of the listed directed edges only."""
        if len(self.edges) == 0:
            return cost
        out = cost.copy()
        hit = (self.profiles & PROFILE_BITS.get(profile.name, 0)) != 0
        for i, k in enumerate(edges):
            on = hit & (self.edges == k)
            if on.any():
                out[i] = np.inf if self.blocks[on].any() else out[i] + float(self.penalty_s[on].sum())
        return out

    def entries_on(self, directed_edges: np.ndarray, profile: Profile) -> list[dict[str, Any]]:
        """Labels of the entries that lie on the given directed edges and affect ``profile``."""
        if len(self.edges) == 0:
            return []
        hit = np.isin(self.edges, directed_edges) & ((self.profiles & PROFILE_BITS.get(profile.name, 0)) != 0)
        seen: dict[Any, dict[str, Any]] = {}
        for i in np.flatnonzero(hit):
            label = self.labels[i] if i < len(self.labels) else {}
            seen.setdefault(label.get("id", i), label)
        return list(seen.values())


#: Bit of each built-in profile in :attr:`Overlay.profiles`.
PROFILE_BITS: dict[str, int] = {name: 1 << i for i, name in enumerate(PROFILES)}
EMPTY_OVERLAY = Overlay()


# --------------------------------------------------------------------------- results


@dataclass
class Anchor:
    """A point snapped onto an undirected edge, with that edge's two directed edges."""

    snap: Snap
    u: int
    v: int
    fwd: int
    back: int

    @property
    def f(self) -> float:
        """Fraction along the edge from ``u``."""
        return self.snap.fraction


@dataclass(frozen=True)
class Ends:
    """Seconds between a snapped point and the two nodes of its edge (``inf``: impassable)."""

    to_u: float
    to_v: float
    from_u: float
    from_v: float


@dataclass
class Piece:
    """Part of a directed edge travelled: from fraction ``t0`` to ``t1`` of that directed edge."""

    edge: int
    t0: float
    t1: float
    cost_s: float


@dataclass
class Route:
    """A computed route: the pieces travelled and the profile used."""

    profile: Profile
    origin: Anchor
    destination: Anchor
    pieces: list[Piece]
    duration_s: float
    searched_nodes: int = 0


# --------------------------------------------------------------------------- the router


class Router:
    """Routing on one :class:`Network`; create once per process and share between requests."""

    def __init__(self, net: Network, *, cache_size: int = 16) -> None:
        self.net = net
        a = net.arrays
        self.n_nodes = net.n_nodes
        self.n_edges = len(a)
        self.x = net.nodes["x_m"].to_numpy(float)
        self.y = net.nodes["y_m"].to_numpy(float)
        self.edge_u = net.edges["u"].to_numpy(np.int64)
        self.edge_v = net.edges["v"].to_numpy(np.int64)
        # directed edge of each undirected edge in each direction
        self.fwd_of = np.empty(len(net.edges), np.int64)
        self.back_of = np.empty(len(net.edges), np.int64)
        self.fwd_of[a.edge_id[a.forward]] = np.flatnonzero(a.forward)
        self.back_of[a.edge_id[~a.forward]] = np.flatnonzero(~a.forward)
        # CSR with one extra row (index n_nodes) for the virtual origin and its two partial edges
        self.indptr_ext = np.concatenate([net.indptr, [self.n_edges + 2]]).astype(np.int64)
        self.indices_base = np.concatenate([a.dst, [0, 0]]).astype(np.int32)
        self._cache: OrderedDict[tuple[Any, ...], np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._factors: dict[tuple[Any, ...], float] = {}

    # ----------------------------------------------------------------- costs

    def costs(self, profile: Profile, overlay: Overlay = EMPTY_OVERLAY) -> np.ndarray:
        """Cost array of ``profile`` over all directed edges (``edge_cost_s`` plus the overlay).

        The limit-independent part (:func:`~geo.routing.profiles.base_cost_s`) is computed once per profile
        base and cached; a built-in profile's full array is cached too, a per-request profile only
        adds its limit checks.
        """
        if PROFILES.get(profile.name) == profile:
            return self._cached(("full", profile, overlay.version),
                                lambda: np.where(limit_blocked(self.net.arrays, profile), np.inf,
                                                 self._base(profile, overlay)))
        return np.where(limit_blocked(self.net.arrays, profile), np.inf, self._base(profile, overlay))

    def _base(self, profile: Profile, overlay: Overlay) -> np.ndarray:
        return self._cached(("base", profile.name, profile.base_key(), overlay.version),
                            lambda: overlay.apply(base_cost_s(self.net.arrays, profile), profile))

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], np.ndarray]) -> np.ndarray:
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        value = compute()
        value.flags.writeable = False
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return value

    # ----------------------------------------------------------------- snapping

    def anchor(self, lon: float, lat: float, profile: Profile, overlay: Overlay = EMPTY_OVERLAY) -> Anchor:
        """Snap a point onto the nearest edge, preferring one ``profile`` can travel.

        Among the edges within :data:`SNAP_TOLERANCE_M` of the nearest one, the nearest edge the
        profile can use in at least one direction wins (so a click on a junction never starts on
        the steps beside it); if none is usable, the nearest edge is taken and routing explains.
        Usability is judged with the built-in profile the request is based on, so per-request
        limits never move the start: relaxing a limit can only make the route cheaper.
        """
        net = self.net
        profile = PROFILES.get(profile.name, profile)
        snap = net.snap(lon, lat, max_distance_m=MAX_SNAP_M)
        if not self._usable(np.array([snap.edge_id]), profile, overlay)[0]:
            x, y = net.to_metric.transform(lon, lat)
            near = net.tree.query(shapely.Point(x, y), predicate="dwithin",
                                  distance=snap.distance_m + SNAP_TOLERANCE_M)
            usable = near[self._usable(near, profile, overlay)]
            if len(usable):
                snap = net.snap(lon, lat, max_distance_m=MAX_SNAP_M, candidates=np.sort(usable))
        return self._anchor_of(snap)

    def _anchor_of(self, snap: Snap) -> Anchor:
        e = snap.edge_id
        return Anchor(snap=snap, u=int(self.edge_u[e]), v=int(self.edge_v[e]), fwd=int(self.fwd_of[e]),
                      back=int(self.back_of[e]))

    def _usable(self, edge_ids: np.ndarray, profile: Profile, overlay: Overlay) -> np.ndarray:
        """Which undirected edges ``profile`` can travel in at least one direction."""
        directed = np.concatenate([self.fwd_of[edge_ids], self.back_of[edge_ids]])
        cost = self.costs(profile, overlay)[directed]  # a built-in profile: the cached array
        return np.isfinite(cost[: len(edge_ids)]) | np.isfinite(cost[len(edge_ids):])

    # ----------------------------------------------------------------- search core

    def _search(self, o: Anchor, ends: Ends, cost: np.ndarray, limit_s: float) -> tuple[np.ndarray, np.ndarray, int]:
        """One-to-all Dijkstra (scipy, compiled) from the origin anchor (virtual node ``n_nodes``)."""
        data = np.empty(self.n_edges + 2)
        data[: self.n_edges] = cost
        data[self.n_edges] = ends.to_u  # origin → u, against the edge
        data[self.n_edges + 1] = ends.to_v  # origin → v, along the edge
        indices = self.indices_base.copy()
        indices[self.n_edges] = o.u
        indices[self.n_edges + 1] = o.v
        n = self.n_nodes + 1
        graph = csr_matrix((data, indices, self.indptr_ext), shape=(n, n))
        dist, pred = dijkstra(graph, directed=True, indices=self.n_nodes, return_predecessors=True,
                              limit=limit_s)
        return dist, pred, int(np.isfinite(dist).sum())

    @staticmethod
    def _arrival(d: Anchor, ends: Ends, dist: np.ndarray) -> tuple[float, int]:
        """Best cost at the destination anchor and the end node it comes through."""
        via_u = dist[d.u] + ends.from_u
        via_v = dist[d.v] + ends.from_v
        if not math.isfinite(via_u) and not math.isfinite(via_v):
            return math.inf, -1
        return (float(via_u), d.u) if via_u <= via_v else (float(via_v), d.v)

    def ends(self, a: Anchor, profile: Profile, overlay: Overlay = EMPTY_OVERLAY) -> Ends:
        """Costs between a snapped point and its edge's two nodes, in both directions.

        Leaving the point, the kerb or barrier at the far node is met but not one at the node
        behind; arriving at the point from a node, the kerb at that node is met but nothing at
        the node beyond the point. A point on a node (within half a metre) passes that node's
        kerb and barrier like any walker.
        """
        tol = 0.5 / max(float(self.net.arrays.length_m[a.fwd]), 1e-9)
        at_u, at_v = a.f <= tol, a.f >= 1.0 - tol
        edges = np.array([a.back, a.fwd, a.fwd, a.back])  # to u, to v, from u, from v
        modes = ["whole" if at_v else "leave", "whole" if at_u else "leave",
                 "whole" if at_v else "arrive", "whole" if at_u else "arrive"]
        c = self.partial_costs(edges, modes, profile, overlay)
        return Ends(to_u=_part(a.f, c[0]), to_v=_part(1.0 - a.f, c[1]),
                    from_u=_part(a.f, c[2]), from_v=_part(1.0 - a.f, c[3]))

    def partial_costs(self, edges: np.ndarray, modes: str | list[str], profile: Profile,
                      overlay: Overlay = EMPTY_OVERLAY) -> np.ndarray:
        """Full-length costs of directed edges travelled only in part (one vectorised call).

        Per edge, ``leave``: from inside the edge to its head; ``arrive``: from its tail to
        inside; ``within``: between two inner points; ``whole``: all of it. Node-bound kerbs and
        barriers are kept only where that node is actually passed.
        """
        a = self.net.arrays.take(edges)
        m = np.broadcast_to(np.asarray(modes, dtype=object), (len(edges),))
        kerb = np.select([m == "leave", m == "arrive", m == "within"],
                         [a.kerb_head_cm, a.kerb_tail_cm, np.fmin(a.kerb_head_cm, a.kerb_tail_cm)], a.kerb_cm)
        barrier = np.where((m == "arrive") | (m == "within"), 0, a.barrier_class).astype(np.int8)
        a = replace(a, kerb_cm=kerb.astype(np.float32), barrier_class=barrier)
        return overlay.apply_at(edges, edge_cost_s(a, profile), profile)

    def _direct(self, o: Anchor, d: Anchor, profile: Profile, overlay: Overlay) -> float:
        """Cost of going straight along the edge when both points are on the same edge."""
        if o.snap.edge_id != d.snap.edge_id:
            return math.inf
        along = d.f >= o.f
        start, end = (o.f, d.f) if along else (1.0 - o.f, 1.0 - d.f)  # fractions along the edge travelled
        tol = 0.5 / max(float(self.net.arrays.length_m[o.fwd]), 1e-9)
        at_tail, at_head = start <= tol, end >= 1.0 - tol
        mode = ("whole" if at_head else "arrive") if at_tail else ("leave" if at_head else "within")
        cost = self.partial_costs(np.array([o.fwd if along else o.back]), mode, profile, overlay)[0]
        return _part(abs(d.f - o.f), cost)

    def _edge_between(self, a: int, b: int) -> int:
        lo, hi = self.net.indptr[a], self.net.indptr[a + 1]
        k = lo + int(np.searchsorted(self.net.arrays.dst[lo:hi], b))
        return int(k)

    # ----------------------------------------------------------------- route

    def route(self, origin: tuple[float, float], destination: tuple[float, float], profile: Profile,
              overlay: Overlay = EMPTY_OVERLAY) -> Route:
        """Least-cost route between two (lon, lat) points; raises :class:`NoRouteError` with reasons."""
        o = self.anchor(*origin, profile, overlay)
        d = self.anchor(*destination, profile, overlay)
        found = self._best(o, d, profile, overlay)
        if found is None:
            raise self._no_route(o, d, profile, overlay)
        return found

    def _best(self, o: Anchor, d: Anchor, profile: Profile, overlay: Overlay) -> Route | None:
        """Least-cost route between two anchors (compiled A*, :mod:`geo.routing.astar`)."""
        cost = self.costs(profile, overlay)
        dx, dy = self.net.to_metric.transform(d.snap.lon, d.snap.lat)
        # potential per metre: never more than the cheapest cost per metre of any edge
        h_per_m = self._min_factor(profile) / profile.speed_mps * (1.0 - 1e-9)
        dist = np.full(self.n_nodes, np.inf)
        pred = np.full(self.n_nodes, -1, np.int64)
        oe = self.ends(o, profile, overlay)
        de = self.ends(d, profile, overlay)
        o_nodes = np.array([o.u, o.v], np.int64)
        o_costs = np.array([oe.to_u, oe.to_v])
        d_nodes = np.array([d.u, d.v], np.int64)
        d_costs = np.array([de.from_u, de.from_v])
        best, end, settled = astar(self.net.indptr, self.net.arrays.dst, cost, self.x, self.y, o_nodes, o_costs,
                                   d_nodes, d_costs, float(dx), float(dy), h_per_m, dist, pred)
        direct = self._direct(o, d, profile, overlay)
        if direct <= best:
            best, end = direct, -2
        if not math.isfinite(best):
            return None
        return self._assemble(o, d, oe, de, profile, cost, pred, end, float(best), int(settled))

    def _min_factor(self, profile: Profile) -> float:
        """Smallest cost per metre × speed over all passable edges (≥ 1 by construction)."""
        # the overlay only adds penalties or closes edges, so the factor without it stays a lower bound
        key = (profile.name, profile.base_key())
        with self._lock:
            hit = self._factors.get(key)
        if hit is None:
            base = self._base(profile, EMPTY_OVERLAY)
            length = self.net.arrays.length_m
            ok = np.isfinite(base) & (length > 0)
            hit = float(np.min(base[ok] * profile.speed_mps / length[ok])) if ok.any() else 1.0
            hit = max(1.0, hit)
            with self._lock:
                self._factors[key] = hit
        return hit

    def _assemble(self, o: Anchor, d: Anchor, oe: Ends, de: Ends, profile: Profile, cost: np.ndarray,
                  pred: np.ndarray, end: int, total: float, searched: int) -> Route:
        if end == -2:  # same edge, straight along it
            along = d.f >= o.f
            piece = Piece(o.fwd, o.f, d.f, total) if along else Piece(o.back, 1.0 - o.f, 1.0 - d.f, total)
            return Route(profile, o, d, [piece], total, searched)
        nodes = [end]
        while pred[nodes[-1]] != -2:
            nodes.append(int(pred[nodes[-1]]))
            if nodes[-1] < 0:  # pragma: no cover - a finite distance always has a predecessor chain
                msg = "broken predecessor chain"
                raise RuntimeError(msg)
        nodes.append(self.n_nodes)  # the origin point
        nodes.reverse()
        pieces: list[Piece] = []
        first = nodes[1]
        if first == o.u:
            pieces.append(Piece(o.back, 1.0 - o.f, 1.0, oe.to_u))
        else:
            pieces.append(Piece(o.fwd, o.f, 1.0, oe.to_v))
        for a, b in itertools.pairwise(nodes[1:]):
            k = self._edge_between(a, b)
            pieces.append(Piece(k, 0.0, 1.0, float(cost[k])))
        if end == d.u:
            pieces.append(Piece(d.fwd, 0.0, d.f, de.from_u))
        else:
            pieces.append(Piece(d.back, 0.0, 1.0 - d.f, de.from_v))
        pieces = [p for p in pieces if p.t1 - p.t0 > 1e-12]
        return Route(profile, o, d, pieces, total, searched)

    # ----------------------------------------------------------------- no route: why, and what helps

    def _no_route(self, o: Anchor, d: Anchor, profile: Profile, overlay: Overlay) -> NoRouteError:
        relaxed = replace(
            profile, max_uphill_pct=math.inf, max_downhill_pct=math.inf, max_kerb_cm=math.inf, min_width_m=0.0,
            steps="allowed", blocked_surfaces=frozenset(), max_smoothness=7, max_barrier_class=4,
            blocked_by_wheelchair_no=False, avoid_unknown=False, name=profile.name + ":relaxed",
        )
        candidate = self._best(o, d, relaxed, EMPTY_OVERLAY)
        if candidate is None:
            msg = "the two points are not connected in the network (separate parts of the map)"
            return NoRouteError(msg, reasons=[{"reason": "not_connected"}], relaxations=[])
        edges = np.array([p.edge for p in candidate.pieces])
        sub = self.net.arrays.take(edges)
        reasons_mask = blocked_reasons(sub, profile)
        a = sub
        reasons: list[dict[str, Any]] = []
        tries: list[dict[str, Any]] = []
        with np.errstate(invalid="ignore"):
            if reasons_mask["steps"].any():
                reasons.append({"reason": "steps", "count": int(reasons_mask["steps"].sum())})
                tries.append({"allow_steps": True})
            if reasons_mask["uphill"].any():
                need = float(np.nanmax(a.up_pct[reasons_mask["uphill"]]))
                reasons.append({"reason": "uphill", "needed_pct": round(need, 1), "limit_pct": profile.max_uphill_pct})
                _suggest(tries, "max_uphill_pct", math.ceil(need * 10) / 10)
            if reasons_mask["downhill"].any():
                need = float(np.nanmax(a.down_pct[reasons_mask["downhill"]]))
                reasons.append({"reason": "downhill", "needed_pct": round(need, 1),
                                "limit_pct": profile.max_downhill_pct})
                _suggest(tries, "max_downhill_pct", math.ceil(need * 10) / 10)
            if reasons_mask["kerb"].any():
                need = float(np.nanmax(a.kerb_cm[reasons_mask["kerb"]]))
                reasons.append({"reason": "kerb", "needed_cm": round(need, 1), "limit_cm": profile.max_kerb_cm})
                _suggest(tries, "max_kerb_cm", math.ceil(need))
            if reasons_mask["width"].any():
                need = float(np.nanmin(a.width_m[reasons_mask["width"]]))
                reasons.append({"reason": "width", "needed_m": round(need, 2), "limit_m": profile.min_width_m})
                _suggest(tries, "min_width_m", math.floor(need * 100) / 100)
            for key in ("surface", "barrier", "wheelchair_no", "unknown"):
                if key in reasons_mask and reasons_mask[key].any():
                    reasons.append({"reason": key, "count": int(reasons_mask[key].sum())})
            if "unknown" in reasons_mask and reasons_mask["unknown"].any():
                tries.append({"avoid_unknown": False})
        if not reasons:
            reasons.append({"reason": "reported_barrier"})
        relaxations = []
        for change in tries:
            if self._best(o, d, profile.with_limits(**change), overlay) is not None:
                relaxations.append(change)
        if len(tries) > 1:
            combined = {k: v for t in tries for k, v in t.items()}
            if combined not in relaxations and self._best(o, d, profile.with_limits(**combined), overlay):
                relaxations.append(combined)
        msg = f"no route for profile {profile.name}: every candidate route needs " + " or ".join(
            _reason_text(r) for r in reasons
        )
        return NoRouteError(msg, reasons=reasons, relaxations=relaxations)

    # ----------------------------------------------------------------- one-to-many

    def reach(self, origin: tuple[float, float], profile: Profile, *, limit_s: float = np.inf,
              overlay: Overlay = EMPTY_OVERLAY) -> Reach:
        """One search from ``origin``: arrival times at every node within ``limit_s``."""
        o = self.anchor(*origin, profile, overlay)
        cost = self.costs(profile, overlay)
        oe = self.ends(o, profile, overlay)
        dist, _pred, searched = self._search(o, oe, cost, limit_s)
        return Reach(self, o, oe, profile, overlay, cost, dist[: self.n_nodes], limit_s, searched)

    def anchors_for(self, points: np.ndarray, *, max_distance_m: float = 150.0, k: int = 4) -> list[list[Anchor]]:
        """Up to ``k`` nearest edges (as anchors) of each (lon, lat) point — targets such as services."""
        net = self.net
        t = net.to_metric
        xs, ys = t.transform(points[:, 0], points[:, 1])
        out: list[list[Anchor]] = []
        for x, y in zip(xs, ys, strict=True):
            pt = shapely.Point(x, y)
            near = net.tree.query(pt, predicate="dwithin", distance=max_distance_m)
            if len(near) == 0:
                out.append([])
                continue
            dists = shapely.distance(net.edges_metric[near], pt)
            chosen = near[np.argsort(dists)[:k]]
            out.append([self._anchor_of(net.snap_to_edge(int(e), pt)) for e in chosen])
        return out


def _suggest(tries: list[dict[str, Any]], key: str, value: float) -> None:
    """Offer a limit change only when a request may ask for it (within :data:`LIMIT_RANGES`)."""
    lo, hi = LIMIT_RANGES[key]
    if lo <= value <= hi:
        tries.append({key: value})


def _part(fraction: float, cost: float) -> float:
    """Cost of travelling ``fraction`` of an edge: nothing when not moving, even on a blocked edge."""
    return 0.0 if fraction <= 0.0 else float(fraction * cost)


def _reason_text(r: dict[str, Any]) -> str:
    kind = r["reason"]
    if kind == "steps":
        return "steps without a suitable ramp"
    if kind == "uphill":
        return f"{r['needed_pct']} % uphill (limit {r['limit_pct']:g} %)"
    if kind == "downhill":
        return f"{r['needed_pct']} % downhill (limit {r['limit_pct']:g} %)"
    if kind == "kerb":
        return f"a {r['needed_cm']:g} cm kerb (limit {r['limit_cm']:g} cm)"
    if kind == "width":
        return f"a {r['needed_m']:g} m narrow passage (minimum {r['limit_m']:g} m)"
    return {"surface": "an impassable surface", "barrier": "a barrier (gate, stile, turnstile …)",
            "wheelchair_no": "a way tagged wheelchair=no", "unknown": "stretches with unknown attributes",
            "reported_barrier": "a confirmed reported barrier"}.get(kind, kind)


@dataclass
class Reach:
    """Result of a one-to-many search: node arrival times from one origin."""

    router: Router
    origin: Anchor
    origin_ends: Ends
    profile: Profile
    overlay: Overlay
    cost: np.ndarray
    dist: np.ndarray
    limit_s: float
    searched: int

    def arrival_s(self, anchors: list[Anchor]) -> float:
        """Earliest arrival at a target reachable through any of its anchors (``inf`` if none)."""
        if not anchors:
            return math.inf
        r = self.router
        edges = np.array([k for d in anchors for k in (d.fwd, d.back)])
        arrive = r.partial_costs(edges, "arrive", self.profile, self.overlay)
        best = math.inf
        for i, d in enumerate(anchors):
            ends = Ends(0.0, 0.0, _part(d.f, arrive[2 * i]), _part(1.0 - d.f, arrive[2 * i + 1]))
            best = min(best, Router._arrival(d, ends, self.dist)[0],
                       r._direct(self.origin, d, self.profile, self.overlay))
        return best

    def reached_lines(self, limit_s: float) -> tuple[np.ndarray, np.ndarray]:
        """Metric geometries of the reached parts of edges and their directed edge indices."""
        r = self.router
        a = r.net.arrays
        t_src = self.dist[a.src]
        ok = (t_src < limit_s) & np.isfinite(self.cost)
        idx = np.flatnonzero(ok)
        frac = np.clip((limit_s - t_src[idx]) / np.maximum(self.cost[idx], 1e-9), 0.0, 1.0)
        geoms = r.net.edges_metric[a.edge_id[idx]]
        fwd = a.forward[idx]
        part = np.where(fwd, frac, 1.0 - frac)
        full = frac >= 1.0
        lines = geoms.copy()
        cut = ~full
        if cut.any():
            starts = np.where(fwd[cut], 0.0, part[cut])
            ends = np.where(fwd[cut], part[cut], 1.0)
            lines[cut] = [shapely.ops.substring(g, s, e, normalized=True)
                          for g, s, e in zip(geoms[cut], starts, ends, strict=True)]
        # the origin's own edge: parts reachable directly from the snapped point
        o = self.origin
        extra = []
        for edge, f0, sign in ((o.fwd, o.f, 1), (o.back, o.f, -1)):
            c = self.cost[edge]
            if np.isfinite(c) and c > 0:
                reach_frac = min(1.0, limit_s / c)
                lo, hi = (f0, min(1.0, f0 + reach_frac)) if sign > 0 else (max(0.0, f0 - reach_frac), f0)
                if hi > lo:
                    extra.append(shapely.ops.substring(r.net.edges_metric[o.snap.edge_id], lo, hi, normalized=True))
        if extra:
            lines = np.concatenate([lines, np.array(extra, dtype=object)])
        return lines, idx


def isochrone_polygon(reach: Reach, limit_s: float, *, cell_m: float = 20.0) -> shapely.Geometry:
    """Area reachable within ``limit_s``, in lon/lat, traced from the reached parts of edges.

    The reached lines are sampled every half cell onto a grid, dilated by one cell (so the area
    hugs the streets, about ``cell_m`` either side), small enclosed holes are filled, and the
    grid is traced back into polygons.
    """
    from rasterio.features import shapes
    from rasterio.transform import from_origin
    from scipy import ndimage

    lines, _ = reach.reached_lines(limit_s)
    if len(lines) == 0:
        return shapely.Polygon()
    pts = shapely.get_coordinates(shapely.segmentize(lines, cell_m / 2))
    x0, y1 = pts[:, 0].min() - 3 * cell_m, pts[:, 1].max() + 3 * cell_m
    cols = int((pts[:, 0].max() + 3 * cell_m - x0) // cell_m) + 1
    rows = int((y1 - (pts[:, 1].min() - 3 * cell_m)) // cell_m) + 1
    grid = np.zeros((rows, cols), dtype=bool)
    grid[((y1 - pts[:, 1]) // cell_m).astype(int), ((pts[:, 0] - x0) // cell_m).astype(int)] = True
    grid = ndimage.binary_dilation(grid, structure=np.ones((3, 3), bool))
    holes = ndimage.binary_fill_holes(grid) & ~grid
    labels, n = ndimage.label(holes)
    if n:
        sizes = ndimage.sum(holes, labels, index=np.arange(1, n + 1))
        small = np.flatnonzero(sizes <= 25) + 1  # holes up to 25 cells (1 ha at 20 m) are filled
        grid |= np.isin(labels, small)
    transform = from_origin(x0, y1, cell_m, cell_m)
    polys = [shapely.geometry.shape(geom) for geom, val in shapes(grid.astype(np.uint8), mask=grid,
                                                                   transform=transform) if val == 1]
    area = shapely.union_all(polys).simplify(cell_m / 2)
    back = reach.router.net.to_metric
    return shapely.transform(area, lambda xy: np.column_stack(back.transform(xy[:, 0], xy[:, 1],
                                                                             direction="INVERSE")))
