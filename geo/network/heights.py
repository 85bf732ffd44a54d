"""Dense terrain heights along every edge, stored compactly (CSR), and their slices along routes.

Edge ``e``'s heights are ``z[ptr[e]:ptr[e + 1]]``, measured from its ``u`` end at the distances
``0, step, 2·step, …`` and at its length (the last sample sits on ``v``): :func:`sample_counts` samples,
never fewer than two. An edge that is not on the terrain (bridge, tunnel) has no samples; a sample off
the DEM or on nodata is NaN. Distances are not stored: they follow from the edge length and the step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


def sample_counts(length_m: np.ndarray, step_m: float) -> np.ndarray:
    """Samples per edge: every ``step_m`` from the ``u`` end, and the ``v`` end (at least two)."""
    return np.maximum(2, np.ceil(np.asarray(length_m, float) / step_m).astype(np.int64) + 1)


def sample_positions(length_m: np.ndarray, step_m: float) -> tuple[np.ndarray, np.ndarray]:
    """For every sample of every edge: the edge index and the distance from its ``u`` end."""
    length_m = np.asarray(length_m, float)
    counts = sample_counts(length_m, step_m)
    edge = np.repeat(np.arange(len(length_m)), counts)
    rank = np.arange(len(edge)) - np.repeat(np.cumsum(counts) - counts, counts)
    return edge, np.minimum(rank * step_m, length_m[edge])


@dataclass(frozen=True)
class EdgeHeights:
    """Terrain heights of every undirected edge from ``u`` to ``v`` (metres, float32, CSR by edge)."""

    step_m: float
    ptr: np.ndarray
    z: np.ndarray

    @classmethod
    def none(cls, n_edges: int, step_m: float) -> EdgeHeights:
        """No heights at all (a network built without a DEM)."""
        return cls(step_m, np.zeros(n_edges + 1, np.int64), np.zeros(0, np.float32))

    def __len__(self) -> int:
        return len(self.ptr) - 1

    def to_dict(self) -> dict[str, np.ndarray]:
        """Arrays for saving (``heights_*``)."""
        return {"heights_ptr": self.ptr, "heights_z": self.z, "heights_step_m": np.array(self.step_m)}

    @classmethod
    def from_dict(cls, data: Any) -> EdgeHeights:
        """Inverse of :meth:`to_dict`."""
        return cls(float(data["heights_step_m"]), np.asarray(data["heights_ptr"]), np.asarray(data["heights_z"]))

    def of(self, edge: int, length_m: float) -> tuple[np.ndarray, np.ndarray]:
        """Distances from ``u`` and heights of one edge (empty when it is off the terrain)."""
        return self.along(np.array([edge]), np.array([True]), np.zeros(1), np.ones(1), np.array([length_m]))[1:]

    def along(self, eid: np.ndarray, forward: np.ndarray, t0: np.ndarray, t1: np.ndarray,
              length_m: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The heights met on pieces of edges, in the direction of travel.

        A piece runs along edge ``eid`` (``forward``: from ``u`` to ``v``) from fraction ``t0`` to ``t1`` of
        its length, both in the direction of travel. Returns, per sample: the piece, the distance from the
        piece's start, the height — the stored samples inside the piece (not within 1 % of a step of its
        ends) and the heights at its two ends (interpolated between samples). Pieces of edges without
        samples give nothing. ``length_m`` is the length of each piece's edge."""
        eid = np.asarray(eid, np.int64)
        lo_ptr = self.ptr[eid]
        n = self.ptr[eid + 1] - lo_ptr
        has = n >= 2
        step = self.step_m
        length = np.asarray(length_m, float)
        fwd = np.asarray(forward, bool)
        lo = np.where(fwd, t0, 1.0 - np.asarray(t1)) * length
        hi = np.where(fwd, t1, 1.0 - np.asarray(t0)) * length
        near = 0.01 * step  # a sample this close to a piece's end is left to the end itself
        i_lo = np.floor((lo + near) / step).astype(np.int64) + 1
        i_hi = np.minimum(np.ceil((hi - near) / step).astype(np.int64) - 1, n - 2)
        total = np.where(has, np.maximum(i_hi - i_lo + 1, 0) + 2, 0)
        piece = np.repeat(np.arange(len(eid)), total)
        rank = np.arange(len(piece)) - np.repeat(np.cumsum(total) - total, total)
        first, last = rank == 0, rank == total[piece] - 1
        idx = np.clip(i_lo[piece] + rank - 1, 0, n[piece] - 1)
        s = np.where(first, lo[piece], np.where(last, hi[piece], np.minimum(idx * step, length[piece])))
        z = np.where(first | last, self._at(lo_ptr[piece], n[piece], length[piece], s), self.z[lo_ptr[piece] + idx])
        dist = np.where(fwd[piece], s - lo[piece], hi[piece] - s)
        order = np.lexsort((dist, piece))
        return piece[order], dist[order], z[order].astype(float)

    def _at(self, start: np.ndarray, n: np.ndarray, length: np.ndarray, s: np.ndarray) -> np.ndarray:
        """Height at distance ``s`` from ``u`` on edges (linear between samples; exact on a sample)."""
        if len(s) == 0:
            return np.zeros(0)
        step = self.step_m
        i = np.clip(np.floor(s / step).astype(np.int64), 0, n - 2)
        s_i = i * step
        gap = np.minimum((i + 1) * step, length) - s_i
        f = np.where(gap > 0, (s - s_i) / np.where(gap > 0, gap, 1.0), 0.0)
        za = self.z[start + i].astype(float)
        zb = self.z[start + i + 1].astype(float)
        return np.where(f <= 0.0, za, np.where(f >= 1.0, zb, za + f * (zb - za)))
