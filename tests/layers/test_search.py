"""Offline search: diacritics- and case-insensitive prefix search, ranked, over the extract and the layers."""

from __future__ import annotations

import pytest

from geo.layers.search import SearchEntry, SearchIndex, tokenize


def labels(client, q: str, n: int = 5) -> list[tuple[str, str]]:
    body = client.get("/api/search", query_string={"q": q}).get_json()
    return [(r["label"], r["kind"]) for r in body["results"][:n]]


def test_tokenize_folds_and_splits_czech_numbers() -> None:
    assert tokenize("Na Bídě 564/12") == ["na", "bide", "564/12", "564", "12"]
    assert tokenize("  PASTÝŘSKÁ!! ") == ["pastyrska"]
    assert tokenize("–") == []


@pytest.mark.parametrize("q", ["palac liebieg", "Palác Liebieg", "PALÁC LIEB", "liebieg", "pal lieb"])
def test_services_by_name_with_or_without_diacritics(liberec_client, q: str) -> None:
    top = labels(liberec_client, q)[0]
    assert top == ("Palác Liebieg – Centrum aktivního života (Komunitní středisko Kontakt)", "service")


@pytest.mark.parametrize("q", ["pastyrska", "Pastýřská", "pastyř"])
def test_street_and_the_planned_hostel(liberec_client, q: str) -> None:
    found = labels(liberec_client, q)
    assert ("Pastýřská", "street") in found
    assert ("Městská ubytovna Pastýřská (plánovaná)", "service") in found


def test_aliases_and_english_names(liberec_client) -> None:
    assert labels(liberec_client, "liebiegův palác")[0][1] == "service"
    assert labels(liberec_client, "furniture bank")[0] == ("Nábytková banka Libereckého kraje", "service")
    assert labels(liberec_client, "housing first")[0][0].startswith("Housing First")


@pytest.mark.parametrize(("q", "expected"), [
    ("na bide 564/12", "Na Bídě 564/12"),
    ("Na Bídě 564", "Na Bídě 564/12"),
    ("nezvalova 662/18", "Nezvalova 662/18"),
    ("krajni 1577", "Krajní 1577"),
    ("ceska 617", "Česká 617"),
])
def test_addresses_with_czech_numbers(liberec_client, q: str, expected: str) -> None:
    assert (expected, "address") in labels(liberec_client, q)


def test_results_carry_positions_layers_and_precision(liberec_client) -> None:
    body = liberec_client.get("/api/search", query_string={"q": "centrum bydleni", "limit": 3}).get_json()
    r = body["results"][0]
    assert r["layer"] == "services" and r["id"] == "centrum-bydleni" and r["precision"] == "exact"
    assert 15.0 < r["lon"] < 15.1 and 50.7 < r["lat"] < 50.8
    sic = liberec_client.get("/api/search", query_string={"q": "SIC"}).get_json()["results"][0]
    assert sic["id"] == "sic" and sic["lon"] is None and sic["precision"] == "unknown"  # listed, not placed


def test_stops_are_searchable(liberec_client) -> None:
    assert labels(liberec_client, "americka")[0] == ("Americká", "stop")
    assert labels(liberec_client, "fugnerova") and labels(liberec_client, "fugnerova")[0][1] == "stop"


def test_no_match_and_bad_queries(liberec_client) -> None:
    assert liberec_client.get("/api/search?q=zzzqqq").get_json() == {"query": "zzzqqq", "count": 0, "results": []}
    for qs in ("", "?q=", "?q=%20%20", "?q=" + "a" * 201, "?q=x&limit=abc"):
        resp = liberec_client.get("/api/search" + qs)
        assert resp.status_code == 400 and resp.get_json()["error"] == "bad_request"


def test_ranking_prefers_exact_labels_exact_tokens_and_services() -> None:
    idx = SearchIndex([
        SearchEntry("Dlouhá 12", "address"),
        SearchEntry("Dlouhánova 3", "address"),
        SearchEntry("Dlouhá", "street"),
        SearchEntry("Klub Dlouhá", "poi"),
        SearchEntry("Klub Dlouhá", "service", extra=("Youth club",)),
    ])
    order = [(r["label"], r["kind"]) for r in idx.search("dlouha")]
    assert order[0] == ("Dlouhá", "street")  # the whole label
    assert order.index(("Dlouhá 12", "address")) < order.index(("Dlouhánova 3", "address"))  # exact token first
    assert order.index(("Klub Dlouhá", "service")) < order.index(("Klub Dlouhá", "poi"))
    assert [r["label"] for r in idx.search("dlouha 12")] == ["Dlouhá 12"]  # every token must match
    assert [r["kind"] for r in idx.search("youth")] == ["service"]
    assert idx.search("dlouhan")[0]["label"] == "Dlouhánova 3"
    assert len(idx.search("d", limit=2)) == 2


def test_helsinki_index_finds_real_streets_addresses_and_places(client) -> None:
    assert ("Mannerheimintie", "street") in labels(client, "mannerheim")
    assert ("Mannerheimintie 5", "address") in labels(client, "mannerheimintie 5")
    assert labels(client, "esplanadi")
