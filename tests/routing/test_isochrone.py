"""One-to-many searches and the isochrone area."""

from __future__ import annotations

import math

import numpy as np
import shapely

from geo.network.model import Network
from geo.routing.isochrone import isochrone_polygon, reach
from geo.routing.profiles import PROFILES
from geo.routing.router import Router


def test_isochrone_is_built_from_reached_edges(helsinki_net: Network, helsinki_router: Router) -> None:
    origin = (24.9402, 60.1688)
    profile = PROFILES["manual_wheelchair"]
    r10 = reach(helsinki_router, origin, profile, limit_s=600)
    area5 = isochrone_polygon(reach(helsinki_router, origin, profile, limit_s=300), 300)
    area10 = isochrone_polygon(r10, 600)
    assert area10.area > area5.area > 0
    assert area5.difference(area10).area < 0.02 * area5.area  # grid tracing differs only at the rim
    # every node reached within 10 minutes lies in (or next to) the area; a node reached later does not
    d = r10.dist
    lon, lat = helsinki_net.nodes["lon"].to_numpy(), helsinki_net.nodes["lat"].to_numpy()
    inside = shapely.contains_xy(area10.buffer(3e-4), lon, lat)
    assert inside[d <= 600].all()
    full = reach(helsinki_router, origin, profile)
    far = np.flatnonzero(np.isfinite(full.dist) & (full.dist > 1500))
    assert len(far) > 100
    # a node reached only after 25 minutes may sit right beside a reached street, but rarely
    assert shapely.contains_xy(area10, lon[far], lat[far]).mean() < 0.05
    # not a circle: the area is much smaller than the circle of 10 minutes at full speed
    to_m = helsinki_net.to_metric
    metric = shapely.transform(area10, lambda xy: np.column_stack(to_m.transform(xy[:, 0], xy[:, 1])))
    assert metric.area < 0.6 * math.pi * (600 * profile.speed_mps) ** 2
