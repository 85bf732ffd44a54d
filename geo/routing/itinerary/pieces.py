"""The pieces of a route as parallel arrays, with their geometry in lon/lat and the route line."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import shapely
import shapely.ops

from geo.network.model import EdgeArrays, Network
from geo.routing.router import Route

#: A piece this close to its edge's head counts as reaching the head node (fraction of the edge).
HEAD_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Pieces:
    """One element per piece of the route: the directed edge travelled and from which to which fraction."""

    k: np.ndarray  # directed edge
    eid: np.ndarray  # undirected edge
    t0: np.ndarray
    t1: np.ndarray
    length_m: np.ndarray
    cost_s: np.ndarray
    reaches_head: np.ndarray  # the piece ends at its edge's head node (passes the node's kerb, barrier …)
    edges: EdgeArrays  # the directed-edge attributes of the pieces
    coords: list[np.ndarray]  # lon/lat points of each piece, in the direction of travel
    line: np.ndarray  # the whole route line, lon/lat

    def __len__(self) -> int:
        return len(self.k)

    @functools.cached_property
    def heads(self) -> np.ndarray:
        """The first two points of every piece, (n, 2, 2)."""
        return np.array([c[:2] for c in self.coords]).reshape(-1, 2, 2)

    @functools.cached_property
    def tails(self) -> np.ndarray:
        """The last two points of every piece, (n, 2, 2)."""
        return np.array([c[-2:] for c in self.coords]).reshape(-1, 2, 2)

    @property
    def start(self) -> np.ndarray:
        """The first point of every piece, (n, 2)."""
        return self.heads[:, 0]

    @property
    def end(self) -> np.ndarray:
        """The last point of every piece, (n, 2)."""
        return self.tails[:, 1]

    @property
    def cumulative_m(self) -> np.ndarray:
        """Distance from the start at the end of every piece."""
        return np.cumsum(self.length_m)


def _cut(net: Network, eid: int, forward: bool, t0: float, t1: float) -> np.ndarray:
    """The part of an edge between two fractions of its length (as the router measures them), lon/lat.

    Cut in lon/lat with longitudes scaled by cos(latitude): over one edge that keeps the proportions of
    metric length to well under a millimetre per hundred metres, without a projection per request."""
    lonlat = shapely.get_coordinates(net.edge_col("geometry")[eid])
    if not forward:
        lonlat = lonlat[::-1]
    scale = np.cos(np.radians(lonlat[:, 1].mean()))
    line = shapely.LineString(lonlat * [scale, 1.0])
    xy = shapely.get_coordinates(shapely.ops.substring(line, t0, t1, normalized=True))
    if len(xy) == 0:
        xy = shapely.get_coordinates(line)[:1]
    return xy / [scale, 1.0]


def pieces_of(route: Route, net: Network, arrays: EdgeArrays | None = None) -> Pieces:
    """The route's pieces as arrays; whole edges take their stored geometry, partial ones are cut. Their
    attributes come from ``arrays`` (the network's with verified values laid over them) when given."""
    a = net.arrays if arrays is None else arrays
    k = np.array([p.edge for p in route.pieces], dtype=np.int64)
    t0 = np.array([p.t0 for p in route.pieces], dtype=float)
    t1 = np.array([p.t1 for p in route.pieces], dtype=float)
    eid = a.edge_id[k].astype(np.int64)
    forward = a.forward[k]
    whole = (t0 <= 0.0) & (t1 >= 1.0)
    coords: list[np.ndarray] = [np.zeros((0, 2))] * len(k)
    if whole.any():
        geoms = net.edge_col("geometry")[eid[whole]]
        geoms = np.where(forward[whole], geoms, shapely.reverse(geoms))
        xy, owner = shapely.get_coordinates(geoms, return_index=True)
        cuts = [0, *(np.flatnonzero(np.diff(owner)) + 1).tolist(), len(xy)]
        for i, lo, hi in zip(np.flatnonzero(whole).tolist(), cuts[:-1], cuts[1:], strict=True):
            coords[i] = xy[lo:hi]
    for i in np.flatnonzero(~whole):
        coords[i] = _cut(net, int(eid[i]), bool(forward[i]), float(t0[i]), float(t1[i]))
    coords = [c if len(c) >= 2 else np.repeat(c[:1], 2, axis=0) for c in coords]
    return Pieces(
        k=k, eid=eid, t0=t0, t1=t1, length_m=a.length_m[k] * (t1 - t0),
        cost_s=np.array([p.cost_s for p in route.pieces], dtype=float),
        reaches_head=t1 >= 1.0 - HEAD_TOLERANCE, edges=a.take(k), coords=coords, line=_join(coords, route),
    )


def _join(coords: list[np.ndarray], route: Route) -> np.ndarray:
    """One line through every piece (a point shared by two pieces once), at least two points."""
    if not coords:
        o = route.origin.snap
        return np.array([[o.lon, o.lat], [o.lon, o.lat]])
    xy = np.concatenate(coords)
    first = np.zeros(len(xy), bool)
    first[np.cumsum([0, *[len(c) for c in coords[:-1]]])] = True
    repeat = np.zeros(len(xy), bool)
    repeat[1:] = first[1:] & np.all(xy[1:] == xy[:-1], axis=1)
    line = xy[~repeat]
    return line if len(line) >= 2 else np.repeat(line[:1], 2, axis=0)
