"""Profiles as data and the vectorised cost function."""

from __future__ import annotations

import math

import numpy as np
import pytest

from geo.errors import BadRequestError, UnknownProfileError
from geo.network.model import Network
from geo.routing.profiles import PROFILES, access_class, blocked_reasons, edge_cost_s, get_profile


def _way(net: Network, way: int, a: int, b: int) -> int:
    ids = net.nodes["osmid"].to_numpy()
    ia, ib = int(np.flatnonzero(ids == a)[0]), int(np.flatnonzero(ids == b)[0])
    return int(np.flatnonzero((net.arrays.src == ia) & (net.arrays.dst == ib))[0])


def test_defaults_follow_the_product_table() -> None:
    m = PROFILES["manual_wheelchair"]
    assert (m.speed_mps, m.max_uphill_pct, m.max_downhill_pct, m.max_kerb_cm, m.min_width_m) == (0.8, 8.33, 10, 3, 0.9)
    e = PROFILES["electric_wheelchair"]
    assert (e.speed_mps, e.max_uphill_pct, e.max_kerb_cm) == (1.5, 12, 6)
    p = PROFILES["pram"]
    assert (p.speed_mps, p.max_kerb_cm, p.min_width_m, p.steps) == (1.1, 10, 0.7, "ramp_stroller")
    assert PROFILES["walking"].steps == "allowed"


def test_unknown_profile_lists_valid_names() -> None:
    with pytest.raises(UnknownProfileError, match="manual_wheelchair"):
        get_profile("rollerblades")


@pytest.mark.parametrize(("key", "value"), [("max_uphill_pct", -1), ("max_kerb_cm", 1000), ("min_width_m", "x"),
                                            ("max_downhill_pct", float("nan")), ("speed", 3)])
def test_bad_limits_are_rejected(key: str, value: object) -> None:
    with pytest.raises(BadRequestError):
        PROFILES["pram"].with_limits(**{key: value})


def test_limits_override_and_profiles_stay_frozen() -> None:
    base = PROFILES["manual_wheelchair"]
    custom = base.with_limits(max_uphill_pct=6, allow_steps=True, avoid_unknown=True)
    assert custom.max_uphill_pct == 6 and custom.steps == "allowed" and custom.avoid_unknown
    assert base.max_uphill_pct == 8.33 and base.steps == "ramp_wheelchair"
    with pytest.raises(AttributeError):
        base.speed_mps = 2  # type: ignore[misc]


def test_steps_rules(tag_rules_net: Network) -> None:
    a = tag_rules_net.arrays
    wc_ramp = _way(tag_rules_net, 103, 3, 4)
    no_ramp = _way(tag_rules_net, 104, 4, 5)
    pram_ramp = _way(tag_rules_net, 105, 11, 12)
    manual = edge_cost_s(a, PROFILES["manual_wheelchair"])
    pram = edge_cost_s(a, PROFILES["pram"])
    walk = edge_cost_s(a, PROFILES["walking"])
    assert math.isfinite(manual[wc_ramp]) and math.isinf(manual[no_ramp]) and math.isinf(manual[pram_ramp])
    assert math.isfinite(pram[wc_ramp]) and math.isfinite(pram[pram_ramp]) and math.isinf(pram[no_ramp])
    assert all(math.isfinite(walk[i]) for i in (wc_ramp, no_ramp, pram_ramp))
    assert walk[no_ramp] > a.length_m[no_ramp] / PROFILES["walking"].speed_mps  # steps are penalised


def test_incline_is_direction_aware(tag_rules_net: Network) -> None:
    a = tag_rules_net.arrays
    down10 = _way(tag_rules_net, 102, 2, 3)  # -10 % along the way
    up10 = _way(tag_rules_net, 102, 3, 2)
    manual = edge_cost_s(a, PROFILES["manual_wheelchair"])
    assert math.isfinite(manual[down10])  # 10 % downhill is the limit
    assert math.isinf(manual[up10])  # 10 % uphill exceeds 8.33 %
    electric = edge_cost_s(a, PROFILES["electric_wheelchair"])
    assert math.isfinite(electric[up10]) and electric[up10] > electric[down10]


def test_kerbs_surfaces_width_barriers(tag_rules_net: Network) -> None:
    a = tag_rules_net.arrays
    manual = PROFILES["manual_wheelchair"]
    reasons = blocked_reasons(a, manual)
    assert reasons["kerb"][_way(tag_rules_net, 108, 2, 12)]  # 15 cm raised kerb
    assert reasons["kerb"][_way(tag_rules_net, 109, 3, 33)]  # 5 cm > 3 cm
    assert a.kerb_cm[_way(tag_rules_net, 109, 3, 33)] == pytest.approx(5)
    assert math.isinf(edge_cost_s(a, manual)[_way(tag_rules_net, 109, 3, 33)])
    assert math.isfinite(edge_cost_s(a, PROFILES["electric_wheelchair"])[_way(tag_rules_net, 109, 3, 33)])
    assert reasons["surface"][_way(tag_rules_net, 106, 12, 13)]  # gravel
    assert reasons["width"][_way(tag_rules_net, 114, 22, 23)]  # est_width 0.8 < 0.9
    assert not blocked_reasons(a, PROFILES["pram"])["width"][_way(tag_rules_net, 114, 22, 23)]
    assert reasons["barrier"][_way(tag_rules_net, 115, 23, 32)]  # kissing gate
    assert reasons["wheelchair_no"][_way(tag_rules_net, 113, 21, 22)]
    assert not blocked_reasons(a, PROFILES["walking"])["barrier"][_way(tag_rules_net, 115, 23, 32)]


def test_unknown_costs_more_and_can_be_avoided(tag_rules_net: Network) -> None:
    a = tag_rules_net.arrays
    manual = PROFILES["manual_wheelchair"]
    e = _way(tag_rules_net, 127, 61, 1)  # compacted surface known, incline/width unknown
    base = a.length_m[e] / manual.speed_mps * manual.surface_factor[3]
    cost = edge_cost_s(a, manual)[e]
    assert cost > base
    assert math.isinf(edge_cost_s(a, manual.with_limits(avoid_unknown=True))[e])


def test_cost_never_below_length_over_speed(helsinki_net: Network) -> None:
    a = helsinki_net.arrays
    for p in PROFILES.values():
        c = edge_cost_s(a, p)
        finite = np.isfinite(c)
        assert np.all(c[finite] >= a.length_m[finite] / p.speed_mps - 1e-9)


def test_access_classes(tag_rules_net: Network) -> None:
    a = tag_rules_net.arrays
    classes = access_class(a, PROFILES["manual_wheelchair"])
    assert classes[_way(tag_rules_net, 104, 4, 5)] == 0  # steps without ramp
    assert classes[_way(tag_rules_net, 102, 2, 3)] == 1  # setts: difficult
    assert set(np.unique(classes)) <= {0, 1, 2, 3}


def test_worse_smoothness_never_costs_less(tag_rules_net: Network) -> None:
    from dataclasses import replace

    a = tag_rules_net.arrays
    e = _way(tag_rules_net, 124, 63, 64)
    one = a.take(np.array([e]))
    costs = []
    for level in range(8):
        costs.append(edge_cost_s(replace(one, smoothness=np.array([level], np.int8)), PROFILES["walking"])[0])
    finite = [c for c in costs if np.isfinite(c)]
    assert finite == sorted(finite)
    assert costs[4] > costs[3] > costs[2]  # very_bad > bad > intermediate
