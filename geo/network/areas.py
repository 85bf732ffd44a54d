"""Walkable areas and platforms → network segments, so that plazas and platforms join the network.

OSM maps a pedestrian plaza, a square or a platform as an area; the ways that lead to it end at its
outline (often at a node they share with it) or inside it. Without the area those ways are cut-off
pieces. Like other pedestrian routers, we make an area routable with

* its **outline**: a path along every ring (unless the same OSM way is already a network way), and
* **straight connections across it** between the network nodes that meet it — on or inside its
  outline — where the straight line stays inside the area: the edges of their Delaunay triangulation
  (a sparse visibility graph whose shortest paths stay close to straight lines), none passing within
  :data:`PASS_NEAR_M` of a third node (going through that node is as short), and for a node left without
  any, its shortest straight line.

Platforms mapped as ways that the network loader did not read (pyrosm reads ``highway=*`` only) are
added as paths. Outline vertices are matched to network nodes by their coordinates (OSM shares the
node); other vertices become new nodes. Every added segment carries the area's tags (``highway`` set
to ``pedestrian`` for plazas and squares, ``platform`` for platforms), ``area_id`` (``way/123``,
``relation/45``) and a way id: the area's own for the outline of a way, a new negative id otherwise.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import Delaunay, QhullError

from geo import settings

log = logging.getLogger(__name__)

#: How far from an area a network node still meets it (metres).
MEETS_M = 1.0
#: A connection passing this close to another node of the area goes through that node instead (metres).
PASS_NEAR_M = 0.75
#: Above this many nodes in one area, only the nodes where ways end or branch are connected across it.
MAX_NODES_PER_AREA = 150


def _highway(tags: pd.DataFrame) -> np.ndarray:
    """``highway`` of the added segments: the area's plaza value, else ``platform`` or ``pedestrian``."""
    highway = tags["highway"].astype(object).where(tags["highway"].notna(), "").astype(str).str.lower()
    platform = (tags["railway"].astype(str).str.lower().eq("platform")
                | tags["public_transport"].astype(str).str.lower().eq("platform")).to_numpy()
    out = np.where(highway.isin(["pedestrian", "footway", "path"]).to_numpy(), highway.to_numpy(), "pedestrian")
    return np.where(platform & ~highway.isin(["footway", "pedestrian"]).to_numpy(), "platform", out)


