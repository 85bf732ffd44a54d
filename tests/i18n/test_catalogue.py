"""The message catalogue: every key in both languages, and every key the code and templates use exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from geo import i18n
from geo.i18n.format import _compile, _Plural

ROOT = Path(__file__).resolve().parents[2]
CALLS = {"text", "maybe", "t", "invalid"}  # functions whose first argument is a catalogue key


def _names(parts: tuple, numbers: set[str], names: set[str]) -> None:
    for p in parts:
        if isinstance(p, _Plural):
            numbers.add(p.name)
            for branch in p.branches.values():
                _names(branch, numbers, names)
        elif isinstance(p, tuple):
            names.add(p[0])


def placeholders(template: str) -> tuple[set[str], set[str]]:
    """(plural placeholders, other placeholders) of a template."""
    numbers: set[str] = set()
    names: set[str] = set()
    _names(_compile(template), numbers, names)
    return numbers, names - numbers


@pytest.mark.parametrize("key", sorted(i18n.CATALOGUE))
def test_every_message_renders_in_both_languages_with_the_same_placeholders(key: str) -> None:
    cs, en = i18n.CATALOGUE[key]
    assert cs.strip() and en.strip()
    (num_cs, val_cs), (num_en, val_en) = placeholders(cs), placeholders(en)
    assert num_cs | val_cs == num_en | val_en, f"{key}: placeholders differ between Czech and English"
    values = {n: "X" for n in val_cs | val_en} | {n: 3 for n in num_cs | num_en}
    for lang in i18n.LANGS:
        out = i18n.text(key, lang, **values)
        assert "{" not in out and "}" not in out, (key, lang, out)


def test_czech_is_the_default_and_english_the_switch() -> None:
    assert i18n.DEFAULT_LANG == "cs" and i18n.LANGS == ("cs", "en")
    assert i18n.text("route.dir.arrive") == "Jste v cíli."
    assert i18n.text("route.dir.arrive", "en") == "You have arrived."
    assert i18n.text("route.dir.arrive", "de") == "Jste v cíli."  # unknown language: the default


@pytest.mark.parametrize(("n", "expected"), [(1, "1 služba"), (2, "2 služby"), (5, "5 služeb")])
def test_czech_service_counts(n: int, expected: str) -> None:
    assert i18n.text("ui.services_count", "cs", n=n) == expected


def test_an_unknown_key_is_an_error_not_a_silent_fallback() -> None:
    with pytest.raises(KeyError):
        i18n.text("no.such.key", "cs")
    assert i18n.maybe("osm.barrier.unheard_of", "cs", "unheard_of") == "unheard_of"
    assert i18n.maybe("osm.barrier.bollard", "cs", "x") == "sloupek"


def _literal_keys(path: Path) -> list[tuple[int, str]]:
    """Literal first arguments of catalogue calls and of ``…Error("key", …)`` in a Python file."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        fn = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        first = node.args[0]
        if (fn in CALLS or fn.endswith("Error")) and isinstance(first, ast.Constant) and isinstance(first.value, str):
            key = first.value
            if fn in ("ValueError", "TypeError", "KeyError", "RuntimeError") or "." not in key or " " in key:
                continue  # not a catalogue call (SQL text, a language code …)
            out.append((node.lineno, key))
    return out


def test_every_key_the_code_uses_exists() -> None:
    files = [*ROOT.glob("geo/**/*.py"), *ROOT.glob("webmap/**/*.py"), ROOT / "app.py"]
    missing = [f"{p.relative_to(ROOT)}:{line} {key}" for p in files for line, key in _literal_keys(p)
               if not i18n.has(key)]
    assert not missing, missing


def test_every_key_the_templates_use_exists() -> None:
    used = set()
    for path in ROOT.glob("webmap/templates/*.html"):
        used |= set(re.findall(r"""\bt\(['"]([a-z0-9_.]+)['"]\s*[,)]""", path.read_text(encoding="utf-8")))
    assert used and not [k for k in used if not i18n.has(k)]


def test_errors_carry_keys_not_sentences() -> None:
    """No domain error is raised with a hand-written sentence: the first argument is a catalogue key."""
    offenders = []
    for path in [*ROOT.glob("geo/**/*.py"), *ROOT.glob("webmap/**/*.py"), ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
                fn = node.exc.func
                name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
                first = node.exc.args[0]
                keys = [first] if not isinstance(first, ast.IfExp) else [first.body, first.orelse]
                literal = all(isinstance(k, ast.Constant) and isinstance(k.value, str) and i18n.has(k.value)
                              for k in keys)
                if name.endswith("Error") and name not in ("ValueError", "TypeError", "RuntimeError", "KeyError") \
                        and not literal and not isinstance(first, ast.JoinedStr | ast.Name):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                if isinstance(first, ast.Name) and first.id == "msg" and name not in ("ValueError", "TypeError",
                                                                                      "RuntimeError", "KeyError"):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} (message in a variable)")
    assert not offenders, offenders
