"""Per-process resources: the network, its router and the service targets, each loaded once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TypeVar

import numpy as np
from flask import Flask, current_app

from geo.network.model import Network
from geo.network.pipeline import SourceSpec, load_or_build
from geo.routing.router import Anchor, Overlay, Router
from geo.routing.targets import Services, services_from_frame

log = logging.getLogger(__name__)
_lock = threading.RLock()
T = TypeVar("T")
_NET = "lbb.network"
_ROUTER = "lbb.router"
_SERVICES = "lbb.services"


def init_app(app: Flask) -> None:
    """Register the slots; a network given in the config is used as is."""
    app.extensions[_NET] = app.config.get("NETWORK")
    app.extensions[_ROUTER] = None
    app.extensions[_SERVICES] = None


def once(key: str, build: Callable[[], T]) -> T:
    """The app's resource ``key``, built by ``build`` on first use — once per process, thread-safe."""
    app = current_app
    value = app.extensions.get(key)
    if value is None:
        with _lock:
            value = app.extensions.get(key)
            if value is None:
                value = build()
                app.extensions[key] = value
    return value


def current_network() -> Network:
    """The app's network, loaded from the cache (or built) on first use."""

    def load() -> Network:
        config = current_app.config
        osm_file = config.get("OSM_FILE")
        spec = SourceSpec.file(osm_file) if osm_file else SourceSpec.place(config["PLACE"])
        return load_or_build(spec, dem=config.get("DEM"), cache_dir=config["CACHE_DIR"],
                             fallback_to_sample=not osm_file)

    return once(_NET, load)


def current_router() -> Router:
    """The router over the app's network (built once)."""
    return once(_ROUTER, lambda: Router(current_network()))


def current_overlay() -> Overlay:
    """Cost changes from confirmed barrier reports, refreshed in every worker (see :mod:`geo.reports.overlay`)."""
    from webmap.reporting import current_overlay_provider

    return current_overlay_provider().current()


def current_services() -> tuple[Services, list[list[Anchor]]]:
    """Service locations and their anchors on the network (computed once)."""

    def build() -> tuple[Services, list[list[Anchor]]]:
        from webmap.layers_state import current_layers  # layers_state imports this module

        services = services_from_frame(current_layers().service_targets())
        points = np.column_stack([services.lon, services.lat]) if len(services) else np.zeros((0, 2))
        return services, current_router().anchors_for(points)

    return once(_SERVICES, build)


def is_sample(net: Network) -> bool:
    """True when the network is the bundled Helsinki sample, not Liberec."""
    return net.meta.get("provenance", {}).get("source") == "sample"
