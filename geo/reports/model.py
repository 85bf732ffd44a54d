"""Citizen barrier reports: categories, severities, the moderation lifecycle, validation and photos.

Lifecycle (after FixMyStreet)::

    submitted ──► confirmed ──► planned ──► in_progress ──► fixed
        │             │            └──────────────────────► fixed
        │             ├──► in_progress
        └─────────────┴──► rejected | duplicate (of another report)

Only ``confirmed``, ``planned`` and ``in_progress`` reports change routes (see :mod:`geo.reports.overlay`),
and only until their optional ``valid_until`` has passed (a report past it is *expired*). The
public sees a report's description and photo only once a moderator accepted it (``confirmed`` or
later, not ``rejected`` / ``duplicate``); before that, only its status, category and place.

Effect on routing, per category and profile (``block`` = impassable at any severity;
``severity`` = impassable at severity 3, a penalty at 1–2; ``penalty`` = a penalty only, the
largest at severity 3; ``sev3`` = impassable at severity 3, nothing below; ``warn`` = no cost
change, but routes over it carry a warning; ``–`` = no effect). Penalties are added once per
traversal: severity 1 → 30 s, 2 → 120 s, 3 → 300 s.

=====================  =================  ===================  ========  =======
category               manual_wheelchair  electric_wheelchair  pram      walking
=====================  =================  ===================  ========  =======
steps                  block              block                block     –
high_kerb              severity           severity             penalty   –
missing_curb_ramp      severity           severity             penalty   –
steep_slope            severity           penalty              penalty   –
surface_problem        severity           severity             severity  –
obstacle               severity           severity             severity  sev3
narrow_passage         severity           severity             severity  –
no_sidewalk            penalty            penalty              penalty   –
broken_lift            block              block                block     block on the lift itself
construction           severity           severity             severity  sev3
inaccessible_entrance  warn               warn                 warn      –
other                  severity           severity             severity  –
=====================  =================  ===================  ========  =======

A broken lift snaps to the nearest lift (``highway=elevator`` way or node) within the snapping
tolerance and blocks it for everyone; with no lift near it blocks the nearest edge for wheels.
An inaccessible entrance is a destination problem, not a barrier on the way: it only warns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, UrlConstraints, field_validator

from geo import i18n
from geo.errors import BadRequestError, InvalidTransitionError
from geo.validation import invalid, one_of, validate

#: Local time of the city: naive date/times in requests are read in it.
LOCAL_TZ = ZoneInfo("Europe/Prague")

#: Report categories (labels: ``report.category.<code>`` in the message catalogue).
CATEGORIES: tuple[str, ...] = (
    "high_kerb", "missing_curb_ramp", "steps", "steep_slope", "surface_problem", "obstacle", "narrow_passage",
    "no_sidewalk", "broken_lift", "construction", "inaccessible_entrance", "other",
)
#: Severities (labels: ``report.severity.<n>``): 1 passable with difficulty, 2 risky, 3 impassable.
SEVERITIES: tuple[int, ...] = (1, 2, 3)
STATUSES: tuple[str, ...] = ("submitted", "confirmed", "planned", "in_progress", "fixed", "rejected", "duplicate")
#: Statuses whose reports change routes (until ``valid_until``).
ACTIVE_STATUSES: frozenset[str] = frozenset({"confirmed", "planned", "in_progress"})
#: Statuses that end a report's life.
CLOSED_STATUSES: frozenset[str] = frozenset({"fixed", "rejected", "duplicate"})
#: Statuses of a report still being dealt with (Open311 ``open`` unless expired).
OPEN_STATUSES: frozenset[str] = frozenset(STATUSES) - CLOSED_STATUSES
#: Statuses whose description and photo anyone may see (accepted by a moderator); the others
#: (submitted, rejected, duplicate) only moderators.
PUBLIC_STATUSES: frozenset[str] = frozenset({"confirmed", "planned", "in_progress", "fixed"})
#: Allowed moves: current status → statuses it may go to.
TRANSITIONS: dict[str, frozenset[str]] = {
    "submitted": frozenset({"confirmed", "rejected", "duplicate"}),
    "confirmed": frozenset({"planned", "in_progress", "rejected", "duplicate"}),
    "planned": frozenset({"in_progress", "fixed"}),
    "in_progress": frozenset({"fixed"}),
    "fixed": frozenset(),
    "rejected": frozenset(),
    "duplicate": frozenset(),
}

Mode = Literal["block", "severity", "penalty", "sev3", "warn"]
_W = ("manual_wheelchair", "electric_wheelchair")
_WP = (*_W, "pram")


#: Category → profile → mode (profiles not listed are not affected); the table in the module docstring.
EFFECTS: dict[str, dict[str, Mode]] = {
    "steps": dict.fromkeys(_WP, "block"),
    "high_kerb": {**dict.fromkeys(_W, "severity"), "pram": "penalty"},
    "missing_curb_ramp": {**dict.fromkeys(_W, "severity"), "pram": "penalty"},
    "steep_slope": {"manual_wheelchair": "severity", "electric_wheelchair": "penalty", "pram": "penalty"},
    "surface_problem": dict.fromkeys(_WP, "severity"),
    "obstacle": {**dict.fromkeys(_WP, "severity"), "walking": "sev3"},
    "narrow_passage": dict.fromkeys(_WP, "severity"),
    "no_sidewalk": dict.fromkeys(_WP, "penalty"),
    "broken_lift": dict.fromkeys(_WP, "block"),
    "construction": {**dict.fromkeys(_WP, "severity"), "walking": "sev3"},
    "inaccessible_entrance": dict.fromkeys(_WP, "warn"),
    "other": dict.fromkeys(_WP, "severity"),
}
#: Seconds added per traversal at each severity when the effect is a penalty.
PENALTY_S: dict[int, float] = {1: 30.0, 2: 120.0, 3: 300.0}

MAX_DESCRIPTION = 2000
MAX_CONTACT = 200
MAX_NOTE = 2000
#: Longest ``media_url`` (a link to media elsewhere, never fetched).
MAX_MEDIA_URL = 2048
#: Largest id (and offset) the database can hold: a signed 64-bit integer.
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Effect:
    """What one report does to one profile: impassable, or seconds added (0 = a warning only)."""

    blocks: bool
    penalty_s: float = 0.0


def effect(category: str, severity: int, profile: str) -> Effect | None:
    """The effect of a confirmed report on ``profile`` (``None`` = none); see the table above."""
    mode = EFFECTS.get(category, {}).get(profile)
    if mode is None:
        return None
    if mode == "block" or (mode in ("severity", "sev3") and severity >= 3):
        return Effect(blocks=True)
    if mode == "sev3":
        return None
    if mode == "warn":
        return Effect(blocks=False, penalty_s=0.0)
    return Effect(blocks=False, penalty_s=PENALTY_S[severity])


def effects_summary(category: str, severity: int) -> dict[str, str]:
    """Profile → "blocks" / "penalty_30s" / "warning" for the profiles a report affects (for the API)."""
    out: dict[str, str] = {}
    for profile in ("manual_wheelchair", "electric_wheelchair", "pram", "walking"):
        eff = effect(category, severity, profile)
        if eff is None:
            continue
        out[profile] = "blocks" if eff.blocks else ("warning" if eff.penalty_s == 0 else
                                                     f"penalty_{eff.penalty_s:g}s")
    return out


# --------------------------------------------------------------------------- time


def utcnow() -> datetime:
    """Now in UTC, naive (how the database stores every timestamp)."""
    return datetime.now(UTC).replace(tzinfo=None)


def iso(dt: datetime | None) -> str | None:
    """A stored (naive UTC) timestamp as ISO 8601 with ``Z``."""
    if dt is None:
        return None
    return dt.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


#: A date-time whose UTC offset lost its ``+`` to URL decoding (an unencoded ``+`` in a query string is a
#: space): a time, one space, and an offset ``HH:MM`` / ``HHMM`` / ``HH`` at the end.
_PLUS_AS_SPACE = re.compile(r"(.*\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?) (\d{2}(?::?\d{2})?)")


def parse_datetime(text: str, name: str, *, end_of_day: bool = False) -> datetime:
    """ISO 8601 date or date/time → naive UTC. Naive values are local (Europe/Prague) time; a bare
    date means the start of that day, or its end (midnight after it) with ``end_of_day``. A space
    between a time and an offset is read as the ``+`` a client forgot to encode in a URL
    (``2025-06-30T18:00:00 02:00``): nothing else can be meant there."""
    raw = str(text).strip()
    plus = _PLUS_AS_SPACE.fullmatch(raw)
    if plus:
        raw = f"{plus[1]}+{plus[2]}"
    try:
        if len(raw) == 10:
            d = date.fromisoformat(raw)
            dt = datetime.combine(d + timedelta(days=1) if end_of_day else d, time())
        else:
            dt = datetime.fromisoformat(raw.replace("z", "Z"))
    except ValueError:
        raise BadRequestError("request.datetime", field=name, value=str(text)) from None
    except OverflowError:  # the day after 9999-12-31
        raise _out_of_range(name, text) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=LOCAL_TZ)
    try:
        return dt.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:  # e.g. 0001-01-01 in Prague, or 9999-12-31T23:59-05:00
        raise _out_of_range(name, text) from None


def _out_of_range(name: str, text: str) -> BadRequestError:
    return BadRequestError("request.datetime_range", field=name, value=str(text))


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Event:
    """One entry in a report's history: who moved it from which status to which, and when."""

    at: datetime
    actor: str
    from_status: str | None
    to_status: str
    note: str | None = None

    def to_dict(self, *, private: bool = False) -> dict[str, Any]:
        """JSON; the moderator's name only for moderators (the public sees "moderator")."""
        actor = self.actor if private or self.actor == "public" else "moderator"
        return {"at": iso(self.at), "actor": actor, "from": self.from_status, "to": self.to_status,
                "note": self.note}


