"""Build once, load fast: the network on disk as GeoParquet + NumPy arrays + a JSON manifest.

A cache entry is a directory ``<cache_dir>/<key>/`` holding ``meta.json`` (format version,
provenance, parse report, DEM, terrain settings), ``nodes.parquet``, ``edges.parquet``, ``arrays.npz``
(directed arrays, CSR ``indptr`` and the terrain heights along edges, ``heights_*``),
``buildings.parquet``, ``pois.parquet``, ``basemap.parquet`` and ``elements.parquet`` (the network's OSM
ways and nodes with versions and every tag, for writing verified changes back). Entries are written to a
temporary directory and renamed, so a crash never leaves half a cache behind.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import settings
from geo.errors import CacheError
from geo.network import osm
from geo.network.heights import EdgeHeights
from geo.network.model import EdgeArrays, Network

log = logging.getLogger(__name__)

#: POI / building columns kept (everything else from OSM is dropped).
FEATURE_COLUMNS: tuple[str, ...] = (
    "osmid", "element", "name", "building", "amenity", "office", "social_facility", "social_facility:for",
    "healthcare", "shop", "tourism", "public_transport", "highway", "entrance", "barrier", "kerb",
    "wheelchair", "operator", "phone", "website", "opening_hours", "level", "building:levels",
    "addr:street", "addr:housenumber", "addr:conscriptionnumber", "addr:streetnumber", "addr:place",
    "addr:city", "addr:postcode",
)


def cache_key(kind: str, location: str, dem: str | None = None) -> str:
    """Directory name of a cache entry for a source (and DEM), stable across runs."""
    parts = [kind, location]
    for path in (location, dem):
        if path and Path(path).exists():
            st = Path(path).stat()
            parts.append(f"{Path(path).resolve()}:{st.st_size}:{int(st.st_mtime)}")
    if dem:
        parts.append(f"dem={dem}")
    digest = hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]
    slug = re.sub(r"[^a-z0-9]+", "-", Path(location).name.lower() if kind != "place" else location.lower())
    return f"{kind}-{slug.strip('-')[:40]}-{digest}"


def check_writable(cache_dir: Path) -> None:
    """Fail early, with one clear message, if the cache directory cannot be used."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache_dir, prefix=".probe-"):
            pass
    except OSError as exc:
        raise CacheError("cache.not_writable", path=str(cache_dir), error=exc.strerror or str(exc)) from exc


def _clean_features(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    cols = [c for c in FEATURE_COLUMNS if c in gdf.columns]
    out = gdf[[*cols, "geometry"]].copy()
    for c in cols:
        if c == "osmid":
            out[c] = pd.to_numeric(out[c], errors="coerce").astype("Int64")
        else:
            out[c] = out[c].map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
    return gpd.GeoDataFrame(out, geometry="geometry", crs=settings.CRS_WGS84).reset_index(drop=True)


def _clean_objects(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = gdf.copy()
    for c in out.columns:
        if c != out.geometry.name and out[c].dtype == object:
            out[c] = out[c].map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
    return out


def save(net: Network, entry: Path) -> None:
    """Write ``net`` to the cache directory ``entry`` (atomically replaced)."""
    entry = Path(entry)
    check_writable(entry.parent)
    tmp = Path(tempfile.mkdtemp(prefix=f".{entry.name}-", dir=entry.parent))
    try:
        _clean_objects(net.nodes).to_parquet(tmp / "nodes.parquet")
        _clean_objects(net.edges).to_parquet(tmp / "edges.parquet")
        _clean_features(net.buildings).to_parquet(tmp / "buildings.parquet")
        _clean_features(net.pois).to_parquet(tmp / "pois.parquet")
        net.basemap.to_parquet(tmp / "basemap.parquet")
        (net.elements if net.elements is not None else osm.empty_elements()).to_parquet(tmp / "elements.parquet")
        np.savez(tmp / "arrays.npz", indptr=net.indptr, **net.arrays.to_dict(), **net.heights.to_dict())
        meta = {**net.meta, "format_version": settings.CACHE_FORMAT_VERSION, "crs_metric": net.crs_metric}
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2, default=str), encoding="utf-8")
        if entry.exists():
            shutil.rmtree(entry)
        os.replace(tmp, entry)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise CacheError("cache.write_failed", path=str(entry), error=exc.strerror or str(exc)) from exc
    log.info("cache written: %s", entry)


def read_meta(entry: Path) -> dict[str, Any] | None:
    """The manifest of a cache entry, or ``None`` when absent or of another format version."""
    path = Path(entry) / "meta.json"
    if not path.exists():
        return None
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    if meta.get("format_version") != settings.CACHE_FORMAT_VERSION:
        log.info("cache %s has format %s, expected %s: rebuilding", entry, meta.get("format_version"),
                 settings.CACHE_FORMAT_VERSION)
        return None
    return meta


def load(entry: Path) -> Network | None:
    """Read a cache entry; ``None`` when there is none (or it is stale)."""
    entry = Path(entry)
    meta = read_meta(entry)
    if meta is None:
        return None
    try:
        nodes = gpd.read_parquet(entry / "nodes.parquet")
        edges = gpd.read_parquet(entry / "edges.parquet")
        buildings = gpd.read_parquet(entry / "buildings.parquet")
        pois = gpd.read_parquet(entry / "pois.parquet")
        basemap = gpd.read_parquet(entry / "basemap.parquet")
        elements = pd.read_parquet(entry / "elements.parquet")
        with np.load(entry / "arrays.npz") as data:
            arrays = EdgeArrays.from_dict(data)
            heights = EdgeHeights.from_dict(data)
            indptr = np.asarray(data["indptr"])
    except (OSError, ValueError, KeyError) as exc:
        log.warning("cache %s is unreadable (%s): rebuilding", entry, exc)
        return None
    log.info("loaded cached network %s: %d nodes, %d edges", entry.name, len(nodes), len(edges))
    return Network(nodes, edges, arrays, indptr, meta["crs_metric"], buildings, pois, meta, heights,
                   elements=elements, basemap=basemap)
