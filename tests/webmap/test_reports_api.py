"""The reports API over HTTP with a real SQLite file and the real router on the Helsinki sample."""

from __future__ import annotations

import io
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from PIL import Image

from geo.network.model import Network
from geo.reports.model import utcnow
from geo.routing.profiles import PROFILES
from geo.routing.router import Router
from webmap import resources

A = (24.9402, 60.1688)
B = (24.9510, 60.1730)
ROUTE = f"/api/route?from={A[1]},{A[0]}&to={B[1]},{B[0]}&profile=manual_wheelchair"


@pytest.fixture(scope="module")
def on_route(helsinki_net: Network) -> tuple[float, float]:
    """(lon, lat) of the middle of the longest inner edge of the wheelchair route A → B."""
    router = Router(helsinki_net)
    r = router.route(A, B, PROFILES["manual_wheelchair"])
    piece = max(r.pieces[1:-1], key=lambda p: helsinki_net.arrays.length_m[p.edge])
    eid = int(helsinki_net.arrays.edge_id[piece.edge])
    assert helsinki_net.edges["length_m"].iat[eid] > 15
    mid = helsinki_net.edges.geometry.iloc[eid].interpolate(0.5, normalized=True)
    assert helsinki_net.snap(mid.x, mid.y).edge_id == eid
    return mid.x, mid.y


def line_of(resp: Any) -> list[list[float]]:
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["features"][0]["geometry"]["coordinates"]


def distance_m(net: Network, line: list[list[float]], lon: float, lat: float) -> float:
    t = net.to_metric
    xy = np.asarray(line)
    x, y = t.transform(xy[:, 0], xy[:, 1])
    px, py = t.transform(lon, lat)
    return float(shapely.distance(shapely.LineString(np.column_stack([x, y])), shapely.Point(px, py)))


def submit(client: Any, lon: float, lat: float, **fields: Any) -> Any:
    body = {"lat": lat, "lon": lon, "category": "steps", "severity": 3, "description": "", **fields}
    return client.post("/api/reports", json=body)


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 200)).save(buf, "PNG")
    return buf.getvalue()


def move(client: Any, headers: dict[str, str], rid: int, status: str, **extra: Any) -> Any:
    return client.post(f"/api/reports/{rid}/status", json={"status": status, **extra}, headers=headers)


# --------------------------------------------------------------------------- submitting


