"""Benchmark: reach cards on the ≥ 60k-node mosaic city, against one route per (home, category) in the same run.

The city is ``benchmarks/mosaic.py`` (20 shifted copies of the real Helsinki extract). Its network carries no
buildings and no POIs, so the homes are the sample's **residential** buildings
(:func:`geo.analysis.origins.residential_buildings`) and the destinations its OSM POIs of the essential kinds
(:func:`geo.analysis.destinations.osm_destinations`: GPs, pharmacies, groceries, schools, post offices), both
copied onto every tile with the tile's shift. The sample has no GTFS stops nor curated services: those categories
are "no data" (left out of the score, as on a real card).

Measured:

* the field: one multi-source search per category for the whole city (built once per profile and reports state);
* **one card** of a random point near the network, as ``/api/housing/reach`` computes it (snapping, the nine
  categories' times, the route and its description to each shown destination, the no-route diagnosis and the
  nearest relaxation of each unreachable one) — p50 / p95 ms; and the card's figures only (times and score);
* **cards of every residential building** (``reach-cards``): its field with the homes in it, then the rows;
* the same for every building of the city as if each were a home (the sample tags few buildings residential);
* the baseline: one ``Router.route`` (compiled A*) per (home, category) to the destination the card found — a
  favour to the baseline, which is told the nearest destination instead of searching for it — on a sample of
  homes, checked equal to the cards' seconds and extrapolated to all homes.

    python -m benchmarks.housing                     # manual wheelchair
    python -m benchmarks.housing --profile pram --cards 100 --baseline 20
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import statistics
import time
from pathlib import Path

import geopandas as gpd
import numpy as np

from benchmarks.mosaic import mosaic_path
from benchmarks.planner import Stages
from benchmarks.routing import pct
from geo.analysis.cards import Housing, HousingInputs
from geo.analysis.destinations import CATEGORIES, Destinations, category_counts, osm_destinations
from geo.analysis.entrances import Buildings
from geo.analysis.origins import Places, residential_buildings
from geo.errors import NoRouteError
from geo.network import osm, pipeline
from geo.network.model import Network
from geo.routing.profiles import get_profile
from geo.routing.router import Router

CACHE = Path(__file__).resolve().parent / ".data" / "cache"


def tile_offsets(cols: int, rows: int) -> list[tuple[float, float]]:
    """The (dlon, dlat) shift of every tile of the mosaic, as ``benchmarks/mosaic.py`` lays them out."""
    minx, miny, maxx, maxy = osm.load_sample().segments.total_bounds
    dx, dy = (maxx - minx) * 1.02, (maxy - miny) * 1.02
    return [((t % cols) * dx, (t // cols) * dy) for t in range(cols * rows)]


def on_tile(p: Places, tile: int, offset: tuple[float, float]) -> Places:
    """``p`` shifted onto one tile (ids suffixed with the tile)."""
    return Places(np.array([f"{i}@{tile}" for i in p.ids], dtype=object), p.kinds, p.names, p.lon + offset[0],
                  p.lat + offset[1], p.weight)


def shifted(p: Places, offsets: list[tuple[float, float]]) -> Places:
    """``p`` copied onto every tile."""
    return Places.concat([on_tile(p, t, o) for t, o in enumerate(offsets)])


def shifted_destinations(d: Destinations, offsets: list[tuple[float, float]]) -> Destinations:
    """The destinations ``d`` copied onto every tile."""
    return Destinations.concat([Destinations(on_tile(d.places, t, o), d.names_en, d.sources, d.refs, d.precision,
                                             d.wheelchair) for t, o in enumerate(offsets)])


def every_building(net: Network) -> Places:
    """Every building of ``net`` as a home (the stress case: the sample tags few buildings as residential)."""
    b = net.buildings
    pts = b.geometry.representative_point()
    n = len(b)
    return Places(np.array([f"building-{i}" for i in range(n)], dtype=object), np.full(n, "building", dtype=object),
                  np.full(n, "", dtype=object), pts.x.to_numpy(float), pts.y.to_numpy(float), np.ones(n))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--profile", default="manual_wheelchair")
    ap.add_argument("--cards", type=int, default=200, help="random points to time one card on")
    ap.add_argument("--baseline", type=int, default=40, help="homes to route one by one per category")
    ap.add_argument("--cols", type=int, default=5)
    ap.add_argument("--rows", type=int, default=4)
    a = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    profile = get_profile(a.profile)
    net = pipeline.load_or_build(pipeline.SourceSpec.file(mosaic_path(a.cols, a.rows)), cache_dir=CACHE)
    sample = pipeline.load_or_build(pipeline.SourceSpec.sample(), cache_dir=CACHE)
    offsets = tile_offsets(a.cols, a.rows)
    homes = shifted(residential_buildings(sample), offsets)
    dests = shifted_destinations(osm_destinations(sample.pois), offsets)
    router = Router(net)
    housing = Housing(HousingInputs(router, dests, Buildings.of(net), gpd.GeoDataFrame(), Places.empty()))
    counts = {c: n for c, n in category_counts(dests).items() if n}
    print(f"city: {net.n_nodes:,} nodes, {len(net.arrays):,} directed edges; cores available: {os.cpu_count()}")
    print(f"{len(homes):,} residential buildings, {len(dests):,} destinations ({counts}); profile {profile.name}")

    t0 = time.perf_counter()
    field = housing.field(profile)
    field_s = time.perf_counter() - t0
    print(f"field (one search per category, whole city): {field_s:.2f} s")

    rng = np.random.default_rng(17)
    pts = net.nodes[["lon", "lat"]].to_numpy()
    points = [tuple(pts[rng.integers(len(pts))] + rng.uniform(-2e-4, 2e-4, 2)) for _ in range(a.cards)]
    housing.card(*points[0], profile, lang="cs")  # warm-up (the unrestricted field, compiled paths)
    card_s, figures_s, routes_per_card = [], [], []
    for lon, lat in points:
        t1 = time.perf_counter()
        card = housing.card(lon, lat, profile, lang="cs")
        card_s.append(time.perf_counter() - t1)
        routes_per_card.append(sum(c["status"] != "no_data" for c in card["categories"]))
        t1 = time.perf_counter()
        field.times_at(field.anchor(lon, lat))
        figures_s.append(time.perf_counter() - t1)
    print(f"one card ({len(points)} random points, {statistics.median(routes_per_card):g} categories with data): "
          f"p50 {pct(card_s, 50):.1f} ms, p95 {pct(card_s, 95):.1f} ms; its figures only: p50 "
          f"{pct(figures_s, 50):.2f} ms (goal: card p50 ≤ 50 ms)")

    stages = Stages()
    t0 = time.perf_counter()
    rows = housing.home_cards(homes, profile, progress=stages)
    all_s = time.perf_counter() - t0
    scored = [r["score"] for r in rows if r["score"] is not None]
    print(f"cards of all {len(rows):,} residential buildings: {all_s:.1f} s ({stages.report()}); median score "
          f"{statistics.median(scored) if scored else '–'} (goal ≤ 60 s on 2 cores)")

    everyone = shifted(every_building(sample), offsets)
    t0 = time.perf_counter()
    housing.home_cards(everyone, profile)
    every_s = time.perf_counter() - t0
    print(f"stress: cards of every building ({len(everyone):,}, as if all were homes): {every_s:.1f} s")

    pick = rng.choice(len(homes), size=min(a.baseline, len(homes)), replace=False)
    cats = [k for k, c in enumerate(CATEGORIES) if c in counts]
    per, equal, pairs = [], 0, 0
    for i in pick:
        start = (float(homes.lon[i]), float(homes.lat[i]))
        for k in cats:
            got = rows[i]["categories"][CATEGORIES[k]]
            if got is None:  # the baseline would search all the category's destinations in vain; not timed
                continue
            j = int(np.flatnonzero(dests.places.ids == got["destination_id"])[0])
            t1 = time.perf_counter()
            try:
                seconds = router.route(start, (float(dests.places.lon[j]), float(dests.places.lat[j])),
                                       profile).duration_s
            except NoRouteError:
                seconds = math.inf
            per.append(time.perf_counter() - t1)
            pairs += 1
            equal += round(seconds / 60.0, 1) == got["minutes"]
    each = statistics.median(per)
    total_pairs = len(homes) * len(cats)
    print(f"baseline: one route per (home, category): {each * 1000:.1f} ms per pair (median of {pairs}; minutes "
          f"equal to the cards' in {equal} of {pairs}) → {each * total_pairs:.0f} s for all {total_pairs:,} pairs "
          f"(extrapolated)")
    print(f"speed-up: all cards {each * total_pairs / all_s:.0f}× faster than one route per pair (same run); every "
          f"building {each * len(everyone) * len(cats) / every_s:.0f}×; one "
          f"card {statistics.median(card_s) / (each * len(cats)):.2f}× the time of its {len(cats)} routes")


if __name__ == "__main__":
    main()
