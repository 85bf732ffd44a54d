"""The programme tracker: every commitment of the city's social-affairs programme, what was promised, what
exists and how we know (``data/layers/programme.json``).

A commitment (:class:`Commitment`) has its section and bullet in the programme, a kind (service, place,
target, rule, fund, project), a summary in the project's own words (Czech and English), the map records
that implement it (services or flats, each link marked when it is the project's reading), measurable
targets (:class:`Target`) and a status with evidence, sources and the day it was assessed. The
programme's context figures (:class:`ContextFigure`) carry their sources too.

Pure functions then answer the page: the progress of a target (only from sourced figures — the units of
flats records, or a sourced current value; "no data" otherwise), which commitments a record implements,
and the whole tracker as the API sends it (:func:`programme_view`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import pandas as pd
from pydantic import Field, ValidationInfo, field_validator, model_validator

from geo import i18n
from geo.errors import DataError
from geo.layers.provenance import (
    DATE_PATTERN,
    DAY_PATTERN,
    Source,
    StrictModel,
    confirmation,
    not_in_future,
    unknown_source_ids,
)
from geo.layers.schemas import (
    FlatCollection,
    LocalizedText,
    Programme,
    ProgrammeTarget,
    ServiceCollection,
    read_model,
    unique_source_ids,
)
from geo.validation import invalid

Kind = Literal["service", "place", "target", "rule", "fund", "project"]
Status = Literal["not_started", "in_progress", "done", "unknown"]
TargetKind = Literal["increase_by", "multiply", "reduce", "increase"]
Unit = Literal["units", "people", "czk", "places", "psychiatrists", "percent"]
Layer = Literal["services", "flats"]
KINDS: tuple[str, ...] = ("service", "place", "target", "rule", "fund", "project")
STATUSES: tuple[str, ...] = ("not_started", "in_progress", "done", "unknown")
#: Kinds that are done somewhere: they need at least one map record (rules, funds and projects are listed).
PLACED_KINDS = frozenset({"service", "place"})
_ID = r"^[a-z0-9][a-z0-9_.-]{0,79}$"
#: Flats statuses counted as done, under way and planned toward a units target.
_DONE, _UNDER_WAY, _PLANNED = ("existing",), ("under_reconstruction",), ("planned", "cooperative_partner")


def _partial_date(v: str, info: ValidationInfo) -> str:
    return not_in_future(v, info)


class Figure(StrictModel):
    """A sourced number: a target's baseline or current value."""

    value: float
    as_of: str = Field(pattern=DATE_PATTERN)
    sources: list[str] = Field(min_length=1)

    _as_of = field_validator("as_of")(_partial_date)


class Target(StrictModel):
    """A measurable target of a commitment (e.g. +150 flats, ×3 people helped)."""

    id: str = Field(pattern=_ID)
    label: LocalizedText
    kind: TargetKind
    value: float | None = None
    unit: Unit
    baseline: Figure | None = None
    current: Figure | None = None
    #: Progress from the units of the flats records of this programme (not from ``current``).
    flats_programme: Programme | None = None
    #: Whether counting toward the target is the project's reading (shown on the page).
    interpretation: bool = False
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _value_for_numeric_kinds(self) -> Target:
        if self.kind in ("increase_by", "multiply") and self.value is None:
            raise invalid("programme.target_value", field="value", kind=self.kind)
        return self


class RecordLink(StrictModel):
    """A map record that implements (or, by the project's reading, relates to) a commitment."""

    layer: Layer
    id: str = Field(pattern=_ID)
    interpretation: bool = False


class StatusEntry(StrictModel):
    """Where a commitment stands, why we think so, and the day it was assessed."""

    value: Status
    evidence: LocalizedText | None = None
    sources: list[str] = Field(default_factory=list)
    as_of: str = Field(pattern=DAY_PATTERN)
    interpretation: bool = False

    _as_of = field_validator("as_of")(_partial_date)

    @model_validator(mode="after")
    def _evidence_for_a_known_status(self) -> StatusEntry:
        if self.value != "unknown" and (self.evidence is None or not self.sources):
            raise invalid("programme.status_without_evidence", field="status", value=self.value)
        return self


