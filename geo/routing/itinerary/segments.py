"""The route's pieces with their attributes, for tables and for checking a route piece by piece."""

from __future__ import annotations

from typing import Any

import numpy as np

from geo.network.attributes import SURFACE_CLASSES, SURFACE_VALUES
from geo.network.model import Network
from geo.routing.itinerary.metrics import known_flags
from geo.routing.itinerary.pieces import Pieces

_SURFACE_CLASSES = np.array(SURFACE_CLASSES, dtype=object)
_SURFACE_VALUES = np.array(SURFACE_VALUES, dtype=object)


def _rounded(x: np.ndarray, digits: int) -> list[float | None]:
    """Rounded values, ``None`` where unknown (NaN)."""
    x = np.round(x.astype(float), digits)
    return np.where(np.isnan(x), None, x).tolist()


def segments(p: Pieces, net: Network) -> list[dict[str, Any]]:
    """One record per piece: way, kind, length, time, incline, surface, width, kerb and which of them are known."""
    e = p.edges
    known = known_flags(p)
    rows = zip(
        net.edge_col("osm_way_id")[p.eid].astype(np.int64).tolist(), net.edge_col("highway")[p.eid].tolist(),
        net.edge_col("name")[p.eid].tolist(), np.round(p.length_m, 1).tolist(), np.round(p.cost_s, 1).tolist(),
        _rounded(e.incline_pct, 1), _rounded(e.up_pct, 1), _SURFACE_CLASSES[e.surface_class].tolist(),
        _SURFACE_VALUES[e.surface_code].tolist(), _rounded(e.width_m, 2), e.is_steps.tolist(),
        e.is_crossing.tolist(), e.is_elevator.tolist(), _rounded(e.kerb_cm, 1),
        known["surface"].tolist(), known["incline"].tolist(), known["width"].tolist(), known["kerb"].tolist(),
        strict=True)
    return [{"osm_way_id": way, "highway": highway, "name": name if isinstance(name, str) else None,
             "length_m": length, "duration_s": duration, "incline_pct": incline, "max_uphill_pct": up,
             "surface_class": surface_class, "surface": surface, "width_m": width, "is_steps": steps,
             "is_crossing": crossing, "is_elevator": elevator, "kerb_cm": kerb,
             "known": {"surface": k_surface, "incline": k_incline, "width": k_width, "kerb": k_kerb}}
            for (way, highway, name, length, duration, incline, up, surface_class, surface, width, steps, crossing,
                 elevator, kerb, k_surface, k_incline, k_width, k_kerb) in rows]
