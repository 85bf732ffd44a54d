"""Reach: from any home, the nearest destination of every essential category by barrier-free travel time.

A :class:`ReachField` holds, for one profile and reports overlay, the time from **every** node of the
network to the nearest destination of each category and which destination that is. It takes one
multi-source search per category — ``scipy.sparse.csgraph.dijkstra`` with ``min_only`` from all that
category's destinations at once, on the reversed search graph of :mod:`geo.analysis.graph` (destinations
snapped and reached exactly as a route's end is). Nine searches answer every home of a city:

* a home given when the field is built is a node of the graph, its times are read off directly
  (:meth:`ReachField.home_times`);
* any other point is snapped like a route's start and joined to its edge's two ends
  (:meth:`ReachField.times_at`): the time to category *c* is ``min(to_u + T_c[u], to_v + T_c[v])`` or a
  destination on the point's own edge reached straight along it — what :meth:`Router.route` computes.

So a card's minutes are the router's best route to the nearest destination (``tests/analysis/test_reach.py``
checks it against one route per destination). The reach **score** (:func:`score`) counts the categories
reachable within 10 and within 15 minutes, equally weighted — see ``docs/housing.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse.csgraph import dijkstra

from geo.analysis.destinations import CATEGORIES, Destinations
from geo.analysis.graph import Progress, SearchGraph, build_graph, no_progress
from geo.analysis.origins import Places, snap_points
from geo.routing.overlay import EMPTY_OVERLAY, Overlay
from geo.routing.profiles import Profile
from geo.routing.router import Anchor, Router

#: The score's two time limits (minutes): a category within the first counts twice, within the second once.
TIERS_MIN: tuple[float, float] = (10.0, 15.0)


@dataclass
class ReachField:
    """Seconds from every search-graph node to the nearest destination of each category (``inf``: none
    reachable) and that destination's index (``-1``), for one profile and overlay."""

    router: Router
    profile: Profile
    overlay: Overlay
    destinations: Destinations
    anchors: list[Anchor | None]
    homes: Places
    graph: SearchGraph
    #: (category, node) seconds and destination index, categories in :data:`CATEGORIES` order
    seconds: np.ndarray = field(repr=False)
    nearest: np.ndarray = field(repr=False)
    #: undirected edge id → destinations snapped onto it
    _on_edge: dict[int, list[int]] = field(default_factory=dict, repr=False)

    @property
    def available(self) -> np.ndarray:
        """Per category: whether any of its destinations is on the network (else the card says "no data")."""
        placed = np.array([a is not None for a in self.anchors], bool)
        cats = self.destinations.categories
        return np.array([bool((placed & (cats == c)).any()) for c in CATEGORIES], bool)

    def anchor(self, lon: float, lat: float) -> Anchor:
        """A point snapped as a route's start (raises :class:`~geo.errors.OutsideAreaError` far off the network)."""
        return self.router.anchor(lon, lat, self.profile, self.overlay)

    def times_at(self, o: Anchor) -> tuple[np.ndarray, np.ndarray]:
        """Seconds to the nearest destination of each category from a snapped point, and its index."""
        ends = self.router.ends(o, self.profile, self.overlay)
        via_u = ends.to_u + self.seconds[:, o.u]
        via_v = ends.to_v + self.seconds[:, o.v]
        best = np.fmin(via_u, via_v)
        which = np.where(via_u <= via_v, self.nearest[:, o.u], self.nearest[:, o.v])
        which = np.where(np.isfinite(best), which, -1)
        for j in self._on_edge.get(o.snap.edge_id, []):  # straight along the point's own edge
            k = CATEGORIES.index(self.destinations.categories[j])
            direct = self.router.direct(o, self.anchors[j], self.profile, self.overlay)  # type: ignore[arg-type]
            if math.isfinite(direct) and direct <= best[k]:
                best[k], which[k] = direct, j
        return best, which

    def home_times(self) -> tuple[np.ndarray, np.ndarray]:
        """(homes × categories) seconds and destination indices of the homes the field was built with."""
        nodes = self.graph.origin_node
        return self.seconds[:, nodes].T.copy(), self.nearest[:, nodes].T.copy()


def build_field(router: Router, destinations: Destinations, profile: Profile, overlay: Overlay = EMPTY_OVERLAY,
                homes: Places | None = None, progress: Progress = no_progress) -> ReachField:
    """Snap the destinations (and ``homes``), build the search graph and run one multi-source search per
    category on its reverse."""
    homes = Places.empty() if homes is None else homes
    progress("snap", 0, 1)
    anchors = snap_points(router, destinations.places, profile, overlay)
    home_anchors = snap_points(router, homes, profile, overlay)
    progress("snap", 1, 1)
    graph = build_graph(router, profile, home_anchors, anchors, overlay)
    n = graph.n_nodes
    seconds = np.full((len(CATEGORIES), n), np.inf)
    nearest = np.full((len(CATEGORIES), n), -1, np.int64)
    placed = np.array([a is not None for a in anchors], bool)
    matrix = graph.matrix(reverse=True)
    first = int(graph.dest_node[0]) if len(graph.dest_node) else 0
    for k, c in enumerate(CATEGORIES):
        mine = np.flatnonzero(placed & (destinations.categories == c))
        if len(mine):
            dist, _, sources = dijkstra(matrix, directed=True, indices=graph.dest_node[mine], min_only=True,
                                        return_predecessors=True)
            seconds[k] = dist
            nearest[k] = np.where(sources >= 0, sources - first, -1)
        progress("search", k + 1, len(CATEGORIES))
    on_edge: dict[int, list[int]] = {}
    for j, a in enumerate(anchors):
        if a is not None:
            on_edge.setdefault(a.snap.edge_id, []).append(j)
    seconds.flags.writeable = False
    nearest.flags.writeable = False
    return ReachField(router, profile, overlay, destinations, anchors, homes, graph, seconds, nearest, on_edge)


# --------------------------------------------------------------------------- the score


@dataclass(frozen=True)
class Score:
    """The reach score: ``value`` = 100 × (within 10 min + within 15 min) / (2 × categories with data), rounded
    (halves up); ``None`` when no category has data."""

    value: int | None
    within_10: int
    within_15: int
    counted: int


def score(seconds: np.ndarray, available: np.ndarray) -> Score:
    """The score of one home from its seconds per category (categories without data are not counted)."""
    s = scores(np.atleast_2d(seconds), available)
    return Score(None if s[0][0] < 0 else int(s[0][0]), int(s[1][0]), int(s[2][0]), int(available.sum()))


def scores(seconds: np.ndarray, available: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores of many homes (homes × categories seconds): value (``-1``: no data), within 10, within 15 min."""
    ok = np.asarray(available, bool)[None, :]
    within_10 = ((seconds <= TIERS_MIN[0] * 60.0) & ok).sum(axis=1)
    within_15 = ((seconds <= TIERS_MIN[1] * 60.0) & ok).sum(axis=1)
    counted = int(ok.sum())
    value = np.floor(100.0 * (within_10 + within_15) / (2 * counted) + 0.5).astype(int) if counted \
        else np.full(len(seconds), -1)
    return value, within_10, within_15
