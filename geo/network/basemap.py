"""The base map of the loaded extract: land use, parks, woods, water, railways and roads, drawn offline under
the network, with street names.

:func:`basemap_features` turns OSM features (any tags) into one frame of ``kind`` (see :data:`KINDS`), ``name``
and a simplified geometry; :func:`road_lines` joins the road segments of each OSM way into lines (the
carriageways — also of streets whose sidewalks are mapped as separate ways, which the network leaves out).
The map's per-viewport query (``geo.layers.query``) clips them to the view and places the street names.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings

log = logging.getLogger(__name__)

#: Kinds of base-map features, in drawing order (earlier = below).
KINDS: tuple[str, ...] = ("built", "industrial", "grass", "park", "wood", "cemetery", "water", "plaza", "river",
                          "rail", "road", "major_road")

#: (key, values, kind): the first rule a feature matches decides its kind.
_RULES: tuple[tuple[str, frozenset[str] | None, str], ...] = (
    ("natural", frozenset({"water", "bay"}), "water"),
    ("water", None, "water"),
    ("waterway", frozenset({"riverbank", "dock"}), "water"),
    ("landuse", frozenset({"reservoir", "basin"}), "water"),
    ("waterway", frozenset({"river", "stream", "canal"}), "river"),
    ("landuse", frozenset({"forest"}), "wood"),
    ("natural", frozenset({"wood", "scrub"}), "wood"),
    ("leisure", frozenset({"park", "garden", "playground", "common", "nature_reserve", "dog_park", "pitch"}), "park"),
    ("landuse", frozenset({"cemetery"}), "cemetery"),
    ("landuse", frozenset({"grass", "meadow", "village_green", "recreation_ground", "allotments", "orchard",
                           "farmland", "flowerbed"}), "grass"),
    ("natural", frozenset({"grassland", "heath", "wetland"}), "grass"),
    ("landuse", frozenset({"industrial", "railway", "garages", "construction", "brownfield", "quarry"}), "industrial"),
    ("landuse", frozenset({"residential", "commercial", "retail", "civil", "education", "religious", "military"}),
     "built"),
    ("railway", frozenset({"rail", "tram", "light_rail", "narrow_gauge", "monorail"}), "rail"),
)
#: Road classes drawn as carriageways; the first ones as major roads.
MAJOR_ROADS = frozenset({"motorway", "trunk", "primary", "secondary", "motorway_link", "trunk_link", "primary_link",
                         "secondary_link"})
ROADS = MAJOR_ROADS | frozenset({"tertiary", "tertiary_link", "unclassified", "residential", "living_street",
                                 "service", "road"})
#: Vertices closer than this to the simplified line are dropped (degrees, about half a metre).
SIMPLIFY_DEG = 5e-6


def _text(frame: pd.DataFrame, key: str) -> pd.Series:
    if key not in frame:
        return pd.Series(None, index=frame.index, dtype=object)
    return frame[key].astype(object).where(frame[key].notna(), None).map(
        lambda v: v.strip().lower() if isinstance(v, str) else None)


def _frame(kind: np.ndarray, name: np.ndarray, geoms: np.ndarray) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"kind": kind.astype(object), "name": name.astype(object)}, geometry=geoms,
                            crs=settings.CRS_WGS84)


def empty() -> gpd.GeoDataFrame:
    """A base map without features."""
    return _frame(np.zeros(0, object), np.zeros(0, object), np.zeros(0, object))


def basemap_features(features: gpd.GeoDataFrame, roads: gpd.GeoDataFrame | None = None,
                     areas: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """The base map: ``features`` classified by their tags (unmatched ones dropped; tunnels and underground
    features too), the road lines and the walkable areas (plazas), ordered by :data:`KINDS`."""
    parts = []
    if features is not None and len(features):
        kind = pd.Series(None, index=features.index, dtype=object)
        for key, values, k in _RULES:
            v = _text(features, key)
            hit = kind.isna() & (v.notna() if values is None else v.isin(values))
            kind[hit] = k
        lines = features.geometry.geom_type.isin(["LineString", "MultiLineString"]).to_numpy()
        areal = features.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
        linear_kind = kind.isin(["river", "rail"]).to_numpy()
        underground = _text(features, "tunnel").notna().to_numpy() | (
            pd.to_numeric(_text(features, "layer"), errors="coerce").fillna(0).to_numpy() < 0)
        keep = kind.notna().to_numpy() & ~underground & np.where(linear_kind, lines, areal)
        name = features["name"] if "name" in features else pd.Series(None, index=features.index)
        parts.append(_frame(kind[keep].to_numpy(), name[keep].to_numpy(), features.geometry.to_numpy()[keep]))
    if roads is not None and len(roads):
        major = roads["highway"].isin(MAJOR_ROADS).to_numpy()
        parts.append(_frame(np.where(major, "major_road", "road"), roads["name"].to_numpy(),
                            roads.geometry.to_numpy()))
    if areas is not None and len(areas):
        poly = areas.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
        name = areas["name"] if "name" in areas else pd.Series(None, index=areas.index)
        parts.append(_frame(np.full(int(poly.sum()), "plaza"), name[poly].to_numpy(), areas.geometry.to_numpy()[poly]))
    if not parts:
        return empty()
    out = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=settings.CRS_WGS84)
    out["geometry"] = shapely.simplify(out.geometry.to_numpy(), SIMPLIFY_DEG, preserve_topology=True)
    out = out[~out.geometry.is_empty & out.geometry.notna()]
    out["name"] = out["name"].map(lambda v: v if isinstance(v, str) and v else None)
    order = pd.Categorical(out["kind"], categories=list(KINDS), ordered=True)
    out = out.iloc[np.argsort(order.codes, kind="stable")].reset_index(drop=True)
    log.info("base map: %s", ", ".join(f"{n} {k}" for k, n in out["kind"].value_counts().items()))
    return out


def road_lines(segments: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One line per OSM road way (``highway`` in :data:`ROADS`), its segments joined, with ``highway``, ``name``."""
    if segments.empty or "highway" not in segments:
        return gpd.GeoDataFrame({"highway": [], "name": []}, geometry=[], crs=settings.CRS_WGS84)
    highway = _text(segments, "highway")
    roads = segments[highway.isin(ROADS).to_numpy()]
    if roads.empty:
        return gpd.GeoDataFrame({"highway": [], "name": []}, geometry=[], crs=settings.CRS_WGS84)
    ways = roads.groupby("osm_way_id", sort=False)
    lines = ways.geometry.apply(lambda g: shapely.line_merge(shapely.union_all(g.to_numpy())))
    first = ways.first()
    name = first["name"] if "name" in first else pd.Series(None, index=first.index)
    return gpd.GeoDataFrame({"highway": _text(first, "highway").to_numpy(), "name": name.to_numpy()},
                            geometry=lines.loc[first.index].to_numpy(), crs=settings.CRS_WGS84)
