"""Citizen verification of the network ("Help verify"): the questions, their answers, consensus and decisions.

A *task* asks for one unknown attribute of one OSM element: the kerb at a crossing or kerb node, the surface,
smoothness, width or incline of a way, whether steps have a ramp. Its id names the element and the attribute,
like the element's address on openstreetmap.org: ``node/123/kerb``, ``way/456/surface``. Each attribute offers
a fixed list of answers (:data:`OPTIONS`); each answer says which OSM tags it stands for (the osmChange export)
and which value routing takes (:mod:`geo.reports.audit_overlay`).

Consensus (after StreetComplete's one-tap questions and Project Sidewalk's validation): a task becomes
*verified by the community* when ``needed`` answers from different clients agree (2 by default) and none
disagrees; two different answers make it *disputed* — it leaves the public list and waits in the moderation
queue, where a moderator confirms a value (which also overrides a community verdict), reopens the question or
rolls a verdict back. Every verdict is kept with who and when; rolling one back brings the previous one back
(or the question, with a fresh round of answers).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from geo import i18n
from geo.errors import BadRequestError, NotFoundError
from geo.reports.model import MAX_NOTE, iso, no_nul
from geo.validation import invalid, one_of

ElementType = Literal["node", "way"]
Status = Literal["open", "verified", "disputed"]

#: Attributes a task can ask about, in the order the map offers them.
ATTRIBUTES: tuple[str, ...] = ("kerb", "surface", "smoothness", "width", "incline", "ramp")
#: Task statuses (labels ``audit.status.<status>``).
STATUSES: tuple[str, ...] = ("open", "verified", "disputed")
#: Moderator actions (labels ``audit.action.<action>``).
ACTIONS: tuple[str, ...] = ("confirm", "reopen", "rollback")
#: Who decided a verdict.
SOURCES: tuple[str, ...] = ("community", "moderator")
#: Agreeing answers from different clients that verify a task (``AUDITS_AGREEMENT`` in the app).
DEFAULT_AGREEMENT = 2
#: An answer given this close to the element counts as "on site" (metres; the answerer's position is not stored).
ON_SITE_M = 50.0

_TASK_ID = re.compile(r"^(node|way)/([1-9][0-9]{0,18})/([a-z]+)$")


@dataclass(frozen=True)
class Option:
    """One answer to a question: its value, the OSM tags it stands for and the value routing takes.

    ``amount`` is in the attribute's unit: kerb height in cm, width in m, incline in % (either way), the
    smoothness or surface value's code, the ramp kind (0 none, 1 for prams, 2 for wheelchairs and prams).
    Incline answers have no direction, so they carry no tags: they change routes, not OpenStreetMap."""

    value: str
    amount: float
    tags: tuple[tuple[str, str], ...] = ()
    label: str = ""  # catalogue key of the label

    @property
    def label_key(self) -> str:
        """The catalogue key of the option's label."""
        return self.label or f"audit.option.{self.value}"


def _kerb(value: str, cm: float, *tags: tuple[str, str]) -> Option:
    return Option(value, cm, tags, f"audit.option.kerb.{value}")


def _band(attribute: str, value: str, amount: float, *tags: tuple[str, str]) -> Option:
    return Option(value, amount, tags, f"audit.option.{attribute}.{value}")


#: The answers offered per attribute. Kerbs: flush 0 cm, lowered 3 cm (the heights routing gives these OSM
#: values), raised ones with their height; widths are bands written as ``est_width`` (an estimate, not a
#: measurement); inclines are bands, steeper than a wheelchair's limit from "steep" on.
OPTIONS: dict[str, tuple[Option, ...]] = {
    "kerb": (
        _kerb("flush", 0.0, ("kerb", "flush")),
        _kerb("lowered", 3.0, ("kerb", "lowered")),
        _kerb("raised_6", 6.0, ("kerb", "raised"), ("kerb:height", "0.06")),
        _kerb("raised_10", 10.0, ("kerb", "raised"), ("kerb:height", "0.10")),
        _kerb("raised_15", 15.0, ("kerb", "raised"), ("kerb:height", "0.15")),
    ),
    "surface": tuple(
        Option(v, 0.0, (("surface", v),), f"osm.surface.{v}")
        for v in ("asphalt", "concrete", "paving_stones", "sett", "cobblestone", "compacted", "fine_gravel",
                  "gravel", "ground", "grass")
    ),
    "smoothness": tuple(
        _band("smoothness", v, 0.0, ("smoothness", v))
        for v in ("good", "intermediate", "bad", "very_bad", "horrible")
    ),
    "width": (
        _band("width", "under_0_7", 0.6, ("est_width", "0.6")),
        _band("width", "0_7_to_0_9", 0.8, ("est_width", "0.8")),
        _band("width", "0_9_to_1_5", 1.2, ("est_width", "1.2")),
        _band("width", "over_1_5", 1.8, ("est_width", "1.8")),
    ),
    "incline": (
        _band("incline", "flat", 1.5),
        _band("incline", "gentle", 4.5),
        _band("incline", "moderate", 7.0),
        _band("incline", "steep", 10.0),
        _band("incline", "very_steep", 15.0),
    ),
    "ramp": (
        _band("ramp", "none", 0.0, ("ramp", "no")),
        _band("ramp", "stroller", 1.0, ("ramp", "yes"), ("ramp:stroller", "yes"), ("ramp:wheelchair", "no")),
        _band("ramp", "wheelchair", 2.0, ("ramp", "yes"), ("ramp:wheelchair", "yes"), ("ramp:stroller", "yes")),
    ),
}


