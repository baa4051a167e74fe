"""Explanation templates: placeholders are fact paths or a few named values, never attribute access."""

from __future__ import annotations

import datetime as dt

from netral_rules.output.render import Template, actor_label, render_both
from netral_rules.vocabulary import Bilingual


def test_placeholders_and_values() -> None:
    flat = {"actor.status": "pns", "actor.name": "Budi", "act.cumulative_days": 4, "act.party_attributes": True}
    t = Template("{actor}: {act.cumulative_days} hari, atribut {act.party_attributes}, {act.role} 100%", "id")
    assert t.render(flat) == "PNS Budi: 4 hari, atribut ya, tidak diketahui 100%"
    t = Template("{actor} on {occurred_on}", "en")
    assert t.render({"actor.status": "pppk", "occurred_on": dt.date(2024, 1, 2)}) == "PPPK on 2024-01-02"


def test_templates_are_never_str_format() -> None:
    # a field access or a format spec is text to fill, not code: it names no value and renders as unknown
    t = Template("{actor.name.__class__} {0} {act.kind!r}", "en")
    assert t.render({"actor.status": "pns", "act.kind": "x"}) == "unknown unknown unknown"


def test_actor_label_and_both_languages() -> None:
    assert actor_label({"actor.status": "cpns"}) == "CPNS"
    out = render_both(Bilingual(id="{level} ({count})", en="{level} ({count})"), {}, {"level": "berat", "count": 2})
    assert (out.id, out.en) == ("berat (2)", "heavy (2)")  # a level is a word of the vocabulary, per language
