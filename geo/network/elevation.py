"""Terrain from a DEM (any CRS): node elevations, edge grades that never understate a slope, dense heights.

The method is described in ``docs/terrain.md``. In short: every edge is sampled (bilinear) every
``step_m`` metres (:data:`geo.settings.TERRAIN_STEP_M`) and at both ends; the edges of an OSM way are
joined end to end, so a grade can be measured over a window of ``window_m`` metres
(:data:`geo.settings.TERRAIN_WINDOW_M`) that crosses an edge's ends into its neighbours on the same way.

* ``incline_pct`` — the net grade in the edge's direction: rise over length, except that an edge shorter
  than the window takes the grade of a window centred on it along its way (the whole way when that is
  shorter), so short edges keep their true grade without the noise of a 1 m DEM.
* ``up_pct`` / ``down_pct`` — the steepest climb / descent of a window slid along the edge (centred on
  every sample and on the midpoint), and never less than the net grade.
* Unknown where the terrain cannot give a trustworthy grade: a sample of the edge or of one of its
  windows off the DEM or on nodata; bridges and tunnels (not on the ground).
* OSM first: a numeric ``incline`` is kept; a sign-only ``incline=up/down`` takes the terrain's values
  when the terrain agrees and is *disputed* (unknown, ``incline_disputed``) when the terrain's net grade
  has the other sign by more than :data:`geo.settings.TERRAIN_SIGN_TOLERANCE_PCT`.

The heights are kept per edge (:class:`~geo.network.heights.EdgeHeights`) for the climb and the
elevation profile of routes.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS, Transformer
from scipy import ndimage

from geo import settings
from geo.errors import DemError
from geo.network.graph import StreetNetwork
from geo.network.heights import EdgeHeights, sample_counts, sample_positions

log = logging.getLogger(__name__)


#: Local (engineering) CRS names that GDAL reads from Czech rasters without an EPSG code.
_KNOWN_LOCAL_CRS = {"s-jtsk_krovak_east_north": "EPSG:5514", "s-jtsk / krovak east north": "EPSG:5514"}
#: Pixels read around the samples (the bilinear interpolation needs the neighbouring pixel).
_MARGIN_PX = 3


def _usable_crs(crs: object, path: str) -> str:
    """The raster's CRS as a string pyproj can transform to; S-JTSK written as a local CS is EPSG:5514."""
    if crs is None:
        raise DemError("dem.no_crs", file=path)
    wkt = crs.to_wkt()
    if wkt.startswith(("LOCAL_CS", "ENGCRS")):
        name = CRS.from_wkt(wkt).name.lower()
        if name in _KNOWN_LOCAL_CRS:
            log.info("DEM %s: local CRS %r read as %s", path, name, _KNOWN_LOCAL_CRS[name])
            return _KNOWN_LOCAL_CRS[name]
        raise DemError("dem.local_crs", file=path, crs=name)
    return crs.to_string()


