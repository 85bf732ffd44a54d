"""HTML pages (the map, the planner, moderation) and the health check.

The map is a folium ``Map`` with one (empty) ``FeatureGroup`` per layer and a ``LayerControl``;
the map script (``static/js/main.js`` and its modules) fills the groups from ``/api`` per viewport.
Folium names its objects with generated JavaScript globals; :func:`folium_hook` publishes them once
as ``window.lbbFolium = {map, groups, layerControl}`` — the one place the script finds them.
Leaflet comes from the ``xstatic-leaflet`` package through :mod:`webmap.vendor` — no CDN.
"""

from __future__ import annotations

import json
import re
from typing import Any

import folium
from flask import Blueprint, current_app, jsonify, render_template
from flask.typing import ResponseReturnValue

from geo import i18n
from geo.analysis.export import category_label
from geo.analysis.norms import LAW
from geo.analysis.norms import LIMITS as NORM_LIMITS
from geo.analysis.origins import DESTINATION_CHOICES, ORIGIN_CHOICES
from geo.analysis.planner import DEFAULT_MINUTES, MAX_MINUTES, MAX_PACKAGE, MAX_WHATIF, MIN_MINUTES
from geo.layers.programme import STATUSES as COMMITMENT_STATUSES
from geo.layers.query import located
from geo.layers.schemas import SERVICE_CATEGORIES
from geo.network.model import Network
from geo.reports.audit_model import ACTIONS as AUDIT_ACTIONS
from geo.reports.audit_model import STATUSES as AUDIT_STATUSES
from geo.reports.model import CATEGORIES, STATUSES
from geo.routing.profiles import LIMIT_RANGES, PROFILES
from webmap import resources, vendor
from webmap.auth import csrf_token, current_moderator
from webmap.i18n import api_lang, lang, t
from webmap.openapi import Health, doc
from webmap.planner_api import CATEGORIES as PLANNER_CATEGORIES

#: Catalogue sections the map script needs (it renders them with the same template syntax).
SCRIPT_TEXTS = ("ui.", "service.category.", "report.category.", "report.status.", "report.severity.", "profile.",
                "route.relax.", "access.", "unit.", "programme.", "provenance.", "planner.", "housing.")

bp = Blueprint("pages", __name__)

#: Map layers in the layer control: (key, shown at start).
MAP_GROUPS: tuple[tuple[str, bool], ...] = (
    ("base", True), ("network", True), ("coverage", False), ("buildings", True), ("services", True), ("flats", True),
    ("stops", True), ("barriers", False), ("reports", True), ("audits", True), ("isochrone", True), ("route", True),
)
#: Map layers of the planner page (labels ``planner.layer_<key>``).
PLANNER_GROUPS: tuple[tuple[str, bool], ...] = (("coverage", False), ("norms", False), ("ranking", True),
                                                ("selected", True))


def config_json(config: dict[str, Any]) -> str:
    """The page configuration as JSON safe inside ``<script type="application/json">``."""
    return json.dumps(config, ensure_ascii=False).replace("</", "<\\/")


def source_banner(summary: dict[str, Any], sample: bool) -> dict[str, Any]:
    """What the banner says about the data shown."""
    return {
        "sample": sample,
        "area": summary["area"],
        "source": summary["source"],
        "data_date": summary["data_date"],
    }


def build_map(centre: tuple[float, float], groups_shown: tuple[tuple[str, bool], ...] = MAP_GROUPS,
              label: str = "ui.layer_", empty: frozenset[str] = frozenset()) -> tuple[folium.Map, dict[str, str], str]:
    """The folium map at street level around ``centre`` (lat, lon), its layer groups (key → JS name; names
    ``label`` + key) and its layer control. Street level, because the network and buildings load per viewport."""
    fmap = folium.Map(location=list(centre), zoom_start=16, tiles=None, control_scale=True, min_zoom=10, max_zoom=19)
    fmap.default_js = [("leaflet", vendor.LEAFLET_JS)]
    fmap.default_css = [("leaflet_css", vendor.LEAFLET_CSS)]
    groups: dict[str, str] = {}
    for key, show in groups_shown:
        name = t("ui.layer_empty", layer=t(f"{label}{key}")) if key in empty else t(f"{label}{key}")
        group = folium.FeatureGroup(name=name, show=show and key not in empty,
                                    control=key not in ("route", "isochrone"))
        group.add_to(fmap)
        groups[key] = group.get_name()
    control = folium.LayerControl(collapsed=True, position="topright")
    control.add_to(fmap)
    return fmap, groups, control.get_name()


def empty_layers(net: Network) -> frozenset[str]:
    """The point layers with nothing placed in the loaded area (e.g. Liberec's flats and stops on the sample):
    the layer control says so and they start hidden."""
    layers = resources.layers()
    west, south, east, north = net.bounds()
    out = set()
    for key in ("flats", "stops"):
        frame = layers.frame(key)
        if not len(frame[located(frame)].cx[west:east, south:north]):
            out.add(key)
    return frozenset(out)


def network_centre(net: Network) -> tuple[float, float]:
    """Where the network is densest: the median node (lat, lon) — the city centre, not the bbox middle."""
    return float(net.nodes["lat"].median()), float(net.nodes["lon"].median())


def folium_hook(fmap: folium.Map, groups: dict[str, str], control: str) -> str:
    """JavaScript that publishes folium's generated objects as ``window.lbbFolium``."""
    names = ", ".join(f"{json.dumps(k)}: {v}" for k, v in groups.items())
    return f"window.lbbFolium = {{map: {fmap.get_name()}, groups: {{{names}}}, layerControl: {control}}};"


