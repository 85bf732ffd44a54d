"""Segments → a simplified, undirected street/footway network with integer node ids.

Simplification is osmnx's ``simplify_graph`` with two guards against the known pitfall (steps
merged into footways with list-valued attributes): a node stays a graph node where the OSM way
changes (``edge_attrs_differ=["osmid"]``, so every edge is a piece of exactly one way and keeps
that way's attributes unchanged) and where it carries accessibility information — kerb,
barrier, crossing, lift (``node_attrs_include``).

The result is a simple graph: self-loops and parallel edges are split by extra nodes (negative
ids) so that every unordered node pair has at most one edge; that is what the CSR router needs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
import shapely.ops

from geo import settings
from geo.errors import DataError
from geo.network.heights import EdgeHeights

log = logging.getLogger(__name__)

#: Columns of the typed way attributes carried from segments to edges.
EDGE_ATTRIBUTE_COLUMNS: tuple[str, ...] = (
    "highway", "name", "surface", "surface_code", "surface_class", "surface_known", "smoothness",
    "incline_pct", "incline_sign", "incline_known", "incline_source", "up_pct", "down_pct", "width_m", "width_known",
    "is_steps", "step_count", "ramp_wheelchair", "ramp_stroller", "ramp_known", "ramp_any", "is_elevator",
    "is_crossing", "crossing_kerb_known", "wheelchair", "way_kerb_cm", "lit", "handrail",
    "tactile_paving", "bridge", "tunnel", "level", "on_surface", "area_id", "across_area",
)

#: Node columns kept in the network.
NODE_ATTRIBUTE_COLUMNS: tuple[str, ...] = (
    "kerb_cm", "kerb_known", "kerb_tagged", "barrier_class", "barrier", "is_crossing_node", "is_elevator_node",
    "node_wheelchair", "crossing",
)


@dataclass
class StreetNetwork:
    """Undirected simplified network: ``nodes`` indexed 0…N−1, ``edges`` 0…M−1 (``u``, ``v`` index nodes),
    and the terrain heights along the edges once a DEM has been sampled."""

    nodes: gpd.GeoDataFrame
    edges: gpd.GeoDataFrame
    crs_metric: str
    heights: EdgeHeights | None = None


def metric_crs(gdf: gpd.GeoDataFrame) -> str:
    """Local UTM zone of the data (EPSG:32633 for Liberec)."""
    return str(gdf.estimate_utm_crs().to_string())


def simplify(segments: gpd.GeoDataFrame, nodes: gpd.GeoDataFrame) -> StreetNetwork:
    """Merge chains of segments of the same way between junctions and accessibility nodes."""
    import osmnx as ox

    if segments.empty:
        raise DataError("graph.no_segments")
    special = (
        nodes["kerb_tagged"] | nodes["barrier_class"].gt(0) | nodes["is_crossing_node"]
        | nodes["is_elevator_node"] | nodes["node_wheelchair"].ge(0)
    )
    graph = nx.MultiDiGraph(crs=settings.CRS_WGS84)
    xs = nodes["x"].to_numpy()
    ys = nodes["y"].to_numpy()
    spec = special.to_numpy()
    graph.add_nodes_from(
        (int(i), {"x": float(x), "y": float(y), "keep": True} if s else {"x": float(x), "y": float(y)})
        for i, x, y, s in zip(nodes.index, xs, ys, spec, strict=True)
    )
    graph.add_edges_from(
        (int(u), int(v), {"osmid": int(w), "length": 1.0})
        for u, v, w in zip(segments["u"], segments["v"], segments["osm_way_id"], strict=True)
    )
    before = graph.number_of_edges()
    graph = ox.simplify_graph(graph, node_attrs_include=["keep"], edge_attrs_differ=["osmid"])
    log.info("simplified %d segments into %d edges between %d nodes", before, graph.number_of_edges(),
             graph.number_of_nodes())

    rows_u, rows_v, rows_w, geoms = [], [], [], []
    for u, v, data in graph.edges(data=True):
        rows_u.append(u)
        rows_v.append(v)
        rows_w.append(data["osmid"])
        geom = data.get("geometry")
        if geom is None:
            geom = shapely.LineString([(graph.nodes[u]["x"], graph.nodes[u]["y"]),
                                       (graph.nodes[v]["x"], graph.nodes[v]["y"])])
        geoms.append(geom)
    edges = gpd.GeoDataFrame(
        {"u": np.array(rows_u, dtype=np.int64), "v": np.array(rows_v, dtype=np.int64),
         "osm_way_id": np.array(rows_w, dtype=np.int64)},
        geometry=geoms, crs=settings.CRS_WGS84,
    )
    edges = _join_way_attributes(edges, segments, nodes)
    node_ids = pd.Index(pd.unique(np.concatenate([edges["u"].to_numpy(), edges["v"].to_numpy()])))
    kept = nodes.loc[node_ids]
    edges, kept = _make_simple(edges, kept)
    return _index(edges, kept)


def _join_way_attributes(edges: gpd.GeoDataFrame, segments: gpd.GeoDataFrame,
                         nodes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    seg = segments.copy()
    # a crossing's kerbs are known when the way or any of its nodes says something about them
    kerb_node = nodes["kerb_tagged"]
    seg_kerb = kerb_node.reindex(seg["u"]).to_numpy(bool) | kerb_node.reindex(seg["v"]).to_numpy(bool)
    seg["crossing_kerb_known"] = seg_kerb | seg["way_kerb_cm"].notna().to_numpy()
    per_way = seg.groupby("osm_way_id", sort=False)
    attrs = per_way.first()
    attrs["crossing_kerb_known"] = per_way["crossing_kerb_known"].any()
    cols = [c for c in EDGE_ATTRIBUTE_COLUMNS if c in attrs.columns]
    joined = edges.join(attrs[cols], on="osm_way_id")
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=settings.CRS_WGS84)


def _make_simple(edges: gpd.GeoDataFrame, nodes: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Split self-loops in three and every parallel edge after the first in two."""
    a = np.minimum(edges["u"].to_numpy(), edges["v"].to_numpy())
    b = np.maximum(edges["u"].to_numpy(), edges["v"].to_numpy())
    loop = a == b
    dup = pd.DataFrame({"a": a, "b": b}).duplicated().to_numpy() & ~loop
    split = loop | dup
    if not split.any():
        return edges, nodes
    keep = edges[~split]
    pieces: list[dict] = []
    new_nodes: list[dict] = []
    next_id = min(-1, int(nodes.index.min()) - 1)
    for row in edges[split].itertuples(index=False):
        line = row.geometry
        cuts = (1 / 3, 2 / 3) if row.u == row.v else (0.5,)
        ends = [row.u]
        for _ in cuts:
            ends.append(next_id)
            next_id -= 1
        ends.append(row.v)
        fractions = (0.0, *cuts, 1.0)
        for k in range(len(fractions) - 1):
            part = shapely.ops.substring(line, fractions[k], fractions[k + 1], normalized=True)
            d = row._asdict()
            d.update(u=ends[k], v=ends[k + 1], geometry=part)
            pieces.append(d)
        for k, frac in enumerate(cuts, start=1):
            pt = line.interpolate(frac, normalized=True)
            new_nodes.append({"osmid": ends[k], "x": pt.x, "y": pt.y, "geometry": pt})
    extra_nodes = gpd.GeoDataFrame(new_nodes, geometry="geometry", crs=settings.CRS_WGS84).set_index("osmid")
    nodes = pd.concat([nodes, extra_nodes])
    for col in ("kerb_known", "kerb_tagged", "is_crossing_node", "is_elevator_node"):
        nodes[col] = nodes[col].fillna(False).astype(bool)
    nodes["barrier_class"] = nodes["barrier_class"].fillna(0).astype(np.int8)
    nodes["node_wheelchair"] = nodes["node_wheelchair"].fillna(-1).astype(np.int8)
    edges = pd.concat([keep, gpd.GeoDataFrame(pieces, geometry="geometry", crs=settings.CRS_WGS84)],
                      ignore_index=True)
    log.info("split %d self-loops and %d parallel edges", int(loop.sum()), int(dup.sum()))
    return gpd.GeoDataFrame(edges, geometry="geometry", crs=settings.CRS_WGS84), nodes


