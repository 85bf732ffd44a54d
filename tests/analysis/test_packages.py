"""Selections and packages: the combined effect is exact, the greedy steps add up to it."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.analysis.brute import brute_effect
from geo.analysis.gain import change_of, effect
from geo.analysis.origins import residential_buildings
from geo.analysis.packages import apply_change, combined_effect, greedy_package
from geo.network.model import Network
from tests.analysis.conftest import analysed, fixture_services, random_case, same_effect


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_selections_and_greedy_packages_are_exact(seed: int) -> None:
    """In a random city:

    * removing a random set of barriers at once (searching again only from the homes that can reach a changed
      arc) gives what searching again from every home gives;
    * the greedy steps add up to the package's combined gain, and each pick had the largest gain given the
      picks before it (checked by brute force)."""
    case = random_case(seed)
    if len(case.relevant) == 0:
        return
    s = case.situation
    rng = np.random.default_rng(seed)
    rows = rng.choice(case.relevant, size=int(rng.integers(1, min(6, len(case.relevant)) + 1)), replace=False)
    fast, _ = combined_effect(s, case.candidates, rows)
    assert same_effect(fast, brute_effect(s, change_of(case.graph, case.candidates, rows, s.cost))), seed

    singles = [effect(s, ch) for ch in case.changes]
    steps = greedy_package(s, case.candidates, singles, 3, pool=case.relevant, changes=case.changes)
    picked = np.array([st_.row for st_ in steps], np.int64)
    if len(picked):
        assert combined_effect(s, case.candidates, picked)[0].gain == sum(st_.effect.gain for st_ in steps)
    for k, step in enumerate(steps):
        before = picked[:k]
        current = apply_change(s, change_of(case.graph, case.candidates, before, s.cost))[0] if k else s
        gains = {}
        for r in case.relevant:
            if r not in before:
                ch = change_of(case.graph, case.candidates, np.array([*before, r]), current.cost, on=np.array([r]))
                gains[int(r)] = brute_effect(current, ch).gain
        assert step.effect.gain == max(gains.values()) == gains[step.row]


def test_two_flights_in_a_row_gain_only_together(planner_net: Network) -> None:
    """H4 lives above two flights of steps in a row: each alone opens nothing, both together open H4 → S1, S2 —
    and the greedy package never finds them, which is why a planner's own selection can be computed."""
    case = analysed(planner_net, residential_buildings(planner_net), fixture_services(planner_net), None,
                    "manual_wheelchair", 300.0)
    ways = planner_net.edge_col("osm_way_id")
    flights = case.candidates.index_of([f"edge-{int(np.flatnonzero(ways == w)[0])}-steps" for w in (204, 205)])[0]
    together, _ = combined_effect(case.situation, case.candidates, flights)
    homes = residential_buildings(planner_net)
    assert {str(homes.names[o]) for o in together.opened[0]} == {"Terasa 7"}
    assert (together.gain, together.pairs_opened, together.destinations_opened) == (2.0, 2, 2)
    singles = [effect(case.situation, ch) for ch in case.changes]
    assert [singles[r].gain for r in flights] == [0.0, 0.0]
    steps = greedy_package(case.situation, case.candidates, singles, 3, pool=case.relevant)
    assert len(steps) == 1 and steps[0].effect.gain == 6.0  # the single steps between the streets, then nothing
