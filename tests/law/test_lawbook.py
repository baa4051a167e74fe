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


def test_one_type_replaced_only_while_the_statute_is_in_force(engine: Engine) -> None:
    """UU 20/2023 Pasal 52 ayat (4) replaces PP 94/2021 Pasal 8 ayat (4) huruf c from 2023-10-31, for the actors the
    statute binds (setting uu20_heavy_dismissal_without_honour, review finding 5); the menu's other types stay."""
    import datetime as dt

    book, settings = engine.lawbook, engine.settings
    whole, c_alone, b_alone = (parse_citation(f"PP 94/2021 Pasal 8 ayat (4){x}") for x in ("", " huruf c", " huruf b"))
    before, after = dt.date(2023, 10, 30), dt.date(2023, 10, 31)

    def codes(citation: object, day: dt.date | None, status: str | None, **change: bool) -> list[str]:
        menu, _ = book.menu(citation, {**settings, **change}, day, status)  # type: ignore[arg-type]
        return [o.code for o in menu.options]

    assert codes(whole, before, "pns") == ["pp94.8.4.a", "pp94.8.4.b", "pp94.8.4.c"]
    assert codes(whole, after, "pns") == ["pp94.8.4.a", "pp94.8.4.b", "uu20.52.4.ptdh"]
    assert codes(c_alone, after, "pns") == ["uu20.52.4.ptdh"]
    assert codes(b_alone, after, "pns") == ["pp94.8.4.b"]  # another type of the menu: unchanged
    assert codes(whole, after, "cpns") == ["pp94.8.4.a", "pp94.8.4.b", "pp94.8.4.c"]  # the statute does not bind
    assert codes(whole, None, None) == ["pp94.8.4.a", "pp94.8.4.b", "pp94.8.4.c"]  # no date: never a dated swap
    assert codes(whole, after, "pns", uu20_heavy_dismissal_without_honour=False)[-1] == "pp94.8.4.c"
    menu, sub = book.menu(c_alone, settings, after, "pns")
    assert sub is not None and sub.while_in_force
    assert (menu.cite, menu.replaces, menu.level) == ("UU 20/2023 Pasal 52 ayat (4)", "PP 94/2021 Pasal 8 ayat (4) huruf c",
                                                      "berat")  # the level of the menu the type belonged to
    menu, _ = book.menu(whole, settings, after, "pns")
    assert (menu.cite, menu.replaces) == ("PP 94/2021 Pasal 8 ayat (4)", "PP 94/2021 Pasal 8 ayat (4) huruf c")


def test_a_repeat_after_the_replaced_type_ranks_it_as_its_replacement(engine: Engine) -> None:
    """An earlier dismissal imposed under PP 94/2021 Pasal 8 ayat (4) huruf c, then a heavy violation from
    2023-10-31: the ceiling of the ladder, whose last type is now dismissal without honour."""
    d = engine.evaluate({
        "occurred_on": "2024-11-01",
        "actor": {"status": "pns", "prior_sanctions": [{"imposed_on": "2023-03-01", "level": "berat",
                                                        "nature": "netralitas", "sanction": "pp94.8.4.c"}]},
        "context": {"election": {"type": "pilkada", "candidate_stage": "calon", "in_campaign_period": True}},
        "act": {"kind": "partisan_activity", "activity": "meeting", "audience": "colleagues"},
    })
    (outcome,) = d.aggregate.outcomes
    assert outcome.level == "berat" and [o.code for o in outcome.sanctions] == ["uu20.52.4.ptdh"]
    assert not any("tidak disebut" in n.id for n in d.notes)  # the earlier type was recognised, not "unknown"


def test_two_types_replaced_by_one_whole_menu_show_it_once() -> None:
    """PP 53/2010's row of 46 days cites Pasal 7 ayat (4) huruf d and e; under pp94_40_4_sanctions_follow_pp94 both
    become PP 94/2021 Pasal 8 ayat (4), listed once and naming both."""
    with Engine.default(settings={"pp94_40_4_sanctions_follow_pp94": True}) as engine:
        d = engine.evaluate({"occurred_on": "2019-11-15", "actor": {"status": "pns"}, "act": {"kind": "absence",
                             "hours_absent": 345}, "context": {"examined_before_pp94": True}})
    (menu,) = d.findings[0].sanctions
    assert menu.cite == "PP 94/2021 Pasal 8 ayat (4)"
    assert menu.replaces == "PP 53/2010 Pasal 7 ayat (4) huruf d; PP 53/2010 Pasal 7 ayat (4) huruf e"
