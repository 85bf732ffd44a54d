"""Map layers of the running app.

When the app is created, the curated layer files (services, city flats, imported flats) and the
stops file are read and validated — a broken file stops the app with one error naming the file,
feature and field. The parts that need the network (positions from OSM addresses, OSM POIs,
barriers, search index) are built on first use, once per process.

Config keys (with environment variables): ``SERVICES_FILE`` (``$LBB_SERVICES_FILE``), ``FLATS_FILE``
(``$LBB_FLATS_FILE``), ``FLATS_STORE``
(``$LBB_FLATS_STORE``, where ``app.py import-flats`` writes), ``STOPS_FILE`` (``$LBB_STOPS_FILE``:
GTFS zip/folder/stops.txt, or the DPMLJ CSV/GeoJSON), ``GTFS_URL`` (``$LBB_GTFS_URL``, downloaded
into the cache when the city itself was downloaded and no stops file is given).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
from flask import Flask, current_app

from geo import settings
from geo.errors import DataError, DownloadError
from geo.layers.query import MapLayers
from geo.layers.schemas import FlatCollection, ServiceCollection, read_flats, read_services
from geo.layers.stops import empty_stops, fetch_gtfs, load_stops
from webmap.state import current_network, once

log = logging.getLogger(__name__)
_KEY = "lbb.layers"
_LAYERS = "lbb.layers.built"


@dataclass
class LayerFiles:
    """The validated layer files of the app."""

    services: ServiceCollection
    flats: FlatCollection
    imported_flats: FlatCollection | None
    stops: gpd.GeoDataFrame
    stops_source: str | None


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
        clash = {f.properties.id for f in imported.features} & {f.properties.id for f in flats.features}
        if clash:
            msg = f"{store}: ids {', '.join(sorted(clash))} are also in the shipped flats layer"
            raise DataError(msg, file=str(store), field="id")
    stops_path = _stops_path(app)
    stops = load_stops(stops_path) if stops_path is not None else empty_stops()
    return LayerFiles(services, flats, imported, stops, str(stops_path) if stops_path else None)


def init_app(app: Flask) -> None:
    """Validate the layer files now, so a broken file stops the app at start."""
    app.extensions[_KEY] = {"files": load_files(app)}
    app.extensions[_LAYERS] = None


def _online_stops(app: Flask, files: LayerFiles, source: str | None) -> LayerFiles:
    """Download the GTFS feed once when the city came from Overpass and no stops file was given."""
    url = app.config.get("GTFS_URL", settings.gtfs_url())
    if files.stops_source is not None or source != "overpass" or not url:
        return files
    dest = Path(app.config["CACHE_DIR"]) / "gtfs" / "dpmlj-gtfs.zip"
    try:
        fetch_gtfs(url, dest)
        return LayerFiles(files.services, files.flats, files.imported_flats, load_stops(dest), f"{url} ({dest})")
    except (DownloadError, DataError) as exc:
        log.warning("stops layer left empty: %s", exc.message)
        return files


def current_layers() -> MapLayers:
    """The app's map layers, built on first use from the network and the validated files."""

    def build() -> MapLayers:
        app = current_app
        net = current_network()
        files = _online_stops(app, app.extensions[_KEY]["files"], net.meta.get("provenance", {}).get("source"))
        return MapLayers.build(net, files.services, files.flats, files.imported_flats, files.stops,
                               stops_source=files.stops_source)

    return once(_LAYERS, build)