def test_submit_json_gives_201_with_id_and_status(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    r = submit(client, 24.945, 60.17, category="broken_lift", severity=2, description="Výtah nejede",
               contact="jana@example.cz")
    assert r.status_code == 201
    body = r.get_json()
    assert body["status"] == "submitted" and isinstance(body["id"], int)
    assert r.headers["Location"].endswith(f"/api/reports/{body['id']}")
    assert body["description"] == "Výtah nejede"  # the submitter's own copy
    one = client.get(f"/api/reports/{body['id']}").get_json()
    assert one["category"] == "broken_lift" and one["severity"] == 2 and one["status"] == "submitted"
    assert one["description"] is None and one["photo_url"] is None  # not public before moderation
    assert [h["to"] for h in one["history"]] == ["submitted"] and one["history"][0]["at"].endswith("Z")
    assert "contact" not in one  # contact is private
    assert one["affects_routing"] is False
    headers = login(app, client)
    assert move(client, headers, body["id"], "confirmed").status_code == 200
    public = app.test_client().get(f"/api/reports/{body['id']}").get_json()
    assert public["description"] == "Výtah nejede" and "contact" not in public


def test_submit_form_with_a_png_named_jpg(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    data = {"lat": "60.17", "lon": "24.945", "category": "obstacle", "severity": "2",
            "photo": (io.BytesIO(png_bytes()), "IMG_0001.jpg", "image/jpeg")}
    r = client.post("/api/reports", data=data, content_type="multipart/form-data")
    assert r.status_code == 201, r.get_json()
    url = r.get_json()["photo_url"]
    assert url.endswith(".png")  # type by content, name generated
    move(client, login(app, client), r.get_json()["id"], "confirmed")
    photo = app.test_client().get(url)
    assert photo.status_code == 200 and photo.mimetype == "image/png"
    assert photo.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(photo.data)).size == (32, 24)


@pytest.mark.parametrize("payload", [b"hello, I am plain text", b"<html><script>alert(1)</script></html>"])
def test_a_text_file_named_jpg_is_rejected(make_reports_app: Any, payload: bytes) -> None:
    client = make_reports_app().test_client()
    data = {"lat": "60.17", "lon": "24.945", "category": "obstacle", "severity": "2",
            "photo": (io.BytesIO(payload), "photo.jpg", "image/jpeg")}
    r = client.post("/api/reports", data=data, content_type="multipart/form-data")
    assert r.status_code == 400
    assert r.get_json()["error"] == "bad_request" and r.get_json()["details"]["field"] == "photo"
    assert client.get("/api/reports").get_json()["total"] == 0


def test_too_large_bodies_and_photos_are_413(make_reports_app: Any) -> None:
    client = make_reports_app().test_client()
    big = {"lat": "60.17", "lon": "24.945", "category": "obstacle", "severity": "2",
           "photo": (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * (7 * 1024 * 1024)), "a.png")}
    r = client.post("/api/reports", data=big, content_type="multipart/form-data")
    assert r.status_code == 413 and r.get_json()["error"]
    over_5mb = {**big, "photo": (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024 + 10)), "a.png")}
    r = client.post("/api/reports", data=over_5mb, content_type="multipart/form-data")
    assert r.status_code == 413 and r.get_json()["error"] == "payload_too_large"
    assert client.get("/api/reports").get_json()["total"] == 0


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"lon": 24.945, "category": "steps", "severity": 3}, 400, "lat"),
    ({"lat": "x", "lon": 24.945, "category": "steps", "severity": 3}, 400, "lat"),
    ({"lat": 60.17, "lon": 24.945, "category": "pothole", "severity": 3}, 400, "category"),
    ({"lat": 60.17, "lon": 24.945, "category": "steps", "severity": 5}, 400, "severity"),
    ({"lat": 60.17, "lon": 24.945, "category": "steps", "severity": 2, "description": "d" * 2001}, 400,
     "description"),
    ({"lat": 60.17, "lon": 24.945, "category": "steps", "severity": 2, "valid_until": "2001-01-01"}, 400,
     "valid_until"),
    ({"lat": 50.77, "lon": 15.05, "category": "steps", "severity": 2}, 422, "lat"),  # Liberec ≠ the Helsinki map
])
def test_invalid_submissions_are_json_errors(make_reports_app: Any, body: dict[str, Any], status: int,
                                             field: str) -> None:
    client = make_reports_app().test_client()
    r = client.post("/api/reports", json=body)
    assert r.status_code == status
    err = r.get_json()
    assert err["error"] and err["message"] and err["details"]["field"] == field


def test_bodies_that_are_not_objects_or_not_forms(make_reports_app: Any) -> None:
    client = make_reports_app().test_client()
    assert client.post("/api/reports", json=[1, 2]).status_code == 400
    assert client.post("/api/reports", data="{bad json", content_type="application/json").status_code == 400
    r = client.post("/api/reports", data="lat=1", content_type="text/plain")
    assert r.status_code == 415 and r.get_json()["error"] == "unsupported_media_type"


def test_script_in_the_description_is_stored_and_returned_verbatim(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)> & \u2028'
    rid = submit(client, 24.945, 60.17, description=evil).get_json()["id"]
    move(client, login(app, client), rid, "confirmed")
    client = app.test_client()  # the public
    one = client.get(f"/api/reports/{rid}")
    assert one.mimetype == "application/json" and one.headers["X-Content-Type-Options"] == "nosniff"
    assert one.get_json()["description"] == evil
    listed = client.get("/api/reports").get_json()["features"][0]["properties"]["description"]
    assert listed == evil
    assert client.get(f"/open311/v2/requests/{rid}.json").get_json()[0]["description"] == evil


