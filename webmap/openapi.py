"""OpenAPI document (stub)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("openapi", __name__, url_prefix="/api")


def init_app(app: Flask) -> None:
    """Nothing yet."""
