"""The planner's search graph: the network's directed edges plus every origin and destination as an extra node.

Origins and destinations are snapped like route ends (:mod:`geo.analysis.origins`). An origin becomes a
node with two arcs to the ends of its edge and a destination a node with two arcs from them (the parts of
the edge between the point and each end, costed as :meth:`~geo.routing.router.Router.ends` does); an origin
and a destination on the same edge are joined straight along it (:meth:`~geo.routing.router.Router.direct`).
So a time read off this graph is the duration of the router's route between the two points.

Every arc is (tail, head, directed edge, mode, fraction): a base arc is a whole directed edge, a virtual arc
the ``fraction`` of one travelled in ``mode`` (``leave``: from inside to its head, ``arrive``: from its tail
to inside, ``within``, ``whole``). :meth:`SearchGraph.arc_costs` costs any arcs from (possibly changed)
edge attributes, so the planner can ask what an arc would cost with a barrier removed.

One-to-many searches (:func:`search`) are ``scipy.sparse.csgraph.dijkstra`` from many origin nodes at
once (or, on the reversed graph, from many destination nodes), bounded by a time limit and run in chunks
so the dense result never gets large.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from geo.network.model import EdgeArrays, Network
from geo.routing.overlay import EMPTY_OVERLAY, Overlay
from geo.routing.profiles import Profile
from geo.routing.router import Anchor, Router, partial_edge_costs

#: Arc modes (codes are indices).
MODES: tuple[str, ...] = ("whole", "leave", "arrive", "within")
WHOLE, LEAVE, ARRIVE, WITHIN = range(4)
#: Rows of one dense search chunk (memory: rows × nodes × 8 bytes).
CHUNK_ROWS = 64
#: A point this close to an edge end (metres) counts as at the node (as :meth:`Router.ends`).
AT_NODE_M = 0.5

Progress = Callable[[str, int, int], None]


def no_progress(_stage: str, _done: int, _total: int) -> None:
    return None


@dataclass
class SearchGraph:
    """Base nodes ``0 … n_base-1``, then one node per origin, then one per destination."""

    net: Network
    profile: Profile
    overlay: Overlay
    n_base: int
    origin_node: np.ndarray
    dest_node: np.ndarray
    tail: np.ndarray
    head: np.ndarray
    edge: np.ndarray
    mode: np.ndarray
    fraction: np.ndarray
    cost: np.ndarray = field(repr=False)
    _by_tail: tuple[np.ndarray, np.ndarray] = field(repr=False, default=None)  # type: ignore[assignment]
    _by_head: tuple[np.ndarray, np.ndarray] = field(repr=False, default=None)  # type: ignore[assignment]
    _by_edge: tuple[np.ndarray, np.ndarray] = field(repr=False, default=None)  # type: ignore[assignment]
    #: The directed-edge attributes the costs read: the network's with the overlay's verified values.
    arrays: EdgeArrays = field(repr=False, default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self.arrays = self.overlay.arrays(self.net.arrays)
        n = self.n_nodes
        self._by_tail = _grouped(self.tail, n)
        self._by_head = _grouped(self.head, n)
        self._by_edge = _grouped(self.edge, len(self.net.arrays))

    @property
    def n_nodes(self) -> int:
        """All nodes: base, origins, destinations."""
        return self.n_base + len(self.origin_node) + len(self.dest_node)

    @property
    def n_arcs(self) -> int:
        """Base and virtual arcs."""
        return len(self.tail)

    def arcs_on(self, directed_edges: np.ndarray) -> np.ndarray:
        """Every arc (whole or partial) lying on the given directed edges."""
        order, ptr = self._by_edge
        e = np.unique(np.asarray(directed_edges, np.int64))
        if len(e) == 0:
            return np.zeros(0, np.int64)
        return np.concatenate([order[ptr[k]:ptr[k + 1]] for k in e]).astype(np.int64)

    def arc_costs(self, arcs: np.ndarray, arrays: EdgeArrays | None = None, overlay: Overlay | None = None
                  ) -> np.ndarray:
        """Seconds of ``arcs`` with the edge attributes ``arrays`` (the rows of ``self.edge[arcs]``; by default
        the graph's) and ``overlay`` (by default the graph's)."""
        arcs = np.asarray(arcs, np.int64)
        edges = self.edge[arcs]
        a = self.arrays.take(edges) if arrays is None else arrays
        whole = partial_edge_costs(a, edges, np.asarray(MODES, dtype=object)[self.mode[arcs]], self.profile,
                                   self.overlay if overlay is None else overlay)
        frac = self.fraction[arcs]
        with np.errstate(invalid="ignore"):
            return np.where(frac <= 0.0, 0.0, frac * whole)

    def matrix(self, cost: np.ndarray | None = None, *, reverse: bool = False) -> csr_matrix:
        """The graph (or its reverse) as a CSR matrix of ``cost`` (by default the current costs)."""
        cost = self.cost if cost is None else cost
        order, ptr = self._by_head if reverse else self._by_tail
        other = self.tail if reverse else self.head
        n = self.n_nodes
        return csr_matrix((cost[order], other[order].astype(np.int32), ptr), shape=(n, n))


def _grouped(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(keys, kind="stable")
    return order, np.searchsorted(keys[order], np.arange(n + 1)).astype(np.int64)


# --------------------------------------------------------------------------- building


def _origin_arcs(net: Network, anchors: Sequence[Anchor | None], first: int) -> list[np.ndarray]:
    """Arcs origin → its edge's two ends (as :meth:`Router.ends`: a point on a node passes it whole)."""
    placed = [(i, a) for i, a in enumerate(anchors) if a is not None]
    if not placed:
        return [np.zeros(0)] * 6
    idx = np.array([i for i, _ in placed], np.int64)
    f = np.array([a.f for _, a in placed])
    u = np.array([a.u for _, a in placed], np.int64)
    v = np.array([a.v for _, a in placed], np.int64)
    fwd = np.array([a.fwd for _, a in placed], np.int64)
    back = np.array([a.back for _, a in placed], np.int64)
    tol = AT_NODE_M / np.maximum(net.arrays.length_m[fwd], 1e-9)
    at_u, at_v = f <= tol, f >= 1.0 - tol
    node = first + idx
    return [np.concatenate([node, node]), np.concatenate([u, v]), np.concatenate([back, fwd]),
            np.concatenate([np.where(at_v, WHOLE, LEAVE), np.where(at_u, WHOLE, LEAVE)]),
            np.concatenate([f, 1.0 - f]), np.concatenate([idx, idx])]


