"""HTML pages and the health check."""

from __future__ import annotations

from typing import Any

import folium
from flask import Blueprint, jsonify, render_template
from flask.typing import ResponseReturnValue

from webmap import vendor
from webmap.state import current_network, is_sample

bp = Blueprint("pages", __name__)


def source_banner(summary: dict[str, Any], sample: bool) -> dict[str, Any]:
    """What the banner says about the data shown."""
    return {
        "sample": sample,
        "area": summary["area"],
        "source": summary["source"],
        "data_date": summary["data_date"],
    }


def build_map(bounds: tuple[float, float, float, float]) -> folium.Map:
    """A folium map fitted to the network, using Leaflet served by this app."""
    minx, miny, maxx, maxy = bounds
    fmap = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=15, tiles=None,
                      control_scale=True)
    fmap.default_js = [("leaflet", vendor.LEAFLET_JS)]
    fmap.default_css = [("leaflet_css", vendor.LEAFLET_CSS)]
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap


@bp.get("/")
def index() -> ResponseReturnValue:
    """The map page."""
    net = current_network()
    summary = net.summary()
    fmap = build_map(net.bounds())
    root = fmap.get_root()
    root.render()
    header = root.header.render().replace("maximum-scale=1.0, user-scalable=no", "")
    return render_template(
        "index.html",
        banner=source_banner(summary, is_sample(net)),
        map_header=header,
        map_html=root.html.render(),
        map_script=root.script.render(),
        map_name=fmap.get_name(),
    )


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Liveness plus what is loaded: area, source, data date and counts."""
    net = current_network()
    s = net.summary()
    body = {
        "status": "ok",
        "area": s["area"],
        "source": s["source"],
        "sample": is_sample(net),
        "notice": "sample data: Helsinki (OpenStreetMap), not Liberec" if is_sample(net) else None,
        "data_date": s["data_date"],
        "nodes": s["nodes"],
        "edges": s["edges"],
        "buildings": s["buildings"],
        "pois": s["pois"],
    }
    return jsonify(body)
