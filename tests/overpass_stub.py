"""A tiny local stand-in for Nominatim and Overpass, serving a hand-made OSM XML file as JSON.

Lets tests run the real online loading code (osmnx → HTTP) offline.
"""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


def osm_xml_to_overpass_json(path: Path) -> dict[str, Any]:
    """Convert an OSM XML file into an Overpass API JSON answer."""
    elements: list[dict[str, Any]] = []
    for el in ET.parse(path).getroot():
        tags = {t.get("k"): t.get("v") for t in el.findall("tag")}
        if el.tag == "node":
            elements.append({"type": "node", "id": int(el.get("id")), "lat": float(el.get("lat")),
                             "lon": float(el.get("lon")), "tags": tags})
        elif el.tag == "way":
            elements.append({"type": "way", "id": int(el.get("id")),
                             "nodes": [int(n.get("ref")) for n in el.findall("nd")], "tags": tags})
    return {"version": 0.6, "osm3s": {"timestamp_osm_base": "2024-05-01T12:00:00Z"}, "elements": elements}


def nominatim_answer(bbox: tuple[float, float, float, float], name: str) -> list[dict[str, Any]]:
    """A Nominatim search answer whose polygon is ``bbox`` (minlon, minlat, maxlon, maxlat)."""
    w, s, e, n = bbox
    ring = [[w, s], [e, s], [e, n], [w, n], [w, s]]
    return [{
        "place_id": 1, "osm_type": "relation", "osm_id": 439073, "lat": str((s + n) / 2), "lon": str((w + e) / 2),
        "boundingbox": [str(s), str(n), str(w), str(e)], "display_name": name, "class": "boundary",
        "type": "administrative", "importance": 0.7, "place_rank": 16, "addresstype": "city", "name": name,
        "geojson": {"type": "Polygon", "coordinates": [ring]},
    }]


@contextmanager
def serve_osm(path: Path, bbox: tuple[float, float, float, float], name: str) -> Iterator[str]:
    """Serve Nominatim + Overpass for ``path`` on 127.0.0.1; yields the base URL."""
    overpass = json.dumps(osm_xml_to_overpass_json(path)).encode()
    nominatim = json.dumps(nominatim_answer(bbox, name)).encode()
    status = b"Connected as: 1\nCurrent time: 2024-05-01T12:00:00Z\nAnnounced endpoint: none\n" \
             b"Rate limit: 2\n2 slots available now.\nCurrently running queries (pid, space limit, time limit, " \
             b"start time):\n"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, body: bytes, ctype: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path.startswith("/api/status"):
                self._send(status, "text/plain")
            elif self.path.startswith("/search"):
                self._send(nominatim, "application/json")
            else:
                self.send_error(404)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path.startswith("/api/interpreter"):
                self._send(overpass, "application/json")
            else:
                self.send_error(404)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
