"""A terrain model for a downloaded place: ČÚZK DMR 5G in Czechia, Copernicus GLO-30 anywhere, cached.

* **ČÚZK DMR 5G** (Digitální model reliéfu ČR 5. generace: the bare ground from airborne laser scanning,
  height error 0.18 m in the open) through the ArcGIS ImageServer *Export Image* operation of ČÚZK's open
  elevation service (:data:`geo.settings.DMR5G_URL`): float32 GeoTIFF tiles of 2 m pixels in S-JTSK /
  Krovak East North (EPSG:5514, its own system, so nothing is resampled twice), only the tiles that hold
  network nodes. The service is free of charge and needs no key.
* **Copernicus GLO-30** (a 30 m surface model — buildings and trees included — of the whole world) as the
  public Cloud-Optimized GeoTIFF tiles of one degree on AWS Open Data (:data:`geo.settings.GLO30_URL`), cut
  to the area.

Every download is bounded (:mod:`geo.network.download`); a source that fails gives way to the next, and
when all fail the caller builds the network without terrain. The tiles are merged into one GeoTIFF next to
the network cache, with a small JSON file saying where it came from, and reused on the next build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from pyproj import Transformer

from geo import settings
from geo.errors import DownloadError
from geo.network.download import Deadline, fetch

log = logging.getLogger(__name__)

#: Names people read for the sources (proper names, the same in every language).
SOURCE_LABELS = {"dmr5g": "ČÚZK DMR 5G", "glo30": "Copernicus GLO-30"}
#: Pixel size of the DMR 5G tiles (metres) and their size (pixels).
DMR5G_PIXEL_M = 2.0
DMR5G_TILE_PX = 2000
#: Pixel size of GLO-30 (about 30 m: one arc second).
GLO30_PIXEL_M = 30.0
#: Terrain beyond the area's bounds (metres), so that windows at its edges stay on the model.
MARGIN_M = 100.0
NODATA = -9999.0
_TIFF_MAGIC = (b"II*\x00", b"MM\x00*")


@dataclass(frozen=True)
class TerrainFile:
    """A terrain model on disk and where it came from."""

    path: str
    source: str
    resolution_m: float
    url: str
    fetched_at: str

    @property
    def label(self) -> str:
        """The source's name."""
        return SOURCE_LABELS.get(self.source, self.source)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for the network's manifest (``meta["terrain_source"]``)."""
        return {**asdict(self), "label": self.label, "path": Path(self.path).name}


def in_czechia(bounds: tuple[float, float, float, float]) -> bool:
    """Whether a lon/lat box lies within Czechia's bounds (where ČÚZK has terrain)."""
    w, s, e, n = settings.CZECHIA_BOUNDS
    return bounds[0] >= w and bounds[1] >= s and bounds[2] <= e and bounds[3] <= n


def terrain_path(directory: Path, bounds: tuple[float, float, float, float]) -> Path:
    """Where the terrain of a lon/lat box is cached."""
    digest = hashlib.sha1(",".join(f"{b:.4f}" for b in bounds).encode()).hexdigest()[:12]
    return Path(directory) / f"terrain-{digest}.tif"


def cached_terrain(path: Path) -> TerrainFile | None:
    """A terrain model downloaded before (with its sidecar), or ``None``."""
    side = path.with_suffix(".json")
    if not (path.is_file() and side.is_file()):
        return None
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
        return TerrainFile(str(path), data["source"], float(data["resolution_m"]), data["url"], data["fetched_at"])
    except (OSError, ValueError, KeyError):
        return None