class Commitment(StrictModel):
    """One bullet of the programme."""

    id: str = Field(pattern=_ID)
    section: int = Field(ge=1)
    bullet: int = Field(ge=1)
    kind: Kind
    summary: LocalizedText
    records: list[RecordLink] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    status: StatusEntry
    interpretation: LocalizedText | None = None

    @model_validator(mode="after")
    def _placed_kinds_have_records(self) -> Commitment:
        if self.kind in PLACED_KINDS and not self.records:
            raise invalid("programme.no_record", field="records", kind=self.kind)
        if self.kind == "target" and not self.targets:
            raise invalid("programme.no_target", field="targets")
        return self

    @property
    def ref(self) -> str:
        """``section.bullet`` (``1.4``)."""
        return f"{self.section}.{self.bullet}"

    def source_ids(self) -> list[str]:
        """Every source id the commitment names."""
        out = list(self.status.sources)
        for t in self.targets:
            out += t.sources + [s for f in (t.baseline, t.current) if f is not None for s in f.sources]
        return out


class ContextFigure(StrictModel):
    """A figure the programme gives as context (e.g. residents facing distraint)."""

    id: str = Field(pattern=_ID)
    label: LocalizedText
    value: float
    unit: Unit
    approximate: bool = False
    as_of: str = Field(pattern=DATE_PATTERN)
    sources: list[str] = Field(min_length=1)

    _as_of = field_validator("as_of")(_partial_date)


class Section(StrictModel):
    """A heading of the programme."""

    number: int = Field(ge=1)
    title: LocalizedText


class ProgrammeInfo(StrictModel):
    """The programme itself: its title, a short description and where its text is."""

    title: LocalizedText
    description: LocalizedText | None = None
    sources: list[str] = Field(min_length=1)


class ProgrammeFile(StrictModel):
    """``data/layers/programme.json``."""

    programme: ProgrammeInfo
    sections: list[Section] = Field(min_length=1)
    context: list[ContextFigure] = Field(default_factory=list)
    commitments: list[Commitment]
    sources: list[Source] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> ProgrammeFile:
        unique_source_ids(self.sources)
        numbers = [s.number for s in self.sections]
        if len(set(numbers)) != len(numbers):
            raise invalid("programme.duplicate_section", field="sections")
        seen: dict[str, int] = {}
        bullets: dict[tuple[int, int], str] = {}
        for i, c in enumerate(self.commitments):
            if c.id in seen:
                raise invalid("layers.duplicate_id", field="id", id=c.id, other=seen[c.id], index=i)
            seen[c.id] = i
            if c.section not in numbers:
                raise invalid("programme.unknown_section", field="section", section=c.section, index=i)
            if (c.section, c.bullet) in bullets:
                raise invalid("programme.duplicate_bullet", field="bullet", ref=c.ref,
                              other=bullets[c.section, c.bullet], index=i)
            bullets[c.section, c.bullet] = c.id
            missing = unknown_source_ids(c.source_ids(), self.sources)
            if missing:
                raise invalid("layers.unknown_source", field="sources", id=missing[0], index=i)
        other = [*self.programme.sources, *(s for f in self.context for s in f.sources)]
        missing = unknown_source_ids(other, self.sources)
        if missing:
            raise invalid("layers.unknown_source", field="sources", id=missing[0])
        return self

    def commitment(self, cid: str) -> Commitment:
        """The commitment ``cid`` (a :class:`KeyError` when there is none)."""
        for c in self.commitments:
            if c.id == cid:
                return c
        raise KeyError(cid)


def read_programme(path: str | Path, *, today: date | None = None) -> ProgrammeFile:
    """Read and validate the programme tracker (a :class:`~geo.layers.schemas.LayerFileError` names the
    commitment and the field of the first problem)."""
    return read_model(ProgrammeFile, path, today=today)


# --------------------------------------------------------------------------- links between the files


def check_links(programme: ProgrammeFile, services: ServiceCollection, flats: FlatCollection, *,
                file: str | Path) -> int:
    """Every record a commitment links to exists in its layer; returns the number of links checked
    (a :class:`~geo.errors.DataError` names the first broken one)."""
    ids = {"services": {f.properties.id for f in services.features},
           "flats": {f.properties.id for f in flats.features}}
    n = 0
    for c in programme.commitments:
        for link in c.records:
            if link.id not in ids[link.layer]:
                raise DataError("programme.unknown_record", file=str(file), commitment=c.id, layer=link.layer,
                                id=link.id, field="records")
            n += 1
    return n


