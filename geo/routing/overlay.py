"""What is known from outside the OSM data, laid over the network: cost changes (confirmed barrier
reports) and attribute values (kerbs, surfaces, widths … verified by citizens).

The routing layer only knows the shape of an overlay: which directed edges it touches, whether it
closes them or adds seconds, and for which profiles (:class:`Overlay`); and which attribute values
of which directed edges it replaces (:class:`AttributePatches`). Patched values change everything
read from the arrays — costs, limits, warnings, the verified share, coverage — because the router
and the route description read :meth:`Overlay.arrays` instead of the network's own arrays.
:mod:`geo.reports.placement` builds overlays from reports, :mod:`geo.reports.audit_overlay` the
patches from verified answers.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

from geo.network.model import EdgeArrays
from geo.routing.profiles import PROFILES, Profile

#: Bit of each built-in profile in :attr:`Overlay.profiles`.
PROFILE_BITS: dict[str, int] = {name: 1 << i for i, name in enumerate(PROFILES)}


_PATCHABLE = frozenset(f.name for f in fields(EdgeArrays)) - {"src", "dst", "edge_id", "forward", "length_m"}


@dataclass(frozen=True)
class AttributePatches:
    """Attribute values that replace the network's: per field of :class:`EdgeArrays`, the directed edges and
    their new values (the topology and lengths never change). ``version`` changes whenever the values do.

    The patched arrays are made once per base array set and kept (a copy of the patched fields only:
    the others are shared with the base)."""

    version: int = 0
    values: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    _made: dict[int, EdgeArrays] = field(default_factory=dict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def __post_init__(self) -> None:
        unknown = set(self.values) - _PATCHABLE
        if unknown:
            msg = f"not patchable: {sorted(unknown)}"
            raise ValueError(msg)

    def __len__(self) -> int:
        return sum(len(edges) for edges, _ in self.values.values())

    @property
    def edges(self) -> np.ndarray:
        """The directed edges any field is patched on."""
        parts = [edges for edges, _ in self.values.values()]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, np.int64)

    def apply(self, base: EdgeArrays) -> EdgeArrays:
        """``base`` with the patched values (``base`` itself when there are none)."""
        if not self.values:
            return base
        with self._lock:
            made = self._made.get(id(base))
            if made is not None:
                return made
            changed = {}
            for name, (edges, values) in self.values.items():
                column = getattr(base, name).copy()
                column[edges] = values.astype(column.dtype)
                column.flags.writeable = False
                changed[name] = column
            made = replace(base, **changed)
            self._made.clear()  # one network per process: keep the latest only
            self._made[id(base)] = made
            return made


EMPTY_PATCHES = AttributePatches()


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
    patches: AttributePatches = EMPTY_PATCHES

    @property
    def key(self) -> tuple[int, int]:
        """What the overlay's effect on costs depends on (the router's cache key)."""
        return self.version, self.patches.version

    def arrays(self, base: EdgeArrays) -> EdgeArrays:
        """The directed-edge arrays with the verified attribute values laid over ``base``."""
        return self.patches.apply(base)

    def without_costs(self) -> Overlay:
        """The attribute values only (what is known about the network, without reported barriers)."""
        return Overlay(version=0, patches=self.patches) if len(self.edges) else self

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
