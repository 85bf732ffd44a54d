"""The housing API on the hand-made housing city: a point's and a flat's card, the flats by score, files, errors,
the request language and confirmed reports."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from geo import i18n
from geo.analysis.destinations import CATEGORIES

UPPER = (50.7803597, 15.0736)  # on Nad Sokolovnou, between the flats and the supermarket


@pytest.fixture
def client(housing_app):
    return housing_app.test_client()


def test_the_card_of_any_point(client: Any) -> None:
    r = client.get(f"/api/housing/reach?at={UPPER[0]},{UPPER[1]}&profile=manual_wheelchair&lang=en")
    assert r.status_code == 200
    card = r.get_json()
    assert card["profile"] == "manual_wheelchair" and [c["category"] for c in card["categories"]] == list(CATEGORIES)
    cats = {c["category"]: c for c in card["categories"]}
    assert cats["grocery"]["status"] == "reachable" and cats["grocery"]["text"].startswith("Potraviny Nahoře")
    assert cats["pharmacy"]["status"] == "unreachable" and "steps" in cats["pharmacy"]["reason"]["message"]
    assert cats["kindergarten"]["text"] == i18n.text("housing.no_data", "en")
    assert card["score"]["value"] is not None and "÷" in card["score"]["formula"]
    walking = client.get(f"/api/housing/reach?at={UPPER[0]},{UPPER[1]}&profile=walking").get_json()
    assert {c["category"]: c["status"] for c in walking["categories"]}["pharmacy"] == "reachable"
    assert walking["score"]["value"] > card["score"]["value"]


def test_the_card_of_a_city_flat_in_czech(client: Any) -> None:
    card = client.get("/api/housing/reach?flat=flats-ceska-617").get_json()
    assert card["profile"] == "manual_wheelchair"  # the default
    assert card["home"]["flat"]["address"] == "Česká 617, Liberec"
    assert card["home"]["entrance"]["text"] == "Vstup se schody"
    assert card["categories"][0]["label"] == "Zastávka s bezbariérovým nástupem"


def test_the_flats_by_score_and_the_minimum(client: Any) -> None:
    body = client.get("/api/housing/flats?profile=manual_wheelchair").get_json()
    props = [f["properties"] for f in body["features"]]
    scored = [p["score"] for p in props if p["score"] is not None]
    assert len(scored) == 3 and scored == sorted(scored, reverse=True) and body["total"] == len(props)
    assert props[-1]["score"] is None and body["features"][-1]["geometry"] is None  # unplaced flats last
    assert "10 min" in body["score_definition"]
    cut = sorted(scored)[1]
    high = client.get(f"/api/housing/flats?min_score={cut}").get_json()
    assert high["count"] == 2 and all(f["properties"]["score"] >= cut for f in high["features"])
    assert high["min_score"] == cut and high["total"] == body["total"]


def test_csv_and_geojson_carry_the_same_flats(client: Any) -> None:
    js = client.get("/api/housing/flats?profile=pram").get_json()
    r = client.get("/api/housing/flats?profile=pram&format=csv")
    assert r.mimetype == "text/csv" and "flats-reach-pram.csv" in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert [row["id"] for row in rows] == [f["properties"]["id"] for f in js["features"]]
    assert rows[0]["score"] == str(js["features"][0]["properties"]["score"])
    g = client.get("/api/housing/flats?profile=pram&format=geojson")
    assert g.mimetype == "application/geo+json" and g.get_json()["features"] == js["features"]


@pytest.mark.parametrize(("url", "status", "field"), [
    ("/api/housing/reach?at=50.78036,15.0736&profile=rocket", 400, "profile"),
    ("/api/housing/reach", 400, "at"),
    ("/api/housing/reach?at=abc", 400, "at"),
    ("/api/housing/reach?at=50.78036,15.2", 422, None),  # 9 km off the map
    ("/api/housing/reach?flat=no-such-flat", 404, "flat"),
    ("/api/housing/reach?flat=flats-krajni", 422, "flat"),  # not placed on this map
    ("/api/housing/flats?min_score=101", 400, "min_score"),
    ("/api/housing/flats?min_score=-1", 400, "min_score"),
    ("/api/housing/flats?min_score=many", 400, "min_score"),
    ("/api/housing/flats?profile=rocket", 400, "profile"),
    ("/api/housing/flats?format=xlsx", 400, "format"),
])
def test_bad_input_is_an_error_with_the_contract(client: Any, url: str, status: int, field: str | None) -> None:
    r = client.get(url)
    assert r.status_code == status
    err = r.get_json()
    assert set(err) == {"error", "message", "details"}
    assert err["error"] == {400: "bad_request", 404: "not_found", 422: "outside_area"}[status]
    if field:
        assert err["details"]["field"] == field


def test_errors_speak_the_request_language(client: Any) -> None:
    cs = client.get("/api/housing/flats?min_score=101").get_json()["message"]
    en = client.get("/api/housing/flats?min_score=101", headers={"Accept-Language": "en"}).get_json()["message"]
    assert cs == i18n.text("request.out_of_range", "cs", field="min_score", min=0, max=100, value="101")
    assert en == i18n.text("request.out_of_range", "en", field="min_score", min=0, max=100, value="101")


def test_a_confirmed_report_changes_the_cards(housing_app: Any, client: Any, login: Any) -> None:
    """A confirmed obstacle on the upper street cuts the flat from the supermarket; a submitted one does not."""

    def grocery() -> str:
        card = client.get("/api/housing/reach?flat=flats-nad-sokolovnou-616").get_json()
        return {c["category"]: c["status"] for c in card["categories"]}["grocery"]

    assert grocery() == "reachable"
    r = client.post("/api/reports", json={"lat": 50.7803597, "lon": 15.0721335, "category": "obstacle",
                                          "severity": 3})
    assert r.status_code == 201, r.get_json()
    assert grocery() == "reachable"
    r = client.post(f"/api/reports/{r.get_json()['id']}/status", json={"status": "confirmed"},
                    headers=login(housing_app, client))
    assert r.status_code == 200, r.get_json()
    assert grocery() == "unreachable"
    card = client.get("/api/housing/reach?flat=flats-nad-sokolovnou-616&lang=en").get_json()
    reasons = {c["category"]: c for c in card["categories"]}["grocery"]["reason"]["reasons"]
    assert [r["reason"] for r in reasons] == ["reported_barrier"]