def check_shared_sources(files: dict[str, list[Source]]) -> int:
    """A source id used in several files means the same source everywhere (URL, title, date); returns the
    number of distinct sources."""
    first: dict[str, tuple[str, Source]] = {}
    for file, sources in files.items():
        for s in sources:
            if s.id in first:
                other_file, other = first[s.id]
                if (s.url, s.title, s.published) != (other.url, other.title, other.published):
                    raise DataError("layers.source_differs", file=file, other=other_file, id=s.id, field="sources")
            else:
                first[s.id] = (file, s)
    return len(first)


def commitments_index(programme: ProgrammeFile | None) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """``(layer, record id)`` → the commitments that link to the record (id, ``ref`` such as ``2.3``,
    whether the link is the project's reading)."""
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for c in programme.commitments if programme is not None else []:
        for link in c.records:
            out.setdefault((link.layer, link.id), []).append(
                {"id": c.id, "ref": c.ref, "section": c.section, "bullet": c.bullet,
                 "interpretation": link.interpretation})
    return out


def flats_targets(programme: ProgrammeFile | None, sources: dict[str, Source] | None = None) -> list[ProgrammeTarget]:
    """The targets counted from the flats layer, in the form of the flats layer's ``programme_targets``."""
    sources = sources if sources is not None else {s.id: s for s in programme.sources} if programme else {}
    out = []
    for c in programme.commitments if programme is not None else []:
        for t in c.targets:
            if t.flats_programme is None or t.value is None:
                continue
            first = sources.get(t.sources[0])
            out.append(ProgrammeTarget(programme=t.flats_programme, target_units=int(t.value), label=t.label,
                                       source=(first.url or first.title) if first else t.sources[0],
                                       source_date=first.published if first else "undated"))
    return out


# --------------------------------------------------------------------------- progress of a target


def _units(frame: gpd.GeoDataFrame, statuses: Iterable[str]) -> int:
    sub = frame[frame["status"].isin(list(statuses))]
    return int(pd.to_numeric(sub["units_total"], errors="coerce").fillna(0).sum())


def target_progress(target: Target, flats: gpd.GeoDataFrame) -> dict[str, Any]:
    """How far a target is, from sourced figures only.

    ``has_data`` is ``False`` (the page says "no data") unless the flats layer has records of the target's
    programme with a unit count, or the target has a sourced ``current`` value. ``share`` is the part
    reached (0…1, capped) where it can be computed; for flats targets ``done``, ``under_way`` and ``planned``
    units are counted by the records' status (existing / under reconstruction / planned or partner).
    """
    out: dict[str, Any] = {"has_data": False, "share": None, "done": None, "under_way": None, "planned": None,
                           "current": None, "records": []}
    if target.flats_programme is not None:
        sub = flats[flats["programme"] == target.flats_programme] if len(flats) else flats
        counted = sub[pd.to_numeric(sub["units_total"], errors="coerce").notna()] if len(sub) else sub
        if len(counted) == 0:
            return out
        done = _units(counted, _DONE)
        out.update(has_data=True, done=done, under_way=_units(counted, _UNDER_WAY), planned=_units(counted, _PLANNED),
                   records=list(counted["id"]), share=min(done / target.value, 1.0) if target.value else None)
        return out
    if target.current is None:
        return out
    cur, base = target.current.value, target.baseline.value if target.baseline else None
    share: float | None = None
    if target.kind == "increase_by" and target.value:
        share = cur / target.value
    elif target.kind == "multiply" and target.value and base:
        share = (cur / base - 1) / (target.value - 1) if target.value > 1 else None
    elif target.kind == "reduce" and base:
        goal = target.value or 0.0
        share = (base - cur) / (base - goal) if base != goal else None
    if share is not None and math.isfinite(share):
        share = max(0.0, min(share, 1.0))
    out.update(has_data=True, current=cur, share=share)
    return out


# --------------------------------------------------------------------------- the tracker as the API sends it


def _sources(ids: Iterable[str], by_id: dict[str, Source]) -> list[dict[str, Any]]:
    return [by_id[i].model_dump() for i in dict.fromkeys(ids) if i in by_id]


