"""Simplification keeps accessibility boundaries; the graph is simple."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from geo.network import osm
from geo.network.attributes import node_attributes, way_attributes
from geo.network.graph import simplify
from geo.network.model import Network


def _street(path: Path):
    ex = osm.load_file(path)
    return simplify(way_attributes(ex.segments), node_attributes(ex.nodes))


def _write(tmp_path: Path, body: str) -> Path:
    f = tmp_path / "g.osm"
    f.write_text(f'<?xml version="1.0"?><osm version="0.6">{body}</osm>')
    return f


def test_steps_are_not_merged_into_footways(tmp_path: Path) -> None:
    # footway 1-2, steps 2-3, footway 3-4: a chain that osmnx's default would merge into one edge
    nodes = "".join(f'<node id="{i}" lat="50.77" lon="{15.05 + i * 0.0005}"/>' for i in range(1, 6))
    ways = (
        '<way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/><tag k="surface" v="asphalt"/></way>'
        '<way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="steps"/></way>'
        '<way id="12"><nd ref="3"/><nd ref="4"/><nd ref="5"/><tag k="highway" v="footway"/></way>'
    )
    street = _street(_write(tmp_path, nodes + ways))
    e = street.edges
    assert sorted(e["osm_way_id"]) == [10, 11, 12]
    assert e.loc[e["osm_way_id"] == 11, "is_steps"].all()
    assert not e.loc[e["osm_way_id"] != 11, "is_steps"].any()
    # node 4 (degree 2, same way) is merged away; 1, 2, 3 and 5 stay
    assert len(street.nodes) == 4
    assert all(isinstance(v, (int, np.integer)) for v in e["osm_way_id"])


def test_kerb_node_stays_a_node(tmp_path: Path) -> None:
    nodes = ('<node id="1" lat="50.77" lon="15.050"/><node id="2" lat="50.77" lon="15.051">'
             '<tag k="kerb" v="raised"/></node><node id="3" lat="50.77" lon="15.052"/>')
    ways = '<way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="footway"/></way>'
    street = _street(_write(tmp_path, nodes + ways))
    assert len(street.edges) == 2
    assert 2 in set(street.nodes["osmid"])


def test_parallel_edges_and_loops_are_split(tmp_path: Path) -> None:
    nodes = ('<node id="1" lat="50.770" lon="15.050"/><node id="2" lat="50.770" lon="15.052"/>'
             '<node id="3" lat="50.771" lon="15.051"/><node id="4" lat="50.769" lon="15.051"/>'
             '<node id="5" lat="50.768" lon="15.050"/><node id="6" lat="50.768" lon="15.052"/>')
    ways = (
        '<way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way>'
        '<way id="11"><nd ref="1"/><nd ref="3"/><nd ref="2"/><tag k="highway" v="path"/></way>'
        '<way id="12"><nd ref="2"/><nd ref="4"/><nd ref="1"/><tag k="highway" v="service"/></way>'
        '<way id="13"><nd ref="1"/><nd ref="5"/><nd ref="6"/><nd ref="1"/><tag k="highway" v="footway"/></way>'
    )
    street = _street(_write(tmp_path, nodes + ways))
    e = street.edges
    pairs = {tuple(sorted(p)) for p in zip(e["u"], e["v"], strict=True)}
    assert len(pairs) == len(e), "every node pair has at most one edge"
    assert (e["u"] != e["v"]).all(), "no self-loops"
    assert (street.nodes["osmid"] < 0).sum() >= 2, "split points are new nodes with negative ids"
    assert e.groupby("osm_way_id")["length_m"].sum().loc[13] > 200  # the loop keeps its full length


def test_lengths_are_metres(helsinki_net: Network) -> None:
    e = helsinki_net.edges
    assert (e["length_m"] > 0).all()
    assert 80_000 < e.loc[e["area_id"].isna(), "length_m"].sum() < 100_000  # the ways, without walkable areas
    assert helsinki_net.crs_metric == "EPSG:32635"
