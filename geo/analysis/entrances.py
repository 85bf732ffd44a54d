"""A home's own entrance: step-free, limited, with steps or unknown — from OSM entrance nodes on its outline.

An entrance is an OSM node with ``entrance=*`` (``entrance=no`` excluded) lying on a building's outline (within
:data:`ON_OUTLINE_M`). Each is judged by its ``wheelchair`` tag: ``yes`` / ``designated`` → ``step_free``,
``limited`` → ``limited``, ``no`` → ``steps``; anything else is ``unknown``. A building is

* ``step_free`` when at least one entrance is step-free (a person uses that one),
* else ``limited`` when one is limited,
* else ``steps`` when it has entrances and every one of them has steps,
* else ``unknown`` (no entrance mapped, or some without a ``wheelchair`` tag).

A city flat's own record wins where it states the step at its entrance (``entrance_step_cm``: 0 → step-free,
more → steps), with the record's sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.network.model import Network

STATUSES: tuple[str, ...] = ("step_free", "limited", "steps", "unknown")
#: An entrance node this close to a building's outline (metres) belongs to it.
ON_OUTLINE_M = 1.0
#: A point this close to a building (metres) counts as that building's, when it is inside none.
NEAR_BUILDING_M = 5.0
_WHEELCHAIR = {"yes": "step_free", "designated": "step_free", "limited": "limited", "no": "steps"}


def entrance_status(wheelchair: object) -> str:
    """One entrance's status from its ``wheelchair`` tag."""
    return _WHEELCHAIR.get(str(wheelchair).strip().lower(), "unknown") if isinstance(wheelchair, str) else "unknown"


def combined_status(statuses: list[str]) -> str:
    """A building's status from the statuses of its entrances (see the module text)."""
    for best in ("step_free", "limited"):
        if best in statuses:
            return best
    return "steps" if statuses and all(s == "steps" for s in statuses) else "unknown"


def _text(frame: pd.DataFrame, col: str) -> pd.Series:
    if col in frame:
        return frame[col].astype(object).where(frame[col].notna(), None)
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


@dataclass
class Buildings:
    """The buildings of a network (metric outlines, ids ``way/123``, addresses) with their entrances."""

    ids: np.ndarray
    addresses: np.ndarray
    outlines: np.ndarray
    tree: shapely.STRtree
    #: per building: the list of its entrances (``osm_id``, ``lon``, ``lat``, ``entrance``, ``wheelchair``, ``status``)
    entrances: list[list[dict[str, Any]]]
    net: Network

    @classmethod
    def of(cls, net: Network) -> Buildings:
        """Index the network's buildings and attach every entrance node on an outline."""
        b = net.buildings
        if b.empty:
            e = np.zeros(0, dtype=object)
            return cls(e, e, e, shapely.STRtree([]), [], net)
        outlines = b.geometry.to_crs(net.crs_metric).to_numpy()
        element = _text(b, "element").fillna("way")
        ids = np.array([f"{t}/{i}" for t, i in zip(element, b["osmid"], strict=True)], dtype=object)
        addresses = (_text(b, "addr:street").fillna("") + " " + _text(b, "addr:housenumber").fillna("")).str.strip()
        tree = shapely.STRtree(outlines)
        return cls(ids, addresses.to_numpy(object), outlines, tree, _entrances(net, outlines, tree), net)

    def __len__(self) -> int:
        return len(self.ids)

    def status(self, rows: list[int]) -> dict[str, Any]:
        """The entrance of the buildings ``rows`` together (a home in several buildings): status, counts, list."""
        found = [e for r in rows for e in self.entrances[r]]
        statuses = [e["status"] for e in found]
        return {"status": combined_status(statuses), "source": "osm" if found else None,
                "counts": {s: statuses.count(s) for s in STATUSES}, "entrances": found}

    def statuses(self) -> np.ndarray:
        """Every building's entrance status (for many homes at once)."""
        return np.array([combined_status([e["status"] for e in es]) for es in self.entrances], dtype=object)

    def at(self, lon: float, lat: float) -> int | None:
        """The building at a point (inside it, else the nearest within :data:`NEAR_BUILDING_M`), or ``None``."""
        if not len(self):
            return None
        x, y = self.net.to_metric.transform(lon, lat)
        pt = shapely.Point(x, y)
        inside = self.tree.query(pt, predicate="within")
        if len(inside):
            return int(np.sort(inside)[0])
        near, dist = self.tree.query_nearest(pt, max_distance=NEAR_BUILDING_M, return_distance=True)
        return int(near[np.argmin(dist)]) if len(near) else None

    def rows_of(self, ids: list[str]) -> list[int]:
        """The rows of buildings by id (``way/123``); unknown ids are skipped."""
        where = {str(i): k for k, i in enumerate(self.ids)}
        return [where[i] for i in ids if i in where]


def _entrances(net: Network, outlines: np.ndarray, tree: shapely.STRtree) -> list[list[dict[str, Any]]]:
    out: list[list[dict[str, Any]]] = [[] for _ in range(len(outlines))]
    pois = net.pois
    if pois.empty or "entrance" not in pois:
        return out
    kind = _text(pois, "entrance")
    nodes = pois[(kind.notna() & kind.ne("no")).to_numpy(bool) & pois.geometry.geom_type.eq("Point").to_numpy(bool)]
    if nodes.empty:
        return out
    pts = gpd.GeoSeries(nodes.geometry.to_numpy(), crs=nodes.crs).to_crs(net.crs_metric).to_numpy()
    which, rows = tree.query(pts, predicate="dwithin", distance=ON_OUTLINE_M)
    boundary = shapely.boundary(outlines[rows])
    on = shapely.distance(boundary, pts[which]) <= ON_OUTLINE_M
    element = _text(nodes, "element").fillna("node").tolist()
    osmid, wc, entrance = nodes["osmid"].tolist(), _text(nodes, "wheelchair").tolist(), kind[nodes.index].tolist()
    for i, r in zip(which[on].tolist(), rows[on].tolist(), strict=True):
        g = nodes.geometry.iloc[i]
        out[r].append({"osm_id": f"{element[i]}/{osmid[i]}", "lon": round(g.x, 7), "lat": round(g.y, 7),
                       "entrance": entrance[i], "wheelchair": wc[i], "status": entrance_status(wc[i])})
    return out


def flat_entrance(step_cm: object) -> str | None:
    """A flat record's entrance from its ``entrance_step_cm`` (``None`` when the record does not say)."""
    if step_cm is None or (isinstance(step_cm, float) and np.isnan(step_cm)):
        return None
    return "step_free" if float(step_cm) <= 0 else "steps"
