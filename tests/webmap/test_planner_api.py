"""The planner API on the hand-made planner city: ranking, exports, detail, what-if, package, errors, reports."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from geo.network.model import Network

Q = "minutes=5&origins=buildings"
FIELDS = {"rank", "barrier_id", "category", "severity", "source", "source_id", "gain", "pairs_opened",
          "origins_helped", "destinations_opened", "time_saved_s", "location", "osm_way_id"}


@pytest.fixture
def client(planner_app):
    return planner_app.test_client()


def _steps_id(net: Network, way: int) -> str:
    return f"edge-{int((net.edge_col('osm_way_id') == way).nonzero()[0][0])}-steps"


def test_the_ranking_as_json(client: Any, planner_net: Network) -> None:
    body = client.get(f"/api/planner/barriers?{Q}").get_json()
    props = [f["properties"] for f in body["features"]]
    assert set(props[0]) >= FIELDS
    assert props[0]["barrier_id"] == _steps_id(planner_net, 202)
    assert [(p["rank"], p["gain"], p["pairs_opened"]) for p in props] == [(1, 6.0, 4), (2, 0.0, 0), (3, 0.0, 0)]
    assert props[0]["source"] == "osm" and props[0]["source_id"] == "way/202" and props[0]["osm_way_id"] == 202
    assert body["total"] == 3 and body["reason"] is None and "5 min" in body["method"]
    assert body["counts"]["origins_placed"] == 4 and body["counts"]["destinations_placed"] == 2


def test_csv_and_geojson_downloads_carry_the_same_ranking(client: Any) -> None:
    ranked = [f["properties"]["barrier_id"] for f in client.get(f"/api/planner/barriers?{Q}").get_json()["features"]]
    r = client.get(f"/api/planner/barriers?{Q}&format=csv")
    assert r.mimetype == "text/csv" and "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    g = client.get(f"/api/planner/barriers?{Q}&format=geojson")
    assert g.mimetype == "application/geo+json" and g.headers["Content-Disposition"].endswith('.geojson"')
    fc = json.loads(g.get_data(as_text=True))
    assert [row["barrier_id"] for row in rows] == [f["properties"]["barrier_id"] for f in fc["features"]] == ranked
    assert [float(row["gain"]) for row in rows] == [f["properties"]["gain"] for f in fc["features"]]


def test_filters(client: Any) -> None:
    steps = client.get(f"/api/planner/barriers?{Q}&category=steps&min_severity=3&limit=2").get_json()
    assert [f["properties"]["rank"] for f in steps["features"]] == [1, 2] and steps["truncated"]
    assert client.get(f"/api/planner/barriers?{Q}&category=obstacle").get_json()["features"] == []
    far = client.get(f"/api/planner/barriers?{Q}&bbox=16,51,16.1,51.1").get_json()
    assert far["features"] == [] and far["total"] == 3


def test_one_barrier_in_detail(client: Any, planner_net: Network) -> None:
    body = client.get(f"/api/planner/barriers/{_steps_id(planner_net, 202)}?{Q}").get_json()
    roles = [f["properties"]["role"] for f in body["features"]]
    assert roles.count("barrier") == 1 and roles.count("origin") == 2 and roles.count("destination") == 2
    assert body["gain"] == 6.0 and body["rank"] == 1 and 1 <= len(body["examples"]) <= 5
    ex = body["examples"][0]
    assert ex["before_s"] is None and 0 < ex["after_s"] <= 300 and {"origin", "destination"} <= set(ex)


def test_what_if_two_flights_together(client: Any, planner_net: Network) -> None:
    ids = [_steps_id(planner_net, 204), _steps_id(planner_net, 205)]
    body = client.post("/api/planner/whatif", json={"barriers": ids, "minutes": 5, "origins": "buildings"}).get_json()
    assert body["gain"] == 2.0 and body["sum_of_single_gains"] == 0.0
    homes = [f["properties"]["name"] for f in body["features"] if f["properties"]["role"] == "origin"]
    assert homes == ["Terasa 7"]


def test_the_greedy_package(client: Any, planner_net: Network) -> None:
    body = client.get(f"/api/planner/package?k=3&{Q}").get_json()
    assert body["greedy"] is True and [s["barrier_id"] for s in body["steps"]] == [_steps_id(planner_net, 202)]
    assert body["stopped"] == "no_more_gain" and body["gain"] == 6.0


@pytest.mark.parametrize(("method", "url", "body", "status", "field"), [
    ("get", "/api/planner/barriers?profile=rocket", None, 400, "profile"),
    ("get", "/api/planner/barriers?minutes=4", None, 400, "minutes"),
    ("get", "/api/planner/barriers?minutes=61", None, 400, "minutes"),
    ("get", "/api/planner/barriers?minutes=abc", None, 400, "minutes"),
    ("get", "/api/planner/barriers?origins=castles", None, 400, "origins"),
    ("get", "/api/planner/barriers?format=xlsx", None, 400, "format"),
    ("get", "/api/planner/barriers?category=dragons", None, 400, "category"),
    ("get", "/api/planner/barriers?min_severity=4", None, 400, "min_severity"),
    ("get", "/api/planner/barriers?bbox=1,2,3", None, 400, "bbox"),
    ("get", "/api/planner/barriers/edge-0-nothing?minutes=5", None, 404, "id"),
    ("get", "/api/planner/package?k=0", None, 400, "k"),
    ("get", "/api/planner/package?k=51", None, 400, "k"),
    ("post", "/api/planner/whatif", {"barriers": ["x"] * 201}, 400, "barriers"),
    ("post", "/api/planner/whatif", {"barriers": ["report-99"]}, 400, "barriers"),
    ("post", "/api/planner/whatif", {"barriers": "edge-1-steps"}, 400, "barriers"),
    ("post", "/api/planner/whatif", {"barriers": [], "minutes": 0}, 400, "minutes"),
])
def test_bad_input_is_an_error_with_the_contract(client: Any, method: str, url: str, body: dict | None, status: int,
                                                 field: str) -> None:
    r = client.post(url, json=body) if method == "post" else client.get(url)
    assert r.status_code == status
    err = r.get_json()
    assert set(err) == {"error", "message", "details"} and err["details"]["field"] == field
    assert err["error"] == ("not_found" if status == 404 else "bad_request")


def test_errors_speak_the_request_language(client: Any) -> None:
    cs = client.get("/api/planner/barriers?minutes=99").get_json()["message"]
    en = client.get("/api/planner/barriers?minutes=99", headers={"Accept-Language": "en"}).get_json()["message"]
    assert cs == "minutes: smí být nejvýše 60" and en == "minutes: must be at most 60"


def test_no_homes_is_an_empty_ranking_with_a_reason(client: Any) -> None:
    body = client.get("/api/planner/barriers?origins=flats&lang=en").get_json()
    assert body["features"] == [] and body["reason"] == "no_origins" and "homes" in body["message"]
    assert client.get("/api/planner/barriers?origins=flats&format=csv").get_data(as_text=True).count("\n") == 1


def test_a_confirmed_report_changes_the_ranking(planner_app: Any, client: Any, login: Any,
                                                planner_net: Network) -> None:
    """A submitted report changes nothing; once a moderator confirms it, it is ranked and the steps gain less."""
    steps = _steps_id(planner_net, 202)

    def gains() -> dict[str, float]:
        fc = client.get(f"/api/planner/barriers?{Q}").get_json()
        return {f["properties"]["barrier_id"]: f["properties"]["gain"] for f in fc["features"]}

    before = gains()
    # on the lower street (one edge from the foot of the steps past S1, H3 and S2): closes it
    lat, lon = 50.7703597, 15.052395
    r = client.post("/api/reports", json={"lat": lat, "lon": lon, "category": "obstacle", "severity": 3})
    assert r.status_code == 201, r.get_json()
    rid = r.get_json()["id"]
    assert gains() == before
    headers = login(planner_app, client)
    r = client.post(f"/api/reports/{rid}/status", json={"status": "confirmed"}, headers=headers)
    assert r.status_code == 200, r.get_json()
    after = gains()
    assert f"report-{rid}" in after and after[f"report-{rid}"] > 0
    assert after[steps] < before[steps]


def test_norms_and_coverage(client: Any) -> None:
    norms = client.get("/api/planner/norms").get_json()
    assert norms["totals"]["status_km"]["not_compliant"] > 0 and "features" not in norms
    assert "398/2009" in norms["law"]
    fc = client.get("/api/planner/norms?bbox=15.04,50.76,15.06,50.78").get_json()
    assert fc["count"] == 6 and {f["properties"]["status"] for f in fc["features"]} == {"compliant", "not_compliant"}
    steps = [f for f in fc["features"] if f["properties"]["status"] == "not_compliant"]
    assert all(set(f["properties"]["failed"]) == {"longitudinal_slope", "steps"} for f in steps)  # 45 % steps
    cov = client.get("/api/planner/coverage").get_json()
    assert cov["kind"] == "district" and cov["zones"] == 2
    assert {f["properties"]["name"] for f in cov["features"]} == {"Horní část", "Dolní část"}


def test_the_planner_page_and_the_header_link(client: Any) -> None:
    html = client.get("/planner").get_data(as_text=True)
    assert "Které bariéry odstranit nejdřív" in html and "planner-page.js" in html and "398/2009" in html
    assert '<html lang="en">' in client.get("/planner?lang=en").get_data(as_text=True)
    assert 'href="/planner"' in client.get("/moderation").get_data(as_text=True)
