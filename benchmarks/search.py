"""Benchmark: offline search and layer responses, each against a naive baseline run in the same process.

Search: the index is built from the real Helsinki extract (addresses, POIs, streets) plus the
curated Liberec layers and the 212 DPMLJ stops, copied until it has at least as many entries as
Liberec would (≈ 25,000 address points, 1,500 streets, 5,000 POIs → 32,000 entries; copies keep
their labels, which makes prefix ranges larger than in a real city — a pessimistic setting). The
baseline answers the same queries with a pandas ``str.contains`` scan over the folded labels.

Layers: ``/api/layers/<name>`` through the Flask test client on the Helsinki sample, for a
≈ 500 m viewport and for the whole extract; the baseline filters the same frame with a full
``GeoSeries.intersects`` scan instead of the STRtree.

    python -m benchmarks.search
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parents[1]
LIBEREC_SIZE = 32_000


def _percentiles(times_s: list[float]) -> tuple[float, float, float]:
    ms = sorted(t * 1000 for t in times_s)
    return statistics.median(ms), ms[int(0.95 * (len(ms) - 1))], ms[-1]


def _queries(labels: list[str], n: int, seed: int = 7) -> list[str]:
    """Realistic queries: first-token prefixes, two-token prefixes, full labels, lower-case, no diacritics."""
    from geo.layers.addresses import fold

    rnd = random.Random(seed)
    out = []
    for label in rnd.sample(labels, n):
        words = label.split()
        kind = rnd.randrange(4)
        if kind == 0:
            out.append(words[0][: rnd.randint(3, max(3, len(words[0])))])
        elif kind == 1 and len(words) > 1:
            out.append(f"{words[0]} {words[1][: rnd.randint(1, len(words[1]))]}")
        elif kind == 2:
            out.append(fold(label))
        else:
            out.append(label.lower())
    return out


def bench_search(n_queries: int) -> None:
    from geo import settings
    from geo.layers.addresses import address_index, fold
    from geo.layers.records import flats_frame, services_frame
    from geo.layers.schemas import read_flats, read_services
    from geo.layers.search import SearchIndex, build_index
    from geo.layers.stops import load_stops
    from geo.network import pipeline

    cache = Path(tempfile.gettempdir()) / "lbb-bench-cache"
    net = pipeline.load_or_build(pipeline.SourceSpec.sample(), cache_dir=cache)
    stops_csv = ROOT.parent / "shared" / "data" / "dpmlj-stops" / "dpmlj_stops_2026-08.csv"
    stops = load_stops(stops_csv) if stops_csv.is_file() else None
    index = address_index(net.buildings, net.pois, net.edges)
    services = services_frame(read_services(settings.SERVICES_FILE))
    base = build_index(pois=net.pois, address_index=index, services=services,
                       flats=flats_frame(read_flats(settings.FLATS_FILE)), stops=stops).entries
    copies = -(-LIBEREC_SIZE // len(base))
    entries = [replace(e, ref=f"{e.ref}#{k}") for k in range(copies) for e in base]
    t0 = time.perf_counter()
    idx = SearchIndex(entries)
    build_s = time.perf_counter() - t0

    labels = [e.label for e in base if len(e.label) >= 3]
    queries = _queries(labels, n_queries)
    folded = pd.Series([fold(" ".join((e.label, *e.extra))) for e in entries])

    def naive(q: str) -> list[int]:
        mask = np.ones(len(folded), bool)
        for tok in fold(q).split():
            mask &= folded.str.contains(tok, regex=False).to_numpy()
        return np.flatnonzero(mask)[:10].tolist()

    for q in queries[:5]:  # warm up both
        idx.search(q)
        naive(q)
    t_idx, t_naive, hits = [], [], 0
    for q in queries:
        t = time.perf_counter()
        res = idx.search(q, limit=10)
        t_idx.append(time.perf_counter() - t)
        hits += bool(res)
        t = time.perf_counter()
        naive(q)
        t_naive.append(time.perf_counter() - t)
    p50, p95, mx = _percentiles(t_idx)
    b50, b95, bmx = _percentiles(t_naive)
    print(f"search index: {len(idx):,} entries ({copies} copies of {len(base):,} real entries), "
          f"{idx.n_tokens:,} tokens, built in {build_s:.2f} s")
    print(f"  {len(queries)} queries, {hits} with results")
    print(f"  index         p50 {p50:7.3f} ms   p95 {p95:7.3f} ms   max {mx:7.3f} ms   (target ≤ 20 ms)")
    print(f"  naive scan    p50 {b50:7.3f} ms   p95 {b95:7.3f} ms   max {bmx:7.3f} ms   (pandas str.contains)")
    print(f"  speed-up p50: {b50 / p50:.0f}×, p95: {b95 / p95:.0f}×")


def bench_layers(repeat: int) -> None:
    from geo.network import pipeline
    from webmap import create_app

    cache = Path(tempfile.gettempdir()) / "lbb-bench-cache"
    net = pipeline.load_or_build(pipeline.SourceSpec.sample(), cache_dir=cache)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "NETWORK": net, "CACHE_DIR": tmp, "FLATS_STORE": f"{tmp}/none.geojson"})
        client = app.test_client()
        t0 = time.perf_counter()
        client.get("/api/layers")  # builds the layers once
        print(f"layers built in {time.perf_counter() - t0:.2f} s (address matching, OSM POIs, barriers, search, trees)")
        minx, miny, maxx, maxy = net.bounds()
        cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
        boxes = {"viewport ~500 m": (cx - 0.0045, cy - 0.00225, cx + 0.0045, cy + 0.00225),
                 "whole extract": (minx, miny, maxx, maxy)}
        from webmap.layers_state import current_layers

        with app.app_context():
            layers = current_layers()
        print(f"{'layer':<10} {'box':<16} {'features':>8} {'bytes':>10} {'response p50':>13} "
              f"{'STRtree':>9} {'full scan':>10} {'ratio':>6}")
        for name in ("buildings", "network", "barriers", "services"):
            frame = layers.frame(name)
            geoms = frame.geometry
            for label, box in boxes.items():
                url = f"/api/layers/{name}?bbox={','.join(f'{v:.6f}' for v in box)}&limit=10000"
                times, size, count = [], 0, 0
                for _ in range(repeat):
                    t = time.perf_counter()
                    resp = client.get(url)
                    times.append(time.perf_counter() - t)
                    size, count = len(resp.data), resp.get_json()["count"]
                poly = shapely.box(*box)
                tq, ts = [], []
                for _ in range(repeat):
                    t = time.perf_counter()
                    layers.tree(name).query(poly, predicate="intersects")
                    tq.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    np.flatnonzero(geoms.intersects(poly).to_numpy())
                    ts.append(time.perf_counter() - t)
                q50, s50 = statistics.median(tq) * 1000, statistics.median(ts) * 1000
                print(f"{name:<10} {label:<16} {count:>8} {size:>10,} {statistics.median(times) * 1000:>10.1f} ms "
                      f"{q50:>6.2f} ms {s50:>7.2f} ms {s50 / q50:>5.0f}×")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    import logging

    logging.basicConfig(level=logging.WARNING)
    bench_search(args.queries)
    print()
    bench_layers(args.repeat)


if __name__ == "__main__":
    main()
