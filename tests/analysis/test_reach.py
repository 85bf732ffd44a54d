"""Reach fields: a card's minutes are the router's best route to the nearest destination of each category."""

from __future__ import annotations

import math

import numpy as np
import pytest

from geo.analysis.cards import Housing
from geo.analysis.destinations import CATEGORIES, Destinations, essential_destinations, osm_destinations
from geo.analysis.origins import Places, residential_buildings
from geo.analysis.reach import TIERS_MIN, build_field, score, scores
from geo.errors import NoRouteError
from geo.network.model import Network
from geo.routing.profiles import PROFILES
from geo.routing.router import Router


def _oracle(router: Router, start: tuple[float, float], d: Destinations, category: str, profile: str) -> float:
    """The best of one route per destination of ``category`` (``inf`` when none exists)."""
    best = math.inf
    for j in np.flatnonzero(d.categories == category):
        try:
            t = router.route(start, (d.places.lon[j], d.places.lat[j]), PROFILES[profile]).duration_s
        except NoRouteError:
            continue
        best = min(best, t)
    return best


@pytest.mark.parametrize("profile", ["manual_wheelchair", "walking"])
def test_fixture_minutes_equal_the_best_route_of_the_category(housing: Housing, profile: str) -> None:
    inputs = housing.inputs
    homes = residential_buildings(inputs.router.net)
    f = build_field(inputs.router, inputs.destinations, PROFILES[profile], homes=homes)
    seconds, which = f.home_times()
    reachable = 0
    for i in range(len(homes)):
        start = (homes.lon[i], homes.lat[i])
        at, at_which = f.times_at(f.anchor(*start))
        assert np.array_equal(at, seconds[i]) and np.array_equal(at_which, which[i])  # both ways agree
        for k, c in enumerate(CATEGORIES):
            want = _oracle(inputs.router, start, inputs.destinations, c, profile)
            assert seconds[i, k] == pytest.approx(want, rel=1e-9, abs=1e-9), (homes.names[i], c)
            if math.isfinite(want):
                j = which[i, k]
                assert inputs.destinations.categories[j] == c
                route = inputs.router.route(start, (inputs.destinations.places.lon[j],
                                                    inputs.destinations.places.lat[j]), PROFILES[profile])
                assert route.duration_s == pytest.approx(seconds[i, k], rel=1e-9)
                reachable += 1
            else:
                assert which[i, k] == -1
    assert reachable >= 12


def test_a_pharmacy_behind_steps_is_for_walking_not_for_the_wheelchair(housing: Housing) -> None:
    inputs = housing.inputs
    start = _address(inputs.router.net, "Nad Sokolovnou 616")
    k = CATEGORIES.index("pharmacy")
    wheel = build_field(inputs.router, inputs.destinations, PROFILES["manual_wheelchair"])
    walk = build_field(inputs.router, inputs.destinations, PROFILES["walking"])
    assert wheel.times_at(wheel.anchor(*start))[1][k] == -1
    seconds, which = walk.times_at(walk.anchor(*start))
    assert math.isfinite(seconds[k]) and inputs.destinations.places.names[which[k]] == "Lékárna Dole"


def _address(net: Network, address: str) -> tuple[float, float]:
    homes = residential_buildings(net)
    i = list(homes.names).index(address)
    return float(homes.lon[i]), float(homes.lat[i])


@pytest.mark.parametrize("profile", ["manual_wheelchair", "pram"])
def test_helsinki_random_points_get_the_best_route_of_the_category(helsinki_net: Network, helsinki_router: Router,
                                                                   profile: str) -> None:
    d = osm_destinations(helsinki_net.pois)
    f = build_field(helsinki_router, d, PROFILES[profile])
    rng = np.random.default_rng(17)
    nodes = rng.integers(helsinki_net.n_nodes, size=6)
    checked = 0
    for node in nodes:
        start = (float(helsinki_net.node_col("lon")[node]) + rng.uniform(-2e-4, 2e-4),
                 float(helsinki_net.node_col("lat")[node]) + rng.uniform(-1e-4, 1e-4))
        seconds, which = f.times_at(f.anchor(*start))
        for c in ("pharmacy", "post_office", "school"):
            k = CATEGORIES.index(c)
            want = _oracle(helsinki_router, start, d, c, profile)
            assert seconds[k] == pytest.approx(want, rel=1e-9, abs=1e-9), (start, c)
            assert (which[k] >= 0) == math.isfinite(want)
            checked += math.isfinite(want)
    assert checked >= 10


def test_a_field_without_destinations_of_a_category_says_no_data(housing: Housing) -> None:
    inputs = housing.inputs
    f = build_field(inputs.router, inputs.destinations, PROFILES["walking"])
    assert not f.available[CATEGORIES.index("kindergarten")]  # the fixture has none
    assert f.available.sum() == len(CATEGORIES) - 1
    empty = build_field(inputs.router, essential_destinations(inputs.router.net.pois.iloc[:0], None, None),
                        PROFILES["walking"], homes=Places.empty())
    assert not empty.available.any() and score(np.full(len(CATEGORIES), np.inf), empty.available).value is None


def test_the_score_counts_categories_within_10_twice_and_within_15_once() -> None:
    available = np.ones(len(CATEGORIES), bool)
    available[CATEGORIES.index("kindergarten")] = False  # no data: not counted, whatever its time
    t = np.full(len(CATEGORIES), np.inf)
    t[0] = TIERS_MIN[0] * 60  # exactly 10 min: within both
    t[1] = TIERS_MIN[0] * 60 + 1  # within 15 only
    t[2] = TIERS_MIN[1] * 60 + 1  # beyond
    t[CATEGORIES.index("kindergarten")] = 60.0
    s = score(t, available)
    assert (s.within_10, s.within_15, s.counted) == (1, 2, 8)
    assert s.value == math.floor(100 * 3 / 16 + 0.5) == 19
    half = np.full((1, 4), np.inf)
    half[0, 0] = 60.0  # (1 + 1) / (2 × 4) = 25
    assert scores(half, np.ones(4, bool))[0][0] == 25
    assert scores(np.full((1, 8), 60.0), np.ones(8, bool))[0][0] == 100
    ties = np.full((1, 8), np.inf)
    ties[0, 0] = 1.0  # (1 + 1) / 16 = 12.5: halves round up
    assert scores(ties, np.ones(8, bool))[0][0] == 13
