"""Which limits a route could actually check: for each limit of the profile, how much of the route (its length,
or its crossings and kerbs) has the attribute the limit is about.

An unknown value never closes an edge (``docs/profiles.md``), so a route found under a 0 cm kerb limit may still
cross kerbs of unknown height; a :class:`LimitCheck` says so plainly: "crossings with a known kerb height: 0 of
7". Texts come from the catalogue (``route.check.*``), see :mod:`geo.routing.itinerary.text`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from geo.network.model import Network
from geo.routing.itinerary.metrics import known_flags
from geo.routing.itinerary.pieces import Pieces
from geo.routing.profiles import Profile


@dataclass(frozen=True)
class LimitCheck:
    """How much of a route a limit could be checked on."""

    limit: str  # the request parameter (``max_kerb_cm`` …) or ``surface`` (the profile's surfaces)
    attribute: str  # ``incline``, ``kerb``, ``width``, ``surface``
    unit: str  # ``m`` (of length) or ``points`` (crossings and kerbs)
    known: float
    total: float
    value: float | None  # the limit's value (``None`` for surfaces)
    active: bool  # the profile sets this limit

    @property
    def share(self) -> float:
        """The checked share (1 when there is nothing to check)."""
        return self.known / self.total if self.total > 0 else 1.0

    @property
    def complete(self) -> bool:
        """Whether the limit was checked everywhere on the route."""
        return self.known >= self.total - 1e-6

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for the route answer."""
        return {"limit": self.limit, "attribute": self.attribute, "unit": self.unit,
                "known": round(self.known, 1), "total": round(self.total, 1), "share": round(self.share, 3),
                "value": self.value, "active": self.active, "complete": self.complete}


@dataclass
class KerbPoint:
    """A crossing (a crossing way or node) or a kerb met on a route."""

    first: int  # the first piece at it
    known: bool  # its kerb height is known
    crossing: bool


def kerb_points(p: Pieces, net: Network) -> dict[tuple[str, int], KerbPoint]:
    """The crossings (each crossing way or crossing node once) and the kerbs met on a route, by way or node."""
    e = p.edges
    crossing_way = net.edge_col("is_crossing")[p.eid].astype(bool)
    way_ids = net.edge_col("osm_way_id")[p.eid].tolist()
    tagged = net.node_col("kerb_tagged").astype(bool)[e.dst]
    points: dict[tuple[str, int], KerbPoint] = {}
    for i, (is_cross, on_way, head, kerb_node, known) in enumerate(zip(
            e.is_crossing.tolist(), crossing_way.tolist(), p.reaches_head.tolist(), tagged.tolist(),
            e.kerb_known.tolist(), strict=True)):
        if on_way:
            key = ("way", int(way_ids[i]))
        elif head and (is_cross or kerb_node):
            key = ("node", int(e.dst[i]))
        else:
            continue
        point = points.setdefault(key, KerbPoint(i, True, bool(on_way or is_cross)))
        point.known &= bool(known)
    return points


def limit_checks(p: Pieces, net: Network, profile: Profile) -> list[LimitCheck]:
    """The check of every limit on a route (each says whether the profile sets it)."""
    length = p.length_m
    total = float(length.sum())
    known = known_flags(p)

    def along(flag: np.ndarray) -> float:
        return float(length[flag].sum())

    points = kerb_points(p, net)
    kerb_known = sum(pt.known for pt in points.values())
    return [
        LimitCheck("max_uphill_pct", "incline", "m", along(known["incline"]), total, _finite(profile.max_uphill_pct),
                   math.isfinite(profile.max_uphill_pct)),
        LimitCheck("max_downhill_pct", "incline", "m", along(known["incline"]), total,
                   _finite(profile.max_downhill_pct), math.isfinite(profile.max_downhill_pct)),
        LimitCheck("max_kerb_cm", "kerb", "points", float(kerb_known), float(len(points)),
                   _finite(profile.max_kerb_cm), math.isfinite(profile.max_kerb_cm)),
        LimitCheck("min_width_m", "width", "m", along(known["width"]), total, profile.min_width_m,
                   profile.min_width_m > 0),
        LimitCheck("surface", "surface", "m", along(known["surface"]), total, None, bool(profile.blocked_surfaces)),
    ]


def _finite(x: float) -> float | None:
    return None if math.isinf(x) else x
