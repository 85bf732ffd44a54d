"""Candidates and what an edge costs once a barrier is removed."""

from __future__ import annotations

import numpy as np
import pytest

from geo.analysis.candidates import find_candidates, fix_rows, fixed_arc_costs, without_reports
from geo.analysis.norms import MAX_CROSSING_KERB_CM
from geo.analysis.origins import residential_buildings
from geo.layers.barriers import osm_barriers
from geo.network.graph import StreetNetwork
from geo.network.model import Network, directed_arrays
from geo.routing.profiles import PROFILES
from tests.analysis.conftest import (
    analysed,
    fixture_services,
    random_network,
    random_places,
    random_reports,
)


def test_candidates_are_the_osm_barriers_and_the_placed_reports(planner_net: Network) -> None:
    rng = np.random.default_rng(3)
    view = random_reports(rng, planner_net, 3)
    cands = find_candidates(planner_net, osm_barriers(planner_net), view)
    f = cands.frame
    assert set(f["source"]) == {"osm", "report"}
    reports = f[f["source"] == "report"]
    assert sorted(reports["element"]) == sorted(view.placed)
    assert all(b == f"report-{e}" for b, e in zip(reports["barrier_id"], reports["element"], strict=True))
    steps = f[(f["category"] == "steps") & (f["source"] == "osm")]
    assert {s.split("/")[0] for s in steps["source_id"]} == {"way"} and steps["osm_way_id"].notna().all()
    found, unknown = cands.index_of(["report-999", steps["barrier_id"].iat[0]])
    assert unknown == ["report-999"] and len(found) == 1


def test_a_lowered_kerb_is_what_the_network_would_have_with_a_2_cm_kerb() -> None:
    """Every high kerb of random cities: the fixed edge attributes equal rebuilding the directed arrays with
    that node's kerb at the norm's 2 cm."""
    checked = 0
    for seed in range(8):
        net = random_network(np.random.default_rng(seed), size=5)
        barriers = osm_barriers(net)
        for node in barriers.loc[barriers["category"] == "high_kerb", "element_id"].astype(int):
            nodes = net.nodes.copy()
            nodes.loc[node, "kerb_cm"] = min(float(nodes.at[node, "kerb_cm"]), MAX_CROSSING_KERB_CM)
            rebuilt, _ = directed_arrays(StreetNetwork(nodes, net.edges, net.crs_metric))
            edges = np.flatnonzero((net.arrays.src == node) | (net.arrays.dst == node))
            n = len(edges)
            fixed = fix_rows(net.arrays.take(edges), edges, net, np.full(n, "node", dtype=object),
                             np.full(n, node), np.full(n, "high_kerb", dtype=object))
            for name in ("kerb_cm", "kerb_head_cm", "kerb_tail_cm"):
                np.testing.assert_array_equal(getattr(fixed, name), getattr(rebuilt, name)[edges])
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize("seed", [0, 15, 18])  # between them: every edge category alone on its edge
def test_a_fix_never_slows_an_edge_and_a_barrier_alone_on_its_edge_once_removed_opens_it(seed: int) -> None:
    """Any barrier removed never makes an arc slower; a barrier that is the only one on its edge (no other
    barrier, node barrier or report touches the edge, no kerb tagged on the way itself), once removed, leaves
    the edge passable both ways for a manual wheelchair."""
    rng = np.random.default_rng(seed)
    net = random_network(rng, size=5)
    case = analysed(net, random_places(rng, net, 4, "building"), random_places(rng, net, 3, "service"), None,
                    "manual_wheelchair", 300.0)
    g, cands = case.graph, case.candidates
    kinds = cands.frame["kind"].to_numpy()
    opened = 0
    for row in range(len(cands)):
        arcs = g.arcs_on(cands.directed[row])
        fixed = fixed_arc_costs(g, cands, arcs, np.array([row]), case.situation.cost[arcs])
        assert np.all(fixed <= case.situation.cost[arcs])
        mine = set(cands.directed[row].tolist())
        alone = not any(mine & set(cands.directed[r].tolist()) for r in range(len(cands)) if r != row)
        edge = int(cands.frame["element"].iat[row])
        if kinds[row] != "edge" or not alone or net.edge_col("way_kerb_cm")[edge] > 3:
            continue
        both = np.array(net.directed(edge))
        assert np.all(np.isfinite(fixed_arc_costs(g, cands, both, np.array([row]), np.full(2, np.inf))))
        opened += 1
    assert opened >= 1


def test_removing_a_report_takes_away_exactly_its_cost_change(planner_net: Network) -> None:
    rng = np.random.default_rng(11)
    view = random_reports(rng, planner_net, 6)
    case = analysed(planner_net, residential_buildings(planner_net), fixture_services(planner_net), view,
                    "manual_wheelchair", 300.0)
    g, cands = case.graph, case.candidates
    for row in np.flatnonzero(cands.frame["kind"].to_numpy() == "report"):
        rid = int(cands.frame["element"].iat[row])
        arcs = g.arcs_on(cands.directed[row])
        fixed = fixed_arc_costs(g, cands, arcs, np.array([row]), np.full(len(arcs), np.inf))
        assert np.array_equal(fixed, g.arc_costs(arcs, overlay=without_reports(view.overlay, [rid])))
    assert PROFILES["manual_wheelchair"] is g.profile
