"""Third-party front-end files served from installed PyPI ``xstatic-*`` packages (no CDN)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_from_directory
from flask.typing import ResponseReturnValue

bp = Blueprint("vendor", __name__, url_prefix="/vendor")


def _packages() -> dict[str, Path]:
    import xstatic.pkg.font_awesome
    import xstatic.pkg.jquery
    import xstatic.pkg.leaflet

    return {
        "leaflet": Path(xstatic.pkg.leaflet.BASE_DIR),
        "jquery": Path(xstatic.pkg.jquery.BASE_DIR),
        "font-awesome": Path(xstatic.pkg.font_awesome.BASE_DIR),
    }


PACKAGES = _packages()

#: Files the pages include, as (name, URL path) — used to replace folium's CDN defaults.
LEAFLET_JS = "/vendor/leaflet/leaflet.js"
LEAFLET_CSS = "/vendor/leaflet/leaflet.css"
FONT_AWESOME_CSS = "/vendor/font-awesome/css/all.min.css"


@bp.get("/<package>/<path:filename>")
def static_file(package: str, filename: str) -> ResponseReturnValue:
    """A file of an xstatic package."""
    base = PACKAGES.get(package)
    if base is None:
        abort(404)
    return send_from_directory(base, filename, max_age=86400)
