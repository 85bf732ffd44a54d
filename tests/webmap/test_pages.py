"""Pages: health check and the map page."""

from __future__ import annotations

import json


def test_healthz_says_what_is_loaded(client) -> None:
    body = client.get("/healthz?lang=en").get_json()
    assert body["status"] == "ok"
    assert body["source"] == "sample" and body["sample"] is True
    assert body["notice"] == "sample data: Helsinki (OpenStreetMap), not Liberec"
    assert body["data_date"] == "2019-04-17"
    assert body["nodes"] > 3000 and body["edges"] > 4000 and body["buildings"] == 486
    assert body["terrain"] is None  # the sample has no terrain model


def test_healthz_says_where_the_terrain_came_from(terrain_ways_net, tmp_path) -> None:
    from webmap import create_app

    app = create_app({"TESTING": True, "NETWORK": terrain_ways_net, "CACHE_DIR": str(tmp_path),
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    terrain = app.test_client().get("/healthz").get_json()["terrain"]
    assert terrain == {"source": "file", "label": "bubenec.gpkg:dtm", "resolution_m": 1.0}


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


def test_the_banner_and_the_layer_list_follow_the_loaded_area(client, liberec_client) -> None:
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "Sample data: Helsinki, not Liberec." in html and "(sample) (" not in html
    # Liberec's stops and flats have nothing to show on the Helsinki sample: listed as empty
    def listed(name: str) -> str:  # as folium's script names the layer
        return json.dumps(name)[1:-1]

    assert listed("Public-transport stops – none in this area") in html
    assert listed("City flats – none in this area") in html
    city = liberec_client.get("/?lang=en").get_data(as_text=True)
    assert listed("Public-transport stops") in city and listed("Public-transport stops – none in this area") not in city
