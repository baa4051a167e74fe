"""Each decide stage used alone, on the bundled packs: what it takes, what it gives, and that chaining
them is exactly ``Engine.evaluate``."""

from __future__ import annotations

import datetime as dt

import pytest

from netral_rules import Engine, parse_fact

LISTENER = {
    "occurred_on": "2024-01-20",
    "actor": {"status": "pns", "name": "Budi"},
    "context": {"election": {"type": "pilpres", "candidate_determined_on": "2023-11-13",
                             "campaign_start": "2023-11-28", "campaign_end": "2024-02-10"}},
    "act": {"kind": "campaign_attendance", "role": "listener", "civil_service_attributes": True},
}
# the same report complete for the rules in force: one reading, no readings to weigh
COMPLETE = {**LISTENER, "actor": {"status": "pns", "name": "Budi", "on_unpaid_leave": False},
            "act": {**LISTENER["act"], "party_attributes": False, "state_facilities": False,  # type: ignore[dict-item]
                    "mobilised_civil_servants": False, "registered_campaign_team": False,
                    "spouse_is_candidate": False, "active_support": False}}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


def test_prepare_flattens_derives_and_hashes(engine: Engine) -> None:
    prepared = engine.stages.prepare(parse_fact(LISTENER))
    assert prepared.applied_on == dt.date(2024, 1, 20)
    assert prepared.flat["act.kind"] == "campaign_attendance"
    # derived from the dates: the determination and the campaign period
    assert prepared.flat["context.election.candidate_stage"] == "calon"
    assert prepared.flat["context.election.in_campaign_period"] is True
    assert len(prepared.notes) == 2
    assert prepared.audit.input_sha256 == engine.stages.prepare(parse_fact(dict(reversed(LISTENER.items())))).audit.input_sha256
    later = engine.stages.prepare(parse_fact(LISTENER), dt.date(2025, 1, 1))
    assert later.applied_on == dt.date(2025, 1, 1) and later.audit.as_of_given
    assert later.audit.input_sha256 != prepared.audit.input_sha256


def test_law_in_force_is_the_epoch_of_the_date_and_status(engine: Engine) -> None:
    stages = engine.stages
    epoch = stages.law_in_force(stages.prepare(parse_fact(LISTENER)))
    assert epoch.in_force
    ids = {engine.law.rules[i].rule.id for i in epoch.applicable}
    assert "pp94.dukungan.atribut" in ids and not any(i.startswith("pp53.") for i in ids)
    pppk = stages.law_in_force(stages.prepare(parse_fact({**LISTENER, "actor": {"status": "pppk"}})))
    assert not any(engine.law.rules[i].rule.id.startswith("pp94.") for i in pppk.applicable)
    early = stages.law_in_force(stages.prepare(parse_fact({**LISTENER, "occurred_on": "1990-01-01"})))
    assert not early.in_force


def test_match_then_set_aside(engine: Engine) -> None:
    stages = engine.stages
    prepared = stages.prepare(parse_fact(LISTENER))
    epoch = stages.law_in_force(prepared)
    holding = stages.match(prepared, epoch)
    ids = [engine.law.rules[i].rule.id for i in holding]
    # a listener: the general form is the listener rule (setting pp94_listener_breaches_5n1, default true)
    assert ids == ["pp94.dukungan.atribut", "pp94.dukungan.ikut-kampanye-pendengar"]
    matched = stages.set_aside(holding)
    assert [engine.law.rules[i].rule.id for i in matched.kept] == ["pp94.dukungan.atribut"]
    assert [(a.rule_id, a.by) for a in matched.set_aside] == [
        ("pp94.dukungan.ikut-kampanye-pendengar", "pp94.dukungan.atribut")]
    assert stages.set_aside([]).kept == ()


def test_undetermined_names_what_is_missing(engine: Engine) -> None:
    stages = engine.stages
    prepared = stages.prepare(parse_fact({**LISTENER, "act": {"kind": "campaign_attendance", "role": "listener"}}))
    epoch = stages.law_in_force(prepared)
    matched = stages.set_aside(stages.match(prepared, epoch))
    undetermined = {u.rule_id: u.missing for u in stages.undetermined(prepared, epoch, matched)}
    assert undetermined["pp94.dukungan.atribut"] == ("act.civil_service_attributes", "act.party_attributes")
    assert "pp94.dukungan.ikut-kampanye-pendengar" not in undetermined  # it holds


def test_aggregate_and_assemble_chain_to_evaluate(engine: Engine) -> None:
    stages = engine.stages
    from netral_rules.decide.stages import _finding

    prepared = stages.prepare(parse_fact(COMPLETE))
    epoch = stages.law_in_force(prepared)
    assert stages.unknown(prepared, epoch) == ()
    prepared.notes.extend(engine.law.unbound_notes_for(epoch, prepared.flat))
    matched = stages.set_aside(stages.match(prepared, epoch))
    findings = [_finding(engine.law.rules[i], prepared.flat) for i in matched.kept]
    agg = stages.aggregate(prepared, epoch, matched, findings)
    assert agg.aggregate.level == "sedang"
    decision = stages.assemble(prepared, matched, findings, stages.undetermined(prepared, epoch, matched), agg,
                               chosen=stages.setting_readings(prepared, epoch))
    assert decision == engine.evaluate(COMPLETE)
    assert engine.decision_json(decision) == decision.model_dump_json().encode()


def test_not_covered_is_its_own_answer(engine: Engine) -> None:
    d = engine.evaluate({**LISTENER, "occurred_on": "1990-01-01"})
    assert d.status == "not_covered" and d.not_covered is not None and not d.findings


def test_a_rule_set_aside_by_several_is_held_once() -> None:
    from netral_rules import Engine

    d = Engine.default().evaluate({"occurred_on": "2024-03-01", "actor": {"status": "pns"},
                                   "act": {"kind": "social_media", "action": "like", "supports_candidate": True}})
    assert len([a for a in d.set_aside if a.rule_id == "pp94.netralitas.kewajiban"]) > 1  # by several rules
    assert len(d.held_rule_ids) == len(set(d.held_rule_ids))
