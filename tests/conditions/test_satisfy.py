"""Satisfiability: which facts can make a condition true (the linter's contradictions, the index's act
kinds, the strategies' witnesses)."""

from __future__ import annotations

import datetime as dt

from netral_rules.conditions import to_nnf
from netral_rules.conditions.satisfy import conjunctions, contradiction, possible_act_kinds, value_candidates
from netral_rules.fact.fields import fact_fields
from netral_rules.testing import parse_condition


def _nnf(raw: object):  # type: ignore[no-untyped-def]
    return to_nnf(parse_condition(raw))


def test_conjunctions_of_the_dnf() -> None:
    cond = _nnf({"all": [{"act.kind": "absence"}, {"any": [{"act.cumulative_days": {"gte": 3}},
                                                            {"act.consecutive_days": {"gte": 10}}]}]})
    assert [[str(c) for c in conj] for conj in conjunctions(cond)] == [
        ["act.kind eq absence", "act.cumulative_days gte 3"],
        ["act.kind eq absence", "act.consecutive_days gte 10"],
    ]


def test_contradictions_are_found_and_explained() -> None:
    assert contradiction(_nnf({"all": [{"act.cumulative_days": {"gte": 10}}, {"act.cumulative_days": {"lt": 5}}]}))
    assert contradiction(_nnf({"all": [{"act.kind": "absence"}, {"act.role": "listener"}]}))  # no such field there
    both = {"all": [{"actor.on_unpaid_leave": {"exists": True}}, {"actor.on_unpaid_leave": {"exists": False}}]}
    assert "both given and not given" in (contradiction(_nnf(both)) or "")
    assert contradiction(_nnf({"all": [{"act.kind": "absence"}, {"act.cumulative_days": {"between": [3, 3]}}]})) is None


def test_possible_act_kinds_follow_the_fields_tested() -> None:
    assert possible_act_kinds(_nnf({"act.mobilised_civil_servants": True})) == {"campaign_attendance"}
    assert possible_act_kinds(_nnf({"act.spouse_is_candidate": True})) == {
        "campaign_attendance", "declaration_attendance"}
    assert possible_act_kinds(_nnf({"actor.status": "pns"})) is None  # any kind


def test_value_candidates_cover_every_region() -> None:
    spec = fact_fields().fields["act.cumulative_days"]
    lits = next(iter(conjunctions(_nnf({"act.cumulative_days": {"between": [4, 6]}}))))
    values = value_candidates(spec, lits)
    assert {3, 4, 6, 7} <= set(values) and all(0 <= v <= 366 for v in values)
    day = fact_fields().fields["occurred_on"]
    lits = next(iter(conjunctions(_nnf({"occurred_on": {"gte": dt.date(2023, 10, 31)}}))))
    assert {dt.date(2023, 10, 30), dt.date(2023, 10, 31)} <= set(value_candidates(day, lits))
