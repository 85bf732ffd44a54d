"""Curated map layers — services and city-owned flats: their schemas and reading the files.

The curated files (``data/layers/services.geojson``, ``data/layers/city_flats.geojson``) are
validated with pydantic when the app starts; the first problem is reported as a
:class:`~geo.errors.DataError` naming the file, the feature and the field, so the app refuses to
start with one clear line.

Each file lists its sources once (``sources``, :class:`~geo.layers.provenance.Source`); each record
says per factual field which of them state the value and when the project checked them
(``provenance``, :class:`~geo.layers.provenance.Fact`). A factual value without a source is refused;
an unknown one (``null``, ``"unknown"``) needs none. ``source`` and ``source_date`` of a record are
optional: the frames derive them from the provenance for older readers.
"""

from __future__ import annotations

import json
import logging
import math
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar, get_args

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from geo import i18n
from geo.errors import DataError
from geo.layers.provenance import (
    DATE_PATTERN,
    Fact,
    Source,
    StrictModel,
    missing_facts,
    unknown_source_ids,
    web_address,
)
from geo.validation import describe, invalid

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

ServiceCategory = Literal[
    "community_centre", "social_services_office", "housing_help", "homeless_hostel", "asylum_house",
    "senior_advice", "advice_centre", "debt_counselling", "respite_care", "foster_care", "early_care",
    "mental_health", "employment", "furniture_bank", "low_threshold_club", "social_ambulance",
    "public_office", "social_facility", "preschool_club",
]
#: Service categories (the ``category`` enum).
SERVICE_CATEGORIES: tuple[str, ...] = get_args(ServiceCategory)
Wheelchair = Literal["yes", "limited", "no", "unknown"]
Precision = Literal["exact", "street", "approximate", "unknown"]
#: How a record without coordinates may be placed: by its house number, by its street only, only by an OSM
#: POI of (nearly) the same name (no address is published), or not at all.
Locate = Literal["address", "street", "name", "none"]
ServiceStatus = Literal["operating", "planned", "unknown"]
FlatStatus = Literal["existing", "under_reconstruction", "planned", "cooperative_partner", "unknown"]
Programme = Literal["housing_fund", "reconstruction_150", "cooperative_100", "housing_first", "transitional_housing"]
FLAT_STATUSES: tuple[str, ...] = get_args(FlatStatus)
PROGRAMMES: tuple[str, ...] = get_args(Programme)
SERVICE_STATUSES: tuple[str, ...] = get_args(ServiceStatus)

#: Fields of a service that state a fact which can be wrong: each known value needs a source.
SERVICE_FACTS: tuple[str, ...] = ("address", "operator", "status", "wheelchair", "wheelchair_note", "phone", "web",
                                  "opening_hours")
#: Fields of a flats record that state a fact which can be wrong: each known value needs a source.
FLAT_FACTS: tuple[str, ...] = ("address", "status", "units_total", "units_accessible", "lift", "entrance_step_cm")

_ID = r"^[a-z0-9][a-z0-9_.-]{0,79}$"
_DATE = DATE_PATTERN

#: Columns of a services frame (besides ``geometry``).
SERVICE_COLUMNS: tuple[str, ...] = (
    "id", "name_cs", "name_en", "aliases", "category", "address", "operator", "wheelchair", "wheelchair_note",
    "phone", "web", "opening_hours", "status", "source", "source_date", "position_precision", "position_source",
    "locate", "note", "origin", "osm_ref", "match", "provenance",
)
#: Columns of a flats frame (besides ``geometry``).
FLAT_COLUMNS: tuple[str, ...] = (
    "id", "name", "address", "units_total", "units_accessible", "lift", "entrance_step_cm", "status",
    "programme", "source", "source_date", "position_precision", "position_source", "locate", "note",
    "origin", "osm_ref", "match", "provenance",
)


# --------------------------------------------------------------------------- schemas


_Strict = StrictModel


class LocalizedText(_Strict):
    """A text in Czech and English."""

    cs: str = Field(min_length=1)
    en: str = Field(min_length=1)


class PointGeometry(_Strict):
    """A GeoJSON point in WGS84 (lon, lat)."""

    type: Literal["Point"]
    coordinates: tuple[float, float]

    @field_validator("coordinates")
    @classmethod
    def _in_range(cls, v: tuple[float, float]) -> tuple[float, float]:
        lon, lat = v
        if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
            raise invalid("layers.coordinates", value=f"[{lon}, {lat}]")
        return v


