"""Readings of incomplete reports on the bundled packs: the issue's three reports, the constraints, the type of an
earlier sanction, the questions for a partial report, and the linter's warning on ``exists``."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import ARTICLES, write_pack

from netral_rules import Engine
from netral_rules.decide.engine import load_packs
from netral_rules.fact.constraints import load_constraints


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


def test_a_like_of_unknown_stage_is_a_violation_either_way(engine: Engine) -> None:
    like = {"occurred_on": "2024-03-01", "actor": {"status": "pns"},
            "act": {"kind": "social_media", "action": "like", "supports_candidate": True}}
    # by default (uu20_neutrality_breach_is_discipline: the statute) a prospective candidate's is discipline too
    d = engine.evaluate(like)
    r = d.readings
    assert r is not None and d.status == "violation" and r.violation == "every"
    assert (r.lightest.category, r.lightest.level) == ("disiplin", "unassigned")
    assert r.questions[0].field == "context.election.candidate_stage"
    # the 2022 decree's reading: ethics towards a prospective candidate
    with Engine.default(settings={"uu20_neutrality_breach_is_discipline": False}) as skb:
        d = skb.evaluate(like)
    r = d.readings
    assert r is not None and d.status == "violation" and r.violation == "every"
    assert (r.lightest.category, r.lightest.level) == ("kode_etik", "moral")
    assert (r.heaviest.category, r.heaviest.level) == ("disiplin", "berat")
    assert r.questions[0].field == "context.election.candidate_stage"
    answers = {a.value: (a.lightest.level, a.heaviest.level) for a in r.questions[0].answers}  # type: ignore[union-attr]
    assert answers == {"bakal_calon": ("moral", "moral"), "calon": ("berat", "berat")}
    texts = {rr.rule_id: rr.text.id for rr in r.rules}
    assert "bakal calon" in texts["skb.kode-etik.media-sosial"]
    assert "context.election" not in " ".join(texts.values())  # words, not paths


def test_two_days_cannot_hold_a_run_of_ten(engine: Engine) -> None:
    d = engine.evaluate({"occurred_on": "2024-05-01", "actor": {"status": "pns"},
                         "act": {"kind": "absence", "cumulative_days": 2}})
    # two days breach the duty without a level in every reading (pp94.kehadiran.kurang-dari-3-hari)
    assert d.status == "violation" and d.rule_ids == ["pp94.kehadiran.kurang-dari-3-hari"]
    assert d.readings is not None and d.readings.violation == "every"
    assert "act.consecutive_days" in d.readings.irrelevant
    assert "run-within-the-year" in d.readings.constraints
    assert d.undetermined == ()


def test_a_listener_is_a_violation_in_every_reading(engine: Engine) -> None:
    d = engine.evaluate({"occurred_on": "2024-01-20", "actor": {"status": "pns"},
                         "context": {"election": {"candidate_stage": "calon", "in_campaign_period": True}},
                         "act": {"kind": "campaign_attendance", "role": "listener"}})
    r = d.readings
    assert r is not None and d.status == "violation"
    # at least the attendance of Pasal 5 huruf n angka 1, at most a heavy sanction
    assert d.rule_ids == ["pp94.dukungan.ikut-kampanye-pendengar"]
    assert (r.lightest.category, r.lightest.level) == ("disiplin", "unassigned")
    assert (r.heaviest.category, r.heaviest.level) == ("disiplin", "berat")
    rule = next(rr for rr in r.rules if rr.rule_id == "pp94.dukungan.ikut-kampanye-pendengar")
    assert "pp94.dukungan.atribut" in rule.set_aside_by
    assert {q.field for q in r.questions} >= {"act.mobilised_civil_servants", "act.state_facilities"}


def test_hours_alone_breach_the_duty_without_a_level(engine: Engine) -> None:
    d = engine.evaluate({"occurred_on": "2024-01-16", "actor": {"status": "pns"},
                         "context": {"during_working_hours": True},
                         "act": {"kind": "absence", "hours_absent": 2, "political_talk": True}})
    assert d.status == "violation" and d.rule_ids == ["pp94.kehadiran.jam-kerja"]
    assert d.findings[0].level == "unassigned" and d.findings[0].sanctions == ()
    assert any("bukan pelanggaran netralitas" in n.id for n in d.findings[0].notes)
    # the days, when given, set the hours aside
    d = engine.evaluate({"occurred_on": "2024-01-16", "actor": {"status": "pns"},
                         "act": {"kind": "absence", "hours_absent": 2, "cumulative_days": 4, "consecutive_days": 1}})
    assert d.rule_ids == ["pp94.kehadiran.4-6-hari"]
    assert [a.rule_id for a in d.set_aside] == ["pp94.kehadiran.jam-kerja"]


def test_a_report_in_days_leaves_no_hours_rule_open(engine: Engine) -> None:
    # PP 53/2010's hour rows (Penjelasan Pasal 3 angka 11) also read the post; a report counting days gives no
    # hours (constraint days-or-hours), so with the post unknown they are neither undetermined nor possible
    report = {"occurred_on": "2021-08-30", "actor": {"status": "pns"},
              "act": {"kind": "absence", "cumulative_days": 46}, "context": {"examined_before_pp94": True}}
    d = engine.evaluate(report)
    assert d.status == "violation" and d.rule_ids == ["pp53.kehadiran.46-hari-atau-lebih"]
    assert d.undetermined == ()
    assert d.readings is None or not any("jam-setara" in r.rule_id for r in d.readings.rules)
    # 38 days leave the post open: only the day rows that read it are undetermined
    report["act"] = {"kind": "absence", "cumulative_days": 38}
    d = engine.evaluate(report)
    assert {u.rule_id for u in d.undetermined} == {"pp53.kehadiran.36-40-hari-pejabat",
                                                   "pp53.kehadiran.36-45-hari-pelaksana"}
    assert d.readings is not None and {r.rule_id for r in d.readings.rules} == {
        "pp53.kehadiran.36-40-hari-pejabat", "pp53.kehadiran.36-45-hari-pelaksana"}


def test_a_report_in_days_with_an_earlier_sanction_leaves_no_hours_rule_open(engine: Engine) -> None:
    # the readings run for the earlier sanction's unknown type though no field of the report is open
    d = engine.evaluate({"occurred_on": "2024-06-10",
                         "actor": {"status": "pns", "prior_sanctions": [{"imposed_on": "2023-01-01", "level": "berat",
                                                                         "nature": "kehadiran"}]},
                         "act": {"kind": "absence", "cumulative_days": 2, "consecutive_days": 1}})
    assert d.readings is not None
    assert not any(r.rule_id == "pp94.kehadiran.jam-kerja" for r in d.readings.rules)


def test_the_types_of_an_earlier_sanction_are_those_of_its_date(engine: Engine) -> None:
    # a heavy sanction imposed in 2022, before UU 20/2023 replaced PP 94/2021 Pasal 8 ayat (4) huruf c: its possible
    # types are the ladder's of 2022 (one of them then ranks as its replacement)
    import datetime as dt

    from netral_rules import parse_fact

    fact = parse_fact({"occurred_on": "2024-06-10",
                       "actor": {"status": "pns", "prior_sanctions": [{"imposed_on": "2022-05-01", "level": "berat",
                                                                       "nature": "kehadiran"}]},
                       "act": {"kind": "absence", "cumulative_days": 28, "consecutive_days": 1}})
    ladders = engine.law.ladders_on(dt.date(2024, 6, 10), "pns")
    (variable,) = engine.stages._prior_types(fact, ladders)
    assert [c.value for c in variable.choices] == ["pp94.8.4.a", "pp94.8.4.b", "pp94.8.4.c"]
    assert [o.code for _, o in ladders["disiplin"].ladder][-1] == "uu20.52.4.ptdh"


def test_an_earlier_sanction_of_unknown_type_is_asked(engine: Engine) -> None:
    d = engine.evaluate({
        "occurred_on": "2024-02-01",
        "actor": {"status": "pns", "prior_sanctions": [{"imposed_on": "2023-01-10", "level": "sedang",
                                                        "nature": "netralitas"}]},
        "context": {"election": {"candidate_stage": "calon", "in_campaign_period": True, "type": "pilpres"}},
        "act": {"kind": "campaign_attendance", "role": "participant", "party_attributes": True,
                "civil_service_attributes": False, "state_facilities": False, "mobilised_civil_servants": False,
                "registered_campaign_team": False, "spouse_is_candidate": False, "active_support": False},
    })
    r = d.readings
    assert r is not None and r.questions[0].field == "actor.prior_sanctions[0].sanction"
    assert (r.lightest.level, r.heaviest.level) == ("sedang", "berat")
    labels = [a.label.id for a in r.questions[0].answers]
    assert labels and all("." not in label for label in labels)  # the menu's words, not option codes


def test_questions_for_a_partial_report_start_with_the_basics(engine: Engine) -> None:
    step = engine.questions({})
    assert not step.complete
    assert [q.field for q in step.questions] == ["actor.status", "occurred_on", "act.kind"]
    step = engine.questions({"occurred_on": "2024-01-20", "actor": {"status": "pns"},
                             "act": {"kind": "campaign_attendance"}})
    assert [q.field for q in step.questions] == ["act.role"]
    assert [a.value for a in step.questions[0].answers] == ["listener", "participant", "speaker", "organiser",
                                                            "campaign_team"]
    like = {"occurred_on": "2024-03-01", "actor": {"status": "pns"},
            "act": {"kind": "social_media", "action": "like", "supports_candidate": True}}
    step = engine.questions(like)
    assert step.complete and not step.decided and step.questions[0].field == "context.election.candidate_stage"
    step = engine.questions(like, skip=["context.election.candidate_stage"])
    # then the election, among those whose cycle covers the day (its calendar gives the stage)
    assert not step.decided and [q.field for q in step.questions] == ["context.election.id"]
    assert [a.value for a in step.questions[0].answers] == ["pemilu-2024", "pilkada-2024"]
    step = engine.questions(like, skip=["context.election.candidate_stage", "context.election.id"])
    assert step.decided and not step.questions  # nothing else can change it


def test_exists_on_a_value_to_fill_in_is_warned(tmp_path: Path) -> None:
    rules = """\
