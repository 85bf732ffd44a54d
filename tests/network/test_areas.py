"""Walkable areas and platforms join the network (hand-made fixture tests/fixtures/areas.osm, real Helsinki)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from geo.network.areas import MEETS_M, add_area_paths
from geo.network.model import Network

LON0, LAT0 = 15.0600, 50.7700


def node_at(net: Network, x_m: float, y_m: float) -> int:
    """The network node nearest to a fixture point given in metres east and north of the origin."""
    t = Transformer.from_crs("EPSG:4326", net.crs_metric, always_xy=True)
    ox, oy = t.transform(LON0, LAT0)
    d = np.hypot(net.nodes["x_m"] - (ox + x_m), net.nodes["y_m"] - (oy + y_m))
    assert d.min() < 1.0, f"no node at ({x_m}, {y_m})"
    return int(np.argmin(d.to_numpy()))


def same_piece(net: Network, *points: tuple[float, float]) -> bool:
    pieces = {int(net.piece_of_node[node_at(net, *p)]) for p in points}
    return len(pieces) == 1


def test_ways_meeting_a_plaza_are_joined_across_it(areas_net: Network) -> None:
    main = (0, 0)
    assert same_piece(areas_net, main, (80, 100))  # a2 ends inside plaza A
    assert same_piece(areas_net, main, (40, 40))  # a3 ends 0.4 m short of it
    across = areas_net.edges[areas_net.edges["across_area"].astype(bool) & (areas_net.edges["area_id"] == "way/3")]
    assert len(across) >= 2
    assert (across["surface"] == "paving_stones").all() and (across["highway"] == "pedestrian").all()


def test_connections_never_leave_a_concave_area(areas_net: Network, areas_osm) -> None:
    import osmnx as ox

    areas = ox.features_from_xml(areas_osm, tags={"area": ["yes"]})
    plaza_b = areas.loc[("way", 6)].geometry
    assert same_piece(areas_net, (0, 0), (127, 120))  # b2: round the corner of the L, along its outline
    across = areas_net.edges[areas_net.edges["across_area"].astype(bool) & (areas_net.edges["area_id"] == "way/6")]
    metric = gpd.GeoSeries(across.geometry, crs=4326).to_crs(areas_net.crs_metric)
    inside = gpd.GeoSeries([plaza_b], crs=4326).to_crs(areas_net.crs_metric).iloc[0].buffer(MEETS_M + 0.01)
    assert len(across) and shapely.covered_by(metric.to_numpy(), inside).all()


def test_a_plaza_closed_to_pedestrians_joins_nothing(areas_net: Network) -> None:
    assert not same_piece(areas_net, (0, 0), (230, 100))
    assert not (areas_net.edges["area_id"] == "way/9").any()


def test_platforms_are_walkable(areas_net: Network) -> None:
    e = areas_net.edges
    platform_way = e[e["osm_way_id"] == 13]
    assert len(platform_way) and (platform_way["highway"] == "platform").all()  # railway=platform, no highway
    assert same_piece(areas_net, (0, 0), (460, 0))  # p1 continues the platform
    assert same_piece(areas_net, (0, 0), (10, -40))  # c1 leaves the platform area on its far side
    assert (e["area_id"] == "way/15").any()


def test_the_network_reports_its_pieces(areas_net: Network) -> None:
    c = areas_net.connectivity()
    assert c["pieces"] == 3  # the main network, plaza C's footway and fragment F
    assert c["other_piece_sizes"] == [2, 2] and c["outside_nodes"] == 4
    assert (areas_net.piece_of_node == 0).sum() == c["largest_nodes"]


def test_surface_level(areas_net: Network) -> None:
    e = areas_net.edges
    assert not e.loc[e["osm_way_id"] == 12, "on_surface"].any()  # the tunnel
    assert e.loc[e["osm_way_id"] == 1, "on_surface"].all()


def test_no_areas_leave_the_segments_as_they_are(areas_net: Network) -> None:
    seg = gpd.GeoDataFrame({"u": [1], "v": [2], "osm_way_id": [7]}, geometry=[shapely.LineString([(0, 0), (1, 0)])],
                           crs=4326)
    nodes = gpd.GeoDataFrame({"x": [0.0, 1.0], "y": [0.0, 0.0]}, index=pd.Index([1, 2], name="osmid"),
                             geometry=gpd.points_from_xy([0, 1], [0, 0]), crs=4326)
    out, out_nodes = add_area_paths(seg, nodes, gpd.GeoDataFrame(geometry=[], crs=4326))
    assert len(out) == 1 and not out["across_area"].any() and out_nodes is nodes


def test_helsinki_has_few_nodes_outside_its_largest_piece(helsinki_net: Network) -> None:
    """Plazas and platforms of the real extract join it: ≤ 1 % of nodes outside the main piece (4 % without)."""
    c = helsinki_net.connectivity()
    assert c["outside_pct"] <= 1.0
    assert helsinki_net.coverage()["walkable_areas"] > 50


def test_nodes_sharing_a_position_can_both_meet_an_area() -> None:
    """Two way ends at one position (not joined in OSM) beside a plaza: both may be joined across it."""
    d = 0.0004
    xy = {1: (-d, d / 2), 2: (0.0, d / 2), 3: (0.0, d / 2), 4: (-d, d), 5: (d, d / 2), 6: (2 * d, d / 2)}
    ids = list(xy)
    lon, lat = [xy[i][0] + LON0 for i in ids], [xy[i][1] + LAT0 for i in ids]
    nodes = gpd.GeoDataFrame({"x": lon, "y": lat}, index=pd.Index(ids, name="osmid"),
                             geometry=gpd.points_from_xy(lon, lat), crs=4326)
    ways = [(1, 2, 7), (3, 4, 8), (5, 6, 9)]
    seg = gpd.GeoDataFrame({"u": [u for u, _, _ in ways], "v": [v for _, v, _ in ways],
                            "osm_way_id": [w for _, _, w in ways], "highway": "footway"},
                           geometry=[shapely.LineString([(xy[u][0] + LON0, xy[u][1] + LAT0),
                                                         (xy[v][0] + LON0, xy[v][1] + LAT0)]) for u, v, _ in ways],
                           crs=4326)
    plaza = shapely.box(LON0, LAT0, LON0 + d, LAT0 + d)
    areas = gpd.GeoDataFrame({"element": ["way"], "osmid": [100], "highway": ["pedestrian"], "area": ["yes"]},
                             geometry=[plaza], crs=4326)
    out, _ = add_area_paths(seg, nodes, areas)
    across = out[out["across_area"]]
    assert len(across) > 0
    assert {2, 3} & set(across["u"]) | set(across["v"])  # a way end at the shared position is joined
