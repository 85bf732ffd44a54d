"""Message templates: ``{name}`` placeholders and ICU-style plurals, numbers in the language's style.

A template is plain text with ``{name}`` (the value, numbers formatted for the language: ``1,5`` in
Czech, ``1.5`` in English, at most two decimals, grouped thousands) and
``{name, plural, one {…} few {…} other {…}}`` (the branch for the plural category of the number,
CLDR rules via Babel; ``=N {…}`` matches one exact number; ``#`` inside a branch is the number).
The map script renders the same syntax with ``Intl.PluralRules`` (``static/js/i18n.js``).

Templates are parsed once and cached, so rendering a message costs a few microseconds.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babel import Locale

#: Decimals kept when a number is shown.
MAX_DECIMALS = 2


@dataclass(frozen=True)
class _Plural:
    name: str
    branches: dict[str, tuple[Any, ...]]  # category or "=N" → compiled parts ("#" is the "#" marker)


_HASH = object()  # the number inside a plural branch


@functools.lru_cache(maxsize=8)
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


@functools.lru_cache(maxsize=8)
def _symbols(lang: str) -> tuple[str, str]:
    symbols = _locale(lang).number_symbols["latn"]
    return symbols["decimal"], symbols["group"]


@functools.lru_cache(maxsize=4096)
def plural_category(n: float, lang: str) -> str:
    """CLDR plural category of ``n`` in ``lang`` (``one``, ``few``, ``many`` or ``other``)."""
    return _locale(lang).plural_form(abs(n))


def format_number(x: float | int, lang: str) -> str:
    """A number in the language's style: decimal comma and no-break-space groups in Czech. Whole numbers
    (counts, ids, years) are not grouped."""
    if isinstance(x, float) and not math.isfinite(x):
        return "∞" if x > 0 else "−∞" if x < 0 else "–"
    if not isinstance(x, float):
        return str(int(x)).replace("-", "−")
    decimal, group = _symbols(lang)
    text = f"{x:,.{MAX_DECIMALS}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0."):
        text = "0"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group).replace("-", "−")


def _value(v: Any, lang: str) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, (int, float)):
        return format_number(v, lang)
    return str(v)


def _matching(template: str, start: int) -> int:
    """Index of the ``}`` closing the ``{`` at ``start``."""
    depth = 0
    for i in range(start, len(template)):
        if template[i] == "{":
            depth += 1
        elif template[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    msg = f"unbalanced braces in message template {template!r}"
    raise ValueError(msg)


def _branches(body: str, in_plural: bool) -> dict[str, tuple[Any, ...]]:
    """``one {…} few {…} other {…}`` → category → compiled text."""
    out: dict[str, tuple[Any, ...]] = {}
    i = 0
    while i < len(body):
        if body[i].isspace():
            i += 1
            continue
        j = body.index("{", i)
        end = _matching(body, j)
        out[body[i:j].strip()] = _compile(body[j + 1:end], in_plural)
        i = end + 1
    return out


@functools.lru_cache(maxsize=4096)
def _compile(template: str, in_plural: bool = False) -> tuple[Any, ...]:
    """Literal strings, placeholder names (``("name",)``), plurals and ``#`` markers, in order."""
    parts: list[Any] = []
    literal: list[str] = []
    i = 0
    while i < len(template):
        ch = template[i]
        if ch == "#" and in_plural:
            parts += ["".join(literal), _HASH]
            literal = []
            i += 1
            continue
        if ch != "{":
            literal.append(ch)
            i += 1
            continue
        end = _matching(template, i)
        name, _, rest = template[i + 1:end].partition(",")
        parts.append("".join(literal))
        literal = []
        if rest.strip().startswith("plural"):
            parts.append(_Plural(name.strip(), _branches(rest.split(",", 1)[1], True)))
        else:
            parts.append((name.strip(), template[i:end + 1]))
        i = end + 1
    parts.append("".join(literal))
    return tuple(p for p in parts if p != "")


def _render(parts: tuple[Any, ...], lang: str, values: Mapping[str, Any], number: Any) -> str:
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif part is _HASH:
            out.append(_value(number, lang))
        elif isinstance(part, _Plural):
            if part.name not in values:
                out.append("{" + part.name + "}")
                continue
            n = values[part.name]
            branch = part.branches.get(f"={n}")
            if branch is None:
                branch = part.branches.get(plural_category(n, lang), part.branches.get("other", ()))
            out.append(_render(branch, lang, values, n))
        else:
            name, raw = part
            out.append(_value(values[name], lang) if name in values else raw)
    return "".join(out)


def render(template: str, lang: str, values: Mapping[str, Any]) -> str:
    """Fill a template; a placeholder without a value stays as it is (so a missing value shows)."""
    return _render(_compile(template), lang, values, None)
