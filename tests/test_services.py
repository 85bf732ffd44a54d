"""OSM social-service POIs as routing targets."""

from __future__ import annotations

from geo.network import Network
from geo.services import osm_service_pois, services_from_pois


def test_social_pois_get_categories(tag_rules_net: Network) -> None:
    frame = osm_service_pois(tag_rules_net.pois)
    by_name = dict(zip(frame["name"], frame["category"], strict=True))
    assert by_name == {"Azylový dům (test)": "social_services_office", "Komunitní centrum (test)": "community_centre"}
    assert all(i.startswith("osm:node/") for i in frame["id"])


def test_services_arrays(helsinki_net: Network) -> None:
    s = services_from_pois(helsinki_net.pois)
    assert len(s) > 5
    assert len(s.select("community_centre")) <= len(s)
    assert ((s.lon > 24.9) & (s.lon < 25.0)).all()


def test_no_pois_gives_no_services() -> None:
    import geopandas as gpd

    empty = gpd.GeoDataFrame({"osmid": []}, geometry=[], crs="EPSG:4326")
    assert len(services_from_pois(empty)) == 0
    only_shops = gpd.GeoDataFrame({"osmid": [1], "shop": ["bakery"]}, geometry=gpd.points_from_xy([15.0], [50.7]),
                                  crs="EPSG:4326")
    assert len(services_from_pois(only_shops)) == 0
