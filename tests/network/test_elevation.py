"""Incline from a DEM: synthetic planes (exact answers), the real 1 m DTM of Prague-Bubeneč under its streets and
under hand-made ways checked against the terrain sampled by hand."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
import rasterio
import shapely
from pyproj import Transformer
from rasterio.transform import from_origin

from geo.errors import DemError
from geo.network import pipeline
from geo.network.elevation import way_chains
from geo.network.model import Network
from tests.terrain_ways import RAMP, SJTSK, HandDtm, dtm_path, hand_grades


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


def test_a_nodata_hole_leaves_the_incline_unknown_only_where_it_reaches(tmp_path: Path) -> None:
    # a way 200 m north on a 5 % plane, split at 100 m by a side path; nodata 40–60 m along it
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32633", always_xy=True)
    x0, y0 = to_utm.transform(15.05, 50.77)
    dem = write_plane(tmp_path / "hole.tif", west=x0 - 100, north=y0 + 300, size_m=400, grade_north_pct=5.0, px=1.0)
    with rasterio.open(dem, "r+") as dst:
        z = dst.read(1)
        z[300 - 60:300 - 40, 95:105] = -9999  # rows count from the north edge, 300 m north of the start
        dst.write(z, 1)
    to_ll = Transformer.from_crs("EPSG:32633", "EPSG:4326", always_xy=True)
    pts = [to_ll.transform(x0 + dx, y0 + dy) for dx, dy in ((0, 0), (0, 100), (0, 200), (30, 100))]
    nodes = "".join(f'<node id="{i}" lat="{lat:.8f}" lon="{lon:.8f}"/>' for i, (lon, lat) in enumerate(pts, 1))
    f = tmp_path / "hole.osm"
    f.write_text(f'<?xml version="1.0"?><osm version="0.6">{nodes}<way id="1"><nd ref="1"/><nd ref="2"/>'
                 '<nd ref="3"/><tag k="highway" v="footway"/></way><way id="2"><nd ref="2"/><nd ref="4"/>'
                 '<tag k="highway" v="footway"/></way></osm>')
    net = pipeline.load_or_build(pipeline.SourceSpec.file(f), dem=dem, cache_dir=tmp_path / "c")
    south, north = (net.edges.iloc[e] for e in sorted(_way_edges(net, 1), key=lambda e: net.edges.geometry.iat[
        e].bounds[1]))
    assert not south["incline_known"] and np.isnan(south["up_pct"])
    assert north["incline_known"] and north["incline_pct"] == pytest.approx(5.0, abs=0.05)
    assert north["up_pct"] == pytest.approx(5.0, abs=0.05)


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


def test_real_terrain_elevations_match_the_raster(bubenec_net: Network) -> None:
    net, dem = bubenec_net, dtm_path()
    z = net.nodes["elevation_m"].to_numpy()
    covered = np.isfinite(z)
    assert covered.mean() > 0.5
    assert z[covered].min() >= 188 and z[covered].max() <= 222.2
    to_sjtsk = Transformer.from_crs("EPSG:4326", "EPSG:5514", always_xy=True)
    xs, ys = to_sjtsk.transform(net.nodes["lon"].to_numpy()[covered], net.nodes["lat"].to_numpy()[covered])
    with rasterio.open(dem) as src:
        direct = np.array([v[0] for v in src.sample(zip(xs, ys, strict=True))])
    assert np.nanmax(np.abs(direct - z[covered])) < 0.6  # bilinear vs nearest pixel on a 1 m grid


def test_real_terrain_inclines_are_plausible(bubenec_net: Network) -> None:
    net = bubenec_net
    e = net.edges[net.edges["incline_source"] == "dem"]
    assert len(e) > 10
    assert e["incline_pct"].abs().max() < 25
    assert (e["up_pct"] >= 0).all() and (e["down_pct"] >= 0).all()
    assert (e["up_pct"] + 1e-6 >= e["incline_pct"].clip(lower=0) * 0.5).all()
    assert e["incline_pct"].abs().median() > 0.3  # Bubeneč slopes towards the Vltava


# ----------------------------------------------------------------------------- real terrain, hand-made ways


@pytest.fixture(scope="module")
def dtm() -> HandDtm:
    return HandDtm(dtm_path())


def _sjtsk(net: Network, eid: int) -> np.ndarray:
    """An edge's vertices in S-JTSK, from ``u`` to ``v``."""
    xy = shapely.get_coordinates(net.edges.geometry.iat[eid])
    return np.column_stack(Transformer.from_crs("EPSG:4326", SJTSK, always_xy=True).transform(xy[:, 0], xy[:, 1]))


def _way_edges(net: Network, way: int) -> np.ndarray:
    return np.flatnonzero(net.edges["osm_way_id"].to_numpy() == way)


def test_way_chains_join_the_edges_of_one_way() -> None:
    # way 7: 0→1, 2→1 (drawn backwards), 2→3; way 8 branches at node 5; way 9 is a ring
    u = np.array([0, 2, 2, 4, 5, 5, 6, 7, 8])
    v = np.array([1, 1, 3, 5, 6, 7, 7, 8, 6])
    way = np.array([7, 7, 7, 8, 8, 8, 9, 9, 9])
    order, flipped, ptr = way_chains(u, v, way)
    chains = [order[a:b].tolist() for a, b in itertools.pairwise(ptr)]
    flips = {int(e): bool(f) for e, f in zip(order, flipped, strict=True)}
    assert [0, 1, 2] in chains and flips[0] is False and flips[1] is True and flips[2] is False
    assert [3] in chains  # three ends of way 8 meet at node 5: no chain goes through it
    ring = next(c for c in chains if 6 in c or 7 in c)
    assert sorted(ring) == [6, 7, 8] and len(chains) == 5 and sorted(order.tolist()) == list(range(9))


