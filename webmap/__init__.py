"""Flask application: the map page, the JSON API, moderation, Open311 and the health check.

``create_app(test_config=None)`` builds the app: settings (defaults, environment, ``test_config``),
then every ``init_app`` (resources, language, error handlers, compression), then the blueprints.
Per-process objects (network, router, layers, reports database, overlay) live in
:mod:`webmap.resources` and are loaded once per process — or taken from ``test_config["NETWORK"]``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from flask_compress import Compress
from werkzeug.middleware.proxy_fix import ProxyFix

from geo import settings
from webmap import (
    api,
    audits_api,
    auth,
    errors,
    i18n,
    json_provider,
    layers_api,
    open311,
    pages,
    reports_api,
    resources,
    vendor,
)
from webmap.programme_api import bp as programme_bp


def _defaults(app: Flask) -> dict[str, Any]:
    instance = Path(app.instance_path)
    return {
        "SECRET_KEY": os.environ.get("LBB_SECRET_KEY", "dev-only-change-me"),
        "CACHE_DIR": str(settings.default_cache_dir()),
        "OSM_FILE": os.environ.get("LBB_OSM_FILE"),
        "PLACE": os.environ.get("LBB_PLACE", settings.DEFAULT_PLACE),
        "DEM": os.environ.get("LBB_DEM"),
        "NETWORK": None,
        "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
        # gzip JSON, HTML, JS and CSS (GeoJSON layers shrink ~6×); fonts and images are already compressed
        "COMPRESS_ALGORITHM": ["gzip"],
        "COMPRESS_LEVEL": 5,
        "COMPRESS_MIN_SIZE": 1024,
        # OSM raster tiles behind the vector layers when online ("" = plain background, no outside request)
        "TILE_URL": os.environ.get("LBB_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        "JSON_SORT_KEYS": False,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # reports: database, uploads, limits, overlay freshness (see webmap.resources and webmap.reports_api)
        "DATABASE_URL": os.environ.get("LBB_DATABASE_URL") or f"sqlite:///{instance / 'lbb.sqlite3'}",
        "DATABASE_AUTO_MIGRATE": True,
        "REPORTS_UPLOAD_DIR": str(instance / "uploads"),
        "REPORTS_RATE_LIMIT": 10,
        "REPORTS_RATE_WINDOW_S": 3600.0,
        "REPORTS_LOGIN_LIMIT": 10,
        "REPORTS_LOGIN_WINDOW_S": 900.0,
        "REPORTS_POLL_INTERVAL_S": 0.5,
        "REPORTS_SNAP_TOLERANCE_M": 30.0,
        "REPORTS_NEARBY_M": 25.0,
        "REPORTS_HONEYPOT_FIELD": "website",
        "OPEN311_AGENCY": "Statutární město Liberec",
        # "Help verify": agreeing answers (from different clients) that verify an attribute, answers per client
        "AUDITS_AGREEMENT": 2,
        "AUDITS_RATE_LIMIT": 60,
        "AUDITS_RATE_WINDOW_S": 3600.0,
        # number of trusted reverse proxies whose X-Forwarded-For gives the client IP
        "PROXY_FIX_X_FOR": int(os.environ.get("LBB_PROXY_FIX_X_FOR", "0")),
    }


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Application factory."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(_defaults(app))
    if test_config is not None:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if int(app.config["PROXY_FIX_X_FOR"]) > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["PROXY_FIX_X_FOR"]))  # type: ignore[method-assign]

    json_provider.init_app(app)
    resources.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    Compress(app)
    for bp in (vendor.bp, pages.bp, api.bp, layers_api.bp, programme_bp, auth.bp, reports_api.bp, audits_api.bp,
               open311.bp):
        app.register_blueprint(bp)
    return app
