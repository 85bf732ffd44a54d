"""The routing API over HTTP (Flask test client) on the Helsinki sample."""

from __future__ import annotations

import json

import pytest

A = "60.1688,24.9402"
B = "60.1730,24.9510"


def test_route_geojson(client) -> None:
    r = client.get(f"/api/route?from={A}&to={B}&profile=manual_wheelchair")
    assert r.status_code == 200
    body = r.get_json()
    assert body["type"] == "FeatureCollection"
    props = body["features"][0]["properties"]
    assert props["profile"] == "manual_wheelchair" and props["length_m"] > 500
    json.loads(r.get_data(as_text=True))  # strict JSON


def test_route_with_custom_limits(client) -> None:
    strict = client.get(f"/api/route?from={A}&to={B}&profile=pram&max_kerb_cm=0&avoid_unknown=false").get_json()
    loose = client.get(f"/api/route?from={A}&to={B}&profile=pram&max_kerb_cm=20").get_json()
    assert strict["features"][0]["properties"]["limits"]["max_kerb_cm"] == 0
    assert loose["features"][0]["properties"]["duration_s"] <= strict["features"][0]["properties"]["duration_s"]


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("to=" + B, 400, "bad_request"),
        (f"from=abc&to={B}", 400, "bad_request"),
        (f"from=nan,nan&to={B}", 400, "bad_request"),
        (f"from={A}&to={B}&profile=unicycle", 400, "bad_request"),
        (f"from={A}&to={B}&max_uphill_pct=101", 400, "bad_request"),
        (f"from={A}&to={B}&max_kerb_cm=x", 400, "bad_request"),
        (f"from=50.77,15.05&to={B}", 422, "outside_area"),
    ],
)
def test_route_errors_are_json(client, query: str, status: int, code: str) -> None:
    r = client.get(f"/api/route?{query}")
    assert r.status_code == status
    body = r.get_json()
    assert body["error"] == code and body["message"]


def test_no_route_is_404_with_reasons(client, helsinki_net) -> None:
    import numpy as np

    from geo.routing.profiles import PROFILES, edge_cost_s

    # a node whose every edge is impassable for the manual wheelchair (e.g. the top of a stairway)
    a = helsinki_net.arrays
    cost = edge_cost_s(a, PROFILES["manual_wheelchair"])
    usable = np.zeros(helsinki_net.n_nodes, bool)
    usable[a.src[np.isfinite(cost)]] = True
    usable[a.dst[np.isfinite(cost)]] = True
    lonely = np.flatnonzero(~usable)
    assert len(lonely)
    found = False
    for i in lonely[:40]:
        lon, lat = helsinki_net.nodes["lon"].iat[i], helsinki_net.nodes["lat"].iat[i]
        r = client.get(f"/api/route?from={lat},{lon}&to={A}&profile=manual_wheelchair")
        if r.status_code == 404:
            body = r.get_json()
            assert body["error"] == "no_route" and body["details"]["reasons"] and "relaxations" in body["details"]
            found = True
            break
    assert found


def test_isochrone(client) -> None:
    r = client.get(f"/api/isochrone?at={A}&profile=electric_wheelchair&minutes=5")
    assert r.status_code == 200
    fc = r.get_json()
    area = fc["features"][0]
    assert area["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert area["properties"]["minutes"] == 5
    assert all(f["properties"]["duration_s"] <= 300 for f in fc["features"][1:])


def test_nearest_services_are_sorted_by_time(client) -> None:
    r = client.get(f"/api/services/nearest?at={A}&profile=walking&limit=4")
    assert r.status_code == 200
    feats = r.get_json()["features"]
    assert 1 <= len(feats) <= 4
    times = [f["properties"]["duration_s"] for f in feats if f["properties"]["reachable"]]
    assert times == sorted(times)


def test_nearest_with_category_and_bad_limit(client) -> None:
    r = client.get(f"/api/services/nearest?at={A}&category=community_centre")
    assert all(f["properties"]["category"] == "community_centre" for f in r.get_json()["features"])
    assert client.get(f"/api/services/nearest?at={A}&limit=0").status_code == 400
    every = client.get(f"/api/services/nearest?at={A}&category=&limit=50").get_json()["features"]
    assert len(every) > len(r.get_json()["features"])  # an empty category means all of them
    bad = client.get(f"/api/services/nearest?at={A}&category=spa")
    assert bad.status_code == 400 and "community_centre" in bad.get_json()["message"]


def test_nearest_accessible_services_only_when_asked(client) -> None:
    every = client.get(f"/api/services/nearest?at={A}&profile=walking&limit=50").get_json()["features"]
    access = {f["properties"]["wheelchair"] for f in every}
    assert "unknown" in access or None in access  # OSM services rarely say
    some = client.get(f"/api/services/nearest?at={A}&profile=walking&limit=50&wheelchair=yes,limited").get_json()
    assert {f["properties"]["wheelchair"] for f in some["features"]} <= {"yes", "limited"}
    assert len(some["features"]) < len(every) and some["properties"]["wheelchair"] == ["yes", "limited"]
    bad = client.get(f"/api/services/nearest?at={A}&wheelchair=maybe")
    assert bad.status_code == 400 and bad.get_json()["details"]["field"] == "wheelchair"


def test_profiles_listed(client) -> None:
    body = client.get("/api/profiles").get_json()
    assert set(body) == {"manual_wheelchair", "electric_wheelchair", "pram", "walking"}
    assert body["manual_wheelchair"]["max_uphill_pct"] == 8.33
    assert body["walking"]["max_uphill_pct"] is None


def test_unknown_api_path_is_json_404(client) -> None:
    r = client.get("/api/nothing-here")
    assert r.status_code == 404 and r.get_json()["error"] == "not_found"


def test_wrong_method_is_json_405(client) -> None:
    r = client.post(f"/api/route?from={A}&to={B}")
    assert r.status_code == 405 and r.get_json()["error"]


def test_a_cut_off_end_is_404_with_the_nearest_connected_place(areas_net, tmp_path) -> None:
    from webmap import create_app

    app = create_app({"TESTING": True, "NETWORK": areas_net, "CACHE_DIR": str(tmp_path),
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    # 14 m from a cut-off fragment, 40 m from the main footway (tests/fixtures/areas.osm)
    r = app.test_client().get("/api/route?from=50.7703593,15.0642613&to=50.77,15.06&profile=walking&lang=cs")
    body = r.get_json()
    assert r.status_code == 404 and body["error"] == "no_route"
    assert body["message"].startswith("Nejbližší cesta u startu není propojená se zbytkem sítě.")
    lat, lon = body["details"]["moves"]["from"]
    assert abs(lat - 50.77) < 2e-5 and body["details"]["reasons"][0]["nearest"]["distance_m"] > 35
    moved = app.test_client().get(f"/api/route?from={lat},{lon}&to=50.77,15.06&profile=walking")
    assert moved.status_code == 200
