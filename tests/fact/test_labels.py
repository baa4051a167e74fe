"""labels.yaml: every field and value of the fact model, and the decision vocabulary, has words in both
languages and a question; texts render through them."""

from __future__ import annotations

from pathlib import Path

import pytest

from netral_rules.errors import PackError
from netral_rules.fact.labels import LABELS_FILE, labels, load_labels, missing_labels, model_fields
from netral_rules.output.render import render_both
from netral_rules.vocabulary import Bilingual


def test_every_field_value_and_term_has_a_label() -> None:
    assert missing_labels() == []


def test_a_missing_label_is_found(tmp_path: Path) -> None:
    text = LABELS_FILE.read_text(encoding="utf-8")
    text = text.replace("      family: {id: anggota keluarga, en: family members}\n", "")
    start = text.index("  act.partisan:\n")
    end = text.index("\n\n", start)
    text = text[:start] + text[end + 2:]
    text = text.replace("    ptdh: {id: pemberhentian tidak dengan hormat, en: dismissal without honour}\n", "")
    path = tmp_path / "labels.yaml"
    path.write_text(text, encoding="utf-8")
    assert missing_labels(load_labels(path)) == [
        "fields: no label for value 'family' of 'act.audience'",
        "fields: no label for 'act.partisan'",
        "vocabulary: no label for level 'ptdh'",
    ]


def test_a_label_for_nothing_is_found(tmp_path: Path) -> None:
    text = LABELS_FILE.read_text(encoding="utf-8").replace(
        "      public: {id: masyarakat, en: the public}\n  act.with_id_copy:",
        "      public: {id: masyarakat, en: the public}\n      neighbours: {id: tetangga, en: neighbours}\n"
        "  act.with_id_copy:")
    path = tmp_path / "labels.yaml"
    path.write_text(text, encoding="utf-8")
    assert missing_labels(load_labels(path)) == ["fields: 'act.audience' has no value 'neighbours'"]


def test_a_broken_labels_file_says_where(tmp_path: Path) -> None:
    path = tmp_path / "labels.yaml"
    path.write_text(LABELS_FILE.read_text(encoding="utf-8").replace(
        "    label: {id: peran, en: role}", "    label: {id: peran}"), encoding="utf-8")
    with pytest.raises(PackError) as err:
        load_labels(path)
    [problem] = err.value.problems
    assert "fields/act.role/label/en" in problem.message
    assert problem.where is not None and "labels.yaml:" in str(problem.where)


def test_questions_and_answers() -> None:
    lab = labels()
    for path in model_fields():
        for lang in ("id", "en"):
            q = lab.question(path, lang)
            assert q.endswith("?") and q[0].isupper(), (path, q)
    assert lab.question("act.party_attributes", "id") == "Apakah pegawai tersebut menggunakan atribut partai?"
    assert lab.question("act.party_attributes", "en") == "Did the employee use party attributes?"
    answers = lab.values("act.audience")
    assert [a.id for a in answers.values()] == ["PNS di lingkungan unit kerjanya", "anggota keluarga", "masyarakat"]
    assert lab.answer("yes", "id") == "ya" and lab.answer("no", "en") == "no"
    assert lab.field("$.actor.prior_sanctions[0].level", "id") == "tingkat hukuman terdahulu"
    assert lab.field("context.election", "en") == "election"


def test_templates_render_values_in_words() -> None:
    flat = {"actor.status": "pns", "actor.name": "Budi", "act.audience": "colleagues", "act.activity": "appeal",
            "act.party_attributes": True}
    text = Bilingual(
        id="{actor}: kegiatan ({act.activity}) kepada {act.audience}; atribut partai ({act.party_attributes}); "
           "atribut PNS ({act.civil_service_attributes})",
        en="{actor}: activity ({act.activity}) for {act.audience}; party attributes ({act.party_attributes}); "
           "civil-service attributes ({act.civil_service_attributes})",
    )
    out = render_both(text, flat)
    assert out.id == ("PNS Budi: kegiatan (himbauan) kepada PNS di lingkungan unit kerjanya; atribut partai (ya); "
                      "atribut PNS (tidak diketahui)")
    assert out.en == ("PNS Budi: activity (appeal) for civil servants in the work unit; party attributes (yes); "
                      "civil-service attributes (unknown)")
    level = render_both(Bilingual(id="tingkat {level}", en="level {level}"), {}, {"level": "unassigned"})
    assert (level.id, level.en) == ("tingkat tidak ditentukan oleh peraturan", "level not assigned by the law")
