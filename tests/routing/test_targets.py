"""Service targets as parallel arrays for one-to-many routing."""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from geo.routing.targets import services_from_frame


def test_services_from_a_frame_skip_unplaced() -> None:
    frame = gpd.GeoDataFrame(
        {"id": ["a", "b", "c"], "name": ["A", "B", None], "category": ["community_centre", "housing_help", "x"]},
        geometry=[gpd.points_from_xy([15.05], [50.77])[0], None, gpd.points_from_xy([15.06], [50.78])[0]],
        crs="EPSG:4326",
    )
    s = services_from_frame(frame)
    assert list(s.ids) == ["a", "c"]
    assert np.allclose(s.lon, [15.05, 15.06])
    assert list(s.select("community_centre")) == [0]
    assert len(s.select(None)) == 2
    assert s.properties[1]["category"] == "x"


def test_empty_frame_gives_no_services() -> None:
    empty = gpd.GeoDataFrame({"id": []}, geometry=[], crs="EPSG:4326")
    assert len(services_from_frame(empty)) == 0
    assert len(services_from_frame(gpd.GeoDataFrame(geometry=[], crs="EPSG:4326"))) == 0
