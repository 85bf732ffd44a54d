"""Czech addresses: folding, parsing "Ulice 1234/5" and matching to OSM addresses."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

from geo.layers.addresses import AddressIndex, address_index, fold, parse_address, street_key
from geo.network.model import Network


def test_fold_removes_diacritics_case_and_punctuation() -> None:
    assert fold("Pastýřská 12/3") == "pastyrska 12/3"
    assert fold("PALÁC Liebieg – Centrum aktivního života") == "palac liebieg centrum aktivniho zivota"


def test_street_key_expands_czech_abbreviations() -> None:
    assert street_key("nám. Dr. E. Beneše") == street_key("náměstí Dr. E. Beneše") == "namesti dr e benese"
    assert street_key("tř. 1. máje") == street_key("třída 1. máje")


@pytest.mark.parametrize(("text", "street", "cons", "orient", "end"), [
    ("U Tiskárny 81/1, Liberec V – Kristiánov", "U Tiskárny", "81", "1", None),
    ("Na Bídě 564/12", "Na Bídě", "564", "12", None),
    ("Pionýrů 976", "Pionýrů", "976", None, None),
    ("Krajní 1575–1580, Liberec", "Krajní", "1575", None, "1580"),
    ("Věkova, Liberec – Ruprechtice", "Věkova", None, None, None),
    ("28. října 12", "28. října", "12", None, None),
    ("28. října", "28. října", None, None, None),
])
def test_parse_address(text: str, street: str, cons: str | None, orient: str | None, end: str | None) -> None:
    a = parse_address(text)
    assert a is not None
    assert (a.street, a.conscription, a.orientation, a.range_end) == (street, cons, orient, end)


def test_parse_address_without_street_is_none() -> None:
    assert parse_address("12") is None
    assert parse_address("") is None


def _index() -> AddressIndex:
    feats = gpd.GeoDataFrame({
        "osmid": [1, 2, 3, 4, 5],
        "element": ["way", "way", "node", "node", "way"],
        "addr:street": ["Dlouhá", "Dlouhá", "Krátká", "Krátká", "Dlouhá"],
        "addr:housenumber": ["100/5", None, "7", "7", None],
        "addr:conscriptionnumber": [None, "200", None, None, None],
        "addr:streetnumber": [None, "6", None, None, None],
    }, geometry=[box(15.0, 50.0, 15.0001, 50.0001), Point(15.001, 50.0), Point(15.01, 50.0), Point(15.03, 50.0),
                 Point(15.005, 50.0)], crs="EPSG:4326")
    streets = gpd.GeoDataFrame({"name": ["Dlouhá", "Široká"]},
                               geometry=[LineString([(15.0, 50.0), (15.01, 50.0)]),
                                         LineString([(15.0, 50.01), (15.01, 50.01)])], crs="EPSG:4326")
    return AddressIndex(feats, streets, feats.iloc[[0]])


def test_match_by_full_number_split_tags_and_either_number() -> None:
    idx = _index()
    exact = idx.match("Dlouhá 100/5")
    assert exact.status == "exact" and exact.building_ids == ["way/1"]
    assert idx.match("Dlouhá 200/6").status == "exact"  # addr:conscriptionnumber + addr:streetnumber
    assert idx.match("dlouha 200").status == "exact"  # a single number: the conscription number
    assert idx.match("Dlouhá 6").points == idx.match("Dlouhá 200/6").points  # …or the orientation number


def test_match_reports_street_ambiguous_and_none() -> None:
    idx = _index()
    assert idx.match("Dlouhá 999").status == "street"
    assert idx.match("Široká").status == "street"  # a street of the network without addresses
    amb = idx.match("Krátká 7")  # two places 1.4 km apart
    assert amb.status == "ambiguous" and len(amb.points) == 2
    assert amb.reason is not None and amb.reason.key == "address.ambiguous" and amb.reason.values["count"] == 2
    assert amb.reason.text("cs") == "číslo 7 odpovídá 2 místům v ulici Krátká"
    unknown = idx.match("Neznámá 1")
    assert unknown.status == "none" and unknown.reason == ("address.street_not_found", {"street": "Neznámá"})


def test_address_index_of_the_liberec_fixture(liberec_net: Network) -> None:
    idx = address_index(liberec_net.buildings, liberec_net.pois, liberec_net.edges)
    palac = idx.match("U Tiskárny 81/1, Liberec V – Kristiánov")
    assert palac.status == "exact" and palac.building_ids
    run = idx.match("Krajní 1575–1580")
    assert run.status == "exact" and len(run.points) == 6
    incomplete = idx.match("U Sila 1201–1206")  # only 1201–1204 are mapped
    assert incomplete.status == "ambiguous" and incomplete.reason is not None
    assert incomplete.reason.key == "address.range_incomplete" and incomplete.reason.values["numbers"] == "1205, 1206"
    assert incomplete.reason.text("en") == "numbers 1205, 1206 of the range not found on U Sila"
    assert idx.match("Pastýřská").status == "street"
