"""Curated map layers — services and city-owned flats: schemas, loading, positions, OSM social POIs.

The curated files (``data/layers/services.geojson``, ``data/layers/city_flats.geojson``) are
validated with pydantic when the app starts; the first problem is reported as a
:class:`~geo.errors.DataError` naming the file, the feature and the field, so the app refuses to
start with one clear line.

Positions are never guessed. A record either carries coordinates with their precision and the
source of the coordinates, or has ``geometry: null``. A record without coordinates is placed when
the network is loaded, by matching its address to the addresses of the loaded OpenStreetMap
extract (:func:`resolve_positions`): a house-number match gives precision ``exact`` (source
"OpenStreetMap address match"), a street-only match gives ``street``; otherwise it stays
unlocated (``unknown``) — listed, not drawn.

OSM POIs of social kinds in the extract (:func:`osm_services`) are a second source; they are
de-duplicated against the curated records by name similarity and distance (:func:`merge_services`).
"""

from __future__ import annotations

import json
import logging
import math
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Literal, get_args

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from geo import settings
from geo.errors import DataError
from geo.layers.addresses import AddressIndex, fold, parse_address

log = logging.getLogger(__name__)

ServiceCategory = Literal[
    "community_centre", "social_services_office", "housing_help", "homeless_hostel", "asylum_house",
    "senior_advice", "advice_centre", "debt_counselling", "respite_care", "foster_care", "early_care",
    "mental_health", "employment", "furniture_bank", "low_threshold_club", "social_ambulance",
    "public_office", "social_facility",
]
#: Service categories (the ``category`` enum).
SERVICE_CATEGORIES: tuple[str, ...] = get_args(ServiceCategory)
Wheelchair = Literal["yes", "limited", "no", "unknown"]
Precision = Literal["exact", "street", "approximate", "unknown"]
#: How a record without coordinates may be placed: by its house number, by its street only, or not at all.
Locate = Literal["address", "street", "none"]
FlatStatus = Literal["existing", "under_reconstruction", "planned", "cooperative_partner"]
Programme = Literal["housing_fund", "reconstruction_150", "cooperative_100", "housing_first", "transitional_housing"]
FLAT_STATUSES: tuple[str, ...] = get_args(FlatStatus)
PROGRAMMES: tuple[str, ...] = get_args(Programme)

_ID = r"^[a-z0-9][a-z0-9_.-]{0,79}$"
_DATE = r"^(\d{4}(-\d{2}(-\d{2})?)?|undated)$"

#: Columns of a services frame (besides ``geometry``).
SERVICE_COLUMNS: tuple[str, ...] = (
    "id", "name_cs", "name_en", "aliases", "category", "address", "operator", "wheelchair", "wheelchair_note",
    "phone", "web", "status", "source", "source_date", "position_precision", "position_source", "locate",
    "note", "origin", "osm_ref", "match",
)
#: Columns of a flats frame (besides ``geometry``).
FLAT_COLUMNS: tuple[str, ...] = (
    "id", "name", "address", "units_total", "units_accessible", "lift", "entrance_step_cm", "status",
    "programme", "source", "source_date", "position_precision", "position_source", "locate", "note",
    "origin", "osm_ref", "match",
)


# --------------------------------------------------------------------------- schemas


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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
            msg = f"coordinates must be [lon, lat] in degrees, got {list(v)}"
            raise ValueError(msg)
        return v


class _RecordProperties(_Strict):
    id: str = Field(pattern=_ID)
    address: str | None = None
    source: str = Field(min_length=1)
    source_date: str = Field(pattern=_DATE)
    position_precision: Precision
    position_source: str | None = None
    locate: Locate = "address"
    note: str | None = None


class ServiceProperties(_RecordProperties):
    """Properties of one service record."""

    name: LocalizedText
    aliases: list[str] = Field(default_factory=list)
    category: ServiceCategory
    operator: str = Field(min_length=1)
    wheelchair: Wheelchair
    wheelchair_note: str | None = None
    phone: str | None = None
    web: str | None = None
    status: Literal["operating", "planned"]

    @field_validator("web")
    @classmethod
    def _web_is_url(cls, v: str | None) -> str | None:
        if v is not None and not v.startswith(("http://", "https://")):
            msg = "web must be an http(s) URL"
            raise ValueError(msg)
        return v


