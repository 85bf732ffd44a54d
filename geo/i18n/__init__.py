"""The message catalogue: every user-facing text, keyed by code, in Czech (default) and English.

Texts live in :mod:`geo.i18n.catalogue` (one module per domain, merged here; a key defined twice is
an error at import). :func:`text` renders one message for a language with :mod:`geo.i18n.format`
(placeholders, plurals, numbers in the language's style). Errors carry a message key and its values
(:mod:`geo.errors`); route descriptions, warnings and no-route reasons carry codes and values and are
rendered here; the web pages take their texts from the same catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from babel.lists import format_list as _format_list

from geo.i18n.catalogue import (
    audits,
    common,
    housing,
    network,
    open311,
    planner,
    production,
    reports,
    routing,
    services,
    terrain,
    ui,
    wayfinding,
)
from geo.i18n.catalogue import places as places_catalogue
from geo.i18n.catalogue import programme as programme_catalogue
from geo.i18n.format import format_number, plural_category, render

LANGS: tuple[str, ...] = ("cs", "en")
DEFAULT_LANG = "cs"

__all__ = ["DEFAULT_LANG", "LANGS", "format_distance", "format_duration", "format_list", "format_number", "has",
           "keys", "maybe", "plural_category", "table", "text"]


def _merge(*parts: Mapping[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for part in parts:
        twice = merged.keys() & part.keys()
        if twice:
            msg = f"message keys defined twice in the catalogue: {sorted(twice)}"
            raise ValueError(msg)
        merged.update(part)
    return merged


#: key → (Czech, English)
CATALOGUE: dict[str, tuple[str, str]] = _merge(
    common.MESSAGES, network.MESSAGES, routing.MESSAGES, places_catalogue.MESSAGES, services.MESSAGES, reports.MESSAGES,
    ui.MESSAGES, programme_catalogue.MESSAGES, terrain.MESSAGES, production.MESSAGES, planner.MESSAGES,
    open311.MESSAGES, audits.MESSAGES, housing.MESSAGES, wayfinding.MESSAGES,
)


def lang_or_default(lang: str | None) -> str:
    """``lang`` when it is one of :data:`LANGS`, else the default (Czech)."""
    return lang if lang in LANGS else DEFAULT_LANG


def has(key: str) -> bool:
    """Whether the catalogue has ``key``."""
    return key in CATALOGUE


def keys(prefix: str = "") -> Iterator[str]:
    """The keys starting with ``prefix``."""
    return (k for k in CATALOGUE if k.startswith(prefix))


def text(key: str, lang: str | None = None, /, **values: Any) -> str:
    """Message ``key`` in ``lang`` (Czech when ``None`` or unknown), filled with ``values``.

    Raises :class:`KeyError` for a key the catalogue does not have: a missing text is a bug."""
    pair = CATALOGUE[key]
    return render(pair[LANGS.index(lang_or_default(lang))], lang_or_default(lang), values)


def maybe(key: str, lang: str | None, default: str, /, **values: Any) -> str:
    """Like :func:`text`, but ``default`` for a key the catalogue does not have (e.g. an OSM value
    nobody translated yet, such as an unusual ``barrier=*``)."""
    return text(key, lang, **values) if key in CATALOGUE else default


def table(lang: str | None, prefixes: tuple[str, ...] = ("ui.",)) -> dict[str, str]:
    """Raw templates (unrendered) of one language for the map script, keys starting with ``prefixes``."""
    i = LANGS.index(lang_or_default(lang))
    return {k: v[i] for k, v in CATALOGUE.items() if k.startswith(prefixes)}


def format_distance(m: float, lang: str | None) -> str:
    """``850 m`` / ``1,2 km``: metres rounded to 5 m below a kilometre, kilometres to 0.1 above."""
    lang = lang_or_default(lang)
    if m >= 1000:
        return text("unit.km", lang, value=round(m / 1000, 1))
    return text("unit.m", lang, value=round(m / 5) * 5)


def format_duration(s: float, lang: str | None) -> str:
    """``under 1 min`` / ``12 min`` / ``1 h 5 min``."""
    minutes = round(s / 60)
    if minutes < 1:
        return text("unit.under_minute", lang)
    if minutes < 60:
        return text("unit.min", lang, value=minutes)
    return text("unit.h_min", lang, hours=minutes // 60, minutes=minutes % 60)


def format_list(items: list[str], lang: str | None, *, style: str = "standard") -> str:
    """``a, b and c`` (``style="standard"``) or ``a, b or c`` (``style="or"``) in the language."""
    return _format_list(list(items), style=style, locale=lang_or_default(lang)) if items else ""
