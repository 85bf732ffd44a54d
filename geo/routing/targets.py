"""Service locations as routing targets: a light, array-based view for one-to-many searches.

The services themselves (curated records and OSM POIs, de-duplicated and placed) come from
:meth:`geo.layers.query.MapLayers.service_targets`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np


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
