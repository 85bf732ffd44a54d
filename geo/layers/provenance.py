"""Where each fact of a curated record comes from: the sources of a file and the provenance of its fields.

Every curated file (services, city flats, the programme tracker) lists its sources once, at the top
(:class:`Source`: an id, a public URL or a title, the publisher and the publication date, ``undated``
when the page carries none). A record names, per factual field (address, status, wheelchair, entrance,
units, phone, opening hours …), which of those sources state the value and when the project checked
them (:class:`Fact`). A factual value without a fact entry is refused by the schemas; an unknown value
(``null`` or ``"unknown"``) needs none.

The pure functions here answer the questions the map asks: how fresh a status is (a status whose newest
dated source is older than :data:`STALE_AFTER_YEARS` is shown as "last confirmed YEAR"), and the compact
summary of a record ("checked 2026-11, 2 sources").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from geo.validation import invalid

#: A status whose newest dated source is older than this many years is "last confirmed YEAR".
STALE_AFTER_YEARS = 3
#: Publication dates: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``undated``.
DATE_PATTERN = r"^(\d{4}(-\d{2}(-\d{2})?)?|undated)$"
#: The day a fact was checked: ``YYYY-MM-DD``.
DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
_ID = r"^[a-z0-9][a-z0-9_.-]{0,79}$"
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def today_of(info: ValidationInfo | None) -> date:
    """The day dates are checked against: ``context["today"]`` of the validation, else today."""
    given = (info.context or {}).get("today") if info is not None else None
    return given if isinstance(given, date) else date.today()


def latest_day(value: str | None) -> date | None:
    """The last day a partial date can mean (``2015`` → 2015-12-31, ``2021-02`` → 2021-02-28);
    ``None`` for ``undated``, ``None`` or a malformed date."""
    m = _PARTIAL.match(value or "")
    if m is None:
        return None
    year, month, day = int(m[1]), int(m[2] or 12), m[3]
    try:
        return date(year, month, int(day) if day else calendar.monthrange(year, month)[1])
    except ValueError:
        return None


def earliest_day(value: str | None) -> date | None:
    """The first day a partial date can mean (``2015`` → 2015-01-01); ``None`` for ``undated``."""
    m = _PARTIAL.match(value or "")
    if m is None:
        return None
    try:
        return date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return None


def not_in_future(value: str, info: ValidationInfo | None) -> str:
    """``value`` (a partial date or ``undated``) unless it is malformed or lies after the day of the check
    (a field validator's body: the error names the field by its place in the file)."""
    if value == "undated":
        return value
    first = earliest_day(value)
    if first is None:
        raise invalid("layers.bad_date", value=value)
    if first > today_of(info):
        raise invalid("layers.future_date", value=value, today=today_of(info).isoformat())
    return value


# --------------------------------------------------------------------------- schemas


def web_address(v: str | None) -> str | None:
    """``v`` unless it is an address that does not start with http:// or https:// (a field validator's body)."""
    if v is not None and not v.startswith(("http://", "https://")):
        raise invalid("validation.url_scheme")
    return v


class StrictModel(BaseModel):
    """A model that refuses unknown fields and strips strings (every curated file uses it)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Source(StrictModel):
    """One source of a curated file: a public page (``url``) or, for imported registries, a named file."""

    id: str = Field(pattern=_ID)
    url: str | None = None
    title: str = Field(min_length=1)
    publisher: str | None = None
    published: str = Field(pattern=DATE_PATTERN)
    note: str | None = None

    _url = field_validator("url")(web_address)

    @field_validator("published")
    @classmethod
    def _published(cls, v: str, info: ValidationInfo) -> str:
        return not_in_future(v, info)


class Fact(StrictModel):
    """Where one field's value comes from: the ids of the file's sources that state it, and the day the
    project checked them."""

    sources: list[str] = Field(min_length=1)
    checked_on: str = Field(pattern=DAY_PATTERN)
    note: str | None = None

    @field_validator("checked_on")
    @classmethod
    def _checked(cls, v: str, info: ValidationInfo) -> str:
        return not_in_future(v, info)


def unknown(value: Any) -> bool:
    """Whether a field value counts as not known (needs no source): ``None``, empty or ``"unknown"``."""
    return value is None or value == "" or value == "unknown" or value == []


def missing_facts(values: Mapping[str, Any], provenance: Mapping[str, Fact], fields: Iterable[str]) -> list[str]:
    """The factual ``fields`` whose value is known but that have no provenance entry."""
    return [f for f in fields if not unknown(values.get(f)) and f not in provenance]


def unknown_source_ids(referenced: Iterable[str], sources: Iterable[Source]) -> list[str]:
    """Source ids referenced but not defined in the file (sorted, unique)."""
    known = {s.id for s in sources}
    return sorted({r for r in referenced if r not in known})


# --------------------------------------------------------------------------- questions the map asks


def resolve(provenance: Mapping[str, Fact], sources: Mapping[str, Source]) -> dict[str, dict[str, Any]]:
    """The provenance with each source id replaced by the source itself (plain dicts, as the API sends it)."""
    return {field: {"checked_on": fact.checked_on, "note": fact.note,
                    "sources": [sources[s].model_dump() for s in fact.sources if s in sources]}
            for field, fact in provenance.items()}


def newest(dates: Iterable[str | None]) -> str | None:
    """The newest of some partial dates (by the last day each can mean); ``None`` when all are undated."""
    dated = [(latest_day(d), d) for d in dates]
    known = [(day, d) for day, d in dated if day is not None]
    return max(known)[1] if known else None


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def confirmation(fact: Mapping[str, Any] | None, today: date) -> dict[str, Any]:
    """How fresh a (resolved) status fact is: the newest publication date among its sources (``date``, its
    ``year``) and ``stale`` — ``True`` when that date lies more than :data:`STALE_AFTER_YEARS` years before
    ``today``, ``None`` when no source is dated (the age is unknown)."""
    when = newest(s.get("published") for s in (fact or {}).get("sources", []))
    if when is None:
        return {"date": None, "year": None, "stale": None}
    last = latest_day(when)
    return {"date": when, "year": int(when[:4]),
            "stale": bool(last is not None and last < years_before(today, STALE_AFTER_YEARS))}


def summary(provenance: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The compact line of a record from its resolved provenance: the newest ``checked_on``, how many
    distinct ``sources`` back its facts, the newest publication date among them (``newest_source``) and
    how many ``fields`` are sourced."""
    found = {s.get("id") or s.get("url") or s.get("title"): s for f in provenance.values() for s in f["sources"]}
    return {
        "checked_on": max((f["checked_on"] for f in provenance.values() if f.get("checked_on")), default=None),
        "sources": len(found),
        "newest_source": newest(s.get("published") for s in found.values()),
        "fields": len(provenance),
    }


def legacy_source(provenance: Mapping[str, Mapping[str, Any]]) -> tuple[str, str]:
    """The record-level ``source`` (space-separated URLs or titles, in the order of first use) and
    ``source_date`` (the newest publication date, or ``undated``) that older readers of the layers use."""
    seen: dict[str, Mapping[str, Any]] = {}
    for fact in provenance.values():
        for s in fact["sources"]:
            seen.setdefault(s.get("url") or s["title"], s)
    return " ".join(seen), newest(s.get("published") for s in seen.values()) or "undated"
