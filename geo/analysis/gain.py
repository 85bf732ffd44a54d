"""The gain of removing one barrier, for every candidate, exactly and without searching once per barrier.

Today's travel times come from one bounded search forward from every origin and one backward from every
destination (:mod:`geo.analysis.graph`). Removing barrier *b* lowers the cost of a few arcs (``c → c'``);
a time can only drop along a path through one of them, so for an origin *o* and a destination *d*::

    new(o, d) = min over changed arcs x→y of  D'(o, x) + c'(x, y) + D(y, d)

where ``D(y, d)`` is today's time (read off the backward searches) — after the *last* changed arc a path
uses no other — and ``D'(o, x)`` is the time to the arc's tail with *b* removed: today's ``D(o, x)``, or
through another changed arc of the same barrier first (a kerb met entering and leaving a node, a ramp
followed by the partial edge to a home). That small problem over the barrier's own arcs is solved exactly
by relaxing its arcs in turn; pairs of arcs that do not meet end to end need today's time between them,
which a small search gives (only when an origin and a destination lie on the barrier's own edge). Pairs
of arcs a shortest path cannot use in that order (the same tail, the same head, or leading back to the
first tail) are skipped.

A pair *opens* when it is not reachable within the limit today (``D > T``) and is with the barrier removed
(``new ≤ T``). The gain is the weighted number of opened pairs (origin weight × destination weight); the
time saved is reported separately, weighted the same way, over pairs reachable today. Only distances
within the limit are ever needed, so every search is bounded by it. :mod:`geo.analysis.brute` recomputes
everything per barrier and must agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.sparse.csgraph import dijkstra

from geo.analysis.candidates import Candidates, fix_rows, fixed_arc_costs
from geo.analysis.graph import Columns, Progress, SearchGraph, collect, no_progress


@dataclass
class Change:
    """What removing a barrier (or a set of barriers) does: the arcs that get cheaper and their new cost."""

    arcs: np.ndarray
    cost: np.ndarray

    def __len__(self) -> int:
        return len(self.arcs)


NO_CHANGE = Change(np.zeros(0, np.int64), np.zeros(0))


@dataclass
class Effect:
    """The effect of a change: weighted opened pairs (``gain``) and the rest, with the pairs when asked."""

    gain: float = 0.0
    pairs_opened: int = 0
    origins_helped: int = 0
    destinations_opened: int = 0
    time_saved_s: float = 0.0
    #: with ``detail``: opened pairs (origin, destination indices), their time after, and every improved
    #: pair (origin, destination, before, after)
    opened: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    improved: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
    #: origins and destinations whose times could change (for packages)
    origin_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    dest_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


@dataclass
class Situation:
    """Today's (or a package's) travel times: arc costs, origin → destination times, and the distances from
    origins to the tails and from the heads to destinations of every arc a candidate changes."""

    graph: SearchGraph
    limit_s: float
    cost: np.ndarray
    times: np.ndarray
    forward: Columns
    backward: Columns
    origin_weight: np.ndarray
    dest_weight: np.ndarray
    placed_origins: np.ndarray
    placed_dests: np.ndarray

    @classmethod
    def measure(cls, graph: SearchGraph, limit_s: float, origin_weight: np.ndarray, dest_weight: np.ndarray,
                keys_forward: np.ndarray, keys_backward: np.ndarray, *, placed_origins: np.ndarray | None = None,
                placed_dests: np.ndarray | None = None, progress: Progress = no_progress) -> Situation:
        """Search from every placed origin (forward) and destination (backward) within ``limit_s``."""
        n_o, n_d = len(graph.origin_node), len(graph.dest_node)
        po = np.arange(n_o) if placed_origins is None else np.asarray(placed_origins, np.int64)
        pd_ = np.arange(n_d) if placed_dests is None else np.asarray(placed_dests, np.int64)
        times = np.full((n_o, n_d), np.inf)
        forward = Columns.empty(keys_forward)
        forward.update(collect(graph, graph.origin_node[po], po, forward.keys, limit_s, dest_times=times,
                                progress=progress, stage="origins"))
        backward = Columns.empty(keys_backward)
        backward.update(collect(graph, graph.dest_node[pd_], pd_, backward.keys, limit_s, reverse=True,
                                 progress=progress, stage="destinations"))
        return cls(graph, float(limit_s), graph.cost, times, forward, backward, np.asarray(origin_weight, float),
                   np.asarray(dest_weight, float), po, pd_)

    def is_source(self, nodes: np.ndarray) -> np.ndarray:
        """Which nodes are origin nodes (no arc enters them)."""
        return (nodes >= self.graph.n_base) & (nodes < self.graph.n_base + len(self.graph.origin_node))

    def is_sink(self, nodes: np.ndarray) -> np.ndarray:
        """Which nodes are destination nodes (no arc leaves them)."""
        return nodes >= self.graph.n_base + len(self.graph.origin_node)


# --------------------------------------------------------------------------- changes


def change_of(graph: SearchGraph, candidates: Candidates, rows: np.ndarray, cost: np.ndarray,
              on: np.ndarray | None = None) -> Change:
    """The arcs that get cheaper (from ``cost``) when the barriers of ``rows`` are removed together — among
    the arcs on the edges of the barriers ``on`` (by default all of ``rows``)."""
    rows = np.atleast_1d(np.asarray(rows, np.int64))
    on = rows if on is None else np.atleast_1d(np.asarray(on, np.int64))
    arcs = graph.arcs_on(edges_of(candidates, on))
    if len(arcs) == 0:
        return NO_CHANGE
    new = fixed_arc_costs(graph, candidates, arcs, rows, cost[arcs])
    cheaper = new < cost[arcs]
    return Change(arcs[cheaper], new[cheaper])


def single_changes(graph: SearchGraph, candidates: Candidates, cost: np.ndarray,
                   progress: Progress = no_progress) -> list[Change]:
    """The change of every candidate removed alone (the OSM barriers in one vectorised pass)."""
    n = len(candidates)
    arcs = [graph.arcs_on(candidates.directed[i]) for i in range(n)]
    progress("candidates", 0, n)
    out = [NO_CHANGE] * n
    f = candidates.frame
    kind = f["kind"].to_numpy()
    osm = np.flatnonzero(kind != "report")
    if len(osm):
        owner = np.repeat(osm, [len(arcs[i]) for i in osm])
        rows = np.concatenate([arcs[i] for i in osm]).astype(np.int64)
        edges = graph.edge[rows]
        a = fix_rows(graph.arrays.take(edges), edges, graph.net, kind[owner],
                     f["element"].to_numpy(np.int64)[owner], f["category"].to_numpy()[owner])
        new = np.fmin(graph.arc_costs(rows, a), cost[rows])
        cheaper = new < cost[rows]
        bounds = np.concatenate([[0], np.cumsum([len(arcs[i]) for i in osm])])
        for k, i in enumerate(osm.tolist()):
            sl = slice(bounds[k], bounds[k + 1])
            keep = cheaper[sl]
            if keep.any():
                out[i] = Change(rows[sl][keep], new[sl][keep])
    for i in np.flatnonzero(kind == "report").tolist():
        out[i] = change_of(graph, candidates, np.array([i]), cost)
    progress("candidates", n, n)
    return out


def edges_of(candidates: Candidates, rows: np.ndarray) -> np.ndarray:
    """The directed edges the barriers of ``rows`` may change."""
    rows = np.atleast_1d(np.asarray(rows, np.int64))
    return np.concatenate([candidates.directed[r] for r in rows]) if len(rows) else np.zeros(0, np.int64)


def key_nodes(graph: SearchGraph, candidates: Candidates, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tails and heads of every arc on the edges of the barriers ``rows``: where the forward and backward
    searches must be read (any of them may change once other barriers are removed)."""
    arcs = graph.arcs_on(edges_of(candidates, rows))
    return np.unique(graph.tail[arcs]), np.unique(graph.head[arcs])


