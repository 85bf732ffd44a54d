"""Per-process objects of the app, each built once on first use (thread-safe) and shared by requests.

* :func:`network` — the city, from the cache (or built), or ``config["NETWORK"]``;
* :func:`router` — the router over it;
* :func:`layers` — the map layers (the curated files are validated when the app is created, so a
  broken file stops the app at start);
* :func:`service_targets` — placed services as routing destinations;
* :func:`database`, :func:`reports`, :func:`moderators`, :func:`api_keys`, :func:`audits` — the reports
  database and its stores;
* :func:`audit_index` — the network's open verification questions and, per profile, their ranking;
* :func:`overlay_provider` / :func:`reports_view` — confirmed reports and verified answers as a routing
  overlay, kept fresh;
* :func:`analysis` — the planner's ranking of one request (cached per request and overlay version),
  :func:`norms` and :func:`coverage` — norm compliance and data coverage of the network;
* :func:`housing` — reach cards of homes (their searches kept per profile and overlay version).

Config keys (with environment variables): ``SERVICES_FILE`` (``$LBB_SERVICES_FILE``), ``FLATS_FILE``
(``$LBB_FLATS_FILE``), ``PROGRAMME_FILE`` (``$LBB_PROGRAMME_FILE``, the programme tracker; its links to
the records are checked at start), ``FLATS_STORE`` (``$LBB_FLATS_STORE``, where ``app.py import-flats`` writes),
``STOPS_FILE`` (``$LBB_STOPS_FILE``: GTFS zip/folder/stops.txt, or the DPMLJ CSV/GeoJSON),
``GTFS_URL`` (``$LBB_GTFS_URL``, downloaded into the cache when the city itself was downloaded and no
stops file is given), ``DATABASE_URL`` (``$LBB_DATABASE_URL``), ``DATABASE_AUTO_MIGRATE``,
``REPORTS_UPLOAD_DIR``, ``REPORTS_POLL_INTERVAL_S``, ``REPORTS_SNAP_TOLERANCE_M``.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd
from flask import Flask, current_app

from geo import settings
from geo.analysis.cards import Housing, HousingInputs
from geo.analysis.coverage import city_parts, coverage_zones, load_districts
from geo.analysis.norms import judge
from geo.analysis.planner import Analysis, AnalysisCache, PlannerInputs, PlannerRequest
from geo.errors import DataError, DownloadError
from geo.layers.programme import ProgrammeFile, check_links, read_programme
from geo.layers.query import MapLayers
from geo.layers.schemas import FlatCollection, ServiceCollection, check_no_clash, read_flats, read_services
from geo.layers.stops import empty_stops, fetch_gtfs, load_stops
from geo.network import cache
from geo.network.model import Network
from geo.network.pipeline import TERRAIN_AUTO, SourceSpec, load_or_build
from geo.reports.accounts import ModeratorAccounts
from geo.reports.apikeys import ApiKeys
from geo.reports.audit_store import AuditStore
from geo.reports.audit_tasks import AuditIndex
from geo.reports.database import Database
from geo.reports.placement import ReportsView
from geo.reports.provider import OverlayProvider
from geo.reports.store import ReportStore
from geo.routing.overlay import Overlay
from geo.routing.router import Router
from geo.routing.targets import Targets, targets_from_frame

log = logging.getLogger(__name__)
_lock = threading.RLock()
T = TypeVar("T")
_PREFIX = "lbb."


@dataclass
class LayerFiles:
    """The validated layer files of the app."""

    services: ServiceCollection
    flats: FlatCollection
    imported_flats: FlatCollection | None
    stops: gpd.GeoDataFrame
    stops_source: str | None
    programme: ProgrammeFile | None = None


def init_app(app: Flask) -> None:
    """Validate the layer files now (a broken file stops the app) and prepare the slots."""
    for key in [k for k in app.extensions if k.startswith(_PREFIX)]:
        del app.extensions[key]
    if app.config.get("NETWORK") is not None:
        app.extensions[_PREFIX + "network"] = app.config["NETWORK"]
    app.extensions[_PREFIX + "files"] = load_files(app)


def once(key: str, build: Callable[[], T]) -> T:
    """The app's resource ``key``, built by ``build`` on first use — once per process, thread-safe."""
    app = current_app
    full = _PREFIX + key
    value = app.extensions.get(full)
    if value is None:
        with _lock:
            value = app.extensions.get(full)
            if value is None:
                value = build()
                app.extensions[full] = value
    return value


