"""Confirmed reports → routing overlay: snapping to edges / nodes / lifts, effects on costs, polling, expiry."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np
import pytest

from geo.network.model import Network
from geo.reports.model import PENALTY_S, Report
from geo.reports.placement import build_overlay, nearby_reports, nearby_warning, place_reports, reports_view
from geo.routing.itinerary import describe, route_geojson
from geo.routing.overlay import EMPTY_OVERLAY
from geo.routing.profiles import PROFILES
from geo.routing.router import Router

T0 = datetime(2025, 6, 1, 8, 0, 0)
M_LAT = 1 / 111_320  # one metre north, in degrees
M_LON = 1 / (111_320 * math.cos(math.radians(50.77)))  # one metre east at the fixture's latitude


def report(rid: int, lon: float, lat: float, category: str = "steps", severity: int = 3, *,
           status: str = "confirmed", valid_until: datetime | None = None) -> Report:
    return Report(id=rid, lat=lat, lon=lon, category=category, severity=severity, description="", contact=None,
                  photo=None, valid_until=valid_until, status=status, duplicate_of=None, source="web",
                  created_at=T0, updated_at=T0)


def node_index(net: Network, osmid: int) -> int:
    return int(np.flatnonzero(net.nodes["osmid"].to_numpy() == osmid)[0])


def directed(net: Network, a: int, b: int) -> int:
    ia, ib = node_index(net, a), node_index(net, b)
    return int(np.flatnonzero((net.arrays.src == ia) & (net.arrays.dst == ib))[0])


@pytest.fixture(scope="module")
def router(tag_rules_net: Network) -> Router:
    return Router(tag_rules_net)


# --------------------------------------------------------------------------- placement


def test_a_report_mid_edge_applies_to_both_directions(tag_rules_net: Network) -> None:
    placed = place_reports(tag_rules_net, [report(1, 15.0505, 50.7700 + 8 * M_LAT)])
    assert set(placed[1].directed_edges) == {directed(tag_rules_net, 1, 2), directed(tag_rules_net, 2, 1)}
    assert placed[1].distance_m == pytest.approx(8, abs=0.3) and not placed[1].on_lift


def test_a_report_at_a_junction_applies_to_every_edge_entering_it(tag_rules_net: Network) -> None:
    placed = place_reports(tag_rules_net, [report(1, 15.0510 + 1.5 * M_LON, 50.7700)])
    net = tag_rules_net
    assert set(placed[1].directed_edges) == {directed(net, 1, 2), directed(net, 3, 2), directed(net, 12, 2)}


def test_reports_beyond_the_tolerance_change_nothing(tag_rules_net: Network) -> None:
    far = report(1, 15.0505, 50.7720 + 45 * M_LAT)  # 45 m north of the northernmost footway
    near = report(2, 15.0505, 50.7720 + 25 * M_LAT)
    placed = place_reports(tag_rules_net, [far, near], tolerance_m=30)
    assert set(placed) == {2}
    assert build_overlay([far], place_reports(tag_rules_net, [far]), version=5) is EMPTY_OVERLAY


def test_a_broken_lift_blocks_the_lift_for_everybody(tag_rules_net: Network, router: Router) -> None:
    net = tag_rules_net
    at_node = report(1, 15.0530 + 10 * M_LON, 50.7720, "broken_lift", 1)  # 10 m from the lift node 24
    on_way = report(2, 15.0540 + 4 * M_LON, 50.7715, "broken_lift", 1)  # beside the lift way 15–25
    view = reports_view(net, [at_node, on_way], db_version=1, now=T0)
    assert view.placed[1].on_lift and view.placed[2].on_lift
    assert set(view.placed[1].directed_edges) == {directed(net, 32, 24), directed(net, 25, 24)}
    for name in PROFILES:
        cost = router.costs(PROFILES[name], view.overlay)
        assert np.isinf(cost[directed(net, 25, 24)]) and np.isinf(cost[directed(net, 15, 25)])
        assert np.isinf(cost[directed(net, 25, 15)])


def test_a_broken_lift_far_from_any_lift_blocks_wheels_only(tag_rules_net: Network, router: Router) -> None:
    net = tag_rules_net
    view = reports_view(net, [report(1, 15.0505, 50.7700, "broken_lift", 2)], db_version=1, now=T0)
    assert not view.placed[1].on_lift
    e = directed(net, 1, 2)
    assert np.isinf(router.costs(PROFILES["manual_wheelchair"], view.overlay)[e])
    assert router.costs(PROFILES["walking"], view.overlay)[e] == router.costs(PROFILES["walking"])[e]


# --------------------------------------------------------------------------- effects on costs


def test_blocking_report_blocks_wheels_and_leaves_walking(tag_rules_net: Network, router: Router) -> None:
    net = tag_rules_net
    view = reports_view(net, [report(1, 15.0505, 50.7700, "steps", 1)], db_version=1, now=T0)
    fwd, back = directed(net, 1, 2), directed(net, 2, 1)
    for name in ("manual_wheelchair", "electric_wheelchair", "pram"):
        cost = router.costs(PROFILES[name], view.overlay)
        assert np.isinf(cost[fwd]) and np.isinf(cost[back])
        assert np.isfinite(router.costs(PROFILES[name])[fwd])
    assert np.array_equal(router.costs(PROFILES["walking"], view.overlay), router.costs(PROFILES["walking"]))


def test_lower_severities_add_their_penalty_once_per_traversal(tag_rules_net: Network, router: Router) -> None:
    net = tag_rules_net
    e = directed(net, 1, 2)
    for severity in (1, 2):
        view = reports_view(net, [report(1, 15.0505, 50.7700, "high_kerb", severity)], db_version=1, now=T0)
        for name in ("manual_wheelchair", "electric_wheelchair", "pram"):
            base = router.costs(PROFILES[name])[e]
            assert router.costs(PROFILES[name], view.overlay)[e] == pytest.approx(base + PENALTY_S[severity])
        assert router.costs(PROFILES["walking"], view.overlay)[e] == router.costs(PROFILES["walking"])[e]
    # severity 3 blocks wheelchairs but is only the largest penalty for a pram
    view = reports_view(net, [report(1, 15.0505, 50.7700, "high_kerb", 3)], db_version=1, now=T0)
    assert np.isinf(router.costs(PROFILES["manual_wheelchair"], view.overlay)[e])
    pram = PROFILES["pram"]
    assert router.costs(pram, view.overlay)[e] == pytest.approx(router.costs(pram)[e] + PENALTY_S[3])


def test_construction_at_severity_three_blocks_walkers_too(tag_rules_net: Network, router: Router) -> None:
    view = reports_view(tag_rules_net, [report(1, 15.0505, 50.7700, "construction", 3)], db_version=1, now=T0)
    assert np.isinf(router.costs(PROFILES["walking"], view.overlay)[directed(tag_rules_net, 1, 2)])


def test_unconfirmed_closed_and_expired_reports_are_ignored(tag_rules_net: Network) -> None:
    reports = [report(1, 15.0505, 50.7700, status="submitted"), report(2, 15.0505, 50.7700, status="fixed"),
               report(3, 15.0505, 50.7700, status="rejected"), report(4, 15.0505, 50.7700, status="duplicate"),
               report(5, 15.0505, 50.7700, valid_until=T0 - timedelta(seconds=1))]
    view = reports_view(tag_rules_net, reports, db_version=1, now=T0)
    assert view.overlay is EMPTY_OVERLAY and view.reports == ()
    live = reports_view(tag_rules_net, [report(6, 15.0505, 50.7700, status=s) for s in ("planned",)],
                        db_version=1, now=T0)
    assert len(live.overlay.edges) == 2


def test_a_route_over_a_warning_only_report_mentions_it(tag_rules_net: Network, router: Router) -> None:
    net = tag_rules_net
    view = reports_view(net, [report(9, 15.0505, 50.7700, "inaccessible_entrance", 3)], db_version=1, now=T0)
    profile = PROFILES["manual_wheelchair"]
    plain = router.route((15.0502, 50.7700), (15.0508, 50.7700), profile)
    warned = router.route((15.0502, 50.7700), (15.0508, 50.7700), profile, view.overlay)
    assert warned.duration_s == pytest.approx(plain.duration_s)
    fc = route_geojson(warned, net, view.overlay)
    reports = [w for w in fc["features"][0]["properties"]["warnings"] if w["type"] == "report"]
    assert [it["report_id"] for w in reports for it in w["items"]] == [9]
    assert reports[0]["message"] == "Nahlášená bariéra na trase: nepřístupný vchod"


# --------------------------------------------------------------------------- nearby


def test_nearby_reports_by_distance_to_the_line_and_profile(tag_rules_net: Network) -> None:
    line = [[15.0500, 50.7700], [15.0510, 50.7700]]
    reports = [report(1, 15.0505, 50.7700 - 15 * M_LAT, "obstacle", 2),
               report(2, 15.0505, 50.7700 - 40 * M_LAT, "obstacle", 2),
               report(3, 15.0503, 50.7700 - 5 * M_LAT, "steps", 3)]
    view = reports_view(tag_rules_net, reports, db_version=1, now=T0)
    near = nearby_reports(view, tag_rules_net, line, "manual_wheelchair", max_distance_m=25)
    assert [r.id for r, _ in near] == [3, 1]
    assert near[1][1] == pytest.approx(15, abs=0.5)
    assert nearby_reports(view, tag_rules_net, line, "walking") == []  # neither matters on foot


# --------------------------------------------------------------------------- the provider


def test_nearby_warning_names_only_reports_off_the_route(tag_rules_net: Network, router: Router) -> None:
    net = tag_rules_net
    reports = [report(9, 15.0505, 50.7700, "inaccessible_entrance", 3),  # on the route
               report(2, 15.0505, 50.7700 - 40 * M_LAT, "obstacle", 2)]  # 40 m off it: changes no route
    view = reports_view(net, reports, db_version=1, now=T0)
    profile = PROFILES["manual_wheelchair"]
    itinerary = describe(router.route((15.0502, 50.7700), (15.0508, 50.7700), profile, view.overlay), net,
                         view.overlay)
    assert nearby_warning(itinerary, view, net, max_distance_m=25) is None
    near = nearby_warning(itinerary, view, net, max_distance_m=50)
    assert near is not None and [it["report_id"] for it in near.items] == [2]
    assert near.count == 1 and near.value == pytest.approx(40, abs=1)
