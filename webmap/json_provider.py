"""JSON answers through ``orjson``: route answers are 50–100 kB, and the standard library's encoder
spent more time on them than the route search itself. NumPy scalars and arrays serialise directly;
NaN and infinity become ``null`` (valid JSON, never ``NaN``). What orjson refuses (integers beyond
64 bits) falls back to the standard library; request bodies (small) are read by the standard library,
which accepts any valid JSON."""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask import Flask, Response
from flask.json.provider import JSONProvider

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


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
        """Parse JSON text."""
        return json.loads(s)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        """A JSON response of ``jsonify``'s arguments."""
        return self._app.response_class(_dumps(self._prepare_response_obj(args, kwargs)),
                                        mimetype="application/json")


def _dumps(obj: Any) -> bytes:
    try:
        return orjson.dumps(obj, default=_fallback, option=_OPTIONS)
    except TypeError:  # e.g. an integer beyond 64 bits
        return json.dumps(obj, default=_fallback, ensure_ascii=False, allow_nan=False).encode()


def init_app(app: Flask) -> None:
    """Use orjson for every JSON answer and request body of the app."""
    app.json = OrjsonProvider(app)
