"""Open311 GeoReport v2 over HTTP: services, a request's round trip, filters and the error format."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

import pytest
from PIL import Image

from geo.reports.database import REPORTS
from geo.reports.model import CATEGORIES, LOCAL_TZ, utcnow

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
    assert req["description"] == "" and "jana@example.cz" not in str(req)  # text public after moderation
    assert req["extended_attributes"]["severity"] == 3 and req["requested_datetime"].endswith("Z")
    # the same report in the JSON API, with the contact kept for moderators
    headers = login(app, client)
    assert client.get(f"/open311/v2/requests/{rid}.json").get_json()[0]["description"] == FORM["description"]
    mine = client.get(f"/api/reports/{rid}").get_json()
    assert mine["source"] == "open311" and mine["contact"] == "Jana, jana@example.cz"
    for status, open311 in (("confirmed", "open"), ("in_progress", "open"), ("fixed", "closed")):
        assert client.post(f"/api/reports/{rid}/status", json={"status": status, "note": "ok"},
                           headers=headers).status_code == 200
        req = client.get(f"/open311/v2/requests/{rid}.json").get_json()[0]
        assert req["status"] == open311 and req["status_notes"] == f"{status}: ok"
        public = app.test_client().get(f"/open311/v2/requests/{rid}.json").get_json()[0]
        assert public["description"] == FORM["description"]
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


def test_media_upload_and_url(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(buf, "JPEG")
    r = client.post("/open311/v2/requests.json", data={**FORM, "media": (io.BytesIO(buf.getvalue()), "x.jpg")},
                    content_type="multipart/form-data")
    assert r.status_code == 201
    rid = r.get_json()[0]["service_request_id"]
    assert client.get(f"/open311/v2/requests/{rid}.json").get_json()[0]["media_url"] == ""  # not yet moderated
    client.post(f"/api/reports/{rid}/status", json={"status": "confirmed"}, headers=login(app, client))
    client = app.test_client()
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
    ({"lat": "50.77", "long": "15.05"}, 422, "mimo oblast"),  # Czech unless the client asks otherwise
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
    client = make_reports_app(REPORTS_RATE_LIMIT=3).test_client()
    bot = create(client, website="http://spam.example")  # caught, but it counts against the limit
    assert bot.status_code == 201 and bot.get_json()[0]["service_request_id"] is None
    assert create(client).status_code == 201
    assert client.post("/api/reports", json={"lat": 60.17, "lon": 24.945, "category": "steps",
                                             "severity": 1}).status_code == 201
    r = create(client)
    assert_open311_error(r, 429)
    assert r.headers["Retry-After"]
    assert len(client.get("/open311/v2/requests.json").get_json()) == 2
    bot = create(client, website="http://spam.example")  # over the limit, still looks accepted
    assert bot.status_code == 201 and bot.get_json()[0]["service_request_id"] is None


def test_oversized_requests_get_413_in_the_open311_format(make_reports_app: Any) -> None:
    client = make_reports_app().test_client()
    big = {**FORM, "media": (io.BytesIO(b"\xff\xd8\xff" + b"\x00" * (7 * 1024 * 1024)), "x.jpg")}
    r = client.post("/open311/v2/requests.json", data=big, content_type="multipart/form-data")
    assert_open311_error(r, 413)


HUGE = "100000000000000000000000"


@pytest.mark.parametrize(("url", "status"), [
    (f"/open311/v2/requests/{HUGE}.json", 404),
    (f"/open311/v2/requests/{2**63}.json", 404),
    (f"/open311/v2/requests.json?service_request_id={HUGE}", 400),
    (f"/open311/v2/requests.json?service_request_id=1,{HUGE}", 400),
    ("/open311/v2/requests.json?start_date=0001-01-01", 400),
    ("/open311/v2/requests.json?start_date=9999-12-31T23:59:59-05:00", 400),
    ("/open311/v2/requests.json?end_date=9999-12-31", 400),
])
def test_huge_numbers_and_dates_are_open311_errors(make_reports_app: Any, url: str, status: int) -> None:
    client = make_reports_app().test_client()
    create(client)
    assert_open311_error(client.get(url), status)


def test_a_bare_end_date_includes_that_whole_day(make_reports_app: Any) -> None:
    client = make_reports_app().test_client()
    rid = create(client).get_json()[0]["service_request_id"]
    created = client.get(f"/open311/v2/requests/{rid}.json").get_json()[0]["requested_datetime"]
    day = datetime.fromisoformat(created).astimezone(LOCAL_TZ).date()
    resp = client.get(f"/open311/v2/requests.json?start_date={day}&end_date={day}")
    assert resp.status_code == 200
    assert [x["service_request_id"] for x in resp.get_json()] == [rid]
    before = client.get(f"/open311/v2/requests.json?start_date={day - timedelta(days=3)}"
                        f"&end_date={day - timedelta(days=1)}").get_json()
    assert before == []


def test_the_status_filter_runs_before_the_request_limit(make_reports_app: Any, login: Any) -> None:
    from webmap import resources
    from webmap.open311 import MAX_REQUESTS

    app = make_reports_app()
    client = app.test_client()
    old = create(client).get_json()[0]["service_request_id"]
    headers = login(app, client)
    for status in ("confirmed", "in_progress", "fixed"):
        client.post(f"/api/reports/{old}/status", json={"status": status}, headers=headers)
    with app.app_context():  # MAX_REQUESTS newer open requests, written in one transaction
        store = resources.reports()
        now = utcnow()
        with store.db.engine.begin() as conn:
            conn.execute(REPORTS.insert(), [
                {"created_at": now, "updated_at": now, "lat": 60.17, "lon": 24.94, "category": "steps",
                 "severity": 2, "description": "", "status": "submitted", "source": "web"}
                for _ in range(MAX_REQUESTS)])
    public = app.test_client()
    closed = public.get("/open311/v2/requests.json?status=closed").get_json()
    assert [x["service_request_id"] for x in closed] == [old]
    opened = public.get("/open311/v2/requests.json?status=open").get_json()
    assert len(opened) == MAX_REQUESTS and all(x["status"] == "open" for x in opened)
    assert len(public.get("/open311/v2/requests.json?status=open,closed").get_json()) == MAX_REQUESTS


def test_unmoderated_requests_hide_their_text_and_media(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    ids = [create(client, description=f"r{i}").get_json()[0]["service_request_id"] for i in range(3)]
    headers = login(app, client)
    client.post(f"/api/reports/{ids[1]}/status", json={"status": "confirmed"}, headers=headers)
    client.post(f"/api/reports/{ids[2]}/status", json={"status": "rejected"}, headers=headers)
    public = {x["service_request_id"]: x for x in app.test_client().get("/open311/v2/requests.json").get_json()}
    assert {k: v["description"] for k, v in public.items()} == {ids[0]: "", ids[1]: "r1", ids[2]: ""}
    assert public[ids[0]]["extended_attributes"]["detailed_status"] == "submitted"
    assert public[ids[0]]["service_code"] == FORM["service_code"]
    private = {x["service_request_id"]: x for x in client.get("/open311/v2/requests.json").get_json()}
    assert {k: v["description"] for k, v in private.items()} == {ids[0]: "r0", ids[1]: "r1", ids[2]: "r2"}
