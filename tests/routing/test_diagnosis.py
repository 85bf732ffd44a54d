"""No-route diagnosis: reasons from the profile's limit table and relaxations verified by a search."""

from __future__ import annotations

import pytest

from geo.errors import NoRouteError
from geo.network.model import Network
from geo.routing.profiles import PROFILES
from geo.routing.router import Router
from tests.routing.test_router import node_point, osm_node


def test_no_route_says_why_and_what_helps(tag_rules_net: Network, fixture_router: Router) -> None:
    with pytest.raises(NoRouteError) as info:
        fixture_router.route(osm_node(tag_rules_net, 11), osm_node(tag_rules_net, 12),
                             PROFILES["manual_wheelchair"])
    err = info.value
    assert "steps" in err.message('en')
    assert {"reason": "steps", "count": 1} in err.details["reasons"]
    assert {"allow_steps": True} in err.details["relaxations"]
    body = err.to_dict("cs")
    assert body["error"] == "no_route" and body["details"]["relaxations"]
    assert "schody" in body["message"]


def test_uphill_limit_reason_and_relaxation(tag_rules_net: Network, fixture_router: Router) -> None:
    # 3 → 2 on way 102 is 10 % uphill; the only other way back needs steps without a ramp
    profile = PROFILES["manual_wheelchair"]
    with pytest.raises(NoRouteError) as info:
        fixture_router.route(osm_node(tag_rules_net, 3), osm_node(tag_rules_net, 2), profile)
    reasons = {r["reason"] for r in info.value.details["reasons"]}
    assert "uphill" in reasons
    relax = info.value.details["relaxations"]
    assert any(r.get("max_uphill_pct", 0) >= 10 for r in relax)
    ok = fixture_router.route(osm_node(tag_rules_net, 3), osm_node(tag_rules_net, 2),
                              profile.with_limits(max_uphill_pct=10.5))
    assert ok.duration_s > 0


def test_no_route_never_suggests_a_limit_out_of_range(tmp_path) -> None:
    from geo.network import pipeline

    f = tmp_path / "cliff.osm"
    f.write_text('<?xml version="1.0"?><osm version="0.6">'
                 '<node id="1" lat="50.7700" lon="15.05"/><node id="2" lat="50.7702" lon="15.05"/>'
                 '<way id="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="path"/><tag k="incline" v="60°"/>'
                 '</way></osm>')
    net = pipeline.load_or_build(pipeline.SourceSpec.file(f), cache_dir=tmp_path / "c")
    router = Router(net)
    with pytest.raises(NoRouteError) as info:
        router.route(node_point(net, 0), node_point(net, 1), PROFILES["manual_wheelchair"])
    assert {r["reason"] for r in info.value.details["reasons"]} == {"uphill"}
    assert info.value.details["relaxations"] == []  # 173 % is beyond any allowed limit