# --------------------------------------------------------------------------- network and routing


def load_network(config: Mapping[str, Any]) -> Network:
    """The network the config names, in this order: ``NETWORK_DIR`` (a cache entry, read as it is —
    several machines may share one read-only copy), ``OSM_FILE``, ``SAMPLE``, else ``PLACE`` from the
    cache — downloaded only with ``DOWNLOAD``, and the bundled sample when that is off or fails."""
    if config.get("NETWORK_DIR"):
        entry = Path(config["NETWORK_DIR"])
        net = cache.load(entry)
        if net is None:
            raise DataError("network.no_cache_entry", path=entry.name, variable="LBB_NETWORK_DIR")
        return net
    osm_file = config.get("OSM_FILE")
    spec = (SourceSpec.file(osm_file) if osm_file else SourceSpec.sample() if config.get("SAMPLE")
            else SourceSpec.place(config["PLACE"]))
    dem = config.get("DEM") or TERRAIN_AUTO  # a downloaded place gets its terrain model; "none" turns it off
    return load_or_build(spec, dem=None if dem == "none" else dem, cache_dir=config["CACHE_DIR"],
                         fallback_to_sample=spec.kind == "place", download=bool(config.get("DOWNLOAD", True)))


def network() -> Network:
    """The app's network, loaded on first use (:func:`load_network`)."""
    return once("network", lambda: load_network(current_app.config))


def is_sample(net: Network) -> bool:
    """True when the network is the bundled Helsinki sample, not Liberec."""
    return net.meta.get("provenance", {}).get("source") == "sample"


def open311_agency() -> str | None:
    """The agency responsible for reports (``OPEN311_AGENCY``), or none on the sample data (not its city)."""
    return None if is_sample(network()) else current_app.config["OPEN311_AGENCY"]


def router() -> Router:
    """The router over the app's network."""
    return once("router", lambda: Router(network()))


# --------------------------------------------------------------------------- layers


def _stops_path(app: Flask) -> Path | None:
    configured = app.config.get("STOPS_FILE") or os.environ.get("LBB_STOPS_FILE")
    if configured:
        return Path(configured)
    cached = Path(app.config["CACHE_DIR"]) / "gtfs" / "dpmlj-gtfs.zip"
    return cached if cached.is_file() else None


def load_files(app: Flask) -> LayerFiles:
    """Read and validate every layer file named by the app config (raises :class:`DataError`)."""
    services = read_services(app.config.get("SERVICES_FILE") or os.environ.get("LBB_SERVICES_FILE")
                             or settings.SERVICES_FILE)
    flats = read_flats(app.config.get("FLATS_FILE") or os.environ.get("LBB_FLATS_FILE") or settings.FLATS_FILE)
    store = Path(app.config.get("FLATS_STORE") or settings.imported_flats_path())
    imported = read_flats(store) if store.is_file() else None
    if imported is not None:
        check_no_clash(imported, flats, file=store)
    programme_path = Path(app.config.get("PROGRAMME_FILE") or os.environ.get("LBB_PROGRAMME_FILE")
                          or settings.PROGRAMME_FILE)
    programme = read_programme(programme_path)
    check_links(programme, services, flats, file=programme_path)
    stops_path = _stops_path(app)
    stops = load_stops(stops_path) if stops_path is not None else empty_stops()
    return LayerFiles(services, flats, imported, stops, stops_path.name if stops_path else None,  # no server paths
                      programme)


def _online_stops(app: Flask, files: LayerFiles, source: str | None) -> LayerFiles:
    """Download the GTFS feed once when the city came from Overpass and no stops file was given."""
    url = app.config.get("GTFS_URL", settings.gtfs_url())
    if files.stops_source is not None or source != "overpass" or not url or not app.config.get("DOWNLOAD", True):
        return files
    dest = Path(app.config["CACHE_DIR"]) / "gtfs" / "dpmlj-gtfs.zip"
    try:
        fetch_gtfs(url, dest)
        return replace(files, stops=load_stops(dest), stops_source=url)
    except (DownloadError, DataError) as exc:
        log.warning("stops layer left empty: %s", exc)
        return files


