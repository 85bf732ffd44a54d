"""Benchmark: does answering the ranked questions first verify routes faster than answering at random?

On the benchmark city (the ≥ 60k-node Helsinki mosaic of ``benchmarks/mosaic.py``; ``--quick``: the Helsinki
sample) for the manual-wheelchair profile:

* the questions are ranked by :class:`geo.reports.audit_tasks.AuditIndex` (sampled everyday trips that pass
  the element with the attribute unknown);
* the top N questions (N = 10, 50, 200) are answered by simulation — with a passable value (kerb flush, surface
  asphalt, width 0.9–1.5 m, incline flat, smoothness good, ramp for wheelchairs), so that routes change only
  because their data became known — and, as the baseline in the same run, N questions drawn at random from
  the same unknown ones (the mean over several draws);
* the *random routes* are fresh random trips, not the ones the ranking sampled: from random nodes to random
  nodes within 20 minutes (local trips, with a different seed), and from random nodes to random nodes anywhere
  (long trips); each is routed again with the answers laid over the network, and its verified share (the
  length whose surface, incline, width and kerbs are all known) and its data completeness (the share of
  those four attributes known, length-weighted) are averaged.

It also prints what the answers cost once per change: building the attribute patches and the first cost array
(routes with and without answers are timed by ``benchmarks/routing.py``).

    python -m benchmarks.audits            # the mosaic
    python -m benchmarks.audits --quick    # the Helsinki sample
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from pathlib import Path

import numpy as np

from geo.errors import NoRouteError
from geo.network import pipeline
from geo.network.model import Network
from geo.reports.audit_model import Verdict
from geo.reports.audit_overlay import verdict_patches
from geo.reports.audit_tasks import AuditIndex, Catalogue, sample_trips
from geo.reports.model import utcnow
from geo.routing.overlay import EMPTY_OVERLAY, Overlay
from geo.routing.profiles import PROFILES
from geo.routing.router import Router

CACHE = Path(__file__).resolve().parent / ".data" / "cache"
PROFILE = "manual_wheelchair"
SIZES = (10, 50, 200)
GOOD = {"kerb": "flush", "surface": "asphalt", "width": "0_9_to_1_5", "incline": "flat", "smoothness": "good",
        "ramp": "wheelchair"}


def answers(cat: Catalogue, rows: np.ndarray) -> list[Verdict]:
    """Simulated verdicts: a passable value for each task of ``rows``."""
    now = utcnow()
    return [Verdict(i, cat.ref(int(r)), GOOD[str(cat.attribute[r])], "community", "community", now)
            for i, r in enumerate(rows, start=1)]


def random_routes(net: Network, router: Router, n: int, *, local: bool, seed: int) -> list[tuple[tuple, tuple]]:
    """Random (lon, lat) pairs of network nodes: within 20 minutes of each other (local) or anywhere."""
    lon, lat = net.nodes["lon"].to_numpy(), net.nodes["lat"].to_numpy()
    if local:
        trips = sample_trips(net, router.costs(PROFILES[PROFILE]), origins=n, per_origin=1, seed=seed)
        pairs = list(zip(trips.origin.tolist(), trips.destination.tolist(), strict=True))[:n]
    else:
        rng = np.random.default_rng(seed)
        pairs = [tuple(rng.integers(0, net.n_nodes, 2).tolist()) for _ in range(n)]
    return [((lon[o], lat[o]), (lon[d], lat[d])) for o, d in pairs]


def shares(router: Router, pairs: list, overlay: Overlay) -> tuple[float, float, int]:
    """Mean verified share and data completeness of the routes, and how many were found."""
    a = router.arrays(overlay)
    known = (a.surface_known.astype(int) + a.incline_known + a.width_known + a.kerb_known)
    verified, complete = [], []
    for o, d in pairs:
        try:
            r = router.route(o, d, PROFILES[PROFILE], overlay)
        except NoRouteError:
            continue
        k = np.array([p.edge for p in r.pieces])
        length = a.length_m[k] * np.array([p.t1 - p.t0 for p in r.pieces])
        total = float(length.sum())
        if total <= 0:
            continue
        verified.append(float(length[known[k] == 4].sum()) / total)
        complete.append(float((length * known[k] / 4).sum()) / total)
    return float(np.mean(verified)), float(np.mean(complete)), len(verified)


def _ratio(ours: float, baseline: float) -> str:
    if baseline <= 1e-4:  # under 0.01 percentage points: random answers changed nothing measurable
        return f"+{100 * ours:.2f} pp vs ≈0"
    return f"{ours / baseline:.1f}×"


def overlay_of(net: Network, cat: Catalogue, rows: np.ndarray, version: int) -> Overlay:
    return Overlay(version=0, patches=verdict_patches(net, answers(cat, rows), version=version))


def report(name: str, net: Network, n_routes: int, draws: int) -> None:
    print(f"\n== {name}: {net.n_nodes:,} nodes, {len(net.arrays):,} directed edges; profile {PROFILE}")
    router = Router(net)
    t0 = time.perf_counter()
    index = AuditIndex(net, router)
    t_cat = time.perf_counter() - t0
    t0 = time.perf_counter()
    ranking = index.ranking(PROFILE)
    t_rank = time.perf_counter() - t0
    cat = index.catalogue
    print(f"  {len(cat):,} open questions (catalogue {t_cat:.2f} s); {len(ranking.trips):,} sampled trips, ranking "
          f"{t_rank:.2f} s; {len(ranking.order):,} matter for the profile")
    rng = np.random.default_rng(2024)
    version = 1
    for label, local in (("local routes (≤ 20 min)", True), ("long routes (anywhere)", False)):
        pairs = random_routes(net, router, n_routes, local=local, seed=99)
        base_v, base_c, found = shares(router, pairs, EMPTY_OVERLAY)
        print(f"\n  {label}: {found} routed; no answers: verified share {100 * base_v:5.2f} %, "
              f"completeness {100 * base_c:5.2f} %")
        print(f"       N   ranked: verified / complete   random (mean of {draws}): verified / complete   "
              "gain ranked ÷ random: verified, complete")
        for n in SIZES:
            version += 1
            top_v, top_c, _ = shares(router, pairs, overlay_of(net, cat, ranking.order[:n], version))
            rand_v, rand_c = [], []
            for _ in range(draws):
                version += 1
                pick = rng.choice(ranking.order, size=n, replace=False)
                v, c, _ = shares(router, pairs, overlay_of(net, cat, pick, version))
                rand_v.append(v)
                rand_c.append(c)
            print(f"    {n:4d}   {100 * top_v:6.2f} % / {100 * top_c:6.2f} %        "
                  f"{100 * statistics.mean(rand_v):6.2f} % / {100 * statistics.mean(rand_c):6.2f} %            "
                  f"{_ratio(top_v - base_v, statistics.mean(rand_v) - base_v)}, "
                  f"{_ratio(top_c - base_c, statistics.mean(rand_c) - base_c)}")
    cost_of_patches(net, router, cat, ranking.order)


def cost_of_patches(net: Network, router: Router, cat: Catalogue, order: np.ndarray) -> None:
    """What 200 verified answers cost once per change and worker: the patches and the first cost array
    (routes with and without them: ``python -m benchmarks.routing``)."""
    t0 = time.perf_counter()
    patches = verdict_patches(net, answers(cat, order[:200]), version=10_000)
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    router.costs(PROFILES[PROFILE], Overlay(version=0, patches=patches))
    t_first = time.perf_counter() - t0
    print(f"\n  200 verified answers: {len(patches):,} patched values on {len(patches.edges):,} directed edges, built "
          f"in {1000 * t_build:.1f} ms; the first cost array with them {1000 * t_first:.1f} ms (once per change and "
          "worker)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="the Helsinki sample instead of the mosaic")
    ap.add_argument("--routes", type=int, default=300)
    ap.add_argument("--draws", type=int, default=5)
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    CACHE.mkdir(parents=True, exist_ok=True)
    if args.quick:
        net = pipeline.load_or_build(pipeline.SourceSpec.sample(), cache_dir=CACHE)
        report("Helsinki sample", net, args.routes, args.draws)
    else:
        from benchmarks.mosaic import mosaic_path

        net = pipeline.load_or_build(pipeline.SourceSpec.file(mosaic_path()), cache_dir=CACHE)
        report("Helsinki mosaic 5×4", net, args.routes, args.draws)


if __name__ == "__main__":
    main()
