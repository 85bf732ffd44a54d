"""Essential destinations: OSM POIs, accessible stops and the services layer, one category each, with sources."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from geo import settings
from geo.analysis.destinations import (
    CATEGORIES,
    category_counts,
    osm_destinations,
    service_destinations,
    stop_destinations,
)
from geo.layers.query import MapLayers
from geo.network.model import Network


def _pois(rows: list[dict]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(rows)
    return gpd.GeoDataFrame(frame, geometry=[shapely.Point(15.0 + i * 1e-4, 50.0) for i in range(len(rows))],
                            crs=settings.CRS_WGS84)


def test_osm_tags_give_one_category_per_element() -> None:
    pois = _pois([
        {"osmid": 1, "amenity": "pharmacy", "healthcare": "pharmacy", "name": "A"},  # once, not twice
        {"osmid": 2, "amenity": "doctors", "healthcare": "doctor"},
        {"osmid": 3, "healthcare": "centre"},
        {"osmid": 4, "healthcare": "dentist"},  # not a GP
        {"osmid": 5, "shop": "convenience;bakery"},
        {"osmid": 6, "amenity": "cafe"},
        {"osmid": 7, "amenity": "kindergarten", "wheelchair": "limited"},
        {"osmid": 8, "amenity": "post_office", "shop": "supermarket"},  # both: the earlier category in card order
        {"osmid": 9, "entrance": "main"},
    ])
    d = osm_destinations(pois)
    got = dict(zip(d.refs, d.categories, strict=True))
    assert got == {"node/1": "pharmacy", "node/2": "doctor", "node/3": "doctor", "node/5": "grocery",
                   "node/7": "kindergarten", "node/8": "grocery"}
    assert set(d.sources) == {"osm"} and d.url(0) == "https://www.openstreetmap.org/node/1"
    assert dict(zip(d.refs, d.wheelchair, strict=True))["node/7"] == "limited"
    assert set(d.categories) <= set(CATEGORIES)


def test_the_fixture_pois_and_helsinki_pois_are_found(housing_net: Network, helsinki_net: Network) -> None:
    d = osm_destinations(housing_net.pois)
    assert sorted(d.places.names) == sorted(["Lékárna Dole", "Praktický lékař Dole", "Základní škola Dole",
                                             "Potraviny Nahoře", "Pošta Nahoře"])  # not the café, not entrances
    counts = category_counts(osm_destinations(helsinki_net.pois))
    pharmacies = int((helsinki_net.pois["amenity"] == "pharmacy").sum())
    assert counts["pharmacy"] >= pharmacies > 0 and counts["grocery"] > 0 and counts["stop"] == 0


def test_only_stops_with_wheelchair_boarding_are_destinations(housing_layers: MapLayers) -> None:
    d = stop_destinations(housing_layers.stops)
    assert list(d.refs) == ["H1"] and list(d.sources) == ["gtfs"] and list(d.categories) == ["stop"]


def test_services_split_into_social_services_and_community_centres(housing_layers: MapLayers) -> None:
    d = service_destinations(housing_layers.services)
    by_id = dict(zip(d.places.ids, d.categories, strict=True))
    assert by_id["palac-liebieg"] == "community_centre"  # the Liebieg Palace
    assert by_id["centrum-bydleni"] == "social_services" and by_id["shelter-katerinska"] == "social_services"
    assert all(s == "curated" for s in d.sources) and set(d.refs) == set(d.places.ids)
    assert not any(i.startswith("osm-") for i in d.places.ids)  # no pharmacy or shop became a social service
    services = housing_layers.services.copy()
    services.loc[services["id"] == "centrum-bydleni", "status"] = "planned"
    services.loc[services["id"] == "shelter-katerinska", "category"] = "public_office"
    kept = set(service_destinations(services).places.ids)
    assert "centrum-bydleni" not in kept and "shelter-katerinska" not in kept and "palac-liebieg" in kept
