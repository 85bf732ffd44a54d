"""JSON answers through ``orjson``: route answers are 50–100 kB, and the standard library's encoder
spent more time on them than the route search itself. NumPy scalars and arrays serialise directly;
NaN and infinity become ``null`` (valid JSON, never ``NaN``). What orjson refuses (integers beyond
64 bits) falls back to the standard library. Request bodies (small) are read by the standard library,
which keeps integers exact, but only up to :data:`MAX_DEPTH` levels of nesting: a deeper body (say,
a thousand brackets in 2 kB) is invalid JSON for us, a 400, never a recursion error."""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask import Flask, Response
from flask.json.provider import JSONProvider

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS
#: Deepest nesting of arrays and objects accepted in a request body (ours need 3).
MAX_DEPTH = 32


def _fallback(value: Any) -> Any:
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class OrjsonProvider(JSONProvider):
    """Flask's JSON provider backed by orjson."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """Serialise to a string."""
        return _dumps(obj).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse JSON text (a ``ValueError`` when it is invalid or nested deeper than :data:`MAX_DEPTH`)."""
        try:
            value = json.loads(s)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
        _check_depth(value)
        return value

    def response(self, *args: Any, **kwargs: Any) -> Response:
        """A JSON response of ``jsonify``'s arguments."""
        return self._app.response_class(_dumps(self._prepare_response_obj(args, kwargs)),
                                        mimetype="application/json")


def _dumps(obj: Any) -> bytes:
    try:
        return orjson.dumps(obj, default=_fallback, option=_OPTIONS)
    except TypeError:  # e.g. an integer beyond 64 bits
        return json.dumps(obj, default=_fallback, ensure_ascii=False, allow_nan=False).encode()


def _check_depth(value: Any) -> None:
    """``ValueError`` when arrays and objects nest deeper than :data:`MAX_DEPTH` (walked without recursion)."""
    level = [value]
    for _ in range(MAX_DEPTH + 1):
        level = [v for item in level if isinstance(item, (list, dict))
                 for v in (item.values() if isinstance(item, dict) else item)]
        if not level:
            return
    raise ValueError(f"JSON nested deeper than {MAX_DEPTH} levels")


def init_app(app: Flask) -> None:
    """Use orjson for every JSON answer and request body of the app."""
    app.json = OrjsonProvider(app)
