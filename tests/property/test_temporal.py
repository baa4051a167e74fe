"""Property 8: a rule is never applied outside its in-force period, and moving ``occurred_on`` across a
law's start (or end) date switches what is applied exactly at that date.

Dates come from the loaded packs' manifests and rules, never from this file: when a pack is added (UU 5/2014
until 2023-10-30, UU 20/2023 from 2023-10-31), its boundaries are tested too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netral_rules import Engine
from netral_rules.testing import facts, witness

from .conftest import rules_dir, under_reading

_ENGINE = Engine.from_paths([rules_dir()])
RULE_IDS = [r.id for r in _ENGINE.rules]
DAY = dt.timedelta(days=1)


def _boundaries(engine: Engine) -> list[dt.date]:
    """Days on which the law in force changes: a pack or rule starts, or the day after one ends."""
    out: set[dt.date] = set()
    for p in engine.packs:
        if p.rules:
            out.add(p.manifest.in_force.from_)
            if p.manifest.in_force.until:
                out.add(p.manifest.in_force.until + DAY)
    for r in engine.rules:
        out.add(r.in_force.from_)
        if r.in_force.until:
            out.add(r.in_force.until + DAY)
    return sorted(out)


def _at(fact: dict[str, Any], day: dt.date) -> dict[str, Any]:
    return {**fact, "occurred_on": day.isoformat()}


@pytest.mark.parametrize("rule_id", RULE_IDS)
@given(data=st.data())
def test_rule_switches_exactly_at_its_boundaries(native: Engine, rule_id: str, data: st.DataObject) -> None:
    rule = next(r for r in native.rules if r.id == rule_id)
    start, until = rule.in_force.from_, rule.in_force.until
    edge = data.draw(st.sampled_from([start] + ([until] if until else [])))
    fact = data.draw(witness(rule.nnf, period=(edge, edge), statuses=rule.binds))
    engine = under_reading(native, rule)  # a rule of another reading of an open question, under that reading
    assert rule_id in engine.evaluate(fact).held_rule_ids, "fires on its boundary day"
    outside = edge - DAY if edge == start else edge + DAY
    assert rule_id not in engine.evaluate(_at(fact, outside)).held_rule_ids, f"applied on {outside}, outside its period"


@pytest.mark.parametrize("rule_id", RULE_IDS)
@given(data=st.data())
def test_rule_never_applied_outside_its_period(native: Engine, rule_id: str, data: st.DataObject) -> None:
    rule = next(r for r in native.rules if r.id == rule_id)
    start, until = rule.in_force.from_, rule.in_force.until
    ranges = [(dt.date(1990, 1, 1), start - DAY)] + ([(until + DAY, dt.date(2100, 1, 1))] if until else [])
    lo, hi = data.draw(st.sampled_from(ranges))
    fact = data.draw(witness(rule.nnf, statuses=rule.binds))
    day = data.draw(st.dates(lo, hi))
    assert rule_id not in native.evaluate(_at(fact, day)).held_rule_ids
    assert rule_id not in native.evaluate(fact, as_of=day).held_rule_ids


@given(data=st.data())
def test_instruments_switch_at_boundaries(native: Engine, data: st.DataObject) -> None:
    bounds = _boundaries(native)
    day = data.draw(st.sampled_from(bounds))
    if data.draw(st.booleans()):
        rule = data.draw(st.sampled_from(native.rules))
        base = data.draw(witness(rule.nnf, statuses=rule.binds))
    else:
        base = data.draw(facts())
    packs = {p.id: p for p in native.packs}
    for d in (day - DAY, day):
        decision = native.evaluate(_at(base, d))
        for f in decision.findings:
            assert packs[f.pack].manifest.in_force.contains(d), (f.rule_id, d)
        if decision.status == "not_covered":
            assert not any(p.rules and p.manifest.in_force.contains(d) for p in native.packs)
    before = {f.pack for f in native.evaluate(_at(base, day - DAY)).findings}
    after = {f.pack for f in native.evaluate(_at(base, day)).findings}
    starting = {p.id for p in native.packs if p.manifest.in_force.from_ == day}
    ending = {p.id for p in native.packs if p.manifest.in_force.until == day - DAY}
    assert not before & starting and not after & ending