# --------------------------------------------------------------------------- one change


def _links(s: Situation, tails: np.ndarray, heads: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i, j) of changed arcs a shortest path may use one after the other, with today's time from the
    head of ``i`` to the tail of ``j`` (0 when they meet)."""
    i, j = np.nonzero(np.ones((len(tails), len(tails)), bool))
    ok = (i != j) & (tails[i] != tails[j]) & (heads[i] != heads[j]) & (heads[j] != tails[i])
    ok &= ~s.is_sink(heads[i]) & ~s.is_source(tails[j])
    i, j = i[ok], j[ok]
    gap = np.where(heads[i] == tails[j], 0.0, np.nan)
    far = np.isnan(gap)
    if far.any():
        starts = np.unique(heads[i][far])
        dist = np.atleast_2d(dijkstra(s.graph.matrix(s.cost), directed=True, indices=starts, limit=s.limit_s))
        gap[far] = dist[np.searchsorted(starts, heads[i][far]), tails[j][far]]
    keep = np.isfinite(gap)
    return i[keep], j[keep], gap[keep]


def effect(s: Situation, change: Change, *, detail: bool = False) -> Effect:
    """The exact effect of ``change`` on every origin → destination time within the limit."""
    if len(change) == 0:
        return Effect()
    g, limit = s.graph, s.limit_s
    tails, heads, c = g.tail[change.arcs], g.head[change.arcs], change.cost
    xs = np.unique(tails)
    xi = np.searchsorted(xs, tails)
    cheapest = np.full(len(xs), np.inf)
    np.minimum.at(cheapest, xi, c)
    columns = [s.forward.column(int(x)) for x in xs]
    firsts = [rows[d + cheapest[k] <= limit] for k, (rows, d) in enumerate(columns)]
    rel = np.unique(np.concatenate(firsts)) if firsts else np.zeros(0, np.int64)
    if len(rel) == 0:
        return Effect()
    # times to each tail with the barrier removed: today's, or through another of its arcs first
    to_tail = np.full((len(rel), len(xs)), np.inf)
    for k, (rows, d) in enumerate(columns):
        pos = np.searchsorted(rel, rows)
        hit = (pos < len(rel)) & (rel[np.minimum(pos, len(rel) - 1)] == rows)
        to_tail[pos[hit], k] = d[hit]
    li, lj, gap = _links(s, tails, heads)
    for _ in range(len(xs)):
        changed = False
        for a, b, gp in zip(li.tolist(), lj.tolist(), gap.tolist(), strict=True):
            via = to_tail[:, xi[a]] + c[a] + gp
            better = via < to_tail[:, xi[b]]
            if better.any():
                to_tail[better, xi[b]] = via[better]
                changed = True
        if not changed:
            break
    # the destinations reached through each arc
    prefix = to_tail[:, xi] + c[None, :]
    blocks = []
    for a in range(len(tails)):
        rows = np.flatnonzero(prefix[:, a] <= limit)
        if len(rows) == 0:
            continue
        drows, dd = s.backward.column(int(heads[a]))
        near = dd + prefix[rows, a].min() <= limit
        if near.any():
            blocks.append((a, rows, drows[near], dd[near]))
    if not blocks:
        return Effect(origin_rows=rel)
    rel_d = np.unique(np.concatenate([b[2] for b in blocks]))
    new = np.full((len(rel), len(rel_d)), np.inf)
    for a, rows, drows, dd in blocks:
        cols = np.searchsorted(rel_d, drows)
        sub = np.ix_(rows, cols)
        new[sub] = np.minimum(new[sub], prefix[rows, a][:, None] + dd[None, :])
    return compare(s, rel, rel_d, new, detail)


def compare(s: Situation, rel: np.ndarray, rel_d: np.ndarray, new: np.ndarray, detail: bool) -> Effect:
    """Opened pairs and time saved between today's times and ``new`` (rows ``rel``, columns ``rel_d``)."""
    limit = s.limit_s
    before = s.times[np.ix_(rel, rel_d)]
    weight = s.origin_weight[rel][:, None] * s.dest_weight[rel_d][None, :]
    opened = (before > limit) & (new <= limit)
    faster = (before <= limit) & (new < before)
    saved = np.zeros(before.shape)
    np.subtract(before, new, out=saved, where=faster)
    out = Effect(
        gain=float((weight * opened).sum()), pairs_opened=int(opened.sum()),
        origins_helped=int(opened.any(axis=1).sum()), destinations_opened=int(opened.any(axis=0).sum()),
        time_saved_s=float((weight * saved).sum()), origin_rows=rel, dest_rows=rel_d,
    )
    if detail:
        oi, dj = np.nonzero(opened)
        out.opened = (rel[oi], rel_d[dj], new[oi, dj])
        fi, fj = np.nonzero(faster)
        out.improved = (rel[fi], rel_d[fj], before[fi, fj], new[fi, fj])
    return out


def rank_order(gain: np.ndarray, severity: np.ndarray, barrier_ids: np.ndarray) -> np.ndarray:
    """Indices by gain (largest first), then severity (highest first), then barrier id."""
    return np.lexsort((np.asarray(barrier_ids, dtype=str), -np.asarray(severity), -np.asarray(gain)))


def effects(s: Situation, changes: list[Change], progress: Progress = no_progress) -> list[Effect]:
    """The effect of every change, one after the other."""
    out = []
    for i, ch in enumerate(changes):
        out.append(effect(s, ch))
        if i % 100 == 99 or i == len(changes) - 1:
            progress("rank", i + 1, len(changes))
    return out
