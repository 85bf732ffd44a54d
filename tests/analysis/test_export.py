"""Exports: CSV and GeoJSON parse and carry the same ranking; filters keep the ranks."""

from __future__ import annotations

import csv
import io
import json

import pytest

from geo.analysis import export
from geo.analysis.origins import Places, residential_buildings
from geo.analysis.planner import PlannerInputs, PlannerRequest, analyse
from geo.layers.barriers import CATEGORIES, osm_barriers
from geo.network.model import Network
from geo.routing.router import Router
from tests.analysis.conftest import fixture_services


@pytest.fixture(scope="module")
def ranking(planner_net: Network):
    inputs = PlannerInputs(planner_net, Router(planner_net), osm_barriers(planner_net),
                           residential_buildings(planner_net), Places.empty(), fixture_services(planner_net),
                           Places.empty())
    a = analyse(inputs, PlannerRequest(minutes=5, origins="buildings"))
    return a, a.ranking()


def test_csv_and_geojson_carry_the_same_ranking(ranking) -> None:
    a, rows = ranking
    records = export.records(rows, "cs")
    parsed_csv = list(csv.DictReader(io.StringIO(export.to_csv(records))))
    fc = json.loads(json.dumps(export.to_geojson(records, [a.candidates.geometry[r] for r in rows["row"]])))
    assert [r["barrier_id"] for r in parsed_csv] == [f["properties"]["barrier_id"] for f in fc["features"]]
    assert [float(r["gain"]) for r in parsed_csv] == [f["properties"]["gain"] for f in fc["features"]] == [6, 0, 0]
    assert [int(r["rank"]) for r in parsed_csv] == [1, 2, 3]
    assert list(parsed_csv[0]) == list(export.COLUMNS)
    assert parsed_csv[0]["category_label"] == "Schody" and parsed_csv[0]["osm_way_id"] == "202"
    assert all(f["geometry"]["type"] == "LineString" for f in fc["features"])


def test_filters_keep_the_ranks(ranking) -> None:
    _, rows = ranking
    assert list(export.select(rows, category="obstacle")["rank"]) == []
    assert list(export.select(rows, min_severity=3, limit=2)["rank"]) == [1, 2]
    lon, lat = float(rows["lon"].iat[2]), float(rows["lat"].iat[2])
    assert list(export.select(rows, bbox=(lon - 1e-5, lat - 1e-5, lon + 1e-5, lat + 1e-5))["rank"]) == [3]


def test_category_labels_cover_every_barrier_category() -> None:
    for lang in ("cs", "en"):
        assert all(export.category_label(c, lang) != c for c in CATEGORIES)
