"""Benchmark: how much of the network hangs together, and the share of random point pairs that route.

On the Helsinki sample (the extract a peer engine routed all 300 walking pairs on):

* the connected pieces of the network and the share of nodes outside the largest one (goal ≤ 1 %);
* N random pairs of points near the network (a point picked uniformly along the mapped lines, moved by
  up to 20 m in a random direction): the share that routes, per profile, and why the others do not
  (goal for walking ≥ 99 %);
* the baseline, measured on the same pairs in the same run: snapping each point to its nearest edge
  regardless of where a route can go (what the router did before), a pair counting as routable when
  both nearest edges lie in the same connected piece — an upper bound of that approach for walking.

    python -m benchmarks.connectivity              # 1000 pairs
    python -m benchmarks.connectivity --pairs 300
"""

from __future__ import annotations

import argparse
import collections
import logging
import time
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer

from geo import settings
from geo.errors import NoRouteError
from geo.network import pipeline
from geo.network.model import Network
from geo.routing.profiles import PROFILES
from geo.routing.router import Router

CACHE = Path(__file__).resolve().parent / ".data" / "cache"


def random_points(net: Network, n: int, rng: np.random.Generator, jitter_m: float = 20.0) -> np.ndarray:
    """``n`` (lon, lat) points: uniform along the mapped lines (straight connections across areas left out),
    each moved up to ``jitter_m`` in a random direction."""
    lines = net.edges_metric
    mapped = ~net.edge_col("across_area").astype(bool)
    ids = np.flatnonzero(mapped)
    length = shapely.length(lines[ids])
    picked = ids[rng.choice(len(ids), size=n, p=length / length.sum())]
    pts = shapely.line_interpolate_point(lines[picked], rng.uniform(0.0, 1.0, n), normalized=True)
    angle = rng.uniform(0.0, 2 * np.pi, n)
    r = jitter_m * np.sqrt(rng.uniform(0.0, 1.0, n))
    x = shapely.get_x(pts) + r * np.cos(angle)
    y = shapely.get_y(pts) + r * np.sin(angle)
    lon, lat = Transformer.from_crs(net.crs_metric, settings.CRS_WGS84, always_xy=True).transform(x, y)
    return np.column_stack([lon, lat])


def nearest_edge_baseline(net: Network, a: np.ndarray, b: np.ndarray) -> float:
    """Share of pairs whose nearest edges lie in the same connected piece (the old snapping's best case)."""
    ok = 0
    for pa, pb in zip(a, b, strict=True):
        ea, eb = net.snap(*pa).edge_id, net.snap(*pb).edge_id
        pieces = net.piece_of_edge(np.array([ea, eb]))
        ok += int(pieces[0] == pieces[1])
    return ok / len(a)


def route_share(router: Router, a: np.ndarray, b: np.ndarray, profile_name: str) -> tuple[float, collections.Counter,
                                                                                           float]:
    """Share of pairs that route for a profile, the reasons of those that do not, and the median ms per pair."""
    profile = PROFILES[profile_name]
    reasons: collections.Counter = collections.Counter()
    found = 0
    times = []
    for pa, pb in zip(a, b, strict=True):
        t0 = time.perf_counter()
        try:
            router.route(tuple(pa), tuple(pb), profile)
            found += 1
        except NoRouteError as e:
            kinds = sorted({r["reason"] for r in e.details.get("reasons", [])}) or [e.key]
            reasons[", ".join(kinds)] += 1
        times.append(time.perf_counter() - t0)
    return found / len(a), reasons, float(np.median(times) * 1000.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=12)
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    CACHE.mkdir(parents=True, exist_ok=True)
    net = pipeline.load_or_build(pipeline.SourceSpec.sample(), cache_dir=CACHE)
    c = net.connectivity()
    print(f"== Helsinki sample: {net.n_nodes:,} nodes, {len(net.edges):,} edges")
    print(f"  connected pieces {c['pieces']}: outside the largest {c['outside_nodes']} nodes = "
          f"{c['outside_pct']:.2f} % (goal ≤ 1 %); largest others {c['other_piece_sizes']}")
    rng = np.random.default_rng(args.seed)
    a, b = random_points(net, args.pairs, rng), random_points(net, args.pairs, rng)
    base = nearest_edge_baseline(net, a, b)
    router = Router(net)
    for name in ("walking", "pram", "manual_wheelchair", "electric_wheelchair"):
        share, reasons, ms = route_share(router, a, b, name)
        why = "; ".join(f"{k}: {v}" for k, v in reasons.most_common(4)) or "–"
        goal = " (goal ≥ 99 %)" if name == "walking" else ""
        print(f"  {name:<20} routable {100 * share:6.2f} %{goal} of {args.pairs} pairs, p50 {ms:6.1f} ms; "
              f"not: {why}")
        if name == "walking":
            print(f"  baseline: nearest edge, same piece {100 * base:6.2f} % of the same pairs "
                  f"(walking now {share / base:.3f}× that)")


if __name__ == "__main__":
    main()
