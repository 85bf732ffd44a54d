"""How much of the network has known surface, incline, kerb and width — per city part or 500 m square.

Zones are the city's parts where the OSM extract has them (``boundary=administrative`` polygons, the finest
``admin_level`` from 9 up that divides the network into at least two parts — in Czech cities the
*části obce* of level 10), otherwise a 500 m grid in the network's metric CRS. Each edge counts in the
zone of its midpoint; shares are of network length. :func:`load_districts` reads the boundaries of the
network's own source (the OSM file, the bundled sample, or Overpass for a downloaded place).
"""

from __future__ import annotations

import logging
import math
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.geometry

from geo import settings
from geo.network.model import Network

log = logging.getLogger(__name__)

GRID_M = 500.0
ATTRIBUTES: tuple[str, ...] = ("surface", "incline", "kerb", "width")
_TAGS = {"boundary": "administrative"}


# --------------------------------------------------------------------------- districts (loader)


def load_districts(provenance: dict[str, Any]) -> gpd.GeoDataFrame | None:
    """Administrative boundaries (``name``, ``admin_level``, polygon) of the network's source, or ``None``
    when the source has none or cannot be read."""
    import osmnx as ox
    import pyrosm

    source, location = provenance.get("source"), str(provenance.get("location") or "")
    try:
        if source == "overpass":
            frame = ox.features_from_place(str(provenance.get("area")), tags=_TAGS)
        elif location.endswith(".pbf"):
            with warnings.catch_warnings():  # "could not find any boundaries" is an answer here
                warnings.simplefilter("ignore", UserWarning)
                frame = pyrosm.OSM(location).get_boundaries(boundary_type="administrative")
        elif location and Path(location).is_file():
            frame = ox.features_from_xml(location, tags=_TAGS)
        else:
            return None
    except Exception as exc:  # no boundaries is an answer, not an error: the grid takes over
        log.info("no city parts from %s: %s", location or source, exc)
        return None
    if frame is None or frame.empty or "admin_level" not in frame:
        return None
    frame = frame[frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    level = pd.to_numeric(frame["admin_level"], errors="coerce")
    name = frame["name"] if "name" in frame else pd.Series("", index=frame.index)
    return gpd.GeoDataFrame({"name": name.fillna("").astype(str).to_numpy(), "admin_level": level.to_numpy()},
                            geometry=frame.geometry.to_numpy(), crs=settings.CRS_WGS84)


def city_parts(net: Network, boundaries: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    """The finest level (≥ 9) of ``boundaries`` that splits the network into at least two parts."""
    if boundaries is None or boundaries.empty:
        return None
    mid = _midpoints(net)
    for level in sorted({int(x) for x in boundaries["admin_level"].dropna() if x >= 9}, reverse=True):
        parts = boundaries[boundaries["admin_level"] == level].reset_index(drop=True)
        zone = _zone_of(mid, parts.geometry.to_numpy())
        if len(np.unique(zone[zone >= 0])) >= 2:
            return parts
    return None


# --------------------------------------------------------------------------- coverage


def _midpoints(net: Network) -> np.ndarray:
    return shapely.line_interpolate_point(net.edges.geometry.to_numpy(), 0.5, normalized=True)


def _zone_of(points: np.ndarray, polygons: np.ndarray) -> np.ndarray:
    """Index of the first polygon containing (or bordering) each point (−1: none)."""
    tree = shapely.STRtree(polygons)
    which, hit = tree.query(points, predicate="intersects")
    zone = np.full(len(points), -1, np.int64)
    first = np.unique(which, return_index=True)[1]
    zone[which[first]] = hit[first]
    return zone


def _grid(net: Network) -> tuple[np.ndarray, gpd.GeoDataFrame]:
    """Each edge's 500 m square and the squares (lon/lat polygons) that hold network."""
    mid = _midpoints(net)
    x, y = net.to_metric.transform(shapely.get_x(mid), shapely.get_y(mid))
    col = np.floor(np.asarray(x) / GRID_M).astype(np.int64)
    row = np.floor(np.asarray(y) / GRID_M).astype(np.int64)
    cells, zone = np.unique(np.column_stack([col, row]), axis=0, return_inverse=True)
    boxes = shapely.box(cells[:, 0] * GRID_M, cells[:, 1] * GRID_M, (cells[:, 0] + 1) * GRID_M,
                        (cells[:, 1] + 1) * GRID_M)
    back = net.to_metric
    boxes = shapely.transform(boxes, lambda xy: np.column_stack(back.transform(xy[:, 0], xy[:, 1],
                                                                               direction="INVERSE")))
    names = [f"{int(c) * GRID_M / 1000:g} km E, {int(r) * GRID_M / 1000:g} km N" for c, r in cells]
    return zone.ravel(), gpd.GeoDataFrame({"name": names}, geometry=boxes, crs=settings.CRS_WGS84)


def coverage_zones(net: Network, parts: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """One row per zone: ``zone``, ``name``, ``kind`` (``district`` / ``grid``), ``length_km``, the known
    share (%) of each attribute and their mean (``known_pct``); lon/lat polygons."""
    if parts is not None and not parts.empty:
        zone = _zone_of(_midpoints(net), parts.geometry.to_numpy())
        zones = gpd.GeoDataFrame({"name": parts["name"].to_numpy()}, geometry=parts.geometry.to_numpy(),
                                 crs=settings.CRS_WGS84)
        kind = "district"
    else:
        zone, zones = _grid(net)
        kind = "grid"
    # the straight connections across walkable areas are not mapped lines: left out, as Network.coverage does
    length = np.where(net.edge_col("across_area").astype(bool), 0.0, net.edges["length_m"].to_numpy(float))
    inside = zone >= 0
    total = np.bincount(zone[inside], weights=length[inside], minlength=len(zones))
    out = zones.assign(zone=[f"{kind}-{i}" for i in range(len(zones))], kind=kind, length_km=np.round(total / 1000, 3))
    shares = []
    for name, flag in net.known_flags().items():
        known = np.bincount(zone[inside], weights=(length * flag)[inside], minlength=len(zones))
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(total > 0, 100.0 * known / total, np.nan)
        out[f"{name}_pct"] = np.round(share, 1)
        shares.append(share)
    out["known_pct"] = np.round(np.mean(shares, axis=0), 1)
    out = out[total > 0] if kind == "grid" else out
    return out[["zone", "name", "kind", "length_km", *(f"{a}_pct" for a in ATTRIBUTES), "known_pct", "geometry"]]


def zones_geojson(zones: gpd.GeoDataFrame) -> dict[str, Any]:
    """The zones as a GeoJSON FeatureCollection (NaN shares as ``null``)."""
    feats = []
    for rec, geom in zip(zones.drop(columns="geometry").to_dict("records"), zones.geometry, strict=True):
        props = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()}
        feats.append({"type": "Feature", "geometry": shapely.geometry.mapping(geom), "properties": props})
    return {"type": "FeatureCollection", "features": feats}