class _RecordProperties(_Strict):
    id: str = Field(pattern=_ID)
    address: str | None = None
    source: str | None = Field(default=None, min_length=1)
    source_date: str | None = Field(default=None, pattern=_DATE)
    position_precision: Precision
    position_source: str | None = None
    locate: Locate = "address"
    note: str | None = None
    provenance: dict[str, Fact] = Field(default_factory=dict)

    #: The factual fields of the record kind (each known value needs a provenance entry).
    FACTS: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _facts_have_sources(self) -> _RecordProperties:
        for name in self.provenance:
            if name not in type(self).model_fields or name == "provenance":
                raise invalid("layers.provenance_field", field=f"provenance.{name}", name=name)
        missing = missing_facts(self.model_dump(), self.provenance, self.FACTS)
        if missing:
            raise invalid("layers.fact_without_source", field=missing[0])
        if self.locate in ("address", "street") and not self.address:
            raise invalid("layers.locate_needs_address", field="locate", locate=self.locate)
        return self


class ServiceProperties(_RecordProperties):
    """Properties of one service record."""

    FACTS: ClassVar[tuple[str, ...]] = SERVICE_FACTS

    name: LocalizedText
    aliases: list[str] = Field(default_factory=list)
    category: ServiceCategory
    operator: str | None = Field(default=None, min_length=1)
    wheelchair: Wheelchair
    wheelchair_note: str | None = None
    phone: str | None = None
    web: str | None = None
    opening_hours: str | None = None
    status: ServiceStatus

    _web_is_url = field_validator("web")(web_address)


class FlatProperties(_RecordProperties):
    """Properties of one city-owned housing site."""

    FACTS: ClassVar[tuple[str, ...]] = FLAT_FACTS

    name: str | None = None
    address: str = Field(min_length=1)
    units_total: int | None = Field(default=None, ge=0, le=5000)
    units_accessible: int | None = Field(default=None, ge=0, le=5000)
    lift: bool | None = None
    entrance_step_cm: float | None = Field(default=None, ge=0, le=200)
    status: FlatStatus
    programme: Programme

    @model_validator(mode="after")
    def _accessible_not_more_than_total(self) -> FlatProperties:
        if self.units_accessible is not None and self.units_total is not None \
                and self.units_accessible > self.units_total:
            raise invalid("layers.accessible_over_total", field="units_accessible", accessible=self.units_accessible,
                          total=self.units_total)
        return self


class _Feature(_Strict):
    type: Literal["Feature"]
    id: str | int | None = None
    geometry: PointGeometry | None

    @model_validator(mode="after")
    def _precision_matches_geometry(self) -> _Feature:
        props: _RecordProperties = self.properties  # type: ignore[attr-defined]
        if self.geometry is None and props.position_precision != "unknown":
            raise invalid("layers.null_geometry_precision", field="position_precision")
        if self.geometry is not None and props.position_precision == "unknown":
            raise invalid("layers.coordinates_precision", field="position_precision")
        if self.geometry is not None and not props.position_source:
            raise invalid("layers.coordinates_source", field="position_source")
        return self


class ServiceFeature(_Feature):
    """A GeoJSON feature of the services layer."""

    properties: ServiceProperties


class FlatFeature(_Feature):
    """A GeoJSON feature of the city-flats layer."""

    properties: FlatProperties


def _unique_ids(features: list[Any]) -> None:
    seen: dict[str, int] = {}
    for i, f in enumerate(features):
        fid = f.properties.id
        if fid in seen:
            raise invalid("layers.duplicate_id", field="id", id=fid, other=seen[fid], index=i)
        seen[fid] = i


def unique_source_ids(sources: list[Source]) -> None:
    """Refuse a source id defined twice in one file."""
    seen: set[str] = set()
    for s in sources:
        if s.id in seen:
            raise invalid("layers.duplicate_source", field="sources", id=s.id)
        seen.add(s.id)


def _sources_known(features: list[Any], sources: list[Source]) -> None:
    """Every source a record's provenance names is one of the file's sources."""
    for i, f in enumerate(features):
        for name, fact in f.properties.provenance.items():
            missing = unknown_source_ids(fact.sources, sources)
            if missing:
                raise invalid("layers.unknown_source", field=f"provenance.{name}", id=missing[0], index=i)


class ServiceCollection(_Strict):
    """The services file."""

    type: Literal["FeatureCollection"]
    name: str | None = None
    description: str | None = None
    sources: list[Source] = Field(default_factory=list)
    features: list[ServiceFeature]

    @model_validator(mode="after")
    def _ids(self) -> ServiceCollection:
        _unique_ids(self.features)
        unique_source_ids(self.sources)
        _sources_known(self.features, self.sources)
        return self


