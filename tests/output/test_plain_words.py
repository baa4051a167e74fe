"""No code in human text: explanations (both languages), the check table and the rule catalogue never show a
dotted field path, a field's code name or a code value where the labels give a word for it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netral_rules import Engine
from netral_rules.fact.labels import VOCABULARY, labels, model_fields, model_groups
from netral_rules.output.catalogue import render_catalogue
from netral_rules.output.report import explain_text, table_header, table_row
from netral_rules.testing import engine_facts

ROOT = Path(__file__).resolve().parents[2]
QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”|^\s*>.*$|^\s+\*.*\*$', re.MULTILINE)  # verbatim law and glosses
REFERENCE = re.compile(r"\[[^\]\n]*\]|`[^`\n]*`|\([a-z0-9_./#-]+\.md[^)]*\)|<a id=\"[^\"]*\"></a>")  # ids, links


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


def _words_of_labels(lang: str) -> set[str]:
    lab = labels().data
    texts: list[str] = []
    for entry in lab.fields.values():
        texts += [getattr(entry.label, lang), getattr(entry.question, lang)]
        texts += [getattr(v, lang) for v in entry.values.values()]
    texts += [getattr(v, lang) for kind in lab.vocabulary.values() for v in kind.values()]
    texts += [getattr(v, lang) for v in lab.groups.values()]
    return {w for t in texts for w in re.findall(r"[\w/]+", t)}


# lists whose code values are Indonesian words or abbreviations: in English text they are code, whereas an English
# code value such as "public" or "unverified" is an ordinary word of English prose
INDONESIAN_CODED = {"actor.status", "actor.position", "context.election.type", "context.election.candidate_stage",
                    "act.subordinate_violation_level", "actor.prior_sanctions.level", "level", "category"}


# code values that are also ordinary Indonesian words (Pilkada, Pilpres)
INDONESIAN_WORDS = {"pilkada", "pilpres"}


def _code_words(lang: str) -> set[str]:
    """Code values that must not appear in text of ``lang``: a value whose label differs from it and that is
    not itself a word the labels use (``calon`` is Indonesian; ``colleagues`` is not, in Indonesian text). In
    English text, the code values of Indonesian lists and every code value with an underscore."""
    lab = labels()
    plain = _words_of_labels(lang)
    lists: list[tuple[str, tuple[str, ...], str]] = [(p, e, "field") for p, e in model_fields().items()]
    lists += [(kind, values, kind) for kind, values in VOCABULARY.items()]
    out = set()
    for name, values, kind in lists:
        for v in values:
            shown = lab.value(name, v, lang) if kind == "field" else lab.term(kind, v, lang)
            if shown == v or v in plain or (lang == "id" and v in INDONESIAN_WORDS):
                continue
            if lang == "id" or "_" in v or name in INDONESIAN_CODED:
                out.add(v)
    return out


PATHS = sorted(set(model_fields()) | model_groups(), key=len, reverse=True)
DOTTED = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(p) for p in PATHS if "." in p) + r")(?![\w])")
NAMES = {p.rsplit(".", 1)[-1] for p in model_fields() if "_" in p.rsplit(".", 1)[-1]}


def code_in(text: str, lang: str) -> list[str]:
    """The code words found in ``text``, outside verbatim quotes, ids and links."""
    text = REFERENCE.sub(" ", QUOTED.sub(" ", text))
    found = DOTTED.findall(text)
    words = set(re.findall(r"(?<![\w.-])[a-z][a-z0-9_/]*(?![\w.-])", text))
    found += sorted(words & (_code_words(lang) | NAMES))
    return found


def test_the_check_finds_code() -> None:
    assert code_in("- act.kind eq campaign_attendance", "id") == ["act.kind", "campaign_attendance"]
    assert code_in("kegiatan keberpihakan (appeal) kepada colleagues, tingkat: unassigned", "id") == [
        "appeal", "colleagues", "unassigned"]
    assert code_in('dasar "Pasal 5 huruf n appeal" [pp94.dukungan.atribut, pp_94_2021]', "id") == []


@settings(max_examples=60)
@given(data=st.data())
def test_explain_and_table_speak_words(engine: Engine, data: st.DataObject) -> None:
    fact = data.draw(engine_facts(engine))
    decision = engine.evaluate(fact)
    for lang in ("id", "en"):
        text = explain_text(decision, lang)
        audit = text.rsplit("\n", 1)[0]  # the audit line names packs by id
        assert code_in(audit, lang) == [], text
        row = table_header(lang) + "\n" + table_row(1, decision.model_copy(update={"fact_id": None}), lang)
        assert code_in(row, lang) == [], row


def test_campaign_report_in_words(engine: Engine) -> None:
    fact = {"occurred_on": "2024-01-20", "actor": {"status": "pns", "name": "Rina"},
            "context": {"election": {"type": "pilpres", "candidate_stage": "calon"}},
            "act": {"kind": "partisan_activity", "activity": "appeal", "audience": "colleagues"}}
    d = engine.evaluate(fact)
    text = explain_text(d, "id")
    assert "- jenis tindakan: kegiatan keberpihakan" in text
    assert "himbauan" in text or "PNS di lingkungan unit kerjanya" in text
    assert code_in(text.rsplit("\n", 1)[0], "id") == []
    english = explain_text(d, "en")
    assert "- kind of act: partisan activity" in english
    assert code_in(english.rsplit("\n", 1)[0], "en") == []


def test_catalogue_speaks_words(engine: Engine, tmp_path: Path) -> None:
    written = render_catalogue(engine, tmp_path)
    for path in written:
        lang = "en" if path.parent.name == "en" else "id"
        text = path.read_text(encoding="utf-8")
        # the settings are named as the command line writes them (--setting NAME=true)
        text = re.sub(r"`[a-z_]+` = (true|false)", " ", text)
        # provenance is one free text in the pack format (where the wording was read), not a bilingual text
        text = re.sub(r"^\| (Sumber|Provenance) \|.*$", " ", text, flags=re.MULTILINE)
        assert code_in(text, lang) == [], path.name