rules:
  - id: t.presumed
    title: {id: x, en: x}
    when:
      all:
        - act.kind: campaign_attendance
        - any:
            - context.election.candidate_stage: {exists: false}
            - context.election.candidate_stage: calon
    then:
      category: disiplin
      level: berat
      sanctions: PP 94/2021 Pasal 8 ayat (4)
      basis: [PP 94/2021 Pasal 5 huruf n angka 3]
    explain: {id: x, en: x}
"""
    _, problems = load_packs([write_pack(tmp_path / "p", articles=ARTICLES, rules={"r.yaml": rules})])
    warned = [p for p in problems if p.code == "exists_filled"]
    assert len(warned) == 1 and warned[0].severity == "warning"
    assert warned[0].where is not None and ":" in str(warned[0].where)


def test_the_constraints_file_is_checked(tmp_path: Path) -> None:
    bad = tmp_path / "c.yaml"
    bad.write_text("constraints:\n  - id: x\n    text: {id: a, en: a}\n    basis: [m]\n"
                   "    compare: [{left: act.cumulative_dayz, op: lte, right: act.consecutive_days}]\n")
    _, problems = load_constraints(bad)
    assert [p.code for p in problems] == ["unknown_path"]
    assert "c.yaml:5" in str(problems[0].where)
