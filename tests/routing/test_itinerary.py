"""Route description: summary figures, warnings, elevation profile, directions, segments."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from geo.network import pipeline
from geo.network.model import Network
from geo.routing.itinerary import route_geojson
from geo.routing.profiles import PROFILES
from geo.routing.router import Router
from tests.network.test_elevation import write_plane


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
