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


def test_an_explanation_renders_both_languages_as_each_template_does() -> None:
    from netral_rules.output.render import BilingualTemplate

    text = Bilingual(id="{actor}: {act.party_attributes} / {act.role}, 50% {act.cumulative_days} {act.party_attributes}",
                     en="{act.role} by {actor} ({occurred_on}) {missing.path}")
    template = BilingualTemplate(text)
    flats = [
        {"actor.status": "pns", "actor.name": "Budi", "act.party_attributes": True, "act.role": "participant",
         "act.cumulative_days": 4, "occurred_on": dt.date(2024, 1, 2)},
        {"actor.status": "pppk", "act.party_attributes": False, "act.cumulative_days": 1},  # no name, no role
        {"act.party_attributes": 1, "act.role": ["not", "hashable"]},  # 1 is not True; a list is not kept
        {},
    ]
    for flat in flats * 2:  # the second time from the words kept
        out = template.render(flat)
        assert (out.id, out.en) == (Template(text.id, "id").render(flat), Template(text.en, "en").render(flat))
        assert out == Bilingual(id=out.id, en=out.en)
    assert template.render(flats[2]).id.startswith("ASN: 1 /")


def test_fast_built_models_are_the_models_pydantic_validates() -> None:
    import pytest

    from netral_rules._fast import build, maker

    make = maker(Bilingual, ("id", "en"))
    built = make("teks", "text")
    assert built == Bilingual(id="teks", en="text") == build(Bilingual, id="teks", en="text")
    assert built.model_dump_json() == Bilingual(id="teks", en="text").model_dump_json()
    assert built.model_fields_set == {"id", "en"} and built.__dict__ == {"id": "teks", "en": "text"}
    with pytest.raises(ValueError):
        maker(Bilingual, ("en", "id"))  # every field, in the model's order
