"""Directed arrays: CSR order, direction-aware incline and kerbs, snapping."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from geo.errors import OutsideAreaError
from geo.network.model import Network


def _directed(net: Network, a: int, b: int) -> int:
    ids = net.nodes["osmid"].to_numpy()
    ia, ib = int(np.flatnonzero(ids == a)[0]), int(np.flatnonzero(ids == b)[0])
    hit = np.flatnonzero((net.arrays.src == ia) & (net.arrays.dst == ib))
    assert len(hit) == 1, f"no directed edge {a}->{b}"
    return int(hit[0])


def test_arrays_are_in_csr_order(helsinki_net: Network) -> None:
    a = helsinki_net.arrays
    assert np.all(np.diff(a.src) >= 0)
    assert len(a) == 2 * len(helsinki_net.edges)
    ip = helsinki_net.indptr
    assert ip[0] == 0 and ip[-1] == len(a)
    node = int(a.src[100])
    assert np.all(a.src[ip[node]:ip[node + 1]] == node)


def test_incline_is_signed_in_travel_direction(tag_rules_net: Network) -> None:
    a = tag_rules_net.arrays
    fwd, back = _directed(tag_rules_net, 1, 2), _directed(tag_rules_net, 2, 1)
    assert a.incline_pct[fwd] == pytest.approx(5.0) and a.incline_pct[back] == pytest.approx(-5.0)
    assert a.up_pct[fwd] == pytest.approx(5.0) and a.down_pct[fwd] == 0
    assert a.up_pct[back] == 0 and a.down_pct[back] == pytest.approx(5.0)


def test_junction_kerbs_count_only_on_the_crossing(tag_rules_net: Network) -> None:
    a = tag_rules_net.arrays
    # along the sidewalk through the lowered-kerb junction node 2: no kerb
    assert a.kerb_cm[_directed(tag_rules_net, 1, 2)] == 0 and a.kerb_known[_directed(tag_rules_net, 1, 2)]
    # across the crossing 2 → 12: lowered (3 cm) on leaving, raised (15 cm) on arriving
    assert a.kerb_cm[_directed(tag_rules_net, 2, 12)] == 15
    assert a.kerb_cm[_directed(tag_rules_net, 12, 2)] == 15
    assert a.is_crossing[_directed(tag_rules_net, 2, 12)]


def test_inner_kerb_nodes_are_met_on_entering(tag_rules_net: Network) -> None:
    a = tag_rules_net.arrays
    assert a.kerb_cm[_directed(tag_rules_net, 3, 33)] == pytest.approx(5)
    assert a.kerb_cm[_directed(tag_rules_net, 33, 34)] == pytest.approx(5)
    assert a.kerb_cm[_directed(tag_rules_net, 34, 13)] == 0 and a.kerb_known[_directed(tag_rules_net, 34, 13)]
    assert a.kerb_cm[_directed(tag_rules_net, 4, 35)] == pytest.approx(5)
    assert a.kerb_cm[_directed(tag_rules_net, 35, 14)] == 0  # flush junction kerb


def test_unknown_kerbs_are_unknown_not_zero(tag_rules_net: Network) -> None:
    a = tag_rules_net.arrays
    e = _directed(tag_rules_net, 5, 15)  # crossing to a kerb of unparseable height
    assert not a.kerb_known[e] and np.isnan(a.kerb_cm[e])
    e = _directed(tag_rules_net, 13, 36)  # crossing node on a road without kerb data
    assert not a.kerb_known[e]


def test_barrier_and_lift_on_head_node(tag_rules_net: Network) -> None:
    a = tag_rules_net.arrays
    assert a.barrier_class[_directed(tag_rules_net, 23, 32)] == 3
    assert a.is_elevator[_directed(tag_rules_net, 32, 24)]


def test_snap_projects_onto_the_edge_interior(tag_rules_net: Network) -> None:
    # a point 10 m north of the middle of way 101 (node 1 → node 2)
    snap = tag_rules_net.snap(15.0505, 50.77009)
    edge = tag_rules_net.edges.iloc[snap.edge_id]
    assert edge["osm_way_id"] == 101
    assert snap.fraction == pytest.approx(0.5, abs=0.01)
    assert snap.distance_m == pytest.approx(10.0, abs=0.5)
    assert snap.lat == pytest.approx(50.7700, abs=1e-6)


def test_snap_far_away_is_outside_area(tag_rules_net: Network) -> None:
    with pytest.raises(OutsideAreaError, match="300 m"):
        tag_rules_net.snap(15.10, 50.80)


def test_coverage_figures(tag_rules_net: Network) -> None:
    cov = tag_rules_net.coverage()
    assert set(cov["known_pct"]) >= {"surface", "incline", "kerb", "width"}
    assert 0 < cov["known_pct"]["surface"] < 100
    assert cov["steps"] == 3
    assert cov["kerb_nodes"] == 6
    e = tag_rules_net.edges[~tag_rules_net.edge_col("across_area").astype(bool)]  # none across plazas
    assert cov["known_pct"]["surface"] == round(100 * e.loc[e["surface_known"], "length_m"].sum()
                                                / e["length_m"].sum(), 1)


def test_coverage_of_other_arrays_counts_their_known_flags(tag_rules_net: Network) -> None:
    a = tag_rules_net.arrays
    everything = dataclasses.replace(a, surface_known=np.ones(len(a), bool), kerb_known=np.ones(len(a), bool))
    cov = tag_rules_net.coverage(everything)
    assert cov["known_pct"]["surface"] == cov["known_pct"]["kerb"] == cov["known_pct"]["kerb_at_crossings"] == 100.0
    assert cov["known_pct"]["width"] == tag_rules_net.coverage()["known_pct"]["width"]


def test_osm_lookups(tag_rules_net: Network) -> None:
    idx = tag_rules_net.node_index(np.array([15, 36, 999999]))
    assert tag_rules_net.nodes["osmid"].to_numpy()[idx[:2]].tolist() == [15, 36] and idx[2] == -1
    edges, owner = tag_rules_net.way_edges(np.array([107, 101, 999]))
    ways = tag_rules_net.edge_col("osm_way_id")[edges]
    assert ways.tolist() == [107] * int((ways == 107).sum()) + [101] * int((ways == 101).sum())
    assert set(owner.tolist()) == {0, 1} and (tag_rules_net.edge_col("osm_way_id") == 107).sum() == 2
    assert tag_rules_net.element("node", 36)["version"] == 1 and tag_rules_net.element("node", 999) is None


def test_kerb_coverage_counts_places_with_a_kerb_value(tag_rules_net: Network, helsinki_net: Network) -> None:
    """A known kerb is a crossing or kerb node with a kerb value: a network without any kerb tag knows none,
    whatever its length; the share is the one of those places."""
    bare = helsinki_net.coverage()
    assert bare["kerb_nodes"] == 0 and bare["kerb_places"]["crossings_known"] == 0
    assert bare["known_pct"]["kerb"] == 0 == bare["known_pct"]["kerb_at_crossings"]
    cov = tag_rules_net.coverage()
    k = cov["kerb_places"]
    assert 0 < k["crossings_known"] <= k["crossings"] and k["kerbs_known"] <= k["kerbs"]
    assert cov["known_pct"]["kerb"] == round(100 * (k["crossings_known"] + k["kerbs_known"])
                                             / (k["crossings"] + k["kerbs"]), 1)
