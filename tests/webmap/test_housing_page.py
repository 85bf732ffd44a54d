"""The "Bydlení" panel in Chromium on the hand-made housing city: the flats coloured by score, a flat's card from
its popup and from the list, any map point's card, two homes compared, keyboard only, both languages, axe-core,
a 360 px phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from geo import i18n
from geo.network.model import Network
from tests.webmap.test_browser import (
    Watched,
    _focus_is_visible,
    _tab_until,
    axe_violations,
    chromium_browser,
    click_latlng,
    serving,
)

pytestmark = pytest.mark.browser

UPPER = (50.7803597, 15.0736)  # on Nad Sokolovnou, between the flats and the supermarket


@pytest.fixture(scope="module")
def housing_live(housing_net: Network, housing_stops: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the housing city on 127.0.0.1."""
    from webmap import create_app

    tmp = tmp_path_factory.mktemp("housing-browser")
    app = create_app({"NETWORK": housing_net, "TILE_URL": "", "CACHE_DIR": str(tmp / "cache"),
                      "STOPS_FILE": str(housing_stops), "FLATS_STORE": str(tmp / "flats.geojson"),
                      "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}", "REPORTS_UPLOAD_DIR": str(tmp / "uploads"),
                      "SECRET_KEY": "housing-browser"})
    with serving(app) as base:
        yield base


@pytest.fixture(scope="module")
def chromium(housing_live: str) -> Iterator[Any]:
    with chromium_browser() as b:
        yield b


def _open(chromium: Any, base: str, query: str = "", **context: Any) -> Watched:
    """The map page with the housing panel open and the flats scored."""
    w = Watched(chromium, base, **({"viewport": {"width": 1280, "height": 900}} | context))
    page = w.page
    page.goto(f"{base}/{query}")
    page.wait_for_function("() => window.LBB && window.LBB.app")
    page.click("#tab-housing")
    page.wait_for_selector("#housing-flats li")
    page.wait_for_selector(".leaflet-marker-icon .lbb-icon.flat:is(.score-good, .score-fair, .score-poor)")
    return w


def _card_ready(page: Any) -> None:
    page.wait_for_selector("#housing-card:not([hidden]) .reach-list li")


def test_flats_by_score_a_popup_card_and_two_homes_compared(chromium: Any, housing_live: str) -> None:
    w = _open(chromium, housing_live)
    page = w.page
    try:
        items = page.locator("#housing-flats li")
        scores = [int(s) for s in page.locator("#housing-flats .score-badge").all_inner_texts()]
        assert len(scores) == 3 and scores == sorted(scores, reverse=True)
        assert page.locator("#housing-flats-count").inner_text().startswith("3 byty")
        # the markers carry the score as their text, class (colour and border pattern) and accessible name
        markers = page.locator(".leaflet-marker-icon .lbb-icon.flat")
        assert sorted(int(m) for m in markers.all_inner_texts() if m.strip().isdigit()) == sorted(scores)
        assert page.locator(".leaflet-marker-icon[title*='skóre']").count() == 3
        # the minimum score filters the list
        page.fill("#housing-min-score", str(scores[1]))
        assert 1 <= items.count() <= 2 and all(
            int(s) >= scores[1] for s in page.locator("#housing-flats .score-badge").all_inner_texts())
        page.fill("#housing-min-score", "0")
        assert items.count() == 3

        # a flat's popup shows its card
        page.locator(".leaflet-marker-icon[title*='Nad Sokolovnou 616']").first.click()
        popup = page.locator(".leaflet-popup-content .popup-card")
        popup.locator(".reach-compact li").first.wait_for()
        assert "÷" in popup.inner_text() and "min" in popup.inner_text()
        popup.get_by_role("button", name="Karta dostupnosti").click()
        _card_ready(page)
        assert page.evaluate("() => document.activeElement.id") == "housing-card-heading"
        card = page.locator("#housing-card")
        assert "Nad Sokolovnou" in card.locator("h3").inner_text()
        assert i18n.text("housing.score.definition", "cs")[:40] in card.inner_text()
        unreachable = card.locator(".reach-unreachable")
        assert unreachable.count() >= 1 and "schod" in unreachable.first.inner_text()
        # each destination links to its route, which the planner then draws
        link = card.locator(".reach-reachable a").first
        assert "from=" in link.get_attribute("href") and "to=" in link.get_attribute("href")
        w.shot("housing-card")
        assert axe_violations(page) == []
        link.click()
        page.wait_for_selector("#route-result:not([hidden])", timeout=20_000)
        assert page.get_attribute("#tab-route", "aria-selected") == "true"

        # two homes side by side: this flat and the first of the list
        page.click("#tab-housing")
        card.get_by_role("button", name="Přidat k porovnání").click()
        assert page.locator("#housing-compare-hint").inner_text() == i18n.text("housing.ui.compare_one", "cs")
        other = items.filter(has_not_text="Nad Sokolovnou").first
        other.locator("[data-compare]").click()
        table = page.locator("#housing-compare table")
        table.wait_for()
        heads = table.locator("thead th").all_inner_texts()
        assert len(heads) == 3 and "Nad Sokolovnou" in heads[1] and heads[2] != heads[1]
        assert table.locator("tbody tr").count() == 2 + 9  # score, entrance, nine categories
        w.shot("housing-compare")
        assert axe_violations(page) == []
        w.check_clean()
    finally:
        w.close()


