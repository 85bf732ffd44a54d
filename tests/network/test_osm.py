"""Loading OSM data: XML via osmnx, PBF via pyrosm, Overpass via osmnx against a local stub."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import osmnx as ox
import pandas as pd
import pytest

from geo import settings
from geo.errors import DataError, DownloadError
from geo.network import osm
from tests.overpass_stub import serve_osm

FIXTURE_BBOX = (15.049, 50.768, 15.056, 50.774)


def test_walkable_mask_rules() -> None:
    tags = pd.DataFrame({
        "highway": ["footway", "motorway", "pedestrian", "service", "service", "cycleway", "cycleway",
                    "residential", "steps", "elevator", None],
        "area": [None, None, "yes", None, None, None, None, None, None, None, None],
        "access": [None, None, None, "private", "private", None, None, None, None, None, None],
        "foot": [None, None, None, "yes", None, None, "designated", None, "no", None, None],
        "sidewalk": [None, None, None, None, None, None, None, "separate", None, None, None],
    })
    assert osm.walkable_mask(tags).tolist() == [True, False, False, True, False, False, True, False, False,
                                                True, False]


def test_platform_ways_are_walkable_without_a_highway_tag() -> None:
    tags = pd.DataFrame({"highway": [None, None, None, "platform"], "railway": ["platform", None, "rail", None],
                         "public_transport": [None, "platform", None, "platform"], "area": [None, None, None, None],
                         "foot": [None, None, None, "no"]})
    assert osm.walkable_mask(tags).tolist() == [True, True, False, False]


def test_walkable_area_rules() -> None:
    import geopandas as gpd
    import shapely

    square = shapely.box(0, 0, 1, 1)
    line = shapely.LineString([(0, 0), (1, 0)])
    rows = [  # (geometry, tags, walkable)
        (square, {"highway": "pedestrian", "area": "yes"}, True),
        (square, {"highway": "footway", "area": "yes", "access": "private"}, False),
        (square, {"highway": "footway", "area": "yes", "access": "private", "foot": "yes"}, True),
        (square, {"highway": "pedestrian", "area": "yes", "foot": "no"}, False),
        (square, {"place": "square"}, False),  # a square without foot access: maybe a car park
        (square, {"place": "square", "foot": "designated"}, True),
        (square, {"place": "square", "highway": "pedestrian"}, True),
        (square, {"railway": "platform"}, True),
        (square, {"area": "yes", "amenity": "parking"}, False),
        (line, {"public_transport": "platform"}, True),
        (line, {"highway": "pedestrian", "area": "yes"}, False),  # not an area after all
        (line, {"highway": "footway"}, False),  # an ordinary way: the network loader reads it
    ]
    frame = gpd.GeoDataFrame(pd.DataFrame([r[1] for r in rows]), geometry=[r[0] for r in rows], crs=4326)
    assert osm.walkable_area_mask(frame).tolist() == [r[2] for r in rows]


def test_xml_drops_buildings_and_closed_ways(tag_rules_osm: Path) -> None:
    extract = osm.load_file(tag_rules_osm)
    ways = set(extract.segments["osm_way_id"])
    assert {116, 117, 118, 120, 121, 126}.isdisjoint(ways)  # motorway, area, foot=no, private, building, cycleway
    assert {101, 112, 119, 125}.issubset(ways)
    assert len(extract.buildings) == 1
    assert extract.buildings.iloc[0]["addr:housenumber"] == "7"
    names = set(extract.pois["name"].dropna())
    assert {"Azylový dům (test)", "Komunitní centrum (test)"} <= names
    assert extract.provenance.data_date == "2024-05-01"
    assert extract.provenance.source == "file"


def test_segments_are_oriented_from_u_to_v(tag_rules_osm: Path) -> None:
    extract = osm.load_file(tag_rules_osm)
    seg = extract.segments
    first = seg.geometry.map(lambda g: g.coords[0])
    ux = extract.nodes.loc[seg["u"], ["x", "y"]].itertuples(index=False, name=None)
    assert all(a == pytest.approx(b) for a, b in zip(first, ux, strict=True))


def test_the_network_elements_are_kept_with_versions_tags_and_node_lists(tag_rules_osm: Path) -> None:
    """What an osmChange needs: every way and node of the network as the file has it."""
    extract = osm.load_file(tag_rules_osm)
    el = extract.elements.set_index(["type", "id"])
    assert set(el.loc["way"].index) == set(extract.segments["osm_way_id"])
    assert set(el.loc["node"].index) == set(extract.nodes.index)
    assert (el["version"] == 1).all()
    w107 = el.loc[("way", 107)]
    assert json.loads(w107["refs"]) == [13, 36, 14]
    assert json.loads(w107["tags"])["width"] == "1,5"  # every tag, not only the ones routing reads
    n15 = el.loc[("node", 15)]
    assert json.loads(n15["tags"]) == {"kerb:height": "high"} and (n15["lon"], n15["lat"]) == (15.054, 50.771)


def test_pbf_elements_come_with_their_versions() -> None:
    extract = osm.load_sample()
    el = extract.elements
    assert len(el) == extract.segments["osm_way_id"].nunique() + len(extract.nodes)
    assert el["version"].notna().all() and (el["version"] > 1).any()
    assert el.loc[el["type"] == "way", "refs"].map(lambda r: len(json.loads(r)) >= 2).all()


def test_an_unreadable_element_pass_gives_no_elements(tmp_path: Path) -> None:
    bad = tmp_path / "x.osm"
    bad.write_text("<osm><node id='1' lat='x'", encoding="utf-8")
    assert osm.read_elements(bad, np.array([1]), np.array([1])).empty


def test_pbf_sample_loads_with_tags() -> None:
    extract = osm.load_sample()
    assert extract.provenance.source == "sample"
    assert 5000 < len(extract.nodes) < 7000
    assert len(extract.buildings) == 486
    assert extract.segments["highway"].eq("steps").sum() > 100
    assert extract.segments["surface"].notna().mean() > 0.5
    assert extract.provenance.data_date is not None


@pytest.mark.parametrize(
    ("content", "suffix", "key"),
    [
        (b"<html><body>not osm</body></html>", ".osm", "osm.wrong_root"),
        (b"", ".osm", "osm.file_empty"),
        (b'<?xml version="1.0"?><osm version="0.6"></osm>', ".osm", "osm.no_ways_in_file"),
        (b"this is not a protobuf file at all" * 10, ".pbf", "osm.pbf_unreadable"),
        (b"x", ".shp", "osm.unknown_type"),
    ],
)
def test_bad_files_raise_data_error(tmp_path: Path, content: bytes, suffix: str, key: str) -> None:
    bad = tmp_path / f"bad{suffix}"
    bad.write_bytes(content)
    with pytest.raises(DataError) as err:
        osm.load_file(bad)
    assert err.value.key == key and err.value.details["file"] == str(bad)
    assert str(bad) in err.value.message("cs") and str(bad) in err.value.message("en")


def test_extract_without_walkable_ways(tmp_path: Path) -> None:
    f = tmp_path / "only_motorway.osm"
    f.write_text('<?xml version="1.0"?><osm version="0.6"><node id="1" lat="50" lon="15"/>'
                 '<node id="2" lat="50.001" lon="15"/><way id="1"><nd ref="1"/><nd ref="2"/>'
                 '<tag k="highway" v="motorway"/></way></osm>')
    with pytest.raises(DataError) as err:
        osm.load_file(f)
    assert err.value.key == "osm.no_walkable_ways"


def test_missing_file() -> None:
    with pytest.raises(DataError) as err:
        osm.load_file("/nonexistent/liberec.osm.pbf")
    assert err.value.key == "osm.file_not_found" and err.value.details == {"file": "/nonexistent/liberec.osm.pbf"}
    assert str(err.value) == "OSM file not found: /nonexistent/liberec.osm.pbf"


def test_gzip_is_not_mistaken_for_osm(tmp_path: Path) -> None:
    f = tmp_path / "x.osm"
    f.write_bytes(gzip.compress(b"<osm></osm>"))
    with pytest.raises(DataError):
        osm.load_file(f)


@pytest.fixture
def local_overpass(monkeypatch: pytest.MonkeyPatch, tag_rules_osm: Path):
    with serve_osm(tag_rules_osm, FIXTURE_BBOX, settings.DEFAULT_PLACE) as url:
        monkeypatch.setattr(ox.settings, "nominatim_url", url)
        monkeypatch.setattr(ox.settings, "overpass_url", url + "/api")
        monkeypatch.setattr(ox.settings, "use_cache", False)
        monkeypatch.setattr(ox.settings, "overpass_rate_limit", False)
        yield url


def test_online_download_through_osmnx(local_overpass: str) -> None:
    extract = osm.load_place(settings.DEFAULT_PLACE)
    assert extract.provenance.source == "overpass"
    assert extract.provenance.area == settings.DEFAULT_PLACE
    ways = set(extract.segments["osm_way_id"])
    assert {101, 103, 112}.issubset(ways)
    assert {116, 121}.isdisjoint(ways)
    assert len(extract.buildings) == 1
    assert "Azylový dům (test)" in set(extract.pois["name"].dropna())
    assert "kerb" in extract.nodes.columns and extract.nodes.loc[12, "kerb"] == "raised"
    assert extract.elements.empty  # Overpass answers through osmnx carry no versions: nothing to write back


def test_download_failure_is_a_download_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ox.settings, "nominatim_url", "http://127.0.0.1:9/")
    monkeypatch.setattr(ox.settings, "use_cache", False)
    with pytest.raises(DownloadError) as err:
        osm.load_place("Liberec, Czechia")
    assert err.value.key == "osm.download_failed" and err.value.details["place"] == "Liberec, Czechia"


def test_oneway_minus_one_keeps_the_way_direction(tmp_path: Path) -> None:
    from geo.network import pipeline

    f = tmp_path / "oneway.osm"
    f.write_text('<?xml version="1.0"?><osm version="0.6">'
                 '<node id="1" lat="50.7700" lon="15.05"/><node id="2" lat="50.7705" lon="15.05"/>'
                 '<node id="3" lat="50.7710" lon="15.05"/>'
                 '<way id="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="footway"/>'
                 '<tag k="oneway" v="-1"/><tag k="incline" v="10%"/></way></osm>')
    net = pipeline.load_or_build(pipeline.SourceSpec.file(f), cache_dir=tmp_path / "c")
    e = net.edges.iloc[0]
    osmid = net.nodes["osmid"].to_numpy()
    assert (osmid[e["u"]], osmid[e["v"]]) == (1, 3)  # the way's own order
    assert e["incline_pct"] == 10.0  # uphill from node 1 to node 3, as tagged
