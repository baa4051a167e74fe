"""The ``sets_aside`` relation: a specific rule that holds sets aside the general one, as the law states
it (lex specialis; PP 94/2021 Pasal 35 ayat (3)), checked by the linter and reported in the decision."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import ARTICLES, fact, write_pack

from netral_rules import Engine
from netral_rules.decide.engine import load_packs

ARTICLES_35 = ARTICLES + """\
  - cite: PP 94/2021 Pasal 35 ayat (3)
    text: PNS tidak dapat dijatuhi Hukuman Disiplin 2 (dua) kali atau lebih untuk 1 (satu) Pelanggaran Disiplin.
    gloss: no double punishment
    provenance: {status: verified_primary}
"""


def _rule(rule_id: str, when: str, level: str = "berat", sets_aside: str = "") -> str:
    return f"""\
  - id: {rule_id}
    title: {{id: {rule_id}, en: {rule_id}}}
    when: {when}
    then:
      category: disiplin
      level: {level}
      sanctions: PP 94/2021 Pasal 8 ayat (4)
      basis: [PP 94/2021 Pasal 5 huruf n angka 3]
    explain: {{id: "{{actor}}", en: "{{actor}}"}}
{sets_aside}"""


def _aside(target: str, extra: str = "") -> str:
    return f"""\
    sets_aside:
      - rule: {target}
        basis: [PP 94/2021 Pasal 35 ayat (3)]
        reason: {{id: "khusus mendahului umum", en: "the specific before the general"}}
{extra}"""


GENERAL = "{act.kind: campaign_attendance}"
SPECIFIC = "{all: [{act.kind: campaign_attendance}, {act.mobilised_civil_servants: true}]}"


def _pack(tmp_path: Path, rules: str, name: str = "p") -> Path:
    return write_pack(tmp_path / name, articles=ARTICLES_35, rules={"r.yaml": "rules:\n" + rules})


def _codes(tmp_path: Path, rules: str) -> list[tuple[str, str]]:
    _, problems = load_packs([_pack(tmp_path, rules)])
    return [(p.code, p.severity) for p in problems]


def test_the_specific_rule_sets_the_general_aside_and_the_decision_says_why(tmp_path: Path) -> None:
    rules = _rule("t.general", GENERAL, level="unassigned") + _rule("t.specific", SPECIFIC, sets_aside=_aside("t.general"))
    engine = Engine.from_paths([_pack(tmp_path, rules)])
    d = engine.evaluate(fact(mobilised_civil_servants=True))
    assert d.rule_ids == ["t.specific"]
    [aside] = d.set_aside
    assert (aside.rule_id, aside.by) == ("t.general", "t.specific")
    assert aside.reason.id == "khusus mendahului umum"
    assert [b.cite for b in aside.basis] == ["PP 94/2021 Pasal 35 ayat (3)"]
    assert "PNS tidak dapat dijatuhi" in aside.basis[0].text
    # when the specific rule does not hold, the general one stands and nothing is set aside
    d = engine.evaluate(fact(mobilised_civil_servants=False))
    assert d.rule_ids == ["t.general"] and d.set_aside == ()


def test_a_rule_set_aside_is_not_reported_undetermined(tmp_path: Path) -> None:
    # t.maybe could hold once the unknown field is known, but a holding rule sets it aside whatever it is
    maybe = "{all: [{act.kind: campaign_attendance}, {act.state_facilities: true}]}"
    rules = _rule("t.maybe", maybe) + _rule("t.specific", SPECIFIC, sets_aside=_aside("t.maybe"))
    engine = Engine.from_paths([_pack(tmp_path, rules)])
    d = engine.evaluate(fact(mobilised_civil_servants=True))
    assert d.rule_ids == ["t.specific"]
    assert [u.rule_id for u in d.undetermined] == []
    d = engine.evaluate(fact(mobilised_civil_servants=False))
    assert [u.rule_id for u in d.undetermined] == ["t.maybe"]


def test_a_chain_sets_aside_every_general_form(tmp_path: Path) -> None:
    middle = "{all: [{act.kind: campaign_attendance}, {act.role: participant}]}"
    rules = (
        _rule("t.a", GENERAL, level="unassigned")
        + _rule("t.b", middle, level="sedang", sets_aside=_aside("t.a"))
        + _rule("t.c", SPECIFIC, sets_aside=_aside("t.b"))
    )
    engine = Engine.from_paths([_pack(tmp_path, rules)])
    d = engine.evaluate(fact(mobilised_civil_servants=True))
    # t.b holds and sets t.a aside even though t.c sets t.b aside in turn
    assert d.rule_ids == ["t.c"]
    assert sorted((a.rule_id, a.by) for a in d.set_aside) == [("t.a", "t.b"), ("t.b", "t.c")]


def test_lint_unknown_rule_with_did_you_mean(tmp_path: Path) -> None:
    rules = _rule("t.general", GENERAL, level="unassigned") + _rule("t.specific", SPECIFIC, sets_aside=_aside("t.generel"))
    _, problems = load_packs([_pack(tmp_path, rules)])
    [p] = [p for p in problems if p.code == "unknown_rule"]
    assert p.hint == "did you mean 't.general'?"
    assert p.where is not None and "r.yaml" in str(p.where) and str(p.where).count(":") == 2


def test_lint_cycle_self_duplicate(tmp_path: Path) -> None:
    rules = _rule("t.a", GENERAL, sets_aside=_aside("t.b")) + _rule("t.b", SPECIFIC, sets_aside=_aside("t.a"))
    assert ("exception_cycle", "error") in _codes(tmp_path / "1", rules)
    rules = _rule("t.a", GENERAL, sets_aside=_aside("t.a"))
    assert ("exception_self", "error") in _codes(tmp_path / "2", rules)
    twice = _aside("t.a") + """\
      - rule: t.a
        basis: [PP 94/2021 Pasal 35 ayat (3)]
        reason: {id: x, en: x}
