"""The map in a real browser: Playwright driving Debian's Chromium against the app served locally.

Covers planning by mouse and by keyboard only, reporting a barrier, moderation changing the
route, the language switch, axe-core accessibility checks on every page, a 360 px phone, and
that the page makes no request to any other host and logs no console errors. Screenshots of the
main states go to ``test-artifacts/``.
"""

from __future__ import annotations

import contextlib
import json
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from geo.network.model import Network

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
A = (60.1688, 24.9402)
B = (60.1730, 24.9510)


@pytest.fixture(scope="module")
def live(helsinki_net: Network, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The app (Helsinki sample, its own database) on 127.0.0.1 in a thread."""
    from werkzeug.serving import make_server

    from webmap import create_app

    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is missing: apt-get install -y chromium (.ci/run does it)")
    tmp = tmp_path_factory.mktemp("browser")
    app = create_app({"NETWORK": helsinki_net, "TILE_URL": "", "CACHE_DIR": str(tmp / "cache"),
                      "DATABASE_URL": f"sqlite:///{tmp / 'lbb.sqlite3'}", "REPORTS_UPLOAD_DIR": str(tmp / "uploads"),
                      "REPORTS_POLL_INTERVAL_S": 0.1, "SECRET_KEY": "browser-test"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield {"base": f"http://127.0.0.1:{server.server_port}", "app": app}
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def browser(live: dict[str, Any]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM),
                               args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


class Watched:
    """A page with its console errors and outside requests recorded."""

    def __init__(self, browser: Any, base: str, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.outside.append(r.url)
                     if not r.url.startswith((base, "data:")) else None)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def check_clean(self, expected_http: tuple[int, ...] = ()) -> None:
        """No console errors (but the browser's note on an expected API status), no outside request."""
        notes = tuple(f"the server responded with a status of {code}" for code in expected_http)
        errors = [e for e in self.errors
                  if not (notes and "Failed to load resource" in e and any(n in e for n in notes))]
        assert errors == [], errors
        assert self.outside == [], self.outside
        assert self.dialogs == [], self.dialogs

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), animations="disabled")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser: Any, live: dict[str, Any]) -> Iterator[Watched]:
    w = Watched(browser, live["base"], viewport={"width": 1280, "height": 900})
    yield w
    w.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result.response["violations"]]


def wait_route(page: Any) -> None:
    page.wait_for_selector("#route-result:not([hidden])", timeout=20_000)


def summary(page: Any) -> dict[str, str]:
    dts = page.locator("#route-summary dt").all_inner_texts()
    dds = page.locator("#route-summary dd").all_inner_texts()
    return dict(zip(dts, dds, strict=True))


def click_latlng(page: Any, lat: float, lon: float) -> None:
    box = page.locator(".folium-map").bounding_box()
    pt = page.evaluate(f"() => {{ const p = LBB.app.map.latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y]; }}")
    page.mouse.click(box["x"] + pt[0], box["y"] + pt[1])


def test_plan_a_route_by_clicking_the_map(watched: Watched) -> None:
    page = watched.page
    page.goto(watched.base + "/")
    page.wait_for_function("() => window.LBB && window.LBB.app")
    page.evaluate(f"() => LBB.app.map.setView([{(A[0] + B[0]) / 2}, {(A[1] + B[1]) / 2}], 16)")
    page.wait_for_timeout(300)
    click_latlng(page, *A)
    click_latlng(page, *B)
    wait_route(page)
    s = summary(page)
    assert s["Délka"].endswith(("m", "km")) and "min" in s["Čas"]
    assert page.locator("#directions li").count() >= 2
    assert page.locator("#directions li").last.inner_text() == "Jste v cíli."
    assert "from=" in page.input_value("#share-link")
    watched.shot("route-planned")
    watched.check_clean()


def _tab_until(page: Any, element_id: str, limit: int = 40) -> None:
    for _ in range(limit):
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    pytest.fail(f"keyboard focus never reached #{element_id}")


def _focus_is_visible(page: Any) -> bool:
    return page.evaluate("""() => {
        const el = document.activeElement;
        const s = getComputedStyle(el);
        return el.matches(':focus-visible') && (s.outlineStyle !== 'none' || s.boxShadow !== 'none');
    }""")


