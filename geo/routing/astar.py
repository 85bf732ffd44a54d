"""Compiled goal-directed search (A*) over the CSR arrays, for one origin → one destination.

``scipy.sparse.csgraph.dijkstra`` cannot stop when it reaches a target, so a single route would
settle most of the city; this kernel stops as soon as no open node can beat the best arrival.
The potential is the straight-line distance to the destination times ``k / speed``, where ``k``
is the smallest cost-per-metre factor of the profile (so it never overestimates and stays
consistent). Compiled with numba (cached on disk after the first use).

Origin and destination are points on edges: the origin enters the graph through two partial
edges (``o_nodes``/``o_costs``), the destination is reached from two nodes (``d_nodes``/``d_costs``).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _push(keys: np.ndarray, vals: np.ndarray, size: int, key: float, val: int) -> int:
    i = size
    keys[i] = key
    vals[i] = val
    while i > 0:
        parent = (i - 1) >> 1
        if keys[parent] <= keys[i]:
            break
        keys[parent], keys[i] = keys[i], keys[parent]
        vals[parent], vals[i] = vals[i], vals[parent]
        i = parent
    return size + 1


@njit(cache=True, nogil=True)
def _pop(keys: np.ndarray, vals: np.ndarray, size: int) -> tuple[float, int, int]:
    key, val = keys[0], vals[0]
    size -= 1
    keys[0] = keys[size]
    vals[0] = vals[size]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        child = left
        if left + 1 < size and keys[left + 1] < keys[left]:
            child = left + 1
        if keys[i] <= keys[child]:
            break
        keys[child], keys[i] = keys[i], keys[child]
        vals[child], vals[i] = vals[i], vals[child]
        i = child
    return key, val, size


@njit(cache=True, nogil=True)
def astar(indptr: np.ndarray, indices: np.ndarray, cost: np.ndarray, xs: np.ndarray, ys: np.ndarray,
          o_nodes: np.ndarray, o_costs: np.ndarray, d_nodes: np.ndarray, d_costs: np.ndarray,
          dest_x: float, dest_y: float, h_per_m: float, dist: np.ndarray, pred: np.ndarray
          ) -> tuple[float, int, int]:
    """Best cost to the destination, the node it is reached through (−1: none) and nodes settled.

    ``dist`` (inf) and ``pred`` (−1) are filled in; ``pred == −2`` marks the nodes entered
    straight from the origin.
    """
    n = dist.shape[0]
    capacity = cost.shape[0] + 4
    keys = np.empty(capacity, np.float64)
    vals = np.empty(capacity, np.int64)
    done = np.zeros(n, np.bool_)
    size = 0
    for k in range(2):
        node = o_nodes[k]
        c = o_costs[k]
        if c < dist[node]:
            dist[node] = c
            pred[node] = -2
            h = np.hypot(xs[node] - dest_x, ys[node] - dest_y) * h_per_m
            size = _push(keys, vals, size, c + h, node)
    best = np.inf
    end = -1
    settled = 0
    while size > 0:
        f, node, size = _pop(keys, vals, size)
        if f >= best:
            break
        if done[node]:
            continue
        done[node] = True
        settled += 1
        g = dist[node]
        for k in range(2):
            if node == d_nodes[k]:
                arrive = g + d_costs[k]
                if arrive < best:
                    best = arrive
                    end = node
        for e in range(indptr[node], indptr[node + 1]):
            c = cost[e]
            if c == np.inf:
                continue
            m = indices[e]
            ng = g + c
            if ng < dist[m]:
                dist[m] = ng
                pred[m] = node
                if size >= capacity:  # cannot happen: each push follows an improvement
                    break
                size = _push(keys, vals, size, ng + np.hypot(xs[m] - dest_x, ys[m] - dest_y) * h_per_m, m)
    return best, end, settled
