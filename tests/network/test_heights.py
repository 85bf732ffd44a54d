"""Terrain heights along edges (CSR) and the heights met on pieces of edges, in the direction of travel."""

from __future__ import annotations

import numpy as np
import pytest

from geo.network.heights import EdgeHeights, sample_counts, sample_positions


@pytest.fixture
def heights() -> EdgeHeights:
    # edge 0: 3.5 m rising 10 m per metre; edge 1: a bridge (no samples); edge 2: 2 m with a nodata sample
    z = np.array([0, 10, 20, 30, 35, 5, np.nan, 7], np.float32)
    return EdgeHeights(1.0, np.array([0, 5, 5, 8]), z)


LENGTH = np.array([3.5, 12.0, 2.0])


def test_samples_every_step_and_at_the_far_end() -> None:
    assert sample_counts(np.array([3.5, 0.0, 2.0, 10.0]), 1.0).tolist() == [5, 2, 3, 11]
    edge, s = sample_positions(np.array([3.5, 0.0]), 1.0)
    assert edge.tolist() == [0, 0, 0, 0, 0, 1, 1] and s.tolist() == [0, 1, 2, 3, 3.5, 0, 0]


def test_a_whole_edge_gives_its_samples(heights: EdgeHeights) -> None:
    s, z = heights.of(0, 3.5)
    assert s.tolist() == [0, 1, 2, 3, 3.5] and z.tolist() == [0, 10, 20, 30, 35]
    assert len(heights.of(1, 12.0)[0]) == 0  # a bridge has none


def test_a_partial_piece_against_the_edge_is_cut_and_turned(heights: EdgeHeights) -> None:
    # from 20 % to 60 % of the edge, travelling from v to u: 2.8 m … 1.4 m from u
    piece, dist, z = heights.along(np.array([0]), np.array([False]), np.array([0.2]), np.array([0.6]), LENGTH[:1])
    assert piece.tolist() == [0, 0, 0]
    assert dist == pytest.approx([0.0, 0.8, 1.4]) and z == pytest.approx([28.0, 20.0, 14.0])


def test_pieces_follow_each_other_and_unknown_heights_stay_unknown(heights: EdgeHeights) -> None:
    eid, fwd = np.array([0, 1, 2]), np.array([True, True, False])
    piece, dist, z = heights.along(eid, fwd, np.zeros(3), np.ones(3), LENGTH)
    assert piece.tolist() == [0] * 5 + [2] * 3
    assert dist[5:].tolist() == [0, 1, 2] and z[5] == 7 and np.isnan(z[6]) and z[7] == 5
    same = heights.along(np.array([0]), np.array([True]), np.array([0.5]), np.array([0.5]), LENGTH[:1])
    assert same[1].tolist() == [0, 0] and same[2] == pytest.approx([17.5, 17.5])