def test_plan_a_route_with_the_keyboard_only(watched: Watched) -> None:
    page = watched.page
    page.goto(watched.base + "/?lang=en")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    _tab_until(page, "from-input")
    assert _focus_is_visible(page)
    page.keyboard.type("Mannerheimintie 6")
    page.wait_for_selector("#from-list:not([hidden]) #from-opt-0")
    page.wait_for_timeout(300)  # let the last keystroke's search settle
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#from-input", "aria-activedescendant") == "from-opt-0"
    page.keyboard.press("Enter")
    assert page.get_attribute("#from-input", "aria-expanded") == "false"
    _tab_until(page, "to-input")
    page.keyboard.type("Kaisaniemenkatu")
    page.wait_for_selector("#to-list:not([hidden]) #to-opt-0")
    page.wait_for_timeout(300)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    _tab_until(page, "profile")
    page.keyboard.press("ArrowDown")  # electric wheelchair
    assert page.input_value("#profile") == "electric_wheelchair"
    _tab_until(page, "plan")
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    wait_route(page)
    page.wait_for_function("() => document.querySelector('#route-status').textContent.startsWith('Route found')")
    s = summary(page)
    assert {"Length", "Time", "Verified data"} <= set(s)
    items = page.locator("ol#directions > li").all_inner_texts()
    assert items[0].startswith("Head ") and items[-1] == "You have arrived."
    # the profile's change planned the route already: wait for the answer to the Enter, not only a route shown
    page.wait_for_function("() => document.querySelector('#route-status').textContent.startsWith('Route found')")
    watched.shot("route-keyboard-en")
    watched.check_clean()


def test_no_route_offers_relaxations(watched: Watched, helsinki_net: Network) -> None:
    import numpy as np

    from geo.routing.profiles import PROFILES, edge_cost_s

    a = helsinki_net.arrays
    cost = edge_cost_s(a, PROFILES["manual_wheelchair"])
    usable = np.zeros(helsinki_net.n_nodes, bool)
    usable[a.src[np.isfinite(cost)]] = True
    page = watched.page
    for i in np.flatnonzero(~usable)[:30]:
        lat, lon = helsinki_net.nodes["lat"].iat[i], helsinki_net.nodes["lon"].iat[i]
        page.goto(f"{watched.base}/?from={lat},{lon}&to={A[0]},{A[1]}&profile=manual_wheelchair")
        page.wait_for_function("() => document.querySelector('#route-status').textContent.length > 12")
        if page.locator("#route-problem").is_visible():
            break
    else:
        pytest.fail("no unroutable start found")
    assert page.locator("#route-status").inner_text() == "Trasu pro zvolený profil nelze najít."
    buttons = page.locator("#route-problem [data-relax]")
    if buttons.count():
        buttons.first.click()
        page.wait_for_function("() => !document.querySelector('#route-problem').hidden || "
                               "!document.querySelector('#route-result').hidden")
    watched.shot("no-route")
    watched.check_clean(expected_http=(404,))  # /api/route answers 404 no_route by design


def test_services_nearest_and_isochrone(watched: Watched) -> None:
    page = watched.page
    page.goto(f"{watched.base}/?from={A[0]},{A[1]}&to={B[0]},{B[1]}")
    wait_route(page)
    page.click("#tab-services")
    page.wait_for_selector("#services-list li")
    total = page.locator("#services-list li").count()
    page.fill("#service-q", "palac liebieg")
    assert 1 <= page.locator("#services-list li").count() < total
    assert "Liebieg" in page.locator("#services-list li").first.inner_text()
    page.fill("#service-q", "")
    page.click("#nearest-button")
    page.wait_for_selector("#nearest-list li")
    assert "cesty" in page.locator("#nearest-list li").first.inner_text()
    page.fill("#iso-minutes", "5")
    page.click("#iso-button")
    page.wait_for_function("() => document.querySelector('#iso-result').textContent.includes('min')")
    assert page.locator(".leaflet-overlay-pane path").count() > 0
    watched.shot("services-isochrone")
    watched.check_clean()


