"""The routable network: directed edge arrays in CSR order, node index, snapping.

Every undirected edge gives two directed edges. Direction-dependent attributes are resolved
here: ``incline_pct`` is signed in the direction of travel (positive = uphill), ``up_pct`` /
``down_pct`` are the steepest climb / descent met in that direction, and ``kerb_cm`` is the kerb
met on arriving at the head node (each kerb is counted once on a path: on the edge that enters
it). Directed edges are sorted by (src, dst), so the arrays *are* the CSR data of the graph and
a per-request cost array plugs straight into ``scipy.sparse.csgraph``.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field, fields
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from geo import settings
from geo.errors import OutsideAreaError
from geo.network.attributes import SURFACE_CLASS_OF_VALUE, SURFACE_CLASSES
from geo.network.basemap import empty as basemap_empty
from geo.network.graph import StreetNetwork
from geo.network.heights import EdgeHeights

log = logging.getLogger(__name__)


_EMPTY = np.zeros(0)

#: Fields the per-request limit checks read (:func:`geo.routing.profiles.limit_blocked`).
LIMIT_FIELDS: tuple[str, ...] = (
    "src", "is_steps", "ramp_wheelchair", "ramp_stroller", "up_pct", "down_pct", "kerb_cm", "width_m",
    "surface_known", "incline_known", "width_known", "kerb_known",
)


@dataclass(frozen=True)
class EdgeArrays:
    """Directed edge attributes as parallel numpy arrays (one element per directed edge)."""

    src: np.ndarray
    dst: np.ndarray
    edge_id: np.ndarray
    forward: np.ndarray
    length_m: np.ndarray
    incline_pct: np.ndarray
    up_pct: np.ndarray
    down_pct: np.ndarray
    incline_known: np.ndarray
    surface_code: np.ndarray
    surface_class: np.ndarray
    surface_known: np.ndarray
    smoothness: np.ndarray
    width_m: np.ndarray
    width_known: np.ndarray
    kerb_cm: np.ndarray
    kerb_head_cm: np.ndarray
    kerb_tail_cm: np.ndarray
    kerb_known: np.ndarray
    is_steps: np.ndarray
    step_count: np.ndarray
    ramp_wheelchair: np.ndarray
    ramp_stroller: np.ndarray
    is_elevator: np.ndarray
    is_crossing: np.ndarray
    wheelchair: np.ndarray
    barrier_class: np.ndarray

    def __len__(self) -> int:
        return len(self.src)

    def take(self, index: np.ndarray, only: tuple[str, ...] | None = None) -> EdgeArrays:
        """The arrays of a subset of directed edges (with ``only``: just those fields, others empty)."""
        names = {f.name for f in fields(self)} if only is None else set(only)
        return EdgeArrays(**{f.name: getattr(self, f.name)[index] if f.name in names else _EMPTY
                             for f in fields(self)})

    def to_dict(self) -> dict[str, np.ndarray]:
        """Name → array, for saving."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Any) -> EdgeArrays:
        """Inverse of :meth:`to_dict`."""
        return cls(**{f.name: np.asarray(data[f.name]) for f in fields(cls)})



