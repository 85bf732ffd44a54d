"""Local stand-ins for the terrain services: ČÚZK's DMR 5G "Export Image" and the Copernicus GLO-30 tiles.

Both serve GeoTIFFs of one known surface — a plane rising :data:`GRADE_PCT` to the north — made with rasterio
for exactly what is asked, so tests can check the grades the network gets. A server can also fail (HTTP 500),
answer with something that is not a TIFF, or accept connections and never answer (:func:`black_hole`).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import numpy as np
from pyproj import Transformer

#: The served terrain climbs this much to the north (percent), from 350 m at latitude 50°.
GRADE_PCT = 4.0
BASE_M = 350.0
#: Pixel size of the served GLO-30 tiles (degrees): coarser than the real one, to keep tests small.
GLO30_PIXEL_DEG = 1 / 600


def height_m(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The served surface at lon/lat points."""
    return BASE_M + GRADE_PCT / 100.0 * (np.asarray(lat) - 50.0) * 111_320.0


def _geotiff(values: np.ndarray, crs: str, box: tuple[float, float, float, float]) -> bytes:
    from rasterio.io import MemoryFile
    from rasterio.transform import from_bounds

    h, w = values.shape
    with MemoryFile() as mem:
        with mem.open(driver="GTiff", width=w, height=h, count=1, dtype="float32", crs=crs,
                      transform=from_bounds(*box, w, h), nodata=-9999.0) as dst:
            dst.write(values.astype(np.float32), 1)
        return bytes(mem.read())


def dmr5g_image(query: dict[str, list[str]]) -> bytes:
    """What the Export Image operation returns for a request in EPSG:5514."""
    x0, y0, x1, y1 = (float(v) for v in query["bbox"][0].split(","))
    w, h = (int(v) for v in query["size"][0].split(","))
    xs = x0 + (np.arange(w) + 0.5) * (x1 - x0) / w
    ys = y1 - (np.arange(h) + 0.5) * (y1 - y0) / h
    gx, gy = np.meshgrid(xs, ys)
    lon, lat = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True).transform(gx, gy)
    return _geotiff(height_m(lon, lat), "EPSG:5514", (x0, y0, x1, y1))


def glo30_tile(name: str) -> bytes:
    """A one-degree tile named like the GLO-30 ones (``…_N50_00_E015_00_DEM``)."""
    parts = name.split("_")
    lat = int(parts[4][1:]) * (1 if parts[4][0] == "N" else -1)
    lon = int(parts[6][1:]) * (1 if parts[6][0] == "E" else -1)
    n = round(1 / GLO30_PIXEL_DEG)
    lons = lon + (np.arange(n) + 0.5) * GLO30_PIXEL_DEG
    lats = lat + 1 - (np.arange(n) + 0.5) * GLO30_PIXEL_DEG
    glon, glat = np.meshgrid(lons, lats)
    return _geotiff(height_m(glon, glat), "EPSG:4326", (lon, lat, lon + 1, lat + 1))


@contextmanager
def serve_terrain(mode: dict[str, str] | None = None) -> Iterator[dict[str, Any]]:
    """Serve ``/dmr5g/exportImage`` and ``/glo30/<name>/<name>.tif`` on 127.0.0.1; yields the base URLs and a
    list of the paths asked for. ``mode`` per source (``dmr5g``, ``glo30``): ``ok`` (default), ``error`` (HTTP
    500) or ``html`` (200 with a web page)."""
    mode = {"dmr5g": "ok", "glo30": "ok", **(mode or {})}
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, body: bytes, ctype: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            asked.append(url.path)
            source = "dmr5g" if url.path.startswith("/dmr5g/") else "glo30" if url.path.startswith("/glo30/") else ""
            if not source:
                self.send_error(404)
            elif mode[source] == "error":
                self._send(b'{"error": {"code": 500, "message": "Error exporting image"}}', "application/json", 500)
            elif mode[source] == "html":
                self._send(b"<html><body>maintenance</body></html>", "text/html")
            elif source == "dmr5g":
                self._send(dmr5g_image(parse_qs(url.query)), "image/tiff")
            else:
                self._send(glo30_tile(url.path.split("/")[2]), "image/tiff")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield {"dmr5g": f"{base}/dmr5g/exportImage", "glo30": f"{base}/glo30", "asked": asked}
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def black_hole() -> Iterator[str]:
    """A server on 127.0.0.1 that accepts every connection and never answers; yields its base URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(conn)  # read nothing, answer nothing

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=2)
        for conn in held:
            conn.close()
        listener.close()
