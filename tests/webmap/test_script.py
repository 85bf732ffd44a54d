"""The map script (``webmap/static/js``): how it is loaded and what it may do, read from the source, and its
message renderer compared with the Python one in Chromium.

* every script file is an ES module, reached from a ``<script type="module">`` entry point of a page;
* no HTML is built from strings (no ``innerHTML`` but clearing, no ``insertAdjacentHTML``), popups and
  tooltips get node builders, never strings;
* one module reads folium's objects (``window.lbbFolium``), none looks globals up by name;
* every text key the script uses exists in the catalogue and is among the sections the page sends;
* templates and element ids the script asks for exist in the page templates;
* ``i18n.js`` renders placeholders, plurals and numbers exactly like :mod:`geo.i18n.format`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from geo import i18n
from geo.i18n.format import format_number, render
from webmap.pages import SCRIPT_TEXTS

WEBMAP = Path(__file__).resolve().parents[2] / "webmap"
JS = WEBMAP / "static" / "js"
TEMPLATES = WEBMAP / "templates"
CHROMIUM = Path("/usr/bin/chromium")

SCRIPTS = {p.name: p.read_text(encoding="utf-8") for p in sorted(JS.glob("*.js"))}
PAGES = {p.name: p.read_text(encoding="utf-8") for p in sorted(TEMPLATES.glob("*.html"))}

_SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.S)
_STATIC_JS = re.compile(r"""filename=['"]js/([\w.-]+\.js)['"]""")
_IMPORT = re.compile(r"""(?:^|;)\s*(?:import|export)\b[^;'"`]*?\bfrom\s*["'](\.[^"']+)["']"""
                     r"""|\bimport\s*\(\s*["'](\.[^"']+)["']\s*\)|^\s*import\s*["'](\.[^"']+)["']""", re.M)
_COMMENT = re.compile(r"/\*.*?\*/|(?<![:\"'])//[^\n]*", re.S)
#: Each page template and the entry module it loads.
ENTRIES: tuple[tuple[str, str], ...] = (("main.js", "index.html"), ("moderation.js", "moderation.html"),
                                        ("programme.js", "programme.html"), ("api-docs.js", "api_docs.html"),
                                        ("planner-page.js", "planner.html"))


def _code(source: str) -> str:
    """The source without comments (so documentation may name what the code must not do)."""
    return _COMMENT.sub("", source)


def _entries(page: str) -> list[str]:
    """Our script files a page template loads, checking each ``<script>`` that loads one is a module."""
    out = []
    for attrs in _SCRIPT_TAG.findall(PAGES[page]):
        found = _STATIC_JS.search(attrs)
        if found is None:
            continue
        assert re.search(r"""\btype=["']module["']""", attrs), f"{page}: classic <script> for {found[1]}"
        out.append(found[1])
    return out


def _imports(name: str) -> set[str]:
    found = set()
    for match in _IMPORT.finditer(_code(SCRIPTS[name])):
        target = next(g for g in match.groups() if g)
        assert target.startswith("./") and target.count("/") == 1, f"{name}: import {target} outside static/js"
        found.add(target[2:])
    return found


def _graph(entry: str) -> set[str]:
    """``entry`` and every module it imports, directly or not."""
    seen: set[str] = set()
    todo = [entry]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        assert name in SCRIPTS, f"import of a missing module {name}"
        seen.add(name)
        todo.extend(_imports(name))
    return seen


def _page_of(page: str) -> str:
    """The page template with the base template it extends."""
    return PAGES["base.html"] + PAGES[page]


def test_the_pages_load_our_script_only_as_modules() -> None:
    for entry, page in ENTRIES:
        assert _entries(page) == [entry]
    assert _entries("base.html") == []
    for page, text in PAGES.items():
        for attrs in _SCRIPT_TAG.findall(text):
            # our script only ever comes from static/js; vendor files come from /vendor (in folium's header, or
            # Leaflet on the moderation page for its small maps)
            if "src=" in attrs and 'src="/vendor/' not in attrs:
                assert _STATIC_JS.search(attrs), f"{page}: <script{attrs}> is not one of our modules"


