"""Public-transport stops: GTFS (zip, folder, stops.txt) and the real DPMLJ stops from the shared folder."""

from __future__ import annotations

import csv
import http.server
import io
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.errors import DataError, DownloadError
from geo.layers.stops import fetch_gtfs, gtfs_stops, load_stops, wheelchair_summary

DPMLJ_COUNTS = {"accessible": 29, "not_accessible": 182, "unknown": 1}


def gtfs_text_from_shared_csv(csv_path: Path) -> str:
    """The shared DPMLJ CSV written back as a GTFS stops.txt (same values, GTFS column names)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["stop_id", "stop_code", "stop_name", "stop_lat", "stop_lon", "zone_id", "location_type",
                     "parent_station", "wheelchair_boarding"])
    for r in csv.DictReader(csv_path.open(encoding="utf-8")):
        writer.writerow([r["id"], r["code"], r["name"], r["lat"], r["lon"], r["zone"], "0", "", r["wheelchair"]])
    return out.getvalue()


@pytest.fixture(scope="module")
def gtfs_zip(dpmlj_stops: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gtfs") / "dpmlj.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("stops.txt", gtfs_text_from_shared_csv(dpmlj_stops / "dpmlj_stops_2026-08.csv"))
        zf.writestr("agency.txt", "agency_id,agency_name,agency_url,agency_timezone\n1,DPMLJ,http://x,Europe/Prague\n")
    return path


@pytest.mark.parametrize("name", ["dpmlj_stops_2026-08.csv", "dpmlj_stops_2026-08.geojson"])
def test_shared_dpmlj_stops_have_the_published_wheelchair_counts(dpmlj_stops: Path, name: str) -> None:
    stops = load_stops(dpmlj_stops / name)
    assert len(stops) == 212 and stops["stop_id"].is_unique
    assert wheelchair_summary(stops) == DPMLJ_COUNTS
    minx, miny, maxx, maxy = stops.total_bounds
    # Liberec and Jablonec; PROVENANCE.md says 14.93–15.16 / 50.71–50.81, the data reach 15.164 / 50.708
    assert (minx, miny) >= (14.9, 50.7) and maxx <= 15.2 and maxy <= 50.82


def test_gtfs_zip_and_folder_of_the_real_stops(gtfs_zip: Path, tmp_path: Path, dpmlj_stops: Path) -> None:
    from_zip = load_stops(gtfs_zip)
    assert len(from_zip) == 212 and wheelchair_summary(from_zip) == DPMLJ_COUNTS
    folder = tmp_path / "feed"
    folder.mkdir()
    with zipfile.ZipFile(gtfs_zip) as zf:
        zf.extractall(folder)
    from_folder = load_stops(folder)
    assert from_folder["stop_id"].tolist() == from_zip["stop_id"].tolist()
    americka = from_folder.set_index("stop_id").loc["111"]
    assert americka["name"] == "Americká" and americka["wheelchair"] == "not_accessible"
    shared = load_stops(dpmlj_stops / "dpmlj_stops_2026-08.csv").set_index("stop_id")
    assert from_zip.set_index("stop_id").geometry.geom_equals(shared.geometry.loc[from_zip["stop_id"]]).all()


def test_platforms_inherit_wheelchair_boarding_from_their_station() -> None:
    text = ("stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station,wheelchair_boarding\n"
            "S1,Station,50.77,15.05,1,,1\n"
            "P1,Platform A,50.7701,15.0501,0,S1,0\n"
            "P2,Platform B,50.7702,15.0502,0,S1,2\n"
            "E1,Entrance,,,2,S1,\n")
    stops = gtfs_stops(text).set_index("stop_id")
    assert list(stops.index) == ["P1", "P2"]  # stations and entrances are not drawn as stops
    assert stops.loc["P1", "wheelchair"] == "accessible" and stops.loc["P2", "wheelchair"] == "not_accessible"


@pytest.mark.parametrize(("text", "key", "details", "english"), [
    ("stop_id,stop_name,stop_lat\n1,A,50.0\n", "gtfs.missing_columns", {"field": "stop_lon", "columns": "stop_lon"},
     "stops.txt: missing GTFS column stop_lon (is this a GTFS stops.txt?)"),
    ("stop_id,stop_name,stop_lat,stop_lon\n1,A,50.0,abc\n", "stops.bad_coordinates",
     {"row": 2, "stop_id": "1", "lat": "50.0", "lon": "abc"},
     "stops.txt: row 2 (stop_id '1'): invalid coordinates lat '50.0', lon 'abc'"),
    ("stop_id,stop_name,stop_lat,stop_lon,wheelchair_boarding\n1,A,50,15,yes\n", "stops.bad_wheelchair",
     {"row": 2, "field": "wheelchair_boarding", "value": "yes"},
     "stops.txt: row 2 (stop_id '1'): wheelchair_boarding must be empty, 0, 1 or 2, got 'yes'"),
    ("stop_id,stop_name,stop_lat,stop_lon\n1,A,50,15\n1,B,50,15\n", "stops.bad_id",
     {"row": 3, "field": "stop_id", "stop_id": "1"}, "stops.txt: row 3: stop_id '1' is empty or repeated"),
])
def test_bad_gtfs_rows_are_reported_by_row(text: str, key: str, details: dict, english: str) -> None:
    with pytest.raises(DataError) as err:
        gtfs_stops(text, source="stops.txt")
    assert err.value.key == key and err.value.details["file"] == "stops.txt"
    assert err.value.details | details == err.value.details
    assert str(err.value) == english and err.value.message("cs").startswith("stops.txt: ")


def test_not_a_feed(tmp_path: Path) -> None:
    bad_zip = tmp_path / "feed.zip"
    bad_zip.write_text("<html>not found</html>")
    with pytest.raises(DataError) as err:
        load_stops(bad_zip)
    assert err.value.key == "gtfs.not_zip" and err.value.details["file"] == str(bad_zip)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataError) as err:
        load_stops(empty)
    assert err.value.key == "stops.folder_without_stops" and err.value.details["file"] == str(empty)
    with pytest.raises(DataError) as err:
        load_stops(tmp_path / "nope.zip")
    assert err.value.key == "stops.file_not_found" and err.value.details["file"] == str(tmp_path / "nope.zip")


class _FeedHandler(http.server.BaseHTTPRequestHandler):
    payload: bytes = b""

    def do_GET(self) -> None:
        body = self.payload if self.path == "/gtfs.zip" else b"<html>404</html>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def feed_server(gtfs_zip: Path) -> Iterator[str]:
    handler = type("Handler", (_FeedHandler,), {"payload": gtfs_zip.read_bytes()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_online_feed_is_downloaded_and_read(feed_server: str, tmp_path: Path) -> None:
    dest = fetch_gtfs(f"{feed_server}/gtfs.zip", tmp_path / "gtfs" / "feed.zip")
    assert wheelchair_summary(load_stops(dest)) == DPMLJ_COUNTS
    with pytest.raises(DownloadError) as err:
        fetch_gtfs(f"{feed_server}/other", tmp_path / "gtfs" / "other.zip")
    assert err.value.key == "gtfs.not_a_zip_download" and err.value.details["size"] == len(b"<html>404</html>")
    assert "(16 bajtů)" in err.value.message("cs") and "(16 bytes)" in str(err.value)
    with pytest.raises(DownloadError) as err:
        fetch_gtfs("http://127.0.0.1:9/gtfs.zip", tmp_path / "x.zip")
    assert err.value.key == "gtfs.download_failed" and err.value.details["url"] == "http://127.0.0.1:9/gtfs.zip"


def test_a_feed_server_that_never_answers_is_given_up_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tests.terrain_stub import black_hole

    monkeypatch.setenv("LBB_DOWNLOAD_LIMIT_S", "2")
    with black_hole() as url, pytest.raises(DownloadError) as err:
        fetch_gtfs(f"{url}/gtfs.zip", tmp_path / "x.zip")
    assert err.value.key == "gtfs.download_failed" and "did not finish within 2 s" in err.value.message("en")


def test_the_app_downloads_stops_only_for_an_online_city(feed_server: str, liberec_net, tmp_path: Path) -> None:
    from dataclasses import replace

    from webmap import create_app

    online = replace(liberec_net, meta={**liberec_net.meta, "provenance": {
        **liberec_net.meta["provenance"], "source": "overpass"}})
    for net, expected in ((liberec_net, 0), (online, 212)):
        app = create_app({"TESTING": True, "NETWORK": net, "CACHE_DIR": str(tmp_path / str(expected)),
                          "GTFS_URL": f"{feed_server}/gtfs.zip", "FLATS_STORE": str(tmp_path / "none.geojson")})
        body = app.test_client().get("/api/layers/stops?limit=1").get_json()
        assert body["total"] == expected
