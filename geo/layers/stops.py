"""Public-transport stops with GTFS ``wheelchair_boarding``.

Reads ``stops.txt`` of a GTFS feed (a ``.zip``, a folder or the file itself) and the CSV /
GeoJSON re-encodings of the DPMLJ stops kept in ``../shared/data/dpmlj-stops``. Online, the DPMLJ
feed is downloaded once into the cache (:func:`fetch_gtfs`, URL in :mod:`geo.settings`).

``wheelchair_boarding`` (GTFS): 0 or empty — no information, 1 — some vehicles at this stop can
be boarded by a wheelchair user, 2 — not possible. A platform with 0 inherits its parent
station's value, as the GTFS reference says.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.errors import DataError, DownloadError
from geo.network.download import Deadline, fetch

log = logging.getLogger(__name__)

#: ``wheelchair_boarding`` code → label used by the API.
WHEELCHAIR_LABELS: dict[int, str] = {0: "unknown", 1: "accessible", 2: "not_accessible"}
#: Columns of a stops frame (besides ``geometry``).
STOP_COLUMNS: tuple[str, ...] = ("stop_id", "code", "name", "zone", "wheelchair_boarding", "wheelchair", "routes",
                                 "location_type", "parent_station")


def load_stops(path: str | Path) -> gpd.GeoDataFrame:
    """Stops from a GTFS zip/folder/``stops.txt``, the shared DPMLJ CSV, or a stops GeoJSON."""
    p = Path(path)
    if not p.exists():
        raise DataError("stops.file_not_found", file=str(p))
    if p.is_dir():
        txt = p / "stops.txt"
        if not txt.is_file():
            raise DataError("stops.folder_without_stops", file=str(p))
        return gtfs_stops(_read_text(txt), source=str(txt))
    name = p.name.lower()
    if name.endswith(".zip"):
        return gtfs_stops(_zip_member(p, "stops.txt"), source=f"{p}:stops.txt")
    if name.endswith((".geojson", ".json")):
        return geojson_stops(_read_text(p), source=str(p))
    if name.endswith((".txt", ".csv")):
        text = _read_text(p)
        header = next(csv.reader(io.StringIO(text)), [])
        if "stop_id" in [h.strip().lstrip("\ufeff") for h in header]:
            return gtfs_stops(text, source=str(p))
        return shared_csv_stops(text, source=str(p))
    raise DataError("stops.unknown_type", file=str(p), suffix=p.suffix or p.name)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError("stops.unreadable", file=str(path), error=str(exc)) from exc


def _zip_member(path: Path, member: str) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n == member or n.endswith("/" + member)]
            if not names:
                raise DataError("gtfs.no_member", file=str(path), member=member)
            return zf.read(sorted(names, key=len)[0]).decode("utf-8-sig")
    except zipfile.BadZipFile as exc:
        raise DataError("gtfs.not_zip", file=str(path), error=str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise DataError("gtfs.not_utf8", file=str(path), member=member, error=str(exc)) from exc


def _error_text(exc: BaseException) -> str:
    """``Type: message`` of an exception from a library (its words, not ours)."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# --------------------------------------------------------------------------- parsers (pure)


def _coord(value: Any, lo: float, hi: float) -> float:
    try:
        v = float(str(value).strip())
    except (TypeError, ValueError):
        return math.nan
    return v if math.isfinite(v) and lo <= v <= hi else math.nan


def _code(value: Any) -> int:
    text = _blank(value) or ""
    if text in ("", "0"):
        return 0
    if text in ("1", "2"):
        return int(text)
    return -1


def _frame(df: pd.DataFrame, source: str) -> gpd.GeoDataFrame:
    """Check ids, coordinates and codes; build the GeoDataFrame."""
    lat = df["lat"].map(lambda v: _coord(v, -90, 90))
    lon = df["lon"].map(lambda v: _coord(v, -180, 180))
    bad = lat.isna() | lon.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError("stops.bad_coordinates", file=source, row=i + 2, field="stop_lat/stop_lon",
                        stop_id=_shown(df["stop_id"].iloc[i]), lat=_shown(df["lat"].iloc[i]),
                        lon=_shown(df["lon"].iloc[i]))
    codes = df["wheelchair_raw"].map(_code)
    if (codes < 0).any():
        i = int(np.flatnonzero((codes < 0).to_numpy())[0])
        raise DataError("stops.bad_wheelchair", file=source, row=i + 2, field="wheelchair_boarding",
                        stop_id=_shown(df["stop_id"].iloc[i]), value=_shown(df["wheelchair_raw"].iloc[i]))
    ids = df["stop_id"].astype(str).str.strip()
    if (ids == "").any() or ids.duplicated().any():
        i = int(np.flatnonzero(((ids == "") | ids.duplicated()).to_numpy())[0])
        raise DataError("stops.bad_id", file=source, row=i + 2, field="stop_id", stop_id=ids.iloc[i])
    out = pd.DataFrame({
        "stop_id": ids, "code": df["code"], "name": df["name"], "zone": df["zone"],
        "wheelchair_boarding": codes.astype(np.int8), "routes": df["routes"],
        "location_type": df["location_type"], "parent_station": df["parent_station"],
    })
    # a platform without information inherits its parent station's value (GTFS reference)
    parent_code = out["parent_station"].map(dict(zip(out["stop_id"], out["wheelchair_boarding"], strict=True)))
    inherit = out["wheelchair_boarding"].eq(0) & parent_code.notna()
    out.loc[inherit, "wheelchair_boarding"] = parent_code[inherit].astype(np.int8)
    out["wheelchair"] = out["wheelchair_boarding"].map(WHEELCHAIR_LABELS)
    out = out[list(STOP_COLUMNS)]
    gdf = gpd.GeoDataFrame(out, geometry=shapely.points(lon.to_numpy(), lat.to_numpy()), crs=settings.CRS_WGS84)
    return gdf.reset_index(drop=True)