def directed_arrays(street: StreetNetwork) -> tuple[EdgeArrays, np.ndarray]:
    """Directed edge arrays sorted by (src, dst) and the CSR ``indptr`` over nodes."""
    e = street.edges
    n = street.nodes
    m = len(e)
    u = e["u"].to_numpy(np.int64)
    v = e["v"].to_numpy(np.int64)
    src = np.concatenate([u, v])
    dst = np.concatenate([v, u])
    forward = np.concatenate([np.ones(m, bool), np.zeros(m, bool)])
    edge_id = np.concatenate([np.arange(m), np.arange(m)])

    def both(col: str, dtype: Any) -> np.ndarray:
        a = e[col].to_numpy(dtype)
        return np.concatenate([a, a])

    inc = e["incline_pct"].to_numpy(float)
    up = e["up_pct"].to_numpy(float)
    down = e["down_pct"].to_numpy(float)
    incline = np.concatenate([inc, -inc])
    up_dir = np.concatenate([up, down])
    down_dir = np.concatenate([down, up])

    kerb, kerb_head, kerb_tail, kerb_known = _directed_kerbs(
        street, src, dst, both("is_crossing", bool), both("crossing_kerb_known", bool), both("way_kerb_cm", float)
    )
    node_crossing = n["is_crossing_node"].to_numpy(bool)
    is_crossing = both("is_crossing", bool)

    surface_code = both("surface_code", np.int8)
    arrays = EdgeArrays(
        src=src.astype(np.int32),
        dst=dst.astype(np.int32),
        edge_id=edge_id.astype(np.int32),
        forward=forward,
        length_m=both("length_m", np.float64),
        incline_pct=incline.astype(np.float32),
        up_pct=up_dir.astype(np.float32),
        down_pct=down_dir.astype(np.float32),
        incline_known=both("incline_known", bool),
        surface_code=surface_code,
        surface_class=SURFACE_CLASS_OF_VALUE[surface_code],
        surface_known=both("surface_known", bool),
        smoothness=both("smoothness", np.int8),
        width_m=both("width_m", np.float32),
        width_known=both("width_known", bool),
        kerb_cm=kerb.astype(np.float32),
        kerb_head_cm=kerb_head.astype(np.float32),
        kerb_tail_cm=kerb_tail.astype(np.float32),
        kerb_known=kerb_known,
        is_steps=both("is_steps", bool),
        step_count=both("step_count", np.float32),
        ramp_wheelchair=both("ramp_wheelchair", bool),
        ramp_stroller=both("ramp_stroller", bool),
        is_elevator=both("is_elevator", bool) | n["is_elevator_node"].to_numpy(bool)[dst],
        is_crossing=is_crossing | node_crossing[dst],
        wheelchair=both("wheelchair", np.int8),
        barrier_class=n["barrier_class"].to_numpy(np.int8)[dst],
    )
    order = np.lexsort((arrays.dst, arrays.src))
    arrays = arrays.take(order)
    indptr = np.searchsorted(arrays.src, np.arange(len(n) + 1)).astype(np.int64)
    return arrays, indptr


