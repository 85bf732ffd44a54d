"""Domain errors. Each carries a machine-readable ``code`` and the HTTP status the API maps it to."""

from __future__ import annotations

from typing import Any


class GeoError(Exception):
    """Base class of every error the package raises on purpose."""

    code = "error"
    http_status = 500

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        """JSON body of the error."""
        return {"error": self.code, "message": self.message, **self.details}


class DataError(GeoError):
    """An input file (OSM extract, DEM, layer, import file) is missing, unreadable or invalid."""

    code = "data_error"
    http_status = 400


class DemError(DataError):
    """The elevation model cannot be used for this area."""

    code = "dem_error"


class CacheError(GeoError):
    """The cache directory cannot be read or written."""

    code = "cache_error"


class DownloadError(GeoError):
    """Overpass / Nominatim could not be reached or answered badly."""

    code = "download_error"
    http_status = 503


class BadRequestError(GeoError):
    """A request parameter is missing or invalid."""

    code = "bad_request"
    http_status = 400


class UnknownProfileError(BadRequestError):
    """The requested routing profile does not exist."""


class OutsideAreaError(GeoError):
    """A point is too far from the loaded network."""

    code = "outside_area"
    http_status = 422


class NoRouteError(GeoError):
    """No passable route exists for the profile; ``details`` say why and what to relax."""

    code = "no_route"
    http_status = 404


class NotFoundError(GeoError):
    """A requested object does not exist."""

    code = "not_found"
    http_status = 404


class InvalidTransitionError(GeoError):
    """A report cannot move from its current status to the requested one."""

    code = "invalid_transition"
    http_status = 409


class RateLimitError(GeoError):
    """Too many requests from one client in the configured window; ``details`` say when to retry."""

    code = "rate_limited"
    http_status = 429


class AuthRequiredError(GeoError):
    """The request needs a logged-in moderator (or the login failed)."""

    code = "auth_required"
    http_status = 401


class ForbiddenError(GeoError):
    """Logged in, but the request is not allowed (e.g. a missing or wrong CSRF token)."""

    code = "forbidden"
    http_status = 403


class PayloadTooLargeError(GeoError):
    """An uploaded file or field is larger than allowed."""

    code = "payload_too_large"
    http_status = 413


class UnsupportedMediaTypeError(GeoError):
    """The request body has a content type the endpoint does not read."""

    code = "unsupported_media_type"
    http_status = 415


class StorageError(GeoError):
    """The database is unavailable, locked for too long, or at an unknown schema version."""

    code = "storage_unavailable"
    http_status = 503
