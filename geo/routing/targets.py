"""Routing destinations (services, stops, homes …) as arrays, and their arrival times from one search.

A :class:`Targets` set is built once per process from a GeoDataFrame of points (``id``, ``name``,
``category``); each target keeps up to ``k`` anchors on the nearest edges, so a target beside a
street blocked for the profile is still reached from the next one. :func:`arrival_s` reads every
target's earliest arrival off one :class:`~geo.routing.isochrone.Reach` in a few array operations;
:func:`reachable` and :func:`nearest` answer "what can I reach in N minutes" and "which K are
nearest" with those times.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.routing.isochrone import Reach
from geo.routing.router import Anchor, Router


@dataclass(frozen=True)
class Targets:
    """Parallel arrays of placed destinations and the flattened arrays of their anchors."""

    ids: np.ndarray
    names: np.ndarray
    categories: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    properties: tuple[dict[str, Any], ...]
    anchors: tuple[tuple[Anchor, ...], ...]
    #: wheelchair access of each target (``yes``, ``limited``, ``no``, ``unknown``)
    wheelchair: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))

    def __len__(self) -> int:
        return len(self.ids)

    def select(self, category: str | None, wheelchair: tuple[str, ...] | None = None) -> np.ndarray:
        """Indices of the targets of ``category`` (all when ``None``) whose wheelchair access is one of
        ``wheelchair`` (any when ``None``)."""
        keep = np.ones(len(self), bool) if category is None else self.categories == category
        if wheelchair is not None:
            keep &= np.isin(self.wheelchair, list(wheelchair))
        return np.flatnonzero(keep)


def targets_from_frame(frame: gpd.GeoDataFrame, router: Router, *, max_distance_m: float = 150.0,
                       k: int = 4) -> Targets:
    """Targets from a GeoDataFrame with ``id``, ``name``, ``category`` and point-like geometry (lon/lat)."""
    if frame.empty or "id" not in frame:
        empty = np.zeros(0, dtype=object)
        return Targets(empty, empty, empty, np.zeros(0), np.zeros(0), (), ())
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    pts = frame.geometry.representative_point()
    lon, lat = pts.x.to_numpy(float), pts.y.to_numpy(float)
    anchors = router.anchors_for(np.column_stack([lon, lat]), max_distance_m=max_distance_m, k=k)
    return Targets(
        ids=frame["id"].astype(str).to_numpy(object),
        names=frame["name"].astype(object).to_numpy(object),
        categories=frame["category"].astype(str).to_numpy(object),
        lon=lon, lat=lat,
        properties=tuple(frame.drop(columns=frame.geometry.name).to_dict("records")),
        anchors=tuple(tuple(a) for a in anchors),
        wheelchair=(frame["wheelchair"] if "wheelchair" in frame else pd.Series("unknown", index=frame.index))
        .map(lambda v: v if v in ("yes", "limited", "no") else "unknown").to_numpy(object),
    )


def arrival_s(r: Reach, targets: Targets, index: np.ndarray | None = None) -> np.ndarray:
    """Earliest arrival (seconds) at each target of ``index`` (all by default) through any of its
    anchors; ``inf`` where none is reachable within the search's limit."""
    index = np.arange(len(targets)) if index is None else np.asarray(index, dtype=np.int64)
    owner = np.array([j for j, i in enumerate(index) for _ in targets.anchors[i]], dtype=np.int64)
    anchors = [a for i in index for a in targets.anchors[i]]
    out = np.full(len(index), np.inf)
    if not anchors:
        return out
    u = np.array([a.u for a in anchors], np.int64)
    v = np.array([a.v for a in anchors], np.int64)
    f = np.array([a.f for a in anchors])
    edges = np.array([k for a in anchors for k in (a.fwd, a.back)], np.int64)
    arrive = r.router.partial_costs(edges, "arrive", r.profile, r.overlay)
    with np.errstate(invalid="ignore"):
        from_u = np.where(f > 0, f * arrive[0::2], 0.0)
        from_v = np.where(1.0 - f > 0, (1.0 - f) * arrive[1::2], 0.0)
        best = np.fmin(r.dist[u] + from_u, r.dist[v] + from_v)
    same_edge = np.flatnonzero([a.snap.edge_id == r.origin.snap.edge_id for a in anchors])
    for j in same_edge:
        best[j] = min(best[j], r.router.direct(r.origin, anchors[j], r.profile, r.overlay))
    np.minimum.at(out, owner, np.nan_to_num(best, nan=np.inf))
    return out


def reachable(r: Reach, targets: Targets, limit_s: float) -> list[tuple[int, float]]:
    """(target index, seconds) of every target reachable within ``limit_s``, soonest first."""
    times = arrival_s(r, targets)
    inside = np.flatnonzero(times <= limit_s)
    order = inside[np.argsort(times[inside], kind="stable")]
    return [(int(i), float(times[i])) for i in order]


def nearest(r: Reach, targets: Targets, *, category: str | None = None, k: int = 5,
            wheelchair: tuple[str, ...] | None = None) -> list[tuple[int, float]]:
    """(target index, seconds) of the ``k`` targets of ``category`` (and of one of the ``wheelchair`` access
    values) with the earliest arrival (unreachable ones last, with ``inf``)."""
    chosen = targets.select(category, wheelchair)
    times = arrival_s(r, targets, chosen)
    order = np.argsort(times, kind="stable")[:k]
    return [(int(chosen[j]), float(times[j])) for j in order]