def option(attribute: str, value: str) -> Option:
    """The option ``value`` of ``attribute``; a :class:`BadRequestError` naming the offered values otherwise."""
    for opt in OPTIONS[attribute]:
        if opt.value == value:
            return opt
    raise BadRequestError("audit.value_not_offered", field="value", value=value,
                          attribute=attribute, choices=", ".join(o.value for o in OPTIONS[attribute]))


def options_json(attribute: str, lang: str | None) -> list[dict[str, str]]:
    """The options of an attribute as ``{value, label}`` in ``lang``."""
    return [{"value": o.value, "label": i18n.text(o.label_key, lang)} for o in OPTIONS[attribute]]


# --------------------------------------------------------------------------- tasks


@dataclass(frozen=True, order=True)
class TaskRef:
    """What a task asks about: an OSM element and one of its attributes."""

    element_type: ElementType
    element_id: int
    attribute: str

    @property
    def task_id(self) -> str:
        """``node/123/kerb``."""
        return f"{self.element_type}/{self.element_id}/{self.attribute}"

    @classmethod
    def parse(cls, task_id: Any) -> TaskRef:
        """A task id → its parts; a malformed one is an unknown task (404)."""
        m = _TASK_ID.match(task_id) if isinstance(task_id, str) else None
        if m is None or m.group(3) not in ATTRIBUTES or int(m.group(2)) >= 2**63:
            raise NotFoundError("audit.unknown_task", field="task_id", task_id=str(task_id)[:100])
        return cls(m.group(1), int(m.group(2)), m.group(3))  # type: ignore[arg-type]


def consensus(values: Sequence[str], needed: int) -> tuple[Status, str | None]:
    """Status of a round of answers (one per client): ``verified`` with the value when ``needed`` of them agree and
    none disagrees, ``disputed`` when any two disagree, else ``open``."""
    counts = Counter(values)
    if len(counts) > 1:
        return "disputed", None
    if counts and next(iter(counts.values())) >= needed:
        return "verified", next(iter(counts))
    return "open", None


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Answer:
    """One citizen's answer (clients are never shown: only how many answered and what)."""

    id: int
    round: int
    value: str
    created_at: datetime
    on_site: bool | None  # None: the answerer did not share a position
    photo: str | None

    def to_dict(self, *, photo_url: Any = None) -> dict[str, Any]:
        """JSON (moderators)."""
        return {"id": self.id, "round": self.round, "value": self.value, "at": iso(self.created_at),
                "on_site": self.on_site, "photo_url": photo_url(self.photo) if photo_url and self.photo else None}


@dataclass(frozen=True)
class Verdict:
    """A value decided for a task — by agreeing answers or by a moderator — and whether it was rolled back."""

    id: int
    task: TaskRef
    value: str
    source: str
    actor: str
    at: datetime
    note: str | None = None
    rolled_back_at: datetime | None = None
    rolled_back_by: str | None = None
    rollback_note: str | None = None
    answers: int = 0  # answers of the round it decided
    on_site: int = 0
    photos: int = 0

    @property
    def current(self) -> bool:
        """Not rolled back."""
        return self.rolled_back_at is None

    def to_dict(self, *, private: bool = False) -> dict[str, Any]:
        """JSON; the moderator's name only for moderators."""
        actor = self.actor if private or self.source == "community" else "moderator"
        return {"id": self.id, "value": self.value, "source": self.source, "actor": actor, "at": iso(self.at),
                "note": self.note if private else None, "rolled_back_at": iso(self.rolled_back_at),
                "rolled_back_by": (self.rolled_back_by if private else "moderator") if self.rolled_back_by else None,
                "rollback_note": self.rollback_note if private else None,
                "answers": self.answers, "on_site": self.on_site, "photos": self.photos}


@dataclass(frozen=True)
class Item:
    """A task that has answers or verdicts: its status, round, answers and verdicts (oldest first)."""

    task: TaskRef
    status: str
    round: int
    lon: float
    lat: float
    created_at: datetime
    updated_at: datetime
    answers: tuple[Answer, ...] = ()
    verdicts: tuple[Verdict, ...] = field(default=())

    @property
    def verdict(self) -> Verdict | None:
        """The verdict in force (the newest one not rolled back)."""
        live = [v for v in self.verdicts if v.current]
        return live[-1] if live else None

    def round_answers(self) -> tuple[Answer, ...]:
        """The answers of the current round."""
        return tuple(a for a in self.answers if a.round == self.round)


@dataclass(frozen=True)
class AnswerResult:
    """What an answer did: the task's status after it, the answers of its round, the agreement needed."""

    task: TaskRef
    status: str
    answers: int
    needed: int
    value: str | None  # the verified value when this answer verified the task


# --------------------------------------------------------------------------- input


class NewAnswer(BaseModel):
    """A citizen's answer: the task, one of its options, and (optionally) where the answerer stands."""

    model_config = ConfigDict(extra="ignore")

    task_id: str = Field(min_length=1, max_length=100)
    value: str = Field(min_length=1, max_length=40)
    lat: float | None = Field(default=None, ge=-90, le=90, allow_inf_nan=False)
    lon: float | None = Field(default=None, ge=-180, le=180, allow_inf_nan=False)

    @model_validator(mode="after")
    def _both(self) -> NewAnswer:
        if (self.lat is None) != (self.lon is None):
            raise invalid("audit.position_pair")
        return self


class Decision(BaseModel):
    """A moderator's decision on a task: ``confirm`` a value, ``reopen`` the question, ``rollback`` a verdict."""

    model_config = ConfigDict(extra="ignore")

    task_id: str = Field(min_length=1, max_length=100)
    action: str
    value: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=MAX_NOTE)

    @field_validator("action")
    @classmethod
    def _action(cls, v: str) -> str:
        return one_of(v, ACTIONS)

    _note = field_validator("note")(no_nul)