def _render_map(fmap: folium.Map, groups: dict[str, str], control: str) -> dict[str, str]:
    root = fmap.get_root()
    root.render()
    # folium's viewport meta forbids zooming the page (WCAG 1.4.4); the page template sets its own
    header = re.sub(r'<meta name="viewport"[^>]*>', "", root.header.render())
    return {"header": header, "html": root.html.render(),
            "script": root.script.render() + "\n" + folium_hook(fmap, groups, control)}


@bp.get("/")
@doc(tags=("pages",), resp={"HTTP_200": None}, content={200: "text/html"})
def index() -> ResponseReturnValue:
    """The map page (its map and settings are assembled once per process and language)."""
    return render_template("index.html", **resources.once(f"page.{lang()}", _index_context))


def _index_context() -> dict[str, Any]:
    net = resources.network()
    fmap, groups, control = build_map(network_centre(net), empty=empty_layers(net))
    profiles = {name: {"label": t(f"profile.{name}"),
                       **{k: (None if v == float("inf") else v) for k, v in
                          ((k, getattr(p, k)) for k in LIMIT_RANGES)},
                       "avoid_unknown": p.avoid_unknown, "steps": p.steps}
                for name, p in PROFILES.items()}
    config = {
        "lang": lang(),
        "texts": i18n.table(lang(), SCRIPT_TEXTS),
        "tileUrl": current_app.config.get("TILE_URL") or "",
        "bounds": list(net.bounds()),
        "profiles": profiles,
        "limitRanges": LIMIT_RANGES,
        "serviceCategories": list(SERVICE_CATEGORIES),
        "reportCategories": list(CATEGORIES),
    }
    return {
        "banner": source_banner(net.summary(), resources.is_sample(net)),
        "folium_map": _render_map(fmap, groups, control),
        "config_json": config_json(config),
        "profiles": profiles,
        "service_categories": SERVICE_CATEGORIES,
        "report_categories": CATEGORIES,
    }


@bp.get("/planner")
@doc(tags=("pages",), resp={"HTTP_200": None}, content={200: "text/html"})
def planner() -> ResponseReturnValue:
    """The planner's page: ranked barriers, what-if, packages, norm compliance and coverage (public)."""
    return render_template("planner.html", **resources.once(f"planner_page.{lang()}", _planner_context))


def _planner_context() -> dict[str, Any]:
    net = resources.network()
    fmap, groups, control = build_map(network_centre(net), PLANNER_GROUPS, "planner.layer_")
    limits = {"min_minutes": int(MIN_MINUTES), "max_minutes": int(MAX_MINUTES), "default_minutes": int(DEFAULT_MINUTES),
              "max_package": MAX_PACKAGE, "max_whatif": MAX_WHATIF}
    categories = [(c, category_label(c, lang())) for c in PLANNER_CATEGORIES]
    config = {"lang": lang(), "texts": i18n.table(lang(), SCRIPT_TEXTS), "tileUrl": current_app.config.get("TILE_URL")
              or "", "ruleLimits": NORM_LIMITS, "categoryLabels": dict(categories)}
    return {
        "banner": source_banner(net.summary(), resources.is_sample(net)),
        "folium_map": _render_map(fmap, groups, control),
        "config_json": config_json(config),
        "profiles": list(PROFILES), "limits": limits, "categories": categories, "law": LAW,
        "origin_choices": ORIGIN_CHOICES, "destination_choices": DESTINATION_CHOICES,
    }


@bp.get("/moderation")
@doc(tags=("pages",), resp={"HTTP_200": None}, content={200: "text/html"})
def moderation() -> ResponseReturnValue:
    """The moderation queue (sign-in form until a moderator is signed in)."""
    # who is signed in is known here, so the page needs no failing request to find out
    mod = current_moderator()
    me = {"name": mod.name, "csrf_token": csrf_token()} if mod else None
    config = {"lang": lang(), "texts": i18n.table(lang(), SCRIPT_TEXTS), "statuses": list(STATUSES), "me": me}
    return render_template("moderation.html", statuses=STATUSES, audit_statuses=AUDIT_STATUSES,
                           audit_actions=AUDIT_ACTIONS, config_json=config_json(config))


@bp.get("/programme")
@doc(tags=("pages",), resp={"HTTP_200": None}, content={200: "text/html"})
def programme() -> ResponseReturnValue:
    """The programme tracker: every commitment, its records on the map, targets and status (filled by
    ``static/js/programme.js`` from ``/api/programme``)."""
    config = {"lang": lang(), "texts": i18n.table(lang(), SCRIPT_TEXTS), "statuses": list(COMMITMENT_STATUSES)}
    return render_template("programme.html", statuses=COMMITMENT_STATUSES,
                           config_json=config_json(config))


@bp.get("/healthz")
@doc(tags=("network",), resp={"HTTP_200": Health})
def healthz() -> ResponseReturnValue:
    """Liveness plus what is loaded: area, source, data date and counts."""
    net = resources.network()
    s = net.summary()
    sample = resources.is_sample(net)
    body = {
        "status": "ok",
        "area": s["area"],
        "source": s["source"],
        "sample": sample,
        "notice": i18n.text("health.sample_notice", api_lang(), area=s["area"]) if sample else None,
        "data_date": s["data_date"],
        "nodes": s["nodes"],
        "edges": s["edges"],
        "buildings": s["buildings"],
        "pois": s["pois"],
        "terrain": s["terrain"],
    }
    return jsonify(body)
