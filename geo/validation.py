"""One way to validate input with pydantic and turn its first problem into a catalogue message.

Pydantic's own error types (``missing``, ``greater_than_equal``, ``string_too_long`` …) map to
``validation.<type>`` messages; a validator of ours raises :func:`invalid` (a
``PydanticCustomError`` whose type *is* a catalogue key). Either way the error names the field and
the values of the rule it broke, in ``details``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from geo import i18n
from geo.errors import BadRequestError, GeoError

M = TypeVar("M", bound=BaseModel)


def invalid(key: str, **values: Any) -> PydanticCustomError:
    """A validator's error with a catalogue ``key`` (raise it inside a pydantic validator)."""
    return PydanticCustomError(key, key, values)


def one_of(value: Any, choices: tuple[str, ...] | dict[str, Any] | frozenset[str]) -> Any:
    """``value`` if it is one of ``choices``, else the catalogue's "unknown value" error (in a validator)."""
    if value not in choices:
        raise invalid("request.unknown_choice", value=str(value), choices=", ".join(choices))
    return value


def describe(exc: ValidationError) -> tuple[str, dict[str, Any]]:
    """The catalogue key and values of the first problem of a pydantic error."""
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or None
    ctx = {k: (v if isinstance(v, (int, float, str, bool)) or v is None else str(v))
           for k, v in (err.get("ctx") or {}).items()}
    kind = err["type"]
    key = kind if i18n.has(kind) else f"validation.{kind}" if i18n.has(f"validation.{kind}") else "validation.invalid"
    return key, {"field": field, **ctx}


def validate(model: type[M], data: Mapping[str, Any], *, error: type[GeoError] = BadRequestError,
             **context: Any) -> M:
    """Validate ``data`` with ``model``; the first problem becomes ``error`` (a 400 by default).

    Empty strings count as absent (form fields left empty), except ``description``."""
    clean = {k: v for k, v in data.items() if not (isinstance(v, str) and v == "" and k != "description")}
    try:
        return model.model_validate(clean)
    except ValidationError as exc:
        key, values = describe(exc)
        raise error(key, **context, **values) from None