def fetch_terrain(bounds: tuple[float, float, float, float], directory: Path, *,
                  points: np.ndarray | None = None) -> TerrainFile:
    """The terrain model of a lon/lat box (cached in ``directory``): DMR 5G first in Czechia, then GLO-30.

    ``points`` (lon, lat) limit the DMR 5G tiles to those holding a point (the network's nodes). Raises
    :class:`DownloadError` naming every source's failure when none gives a model."""
    path = terrain_path(directory, bounds)
    found = cached_terrain(path)
    if found is not None:
        log.info("terrain model from the cache: %s (%s, %g m)", path, found.label, found.resolution_m)
        return found
    Path(directory).mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    for name in ("dmr5g", "glo30") if in_czechia(bounds) else ("glo30",):
        url = settings.terrain_url(name)
        if url is None:
            continue
        try:
            tiles = _dmr5g_tiles(bounds, points, url, directory) if name == "dmr5g" else _glo30_tiles(
                bounds, url, directory)
            try:
                _merge(tiles, path)
            finally:
                for tile in tiles:
                    tile.unlink(missing_ok=True)
        except DownloadError as exc:
            log.warning("terrain from %s failed: %s", SOURCE_LABELS[name], exc.message("en"))
            errors.append(f"{SOURCE_LABELS[name]}: {exc.message('en')}")
            continue
        found = TerrainFile(str(path), name, DMR5G_PIXEL_M if name == "dmr5g" else GLO30_PIXEL_M, url,
                            datetime.now(UTC).isoformat(timespec="seconds"))
        path.with_suffix(".json").write_text(json.dumps(asdict(found), indent=2), encoding="utf-8")
        log.info("terrain model: %s from %s (%g m pixels)", path, found.label, found.resolution_m)
        return found
    raise DownloadError("terrain.download_failed", error="; ".join(errors) or "no terrain source configured")


# --------------------------------------------------------------------------- ČÚZK DMR 5G


def _grid(x0: float, y0: float, x1: float, y1: float, step: float) -> list[tuple[float, float, float, float]]:
    """Tiles of ``step`` metres on a grid aligned to it, covering a box."""
    xs = np.arange(math.floor(x0 / step) * step, x1, step)
    ys = np.arange(math.floor(y0 / step) * step, y1, step)
    return [(float(x), float(y), float(x + step), float(y + step)) for y in ys for x in xs]


def _dmr5g_tiles(bounds: tuple[float, float, float, float], points: np.ndarray | None, url: str,
                 directory: Path) -> list[Path]:
    to_krovak = Transformer.from_crs(settings.CRS_WGS84, "EPSG:5514", always_xy=True)
    lon = np.linspace(bounds[0], bounds[2], 5)
    lat = np.linspace(bounds[1], bounds[3], 5)
    gx, gy = to_krovak.transform(*np.meshgrid(lon, lat))
    x0, y0, x1, y1 = gx.min() - MARGIN_M, gy.min() - MARGIN_M, gx.max() + MARGIN_M, gy.max() + MARGIN_M
    step = DMR5G_PIXEL_M * DMR5G_TILE_PX
    tiles = _grid(x0, y0, x1, y1, step)
    if points is not None and len(points):
        px, py = to_krovak.transform(points[:, 0], points[:, 1])
        tiles = [t for t in tiles if np.any((px >= t[0] - MARGIN_M) & (px <= t[2] + MARGIN_M)
                                            & (py >= t[1] - MARGIN_M) & (py <= t[3] + MARGIN_M))]
    deadline = Deadline()
    log.info("downloading the terrain (%s): %d tiles of %g km …", SOURCE_LABELS["dmr5g"], len(tiles), step / 1000)

    def one(k_tile: tuple[int, tuple[float, float, float, float]]) -> Path:
        k, (a, b, c, d) = k_tile
        what = f"{SOURCE_LABELS['dmr5g']} tile {k + 1}/{len(tiles)}"
        body = fetch(url, deadline=deadline, what=what, params={
            "bbox": f"{a:.0f},{b:.0f},{c:.0f},{d:.0f}", "bboxSR": 5514, "imageSR": 5514,
            "size": f"{DMR5G_TILE_PX},{DMR5G_TILE_PX}", "format": "tiff", "pixelType": "F32", "noData": NODATA,
            "interpolation": "RSP_BilinearInterpolation", "compression": "LZ77", "f": "image"})
        values = _tiff_values(body, what)
        out = directory / f".dmr5g-{os.getpid()}-{k}.tif"
        _write(out, values, "EPSG:5514", (a, b, c, d))
        log.info("%s: %.1f MB after %.0f s", what, len(body) / 1e6, deadline.elapsed())
        return out

    with ThreadPoolExecutor(max_workers=4, thread_name_prefix="terrain") as pool:
        return list(pool.map(one, enumerate(tiles)))


