"""Request parsing in one place, so views stay thin: points, flags, boxes, limits, profiles, bodies.

Every problem is a :class:`~geo.errors.BadRequestError` (or 413/415) naming the parameter; there is
one set of true/false words, one bounding-box parser and one pydantic formatter
(:func:`geo.validation.validate`) for every endpoint.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Mapping
from typing import Any

from flask import current_app, request
from pydantic import BaseModel, ConfigDict, Field, field_validator
from werkzeug.datastructures import FileStorage

from geo.errors import BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError
from geo.layers.schemas import SERVICE_CATEGORIES
from geo.reports.photos import MAX_PHOTO_BYTES
from geo.routing.profiles import LIMIT_RANGES, SWITCHES, Profile, get_profile
from geo.validation import one_of, validate

TRUE_WORDS = frozenset({"1", "true", "yes", "on", "ano"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", "ne"})
Bbox = tuple[float, float, float, float]


def parse_latlon(text: str | None, name: str) -> tuple[float, float]:
    """``"LAT,LON"`` → (lon, lat); rejects missing, non-numeric, NaN and out-of-range values."""
    if text is None or not str(text).strip():
        raise BadRequestError("request.missing", field=name)
    parts = str(text).split(",")
    try:
        lat, lon = (float(x) for x in parts) if len(parts) == 2 else (math.nan, math.nan)
    except ValueError:
        lat = lon = math.nan
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise BadRequestError("request.latlon_format", field=name, value=str(text))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise BadRequestError("request.latlon_range", field=name, value=str(text))
    return lon, lat


def parse_flag(value: str | None, name: str) -> bool | None:
    """A yes/no parameter (:data:`TRUE_WORDS` / :data:`FALSE_WORDS`); ``None`` when absent or empty."""
    if value is None or value.strip() == "":
        return None
    v = value.strip().lower()
    if v in TRUE_WORDS:
        return True
    if v in FALSE_WORDS:
        return False
    raise BadRequestError("request.flag", field=name, value=value)


def parse_bbox(text: str | None) -> Bbox | None:
    """``"minlon,minlat,maxlon,maxlat"`` → floats; ``None`` when absent."""
    if text is None or text.strip() == "":
        return None
    parts = text.split(",")
    try:
        box = tuple(float(p) for p in parts)
    except ValueError:
        box = ()
    if len(box) != 4 or not all(math.isfinite(v) for v in box):
        raise BadRequestError("request.bbox_format", field="bbox", value=text)
    minx, miny, maxx, maxy = box
    if not (-180 <= minx < maxx <= 180 and -90 <= miny < maxy <= 90):
        raise BadRequestError("request.bbox_range", field="bbox", value=text)
    return minx, miny, maxx, maxy


def parse_int(text: str | None, name: str, *, default: int, lo: int, hi: int) -> int:
    """A whole number in ``lo…hi`` (``default`` when absent)."""
    if text is None or text.strip() == "":
        return default
    try:
        n = int(text)
    except ValueError:
        raise BadRequestError("request.whole_number", field=name, value=text) from None
    if not lo <= n <= hi:
        raise BadRequestError("request.out_of_range", field=name, min=lo, max=hi, value=text)
    return n


def profile_from_args(args: Mapping[str, str], default: str = "manual_wheelchair") -> Profile:
    """The requested profile with the per-request limits applied."""
    profile = get_profile(args.get("profile") or default)
    limits: dict[str, Any] = {}
    for key in LIMIT_RANGES:
        raw = args.get(key)
        if raw is not None and raw != "":
            try:
                limits[key] = float(raw)
            except ValueError:
                raise BadRequestError("request.number", field=key, value=raw) from None
    for switch in SWITCHES:
        flag = parse_flag(args.get(switch.request), switch.request)
        if flag is not None:
            limits[switch.request] = flag
    return profile.with_limits(**limits)


# --------------------------------------------------------------------------- query models


class Query(BaseModel):
    """Query-string parameters validated by pydantic (unknown ones are ignored)."""

    model_config = ConfigDict(extra="ignore")

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Query:
        """Validate query-string arguments (one :class:`BadRequestError` for the first problem)."""
        return validate(cls, dict(args))


class IsochroneQuery(Query):
    """``minutes`` of travel (1–120)."""

    minutes: float = Field(default=10.0, gt=0, le=120, allow_inf_nan=False)


#: Wheelchair access values of services (``unknown`` when not stated).
WHEELCHAIR_ACCESS: tuple[str, ...] = ("yes", "limited", "no", "unknown")


class NearestQuery(Query):
    """How many services to return and which category (empty = all)."""

    limit: int = Field(default=5, ge=1, le=50)
    category: str | None = Field(default=None, max_length=60)
    max_minutes: float = Field(default=120.0, gt=0, le=600, allow_inf_nan=False)

    #: only services whose wheelchair access is one of these (``yes,limited``; empty = every service)
    wheelchair: tuple[str, ...] | None = None

    @field_validator("category", mode="before")
    @classmethod
    def _known_category(cls, v: Any) -> Any:
        return None if v is None or v == "" else one_of(v, SERVICE_CATEGORIES)

    @field_validator("wheelchair", mode="before")
    @classmethod
    def _known_access(cls, v: Any) -> Any:
        if v is None or v == "":
            return None
        return tuple(one_of(part.strip(), WHEELCHAIR_ACCESS) for part in str(v).split(","))


def bbox_field(v: Any) -> Bbox | None:
    """A pydantic ``before`` validator body for a ``bbox`` field (the same rules as :func:`parse_bbox`)."""
    return parse_bbox(v) if isinstance(v, str) else v


# --------------------------------------------------------------------------- bodies and clients


def read_body(photo_field: str) -> tuple[dict[str, Any], bytes | None]:
    """Fields and the optional photo of a JSON, url-encoded or multipart request."""
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise BadRequestError("request.json_object")
        return data, None
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        data = request.form.to_dict()
        upload: FileStorage | None = request.files.get(photo_field)
        photo = None
        if upload is not None and (upload.filename or upload.content_length):
            photo = upload.stream.read(MAX_PHOTO_BYTES + 1)
            if len(photo) > MAX_PHOTO_BYTES:
                raise PayloadTooLargeError("photo.too_large", field=photo_field, max_bytes=MAX_PHOTO_BYTES,
                                           max_mb=MAX_PHOTO_BYTES / 1024 / 1024)
            photo = photo or None
        return data, photo
    raise UnsupportedMediaTypeError("request.body_type")


def json_body() -> dict[str, Any]:
    """The JSON object of a request that accepts JSON only."""
    if not request.is_json:
        raise UnsupportedMediaTypeError("request.json_only")
    data = request.get_json(silent=True)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BadRequestError("request.json_object")
    return data


def client_key() -> str:
    """An opaque per-client key for rate limits: a keyed hash of the IP, never the IP itself."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    ip = (request.remote_addr or "unknown").encode()
    return hmac.new(secret, ip, hashlib.sha256).hexdigest()[:32]
