"""Security of the web app: headers and the CSP nonce, cookies, server-side logout, private answers not
cached, hostile JSON bodies, NUL characters, idempotent submissions and no server paths in answers."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from geo.errors import DataError
from tests.webmap.test_reports_api import submit

BODY_ENDPOINTS = ("/api/reports", "/open311/v2/requests.json", "/api/auth/login", "/api/reports/1/status",
                  "/api/audits/answers", "/api/audits/decisions")


def test_every_answer_has_the_security_headers(client: Any) -> None:
    for url, status in [("/", 200), ("/moderation", 200), ("/api/profiles", 200), ("/healthz", 200),
                        ("/api/route?from=x", 400), ("/api/nothing", 404), ("/static/js/main.js", 200),
                        ("/vendor/leaflet/leaflet.js", 200), ("/open311/v2/services.json", 200),
                        ("/api/audits/export.osc", 200), ("/static/js/verify.js", 200)]:
        r = client.get(url)
        assert r.status_code == status, url
        assert r.headers["X-Content-Type-Options"] == "nosniff", url
        assert r.headers["X-Frame-Options"] == "DENY", url
        assert r.headers["Referrer-Policy"] == "same-origin", url
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"], url
    assert client.get("/api/profiles").headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_the_map_page_runs_only_scripts_with_its_nonce(client: Any) -> None:
    r = client.get("/")
    csp = r.headers["Content-Security-Policy"]
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", csp).group(1)
    html = r.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline, "folium's map script is inline"
    for attrs in inline:  # every inline script carries the nonce, or is data (JSON), never run
        assert f'nonce="{nonce}"' in attrs or 'type="application/json"' in attrs, attrs
    assert all(f'nonce="{nonce}"' in a for a in re.findall(r"<style([^>]*)>", html))
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    again = client.get("/").headers["Content-Security-Policy"]
    assert nonce not in again  # a new nonce per answer


def test_tiles_are_the_only_outside_images(make_reports_app: Any) -> None:
    app = make_reports_app(TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    csp = app.test_client().get("/").headers["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://*.tiles.example.org;" in csp
    assert "connect-src 'self';" in csp


def _session_cookie(resp: Any) -> str:
    return next(h for h in resp.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_session_cookie_is_httponly_samesite_lax_and_secure_on_https(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    login(app, client)
    r = client.post("/api/auth/login", json={"name": "moderator", "password": "correct horse battery"})
    cookie = _session_cookie(r)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    https = app.test_client().post("/api/auth/login", json={"name": "moderator", "password": "correct horse battery"},
                                   base_url="https://maps.example.org")
    assert "Secure" in _session_cookie(https)
    assert https.headers["Strict-Transport-Security"].startswith("max-age=")
    forced = make_reports_app(SESSION_COOKIE_SECURE=True).test_client()
    r = forced.post("/api/auth/login", json={"name": "moderator", "password": "correct horse battery"})
    assert "Secure" in _session_cookie(r)
    lang = forced.get("/?lang=en")
    assert "Secure" in next(h for h in lang.headers.getlist("Set-Cookie") if h.startswith("lang="))


def test_behind_a_trusted_proxy_https_makes_cookies_secure(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app(PROXY_FIX_X_FOR=1)
    client = app.test_client()
    login(app, client)
    r = client.post("/api/auth/login", json={"name": "moderator", "password": "correct horse battery"},
                    headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert "Secure" in _session_cookie(r)


def test_logout_ends_the_session_on_the_server(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    headers = login(app, client)
    stolen = client.get_cookie("session").value
    assert client.get("/api/moderation/queue").status_code == 200
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/api/moderation/queue").status_code == 401
    assert replay.get("/api/auth/me").status_code == 401


def test_a_new_password_ends_every_session(make_reports_app: Any, login: Any) -> None:
    from geo.reports.model import utcnow
    from webmap import resources

    app = make_reports_app()
    client = app.test_client()
    login(app, client)
    assert client.get("/api/auth/me").status_code == 200
    with app.app_context():
        resources.moderators().create("moderator", "another long password", now=utcnow(), reset=True)
    assert client.get("/api/moderation/queue").status_code == 401


def test_private_answers_are_never_cached(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    assert client.get("/moderation").headers["Cache-Control"] == "no-store"
    public = client.get("/api/reports")
    assert "no-store" not in public.headers.get("Cache-Control", "")
    login(app, client)
    for url in ("/api/moderation/queue", "/api/auth/me", "/moderation", "/api/reports", "/api/audits/queue"):
        r = client.get(url)
        assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store", url
        assert "Cookie" in r.headers["Vary"], url


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_deeply_nested_json_is_a_400(make_reports_app: Any, login: Any, depth: int) -> None:
    app = make_reports_app()
    client = app.test_client()
    headers = login(app, client)
    nested = "[" * depth + "]" * depth
    for body in (nested, '{"name": ' + nested + ', "status": ' + nested + "}"):
        for url in BODY_ENDPOINTS:
            r = client.post(url, data=body, content_type="application/json", headers=headers)
            assert r.status_code == 400, (url, depth, r.status_code)


@pytest.mark.parametrize("body", ["[1]", '"confirmed"', "1", "null", "true", "[]"])
def test_json_that_is_not_an_object_is_a_400(make_reports_app: Any, login: Any, body: str) -> None:
    app = make_reports_app()
    client = app.test_client()
    headers = login(app, client)
    for url in BODY_ENDPOINTS:
        r = client.post(url, data=body, content_type="application/json", headers=headers)
        assert r.status_code == 400, (url, r.status_code)


def test_nul_in_a_login_name_is_a_400_not_a_crash(make_reports_app: Any) -> None:
    client = make_reports_app().test_client()
    for creds in ({"name": "ali\x00ce", "password": "x"}, {"name": "alice", "password": "pa\x00ss"}):
        r = client.post("/api/auth/login", json=creds)
        assert r.status_code == 400 and r.get_json()["details"]["field"] in ("name", "password")


def test_a_retried_submission_with_the_same_key_is_one_report(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app(REPORTS_RATE_LIMIT=3)
    client = app.test_client()
    body = {"lat": 60.17, "lon": 24.945, "category": "steps", "severity": 3, "description": "schody"}
    key = {"Idempotency-Key": "4b1e9f52-7c1f-4a57-9a43-3f0d7c3d8e11"}
    first = client.post("/api/reports", json=body, headers=key)
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    for _ in range(4):  # retries neither duplicate nor count against the limit (3)
        again = client.post("/api/reports", json=body, headers=key)
        assert again.status_code == 201 and again.get_json()["id"] == first.get_json()["id"]
        assert again.headers["Idempotent-Replayed"] == "true"
    changed = client.post("/api/reports", json={**body, "severity": 1}, headers=key)
    assert changed.status_code == 422 and changed.get_json()["error"] == "idempotency_mismatch"
    other = client.post("/api/reports", json=body, headers={"Idempotency-Key": "another-key"})
    assert other.status_code == 201 and other.get_json()["id"] != first.get_json()["id"]
    assert client.post("/api/reports", json=body).status_code == 201
    assert client.post("/api/reports", json=body, headers={"Idempotency-Key": "x" * 201}).status_code == 400
    headers = login(app, client)
    queue = client.get("/api/moderation/queue", headers=headers).get_json()
    assert queue["total"] == 3


def test_open311_honours_the_idempotency_key_with_a_photo(make_reports_app: Any) -> None:
    client = make_reports_app().test_client()
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 200)).save(buf, "JPEG")
    form = {"service_code": "steps", "lat": "60.1705", "long": "24.9440", "description": "schody"}

    def send(photo: bytes) -> Any:
        return client.post("/open311/v2/requests.json", data={**form, "media": (io.BytesIO(photo), "p.jpg")},
                           headers={"Idempotency-Key": "retry-1"}, content_type="multipart/form-data")

    first, again = send(buf.getvalue()), send(buf.getvalue())
    assert first.status_code == again.status_code == 201
    assert first.get_json()[0]["service_request_id"] == again.get_json()[0]["service_request_id"]
    assert send(buf.getvalue()[:-10] + b"0123456789").status_code == 422  # another photo, same key


def test_parallel_retries_with_one_key_store_one_report(make_reports_app: Any) -> None:
    import threading

    apps = [make_reports_app() for _ in range(4)]  # like four workers
    body = {"lat": 60.17, "lon": 24.945, "category": "steps", "severity": 2}
    ids: list[Any] = []
    barrier = threading.Barrier(12)

    def post(app: Any) -> None:
        c = app.test_client()
        barrier.wait()
        ids.append(c.post("/api/reports", json=body, headers={"Idempotency-Key": "same"}).get_json()["id"])

    threads = [threading.Thread(target=post, args=(apps[i % 4],)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ids) == 12 and len(set(ids)) == 1


def test_phone_photos_with_the_mpf_extension_are_accepted(make_reports_app: Any) -> None:
    client = make_reports_app().test_client()
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buf, "MPO", save_all=True,
                                                   append_images=[Image.new("RGB", (20, 15))])
    r = client.post("/api/reports", data={"lat": "60.17", "lon": "24.945", "category": "steps", "severity": "2",
                                          "photo": (io.BytesIO(buf.getvalue()), "IMG_0001.JPG")},
                    content_type="multipart/form-data")
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["photo_url"].endswith(".jpg")


def test_no_answer_shows_a_server_path(make_reports_app: Any, login: Any, tmp_path: Path) -> None:
    from tests.conftest import ROOT

    app = make_reports_app(STOPS_FILE=None)
    client = app.test_client()
    rid = submit(client, 24.945, 60.17).get_json()["id"]
    login(app, client)
    urls = ["/healthz", "/api/info", "/api/layers", "/api/layers/stops", "/api/layers/services",
            "/api/reports/meta", f"/api/reports/{rid}", "/api/moderation/queue", "/open311/v2/requests.json",
            "/api/profiles", "/api/audits/meta", "/api/audits/export.geojson", "/api/audits/queue"]
    for url in urls:
        text = client.get(url).get_data(as_text=True)
        for path in (str(ROOT), str(tmp_path), "site-packages", "/root/", "/home/", "/tmp/"):
            assert path not in text, (url, path)
    info = client.get("/api/info").get_json()
    assert info["location"] == "Helsinki.osm.pbf"


def test_production_refuses_the_development_secret(helsinki_net: Any, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from webmap import create_app

    monkeypatch.setenv("LBB_ENV", "production")
    config = {"NETWORK": helsinki_net, "CACHE_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    with pytest.raises(DataError, match="LBB_SECRET_KEY"):
        create_app(config)
    with pytest.raises(DataError, match="LBB_SECRET_KEY"):
        create_app({**config, "SECRET_KEY": "short"})
    monkeypatch.setenv("LBB_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("LBB_SECURE_COOKIES", "1")
    monkeypatch.setenv("LBB_REPORTS_RATE_LIMIT", "7")
    app = create_app(config)
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["REPORTS_RATE_LIMIT"] == 7
    monkeypatch.setenv("LBB_REPORTS_RATE_LIMIT", "many")
    with pytest.raises(DataError, match="LBB_REPORTS_RATE_LIMIT"):
        create_app(config)