def _record_lookup(layer: str, frame: gpd.GeoDataFrame, today: date, lang: str) -> dict[str, dict[str, Any]]:
    """id → what the page shows of each record of a layer (read from the frame's columns once)."""
    if not len(frame):
        return {}
    if layer == "services":
        names = frame["name_en" if lang == "en" else "name_cs"].to_numpy()
    else:
        names = frame["name"].to_numpy()
    geoms = frame.geometry.to_numpy()
    out = {}
    for rid, name, address, geom, precision, status, prov in zip(
            frame["id"], names, frame["address"], geoms, frame["position_precision"], frame["status"],
            frame["provenance"], strict=True):
        out[rid] = {"name": name or address or rid, "placed": geom is not None and not geom.is_empty,
                    "position_precision": precision, "status": status,
                    "status_confirmed": confirmation((prov or {}).get("status"), today)}
    return out


def _record_view(link: RecordLink, records: dict[str, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    found = records[link.layer].get(link.id, {"name": link.id, "placed": False, "position_precision": "unknown",
                                              "status": None, "status_confirmed": None})
    return {"layer": link.layer, "id": link.id, "interpretation": link.interpretation, **found}


def _target_view(t: Target, flats: gpd.GeoDataFrame, by_id: dict[str, Source], lang: str) -> dict[str, Any]:
    return {"id": t.id, "label": getattr(t.label, lang), "kind": t.kind, "value": t.value, "unit": t.unit,
            "unit_label": i18n.text(f"programme.unit.{t.unit}", lang),
            "baseline": None if t.baseline is None else {**t.baseline.model_dump(),
                                                          "sources": _sources(t.baseline.sources, by_id)},
            "current": None if t.current is None else {**t.current.model_dump(),
                                                        "sources": _sources(t.current.sources, by_id)},
            "flats_programme": t.flats_programme, "interpretation": t.interpretation,
            "sources": _sources(t.sources, by_id), "progress": target_progress(t, flats)}


def programme_view(programme: ProgrammeFile, services: gpd.GeoDataFrame, flats: gpd.GeoDataFrame, *, lang: str,
                   today: date, notice: str | None = None, placement: dict[str, Any] | None = None) -> dict[str, Any]:
    """The tracker for the page and ``GET /api/programme``: sections with their commitments (texts in
    ``lang``), each with its records on the map (placed or not), targets with their progress, status with
    evidence and sources; the context figures; counts by status; and the ``notice`` the page shows when
    the curated records cannot be placed on the loaded map."""
    lang = i18n.lang_or_default(lang)
    by_id = {s.id: s for s in programme.sources}
    records = {"services": _record_lookup("services", services, today, lang),
               "flats": _record_lookup("flats", flats, today, lang)}
    flats = pd.DataFrame(flats[["id", "programme", "status", "units_total"]]) if len(flats) else flats
    sections = []
    for sec in sorted(programme.sections, key=lambda s: s.number):
        items = []
        for c in sorted((c for c in programme.commitments if c.section == sec.number), key=lambda c: c.bullet):
            items.append({
                "id": c.id, "section": c.section, "bullet": c.bullet, "ref": c.ref, "kind": c.kind,
                "kind_label": i18n.text(f"programme.kind.{c.kind}", lang), "summary": getattr(c.summary, lang),
                "status": c.status.value, "status_label": i18n.text(f"programme.status.{c.status.value}", lang),
                "evidence": getattr(c.status.evidence, lang) if c.status.evidence else None,
                "status_sources": _sources(c.status.sources, by_id), "as_of": c.status.as_of,
                "status_interpretation": c.status.interpretation,
                "interpretation": getattr(c.interpretation, lang) if c.interpretation else None,
                "records": [_record_view(link, records) for link in c.records],
                "targets": [_target_view(t, flats, by_id, lang) for t in c.targets],
            })
        sections.append({"number": sec.number, "title": getattr(sec.title, lang), "commitments": items})
    counts = {s: sum(c.status.value == s for c in programme.commitments) for s in STATUSES}
    return {
        "lang": lang, "title": getattr(programme.programme.title, lang),
        "description": getattr(programme.programme.description, lang) if programme.programme.description else None,
        "sources": _sources(programme.programme.sources, by_id),
        "as_of": max(c.status.as_of for c in programme.commitments) if programme.commitments else None,
        "notice": notice, "placement": placement,
        "context": [{"id": f.id, "label": getattr(f.label, lang), "value": f.value, "unit": f.unit,
                     "unit_label": i18n.text(f"programme.unit.{f.unit}", lang), "approximate": f.approximate,
                     "as_of": f.as_of, "sources": _sources(f.sources, by_id)} for f in programme.context],
        "counts": {"commitments": len(programme.commitments), "by_status": counts},
        "sections": sections,
    }
