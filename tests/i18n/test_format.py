"""Message templates: placeholders, ICU plurals with CLDR rules, numbers in the language's style."""

from __future__ import annotations

import pytest

from geo.i18n.format import format_number, plural_category, render

PLURAL_CS = "{n, plural, one {# služba} few {# služby} other {# služeb}}"
PLURAL_EN = "{n, plural, one {# service} other {# services}}"


@pytest.mark.parametrize(("n", "cs", "en"), [(0, "0 služeb", "0 services"), (1, "1 služba", "1 service"),
                                             (2, "2 služby", "2 services"), (4, "4 služby", "4 services"),
                                             (5, "5 služeb", "5 services"), (21, "21 služeb", "21 services"),
                                             (101, "101 služeb", "101 services")])
def test_czech_and_english_plurals(n: int, cs: str, en: str) -> None:
    assert render(PLURAL_CS, "cs", {"n": n}) == cs
    assert render(PLURAL_EN, "en", {"n": n}) == en


def test_fractions_are_the_many_category_in_czech() -> None:
    assert plural_category(1.5, "cs") == "many"
    assert render("{x, plural, one {# metr} few {# metry} many {# metru} other {# metrů}}", "cs", {"x": 1.5}) \
        == "1,5 metru"


def test_exact_branches_win_over_categories() -> None:
    assert render("{n, plural, =0 {nic} one {jeden} other {#}}", "cs", {"n": 0}) == "nic"


def test_nested_placeholders_inside_a_branch() -> None:
    t = "{count, plural, one {Obrubník {value} cm} other {# obrubníků, nejvyšší {value} cm}}"
    assert render(t, "cs", {"count": 1, "value": 5.0}) == "Obrubník 5 cm"
    assert render(t, "cs", {"count": 7, "value": 6.5}) == "7 obrubníků, nejvyšší 6,5 cm"


def test_numbers_follow_the_language() -> None:
    assert format_number(8.33, "cs") == "8,33" and format_number(8.33, "en") == "8.33"
    assert format_number(1234.5, "cs") == "1\u00a0234,5" and format_number(1234.5, "en") == "1,234.5"
    assert format_number(6.0, "cs") == "6" and format_number(0.004, "en") == "0"
    assert format_number(123456, "cs") == "123456"  # ids, counts and years are not grouped
    assert format_number(float("inf"), "cs") == "∞"


def test_a_missing_value_stays_visible_and_braces_must_balance() -> None:
    assert render("a {b} c", "en", {}) == "a {b} c"
    with pytest.raises(ValueError, match="unbalanced"):
        render("a {b", "en", {"b": 1})
