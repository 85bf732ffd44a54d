"""Verified answers laid over the network: the same arrays as if OpenStreetMap had the tags, and routes that
change with an answer and come back with its rollback."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from geo.errors import NoRouteError, OutsideAreaError
from geo.network import pipeline
from geo.network.model import EdgeArrays, Network
from geo.reports.audit_model import OPTIONS, TaskRef, Verdict
from geo.reports.audit_overlay import crossing_ends, verdict_patches
from geo.reports.audit_tasks import AuditIndex, catalogue
from geo.routing.itinerary import describe
from geo.routing.overlay import EMPTY_OVERLAY, Overlay
from geo.routing.profiles import PROFILES
from geo.routing.router import Router
from tests.reports.test_store import T0


def verdicts(*items: tuple[str, str]) -> list[Verdict]:
    return [Verdict(i, TaskRef.parse(task), value, "community", "community", T0)
            for i, (task, value) in enumerate(items, start=1)]


def with_tags(source: Path, target: Path, tags: dict[tuple[str, int], dict[str, str]]) -> Path:
    """A copy of an OSM file with tags set on some elements (what a mapper's upload would do)."""
    tree = ET.parse(source)
    for el in tree.getroot():
        for k, v in tags.get((el.tag, int(el.get("id", 0))), {}).items():
            ET.SubElement(el, "tag", k=k, v=v)
    tree.write(target, encoding="utf-8", xml_declaration=True)
    return target


def by_node_pair(net: Network, arrays: EdgeArrays) -> dict[tuple[int, int], dict[str, float]]:
    osmid = net.nodes["osmid"].to_numpy()
    out = {}
    for k in range(len(arrays)):
        key = (int(osmid[arrays.src[k]]), int(osmid[arrays.dst[k]]))
        out[key] = {f.name: float(getattr(arrays, f.name)[k]) for f in dataclasses.fields(EdgeArrays)
                    if f.name not in ("src", "dst", "edge_id")}
    return out


def assert_same_arrays(net: Network, patched: EdgeArrays, rebuilt: Network) -> None:
    ours, theirs = by_node_pair(net, patched), by_node_pair(rebuilt, rebuilt.arrays)
    assert ours.keys() == theirs.keys()
    for key in ours:
        for name, value in ours[key].items():
            assert value == pytest.approx(theirs[key][name], nan_ok=True), (key, name)


def test_kerb_answers_act_as_if_osm_had_the_kerbs(crossing_net: Network, crossing_osm: Path, tmp_path: Path,
                                                  cache_root: Path) -> None:
    net = crossing_net
    cat = catalogue(net)
    kerbs = sorted(cat.ref(i).task_id for i in range(len(cat)) if cat.attribute[i] == "kerb")
    assert kerbs == ["node/11/kerb", "way/3/kerb"]
    ends = net.nodes["osmid"].to_numpy()[crossing_ends(net, 3)]
    assert sorted(ends.tolist()) == [2, 5]
    patches = verdict_patches(net, verdicts(("way/3/kerb", "lowered"), ("node/11/kerb", "raised_10")), version=1)
    patched = patches.apply(net.arrays)
    asked = np.concatenate([cat.directed_edges(cat.find(TaskRef.parse(t))) for t in kerbs])
    assert not net.arrays.kerb_known[asked].any() and patched.kerb_known[asked].all()
    rebuilt = pipeline.load_or_build(pipeline.SourceSpec.file(with_tags(crossing_osm, tmp_path / "tagged.osm", {
        ("node", 2): {"kerb": "lowered"}, ("node", 5): {"kerb": "lowered"},
        ("node", 11): {"kerb": "raised", "kerb:height": "0.10"}})), cache_dir=cache_root)
    assert_same_arrays(net, patched, rebuilt)
    assert net.arrays.kerb_cm is not patched.kerb_cm and patched.surface_code is net.arrays.surface_code


def test_way_answers_act_as_if_osm_had_the_tags(tag_rules_net: Network, tag_rules_osm: Path, tmp_path: Path,
                                                cache_root: Path) -> None:
    answers = (("way/119/surface", "asphalt"), ("way/102/smoothness", "very_bad"), ("way/104/ramp", "wheelchair"),
               ("way/106/width", "0_7_to_0_9"), ("node/15/kerb", "flush"), ("node/36/kerb", "raised_6"))
    patched = verdict_patches(tag_rules_net, verdicts(*answers), version=1).apply(tag_rules_net.arrays)
    tags = {("way", 119): {"surface": "asphalt"}, ("way", 102): {"smoothness": "very_bad"},
            ("way", 104): {"ramp": "yes", "ramp:wheelchair": "yes", "ramp:stroller": "yes"},
            ("way", 106): {"est_width": "0.8"}, ("node", 15): {"kerb": "flush"},
            ("node", 36): {"kerb": "raised", "kerb:height": "0.06"}}
    rebuilt = pipeline.load_or_build(pipeline.SourceSpec.file(with_tags(tag_rules_osm, tmp_path / "t.osm", tags)),
                                     cache_dir=cache_root)
    assert_same_arrays(tag_rules_net, patched, rebuilt)


def test_an_incline_answer_holds_both_ways(tag_rules_net: Network) -> None:
    patched = verdict_patches(tag_rules_net, verdicts(("way/106/incline", "steep")), version=1).apply(
        tag_rules_net.arrays)
    edges = np.flatnonzero(tag_rules_net.edge_col("osm_way_id")[tag_rules_net.arrays.edge_id] == 106)
    assert len(edges) == 2 and patched.incline_known[edges].all()
    assert (patched.up_pct[edges] == OPTIONS["incline"][3].amount).all()
    assert (patched.down_pct[edges] == patched.up_pct[edges]).all()


def test_later_verdicts_win_and_nothing_gives_the_network_itself(tag_rules_net: Network) -> None:
    p = verdict_patches(tag_rules_net, verdicts(("way/119/surface", "gravel"), ("way/119/surface", "asphalt")),
                        version=3)
    assert p.version == 3 and len(p.values["surface_code"][0]) == 2
    assert (p.apply(tag_rules_net.arrays).surface_class[p.values["surface_code"][0]] == 1).all()  # paved_smooth
    assert verdict_patches(tag_rules_net, [], version=0).apply(tag_rules_net.arrays) is tag_rules_net.arrays


@pytest.fixture(scope="module")
def kerb_route(helsinki_net: Network, helsinki_router: Router) -> tuple[tuple[float, float], tuple[float, float], str]:
    """A wheelchair route over the crossing of highest value with an unknown kerb: its ends and the task."""
    index = AuditIndex(helsinki_net, helsinki_router, origins=60)
    ranking = index.ranking("manual_wheelchair")
    cat = index.catalogue
    row = next(r for r in ranking.order if cat.attribute[r] == "kerb" and cat.element_type[r] == "node")
    trips = ranking.trips.incidence.tocsc()[:, cat.directed_edges(row)].nonzero()[0]
    nodes = helsinki_net.nodes
    t = int(trips[0])
    ends = [(float(nodes["lon"].iat[n]), float(nodes["lat"].iat[n]))
            for n in (ranking.trips.origin[t], ranking.trips.destination[t])]
    return ends[0], ends[1], cat.ref(int(row)).task_id


def _kerb_unknown(itinerary: object) -> int:
    return sum(w.count for w in itinerary.warnings if w.code == "kerb_unknown")  # type: ignore[attr-defined]


def test_an_answer_changes_the_route_and_its_rollback_restores_it(helsinki_net: Network, helsinki_router: Router,
                                                                  kerb_route: tuple) -> None:
    a, b, task = kerb_route
    profile = PROFILES["manual_wheelchair"]
    base = helsinki_router.route(a, b, profile)
    base_desc = describe(base, helsinki_net, EMPTY_OVERLAY)
    assert _kerb_unknown(base_desc) >= 1
    flush = Overlay(version=0, patches=verdict_patches(helsinki_net, verdicts((task, "flush")), version=101))
    r = helsinki_router.route(a, b, profile, flush)
    desc = describe(r, helsinki_net, flush)
    assert r.duration_s < base.duration_s  # a known, flush kerb: no 5 % for an unknown
    assert _kerb_unknown(desc) == _kerb_unknown(base_desc) - 1
    assert desc.metrics.unknown_m["kerb"] < base_desc.metrics.unknown_m["kerb"]
    raised = Overlay(version=0, patches=verdict_patches(helsinki_net, verdicts((task, "raised_15")), version=102))
    high = set(np.flatnonzero(raised.arrays(helsinki_net.arrays).kerb_cm > profile.max_kerb_cm).tolist())
    try:
        detour = helsinki_router.route(a, b, profile, raised)
    except NoRouteError as exc:  # no way round: the diagnosis names the kerb
        assert any(r["reason"] == "kerb" for r in exc.details["reasons"])
    else:  # 15 cm closes the crossing for a manual wheelchair: a detour
        assert detour.duration_s > base.duration_s and not {p.edge for p in detour.pieces} & high
    rolled_back = Overlay(version=0, patches=verdict_patches(helsinki_net, [], version=103))
    again = helsinki_router.route(a, b, profile, rolled_back)
    assert again.duration_s == pytest.approx(base.duration_s)
    assert _kerb_unknown(describe(again, helsinki_net, rolled_back)) == _kerb_unknown(base_desc)


def test_the_router_stays_optimal_when_answers_make_edges_cheaper(helsinki_net: Network) -> None:
    """Everything known: every edge gets cheaper than the cheapest edge of OSM alone, and the A* potential
    follows (a stale one would overestimate and miss the best route)."""
    router = Router(helsinki_net)
    a = helsinki_net.arrays
    every = np.arange(len(a))
    patches = dataclasses.replace(
        verdict_patches(helsinki_net, [], version=0), version=200,
        values={name: (every, np.ones(len(a))) for name in ("surface_known", "incline_known", "width_known",
                                                           "kerb_known")})
    overlay = Overlay(version=0, patches=patches)
    profile = PROFILES["manual_wheelchair"]
    cost = router.costs(profile, overlay)
    assert np.nanmin(np.where(np.isfinite(cost), cost, np.nan) / a.length_m * profile.speed_mps) < 1.0 + 1e-6
    graph = csr_matrix((cost, a.dst, helsinki_net.indptr), shape=(helsinki_net.n_nodes,) * 2)
    rng = np.random.default_rng(3)
    lon, lat = helsinki_net.nodes["lon"].to_numpy(), helsinki_net.nodes["lat"].to_numpy()
    checked = 0
    for o, d in rng.integers(0, helsinki_net.n_nodes, size=(40, 2)):
        best = dijkstra(graph, directed=True, indices=int(o))[d]
        if not np.isfinite(best) or best == 0:
            continue
        try:
            route = router.route((lon[o], lat[o]), (lon[d], lat[d]), profile, overlay)
        except (NoRouteError, OutsideAreaError):  # the snap may prefer an edge the search cannot leave
            continue
        if route.origin.snap.distance_m < 0.01 and route.destination.snap.distance_m < 0.01 and \
                route.origin.f in (0.0, 1.0) and route.destination.f in (0.0, 1.0):
            assert route.duration_s <= best + 1e-6
            checked += 1
    assert checked >= 5