class FlatProperties(_RecordProperties):
    """Properties of one city-owned housing site."""

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
            msg = f"units_accessible ({self.units_accessible}) is more than units_total ({self.units_total})"
            raise ValueError(msg)
        return self


class _Feature(_Strict):
    type: Literal["Feature"]
    id: str | int | None = None
    geometry: PointGeometry | None

    @model_validator(mode="after")
    def _precision_matches_geometry(self) -> _Feature:
        props: _RecordProperties = self.properties  # type: ignore[attr-defined]
        if self.geometry is None and props.position_precision != "unknown":
            msg = "geometry is null, so position_precision must be 'unknown'"
            raise ValueError(msg)
        if self.geometry is not None and props.position_precision == "unknown":
            msg = "a record with coordinates needs a position_precision other than 'unknown'"
            raise ValueError(msg)
        if self.geometry is not None and not props.position_source:
            msg = "a record with coordinates needs position_source (where the coordinates come from)"
            raise ValueError(msg)
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
            msg = f"duplicate id {fid!r} (also feature #{seen[fid]})"
            raise ValueError(msg)
        seen[fid] = i


class ServiceCollection(_Strict):
    """The services file."""

    type: Literal["FeatureCollection"]
    name: str | None = None
    description: str | None = None
    features: list[ServiceFeature]

    @model_validator(mode="after")
    def _ids(self) -> ServiceCollection:
        _unique_ids(self.features)
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
    features: list[FlatFeature]

    @model_validator(mode="after")
    def _ids(self) -> FlatCollection:
        _unique_ids(self.features)
        return self


# --------------------------------------------------------------------------- reading (I/O)


def describe_validation_error(path: str | Path, data: Any, exc: ValidationError) -> tuple[str, dict[str, Any]]:
    """One line naming file, feature and field of the first schema error, plus details for JSON."""
    err = exc.errors()[0]
    loc = list(err["loc"])
    feature: int | None = None
    fid: str | None = None
    if len(loc) >= 2 and loc[0] == "features" and isinstance(loc[1], int):
        feature = loc[1]
        try:
            fid = str(data["features"][feature]["properties"]["id"])
        except (KeyError, IndexError, TypeError):
            fid = None
        loc = loc[2:]
    if loc and loc[0] == "properties":
        loc = loc[1:]
    field = ".".join(str(p) for p in loc) or "(feature)"
    where = f"feature #{feature}" + (f" (id {fid!r})" if fid else "") if feature is not None else "collection"
    more = f" (+{len(exc.errors()) - 1} more problems)" if len(exc.errors()) > 1 else ""
    text = err["msg"].removeprefix("Value error, ")
    msg = f"{path}: {where}: field {field!r}: {text}{more}"
    return msg, {"file": str(path), "feature": feature, "feature_id": fid, "field": field}


