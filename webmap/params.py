"""Request parameters: parsed and validated here, so views stay thin. Errors are :class:`BadRequestError`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from geo.errors import BadRequestError
from geo.routing.profiles import LIMIT_RANGES, Profile, get_profile

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def parse_latlon(text: str | None, name: str) -> tuple[float, float]:
    """``"LAT,LON"`` → (lon, lat); rejects missing, non-numeric, NaN and out-of-range values."""
    if text is None or not str(text).strip():
        msg = f"missing parameter {name!r} (expected LAT,LON)"
        raise BadRequestError(msg, field=name)
    parts = str(text).split(",")
    if len(parts) != 2:
        msg = f"{name} must be LAT,LON, got {text!r}"
        raise BadRequestError(msg, field=name)
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        msg = f"{name} must be two numbers LAT,LON, got {text!r}"
        raise BadRequestError(msg, field=name) from None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        msg = f"{name} must be finite numbers, got {text!r}"
        raise BadRequestError(msg, field=name)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        msg = f"{name} is outside the valid range (lat −90…90, lon −180…180): {text!r}"
        raise BadRequestError(msg, field=name)
    return lon, lat


def _flag(value: str | None, name: str) -> bool | None:
    if value is None:
        return None
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    msg = f"{name} must be true or false, got {value!r}"
    raise BadRequestError(msg, field=name)


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
                msg = f"{key} must be a number, got {raw!r}"
                raise BadRequestError(msg, field=key) from None
    for key in ("avoid_unknown", "allow_steps"):
        flag = _flag(args.get(key), key)
        if flag is not None:
            limits[key] = flag
    return profile.with_limits(**limits)


class _Query(BaseModel):
    model_config = ConfigDict(extra="ignore")

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> _Query:
        """Validate query-string arguments."""
        try:
            return cls.model_validate(dict(args))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or None
            msg = f"{field}: {err['msg']}" if field else err["msg"]
            raise BadRequestError(msg, field=field) from None


class IsochroneQuery(_Query):
    """``minutes`` of travel (1–120)."""

    minutes: float = Field(default=10.0, gt=0, le=120)

    @field_validator("minutes")
    @classmethod
    def _finite(cls, v: float) -> float:
        if not math.isfinite(v):
            msg = "must be a finite number"
            raise ValueError(msg)
        return v


class NearestQuery(_Query):
    """How many services to return and which category (empty = all)."""

    limit: int = Field(default=5, ge=1, le=50)
    category: str | None = Field(default=None, max_length=60)
    max_minutes: float = Field(default=120.0, gt=0, le=600)

    @field_validator("category", mode="before")
    @classmethod
    def _known_category(cls, v: Any) -> Any:
        from geo.layers.schemas import SERVICE_CATEGORIES

        if v is None or v == "":
            return None
        if v not in SERVICE_CATEGORIES:
            msg = f"unknown category {v!r}; choose one of {', '.join(SERVICE_CATEGORIES)}"
            raise ValueError(msg)
        return v
