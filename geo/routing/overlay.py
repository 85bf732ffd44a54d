"""Cost changes from outside the OSM data (confirmed barrier reports) laid over a profile's costs.

The routing layer only knows the shape of an overlay: which directed edges it touches, whether it
closes them or adds seconds, and for which profiles. :mod:`geo.reports.placement` builds overlays
from reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from geo.routing.profiles import PROFILES, Profile

#: Bit of each built-in profile in :attr:`Overlay.profiles`.
PROFILE_BITS: dict[str, int] = {name: 1 << i for i, name in enumerate(PROFILES)}


@dataclass(frozen=True)
class Overlay:
    """One entry per (directed edge, effect): ``blocks`` makes the edge impassable, otherwise
    ``penalty_s`` is added; ``profiles`` is a bit mask over :data:`PROFILE_BITS` (which profiles the
    entry affects); ``labels`` describe the source of each entry (for route warnings). ``version``
    changes whenever the entries do (it keys the router's cost cache)."""

    version: int = 0
    edges: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    blocks: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    penalty_s: np.ndarray = field(default_factory=lambda: np.zeros(0, float))
    profiles: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    labels: tuple[dict[str, Any], ...] = ()

    def _hits(self, profile: Profile) -> np.ndarray:
        return (self.profiles & PROFILE_BITS.get(profile.name, 0)) != 0

    def apply(self, cost: np.ndarray, profile: Profile) -> np.ndarray:
        """Cost array with the entries that affect ``profile`` applied (a copy when changed)."""
        if len(self.edges) == 0:
            return cost
        hit = self._hits(profile)
        if not hit.any():
            return cost
        out = cost.copy()
        np.add.at(out, self.edges[hit & ~self.blocks], self.penalty_s[hit & ~self.blocks])
        out[self.edges[hit & self.blocks]] = np.inf
        return out

    def apply_at(self, edges: np.ndarray, cost: np.ndarray, profile: Profile) -> np.ndarray:
        """Like :meth:`apply`, for the costs of the listed directed edges only (``cost[i]`` is ``edges[i]``'s)."""
        if len(self.edges) == 0 or len(edges) == 0:
            return cost
        hit = self._hits(profile)
        entry_edges, blocks, penalty = self.edges[hit], self.blocks[hit], self.penalty_s[hit]
        if len(entry_edges) == 0:
            return cost
        order = np.argsort(entry_edges, kind="stable")
        entry_edges, blocks, penalty = entry_edges[order], blocks[order], penalty[order]
        lo = np.searchsorted(entry_edges, edges, side="left")
        hi = np.searchsorted(entry_edges, edges, side="right")
        added = np.concatenate([[0.0], np.cumsum(penalty)])
        closed = np.concatenate([[0], np.cumsum(blocks)])
        out = cost + (added[hi] - added[lo])
        return np.where(closed[hi] - closed[lo] > 0, np.inf, out)

    def entries_on(self, directed_edges: np.ndarray, profile: Profile) -> list[dict[str, Any]]:
        """Labels of the entries that lie on the given directed edges and affect ``profile`` (one per source)."""
        if len(self.edges) == 0:
            return []
        hit = np.isin(self.edges, directed_edges) & self._hits(profile)
        seen: dict[Any, dict[str, Any]] = {}
        for i in np.flatnonzero(hit):
            label = self.labels[i] if i < len(self.labels) else {}
            seen.setdefault(label.get("id", i), label)
        return list(seen.values())


EMPTY_OVERLAY = Overlay()