def _route_midpoint(base: str, profile: str = "manual_wheelchair") -> tuple[float, float, float]:
    url = f"{base}/api/route?from={A[0]},{A[1]}&to={B[0]},{B[1]}&profile={profile}"
    with urllib.request.urlopen(url) as resp:
        fc = json.loads(resp.read())
    coords = fc["features"][0]["geometry"]["coordinates"]
    lon, lat = coords[len(coords) // 2]
    return lat, lon, fc["features"][0]["properties"]["duration_s"]


def test_report_confirmed_by_a_moderator_changes_the_route(watched: Watched, browser: Any,
                                                            live: dict[str, Any]) -> None:
    from webmap import resources

    base = live["base"]
    lat, lon, before_s = _route_midpoint(base)
    page = watched.page
    page.goto(f"{base}/?from={A[0]},{A[1]}&to={B[0]},{B[1]}&profile=manual_wheelchair")
    wait_route(page)
    first = page.get_attribute("#route-result", "data-duration-s")
    assert float(first) == pytest.approx(before_s, abs=0.1)
    page.click("#tab-report")
    page.fill("#report-lat", f"{lat:.6f}")
    page.fill("#report-lon", f"{lon:.6f}")
    page.select_option("#report-category", "obstacle")
    page.check("#severity-3")
    page.fill("#report-description", "<script>alert('x')</script> Lešení přes celý chodník")
    page.click("#report-form button[type=submit]")
    page.wait_for_function("() => document.querySelector('#report-status').textContent.includes('č.')")
    text = page.locator("#report-status").inner_text()
    report_id = int(text.split("č. ")[1].split(" ")[0])
    watched.shot("report-submitted")
    # a submitted report never changes routes
    assert _route_midpoint(base)[2] == pytest.approx(before_s)

    with live["app"].app_context():
        resources.moderators().create("moderator", "s3cret-pass", now=datetime.now(UTC))
    link = "https://example.org/kerb.jpg?a=<b>"  # an Open311 client's link to its photo: text, never loaded
    linked = live["app"].test_client().post("/open311/v2/requests.json", data={
        "service_code": "steps", "lat": f"{lat:.6f}", "long": f"{lon:.6f}", "media_url": link})
    linked_id = linked.get_json()[0]["service_request_id"]
    mod = Watched(browser, base, viewport={"width": 1280, "height": 900})
    try:
        mp = mod.page
        mp.goto(base + "/moderation")
        mp.wait_for_selector("#login-section:not([hidden])")
        assert axe_violations(mp) == []
        mp.fill("#login-name", "moderator")
        mp.fill("#login-password", "s3cret-pass")
        mp.click("#login-form button[type=submit]")
        item = mp.locator(f"#report-{report_id}")
        item.wait_for()
        assert "<script>alert('x')</script> Lešení" in item.inner_text()  # shown as text, not run
        with_link = mp.locator(f"#report-{linked_id} .media-link")
        assert with_link.inner_text() == "https://example.org/kerb.jpg?a=%3Cb%3E"
        assert mp.locator(f"#report-{linked_id} a, #report-{linked_id} img[src]").count() == 0
        assert axe_violations(mp) == []
        mod.shot("moderation-queue")
        item.locator("select[name=status]").select_option("confirmed")
        item.locator("button[type=submit]").click()
        mp.wait_for_function("() => document.querySelector('#mod-status').textContent.includes('potvrzeno')")
        mod.check_clean()
    finally:
        mod.close()

    page.click("#tab-route")
    for _ in range(30):  # the overlay follows the database within the poll interval
        page.click("#plan")
        page.wait_for_function("() => document.querySelector('#route-status').textContent.startsWith('Trasa nalezena')"
                               " || document.querySelector('#route-status').textContent.startsWith('Trasu')")
        if page.get_attribute("#route-result", "data-duration-s") != first:
            break
        page.wait_for_timeout(200)
    assert float(page.get_attribute("#route-result", "data-duration-s")) > float(first)  # a detour
    assert any("Nahlášená bariéra" in w for w in page.locator("#route-warnings li").all_inner_texts())
    watched.shot("route-after-report")
    watched.check_clean()


def test_language_switch(watched: Watched) -> None:
    page = watched.page
    page.goto(watched.base + "/")
    assert page.get_attribute("html", "lang") == "cs"
    assert page.locator("#tab-route").inner_text() == "Trasa"
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("#tab-route").inner_text() == "Route"
    assert "Sample data" in page.locator("#data-source").inner_text()
    page.goto(watched.base + "/")  # remembered in a cookie
    assert page.get_attribute("html", "lang") == "en"
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "cs"
    watched.check_clean()


@pytest.mark.parametrize("path", ["/", "/?lang=en", "/moderation", "/moderation?lang=en"])
def test_axe_finds_no_violations(watched: Watched, path: str) -> None:
    page = watched.page
    page.goto(watched.base + path)
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []
    watched.check_clean()


def test_axe_on_every_panel_with_results(watched: Watched) -> None:
    page = watched.page
    page.goto(f"{watched.base}/?from={A[0]},{A[1]}&to={B[0]},{B[1]}")
    wait_route(page)
    page.locator("#advanced summary").click()
    assert axe_violations(page) == []
    page.click("#tab-services")
    page.wait_for_selector("#services-list li")
    assert axe_violations(page) == []
    page.click("#tab-report")
    assert axe_violations(page) == []
    watched.check_clean()


def test_phone_width(browser: Any, live: dict[str, Any]) -> None:
    w = Watched(browser, live["base"], viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    try:
        page = w.page
        page.goto(f"{live['base']}/?from={A[0]},{A[1]}&to={B[0]},{B[1]}")
        wait_route(page)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
        assert page.locator("#plan").is_visible()
        assert page.locator(".folium-map").bounding_box()["width"] <= 360
        assert axe_violations(page) == []
        w.shot("phone-360")
        w.check_clean()
    finally:
        w.close()


def _page_api(page: Any, path: str) -> dict[str, Any]:
    """Call the API through the page's own client (its language negotiation included); the error body."""
    return page.evaluate("""async (path) => {
        const { api } = await import('/static/js/api.js');
        try { await api(path); return {ok: true}; } catch (err) { return {status: err.status, body: err.body}; }
    }""", path)


def test_the_czech_page_shows_no_english_message(browser: Any, live: dict[str, Any], helsinki_net: Network,
                                                 helsinki_router: Any) -> None:
    """A browser that prefers English, on the Czech page (the default): no route, a wrong login, minutes
    out of range and an unknown profile all answer in Czech."""
    from geo import i18n
    from geo.errors import NoRouteError
    from geo.routing.profiles import PROFILES

    w = Watched(browser, live["base"], locale="en-US", viewport={"width": 1280, "height": 900})
    page = w.page
    try:
        page.goto(live["base"] + "/")
        page.wait_for_function("() => window.LBB && window.LBB.app")
        assert page.locator("html").get_attribute("lang") == "cs"
        pts = helsinki_net.nodes[["lat", "lon"]].to_numpy()
        start = None
        for lat, lon in pts[::7]:
            try:
                helsinki_router.route((lon, lat), (A[1], A[0]), PROFILES["manual_wheelchair"])
            except NoRouteError:
                start = (lat, lon)
                break
        assert start is not None
        no_route = _page_api(page, f"/api/route?from={start[0]},{start[1]}&to={A[0]},{A[1]}"
                                   "&profile=manual_wheelchair")
        assert no_route["status"] == 404
        assert no_route["body"]["message"].startswith(("Pro profil", "Body nejsou", "Nejbližší cest"))
        profile = _page_api(page, f"/api/route?from={A[0]},{A[1]}&to={B[0]},{B[1]}&profile=rocket")
        assert profile["status"] == 400
        assert profile["body"]["message"] == i18n.text("route.unknown_profile", "cs", value="rocket",
                                                       choices=", ".join(PROFILES))
        page.goto(f"{live['base']}/?from={A[0]},{A[1]}")
        page.click("#tab-services")
        page.fill("#iso-minutes", "500")
        page.click("#iso-button")
        page.wait_for_function("() => /minutes/.test(document.querySelector('#iso-result').textContent)")
        iso = page.locator("#iso-result").inner_text()
        assert i18n.text("validation.less_than_equal", "cs", field="minutes", le=120) in iso
        assert "must be" not in iso
        page.goto(live["base"] + "/moderation")
        page.fill("#login-name", "nobody")
        page.fill("#login-password", "wrong password")
        page.click("#login-form button[type=submit]")
        page.wait_for_function("() => document.querySelector('#mod-status').textContent.length > 5")
        status = page.locator("#mod-status").inner_text()
        assert i18n.text("auth.wrong_login", "cs") in status and i18n.text("auth.wrong_login", "en") not in status
        w.check_clean(expected_http=(400, 401, 404))
    finally:
        w.close()


# --------------------------------------------------------------------------- the programme tracker


def _first_linked_service(base: str) -> tuple[str, str]:
    """(commitment id, service id) of the first commitment that links a service record."""
    with urllib.request.urlopen(f"{base}/api/programme") as resp:
        body = json.load(resp)
    return next((c["id"], r["id"]) for s in body["sections"] for c in s["commitments"] for r in c["records"]
                if r["layer"] == "services")


def test_programme_page_with_the_keyboard_and_axe(watched: Watched) -> None:
    page = watched.page
    for path in ("/programme?lang=en", "/programme?lang=cs"):
        page.goto(watched.base + path)
        page.wait_for_selector("#programme-list li.commitment")
        assert axe_violations(page) == []
    total = page.locator("li.commitment").count()
    assert page.locator("#programme-status").inner_text() == f"Zobrazeno {total} závazků z {total}."
    # the sample is not Liberec: the page says the records are listed, not drawn
    assert page.locator("#programme-notice").is_visible() and "ne Liberec" in page.inner_text("#programme-notice")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "programme-list"
    page.goto(watched.base + "/programme")
    page.wait_for_selector("#programme-list li.commitment")
    _tab_until(page, "status-filter")
    assert _focus_is_visible(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # not started, then in progress
    assert page.input_value("#status-filter") == "in_progress"
    statuses = page.locator("li.commitment").evaluate_all("(items) => items.map((li) => li.dataset.status)")
    assert statuses and set(statuses) == {"in_progress"} and len(statuses) < total
    watched.shot("programme-cs")
    watched.check_clean()


def test_a_service_card_and_its_commitment_link_each_other(watched: Watched) -> None:
    page = watched.page
    commitment, service = _first_linked_service(watched.base)
    page.goto(f"{watched.base}/?show=services:{service}")  # a link of the programme page
    page.wait_for_function(f"() => document.activeElement && document.activeElement.dataset.service === '{service}'")
    card = page.locator(f'[data-service="{service}"]')
    assert "ověřeno" in card.inner_text() and "zdroj" in card.inner_text()  # the compact provenance line
    card.locator("details.provenance summary").click()
    assert card.locator("details.provenance a").count() >= 1
    assert axe_violations(page) == []
    link = card.locator(f'.commitment-links a[href="/programme#c-{commitment}"]')
    link.click()
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === 'c-{commitment}'")
    back = page.locator(f"#c-{commitment} .record-list a[href*='{service}']")
    assert "v seznamu služeb" in back.inner_text()  # not placed on the Helsinki sample: the list, not the map
    back.click()
    page.wait_for_function(f"() => document.activeElement && document.activeElement.dataset.service === '{service}'")
    watched.check_clean()


def test_the_api_docs_page_shows_the_contract_from_local_files(watched: Watched, live: dict[str, Any]) -> None:
    watched.page.goto(live["base"] + "/api/docs")
    watched.page.wait_for_selector(".opblock", timeout=30_000)
    assert watched.page.locator(".opblock").count() >= 20  # every operation of the document
    watched.check_clean()  # no CSP violation, no request to another host


# --------------------------------------------------------------------------- the map and the planner's flows


def _wait_route_request_done(page: Any, before: int) -> None:
    page.wait_for_function(f"() => window.__routes && window.__routes.length > {before}", timeout=20_000)
    page.wait_for_function("() => !/Načítám|Loading/.test(document.querySelector('#route-status').textContent)")


def _watch_route_status(page: Any) -> None:
    """Record every answer of /api/route and every error the route status line ever shows."""
    page.evaluate("""() => {
        window.__routes = [];
        window.__statusErrors = [];
        const status = document.querySelector('#route-status');
        new MutationObserver(() => {
            if (status.classList.contains('error')) window.__statusErrors.push(status.textContent);
        }).observe(status, {attributes: true, childList: true, characterData: true, subtree: true});
    }""")
    page.on("response", lambda r: page.evaluate("(u) => window.__routes.push(u)", r.url)
            if "/api/route?" in r.url else None)


def _pick_both_ends(page: Any, base: str, *, tap: bool) -> None:
    """Open the English page, watch the route answers, pick both ends from the search suggestions (a tap on a
    phone) and wait for the route they plan."""
    page.goto(base + "/?lang=en")
    page.wait_for_function("() => window.LBB && window.LBB.app")
    _watch_route_status(page)
    for which, query in (("from", "Mannerheimintie 6"), ("to", "Kaisaniemenkatu")):
        page.fill(f"#{which}-input", query)
        page.wait_for_selector(f"#{which}-list:not([hidden]) #{which}-opt-0")
        page.wait_for_timeout(300)
        (page.tap if tap else page.click)(f"#{which}-opt-0")
    wait_route(page)


def test_search_picks_and_limits_plan_and_a_new_start_keeps_the_destination(watched: Watched) -> None:
    page = watched.page
    _pick_both_ends(page, watched.base, tap=False)  # picking both ends planned the route: no Plan button pressed
    assert page.is_checked("#click-to")  # the next click sets the destination
    planned = page.evaluate("() => window.__routes.length")
    page.locator("#advanced summary").click()
    page.focus("#max_kerb_cm")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # two steps, one request after the slider stops moving
    _wait_route_request_done(page, planned)
    page.wait_for_timeout(600)
    assert page.evaluate("() => window.__routes.length") == planned + 1
    assert "max_kerb_cm=" in page.input_value("#share-link")
    to_before = page.evaluate("() => LBB.app.state.to")
    page.check("#click-from")
    page.evaluate(f"() => LBB.app.map.setView([{A[0]}, {A[1]}], 17)")
    page.wait_for_timeout(300)
    count = page.evaluate("() => window.__routes.length")
    click_latlng(page, A[0] + 0.0004, A[1] + 0.0004)
    _wait_route_request_done(page, count)
    wait_route(page)
    assert page.evaluate("() => LBB.app.state.to") == to_before  # the destination stays
    assert page.evaluate("() => window.__statusErrors") == []  # and no error flashed meanwhile
    watched.check_clean()


def test_a_service_without_a_position_is_found_and_said_so(watched: Watched) -> None:
    page = watched.page
    page.goto(watched.base + "/")
    page.fill("#to-input", "Liebieg")
    option = page.locator("#to-list:not([hidden]) #to-opt-0")
    option.wait_for()
    assert option.get_attribute("aria-disabled") == "true" and "zatím bez polohy" in option.inner_text()
    page.wait_for_timeout(300)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert "zatím nemá na této mapě polohu" in page.inner_text("#route-status")
    assert page.evaluate("() => LBB.app.state.to") is None
    watched.check_clean()


def test_warnings_and_checks_show_their_places(watched: Watched) -> None:
    page = watched.page
    page.goto(f"{watched.base}/?from={A[0]},{A[1]}&to={B[0]},{B[1]}&profile=manual_wheelchair&max_kerb_cm=0&lang=en")
    wait_route(page)
    checks = page.locator("#route-checks li").all_inner_texts()
    assert any("your 0 cm kerb limit could not be checked" in c for c in checks)
    page.click("#try-verified")  # a route on verified stretches only (or why there is none)
    page.wait_for_function("() => /avoid_unknown=true/.test(location.search) || "
                           "!document.querySelector('#route-problem').hidden")
    page.goto(f"{watched.base}/?from={A[0]},{A[1]}&to={B[0]},{B[1]}&profile=manual_wheelchair&lang=en")
    wait_route(page)
    button = page.locator("#route-warnings button[data-warning]").first
    kind = button.get_attribute("data-warning")
    page.evaluate("() => LBB.app.map.setView([60.0, 24.0], 12)")
    button.click()
    page.wait_for_timeout(500)
    centre = page.evaluate("() => { const c = LBB.app.map.getCenter(); return [c.lat, c.lng, LBB.app.map.getZoom()]; }")
    assert abs(centre[0] - 60.17) < 0.01 and abs(centre[1] - 24.945) < 0.02 and centre[2] >= 15
    assert page.locator(".leaflet-tooltip").count() >= 1, kind  # the first place says what it is
    watched.check_clean(expected_http=(404,))  # verified stretches only may find no route


def test_a_map_click_in_report_mode_opens_the_report_form(watched: Watched) -> None:
    page = watched.page
    page.goto(watched.base + "/")
    page.wait_for_function("() => window.LBB && window.LBB.app")
    page.check("#click-report")
    click_latlng(page, *A)
    page.wait_for_selector("#report:not([hidden])")
    assert page.get_attribute("#tab-report", "aria-selected") == "true"
    assert abs(float(page.input_value("#report-lat")) - A[0]) < 0.001
    assert "Místo bariéry" in page.inner_text("#report-status")
    box = page.locator("#report-location").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 900  # in view
    watched.check_clean()


def test_service_filters_filter_the_markers_and_nearest_says_accessible(watched: Watched) -> None:
    page = watched.page
    page.goto(f"{watched.base}/?from={A[0]},{A[1]}")
    page.click("#tab-services")
    page.wait_for_selector("#services-list li")
    every = page.evaluate("() => LBB.app.serviceMarkers()")
    placed = page.locator("#services-list li .actions").count()
    assert every == placed > 0
    first = page.locator("#services-list li .name").first.inner_text()
    page.fill("#service-q", first)
    shown = page.locator("#services-list li .actions").count()
    assert page.evaluate("() => LBB.app.serviceMarkers()") == shown < every
    page.fill("#service-q", "")
    assert page.evaluate("() => LBB.app.serviceMarkers()") == every
    names = page.locator("#services-list li .name").all_inner_texts()
    assert not any("(plánovaná)" in n for n in names)  # the status says "planned" once
    assert page.is_visible("label[for=nearest-unknown]") and not page.is_checked("#nearest-unknown")
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/services/nearest" in r.url else None)
    page.click("#nearest-button")
    page.wait_for_function("() => /služ/.test(document.querySelector('#services-status').textContent)")
    assert asked and "wheelchair=yes%2Climited" in asked[-1]
    watched.check_clean()


def test_moderation_shows_a_small_map_and_local_time(browser: Any, live: dict[str, Any]) -> None:
    from webmap import resources

    base = live["base"]
    body = {"lat": str(A[0]), "lon": str(A[1]), "category": "steps", "severity": "2", "description": "Schod u vchodu"}
    req = urllib.request.Request(f"{base}/api/reports", data=urllib.parse.urlencode(body).encode(), method="POST")
    with urllib.request.urlopen(req) as resp:
        report_id = json.loads(resp.read())["id"]
    with live["app"].app_context():
        resources.moderators().create("mod-maps", "s3cret-pass", now=datetime.now(UTC))
    w = Watched(browser, base, viewport={"width": 1280, "height": 900}, timezone_id="Europe/Prague")
    try:
        page = w.page
        page.goto(base + "/moderation")
        page.fill("#login-name", "mod-maps")
        page.fill("#login-password", "s3cret-pass")
        page.click("#login-form button[type=submit]")
        item = page.locator(f"#report-{report_id}")
        item.wait_for()
        item.locator(".mini-map.leaflet-container").wait_for()
        page.wait_for_function(f"() => document.querySelectorAll('#report-{report_id} .mini-map path').length > 3")
        assert item.locator(".mini-map").get_attribute("aria-label") == f"Mapa místa hlášení č. {report_id}"
        meta = item.locator("[data-slot=meta]").inner_text()
        assert "T" not in meta.split("Vytvořeno")[-1] and "+00:00" not in meta  # a local time, not ISO UTC
        assert axe_violations(page) == []
        w.check_clean()
    finally:
        w.close()


def test_the_map_at_street_zoom_on_a_desktop_and_a_phone(browser: Any, live: dict[str, Any]) -> None:
    """The base map, street names and the restyled network at street zoom; the phone's header and banner stay
    within 120 px, the panel folds away, and the A/B markers stay above every other marker."""
    for name, context in (("desktop", {"viewport": {"width": 1280, "height": 900}}),
                          ("phone", {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True})):
        w = Watched(browser, live["base"], **context)
        try:
            page = w.page
            page.goto(f"{live['base']}/?from={A[0]},{A[1]}&to={B[0]},{B[1]}")
            wait_route(page)
            labels = 3 if name == "desktop" else 1  # a phone's map shows a few streets
            # street zoom (set again should the route's zoom animation still end after it)
            page.wait_for_function(f"""() => {{
                const m = LBB.app.map;
                if (m.getZoom() !== 17) m.setView([60.1685, 24.9440], 17, {{animate: false}});
                return m.getZoom() === 17 && document.querySelectorAll('.street-label').length > {labels};
            }}""", polling=500)
            page.wait_for_timeout(500)
            assert page.locator(".leaflet-lbbBase-pane path").count() > 20  # the base map under the network
            names = page.evaluate("() => [...document.querySelectorAll('.leaflet-lbbLabels-pane .street-label-text')]"
                                  ".map((e) => e.textContent)")
            assert names and all(names), (name, names)  # street names in their own pane above the network
            header = page.evaluate("() => Math.max(...['.topbar', '#data-source'].map((s) => "
                                   "document.querySelector(s).getBoundingClientRect().bottom))")
            if name == "phone":
                assert header <= 120, header
                point = page.locator(".lbb-icon.point").first.locator("xpath=..")
                z_point = int(point.evaluate("(e) => getComputedStyle(e).zIndex"))
                others = page.locator(".leaflet-marker-icon:not(:has(.point))").evaluate_all(
                    "(els) => els.map((e) => parseInt(getComputedStyle(e).zIndex, 10))")
                assert all(z_point > z for z in others)
                assert axe_violations(page) == []
            w.shot(f"map-street-{name}")
            if name == "phone":
                page.click("#panel-toggle")
                assert page.get_attribute("#panel-toggle", "aria-expanded") == "false"
                assert not page.is_visible("#tab-route")
                page.click("#panel-toggle")
                assert page.is_visible("#tab-route")
            w.check_clean()
        finally:
            w.close()


def test_the_flows_on_a_phone(browser: Any, live: dict[str, Any]) -> None:
    """At 360 × 740: search picks plan, a limit re-plans, report mode opens its tab with the place in view, the
    service filter filters the markers, the nearest services ask for accessible ones — on one page."""
    w = Watched(browser, live["base"], viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    try:
        page = w.page
        _pick_both_ends(page, live["base"], tap=True)
        planned = page.evaluate("() => window.__routes.length")
        page.locator("#advanced summary").tap()
        page.focus("#max_kerb_cm")
        page.keyboard.press("ArrowLeft")
        _wait_route_request_done(page, planned)
        assert page.evaluate("() => window.__statusErrors") == []
        page.check("#click-report")
        page.locator(".folium-map").scroll_into_view_if_needed()
        page.evaluate(f"() => LBB.app.map.setView([{A[0]}, {A[1]}], 17, {{animate: false}})")
        page.wait_for_timeout(300)
        click_latlng(page, *A)
        page.wait_for_selector("#report:not([hidden])")
        box = page.locator("#report-location").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 740  # the place's fields in view
        page.tap("#tab-services")
        page.wait_for_selector("#services-list li")
        every = page.evaluate("() => LBB.app.serviceMarkers()")
        page.fill("#service-q", page.locator("#services-list li .name").first.inner_text())
        assert page.evaluate("() => LBB.app.serviceMarkers()") < every
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url) if "/api/services/nearest" in r.url else None)
        page.tap("#nearest-button")
        page.wait_for_function("() => /service/.test(document.querySelector('#services-status').textContent)")
        assert asked and "wheelchair=yes%2Climited" in asked[-1]
        assert axe_violations(page) == []
        w.check_clean()
    finally:
        w.close()


# --------------------------------------------------------------------------- help verify


def test_help_verify_by_keyboard_and_on_a_phone(watched: Watched, browser: Any, live: dict[str, Any]) -> None:
    """The verify mode: questions as markers and a list, one question with big answer buttons answered with the
    keyboard alone, the thanks, and the routes that improved once a second person agreed."""
    from geo.reports.audit_model import TaskRef
    from geo.reports.model import utcnow
    from webmap import resources

    page = watched.page
    page.goto(watched.base + "/")
    page.wait_for_function("() => window.LBB && window.LBB.app")
    page.focus("#tab-route")
    page.keyboard.press("End")  # the tabs pattern: the last tab is "Help verify"
    assert page.evaluate("() => document.activeElement.id") == "tab-verify"
    page.wait_for_selector("#verify-card:not([hidden])", timeout=20_000)
    assert page.locator(".lbb-icon.audit").count() >= 1 and page.locator("#verify-list li").count() >= 1
    assert page.locator(".lbb-icon.audit.active").count() == 1
    question = page.locator("#verify-question").inner_text()
    assert question.endswith("?") and page.locator("#verify-options button.answer").count() >= 3
    assert axe_violations(page) == []
    watched.shot("verify-question")
    assert page.locator("#verify-list li[aria-current]").inner_text().startswith(question)
    _tab_until(page, "verify-option-1")
    assert _focus_is_visible(page)
    value = page.get_attribute("#verify-option-1", "value")
    with page.expect_response(lambda r: r.url.endswith("/api/audits/answers")) as resp:
        page.keyboard.press("Enter")
    answered = resp.value.json()
    assert answered["status"] == "open" and answered["answers"] == 1
    page.wait_for_function("() => document.querySelector('#verify-status').textContent.startsWith('Děkujeme')")
    assert page.evaluate("() => document.activeElement.id") == "verify-question"  # the next question, focused
    assert page.locator("#verify-status").inner_text().startswith("Děkujeme! K ověření chybí ještě 1")
    with live["app"].app_context():  # someone else agrees
        ref = TaskRef.parse(answered["task_id"])
        resources.audits().add_answer(ref, value, client="another person", now=utcnow(), needed=2,
                                      where=(0.0, 0.0))
    for _ in range(40):  # the overlay follows the database within the poll interval
        page.click("#verify-refresh")
        page.wait_for_timeout(150)
        details = page.locator("#verify-progress-details").inner_text()
        if details and not details.startswith("Odpovědi zlepšily údaje 0 "):
            break
    assert details.startswith("Odpovědi zlepšily údaje") and not details.startswith("Odpovědi zlepšily údaje 0 ")
    watched.shot("verify-progress")
    watched.check_clean()

    phone = Watched(browser, live["base"], viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    try:
        p = phone.page
        p.goto(live["base"] + "/?lang=en")
        p.wait_for_function("() => window.LBB && window.LBB.app")
        p.click("#tab-verify")
        p.wait_for_selector("#verify-card:not([hidden])", timeout=20_000)
        assert p.evaluate("() => document.documentElement.scrollWidth") <= 360
        button = p.locator("#verify-options button.answer").first
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 260  # big enough for a thumb
        assert p.locator("#tab-verify").inner_text() == "Help verify"
        assert axe_violations(p) == []
        button.click()
        p.wait_for_function("() => document.querySelector('#verify-status').textContent.startsWith('Thank you')")
        phone.shot("verify-phone-360")
        phone.check_clean()
    finally:
        phone.close()


def test_moderators_see_disputed_answers_side_by_side(watched: Watched, live: dict[str, Any]) -> None:
    import contextlib

    from geo.errors import BadRequestError
    from geo.reports.audit_model import options_json
    from geo.reports.model import utcnow
    from webmap import resources

    with live["app"].app_context():
        index = resources.audit_index()
        row = index.best("pram", bbox=None, limit=1, skip=resources.audits().closed())[0][0]
        task = index.catalogue.ref(row)
        values = [o["value"] for o in options_json(task.attribute, "cs")][:2]
        for client, value in zip(("p1", "p2"), values, strict=True):
            resources.audits().add_answer(task, value, client=client, now=utcnow(), needed=2, where=(0.0, 0.0))
        with contextlib.suppress(BadRequestError):
            resources.moderators().create("moderator", "s3cret-pass", now=utcnow())
    page = watched.page
    page.goto(watched.base + "/moderation")
    page.fill("#login-name", "moderator")
    page.fill("#login-password", "s3cret-pass")
    page.click("#login-form button[type=submit]")
    item = page.locator(f"#audit-{task.task_id.replace('/', '-')}")
    item.wait_for()
    assert item.locator(".answers li").count() == 2
    assert axe_violations(page) == []
    watched.shot("moderation-audits")
    item.locator("select[name=action]").select_option("confirm")
    item.locator("select[name=value]").select_option(values[1])
    item.locator("button[type=submit]").click()
    page.wait_for_function("() => document.querySelector('#mod-status').textContent.includes('ověřeno')")
    page.locator(f"#audit-{task.task_id.replace('/', '-')}").wait_for(state="detached")  # left the disputed list
    watched.check_clean()


# --------------------------------------------------------------------------- helpers for other pages' browser tests


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` on 127.0.0.1 in a thread: its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@contextlib.contextmanager
def chromium_browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (fails the test when it is missing)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is missing: apt-get install -y chromium (.ci/run does it)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM),
                               args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            yield b
        finally:
            b.close()
