"""Domain errors. Each carries a machine ``code`` (what kind of problem), a catalogue message ``key``
(which problem, :mod:`geo.i18n`) and the machine values (``details``) the message is filled with.

No error knows about HTTP: the web layer maps codes to statuses in one place
(:mod:`webmap.errors`); the command line prints :meth:`GeoError.message` as one line.
"""

from __future__ import annotations

import math
from typing import Any

from geo import i18n


class GeoError(Exception):
    """Base class of every error the package raises on purpose."""

    code = "error"

    def __init__(self, key: str, /, **details: Any) -> None:
        self.key = key
        self.details = details
        super().__init__(self.message("en"))

    def message(self, lang: str | None = None) -> str:
        """The message in ``lang`` (Czech by default)."""
        return i18n.text(self.key, lang, **self.details)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """JSON body of the error: ``error`` (code), ``message`` (in ``lang``), ``details`` (machine values)."""
        return {"error": self.code, "message": self.message(lang), "details": _jsonable(self.details)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
        return str(value)  # beyond JSON-safe integers (e.g. an id nobody can have)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


class DataError(GeoError):
    """An input file (OSM extract, DEM, layer, import file) is missing, unreadable or invalid."""

    code = "data_error"


class DemError(DataError):
    """The elevation model cannot be used for this area."""

    code = "dem_error"


class CacheError(GeoError):
    """The cache directory cannot be read or written."""

    code = "cache_error"


class DownloadError(GeoError):
    """Overpass / Nominatim could not be reached or answered badly."""

    code = "download_error"


class BadRequestError(GeoError):
    """A request parameter is missing or invalid."""

    code = "bad_request"


class UnknownProfileError(BadRequestError):
    """The requested routing profile does not exist."""


class OutsideAreaError(GeoError):
    """A point is too far from the loaded network."""

    code = "outside_area"


class NoRouteError(GeoError):
    """No passable route exists for the profile; ``details`` hold ``reasons`` and ``relaxations``."""

    code = "no_route"

    def message(self, lang: str | None = None) -> str:
        """The key's sentence with every reason in words."""
        reasons = [i18n.text(f"route.reason.{r['reason']}", lang, **r) for r in self.details.get("reasons", [])]
        profile = str(self.details.get("profile", ""))
        return i18n.text(self.key, lang, **{**self.details, "reasons": i18n.format_list(reasons, lang, style="or"),
                                            "profile_label": i18n.maybe(f"profile.{profile}", lang, profile)})


class NotFoundError(GeoError):
    """A requested object does not exist."""

    code = "not_found"


class InvalidTransitionError(GeoError):
    """A report cannot move from its current status to the requested one."""

    code = "invalid_transition"


class ConflictError(GeoError):
    """The request clashes with the stored state (e.g. a second answer of one client to one question)."""

    code = "conflict"


class RateLimitError(GeoError):
    """Too many requests from one client in the configured window; ``details`` say when to retry."""

    code = "rate_limited"


class AuthRequiredError(GeoError):
    """The request needs a logged-in moderator (or the login failed)."""

    code = "auth_required"


class ForbiddenError(GeoError):
    """Logged in, but the request is not allowed (e.g. a missing or wrong CSRF token)."""

    code = "forbidden"


class PayloadTooLargeError(GeoError):
    """An uploaded file or field is larger than allowed."""

    code = "payload_too_large"


class UnsupportedMediaTypeError(GeoError):
    """The request body has a content type the endpoint does not read."""

    code = "unsupported_media_type"


class IdempotencyMismatchError(GeoError):
    """An ``Idempotency-Key`` that was already used for a submission with a different body."""

    code = "idempotency_mismatch"


class StorageError(GeoError):
    """The database is unavailable, locked for too long, or at an unknown schema version."""

    code = "storage_unavailable"
