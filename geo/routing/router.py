"""The router: snapping, per-request costs and the compiled A* search between two points.

A route is a compiled A* (:mod:`geo.routing.astar`) over a per-request cost array from
:func:`geo.routing.profiles.edge_cost_s` that stops as soon as the destination is settled. Cost
arrays of the built-in profiles are cached; a per-request profile reuses the cached
limit-independent part and only adds its limit checks. One-to-many questions (isochrones, nearest
services) are in :mod:`geo.routing.isochrone` and :mod:`geo.routing.targets`; why there is no
route, in :mod:`geo.routing.diagnosis`.

Points snap onto an edge where a route can go (split at the projected point, not the nearest node):
among the edges within :data:`SNAP_TOLERANCE_M` of the nearest, one in the largest connected piece the
other end can also reach, on the ground rather than in a tunnel or on another level, usable by the
profile (:meth:`Router.anchors`); two ends left in different pieces are a no-route error that names the
cut-off end and the nearest connected point. The origin becomes an extra graph node with two partial
edges, the destination is reached through the partial edges from its edge's two ends.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from geo.errors import NoRouteError
from geo.network.model import EdgeArrays, Network, Snap, piece_labels
from geo.routing.astar import astar
from geo.routing.diagnosis import diagnose
from geo.routing.overlay import EMPTY_OVERLAY, Overlay
from geo.routing.profiles import PROFILES, Profile, base_cost_s, edge_cost_s, limit_blocked

#: Maximum distance from a point to the network (metres).
MAX_SNAP_M = 300.0
#: How much farther than the nearest edge a better edge may be to be preferred (metres): one in the connected
#: piece the other end can reach, on the ground, usable by the profile.
SNAP_TOLERANCE_M = 25.0
#: A route starting this much farther from the point than the nearest path says why (metres).
MOVED_NOTICE_M = 5.0


# --------------------------------------------------------------------------- results


@dataclass
class Anchor:
    """A point snapped onto an undirected edge, with that edge's two directed edges."""

    snap: Snap
    u: int
    v: int
    fwd: int
    back: int
    #: why a farther edge than the nearest was taken: ``piece`` (the nearest path is cut off from the network),
    #: ``profile`` (the profile cannot use the nearest path, or it leads nowhere for the profile), else ``None``
    moved: str | None = None
    #: distance from the point to the nearest edge of any kind (metres)
    nearest_m: float = 0.0

    @property
    def f(self) -> float:
        """Fraction along the edge from ``u``."""
        return self.snap.fraction


