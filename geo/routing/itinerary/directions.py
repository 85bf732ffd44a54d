"""Turn-by-turn directions as data: legs of pieces on the same way, the manoeuvre into each, and the
obstacles met on it. :mod:`geo.routing.itinerary.text` puts them into words."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from geo.network.attributes import SURFACE_CLASSES
from geo.network.model import Network
from geo.routing.itinerary.pieces import Pieces
from geo.routing.itinerary.warnings import STEEP_PCT

#: ``highway`` value → how an unnamed way of that kind is called (``route.way.<kind>.*``).
HIGHWAY_KIND: dict[str, str] = {
    "footway": "footway", "path": "path", "pedestrian": "pedestrian", "living_street": "living_street",
    "service": "service", "track": "track", "cycleway": "cycleway", "bridleway": "path", "corridor": "corridor",
}
#: Kinds that are a leg of their own even when they continue one another.
SPECIAL_KINDS = ("steps", "elevator", "crossing")
_ROUGH = SURFACE_CLASSES.index("paved_rough")


@dataclass
class Direction:
    """One instruction: the manoeuvre, on what, how far, and what to watch for."""

    maneuver: str
    kind: str
    street: str | None
    distance_m: float
    location: list[float]
    obstacles: list[tuple[str, Any]] = field(default_factory=list)
    bearing: float = 0.0
    steps: dict[str, Any] | None = None


def bearing(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Compass bearings in degrees from lon/lat points ``p`` to ``q`` (arrays of shape (…, 2))."""
    lat = np.radians((p[..., 1] + q[..., 1]) / 2)
    return (np.degrees(np.arctan2((q[..., 0] - p[..., 0]) * np.cos(lat), q[..., 1] - p[..., 1])) + 360.0) % 360.0


def turn(delta: float) -> str:
    """The manoeuvre for a change of heading (degrees, negative = left)."""
    a, side = abs(delta), ("left" if delta < 0 else "right")
    if a < 25:
        return "straight"
    if a < 60:
        return f"slight_{side}"
    if a < 135:
        return side
    return f"sharp_{side}" if a < 170 else "uturn"


def _kinds(p: Pieces, net: Network) -> list[str]:
    e = p.edges
    highways = net.edge_col("highway")[p.eid].tolist()
    crossing = net.edge_col("is_crossing")[p.eid].astype(bool).tolist()
    elevator = net.edge_col("is_elevator")[p.eid].astype(bool).tolist()
    return ["steps" if s else "elevator" if el else "crossing" if c else HIGHWAY_KIND.get(str(h), "street")
            for s, el, c, h in zip(e.is_steps.tolist(), elevator, crossing, highways, strict=True)]


def _obstacles(p: Pieces, net: Network) -> list[list[tuple[str, Any]]]:
    """Per piece, the obstacles met on it (in the order of the direction's text)."""
    e = p.edges
    kerb = e.kerb_cm.astype(float)
    up = e.up_pct.astype(float)
    barrier_names = net.node_col("barrier")[e.dst]
    out: list[list[tuple[str, Any]]] = []
    for i, (head, kb, u, sc, sk, bc) in enumerate(zip(
            p.reaches_head.tolist(), kerb.tolist(), up.tolist(), e.surface_class.tolist(), e.surface_known.tolist(),
            e.barrier_class.tolist(), strict=True)):
        items: list[tuple[str, Any]] = []
        if head and kb > 0:
            items.append(("kerb", round(kb, 1)))
        if u > STEEP_PCT:
            items.append(("uphill", round(u, 1)))
        if sc == _ROUGH:
            items.append(("rough_surface", None))
        if not sk:
            items.append(("unknown_surface", None))
        if head and bc > 0:
            name = barrier_names[i]
            items.append(("barrier", name if isinstance(name, str) and name else "yes"))
        out.append(items)
    return out


def _steps_info(p: Pieces, net: Network, first: int) -> dict[str, Any]:
    e = p.edges
    n = float(e.step_count[first])
    sign = float(net.edge_col("incline_sign")[p.eid[first]]) * (1.0 if e.forward[first] else -1.0)
    ramp = "ramp_wheelchair" if e.ramp_wheelchair[first] else "ramp_stroller" if e.ramp_stroller[first] else None
    return {"count": None if math.isnan(n) else int(n), "ramp": ramp,
            "direction": "up" if sign > 0 else "down" if sign < 0 else None}


def directions(p: Pieces, net: Network) -> list[Direction]:
    """Directions from the first piece to arrival."""
    if len(p) == 0:
        return []
    kinds = _kinds(p, net)
    names = [n if isinstance(n, str) and n else None for n in net.edge_col("name")[p.eid].tolist()]
    ways = net.edge_col("osm_way_id")[p.eid].tolist()
    keys = [(k, ways[i] if k in SPECIAL_KINDS else names[i]) for i, k in enumerate(kinds)]
    starts = [0, *(i for i in range(1, len(keys)) if keys[i] != keys[i - 1])]
    ends = [*starts[1:], len(keys)]
    lengths = np.add.reduceat(p.length_m, starts).tolist()
    obstacles = _obstacles(p, net)
    first = np.array(starts)
    last = np.array(ends) - 1
    start_b = bearing(p.heads[first, 0], p.heads[first, 1]).tolist()
    end_b = bearing(p.tails[last, 0], p.tails[last, 1]).tolist()
    where = np.round(p.start[first], 7).tolist()
    out: list[Direction] = []
    for j, (s, e, length) in enumerate(zip(starts, ends, lengths, strict=True)):
        maneuver = "depart" if j == 0 else turn((start_b[j] - end_b[j - 1] + 540.0) % 360.0 - 180.0)
        met = list(dict.fromkeys(o for i in range(s, e) for o in obstacles[i]))
        out.append(Direction(maneuver, kinds[s], names[s], round(length, 1), where[j], met,
                             start_b[j], _steps_info(p, net, s) if kinds[s] == "steps" else None))
    out.append(Direction("arrive", "arrive", None, 0.0, np.round(p.coords[-1][-1], 7).tolist()))
    return out