"""
    rules = _rule("t.a", GENERAL, level="unassigned") + _rule("t.b", SPECIFIC, sets_aside=twice)
    assert ("exception_duplicate", "error") in _codes(tmp_path / "3", rules)


def test_lint_lighter_rule_must_say_why(tmp_path: Path) -> None:
    rules = _rule("t.general", GENERAL) + _rule("t.specific", SPECIFIC, level="ringan", sets_aside=_aside("t.general"))
    assert ("exception_lighter", "error") in _codes(tmp_path / "1", rules)
    why = '        lighter: {id: "undang-undang menetapkannya", en: "the statute says so"}\n'
    rules = _rule("t.general", GENERAL) + _rule(
        "t.specific", SPECIFIC, level="ringan", sets_aside=_aside("t.general", why)
    )
    assert not [c for c in _codes(tmp_path / "2", rules) if c[1] == "error"]


def test_lint_never_in_force_together(tmp_path: Path) -> None:
    late = _rule("t.specific", SPECIFIC, sets_aside=_aside("t.general")).replace(
        "    when:", "    in_force: {from: 2023-01-01}\n    when:", 1
    )
    early = _rule("t.general", GENERAL, level="unassigned").replace(
        "    when:", "    in_force: {from: 2021-08-31, until: 2022-12-31}\n    when:", 1
    )
    assert ("exception_never_together", "error") in _codes(tmp_path / "1", early + late)
    binds_other = _rule("t.general", GENERAL, level="unassigned").replace("    when:", "    binds: [cpns]\n    when:", 1)
    only_pns = _rule("t.specific", SPECIFIC, sets_aside=_aside("t.general")).replace(
        "    when:", "    binds: [pns]\n    when:", 1
    )
    assert ("exception_never_together", "error") in _codes(tmp_path / "2", binds_other + only_pns)


def test_lint_warns_when_the_two_rules_can_never_hold_together(tmp_path: Path) -> None:
    other = "{act.kind: social_media, act.action: like}"
    rules = _rule("t.general", other, level="unassigned") + _rule("t.specific", SPECIFIC, sets_aside=_aside("t.general"))
    assert ("exception_disjoint", "warning") in _codes(tmp_path, rules)


def test_lint_checks_the_basis_citation(tmp_path: Path) -> None:
    bad = _aside("t.general").replace("PP 94/2021 Pasal 35 ayat (3)", "PP 94/2021 Pasal 35 ayat (9)")
    rules = _rule("t.general", GENERAL, level="unassigned") + _rule("t.specific", SPECIFIC, sets_aside=bad)
    assert ("unresolved_citation", "error") in _codes(tmp_path, rules)


@pytest.mark.parametrize("backend", ["native", "durable"])
def test_bundled_listener_with_attributes_unknown_is_at_least_angka_1(backend: str) -> None:
    from netral_rules.backends.durable import unavailable_reason

    if backend == "durable" and unavailable_reason():
        pytest.skip(f"durable backend unavailable: {unavailable_reason()}")
    with Engine.default(backend=backend) as engine:
        base = {
            "occurred_on": "2024-01-20",
            "actor": {"status": "pns"},
            "context": {"election": {"type": "pilpres", "candidate_determined_on": "2023-11-13"}},
        }
        d = engine.evaluate({**base, "act": {"kind": "campaign_attendance", "role": "listener"}})
        # the listener rule (setting pp94_listener_breaches_5n1, default true) is the general form for a listener
        assert d.status == "violation" and d.rule_ids == ["pp94.dukungan.ikut-kampanye-pendengar"]
        # the same act with a Korpri uniform: the specific form sets the general aside
        d = engine.evaluate({**base, "act": {"kind": "campaign_attendance", "role": "listener",
                                             "civil_service_attributes": True}})
        assert d.rule_ids == ["pp94.dukungan.atribut"]
        assert [(a.rule_id, a.by) for a in d.set_aside] == [("pp94.dukungan.ikut-kampanye-pendengar", "pp94.dukungan.atribut")]
