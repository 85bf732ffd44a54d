""""Help verify" over HTTP: ranked questions, answers with the error contract, consensus across clients and
workers, the live effect on routes and its rollback, moderation, progress and the export."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from geo.reports.database import AUDIT_ANSWERS
from tests.webmap.test_reports_api import png_bytes

IP1, IP2, IP3 = ({"REMOTE_ADDR": f"10.0.0.{i}"} for i in (1, 2, 3))


def tasks(client: Any, **params: Any) -> dict[str, Any]:
    query = "&".join(f"{k}={v}" for k, v in {"profile": "manual_wheelchair", "limit": 100, **params}.items())
    r = client.get(f"/api/audits/tasks?{query}")
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def answer(client: Any, task_id: str, value: str, who: dict[str, str], **extra: Any) -> Any:
    return client.post("/api/audits/answers", json={"task_id": task_id, "value": value, **extra}, environ_base=who)


def stored_answers(app: Any) -> int:
    from webmap import resources

    with app.app_context(), resources.database().read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(AUDIT_ANSWERS)).scalar())


def uploads(app: Any) -> list[Path]:
    folder = Path(app.config["REPORTS_UPLOAD_DIR"])
    return sorted(folder.iterdir()) if folder.exists() else []


def first_of(fc: dict[str, Any], attribute: str, element_type: str | None = None) -> dict[str, Any]:
    return next(f["properties"] for f in fc["features"] if f["properties"]["attribute"] == attribute
                and (element_type is None or f["properties"]["element"]["type"] == element_type))


# --------------------------------------------------------------------------- questions


def test_tasks_are_ranked_questions_with_options_in_the_request_language(make_reports_app: Any) -> None:
    client = make_reports_app().test_client()
    fc = tasks(client)
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 100 and fc["total"] > 1000
    assert fc["sampled_trips"] > 100 and fc["measure"].startswith("Otázky jsou seřazené")
    routes = [f["properties"]["routes"] for f in fc["features"]]
    assert routes == sorted(routes, reverse=True) and routes[0] > 0
    p = fc["features"][0]["properties"]
    assert p["task_id"] == f"{p['element']['type']}/{p['element']['id']}/{p['attribute']}"
    assert p["element"]["version"] >= 1 and p["element"]["edge_ids"]
    assert fc["features"][0]["geometry"]["coordinates"] == [p["location"]["lon"], p["location"]["lat"]]
    assert p["options"] and all(set(o) == {"value", "label"} for o in p["options"])
    kerb = first_of(fc, "kerb")
    assert kerb["question"] == "Jak vysoké jsou obrubníky na tomto přechodu?"
    assert [o["value"] for o in kerb["options"]][:2] == ["flush", "lowered"]
    en = tasks(client, lang="en")
    assert first_of(en, "kerb")["question"] == "How high are the kerbs at this crossing?"
    assert {o["label"] for o in first_of(en, "kerb")["options"]} >= {"Lowered, at most 3 cm"}
    walking = tasks(client, profile="walking")
    assert {f["properties"]["attribute"] for f in walking["features"]} == {"surface"}


def test_tasks_of_a_view_and_bad_parameters(make_reports_app: Any, helsinki_net: Any) -> None:
    client = make_reports_app().test_client()
    minx, miny, maxx, maxy = helsinki_net.bounds()
    box = (minx, miny, (minx + maxx) / 2, (miny + maxy) / 2)
    fc = tasks(client, bbox=",".join(map(str, box)), limit=5)
    assert all(box[0] <= f["geometry"]["coordinates"][0] <= box[2] for f in fc["features"])
    for query, status, field in (("bbox=1,2,3", 400, "bbox"), ("profile=rocket", 400, "profile"),
                                 ("limit=0", 400, "limit"), ("limit=x", 400, "limit"),
                                 ("bbox=14.9,50.7,15.1,50.8", 422, "bbox")):
        r = client.get(f"/api/audits/tasks?{query}")
        assert r.status_code == status, query
        body = r.get_json()
        assert set(body) == {"error", "message", "details"} and body["details"]["field"] == field


def test_one_task_with_its_state(make_reports_app: Any) -> None:
    client = make_reports_app().test_client()
    p = tasks(client)["features"][0]["properties"]
    r = client.get(f"/api/audits/tasks/{p['task_id']}?lang=en")
    assert r.status_code == 200 and r.get_json()["properties"]["status"] == "open"
    assert r.get_json()["properties"]["answers"] == 0 and r.get_json()["properties"]["needed"] == 2
    missing = client.get("/api/audits/tasks/way/1/surface")
    assert missing.status_code == 404 and missing.get_json()["error"] == "not_found"


# --------------------------------------------------------------------------- answers


def test_two_clients_agree_and_the_value_is_verified(make_reports_app: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    p = first_of(tasks(client), "width")
    r1 = answer(client, p["task_id"], "0_9_to_1_5", IP1)
    assert r1.status_code == 201 and r1.get_json()["status"] == "open" and not r1.get_json()["verified"]
    assert r1.get_json()["message"].startswith("Děkujeme! K ověření chybí ještě 1 odpověď")
    mine = {f["properties"]["task_id"] for f in
            client.get("/api/audits/tasks?limit=200", environ_base=IP1).get_json()["features"]}
    others = {f["properties"]["task_id"] for f in
              client.get("/api/audits/tasks?limit=200", environ_base=IP2).get_json()["features"]}
    assert p["task_id"] not in mine and p["task_id"] in others  # answered: not asked again of the same client
    r2 = answer(client, p["task_id"], "0_9_to_1_5", IP2)
    assert r2.status_code == 201 and r2.get_json()["verified"] and r2.get_json()["value"] == "0_9_to_1_5"
    again = answer(client, p["task_id"], "over_1_5", IP3)
    assert again.status_code == 409 and again.get_json()["error"] == "conflict"
    state = client.get(f"/api/audits/tasks/{p['task_id']}").get_json()["properties"]
    assert (state["status"], state["verified_value"], state["verified_by"]) == ("verified", "0_9_to_1_5", "community")


def test_bad_answers_are_refused_and_nothing_is_half_stored(make_reports_app: Any) -> None:
    app = make_reports_app(AUDITS_RATE_LIMIT=100)
    client = app.test_client()
    p = first_of(tasks(client), "kerb")
    tid = p["task_id"]
    cases = [
        ({"task_id": "way/1/surface", "value": "asphalt"}, 404, "not_found", "task_id"),
        ({"task_id": "node/12/colour", "value": "red"}, 404, "not_found", "task_id"),
        ({"task_id": tid, "value": "asphalt"}, 400, "bad_request", "value"),
        ({"task_id": tid}, 400, "bad_request", "value"),
        ({"task_id": tid, "value": "flush", "lat": 50.08, "lon": 14.42}, 422, "outside_area", "lat"),
        ({"task_id": tid, "value": "flush", "lat": 60.17}, 400, "bad_request", None),
    ]
    for body, status, code, field in cases:
        r = client.post("/api/audits/answers", json=body, environ_base=IP1)
        assert r.status_code == status, (body, r.get_json())
        assert r.get_json()["error"] == code and r.get_json()["details"].get("field") == field
    big = client.post("/api/audits/answers", data={"task_id": tid, "value": "flush",
                                                   "photo": (_big_file(), "kerb.jpg")},
                      content_type="multipart/form-data", environ_base=IP1)
    assert big.status_code == 413 and big.get_json()["error"] == "payload_too_large"
    text = client.post("/api/audits/answers", data={"task_id": tid, "value": "flush",
                                                    "photo": (_file(b"not an image"), "kerb.jpg")},
                       content_type="multipart/form-data", environ_base=IP1)
    assert text.status_code == 400 and text.get_json()["details"]["field"] == "photo"
    assert stored_answers(app) == 0 and uploads(app) == []
    ok = client.post("/api/audits/answers", data={"task_id": tid, "value": "flush", "lat": str(p["location"]["lat"]),
                                                  "lon": str(p["location"]["lon"]),
                                                  "photo": (_file(png_bytes()), "kerb.png")},
                     content_type="multipart/form-data", environ_base=IP1)
    assert ok.status_code == 201
    files = uploads(app)
    second = client.post("/api/audits/answers", data={"task_id": tid, "value": "flush",
                                                      "photo": (_file(png_bytes()), "kerb.png")},
                         content_type="multipart/form-data", environ_base=IP1)
    assert second.status_code == 409 and second.get_json()["details"]["task_id"] == tid
    assert stored_answers(app) == 1 and uploads(app) == files  # the refused answer left no photo behind


def test_hostile_answers_and_decisions_are_refused_with_4xx(make_reports_app: Any, login: Any) -> None:
    """On both databases: NUL characters, text beyond the columns, ids beyond 64 bits, wrong JSON types."""
    app = make_reports_app(AUDITS_RATE_LIMIT=100)
    client = app.test_client()
    headers = login(app, client)
    tid = first_of(tasks(client), "kerb")["task_id"]
    answers = [{"task_id": tid, "value": "flush\x00"}, {"task_id": tid + "\x00", "value": "flush"},
               {"task_id": "node/99999999999999999999/kerb", "value": "flush"}, {"task_id": "x" * 5000, "value": "a"},
               {"task_id": tid, "value": "v" * 5000}, {"task_id": 15, "value": "flush"},
               {"task_id": tid, "value": ["flush"]}, {"task_id": tid, "value": "flush", "lat": "1e400", "lon": 24.9},
               {"task_id": tid, "value": "flush", "lat": True, "lon": False}]

    def refused(r: Any) -> bool:
        return 400 <= r.status_code < 500 and set(r.get_json()) == {"error", "message", "details"}

    for body in answers:
        r = client.post("/api/audits/answers", json=body, environ_base=IP1)
        assert refused(r), (body, r.status_code)
    decisions = [{"task_id": tid, "action": "confirm", "value": "flush", "note": "a\x00b"},
                 {"task_id": tid, "action": "confirm", "value": "flush", "note": "n" * 100_000},
                 {"task_id": tid, "action": "confirm", "value": "flush\x00"}, {"task_id": tid, "action": None},
                 {"task_id": tid, "action": "rollback"},
                 {"task_id": "way/9223372036854775808/width", "action": "reopen"}]
    for body in decisions:
        r = client.post("/api/audits/decisions", json=body, headers=headers)
        assert refused(r), (body, r.status_code)
    for query, status in (("offset=9223372036854775807", 200), ("offset=9223372036854775808", 400),
                          ("status=open,%00", 400), ("limit=501", 400)):
        assert client.get(f"/api/audits/queue?{query}").status_code == status, query
    assert stored_answers(app) == 0


def _file(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


def _big_file() -> Any:
    return _file(b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024 + 10))


def test_answers_are_rate_limited_per_client_and_the_honeypot_stores_nothing(make_reports_app: Any) -> None:
    app = make_reports_app(AUDITS_RATE_LIMIT=2)
    client = app.test_client()
    f0, f1, f2 = (f["properties"] for f in tasks(client, limit=3)["features"])
    trap = client.post("/api/audits/answers", json={"task_id": f0["task_id"], "value": f0["options"][0]["value"],
                                                    "website": "spam"}, environ_base=IP1)
    assert trap.status_code == 201 and trap.get_json()["stored"] is False and stored_answers(app) == 0
    assert answer(client, f1["task_id"], f1["options"][0]["value"], IP1).status_code == 201
    over = answer(client, f2["task_id"], f2["options"][0]["value"], IP1)  # the trap counted too
    assert over.status_code == 429 and int(over.headers["Retry-After"]) > 0
    assert over.get_json()["error"] == "rate_limited" and stored_answers(app) == 1
    assert answer(client, f2["task_id"], f2["options"][0]["value"], IP2).status_code == 201  # another client


def test_clients_behind_the_configured_proxy_are_told_apart(make_reports_app: Any) -> None:
    app = make_reports_app(PROXY_FIX_X_FOR=1)
    client = app.test_client()
    p = first_of(tasks(client), "surface")
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    one = client.post("/api/audits/answers", json={"task_id": p["task_id"], "value": "asphalt"},
                      environ_base=proxy, headers={"X-Forwarded-For": "198.51.100.7"})
    same = client.post("/api/audits/answers", json={"task_id": p["task_id"], "value": "asphalt"},
                       environ_base=proxy, headers={"X-Forwarded-For": "198.51.100.7"})
    other = client.post("/api/audits/answers", json={"task_id": p["task_id"], "value": "asphalt"},
                        environ_base=proxy, headers={"X-Forwarded-For": "203.0.113.9"})
    assert (one.status_code, same.status_code, other.status_code) == (201, 409, 201)
    assert other.get_json()["verified"]


# --------------------------------------------------------------------------- live effect, moderation


def _kerb_trip(app: Any) -> tuple[str, str]:
    """The route query of a sampled wheelchair trip over the best kerb question, and that question."""
    from webmap import resources

    with app.app_context():
        index = resources.audit_index()
        ranking = index.ranking("manual_wheelchair")
        cat = index.catalogue
        row = next(int(r) for r in ranking.order if cat.attribute[r] == "kerb" and cat.element_type[r] == "node")
        t = int(ranking.trips.incidence.tocsc()[:, cat.directed_edges(row)].nonzero()[0][0])
        nodes = index.net.nodes
        o, d = ranking.trips.origin[t], ranking.trips.destination[t]
        query = (f"/api/route?from={nodes['lat'].iat[o]},{nodes['lon'].iat[o]}&to={nodes['lat'].iat[d]},"
                 f"{nodes['lon'].iat[d]}&profile=manual_wheelchair")
        return query, cat.ref(row).task_id


def _unknown_kerbs(route: dict[str, Any]) -> int:
    return sum(w["count"] for w in route["features"][0]["properties"]["warnings"] if w["type"] == "kerb_unknown")


def _wait_for(get: Any, changed: Any, seconds: float = 5.0) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = get()
        if changed(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def test_a_verified_kerb_changes_routes_in_every_worker_and_a_rollback_restores_them(
        make_reports_app: Any, login: Any) -> None:
    worker1, worker2 = make_reports_app(), make_reports_app()  # two workers of one database
    c1, c2 = worker1.test_client(), worker2.test_client()
    query, task = _kerb_trip(worker1)
    base = c2.get(query).get_json()
    base_s = base["features"][0]["properties"]["duration_s"]
    assert _unknown_kerbs(base) >= 1
    info = c2.get("/api/info").get_json()
    assert info["coverage"] == info["coverage_osm"]
    assert answer(c1, task, "flush", IP1).status_code == 201
    assert answer(c1, task, "flush", IP2).get_json()["verified"]
    after = _wait_for(lambda: c2.get(query).get_json(),
                      lambda r: r["features"][0]["properties"]["duration_s"] != base_s)
    assert after["features"][0]["properties"]["duration_s"] < base_s  # known and flush: cheaper
    assert _unknown_kerbs(after) == _unknown_kerbs(base) - 1
    progress = c2.get("/api/audits/progress?profile=manual_wheelchair&lang=en").get_json()
    assert progress["improved"] >= 1 and progress["verified_attributes"] == 1
    assert progress["completeness_pct"] >= progress["completeness_before_pct"] and progress["details"]
    headers = login(worker2, c2)
    r = c2.post("/api/audits/decisions", json={"task_id": task, "action": "rollback", "note": "wrong"},
                headers=headers)
    assert r.status_code == 200 and r.get_json()["properties"]["status"] == "open"
    back = _wait_for(lambda: c1.get(query).get_json(),
                     lambda r: r["features"][0]["properties"]["duration_s"] == base_s)
    assert back["features"][0]["properties"]["duration_s"] == pytest.approx(base_s)
    assert _unknown_kerbs(back) == _unknown_kerbs(base)


def test_disputed_answers_wait_for_a_moderator(make_reports_app: Any, login: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    p = first_of(tasks(client), "kerb")
    tid = p["task_id"]
    answer(client, tid, "lowered", IP1)
    r = client.post("/api/audits/answers", data={"task_id": tid, "value": "raised_15",
                                                 "photo": (_file(png_bytes()), "k.png")},
                    content_type="multipart/form-data", environ_base=IP2)
    assert r.get_json()["status"] == "disputed" and "moderátor" in r.get_json()["message"]
    assert client.get("/api/audits/queue").status_code == 401
    headers = login(app, client)
    queue = client.get("/api/audits/queue").get_json()
    [item] = [f["properties"] for f in queue["features"]]
    assert item["task_id"] == tid and item["status"] == "disputed"
    assert [a["value"] for a in item["answers"]] == ["lowered", "raised_15"]  # side by side
    photo = next(a["photo_url"] for a in item["answers"] if a["photo_url"])
    assert client.get(photo).status_code == 200
    assert app.test_client().get(photo).status_code == 401  # answer photos are for moderators only
    no_csrf = client.post("/api/audits/decisions", json={"task_id": tid, "action": "confirm", "value": "lowered"})
    assert no_csrf.status_code == 403
    bad = client.post("/api/audits/decisions", json={"task_id": tid, "action": "confirm", "value": "asphalt"},
                      headers=headers)
    assert bad.status_code == 400 and bad.get_json()["details"]["field"] == "value"
    assert client.post("/api/audits/decisions", json={"task_id": tid, "action": "confirm"},
                       headers=headers).status_code == 400
    assert client.post("/api/audits/decisions", json={"task_id": tid, "action": "explode"},
                       headers=headers).status_code == 400
    done = client.post("/api/audits/decisions", json={"task_id": tid, "action": "confirm", "value": "raised_15",
                                                      "note": "photo"}, headers=headers)
    assert done.status_code == 200
    props = done.get_json()["properties"]
    assert (props["status"], props["verified_value"]) == ("verified", "raised_15")
    assert props["verdicts"][-1]["source"] == "moderator" and props["verdicts"][-1]["actor"] == "moderator"
    reopen = client.post("/api/audits/decisions", json={"task_id": tid, "action": "reopen"}, headers=headers)
    assert reopen.status_code == 409 and reopen.get_json()["error"] == "invalid_transition"


def test_export_of_verified_changes(make_reports_app: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    fc = tasks(client, limit=100)
    kerb, surface = first_of(fc, "kerb", "node"), first_of(fc, "surface")
    for p, value in ((kerb, "lowered"), (surface, "asphalt")):
        answer(client, p["task_id"], value, IP1)
        answer(client, p["task_id"], value, IP2)
    osc = _wait_for(lambda: client.get("/api/audits/export.osc"), lambda r: r.headers.get("X-Changes") == "2")
    assert osc.status_code == 200 and osc.mimetype == "application/xml"
    assert "attachment" in osc.headers["Content-Disposition"]
    root = ET.fromstring(osc.data)
    assert root.tag == "osmChange" and root.get("version") == "0.6"
    got = {(el.tag, int(el.get("id"))): el for el in root.find("modify")}
    node = got[("node", kerb["element"]["id"])]
    assert node.get("version") == str(kerb["element"]["version"])
    assert {t.get("k"): t.get("v") for t in node.findall("tag")}["kerb"] == "lowered"
    doc = client.get("/api/audits/export.geojson?lang=en").get_json()
    assert doc["changes"] == 2 and {f["properties"]["clean"] for f in doc["features"]} == {True}
    assert all(f["properties"]["evidence"][0]["answers"] == 2 for f in doc["features"])


def test_the_network_layer_shows_verified_values(make_reports_app: Any, helsinki_net: Any) -> None:
    app = make_reports_app()
    client = app.test_client()
    p = first_of(tasks(client), "surface")
    answer(client, p["task_id"], "gravel", IP1)
    answer(client, p["task_id"], "gravel", IP2)
    lon, lat = p["location"]["lon"], p["location"]["lat"]
    bbox = f"{lon - 0.0005},{lat - 0.0003},{lon + 0.0005},{lat + 0.0003}"

    def edge() -> dict[str, Any]:
        fc = client.get(f"/api/layers/network?bbox={bbox}&limit=500").get_json()
        return next(f["properties"] for f in fc["features"] if f["properties"]["edge_id"] in p["element"]["edge_ids"])

    props = _wait_for(edge, lambda e: e["community_verified"])
    assert props["community_verified"] and props["surface"] == "gravel" and props["surface_class"] == "unpaved_loose"
    assert props["access"] == "impassable"  # loose gravel closes the way for a manual wheelchair
    e = helsinki_net.edges[~helsinki_net.edge_col("across_area").astype(bool)]  # mapped lines, none across plazas
    known_m = float(e.loc[e["surface_known"], "length_m"].sum()) + p["unknown_m"]
    info = client.get("/api/info").get_json()
    assert info["coverage"]["known_pct"]["surface"] == pytest.approx(round(100 * known_m / e["length_m"].sum(), 1))
    assert info["coverage_osm"]["known_pct"]["surface"] < info["coverage"]["known_pct"]["surface"]
