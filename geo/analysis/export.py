"""The ranking as records, CSV and GeoJSON — one set of columns for the API, the downloads and the CLI."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

import numpy as np
import pandas as pd
import shapely
import shapely.geometry

from geo import i18n

#: Columns of every export, in order.
COLUMNS: tuple[str, ...] = (
    "rank", "barrier_id", "category", "category_label", "severity", "source", "source_id", "gain", "pairs_opened",
    "origins_helped", "destinations_opened", "time_saved_s", "lon", "lat", "osm_way_id", "value",
)


def select(ranking: pd.DataFrame, *, category: str | None = None, min_severity: int | None = None,
           bbox: tuple[float, float, float, float] | None = None, limit: int | None = None) -> pd.DataFrame:
    """Rows of the ranking that match the filters (ranks stay those of the whole ranking)."""
    keep = np.ones(len(ranking), bool)
    if category:
        keep &= ranking["category"].to_numpy() == category
    if min_severity is not None:
        keep &= ranking["severity"].to_numpy() >= min_severity
    if bbox is not None:
        lon, lat = ranking["lon"].to_numpy(float), ranking["lat"].to_numpy(float)
        keep &= (lon >= bbox[0]) & (lat >= bbox[1]) & (lon <= bbox[2]) & (lat <= bbox[3])
    out = ranking[keep]
    return out.head(limit) if limit is not None else out


def category_label(category: str, lang: str | None) -> str:
    """The label of a barrier category: a report category's, else the planner's own (``inaccessible_way``)."""
    key = f"report.category.{category}"
    return i18n.text(key, lang) if i18n.has(key) else i18n.maybe(f"planner.category.{category}", lang, category)


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def records(rows: pd.DataFrame, lang: str | None) -> list[dict[str, Any]]:
    """The rows as plain dicts of :data:`COLUMNS` (labels in ``lang``)."""
    out = []
    for rec in rows.to_dict("records"):
        rec = {k: _plain(v) for k, v in rec.items()}
        rec["category_label"] = category_label(rec["category"], lang)
        rec["time_saved_s"] = round(float(rec["time_saved_s"]), 1)
        rec["lon"], rec["lat"] = round(float(rec["lon"]), 7), round(float(rec["lat"]), 7)
        rec["osm_way_id"] = None if rec["osm_way_id"] is None else int(rec["osm_way_id"])
        out.append({c: rec.get(c) for c in COLUMNS})
    return out


def to_csv(rows: list[dict[str, Any]]) -> str:
    """CSV (comma-separated, a header row, UTF-8 text)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in rows)
    return buf.getvalue()


def to_geojson(rows: list[dict[str, Any]], geometries: list[Any], **meta: Any) -> dict[str, Any]:
    """A FeatureCollection: each barrier's geometry (its edge or its point) with the record and its
    ``location`` ([lon, lat] of the barrier's point) as properties."""
    feats = []
    for rec, geom in zip(rows, geometries, strict=True):
        shape = None if geom is None else shapely.geometry.mapping(shapely.transform(geom, lambda xy: np.round(xy, 7)))
        props = {**rec, "location": [rec["lon"], rec["lat"]]}
        feats.append({"type": "Feature", "id": rec["barrier_id"], "geometry": shape, "properties": props})
    return {"type": "FeatureCollection", "features": feats, **meta}
