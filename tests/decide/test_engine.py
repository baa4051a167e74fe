"""The public API end to end: temporal selection, binding, findings, aggregation, assumptions, audit."""

import datetime as dt
import json
import pickle
from pathlib import Path

import pytest
from helpers import PACK, RULE, fact, write_pack

from netral_rules import Decision, Engine, FactError, NetralError, PackError
from netral_rules.decide.engine import bundled_rules_dir

LADDER_PACK = (
    PACK
    + """\
notes:
  - {id: catatan paket, en: pack caveat}
settings:
  - name: alt_menu
    default: false
    description: {id: menu lain, en: other menu}
substitutions:
  - setting: alt_menu
    applies_when: true
    replace: PP 94/2021 Pasal 8 ayat (3)
    with: PP 94/2021 Pasal 8 ayat (5)
    note: {id: diganti, en: replaced}
aggregation:
  category: disiplin
  ladder: [PP 94/2021 Pasal 8 ayat (2), PP 94/2021 Pasal 8 ayat (3), PP 94/2021 Pasal 8 ayat (4)]
  basis: {several: [PP 94/2021 Pasal 35 ayat (1)], repeat: [PP 94/2021 Pasal 35 ayat (2)]}
  explain:
    single: {id: "satu {level}", en: "one {level}"}
    several: {id: "{count} pelanggaran {level}", en: "{count} violations {level}"}
    repeat: {id: "ulang {prior_level} {level}", en: "repeat {prior_level} -> {level}"}
    ceiling: {id: plafon, en: ceiling}
    unassigned: {id: tidak ditetapkan, en: unassigned}
    prior_type_unknown: {id: jenis tidak diketahui, en: type unknown}
"""
)


def _menu(ayat: int, level: str, letters: str) -> str:
    out = f"""\
  - cite: PP 94/2021 Pasal 8 ayat ({ayat})
    text: menu {ayat}
    gloss: menu {ayat}
    provenance: {{status: verified_primary}}
    level: {level}
    options:
"""
    for x in letters:
        out += f"      - {{code: m{ayat}.{x}, cite: PP 94/2021 Pasal 8 ayat ({ayat}) huruf {x}, label: {{id: {x}, en: {x}}}}}\n"
    for x in letters:
        out += f"""\
  - cite: PP 94/2021 Pasal 8 ayat ({ayat}) huruf {x}
    text: jenis {ayat}{x}
    gloss: type {ayat}{x}
    provenance: {{status: verified_primary}}
"""
    return out


LADDER_ARTICLES = (
    "articles:\n"
    + _menu(2, "ringan", "abc")
    + _menu(3, "sedang", "abc")
    + _menu(4, "berat", "abc")
    + _menu(5, "sedang", "xy")
    + """\
  - cite: PP 94/2021 Pasal 5 huruf n angka 2
    text: atribut
    gloss: attributes
    provenance: {status: verified_primary}
  - cite: PP 94/2021 Pasal 5 huruf n angka 3
    text: mengerahkan
    gloss: mobilising
    provenance: {status: verified_secondary, source: a news report}
  - cite: PP 94/2021 Pasal 35 ayat (1)
    text: satu terberat
    gloss: one heaviest
    provenance: {status: verified_primary}
  - cite: PP 94/2021 Pasal 35 ayat (2)
    text: lebih berat
    gloss: heavier
    provenance: {status: verified_primary}
"""
)