def layers() -> MapLayers:
    """The app's map layers, built on first use from the network and the validated files."""

    def build() -> MapLayers:
        app = current_app
        net = network()
        files = _online_stops(app, app.extensions[_PREFIX + "files"], net.meta.get("provenance", {}).get("source"))
        return MapLayers.build(net, files.services, files.flats, files.imported_flats, files.stops,
                               stops_source=files.stops_source, programme=files.programme)

    return once("layers", build)


def programme() -> ProgrammeFile:
    """The validated programme tracker."""
    return current_app.extensions[_PREFIX + "files"].programme


def service_targets() -> Targets:
    """Placed services (curated and OSM) as routing destinations."""
    return once("service_targets", lambda: targets_from_frame(layers().service_targets(), router()))


# --------------------------------------------------------------------------- reports


def database() -> Database:
    """The reports database (migrated on first use when ``DATABASE_AUTO_MIGRATE``)."""

    def open_db() -> Database:
        db = Database(current_app.config["DATABASE_URL"])
        if current_app.config["DATABASE_AUTO_MIGRATE"]:
            db.migrate()
        return db

    return once("database", open_db)


def reports() -> ReportStore:
    """The reports store."""
    return once("reports", lambda: ReportStore(database(), photo_dir=current_app.config["REPORTS_UPLOAD_DIR"]))


def moderators() -> ModeratorAccounts:
    """The moderator accounts."""
    return once("moderators", lambda: ModeratorAccounts(database()))


def api_keys() -> ApiKeys:
    """The API keys of Open311 clients."""
    return once("api_keys", lambda: ApiKeys(database()))


def audits() -> AuditStore:
    """The verification answers and verdicts (answer photos live next to the report photos)."""
    return once("audits", lambda: AuditStore(database(), photo_dir=current_app.config["REPORTS_UPLOAD_DIR"]))


def audit_index() -> AuditIndex:
    """The network's open verification questions; each profile's trips and ranking are made on first use."""
    return once("audit_index", lambda: AuditIndex(network(), router()))


def overlay_provider() -> OverlayProvider:
    """The process's overlay provider (polls the database change counter)."""
    config = current_app.config
    return once("overlay_provider", lambda: OverlayProvider(
        reports(), network(), audits=audits(), poll_interval_s=float(config["REPORTS_POLL_INTERVAL_S"]),
        tolerance_m=float(config["REPORTS_SNAP_TOLERANCE_M"])))


def reports_view() -> ReportsView:
    """The active reports and the routing overlay built from them (fresh within the poll interval)."""
    return overlay_provider().view()


def overlay() -> Overlay:
    """Cost changes from confirmed barrier reports and the attribute values citizens verified."""
    return reports_view().overlay


# --------------------------------------------------------------------------- planner


def planner_cache() -> AnalysisCache:
    """The planner's analyses of this city (homes, destinations and OSM barriers read once)."""
    return once("planner", lambda: AnalysisCache(PlannerInputs.from_layers(router(), layers())))


def analysis(request: PlannerRequest) -> Analysis:
    """The ranking of ``request`` with the current confirmed reports (computed once per overlay version)."""
    return planner_cache().get(request, reports_view())


def norms() -> pd.DataFrame:
    """Every network edge judged against the barrier-free rules (:func:`geo.analysis.norms.judge`)."""
    return once("norms", lambda: judge(network()))


def coverage() -> gpd.GeoDataFrame:
    """Data coverage per city part (OSM boundaries of the network's source) or 500 m square."""

    def build() -> gpd.GeoDataFrame:
        net = network()
        return coverage_zones(net, city_parts(net, load_districts(net.meta.get("provenance", {}))))

    return once("coverage", build)


# --------------------------------------------------------------------------- housing


def housing() -> Housing:
    """Reach cards of this city's homes (destinations, buildings and flats read once)."""
    return once("housing", lambda: Housing(HousingInputs.from_layers(router(), layers())))
