"""Domain errors and HTTP errors as JSON: the one place that knows which error is which HTTP status.

Every :class:`~geo.errors.GeoError` becomes ``{"error": code, "message": text, "details": {…}}`` with
the status of its code and the message in the request's language; HTTP errors that no view raised
(an unknown URL under ``/api``, a wrong method, a body over the size limit) get the same shape.
Blueprints with their own error format (Open311) call :func:`status_of` and :func:`http_message`.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from geo import i18n
from geo.errors import GeoError, RateLimitError
from webmap.i18n import api_lang
from webmap.open311_xml import MIMETYPE, to_xml

#: HTTP status of each error code.
STATUS: dict[str, int] = {
    "bad_request": 400,
    "data_error": 400,
    "dem_error": 400,
    "auth_required": 401,
    "forbidden": 403,
    "not_found": 404,
    "no_route": 404,
    "invalid_transition": 409,
    "conflict": 409,
    "payload_too_large": 413,
    "unsupported_media_type": 415,
    "outside_area": 422,
    "idempotency_mismatch": 422,
    "rate_limited": 429,
    "cache_error": 500,
    "download_error": 503,
    "storage_unavailable": 503,
}
#: Paths whose errors are JSON (pages keep Flask's HTML error pages).
JSON_PREFIXES = ("/api/", "/open311/", "/healthz")


#: Open311's own error format: ``[{"code": status, "description": text}]`` (``<errors><error>…`` in XML).
OPEN311_PREFIX = "/open311/"


def open311_error(status: int, description: str, headers: dict[str, str] | None = None) -> Any:
    """An error answer in Open311's format: XML for a URL ending in ``.xml``, else JSON."""
    body = [{"code": status, "description": description}]
    if request.path.endswith(".xml"):
        return Response(to_xml("errors", body), status, headers or {}, mimetype=MIMETYPE)
    return jsonify(body), status, headers or {}


def status_of(exc: GeoError) -> int:
    """The HTTP status of a domain error."""
    return STATUS.get(exc.code, 500)


def headers_of(exc: GeoError) -> dict[str, str]:
    """Extra headers of a domain error (``Retry-After`` for rate limits)."""
    if isinstance(exc, RateLimitError):
        return {"Retry-After": str(exc.details.get("retry_after_s", 60))}
    return {}


def http_message(exc: HTTPException, lang: str | None) -> str:
    """The catalogue text of an HTTP error."""
    key = f"http.{exc.code}"
    max_mb = round((current_app.config.get("MAX_CONTENT_LENGTH") or 0) / 1024 / 1024)
    return i18n.text(key, lang, max_mb=max_mb) if i18n.has(key) else i18n.text("http.other", lang, status=exc.code)


def http_headers(exc: HTTPException) -> dict[str, str]:
    """The headers an HTTP error must keep in any format (``Allow`` of a 405)."""
    return {k: v for k, v in exc.get_headers() if k.lower() == "allow"}


def http_code(exc: HTTPException) -> str:
    """``not_found``, ``method_not_allowed`` … from the HTTP error's name."""
    return (exc.name or "error").lower().replace(" ", "_")


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(GeoError)
    def _geo_error(exc: GeoError) -> Any:
        return jsonify(exc.to_dict(api_lang())), status_of(exc), headers_of(exc)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        if request.path.startswith(OPEN311_PREFIX):  # also URLs no Open311 route matched
            return open311_error(exc.code or 500, http_message(exc, api_lang()), http_headers(exc))
        if request.path.startswith(JSON_PREFIXES):
            return jsonify({"error": http_code(exc), "message": http_message(exc, api_lang()),
                            "details": {}}), exc.code, http_headers(exc)
        return exc
