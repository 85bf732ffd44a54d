"""Verified answers back to OpenStreetMap: a valid osmChange on the loaded versions that round-trips through
libosmium, osmnx and pyrosm, and the changes it cannot make cleanly, listed with the reason."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import osmium
import pytest

from geo.network import pipeline
from geo.network.model import Network
from geo.reports.audit_export import geojson, osmchange, plan
from geo.reports.audit_tasks import catalogue
from tests.reports.test_audit_overlay import verdicts

ANSWERS = (
    ("node/15/kerb", "lowered"),  # kerb:height=high stays, kerb=lowered is added
    ("node/36/kerb", "raised_10"),  # a crossing node: kerb + kerb:height
    ("way/104/ramp", "wheelchair"),
    ("way/127/smoothness", "good"),
    ("way/119/surface", "asphalt"),
    ("way/115/surface", "asphalt"),  # surface=foo: the element has another value
    ("way/106/incline", "steep"),  # no direction
    ("way/119/width", "over_1_5"),  # a service road: the walkable width is a sidewalk's
    ("way/114/surface", "paving_stones"),
)


@pytest.fixture
def planned(tag_rules_net: Network) -> tuple[list, list]:
    return plan(tag_rules_net, verdicts(*ANSWERS))


def original(tag_rules_osm: Path) -> dict[tuple[str, int], ET.Element]:
    return {(el.tag, int(el.get("id"))): el for el in ET.parse(tag_rules_osm).getroot() if el.tag in ("node", "way")}


def tags_of(el: ET.Element) -> dict[str, str]:
    return {t.get("k"): t.get("v") for t in el.findall("tag")}


def test_the_osmchange_modifies_the_loaded_elements_in_full(planned: tuple, tag_rules_osm: Path) -> None:
    changes, skipped = planned
    root = ET.fromstring(osmchange(changes, skipped=len(skipped)))
    assert root.tag == "osmChange" and root.get("version") == "0.6" and root.get("generator")
    assert [c.tag for c in root] == ["modify"]  # only modifications: nothing created or deleted
    before = original(tag_rules_osm)
    got = {(el.tag, int(el.get("id"))): el for el in root.find("modify")}
    assert set(got) == {("node", 15), ("node", 36), ("way", 104), ("way", 127), ("way", 119), ("way", 114)}
    for key, el in got.items():
        old = before[key]
        assert el.get("version") == old.get("version")  # the version that was loaded: the API checks it
        assert tags_of(el).items() >= tags_of(old).items()  # every tag kept
        if el.tag == "node":
            assert float(el.get("lat")) == pytest.approx(float(old.get("lat")))
            assert float(el.get("lon")) == pytest.approx(float(old.get("lon")))
        else:
            assert [n.get("ref") for n in el.findall("nd")] == [n.get("ref") for n in old.findall("nd")]
    assert tags_of(got[("node", 15)]) == {"kerb:height": "high", "kerb": "lowered"}
    assert tags_of(got[("node", 36)]) == {"highway": "crossing", "crossing": "marked", "kerb": "raised",
                                          "kerb:height": "0.10"}
    assert tags_of(got[("way", 104)])["ramp:wheelchair"] == "yes"
    assert tags_of(got[("way", 119)])["surface"] == "asphalt" and "width" not in tags_of(got[("way", 119)])


def test_what_is_not_a_clean_change_is_listed_with_its_reason(planned: tuple, tag_rules_net: Network) -> None:
    changes, skipped = planned
    reasons = {s.verdict.task.task_id: s.reason for s in skipped}
    assert reasons == {"way/115/surface": "tag_differs", "way/106/incline": "incline_direction",
                       "way/119/width": "road_width"}
    differs = next(s for s in skipped if s.reason == "tag_differs")
    assert differs.existing == {"surface": "foo"} and differs.tags == {"surface": "asphalt"}
    doc = geojson(tag_rules_net, changes, skipped, "en")
    clean = [f for f in doc["features"] if f["properties"]["clean"]]
    left = [f for f in doc["features"] if not f["properties"]["clean"]]
    assert (doc["changes"], doc["left_out"], len(clean), len(left)) == (6, 3, 6, 3)
    for f in doc["features"]:
        assert f["geometry"]["type"] in ("Point", "LineString", "MultiLineString")
        ev = f["properties"]["evidence"]
        assert ev and all(e["verified_by"] == "community" and e["label"] for e in ev)
    assert {f["properties"]["reason"] for f in left} == {"tag_differs", "incline_direction", "road_width"}
    assert all(f["properties"]["reason_text"] for f in left)
    node36 = next(f for f in clean if f["properties"]["element"] == {"type": "node", "id": 36, "version": 1,
                                                                      "url": "https://www.openstreetmap.org/node/36"})
    assert node36["properties"]["add_tags"] == {"kerb": "raised", "kerb:height": "0.10"}


def test_a_crossing_way_kerb_suggests_its_end_nodes_instead(crossing_net: Network) -> None:
    changes, skipped = plan(crossing_net, verdicts(("way/3/kerb", "lowered"), ("node/11/kerb", "flush")))
    assert [c.key for c in changes] == [("node", 11)]
    [s] = skipped
    assert s.reason == "kerb_without_node" and sorted(s.suggested_nodes) == [2, 5]


def test_without_loaded_versions_nothing_is_exported(tag_rules_net: Network) -> None:
    overpass_like = dataclasses.replace(tag_rules_net, elements=None, _element_index=None)
    changes, skipped = plan(overpass_like, verdicts(("node/36/kerb", "flush"), ("way/127/smoothness", "good")))
    assert changes == [] and {s.reason for s in skipped} == {"not_loaded"}
    root = ET.fromstring(osmchange(changes, skipped=len(skipped)))
    assert list(root.find("modify")) == []


def test_the_change_applies_and_reads_back_in_osmnx_and_pyrosm(planned: tuple, tag_rules_osm: Path,
                                                              tmp_path: Path, cache_root: Path) -> None:
    changes, skipped = planned
    osc = tmp_path / "verified.osc"
    osc.write_bytes(osmchange(changes, skipped=len(skipped)))
    assert sum(1 for _ in osmium.FileProcessor(str(osc))) == len(changes)  # libosmium reads it as osmChange
    for name in ("applied.osm", "applied.osm.pbf"):  # the XML through osmnx, the PBF through pyrosm
        merger = osmium.MergeInputReader()
        merger.add_file(str(osc))
        writer = osmium.io.Writer(str(tmp_path / name), overwrite=True)
        merger.apply_to_reader(osmium.io.Reader(str(tag_rules_osm)), writer, with_history=False)
        writer.close()
        net = pipeline.load_or_build(pipeline.SourceSpec.file(tmp_path / name), cache_dir=cache_root)
        e, nodes = net.edges, net.nodes
        way = e["osm_way_id"].to_numpy()
        assert e.loc[way == 104, "ramp_wheelchair"].all()
        assert (e.loc[way == 127, "smoothness"] == 1).all()  # good
        assert (e.loc[way == 119, "surface"] == "asphalt").all()
        assert nodes.loc[nodes["osmid"] == 36, "kerb_cm"].item() == 10.0
        assert nodes.loc[nodes["osmid"] == 15, "kerb_cm"].item() == 3.0
        asked = {catalogue(net).ref(i).task_id for i in range(len(catalogue(net)))}
        assert not asked & {t for c in changes for t in (v.task.task_id for v in c.verdicts)}  # answered for good
        assert asked >= {s.verdict.task.task_id for s in skipped}  # still open in OSM
        assert json.loads(net.element("node", 36)["tags"])["kerb"] == "raised"
        assert int(net.element("way", 104)["version"]) == 1
