"""Open311 GeoReport v2 over HTTP: services, a request's round trip, filters and the error format."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from geo.reports import CATEGORIES

FORM = {"service_code": "missing_curb_ramp", "lat": "60.1705", "long": "24.9440",
        "description": "Chybí nájezd u přechodu", "email": "jana@example.cz", "first_name": "Jana",
        "attribute[severity]": "3"}


def create(client: Any, **fields: Any) -> Any:
    return client.post("/open311/v2/requests.json", data={**FORM, **fields})


def assert_open311_error(resp: Any, status: int) -> str:
    assert resp.status_code == status
    body = resp.get_json()
    assert isinstance(body, list) and body[0]["code"] == status and body[0]["description"]
    return body[0]["description"]


def test_one_service_per_category(make_reports_app: Any) -> None:
    client = make_reports_app().test_client()
    services = client.get("/open311/v2/services.json").get_json()
    assert [s["service_code"] for s in services] == list(CATEGORIES)
    assert all(s["service_name"] and s["type"] == "realtime" and s["metadata"] is True for s in services)
    definition = client.get("/open311/v2/services/steps.json").get_json()
    codes = {a["code"]: a for a in definition["attributes"]}
    assert [v["key"] for v in codes["severity"]["values"]] == ["1", "2", "3"]
    assert codes["valid_until"]["datatype"] == "datetime"
    assert_open311_error(client.get("/open311/v2/services/pothole.json"), 404)


def test_round_trip_from_open_to_closed(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    r = create(client)
    assert r.status_code == 201
    rid = r.get_json()[0]["service_request_id"]
    assert rid.isdigit() and r.get_json()[0]["service_notice"]
    got = client.get(f"/open311/v2/requests/{rid}.json").get_json()
    assert len(got) == 1
    req = got[0]
    assert req["status"] == "open" and req["service_code"] == "missing_curb_ramp"
    assert (req["lat"], req["long"]) == (60.1705, 24.944)
    assert req["description"] == FORM["description"] and "jana@example.cz" not in str(req)
    assert req["extended_attributes"]["severity"] == 3 and req["requested_datetime"].endswith("Z")
    # the same report in the JSON API, with the contact kept for moderators
    headers = login(app, client)
    mine = client.get(f"/api/reports/{rid}").get_json()
    assert mine["source"] == "open311" and mine["contact"] == "Jana, jana@example.cz"
    for status, open311 in (("confirmed", "open"), ("in_progress", "open"), ("fixed", "closed")):
        assert client.post(f"/api/reports/{rid}/status", json={"status": status, "note": "ok"},
                           headers=headers).status_code == 200
        req = client.get(f"/open311/v2/requests/{rid}.json").get_json()[0]
        assert req["status"] == open311 and req["status_notes"] == f"{status}: ok"
    listed = client.get("/open311/v2/requests.json?status=closed").get_json()
    assert [x["service_request_id"] for x in listed] == [rid]
    assert client.get("/open311/v2/requests.json?status=open").get_json() == []


def test_request_filters(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    a = create(client).get_json()[0]["service_request_id"]
    b = create(client, service_code="steps").get_json()[0]["service_request_id"]
    c = create(client, service_code="obstacle").get_json()[0]["service_request_id"]
    headers = login(app, client)
    client.post(f"/api/reports/{c}/status", json={"status": "rejected"}, headers=headers)

    def ids(query: str) -> list[str]:
        resp = client.get(f"/open311/v2/requests.json?{query}")
        assert resp.status_code == 200, resp.get_json()
        return [x["service_request_id"] for x in resp.get_json()]

    assert ids("") == [c, b, a]
    assert ids("service_code=steps") == [b]
    assert ids("service_code=steps,missing_curb_ramp") == [b, a]
    assert ids(f"service_request_id={a},{c}") == [c, a]
    assert ids("status=open") == [b, a]
    assert ids("status=closed") == [c]
    assert ids("start_date=2000-01-01T00:00:00Z&end_date=2000-12-31") == []
    assert ids("start_date=2000-01-01") == [c, b, a]


def test_media_upload_and_url(make_reports_app: Any) -> None:
    client = make_reports_app().test_client()
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(buf, "JPEG")
    r = client.post("/open311/v2/requests.json", data={**FORM, "media": (io.BytesIO(buf.getvalue()), "x.jpg")},
                    content_type="multipart/form-data")
    assert r.status_code == 201
    rid = r.get_json()[0]["service_request_id"]
    url = client.get(f"/open311/v2/requests/{rid}.json").get_json()[0]["media_url"]
    assert url.startswith("http") and url.endswith(".jpg")
    assert client.get(url.split("localhost", 1)[1]).mimetype == "image/jpeg"


def test_severity_defaults_to_two(make_reports_app: Any) -> None:
    client = make_reports_app().test_client()
    form = {k: v for k, v in FORM.items() if k != "attribute[severity]"}
    rid = client.post("/open311/v2/requests.json", data=form).get_json()[0]["service_request_id"]
    assert client.get(f"/api/reports/{rid}").get_json()["severity"] == 2


@pytest.mark.parametrize(("change", "status", "needle"), [
    ({"service_code": "pothole"}, 400, "category"),
    ({"service_code": ""}, 400, "service_code"),
    ({"lat": "abc"}, 400, "lat"),
    ({"attribute[severity]": "9"}, 400, "severity"),
    ({"lat": "50.77", "long": "15.05"}, 422, "outside"),
])
def test_errors_use_the_open311_format(make_reports_app: Any, change: dict[str, str], status: int,
                                       needle: str) -> None:
    client = make_reports_app().test_client()
    assert needle in assert_open311_error(create(client, **change), status)


def test_address_only_requests_and_unknown_ids(make_reports_app: Any) -> None:
    client = make_reports_app().test_client()
    form = {k: v for k, v in FORM.items() if k not in ("lat", "long")}
    r = client.post("/open311/v2/requests.json", data={**form, "address_string": "Komenského 1, Liberec"})
    assert "address_string" in assert_open311_error(r, 400)
    assert_open311_error(client.get("/open311/v2/requests/4242.json"), 404)
    assert_open311_error(client.get("/open311/v2/requests.json?status=pending"), 400)
    assert_open311_error(client.get("/open311/v2/requests.json?service_request_id=x"), 400)
    assert_open311_error(client.get("/open311/v2/requests.json?start_date=yesterday"), 400)


def test_open311_shares_the_rate_limit_and_the_honeypot(make_reports_app: Any) -> None:
    client = make_reports_app(REPORTS_RATE_LIMIT=2).test_client()
    bot = create(client, website="http://spam.example")
    assert bot.status_code == 201 and bot.get_json()[0]["service_request_id"] is None
    assert create(client).status_code == 201
    assert client.post("/api/reports", json={"lat": 60.17, "lon": 24.945, "category": "steps",
                                             "severity": 1}).status_code == 201
    r = create(client)
    assert_open311_error(r, 429)
    assert r.headers["Retry-After"]
    assert len(client.get("/open311/v2/requests.json").get_json()) == 2


def test_oversized_requests_get_413_in_the_open311_format(make_reports_app: Any) -> None:
    client = make_reports_app().test_client()
    big = {**FORM, "media": (io.BytesIO(b"\xff\xd8\xff" + b"\x00" * (7 * 1024 * 1024)), "x.jpg")}
    r = client.post("/open311/v2/requests.json", data=big, content_type="multipart/form-data")
    assert_open311_error(r, 413)