def _shown(v: Any) -> str:
    """A cell as the text it had in the file (a value the file did not give is empty)."""
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)


def _blank(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    s = str(v).strip()
    return s or None


def gtfs_stops(text: str, *, source: str = "stops.txt") -> gpd.GeoDataFrame:
    """Stops and platforms (``location_type`` 0 or empty) of a GTFS ``stops.txt``; stations only
    when the feed has no stops (their wheelchair values are passed on to platforms first)."""
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    df.columns = [c.strip() for c in df.columns]
    missing = [c for c in ("stop_id", "stop_lat", "stop_lon") if c not in df.columns]
    if missing:
        raise DataError("gtfs.missing_columns", file=source, field=missing[0], columns=", ".join(missing),
                        count=len(missing))

    frame = pd.DataFrame({
        "stop_id": df["stop_id"], "code": _column(df, "stop_code"), "name": _column(df, "stop_name"),
        "zone": _column(df, "zone_id"), "lat": df["stop_lat"], "lon": df["stop_lon"],
        "wheelchair_raw": _column(df, "wheelchair_boarding"), "routes": None,
        "location_type": _column(df, "location_type").fillna("0"), "parent_station": _column(df, "parent_station"),
    })
    # only stops, platforms and stations have coordinates (entrances, nodes, boarding areas may not)
    frame = frame[frame["location_type"].isin(["0", "1"])]
    gdf = _frame(frame.reset_index(drop=True), source)
    stops = gdf[gdf["location_type"] == "0"]
    return (stops if len(stops) else gdf).reset_index(drop=True)


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    """A text column with blanks as ``None`` (all ``None`` when the file has no such column)."""
    return df[name].map(_blank) if name in df else pd.Series(None, index=df.index, dtype=object)


def shared_csv_stops(text: str, *, source: str = "stops.csv") -> gpd.GeoDataFrame:
    """The CSV of ``shared/data/dpmlj-stops`` (id, code, name, lat, lon, zone, wheelchair, routes)."""
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    missing = [c for c in ("id", "lat", "lon", "wheelchair") if c not in df.columns]
    if missing:
        raise DataError("stops.missing_columns", file=source, field=missing[0], columns=", ".join(missing),
                        count=len(missing))

    frame = pd.DataFrame({
        "stop_id": df["id"], "code": _column(df, "code"), "name": _column(df, "name"), "zone": _column(df, "zone"),
        "lat": df["lat"], "lon": df["lon"], "wheelchair_raw": _column(df, "wheelchair"),
        "routes": _column(df, "routes"), "location_type": "0",
        "parent_station": None,
    })
    return _frame(frame, source)


def geojson_stops(text: str, *, source: str = "stops.geojson") -> gpd.GeoDataFrame:
    """A GeoJSON of point stops with ``stop_id`` and ``wheelchair_boarding`` properties."""
    try:
        data = json.loads(text)
        feats = data["features"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise DataError("layers.not_geojson", file=source, error=_error_text(exc)) from exc
    rows = []
    for i, f in enumerate(feats):
        props = f.get("properties") or {}
        coords = (f.get("geometry") or {}).get("coordinates") or [None, None]
        if (f.get("geometry") or {}).get("type") != "Point" or len(coords) < 2:
            raise DataError("stops.not_a_point", file=source, feature=i, field="geometry",
                            stop_id=_shown(props.get("stop_id")))
        routes = props.get("routes")
        rows.append({
            "stop_id": props.get("stop_id", ""), "code": _blank(props.get("code")), "name": _blank(props.get("name")),
            "zone": _blank(props.get("zone")), "lat": coords[1], "lon": coords[0],
            "wheelchair_raw": _blank(props.get("wheelchair_boarding")),
            "routes": "|".join(map(str, routes)) if isinstance(routes, list) else _blank(routes),
            "location_type": "0", "parent_station": None,
        })
    frame = pd.DataFrame(rows, columns=["stop_id", "code", "name", "zone", "lat", "lon", "wheelchair_raw", "routes",
                                        "location_type", "parent_station"])
    return _frame(frame, source)


def wheelchair_summary(stops: gpd.GeoDataFrame) -> dict[str, int]:
    """How many stops are accessible, not accessible and unknown."""
    counts = stops["wheelchair"].value_counts()
    return {label: int(counts.get(label, 0)) for label in WHEELCHAIR_LABELS.values()}


def empty_stops() -> gpd.GeoDataFrame:
    """A stops frame with no rows."""
    return gpd.GeoDataFrame({c: pd.Series(dtype=object) for c in STOP_COLUMNS}, geometry=[], crs=settings.CRS_WGS84)


# --------------------------------------------------------------------------- online


def fetch_gtfs(url: str, dest: Path) -> Path:
    """Download a GTFS zip to ``dest`` (written atomically) within the download limit
    (:class:`geo.network.download.Deadline`); raises :class:`DownloadError`."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        content = fetch(url, deadline=Deadline(), what="GTFS")
    except DownloadError as exc:
        raise DownloadError("gtfs.download_failed", url=url, error=exc.message("en")) from exc
    if not content.startswith(b"PK"):
        raise DownloadError("gtfs.not_a_zip_download", url=url, size=len(content))
    fd, tmp = tempfile.mkstemp(prefix=".gtfs-", suffix=".zip", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, dest)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise DataError("gtfs.write_failed", file=str(dest), error=exc.strerror or str(exc)) from exc
    log.info("downloaded GTFS feed %s → %s (%d bytes)", url, dest, len(content))
    return dest
