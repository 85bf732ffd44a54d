"""Barriers a planner could fix, each mapped to the directed edges it changes, and what an edge costs once fixed.

Candidates are the OSM-derived barriers (:func:`geo.layers.barriers.osm_barriers`) and every active
(confirmed, planned, in progress) citizen report placed on the network (:mod:`geo.reports.placement`).
Removing a barrier changes the edge attributes it stands for — to the Czech barrier-free norm
(:mod:`geo.analysis.norms`) — and nothing else (``docs/planner.md``):

===================  ==========================================================================
category             the edge once fixed
===================  ==========================================================================
steps                a wheelchair (and pram) ramp; the incline at most 8.33 % either way
steep_slope          the incline at most 8.33 % either way
narrow_passage       clear width 1.5 m
surface_problem      resurfaced: asphalt, smoothness at worst "good"
inaccessible_way     ``wheelchair=no`` becomes ``yes``
high_kerb (node)     the kerb at that node lowered to 2 cm (on every edge that meets it)
obstacle (node)      the barrier at that node removed
report               the report's cost changes (penalty or closure) removed
===================  ==========================================================================

A fix never makes an edge slower (its cost is the lower of before and after). An edge with two barriers
(say steep and narrow) stays closed until both are fixed — which is why packages are computed on the true
combined effect (:mod:`geo.analysis.packages`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis.graph import SearchGraph
from geo.analysis.norms import MAX_CROSSING_KERB_CM, MAX_LONGITUDINAL_PCT, MIN_WIDTH_M
from geo.network.attributes import SMOOTHNESS, SURFACE_CLASSES, SURFACE_CODE, WHEELCHAIR_CODES
from geo.network.model import EdgeArrays, Network
from geo.reports.placement import ReportsView
from geo.routing.overlay import Overlay

#: Kinds of candidates: an OSM edge barrier, an OSM node barrier, a citizen report.
KINDS: tuple[str, ...] = ("edge", "node", "report")
#: ``value``: the OSM barrier's measure (steps: step count, slope: %, width: m, kerb: cm, obstacle: class).
COLUMNS: tuple[str, ...] = ("barrier_id", "category", "severity", "source", "source_id", "kind", "element",
                            "osm_way_id", "value", "lon", "lat")


@dataclass
class Candidates:
    """Every fixable barrier: a frame of :data:`COLUMNS` and, per row, the directed edges it may change."""

    frame: pd.DataFrame
    geometry: np.ndarray
    directed: tuple[np.ndarray, ...]

    def __post_init__(self) -> None:
        self.kind = self.frame["kind"].to_numpy(object)
        self.element = self.frame["element"].to_numpy(np.int64)
        self.category = self.frame["category"].to_numpy(object)

    def __len__(self) -> int:
        return len(self.frame)

    def index_of(self, barrier_ids: Iterable[str]) -> tuple[np.ndarray, list[str]]:
        """Row indices of ``barrier_ids`` and the ids that are not candidates."""
        lookup = {b: i for i, b in enumerate(self.frame["barrier_id"])}
        ids = list(barrier_ids)
        return np.array([lookup[b] for b in ids if b in lookup], np.int64), [b for b in ids if b not in lookup]


def _edge_points(net: Network, edge_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mid = shapely.line_interpolate_point(net.edges.geometry.to_numpy()[edge_ids], 0.5, normalized=True)
    return shapely.get_x(mid), shapely.get_y(mid)


def find_candidates(net: Network, osm: gpd.GeoDataFrame, view: ReportsView | None = None) -> Candidates:
    """The OSM-derived barriers and the placed active reports, with the directed edges each may change."""
    rows: list[pd.DataFrame] = []
    geoms: list[np.ndarray] = []
    directed: list[np.ndarray] = []
    if len(osm):
        element = osm["element_id"].to_numpy(np.int64)
        is_edge = osm["element"].to_numpy() == "edge"
        lon = np.empty(len(osm))
        lat = np.empty(len(osm))
        if is_edge.any():
            lon[is_edge], lat[is_edge] = _edge_points(net, element[is_edge])
        nodes = element[~is_edge]
        lon[~is_edge] = net.node_col("lon")[nodes]
        lat[~is_edge] = net.node_col("lat")[nodes]
        way = osm["osm_way_id"].to_numpy(object)
        rows.append(pd.DataFrame({
            "barrier_id": osm["barrier_id"].to_numpy(object), "category": osm["category"].to_numpy(object),
            "severity": osm["severity"].to_numpy(np.int64), "source": "osm",
            "source_id": [f"way/{w}" if e else f"node/{net.node_col('osmid')[k]}"
                          for e, w, k in zip(is_edge, way, element, strict=True)],
            "kind": np.where(is_edge, "edge", "node"), "element": element,
            "osm_way_id": [int(w) if e and w is not None and not pd.isna(w) else None
                           for e, w in zip(is_edge, way, strict=True)],
            "value": osm["value"].to_numpy(float), "lon": lon, "lat": lat,
        }))
        geoms.append(osm.geometry.to_numpy())
        for e, k, cat in zip(is_edge, element, osm["category"], strict=True):
            if e:
                directed.append(np.array(net.directed(int(k)), np.int64))
            elif cat == "high_kerb":
                directed.append(np.union1d(net.entering(int(k)), np.arange(net.indptr[k], net.indptr[k + 1])))
            else:
                directed.append(net.entering(int(k)))
    if view is not None:
        placed = [r for r in view.reports if r.id in view.placed]
        if placed:
            rows.append(pd.DataFrame({
                "barrier_id": [f"report-{r.id}" for r in placed], "category": [r.category for r in placed],
                "severity": [int(r.severity) for r in placed], "source": "report",
                "source_id": [str(r.id) for r in placed], "kind": "report",
                "element": [int(r.id) for r in placed], "osm_way_id": None, "value": np.nan,
                "lon": [float(r.lon) for r in placed], "lat": [float(r.lat) for r in placed],
            }))
            geoms.append(np.array([shapely.Point(r.lon, r.lat) for r in placed], dtype=object))
            directed.extend(np.asarray(view.placed[r.id].directed_edges, np.int64) for r in placed)
    if not rows:
        return Candidates(pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS}), np.zeros(0, dtype=object), ())
    frame = pd.concat(rows, ignore_index=True)[list(COLUMNS)]
    return Candidates(frame, np.concatenate(geoms), tuple(directed))


# --------------------------------------------------------------------------- fixed costs


_ASPHALT = SURFACE_CODE["asphalt"]
_PAVED = SURFACE_CLASSES.index("paved_smooth")
_GOOD = SMOOTHNESS.index("good")
_BAD = SMOOTHNESS.index("bad")


def fix_arrays(a: EdgeArrays, edges: np.ndarray, net: Network, candidates: Candidates, fixed: np.ndarray
               ) -> EdgeArrays:
    """The attributes ``a`` of directed ``edges`` with the OSM barriers of rows ``fixed`` removed (together)."""
    c = candidates
    for r in np.asarray(fixed, np.int64).tolist():
        n = len(edges)
        a = fix_rows(a, edges, net, np.full(n, c.kind[r], dtype=object), np.full(n, c.element[r], np.int64),
                     np.full(n, c.category[r], dtype=object))
    return a


def fix_rows(a: EdgeArrays, edges: np.ndarray, net: Network, kind: np.ndarray, element: np.ndarray,
             category: np.ndarray) -> EdgeArrays:
    """The attributes ``a`` of directed ``edges``, row ``i`` with the OSM barrier (``kind[i]``, ``element[i]``,
    ``category[i]``) removed where it lies on that edge."""
    src, dst = net.arrays.src[edges], net.arrays.dst[edges]
    undirected = net.arrays.edge_id[edges]
    changes: dict[str, np.ndarray] = {}

    def field(name: str) -> np.ndarray:
        if name not in changes:
            changes[name] = getattr(a, name).copy()
        return changes[name]

    def on_edge(*cats: str) -> np.ndarray:
        return (kind == "edge") & np.isin(category, cats) & (undirected == element)

    clip = on_edge("steps", "steep_slope")
    if clip.any():
        for name in ("up_pct", "down_pct"):
            field(name)[clip] = np.fmin(getattr(a, name)[clip], MAX_LONGITUDINAL_PCT)
        field("incline_pct")[clip] = np.clip(a.incline_pct[clip], -MAX_LONGITUDINAL_PCT, MAX_LONGITUDINAL_PCT)
    ramp = on_edge("steps")
    if ramp.any():
        field("ramp_wheelchair")[ramp] = True
        field("ramp_stroller")[ramp] = True
    wide = on_edge("narrow_passage")
    if wide.any():
        field("width_m")[wide] = np.fmax(a.width_m[wide], MIN_WIDTH_M)
        field("width_known")[wide] = True
    paved = on_edge("surface_problem")
    if paved.any():
        field("surface_code")[paved] = _ASPHALT
        field("surface_class")[paved] = _PAVED
        field("surface_known")[paved] = True
        field("smoothness")[paved] = np.where(a.smoothness[paved] >= _BAD, _GOOD, a.smoothness[paved])
    allowed = on_edge("inaccessible_way")
    if allowed.any():
        field("wheelchair")[allowed] = WHEELCHAIR_CODES["yes"]
    node = kind == "node"
    gone = node & (category == "obstacle") & (dst == element)
    if gone.any():
        field("barrier_class")[gone] = 0
    kerb = node & (category == "high_kerb")
    if kerb.any():
        _lower_kerbs(a, net, kerb & (dst == element), kerb & (src == element), src, dst, undirected, field)
    return replace(a, **changes) if changes else a


def _lower_kerbs(a: EdgeArrays, net: Network, at_head: np.ndarray, at_tail: np.ndarray, src: np.ndarray,
                 dst: np.ndarray, undirected: np.ndarray, field) -> None:
    """Kerbs lowered to the norm at the head (rows ``at_head``) or tail (``at_tail``) node: where that node's
    kerb is what the edge meets at that end, the end becomes the way's own kerb or the norm's height,
    whichever is higher."""
    height = net.node_col("kerb_cm").astype(float)
    way = np.nan_to_num(net.edge_col("way_kerb_cm").astype(float)[undirected], nan=0.0)
    with np.errstate(invalid="ignore"):
        head_fixed = at_head & (a.kerb_head_cm >= height[dst])
        tail_fixed = at_tail & (a.kerb_tail_cm >= height[src])
    if not (head_fixed.any() or tail_fixed.any()):
        return
    head = field("kerb_head_cm")
    tail = field("kerb_tail_cm")
    head[head_fixed] = np.fmax(way, np.fmin(height[dst], MAX_CROSSING_KERB_CM))[head_fixed]
    tail[tail_fixed] = np.fmax(way, np.fmin(height[src], MAX_CROSSING_KERB_CM))[tail_fixed]
    touched = head_fixed | tail_fixed
    field("kerb_cm")[touched] = np.fmax(head[touched], tail[touched])


def without_reports(overlay: Overlay, report_ids: Iterable[int]) -> Overlay:
    """``overlay`` without the entries of the given reports."""
    ids = set(report_ids)
    if not ids or len(overlay.edges) == 0:
        return overlay
    keep = np.array([lab.get("id") not in ids for lab in overlay.labels], bool)
    return Overlay(version=overlay.version, edges=overlay.edges[keep], blocks=overlay.blocks[keep],
                   penalty_s=overlay.penalty_s[keep], profiles=overlay.profiles[keep],
                   labels=tuple(lab for lab, k in zip(overlay.labels, keep, strict=True) if k),
                   patches=overlay.patches)


def fixed_arc_costs(graph: SearchGraph, candidates: Candidates, arcs: np.ndarray, fixed: np.ndarray,
                    current: np.ndarray) -> np.ndarray:
    """Seconds of ``arcs`` with the barriers of rows ``fixed`` removed (never more than ``current``)."""
    arcs = np.asarray(arcs, np.int64)
    fixed = np.asarray(fixed, np.int64)
    if len(arcs) == 0:
        return np.zeros(0)
    edges = graph.edge[arcs]
    kind = candidates.kind[fixed]
    osm = fixed[kind != "report"]
    reports = candidates.element[fixed[kind == "report"]]
    a = graph.arrays.take(edges)
    if len(osm):
        a = fix_arrays(a, edges, graph.net, candidates, osm)
    cost = graph.arc_costs(arcs, a, without_reports(graph.overlay, reports.tolist()))
    return np.fmin(cost, current)
