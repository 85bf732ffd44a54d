"""Homes and destinations: which buildings are homes and how much they weigh, snapping like route ends."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geo import settings
from geo.analysis.origins import Places, accessible_stops, city_flats, residential_buildings, snap_points
from geo.network.model import Network
from geo.routing.profiles import PROFILES
from geo.routing.router import Router


def test_homes_are_residential_buildings_weighted_by_addresses(planner_net: Network) -> None:
    homes = residential_buildings(planner_net)
    weights = dict(zip(homes.names, homes.weight, strict=True))
    assert weights == {"Horní 1": 1.0, "Horní 3;5": 2.0, "Dolní 2": 1.0, "Terasa 7": 1.0}  # the garage is no home
    assert set(homes.kinds) == {"building"} and all(i.startswith("way/") for i in homes.ids)


def test_city_flats_weigh_their_units_and_unplaced_ones_are_left_out() -> None:
    flats = gpd.GeoDataFrame({"id": ["a", "b", "c"], "name": ["A", "B", "C"], "units_total": [11, None, 4]},
                             geometry=[shapely.Point(15.05, 50.77), shapely.Point(15.06, 50.77), None],
                             crs=settings.CRS_WGS84)
    places = city_flats(flats)
    assert list(places.ids) == ["a", "b"] and list(places.weight) == [11.0, 1.0]


def test_only_accessible_stops_are_destinations() -> None:
    stops = gpd.GeoDataFrame({"stop_id": ["1", "2", "3"], "name": ["x", "y", "z"], "wheelchair_boarding": [1, 2, 0]},
                             geometry=shapely.points([[15.0, 50.7], [15.1, 50.7], [15.2, 50.7]]),
                             crs=settings.CRS_WGS84)
    assert list(accessible_stops(stops).ids) == ["1"]


def test_points_snap_exactly_as_a_route_start(helsinki_net: Network, helsinki_router: Router) -> None:
    """Many points at once land where Router.anchor puts each one — near steps and blocked edges too."""
    rng = np.random.default_rng(4)
    net = helsinki_net
    a = net.arrays
    blocked = np.flatnonzero(~np.isfinite(helsinki_router.costs(PROFILES["manual_wheelchair"])))
    near_blocked = a.src[rng.choice(blocked, 60)]
    nodes = np.concatenate([rng.integers(net.n_nodes, size=140), near_blocked])
    lon = net.node_col("lon")[nodes] + rng.uniform(-2e-4, 2e-4, len(nodes))
    lat = net.node_col("lat")[nodes] + rng.uniform(-1e-4, 1e-4, len(nodes))
    far = [net.bounds()[2] + 1.0, net.bounds()[3] + 1.0]
    places = Places(np.arange(len(nodes) + 1).astype(object), np.full(len(nodes) + 1, "building", dtype=object),
                    np.full(len(nodes) + 1, "", dtype=object), np.append(lon, far[0]), np.append(lat, far[1]),
                    np.ones(len(nodes) + 1))
    for name in ("manual_wheelchair", "walking"):
        anchors = snap_points(helsinki_router, places, PROFILES[name])
        assert anchors[-1] is None  # far away: not placed
        for i, got in enumerate(anchors[:-1]):
            want = helsinki_router.anchor(float(lon[i]), float(lat[i]), PROFILES[name])
            assert (got.snap.edge_id, got.u, got.v, got.fwd, got.back) == (want.snap.edge_id, want.u, want.v,
                                                                          want.fwd, want.back)
            assert got.f == want.f and (got.snap.lon, got.snap.lat) == (want.snap.lon, want.snap.lat)