def test_every_script_file_is_a_module_reached_from_a_page() -> None:
    reached = set().union(*(_graph(entry) for entry, _ in ENTRIES))
    assert reached == set(SCRIPTS), f"not loaded by any page: {sorted(set(SCRIPTS) - reached)}"
    for name, source in SCRIPTS.items():
        code = _code(source)
        assert re.search(r"^\s*(?:import|export)\b", code, re.M), f"{name} neither imports nor exports"
        assert "(function" not in code.replace(" ", ""), f"{name}: an IIFE (modules have their own scope)"
        assert '"use strict"' not in code, f"{name}: modules are strict already"
    # the entry points are not imported by other modules
    imported = set().union(*(_imports(n) for n in SCRIPTS))
    assert not imported & {entry for entry, _ in ENTRIES}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_no_html_is_built_from_strings(name: str) -> None:
    code = _code(SCRIPTS[name])
    for match in re.finditer(r"\.(innerHTML|outerHTML)\s*(\+?=)(?!=)\s*([^;\n]*)", code):
        assert match[2] == "=" and match[3].strip() in ('""', "''"), f"{name}: {match[0]}"
    for call in ("insertAdjacentHTML", "document.write", "createContextualFragment", "DOMParser", "eval("):
        assert call not in code, f"{name} uses {call}"
    # Leaflet popups and tooltips: a function building nodes, never markup in a string
    for match in re.finditer(r"\.bind(Popup|Tooltip)\(\s*([^\s]{0,6})", code):
        assert match[2].startswith("()"), f"{name}: bind{match[1]}({match[2]}…) — pass a node builder"


def test_one_module_reads_the_folium_objects() -> None:
    readers = [name for name, source in SCRIPTS.items() if "lbbFolium" in source]
    assert readers == ["map.js"]
    for name, source in SCRIPTS.items():
        code = _code(source)
        assert "window[" not in code, f"{name} looks up a global by a computed name"
        assert not re.search(r"\b(map|feature_group|layer_control)_[0-9a-f]{32}\b", code), f"{name}: folium name"


