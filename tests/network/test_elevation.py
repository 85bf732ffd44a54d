"""Incline from a DEM: synthetic planes (exact answers) and the real 1 m DTM of Prague-Bubeneč."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from pyproj import Transformer
from rasterio.transform import from_origin

from geo.errors import DemError
from geo.network import pipeline
from geo.network.model import Network


def write_plane(path: Path, *, west: float, north: float, size_m: float, grade_north_pct: float,
                crs: str = "EPSG:32633", base_m: float = 300.0, px: float = 5.0) -> Path:
    """A GeoTIFF whose elevation rises ``grade_north_pct`` % towards the north."""
    n = int(size_m / px)
    rows = np.arange(n)[:, None]
    z = base_m + (n - 1 - rows) * px * grade_north_pct / 100.0
    z = np.repeat(z, n, axis=1).astype("float32")
    with rasterio.open(path, "w", driver="GTiff", width=n, height=n, count=1, dtype="float32", crs=crs,
                       transform=from_origin(west, north, px, px), nodata=-9999) as dst:
        dst.write(z, 1)
    return path


@pytest.fixture(scope="module")
def plane_dem(tmp_path_factory: pytest.TempPathFactory) -> Path:
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32633", always_xy=True)
    x, y = to_utm.transform(15.045, 50.775)
    return write_plane(tmp_path_factory.mktemp("dem") / "plane.tif", west=x, north=y, size_m=1500,
                       grade_north_pct=5.0)


@pytest.fixture(scope="module")
def plane_net(tag_rules_osm: Path, plane_dem: Path, tmp_path_factory: pytest.TempPathFactory) -> Network:
    return pipeline.load_or_build(pipeline.SourceSpec.file(tag_rules_osm), dem=plane_dem,
                                  cache_dir=tmp_path_factory.mktemp("c"))


def _edge(net: Network, way: int):
    return net.edges[net.edges["osm_way_id"] == way].iloc[0]


def test_terrain_incline_on_a_plane(plane_net: Network) -> None:
    north = _edge(plane_net, 119)  # service road from node 11 north to node 21
    assert north["incline_source"] == "dem"
    assert north["incline_pct"] == pytest.approx(5.0, abs=0.1)
    assert north["up_pct"] == pytest.approx(5.0, abs=0.2) and north["down_pct"] == pytest.approx(0, abs=0.01)
    east = _edge(plane_net, 106)  # path from node 12 east to node 13
    assert east["incline_pct"] == pytest.approx(0.0, abs=0.1)


def test_osm_incline_wins_over_terrain(plane_net: Network) -> None:
    e = _edge(plane_net, 101)
    assert e["incline_source"] == "osm" and e["incline_pct"] == pytest.approx(5.0)


def test_reverse_direction_is_downhill(plane_net: Network) -> None:
    a = plane_net.arrays
    eid = int(plane_net.edges.index[plane_net.edges["osm_way_id"] == 119][0])
    both = np.flatnonzero(a.edge_id == eid)
    fwd = both[a.forward[both]][0]
    back = both[~a.forward[both]][0]
    assert a.incline_pct[fwd] == pytest.approx(-a.incline_pct[back])
    assert a.up_pct[back] == pytest.approx(0, abs=0.01)
    assert a.down_pct[back] == pytest.approx(5.0, abs=0.2)


def test_node_elevations(plane_net: Network) -> None:
    z = plane_net.nodes["elevation_m"]
    assert z.notna().all()
    assert 300 < z.min() < z.max() < 300 + 1500 * 0.05


def test_bent_edges_are_sampled_evenly_in_metres(tmp_path: Path, plane_dem: Path) -> None:
    # an L: 100 m east, then 100 m north, on a plane rising 5 % to the north
    to_ll = Transformer.from_crs("EPSG:32633", "EPSG:4326", always_xy=True)
    x0, y0 = Transformer.from_crs("EPSG:4326", "EPSG:32633", always_xy=True).transform(15.050, 50.770)
    corners = [to_ll.transform(x0 + dx, y0 + dy) for dx, dy in ((0, 0), (100, 0), (100, 100))]
    f = tmp_path / "bent.osm"
    nodes = "".join(f'<node id="{i}" lat="{lat:.8f}" lon="{lon:.8f}"/>' for i, (lon, lat) in enumerate(corners, 1))
    f.write_text(f'<?xml version="1.0"?><osm version="0.6">{nodes}<way id="1"><nd ref="1"/><nd ref="2"/>'
                 '<nd ref="3"/><tag k="highway" v="footway"/></way></osm>')
    net = pipeline.load_or_build(pipeline.SourceSpec.file(f), dem=plane_dem, cache_dir=tmp_path / "c")
    e = net.edges.iloc[0]
    assert e["length_m"] == pytest.approx(200, rel=0.01)
    assert e["up_pct"] == pytest.approx(5.0, abs=0.3)  # the steep half is 5 %, not more
    assert e["incline_pct"] == pytest.approx(2.5, abs=0.2)  # 5 m over 200 m


def test_bridges_are_not_on_the_terrain(tmp_path: Path, plane_dem: Path) -> None:
    f = tmp_path / "bridge.osm"
    f.write_text(
        '<?xml version="1.0"?><osm version="0.6">'
        '<node id="1" lat="50.7700" lon="15.050"/><node id="2" lat="50.7710" lon="15.050"/>'
        '<node id="3" lat="50.7720" lon="15.050"/>'
        '<way id="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/><tag k="bridge" v="yes"/></way>'
        '<way id="2"><nd ref="2"/><nd ref="3"/><tag k="highway" v="footway"/></way></osm>'
    )
    net = pipeline.load_or_build(pipeline.SourceSpec.file(f), dem=plane_dem, cache_dir=tmp_path / "c")
    bridge = _edge(net, 1)
    assert not bridge["incline_known"] and np.isnan(bridge["incline_pct"])
    assert _edge(net, 2)["incline_known"]


def test_dem_outside_the_area(tmp_path: Path, tag_rules_osm: Path) -> None:
    far = write_plane(tmp_path / "far.tif", west=200000, north=5000000, size_m=500, grade_north_pct=1)
    with pytest.raises(DemError) as err:
        pipeline.load_or_build(pipeline.SourceSpec.file(tag_rules_osm), dem=far, cache_dir=tmp_path / "c")
    assert err.value.key == "dem.outside" and err.value.details["file"] == str(far)
    assert err.value.details["dem_bounds"] == "200000,4999500,200500,5000000"
    assert "does not cover the area" in str(err.value)


def test_dem_not_a_raster(tmp_path: Path, tag_rules_osm: Path) -> None:
    bad = tmp_path / "dem.tif"
    bad.write_text("not a raster")
    with pytest.raises(DemError) as err:
        pipeline.load_or_build(pipeline.SourceSpec.file(tag_rules_osm), dem=bad, cache_dir=tmp_path / "c")
    assert err.value.key == "dem.unreadable" and err.value.details["file"] == str(bad)


# ----------------------------------------------------------------------------- real terrain


def streets_to_osm(gpkg: str, out: Path) -> Path:
    """Write momepy's Bubeneč street lines (no tags) as OSM footways, sharing end nodes."""
    streets = gpd.read_file(gpkg, layer="streets").to_crs("EPSG:4326")
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


