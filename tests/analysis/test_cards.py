"""Reach cards: the described route of each reachable category, the diagnosis of each unreachable one, the score,
the flats table and its files."""

from __future__ import annotations

import csv
import io

import pytest

from geo.analysis.cards import WARNING_ORDER, Housing, to_csv, to_geojson, worst_warning
from geo.analysis.destinations import CATEGORIES
from geo.errors import NotFoundError, OutsideAreaError
from geo.routing.itinerary import RouteWarning
from geo.routing.profiles import PROFILES

WHEEL = PROFILES["manual_wheelchair"]


def _by_category(card: dict) -> dict[str, dict]:
    return {c["category"]: c for c in card["categories"]}


def test_a_flat_card_for_the_wheelchair(housing: Housing) -> None:
    card = housing.card(0, 0, WHEEL, lang="en", flat_id="flats-nad-sokolovnou-616")
    assert [c["category"] for c in card["categories"]] == list(CATEGORIES)
    home = card["home"]
    assert home["flat"]["id"] == "flats-nad-sokolovnou-616" and home["building"]["address"] == "Nad Sokolovnou 616"
    assert home["entrance"]["status"] == "step_free" and home["entrance"]["source"] == "osm"
    cats = _by_category(card)
    grocery = cats["grocery"]
    assert grocery["status"] == "reachable" and grocery["destination"]["name"] == "Potraviny Nahoře"
    assert grocery["route"]["duration_s"] == pytest.approx(grocery["duration_s"], abs=0.05)  # the route described
    assert grocery["route"]["verified_share"] == 1.0 and grocery["within_10"]
    assert grocery["destination"]["source"] == "osm" and grocery["destination"]["url"].endswith("/node/146")
    assert cats["stop"]["destination"]["source"] == "gtfs"
    assert cats["community_centre"]["destination"]["id"] == "palac-liebieg"  # curated, placed by its address
    post = cats["post_office"]
    assert post["status"] == "reachable" and not post["within_10"] and post["within_15"]  # ~13 min along the street
    pharmacy = cats["pharmacy"]  # only down the steps
    assert pharmacy["status"] == "unreachable" and pharmacy["destination"]["name"] == "Lékárna Dole"
    assert [r["reason"] for r in pharmacy["reason"]["reasons"]] == ["steps"]
    assert pharmacy["relaxation"]["change"] == {"allow_steps": True}
    assert pharmacy["route"]["params"]["allow_steps"] == "true" and "allow steps" in pharmacy["relaxation"]["text"]
    assert cats["kindergarten"]["status"] == "no_data"
    s = card["score"]
    assert (s["within_10"], s["within_15"], s["counted"], s["value"]) == (3, 4, 8, 44)
    assert s["formula"] == "(3 + 4) ÷ (2 × 8) × 100 = 44" and "10 min" in s["definition"]


def test_a_steep_street_gives_the_uphill_relaxation(housing: Housing) -> None:
    card = housing.card(0, 0, WHEEL, lang="cs", flat_id="flats-nad-sokolovnou-616")
    social = _by_category(card)["social_services"]
    assert social["status"] == "unreachable"
    relaxations = social["reason"]["relaxations"]
    assert social["relaxation"]["change"] in relaxations
    assert len(social["relaxation"]["change"]) == min(len(r) for r in relaxations)  # the fewest changes
    electric = _by_category(housing.card(0, 0, PROFILES["electric_wheelchair"], flat_id="flats-nad-sokolovnou-616"))
    assert electric["social_services"]["status"] == "reachable"  # 10 % is within the electric wheelchair's 12 %
    assert electric["social_services"]["destination"]["id"] == "shelter-katerinska"


def test_walking_reaches_everything_with_data_and_the_entrance_with_steps(housing: Housing) -> None:
    card = housing.card(0, 0, PROFILES["walking"], flat_id="flats-ceska-617")
    assert card["home"]["entrance"]["status"] == "steps"
    statuses = {c["category"]: c["status"] for c in card["categories"]}
    assert statuses.pop("kindergarten") == "no_data" and set(statuses.values()) == {"reachable"}
    assert card["score"]["value"] == 100


def test_any_point_gets_a_card_and_bad_flats_are_errors(housing: Housing) -> None:
    lon, lat = 15.0736, 50.78036  # on the upper street, in no building
    card = housing.card(lon, lat, WHEEL, lang="cs")
    assert card["home"]["flat"] is None and card["home"]["building"] is None
    assert card["home"]["entrance"]["status"] == "unknown" and "budově" in card["home"]["entrance"]["source_text"]
    assert _by_category(card)["grocery"]["status"] == "reachable"
    with pytest.raises(NotFoundError):
        housing.card(0, 0, WHEEL, flat_id="no-such-flat")
    with pytest.raises(OutsideAreaError):
        housing.card(0, 0, WHEEL, flat_id="flats-krajni")  # no Krajní street in this fixture
    with pytest.raises(OutsideAreaError):
        housing.card(lon + 0.05, lat, WHEEL)  # 3.5 km away from the network


def test_the_worst_warning_follows_the_order() -> None:
    ws = [RouteWarning("unknown_surface", 1, 5.0), RouteWarning("crossings", 2, 2.0), RouteWarning("kerb", 1, 2.0)]
    assert worst_warning(ws).code == "kerb"
    assert worst_warning([RouteWarning("crossings", 3, 3.0)]) is None
    assert WARNING_ORDER.index("steps") < WARNING_ORDER.index("kerb") < WARNING_ORDER.index("unknown_surface")


def test_the_flats_table_is_sorted_by_score_and_written_to_files(housing: Housing) -> None:
    rows = housing.flats_table(WHEEL, lang="en")
    placed = [r for r in rows if r["score"] is not None]
    assert {r["id"] for r in placed} == {"flats-nad-sokolovnou-616", "flats-ceska-617", "flats-katerinska-156"}
    assert [r["score"] for r in placed] == sorted((r["score"] for r in placed), reverse=True)
    assert all(r["score"] is None for r in rows[len(placed):]) and len(rows) == len(housing.inputs.flats)
    by_id = {r["id"]: r for r in rows}
    card = housing.card(0, 0, WHEEL, flat_id="flats-ceska-617")
    assert by_id["flats-ceska-617"]["score"] == card["score"]["value"]  # the table and the card agree
    assert by_id["flats-ceska-617"]["entrance"] == "steps"
    assert by_id["flats-nad-sokolovnou-616"]["categories"]["pharmacy"] is None
    table = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert len(table) == len(rows) and table[0]["id"] == rows[0]["id"]
    assert {"score", "entrance", "pharmacy_min", "pharmacy_destination"} <= set(table[0])
    fc = to_geojson(rows, profile=WHEEL.name)
    assert fc["profile"] == WHEEL.name and fc["features"][-1]["geometry"] is None