def read_json(path: str | Path) -> Any:
    """Parse a JSON file; a missing or malformed file raises :class:`DataError`."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        msg = f"layer file not found: {p}"
        raise DataError(msg, file=str(p)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"cannot read layer file {p} ({exc})"
        raise DataError(msg, file=str(p)) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"{p}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        raise DataError(msg, file=str(p)) from exc


def read_services(path: str | Path) -> ServiceCollection:
    """Read and validate a services file."""
    data = read_json(path)
    try:
        return ServiceCollection.model_validate(data)
    except ValidationError as exc:
        msg, details = describe_validation_error(path, data, exc)
        raise DataError(msg, **details) from exc


def read_flats(path: str | Path) -> FlatCollection:
    """Read and validate a city-flats file (the shipped one or the store of imported flats)."""
    data = read_json(path)
    try:
        return FlatCollection.model_validate(data)
    except ValidationError as exc:
        msg, details = describe_validation_error(path, data, exc)
        raise DataError(msg, **details) from exc


# --------------------------------------------------------------------------- frames


def _point(geometry: PointGeometry | None) -> shapely.Point | None:
    return shapely.Point(*geometry.coordinates) if geometry is not None else None


def services_frame(collection: ServiceCollection) -> gpd.GeoDataFrame:
    """The services of a collection as a GeoDataFrame (``geometry`` may be empty: unlocated)."""
    rows = []
    for f in collection.features:
        p = f.properties
        rows.append({
            "id": p.id, "name_cs": p.name.cs, "name_en": p.name.en, "aliases": list(p.aliases),
            "category": p.category, "address": p.address, "operator": p.operator, "wheelchair": p.wheelchair,
            "wheelchair_note": p.wheelchair_note, "phone": p.phone, "web": p.web, "status": p.status,
            "source": p.source, "source_date": p.source_date, "position_precision": p.position_precision,
            "position_source": p.position_source, "locate": p.locate, "note": p.note, "origin": "curated",
            "osm_ref": None, "match": None, "geometry": _point(f.geometry),
        })
    return _frame(rows, SERVICE_COLUMNS)


def flats_frame(collection: FlatCollection, *, origin: str = "curated") -> gpd.GeoDataFrame:
    """The flats of a collection as a GeoDataFrame."""
    rows = []
    for f in collection.features:
        p = f.properties
        rows.append({
            "id": p.id, "name": p.name, "address": p.address, "units_total": p.units_total,
            "units_accessible": p.units_accessible, "lift": p.lift, "entrance_step_cm": p.entrance_step_cm,
            "status": p.status, "programme": p.programme, "source": p.source, "source_date": p.source_date,
            "position_precision": p.position_precision, "position_source": p.position_source,
            "locate": p.locate, "note": p.note, "origin": origin, "osm_ref": None, "match": None,
            "geometry": _point(f.geometry),
        })
    return _frame(rows, FLAT_COLUMNS)


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    df = pd.DataFrame(rows, columns=[*columns, "geometry"])
    for c in columns:  # plain objects, missing values as None (pandas would infer str/float columns with NaN)
        col = df[c].astype(object)
        df[c] = col.where(col.notna(), None)
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(df["geometry"].to_list(), crs=settings.CRS_WGS84),
                            crs=settings.CRS_WGS84)


# --------------------------------------------------------------------------- positions


def resolve_positions(records: gpd.GeoDataFrame, index: AddressIndex) -> gpd.GeoDataFrame:
    """Place records that have no coordinates by matching their address to the extract's addresses.

    A house-number match → ``exact`` ("OpenStreetMap address match"); a street known to the
    extract (no number, number not found or ambiguous, or ``locate == "street"``) → ``street``;
    else the record stays unlocated. Records with coordinates are left as they are. The
    ``match`` column says what happened.
    """
    out = records.copy()
    geoms = list(out.geometry)
    for i, (row, geom) in enumerate(zip(out.itertuples(index=False), geoms, strict=True)):
        if geom is not None and not geom.is_empty:
            out.iat[i, out.columns.get_loc("match")] = "coordinates in the layer file"
            continue
        if row.locate == "none" or not row.address:
            out.iat[i, out.columns.get_loc("match")] = "not located (no address to match)" \
                if not row.address else "not located (locate: none)"
            continue
        m = index.match(row.address)
        if m.status == "exact" and row.locate == "address":
            lon, lat = m.point  # type: ignore[misc]
            geoms[i] = shapely.Point(lon, lat)
            out.iat[i, out.columns.get_loc("position_precision")] = "exact"
            out.iat[i, out.columns.get_loc("position_source")] = \
                f"OpenStreetMap address match ({', '.join(m.labels[:3])})"
            out.iat[i, out.columns.get_loc("osm_ref")] = ";".join(m.building_ids or m.osm_ids) or None
            out.iat[i, out.columns.get_loc("match")] = "address"
            continue
        parsed = parse_address(row.address)
        street_pt = index.street_point(parsed.street) if parsed is not None and m.status != "none" else None
        if street_pt is not None:
            geoms[i] = shapely.Point(*street_pt)
            out.iat[i, out.columns.get_loc("position_precision")] = "street"
            out.iat[i, out.columns.get_loc("position_source")] = "OpenStreetMap street match (a point on the street)"
            out.iat[i, out.columns.get_loc("match")] = "street" + (f": {m.reason}" if m.reason else "")
        else:
            out.iat[i, out.columns.get_loc("match")] = f"not located: {m.reason or 'no match'}"
    out = out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=settings.CRS_WGS84))
    located = out.geometry.notna().sum()
    log.info("layer positions: %d of %d records located (%d by address, %d by street)", located, len(out),
             (out["match"] == "address").sum(), out["match"].astype(str).str.startswith("street").sum())
    return out


# --------------------------------------------------------------------------- OSM social POIs

#: ``amenity`` values imported as services, with their category.
OSM_AMENITY_CATEGORY: dict[str, str] = {
    "community_centre": "community_centre", "social_centre": "community_centre",
    "social_facility": "social_facility", "townhall": "public_office",
}
#: ``social_facility`` values with a more specific category.
OSM_SOCIAL_FACILITY_CATEGORY: dict[str, str] = {
    "shelter": "homeless_hostel", "outreach": "advice_centre", "food_bank": "social_facility",
    "soup_kitchen": "social_facility", "day_care": "respite_care",
}
_OSM_WHEELCHAIR = {"yes": "yes", "designated": "yes", "limited": "limited", "no": "no"}


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame:
        return frame[name].astype(object).where(frame[name].notna(), None)
    return pd.Series(None, index=frame.index, dtype=object)


def osm_services(pois: gpd.GeoDataFrame, *, data_date: str | None = None) -> gpd.GeoDataFrame:
    """Named OSM POIs of social kinds (``amenity=social_facility|community_centre|social_centre|townhall``,
    any ``social_facility=*``, ``office=government``) as service records (origin ``osm``)."""
    if pois is None or pois.empty:
        return _frame([], SERVICE_COLUMNS)
    amenity = _col(pois, "amenity").map(lambda v: str(v).split(";")[0].strip().lower() if v else None)
    office = _col(pois, "office").map(lambda v: str(v).strip().lower() if v else None)
    facility = _col(pois, "social_facility").map(lambda v: str(v).split(";")[0].strip().lower() if v else None)
    facility_for = _col(pois, "social_facility:for").map(lambda v: str(v).lower() if v else "")
    name = _col(pois, "name")
    keep = (amenity.isin(OSM_AMENITY_CATEGORY) | office.eq("government") | facility.notna()) & name.notna()
    rows = []
    points = pois.geometry[keep].representative_point()
    for idx in pois.index[keep]:
        a, o, sf = amenity[idx], office[idx], facility[idx]
        category = OSM_AMENITY_CATEGORY.get(a or "", "public_office" if o == "government" else "social_facility")
        if sf in OSM_SOCIAL_FACILITY_CATEGORY:
            category = OSM_SOCIAL_FACILITY_CATEGORY[sf]
        if sf == "shelter" and any(w in facility_for[idx] for w in ("abused", "women", "family", "child")):
            category = "asylum_house"
        if "senior" in facility_for[idx] and sf == "outreach":
            category = "senior_advice"
        street, number = _col(pois, "addr:street")[idx], _col(pois, "addr:housenumber")[idx]
        element = _col(pois, "element")[idx] or "node"
        osmid = _col(pois, "osmid")[idx]
        wc = _OSM_WHEELCHAIR.get(str(_col(pois, "wheelchair")[idx] or "").strip().lower(), "unknown")
        rows.append({
            "id": f"osm-{element}-{osmid}", "name_cs": str(name[idx]), "name_en": str(name[idx]), "aliases": [],
            "category": category, "address": " ".join(str(x) for x in (street, number) if x) or None,
            "operator": _col(pois, "operator")[idx] or "not stated in OpenStreetMap", "wheelchair": wc,
            "wheelchair_note": "from the OpenStreetMap wheelchair tag" if wc != "unknown" else None,
            "phone": _col(pois, "phone")[idx], "web": _col(pois, "website")[idx], "status": "operating",
            "source": "OpenStreetMap (© OpenStreetMap contributors, ODbL 1.0)",
            "source_date": data_date or "undated", "position_precision": "exact",
            "position_source": f"OpenStreetMap {element} {osmid}", "locate": "none", "note": None,
            "origin": "osm", "osm_ref": f"{element}/{osmid}", "match": "OpenStreetMap POI",
            "geometry": points[idx],
        })
    return _frame(rows, SERVICE_COLUMNS)


def name_similarity(a: str, b: str) -> float:
    """0…1 similarity of two names, diacritics- and case-insensitive; a multi-word name whose
    words all occur in the other scores at least 0.95."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    ratio = SequenceMatcher(None, fa, fb).ratio()
    ta, tb = set(fa.split()), set(fb.split())
    small, big = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if len(small) >= 2 and small <= big:
        ratio = max(ratio, 0.95)
    return ratio


