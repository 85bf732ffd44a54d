"""The JSON API (``/api``): views parse, call :mod:`geo`, and serialise."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from webmap.state import current_network

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/info")
def info() -> ResponseReturnValue:
    """Counts, provenance and attribute coverage of the loaded network."""
    net = current_network()
    return jsonify({**net.summary(), "coverage": net.coverage(),
                    "parse_report": net.meta.get("parse_report", {})})