def _index(edges: gpd.GeoDataFrame, nodes: gpd.GeoDataFrame) -> StreetNetwork:
    """Renumber nodes 0…N−1, compute metric lengths and projected coordinates."""
    nodes = nodes.copy()
    nodes.index.name = "osmid"
    nodes = nodes.reset_index()
    position = pd.Series(np.arange(len(nodes), dtype=np.int64), index=nodes["osmid"].to_numpy())
    edges = edges.copy()
    edges["u"] = position.loc[edges["u"].to_numpy()].to_numpy()
    edges["v"] = position.loc[edges["v"].to_numpy()].to_numpy()
    crs = metric_crs(edges)
    edges["length_m"] = edges.geometry.to_crs(crs).length.to_numpy()
    pts = nodes.set_geometry("geometry").geometry.set_crs(settings.CRS_WGS84, allow_override=True).to_crs(crs)
    nodes["x_m"] = pts.x.to_numpy()
    nodes["y_m"] = pts.y.to_numpy()
    nodes = nodes.rename(columns={"x": "lon", "y": "lat"})
    keep_cols = ["osmid", "lon", "lat", "x_m", "y_m",
                 *[c for c in NODE_ATTRIBUTE_COLUMNS if c in nodes.columns], "geometry"]
    nodes = gpd.GeoDataFrame(nodes[keep_cols], geometry="geometry", crs=settings.CRS_WGS84)
    edges = edges.reset_index(drop=True)
    log.info("network: %d nodes, %d edges, %.1f km (metric CRS %s)", len(nodes), len(edges),
             edges["length_m"].sum() / 1000, crs)
    return StreetNetwork(nodes=nodes, edges=edges, crs_metric=crs)