def _dest_arcs(net: Network, anchors: Sequence[Anchor | None], first: int) -> list[np.ndarray]:
    """Arcs from both ends of a destination's edge into it (as :meth:`Router.ends` costs a route's end)."""
    placed = [(j, a) for j, a in enumerate(anchors) if a is not None]
    if not placed:
        return [np.zeros(0)] * 5
    j = np.array([r[0] for r in placed], np.int64)
    f = np.array([r[1].f for r in placed])
    u = np.array([r[1].u for r in placed], np.int64)
    v = np.array([r[1].v for r in placed], np.int64)
    fwd = np.array([r[1].fwd for r in placed], np.int64)
    back = np.array([r[1].back for r in placed], np.int64)
    tol = AT_NODE_M / np.maximum(net.arrays.length_m[fwd], 1e-9)
    at_u, at_v = f <= tol, f >= 1.0 - tol
    node = first + j
    return [np.concatenate([u, v]), np.concatenate([node, node]), np.concatenate([fwd, back]),
            np.concatenate([np.where(at_v, WHOLE, ARRIVE), np.where(at_u, WHOLE, ARRIVE)]),
            np.concatenate([f, 1.0 - f])]


def _direct_arcs(net: Network, origins: Sequence[Anchor | None], dests: Sequence[Anchor | None],
                 o_first: int, d_first: int) -> list[np.ndarray]:
    """Straight along the edge for an origin and a destination on the same edge (:meth:`Router.direct`)."""
    by_edge: dict[int, list[tuple[int, Anchor]]] = {}
    for j, d in enumerate(dests):
        if d is not None:
            by_edge.setdefault(d.snap.edge_id, []).append((j, d))
    out: list[tuple[int, int, int, int, float]] = []
    for i, o in enumerate(origins):
        if o is None:
            continue
        for j, d in by_edge.get(o.snap.edge_id, ()):
            along = d.f >= o.f
            start, end = (o.f, d.f) if along else (1.0 - o.f, 1.0 - d.f)
            tol = AT_NODE_M / max(float(net.arrays.length_m[o.fwd]), 1e-9)
            at_tail, at_head = start <= tol, end >= 1.0 - tol
            mode = (WHOLE if at_head else ARRIVE) if at_tail else (LEAVE if at_head else WITHIN)
            out.append((o_first + i, d_first + j, o.fwd if along else o.back, mode, abs(d.f - o.f)))
    if not out:
        return [np.zeros(0)] * 5
    cols = list(zip(*out, strict=True))
    return [np.array(cols[0], np.int64), np.array(cols[1], np.int64), np.array(cols[2], np.int64),
            np.array(cols[3], np.int64), np.array(cols[4], float)]


