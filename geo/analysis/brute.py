"""The reference: remove each barrier, recompute every origin → destination time, compare.

O(barriers × origins) searches — only for checking :mod:`geo.analysis.gain` (the tests) and for the
benchmark's comparison on a subset of barriers.
"""

from __future__ import annotations

import numpy as np

from geo.analysis.gain import Change, Effect, Situation, compare
from geo.analysis.graph import times


def brute_effect(s: Situation, change: Change, *, detail: bool = False) -> Effect:
    """The effect of ``change`` found by searching again from every placed origin on the changed graph."""
    cost = s.cost.copy()
    cost[change.arcs] = change.cost
    rows = s.placed_origins
    after = np.full(s.times.shape, np.inf)
    after[rows] = times(s.graph, s.limit_s, cost=cost, origins=rows)
    cols = np.arange(s.times.shape[1])
    return compare(s, np.arange(s.times.shape[0]), cols, after, detail)
