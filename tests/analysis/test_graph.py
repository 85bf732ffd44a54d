"""The search graph: a time read off it is the router's route duration between the two points."""

from __future__ import annotations

import math

import numpy as np
import pytest

from geo.analysis.graph import Columns, build_graph, times
from geo.analysis.origins import Places, snap_points
from geo.errors import NoRouteError
from geo.network.model import Network
from geo.routing.overlay import AttributePatches, Overlay
from geo.routing.profiles import PROFILES
from geo.routing.router import Router


def _places(net: Network, rng: np.random.Generator, n: int) -> Places:
    nodes = rng.integers(net.n_nodes, size=n)
    lon = net.node_col("lon")[nodes] + rng.uniform(-3e-4, 3e-4, n)
    lat = net.node_col("lat")[nodes] + rng.uniform(-1.5e-4, 1.5e-4, n)
    ids = np.arange(n).astype(object)
    return Places(ids, np.full(n, "x", dtype=object), ids, lon, lat, np.ones(n))


@pytest.mark.parametrize("profile", ["manual_wheelchair", "pram"])
def test_times_are_route_durations(helsinki_net: Network, helsinki_router: Router, profile: str) -> None:
    rng = np.random.default_rng(8)
    homes, dests = _places(helsinki_net, rng, 12), _places(helsinki_net, rng, 8)
    p = PROFILES[profile]
    o, d = snap_points(helsinki_router, homes, p), snap_points(helsinki_router, dests, p)
    graph = build_graph(helsinki_router, p, o, d)
    got = times(graph, math.inf)
    found = 0
    for i in range(len(homes)):
        for j in range(len(dests)):
            try:
                want = helsinki_router.route((homes.lon[i], homes.lat[i]), (dests.lon[j], dests.lat[j]), p).duration_s
            except NoRouteError:
                want = math.inf
            assert got[i, j] == pytest.approx(want, rel=1e-9, abs=1e-9), (i, j)
            found += math.isfinite(want)
    assert found > 20
    limited = times(graph, 300.0)
    assert np.array_equal(np.where(got <= 300.0, got, np.inf), limited)


def test_verified_attribute_values_reach_the_planners_times(helsinki_net: Network, helsinki_router: Router) -> None:
    """The search graph reads the overlay's verified values ("Help verify") as routes do."""
    rng = np.random.default_rng(8)
    homes, dests = _places(helsinki_net, rng, 10), _places(helsinki_net, rng, 6)
    p = PROFILES["manual_wheelchair"]
    a = helsinki_net.arrays
    unknown = np.flatnonzero(~a.kerb_known & np.isfinite(helsinki_router.costs(p)))[::3]
    raised = Overlay(patches=AttributePatches(version=1, values={
        "kerb_known": (unknown, np.ones(len(unknown))), "kerb_cm": (unknown, np.full(len(unknown), 15.0))}))
    o, d = snap_points(helsinki_router, homes, p, raised), snap_points(helsinki_router, dests, p, raised)
    graph = build_graph(helsinki_router, p, o, d, raised)
    assert graph.arrays.kerb_cm[unknown].tolist() == [15.0] * len(unknown)
    got, before = times(graph, math.inf), times(build_graph(helsinki_router, p, o, d), math.inf)
    for i in range(len(homes)):
        for j in range(len(dests)):
            try:
                want = helsinki_router.route((homes.lon[i], homes.lat[i]), (dests.lon[j], dests.lat[j]), p,
                                             raised).duration_s
            except NoRouteError:
                want = math.inf
            assert got[i, j] == pytest.approx(want, rel=1e-9, abs=1e-9), (i, j)
    assert (got != before).any()  # the raised kerbs changed some trips


def test_same_edge_points_are_joined_straight_along_it(helsinki_net: Network, helsinki_router: Router) -> None:
    e = int(np.argmax(helsinki_net.arrays.length_m))
    line = helsinki_net.edges.geometry.iat[helsinki_net.arrays.edge_id[e]]
    pts = [line.interpolate(f, normalized=True) for f in (0.3, 0.7)]
    places = Places(np.array(["a", "b"], dtype=object), np.array(["x", "x"], dtype=object),
                    np.array(["a", "b"], dtype=object), np.array([p.x for p in pts]), np.array([p.y for p in pts]),
                    np.ones(2))
    p = PROFILES["walking"]
    anchors = snap_points(helsinki_router, places, p)
    graph = build_graph(helsinki_router, p, anchors[:1], anchors[1:])
    direct = helsinki_router.direct(anchors[0], anchors[1], p)
    assert math.isfinite(direct) and times(graph, math.inf)[0, 0] == pytest.approx(direct, rel=1e-12)


def test_columns_keep_finite_distances_by_key_and_replace_rows() -> None:
    cols = Columns.empty(np.array([7, 3, 5]))
    cols.update([(np.array([0, 1]), np.array([[1.0, np.inf, 2.0], [np.inf, 4.0, 0.0]]))])
    assert cols.column(3)[0].tolist() == [0] and cols.column(7)[1].tolist() == [2.0, 0.0]
    cols.update([(np.array([1]), np.array([[np.inf, np.inf, 9.0]]))], drop_rows=np.array([1]))
    assert cols.column(7)[1].tolist() == [2.0, 9.0] and cols.column(5)[0].tolist() == []
    with pytest.raises(KeyError):
        cols.column(4)
