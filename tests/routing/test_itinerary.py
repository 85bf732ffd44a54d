"""Route description: summary figures, warnings, elevation profile, directions, segments."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from geo.errors import NoRouteError
from geo.network import pipeline
from geo.network.model import Network
from geo.routing.itinerary import describe, route_geojson
from geo.routing.profiles import PROFILES
from geo.routing.router import Piece, Route, Router
from tests.network.test_elevation import write_plane
from tests.terrain_ways import RAMP, SJTSK, HandDtm, dtm_path


def _osm_node(net: Network, osmid: int) -> tuple[float, float]:
    i = int(np.flatnonzero(net.nodes["osmid"].to_numpy() == osmid)[0])
    return float(net.nodes["lon"].iat[i]), float(net.nodes["lat"].iat[i])


@pytest.fixture(scope="module")
def fixture_router(tag_rules_net: Network) -> Router:
    return Router(tag_rules_net)


def test_route_feature_has_every_property(helsinki_net: Network) -> None:
    router = Router(helsinki_net)
    r = router.route((24.9402, 60.1688), (24.9510, 60.1730), PROFILES["manual_wheelchair"])
    gj = route_geojson(r, helsinki_net)
    json.dumps(gj, allow_nan=False)  # valid JSON: no NaN anywhere
    first = gj["features"][0]
    assert first["geometry"]["type"] == "LineString"
    p = first["properties"]
    for key in ("profile", "length_m", "duration_s", "climb_m", "descent_m", "max_incline_pct", "verified_share",
                "surfaces", "warnings", "elevation_profile", "directions", "segments"):
        assert key in p
    assert p["length_m"] == pytest.approx(sum(s["length_m"] for s in p["segments"]), abs=1.0)
    assert p["duration_s"] == pytest.approx(r.duration_s, abs=0.1)
    assert sum(p["surfaces"].values()) == pytest.approx(p["length_m"], abs=1.0)
    assert 0.0 <= p["verified_share"] <= 1.0
    assert p["directions"][0]["maneuver"] == "depart" and p["directions"][-1]["maneuver"] == "arrive"
    assert all(isinstance(d["text"], str) and d["text"] for d in p["directions"])
    english = route_geojson(r, helsinki_net, lang="en")["features"][0]["properties"]
    assert english["directions"][-1]["text"] == "You have arrived." and p["directions"][-1]["text"] == "Jste v cíli."
    assert p["elevation_profile"][0][0] == 0 and p["elevation_profile"][-1][0] == pytest.approx(p["length_m"], abs=1)
    seg = p["segments"][0]
    assert {"osm_way_id", "highway", "length_m", "incline_pct", "surface_class", "is_steps", "kerb_cm",
            "known"} <= set(seg)
    coords = first["geometry"]["coordinates"]
    assert coords[0] == pytest.approx([r.origin.snap.lon, r.origin.snap.lat], abs=1e-6)
    assert coords[-1] == pytest.approx([r.destination.snap.lon, r.destination.snap.lat], abs=1e-6)


def test_pram_directions_mention_the_ramp_and_steps(tag_rules_net: Network, fixture_router: Router) -> None:
    r = fixture_router.route(_osm_node(tag_rules_net, 11), _osm_node(tag_rules_net, 12), PROFILES["pram"])
    p = route_geojson(r, tag_rules_net)["features"][0]["properties"]
    en = route_geojson(r, tag_rules_net, lang="en")["features"][0]["properties"]
    steps = [d for d in p["directions"] if d["kind"] == "steps"]
    steps_en = [d for d in en["directions"] if d["kind"] == "steps"]
    assert steps and "rampa pro kočárek" in steps[0]["text"] and "pram ramp" in steps_en[0]["text"]
    assert "12 steps" in steps_en[0]["text"] and "12 schodů" in steps[0]["text"]
    assert any(w["type"] == "steps" for w in p["warnings"])
    assert p["segments"][0]["is_steps"]


def test_kerb_and_crossing_warnings(tag_rules_net: Network, fixture_router: Router) -> None:
    # 3 → 33 → 34 → 13 crosses two 5 cm kerbs: passable for the electric wheelchair (6 cm)
    r = fixture_router.route(_osm_node(tag_rules_net, 3), _osm_node(tag_rules_net, 13), PROFILES["electric_wheelchair"])
    gj = route_geojson(r, tag_rules_net)
    p = gj["features"][0]["properties"]
    kerbs = [w for w in p["warnings"] if w["type"] == "kerb"]
    assert len(kerbs) == 1  # one warning for both kerbs, with the count, the highest and every place
    assert kerbs[0]["count"] == 2 and kerbs[0]["value"] == 5.0 and [it["value"] for it in kerbs[0]["items"]] == [5, 5]
    assert kerbs[0]["message"] == "2 obrubníky, nejvyšší 5 cm" and len(kerbs[0]["places"]) == 2
    assert sum(f["properties"].get("type") == "kerb" for f in gj["features"][1:]) == 2  # a point per place
    assert any(w["type"] == "crossings" and w["count"] == 1 for w in p["warnings"])
    en = route_geojson(r, tag_rules_net, lang="en")["features"][0]["properties"]
    assert [w["message"] for w in en["warnings"] if w["type"] == "kerb"] == ["2 kerbs, the highest 5 cm"]
    crossing = [d for d in en["directions"] if d["kind"] == "crossing"]
    assert len(crossing) == 1 and "kerb" in crossing[0]["text"]


def test_unknown_stretches_are_reported(tag_rules_net: Network, fixture_router: Router) -> None:
    r = fixture_router.route(_osm_node(tag_rules_net, 61), _osm_node(tag_rules_net, 65), PROFILES["walking"])
    p = route_geojson(r, tag_rules_net)["features"][0]["properties"]
    kinds = {w["type"] for w in p["warnings"]}
    assert "unknown_width" in kinds
    assert p["verified_share"] < 1.0
    assert p["max_incline_pct"] == pytest.approx(17.6, abs=0.1)  # 10° on way 124


def test_climb_and_elevation_profile_from_a_dem(tag_rules_osm: Path, tmp_path: Path) -> None:
    from pyproj import Transformer

    x, y = Transformer.from_crs("EPSG:4326", "EPSG:32633", always_xy=True).transform(15.045, 50.775)
    dem = write_plane(tmp_path / "p.tif", west=x, north=y, size_m=1500, grade_north_pct=5.0)
    net = pipeline.load_or_build(pipeline.SourceSpec.file(tag_rules_osm), dem=dem, cache_dir=tmp_path / "c")
    router = Router(net)
    r = router.route(_osm_node(net, 11), _osm_node(net, 21), PROFILES["walking"])  # north along way 119
    p = route_geojson(r, net)["features"][0]["properties"]
    assert p["elevation_source"] == "dem"
    assert p["climb_m"] == pytest.approx(p["length_m"] * 0.05, rel=0.05)
    z = [e[1] for e in p["elevation_profile"]]
    assert z[-1] - z[0] == pytest.approx(p["climb_m"], abs=0.5)


def test_route_line_starts_and_ends_at_the_snapped_points_on_bent_edges(helsinki_net: Network) -> None:
    import shapely

    net = helsinki_net
    router = Router(net)
    # the most bent long edge: straight-line distance between its ends far below its length
    ends = shapely.get_coordinates(shapely.boundary(net.edges_metric)).reshape(-1, 2, 2)
    chord = np.hypot(*(ends[:, 0] - ends[:, 1]).T)
    bend = np.where(net.edges["length_m"].to_numpy() > 60, chord / net.edges["length_m"].to_numpy(), 1.0)
    e = int(np.argmin(bend))
    assert bend[e] < 0.95
    pts = []
    for frac in (0.3, 0.8):
        p = net.edges_metric[e].interpolate(frac, normalized=True)
        pts.append(net.to_metric.transform(p.x, p.y, direction="INVERSE"))
    far = net.nodes[["lon", "lat"]].to_numpy()[0]
    for a, b in ((pts[0], tuple(far)), (tuple(far), pts[1]), (pts[0], pts[1])):
        r = router.route(a, b, PROFILES["walking"])
        coords = route_geojson(r, net)["features"][0]["geometry"]["coordinates"]
        for got, snap in ((coords[0], r.origin.snap), (coords[-1], r.destination.snap)):
            x1, y1 = net.to_metric.transform(*got)
            x2, y2 = net.to_metric.transform(snap.lon, snap.lat)
            assert np.hypot(x1 - x2, y1 - y2) < 0.5  # metres


# ----------------------------------------------------------------------------- climb on real terrain


def _ramp_ends() -> tuple[tuple[float, float], tuple[float, float]]:
    """lon/lat 1 m and 51 m along the ramp way (flat, a 12 m ramp of ~8.5 % in 4 m edges, flat)."""
    to_ll = Transformer.from_crs(SJTSK, "EPSG:4326", always_xy=True)
    return to_ll.transform(*RAMP.at(1.0)), to_ll.transform(*RAMP.at(51.0))


def _rise(z: list[float | None]) -> tuple[float, float]:
    dz = np.diff(np.array([v for v in z if v is not None]))
    return float(dz[dz > 0].sum()), float(-dz[dz < 0].sum())


def test_a_6_pct_limit_does_not_pass_an_8_pct_short_edge(terrain_ways_net: Network) -> None:
    router = Router(terrain_ways_net)
    a, b = _ramp_ends()
    with pytest.raises(NoRouteError) as err:
        router.route(a, b, PROFILES["manual_wheelchair"].with_limits(max_uphill_pct=6))
    (reason,) = err.value.details["reasons"]
    assert reason["reason"] == "uphill" and reason["needed"] > 8
    r = router.route(a, b, PROFILES["manual_wheelchair"].with_limits(max_uphill_pct=reason["needed"]))
    assert describe(r, terrain_ways_net).metrics.max_incline_pct > 8


def test_climb_and_profile_are_the_sampled_rise_of_the_terrain(terrain_ways_net: Network) -> None:
    net = terrain_ways_net
    r = Router(net).route(*_ramp_ends(), PROFILES["walking"])
    p = route_geojson(r, net)["features"][0]["properties"]
    to_sjtsk = Transformer.from_crs("EPSG:4326", SJTSK, always_xy=True)
    s0, s1 = (float(RAMP.position(*to_sjtsk.transform(a.snap.lon, a.snap.lat))) for a in (r.origin, r.destination))
    s = np.concatenate([[s0], np.arange(math.floor(s0) + 1, s1), [s1]])  # the terrain every metre, by hand
    dz = np.diff(HandDtm(dtm_path()).z(*RAMP.at(s)))
    assert p["climb_m"] == pytest.approx(dz[dz > 0].sum(), abs=0.05) and p["climb_m"] > 2
    assert p["descent_m"] == pytest.approx(-dz[dz < 0].sum(), abs=0.05) and p["descent_m"] > 0.5
    profile = p["elevation_profile"]
    up, down = _rise([e[1] for e in profile])
    assert up == pytest.approx(p["climb_m"], abs=0.05) and down == pytest.approx(p["descent_m"], abs=0.05)
    assert p["max_incline_pct"] > 8 and p["max_decline_pct"] > 0
    d = [e[0] for e in profile]
    assert d[0] == 0 and d == sorted(d) and d[-1] == pytest.approx(p["length_m"], abs=0.1)
    assert len(set(d)) == len(d) < len(s)  # thinned, never two points at one distance


def _reversed(route: Route, net: Network) -> Route:
    """The same route travelled the other way: the twin directed edges, in reverse, with turned fractions."""
    a = net.arrays
    pieces = []
    for piece in reversed(route.pieces):
        fwd, back = net.directed(int(a.edge_id[piece.edge]))
        pieces.append(Piece(int(back if a.forward[piece.edge] else fwd), 1.0 - piece.t1, 1.0 - piece.t0, piece.cost_s))
    return replace(route, origin=route.destination, destination=route.origin, pieces=pieces)


@pytest.fixture(scope="module")
def bubenec_router(bubenec_net: Network) -> Router:
    return Router(bubenec_net)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 10**6), st.integers(0, 10**6), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_reversing_a_route_swaps_climb_and_descent_exactly(bubenec_net: Network, bubenec_router: Router, i: int,
                                                           j: int, fa: float, fb: float) -> None:
    net = bubenec_net
    geoms = net.edges.geometry.to_numpy()
    a, b = (shapely.get_coordinates(geoms[k % len(geoms)].interpolate(f, normalized=True))[0]
            for k, f in ((i, fa), (j, fb)))
    try:
        route = bubenec_router.route(tuple(a), tuple(b), PROFILES["walking"])
    except NoRouteError:
        assume(False)
    there, back = describe(route, net), describe(_reversed(route, net), net)
    assert back.metrics.climb_m == there.metrics.descent_m and back.metrics.descent_m == there.metrics.climb_m
    assert back.metrics.length_m == pytest.approx(there.metrics.length_m)
    heights = [e[1] for e in there.elevation_profile if e[1] is not None]
    assert _rise([e[1] for e in back.elevation_profile]) == pytest.approx(_rise(heights[::-1]), abs=1e-6)


def test_an_end_moved_past_a_cut_off_path_says_why(areas_net: Network) -> None:
    from tests.routing.test_router import fixture_point

    route = Router(areas_net).route(fixture_point(305, 18), fixture_point(0, 0), PROFILES["walking"])
    fc = describe(route, areas_net).to_geojson("en")
    moved = [w for w in fc["features"][0]["properties"]["warnings"] if w["type"] == "moved_from"]
    assert len(moved) == 1 and moved[0]["items"][0]["reason"] == "piece"
    assert moved[0]["message"] == ("The route starts 20 m from the chosen point: the nearer path (10 m away) is not "
                                   "connected to the rest of the network.")
    assert any(f["properties"].get("type") == "moved_from" for f in fc["features"][1:])  # a point on the map


def test_a_destination_marked_wheelchair_no_is_a_warning(areas_net: Network) -> None:
    from tests.routing.test_router import fixture_point

    router = Router(areas_net)
    route = router.route(fixture_point(0, 0), fixture_point(200, -9), PROFILES["manual_wheelchair"])
    warnings = describe(route, areas_net).to_geojson("cs")["features"][0]["properties"]["warnings"]
    marked = [w for w in warnings if w["type"] == "destination_wheelchair_no"]
    assert len(marked) == 1 and marked[0]["count"] == 1  # the entrance node and its POI: one place
    assert marked[0]["message"] == "U cíle je v OpenStreetMap označeno jako nepřístupné pro vozík: vchod"
    walk = router.route(fixture_point(0, 0), fixture_point(200, -9), PROFILES["walking"])
    assert not [w for w in describe(walk, areas_net).warnings if w.code == "destination_wheelchair_no"]


def test_unpaved_surfaces_are_a_warning_in_words(helsinki_net: Network, helsinki_router: Router) -> None:
    e = helsinki_net.edges
    unpaved = e[(e["surface"] == "unpaved") & (e["length_m"] > 30) & e["on_surface"].astype(bool)].index
    for k in unpaved:
        u, v = int(e.at[k, "u"]), int(e.at[k, "v"])
        try:
            route = helsinki_router.route(_node_point(helsinki_net, u), _node_point(helsinki_net, v),
                                          PROFILES["manual_wheelchair"])
        except NoRouteError:
            continue
        found = [w for w in route_geojson(route, helsinki_net)["features"][0]["properties"]["warnings"]
                 if w["type"] == "unpaved"]
        if found:
            break
    else:
        pytest.fail("no wheelchair route over an unpaved edge")
    assert found[0]["value"] >= 30 and "nezpevněný povrch" in found[0]["message"]
    assert "unpaved" not in found[0]["message"] and found[0]["places"]


def test_each_limit_says_how_much_of_the_route_it_could_check(helsinki_net: Network,
                                                              helsinki_router: Router) -> None:
    """A 0 cm kerb and 2 m width limit pass unknown values: the answer says where they could not be checked."""
    a, b = (24.9402, 60.1688), (24.9510, 60.1730)
    strict = PROFILES["manual_wheelchair"].with_limits(max_kerb_cm=0, min_width_m=2)
    fc = route_geojson(helsinki_router.route(a, b, strict), helsinki_net, lang="en")
    checks = {c["limit"]: c for c in fc["features"][0]["properties"]["checks"]}
    assert set(checks) == {"max_uphill_pct", "max_downhill_pct", "max_kerb_cm", "min_width_m", "surface"}
    kerb, width = checks["max_kerb_cm"], checks["min_width_m"]
    assert kerb["unit"] == "points" and kerb["known"] < kerb["total"] and not kerb["complete"]
    assert kerb["message"].startswith(f"Crossings and kerbs with a known kerb height: {kerb['known']:g} of "
                                      f"{kerb['total']:g}")
    assert "your 0 cm kerb limit could not be checked" in kerb["message"]
    assert width["share"] < 0.5 and "your 2 m minimum width could not be checked on" in width["message"]
    walking = route_geojson(helsinki_router.route(a, b, PROFILES["walking"]), helsinki_net)
    assert all(c["message"] is None for c in walking["features"][0]["properties"]["checks"])  # walking sets none
    careful = PROFILES["manual_wheelchair"].with_limits(avoid_unknown=True)
    try:
        route = helsinki_router.route(a, b, careful)
    except NoRouteError:
        return
    done = route_geojson(route, helsinki_net)["features"][0]["properties"]["checks"]
    assert all(c["complete"] for c in done if c["active"])


def _node_point(net: Network, i: int) -> tuple[float, float]:
    return float(net.nodes["lon"].iat[i]), float(net.nodes["lat"].iat[i])
