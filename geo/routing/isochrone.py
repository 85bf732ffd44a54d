"""One-to-many: arrival times from one point to every node, the reached parts of edges, the isochrone.

:func:`reach` runs one ``scipy.sparse.csgraph.dijkstra`` from a snapped point with a time limit;
:func:`isochrone_polygon` turns the reached parts of edges into the area reachable in that time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
import shapely.geometry
import shapely.ops
from rasterio.features import shapes
from rasterio.transform import from_origin
from scipy import ndimage

from geo.routing.overlay import EMPTY_OVERLAY, Overlay
from geo.routing.profiles import Profile
from geo.routing.router import Anchor, Ends, Router


@dataclass
class Reach:
    """Result of a one-to-many search: node arrival times from one origin."""

    router: Router
    origin: Anchor
    origin_ends: Ends
    profile: Profile
    overlay: Overlay
    cost: np.ndarray
    dist: np.ndarray
    limit_s: float
    searched: int

    def reached_lines(self, limit_s: float) -> tuple[np.ndarray, np.ndarray]:
        """Metric geometries of the reached parts of edges and their directed edge indices."""
        net = self.router.net
        a = net.arrays
        t_src = self.dist[a.src]
        ok = (t_src < limit_s) & np.isfinite(self.cost)
        idx = np.flatnonzero(ok)
        frac = np.clip((limit_s - t_src[idx]) / np.maximum(self.cost[idx], 1e-9), 0.0, 1.0)
        geoms = net.edges_metric[a.edge_id[idx]]
        fwd = a.forward[idx]
        part = np.where(fwd, frac, 1.0 - frac)
        lines = geoms.copy()
        cut = frac < 1.0
        if cut.any():
            starts = np.where(fwd[cut], 0.0, part[cut])
            ends = np.where(fwd[cut], part[cut], 1.0)
            lines[cut] = [shapely.ops.substring(g, s, e, normalized=True)
                          for g, s, e in zip(geoms[cut], starts, ends, strict=True)]
        extra = self._origin_edge_parts(limit_s)
        if extra:
            lines = np.concatenate([lines, np.array(extra, dtype=object)])
        return lines, idx

    def _origin_edge_parts(self, limit_s: float) -> list[shapely.Geometry]:
        """The parts of the origin's own edge reachable directly from the snapped point."""
        o = self.origin
        line = self.router.net.edges_metric[o.snap.edge_id]
        out = []
        for edge, sign in ((o.fwd, 1), (o.back, -1)):
            c = self.cost[edge]
            if np.isfinite(c) and c > 0:
                reach_frac = min(1.0, limit_s / c)
                lo, hi = (o.f, min(1.0, o.f + reach_frac)) if sign > 0 else (max(0.0, o.f - reach_frac), o.f)
                if hi > lo:
                    out.append(shapely.ops.substring(line, lo, hi, normalized=True))
        return out


def reach(router: Router, origin: tuple[float, float], profile: Profile, *, limit_s: float = np.inf,
          overlay: Overlay = EMPTY_OVERLAY) -> Reach:
    """One search from ``origin`` (lon, lat): arrival times at every node within ``limit_s``."""
    o = router.anchor(*origin, profile, overlay)
    cost = router.costs(profile, overlay)
    oe = router.ends(o, profile, overlay)
    dist, searched = router.dijkstra_from(o, oe, cost, limit_s)
    return Reach(router, o, oe, profile, overlay, cost, dist, limit_s, searched)


def isochrone_polygon(r: Reach, limit_s: float, *, cell_m: float = 20.0) -> shapely.Geometry:
    """Area reachable within ``limit_s``, in lon/lat, traced from the reached parts of edges.

    The reached lines are sampled every half cell onto a grid, dilated by one cell (so the area
    hugs the streets, about ``cell_m`` either side), small enclosed holes are filled, and the
    grid is traced back into polygons.
    """
    lines, _ = r.reached_lines(limit_s)
    if len(lines) == 0:
        return shapely.Polygon()
    pts = shapely.get_coordinates(shapely.segmentize(lines, cell_m / 2))
    x0, y1 = pts[:, 0].min() - 3 * cell_m, pts[:, 1].max() + 3 * cell_m
    cols = int((pts[:, 0].max() + 3 * cell_m - x0) // cell_m) + 1
    rows = int((y1 - (pts[:, 1].min() - 3 * cell_m)) // cell_m) + 1
    grid = np.zeros((rows, cols), dtype=bool)
    grid[((y1 - pts[:, 1]) // cell_m).astype(int), ((pts[:, 0] - x0) // cell_m).astype(int)] = True
    grid = ndimage.binary_dilation(grid, structure=np.ones((3, 3), bool))
    holes = ndimage.binary_fill_holes(grid) & ~grid
    labels, n = ndimage.label(holes)
    if n:
        sizes = ndimage.sum(holes, labels, index=np.arange(1, n + 1))
        small = np.flatnonzero(sizes <= 25) + 1  # holes up to 25 cells (1 ha at 20 m) are filled
        grid |= np.isin(labels, small)
    transform = from_origin(x0, y1, cell_m, cell_m)
    polys = [shapely.geometry.shape(geom) for geom, val in shapes(grid.astype(np.uint8), mask=grid,
                                                                   transform=transform) if val == 1]
    area = shapely.union_all(polys).simplify(cell_m / 2)
    back = r.router.net.to_metric
    return shapely.transform(area, lambda xy: np.column_stack(back.transform(xy[:, 0], xy[:, 1],
                                                                             direction="INVERSE")))