@dataclass(frozen=True)
class Report:
    """A stored report with its history (oldest first)."""

    id: int
    lat: float
    lon: float
    category: str
    severity: int
    description: str
    contact: str | None
    photo: str | None
    valid_until: datetime | None
    status: str
    duplicate_of: int | None
    source: str
    created_at: datetime
    updated_at: datetime
    history: tuple[Event, ...] = field(default=())
    media_url: str | None = None
    api_key_id: int | None = None

    def expired(self, now: datetime) -> bool:
        """True once ``valid_until`` has passed."""
        return self.valid_until is not None and self.valid_until <= now

    def last_change(self, now: datetime) -> datetime:
        """When the report last changed: its last status change, or its ``valid_until`` if it expired later."""
        if self.valid_until is not None and self.expired(now):
            return max(self.updated_at, self.valid_until)
        return self.updated_at

    def status_note(self) -> str | None:
        """The note of the change that gave the report its current status (``None`` if it had none)."""
        last = self.history[-1] if self.history else None
        return last.note if last is not None and last.to_status == self.status else None

    def affects_routing(self, now: datetime) -> bool:
        """Confirmed (or planned / in progress) and not expired."""
        return self.status in ACTIVE_STATUSES and not self.expired(now)

    def content_public(self) -> bool:
        """True once a moderator accepted the report: only then may anyone see its text and photo."""
        return self.status in PUBLIC_STATUSES

    def photo_public(self) -> bool:
        """A photo anyone may see: of a confirmed (or later, not rejected / duplicate) report."""
        return self.photo is not None and self.content_public()

    def to_dict(self, *, now: datetime, private: bool = False, own: bool = False,
                photo_url: Callable[[str], str] | None = None, history: bool = True,
                lang: str | None = None) -> dict[str, Any]:
        """JSON of the report; ``contact`` and ``api_key_id`` only when ``private`` (moderators);
        ``description``, ``media_url`` and ``photo_url`` are ``None`` for the public until the report is
        confirmed (``own``: the submitter's copy in the answer to the submission shows them). Text is
        returned as stored: escaping is the job of whatever renders it as HTML. Labels are in ``lang``."""
        show_text = private or own or self.content_public()
        show_photo = self.photo is not None and show_text
        out: dict[str, Any] = {
            "id": self.id,
            "lat": self.lat,
            "lon": self.lon,
            "category": self.category,
            "category_label": i18n.text(f"report.category.{self.category}", lang),
            "severity": self.severity,
            "description": self.description if show_text else None,
            "status": self.status,
            "duplicate_of": self.duplicate_of,
            "valid_until": iso(self.valid_until),
            "expired": self.expired(now),
            "affects_routing": self.affects_routing(now),
            "effects": effects_summary(self.category, self.severity),
            "photo_url": photo_url(self.photo) if show_photo and photo_url and self.photo else None,
            "media_url": self.media_url if show_text else None,
            "source": self.source,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        }
        if private:
            out["contact"] = self.contact
            out["api_key_id"] = self.api_key_id
        if history:
            out["history"] = [e.to_dict(private=private) for e in self.history]
        return out

    def to_feature(self, **kwargs: Any) -> dict[str, Any]:
        """The report as a GeoJSON Point feature."""
        return {"type": "Feature", "id": self.id, "geometry": {"type": "Point", "coordinates": [self.lon, self.lat]},
                "properties": self.to_dict(**kwargs)}


