"""Benchmark: rank every barrier of the ≥ 60k-node mosaic city by its gain, against brute force in the same run.

The city is ``benchmarks/mosaic.py`` (20 shifted copies of the real Helsinki extract). Its network carries
no buildings, so the homes are the sample's buildings copied onto every tile with the same shift (each a
home of weight 1), and the destinations its POIs of service kinds (pharmacy, library, doctors …) likewise.
Barriers are the OSM-derived ones of the mosaic; random extra ones are added only if fewer than 1,000
change anything for the profile.

Measured: the whole ranking (snapping, candidates, the search graph, forward and backward searches, every
barrier's exact gain) — wall time, with the stages; the greedy package of 10; then brute force (remove one
barrier, search again from every origin) on a random subset of the ranked barriers, checked equal and
extrapolated to all.

    python -m benchmarks.planner                  # manual wheelchair, 15 min
    python -m benchmarks.planner --minutes 10 --brute 5
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from benchmarks.mosaic import mosaic_path
from geo.analysis.brute import brute_effect
from geo.analysis.gain import change_of
from geo.analysis.origins import Places
from geo.analysis.planner import PlannerInputs, PlannerRequest, analyse
from geo.layers.barriers import osm_barriers
from geo.network import osm, pipeline
from geo.routing.router import Router

CACHE = Path(__file__).resolve().parent / ".data" / "cache"
SERVICE_KINDS = ("pharmacy", "library", "doctors", "dentist", "clinic", "community_centre", "school", "post_office",
                 "townhall", "social_facility", "kindergarten", "hospital", "university", "toilets")


def tiled(frame: gpd.GeoDataFrame, cols: int, rows: int, kind: str) -> Places:
    """The points of ``frame`` (sample coordinates) copied onto every tile of the mosaic, as in mosaic.py."""
    ex = osm.load_sample()
    minx, miny, maxx, maxy = ex.segments.total_bounds
    dx, dy = (maxx - minx) * 1.02, (maxy - miny) * 1.02
    pts = frame.geometry.representative_point()
    lon, lat = pts.x.to_numpy(), pts.y.to_numpy()
    parts = []
    for t in range(cols * rows):
        ox_, oy_ = (t % cols) * dx, (t // cols) * dy
        ids = np.array([f"{kind}-{t}-{i}" for i in range(len(frame))], dtype=object)
        parts.append(Places(ids, np.full(len(frame), kind, dtype=object), np.full(len(frame), "", dtype=object),
                            lon + ox_, lat + oy_, np.ones(len(frame))))
    return Places.concat(parts)


class Stages:
    """Wall time per stage of the analysis (its progress callback)."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.first: dict[str, float] = {}
        self.last: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter() - self.t0
        self.first.setdefault(stage, now)
        self.last[stage] = now

    def report(self) -> str:
        start = 0.0
        parts = []
        for stage, end in self.last.items():
            parts.append(f"{stage} {end - start:.1f} s")
            start = end
        return ", ".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--minutes", type=float, default=15.0)
    ap.add_argument("--profile", default="manual_wheelchair")
    ap.add_argument("--brute", type=int, default=6, help="barriers to recompute by brute force")
    ap.add_argument("--package", type=int, default=10, help="size of the greedy package to time (0: none)")
    ap.add_argument("--cols", type=int, default=5)
    ap.add_argument("--rows", type=int, default=4)
    a = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    net = pipeline.load_or_build(pipeline.SourceSpec.file(mosaic_path(a.cols, a.rows)), cache_dir=CACHE)
    ex = osm.load_sample()
    homes = tiled(ex.buildings, a.cols, a.rows, "building")
    pois = ex.pois[ex.pois["amenity"].isin(SERVICE_KINDS)] if "amenity" in ex.pois else ex.pois.iloc[:0]
    services = tiled(pois, a.cols, a.rows, "service")
    barriers = osm_barriers(net)
    router = Router(net)
    print(f"city: {net.n_nodes:,} nodes, {len(net.arrays):,} directed edges; cores available: {os.cpu_count()}")
    inputs = PlannerInputs(net, router, barriers, homes, Places.empty(), services, Places.empty())
    request = PlannerRequest(profile=a.profile, minutes=a.minutes, origins="buildings", destinations="services")
    stages = Stages()
    t0 = time.perf_counter()
    result = analyse(inputs, request, None, stages)
    ranked_s = time.perf_counter() - t0
    n = len(result.order)
    if n < 1000:
        raise SystemExit(f"only {n} barriers change anything for {a.profile}: add random ones to reach 1,000")
    c = result.counts
    print(f"ranked {n:,} barriers ({c['candidates']:,} OSM-derived, {n:,} change something for {a.profile}) "
          f"for {c['origins_placed']:,} homes and {c['destinations_placed']:,} destinations, T = {a.minutes:g} min")
    print(f"ranking: {ranked_s:.1f} s  ({stages.report()})")
    top = result.ranking().head(5)
    print(pd.DataFrame(top[["rank", "barrier_id", "gain", "pairs_opened", "origins_helped", "time_saved_s"]])
          .to_string(index=False))

    if a.package:
        t1 = time.perf_counter()
        package = result.package(a.package)
        print(f"greedy package of {a.package}: {time.perf_counter() - t1:.1f} s, combined gain {package['gain']:g} "
              f"({len(package['steps'])} steps)")

    rng = np.random.default_rng(7)
    sample = rng.choice(result.order, size=min(a.brute, n), replace=False)
    s = result.situation
    per = []
    equal = 0
    for row in sample:
        change = change_of(result.graph, result.candidates, np.array([row]), s.cost)
        t1 = time.perf_counter()
        brute = brute_effect(s, change)
        per.append(time.perf_counter() - t1)
        fast = result.effects[row]
        equal += (brute.gain, brute.pairs_opened, brute.origins_helped) == (fast.gain, fast.pairs_opened,
                                                                           fast.origins_helped)
    each = statistics.median(per)
    print(f"brute force: {each:.1f} s per barrier (median of {len(per)}; all {len(per)} equal to the fast method: "
          f"{equal == len(per)}) → {each * n / 60:.0f} min for all {n:,} (extrapolated)")
    print(f"speed-up: {each * n / ranked_s:.0f}× (brute force extrapolated / ranking, same run)")


if __name__ == "__main__":
    main()