LADDER_RULES = (
    RULE.replace("nature", "x")
    + """\
  - id: t.attributes
    title: {id: Atribut, en: Attributes}
    when:
      all:
        - act.kind: campaign_attendance
        - act.party_attributes: true
    then:
      category: disiplin
      level: sedang
      nature: netralitas
      sanctions: PP 94/2021 Pasal 8 ayat (3)
      basis: [PP 94/2021 Pasal 5 huruf n angka 2]
    explain: {id: "{actor} beratribut {act.party_attributes}", en: "{actor} with attributes {act.party_attributes}"}
  - id: t.listener
    title: {id: Hadir, en: Listening}
    when:
      all:
        - act.kind: campaign_attendance
        - act.role: listener
        - act.party_attributes: false
    then:
      category: disiplin
      level: unassigned
      nature: netralitas
      basis: [PP 94/2021 Pasal 5 huruf n angka 2]
    explain: {id: hadir, en: listened}
"""
)
LADDER_RULES = LADDER_RULES.replace(
    "      level: berat\n      sanctions", "      level: berat\n      nature: netralitas\n      sanctions"
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = write_pack(
        tmp_path_factory.mktemp("packs") / "ladder",
        pack=LADDER_PACK,
        articles=LADDER_ARTICLES,
        rules={"r.yaml": LADDER_RULES},
    )
    return Engine.from_paths([root])


def test_single_finding_with_basis_text_and_explanation(engine: Engine) -> None:
    d = engine.evaluate({**fact(party_attributes=True), "actor": {"status": "pns", "name": "Rina"}})
    assert d.status == "violation"
    [f] = d.findings
    assert (f.rule_id, f.category, f.level) == ("t.attributes", "disiplin", "sedang")
    assert f.basis[0].cite == "PP 94/2021 Pasal 5 huruf n angka 2" and f.basis[0].text == "atribut"
    assert [o.code for o in f.sanctions[0].options] == ["m3.a", "m3.b", "m3.c"]
    assert f.explanation.id == "PNS Rina beratribut ya" and f.explanation.en == "PNS Rina with attributes yes"
    assert [(m.path, m.actual) for m in f.matched] == [
        ("act.kind", "campaign_attendance"),
        ("act.party_attributes", True),
    ]
    assert d.aggregate.level == "sedang" and d.aggregate.outcomes[0].explanation.en == "one moderate"  # levels in words
    assert d.aggregate.basis == ()


def test_several_violations_one_heaviest_sanction(engine: Engine) -> None:
    d = engine.evaluate(fact(party_attributes=True, mobilised_civil_servants=True))
    assert sorted(d.rule_ids) == ["t.attributes", "t.mobilise"]
    assert d.aggregate.level == "berat"
    [outcome] = d.aggregate.outcomes
    assert [s.code for s in outcome.sanctions] == ["m4.a", "m4.b", "m4.c"]
    assert outcome.explanation.en == "2 violations heavy"
    assert [b.cite for b in d.aggregate.basis] == ["PP 94/2021 Pasal 35 ayat (1)"]
    # the secondary source of one basis article is surfaced on the finding
    mob = next(f for f in d.findings if f.rule_id == "t.mobilise")
    assert mob.verification == "verified_secondary"


def test_repeat_escalates_above_the_last_sanction(engine: Engine) -> None:
    prior = {"imposed_on": "2023-01-01", "level": "sedang", "nature": "netralitas", "sanction": "m3.b"}
    d = engine.evaluate({**fact(party_attributes=True), "actor": {"status": "pns", "prior_sanctions": [prior]}})
    assert d.aggregate.repeat
    [outcome] = d.aggregate.outcomes
    # the finding's own types heavier than the last sanction (sedang b) satisfy Pasal 35 ayat (2)
    assert [s.code for s in outcome.sanctions] == ["m3.c"]
    assert outcome.level == "sedang"
    assert outcome.explanation.en == "repeat moderate -> moderate"
    assert [b.cite for b in d.aggregate.basis] == ["PP 94/2021 Pasal 35 ayat (2)"]


def test_repeat_escalates_to_the_next_level_when_no_own_type_is_heavier(engine: Engine) -> None:
    prior = {"imposed_on": "2023-01-01", "level": "berat", "nature": "netralitas", "sanction": "m4.a"}
    d = engine.evaluate({**fact(party_attributes=True), "actor": {"status": "pns", "prior_sanctions": [prior]}})
    [outcome] = d.aggregate.outcomes
    assert [s.code for s in outcome.sanctions] == ["m4.b", "m4.c"]
    assert outcome.level == d.aggregate.level == "berat"


def test_repeat_of_another_nature_or_later_sanction_does_not_escalate(engine: Engine) -> None:
    other = {"imposed_on": "2023-01-01", "level": "berat", "nature": "kehadiran"}
    later = {"imposed_on": "2025-01-01", "level": "berat", "nature": "netralitas"}
    d = engine.evaluate({**fact(party_attributes=True), "actor": {"status": "pns", "prior_sanctions": [other, later]}})
    assert not d.aggregate.repeat and d.aggregate.level == "sedang"


def test_repeat_with_unknown_type_and_ceiling(engine: Engine) -> None:
    prior = {"imposed_on": "2023-01-01", "level": "sedang", "nature": "netralitas"}
    d = engine.evaluate({**fact(party_attributes=True), "actor": {"status": "pns", "prior_sanctions": [prior]}})
    assert [s.code for s in d.aggregate.outcomes[0].sanctions][:2] == ["m3.b", "m3.c"]
    assert any(n.en == "type unknown" for n in d.notes)
    top = {"imposed_on": "2023-01-01", "level": "berat", "nature": "netralitas", "sanction": "m4.c"}
    d = engine.evaluate({**fact(mobilised_civil_servants=True), "actor": {"status": "pns", "prior_sanctions": [top]}})
    assert d.aggregate.outcomes[0].explanation.en == "ceiling"
    assert [s.code for s in d.aggregate.outcomes[0].sanctions] == ["m4.c"]


def test_unassigned_level_is_not_invented(engine: Engine) -> None:
    d = engine.evaluate(fact(role="listener", party_attributes=False))
    assert d.rule_ids == ["t.listener"]
    assert d.aggregate.level == "unassigned"
    assert d.aggregate.outcomes[0].sanctions == ()
    assert d.aggregate.outcomes[0].explanation.en == "unassigned"


def test_unassigned_next_to_an_assigned_level(engine: Engine) -> None:
    d = engine.evaluate(fact(role="listener", party_attributes=False, mobilised_civil_servants=True))
    assert sorted(d.rule_ids) == ["t.listener", "t.mobilise"] and d.aggregate.level == "berat"


def test_setting_switches_the_menu_and_is_reported(engine: Engine, tmp_path: Path) -> None:
    d = engine.evaluate(fact(party_attributes=True))
    [a] = d.assumptions
    assert (a.setting, a.value, a.default) == ("alt_menu", False, False)
    assert a.effect.en == "PP 94/2021 Pasal 8 ayat (3) applies as written."
    alt = Engine(engine.packs, settings={"alt_menu": True})
    d = alt.evaluate(fact(party_attributes=True))
    menu = d.findings[0].sanctions[0]
    assert (menu.cite, menu.replaces) == ("PP 94/2021 Pasal 8 ayat (5)", "PP 94/2021 Pasal 8 ayat (3)")
    assert [o.code for o in menu.options] == ["m5.x", "m5.y"]
    assert d.assumptions[0].effect.en == "replaced"
    with pytest.raises(NetralError, match="unknown engine setting"):
        Engine(engine.packs, settings={"nope": True})


def test_missing_information_is_reported_not_guessed(engine: Engine) -> None:
    d = engine.evaluate(fact())
    assert d.status == "undetermined"
    missing = {u.rule_id: u.missing for u in d.undetermined}
    assert missing == {"t.mobilise": ("act.mobilised_civil_servants",), "t.attributes": ("act.party_attributes",)}


def test_temporal_selection_and_not_covered(engine: Engine) -> None:
    d = engine.evaluate({**fact(party_attributes=True), "occurred_on": "2021-08-30"})
    assert d.status == "not_covered" and d.findings == ()
    assert "2021-08-30" in d.not_covered.en  # type: ignore[union-attr]
    d = engine.evaluate({**fact(party_attributes=True), "occurred_on": "2021-08-31"})
    assert d.status == "violation"
    d = engine.evaluate({**fact(party_attributes=True), "occurred_on": "2021-08-30"}, as_of=dt.date(2022, 1, 1))
    assert d.status == "violation" and d.applied_on == dt.date(2022, 1, 1) and d.audit.as_of_given


def test_pack_notes_accompany_its_findings_only(engine: Engine) -> None:
    d = engine.evaluate(fact(party_attributes=True))
    assert any(n.en == "pack caveat" for n in d.notes)
    d = engine.evaluate({**fact(party_attributes=True), "occurred_on": "2021-08-30"})
    assert not any(n.en == "pack caveat" for n in d.notes)


def test_scenario_expectations_on_assumptions(engine: Engine) -> None:
    from netral_rules.batch.scenarios import compare
    from netral_rules.law.schema import Expectation

    d = engine.evaluate(fact(party_attributes=True))
    assert compare(Expectation(assumptions=["alt_menu"], notes_contain=["applies as written"]), d) == []
    diffs = compare(Expectation(assumptions=[]), d)
    assert [x.what for x in diffs] == ["assumptions"]


def test_actor_not_bound_gets_a_note(engine: Engine) -> None:
    d = engine.evaluate({**fact(party_attributes=True), "actor": {"status": "pppk"}})
    assert d.status == "no_violation" and d.findings == ()
    assert any("does not bind PPPK" in n.en for n in d.notes)


def test_decision_round_trips_and_audit_is_stable(engine: Engine) -> None:
    f = fact(party_attributes=True, mobilised_civil_servants=True)
    d = engine.evaluate(f)
    assert Decision.from_json(d.to_json()) == d
    reordered = {"act": dict(reversed(list(f["act"].items()))), "context": f["context"], "actor": f["actor"],  # type: ignore[union-attr]
                 "occurred_on": f["occurred_on"]}
    assert engine.evaluate(reordered) == d
    assert len(d.audit.input_sha256) == 64
    assert d.audit.packs[0].id == "test_pack" and len(d.audit.packs[0].sha256) == 64


def test_invalid_fact_raises_and_batch_keeps_going(engine: Engine) -> None:
    with pytest.raises(FactError):
        engine.evaluate({"occurred_on": "x"})
    out = list(engine.evaluate_many([fact(party_attributes=True), {"bad": 1}, fact(mobilised_civil_servants=True)]))
    assert [type(x).__name__ for x in out] == ["Decision", "FactError", "Decision"]


def test_engine_pickles(engine: Engine) -> None:
    clone = pickle.loads(pickle.dumps(engine))
    f = fact(party_attributes=True)
    assert clone.evaluate(f) == engine.evaluate(f)


def test_broken_pack_refuses_to_build(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", rules={"r.yaml": RULE.replace("act.kind", "act.knd")})
    with pytest.raises(PackError) as info:
        Engine.from_paths([root])
    assert "unknown fact path 'act.knd'" in str(info.value)


def test_unknown_backend() -> None:
    with pytest.raises(NetralError, match="unknown backend"):
        Engine([], backend="prolog")


def test_bundled_packs_load_and_answer() -> None:
    e = Engine.default()
    assert bundled_rules_dir().is_dir()
    d = e.evaluate(
        {"occurred_on": "2024-03-01", "actor": {"status": "pns"}, "act": {"kind": "party_membership", "role": "board"}}
    )
    assert d.aggregate.level == "ptdh" and d.aggregate.category == "pemberhentian"
    assert any(b.cite.startswith("UU 20/2023 Pasal 52") for f in d.findings for b in f.basis)


def test_headline_does_not_hide_an_unassigned_disciplinary_finding() -> None:
    from netral_rules.vocabulary import headline_rank

    # a disciplinary sanction of a level the law leaves open still outranks an ethics (moral) sanction
    assert headline_rank("unassigned", "disiplin") > headline_rank("moral", "kode_etik")
    assert headline_rank("unassigned", "disiplin") < headline_rank("ringan", "disiplin")
    assert headline_rank("ptdh", "pemberhentian") > headline_rank("berat", "disiplin")
    assert headline_rank(None, None) == 0


def test_decision_json_is_byte_identical_after_a_round_trip(engine: Engine) -> None:
    d = engine.evaluate(fact(party_attributes=True, mobilised_civil_servants=True))
    text = d.model_dump_json()
    assert Decision.model_validate_json(text).model_dump_json() == text
    assert list(json.loads(text))[:3] == ["fact_id", "status", "applied_on"]  # the model's field order


def test_decisions_share_no_mutable_state() -> None:
    e = Engine.default()
    member = {"occurred_on": "2024-03-01", "actor": {"status": "pns"}, "act": {"kind": "party_membership", "role": "member"}}
    first = e.evaluate(member)
    lists = [m.expected for f in first.findings for m in f.matched if isinstance(m.expected, list)]
    assert lists, "the bundled party-membership rule tests act.role with 'in'"
    lists[0].append("changed by a caller")
    again = e.evaluate(member)
    assert all("changed by a caller" not in m.expected for f in again.findings for m in f.matched
               if isinstance(m.expected, list))


def test_as_of_must_be_a_date_and_settings_are_fixed(engine: Engine) -> None:
    for bad in ("2024-01-01", dt.datetime(2024, 1, 1, 10, 0)):
        with pytest.raises(FactError) as info:
            engine.evaluate(fact(party_attributes=True), as_of=bad)  # type: ignore[arg-type]
        assert info.value.problems[0].where == "as_of"
    settings = engine.settings
    settings["alt_menu"] = True  # a copy: the engine's compiled menus and its audit are unaffected
    d = engine.evaluate(fact(party_attributes=True))
    assert d.audit.settings == {"alt_menu": False}
