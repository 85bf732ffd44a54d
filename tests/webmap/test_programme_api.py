"""``GET /api/programme``: the tracker in the request's language, its records placed or listed, progress only
from sourced figures, and an honest notice when the loaded map is not Liberec; the services layer carries
provenance and commitments."""

from __future__ import annotations

from geo import settings
from geo.layers.programme import read_programme


def _commitments(body: dict) -> list[dict]:
    return [c for s in body["sections"] for c in s["commitments"]]


def test_the_tracker_lists_every_commitment_by_section(client) -> None:
    programme = read_programme(settings.PROGRAMME_FILE)
    body = client.get("/api/programme").get_json()
    assert body["lang"] == "cs"
    assert [s["number"] for s in body["sections"]] == sorted(s.number for s in programme.sections)
    items = _commitments(body)
    assert sorted(c["id"] for c in items) == sorted(c.id for c in programme.commitments)
    assert [c["ref"] for c in items] == sorted((c["ref"] for c in items), key=lambda r: tuple(map(int, r.split("."))))
    assert body["counts"]["by_status"] == {s: sum(c["status"] == s for c in items) for s in body["counts"]["by_status"]}
    for c in items:
        if c["status"] != "unknown":
            assert c["evidence"] and c["status_sources"] and all(s["url"] for s in c["status_sources"])
        for t in c["targets"]:
            p = t["progress"]
            # a target shows progress only from a sourced figure: records of the flats layer or a current value
            assert p["has_data"] == bool(p["records"] or t["current"])
    assert body["sources"] and body["context"] and all(f["sources"] for f in body["context"])


def test_the_tracker_speaks_the_request_language(client) -> None:
    cs = client.get("/api/programme", headers={"Accept-Language": "cs"}).get_json()
    en = client.get("/api/programme", headers={"Accept-Language": "en"}).get_json()
    assert en["lang"] == "en" and cs["title"] != en["title"]
    assert _commitments(cs)[0]["summary"] != _commitments(en)[0]["summary"]
    assert _commitments(en)[0]["status_label"] in {"done", "in progress", "not started", "status unknown"}
    assert client.get("/api/programme?lang=en").get_json()["lang"] == "en"


def test_on_a_map_that_is_not_liberec_the_records_are_listed_not_drawn(client) -> None:
    body = client.get("/api/programme?lang=en").get_json()
    assert body["placement"]["sample"] and body["placement"]["placed"] == 0
    assert "not Liberec" in body["notice"] and "listed, not drawn" in body["notice"]
    assert not any(r["placed"] for c in _commitments(body) for r in c["records"])
    services = client.get("/api/layers/services?lang=en").get_json()
    assert services["notice"] == body["notice"]


def test_on_liberec_the_records_are_placed_and_no_notice_is_given(liberec_client) -> None:
    body = liberec_client.get("/api/programme").get_json()
    assert body["notice"] is None and body["placement"]["placed"] > 0
    placed = {r["id"] for c in _commitments(body) for r in c["records"] if r["placed"]}
    features = liberec_client.get("/api/layers/services").get_json()["features"]
    drawn = {f["properties"]["id"] for f in features if f["geometry"]}
    assert placed and placed <= drawn | {f["properties"]["id"] for f in
                                          liberec_client.get("/api/layers/flats").get_json()["features"]
                                          if f["geometry"]}


def test_service_records_carry_provenance_and_their_commitments(liberec_client) -> None:
    body = liberec_client.get("/api/layers/services").get_json()
    programme = _commitments(liberec_client.get("/api/programme").get_json())
    linked = {(r["id"], c["id"]) for c in programme for r in c["records"]}
    curated = [f["properties"] for f in body["features"] if f["properties"]["origin"] == "curated"]
    for p in curated:
        assert {(p["id"], c["id"]) for c in p["commitments"]} == {x for x in linked if x[0] == p["id"]}
        summary = p["provenance_summary"]
        assert summary["fields"] == len(p["provenance"])
        assert summary["sources"] == len({s["id"] for f in p["provenance"].values() for s in f["sources"]})
        if p["status"] != "unknown":
            assert p["provenance"]["status"]["sources"] and "stale" in p["status_confirmed"]
    osm = [f["properties"] for f in body["features"] if f["properties"]["origin"] == "osm"]
    assert osm and all(p["provenance"]["status"]["sources"][0]["url"].startswith("https://www.openstreetmap.org/")
                       for p in osm)
