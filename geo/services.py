"""Service locations as routing targets: a light, array-based view for one-to-many searches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

#: OSM tags that make a POI a social service, and the category it gets.
OSM_SERVICE_TAGS: dict[tuple[str, str], str] = {
    ("amenity", "social_facility"): "social_services_office",
    ("amenity", "community_centre"): "community_centre",
    ("amenity", "social_centre"): "community_centre",
    ("office", "government"): "public_office",
    ("amenity", "townhall"): "public_office",
}


@dataclass(frozen=True)
class Services:
    """Parallel arrays of services that have a position."""

    ids: np.ndarray
    names: np.ndarray
    categories: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    properties: tuple[dict[str, Any], ...]

    def __len__(self) -> int:
        return len(self.ids)

    def select(self, category: str | None) -> np.ndarray:
        """Indices of the services of ``category`` (all when ``None``)."""
        if category is None:
            return np.arange(len(self))
        return np.flatnonzero(self.categories == category)


def services_from_frame(frame: gpd.GeoDataFrame) -> Services:
    """Services from a GeoDataFrame with ``id``, ``name``, ``category`` and point-like geometry."""
    if frame.empty or "id" not in frame:
        return Services(*(np.zeros(0, dtype=object) for _ in range(3)), np.zeros(0), np.zeros(0), ())
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    pts = frame.geometry.representative_point()
    props = tuple(frame.drop(columns=frame.geometry.name).to_dict("records"))
    return Services(
        ids=frame["id"].astype(str).to_numpy(object),
        names=frame["name"].astype(object).to_numpy(object),
        categories=frame["category"].astype(str).to_numpy(object),
        lon=pts.x.to_numpy(float),
        lat=pts.y.to_numpy(float),
        properties=props,
    )


def osm_service_pois(pois: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Social-service POIs of the OSM extract with a category (``id`` = ``osm:<element>/<id>``)."""
    if pois.empty or "osmid" not in pois:
        return gpd.GeoDataFrame({"id": [], "name": [], "category": []}, geometry=[], crs=pois.crs)
    category = pd.Series(None, index=pois.index, dtype=object)
    for (key, value), cat in OSM_SERVICE_TAGS.items():
        if key in pois:
            category = category.where(~(pois[key] == value) | category.notna(), cat)
    keep = category.notna()
    out = pois[keep].copy()
    element = out["element"].fillna("node").astype(str) if "element" in out else "node"
    out["id"] = "osm:" + element + "/" + out["osmid"].astype(str)
    out["category"] = category[keep]
    out["source"] = "OpenStreetMap"
    if "name" not in out:
        out["name"] = None
    cols = ["id", "name", "category", "source", *[c for c in ("wheelchair", "addr:street", "addr:housenumber")
                                                 if c in out]]
    return gpd.GeoDataFrame(out[cols], geometry=out.geometry, crs=pois.crs).reset_index(drop=True)


def services_from_pois(pois: gpd.GeoDataFrame) -> Services:
    """Routing targets from the OSM extract's social-service POIs."""
    return services_from_frame(osm_service_pois(pois))
