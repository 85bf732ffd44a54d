"""The overlay: entries that close edges or add seconds, per profile; attribute values laid over the arrays."""

from __future__ import annotations

import numpy as np
import pytest

from geo.network.model import Network
from geo.routing.overlay import PROFILE_BITS, AttributePatches, Overlay
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


def test_attribute_patches_replace_values_and_share_the_rest(tag_rules_net: Network) -> None:
    a = tag_rules_net.arrays
    patches = AttributePatches(version=4, values={"kerb_known": (np.array([0, 3]), np.array([1.0, 1.0])),
                                                  "kerb_cm": (np.array([0, 3]), np.array([2.0, 7.0]))})
    patched = patches.apply(a)
    assert patched.kerb_known[[0, 3]].all() and patched.kerb_cm[[0, 3]].tolist() == [2.0, 7.0]
    assert patched.kerb_cm.dtype == a.kerb_cm.dtype and not patched.kerb_cm.flags.writeable
    assert patched.surface_code is a.surface_code  # untouched fields are shared, not copied
    assert patches.apply(a) is patched  # made once
    assert np.array_equal(np.delete(patched.kerb_cm, [0, 3]), np.delete(a.kerb_cm, [0, 3]), equal_nan=True)
    assert patches.edges.tolist() == [0, 3] and len(patches) == 4
    with pytest.raises(ValueError, match="not patchable"):
        AttributePatches(values={"length_m": (np.array([0]), np.array([1.0]))})


def test_the_router_reads_the_patched_attributes(tag_rules_net: Network) -> None:
    router = Router(tag_rules_net)
    profile = PROFILES["manual_wheelchair"]
    a = tag_rules_net.arrays
    unknown = np.flatnonzero(~a.kerb_known & np.isfinite(router.costs(profile)))
    assert len(unknown)
    raised = Overlay(patches=AttributePatches(version=9, values={
        "kerb_known": (unknown, np.ones(len(unknown))), "kerb_cm": (unknown, np.full(len(unknown), 15.0))}))
    assert np.isinf(router.costs(profile, raised)[unknown]).all()  # over the 3 cm limit
    assert np.isfinite(router.costs(profile)[unknown]).all()  # the cached costs of OSM alone are untouched
    assert raised.key == (0, 9) and raised.without_costs() is raised
    assert router.arrays(raised).kerb_cm[unknown].tolist() == [15.0] * len(unknown)