def build_graph(router: Router, profile: Profile, origins: Sequence[Anchor | None],
                destinations: Sequence[Anchor | None], overlay: Overlay = EMPTY_OVERLAY) -> SearchGraph:
    """The search graph of ``profile`` (with ``overlay``) with one node per origin and per destination."""
    net = router.net
    a = net.arrays
    n_base = net.n_nodes
    o_first, d_first = n_base, n_base + len(origins)
    base = [a.src.astype(np.int64), a.dst.astype(np.int64), np.arange(len(a), dtype=np.int64),
            np.full(len(a), WHOLE), np.ones(len(a))]
    o = _origin_arcs(net, origins, o_first)[:5]
    d = _dest_arcs(net, destinations, d_first)
    direct = _direct_arcs(net, origins, destinations, o_first, d_first)
    parts = [base, o, d, direct]
    cols = [np.concatenate([p[k] for p in parts]) for k in range(5)]
    graph = SearchGraph(
        net=net, profile=profile, overlay=overlay, n_base=n_base,
        origin_node=np.arange(o_first, d_first, dtype=np.int64),
        dest_node=np.arange(d_first, d_first + len(destinations), dtype=np.int64),
        tail=cols[0].astype(np.int64), head=cols[1].astype(np.int64), edge=cols[2].astype(np.int64),
        mode=cols[3].astype(np.int8), fraction=cols[4].astype(float), cost=np.zeros(0),
    )
    graph.cost = graph.arc_costs(np.arange(graph.n_arcs))
    graph.cost.flags.writeable = False
    return graph


# --------------------------------------------------------------------------- searches


def search(graph: SearchGraph, sources: np.ndarray, limit_s: float, read: Callable[[np.ndarray, np.ndarray], None],
           *, cost: np.ndarray | None = None, reverse: bool = False, progress: Progress = no_progress,
           stage: str = "search") -> None:
    """Bounded Dijkstra from every node of ``sources`` (on the reversed graph with ``reverse``), in chunks;
    ``read(rows, dist)`` gets the source indices of a chunk and their arrival times at every node
    (``inf`` beyond ``limit_s``)."""
    sources = np.asarray(sources, np.int64)
    if len(sources) == 0:
        return
    matrix = graph.matrix(cost, reverse=reverse)
    limit = float(limit_s) if math.isfinite(limit_s) else np.inf
    for start in range(0, len(sources), CHUNK_ROWS):
        rows = np.arange(start, min(start + CHUNK_ROWS, len(sources)))
        dist = dijkstra(matrix, directed=True, indices=sources[rows], limit=limit)
        read(rows, np.atleast_2d(dist))
        progress(stage, int(rows[-1]) + 1, len(sources))