def test_short_edges_keep_the_grade_of_a_10_m_window_on_real_terrain(terrain_ways_net: Network,
                                                                     dtm: HandDtm) -> None:
    net = terrain_ways_net
    short = [e for e in _way_edges(net, 1) if net.edges["length_m"].iat[e] < 5]
    assert len(short) == 3
    for e in short:
        xy = _sjtsk(net, e)
        s_u, s_v = RAMP.position(*xy[[0, -1]].T)
        centre, sign = (s_u + s_v) / 2, np.sign(s_v - s_u)
        hand = RAMP.grade(dtm, centre - 5 * sign, centre + 5 * sign)
        got = net.edges.iloc[e]
        assert got["incline_source"] == "dem" and got["incline_pct"] == pytest.approx(hand, abs=0.5)
        assert hand > 8 and got["up_pct"] >= got["incline_pct"]


def test_a_steep_stretch_inside_a_long_edge_is_found(terrain_ways_net: Network, dtm: HandDtm) -> None:
    net = terrain_ways_net
    (e,) = _way_edges(net, 2)
    xy = _sjtsk(net, e)
    net_grade, up, down = hand_grades(dtm, xy[:, 0], xy[:, 1])
    got = net.edges.iloc[e]
    assert got["length_m"] == pytest.approx(40, abs=0.1)
    assert got["incline_pct"] == pytest.approx(net_grade, abs=0.1)
    assert got["up_pct"] == pytest.approx(up, abs=0.5) and got["down_pct"] == pytest.approx(down, abs=0.5)
    assert up > 3 * net_grade  # a 5 m stretch of ~20 % in a 40 m edge that rises 3 %
    fwd, back = net.directed(e)
    assert net.arrays.down_pct[back] == pytest.approx(got["up_pct"]) and net.arrays.up_pct[back] == pytest.approx(
        got["down_pct"])
    assert net.arrays.incline_pct[back] == pytest.approx(-net.arrays.incline_pct[fwd])


def test_an_edge_bending_past_its_nodes_is_on_the_dem_window(terrain_ways_net: Network, dtm: HandDtm) -> None:
    net = terrain_ways_net
    (e,) = _way_edges(net, 3)
    xy = _sjtsk(net, e)
    node_y = net.nodes["lat"].to_numpy()
    assert net.edges.geometry.iat[e].bounds[3] > node_y.max() + 4e-4  # it bends ~45 m north of every node
    net_grade, up, down = hand_grades(dtm, xy[:, 0], xy[:, 1])
    got = net.edges.iloc[e]
    assert got["incline_known"] and got["incline_pct"] == pytest.approx(net_grade, abs=0.1)
    assert got["up_pct"] == pytest.approx(up, abs=0.5) and got["down_pct"] == pytest.approx(down, abs=0.5)


def test_a_sign_only_incline_against_the_terrain_is_disputed(terrain_ways_net: Network) -> None:
    net = terrain_ways_net
    (agrees,) = _way_edges(net, 4)  # incline=up, drawn uphill
    (against,) = _way_edges(net, 5)  # incline=down, drawn uphill
    assert net.edges["incline_source"].iat[agrees] == "dem" and net.edges["incline_pct"].iat[agrees] > 5
    e = net.edges.iloc[against]
    assert e["incline_disputed"] and e["incline_source"] == "disputed" and not e["incline_known"]
    assert np.isnan([e["incline_pct"], e["up_pct"], e["down_pct"]]).all()
    both = np.array(net.directed(against))
    assert not net.arrays.incline_known[both].any() and np.isnan(net.arrays.up_pct[both]).all()
    assert net.coverage()["incline_disputed"] == 1 and not net.edges["incline_disputed"].iat[agrees]


def test_off_the_dem_and_off_the_ground_the_incline_is_unknown(terrain_ways_net: Network) -> None:
    net = terrain_ways_net
    for way in (6, 7):  # runs off the DEM's east edge; a bridge
        (e,) = _way_edges(net, way)
        got = net.edges.iloc[e]
        assert not got["incline_known"] and np.isnan([got["incline_pct"], got["up_pct"], got["down_pct"]]).all()
    (bridge,) = _way_edges(net, 7)
    assert len(net.heights.of(bridge, net.edges["length_m"].iat[bridge])[1]) == 0
    (off,) = _way_edges(net, 6)
    _, z = net.heights.of(off, net.edges["length_m"].iat[off])
    assert np.isnan(z).any() and np.isfinite(z).any()


def test_heights_along_an_edge_are_the_terrain_every_metre(terrain_ways_net: Network, dtm: HandDtm) -> None:
    net = terrain_ways_net
    (e,) = _way_edges(net, 2)
    length = net.edges["length_m"].iat[e]
    s, z = net.heights.of(e, length)
    assert np.diff(s) == pytest.approx(np.append(np.ones(len(s) - 2), s[-1] - s[-2]))
    assert len(s) == 41 and s[-1] == pytest.approx(length)
    xy = _sjtsk(net, e)
    hand = dtm.z(*(xy[0] + np.outer(s / length, xy[-1] - xy[0])).T)
    assert z == pytest.approx(hand, abs=0.01)
