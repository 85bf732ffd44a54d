"""Router correctness: networkx oracle, profile rules, snapping, no-route reasons, isochrones, targets."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import NoRouteError, OutsideAreaError
from geo.network.model import Network
from geo.routing.overlay import EMPTY_OVERLAY
from geo.routing.profiles import PROFILES, Profile, edge_cost_s
from geo.routing.router import Anchor, Router


def oracle_graph(net: Network, profile: Profile) -> nx.DiGraph:
    a = net.arrays
    cost = edge_cost_s(a, profile)
    g = nx.DiGraph()
    g.add_nodes_from(range(net.n_nodes))
    ok = np.isfinite(cost)
    g.add_weighted_edges_from(zip(a.src[ok].tolist(), a.dst[ok].tolist(), cost[ok].tolist(), strict=True))
    return g


def node_point(net: Network, i: int) -> tuple[float, float]:
    return float(net.nodes["lon"].iat[i]), float(net.nodes["lat"].iat[i])


def usable_nodes(net: Network, profile: Profile) -> np.ndarray:
    cost = edge_cost_s(net.arrays, profile)
    ok = np.isfinite(cost)
    out = np.zeros(net.n_nodes, bool)
    out[net.arrays.src[ok]] = True
    inn = np.zeros(net.n_nodes, bool)
    inn[net.arrays.dst[ok]] = True
    return np.flatnonzero(out & inn & (net.nodes["osmid"].to_numpy() > 0))


def oracle_cost(g: nx.DiGraph, router: Router, profile: Profile, o: Anchor, d: Anchor) -> float:
    """Best cost between two anchors by networkx Dijkstra on the same weights (the router's end costs)."""
    oe, de = router.ends(o, profile), router.ends(d, profile)
    best = math.inf
    for start, part_o in ((o.u, oe.to_u), (o.v, oe.to_v)):
        if not math.isfinite(part_o):
            continue
        dist = nx.single_source_dijkstra_path_length(g, start)
        for end, part_d in ((d.u, de.from_u), (d.v, de.from_v)):
            best = min(best, part_o + dist.get(end, math.inf) + part_d)
    if o.snap.edge_id == d.snap.edge_id:
        best = min(best, router.direct(o, d, profile, EMPTY_OVERLAY))
    return best


def random_points(net: Network, rng: np.random.Generator, n: int) -> np.ndarray:
    """Node positions moved by up to ~30 m: arbitrary points near the network."""
    pts = net.nodes[["lon", "lat"]].to_numpy()[rng.integers(net.n_nodes, size=n)]
    return pts + rng.uniform(-3e-4, 3e-4, size=pts.shape) * np.array([2.0, 1.0])


def check_against_oracle(net: Network, router: Router, profile: Profile, seed: int, n: int) -> int:
    g = oracle_graph(net, profile)
    rng = np.random.default_rng(seed)
    pts = random_points(net, rng, 2 * n)
    found = 0
    for a, b in zip(pts[:n], pts[n:], strict=True):
        o, d = router.anchors(tuple(a), tuple(b), profile)
        expected = oracle_cost(g, router, profile, o, d)
        try:
            got = router.route(tuple(a), tuple(b), profile).duration_s
        except NoRouteError:
            got = math.inf
        if math.isfinite(expected):
            found += 1
            assert got == pytest.approx(expected, rel=1e-9, abs=1e-6), (a, b)
        else:
            assert math.isinf(got), (a, b)
    return found


@pytest.mark.parametrize("name", list(PROFILES))
def test_route_costs_equal_networkx_dijkstra(helsinki_net: Network, helsinki_router: Router, name: str) -> None:
    found = check_against_oracle(helsinki_net, helsinki_router, PROFILES[name], seed=7, n=60)
    assert found > 30


def _limits() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({
        "max_uphill_pct": st.floats(2, 15),
        "max_kerb_cm": st.floats(0, 20),
        "min_width_m": st.floats(0, 1.5),
        "allow_steps": st.booleans(),
        "avoid_unknown": st.booleans(),
    })


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limits=_limits(), seed=st.integers(0, 10_000), base=st.sampled_from(list(PROFILES)))
def test_custom_profiles_match_the_oracle(helsinki_net: Network, helsinki_router: Router, limits: dict,
                                          seed: int, base: str) -> None:
    check_against_oracle(helsinki_net, helsinki_router, PROFILES[base].with_limits(**limits), seed=seed, n=3)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 100_000), key=st.sampled_from(["max_uphill_pct", "max_kerb_cm", "min_width_m",
                                                          "allow_steps"]))
