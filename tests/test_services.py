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
