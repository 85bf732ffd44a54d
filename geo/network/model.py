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
    """Kerb height met on each directed edge (all of it, near its head, near its tail) and whether it is known.

    A kerb node between two ways (degree 2) is met on entering it. A kerb node at a junction
    separates the crossing from the sidewalks: it is met only on the crossing — when entering it
    from the crossing or leaving it onto the crossing — not when walking along the sidewalk
    through the junction. A junction kerb with no crossing way at it is met on entering.
    Elsewhere a crossing edge (or a crossing node on a road) with no kerb information anywhere on
    the crossing is *unknown*; any other edge has no kerb (0 cm, known).
    """
    n = street.nodes
    e = street.edges
    n_nodes = len(n)
    tagged = n["kerb_tagged"].to_numpy(bool)
    height = n["kerb_cm"].to_numpy(float)
    node_crossing = n["is_crossing_node"].to_numpy(bool)
    ends = np.concatenate([e["u"].to_numpy(np.int64), e["v"].to_numpy(np.int64)])
    degree = np.bincount(ends, minlength=n_nodes)
    cross_ends = np.concatenate([e["u"].to_numpy(np.int64)[e["is_crossing"].to_numpy(bool)],
                                 e["v"].to_numpy(np.int64)[e["is_crossing"].to_numpy(bool)]])
    has_crossing_edge = np.zeros(n_nodes, bool)
    has_crossing_edge[cross_ends] = True

    enter = tagged[dst] & ((degree[dst] <= 2) | crossing | ~has_crossing_edge[dst])
    leave = tagged[src] & (degree[src] >= 3) & crossing
    with np.errstate(invalid="ignore"):
        at_head = np.fmax(np.where(enter, height[dst], np.nan), way_kerb)
        at_tail = np.fmax(np.where(leave, height[src], np.nan), way_kerb)
        kerb = np.fmax(at_head, at_tail)
    unknown_height = (enter & np.isnan(height[dst])) | (leave & np.isnan(height[src]))
    has = ~np.isnan(kerb)
    known = ~unknown_height & (has | (crossing & crossing_kerb_known) | (~crossing & ~node_crossing[dst]))

    def fill(x: np.ndarray) -> np.ndarray:
        return np.where(~np.isnan(x), x, np.where(known, 0.0, np.nan))

    return fill(kerb), fill(at_head), fill(at_tail), known


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

    def __post_init__(self) -> None:
        if self.heights is None:
            self.heights = EdgeHeights.none(len(self.edges), settings.TERRAIN_STEP_M)
        if self.basemap is None:
            self.basemap = basemap_empty()

    @classmethod
    def from_street_network(cls, street: StreetNetwork, buildings: gpd.GeoDataFrame,
                            pois: gpd.GeoDataFrame, meta: dict[str, Any],
                            basemap: gpd.GeoDataFrame | None = None) -> Network:
        """Build the directed arrays of a simplified network."""
        arrays, indptr = directed_arrays(street)
        return cls(street.nodes, street.edges, arrays, indptr, street.crs_metric, buildings, pois, meta,
                   street.heights, basemap)

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

    def coverage(self) -> dict[str, Any]:
        """Share of network length with known attributes and counts by kind (the straight connections across
        walkable areas are not mapped lines: their length is left out)."""
        e = self.edges
        length = np.where(self.edge_col("across_area").astype(bool), 0.0, e["length_m"].to_numpy())
        total = float(length.sum())

        def pct(mask: np.ndarray, base: np.ndarray | None = None) -> float:
            denom = float(length[base].sum()) if base is not None else total
            num = float(length[mask & base].sum()) if base is not None else float(length[mask].sum())
            return round(100.0 * num / denom, 1) if denom > 0 else 0.0

        crossing = e["is_crossing"].to_numpy(bool)
        known = self.known_flags()
        classes = pd.Series(length).groupby(e["surface_class"].to_numpy()).sum()
        kerbs = self.kerb_places()

        def share(k: int, n: int) -> float:
            return round(100.0 * k / n, 1) if n else 0.0

        return {
            "length_km": round(total / 1000, 2),
            # surface, incline, width, smoothness: % of the network's length; kerb: % of the places a kerb is met
            # (crossings and kerb nodes) whose kerb height is known
            "known_pct": {
                **{name: pct(flag) for name, flag in known.items() if name != "kerb"},
                "kerb": share(kerbs["crossings_known"] + kerbs["kerbs_known"], kerbs["crossings"] + kerbs["kerbs"]),
                "smoothness": pct(e["smoothness"].to_numpy() >= 0),
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

    def kerb_places(self) -> dict[str, int]:
        """The places a kerb is met and how many of them have a known kerb height: ``crossings`` (each crossing
        way once, and crossing nodes on roads that no crossing way meets; known when a kerb value is mapped on
        the crossing or at its ends) and ``kerbs`` (other nodes tagged as a kerb; known with a height or type)."""
        e, n = self.edges, self.nodes
        crossing = e["is_crossing"].to_numpy(bool)
        known = self.known_flags()["kerb"]
        ways = pd.Series(known[crossing]).groupby(self.edge_col("osm_way_id")[crossing]).all()
        at_way = np.zeros(self.n_nodes, bool)
        at_way[e["u"].to_numpy(np.int64)[crossing]] = True
        at_way[e["v"].to_numpy(np.int64)[crossing]] = True
        node_known = n["kerb_known"].to_numpy(bool)
        crossing_node = n["is_crossing_node"].to_numpy(bool) & ~at_way
        kerb_node = n["kerb_tagged"].to_numpy(bool) & ~at_way & ~crossing_node
        return {"crossings": int(len(ways) + crossing_node.sum()),
                "crossings_known": int(ways.sum() + (crossing_node & node_known).sum()),
                "kerbs": int(kerb_node.sum()), "kerbs_known": int((kerb_node & node_known).sum())}

    def known_flags(self) -> dict[str, np.ndarray]:
        """Per undirected edge: whether its surface, incline, kerb (in both directions) and width are known."""
        e = self.edges
        fwd = self.arrays.forward
        kerb = np.zeros(len(e), bool)
        kerb[self.arrays.edge_id[fwd]] = self.arrays.kerb_known[fwd]
        kerb[self.arrays.edge_id[~fwd]] &= self.arrays.kerb_known[~fwd]
        return {"surface": e["surface_known"].to_numpy(bool), "incline": e["incline_known"].to_numpy(bool),
                "kerb": kerb, "width": e["width_known"].to_numpy(bool)}

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
