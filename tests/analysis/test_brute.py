"""The reference itself: nothing removed changes nothing; removing the steps opens what walking around shows."""

from __future__ import annotations

import numpy as np

from geo.analysis.brute import brute_effect
from geo.analysis.gain import NO_CHANGE, change_of
from geo.analysis.origins import residential_buildings
from geo.network.model import Network
from tests.analysis.conftest import analysed, fixture_services


def test_brute_force_of_nothing_and_of_the_steps(planner_net: Network) -> None:
    case = analysed(planner_net, residential_buildings(planner_net), fixture_services(planner_net), None,
                    "manual_wheelchair", 300.0)
    nothing = brute_effect(case.situation, NO_CHANGE)
    assert (nothing.gain, nothing.pairs_opened, nothing.time_saved_s) == (0.0, 0, 0.0)
    every = np.arange(len(case.candidates))
    everything = brute_effect(case.situation, change_of(case.graph, case.candidates, every, case.situation.cost),
                              detail=True)
    # with every barrier gone all four homes reach both services
    assert everything.pairs_opened == int(np.isinf(case.situation.times).sum()) == 6
