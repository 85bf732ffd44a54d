"""Real terrain for tests: momepy's 1 m DTM of Prague-Bubeneč (S-JTSK), its streets, and hand-made ways.

The ways are placed on stretches of that terrain found by looking at it: a flat approach, a ramp of
about 8.5 % cut into 4 m edges by side paths, and a flat exit (``RAMP``); a 40 m line with a 5 m
stretch of about 20 % inside it (``STEP``); a path that bends far from its two nodes (``BULGE``).
:class:`HandDtm` reads the raster and interpolates it bilinearly with plain arithmetic, independently of
the code under test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import rasterio
from pyproj import Transformer

SJTSK = "EPSG:5514"


def gpkg_path() -> str:
    """momepy's Bubeneč GeoPackage (streets, buildings, the DTM)."""
    import momepy

    return str(momepy.datasets.get_path("bubenec"))


def dtm_path() -> str:
    """The GDAL path of the Bubeneč DTM inside momepy's GeoPackage."""
    return f"GPKG:{gpkg_path()}:dtm"


def streets_to_osm(out: Path) -> Path:
    """Write momepy's Bubeneč street lines (no tags) as OSM footways, sharing end nodes."""
    import geopandas as gpd

    streets = gpd.read_file(gpkg_path(), layer="streets").to_crs("EPSG:4326")
    ids: dict[tuple[float, float], int] = {}
    nodes, ways = [], []
    for w, line in enumerate(streets.geometry, start=1):
        refs = []
        for x, y in line.coords:
            key = (round(x, 7), round(y, 7))
            if key not in ids:
                ids[key] = len(ids) + 1
                nodes.append(f'<node id="{ids[key]}" lat="{key[1]}" lon="{key[0]}"/>')
            refs.append(f'<nd ref="{ids[key]}"/>')
        ways.append(f'<way id="{w}">{"".join(refs)}<tag k="highway" v="footway"/></way>')
    out.write_text('<?xml version="1.0"?><osm version="0.6">' + "".join(nodes) + "".join(ways) + "</osm>")
    return out