def times(graph: SearchGraph, limit_s: float, *, cost: np.ndarray | None = None,
          origins: np.ndarray | None = None) -> np.ndarray:
    """Seconds from each origin (all, or the indices ``origins``) to every destination; ``inf`` beyond ``limit_s``."""
    idx = np.arange(len(graph.origin_node)) if origins is None else np.asarray(origins, np.int64)
    out = np.full((len(idx), len(graph.dest_node)), np.inf)

    def read(rows: np.ndarray, dist: np.ndarray) -> None:
        out[rows] = dist[:, graph.dest_node]

    search(graph, graph.origin_node[idx], limit_s, read, cost=cost)
    return out


# --------------------------------------------------------------------------- sparse distance columns


@dataclass
class Columns:
    """Finite distances between the search sources (rows) and a fixed set of key nodes (columns), stored by
    column: the rows reaching key node ``keys[c]`` are ``rows[ptr[c]:ptr[c+1]]`` with ``dist`` likewise."""

    keys: np.ndarray
    ptr: np.ndarray
    rows: np.ndarray
    dist: np.ndarray

    @classmethod
    def empty(cls, keys: np.ndarray) -> Columns:
        """No distances yet."""
        keys = np.unique(np.asarray(keys, np.int64))
        return cls(keys, np.zeros(len(keys) + 1, np.int64), np.zeros(0, np.int64), np.zeros(0))

    def column(self, node: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, seconds) of the sources that reach key ``node`` (a node that is not a key is a bug)."""
        c = int(np.searchsorted(self.keys, node))
        if c >= len(self.keys) or self.keys[c] != node:
            msg = f"node {node} is not a key node of these searches"
            raise KeyError(msg)
        return self.rows[self.ptr[c]:self.ptr[c + 1]], self.dist[self.ptr[c]:self.ptr[c + 1]]

    def update(self, parts: list[tuple[np.ndarray, np.ndarray]], drop_rows: np.ndarray | None = None) -> None:
        """Drop the entries of ``drop_rows`` and add ``parts`` — (rows, dense seconds at every key node)."""
        col_of = np.repeat(np.arange(len(self.keys)), np.diff(self.ptr))
        keep = np.ones(len(self.rows), bool) if drop_rows is None else ~np.isin(self.rows, drop_rows)
        cols, rows, dist = [col_of[keep]], [self.rows[keep]], [self.dist[keep]]
        for r, dense in parts:
            rr, cc = np.nonzero(np.isfinite(dense))
            cols.append(cc)
            rows.append(np.asarray(r)[rr])
            dist.append(dense[rr, cc])
        col = np.concatenate(cols).astype(np.int64)
        order = np.lexsort((np.concatenate(rows), col))
        self.rows = np.concatenate(rows).astype(np.int64)[order]
        self.dist = np.concatenate(dist)[order]
        self.ptr = np.searchsorted(col[order], np.arange(len(self.keys) + 1)).astype(np.int64)


def collect(graph: SearchGraph, sources: np.ndarray, ids: np.ndarray, keys: np.ndarray, limit_s: float, *,
            reverse: bool = False, cost: np.ndarray | None = None, dest_times: np.ndarray | None = None,
            progress: Progress = no_progress, stage: str = "search") -> list[tuple[np.ndarray, np.ndarray]]:
    """Search from ``sources`` (row ``ids[i]`` for ``sources[i]``) and return (row ids, dense seconds at the
    sorted ``keys``) chunks for :meth:`Columns.update`; with ``dest_times`` (forward searches) also write
    each row's times to every destination into that array."""
    keys = np.asarray(keys, np.int64)
    ids = np.asarray(ids, np.int64)
    parts: list[tuple[np.ndarray, np.ndarray]] = []

    def read(rows: np.ndarray, dist: np.ndarray) -> None:
        parts.append((ids[rows], dist[:, keys]))
        if dest_times is not None:
            dest_times[ids[rows]] = dist[:, graph.dest_node]

    search(graph, sources, limit_s, read, cost=cost, reverse=reverse, progress=progress, stage=stage)
    return parts