class Dem:
    """A DEM file; :meth:`load` reads the window some points need, :meth:`sample` interpolates in it."""

    def __init__(self, path: str | Path) -> None:
        import rasterio

        self.path = str(path)
        if ":" not in self.path.split("/")[-1] and not Path(self.path).exists():
            raise DemError("dem.not_found", file=self.path)
        try:
            with rasterio.open(self.path) as src:
                self.crs = _usable_crs(src.crs, self.path)
                self.bounds = src.bounds
                res = float(min(abs(src.res[0]), abs(src.res[1])))
                #: pixel size in metres (degrees turned into metres on a geographic raster)
                self.resolution_m = res * 111_320.0 if CRS.from_user_input(self.crs).is_geographic else res
        except rasterio.errors.RasterioIOError as exc:
            raise DemError("dem.unreadable", file=self.path, error=str(exc)) from exc
        self.values = np.full((0, 0), np.nan, np.float32)
        self.transform = None

    def inside(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Which points (DEM CRS) lie within the raster."""
        b = self.bounds
        return (x >= b.left) & (x <= b.right) & (y >= b.bottom) & (y <= b.top)

    def load(self, x: np.ndarray, y: np.ndarray, network_bounds: str) -> None:
        """Read the window covering the points (DEM CRS) that lie on the raster, plus a few pixels."""
        import rasterio
        from rasterio.windows import Window, from_bounds

        inside = self.inside(x, y)
        if not inside.any():
            b = self.bounds
            raise DemError("dem.outside", file=self.path, crs=self.crs, network_bounds=network_bounds,
                           dem_bounds=f"{b.left:.0f},{b.bottom:.0f},{b.right:.0f},{b.top:.0f}")
        with rasterio.open(self.path) as src:
            win = from_bounds(x[inside].min(), y[inside].min(), x[inside].max(), y[inside].max(), src.transform)
            col0 = max(math.floor(win.col_off) - _MARGIN_PX, 0)
            row0 = max(math.floor(win.row_off) - _MARGIN_PX, 0)
            col1 = min(math.ceil(win.col_off + win.width) + _MARGIN_PX, src.width)
            row1 = min(math.ceil(win.row_off + win.height) + _MARGIN_PX, src.height)
            window = Window(col0, row0, col1 - col0, row1 - row0)
            self.values = src.read(1, window=window, masked=True, out_dtype=np.float32).filled(np.nan)
            self.transform = src.window_transform(window)

    def sample(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Bilinear elevation in metres at points in the DEM's CRS; NaN off the loaded window or on nodata."""
        col, row = ~self.transform @ (np.asarray(x, float), np.asarray(y, float))
        col = np.asarray(col) - 0.5
        row = np.asarray(row) - 0.5
        h, w = self.values.shape
        out = ndimage.map_coordinates(self.values, [row, col], order=1, mode="nearest", output=np.float64)
        out[(row < -0.5) | (col < -0.5) | (row > h - 0.5) | (col > w - 0.5) | ~np.isfinite(row + col)] = np.nan
        return out


# --------------------------------------------------------------------------- ways as chains of edges


def way_chains(u: np.ndarray, v: np.ndarray, way: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The edges of every OSM way joined end to end: ``(order, flipped, ptr)``.

    ``order[ptr[c]:ptr[c + 1]]`` are the edges of chain ``c`` in order, ``flipped`` says which run from
    ``v`` to ``u`` in it. Two edges join where exactly two ends of the same way meet at a node; a way
    branching or touching itself there ends its chains, and a closed way is opened at one node."""
    m = len(u)
    node = np.concatenate([u, v]).astype(np.int64)
    ways = np.concatenate([way, way]).astype(np.int64)
    order = np.lexsort((node, ways))
    same = (node[order][1:] == node[order][:-1]) & (ways[order][1:] == ways[order][:-1])
    # an end pairs with its neighbour in the sorted order when their (way, node) group has exactly two ends
    group = np.concatenate([[0], np.cumsum(~same)])
    size = np.bincount(group)
    partner = np.full(2 * m, -1, np.int64)
    pair = np.flatnonzero(same & (size[group[1:]] == 2))
    partner[order[pair]] = order[pair + 1]
    partner[order[pair + 1]] = order[pair]
    links = partner.tolist()
    visited = bytearray(m)
    seq: list[int] = []
    flipped: list[bool] = []
    ptr = [0]

    def walk(edge: int, enter: int) -> None:  # enter: 0 at u, 1 at v
        while not visited[edge]:
            visited[edge] = 1
            seq.append(edge)
            flipped.append(enter == 1)
            nxt = links[edge + m * (1 - enter)]
            if nxt < 0:
                break
            edge, enter = nxt % m, nxt // m
        ptr.append(len(seq))

    for e in range(m):  # chains with open ends first, from an open end
        if not visited[e] and (links[e] < 0 or links[e + m] < 0):
            walk(e, 0 if links[e] < 0 else 1)
    for e in range(m):  # what is left are closed ways
        if not visited[e]:
            walk(e, 0)
    return np.array(seq, np.int64), np.array(flipped, bool), np.array(ptr, np.int64)


# --------------------------------------------------------------------------- sampling and grades


def _sample_xy(metric: np.ndarray, length_m: np.ndarray, step_m: float
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Edge index, distance from ``u`` and metric x, y of every sample, evenly spaced in metres on bent edges."""
    xy, owner = shapely.get_coordinates(metric, return_index=True)
    seg = np.hypot(*np.diff(xy, axis=0).T)
    seg[owner[1:] != owner[:-1]] = 0.0
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    first = np.searchsorted(owner, np.arange(len(metric)))
    last = np.searchsorted(owner, np.arange(len(metric)), side="right") - 1
    geom_len = cum[last] - cum[first]
    offset = np.concatenate([[0.0], np.cumsum(geom_len + 1.0)[:-1]])  # edges 1 m apart on one axis
    vertex_at = offset[owner] + cum - cum[first][owner]
    edge, s = sample_positions(length_m, step_m)
    frac = np.divide(s, length_m[edge], out=np.zeros_like(s), where=length_m[edge] > 0)
    at = offset[edge] + frac * geom_len[edge]
    return edge, s, np.interp(at, vertex_at, xy[:, 0]), np.interp(at, vertex_at, xy[:, 1])


class WaySamples:
    """Samples laid out along the ways (one axis, chains 1 m apart) and grades over windows on them."""

    def __init__(self, u: np.ndarray, v: np.ndarray, way: np.ndarray, length_m: np.ndarray,
                 edge: np.ndarray, s: np.ndarray, z: np.ndarray) -> None:
        order, flipped, ptr = way_chains(u, v, way)
        chain = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))
        ordered_len = length_m[order]
        within = np.cumsum(ordered_len) - ordered_len
        chain_start = within[ptr[:-1]] if len(order) else np.zeros(0)
        chain_len = np.add.reduceat(ordered_len, ptr[:-1]) if len(order) else np.zeros(0)
        chain_at = np.concatenate([[0.0], np.cumsum(chain_len + 1.0)[:-1]])
        m = len(length_m)
        self.flip = np.zeros(m, bool)
        self.flip[order] = flipped
        self.start = np.zeros(m)  # axis position of the edge's first point in chain order
        self.start[order] = chain_at[chain] + within - chain_start[chain]
        self.lo = np.zeros(m)  # the edge's chain on the axis
        self.hi = np.zeros(m)
        self.lo[order] = chain_at[chain]
        self.hi[order] = chain_at[chain] + chain_len[chain]
        self.length = length_m
        pos = self.at(edge, s)
        by_pos = np.argsort(pos, kind="stable")
        self.pos = pos[by_pos]
        self.z = z[by_pos]
        self.nan_before = np.concatenate([[0], np.cumsum(np.isnan(self.z))])  # unknown samples before index i
        # the edges on a way with an unknown sample somewhere (only their windows need checking)
        chain_of = np.zeros(m, np.int64)
        chain_of[order] = chain
        unknown = np.bincount(chain_of[edge], weights=np.isnan(z), minlength=len(ptr) - 1)
        self.gappy = unknown[chain_of] > 0

    def at(self, edge: np.ndarray, s: np.ndarray) -> np.ndarray:
        """Axis position of the point ``s`` metres from the ``u`` end of ``edge``."""
        return self.start[edge] + np.where(self.flip[edge], self.length[edge] - s, s)

    def grade(self, edge: np.ndarray, centre: np.ndarray, window_m: np.ndarray) -> np.ndarray:
        """Grade (%) in the edge's direction over a window centred at axis position ``centre``, shifted to
        stay on the edge's way (the whole way when it is shorter); NaN when a sample in it is unknown."""
        lo, hi = self.lo[edge], self.hi[edge]
        w = np.minimum(window_m, hi - lo)
        a = np.clip(centre - w / 2.0, lo, hi - w)
        b = np.minimum(a + w, hi)
        rise = np.interp(b, self.pos, self.z) - np.interp(a, self.pos, self.z)
        grade = np.divide(rise, b - a, out=np.zeros_like(rise), where=b - a > 0) * 100.0
        grade[self.flip[edge]] *= -1.0
        check = np.flatnonzero(self.gappy[edge])
        i0 = np.maximum(np.searchsorted(self.pos, a[check], side="right") - 1, 0)
        i1 = np.minimum(np.searchsorted(self.pos, b[check], side="left"), len(self.pos) - 1)
        grade[check[self.nan_before[i1 + 1] - self.nan_before[i0] > 0]] = np.nan
        return grade