class HandDtm:
    """The whole raster in memory and a bilinear interpolation written out by hand."""

    def __init__(self, path: str) -> None:
        with rasterio.open(path) as src:
            self.values = src.read(1).astype(float)
            self.transform = src.transform

    def z(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Height at S-JTSK points (pixel centres at .5)."""
        col, row = ~self.transform @ (np.asarray(x, float), np.asarray(y, float))
        col, row = np.asarray(col) - 0.5, np.asarray(row) - 0.5
        c0, r0 = np.floor(col).astype(int), np.floor(row).astype(int)
        fc, fr = col - c0, row - r0
        v = self.values
        return (v[r0, c0] * (1 - fc) * (1 - fr) + v[r0, c0 + 1] * fc * (1 - fr)
                + v[r0 + 1, c0] * (1 - fc) * fr + v[r0 + 1, c0 + 1] * fc * fr)


@dataclass(frozen=True)
class Line:
    """A straight line on the terrain: start (S-JTSK) and direction (radians from east)."""

    x0: float
    y0: float
    angle: float

    def at(self, s: np.ndarray | float, offset: np.ndarray | float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """Points ``s`` metres along the line, ``offset`` metres to its left."""
        s, offset = np.asarray(s, float), np.asarray(offset, float)
        c, d = math.cos(self.angle), math.sin(self.angle)
        return self.x0 + s * c - offset * d, self.y0 + s * d + offset * c

    def position(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """How far along the line points lie (projected onto it)."""
        return (np.asarray(x) - self.x0) * math.cos(self.angle) + (np.asarray(y) - self.y0) * math.sin(self.angle)

    def grade(self, dtm: HandDtm, a: float, b: float) -> float:
        """Grade (%) from ``a`` to ``b`` metres along the line."""
        za, zb = dtm.z(*self.at([a, b]))
        return float((zb - za) / (b - a) * 100.0)


#: Flat 20 m, a ramp of ~8.5 % from 20 to 32 m (three 4 m edges between side paths), flat to 52 m.
RAMP = Line(-744101.9479, -1041179.2764, 2.3115)
RAMP_NODES = (0.0, 20.0, 24.0, 28.0, 32.0, 52.0)
#: A 40 m line with a ~20 % stretch from 18 to 23 m; elsewhere under 5 %.
STEP = Line(-743907.7320, -1040965.4400, 2.6990)
#: A path whose nodes are 4 m apart but which bends 60 m away from them, north of every other node.
BULGE = Line(-743700.0, -1040960.0, 0.0)


@dataclass
class Ways:
    """OSM ways given in S-JTSK, written as OSM XML (a node per distinct point)."""

    nodes: dict[tuple[float, float], int] = field(default_factory=dict)
    ways: list[str] = field(default_factory=list)
    to_ll: Transformer = field(default_factory=lambda: Transformer.from_crs(SJTSK, "EPSG:4326", always_xy=True))

    def add(self, way_id: int, xs: np.ndarray, ys: np.ndarray, **tags: str) -> None:
        """A way through the points, with ``highway=footway`` unless tagged otherwise."""
        refs = []
        for x, y in zip(np.atleast_1d(xs), np.atleast_1d(ys), strict=True):
            key = (round(float(x), 3), round(float(y), 3))
            self.nodes.setdefault(key, len(self.nodes) + 1)
            refs.append(f'<nd ref="{self.nodes[key]}"/>')
        tags = {"highway": "footway", **tags}
        self.ways.append(f'<way id="{way_id}">{"".join(refs)}'
                         + "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items()) + "</way>")

    def write(self, path: Path) -> Path:
        """The OSM XML file."""
        nodes = []
        for (x, y), i in self.nodes.items():
            lon, lat = self.to_ll.transform(x, y)
            nodes.append(f'<node id="{i}" lat="{lat:.9f}" lon="{lon:.9f}"/>')
        path.write_text('<?xml version="1.0"?><osm version="0.6">' + "".join(nodes) + "".join(self.ways) + "</osm>")
        return path


def terrain_ways(path: Path) -> Path:
    """The hand-made ways: way 1 the ramp (side paths 11–14), 2 the step, 3 the bulge, 4/5 incline=up/down
    drawn uphill beside the ramp, 6 a way running off the DEM, 7 a bridge over the ramp's slope."""
    w = Ways()
    w.add(1, *RAMP.at(RAMP_NODES))
    for k, s in enumerate(RAMP_NODES[1:-1], start=11):
        w.add(k, *RAMP.at([s, s], [0.0, -8.0]))
    w.add(2, *STEP.at([0.0, 40.0]))
    bend = np.linspace(0.0, math.pi, 25)
    w.add(3, BULGE.x0 + 2.0 - 2.0 * np.cos(bend), BULGE.y0 + 60.0 * np.sin(bend))
    w.add(4, *RAMP.at([20.0, 32.0], 6.0), incline="up")
    w.add(5, *RAMP.at([20.0, 32.0], 9.0), incline="down")
    w.add(6, [-743600.0, -743540.0], [-1041000.0, -1041000.0])
    w.add(7, *RAMP.at([20.0, 32.0], 12.0), bridge="yes")
    return w.write(path)


def hand_grades(dtm: HandDtm, xs: np.ndarray, ys: np.ndarray, window_m: float = 10.0
                ) -> tuple[float, float, float]:
    """``(net, steepest up, steepest down)`` grade (%) of a polyline (S-JTSK): windows of ``window_m``
    centred every metre along it, shifted to stay on it."""
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    cum = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(xs), np.diff(ys)))])
    length = cum[-1]

    def z(s: np.ndarray) -> np.ndarray:
        return dtm.z(np.interp(s, cum, xs), np.interp(s, cum, ys))

    w = min(window_m, length)
    a = np.clip(np.append(np.arange(0.0, length, 1.0), length) - w / 2, 0.0, length - w)
    slid = (z(a + w) - z(a)) / w * 100.0
    net = float((z(np.array([length])) - z(np.array([0.0])))[0] / length * 100.0)
    return net, max(float(slid.max()), net, 0.0), max(float(-slid.min()), -net, 0.0)
