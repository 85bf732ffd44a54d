"""Benchmark: the map page in headless Chromium, and viewport layer responses.

* first page load: bytes transferred (every request until the network is idle) and time until
  the map is interactive (the app's script has run and the first viewport layers are drawn),
  median of several cold loads (new browser context each time);
* viewport layer responses (``/api/layers/network``, ``/buildings``, ``/basemap`` and ``/labels`` for a zoom-16
  viewport):
  bytes and p50 / p95 ms over HTTP, against the baseline of shipping the whole layer at once
  (what embedding the layer in the page would cost), measured in the same run.

    python -m benchmarks.ui            # Helsinki sample and the 69k-node mosaic
    python -m benchmarks.ui --quick    # Helsinki only
"""

from __future__ import annotations

import argparse
import http.client
import logging
import statistics
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from geo.network import pipeline
from geo.network.model import Network

CACHE = Path(__file__).resolve().parent / ".data" / "cache"
CHROMIUM = "/usr/bin/chromium"


def serve(net: Network, tmp: Path) -> tuple[Any, str]:
    from werkzeug.serving import make_server

    from webmap import create_app

    app = create_app({"NETWORK": net, "TILE_URL": "", "DATABASE_URL": f"sqlite:///{tmp / 'ui.sqlite3'}",
                      "REPORTS_UPLOAD_DIR": str(tmp / "uploads"), "CACHE_DIR": str(tmp)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def page_loads(base: str, n: int) -> list[dict[str, float]]:
    """Cold loads of ``/``: bytes, requests, ms to interactive."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for _ in range(n):
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            page = ctx.new_page()
            sizes: list[int] = []

            def done(req: Any, sizes: list[int] = sizes) -> None:
                s = req.sizes()
                sizes.append(s["responseBodySize"] + s["responseHeadersSize"])

            page.on("requestfinished", done)
            t0 = time.perf_counter()
            page.goto(base + "/")
            page.wait_for_function("() => window.LBB && window.LBB.app && window.LBB.app.layersDrawn > 0")
            interactive_ms = (time.perf_counter() - t0) * 1000
            page.wait_for_load_state("networkidle")
            html_bytes = sizes[0] if sizes else 0
            out.append({"bytes": float(sum(sizes)), "requests": float(len(sizes)), "interactive_ms": interactive_ms,
                        "html_bytes": float(html_bytes)})
            ctx.close()
        browser.close()
    return out


def fetch(base: str, paths: list[str]) -> tuple[list[float], list[int]]:
    """Times and transferred (gzip) sizes of GETs on one keep-alive connection."""
    conn = http.client.HTTPConnection(base.removeprefix("http://"))
    times, sizes = [], []
    for p in paths:
        t0 = time.perf_counter()
        conn.request("GET", p, headers={"Accept-Encoding": "gzip"})  # as a browser asks
        body = conn.getresponse().read()
        times.append(time.perf_counter() - t0)
        sizes.append(len(body))
    conn.close()
    return times, sizes


def viewports(net: Network, n: int, seed: int = 3) -> list[str]:
    """Random zoom-16-sized viewports (about 1 km × 600 m) centred on network nodes."""
    rng = np.random.default_rng(seed)
    pts = net.nodes[["lon", "lat"]].to_numpy()[rng.integers(net.n_nodes, size=n)]
    lat_span = 0.0055  # about 600 m
    out = []
    for lon, lat in pts:
        lon_span = lat_span * 1.6 / max(np.cos(np.radians(lat)), 0.2)  # 1.6 × as wide as high, in metres
        w, s, e, n = lon - lon_span / 2, lat - lat_span / 2, lon + lon_span / 2, lat + lat_span / 2
        out.append(f"{w:.6f},{s:.6f},{e:.6f},{n:.6f}")
    return out


def report(name: str, net: Network, loads: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        server, base = serve(net, Path(tmp))
        try:
            runs = page_loads(base, loads)
            boxes = viewports(net, 60)
            layer = {}
            for lname in ("network", "buildings", "basemap", "labels"):
                fetch(base, [f"/api/layers/{lname}?bbox={boxes[0]}&limit=4000"])  # warm the layer index
                t, s = fetch(base, [f"/api/layers/{lname}?bbox={b}&limit=4000&profile=manual_wheelchair"
                                    for b in boxes])
                whole_t, whole_s = fetch(base, [f"/api/layers/{lname}?bbox=-180,-90,180,90&limit=10000"] * 3)
                layer[lname] = (t, s, whole_t, whole_s)
        finally:
            server.shutdown()
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print(f"\n== {name}: {net.n_nodes:,} nodes, {len(net.edges):,} edges, {len(net.buildings):,} buildings")
    print(f"  first page load   {med['bytes'] / 1e6:6.2f} MB in {med['requests']:.0f} requests "
          f"(HTML {med['html_bytes'] / 1e3:.0f} kB); interactive after {med['interactive_ms']:.0f} ms "
          f"(median of {len(runs)} cold loads, headless Chromium, localhost)")
    for lname, (t, s, wt, ws) in layer.items():
        print(f"  /api/layers/{lname:<9} viewport p50 {np.percentile(t, 50) * 1000:6.1f} ms  "
              f"p95 {np.percentile(t, 95) * 1000:6.1f} ms  median {statistics.median(s) / 1e3:7.1f} kB gz"
              f"  | whole layer {statistics.median(wt) * 1000:7.1f} ms {statistics.median(ws) / 1e6:6.2f} MB "
              f"(viewport is {statistics.median(ws) / max(statistics.median(s), 1):.0f}× smaller)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--loads", type=int, default=5)
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log line per request
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    CACHE.mkdir(parents=True, exist_ok=True)
    report("Helsinki sample", pipeline.load_or_build(pipeline.SourceSpec.sample(), cache_dir=CACHE), args.loads)
    if not args.quick:
        from benchmarks.mosaic import mosaic_path

        mosaic = pipeline.load_or_build(pipeline.SourceSpec.file(mosaic_path(features=True)), cache_dir=CACHE)
        report("Helsinki mosaic 5×4 (with buildings, walkable areas and the base map)", mosaic, args.loads)


if __name__ == "__main__":
    main()
