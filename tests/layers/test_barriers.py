"""OSM-derived barriers: every condition of the documented mapping, with its severity."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from geo.layers.barriers import CATEGORIES, edge_barriers, node_barriers, osm_barriers, summary
from geo.network.model import Network
from geo.routing.profiles import PROFILES, blocked_reasons

ROOT = Path(__file__).resolve().parents[2]


def test_each_condition_of_the_liberec_fixture_gives_its_category_and_severity(liberec_net: Network) -> None:
    b = osm_barriers(liberec_net)
    got = sorted(zip(b["category"], b["severity"].astype(int), strict=True))
    assert got == sorted([("steps", 3), ("high_kerb", 3), ("steep_slope", 2), ("narrow_passage", 2),
                          ("surface_problem", 2), ("inaccessible_way", 3), ("obstacle", 3)])
    by_cat = b.set_index("category")
    assert by_cat.loc["steep_slope", "value"] == 12.0 and by_cat.loc["narrow_passage", "value"] == 0.8
    assert by_cat.loc["high_kerb", "reason"] == "kerb 15 cm" and by_cat.loc["obstacle", "reason"] == "barrier=stile"
    assert list(b["severity"]) == sorted(b["severity"], reverse=True)  # most severe first
    assert b["barrier_id"].is_unique


def test_tag_rules_fixture_grades_severities(tag_rules_net: Network) -> None:
    b = osm_barriers(tag_rules_net)
    steps = b[b["category"] == "steps"]
    # steps with a pram-only ramp are less severe than bare steps; steps with a wheelchair ramp are no barrier
    assert sorted(steps["severity"].astype(int)) == [2, 3]
    kerbs = b[b["category"] == "high_kerb"]
    assert set(zip(kerbs["value"], kerbs["severity"].astype(int), strict=True)) == {(15.0, 3), (5.0, 1)}
    slopes = b[b["category"] == "steep_slope"].set_index("value")["severity"].astype(int)
    assert all((v <= 10) == (s == 1) for v, s in slopes.items())
    assert (b["severity"].between(1, 3)).all() and set(b["category"]) <= set(CATEGORIES)


def test_every_step_edge_the_wheelchair_profile_blocks_is_a_barrier(helsinki_net: Network) -> None:
    e = edge_barriers(helsinki_net.edges)
    a = helsinki_net.arrays
    blocked_steps = np.unique(a.edge_id[blocked_reasons(a, PROFILES["manual_wheelchair"])["steps"]])
    assert set(e.loc[e["category"] == "steps", "element_id"]) == set(blocked_steps.tolist())
    assert len(blocked_steps) > 50


def test_unknown_attributes_are_not_barriers(helsinki_net: Network) -> None:
    edges = helsinki_net.edges
    unknown = edges[~edges["width_known"] & ~edges["incline_known"] & ~edges["surface_known"]
                    & ~edges["is_steps"] & edges["wheelchair"].lt(0) & edges["smoothness"].lt(0)]
    assert len(unknown) > 100
    assert not set(edge_barriers(helsinki_net.edges)["element_id"]) & set(unknown.index)


def test_barrier_nodes_and_summary(helsinki_net: Network) -> None:
    nodes = node_barriers(helsinki_net.nodes)
    assert (nodes["category"] == "obstacle").sum() == int(((helsinki_net.nodes["barrier_class"] >= 2)
                                                           | (helsinki_net.nodes["node_wheelchair"] == 0)).sum())
    s = summary(osm_barriers(helsinki_net))
    assert s["steps"]["3"] > 50


def test_the_readme_documents_every_category() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for cat in CATEGORIES:
        assert f"`{cat}`" in readme