class _Nodes:
    """Network nodes by coordinate, and the new nodes made for outline vertices."""

    def __init__(self, nodes: gpd.GeoDataFrame) -> None:
        keys = np.round(nodes[["x", "y"]].to_numpy(float), 7)
        self.by_xy: dict[tuple[float, float], int] = {
            (float(x), float(y)): int(i) for (x, y), i in zip(keys, nodes.index, strict=True)}
        # every node, also one sharing its position with another (the by-position index keeps one of them)
        self.lonlat: dict[int, tuple[float, float]] = {
            int(i): (float(x), float(y)) for (x, y), i in zip(keys, nodes.index, strict=True)}
        self.next_id = min(-1, int(nodes.index.min()) - 1) if len(nodes) else -1
        self.new: list[tuple[int, float, float]] = []

    def ids(self, xy: np.ndarray) -> np.ndarray:
        out = np.empty(len(xy), np.int64)
        for k, (x, y) in enumerate(np.round(xy, 7)):
            key = (float(x), float(y))
            found = self.by_xy.get(key)
            if found is None:
                found = self.next_id
                self.next_id -= 1
                self.by_xy[key] = found
                self.lonlat[found] = key
                self.new.append((found, key[0], key[1]))
            out[k] = found
        return out

    def frame(self, template: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        if not self.new:
            return template.iloc[:0]
        ids, xs, ys = (np.array(c) for c in zip(*self.new, strict=True))
        extra = pd.DataFrame({c: None for c in template.columns if c not in ("x", "y", "geometry")},
                             index=pd.Index(ids, name=template.index.name))
        extra["x"], extra["y"] = xs, ys
        return gpd.GeoDataFrame(extra, geometry=gpd.points_from_xy(xs, ys), crs=settings.CRS_WGS84)


def _lines(geom: shapely.Geometry) -> list[np.ndarray]:
    """Coordinate arrays of the rings of a (multi)polygon, or of a line."""
    if isinstance(geom, shapely.LineString):
        return [shapely.get_coordinates(geom)]
    parts = geom.geoms if isinstance(geom, shapely.MultiPolygon) else [geom]
    return [shapely.get_coordinates(r) for p in parts for r in (p.exterior, *p.interiors)]


def _candidate_pairs(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs to try: the edges of the Delaunay triangulation of the points (every pair for three points
    or fewer, or when they are all on one line)."""
    n = len(xy)
    if n > 3:
        try:
            tri = Delaunay(xy)
        except QhullError:
            tri = None
        if tri is not None:
            s = tri.simplices
            e = np.sort(np.concatenate([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]]), axis=1)
            e = np.unique(e, axis=0)
            return e[:, 0], e[:, 1]
    return np.triu_indices(n, k=1)


def _connections(poly_m: shapely.Geometry, node_ids: np.ndarray, node_xy: np.ndarray,
                 outline_ids: np.ndarray, outline_xy: np.ndarray, linked: set[tuple[int, int]]
                 ) -> list[tuple[int, int]]:
    """Pairs of area nodes joined by a straight line inside the area: the Delaunay edges that stay inside and
    pass near no third node, and for a node left without any, its shortest such line to another node or to a
    vertex of the outline (the way round a concave corner)."""
    n = len(node_ids)
    if n < 2:
        return []
    inside_area = poly_m.buffer(MEETS_M)
    shapely.prepare(inside_area)
    points = shapely.points(node_xy)
    tree = shapely.STRtree(points)

    def usable(i: np.ndarray, j: np.ndarray, xy_i: np.ndarray, xy_j: np.ndarray) -> np.ndarray:
        lines = shapely.linestrings(np.stack([xy_i[i], xy_j[j]], axis=1))
        ok = shapely.covered_by(lines, inside_area)
        line_k, node_k = tree.query(lines, predicate="dwithin", distance=PASS_NEAR_M)
        near_end = (np.hypot(*(node_xy[node_k] - xy_i[i[line_k]]).T) <= PASS_NEAR_M) | (
            np.hypot(*(node_xy[node_k] - xy_j[j[line_k]]).T) <= PASS_NEAR_M)
        third = ~near_end
        ok[line_k[third]] = False
        return ok

    i, j = _candidate_pairs(node_xy)
    ok = usable(i, j, node_xy, node_xy)
    pairs = {(min(a, b), max(a, b)) for a, b in zip(node_ids[i[ok]].tolist(), node_ids[j[ok]].tolist(), strict=True)}
    alone = np.setdiff1d(np.arange(n), np.concatenate([i[ok], j[ok]]))
    if len(alone):
        others_ids = np.concatenate([node_ids, outline_ids])
        others_xy = np.concatenate([node_xy, outline_xy])
        ai, aj = (x.ravel() for x in np.meshgrid(alone, np.arange(len(others_ids)), indexing="ij"))
        differ = node_ids[ai] != others_ids[aj]
        ai, aj = ai[differ], aj[differ]
        dist = np.hypot(*(node_xy[ai] - others_xy[aj]).T)
        dist[~usable(ai, aj, node_xy, others_xy)] = np.inf
        best = pd.Series(dist).groupby(ai).idxmin().to_numpy()
        best = best[np.isfinite(dist[best])]
        pairs |= {(min(a, b), max(a, b)) for a, b in zip(node_ids[ai[best]].tolist(), others_ids[aj[best]].tolist(),
                                                           strict=True)}
    return sorted(p for p in pairs if p not in linked)


def add_area_paths(segments: gpd.GeoDataFrame, nodes: gpd.GeoDataFrame, areas: gpd.GeoDataFrame
                   ) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """``segments`` and ``nodes`` with the outlines of, and the connections across, every walkable area, and
    the platform ways not yet in the network."""
    if areas is None or areas.empty or segments.empty:
        return segments.assign(area_id=None, across_area=False), nodes
    crs = str(segments.estimate_utm_crs().to_string())
    known_ways = set(segments["osm_way_id"].astype("int64").tolist())
    used = pd.unique(np.concatenate([segments["u"].to_numpy(), segments["v"].to_numpy()]))
    net_nodes = nodes.loc[nodes.index.isin(used)]
    registry = _Nodes(net_nodes)
    node_ids = net_nodes.index.to_numpy(np.int64)
    node_m = gpd.GeoSeries(net_nodes.geometry.to_numpy(), crs=settings.CRS_WGS84).to_crs(crs)
    node_xy = np.column_stack([node_m.x.to_numpy(), node_m.y.to_numpy()])
    tree = shapely.STRtree(node_m.to_numpy())
    degree = pd.Series(np.concatenate([segments["u"].to_numpy(), segments["v"].to_numpy()])).value_counts()
    linked = {(min(a, b), max(a, b)) for a, b in zip(segments["u"].tolist(), segments["v"].tolist(), strict=True)}

    tags = areas.reindex(columns=list(settings.WAY_TAGS)).astype(object)
    tags = tags.where(tags.notna(), None)
    tags["highway"] = _highway(tags)
    tags["area"] = None
    element = areas["element"].astype(str).to_numpy() if "element" in areas else np.full(len(areas), "way")
    osmid = pd.to_numeric(areas["osmid"], errors="coerce").fillna(0).astype("int64").to_numpy()
    geoms = areas.geometry.to_numpy()
    geoms_m = gpd.GeoSeries(geoms, crs=settings.CRS_WGS84).to_crs(crs).to_numpy()

    rows_u: list[int] = []
    rows_v: list[int] = []
    rows_way: list[int] = []
    rows_area: list[int] = []
    rows_geom: list[shapely.LineString] = []
    rows_across: list[bool] = []
    next_way = min(-1, int(segments["osm_way_id"].min()) - 1)

    def add(u: np.ndarray, v: np.ndarray, xy_u: np.ndarray, xy_v: np.ndarray, way: int, area: int,
            across: bool = False) -> None:
        # a piece of outline a network way already runs along is left to that way
        keep = (u != v) & np.array([(min(a, b), max(a, b)) not in linked for a, b in zip(u, v, strict=True)])
        linked.update((min(a, b), max(a, b)) for a, b in zip(u[keep].tolist(), v[keep].tolist(), strict=True))
        rows_u.extend(u[keep].tolist())
        rows_v.extend(v[keep].tolist())
        rows_way.extend([way] * int(keep.sum()))
        rows_area.extend([area] * int(keep.sum()))
        rows_across.extend([across] * int(keep.sum()))
        rows_geom.extend(shapely.linestrings(np.stack([xy_u[keep], xy_v[keep]], axis=1)).tolist())

    for k, (geom, geom_m) in enumerate(zip(geoms, geoms_m, strict=True)):
        if geom is None or geom.is_empty:
            continue
        own_way = element[k] == "way" and int(osmid[k]) in known_ways
        outline_ids, outline_xy = [], []
        for coords, coords_m in zip(_lines(geom), _lines(geom_m), strict=True):
            ids = registry.ids(coords)
            outline_ids.append(ids)
            outline_xy.append(coords_m)
            if not own_way:  # the outline, or the platform way, as a path
                way = int(osmid[k]) if element[k] == "way" and osmid[k] > 0 else next_way
                if way == next_way:
                    next_way -= 1
                add(ids[:-1], ids[1:], coords[:-1], coords[1:], way, k)
        if not isinstance(geom_m, (shapely.Polygon, shapely.MultiPolygon)):
            continue
        poly_m = shapely.make_valid(geom_m)
        near = tree.query(poly_m, predicate="dwithin", distance=MEETS_M)
        if len(near) > MAX_NODES_PER_AREA:  # keep the nodes on the outline and where ways end or branch
            ends = degree.reindex(node_ids[near]).fillna(0).to_numpy() != 2
            on_outline = shapely.distance(shapely.boundary(poly_m), shapely.points(node_xy[near])) <= MEETS_M
            near = near[ends | on_outline]
        pairs = _connections(poly_m, node_ids[near], node_xy[near], np.concatenate(outline_ids),
                             np.concatenate(outline_xy), linked)
        if not pairs:
            continue
        lonlat = np.array([registry.lonlat[p] for pair in pairs for p in pair]).reshape(-1, 2, 2)
        for (a, b), xy in zip(pairs, lonlat, strict=True):
            add(np.array([a]), np.array([b]), xy[:1], xy[1:], next_way, k, across=True)
            next_way -= 1

    if not rows_u:
        return segments, nodes
    added = pd.DataFrame({"u": np.array(rows_u, np.int64), "v": np.array(rows_v, np.int64),
                          "osm_way_id": np.array(rows_way, np.int64)})
    area_tags = tags.iloc[rows_area].reset_index(drop=True)
    added = pd.concat([added, area_tags], axis=1)
    added["area_id"] = [f"{element[k]}/{osmid[k]}" for k in rows_area]
    added["across_area"] = rows_across
    out = gpd.GeoDataFrame(pd.concat([segments.assign(area_id=None, across_area=False), added], ignore_index=True),
                           geometry=[*segments.geometry.to_numpy(), *rows_geom], crs=settings.CRS_WGS84)
    new_nodes = registry.frame(nodes)
    all_nodes = gpd.GeoDataFrame(pd.concat([nodes, new_nodes]), geometry="geometry", crs=settings.CRS_WGS84) \
        if len(new_nodes) else nodes
    log.info("walkable areas: %d areas and platforms → %d segments (%d straight across areas), %d new nodes",
             len(areas), len(added), sum(rows_across), len(new_nodes))
    return out, all_nodes
