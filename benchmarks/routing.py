"""Benchmark: routing speed with a per-request custom profile, against osmnx in the same run.

For each city (the Helsinki sample, and the ≥ 60k-node Helsinki mosaic of ``benchmarks/mosaic.py``):

* in-process ``Router.route`` for N random pairs of arbitrary points (network nodes moved by up to
  ~30 m, so snapping and edge splitting are included), each with its own custom limits —
  p50 / p95 ms;
* the baseline: ``osmnx.routing.shortest_path`` on a networkx MultiDiGraph of the same directed
  edges weighted with the same profile's costs (weights precomputed — a favour to the baseline,
  which gets node ids and no snapping), on a subset of the same pairs;
* over HTTP (werkzeug server in a thread, keep-alive client): ``/api/route`` (full GeoJSON with
  directions), ``/api/isochrone`` (10 min) and ``/api/services/nearest`` — p50 / p95 ms;
* the same in-process routes with 200 verified answers laid over the network (attribute patches of the
  best-ranked "Help verify" questions), against the same routes without them in the same run.

    python -m benchmarks.routing                 # both cities, 1000 pairs
    python -m benchmarks.routing --quick         # Helsinki only, 200 pairs
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import logging
import statistics
import threading
import time
from pathlib import Path

import networkx as nx
import numpy as np
import orjson
import osmnx as ox

from benchmarks.audits import answers
from geo.errors import NoRouteError
from geo.network import pipeline
from geo.network.model import Network
from geo.reports.audit_overlay import verdict_patches
from geo.reports.audit_tasks import AuditIndex
from geo.routing.itinerary import describe
from geo.routing.overlay import EMPTY_OVERLAY, Overlay
from geo.routing.profiles import PROFILES, Profile, edge_cost_s
from geo.routing.router import Router

CACHE = Path(__file__).resolve().parent / ".data" / "cache"


def pct(values: list[float], q: float) -> float:
    """Percentile in milliseconds."""
    return float(np.percentile(np.asarray(values) * 1000.0, q))


def random_requests(net: Network, n: int, seed: int = 42) -> list[tuple[tuple[float, float], tuple[float, float],
                                                                         Profile]]:
    """Random point pairs near the network, each with its own custom profile."""
    rng = np.random.default_rng(seed)
    pts = net.nodes[["lon", "lat"]].to_numpy()
    out = []
    names = ["manual_wheelchair", "electric_wheelchair", "pram"]
    for _ in range(n):
        a = pts[rng.integers(len(pts))] + rng.uniform(-2e-4, 2e-4, 2)
        b = pts[rng.integers(len(pts))] + rng.uniform(-2e-4, 2e-4, 2)
        base = PROFILES[names[rng.integers(len(names))]]
        profile = base.with_limits(max_uphill_pct=float(rng.uniform(6, 14)), max_kerb_cm=float(rng.uniform(2, 12)),
                                   min_width_m=float(rng.uniform(0.6, 1.0)))
        out.append((tuple(a), tuple(b), profile))
    return out


def bench_in_process(net: Network, requests: list) -> dict:
    """Our router, per request: snap both points, compute the custom profile's costs, search, assemble;
    then, outside that timing, the description (:func:`geo.routing.itinerary.describe`) and its Czech
    GeoJSON serialised to bytes."""
    router = Router(net)
    times, found, searched, described, rendered = [], 0, [], [], []
    for a, b, p in requests:
        t0 = time.perf_counter()
        try:
            r = router.route(a, b, p)
        except NoRouteError:
            times.append(time.perf_counter() - t0)
            continue
        times.append(time.perf_counter() - t0)
        found += 1
        searched.append(r.searched_nodes)
        t1 = time.perf_counter()
        itinerary = describe(r, net)
        t2 = time.perf_counter()
        orjson.dumps(itinerary.to_geojson("cs"), option=orjson.OPT_SERIALIZE_NUMPY)
        described.append(t2 - t1)
        rendered.append(time.perf_counter() - t2)
    return {"times": times, "found": found, "searched": searched, "described": described, "rendered": rendered}


def bench_patched(net: Network, requests: list) -> dict:
    """The in-process routes with and without 200 verified answers (interleaved, so both see the same noise)."""
    router = Router(net)
    index = AuditIndex(net, router)
    verdicts = answers(index.catalogue, index.ranking("manual_wheelchair").order[:200])
    t0 = time.perf_counter()
    overlay = Overlay(version=0, patches=verdict_patches(net, verdicts, version=1))
    build_s = time.perf_counter() - t0
    plain: list[float] = []
    patched: list[float] = []
    for a, b, p in requests:
        for ov, out in ((EMPTY_OVERLAY, plain), (overlay, patched)):
            t0 = time.perf_counter()
            with contextlib.suppress(NoRouteError):
                router.route(a, b, p, ov)
            out.append(time.perf_counter() - t0)
    return {"plain": plain, "patched": patched, "build_s": build_s, "values": len(overlay.patches)}


def bench_osmnx(net: Network, requests: list, n: int) -> dict:
    """``osmnx.routing.shortest_path`` on the same directed graph with the same costs."""
    router = Router(net)
    a = net.arrays
    g = nx.MultiDiGraph()
    g.add_nodes_from((i, {"x": float(x), "y": float(y)}) for i, (x, y) in
                     enumerate(net.nodes[["lon", "lat"]].to_numpy()))
    times = []
    total_setup = 0.0
    for src_pt, dst_pt, p in requests[:n]:
        t_setup = time.perf_counter()
        cost = edge_cost_s(a, p)
        ok = np.isfinite(cost)
        g.clear_edges()
        g.add_edges_from(zip(a.src[ok].tolist(), a.dst[ok].tolist(), [{"w": c} for c in cost[ok].tolist()],
                             strict=True))
        o = router.anchor(*src_pt, p)
        d = router.anchor(*dst_pt, p)
        total_setup += time.perf_counter() - t_setup
        t0 = time.perf_counter()
        ox.routing.shortest_path(g, o.u, d.u, weight="w")
        times.append(time.perf_counter() - t0)
    return {"times": times, "setup_s": total_setup}


def serve(net: Network, *, threaded: bool = False) -> tuple[object, int]:
    """The Flask app on a free local port, served by one long-lived thread — as a WSGI server's thread
    pool serves it. (Werkzeug's threaded development server starts a thread per request, and pyproj
    builds its projection again in every new thread: about 3 ms a request that no production server
    pays.)"""
    from werkzeug.serving import make_server

    from webmap import create_app

    app = create_app({"NETWORK": net, "TESTING": False})
    server = make_server("127.0.0.1", 0, app, threaded=threaded)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_port


def bench_http(port: int, paths: list[str]) -> list[float]:
    """Sequential GETs on one keep-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    times = []
    for path in paths:
        t0 = time.perf_counter()
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        times.append(time.perf_counter() - t0)
    conn.close()
    return times