def test_a_map_click_opens_the_card_of_that_point_in_english(chromium: Any, housing_live: str) -> None:
    w = _open(chromium, housing_live, "?lang=en")
    page = w.page
    try:
        assert page.locator("#tab-housing").inner_text() == "Housing"
        assert page.is_checked("#click-card")  # the housing tab makes a map click open a card
        page.evaluate(f"() => LBB.app.map.setView([{UPPER[0]}, {UPPER[1]}], 18, {{animate: false}})")
        page.wait_for_function("() => LBB.app.map.getZoom() === 18")
        click_latlng(page, *UPPER)
        page.wait_for_function("() => document.querySelector('#housing-status').textContent.length > 0")
        _card_ready(page)
        card = page.locator("#housing-card")
        assert "Reach card" in card.locator("h3").inner_text()
        grocery = card.locator(".reach-list li").filter(has_text="Groceries")
        assert "Potraviny Nahoře" in grocery.inner_text() and "min" in grocery.inner_text()
        assert "verified" in grocery.inner_text()
        pharmacy = card.locator(".reach-list li").filter(has_text="Pharmacy")
        assert "Not reachable without barriers" in pharmacy.inner_text()
        assert "Nearest relaxation" in pharmacy.inner_text()
        assert pharmacy.locator("a").inner_text() == "Route with the relaxation"
        # the profile changes the card: walking takes the steps
        page.select_option("#housing-profile", "walking")
        page.wait_for_function("() => /Walking|walk/i.test(document.querySelector('#housing-card').textContent)")
        page.wait_for_function("() => !document.querySelector('#housing-card .reach-list li.reach-unreachable')")
        assert axe_violations(page) == []
        page.click("#tab-route")
        assert page.is_checked("#click-from")  # leaving the tab gives clicks back to the planner
        w.check_clean()
    finally:
        w.close()


def test_open_and_compare_with_the_keyboard_only(chromium: Any, housing_live: str) -> None:
    w = _open(chromium, housing_live, f"?from={UPPER[0]},{UPPER[1]}")
    page = w.page
    try:
        page.focus("#tab-housing")
        _tab_until(page, "housing-profile")
        assert _focus_is_visible(page)
        # any address: the route's start point (set by the planner's search, here by the link) opens its card
        _tab_until(page, "housing-card-start")
        page.keyboard.press("Enter")
        _card_ready(page)
        assert page.evaluate("() => document.activeElement.id") == "housing-card-heading"
        assert f"{UPPER[0]:.5f}" in page.locator("#housing-card h3").inner_text()
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.matches('#housing-flats [data-card]')"):
                break
        else:
            pytest.fail("keyboard focus never reached a flat's card button")
        assert _focus_is_visible(page)
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.activeElement.id === 'housing-card-heading' && "
                               "document.activeElement.textContent.includes('Liberec')")  # the flat's card now
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.matches('#housing-card [data-compare]')"):
                break
        else:
            pytest.fail("keyboard focus never reached the card's compare button")
        page.keyboard.press("Enter")
        page.focus("#housing-flats li:nth-child(2) [data-compare]")
        page.keyboard.press("Enter")
        page.wait_for_selector("#housing-compare table")
        assert page.evaluate("() => document.activeElement.id") == "housing-compare"
        w.check_clean()
    finally:
        w.close()


def test_phone_width(chromium: Any, housing_live: str) -> None:
    w = _open(chromium, housing_live, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = w.page
    try:
        page.locator("#housing-flats [data-card]").first.click()
        _card_ready(page)
        page.locator("#housing-card [data-compare]").click()
        page.locator("#housing-flats li:nth-child(3) [data-compare]").click()
        page.wait_for_selector("#housing-compare table")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
        assert page.locator("#housing-card h3").is_visible()
        assert axe_violations(page) == []
        w.shot("housing-phone-360")
        w.check_clean()
    finally:
        w.close()
