"""Norm compliance: each rule per edge, the overall status, km totals."""

from __future__ import annotations

import numpy as np
import pytest

from geo.analysis.norms import RULES, STATUSES, judge, totals
from geo.network.model import Network
from tests.analysis.conftest import random_network


def test_the_fixture_footways_comply_and_its_steps_do_not(planner_net: Network) -> None:
    judged = judge(planner_net)
    steps = planner_net.edges["is_steps"].to_numpy(bool)
    assert set(judged.loc[steps, "status"]) == {"not_compliant"}
    assert all("steps" in f.split(";") for f in judged.loc[steps, "failed"])
    # footways: 2 m wide, 0 % incline, no crossing; the cross slope is unknown and not held against them
    assert set(judged.loc[~steps, "status"]) == {"compliant"}
    assert set(judged.loc[~steps, "crossing_kerb"]) == {"na"} and set(judged["cross_slope"]) == {"unknown"}


@pytest.mark.parametrize("seed", [0, 3])
def test_status_follows_the_rules(seed: int) -> None:
    net = random_network(np.random.default_rng(seed), size=5)
    judged = judge(net)
    rules = judged[[r for r in RULES if r != "cross_slope"]].to_numpy()
    fail = (rules == "fail").any(axis=1)
    doubt = ((rules == "unknown") | (rules == "pinch")).any(axis=1)
    assert np.array_equal(judged["status"] == "not_compliant", fail)
    assert np.array_equal(judged["status"] == "unknown", ~fail & doubt)
    width = net.edges["width_m"].to_numpy(float)
    assert set(judged.loc[width < 0.9, "width"]) <= {"fail"}
    assert set(judged.loc[(width >= 0.9) & (width < 1.5), "width"]) <= {"pinch"}
    crossing = net.edges["is_crossing"].to_numpy(bool)
    assert set(judged.loc[~crossing, "crossing_kerb"]) == {"na"}


def test_totals_add_up_to_the_network(helsinki_net: Network) -> None:
    t = totals(helsinki_net, judge(helsinki_net))
    assert sum(t["status_km"][s] for s in STATUSES) == pytest.approx(t["length_km"], abs=0.05)
    for rule in RULES:
        assert sum(t["rules_km"][rule].values()) == pytest.approx(t["length_km"], abs=0.05)
    assert t["rules_km"]["cross_slope"]["unknown"] == pytest.approx(t["length_km"], abs=0.05)
    assert t["cross_slope_known"] is False and "398/2009" in t["law"] and "146/2024" in t["law"]