def qs(p: Profile) -> str:
    base = "manual_wheelchair" if p.name == "manual_wheelchair" else p.name
    return (f"profile={base}&max_uphill_pct={p.max_uphill_pct:.2f}&max_kerb_cm={p.max_kerb_cm:.1f}"
            f"&min_width_m={p.min_width_m:.2f}")


def report(name: str, net: Network, n_pairs: int, n_baseline: int, n_http: int) -> None:
    """Run all measurements on one network and print them."""
    requests = random_requests(net, n_pairs)
    with contextlib.suppress(NoRouteError):  # warm imports, JIT and caches once
        Router(net).route(requests[0][0], requests[0][1], PROFILES["walking"])
    ours = bench_in_process(net, requests)
    base = bench_osmnx(net, requests, n_baseline)
    patched = bench_patched(net, requests)
    server, port = serve(net)
    try:
        route_paths = [f"/api/route?from={a[1]},{a[0]}&to={b[1]},{b[0]}&{qs(p)}" for a, b, p in requests[:n_http]]
        bench_http(port, route_paths[:5])
        http_route = bench_http(port, route_paths)
        iso_paths = [f"/api/isochrone?at={a[1]},{a[0]}&minutes=10&{qs(p)}" for a, _b, p in requests[:n_http // 3]]
        http_iso = bench_http(port, iso_paths)
        near_paths = [f"/api/services/nearest?at={a[1]},{a[0]}&limit=5&{qs(p)}" for a, _b, p in requests[:n_http // 3]]
        bench_http(port, near_paths[:2])
        http_near = bench_http(port, near_paths)
    finally:
        server.shutdown()
    dev, dev_port = serve(net, threaded=True)
    try:
        bench_http(dev_port, route_paths[:5])
        http_route_dev = bench_http(dev_port, route_paths)
    finally:
        dev.shutdown()
    ours_p50 = pct(ours["times"], 50)
    base_p50 = pct(base["times"], 50)
    print(f"\n== {name}: {net.n_nodes:,} nodes, {len(net.arrays):,} directed edges")
    print(f"  in-process route  p50 {ours_p50:7.2f} ms  p95 {pct(ours['times'], 95):7.2f} ms  "
          f"({len(requests)} pairs, {ours['found']} routable, custom limits per request; "
          f"median nodes settled {int(statistics.median(ours['searched'] or [0])):,})")
    print(f"  osmnx baseline    p50 {base_p50:7.2f} ms  p95 {pct(base['times'], 95):7.2f} ms  "
          f"({len(base['times'])} of the same pairs; graph re-weighted per request outside the timing)")
    print(f"  speed-up p50: {base_p50 / ours_p50:.1f}×   p95: {pct(base['times'], 95) / pct(ours['times'], 95):.1f}×")
    print(f"  with 200 verified answers ({patched['values']:,} patched values, built in "
          f"{1000 * patched['build_s']:.0f} ms once per change): route p50 {pct(patched['patched'], 50):7.2f} ms "
          f"p95 {pct(patched['patched'], 95):7.2f} ms; without them, same run: p50 {pct(patched['plain'], 50):7.2f} ms "
          f"p95 {pct(patched['plain'], 95):7.2f} ms (ratio p50 "
          f"{pct(patched['patched'], 50) / pct(patched['plain'], 50):.2f})")
    print(f"  route description p50 {pct(ours['described'], 50):7.2f} ms; texts + JSON p50 "
          f"{pct(ours['rendered'], 50):7.2f} ms (per routable pair, outside the search timing)")
    print(f"  HTTP /api/route          p50 {pct(http_route, 50):7.2f} ms  p95 {pct(http_route, 95):7.2f} ms"
          f"  ({len(http_route)} requests, full GeoJSON with directions)")
    print(f"  HTTP /api/route, dev server (a thread per request) p50 {pct(http_route_dev, 50):7.2f} ms  "
          f"p95 {pct(http_route_dev, 95):7.2f} ms")
    print(f"  HTTP /api/isochrone 10'  p50 {pct(http_iso, 50):7.2f} ms  p95 {pct(http_iso, 95):7.2f} ms")
    print(f"  HTTP /api/services/nearest p50 {pct(http_near, 50):7.2f} ms  p95 {pct(http_near, 95):7.2f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--baseline-pairs", type=int, default=100)
    ap.add_argument("--mosaic-only", action="store_true", help="skip the Helsinki sample")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log line per request
    CACHE.mkdir(parents=True, exist_ok=True)
    pairs = 200 if args.quick else args.pairs
    if not args.mosaic_only:
        helsinki = pipeline.load_or_build(pipeline.SourceSpec.sample(), cache_dir=CACHE)
        report("Helsinki sample", helsinki, pairs, min(args.baseline_pairs, pairs), 300)
    if not args.quick:
        from benchmarks.mosaic import mosaic_path

        mosaic = pipeline.load_or_build(pipeline.SourceSpec.file(mosaic_path()), cache_dir=CACHE)
        report("Helsinki mosaic 5×4", mosaic, pairs, min(args.baseline_pairs, pairs), 300)


if __name__ == "__main__":
    main()