def test_relaxing_a_limit_never_makes_a_route_slower(helsinki_net: Network, helsinki_router: Router, seed: int,
                                                     key: str) -> None:
    base = PROFILES["manual_wheelchair"]
    looser = {"max_uphill_pct": 20.0, "max_kerb_cm": 20.0, "min_width_m": 0.3, "allow_steps": True}
    relaxed = base.with_limits(**{key: looser[key]})
    rng = np.random.default_rng(seed)
    pts = helsinki_net.nodes[["lon", "lat"]].to_numpy()
    a, b = pts[rng.integers(len(pts))], pts[rng.integers(len(pts))]
    costs = []
    for p in (base, relaxed):
        try:
            costs.append(helsinki_router.route(tuple(a), tuple(b), p).duration_s)
        except NoRouteError:
            costs.append(math.inf)
        except OutsideAreaError:
            return
    assert costs[1] <= costs[0] + 1e-6


def test_wheelchair_routes_respect_every_limit(helsinki_net: Network, helsinki_router: Router) -> None:
    a = helsinki_net.arrays
    profile = PROFILES["manual_wheelchair"]
    rng = np.random.default_rng(3)
    pts = helsinki_net.nodes[["lon", "lat"]].to_numpy()
    n_routes = 0
    for _ in range(80):
        s, t = pts[rng.integers(len(pts))], pts[rng.integers(len(pts))]
        try:
            r = helsinki_router.route(tuple(s), tuple(t), profile)
        except NoRouteError:
            continue
        n_routes += 1
        e = np.array([p.edge for p in r.pieces])
        assert not (a.is_steps[e] & ~a.ramp_wheelchair[e]).any()
        with np.errstate(invalid="ignore"):
            assert not (a.up_pct[e] > profile.max_uphill_pct).any()
            assert not (a.kerb_cm[e] > profile.max_kerb_cm).any()
            assert not (a.width_m[e] < profile.min_width_m).any()
        assert not (a.wheelchair[e] == 0).any()
    assert n_routes > 40


def osm_node(net: Network, osmid: int) -> tuple[float, float]:
    i = int(np.flatnonzero(net.nodes["osmid"].to_numpy() == osmid)[0])
    return node_point(net, i)


def test_pram_takes_steps_with_a_stroller_ramp(tag_rules_net: Network, fixture_router: Router) -> None:
    r = fixture_router.route(osm_node(tag_rules_net, 11), osm_node(tag_rules_net, 12), PROFILES["pram"])
    ways = {int(tag_rules_net.edges["osm_way_id"].iat[int(tag_rules_net.arrays.edge_id[p.edge])]) for p in r.pieces}
    assert ways == {105}


def _lonlat_at(net: Network, edge: int, fraction: float) -> tuple[float, float]:
    """The lon/lat of the point at ``fraction`` of an edge's metric length."""
    pt = net.edges_metric[edge].interpolate(fraction, normalized=True)
    lon, lat = net.to_metric.transform(pt.x, pt.y, direction="INVERSE")
    return float(lon), float(lat)


def test_snapping_splits_the_edge_exactly(helsinki_net: Network, helsinki_router: Router) -> None:
    profile = PROFILES["walking"]
    net = helsinki_net
    long_edge = int(net.edges["length_m"].idxmax())
    mid = _lonlat_at(net, long_edge, 0.3)
    u, v = int(net.edges["u"].iat[long_edge]), int(net.edges["v"].iat[long_edge])
    target = next(i for i in range(net.n_nodes) if i not in (u, v) and net.nodes["osmid"].iat[i] > 0)
    r = helsinki_router.route(mid, node_point(net, target), profile)
    assert r.origin.snap.edge_id == long_edge
    assert r.origin.snap.fraction == pytest.approx(0.3, abs=1e-6)
    g = oracle_graph(net, profile)
    cost = edge_cost_s(net.arrays, profile)
    o = r.origin
    rev = g.reverse(copy=False)
    dist = nx.single_source_dijkstra_path_length(rev, target)
    expected = min(o.f * cost[o.back] + dist.get(u, math.inf), (1 - o.f) * cost[o.fwd] + dist.get(v, math.inf))
    assert r.duration_s == pytest.approx(expected, rel=1e-9)
    # the first piece starts exactly at the snapped point
    assert r.pieces[0].t0 in (pytest.approx(0.3), pytest.approx(0.7))


def test_same_edge_route_goes_straight_along_it(helsinki_net: Network, helsinki_router: Router) -> None:
    net = helsinki_net
    e = int(net.edges["length_m"].idxmax())
    r = helsinki_router.route(_lonlat_at(net, e, 0.2), _lonlat_at(net, e, 0.6), PROFILES["walking"])
    assert len(r.pieces) == 1
    length = sum(net.arrays.length_m[p.edge] * (p.t1 - p.t0) for p in r.pieces)
    assert length == pytest.approx(0.4 * net.edges["length_m"].iat[e], rel=1e-6)


def test_point_far_from_the_network(helsinki_router: Router) -> None:
    with pytest.raises(OutsideAreaError):
        helsinki_router.route((25.5, 60.5), (24.94, 60.17), PROFILES["walking"])


