"""Fixtures of the planner tests: random small cities built through the real pipeline, and analyses on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo import settings
from geo.analysis.candidates import Candidates, find_candidates
from geo.analysis.cards import Housing, HousingInputs
from geo.analysis.gain import Change, Effect, Situation, key_nodes, single_changes
from geo.analysis.graph import SearchGraph, build_graph
from geo.analysis.origins import Places, services, snap_points
from geo.layers.barriers import osm_barriers
from geo.layers.query import MapLayers
from geo.layers.schemas import read_flats, read_services
from geo.layers.stops import load_stops
from geo.network.model import Network
from geo.network.osm import OsmExtract, Provenance
from geo.network.pipeline import build_network
from geo.reports.model import CATEGORIES, Report
from geo.reports.placement import ReportsView, reports_view
from geo.routing.overlay import EMPTY_OVERLAY
from geo.routing.profiles import PROFILES
from geo.routing.router import Router

LON0, LAT0 = 15.0560, 50.7660  # central Liberec: only the projection cares
NOW = datetime(2025, 6, 1, 12, 0)

WAY_CHOICES = {
    "highway": ["footway", "footway", "footway", "path", "steps", "residential"],
    "surface": [None, "asphalt", "asphalt", "paving_stones", "sett", "gravel", "sand"],
    "smoothness": [None, None, None, "bad", "very_bad", "horrible"],
    "incline": [None, None, "2%", "-4%", "9%", "-11%", "14%", "up"],
    "width": [None, None, "2", "1.2", "0.8", "0.6"],
    "wheelchair": [None, None, None, None, "no", "yes"],
    "ramp:wheelchair": [None, None, "yes"],
    "footway": [None, None, None, "crossing", "sidewalk"],
    "kerb": [None, None, None, "raised"],
}
NODE_CHOICES = {
    "kerb": [None] * 6 + ["raised", "lowered", "flush", "rolled"],
    "barrier": [None] * 8 + ["bollard", "cycle_barrier", "stile", "kerb"],
    "highway": [None] * 8 + ["crossing"],
}


def _pick(rng: np.random.Generator, options: list) -> object:
    return options[int(rng.integers(len(options)))]


def random_network(rng: np.random.Generator, *, size: int | None = None) -> Network:
    """A random grid-like city (real pipeline: tags → attributes → simplification → arrays)."""
    n = size or int(rng.integers(3, 6))
    step = float(rng.uniform(0.0004, 0.0009))
    ids, xs, ys = [], [], []
    for i in range(n):
        for j in range(n):
            ids.append(1000 + i * n + j)
            xs.append(LON0 + j * step + rng.uniform(-step / 5, step / 5))
            ys.append(LAT0 + i * step * 0.64 + rng.uniform(-step / 8, step / 8))
    nodes = pd.DataFrame({"x": xs, "y": ys}, index=pd.Index(ids, name="osmid"))
    for key, options in NODE_CHOICES.items():
        nodes[key] = [_pick(rng, options) for _ in ids]
    nodes["kerb:height"] = [("5" if rng.random() < 0.1 else None) for _ in ids]
    for key in settings.NODE_TAGS:
        if key not in nodes:
            nodes[key] = None
    pairs = [(a, a + 1) for a in ids if (a - 1000) % n < n - 1] + [(a, a + n) for a in ids if a - 1000 < n * (n - 1)]
    pairs += [(a, a + n + 1) for a in ids if (a - 1000) % n < n - 1 and a - 1000 < n * (n - 1) and rng.random() < .2]
    rows = []
    for k, (u, v) in enumerate(pairs):
        if rng.random() < 0.15:
            continue
        if rng.random() < 0.5:
            u, v = v, u
        tags = {key: _pick(rng, options) for key, options in WAY_CHOICES.items()}
        rows.append({"u": u, "v": v, "osm_way_id": 500 + k, **tags,
                     "geometry": shapely.LineString([(xs[u - 1000], ys[u - 1000]), (xs[v - 1000], ys[v - 1000])])})
    seg = pd.DataFrame(rows)
    for key in settings.WAY_TAGS:
        if key not in seg:
            seg[key] = None
    segments = gpd.GeoDataFrame(seg[["u", "v", "osm_way_id", *settings.WAY_TAGS, "geometry"]], geometry="geometry",
                                crs=settings.CRS_WGS84)
    used = np.unique(np.concatenate([segments["u"], segments["v"]]))
    nodes = nodes.loc[used]
    node_frame = gpd.GeoDataFrame(nodes[["x", "y", *settings.NODE_TAGS]],
                                  geometry=gpd.points_from_xy(nodes["x"], nodes["y"]), crs=settings.CRS_WGS84)
    empty = gpd.GeoDataFrame({"osmid": pd.Series(dtype="int64")}, geometry=[], crs=settings.CRS_WGS84)
    prov = Provenance(source="file", area="random", location="random", data_date=None)
    return build_network(OsmExtract(segments, node_frame, empty, empty, prov))


def random_places(rng: np.random.Generator, net: Network, n: int, kind: str) -> Places:
    """``n`` points scattered over the network's box (some beside edges, some near nodes), weights 1–3."""
    minx, miny, maxx, maxy = net.bounds()
    lon = rng.uniform(minx, maxx, n)
    lat = rng.uniform(miny, maxy, n)
    near_node = rng.random(n) < 0.3
    pick = rng.integers(net.n_nodes, size=n)
    lon = np.where(near_node, net.node_col("lon")[pick], lon)
    lat = np.where(near_node, net.node_col("lat")[pick], lat)
    ids = np.array([f"{kind}-{i}" for i in range(n)], dtype=object)
    return Places(ids, np.full(n, kind, dtype=object), ids.copy(), lon, lat,
                  rng.integers(1, 4, n).astype(float) if kind == "building" else np.ones(n))


