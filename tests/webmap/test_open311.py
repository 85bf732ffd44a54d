"""Open311 GeoReport v2 and Service Discovery over HTTP: XML and JSON with the same data, the standard's
filters, errors and parameter names, API keys, the listing policy, and the georeport client against a live
server (on SQLite and PostgreSQL where the store is involved)."""

from __future__ import annotations

import contextlib
import io
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from georeport import GeoReport
from PIL import Image
from werkzeug.serving import make_server

from geo.reports.database import EVENTS, REPORTS
from geo.reports.model import CATEGORIES, LOCAL_TZ, iso, utcnow
from tests.webmap.test_open311_xml import as_text, parse, spark
from webmap import resources

FORM = {"service_code": "missing_curb_ramp", "lat": "60.1705", "long": "24.9440",
        "description": "Chybí nájezd u přechodu", "email": "jana@example.cz", "first_name": "Jana",
        "attribute[severity]": "3"}
V2 = "/open311/v2"


def create(client: Any, url: str = f"{V2}/requests.json", **fields: Any) -> Any:
    return client.post(url, data={**FORM, **fields})


def create_with_photo(client: Any, **fields: Any) -> Any:
    return client.post(f"{V2}/requests.json", data={**FORM, **fields, "media": (io.BytesIO(jpeg()), "x.jpg")},
                       content_type="multipart/form-data")


def rid_of(resp: Any) -> str:
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return resp.get_json()[0]["service_request_id"]


def move(client: Any, headers: dict[str, str], rid: str, *statuses: str, note: str | None = None) -> None:
    for status in statuses:
        r = client.post(f"/api/reports/{rid}/status", json={"status": status, "note": note}, headers=headers)
        assert r.status_code == 200, r.get_json()


def assert_open311_error(resp: Any, status: int) -> str:
    """The error's description, after checking the standard's shape (JSON or XML by the URL)."""
    assert resp.status_code == status, resp.get_data(as_text=True)
    if resp.mimetype == "text/xml":
        errors = spark(parse(resp.data, "errors"))
        assert errors[0]["code"] == str(status) and errors[0]["description"]
        return errors[0]["description"]
    body = resp.get_json()
    assert isinstance(body, list) and body[0]["code"] == status and body[0]["description"]
    assert set(body[0]) == {"code", "description"}
    return body[0]["description"]


def ids(client: Any, query: str = "") -> list[str]:
    resp = client.get(f"{V2}/requests.json?{query}")
    assert resp.status_code == 200, resp.get_json()
    return [x["service_request_id"] for x in resp.get_json()]