def test_a_barrier_beyond_the_destination_point_is_not_met(tag_rules_net: Network, fixture_router: Router) -> None:
    net = tag_rules_net
    ids = net.nodes["osmid"].to_numpy()
    i23, i32 = int(np.flatnonzero(ids == 23)[0]), int(np.flatnonzero(ids == 32)[0])
    e = int(np.flatnonzero(((net.edges["u"] == i23) & (net.edges["v"] == i32)).to_numpy()
                           | ((net.edges["u"] == i32) & (net.edges["v"] == i23)).to_numpy())[0])
    pt = net.edges_metric[e].interpolate(0.5, normalized=True)
    before_gate = net.to_metric.transform(pt.x, pt.y, direction="INVERSE")
    pram = PROFILES["pram"]  # the kissing gate (node 32) blocks prams
    r = fixture_router.route(osm_node(net, 22), before_gate, pram)
    assert r.destination.snap.edge_id == e and math.isfinite(r.duration_s)
    with pytest.raises(NoRouteError):  # going through the gate is still impossible
        fixture_router.route(osm_node(net, 22), osm_node(net, 24), pram)
    # and a route starting just past the gate does not pay for it either
    r2 = fixture_router.route(before_gate, osm_node(net, 22), pram)
    assert math.isfinite(r2.duration_s)


def test_partial_kerbs_count_only_where_passed(tag_rules_net: Network, fixture_router: Router) -> None:
    # crossing 2 → 12 has a lowered kerb at 2 (3 cm) and a raised one at 12 (15 cm)
    net = tag_rules_net
    ids = net.nodes["osmid"].to_numpy()
    i2, i12 = int(np.flatnonzero(ids == 2)[0]), int(np.flatnonzero(ids == 12)[0])
    k = int(np.flatnonzero((net.arrays.src == i2) & (net.arrays.dst == i12))[0])
    assert net.arrays.kerb_tail_cm[k] == 3 and net.arrays.kerb_head_cm[k] == 15
    manual = PROFILES["manual_wheelchair"]
    leave, arrive = (fixture_router.partial_costs(np.array([k]), m, manual)[0] for m in ("leave", "arrive"))
    assert math.isinf(leave)  # towards node 12: the 15 cm kerb is met
    assert math.isfinite(arrive)  # from node 2 into the crossing: only the 3 cm kerb


def _all_pairs(net: Network) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    pts = [node_point(net, i) for i in range(net.n_nodes) if net.nodes["osmid"].iat[i] > 0]
    return [(a, b) for a in pts for b in pts if a != b]


@pytest.mark.parametrize("name", ["manual_wheelchair", "electric_wheelchair", "pram"])
def test_every_fixture_route_respects_the_profile(tag_rules_net: Network, fixture_router: Router,
                                                  name: str) -> None:
    """On the fixture every limit can be broken (kerbs, steps, gates, wheelchair=no, slopes, widths)."""
    a = tag_rules_net.arrays
    profile = PROFILES[name]
    routes = 0
    for s, t in _all_pairs(tag_rules_net):
        try:
            r = fixture_router.route(s, t, profile)
        except NoRouteError:
            continue
        routes += 1
        whole = np.array([p.edge for p in r.pieces if p.t0 <= 0 and p.t1 >= 1], dtype=np.int64)
        assert not np.isinf(edge_cost_s(a.take(whole), profile)).any()
        ramp = a.ramp_wheelchair if profile.steps == "ramp_wheelchair" else a.ramp_stroller
        assert not (a.is_steps[whole] & ~ramp[whole]).any()
        with np.errstate(invalid="ignore"):
            assert not (a.kerb_cm[whole] > profile.max_kerb_cm).any()
            assert not (a.up_pct[whole] > profile.max_uphill_pct).any()
            assert not (a.width_m[whole] < profile.min_width_m).any()
        assert not (a.barrier_class[whole] > profile.max_barrier_class).any()
    assert routes > 20


@pytest.mark.parametrize(("key", "looser"), [("max_uphill_pct", 20.0), ("max_kerb_cm", 20.0), ("min_width_m", 0.3),
                                             ("allow_steps", True), ("avoid_unknown", False)])
def test_relaxing_never_slows_any_fixture_route(tag_rules_net: Network, fixture_router: Router, key: str,
                                                looser: object) -> None:
    strict = PROFILES["manual_wheelchair"].with_limits(avoid_unknown=True) if key == "avoid_unknown" \
        else PROFILES["manual_wheelchair"]
    relaxed = strict.with_limits(**{key: looser})
    improved = 0
    for s, t in _all_pairs(tag_rules_net):
        costs = []
        for p in (strict, relaxed):
            try:
                costs.append(fixture_router.route(s, t, p).duration_s)
            except NoRouteError:
                costs.append(math.inf)
        assert costs[1] <= costs[0] + 1e-6
        improved += costs[1] < costs[0]
    assert improved > 0  # the relaxation matters somewhere on the fixture


