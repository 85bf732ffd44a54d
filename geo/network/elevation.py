"""Elevation from a DEM GeoTIFF (any CRS): node elevations and terrain incline of edges.

Where OSM gives no numeric ``incline``, an edge's incline comes from the terrain: the DEM is
sampled (bilinear) every ``sample_step_m`` along the edge; ``incline_pct`` is the net grade and
``up_pct`` / ``down_pct`` the steepest climb and descent between consecutive samples, in the
edge's direction. Grades are measured over at least ``min_baseline_m`` so that DEM noise on
very short edges does not invent steep slopes. Bridges and tunnels are not on the terrain:
their incline stays unknown unless OSM tags it.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from scipy import ndimage

from geo import settings
from geo.errors import DemError
from geo.network.graph import StreetNetwork

log = logging.getLogger(__name__)


#: Local (engineering) CRS names that GDAL reads from Czech rasters without an EPSG code.
_KNOWN_LOCAL_CRS = {"s-jtsk_krovak_east_north": "EPSG:5514", "s-jtsk / krovak east north": "EPSG:5514"}


def _usable_crs(crs: object, path: str) -> str:
    """The raster's CRS as a string pyproj can transform to; S-JTSK written as a local CS is EPSG:5514."""
    from pyproj import CRS

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
    """A DEM window read into memory, sampled bilinearly at lon/lat points."""

    def __init__(self, path: str | Path, lon: np.ndarray, lat: np.ndarray) -> None:
        import rasterio
        from rasterio.windows import Window, from_bounds

        self.path = str(path)
        plain = Path(self.path)
        if ":" not in self.path.split("/")[-1] and not plain.exists():
            raise DemError("dem.not_found", file=self.path)
        try:
            src = rasterio.open(self.path)
        except rasterio.errors.RasterioIOError as exc:
            raise DemError("dem.unreadable", file=self.path, error=str(exc)) from exc
        with src:
            dem_crs = _usable_crs(src.crs, self.path)
            self.crs = dem_crs
            to_dem = Transformer.from_crs(settings.CRS_WGS84, dem_crs, always_xy=True)
            x, y = to_dem.transform(np.asarray(lon, float), np.asarray(lat, float))
            b = src.bounds
            inside = (x >= b.left) & (x <= b.right) & (y >= b.bottom) & (y <= b.top)
            if not inside.any():
                raise DemError(
                    "dem.outside", file=self.path, crs=self.crs,
                    dem_bounds=f"{b.left:.0f},{b.bottom:.0f},{b.right:.0f},{b.top:.0f}",
                    network_bounds=f"{np.nanmin(lon):.4f},{np.nanmin(lat):.4f},{np.nanmax(lon):.4f},"
                                   f"{np.nanmax(lat):.4f}",
                )
            win = from_bounds(x[inside].min(), y[inside].min(), x[inside].max(), y[inside].max(), src.transform)
            col0, row0 = max(math.floor(win.col_off) - 2, 0), max(math.floor(win.row_off) - 2, 0)
            col1 = min(math.ceil(win.col_off + win.width) + 3, src.width)
            row1 = min(math.ceil(win.row_off + win.height) + 3, src.height)
            window = Window(col0, row0, col1 - col0, row1 - row0)
            data = src.read(1, window=window, masked=True).astype("float64")
            self.values = np.ma.filled(data, np.nan)
            self.transform = src.window_transform(window)
        self._to_dem = to_dem
        self.coverage = float(inside.mean())

    def sample(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Bilinear elevation in metres at lon/lat points; NaN outside the DEM or on nodata."""
        x, y = self._to_dem.transform(np.asarray(lon, float), np.asarray(lat, float))
        col, row = ~self.transform @ (x, y)
        col = np.asarray(col) - 0.5
        row = np.asarray(row) - 0.5
        h, w = self.values.shape
        out = ndimage.map_coordinates(self.values, [row, col], order=1, mode="nearest")
        outside = (row < -0.5) | (col < -0.5) | (row > h - 0.5) | (col > w - 0.5)
        out[outside] = np.nan
        return out


def add_elevation(
    net: StreetNetwork, dem_path: str | Path, *, sample_step_m: float = 10.0, min_baseline_m: float = 10.0
) -> StreetNetwork:
    """Add ``elevation_m`` to nodes and terrain incline to edges without a numeric OSM incline."""
    nodes = net.nodes.copy()
    edges = net.edges.copy()
    dem = Dem(dem_path, nodes["lon"].to_numpy(), nodes["lat"].to_numpy())
    nodes["elevation_m"] = dem.sample(nodes["lon"].to_numpy(), nodes["lat"].to_numpy())
    if dem.coverage < 0.999:
        log.warning("DEM %s covers %.1f %% of the network nodes; incline elsewhere stays unknown",
                    dem_path, 100 * dem.coverage)

    length = edges["length_m"].to_numpy()
    n_samples = np.maximum(2, np.floor(length / sample_step_m).astype(int) + 1)  # pieces ≥ the step
    edge_idx = np.repeat(np.arange(len(edges)), n_samples)
    starts = np.cumsum(n_samples) - n_samples
    k = np.arange(len(edge_idx)) - np.repeat(starts, n_samples)
    frac = k / np.repeat(n_samples - 1, n_samples)
    # sample along the metric geometry, so that samples are evenly spaced in metres on bent edges too
    metric = edges.geometry.to_crs(net.crs_metric).to_numpy()
    pts = shapely.line_interpolate_point(metric[edge_idx], frac, normalized=True)
    xy = shapely.get_coordinates(pts)
    lon, lat = Transformer.from_crs(net.crs_metric, settings.CRS_WGS84, always_xy=True).transform(xy[:, 0], xy[:, 1])
    z = dem.sample(lon, lat)

    seg_len = np.maximum(np.diff(frac) * length[edge_idx[:-1]], 1e-9)
    same_edge = edge_idx[1:] == edge_idx[:-1]
    grade = np.where(same_edge, np.diff(z) / np.maximum(seg_len, min_baseline_m) * 100.0, np.nan)
    with np.errstate(invalid="ignore"):
        up = np.fmax.reduceat(np.where(same_edge, np.clip(grade, 0, None), np.nan), starts) if len(grade) else grade
        down = np.fmax.reduceat(np.where(same_edge, np.clip(-grade, 0, None), np.nan), starts) if len(grade) \
            else grade
    z_first = z[starts]
    z_last = z[starts + n_samples - 1]
    net_grade = (z_last - z_first) / np.maximum(length, min_baseline_m) * 100.0
    any_nan = np.add.reduceat(np.isnan(z).astype(int), starts) > 0

    terrain = ~(edges["bridge"].to_numpy(bool) | edges["tunnel"].to_numpy(bool)) & ~any_nan
    fill = terrain & ~edges["incline_known"].to_numpy(bool)
    edges.loc[fill, "incline_pct"] = net_grade[fill]
    edges.loc[fill, "up_pct"] = up[fill]
    edges.loc[fill, "down_pct"] = down[fill]
    edges.loc[fill, "incline_known"] = True
    edges.loc[fill, "incline_source"] = "dem"
    on_bridge = edges["bridge"].to_numpy(bool) | edges["tunnel"].to_numpy(bool)
    bridge_nodes = np.unique(edges.loc[on_bridge, ["u", "v"]].to_numpy().ravel())
    ground_nodes = np.unique(edges.loc[~on_bridge, ["u", "v"]].to_numpy().ravel())
    only_bridge = np.setdiff1d(bridge_nodes, ground_nodes)
    nodes.loc[only_bridge, "elevation_m"] = np.nan
    log.info(
        "elevation from %s (%s): %d nodes, incline from terrain on %d of %d edges; range %.1f–%.1f m",
        dem_path, dem.crs, int(np.isfinite(nodes["elevation_m"]).sum()), int(fill.sum()), len(edges),
        np.nanmin(nodes["elevation_m"]) if np.isfinite(nodes["elevation_m"]).any() else np.nan,
        np.nanmax(nodes["elevation_m"]) if np.isfinite(nodes["elevation_m"]).any() else np.nan,
    )
    return StreetNetwork(nodes=nodes, edges=edges, crs_metric=net.crs_metric)