# --------------------------------------------------------------------------- validation


def no_nul(v: str | None) -> str | None:
    """A validator body refusing NUL characters (PostgreSQL text cannot hold them); other text is kept verbatim."""
    if v is not None and "\x00" in v:
        raise invalid("request.no_nul")
    return v


class NewReport(BaseModel):
    """A submitted report (JSON or form fields). Text is kept exactly as given."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
    category: str
    severity: int = Field(ge=1, le=3)
    description: str = Field(default="", max_length=MAX_DESCRIPTION)
    contact: str | None = Field(default=None, max_length=MAX_CONTACT)
    valid_until: datetime | None = None
    #: A link to a photo or video elsewhere (http or https): stored, shown after moderation, never fetched.
    media_url: Annotated[HttpUrl, UrlConstraints(max_length=MAX_MEDIA_URL)] | None = None

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        return one_of(v, CATEGORIES)

    @field_validator("severity", mode="before")
    @classmethod
    def _severity(cls, v: Any) -> Any:
        if isinstance(v, bool) or (isinstance(v, float) and not v.is_integer()):
            raise invalid("report.severity_invalid")
        return v

    @field_validator("description", "contact")
    @classmethod
    def _text(cls, v: str | None) -> str | None:
        return no_nul(v)

    @field_validator("valid_until", mode="before")
    @classmethod
    def _valid_until(cls, v: Any) -> Any:
        if v is None or isinstance(v, datetime):
            return v
        if not isinstance(v, str):
            raise invalid("request.datetime", value=str(v))
        return parse_datetime(v, "valid_until", end_of_day=True)


class StatusChange(BaseModel):
    """A moderator's status change."""

    model_config = ConfigDict(extra="ignore")

    status: str
    note: str | None = Field(default=None, max_length=MAX_NOTE)
    duplicate_of: int | None = Field(default=None, ge=1, le=MAX_ID)

    @field_validator("status")
    @classmethod
    def _status(cls, v: str) -> str:
        return one_of(v, STATUSES)

    @field_validator("note")
    @classmethod
    def _note(cls, v: str | None) -> str | None:
        return no_nul(v)


def parse_report(data: Mapping[str, Any], *, now: datetime) -> NewReport:
    """Validate a submission; ``valid_until`` must lie in the future."""
    report = validate(NewReport, data)
    if report.valid_until is not None and report.valid_until <= now:
        raise BadRequestError("report.valid_until_past", field="valid_until")
    return report


def check_transition(current: str, target: str, *, report_id: int, duplicate_of: int | None) -> None:
    """Raise :class:`InvalidTransitionError` unless ``current`` → ``target`` is allowed."""
    allowed = TRANSITIONS[current]
    if target not in allowed:
        raise InvalidTransitionError("report.transition" if allowed else "report.transition_closed",
                                     id=report_id, current=current, target=target, allowed=sorted(allowed),
                                     choices=", ".join(sorted(allowed)))
    if target == "duplicate":
        if duplicate_of is None:
            raise BadRequestError("report.duplicate_needs_original", field="duplicate_of")
        if duplicate_of == report_id:
            raise BadRequestError("report.duplicate_of_itself", field="duplicate_of")
    elif duplicate_of is not None:
        raise BadRequestError("report.duplicate_of_without_status", field="duplicate_of")