class ProgrammeTarget(_Strict):
    """A target of the city programme (e.g. +150 flats by reconstruction)."""

    programme: Programme
    target_units: int = Field(gt=0)
    label: LocalizedText
    source: str = Field(min_length=1)
    source_date: str = Field(pattern=_DATE)


class FlatCollection(_Strict):
    """The city-flats file (also the store of imported flats)."""

    type: Literal["FeatureCollection"]
    name: str | None = None
    description: str | None = None
    programme_targets: list[ProgrammeTarget] = Field(default_factory=list)
    imported_from: str | None = None
    imported_at: str | None = None
    sources: list[Source] = Field(default_factory=list)
    features: list[FlatFeature]

    @model_validator(mode="after")
    def _ids(self) -> FlatCollection:
        _unique_ids(self.features)
        unique_source_ids(self.sources)
        _sources_known(self.features, self.sources)
        return self


def check_no_clash(imported: FlatCollection, shipped: FlatCollection, *, file: str | Path) -> None:
    """The imported flats use none of the shipped flats' ids (a :class:`~geo.errors.DataError` lists them)."""
    clash = {f.properties.id for f in imported.features} & {f.properties.id for f in shipped.features}
    if clash:
        raise DataError("flats.ids_clash", file=str(file), field="id", ids=", ".join(sorted(clash)))


# --------------------------------------------------------------------------- reading (I/O)


class LayerFileError(DataError):
    """A layer file that breaks its schema: where (``file``, ``feature``, ``feature_id``, ``field``) and
    what (``problem``, a ``validation.*`` or ``layers.*`` key whose values are among the details)."""

    def message(self, lang: str | None = None) -> str:
        """``file: feature #n (id): <the problem in words>``."""
        d = self.details
        more = i18n.text("layers.more_problems", lang, count=d["more"]) if d.get("more") else ""
        return i18n.text(self.key, lang, **{**d, "problem": i18n.text(d["problem"], lang, **d), "more": more})


def describe_validation_error(path: str | Path, data: Any, exc: ValidationError) -> tuple[str, dict[str, Any]]:
    """The message key and details (file, feature, its id, field, the problem and its values) of the
    first schema error, for :class:`LayerFileError`."""
    problem, values = describe(exc)
    err = exc.errors()[0]
    loc = list(err["loc"])
    given = err.get("ctx") or {}  # a rule of ours may name the field and the feature itself
    values.pop("field", None)
    feature: int | None = values.pop("index", None) if isinstance(given.get("index"), int) else None
    items = "commitments" if isinstance(data, dict) and "commitments" in data else "features"
    if len(loc) >= 2 and loc[0] == items and isinstance(loc[1], int):
        feature = loc[1]
        loc = loc[2:]
    path_in_file = ".".join(str(p) for p in err["loc"])  # where the whole feature or collection is wrong
    if loc and loc[0] == "properties":
        loc = loc[1:] or loc
    fid: str | None = None
    if feature is not None:
        try:
            item = data[items][feature]
            fid = str(item["properties"]["id"] if items == "features" else item["id"])
        except (KeyError, IndexError, TypeError):
            fid = None
    field = given.get("field") or ".".join(str(p) for p in loc) or path_in_file or "FeatureCollection"
    key = "layers.invalid" if feature is None else "layers.invalid_feature_id" if fid else "layers.invalid_feature"
    return key, {"file": str(path), "feature": feature, "feature_id": fid, "field": field, **values,
                 "problem": problem, "more": len(exc.errors()) - 1}


def read_json(path: str | Path) -> Any:
    """Parse a JSON file; a missing or malformed file raises :class:`DataError`."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError("layers.file_not_found", file=str(p)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError("layers.file_unreadable", file=str(p), error=str(exc)) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError("layers.bad_json", file=str(p), line=exc.lineno, column=exc.colno, error=exc.msg) from exc


def read_model(model: type[M], path: str | Path, *, today: date | None = None) -> M:
    """Read and validate a curated file with ``model`` (dates are checked against ``today``)."""
    data = read_json(path)
    try:
        return model.model_validate(data, context={"today": today or date.today()})
    except ValidationError as exc:
        key, details = describe_validation_error(path, data, exc)
        raise LayerFileError(key, **details) from exc


def read_services(path: str | Path, *, today: date | None = None) -> ServiceCollection:
    """Read and validate a services file."""
    return read_model(ServiceCollection, path, today=today)


def read_flats(path: str | Path, *, today: date | None = None) -> FlatCollection:
    """Read and validate a city-flats file (the shipped one or the store of imported flats)."""
    return read_model(FlatCollection, path, today=today)