def random_reports(rng: np.random.Generator, net: Network, n: int) -> ReportsView:
    """``n`` confirmed reports of random categories and severities on the network."""
    minx, miny, maxx, maxy = net.bounds()
    reports = [Report(id=i + 1, lat=float(rng.uniform(miny, maxy)), lon=float(rng.uniform(minx, maxx)),
                      category=str(_pick(rng, list(CATEGORIES))), severity=int(rng.integers(1, 4)), description="",
                      contact=None, photo=None, valid_until=None, status="confirmed", duplicate_of=None,
                      source="test", created_at=NOW, updated_at=NOW) for i in range(n)]
    return reports_view(net, reports, db_version=1, now=NOW)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20250601)


@dataclass
class Case:
    """One analysed city: the candidates, the search graph, today's times and every candidate's change."""

    net: Network
    candidates: Candidates
    graph: SearchGraph
    situation: Situation
    changes: list[Change]
    relevant: np.ndarray


def analysed(net: Network, homes: Places, dests: Places, view: ReportsView | None, profile: str, limit_s: float
             ) -> Case:
    """Everything :func:`geo.analysis.planner.analyse` builds, with any time limit."""
    router = Router(net)
    p = PROFILES[profile]
    overlay = view.overlay if view is not None else EMPTY_OVERLAY
    cands = find_candidates(net, osm_barriers(net), view)
    o = snap_points(router, homes, p, overlay)
    d = snap_points(router, dests, p, overlay)
    graph = build_graph(router, p, o, d, overlay)
    changes = single_changes(graph, cands, graph.cost)
    relevant = np.array([i for i, c in enumerate(changes) if len(c)], np.int64)
    tails, heads = key_nodes(graph, cands, relevant)
    placed_o = np.array([i for i, a in enumerate(o) if a is not None], np.int64)
    placed_d = np.array([i for i, a in enumerate(d) if a is not None], np.int64)
    s = Situation.measure(graph, limit_s, homes.weight, dests.weight, tails, heads, placed_origins=placed_o,
                          placed_dests=placed_d)
    return Case(net, cands, graph, s, changes, relevant)


def random_case(seed: int) -> Case:
    """A random city with random homes, destinations, reports, profile and time limit."""
    rng = np.random.default_rng(seed)
    net = random_network(rng)
    homes = random_places(rng, net, int(rng.integers(3, 12)), "building")
    dests = random_places(rng, net, int(rng.integers(2, 7)), "service")
    view = random_reports(rng, net, int(rng.integers(0, 5)))
    profile = str(_pick(rng, ["manual_wheelchair", "manual_wheelchair", "electric_wheelchair", "pram", "walking"]))
    return analysed(net, homes, dests, view, profile, float(_pick(rng, [45.0, 90.0, 150.0, 300.0])))


def same_effect(fast: Effect, brute: Effect) -> bool:
    """Equal counts and gain, time saved equal up to rounding."""
    return ((fast.gain, fast.pairs_opened, fast.origins_helped, fast.destinations_opened)
            == (brute.gain, brute.pairs_opened, brute.origins_helped, brute.destinations_opened)
            and abs(fast.time_saved_s - brute.time_saved_s) <= 1e-6 * max(1.0, brute.time_saved_s))


def fixture_services(net: Network) -> Places:
    """The two services (OSM POIs) of the planner fixture."""
    pois = net.pois[net.pois["amenity"].notna()]
    frame = gpd.GeoDataFrame({"id": pois["name"].str[:2].to_numpy(), "name": pois["name"].to_numpy(),
                              "category": pois["amenity"].to_numpy()}, geometry=pois.geometry.to_numpy(), crs=pois.crs)
    return services(frame)


# --------------------------------------------------------------------------- housing


@pytest.fixture(scope="session")
def housing_layers(housing_net: Network, housing_stops: Path) -> MapLayers:
    """The map layers of the housing fixture: the shipped curated files placed by address, its GTFS stops."""
    return MapLayers.build(housing_net, read_services(settings.SERVICES_FILE), read_flats(settings.FLATS_FILE), None,
                           load_stops(housing_stops))


@pytest.fixture(scope="session")
def housing(housing_net: Network, housing_layers: MapLayers) -> Housing:
    """Reach cards of the housing fixture (fields kept for the session)."""
    return Housing(HousingInputs.from_layers(Router(housing_net), housing_layers))