def test_honeypot_looks_accepted_but_stores_nothing(make_reports_app: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    r = submit(client, 24.945, 60.17, website="http://spam.example")
    assert r.status_code == 201 and r.get_json() == {"id": None, "status": "submitted"}
    with app.app_context():
        assert resources.reports().list_reports()[1] == 0


def test_honeypot_hits_count_against_the_rate_limit(make_reports_app: Any) -> None:
    client = make_reports_app(REPORTS_RATE_LIMIT=2).test_client()
    for _ in range(3):  # the bot never learns it was caught or limited
        r = submit(client, 24.945, 60.17, website="http://spam.example")
        assert r.status_code == 201 and r.get_json() == {"id": None, "status": "submitted"}
    r = submit(client, 24.945, 60.17)
    assert r.status_code == 429 and r.get_json()["error"] == "rate_limited"


def test_submissions_with_refused_photos_count_against_the_rate_limit(make_reports_app: Any) -> None:
    client = make_reports_app(REPORTS_RATE_LIMIT=2).test_client()

    def with_photo(payload: bytes) -> Any:
        data = {"lat": "60.17", "lon": "24.945", "category": "obstacle", "severity": "2",
                "photo": (io.BytesIO(payload), "x.png", "image/png")}
        return client.post("/api/reports", data=data, content_type="multipart/form-data")

    assert with_photo(b"\x89PNG\r\n\x1a\n" + b"garbage" * 30).status_code == 400
    assert with_photo(png_bytes()).status_code == 201
    # over the limit: refused before the photo is even decoded
    r = with_photo(b"\x89PNG\r\n\x1a\n" + b"garbage" * 30)
    assert r.status_code == 429 and r.get_json()["error"] == "rate_limited"
    assert submit(client, 24.945, 60.17).status_code == 429


def test_submissions_are_rate_limited_per_client_across_workers(make_reports_app: Any, tmp_path: Path) -> None:
    one = make_reports_app(REPORTS_RATE_LIMIT=3).test_client()
    two = make_reports_app(REPORTS_RATE_LIMIT=3).test_client()
    assert submit(one, 24.945, 60.17).status_code == 201
    assert submit(two, 24.945, 60.17).status_code == 201
    assert submit(one, 24.945, 60.17).status_code == 201
    r = submit(two, 24.945, 60.17)
    assert r.status_code == 429 and r.get_json()["error"] == "rate_limited"
    assert 0 < int(r.headers["Retry-After"]) <= 3600
    other_ip = one.post("/api/reports", json={"lat": 60.17, "lon": 24.945, "category": "steps", "severity": 1},
                        environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other_ip.status_code == 201
    with one.application.app_context():
        assert resources.reports().list_reports()[1] == 4


def test_list_filters(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    a = submit(client, 24.945, 60.170, category="steps").get_json()["id"]
    b = submit(client, 24.950, 60.172, category="obstacle", severity=1).get_json()["id"]
    headers = login(app, client)
    assert move(client, headers, b, "confirmed").status_code == 200

    def ids(query: str) -> list[int]:
        r = client.get(f"/api/reports?{query}")
        assert r.status_code == 200, r.get_json()
        return [f["id"] for f in r.get_json()["features"]]

    assert ids("") == [b, a]
    assert ids("status=confirmed") == [b]
    assert ids("status=submitted,confirmed") == [b, a]
    assert ids("category=steps") == [a]
    assert ids("bbox=24.948,60.171,24.952,60.173") == [b]
    assert ids("limit=1&offset=1") == [a]
    for bad in ("status=open", "category=pothole", "bbox=1,2,3", "bbox=24.96,60,24.95,61", "limit=0",
                "offset=-1", "offset=100000000000000000000000"):
        r = client.get(f"/api/reports?{bad}")
        assert r.status_code == 400 and r.get_json()["error"] == "bad_request", bad
    assert ids(f"offset={2**63 - 1}") == []


def test_the_public_list_shows_moderated_reports_only(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    rid = {s: submit(client, 24.945, 60.17, description=s).get_json()["id"]
           for s in ("submitted", "confirmed", "planned", "in_progress", "fixed", "rejected", "duplicate")}
    headers = login(app, client)
    for status, path in (("confirmed", ["confirmed"]), ("planned", ["confirmed", "planned"]),
                         ("in_progress", ["confirmed", "in_progress"]),
                         ("fixed", ["confirmed", "in_progress", "fixed"]), ("rejected", ["rejected"])):
        for step in path:
            assert move(client, headers, rid[status], step).status_code == 200
    assert move(client, headers, rid["duplicate"], "duplicate", duplicate_of=rid["confirmed"]).status_code == 200
    public = app.test_client()

    def listed(c: Any, query: str = "") -> set[str]:
        r = c.get(f"/api/reports?{query}")
        assert r.status_code == 200, r.get_json()
        return {f["properties"]["description"] for f in r.get_json()["features"]}

    assert listed(public) == {"confirmed", "planned", "in_progress", "fixed"}
    assert public.get("/api/reports").get_json()["total"] == 4
    assert listed(public, "status=fixed,planned") == {"fixed", "planned"}
    for hidden in ("submitted", "rejected", "duplicate", "confirmed,submitted"):
        r = public.get(f"/api/reports?status={hidden}")
        assert r.status_code == 401 and r.get_json()["error"] == "auth_required", hidden
    assert listed(client) == set(rid)  # a signed-in moderator sees everything
    assert listed(client, "status=submitted,rejected") == {"submitted", "rejected"}
    for status, shown in (("submitted", False), ("rejected", False), ("duplicate", False), ("planned", True)):
        one = public.get(f"/api/reports/{rid[status]}").get_json()
        assert one["status"] == status and one["category"] == "steps"
        assert (one["description"] == status) is shown


def test_ids_and_offsets_beyond_64_bits_are_not_errors(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    rid = submit(client, 24.945, 60.17).get_json()["id"]
    huge = 100000000000000000000000
    for url in (f"/api/reports/{huge}", f"/api/reports/{2**63}"):
        r = client.get(url)
        assert r.status_code == 404 and r.get_json()["error"] == "not_found", url
    headers = login(app, client)
    r = move(client, headers, huge, "confirmed")
    assert r.status_code == 404 and r.get_json()["error"] == "not_found"
    r = move(client, headers, rid, "duplicate", duplicate_of=huge)
    assert r.status_code == 400 and r.get_json()["details"]["field"] == "duplicate_of"
    assert client.get(f"/api/reports/{rid}").get_json()["status"] == "submitted"


def test_ids_beyond_32_bits_are_404_on_every_database(make_reports_app: Any) -> None:
    client = make_reports_app().test_client()
    submit(client, 24.945, 60.17)
    for rid in (2**31, 2**31 + 1, 2**32 + 7, 2**63 - 1):
        r = client.get(f"/api/reports/{rid}")
        assert r.status_code == 404 and r.get_json()["error"] == "not_found", rid
        r = client.get(f"/open311/v2/requests/{rid}.json")
        assert r.status_code == 404 and r.get_json()[0]["code"] == 404, rid
        r = client.get(f"/open311/v2/requests.json?service_request_id={rid}")
        assert r.status_code == 200 and r.get_json() == [], rid


@pytest.mark.parametrize("valid_until", ["9999-12-31", "0001-01-01T00:00", "9999-12-31T23:59:59-05:00"])
def test_extreme_valid_until_dates_are_400(make_reports_app: Any, valid_until: str) -> None:
    client = make_reports_app().test_client()
    r = submit(client, 24.945, 60.17, valid_until=valid_until)
    assert r.status_code == 400 and r.get_json()["details"]["field"] == "valid_until"


# --------------------------------------------------------------------------- moderation


def test_moderation_needs_a_login(make_reports_app: Any) -> None:
    client = make_reports_app().test_client()
    rid = submit(client, 24.945, 60.17).get_json()["id"]
    r = move(client, {}, rid, "confirmed")
    assert r.status_code == 401 and r.get_json()["error"] == "auth_required"
    assert client.get("/api/moderation/queue").status_code == 401
    assert client.get("/api/auth/me").status_code == 401
    bad = client.post("/api/auth/login", json={"name": "moderator", "password": "guess"})
    assert bad.status_code == 401
    assert client.get(f"/api/reports/{rid}").get_json()["status"] == "submitted"


def test_a_logged_in_moderator_still_needs_the_csrf_header(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    rid = submit(client, 24.945, 60.17).get_json()["id"]
    headers = login(app, client)
    assert move(client, {}, rid, "confirmed").status_code == 403
    assert move(client, {"X-CSRF-Token": "forged"}, rid, "confirmed").status_code == 403
    assert client.get("/api/auth/me").get_json()["csrf_token"] == headers["X-CSRF-Token"]
    form = client.post(f"/api/reports/{rid}/status", data={"status": "confirmed"}, headers=headers)
    assert form.status_code == 415  # a cross-site form cannot send JSON
    assert move(client, headers, rid, "confirmed").status_code == 200
    assert client.post("/api/auth/logout").status_code == 403
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    assert move(client, headers, rid, "planned").status_code == 401


def test_login_is_json_only_and_ends_when_the_account_changes(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    assert client.post("/api/auth/login", data={"name": "x", "password": "y"}).status_code == 415
    headers = login(app, client)
    assert client.get("/api/moderation/queue", headers=headers).status_code == 200
    with app.app_context():
        resources.moderators().set_active("moderator", False)
    assert client.get("/api/moderation/queue").status_code == 401


def test_transitions_through_the_api(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    rid = submit(client, 24.945, 60.17, contact="tel. 123").get_json()["id"]
    other = submit(client, 24.945, 60.17).get_json()["id"]
    headers = login(app, client)
    r = move(client, headers, rid, "fixed")
    assert r.status_code == 409 and r.get_json()["error"] == "invalid_transition"
    assert r.get_json()["details"]["allowed"] == ["confirmed", "duplicate", "rejected"]
    assert move(client, headers, rid, "unknown").status_code == 400
    assert move(client, headers, other, "duplicate").status_code == 400
    assert move(client, headers, other, "duplicate", duplicate_of=other).status_code == 400
    assert move(client, headers, other, "duplicate", duplicate_of=99999).status_code == 400
    assert move(client, headers, 99999, "confirmed").status_code == 404
    dup = move(client, headers, other, "duplicate", duplicate_of=rid).get_json()
    assert dup["status"] == "duplicate" and dup["duplicate_of"] == rid
    for status in ("confirmed", "in_progress", "fixed"):
        r = move(client, headers, rid, status, note=f"now {status}")
        assert r.status_code == 200 and r.get_json()["status"] == status
    assert move(client, headers, rid, "confirmed").status_code == 409
    private = client.get(f"/api/reports/{rid}").get_json()
    assert private["contact"] == "tel. 123"
    assert [(h["from"], h["to"], h["actor"]) for h in private["history"]] == [
        (None, "submitted", "public"), ("submitted", "confirmed", "moderator"),
        ("confirmed", "in_progress", "moderator"), ("in_progress", "fixed", "moderator")]
    assert all(h["at"] for h in private["history"])
    public = app.test_client().get(f"/api/reports/{rid}").get_json()
    assert "contact" not in public and public["history"][1]["note"] == "now confirmed"


def test_the_queue_lists_submitted_reports_oldest_first_with_contact(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    first = submit(client, 24.945, 60.17, contact="a@example.cz").get_json()["id"]
    second = submit(client, 24.945, 60.17).get_json()["id"]
    headers = login(app, client)
    move(client, headers, second, "rejected")
    queue = client.get("/api/moderation/queue").get_json()
    assert [f["id"] for f in queue["features"]] == [first]
    props = queue["features"][0]["properties"]
    assert props["contact"] == "a@example.cz" and props["history"][0]["to"] == "submitted"
    assert [f["id"] for f in client.get("/api/moderation/queue?status=rejected").get_json()["features"]] == [second]


@pytest.mark.parametrize(("path", "public"), [
    ([], False), (["rejected"], False), (["duplicate"], False), (["confirmed"], True),
    (["confirmed", "planned"], True), (["confirmed", "in_progress", "fixed"], True),
])
def test_photos_are_public_only_once_confirmed(make_reports_app: Any, login: Any, path: list[str],
                                               public: bool) -> None:
    app = make_reports_app()
    client = app.test_client()
    original = submit(client, 24.945, 60.17).get_json()["id"]
    data = {"lat": "60.17", "lon": "24.945", "category": "other", "severity": "1",
            "photo": (io.BytesIO(png_bytes()), "x.png")}
    body = client.post("/api/reports", data=data, content_type="multipart/form-data").get_json()
    headers = login(app, client)
    for status in path:
        extra = {"duplicate_of": original} if status == "duplicate" else {}
        assert move(client, headers, body["id"], status, **extra).status_code == 200
    assert client.get(body["photo_url"]).status_code == 200  # moderators always
    anonymous = app.test_client()
    assert anonymous.get(body["photo_url"]).status_code == (200 if public else 404)
    assert (anonymous.get(f"/api/reports/{body['id']}").get_json()["photo_url"] == body["photo_url"]) is public
    media = anonymous.get(f"/open311/v2/requests/{body['id']}.json").get_json()[0]["media_url"]
    assert media.endswith(body["photo_url"]) if public else media is None


def test_photos_of_rejected_reports_are_for_moderators_only(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    data = {"lat": "60.17", "lon": "24.945", "category": "other", "severity": "1",
            "photo": (io.BytesIO(png_bytes()), "x.png")}
    body = client.post("/api/reports", data=data, content_type="multipart/form-data").get_json()
    headers = login(app, client)
    move(client, headers, body["id"], "rejected")
    assert client.get(body["photo_url"]).status_code == 200
    anonymous = app.test_client()
    assert anonymous.get(body["photo_url"]).status_code == 404
    assert anonymous.get(f"/api/reports/{body['id']}").get_json()["photo_url"] is None
    assert anonymous.get("/api/reports/photos/../../etc/passwd").status_code == 404
    assert anonymous.get("/api/reports/photos/0123456789abcdef0123456789abcdef.png").status_code == 404


# --------------------------------------------------------------------------- routing


def test_a_confirmed_barrier_reroutes_wheelchairs_until_it_is_fixed(make_reports_app: Any, login: Any,
                                                                     helsinki_net: Network,
                                                                     on_route: tuple[float, float]) -> None:
    app = make_reports_app()
    client = app.test_client()
    lon, lat = on_route
    walking = ROUTE.replace("manual_wheelchair", "walking")
    first = client.get(ROUTE)
    before, walk_before = line_of(first), line_of(client.get(walking))
    assert distance_m(helsinki_net, before, lon, lat) < 0.5
    rid = submit(client, lon, lat, category="steps", severity=3).get_json()["id"]
    assert line_of(client.get(ROUTE)) == before  # unconfirmed: no effect
    headers = login(app, client)
    assert move(client, headers, rid, "confirmed").status_code == 200
    time.sleep(0.06)  # one poll interval of this app
    blocked = client.get(ROUTE)
    detour = line_of(blocked)
    assert detour != before and distance_m(helsinki_net, detour, lon, lat) > 1.0
    duration = blocked.get_json()["features"][0]["properties"]["duration_s"]
    assert duration > first.get_json()["features"][0]["properties"]["duration_s"]
    assert line_of(client.get(walking)) == walk_before  # steps do not stop walkers
    for status in ("planned", "in_progress"):
        assert move(client, headers, rid, status).status_code == 200
        time.sleep(0.06)
        assert line_of(client.get(ROUTE)) == detour
    assert move(client, headers, rid, "fixed").status_code == 200
    time.sleep(0.06)
    assert line_of(client.get(ROUTE)) == before


def test_a_confirmation_reaches_another_worker_within_a_second(make_reports_app: Any, login: Any,
                                                               tmp_path: Path,
                                                               on_route: tuple[float, float]) -> None:
    moderation_app = make_reports_app(REPORTS_POLL_INTERVAL_S=0.5)
    serving_app = make_reports_app(REPORTS_POLL_INTERVAL_S=0.5)
    mod, user = moderation_app.test_client(), serving_app.test_client()
    before = line_of(user.get(ROUTE))  # the serving worker has polled and built its (empty) overlay
    rid = submit(user, *on_route).get_json()["id"]
    headers = login(moderation_app, mod)

    poll_s = serving_app.config["REPORTS_POLL_INTERVAL_S"]

    def next_request_after_one_poll_interval() -> list[list[float]]:
        """The serving worker polls on the request path: once the interval has passed, the next request must
        see the change (so a change is routed within the interval plus one request, whatever the load)."""
        time.sleep(poll_s + 0.05)
        return line_of(user.get(ROUTE))

    assert move(mod, headers, rid, "confirmed").status_code == 200
    assert next_request_after_one_poll_interval() != before
    assert move(mod, headers, rid, "in_progress").status_code == 200
    assert move(mod, headers, rid, "fixed").status_code == 200
    assert next_request_after_one_poll_interval() == before


def test_an_expired_temporary_barrier_stops_blocking(make_reports_app: Any, login: Any,
                                                     on_route: tuple[float, float]) -> None:
    app = make_reports_app()
    client = app.test_client()
    before = line_of(client.get(ROUTE))
    ends = utcnow() + timedelta(seconds=1.5)
    r = submit(client, *on_route, category="construction", severity=3, valid_until=ends.isoformat() + "Z")
    assert r.status_code == 201 and r.get_json()["valid_until"]
    rid = r.get_json()["id"]
    headers = login(app, client)
    move(client, headers, rid, "confirmed")
    time.sleep(0.06)
    assert line_of(client.get(ROUTE)) != before
    time.sleep(max(0.0, (ends - utcnow()).total_seconds()) + 0.05)
    assert line_of(client.get(ROUTE)) == before
    one = client.get(f"/api/reports/{rid}").get_json()
    assert one["expired"] is True and one["affects_routing"] is False and one["status"] == "confirmed"


def test_route_warnings_list_confirmed_reports_near_the_route(make_reports_app: Any, login: Any,
                                                             helsinki_net: Network) -> None:
    app = make_reports_app()
    client = app.test_client()
    before = client.get(ROUTE).get_json()
    line = before["features"][0]["geometry"]["coordinates"]
    mx, my = line[len(line) // 2]
    near = (mx, my + 12 / 111_320)  # about 12 m north of a route vertex
    assert distance_m(helsinki_net, line, *near) <= 12.5
    far = next(p for p in ((mx + dx, my + dy) for dx, dy in ((0, 0.0008), (0, -0.0008), (0.0016, 0), (-0.0016, 0)))
               if distance_m(helsinki_net, line, *p) > 40)
    ids = [submit(client, *p, category="inaccessible_entrance", severity=3).get_json()["id"]
           for p in (near, far, near)]
    headers = login(app, client)
    move(client, headers, ids[0], "confirmed")
    move(client, headers, ids[1], "confirmed")  # ids[2] stays submitted
    time.sleep(0.06)
    after = client.get(ROUTE).get_json()
    props = after["features"][0]["properties"]
    assert after["features"][0]["geometry"]["coordinates"] == line  # warnings only, same route
    mentioned = {it["report_id"] for w in props["warnings"] if w["type"] in ("report", "report_nearby")
                 for it in w["items"]}
    assert mentioned == {ids[0]}
    points = [f for f in after["features"][1:] if f["properties"].get("report_id") == ids[0]]
    assert points and points[0]["geometry"]["type"] == "Point"


def test_meta_lists_categories_transitions_and_effects(make_reports_app: Any) -> None:
    body = make_reports_app().test_client().get("/api/reports/meta").get_json()
    assert len(body["categories"]) == 12 and body["transitions"]["submitted"] == ["confirmed", "duplicate",
                                                                                  "rejected"]
    assert body["effects"]["steps"]["manual_wheelchair"] == "block"
    assert body["honeypot_field"] == "website"
