"""Flask application: the map page, the JSON API and health check.

``create_app(test_config=None)`` builds the app; the network is loaded once per process
(:func:`webmap.state.current_network`) from the cache — or taken from ``test_config["NETWORK"]``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, jsonify, request
from flask_compress import Compress
from werkzeug.exceptions import HTTPException

from geo import settings
from geo.errors import GeoError


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Application factory."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("LBB_SECRET_KEY", "dev-only-change-me"),
        CACHE_DIR=str(settings.default_cache_dir()),
        OSM_FILE=os.environ.get("LBB_OSM_FILE"),
        PLACE=os.environ.get("LBB_PLACE", settings.DEFAULT_PLACE),
        DEM=os.environ.get("LBB_DEM"),
        NETWORK=None,
        MAX_CONTENT_LENGTH=6 * 1024 * 1024,
        # gzip JSON, HTML, JS and CSS (GeoJSON layers shrink ~6×); fonts and images are already compressed
        COMPRESS_ALGORITHM=["gzip"],
        COMPRESS_LEVEL=5,
        COMPRESS_MIN_SIZE=1024,
        # OSM raster tiles behind the vector layers when online ("" = plain background, no outside request)
        TILE_URL=os.environ.get("LBB_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        JSON_SORT_KEYS=False,
    )
    if test_config is not None:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from webmap import api, i18n, layers_api, open311, pages, reporting, reports_api, state, vendor

    state.init_app(app)
    i18n.init_app(app)
    Compress(app)
    reporting.init_app(app)
    app.register_blueprint(vendor.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(layers_api.bp)
    app.register_blueprint(reports_api.bp)
    app.register_blueprint(open311.bp)

    @app.errorhandler(GeoError)
    def _geo_error(exc: GeoError) -> Any:
        return jsonify(exc.to_dict()), exc.http_status

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        if request.path.startswith(("/api/", "/open311/", "/healthz")):
            code = (exc.name or "error").lower().replace(" ", "_")
            return jsonify({"error": code, "message": exc.description}), exc.code
        return exc

    return app
