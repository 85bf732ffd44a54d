"""The network (and later other per-process resources) loaded once per process."""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app

from geo.network import Network
from geo.pipeline import SourceSpec, load_or_build

log = logging.getLogger(__name__)
_lock = threading.Lock()
_KEY = "lbb.network"


def init_app(app: Flask) -> None:
    """Register the network slot; a network in the config is used as is."""
    app.extensions[_KEY] = app.config.get("NETWORK")


def current_network() -> Network:
    """The app's network, loaded from the cache (or built) on first use."""
    app = current_app
    net = app.extensions.get(_KEY)
    if net is not None:
        return net
    with _lock:
        net = app.extensions.get(_KEY)
        if net is None:
            osm_file = app.config.get("OSM_FILE")
            spec = SourceSpec.file(osm_file) if osm_file else SourceSpec.place(app.config["PLACE"])
            net = load_or_build(spec, dem=app.config.get("DEM"), cache_dir=app.config["CACHE_DIR"],
                                fallback_to_sample=not osm_file)
            app.extensions[_KEY] = net
    return net


def is_sample(net: Network) -> bool:
    """True when the network is the bundled Helsinki sample, not Liberec."""
    return net.meta.get("provenance", {}).get("source") == "sample"