def _distance_m(a: shapely.Point, b: shapely.Point) -> float:
    lat = math.radians((a.y + b.y) / 2)
    return math.hypot((a.x - b.x) * 111_320 * math.cos(lat), (a.y - b.y) * 110_540)


def merge_services(curated: gpd.GeoDataFrame, osm: gpd.GeoDataFrame, *, max_distance_m: float = 150.0,
                   min_similarity: float = 0.6, name_only_similarity: float = 0.9) -> gpd.GeoDataFrame:
    """Curated records plus the OSM records that do not duplicate one of them.

    An OSM record duplicates a located curated record when their names are similar
    (≥ ``min_similarity``) and they lie within ``max_distance_m``; it duplicates an unlocated one
    when the names are nearly the same (≥ ``name_only_similarity``). The curated record keeps a
    reference to the OSM object in ``osm_ref``, and takes the OSM position (precision ``exact``,
    source "OpenStreetMap POI name match") when it had none, or only a street-level one and the
    names are nearly the same as whole strings (so "Magistrát města Liberec" does not move the
    record of one department of it).
    """
    out = curated.copy()
    geoms = list(out.geometry)
    names = [[r.name_cs, r.name_en, *(r.aliases or [])] for r in out.itertuples(index=False)]
    keep_osm: list[int] = []
    for j, orow in enumerate(osm.itertuples(index=False)):
        best, best_i = 0.0, -1
        for i, cand in enumerate(names):
            s = max(name_similarity(orow.name_cs, n) for n in cand)
            g = geoms[i]
            located = g is not None and not g.is_empty
            if located and _distance_m(g, orow.geometry) > max_distance_m:
                continue
            if s > best and (s >= min_similarity if located else s >= name_only_similarity):
                best, best_i = s, i
        if best_i < 0:
            keep_osm.append(j)
            continue
        col = out.columns.get_loc
        out.iat[best_i, col("osm_ref")] = orow.osm_ref
        g = geoms[best_i]
        unlocated = g is None or g.is_empty
        rough = not unlocated and out.iloc[best_i]["position_precision"] in ("street", "approximate") and max(
            SequenceMatcher(None, fold(orow.name_cs), fold(n)).ratio() for n in names[best_i]) >= name_only_similarity
        if (unlocated or rough) and out.iloc[best_i]["locate"] != "none":
            geoms[best_i] = orow.geometry
            out.iat[best_i, col("position_precision")] = "exact"
            out.iat[best_i, col("position_source")] = f"OpenStreetMap POI name match ({orow.osm_ref})"
            out.iat[best_i, col("match")] = "OpenStreetMap POI name match"
    out = out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=settings.CRS_WGS84))
    extra = osm.iloc[keep_osm]
    log.info("services: %d curated, %d OSM POIs (%d duplicates of curated records dropped)",
             len(out), len(extra), len(osm) - len(extra))
    if extra.empty:
        return out.reset_index(drop=True)
    merged = pd.concat([out, extra], ignore_index=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=settings.CRS_WGS84)


# --------------------------------------------------------------------------- programme targets


def programme_progress(flats: gpd.GeoDataFrame, targets: list[ProgrammeTarget]) -> list[dict[str, Any]]:
    """Each programme target against the units recorded in the flats layer (by status)."""
    out = []
    for t in targets:
        sub = flats[flats["programme"] == t.programme]
        units = pd.to_numeric(sub["units_total"], errors="coerce")
        by_status = {s: int(units[sub["status"] == s].fillna(0).sum()) for s in FLAT_STATUSES}
        out.append({
            "programme": t.programme, "label": t.label.model_dump(), "target_units": t.target_units,
            "recorded_units": int(units.fillna(0).sum()), "recorded_units_by_status": by_status,
            "sites": len(sub), "sites_without_unit_count": int(units.isna().sum()),
            "source": t.source, "source_date": t.source_date,
        })
    return out


def located(frame: gpd.GeoDataFrame) -> np.ndarray:
    """Boolean mask of records that have a position."""
    geom = frame.geometry
    return (geom.notna() & ~geom.is_empty).to_numpy(bool) if len(frame) else np.zeros(0, bool)