def insert(app: Any, rows: list[dict[str, Any]]) -> list[str]:
    """Reports written straight into the database (old ones, many ones); returns their ids."""
    with app.app_context():
        store = resources.reports()
        out = []
        with store.db.write() as conn:
            for row in rows:
                now = row.get("created_at", utcnow())
                values = {"created_at": now, "updated_at": now, "lat": 60.17, "lon": 24.94, "category": "steps",
                          "severity": 2, "description": "", "status": "confirmed", "source": "web", **row}
                out.append(str(conn.execute(REPORTS.insert().values(**values)).inserted_primary_key[0]))
        return out


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(buf, "JPEG")
    return buf.getvalue()


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """A WSGI app on a real HTTP server at 127.0.0.1 (a free port) while the block runs; its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


# --------------------------------------------------------------------------- services and formats


def test_one_service_per_category(client: Any) -> None:
    services = client.get(f"{V2}/services.json").get_json()
    assert [s["service_code"] for s in services] == list(CATEGORIES)
    assert all(s["service_name"] and s["type"] == "realtime" and s["metadata"] is True for s in services)
    definition = client.get(f"{V2}/services/steps.json").get_json()
    codes = {a["code"]: a for a in definition["attributes"]}
    assert [v["key"] for v in codes["severity"]["values"]] == ["1", "2", "3"]
    assert codes["valid_until"]["datatype"] == "datetime"
    assert_open311_error(client.get(f"{V2}/services/pothole.json"), 404)
    assert_open311_error(client.get(f"{V2}/services/pothole.xml"), 404)


def test_every_resource_answers_xml_with_the_same_data_as_json(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    rid = rid_of(create_with_photo(client))
    move(client, login(app, client), rid, "confirmed", note="Ověřeno <na> místě & hotovo")
    public = app.test_client()
    for url, root, extensions in [
        ("/open311/discovery", "discovery", False), (f"{V2}/services", "services", False),
        (f"{V2}/services/steps", "service_definition", False), (f"{V2}/requests", "service_requests", False),
        (f"{V2}/requests/{rid}", "service_requests", False), (f"{V2}/requests", "service_requests", True),
        (f"{V2}/requests/{rid}", "service_requests", True), (f"{V2}/requests/987654", "errors", False),
        (f"{V2}/tokens/123", "errors", False),
    ]:
        query = "?extensions=true&lang=en" if extensions else "?lang=en"
        as_json, as_xml = public.get(f"{url}.json{query}"), public.get(f"{url}.xml{query}")
        assert as_json.status_code == as_xml.status_code, url
        assert as_xml.headers["Content-Type"] == "text/xml; charset=utf-8", url
        assert spark(parse(as_xml.data, root, extensions=extensions)) == as_text(as_json.get_json()), url
    listed = public.get(f"{V2}/requests.json?extensions=true").get_json()
    assert listed[0]["media_url"].endswith(".jpg") and listed[0]["extended_attributes"]["severity"] == 3
    assert "extended_attributes" not in public.get(f"{V2}/requests.json").get_json()[0]  # only when asked
    posted = spark(parse(create(public, f"{V2}/requests.xml?lang=en").data, "service_requests"))
    assert posted == as_text([{"service_request_id": str(int(rid) + 1), "account_id": None,
                               "service_notice": "The report awaits moderation."}])


def test_round_trip_from_open_to_closed(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    r = create(client)
    rid = rid_of(r)
    assert rid.isdigit() and r.get_json()[0]["service_notice"]
    got = client.get(f"{V2}/requests/{rid}.json").get_json()
    assert len(got) == 1
    req = got[0]
    assert req["status"] == "open" and req["service_code"] == "missing_curb_ramp"
    assert (req["lat"], req["long"]) == (60.1705, 24.944)
    assert req["description"] is None and "jana@example.cz" not in str(req)  # text public after moderation
    assert req["requested_datetime"].endswith("Z") and req["status_notes"] == "submitted"
    # the same report in the JSON API, with the contact kept for moderators
    headers = login(app, client)
    assert client.get(f"{V2}/requests/{rid}.json").get_json()[0]["description"] == FORM["description"]
    mine = client.get(f"/api/reports/{rid}").get_json()
    assert mine["source"] == "open311" and mine["contact"] == "Jana, jana@example.cz"
    assert mine["severity"] == 3
    for status, open311 in (("confirmed", "open"), ("in_progress", "open"), ("fixed", "closed")):
        move(client, headers, rid, status, note="ok")
        req = client.get(f"{V2}/requests/{rid}.json").get_json()[0]
        assert req["status"] == open311 and req["status_notes"] == f"{status}: ok"
        public = app.test_client().get(f"{V2}/requests/{rid}.json").get_json()[0]
        assert public["description"] == FORM["description"]
    assert ids(client, "status=closed") == [rid]
    assert ids(client, "status=open") == []


def test_status_notes_belong_to_the_current_status(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    rid = rid_of(create(client))
    headers = login(app, client)
    move(client, headers, rid, "confirmed", note="Ověřeno na místě")
    assert client.get(f"{V2}/requests/{rid}.json").get_json()[0]["status_notes"] == "confirmed: Ověřeno na místě"
    move(client, headers, rid, "in_progress")  # a later change without a note: the old note is not repeated
    assert client.get(f"{V2}/requests/{rid}.json").get_json()[0]["status_notes"] == "in_progress"
    move(client, headers, rid, "fixed", note="Nájezd postaven")
    assert client.get(f"{V2}/requests/{rid}.json").get_json()[0]["status_notes"] == "fixed: Nájezd postaven"


def test_a_request_closed_by_its_valid_until_was_updated_then(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    until = (datetime.now(LOCAL_TZ) + timedelta(days=2)).isoformat(timespec="seconds")
    rid = rid_of(create(client, **{"attribute[valid_until]": until, "service_code": "construction"}))
    move(client, login(app, client), rid, "confirmed", note="Uzavírka ověřena")
    now = utcnow().replace(microsecond=0)
    with app.app_context(), resources.reports().db.write() as conn:  # it was confirmed 2 h ago and ended 1 h ago
        conn.execute(REPORTS.update().where(REPORTS.c.id == int(rid)).values(
            created_at=now - timedelta(hours=3), updated_at=now - timedelta(hours=2),
            valid_until=now - timedelta(hours=1)))
        conn.execute(EVENTS.update().where(EVENTS.c.report_id == int(rid)).values(at=now - timedelta(hours=2)))
    public = app.test_client()
    for fmt in ("json", "xml"):
        resp = public.get(f"{V2}/requests/{rid}.{fmt}")
        req = resp.get_json()[0] if fmt == "json" else spark(parse(resp.data, "service_requests"))[0]
        assert req["status"] == "closed" and req["status_notes"] == "expired"
        assert req["updated_datetime"] == req["expected_datetime"] == iso(now - timedelta(hours=1))
        assert req["requested_datetime"] < req["updated_datetime"]
    assert ids(public, "status=closed") == [rid] and ids(public, "status=open") == []


# --------------------------------------------------------------------------- request lists


def test_request_filters(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    a = rid_of(create(client))
    b = rid_of(create(client, service_code="steps"))
    c = rid_of(create(client, service_code="obstacle"))
    move(client, login(app, client), c, "rejected")  # moderators see every status
    assert ids(client) == [c, b, a]
    assert ids(client, "service_code=steps") == [b]
    assert ids(client, "service_code=steps,missing_curb_ramp") == [b, a]
    assert ids(client, f"service_request_id={a},{c}") == [c, a]
    assert ids(client, "status=open") == [b, a]
    assert ids(client, "status=closed") == [c]
    assert ids(client, "status=open,closed") == [c, b, a]
    assert ids(client, "start_date=2000-01-01T00:00:00Z&end_date=2000-02-01") == []
    assert ids(client, "start_date=2000-01-01") == []  # a lone start_date reaches 90 days, not to today
    assert ids(client, "jurisdiction_id=&service_code=&status=") == [c, b, a]  # empty = absent
    assert_open311_error(client.get(f"{V2}/requests.json?service_code=pothole"), 400)


def test_service_request_id_overrides_every_other_filter(make_reports_app: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    rid = rid_of(create(client))  # submitted, missing_curb_ramp, open, today
    public = app.test_client()
    for other in ("service_code=obstacle", "status=closed", "start_date=2100-01-01", "end_date=2000-01-01",
                  "start_date=2000-01-01&end_date=2020-01-01", "status=bogus&start_date=never"):
        assert ids(public, f"service_request_id={rid}&{other}") == [rid], other
    assert ids(public, f"service_request_id={rid}") == [rid]  # found by id although not moderated yet
    assert ids(public) == []


def test_the_public_list_holds_moderated_requests_only(make_reports_app: Any, login: Any) -> None:
    from webmap.open311 import MAX_REQUESTS

    app = make_reports_app()
    client = app.test_client()
    confirmed, fixed, rejected = (rid_of(create(client, description=f"r{i}")) for i in range(3))
    headers = login(app, client)
    move(client, headers, confirmed, "confirmed")
    move(client, headers, fixed, "confirmed", "in_progress", "fixed")
    move(client, headers, rejected, "rejected")
    insert(app, [{"status": "submitted"}] * (MAX_REQUESTS + 100))  # a flood of newer unmoderated submissions
    public = app.test_client()
    listed = {x["service_request_id"]: x for x in public.get(f"{V2}/requests.json").get_json()}
    assert set(listed) == {confirmed, fixed}
    assert {k: v["description"] for k, v in listed.items()} == {confirmed: "r0", fixed: "r1"}
    assert ids(public, "status=open") == [confirmed] and ids(public, "status=closed") == [fixed]
    hidden = public.get(f"{V2}/requests.json?service_request_id={rejected}").get_json()  # looked up by id
    assert [x["status"] for x in hidden] == ["closed"] and hidden[0]["description"] is None
    # moderators see every status; the status filter runs in the query, before the limit
    assert len(ids(client)) == MAX_REQUESTS
    assert ids(client, "status=closed") == [rejected, fixed]
    assert len(ids(client, "status=open")) == MAX_REQUESTS


def test_the_date_window(make_reports_app: Any) -> None:
    app = make_reports_app()
    now = utcnow().replace(microsecond=0)
    old, mid, new = insert(app, [{"created_at": now - timedelta(days=d)} for d in (100, 50, 0)])
    client = app.test_client()

    def day(days_ago: int) -> str:
        return (now - timedelta(days=days_ago)).date().isoformat()

    assert ids(client) == [new, mid]  # the last 90 days
    assert ids(client, f"end_date={day(40)}") == [mid, old]  # 90 days up to end_date
    assert ids(client, f"start_date={day(120)}") == [mid, old]  # 90 days from start_date
    assert ids(client, f"start_date={day(60)}&end_date={day(0)}") == [new, mid]
    assert "90" in assert_open311_error(client.get(f"{V2}/requests.json?start_date={day(120)}&end_date={day(0)}"),
                                        400)
    assert "end_date" in assert_open311_error(
        client.get(f"{V2}/requests.json?start_date={day(10)}&end_date={day(20)}"), 400)
    # an offset's "+" sent unencoded arrives as a space: read as "+" (a time, a space, an offset means nothing else)
    at = (datetime.now(LOCAL_TZ) - timedelta(days=55)).replace(microsecond=0).isoformat()
    assert "+" in at
    assert ids(client, f"start_date={at}") == ids(client, "start_date=" + urllib.parse.quote(at)) == [new, mid]


def test_a_bare_end_date_includes_that_whole_day(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    rid = rid_of(create(client))
    created = client.get(f"{V2}/requests/{rid}.json").get_json()[0]["requested_datetime"]
    day = datetime.fromisoformat(created).astimezone(LOCAL_TZ).date()
    login(app, client)  # moderators list unmoderated requests too
    assert ids(client, f"start_date={day}&end_date={day}") == [rid]
    assert ids(client, f"start_date={day - timedelta(days=3)}&end_date={day - timedelta(days=1)}") == []


# --------------------------------------------------------------------------- submitting


def test_media_upload_and_url(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    rid = rid_of(create_with_photo(client))
    assert client.get(f"{V2}/requests/{rid}.json").get_json()[0]["media_url"] is None  # not yet moderated
    move(client, login(app, client), rid, "confirmed")
    client = app.test_client()
    url = client.get(f"{V2}/requests/{rid}.json").get_json()[0]["media_url"]
    assert url.startswith("http") and url.endswith(".jpg")
    assert client.get(url.split("localhost", 1)[1]).mimetype == "image/jpeg"


def test_media_url_is_a_link_shown_after_moderation_and_never_fetched(make_reports_app: Any, login: Any) -> None:
    hits: list[str] = []

    def photo_host(environ: dict[str, Any], start_response: Any) -> list[bytes]:  # counts who asks for the photo
        hits.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "image/jpeg")])
        return [jpeg()]

    app = make_reports_app()
    client = app.test_client()
    with serving(photo_host) as host:
        link = f"{host}/photos/kerb.jpg"
        rid = rid_of(create(client, media_url=link))
        public = app.test_client()
        assert public.get(f"{V2}/requests/{rid}.json").get_json()[0]["media_url"] is None
        assert public.get(f"/api/reports/{rid}").get_json()["media_url"] is None
        headers = login(app, client)
        assert client.get(f"/api/reports/{rid}").get_json()["media_url"] == link  # the moderator judges it
        move(client, headers, rid, "confirmed")
        assert public.get(f"{V2}/requests/{rid}.json").get_json()[0]["media_url"] == link
        xml = spark(parse(public.get(f"{V2}/requests.xml").data, "service_requests"))
        assert xml[0]["media_url"] == link
        assert hits == []  # stored and shown, never fetched
    for bad in ("ftp://example.org/a.jpg", "javascript:alert(1)", "kerb.jpg", "http://example.org/" + "a" * 2100):
        assert "media_url" in assert_open311_error(create(client, media_url=bad), 400), bad
    assert "media_url" in assert_open311_error(create_with_photo(client, media_url=link), 400)  # not both


def test_severity_defaults_to_two(make_reports_app: Any) -> None:
    client = make_reports_app().test_client()
    form = {k: v for k, v in FORM.items() if k != "attribute[severity]"}
    rid = rid_of(client.post(f"{V2}/requests.json", data=form))
    assert client.get(f"/api/reports/{rid}").get_json()["severity"] == 2


@pytest.mark.parametrize(("change", "status", "named", "internal"), [
    ({"service_code": "pothole"}, 404, "service_code", "category"),
    ({"service_code": ""}, 400, "service_code", "category"),
    ({"lat": "abc"}, 400, "lat", "category"),
    ({"long": "abc"}, 400, "long", "lon"),
    ({"long": "200"}, 400, "long", "lon"),
    ({"email": "x" * 300}, 400, "email", "contact"),
    ({"email": "", "first_name": "", "phone": "7" * 300}, 400, "phone", "contact"),
    ({"attribute[severity]": "9"}, 400, "attribute[severity]", "severity"),
    ({"attribute[valid_until]": "soon"}, 400, "attribute[valid_until]", "valid_until"),
    ({"attribute[valid_until]": "2000-01-01"}, 400, "attribute[valid_until]", "valid_until"),
    ({"media_url": "gopher://x"}, 400, "media_url", None),
    ({"lat": "50.77", "long": "15.05"}, 422, "mimo oblast", None),  # Czech unless the client asks otherwise
])
def test_errors_name_the_open311_parameters(client: Any, change: dict[str, str], status: int, named: str,
                                            internal: str | None) -> None:
    description = assert_open311_error(create(client, **change), status)
    assert named in description
    if internal is not None:
        assert internal not in description.replace(named, ""), description


def test_address_only_requests_and_unknown_ids(client: Any) -> None:
    form = {k: v for k, v in FORM.items() if k not in ("lat", "long")}
    r = client.post(f"{V2}/requests.json", data={**form, "address_string": "Komenského 1, Liberec"})
    assert "address_string" in assert_open311_error(r, 400)
    assert_open311_error(client.get(f"{V2}/requests/4242.json"), 404)
    assert_open311_error(client.get(f"{V2}/requests.json?status=pending"), 400)
    assert_open311_error(client.get(f"{V2}/requests.json?service_request_id=x"), 400)
    assert_open311_error(client.get(f"{V2}/requests.json?start_date=yesterday"), 400)
    assert_open311_error(client.get(f"{V2}/requests.json?extensions=maybe"), 400)


def test_open311_shares_the_rate_limit_and_the_honeypot(make_reports_app: Any) -> None:
    app = make_reports_app(REPORTS_RATE_LIMIT=3)
    client = app.test_client()
    bot = create(client, website="http://spam.example")  # caught, but it counts against the limit
    assert bot.status_code == 201 and bot.get_json()[0]["service_request_id"] is None
    rid_of(create(client))
    assert client.post("/api/reports", json={"lat": 60.17, "lon": 24.945, "category": "steps",
                                             "severity": 1}).status_code == 201
    r = create(client)
    assert_open311_error(r, 429)
    assert r.headers["Retry-After"]
    with app.app_context():
        assert resources.reports().list_reports()[1] == 2
    bot = create(client, website="http://spam.example")  # over the limit, still looks accepted
    assert bot.status_code == 201 and bot.get_json()[0]["service_request_id"] is None


def test_api_keys_have_their_own_quota_and_can_be_revoked(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app(REPORTS_RATE_LIMIT=1)
    with app.app_context():
        keys = resources.api_keys()
        key, secret = keys.create("partner", now=utcnow(), limit=3)
        _, revoked = keys.create("former", now=utcnow())
        keys.revoke("former", now=utcnow())
    client = app.test_client()
    rid_of(create(client, api_key=""))  # an empty key is no key: the address's limit (1)
    assert_open311_error(create(client), 429)
    keyed = [rid_of(create(client, api_key=secret)), rid_of(create(client, api_key=secret)),
             rid_of(client.post(f"{V2}/requests.json?api_key={secret}", data=FORM))]  # also in the query string
    r = create(client, api_key=secret)
    assert "3" in assert_open311_error(r, 429) and r.headers["Retry-After"]  # the key's own quota
    for bad in (revoked, "lbb_" + "x" * 43, "guess"):
        assert "api_key" in assert_open311_error(create(client, api_key=bad), 403)
        assert "api_key" in assert_open311_error(create(client, f"{V2}/requests.xml", api_key=bad), 403)
    assert app.test_client().get(f"/api/reports/{keyed[0]}").get_json().get("api_key_id") is None
    login(app, client)
    assert {client.get(f"/api/reports/{i}").get_json()["api_key_id"] for i in keyed} == {key.id}


def test_oversized_requests_get_413_in_the_open311_format(client: Any) -> None:
    big = {**FORM, "media": (io.BytesIO(b"\xff\xd8\xff" + b"\x00" * (7 * 1024 * 1024)), "x.jpg")}
    r = client.post(f"{V2}/requests.json", data=big, content_type="multipart/form-data")
    assert_open311_error(r, 413)


HUGE = "100000000000000000000000"


@pytest.mark.parametrize(("url", "status"), [
    (f"{V2}/requests/{HUGE}.json", 404),
    (f"{V2}/requests/{2**63}.json", 404),
    (f"{V2}/requests.json?service_request_id={HUGE}", 400),
    (f"{V2}/requests.json?service_request_id=1,{HUGE}", 400),
    (f"{V2}/requests.json?start_date=0001-01-01", 400),
    (f"{V2}/requests.json?start_date=9999-12-31T23:59:59-05:00", 400),
    (f"{V2}/requests.json?end_date=9999-12-31", 400),
    (f"{V2}/requests.json?start_date=0001-01-02T00:00:00Z", 200),  # the window ends at the calendar's ends
    (f"{V2}/requests.json?end_date=0001-01-02T00:00:00Z", 200),
    (f"{V2}/requests.json?start_date=9999-12-30T00:00:00Z", 200),
])
def test_huge_numbers_and_dates(client: Any, url: str, status: int) -> None:
    if status == 200:
        assert client.get(url).status_code == 200
    else:
        assert_open311_error(client.get(url), status)


# --------------------------------------------------------------------------- the standard's edges


@pytest.mark.parametrize(("method", "url", "status"), [
    ("GET", f"{V2}/requests/abc.json", 404),
    ("GET", f"{V2}/requests/-1.json", 404),
    ("GET", f"{V2}/tokens/1.json", 404),
    ("GET", f"{V2}/nothing.json", 404),
    ("DELETE", f"{V2}/requests.json", 405),
    ("PUT", f"{V2}/services.json", 405),
])
def test_errors_outside_the_views_have_the_standard_shape(client: Any, method: str, url: str, status: int) -> None:
    for fmt_url in (url, url.removesuffix(".json") + ".xml"):
        r = client.open(fmt_url, method=method)
        assert r.mimetype == ("text/xml" if fmt_url.endswith(".xml") else "application/json"), fmt_url
        assert_open311_error(r, status)
        if status == 405:
            assert "GET" in r.headers["Allow"]


def test_service_discovery(client: Any) -> None:
    found = client.get("/open311/discovery.json?lang=en").get_json()
    xml = spark(parse(client.get("/open311/discovery.xml?lang=en").data, "discovery"))
    assert xml == as_text(found)
    assert "jurisdiction_id: liberec.cz" in found["contact"] and "10 requests" in found["key_service"]
    assert datetime.fromisoformat(found["changeset"]) <= datetime.now(LOCAL_TZ)
    [endpoint] = found["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    assert endpoint["type"] == "test"  # the Helsinki sample, not the city's live data
    path = urllib.parse.urlsplit(endpoint["url"]).path
    assert client.get(f"{path}/services.xml").status_code == 200


def test_jurisdiction_id_is_ours_or_404(make_reports_app: Any) -> None:
    client = make_reports_app().test_client()
    for good in ("liberec.cz", "LIBEREC.CZ", ""):
        assert client.get(f"{V2}/services.json?jurisdiction_id={good}").status_code == 200, good
        rid_of(create(client, jurisdiction_id=good))
    for url in (f"{V2}/services.json", f"{V2}/services/steps.xml", f"{V2}/requests.json", f"{V2}/requests/1.json",
                f"{V2}/tokens/1.json"):
        assert "praha.eu" in assert_open311_error(client.get(f"{url}?jurisdiction_id=praha.eu"), 404), url
    assert_open311_error(create(client, jurisdiction_id="praha.eu"), 404)
    assert_open311_error(client.post(f"{V2}/requests.xml?jurisdiction_id=praha.eu", data=FORM), 404)
    assert_open311_error(client.post(f"{V2}/requests.json", json={**FORM, "jurisdiction_id": "praha.eu"}), 404)
    other = make_reports_app(OPEN311_JURISDICTION="example.org").test_client()
    assert "example.org" in other.get("/open311/discovery.json").get_json()["contact"]
    assert_open311_error(other.get(f"{V2}/services.json?jurisdiction_id=liberec.cz"), 404)


# --------------------------------------------------------------------------- real clients


def test_the_georeport_client_in_json_and_xml(make_reports_app: Any, login: Any) -> None:
    """georeport (PyPI) lists, defines, filters and reads against a live server; it has no POST, so requests
    are posted as the standard describes (a form to its root address, with its API key and jurisdiction)."""
    app = make_reports_app()
    with app.app_context():
        _, secret = resources.api_keys().create("georeport", now=utcnow())
    moderator = app.test_client()
    headers = login(app, moderator)
    seen: dict[str, Any] = {}
    with serving(app) as base:
        for fmt in ("json", "xml"):
            geo = GeoReport(f"{base}/open311/v2", jurisdiction="liberec.cz", api_key=secret, output_format=fmt)
            services = geo.get_service_list()
            assert [s["service_code"] for s in services] == list(CATEGORIES)
            definition = geo.get_service_definition("steps")
            attributes = definition["attributes"] if fmt == "json" else definition["attributes"]["attribute"]
            assert [a["code"] for a in attributes] == ["severity", "valid_until"]
            posted = []
            for code in ("steps", "obstacle"):
                r = requests.post(f"{geo.root_address}/requests.{fmt}", timeout=30, data={
                    **FORM, "service_code": code, "api_key": geo.api_key, "jurisdiction_id": geo.jurisdiction})
                assert r.status_code == 201, r.text
                answer = r.json() if fmt == "json" else spark(parse(r.content, "service_requests"))
                posted.append(answer[0]["service_request_id"])
            move(moderator, headers, posted[0], "confirmed", note="ok")
            move(moderator, headers, posted[1], "confirmed")
            one = geo.get_service_request(posted[0])
            assert one["service_request_id"] == posted[0] and one["status_notes"] == "confirmed: ok"
            assert one["description"] == FORM["description"]
            steps = geo.get_service_requests(service_code="steps", status="open")
            steps = steps if isinstance(steps, list) else [steps]  # xmltodict: one element is not a list
            assert posted[0] in [s["service_request_id"] for s in steps]
            assert posted[1] not in [s["service_request_id"] for s in steps]
            both = geo.get_service_requests(service_request_id=",".join(posted))
            assert sorted(b["service_request_id"] for b in both) == sorted(posted)
            seen[fmt] = {k: v for k, v in one.items() if k not in ("service_request_id", "requested_datetime",
                                                                    "updated_datetime")}
        assert as_text(seen["json"]) == seen["xml"]  # the same request in both formats
        # the older "open311" client (Python 2 only, so not importable here) sends exactly these
        with urllib.request.urlopen(f"{base}/open311/v2/services.xml?jurisdiction_id=", timeout=30) as r:
            assert len(spark(parse(r.read(), "services"))) == len(CATEGORIES)
        post = f"{base}/open311/v2/requests.xml?" + urllib.parse.urlencode({"jurisdiction_id": "", "api_key": secret})
        body = urllib.parse.urlencode({k: v for k, v in FORM.items()}).encode()
        with urllib.request.urlopen(post, body, timeout=30) as r:
            rid = spark(parse(r.read(), "service_requests"))[0]["service_request_id"]
        with urllib.request.urlopen(f"{base}/open311/v2/requests/{rid}.xml?jurisdiction_id=", timeout=30) as r:
            assert spark(parse(r.read(), "service_requests"))[0]["status"] == "open"
        with pytest.raises(urllib.error.HTTPError) as token:
            urllib.request.urlopen(f"{base}/open311/v2/tokens/{rid}.xml?jurisdiction_id=", timeout=30)
        assert token.value.code == 404 and spark(parse(token.value.read(), "errors"))[0]["code"] == "404"
    with app.app_context(), resources.reports().db.read() as conn:
        keyed = conn.execute(sa.select(sa.func.count()).select_from(REPORTS).where(REPORTS.c.api_key_id.is_not(None)))
        assert keyed.scalar() == 5


def test_the_agency_follows_the_loaded_area(client: Any, liberec_client: Any) -> None:
    """The sample is not the city's data: no agency takes its reports; the city's network names the city."""
    rid = rid_of(create(client))
    assert client.get(f"{V2}/requests/{rid}.json").get_json()[0]["agency_responsible"] is None
    contact = client.get("/open311/discovery.json?lang=en").get_json()["contact"]
    assert contact.startswith("Sample data (Helsinki): no agency takes the reports") and "Liberec" not in contact.split(
        "—")[0]
    city = liberec_client.get("/open311/discovery.json").get_json()["contact"]
    assert city.startswith("Statutární město Liberec")
