"""Route figures: length, climb and descent, steepest stretches, verified share, surfaces, elevation profile."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geo.network.attributes import SURFACE_CLASSES
from geo.network.model import Network
from geo.routing.itinerary.pieces import Pieces


@dataclass(frozen=True)
class Metrics:
    """The summary figures of a route."""

    length_m: float
    climb_m: float
    descent_m: float
    max_incline_pct: float | None
    max_decline_pct: float | None
    verified_share: float
    surfaces: dict[str, float]
    unknown_m: dict[str, float]


def _nanmax_or_none(x: np.ndarray) -> float | None:
    x = x[~np.isnan(x)]
    return float(x.max()) if len(x) else None


def known_flags(p: Pieces) -> dict[str, np.ndarray]:
    """Per attribute, whether each piece's value is known."""
    e = p.edges
    return {"surface": e.surface_known, "incline": e.incline_known, "width": e.width_known, "kerb": e.kerb_known}


def metrics(p: Pieces) -> Metrics:
    """Length, climb (from each piece's net incline), steepest climb and descent, the share of the length
    whose surface, incline, width and kerbs are all known, metres per surface class and per unknown attribute."""
    e = p.edges
    length = p.length_m
    total = float(length.sum())
    inc = np.nan_to_num(e.incline_pct.astype(float), nan=0.0)
    known = known_flags(p)
    all_known = np.logical_and.reduce(list(known.values())) if len(p) else np.zeros(0, bool)
    by_class = np.bincount(e.surface_class.astype(np.int64), weights=length, minlength=len(SURFACE_CLASSES))
    return Metrics(
        length_m=total,
        climb_m=float(np.sum(np.maximum(inc, 0.0) * length) / 100.0),
        descent_m=float(np.sum(np.maximum(-inc, 0.0) * length) / 100.0),
        max_incline_pct=_nanmax_or_none(e.up_pct.astype(float)),
        max_decline_pct=_nanmax_or_none(e.down_pct.astype(float)),
        verified_share=float(length[all_known].sum() / total) if total > 0 else 1.0,
        surfaces={c: float(v) for c, v in zip(SURFACE_CLASSES, by_class, strict=True) if v > 0},
        unknown_m={key: float(length[~ok].sum()) for key, ok in known.items()},
    )


def elevation_profile(p: Pieces, net: Network) -> list[list[float | None]]:
    """``[distance_m, elevation_m or None]`` at the start and at the end of every piece."""
    elev = np.asarray(net.node_col("elevation_m"), dtype=float)
    if len(p) == 0:
        return []
    e = p.edges
    z_src, z_dst = elev[e.src], elev[e.dst]
    z0 = z_src[0] + p.t0[0] * (z_dst[0] - z_src[0])
    z = z_src + p.t1 * (z_dst - z_src)
    dist = [0.0, *np.round(p.cumulative_m, 1).tolist()]
    zs = np.round(np.concatenate([[z0], z]), 1)
    heights = np.where(np.isnan(zs), None, zs).tolist()
    return [[d, v] for d, v in zip(dist, heights, strict=True)]
