"""Open questions of a network and their ranking by the sampled trips that pass them."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from geo.network.model import Network
from geo.reports.audit_model import Verdict
from geo.reports.audit_overlay import verdict_patches
from geo.reports.audit_tasks import AuditIndex, catalogue, relevant
from geo.routing.profiles import PROFILES
from geo.routing.router import Router
from tests.reports.test_store import T0


@pytest.fixture(scope="module")
def index(helsinki_net: Network, helsinki_router: Router) -> AuditIndex:
    return AuditIndex(helsinki_net, helsinki_router, origins=80)


def _unknown(net: Network, attribute: str) -> np.ndarray:
    a = net.arrays
    e = a.edge_id
    return {
        "kerb": ~a.kerb_known, "surface": ~a.surface_known, "width": ~a.width_known, "incline": ~a.incline_known,
        "smoothness": a.smoothness < 0, "ramp": a.is_steps & ~net.edge_col("ramp_known").astype(bool)[e],
    }[attribute]


def test_the_fixture_questions_are_the_unknown_attributes_it_was_written_with(tag_rules_net: Network) -> None:
    cat = catalogue(tag_rules_net)
    ids = {cat.ref(i).task_id: str(cat.question[i]) for i in range(len(cat))}
    assert ids["node/15/kerb"] == "audit.question.kerb_node"  # kerb:height=high: a kerb of unknown height
    assert ids["node/36/kerb"] == "audit.question.kerb_crossing"  # a crossing node on a road, no kerb
    assert "way/104/ramp" in ids and "way/103/ramp" not in ids  # steps without / with ramp:wheelchair
    assert "way/102/smoothness" in ids and "way/101/smoothness" not in ids  # setts vs asphalt
    assert "way/115/surface" in ids and "way/101/surface" not in ids  # surface=foo vs asphalt
    assert "way/114/width" not in ids  # est_width=0.8
    assert not [t for t in ids if t.startswith("node/") and not t.endswith("/kerb")]


def test_every_task_is_about_edges_where_its_attribute_is_unknown(index: AuditIndex, helsinki_net: Network) -> None:
    cat = index.catalogue
    assert len(cat) > 1000 and set(cat.attribute) >= {"kerb", "surface", "width", "incline"}
    for attribute in set(cat.attribute):
        rows = np.flatnonzero(cat.attribute == attribute)
        edges = cat.incidence[rows].indices
        assert _unknown(helsinki_net, attribute)[edges].all(), attribute
    ways = cat.element_type == "way"
    osm_way = helsinki_net.edge_col("osm_way_id")[helsinki_net.arrays.edge_id[cat.incidence[np.flatnonzero(ways)[:50]]
                                                                              .indices]]
    assert set(osm_way.tolist()) <= set(cat.element_id[ways].tolist())
    assert len(cat.index) == len(cat) and all(cat.find(cat.ref(i)) == i for i in range(0, len(cat), 97))


def test_trips_are_least_cost_paths_from_homes(index: AuditIndex, helsinki_net: Network) -> None:
    trips = index.ranking("manual_wheelchair").trips
    assert len(trips) > 100
    a = helsinki_net.arrays
    cost = index.router.costs(PROFILES["manual_wheelchair"])
    graph = csr_matrix((cost, a.dst, helsinki_net.indptr), shape=(helsinki_net.n_nodes,) * 2)
    for t in range(0, len(trips), max(1, len(trips) // 25)):
        edges = trips.incidence[t].indices
        out = np.bincount(a.src[edges], minlength=helsinki_net.n_nodes).astype(int)
        inn = np.bincount(a.dst[edges], minlength=helsinki_net.n_nodes).astype(int)
        balance = out - inn
        assert balance[trips.origin[t]] == 1 and balance[trips.destination[t]] == -1
        assert np.count_nonzero(balance) == 2  # one chain from the origin to the destination
        best = dijkstra(graph, directed=True, indices=int(trips.origin[t]))[trips.destination[t]]
        assert cost[edges].sum() == pytest.approx(best)


def test_a_task_counts_the_trips_that_pass_it(index: AuditIndex) -> None:
    ranking = index.ranking("manual_wheelchair")
    trips = ranking.trips.incidence.tocsc()
    cat = index.catalogue
    for row in ranking.order[:: max(1, len(ranking.order) // 40)]:
        passing = set(trips[:, cat.directed_edges(row)].nonzero()[0].tolist())
        assert ranking.routes[row] == len(passing)
    top = ranking.routes[ranking.order]
    assert (np.diff(top) <= 0).all() and top[0] > 0  # best first


def test_each_profile_is_asked_only_what_can_change_its_routes(index: AuditIndex) -> None:
    cat = index.catalogue
    assert set(cat.attribute[index.ranking("walking").order]) == {"surface"}
    assert set(cat.attribute[index.ranking("manual_wheelchair").order]) == set(cat.attribute)
    assert relevant("ramp", PROFILES["pram"]) and not relevant("ramp", PROFILES["walking"])
    assert relevant("kerb", PROFILES["electric_wheelchair"]) and not relevant("width", PROFILES["walking"])


def test_the_best_tasks_of_a_view_skip_answered_ones(index: AuditIndex, helsinki_net: Network) -> None:
    cat = index.catalogue
    minx, miny, maxx, maxy = helsinki_net.bounds()
    box = (minx, miny, (minx + maxx) / 2, (miny + maxy) / 2)
    rows, total = index.best("pram", bbox=box, limit=5)
    assert len(rows) == 5 and total >= 5
    assert all(box[0] <= cat.lon[r] <= box[2] and box[1] <= cat.lat[r] <= box[3] for r in rows)
    skip = {cat.ref(rows[0]).task_id, cat.ref(rows[2]).task_id}
    again, left = index.best("pram", bbox=box, limit=5, skip=skip)
    assert left == total - 2 and again[:3] == [rows[1], rows[3], rows[4]]
    assert index.best("pram", bbox=(0.0, 0.0, 1.0, 1.0), limit=5) == ([], 0)


def test_progress_counts_trips_made_complete_by_verified_values(index: AuditIndex, helsinki_net: Network) -> None:
    before = index.progress("manual_wheelchair", helsinki_net.arrays)
    assert before["completeness_pct"] == before["completeness_before_pct"]
    assert before["fully_verified"] == before["fully_verified_before"]
    ranking = index.ranking("manual_wheelchair")
    trip = int(np.argmin(np.diff(ranking.trips.incidence.indptr)[:200]))  # a short trip
    edges = ranking.trips.incidence[trip].indices
    cat = index.catalogue
    rows = sorted(set(cat.incidence[:, edges].tocsc().nonzero()[0].tolist()))
    verdicts = [Verdict(i, cat.ref(r), _good(str(cat.attribute[r])), "community", "community", T0)
                for i, r in enumerate(rows, start=1)]
    arrays = verdict_patches(helsinki_net, verdicts, version=1).apply(helsinki_net.arrays)
    after = index.progress("manual_wheelchair", arrays)
    assert after["fully_verified"] > before["fully_verified"]
    assert after["improved"] >= 1 and after["completeness_pct"] > before["completeness_pct"]
    nowhere = index.progress("manual_wheelchair", arrays, bbox=(0.0, 0.0, 1.0, 1.0))
    assert nowhere["routes"] == 0 and nowhere["fully_verified"] == 0


def _good(attribute: str) -> str:
    return {"kerb": "flush", "surface": "asphalt", "width": "over_1_5", "incline": "flat", "smoothness": "good",
            "ramp": "wheelchair"}[attribute]
