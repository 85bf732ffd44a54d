"""A home's own entrance from OSM entrance nodes on its outline (or the flat's record)."""

from __future__ import annotations

import pytest

from geo.analysis.entrances import Buildings, combined_status, entrance_status, flat_entrance
from geo.analysis.origins import residential_buildings
from geo.network.model import Network


def test_each_fixture_building_gets_its_entrance(housing_net: Network) -> None:
    b = Buildings.of(housing_net)
    status = dict(zip(b.addresses, b.statuses(), strict=True))
    assert status["Nad Sokolovnou 616"] == "step_free"  # entrance=main, wheelchair=yes on its outline
    assert status["Česká 617"] == "steps"  # its only entrance: wheelchair=no
    assert status["Nad Sokolovnou 618"] == "unknown"  # none mapped
    row = list(b.addresses).index("Nad Sokolovnou 616")
    one = b.status([row])
    assert one["source"] == "osm" and one["counts"]["step_free"] == 1
    assert one["entrances"][0]["entrance"] == "main" and one["entrances"][0]["osm_id"].startswith("node/")


def test_a_point_finds_the_building_it_is_in(housing_net: Network) -> None:
    b = Buildings.of(housing_net)
    homes = residential_buildings(housing_net)
    for lon, lat, name in zip(homes.lon, homes.lat, homes.names, strict=True):
        assert b.addresses[b.at(lon, lat)] == name
    assert b.at(float(homes.lon[0]), float(homes.lat[0]) + 0.001) is None  # 110 m away: no building
    assert b.rows_of(["way/401", "way/0"]) == [list(b.ids).index("way/401")]


@pytest.mark.parametrize(("statuses", "expected"), [
    ([], "unknown"), (["steps", "step_free"], "step_free"), (["steps", "limited"], "limited"),
    (["steps", "steps"], "steps"), (["steps", "unknown"], "unknown"), (["unknown"], "unknown"),
])
def test_a_building_is_as_good_as_its_best_known_entrance(statuses: list[str], expected: str) -> None:
    assert combined_status(statuses) == expected


def test_entrance_tags_and_flat_records() -> None:
    assert [entrance_status(v) for v in ("yes", "designated", "limited", "no", "maybe", None)] == \
        ["step_free", "step_free", "limited", "steps", "unknown", "unknown"]
    assert (flat_entrance(0), flat_entrance(12.0), flat_entrance(None), flat_entrance(float("nan"))) == \
        ("step_free", "steps", None, None)
