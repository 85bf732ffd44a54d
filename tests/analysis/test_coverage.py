"""Coverage of surface, incline, kerb and width per city part, or per 500 m square without parts."""

from __future__ import annotations

import numpy as np
import pytest

from geo.analysis.coverage import ATTRIBUTES, city_parts, coverage_zones, load_districts
from geo.network.model import Network


def test_city_parts_of_the_extract(planner_net: Network) -> None:
    parts = city_parts(planner_net, load_districts(planner_net.meta["provenance"]))
    zones = coverage_zones(planner_net, parts)
    assert set(zones["name"]) == {"Horní část", "Dolní část"} and set(zones["kind"]) == {"district"}
    assert zones["length_km"].sum() == pytest.approx(planner_net.edges["length_m"].sum() / 1000, abs=0.002)
    upper = zones.set_index("name").loc["Horní část"]
    # the upper part: footways with surface, incline and width tagged; steps without surface
    assert upper["incline_pct"] == 100.0 and 0 < upper["surface_pct"] < 100


def test_without_parts_a_grid_of_500_m(helsinki_net: Network) -> None:
    assert load_districts(helsinki_net.meta["provenance"]) is None  # the sample has no boundaries
    zones = coverage_zones(helsinki_net, None)
    assert set(zones["kind"]) == {"grid"} and len(zones) > 4
    mapped = helsinki_net.edges.loc[~helsinki_net.edge_col("across_area").astype(bool), "length_m"]
    assert zones["length_km"].sum() == pytest.approx(mapped.sum() / 1000, abs=0.02)  # no lines across plazas
    shares = zones[[f"{a}_pct" for a in ATTRIBUTES]].to_numpy()
    assert np.all((shares >= 0) & (shares <= 100))
    assert np.allclose(zones["known_pct"], shares.mean(axis=1), atol=0.06)
    city = helsinki_net.coverage()["known_pct"]["surface"]
    weighted = (zones["surface_pct"] * zones["length_km"]).sum() / zones["length_km"].sum()
    assert weighted == pytest.approx(city, abs=0.2)


def test_an_unreadable_source_has_no_parts() -> None:
    assert load_districts({"source": "file", "location": "/nonexistent/city.osm"}) is None
