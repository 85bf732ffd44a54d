"""Curated records as frames, their positions on the loaded city, and the programme's progress.

Positions are never guessed. A record either carries coordinates with their precision and the
source of the coordinates, or has ``geometry: null``. A record without coordinates is placed when
the network is loaded, by matching its address to the addresses of the loaded OpenStreetMap
extract (:func:`resolve_positions`): a house-number match gives precision ``exact`` (source
"OpenStreetMap address match"), a street-only match gives ``street``; otherwise it stays
unlocated (``unknown``) — listed, not drawn.
"""

from __future__ import annotations

import logging
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.layers.addresses import AddressIndex, parse_address
from geo.layers.provenance import legacy_source, resolve
from geo.layers.schemas import (
    FLAT_COLUMNS,
    FLAT_STATUSES,
    SERVICE_COLUMNS,
    FlatCollection,
    PointGeometry,
    ProgrammeTarget,
    ServiceCollection,
)

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- frames


def _point(geometry: PointGeometry | None) -> shapely.Point | None:
    return shapely.Point(*geometry.coordinates) if geometry is not None else None


def _provenance_columns(props: Any, sources: dict[str, Any]) -> dict[str, Any]:
    """``provenance`` (resolved: each source id replaced by the source) and the record-level ``source`` and
    ``source_date`` (given in the file, else derived from the provenance)."""
    provenance = resolve(props.provenance, sources)
    text, newest = legacy_source(provenance)
    return {"provenance": provenance, "source": props.source or text or None,
            "source_date": props.source_date or newest}


def services_frame(collection: ServiceCollection) -> gpd.GeoDataFrame:
    """The services of a collection as a GeoDataFrame (``geometry`` may be empty: unlocated)."""
    sources = {s.id: s for s in collection.sources}
    rows = []
    for f in collection.features:
        p = f.properties
        rows.append({
            "id": p.id, "name_cs": p.name.cs, "name_en": p.name.en, "aliases": list(p.aliases),
            "category": p.category, "address": p.address, "operator": p.operator, "wheelchair": p.wheelchair,
            "wheelchair_note": p.wheelchair_note, "phone": p.phone, "web": p.web, "opening_hours": p.opening_hours,
            "status": p.status, "position_precision": p.position_precision,
            "position_source": p.position_source, "locate": p.locate, "note": p.note, "origin": "curated",
            "osm_ref": None, "match": None, **_provenance_columns(p, sources), "geometry": _point(f.geometry),
        })
    return as_frame(rows, SERVICE_COLUMNS)


def flats_frame(collection: FlatCollection, *, origin: str = "curated") -> gpd.GeoDataFrame:
    """The flats of a collection as a GeoDataFrame."""
    sources = {s.id: s for s in collection.sources}
    rows = []
    for f in collection.features:
        p = f.properties
        rows.append({
            "id": p.id, "name": p.name, "address": p.address, "units_total": p.units_total,
            "units_accessible": p.units_accessible, "lift": p.lift, "entrance_step_cm": p.entrance_step_cm,
            "status": p.status, "programme": p.programme,
            "position_precision": p.position_precision, "position_source": p.position_source,
            "locate": p.locate, "note": p.note, "origin": origin, "osm_ref": None, "match": None,
            **_provenance_columns(p, sources), "geometry": _point(f.geometry),
        })
    return as_frame(rows, FLAT_COLUMNS)


def as_frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> gpd.GeoDataFrame:
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
        if row.locate in ("none", "name") or not row.address:
            out.iat[i, out.columns.get_loc("match")] = "not located (no address to match)" \
                if not row.address else f"not located (locate: {row.locate})"
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
            out.iat[i, out.columns.get_loc("match")] = "street" + (f": {m.reason.text('en')}" if m.reason else "")
        else:
            out.iat[i, out.columns.get_loc("match")] = f"not located: {m.reason.text('en') if m.reason else 'no match'}"
    out = out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=settings.CRS_WGS84))
    located = out.geometry.notna().sum()
    log.info("layer positions: %d of %d records located (%d by address, %d by street)", located, len(out),
             (out["match"] == "address").sum(), out["match"].astype(str).str.startswith("street").sum())
    return out


# --------------------------------------------------------------------------- programme targets


def programme_progress(flats: gpd.GeoDataFrame, targets: list[ProgrammeTarget]) -> list[dict[str, Any]]:
    """Each programme target against the units recorded in the flats layer (by status)."""
    programme = flats["programme"].to_numpy(object)
    status = flats["status"].to_numpy(object)
    units = pd.to_numeric(flats["units_total"], errors="coerce").to_numpy(float)
    out = []
    for t in targets:
        mine = programme == t.programme
        out.append({
            "programme": t.programme, "label": t.label.model_dump(), "target_units": t.target_units,
            "recorded_units": int(np.nansum(units[mine])),
            "recorded_units_by_status": {s: int(np.nansum(units[mine & (status == s)])) for s in FLAT_STATUSES},
            "sites": int(mine.sum()), "sites_without_unit_count": int(np.isnan(units[mine]).sum()),
            "source": t.source, "source_date": t.source_date,
        })
    return out


def located(frame: gpd.GeoDataFrame) -> np.ndarray:
    """Boolean mask of records that have a position."""
    geom = frame.geometry
    return (geom.notna() & ~geom.is_empty).to_numpy(bool) if len(frame) else np.zeros(0, bool)
