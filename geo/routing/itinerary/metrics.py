"""Route figures: length, climb and descent, steepest stretches, verified share, surfaces, elevation profile.

Climb, descent and the elevation profile come from one line: the terrain heights met along the route
(the network's dense samples along every edge, :class:`~geo.network.heights.EdgeHeights`), in whole
centimetres. The profile keeps the points where the line turns from rising to falling (and back), the
ends of every known stretch and the points that give it its shape, so the rise of the profile is the rise
of all the samples: ``climb_m`` is exactly the profile's total rise, ``descent_m`` its total fall. Bridges
and tunnels have no samples (the line runs straight between their ends); a stretch off the DEM is
unknown (``None`` in the profile) and adds nothing. A route with no terrain heights at all (a network
built without a DEM) climbs by the net grades of its edges.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from geo.network.attributes import SURFACE_CLASSES
from geo.network.model import Network
from geo.routing.itinerary.pieces import Pieces

#: Vertical tolerance of the points kept for the profile's shape (metres; the turning points are always kept).
PROFILE_TOLERANCE_M = 0.2


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


@dataclass(frozen=True)
class HeightLine:
    """Terrain heights along a route: distance from the start (m) and height in whole centimetres (NaN unknown)."""

    distance_m: np.ndarray
    z_cm: np.ndarray

    @property
    def known(self) -> bool:
        """Whether any height along the route is known."""
        return bool(np.isfinite(self.z_cm).any())

    def rise_m(self, sign: float = 1.0) -> float:
        """Total rise (``sign=-1``: total fall) between consecutive known heights."""
        dz = np.diff(self.z_cm) * sign
        return float(np.sum(dz[dz > 0])) / 100.0


def height_line(p: Pieces, net: Network) -> HeightLine:
    """The terrain heights met along the route (each piece's samples and ends; an end shared by two pieces
    once), thinned to the points that keep its rise and shape."""
    piece, dist, z = net.heights.along(p.eid, p.edges.forward, p.t0, p.t1, net.edge_col("length_m")[p.eid])
    starts = p.cumulative_m - p.length_m
    joined = np.zeros(len(piece), bool)  # the start of a piece that repeats the end of the piece before
    joined[1:] = (piece[1:] != piece[:-1]) & (piece[1:] == piece[:-1] + 1)
    keep = ~joined
    return _thin(starts[piece[keep]] + dist[keep], np.round(z[keep] * 100.0))


def _thin(d: np.ndarray, z: np.ndarray) -> HeightLine:
    """Keep the turning points, the ends of known stretches, the first point of unknown ones and the points
    Douglas–Peucker keeps for the shape: every dropped point lies on a monotone stretch between kept ones."""
    n = len(z)
    known = np.isfinite(z)
    before = np.concatenate([[False], known[:-1]])
    after = np.concatenate([known[1:], [False]])
    keep = (known & ~(before & after)) | (~known & np.concatenate([[True], known[:-1]]))
    if n > 2:
        sign = np.sign(np.nan_to_num(np.diff(z)))
        last = np.maximum.accumulate(np.where(sign != 0, np.arange(n - 1), 0))
        held = sign[last]  # the direction of the last change so far (a plateau keeps it)
        keep[1:-1] |= held[:-1] != held[1:]
    runs = np.flatnonzero(np.diff(np.concatenate([[0], known.astype(np.int8), [0]])))
    for lo, hi in zip(runs[::2], runs[1::2], strict=True):
        if hi - lo > 2:
            line = shapely.LineString(np.column_stack([d[lo:hi], z[lo:hi] / 100.0]))
            shape = shapely.get_coordinates(shapely.simplify(line, PROFILE_TOLERANCE_M, preserve_topology=False))
            keep[lo + np.clip(np.searchsorted(d[lo:hi], shape[:, 0]), 0, hi - lo - 1)] = True
    return HeightLine(d[keep], z[keep])


def _nanmax_or_none(x: np.ndarray) -> float | None:
    x = x[~np.isnan(x)]
    return float(x.max()) if len(x) else None


def known_flags(p: Pieces) -> dict[str, np.ndarray]:
    """Per attribute, whether each piece's value is known."""
    e = p.edges
    return {"surface": e.surface_known, "incline": e.incline_known, "width": e.width_known, "kerb": e.kerb_known}


def metrics(p: Pieces, line: HeightLine) -> Metrics:
    """Length, climb and descent (the rise and fall of the height line, else of each piece's net incline),
    steepest climb and descent, the share of the length whose surface, incline, width and kerbs are all known,
    metres per surface class and per unknown attribute."""
    e = p.edges
    length = p.length_m
    total = float(length.sum())
    known = known_flags(p)
    all_known = np.logical_and.reduce(list(known.values())) if len(p) else np.zeros(0, bool)
    by_class = np.bincount(e.surface_class.astype(np.int64), weights=length, minlength=len(SURFACE_CLASSES))
    if line.known:
        climb, descent = line.rise_m(), line.rise_m(-1.0)
    else:
        inc = np.nan_to_num(e.incline_pct.astype(float), nan=0.0)
        climb = float(np.sum(np.maximum(inc, 0.0) * length) / 100.0)
        descent = float(np.sum(np.maximum(-inc, 0.0) * length) / 100.0)
    return Metrics(
        length_m=total,
        climb_m=climb,
        descent_m=descent,
        max_incline_pct=_nanmax_or_none(e.up_pct.astype(float)),
        max_decline_pct=_nanmax_or_none(e.down_pct.astype(float)),
        verified_share=float(length[all_known].sum() / total) if total > 0 else 1.0,
        surfaces={c: float(v) for c, v in zip(SURFACE_CLASSES, by_class, strict=True) if v > 0},
        unknown_m={key: float(length[~ok].sum()) for key, ok in known.items()},
    )


def elevation_profile(p: Pieces, line: HeightLine) -> list[list[float | None]]:
    """``[distance_m, elevation_m or None]`` along the height line; without terrain heights, ``None`` at the
    start and at the end of every piece."""
    if len(p) == 0:
        return []
    if not line.known:
        return [[d, None] for d in [0.0, *np.round(p.cumulative_m, 1).tolist()]]
    heights = np.where(np.isnan(line.z_cm), None, np.round(line.z_cm / 100.0, 2)).tolist()
    return [[d, z] for d, z in zip(np.round(line.distance_m, 1).tolist(), heights, strict=True)]