# --------------------------------------------------------------------------- snapping to where a route can go

LON0, LAT0 = 15.0600, 50.7700  # tests/fixtures/areas.osm is laid out in metres east and north of this point


def fixture_point(x_m: float, y_m: float) -> tuple[float, float]:
    """(lon, lat) of a point of the areas fixture, given in metres east and north of its origin."""
    return LON0 + x_m / (111_320.0 * math.cos(math.radians(LAT0))), LAT0 + y_m / 111_320.0


@pytest.fixture(scope="module")
def areas_router(areas_net: Network) -> Router:
    return Router(areas_net)


def test_a_point_snaps_past_a_nearer_cut_off_fragment(areas_net: Network, areas_router: Router) -> None:
    """8 m from fragment F, 18 m from the main footway: the route starts on the main footway."""
    p = fixture_point(305, 18)
    for name in ("walking", "manual_wheelchair"):
        route = areas_router.route(p, fixture_point(0, 0), PROFILES[name])
        assert route.origin.snap.distance_m == pytest.approx(18, abs=0.5)
        assert route.origin.nearest_m == pytest.approx(8, abs=0.5) and route.origin.moved == "piece"
        assert int(areas_net.piece_of_node[route.origin.u]) == 0


def test_a_surface_point_never_snaps_into_a_tunnel(areas_net: Network, areas_router: Router) -> None:
    """0.5 m above the underpass, 4.5 m beside the main footway: the route starts on the footway."""
    route = areas_router.route(fixture_point(375, 4.5), fixture_point(0, 0), PROFILES["walking"])
    assert bool(areas_net.edges["on_surface"].iat[route.origin.snap.edge_id])
    assert route.origin.snap.distance_m == pytest.approx(4.5, abs=0.3)
    tunnel = set(np.flatnonzero(~areas_net.edges["on_surface"].to_numpy(bool)).tolist())
    assert not tunnel & {int(areas_net.arrays.edge_id[p.edge]) for p in route.pieces}


@pytest.mark.parametrize("name", list(PROFILES))
def test_only_a_fragment_near_says_so_and_offers_the_nearest_connected_point(areas_router: Router, name: str) -> None:
    """14 m from fragment F and 40 m from the main footway: every profile gives the same answer."""
    with pytest.raises(NoRouteError) as caught:
        areas_router.route(fixture_point(305, 40), fixture_point(0, 0), PROFILES[name])
    err = caught.value
    assert err.key == "route.no_route.cut_off.from"
    assert err.message("en").startswith("The nearest path to the start is not connected to the rest of the network.")
    lat, lon = err.details["moves"]["from"]
    assert err.details["reasons"][0]["nearest"]["distance_m"] == pytest.approx(40, abs=1)
    assert (lon, lat) == pytest.approx(fixture_point(305, 0), abs=2e-6)
    areas_router.route((lon, lat), fixture_point(0, 0), PROFILES[name])  # the offered point routes
    with pytest.raises(NoRouteError) as back:
        areas_router.route(fixture_point(0, 0), fixture_point(305, 40), PROFILES[name])
    assert back.value.key == "route.no_route.cut_off.to"


def test_no_route_reasons_agree_across_profiles(helsinki_net: Network, helsinki_router: Router) -> None:
    """A pair the walking profile routes is never "not connected" for another profile, and a pair it cannot
    route is cut off for every profile."""
    rng = np.random.default_rng(12)
    pts = random_points(helsinki_net, rng, 160)
    connected = ("route.no_route.not_connected", "route.no_route.cut_off.from", "route.no_route.cut_off.to",
                 "route.no_route.cut_off.both")
    for a, b in zip(pts[:80], pts[80:], strict=True):
        keys = {}
        for name, profile in PROFILES.items():
            try:
                helsinki_router.route(tuple(a), tuple(b), profile)
                keys[name] = None
            except NoRouteError as exc:
                keys[name] = exc.key
        if keys["walking"] is None:
            assert not set(keys.values()) & set(connected), (a, b, keys)
        else:
            assert set(keys.values()) == {keys["walking"]}, (a, b, keys)


def test_random_pairs_route_for_walking(helsinki_net: Network, helsinki_router: Router) -> None:
    """Random points near the real Helsinki extract: ≥ 99 % of pairs route on foot."""
    rng = np.random.default_rng(7)
    pts = random_points(helsinki_net, rng, 400)
    routed = 0
    for a, b in zip(pts[:200], pts[200:], strict=True):
        try:
            helsinki_router.route(tuple(a), tuple(b), PROFILES["walking"])
            routed += 1
        except NoRouteError:
            pass
    assert routed >= 198
