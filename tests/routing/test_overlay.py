"""The cost overlay: entries that close edges or add seconds, per profile."""

from __future__ import annotations

import numpy as np
import pytest

from geo.network.model import Network
from geo.routing.overlay import PROFILE_BITS, Overlay
from geo.routing.profiles import PROFILES
from geo.routing.router import Router


def test_overlay_blocks_and_lifts(helsinki_net: Network, helsinki_router: Router) -> None:
    profile = PROFILES["manual_wheelchair"]
    pts = helsinki_net.nodes[["lon", "lat"]].to_numpy()
    r0 = helsinki_router.route(tuple(pts[10]), tuple(pts[2000]), profile)
    used = np.array([p.edge for p in r0.pieces[1:-1]])
    block = Overlay(version=1, edges=used[len(used) // 2: len(used) // 2 + 1], blocks=np.array([True]),
                    penalty_s=np.array([0.0]), profiles=np.array([PROFILE_BITS["manual_wheelchair"]]),
                    labels=({"id": 1, "category": "obstacle"},))
    r1 = helsinki_router.route(tuple(pts[10]), tuple(pts[2000]), profile, block)
    assert block.edges[0] not in {p.edge for p in r1.pieces}
    assert r1.duration_s >= r0.duration_s
    walking = helsinki_router.route(tuple(pts[10]), tuple(pts[2000]), PROFILES["walking"], block)
    assert walking.duration_s == pytest.approx(helsinki_router.route(tuple(pts[10]), tuple(pts[2000]),
                                                                     PROFILES["walking"]).duration_s)
