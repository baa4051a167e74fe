"""The lawbook: articles with their enclosing units' texts, and sanction menus after the settings'
substitutions (PP 94/2021 Pasal 42)."""

from __future__ import annotations

import pytest

from netral_rules import Engine
from netral_rules.law.citations import parse_citation


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


def test_cited_article_has_text_and_lead_in(engine: Engine) -> None:
    art = engine.lawbook.cited(parse_citation("PP 94/2021 Pasal 14 huruf i angka 1"))
    assert art.cite == "PP 94/2021 Pasal 14 huruf i angka 1" and art.id == "pp94_2021.p14.i.1"
    assert "mengerahkan PNS lain" in art.text
    assert [c.cite for c in art.context] == ["PP 94/2021 Pasal 14", "PP 94/2021 Pasal 14 huruf i"]
    assert engine.lawbook.cited(parse_citation("PP 94/2021 Pasal 14 huruf i angka 1")) is art  # built once


def test_menu_substitution_follows_the_setting(engine: Engine) -> None:
    cite = parse_citation("PP 94/2021 Pasal 8 ayat (3)")
    as_written, sub = engine.lawbook.menu(cite, {**engine.settings, "salary_regulation_in_force": True})
    assert sub is None and as_written.cite == "PP 94/2021 Pasal 8 ayat (3)" and as_written.replaces is None
    replaced, sub = engine.lawbook.menu(cite, {**engine.settings, "salary_regulation_in_force": False})
    assert sub is not None and replaced.replaces == "PP 94/2021 Pasal 8 ayat (3)"
    assert replaced.cite == "PP 53/2010 Pasal 7 ayat (3)"
    assert {o.code for o in replaced.options}.isdisjoint({o.code for o in as_written.options})


def test_one_type_of_a_menu(engine: Engine) -> None:
    menu, _ = engine.lawbook.menu(parse_citation("PP 94/2021 Pasal 8 ayat (2) huruf b"), engine.settings)
    assert [o.cite for o in menu.options] == ["PP 94/2021 Pasal 8 ayat (2) huruf b"]
    assert menu.level == "ringan"
