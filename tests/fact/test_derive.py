"""Derived values: the candidate stage and the campaign-period flag from the dates the report gives, only
when the report leaves them out, each reported."""

from __future__ import annotations

from netral_rules import parse_fact
from netral_rules.fact.derive import derive
from netral_rules.fact.fields import flatten


def _derived(election: dict[str, object], day: str = "2024-01-20") -> tuple[dict[str, object], int]:
    fact = parse_fact({"occurred_on": day, "actor": {"status": "pns"}, "context": {"election": election},
                       "act": {"kind": "voting"}})
    flat = flatten(fact)
    notes = derive(fact, flat)
    return {k: v for k, v in flat.items() if k.startswith("context.election.")}, len(notes)


def test_stage_switches_on_the_determination_day() -> None:
    assert _derived({"candidate_determined_on": "2024-01-20"})[0]["context.election.candidate_stage"] == "calon"
    assert _derived({"candidate_determined_on": "2024-01-21"})[0]["context.election.candidate_stage"] == "bakal_calon"


def test_campaign_flag_inclusive_bounds() -> None:
    for day, inside in [("2023-11-27", False), ("2023-11-28", True), ("2024-02-10", True), ("2024-02-11", False)]:
        flat, n = _derived({"campaign_start": "2023-11-28", "campaign_end": "2024-02-10"}, day)
        assert flat["context.election.in_campaign_period"] is inside and n == 1


def test_given_values_win_and_nothing_is_guessed() -> None:
    flat, n = _derived({"candidate_stage": "bakal_calon", "candidate_determined_on": "2020-01-01"})
    assert flat["context.election.candidate_stage"] == "bakal_calon" and n == 0
    flat, n = _derived({"campaign_start": "2023-11-28"})  # no end: no flag
    assert "context.election.in_campaign_period" not in flat and n == 0
