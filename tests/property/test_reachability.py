"""Property 2: every bundled rule is reachable, and breaking one required part of it stops it firing.

A witness (a fact satisfying the rule's condition, dated while the rule is in force, for an actor it binds)
must fire the rule, on both backends. A near miss (the same, except that one required part, a top-level
conjunct, is made definitely false) must not fire it.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netral_rules import Engine
from netral_rules.testing import rule_breakable_parts, rule_near_miss, rule_witness

from .conftest import rules_dir, under_reading

_ENGINE = Engine.from_paths([rules_dir()])
RULE_IDS = [r.id for r in _ENGINE.rules]
def _rule(engine: Engine, rule_id: str):  # type: ignore[no-untyped-def]
    return next(r for r in engine.rules if r.id == rule_id)


def test_every_rule_is_listed() -> None:
    assert RULE_IDS, "no rules loaded"


@pytest.mark.parametrize("rule_id", RULE_IDS)
@given(data=st.data())
def test_witness_fires(engine: Engine, rule_id: str, data: st.DataObject) -> None:
    rule = _rule(engine, rule_id)
    fact = data.draw(rule_witness(rule), label="witness")
    decision = under_reading(engine, rule).evaluate(fact)  # a rule of another reading holds under that reading
    assert rule_id in decision.held_rule_ids, (decision.status, decision.rule_ids, decision.undetermined)
    assert decision.status == "violation"


@pytest.mark.parametrize("rule_id", RULE_IDS)
@given(data=st.data())
def test_near_miss_does_not_fire(engine: Engine, rule_id: str, data: st.DataObject) -> None:
    rule = _rule(engine, rule_id)
    if not rule_breakable_parts(rule):
        pytest.skip("no valid fact breaks exactly one required part of this rule (the fact model allows none)")
    j, fact = data.draw(rule_near_miss(rule), label="near miss")
    decision = under_reading(engine, rule).evaluate(fact)
    assert rule_id not in decision.held_rule_ids, f"broke required part #{j} but the rule fired"
    assert rule_id not in {u.rule_id for u in decision.undetermined}, "a broken part is false, not unknown"