@dataclass(frozen=True)
class Candidates:
    """The edges a point may snap to (parallel arrays) and what the choice between them weighs."""

    point: shapely.Point  # metric
    edges: np.ndarray
    dist_m: np.ndarray
    piece: np.ndarray  # connected piece of the network as mapped (0 = the largest)
    on_surface: np.ndarray
    usable: np.ndarray  # the profile can travel the edge in at least one direction
    profile_piece: np.ndarray  # connected piece of what the profile can travel

    @staticmethod
    def in_piece(pieces: np.ndarray, other: np.ndarray | None) -> np.ndarray:
        """The candidates in the best piece: the largest (lowest label) shared with ``other``'s pieces, else the
        largest of ``pieces`` (labels < 0 are not candidates)."""
        own = pieces[pieces >= 0]
        shared = np.intersect1d(own, other) if other is not None else np.zeros(0, own.dtype)
        best = shared.min() if len(shared) else own.min()
        return pieces == best


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
        # CSR with one extra row (index n_nodes) for the virtual origin and its two partial edges
        self.indptr_ext = np.concatenate([net.indptr, [self.n_edges + 2]]).astype(np.int64)
        self.indices_base = np.concatenate([a.dst, [0, 0]]).astype(np.int32)
        self._cache: OrderedDict[tuple[Any, ...], np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._factors: dict[tuple[Any, ...], float] = {}
        self._pieces: dict[tuple[Any, ...], np.ndarray] = {}
        self._main_tree: shapely.STRtree | None = None
        self._main_edges = np.zeros(0, np.int64)

    # ----------------------------------------------------------------- costs

    def arrays(self, overlay: Overlay = EMPTY_OVERLAY) -> EdgeArrays:
        """The directed-edge attributes routing reads: the network's, with the overlay's verified values."""
        return overlay.arrays(self.net.arrays)

    def costs(self, profile: Profile, overlay: Overlay = EMPTY_OVERLAY) -> np.ndarray:
        """Cost array of ``profile`` over all directed edges (``edge_cost_s`` of the overlay's attribute values,
        plus its cost changes).

        The limit-independent part (:func:`~geo.routing.profiles.base_cost_s`) is computed once per profile
        base and cached; a built-in profile's full array is cached too, a per-request profile only
        adds its limit checks.
        """
        if PROFILES.get(profile.name) == profile:
            return self._cached(("full", profile, overlay.key),
                                lambda: np.where(limit_blocked(self.arrays(overlay), profile), np.inf,
                                                 self._base(profile, overlay)))
        return np.where(limit_blocked(self.arrays(overlay), profile), np.inf, self._base(profile, overlay))

    def _base(self, profile: Profile, overlay: Overlay) -> np.ndarray:
        return self._cached(("base", profile.name, profile.base_key(), overlay.key),
                            lambda: overlay.apply(base_cost_s(self.arrays(overlay), profile), profile))

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
        """Snap one point onto the edge where a route from it can go (see :meth:`anchors`)."""
        return self._choose(self.candidates(lon, lat, profile, overlay))

    def anchors(self, origin: tuple[float, float], destination: tuple[float, float], profile: Profile,
                overlay: Overlay = EMPTY_OVERLAY) -> tuple[Anchor, Anchor]:
        """Snap both ends of a route, each onto an edge of a connected piece the other end can reach."""
        o = self.candidates(*origin, profile, overlay)
        d = self.candidates(*destination, profile, overlay)
        return self._choose(o, d), self._choose(d, o)

    def candidates(self, lon: float, lat: float, profile: Profile, overlay: Overlay = EMPTY_OVERLAY) -> Candidates:
        """The edges within :data:`SNAP_TOLERANCE_M` of the nearest one (at most :data:`MAX_SNAP_M` away), with
        what the choice between them weighs. Usability is judged with the built-in profile the request is based
        on, so per-request limits never move the start: relaxing a limit can only make the route cheaper."""
        net = self.net
        profile = PROFILES.get(profile.name, profile)
        snap = net.snap(lon, lat, max_distance_m=MAX_SNAP_M)
        x, y = net.to_metric.transform(lon, lat)
        pt = shapely.Point(x, y)
        near = np.union1d(net.tree.query(pt, predicate="dwithin", distance=snap.distance_m + SNAP_TOLERANCE_M),
                          [snap.edge_id]).astype(np.int64)
        usable = self._usable(near, profile, overlay)
        surface = net.edge_col("on_surface")[near]
        return Candidates(
            point=pt, edges=near, dist_m=shapely.distance(net.edges_metric[near], pt),
            piece=net.piece_of_edge(near), on_surface=np.array([s is not False for s in surface.tolist()]),
            usable=usable, profile_piece=self.profile_pieces(profile, overlay)[self.edge_u[near]],
        )

    def _choose(self, c: Candidates, other: Candidates | None = None) -> Anchor:
        """The candidate edge to snap to, in order of preference: in the largest connected piece the other end
        can also reach (else the largest piece near the point), on the ground (not a tunnel, indoors or on another
        level), usable by the profile and in its largest piece the other end can reach, then the nearest.
        The anchor says why when a farther edge is taken for a reason the traveller should know."""
        chosen = c.in_piece(c.piece, other.piece if other is not None else None)
        if (chosen & c.on_surface).any():
            chosen &= c.on_surface
        usable = chosen & c.usable
        if usable.any():
            other_pieces = other.profile_piece[other.usable] if other is not None else None
            chosen = usable & c.in_piece(np.where(usable, c.profile_piece, -1), other_pieces)
        k = np.flatnonzero(chosen)[np.argmin(c.dist_m[chosen])]
        nearest = int(np.argmin(c.dist_m))
        moved = None
        if c.dist_m[k] - c.dist_m[nearest] >= MOVED_NOTICE_M:
            moved = "piece" if c.piece[k] != c.piece[nearest] else "profile" if not c.usable[nearest] or (
                c.profile_piece[k] != c.profile_piece[nearest]) else None
        anchor = self._anchor_of(self.net.snap_to_edge(int(c.edges[k]), c.point))
        anchor.moved = moved
        anchor.nearest_m = float(c.dist_m[nearest])
        return anchor

    def profile_pieces(self, profile: Profile, overlay: Overlay = EMPTY_OVERLAY) -> np.ndarray:
        """The connected pieces of the network a built-in profile can travel (per node; 0 is the largest)."""
        key = ("pieces", profile.name, profile.base_key(), overlay.version)
        with self._lock:
            hit = self._pieces.get(key)
        if hit is None:
            a = self.net.arrays
            hit = piece_labels(a.src, a.dst, self.n_nodes, np.isfinite(self.costs(profile, overlay)))
            with self._lock:
                self._pieces[key] = hit
                while len(self._pieces) > self._cache_size:
                    self._pieces.pop(next(iter(self._pieces)))
        return hit

    def nearest_connected(self, lon: float, lat: float) -> Snap:
        """The nearest point on the largest connected piece of the network to a point."""
        net = self.net
        if self._main_tree is None:
            self._main_edges = np.flatnonzero(net.piece_of_edge(np.arange(len(net.edges))) == 0)
            self._main_tree = shapely.STRtree(net.edges_metric[self._main_edges])
        x, y = net.to_metric.transform(lon, lat)
        pt = shapely.Point(x, y)
        hit = self._main_tree.query_nearest(pt)
        return net.snap_to_edge(int(self._main_edges[hit[0]]), pt)

    def _anchor_of(self, snap: Snap) -> Anchor:
        e = snap.edge_id
        fwd, back = self.net.directed(e)
        return Anchor(snap=snap, u=int(self.edge_u[e]), v=int(self.edge_v[e]), fwd=int(fwd), back=int(back))

    def _usable(self, edge_ids: np.ndarray, profile: Profile, overlay: Overlay) -> np.ndarray:
        """Which undirected edges ``profile`` can travel in at least one direction."""
        directed = np.concatenate(self.net.directed(edge_ids))
        cost = self.costs(profile, overlay)[directed]  # a built-in profile: the cached array
        return np.isfinite(cost[: len(edge_ids)]) | np.isfinite(cost[len(edge_ids):])

    # ----------------------------------------------------------------- search core

    def dijkstra_from(self, o: Anchor, ends: Ends, cost: np.ndarray, limit_s: float) -> tuple[np.ndarray, int]:
        """One-to-all Dijkstra (scipy, compiled) from an anchor: arrival seconds at every node within
        ``limit_s`` (``inf`` beyond) and how many nodes were settled."""
        data = np.empty(self.n_edges + 2)
        data[: self.n_edges] = cost
        data[self.n_edges] = ends.to_u  # origin → u, against the edge
        data[self.n_edges + 1] = ends.to_v  # origin → v, along the edge
        indices = self.indices_base.copy()
        indices[self.n_edges] = o.u
        indices[self.n_edges + 1] = o.v
        n = self.n_nodes + 1
        graph = csr_matrix((data, indices, self.indptr_ext), shape=(n, n))
        dist = dijkstra(graph, directed=True, indices=self.n_nodes, limit=limit_s)
        return dist[: self.n_nodes], int(np.isfinite(dist).sum())

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
        return Ends(to_u=part(a.f, c[0]), to_v=part(1.0 - a.f, c[1]),
                    from_u=part(a.f, c[2]), from_v=part(1.0 - a.f, c[3]))

    def partial_costs(self, edges: np.ndarray, modes: str | list[str], profile: Profile,
                      overlay: Overlay = EMPTY_OVERLAY) -> np.ndarray:
        """Full-length costs of directed edges travelled only in part (one vectorised call).

        Per edge, ``leave``: from inside the edge to its head; ``arrive``: from its tail to
        inside; ``within``: between two inner points; ``whole``: all of it. Node-bound kerbs and
        barriers are kept only where that node is actually passed.
        """
        return partial_edge_costs(self.arrays(overlay).take(edges), edges, modes, profile, overlay)

    def direct(self, o: Anchor, d: Anchor, profile: Profile, overlay: Overlay = EMPTY_OVERLAY) -> float:
        """Cost of going straight along the edge when both points are on the same edge."""
        if o.snap.edge_id != d.snap.edge_id:
            return math.inf
        along = d.f >= o.f
        start, end = (o.f, d.f) if along else (1.0 - o.f, 1.0 - d.f)  # fractions along the edge travelled
        tol = 0.5 / max(float(self.net.arrays.length_m[o.fwd]), 1e-9)
        at_tail, at_head = start <= tol, end >= 1.0 - tol
        mode = ("whole" if at_head else "arrive") if at_tail else ("leave" if at_head else "within")
        cost = self.partial_costs(np.array([o.fwd if along else o.back]), mode, profile, overlay)[0]
        return part(abs(d.f - o.f), cost)

    # ----------------------------------------------------------------- route

    def route(self, origin: tuple[float, float], destination: tuple[float, float], profile: Profile,
              overlay: Overlay = EMPTY_OVERLAY) -> Route:
        """Least-cost route between two (lon, lat) points; raises :class:`NoRouteError` with reasons."""
        o, d = self.anchors(origin, destination, profile, overlay)
        self._check_connected(o, d, origin, destination, profile)
        found = self._best(o, d, profile, overlay)
        if found is None:
            raise diagnose(lambda p, ov: self._best(o, d, p, ov), self.arrays(overlay), profile, overlay)
        return found

    def _check_connected(self, o: Anchor, d: Anchor, origin: tuple[float, float], destination: tuple[float, float],
                         profile: Profile) -> None:
        """Raise the no-route error for two ends in different connected pieces of the network, naming the end on a
        cut-off piece and the nearest point of the largest piece to that end's point."""
        piece = self.net.piece_of_node
        po, pd = int(piece[o.u]), int(piece[d.u])
        if po == pd:
            return
        cut = [end for end, p in (("from", po), ("to", pd)) if p != 0] or ["from", "to"]
        reasons, moves = [], {}
        for end in cut:
            near = self.nearest_connected(*(origin if end == "from" else destination))
            moves[end] = [round(near.lat, 7), round(near.lon, 7)]
            reasons.append({"reason": "cut_off", "end": end, "nearest": {
                "lat": round(near.lat, 7), "lon": round(near.lon, 7), "distance_m": round(near.distance_m, 1)}})
        key = "route.no_route.cut_off." + ("both" if len(cut) == 2 else cut[0])
        distance = max(r["nearest"]["distance_m"] for r in reasons)
        raise NoRouteError(key, profile=profile.name, reasons=reasons, relaxations=[], moves=moves,
                           distance_m=round(distance))

    def _best(self, o: Anchor, d: Anchor, profile: Profile, overlay: Overlay) -> Route | None:
        """Least-cost route between two anchors (compiled A*, :mod:`geo.routing.astar`)."""
        cost = self.costs(profile, overlay)
        dx, dy = self.net.to_metric.transform(d.snap.lon, d.snap.lat)
        # potential per metre: never more than the cheapest cost per metre of any edge
        h_per_m = self._min_factor(profile, overlay) / profile.speed_mps * (1.0 - 1e-9)
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
        direct = self.direct(o, d, profile, overlay)
        if direct <= best:
            best, end = direct, -2
        if not math.isfinite(best):
            return None
        return self._assemble(o, d, oe, de, profile, cost, pred, end, float(best), int(settled))

    def _min_factor(self, profile: Profile, overlay: Overlay) -> float:
        """Smallest cost per metre × speed over all passable edges (≥ 1 by construction)."""
        # the overlay's cost changes only add penalties or close edges, so the factor without them stays a
        # lower bound; its attribute values may make edges cheaper (a kerb found flush), so they count
        attributes = overlay.without_costs()
        key = (profile.name, profile.base_key(), attributes.key)
        with self._lock:
            hit = self._factors.get(key)
        if hit is None:
            base = self._base(profile, attributes)
            length = self.net.arrays.length_m
            ok = np.isfinite(base) & (length > 0)
            hit = float(np.min(base[ok] * profile.speed_mps / length[ok])) if ok.any() else 1.0
            hit = max(1.0, hit)
            with self._lock:
                if len(self._factors) > 64:  # one entry per profile and attribute version: keep it small
                    self._factors.clear()
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
        path = np.asarray(nodes[1:], np.int64)
        ks = self.net.edges_between(path[:-1], path[1:])
        pieces += [Piece(k, 0.0, 1.0, c) for k, c in zip(ks.tolist(), cost[ks].tolist(), strict=True)]
        if end == d.u:
            pieces.append(Piece(d.fwd, 0.0, d.f, de.from_u))
        else:
            pieces.append(Piece(d.back, 0.0, 1.0 - d.f, de.from_v))
        pieces = [p for p in pieces if p.t1 - p.t0 > 1e-12]
        return Route(profile, o, d, pieces, total, searched)

    # ----------------------------------------------------------------- one-to-many

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


def partial_edge_costs(a: EdgeArrays, edges: np.ndarray, modes: str | list[str] | np.ndarray, profile: Profile,
                       overlay: Overlay = EMPTY_OVERLAY) -> np.ndarray:
    """:meth:`Router.partial_costs` on given arrays: ``a`` holds the attributes of the directed ``edges``
    (possibly changed, e.g. a barrier the planner removes), ``modes`` say which part is travelled."""
    m = np.broadcast_to(np.asarray(modes, dtype=object), (len(edges),))
    kerb = np.select([m == "leave", m == "arrive", m == "within"],
                     [a.kerb_head_cm, a.kerb_tail_cm, np.fmin(a.kerb_head_cm, a.kerb_tail_cm)], a.kerb_cm)
    barrier = np.where((m == "arrive") | (m == "within"), 0, a.barrier_class).astype(np.int8)
    a = replace(a, kerb_cm=kerb.astype(np.float32), barrier_class=barrier)
    return overlay.apply_at(edges, edge_cost_s(a, profile), profile)


def part(fraction: float, cost: float) -> float:
    """Cost of travelling ``fraction`` of an edge: nothing when not moving, even on a blocked edge."""
    return 0.0 if fraction <= 0.0 else float(fraction * cost)