def _directed_kerbs(street: StreetNetwork, src: np.ndarray, dst: np.ndarray, crossing: np.ndarray,
                    crossing_kerb_known: np.ndarray, way_kerb: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Kerb height met on each directed edge (all of it, near its head, near its tail) and whether it is known
    (the rule is :func:`kerb_rule`)."""
    k = kerb_rule(KerbNodes.of(street.nodes, street.edges), src, dst, crossing, crossing_kerb_known, way_kerb)
    return k.kerb_cm, k.head_cm, k.tail_cm, k.known


@dataclass(frozen=True)
class KerbNodes:
    """What the kerb rule needs to know about every node."""

    tagged: np.ndarray  # a kerb is mapped there (kerb=*, kerb:height=* or barrier=kerb)
    height_cm: np.ndarray  # its height (NaN: unknown or none)
    crossing: np.ndarray  # a crossing node (highway=crossing or crossing=*)
    degree: np.ndarray
    has_crossing_edge: np.ndarray  # a crossing way ends or passes there

    @classmethod
    def of(cls, nodes: pd.DataFrame, edges: pd.DataFrame) -> KerbNodes:
        """From the node and undirected edge tables of a network."""
        n_nodes = len(nodes)
        u, v = edges["u"].to_numpy(np.int64), edges["v"].to_numpy(np.int64)
        cross = edges["is_crossing"].to_numpy(bool)
        has_crossing_edge = np.zeros(n_nodes, bool)
        has_crossing_edge[np.concatenate([u[cross], v[cross]])] = True
        return cls(nodes["kerb_tagged"].to_numpy(bool), nodes["kerb_cm"].to_numpy(float),
                   nodes["is_crossing_node"].to_numpy(bool), np.bincount(np.concatenate([u, v]), minlength=n_nodes),
                   has_crossing_edge)

    def with_kerbs(self, node_cm: dict[int, float]) -> KerbNodes:
        """The same nodes with kerbs of known height mapped at some of them (node index → cm)."""
        idx = np.fromiter(node_cm, np.int64, len(node_cm))
        tagged, height = self.tagged.copy(), self.height_cm.copy()
        tagged[idx] = True
        height[idx] = np.fromiter(node_cm.values(), float, len(node_cm))
        return KerbNodes(tagged, height, self.crossing, self.degree, self.has_crossing_edge)


@dataclass(frozen=True)
class Kerbs:
    """The kerb met on directed edges: heights (all of it, near the head, near the tail; 0 where there is none,
    NaN where unknown), whether known, and whether the edge meets a kerb node on entering its head / leaving its
    tail (``enter`` / ``leave``)."""

    kerb_cm: np.ndarray
    head_cm: np.ndarray
    tail_cm: np.ndarray
    known: np.ndarray
    enter: np.ndarray
    leave: np.ndarray


def kerb_rule(nodes: KerbNodes, src: np.ndarray, dst: np.ndarray, crossing: np.ndarray,
              crossing_kerb_known: np.ndarray, way_kerb: np.ndarray) -> Kerbs:
    """Kerb height met on each directed edge (``src`` → ``dst``; ``crossing``: the edge is a crossing way).

    A kerb node between two ways (degree 2) is met on entering it. A kerb node at a junction
    separates the crossing from the sidewalks: it is met only on the crossing — when entering it
    from the crossing or leaving it onto the crossing — not when walking along the sidewalk
    through the junction. A junction kerb with no crossing way at it is met on entering.
    Elsewhere a crossing edge (or a crossing node on a road) with no kerb information anywhere on
    the crossing is *unknown*; any other edge has no kerb (0 cm, known).
    """
    tagged, height = nodes.tagged, nodes.height_cm
    enter = tagged[dst] & ((nodes.degree[dst] <= 2) | crossing | ~nodes.has_crossing_edge[dst])
    leave = tagged[src] & (nodes.degree[src] >= 3) & crossing
    with np.errstate(invalid="ignore"):
        at_head = np.fmax(np.where(enter, height[dst], np.nan), way_kerb)
        at_tail = np.fmax(np.where(leave, height[src], np.nan), way_kerb)
        kerb = np.fmax(at_head, at_tail)
    unknown_height = (enter & np.isnan(height[dst])) | (leave & np.isnan(height[src]))
    has = ~np.isnan(kerb)
    known = ~unknown_height & (has | (crossing & crossing_kerb_known) | (~crossing & ~nodes.crossing[dst]))

    def fill(x: np.ndarray) -> np.ndarray:
        return np.where(~np.isnan(x), x, np.where(known, 0.0, np.nan))

    return Kerbs(fill(kerb), fill(at_head), fill(at_tail), known, enter, leave)


def terrain_summary(source: dict[str, Any] | None) -> dict[str, Any] | None:
    """Where the terrain model came from and its resolution, without server paths (``None``: no model)."""
    if not source:
        return None
    keys = ("source", "label", "resolution_m", "status", "fetched_at", "url")
    return {k: source[k] for k in keys if k in source}


def piece_labels(src: np.ndarray, dst: np.ndarray, n_nodes: int, usable: np.ndarray | None = None) -> np.ndarray:
    """Connected pieces of a graph of directed edges ``src → dst`` (only the ``usable`` ones), taken as
    undirected: a label per node, 0 for the largest piece, then by size."""
    keep = np.ones(len(src), bool) if usable is None else usable
    graph = csr_matrix((np.ones(int(keep.sum()), np.int8), (src[keep], dst[keep])), shape=(n_nodes, n_nodes))
    _, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    rank = np.empty(len(sizes), np.int64)
    rank[np.argsort(-sizes, kind="stable")] = np.arange(len(sizes))
    return rank[labels]


@dataclass
class Snap:
    """A point snapped onto an undirected edge."""

    edge_id: int
    fraction: float  # 0 at the edge's u, 1 at its v (along the geometry)
    distance_m: float
    lon: float
    lat: float


@dataclass
class Network:
    """Everything a running app needs: nodes, edges, directed arrays, terrain heights along the edges (none
    without a DEM), features and provenance."""

    nodes: gpd.GeoDataFrame
    edges: gpd.GeoDataFrame
    arrays: EdgeArrays
    indptr: np.ndarray
    crs_metric: str
    buildings: gpd.GeoDataFrame
    pois: gpd.GeoDataFrame
    meta: dict[str, Any]
    heights: EdgeHeights | None = None
    #: the network's OSM ways and nodes as loaded (version, every tag, node refs; see geo.network.osm)
    elements: pd.DataFrame | None = None
    #: the base map of the extract (``geo.network.basemap``): ``kind``, ``name``, geometry
    basemap: gpd.GeoDataFrame | None = None
    _tree: shapely.STRtree | None = field(default=None, repr=False)
    _edges_metric: np.ndarray | None = field(default=None, repr=False)
    _to_metric: Transformer | None = field(default=None, repr=False)
    _columns: dict[tuple[str, str], np.ndarray] = field(default_factory=dict, repr=False)
    _directed: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    _incoming: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    _pair_keys: np.ndarray | None = field(default=None, repr=False)
    _pieces: np.ndarray | None = field(default=None, repr=False)
    _kerb_nodes: KerbNodes | None = field(default=None, repr=False)
    _node_index: pd.Series | None = field(default=None, repr=False)
    _way_edges: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    _element_index: pd.Series | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.heights is None:
            self.heights = EdgeHeights.none(len(self.edges), settings.TERRAIN_STEP_M)
        if self.basemap is None:
            self.basemap = basemap_empty()

    @classmethod
    def from_street_network(cls, street: StreetNetwork, buildings: gpd.GeoDataFrame,
                            pois: gpd.GeoDataFrame, meta: dict[str, Any],
                            elements: pd.DataFrame | None = None, basemap: gpd.GeoDataFrame | None = None
                            ) -> Network:
        """Build the directed arrays of a simplified network."""
        arrays, indptr = directed_arrays(street)
        return cls(street.nodes, street.edges, arrays, indptr, street.crs_metric, buildings, pois, meta,
                   street.heights, elements=elements, basemap=basemap)

    @property
    def n_nodes(self) -> int:
        """Number of graph nodes."""
        return len(self.nodes)

    def edge_col(self, name: str) -> np.ndarray:
        """An undirected-edge column as a NumPy array (converted once; for per-element access)."""
        return self._column("edges", name)

    def node_col(self, name: str) -> np.ndarray:
        """A node column as a NumPy array (converted once)."""
        return self._column("nodes", name)

    def _column(self, table: str, name: str) -> np.ndarray:
        key = (table, name)
        arr = self._columns.get(key)
        if arr is None:
            frame = self.edges if table == "edges" else self.nodes
            if name == "geometry":
                arr = frame.geometry.to_numpy()
            elif name in frame:
                col = frame[name]
                arr = col.to_numpy(dtype=object) if col.dtype == object or str(col.dtype).startswith(
                    ("string", "str")) else col.to_numpy()
            else:
                arr = np.full(len(frame), None, dtype=object)
            self._columns[key] = arr
        return arr

    # ----------------------------------------------------------------- directed edges

    def directed(self, edge_ids: np.ndarray | int) -> tuple[np.ndarray, np.ndarray]:
        """The directed edges of undirected edges: (along the geometry, against it)."""
        if self._directed is None:
            a = self.arrays
            fwd = np.empty(len(self.edges), np.int64)
            back = np.empty(len(self.edges), np.int64)
            fwd[a.edge_id[a.forward]] = np.flatnonzero(a.forward)
            back[a.edge_id[~a.forward]] = np.flatnonzero(~a.forward)
            self._directed = (fwd, back)
        fwd, back = self._directed
        return fwd[edge_ids], back[edge_ids]

    def entering(self, node: int) -> np.ndarray:
        """The directed edges whose head is ``node``."""
        if self._incoming is None:
            order = np.argsort(self.arrays.dst, kind="stable")
            self._incoming = (order, np.searchsorted(self.arrays.dst[order], np.arange(self.n_nodes + 1)))
        order, ptr = self._incoming
        return order[ptr[node]:ptr[node + 1]].astype(np.int64)

    def edges_between(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The directed edges from nodes ``a`` to nodes ``b`` (the arrays are sorted by source, then head,
        so one search over the combined key finds them all)."""
        if self._pair_keys is None:
            self._pair_keys = self.arrays.src.astype(np.int64) * self.n_nodes + self.arrays.dst
        return np.searchsorted(self._pair_keys, np.asarray(a, np.int64) * self.n_nodes + np.asarray(b, np.int64))

    # ----------------------------------------------------------------- OSM elements

    def node_index(self, osm_ids: np.ndarray) -> np.ndarray:
        """Graph node indices of OSM node ids (−1 for ids not in the network)."""
        if self._node_index is None:
            self._node_index = pd.Series(np.arange(self.n_nodes), index=self.nodes["osmid"].to_numpy(np.int64))
        found = self._node_index.reindex(np.asarray(osm_ids, np.int64))
        return found.fillna(-1).to_numpy(np.int64)

    def way_edges(self, way_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Undirected edges of OSM ways: (edge ids, position of their way in ``way_ids``), ordered by way."""
        if self._way_edges is None:
            ways = self.edge_col("osm_way_id").astype(np.int64)
            order = np.argsort(ways, kind="stable")
            self._way_edges = (ways[order], order)
        sorted_ways, order = self._way_edges
        wanted = np.asarray(way_ids, np.int64)
        lo, hi = np.searchsorted(sorted_ways, wanted, "left"), np.searchsorted(sorted_ways, wanted, "right")
        counts = hi - lo
        owner = np.repeat(np.arange(len(wanted)), counts)
        starts = np.repeat(lo - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
        return order[np.arange(int(counts.sum())) + starts], owner

    def element(self, kind: str, osm_id: int) -> dict[str, Any] | None:
        """The loaded OSM element (``type``, ``id``, ``version``, ``tags`` …) or ``None`` when not loaded."""
        el = self.elements
        if el is None or len(el) == 0:
            return None
        if self._element_index is None:
            keys = (el["type"].astype(str) + "/" + el["id"].astype(str)).to_numpy(object)
            self._element_index = pd.Series(np.arange(len(el)), index=keys)
        i = self._element_index.get(f"{kind}/{osm_id}")
        return None if i is None else el.iloc[int(i)].to_dict()

    def element_version(self, kind: str, osm_id: int) -> int | None:
        """The version of a loaded OSM element (``None``: not loaded, or loaded without versions)."""
        el = self.element(kind, osm_id)
        version = None if el is None else el.get("version")
        return None if version is None or pd.isna(version) or int(version) <= 0 else int(version)

    # ----------------------------------------------------------------- kerbs

    def kerbs_with(self, node_cm: dict[int, float]) -> tuple[np.ndarray, Kerbs]:
        """The kerbs of the directed edges that change when kerbs of known height are mapped at some nodes
        (node index → cm), as if OSM said so: edges at those nodes, and every edge of a crossing way that
        touches one (its kerbs become known). Returns (directed edges, their kerbs)."""
        if not node_cm:
            empty = np.zeros(0)
            return np.zeros(0, np.int64), Kerbs(empty, empty, empty, np.zeros(0, bool), np.zeros(0, bool),
                                                np.zeros(0, bool))
        if self._kerb_nodes is None:
            self._kerb_nodes = KerbNodes.of(self.nodes, self.edges)
        nodes = self._kerb_nodes.with_kerbs(node_cm)
        a = self.arrays
        marked = np.zeros(self.n_nodes, bool)
        marked[np.fromiter(node_cm, np.int64, len(node_cm))] = True
        crossing_way = self.edge_col("is_crossing").astype(bool)
        ways = self.edge_col("osm_way_id").astype(np.int64)
        u, v = self.edge_col("u").astype(np.int64), self.edge_col("v").astype(np.int64)
        touched_ways = np.unique(ways[crossing_way & (marked[u] | marked[v])])
        way_known = self.edge_col("crossing_kerb_known").astype(bool) | np.isin(ways, touched_ways)
        eid = a.edge_id.astype(np.int64)
        idx = np.flatnonzero(marked[a.src] | marked[a.dst] | np.isin(ways[eid], touched_ways))
        e = eid[idx]
        kerbs = kerb_rule(nodes, a.src[idx], a.dst[idx], crossing_way[e], way_known[e],
                          self.edge_col("way_kerb_cm").astype(float)[e])
        return idx, kerbs

    # ----------------------------------------------------------------- projection & snapping

    @property
    def to_metric(self) -> Transformer:
        """lon/lat → the network's metric CRS (created once)."""
        if self._to_metric is None:
            self._to_metric = Transformer.from_crs(settings.CRS_WGS84, self.crs_metric, always_xy=True)
        return self._to_metric

    @property
    def edges_metric(self) -> np.ndarray:
        """Edge geometries in the metric CRS (computed once)."""
        if self._edges_metric is None:
            t = self.to_metric
            self._edges_metric = shapely.transform(
                self.edges.geometry.to_numpy(), lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1]))
            )
        return self._edges_metric

    @property
    def tree(self) -> shapely.STRtree:
        """Spatial index of edges in the metric CRS (built once)."""
        if self._tree is None:
            self._tree = shapely.STRtree(self.edges_metric)
        return self._tree

    def snap(self, lon: float, lat: float, *, max_distance_m: float = 300.0,
             candidates: np.ndarray | None = None) -> Snap:
        """Project a point onto the nearest edge (optionally among ``candidates`` only)."""
        x, y = self.to_metric.transform(lon, lat)
        pt = shapely.Point(x, y)
        if candidates is None:
            hits, dists = self.tree.query_nearest(pt, max_distance=max_distance_m, return_distance=True)
            if len(hits) == 0:
                raise OutsideAreaError("network.point_far", point=f"{lat:.6f}, {lon:.6f}",
                                       max_distance_m=max_distance_m)
            edge_id = int(hits[np.argmin(dists)])
        else:
            d = shapely.distance(self.edges_metric[candidates], pt)
            if len(d) == 0 or np.min(d) > max_distance_m:
                raise OutsideAreaError("network.no_usable_edge", point=f"{lat:.6f}, {lon:.6f}",
                                       max_distance_m=max_distance_m)
            edge_id = int(candidates[np.argmin(d)])
        return self.snap_to_edge(edge_id, pt)

    def snap_to_edge(self, edge_id: int, pt: shapely.Point) -> Snap:
        """Project a metric point onto one edge; the snapped lon/lat is the exact projected point."""
        line = self.edges_metric[edge_id]
        frac = float(shapely.line_locate_point(line, pt, normalized=True)) if line.length > 0 else 0.0
        on = line.interpolate(frac, normalized=True)
        lon, lat = self.to_metric.transform(on.x, on.y, direction="INVERSE")
        return Snap(edge_id=edge_id, fraction=frac, distance_m=float(shapely.distance(line, pt)),
                    lon=float(lon), lat=float(lat))

    def bounds(self) -> tuple[float, float, float, float]:
        """lon/lat bounding box of the network."""
        return tuple(float(b) for b in self.edges.total_bounds)  # type: ignore[return-value]

    def covers(self, lon: float, lat: float, *, margin_m: float = 1000.0) -> bool:
        """Whether a point lies within the network's bounding box grown by ``margin_m``."""
        minx, miny, maxx, maxy = self.bounds()
        dlat = margin_m / 111_320.0
        dlon = dlat / max(math.cos(math.radians((miny + maxy) / 2)), 0.01)
        return minx - dlon <= lon <= maxx + dlon and miny - dlat <= lat <= maxy + dlat

    # ----------------------------------------------------------------- connected pieces

    @property
    def piece_of_node(self) -> np.ndarray:
        """The connected piece of every node (0 is the largest piece; pieces numbered by size, largest first),
        following every edge whatever it is — the network as mapped, no profile."""
        if self._pieces is None:
            self._pieces = piece_labels(self.arrays.src, self.arrays.dst, self.n_nodes)
        return self._pieces

    def piece_of_edge(self, edge_ids: np.ndarray) -> np.ndarray:
        """The connected piece of undirected edges."""
        return self.piece_of_node[self.edge_col("u")[edge_ids].astype(np.int64)]

    def connectivity(self) -> dict[str, Any]:
        """How many connected pieces the network has and how much lies outside the largest one."""
        sizes = np.bincount(self.piece_of_node)
        outside = int(sizes[1:].sum()) if len(sizes) else 0
        return {
            "pieces": len(sizes),
            "largest_nodes": int(sizes[0]) if len(sizes) else 0,
            "outside_nodes": outside,
            "outside_pct": round(100.0 * outside / max(self.n_nodes, 1), 2),
            "other_piece_sizes": sizes[1:11].tolist(),
        }

    # ----------------------------------------------------------------- statistics

    def coverage(self, arrays: EdgeArrays | None = None) -> dict[str, Any]:
        """Share of network length with known attributes and counts by kind (of ``arrays`` when given:
        the directed arrays with verified attributes laid over them). The straight connections across
        walkable areas are not mapped lines: their length is left out."""
        a = self.arrays if arrays is None else arrays
        e = self.edges
        fwd = np.flatnonzero(a.forward)
        fwd = fwd[np.argsort(a.edge_id[fwd], kind="stable")]  # the forward directed edge of every edge, by id
        length = np.where(self.edge_col("across_area").astype(bool), 0.0, a.length_m[fwd])
        total = float(length.sum())

        def pct(mask: np.ndarray, base: np.ndarray | None = None) -> float:
            denom = float(length[base].sum()) if base is not None else total
            num = float(length[mask & base].sum()) if base is not None else float(length[mask].sum())
            return round(100.0 * num / denom, 1) if denom > 0 else 0.0

        crossing = e["is_crossing"].to_numpy(bool)
        known = self.known_flags(a)
        classes = pd.Series(length).groupby(np.asarray(SURFACE_CLASSES, dtype=object)[a.surface_class[fwd]]).sum()
        kerbs = self.kerb_places(a)

        def share(k: int, n: int) -> float:
            return round(100.0 * k / n, 1) if n else 0.0

        return {
            "length_km": round(total / 1000, 2),
            # surface, incline, width, smoothness: % of the network's length; kerb: % of the places a kerb is met
            # (crossings and kerb nodes) whose kerb height is known
            "known_pct": {
                **{name: pct(flag) for name, flag in known.items() if name != "kerb"},
                "kerb": share(kerbs["crossings_known"] + kerbs["kerbs_known"], kerbs["crossings"] + kerbs["kerbs"]),
                "smoothness": pct(a.smoothness[fwd] >= 0),
                "kerb_at_crossings": share(kerbs["crossings_known"], kerbs["crossings"]),
            },
            "kerb_places": kerbs,
            "surface_km": {c: round(float(classes.get(c, 0.0)) / 1000, 2) for c in SURFACE_CLASSES},
            "incline_from_terrain": int((e["incline_source"] == "dem").sum()),
            "incline_disputed": int(e["incline_disputed"].sum()) if "incline_disputed" in e else 0,
            "steps": int(e["is_steps"].sum()),
            "crossings": int(crossing.sum()),
            "elevators": int(e["is_elevator"].sum() + self.nodes["is_elevator_node"].sum()),
            "kerb_nodes": int(self.nodes["kerb_known"].sum()),
            "walkable_areas": int(e["area_id"].nunique()) if "area_id" in e else 0,
            "across_area_edges": int(e["across_area"].sum()) if "across_area" in e else 0,
        }

    def kerb_places(self, arrays: EdgeArrays | None = None) -> dict[str, int]:
        """The places a kerb is met and how many of them have a known kerb height: ``crossings`` (each crossing
        way once, and crossing nodes on roads that no crossing way meets; known when a kerb value is mapped on
        the crossing or at its ends) and ``kerbs`` (other nodes tagged as a kerb; known with a height or type) —
        in ``arrays`` when given (verified attributes laid over the network's)."""
        e, n = self.edges, self.nodes
        crossing = e["is_crossing"].to_numpy(bool)
        known = self.known_flags(arrays)["kerb"]
        ways = pd.Series(known[crossing]).groupby(self.edge_col("osm_way_id")[crossing]).all()
        at_way = np.zeros(self.n_nodes, bool)
        at_way[e["u"].to_numpy(np.int64)[crossing]] = True
        at_way[e["v"].to_numpy(np.int64)[crossing]] = True
        a = self.arrays if arrays is None else arrays
        node_known = np.ones(self.n_nodes, bool)  # known when every way into the node knows its kerb
        node_known[a.dst[~a.kerb_known]] = False
        crossing_node = n["is_crossing_node"].to_numpy(bool) & ~at_way
        kerb_node = n["kerb_tagged"].to_numpy(bool) & ~at_way & ~crossing_node
        return {"crossings": int(len(ways) + crossing_node.sum()),
                "crossings_known": int(ways.sum() + (crossing_node & node_known).sum()),
                "kerbs": int(kerb_node.sum()), "kerbs_known": int((kerb_node & node_known).sum())}

    def known_flags(self, arrays: EdgeArrays | None = None) -> dict[str, np.ndarray]:
        """Per undirected edge: whether its surface, incline, kerb (in both directions) and width are known (in
        ``arrays`` when given: the directed arrays with verified attributes laid over them)."""
        a = self.arrays if arrays is None else arrays
        fwd = a.forward
        out: dict[str, np.ndarray] = {}
        for name, flags in (("surface", a.surface_known), ("incline", a.incline_known), ("kerb", a.kerb_known),
                            ("width", a.width_known)):
            known = np.zeros(len(self.edges), bool)
            known[a.edge_id[fwd]] = flags[fwd]
            if name == "kerb":
                known[a.edge_id[~fwd]] &= flags[~fwd]
            out[name] = known
        return out

    def summary(self) -> dict[str, Any]:
        """Counts and provenance for ``/healthz`` and ``info``."""
        prov = self.meta.get("provenance", {})
        return {
            "area": prov.get("area"),
            "source": prov.get("source"),
            "location": prov.get("location"),
            "data_date": prov.get("data_date"),
            "nodes": self.n_nodes,
            "edges": len(self.edges),
            "directed_edges": len(self.arrays),
            "buildings": len(self.buildings),
            "pois": len(self.pois),
            "dem": self.meta.get("dem"),
            "terrain": terrain_summary(self.meta.get("terrain_source")),
            "built_at": self.meta.get("built_at"),
        }
