"""Pages: health check and the map page."""

from __future__ import annotations


def test_healthz_says_what_is_loaded(client) -> None:
    body = client.get("/healthz?lang=en").get_json()
    assert body["status"] == "ok"
    assert body["source"] == "sample" and body["sample"] is True
    assert body["notice"] == "sample data: Helsinki (OpenStreetMap), not Liberec"
    assert body["data_date"] == "2019-04-17"
    assert body["nodes"] > 3000 and body["edges"] > 4000 and body["buildings"] == 486


def test_index_says_sample_data_and_uses_local_leaflet(client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "Ukázková data" in html and "ne Liberec" in html
    assert "/vendor/leaflet/leaflet.js" in html
    assert "cdn" not in html.lower()
    assert "user-scalable=no" not in html


def test_vendor_files_are_served(client) -> None:
    r = client.get("/vendor/leaflet/leaflet.js")
    assert r.status_code == 200 and b"Leaflet" in r.data[:2000]
    assert client.get("/vendor/nope/x.js").status_code == 404


def test_json_and_pages_are_gzipped(client) -> None:
    r = client.get("/api/profiles", headers={"Accept-Encoding": "gzip"})
    assert r.headers.get("Content-Encoding") == "gzip"
    assert client.get("/", headers={"Accept-Encoding": "gzip"}).headers.get("Content-Encoding") == "gzip"
    assert client.get("/api/profiles").headers.get("Content-Encoding") is None


def test_moderation_page_and_language(client) -> None:
    html = client.get("/moderation?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html and "Moderator sign-in" in html
    assert '<html lang="en">' in client.get("/moderation").get_data(as_text=True)  # remembered in a cookie


def test_programme_page_and_the_header_link(client) -> None:
    html = client.get("/programme?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html and "The city programme" in html
    assert "/static/js/programme.js" in html and 'id="tpl-commitment"' in html
    index = client.get("/?lang=cs").get_data(as_text=True)  # the language is remembered: ask for Czech
    assert 'href="/programme"' in index and "Program města" in index