def terrain_grades(samples: WaySamples, edge: np.ndarray, s: np.ndarray, window_m: float
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(incline_pct, up_pct, down_pct)`` of every edge in its direction (NaN where not trustworthy)."""
    m = len(samples.length)
    ids = np.arange(m)
    length = samples.length
    mid = samples.at(ids, length / 2.0)
    net = samples.grade(ids, mid, np.maximum(length, window_m))
    # the sliding window: centred on every sample of the edge (``edge`` is sorted) and on its midpoint
    starts = np.searchsorted(edge, ids) + ids
    q_edge = np.empty(len(edge) + m, np.int64)
    q_at = np.empty(len(edge) + m)
    q_edge[starts], q_at[starts] = ids, mid
    rest = np.ones(len(q_edge), bool)
    rest[starts] = False
    q_edge[rest], q_at[rest] = edge, samples.at(edge, s)
    slid = samples.grade(q_edge, q_at, np.full(len(q_edge), window_m))
    with np.errstate(invalid="ignore"):
        up = np.maximum.reduceat(np.maximum(slid, 0.0), starts) if len(slid) else np.zeros(0)
        down = np.maximum.reduceat(np.maximum(-slid, 0.0), starts) if len(slid) else np.zeros(0)
        up = np.maximum(up, np.maximum(net, 0.0))
        down = np.maximum(down, np.maximum(-net, 0.0))
    return net, up, down


# --------------------------------------------------------------------------- the stage


def add_elevation(net: StreetNetwork, dem_path: str | Path, *, window_m: float = settings.TERRAIN_WINDOW_M,
                  step_m: float = settings.TERRAIN_STEP_M) -> StreetNetwork:
    """Add ``elevation_m`` to nodes, terrain incline to edges without a numeric OSM incline, ``incline_disputed``
    to edges, and the heights along every edge on the ground."""
    nodes = net.nodes.copy()
    edges = net.edges.copy()
    dem = Dem(dem_path)
    to_dem = Transformer.from_crs(net.crs_metric, dem.crs, always_xy=True)
    length = edges["length_m"].to_numpy(float)
    metric = edges.geometry.to_crs(net.crs_metric).to_numpy()
    edge, s, mx, my = _sample_xy(metric, length, step_m)
    x, y = to_dem.transform(mx, my)
    lon, lat = nodes["lon"].to_numpy(), nodes["lat"].to_numpy()
    dem.load(x, y, f"{np.nanmin(lon):.4f},{np.nanmin(lat):.4f},{np.nanmax(lon):.4f},{np.nanmax(lat):.4f}")
    z = dem.sample(x, y)
    coverage = float(dem.inside(x, y).mean())
    if coverage < 0.999:
        log.warning("DEM %s covers %.1f %% of the network's length; incline elsewhere stays unknown",
                    dem_path, 100 * coverage)
    nodes["elevation_m"] = dem.sample(*to_dem.transform(nodes["x_m"].to_numpy(), nodes["y_m"].to_numpy()))

    along_ways = WaySamples(edges["u"].to_numpy(), edges["v"].to_numpy(), edges["osm_way_id"].to_numpy(), length,
                            edge, s, z)
    grade, up, down = terrain_grades(along_ways, edge, s, window_m)
    off_ground = edges["bridge"].to_numpy(bool) | edges["tunnel"].to_numpy(bool)
    on_terrain = ~off_ground & np.isfinite(grade) & np.isfinite(up) & np.isfinite(down)

    sign = edges["incline_sign"].to_numpy(float)
    known = edges["incline_known"].to_numpy(bool)
    sign_only = ~known & np.isin(sign, (-1.0, 1.0))
    disputed = on_terrain & sign_only & (sign * grade < -settings.TERRAIN_SIGN_TOLERANCE_PCT)
    fill = on_terrain & ~known & ~disputed
    edges.loc[fill, "incline_pct"] = grade[fill]
    edges.loc[fill, "up_pct"] = up[fill]
    edges.loc[fill, "down_pct"] = down[fill]
    edges.loc[fill, "incline_known"] = True
    edges.loc[fill, "incline_source"] = "dem"
    edges.loc[disputed, "incline_source"] = "disputed"
    edges["incline_disputed"] = disputed
    if disputed.any():
        log.warning("%d edges tagged incline=up/down climb the other way on the terrain: incline disputed "
                    "(unknown)", int(disputed.sum()))

    counts = np.where(off_ground, 0, sample_counts(length, step_m))
    heights = EdgeHeights(step_m, np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
                          z[~off_ground[edge]].astype(np.float32))
    bridge_nodes = np.unique(edges.loc[off_ground, ["u", "v"]].to_numpy().ravel())
    ground_nodes = np.unique(edges.loc[~off_ground, ["u", "v"]].to_numpy().ravel())
    nodes.loc[np.setdiff1d(bridge_nodes, ground_nodes), "elevation_m"] = np.nan
    finite = np.isfinite(nodes["elevation_m"])
    log.info(
        "elevation from %s (%s): %d nodes, %d samples every %.0f m, incline from terrain on %d of %d edges "
        "(window %.0f m); range %.1f–%.1f m", dem_path, dem.crs, int(finite.sum()), len(z), step_m,
        int(fill.sum()), len(edges), window_m,
        nodes["elevation_m"][finite].min() if finite.any() else np.nan,
        nodes["elevation_m"][finite].max() if finite.any() else np.nan,
    )
    return StreetNetwork(nodes=nodes, edges=edges, crs_metric=net.crs_metric, heights=heights)