@pytest.fixture(scope="module")
def bubenec(tmp_path_factory: pytest.TempPathFactory) -> tuple[Network, str]:
    import momepy

    gpkg = str(momepy.datasets.get_path("bubenec"))
    tmp = tmp_path_factory.mktemp("bubenec")
    osm_file = streets_to_osm(gpkg, tmp / "bubenec.osm")
    dem = f"GPKG:{gpkg}:dtm"
    return pipeline.load_or_build(pipeline.SourceSpec.file(osm_file), dem=dem, cache_dir=tmp / "c"), dem


def test_real_terrain_elevations_match_the_raster(bubenec: tuple[Network, str]) -> None:
    net, dem = bubenec
    z = net.nodes["elevation_m"].to_numpy()
    covered = np.isfinite(z)
    assert covered.mean() > 0.5
    assert z[covered].min() >= 188 and z[covered].max() <= 222.2
    to_sjtsk = Transformer.from_crs("EPSG:4326", "EPSG:5514", always_xy=True)
    xs, ys = to_sjtsk.transform(net.nodes["lon"].to_numpy()[covered], net.nodes["lat"].to_numpy()[covered])
    with rasterio.open(dem) as src:
        direct = np.array([v[0] for v in src.sample(zip(xs, ys, strict=True))])
    assert np.nanmax(np.abs(direct - z[covered])) < 0.6  # bilinear vs nearest pixel on a 1 m grid


def test_real_terrain_inclines_are_plausible(bubenec: tuple[Network, str]) -> None:
    net, _ = bubenec
    e = net.edges[net.edges["incline_source"] == "dem"]
    assert len(e) > 10
    assert e["incline_pct"].abs().max() < 25
    assert (e["up_pct"] >= 0).all() and (e["down_pct"] >= 0).all()
    assert (e["up_pct"] + 1e-6 >= e["incline_pct"].clip(lower=0) * 0.5).all()
    assert e["incline_pct"].abs().median() > 0.3  # Bubeneč slopes towards the Vltava
