"""The layer API on the real Helsinki sample: bbox, cap, truncation, access classes, 400s for bad input."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import shape

from geo import settings
from geo.layers.query import DEFAULT_LIMIT, LAYERS, MAX_LIMIT
from geo.layers.schemas import read_flats
from geo.network.model import Network
from geo.routing.profiles import ACCESS_CLASSES, PROFILES, access_class
from webmap import resources

BBOX = "24.935,60.165,24.945,60.170"
BOX = shapely.box(24.935, 60.165, 24.945, 60.170)


@pytest.mark.parametrize("name", LAYERS)
def test_each_layer_returns_geojson_intersecting_the_bbox(client, name: str) -> None:
    resp = client.get(f"/api/layers/{name}?bbox={BBOX}")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    body = resp.get_json()
    assert body["type"] == "FeatureCollection" and body["layer"] == name
    assert body["count"] == len(body["features"]) <= body["total"] and body["truncated"] is False
    assert body["limit"] == DEFAULT_LIMIT and body["bbox"] == [24.935, 60.165, 24.945, 60.170]
    for f in body["features"]:
        assert shape(f["geometry"]).intersects(BOX)


def test_counts_match_a_full_scan(client, helsinki_net: Network) -> None:
    drawn = helsinki_net.edges[~helsinki_net.edges["across_area"].astype(bool)]  # not the lines across plazas
    for name, frame in (("buildings", helsinki_net.buildings), ("network", drawn)):
        body = client.get(f"/api/layers/{name}?bbox={BBOX}&limit={MAX_LIMIT}").get_json()
        assert body["total"] == int(frame.intersects(BOX).sum()) > 50


def test_the_cap_truncates_and_says_so(client) -> None:
    body = client.get(f"/api/layers/network?bbox={BBOX}&limit=25").get_json()
    assert body["count"] == 25 and body["truncated"] is True and body["total"] > 25


def test_network_has_the_access_class_per_profile_and_direction(client, helsinki_net: Network) -> None:
    a = helsinki_net.arrays
    seen = {}
    for profile in ("manual_wheelchair", "pram", "walking"):
        body = client.get(f"/api/layers/network?bbox={BBOX}&profile={profile}&limit={MAX_LIMIT}").get_json()
        assert body["profile"] == profile and body["access_classes"] == list(ACCESS_CLASSES)
        expected = access_class(a, PROFILES[profile])
        for f in body["features"][:400]:
            p = f["properties"]
            fwd = expected[(a.edge_id == p["edge_id"]) & a.forward][0]
            bwd = expected[(a.edge_id == p["edge_id"]) & ~a.forward][0]
            assert (p["access_forward"], p["access_backward"]) == (ACCESS_CLASSES[fwd], ACCESS_CLASSES[bwd])
            assert p["access"] == ACCESS_CLASSES[min(fwd, bwd)]
        seen[profile] = [f["properties"]["access"] for f in body["features"]]
    assert seen["manual_wheelchair"].count("impassable") > seen["walking"].count("impassable")
    default = client.get(f"/api/layers/network?bbox={BBOX}&limit=5").get_json()
    assert default["profile"] == "manual_wheelchair"


def test_steps_are_impassable_for_a_wheelchair(client) -> None:
    body = client.get(f"/api/layers/network?bbox={BBOX}&limit={MAX_LIMIT}").get_json()
    steps = [f["properties"] for f in body["features"] if f["properties"]["is_steps"]]
    assert steps and all(p["access"] == "impassable" for p in steps)


def test_services_without_bbox_list_unlocated_records(client) -> None:
    body = client.get("/api/layers/services").get_json()
    by_id = {f["properties"]["id"]: f for f in body["features"]}
    assert by_id["palac-liebieg"]["geometry"] is None  # Helsinki has no Liberec addresses: listed, not drawn
    assert by_id["palac-liebieg"]["properties"]["name"]["en"].startswith("Liebieg Palace")
    assert body["unlocated"] >= 22
    in_box = client.get(f"/api/layers/services?bbox={BBOX}").get_json()
    assert all(f["geometry"] for f in in_box["features"])
    with_unlocated = client.get(f"/api/layers/services?bbox={BBOX}&unlocated=1").get_json()
    assert with_unlocated["total"] == in_box["total"] + body["unlocated"]


def test_flats_layer_reports_programme_progress(client) -> None:
    body = client.get("/api/layers/flats").get_json()
    assert {p["programme"] for p in body["programme_progress"]} == {"reconstruction_150", "cooperative_100"}
    assert body["total"] == len(read_flats(settings.FLATS_FILE).features)


def test_stops_layer_on_the_liberec_app(liberec_client) -> None:
    body = liberec_client.get("/api/layers/stops?bbox=14.9,50.7,15.2,50.82").get_json()
    assert body["total"] == 212 and body["wheelchair_summary"] == {"accessible": 29, "not_accessible": 182,
                                                                   "unknown": 1}
    p = next(f["properties"] for f in body["features"] if f["properties"]["stop_id"] == "111")
    assert p["wheelchair_boarding"] == 2 and p["routes"] == ["22", "91"]


def test_layer_index(client) -> None:
    layers = {entry["name"]: entry for entry in client.get("/api/layers").get_json()["layers"]}
    assert set(layers) == set(LAYERS) and layers["buildings"]["features"] == 486


@pytest.mark.parametrize("url", [
    "/api/layers/parks?bbox=" + BBOX,
    "/api/layers/network?bbox=1,2,3",
    "/api/layers/network?bbox=a,b,c,d",
    "/api/layers/network?bbox=24.9,60.2,24.8,60.1",
    "/api/layers/network?bbox=24.9,60.1,24.9,60.2",
    "/api/layers/network?bbox=nan,60.1,25,60.2",
    "/api/layers/network?bbox=24,60,25,91",
    "/api/layers/buildings",
    "/api/layers/network?bbox=" + BBOX + "&limit=0",
    "/api/layers/network?bbox=" + BBOX + "&limit=100001",
    "/api/layers/network?bbox=" + BBOX + "&limit=ten",
    "/api/layers/network?bbox=" + BBOX + "&profile=tank",
])
def test_bad_input_is_a_400_json(client, url: str) -> None:
    resp = client.get(url)
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["error"] == "bad_request" and isinstance(body["message"], str) and body["message"]


def test_service_targets_for_routing_are_the_placed_services(liberec_app) -> None:
    with liberec_app.app_context():
        targets = resources.layers().service_targets()
        services = resources.service_targets()  # the routing module's array view accepts them as they are
    assert "palac-liebieg" in set(targets["id"]) and "housing-first" not in set(targets["id"])
    assert targets.geometry.notna().all()
    assert len(services) == len(targets) and len(services.select("community_centre")) >= 2


def test_the_base_map_is_cut_to_the_view(client, helsinki_net: Network) -> None:
    body = client.get(f"/api/layers/basemap?bbox={BBOX}").get_json()
    kinds = {f["properties"]["kind"] for f in body["features"]}
    assert {"road", "built", "rail"} <= kinds
    grown = shapely.box(24.934, 60.1645, 24.946, 60.1705)  # the view and a tenth around it
    assert all(shapely.covered_by(shape(f["geometry"]), grown.buffer(1e-9)) for f in body["features"])


def test_street_names_lie_along_their_streets_once_per_view(client, helsinki_net: Network) -> None:
    body = client.get(f"/api/layers/labels?bbox={BBOX}").get_json()
    names = [f["properties"]["name"] for f in body["features"]]
    assert len(names) == len(set(names)) >= 5 and "Aleksanterinkatu" in names
    e = helsinki_net.edges
    for f in body["features"]:
        street = e[e["name"] == f["properties"]["name"]].geometry.to_numpy()
        pt = shape(f["geometry"])
        assert BOX.covers(pt) and -90 <= f["properties"]["angle"] <= 90
        if len(street):
            assert min(shapely.distance(street, pt)) < 2e-4  # on (or beside) its street
