"""The planner page in Chromium: ranking, detail, what-if and package by keyboard, downloads, norms and coverage
tables, axe-core in both languages, a 360 px phone — on the hand-made planner city."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest

from geo.network.model import Network
from tests.webmap.test_browser import (
    Watched,
    _focus_is_visible,
    _tab_until,
    axe_violations,
    chromium_browser,
    serving,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def planner_live(planner_net: Network, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the planner city on 127.0.0.1."""
    from webmap import create_app

    tmp = tmp_path_factory.mktemp("planner-browser")
    app = create_app({"NETWORK": planner_net, "TILE_URL": "", "CACHE_DIR": str(tmp / "cache"),
                      "FLATS_STORE": str(tmp / "flats.geojson"), "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
                      "REPORTS_UPLOAD_DIR": str(tmp / "uploads"), "SECRET_KEY": "planner-browser"})
    with serving(app) as base:
        yield base


@pytest.fixture(scope="module")
def chromium(planner_live: str) -> Iterator[Any]:
    with chromium_browser() as b:
        yield b


def _tab_to(page: Any, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"keyboard focus never reached {selector}")


def _open(chromium: Any, base: str, query: str = "", **context: Any) -> Watched:
    w = Watched(chromium, base, **({"viewport": {"width": 1280, "height": 900}} | context))
    page = w.page
    page.goto(f"{base}/planner{query}")
    page.fill("#pl-minutes", "5")
    page.select_option("#pl-origins", "buildings")
    page.click("#pl-rank")
    page.wait_for_function("() => document.querySelector('#pl-status').textContent.includes(' 3')")
    page.wait_for_selector("#pl-coverage-rows tr")
    return w


def test_rank_inspect_combine_and_package_with_the_keyboard(chromium: Any, planner_live: str) -> None:
    w = _open(chromium, planner_live)
    page = w.page
    try:
        rows = page.locator("#pl-rows tr")
        assert rows.count() == 3
        assert rows.nth(0).locator("td").nth(4).inner_text() == "6"
        page.locator("#pl-rank").focus()
        _tab_until(page, "pl-csv")
        _tab_to(page, "#pl-rows tr:nth-child(1) [data-show]")
        assert _focus_is_visible(page)
        page.keyboard.press("Enter")
        page.wait_for_selector("#pl-detail:not([hidden])")
        assert page.evaluate("() => document.activeElement.id") == "pl-detail"
        assert page.locator("#pl-detail-heading").inner_text().startswith("1. Schody")
        assert page.locator("#pl-examples li").count() == 4
        assert "nedosažitelné" in page.locator("#pl-examples").inner_text()
        assert page.locator(".leaflet-marker-pane .home-mark").count() == 2
        for i in (2, 3):  # the two flights in a row, ticked with the space bar
            _tab_to(page, f"#pl-rows tr:nth-child({i}) [data-select]")
            page.keyboard.press("Space")
        assert "2 bariéry" in page.locator("#pl-selected-count").inner_text()
        _tab_until(page, "pl-whatif")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelector('#pl-whatif-result').textContent.includes('Dohromady')")
        assert "zisk 2" in page.locator("#pl-whatif-result").inner_text()
        _tab_until(page, "pl-k")
        page.keyboard.press("Control+A")
        page.keyboard.type("3")
        _tab_until(page, "pl-package")
        page.keyboard.press("Enter")
        page.wait_for_selector("#pl-package-steps li")
        assert page.locator("#pl-package-steps li").count() == 1
        assert "další oprava" in page.locator("#pl-package-status").inner_text()
        assert axe_violations(page) == []
        w.shot("planner-package")
        w.check_clean()
    finally:
        w.close()


def test_downloads_norms_and_coverage(chromium: Any, planner_live: str) -> None:
    w = _open(chromium, planner_live, "?lang=en")
    page = w.page
    try:
        csv_text = page.request.get(planner_live + page.get_attribute("#pl-csv", "href")).text()
        geojson = json.loads(page.request.get(planner_live + page.get_attribute("#pl-geojson", "href")).text())
        ids = [r["barrier_id"] for r in csv.DictReader(io.StringIO(csv_text))]
        assert ids == [f["properties"]["barrier_id"] for f in geojson["features"]] and len(ids) == 3
        norms = page.locator("#pl-norms-rows tr")
        assert norms.count() == 5 and "Steps without a ramp" in norms.nth(4).inner_text()
        assert page.locator("#pl-coverage-rows tr").count() == 2
        assert "city part" in page.locator("#pl-coverage-kind").inner_text()
        page.evaluate("() => LBB.app.map.setZoom(17)")
        page.locator(".leaflet-control-layers").hover()
        page.get_by_role("checkbox", name="Compliance with the regulation").check()
        page.wait_for_function("() => document.querySelectorAll('.leaflet-overlay-pane path').length > 6")
        assert axe_violations(page) == []
        w.shot("planner-en")
        w.check_clean()
    finally:
        w.close()


def test_phone_width(chromium: Any, planner_live: str) -> None:
    w = _open(chromium, planner_live, "", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    try:
        assert w.page.evaluate("() => document.documentElement.scrollWidth") <= 360
        assert axe_violations(w.page) == []
        w.check_clean()
    finally:
        w.close()
