"""Flask application: the map page, the JSON API, moderation, Open311 and the health check.

``create_app(test_config=None)`` builds the app: settings (defaults, the environment variables of
:data:`ENVIRONMENT`, ``test_config``), then every ``init_app`` (resources, language, error handlers,
security headers, compression), then the blueprints (the OpenAPI document among them). With ``LBB_ENV=production``
it refuses to start with the development secret key.
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
from geo.errors import DataError
from webmap import (
    api,
    audits_api,
    auth,
    errors,
    housing_api,
    i18n,
    json_provider,
    layers_api,
    open311,
    openapi,
    pages,
    planner_api,
    programme_api,
    reports_api,
    resources,
    security,
    vendor,
)

#: The development secret: fine on a laptop, refused when ``LBB_ENV=production``.
DEV_SECRET = "dev-only-change-me"

#: Settings taken from the environment: config key → (variable, type). Booleans are 1/true/yes/on.
ENVIRONMENT: dict[str, tuple[str, type]] = {
    "SECRET_KEY": ("LBB_SECRET_KEY", str),
    "DATABASE_URL": ("LBB_DATABASE_URL", str),
    "SESSION_COOKIE_SECURE": ("LBB_SECURE_COOKIES", bool),
    "PROXY_FIX_X_FOR": ("LBB_PROXY_FIX_X_FOR", int),
    "OSM_FILE": ("LBB_OSM_FILE", str),
    "PLACE": ("LBB_PLACE", str),
    "DEM": ("LBB_DEM", str),
    "NETWORK_DIR": ("LBB_NETWORK_DIR", str),
    "SAMPLE": ("LBB_SAMPLE", bool),
    "DOWNLOAD": ("LBB_DOWNLOAD", bool),
    "TILE_URL": ("LBB_TILE_URL", str),
    "REPORTS_UPLOAD_DIR": ("LBB_UPLOAD_DIR", str),
    "REPORTS_RATE_LIMIT": ("LBB_REPORTS_RATE_LIMIT", int),
    "REPORTS_RATE_WINDOW_S": ("LBB_REPORTS_RATE_WINDOW_S", float),
    "REPORTS_LOGIN_LIMIT": ("LBB_LOGIN_LIMIT", int),
    "REPORTS_LOGIN_WINDOW_S": ("LBB_LOGIN_WINDOW_S", float),
    "REPORTS_POLL_INTERVAL_S": ("LBB_REPORTS_POLL_INTERVAL_S", float),
    "MODERATOR_SESSION_HOURS": ("LBB_MODERATOR_SESSION_HOURS", float),
    "AUDITS_AGREEMENT": ("LBB_AUDITS_AGREEMENT", int),
    "AUDITS_RATE_LIMIT": ("LBB_AUDITS_RATE_LIMIT", int),
    "AUDITS_RATE_WINDOW_S": ("LBB_AUDITS_RATE_WINDOW_S", float),
    "OPEN311_JURISDICTION": ("LBB_OPEN311_JURISDICTION", str),
}


def from_environment(environ: Any = os.environ) -> dict[str, Any]:
    """The settings of :data:`ENVIRONMENT` that are set, converted to their types (an empty value counts
    as unset, except ``LBB_TILE_URL``, where it means "no tiles")."""
    out: dict[str, Any] = {}
    for key, (var, kind) in ENVIRONMENT.items():
        raw = environ.get(var)
        if raw is None or (raw.strip() == "" and key != "TILE_URL"):
            continue
        try:
            out[key] = raw.strip().lower() in ("1", "true", "yes", "on") if kind is bool else kind(raw)
        except ValueError:
            raise DataError("config.bad_value", variable=var, value=raw) from None
    return out


def _defaults(app: Flask) -> dict[str, Any]:
    instance = Path(app.instance_path)
    return {
        "SECRET_KEY": DEV_SECRET,
        "CACHE_DIR": str(settings.default_cache_dir()),
        "OSM_FILE": None,
        "PLACE": settings.DEFAULT_PLACE,
        "DEM": None,
        # a read-only cache entry to serve (``app.py build`` writes one); the sample; downloads allowed
        "NETWORK_DIR": None,
        "SAMPLE": False,
        "DOWNLOAD": True,
        "NETWORK": None,
        "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
        # gzip JSON, HTML, JS and CSS (GeoJSON layers shrink ~6×); fonts and images are already compressed
        "COMPRESS_ALGORITHM": ["gzip"],
        "COMPRESS_LEVEL": 5,
        "COMPRESS_MIN_SIZE": 1024,
        # OSM raster tiles behind the vector layers when online ("" = plain background, no outside request)
        "TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "JSON_SORT_KEYS": False,
        # moderator sessions: HttpOnly and SameSite=Lax always, Secure on HTTPS or with $LBB_SECURE_COOKIES=1
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": False,
        "MODERATOR_SESSION_HOURS": 12.0,
        # reports: database, uploads, limits, overlay freshness (see webmap.resources and webmap.reports_api)
        "DATABASE_URL": f"sqlite:///{instance / 'lbb.sqlite3'}",
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
        # Open311 jurisdiction_id (the city's web domain, as the standard suggests); others are answered 404
        "OPEN311_JURISDICTION": "liberec.cz",
        # number of trusted reverse proxies whose X-Forwarded-For / -Proto give the client IP and scheme
        "PROXY_FIX_X_FOR": 0,
    }


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Application factory."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(_defaults(app))
    app.config.update(from_environment())
    if test_config is not None:
        app.config.update(test_config)
    if os.environ.get("LBB_ENV", "").strip().lower() == "production" and (
            app.config["SECRET_KEY"] == DEV_SECRET or len(str(app.config["SECRET_KEY"])) < 32):
        raise DataError("config.default_secret", variable="LBB_SECRET_KEY", min=32)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    proxies = int(app.config["PROXY_FIX_X_FOR"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    json_provider.init_app(app)
    resources.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    Compress(app)
    for bp in (vendor.bp, pages.bp, api.bp, layers_api.bp, programme_api.bp, planner_api.bp, housing_api.bp,
               auth.bp, reports_api.bp, audits_api.bp, open311.bp, openapi.bp):
        app.register_blueprint(bp)
    return app