def _tiff_values(body: bytes, what: str) -> np.ndarray:
    """The first band of a TIFF answer as float32 with NaN for nodata (the server's georeferencing is not
    relied on: the request says exactly where the pixels are)."""
    from rasterio.errors import RasterioError
    from rasterio.io import MemoryFile

    if not body.startswith(_TIFF_MAGIC):
        raise DownloadError("terrain.not_a_tiff", what=what, start=body[:80].decode("utf-8", "replace"))
    try:
        with MemoryFile(body) as mem, mem.open() as src:
            values = src.read(1, masked=True, out_dtype=np.float32).filled(np.nan)
    except RasterioError as exc:
        raise DownloadError("terrain.not_a_tiff", what=what, start=str(exc)) from exc
    values[values <= NODATA] = np.nan
    return values


def _write(path: Path, values: np.ndarray, crs: str, box: tuple[float, float, float, float]) -> None:
    import rasterio
    from rasterio.transform import from_bounds

    h, w = values.shape
    profile = {"driver": "GTiff", "width": w, "height": h, "count": 1, "dtype": "float32", "crs": crs,
               "transform": from_bounds(*box, w, h), "nodata": NODATA, "compress": "deflate", "tiled": True}
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(np.where(np.isnan(values), NODATA, values).astype(np.float32), 1)


# --------------------------------------------------------------------------- Copernicus GLO-30


def glo30_name(lat: int, lon: int) -> str:
    """The name of the GLO-30 tile whose south-west corner is at whole degrees ``lat``, ``lon``."""
    ns = f"N{lat:02d}" if lat >= 0 else f"S{-lat:02d}"
    ew = f"E{lon:03d}" if lon >= 0 else f"W{-lon:03d}"
    return f"Copernicus_DSM_COG_10_{ns}_00_{ew}_00_DEM"


def _glo30_tiles(bounds: tuple[float, float, float, float], url: str, directory: Path) -> list[Path]:
    import rasterio
    from rasterio.io import MemoryFile
    from rasterio.windows import from_bounds as window_from_bounds

    margin_deg = MARGIN_M / 111_320.0
    w, s = bounds[0] - 2 * margin_deg, bounds[1] - margin_deg
    e, n = bounds[2] + 2 * margin_deg, bounds[3] + margin_deg
    cells = [(lat, lon) for lat in range(math.floor(s), math.floor(n) + 1)
             for lon in range(math.floor(w), math.floor(e) + 1)]
    deadline = Deadline()
    log.info("downloading the terrain (%s): %d tiles of 1° …", SOURCE_LABELS["glo30"], len(cells))
    out: list[Path] = []
    for k, (lat, lon) in enumerate(cells):
        name = glo30_name(lat, lon)
        what = f"{SOURCE_LABELS['glo30']} tile {name}"
        body = fetch(f"{url.rstrip('/')}/{name}/{name}.tif", deadline=deadline, what=what)
        if not body.startswith(_TIFF_MAGIC):
            raise DownloadError("terrain.not_a_tiff", what=what, start=body[:80].decode("utf-8", "replace"))
        try:
            with MemoryFile(body) as mem, mem.open() as src:
                win = window_from_bounds(max(w, src.bounds.left), max(s, src.bounds.bottom),
                                         min(e, src.bounds.right), min(n, src.bounds.top),
                                         src.transform).round_offsets().round_lengths()
                values = src.read(1, window=win, masked=True, out_dtype=np.float32).filled(np.nan)
                box = rasterio.windows.bounds(win, src.transform)
                crs = src.crs.to_string() if src.crs else settings.CRS_WGS84
        except rasterio.errors.RasterioError as exc:
            raise DownloadError("terrain.not_a_tiff", what=what, start=str(exc)) from exc
        path = directory / f".glo30-{os.getpid()}-{k}.tif"
        _write(path, values, crs, box)
        out.append(path)
    return out


# --------------------------------------------------------------------------- merging


def _merge(tiles: list[Path], dest: Path) -> None:
    """One GeoTIFF of the tiles, written next to ``dest`` and renamed onto it."""
    from rasterio.merge import merge

    if not tiles:
        raise DownloadError("terrain.no_tiles")
    fd, tmp = tempfile.mkstemp(prefix=".terrain-", suffix=".tif", dir=dest.parent)
    os.close(fd)
    try:
        merge([str(t) for t in tiles], nodata=NODATA, dst_path=tmp,
              dst_kwds={"compress": "deflate", "tiled": True, "BIGTIFF": "IF_SAFER"})
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
