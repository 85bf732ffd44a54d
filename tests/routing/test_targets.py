"""Routing destinations: arrays built from a frame, arrival times from one search, reachable and nearest."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest

from geo.errors import NoRouteError
from geo.network.model import Network
from geo.routing.isochrone import reach
from geo.routing.profiles import PROFILES
from geo.routing.router import Router
from geo.routing.targets import arrival_s, nearest, reachable, targets_from_frame


def _frame(net: Network, nodes: list[int], categories: list[str]) -> gpd.GeoDataFrame:
    pts = net.nodes[["lon", "lat"]].to_numpy()[nodes]
    return gpd.GeoDataFrame({"id": [f"t{i}" for i in nodes], "name": [f"T{i}" for i in nodes],
                             "category": categories}, geometry=gpd.points_from_xy(pts[:, 0], pts[:, 1]),
                            crs="EPSG:4326")


def test_targets_from_a_frame_skip_unplaced(helsinki_net: Network, helsinki_router: Router) -> None:
    frame = _frame(helsinki_net, [100, 900, 1700], ["community_centre", "housing_help", "x"])
    frame.loc[1, "geometry"] = None
    t = targets_from_frame(frame, helsinki_router)
    assert list(t.ids) == ["t100", "t1700"]
    assert list(t.select("community_centre")) == [0] and len(t.select(None)) == 2
    assert t.properties[1]["category"] == "x"
    assert all(len(a) >= 1 for a in t.anchors)


def test_empty_frame_gives_no_targets(helsinki_router: Router) -> None:
    assert len(targets_from_frame(gpd.GeoDataFrame({"id": []}, geometry=[], crs="EPSG:4326"), helsinki_router)) == 0
    assert len(targets_from_frame(gpd.GeoDataFrame(geometry=[], crs="EPSG:4326"), helsinki_router)) == 0


def test_one_search_gives_arrival_at_every_target(helsinki_net: Network, helsinki_router: Router) -> None:
    profile = PROFILES["pram"]
    nodes = [100, 900, 1700, 2500, 3300]
    t = targets_from_frame(_frame(helsinki_net, nodes, ["a", "b", "a", "b", "a"]), helsinki_router)
    origin = tuple(helsinki_net.nodes[["lon", "lat"]].to_numpy()[5])
    r = reach(helsinki_router, origin, profile)
    times = arrival_s(r, t)
    for i, node in enumerate(nodes):
        try:
            expected = helsinki_router.route(origin, (t.lon[i], t.lat[i]), profile).duration_s
        except NoRouteError:
            expected = math.inf
        # a target is reached through the best of its anchors, so never later than through the nearest edge
        assert times[i] <= expected + 1e-6, node
        assert math.isfinite(times[i]) == math.isfinite(expected) or times[i] < expected


def test_reachable_and_nearest_are_sorted_and_consistent(helsinki_net: Network, helsinki_router: Router) -> None:
    profile = PROFILES["manual_wheelchair"]
    nodes = list(range(50, 3400, 150))
    cats = ["a" if i % 2 else "b" for i in range(len(nodes))]
    t = targets_from_frame(_frame(helsinki_net, nodes, cats), helsinki_router)
    origin = tuple(helsinki_net.nodes[["lon", "lat"]].to_numpy()[2000])
    r = reach(helsinki_router, origin, profile, limit_s=900)
    times = arrival_s(r, t)
    inside = reachable(r, t, 600)
    assert [s for _, s in inside] == sorted(s for _, s in inside)
    assert {i for i, _ in inside} == set(np.flatnonzero(times <= 600).tolist())
    near = nearest(r, t, category="a", k=3)
    assert len(near) == 3 and all(t.categories[i] == "a" for i, _ in near)
    a_times = np.sort(times[t.select("a")])[:3]
    assert [s for _, s in near] == pytest.approx(a_times.tolist())
