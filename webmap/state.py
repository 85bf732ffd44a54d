"""Per-process resources: the network, its router and the service targets, each loaded once."""

from __future__ import annotations

import logging
import threading
from typing import Any

import numpy as np
from flask import Flask, current_app

from geo.network import Network
from geo.pipeline import SourceSpec, load_or_build
from geo.routing import Anchor, Overlay, Router
from geo.services import Services, services_from_frame

log = logging.getLogger(__name__)
_lock = threading.RLock()
_NET = "lbb.network"
_ROUTER = "lbb.router"
_SERVICES = "lbb.services"


def init_app(app: Flask) -> None:
    """Register the slots; a network given in the config is used as is."""
    app.extensions[_NET] = app.config.get("NETWORK")
    app.extensions[_ROUTER] = None
    app.extensions[_SERVICES] = None


def current_network() -> Network:
    """The app's network, loaded from the cache (or built) on first use."""
    app = current_app
    net = app.extensions.get(_NET)
    if net is not None:
        return net
    with _lock:
        net = app.extensions.get(_NET)
        if net is None:
            osm_file = app.config.get("OSM_FILE")
            spec = SourceSpec.file(osm_file) if osm_file else SourceSpec.place(app.config["PLACE"])
            net = load_or_build(spec, dem=app.config.get("DEM"), cache_dir=app.config["CACHE_DIR"],
                                fallback_to_sample=not osm_file)
            app.extensions[_NET] = net
    return net


def current_router() -> Router:
    """The router over the app's network (built once)."""
    app = current_app
    router = app.extensions.get(_ROUTER)
    if router is None:
        with _lock:
            router = app.extensions.get(_ROUTER)
            if router is None:
                router = Router(current_network())
                app.extensions[_ROUTER] = router
    return router


def current_overlay() -> Overlay:
    """Cost changes from confirmed barrier reports, refreshed in every worker (see :mod:`geo.overlay`)."""
    from webmap.reporting import current_overlay_provider

    return current_overlay_provider().current()


def current_services() -> tuple[Services, list[list[Anchor]]]:
    """Service locations and their anchors on the network (computed once)."""
    app = current_app
    cached = app.extensions.get(_SERVICES)
    if cached is None:
        with _lock:
            cached = app.extensions.get(_SERVICES)
            if cached is None:
                from webmap.layers_state import current_layers  # layers_state imports this module

                services = services_from_frame(current_layers().service_targets())
                points = np.column_stack([services.lon, services.lat]) if len(services) else np.zeros((0, 2))
                anchors = current_router().anchors_for(points)
                cached = (services, anchors)
                app.extensions[_SERVICES] = cached
    return cached


def is_sample(net: Network) -> bool:
    """True when the network is the bundled Helsinki sample, not Liberec."""
    return net.meta.get("provenance", {}).get("source") == "sample"


def describe_source(net: Network) -> dict[str, Any]:
    """Area, source and date for banners."""
    s = net.summary()
    return {"area": s["area"], "source": s["source"], "data_date": s["data_date"], "sample": is_sample(net)}
