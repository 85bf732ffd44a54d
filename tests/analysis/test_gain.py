"""The fast gain is exactly brute force: random cities and barrier sets, and the hand-made fixture city."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.analysis.brute import brute_effect
from geo.analysis.gain import Change, Situation, effect, rank_order
from geo.analysis.origins import Places, residential_buildings
from geo.network.model import Network
from tests.analysis.conftest import analysed, fixture_services, random_case, same_effect

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


@settings(max_examples=14, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=SEEDS)
def test_the_fast_method_is_exactly_brute_force(seed: int) -> None:
    """A random city with random homes, destinations, confirmed reports, profile and time limit:

    * for every barrier, the gain, pairs, homes, destinations and time saved equal removing it and searching
      again from every home;
    * the same holds for any arcs made cheaper together — arcs that do not meet end to end, arcs into and
      out of homes and destinations, the straight arc between a home and a destination on one edge."""
    case = random_case(seed)
    for row in case.relevant:
        fast = effect(case.situation, case.changes[row])
        brute = brute_effect(case.situation, case.changes[row])
        assert same_effect(fast, brute), (seed, case.candidates.frame["barrier_id"].iat[row], fast, brute)
    rng = np.random.default_rng(seed)
    g, s = case.graph, case.situation
    every = np.arange(g.n_nodes)
    s = Situation.measure(g, s.limit_s, s.origin_weight, s.dest_weight, every, every,
                          placed_origins=s.placed_origins, placed_dests=s.placed_dests)
    virtual = np.arange(len(case.net.arrays), g.n_arcs)
    for _ in range(4):
        pool = np.concatenate([rng.choice(len(case.net.arrays), 3), rng.choice(virtual, min(3, len(virtual)))])
        arcs = np.unique(rng.choice(pool, int(rng.integers(1, len(pool) + 1)), replace=False))
        base = np.where(np.isfinite(s.cost[arcs]), s.cost[arcs], rng.uniform(5, 200, len(arcs)) * 2)
        change = Change(arcs, base * rng.uniform(0.0, 0.9, len(arcs)))
        assert same_effect(effect(s, change), brute_effect(s, change)), seed


def test_ranking_order_is_gain_then_severity_then_id() -> None:
    order = rank_order(np.array([1.0, 3.0, 3.0, 3.0]), np.array([3, 1, 2, 2]), np.array(["a", "z", "y", "b"]))
    assert order.tolist() == [3, 2, 1, 0]


def _fixture_case(planner_net: Network, homes: Places | None = None):
    homes = residential_buildings(planner_net) if homes is None else homes
    return analysed(planner_net, homes, fixture_services(planner_net), None, "manual_wheelchair", 300.0)


def _row(case, barrier_id: str) -> int:
    return int(case.candidates.index_of([barrier_id])[0][0])


def test_removing_the_steps_opens_exactly_the_pairs_across_them(planner_net: Network) -> None:
    """H1 and H2 live above the steps (way 202), S1 and S2 are below: a ramp opens those four pairs and no
    other; H2 has two addresses, so the gain is 1×2 + 2×2 = 6."""
    case = _fixture_case(planner_net)
    steps = _row(case, f"edge-{_edge_of_way(planner_net, 202)}-steps")
    eff = effect(case.situation, case.changes[steps], detail=True)
    homes = residential_buildings(planner_net)
    opened = {(str(homes.names[o]), int(d)) for o, d in zip(eff.opened[0], eff.opened[1], strict=True)}
    assert opened == {("Horní 1", 0), ("Horní 1", 1), ("Horní 3;5", 0), ("Horní 3;5", 1)}
    assert (eff.gain, eff.pairs_opened, eff.origins_helped, eff.destinations_opened) == (6.0, 4, 2, 2)
    assert np.all(eff.opened[2] <= 300.0)
    assert same_effect(eff, brute_effect(case.situation, case.changes[steps]))


def test_two_flights_in_a_row_gain_nothing_alone(planner_net: Network) -> None:
    case = _fixture_case(planner_net)
    for way in (204, 205):
        row = _row(case, f"edge-{_edge_of_way(planner_net, way)}-steps")
        assert effect(case.situation, case.changes[row]).gain == 0.0


def _edge_of_way(net: Network, way: int) -> int:
    return int(np.flatnonzero(net.edge_col("osm_way_id") == way)[0])