def _used_keys() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Literal keys of ``t("…")`` and prefixes of ``t(`prefix${…}`)`` per module."""
    literal: dict[str, set[str]] = {}
    prefixes: dict[str, set[str]] = {}
    for name, source in SCRIPTS.items():
        code = _code(source)
        literal[name] = set(re.findall(r"""\bt\(\s*["']([^"']+)["']""", code))
        prefixes[name] = set(re.findall(r"\bt\(\s*`([^`$]*)\$\{", code))
        computed = re.search(r"(?<!function )\bt\(\s*[^\"'`\s)]", code)
        assert computed is None, f"{name}: t() with a computed key"
    return literal, prefixes


def test_every_text_key_is_in_the_catalogue_and_sent_to_the_page() -> None:
    literal, prefixes = _used_keys()
    all_literal = set().union(*literal.values())
    assert len(all_literal) > 40  # the regex finds the calls
    missing = sorted(k for k in all_literal if not i18n.has(k))
    assert missing == []
    not_sent = sorted(k for k in all_literal if not k.startswith(SCRIPT_TEXTS))
    assert not_sent == []
    for name, found in prefixes.items():
        for prefix in found:
            assert prefix.startswith(SCRIPT_TEXTS), f"{name}: t(`{prefix}…`) is not sent to the page"
            assert any(i18n.keys(prefix)), f"{name}: no catalogue key starts with {prefix}"


def test_relaxations_and_categories_have_texts() -> None:
    """Keys the script builds from API values (relaxations, categories, statuses) exist for every value."""
    from geo.layers.schemas import SERVICE_CATEGORIES
    from geo.reports.model import STATUSES
    from geo.routing.profiles import LIMIT_RANGES

    for key in (*LIMIT_RANGES, "allow_steps", "avoid_unknown"):
        assert i18n.has(f"route.relax.{key}"), key
    for code in SERVICE_CATEGORIES:
        assert i18n.has(f"service.category.{code}"), code
    for status in STATUSES:
        assert i18n.has(f"report.status.{status}"), status
    for access in ("accessible", "unverified", "difficult", "impassable"):
        assert i18n.has(f"ui.access_{access}")


def test_templates_and_ids_the_script_uses_exist_in_its_page() -> None:
    for entry, page in ENTRIES:
        html = _page_of(page)
        ids = set(re.findall(r"""\bid=["']([^"'{}]+)["']""", html))
        templates = set(re.findall(r"""<template\s+id=["']([^"']+)["']""", html))
        for name in _graph(entry):
            code = _code(SCRIPTS[name])
            for tid in re.findall(r"""fromTemplate\(\s*["']([^"']+)["']""", code):
                assert tid in templates, f"{name}: <template id={tid}> missing from {page}"
            for eid in re.findall(r"""(?<![\w.])\$\(\s*["']([^"']+)["']""", code):
                assert eid in ids, f"{name}: #{eid} missing from {page}"


# --------------------------------------------------------------------------- the renderer in Chromium

NUMBERS = [0, 1, 2, 3, 4, 5, 11, 21, 22, 100, 1250, 1.5, 2.25, -3]


def _plural_cases() -> list[tuple[str, str, dict[str, Any]]]:
    """Every plural message in both languages with several counts (every placeholder gets the count)."""
    cases = []
    for key in sorted(i18n.CATALOGUE):
        for lang, template in zip(i18n.LANGS, i18n.CATALOGUE[key], strict=True):
            if "plural" not in template:
                continue
            names = set(re.findall(r"\{\s*(\w+)", template))
            cases.extend((template, lang, dict.fromkeys(names, n)) for n in NUMBERS)
    return cases


@pytest.fixture(scope="module")
def moderation_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Chromium on the moderation page (it needs no network) of the app served locally."""
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from webmap import create_app

    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is missing: apt-get install -y chromium (.ci/run does it)")
    tmp = tmp_path_factory.mktemp("script")
    app = create_app({"TILE_URL": "", "CACHE_DIR": str(tmp / "cache"), "SECRET_KEY": "script-test",
                      "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}", "REPORTS_UPLOAD_DIR": str(tmp / "uploads")})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM),
                                         args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_port}/moderation?lang=en")
            yield page
            browser.close()
    finally:
        server.shutdown()


JS_RENDER = """async (cases) => {
    const m = await import('/static/js/i18n.js');
    return cases.map(([template, lang, values]) => m.render(template, lang, values));
}"""


@pytest.mark.browser
def test_plurals_render_as_in_python(moderation_page: Any) -> None:
    cases = _plural_cases()
    assert len(cases) > 100
    got = moderation_page.evaluate(JS_RENDER, [list(c) for c in cases])
    differ = [(*case, js) for case, js in zip(cases, got, strict=True) if js != render(*case)]
    assert differ == []
    assert "3 služby" in got and "5 služeb" in got and "1 služba" in got


#: Numbers as JSON brings them to the script (a whole float such as 1250.0 arrives as 1250, so none here).
NUMBER_VALUES = [1250, 1250.5, 0.5, -3.25, -3, 12345678, 8.333, 2.999, 0, 0.125, 0.375, 2.675, -0.001, 123456.789]


@pytest.mark.browser
def test_placeholders_and_numbers_render_as_in_python(moderation_page: Any) -> None:
    values: dict[str, Any] = {f"v{i}": x for i, x in enumerate(NUMBER_VALUES)}
    values |= {"yes": True, "none": None, "html": "<b>text</b>"}
    everything = " | ".join(f"{{{k}}}" for k in values)
    templates = [everything + " | {missing} | {v1, number} | {missing, plural, one {x} other {y}}",
                 "{n, plural, =0 {none} one {# item} other {# items} } and {n}",
                 "{n, plural, one {{v1} for # {html}} other {#: {n, plural, one {inner #} other {inner # of {v3}}}}}",
                 "{ v1 } spaced, no placeholders: # {}"]
    cases = [(tpl, lang, {**values, "n": n}) for tpl in templates for lang in i18n.LANGS for n in (0, 1, 2, 7, 2.5)]
    got = moderation_page.evaluate(JS_RENDER, [list(c) for c in cases])
    assert got == [render(*c) for c in cases]
    numbers = moderation_page.evaluate("""async (xs) => {
        const m = await import('/static/js/i18n.js');
        return ['cs', 'en'].map((lang) => xs.map((x) => m.formatNumber(x, 2, lang)));
    }""", NUMBER_VALUES)
    assert numbers == [[format_number(x, lang) for x in NUMBER_VALUES] for lang in ("cs", "en")]
    assert numbers[0][:4] == ["1250", "1\xa0250,5", "0,5", "\u22123,25"]


@pytest.mark.browser
def test_page_texts_distances_and_durations_match_python(moderation_page: Any) -> None:
    lang = "en"  # the page was opened with ?lang=en
    out = moderation_page.evaluate("""async () => {
        const m = await import('/static/js/i18n.js');
        return {
            lang: m.lang,
            counts: [0, 1, 2, 5].map((n) => m.t('ui.services_count', {n})),
            unknown: m.t('ui.no_such_key'),
            distances: [12, 12.5, 850, 999, 1000, 1250, 1234, 15678].map(m.formatDistance),
            durations: [20, 61, 90, 720, 3900].map(m.formatDuration),
            folded: m.fold('Palác Liebieg ŽLUŤOUČKÝ'),
        };
    }""")
    assert out["lang"] == lang
    assert out["counts"] == [i18n.text("ui.services_count", lang, n=n) for n in (0, 1, 2, 5)]
    assert out["unknown"] == "ui.no_such_key"
    assert out["distances"] == [i18n.format_distance(m, lang) for m in (12, 12.5, 850, 999, 1000, 1250, 1234, 15678)]
    assert out["durations"] == [i18n.format_duration(s, lang) for s in (20, 61, 90, 720, 3900)]
    assert out["folded"] == "palac liebieg zlutoucky"
