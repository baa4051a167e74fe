"""Property: a rule set aside never appears as a finding while a rule that sets it aside holds, and never
disappears otherwise (on an incomplete report: it disappears only when it is set aside in every reading, and
then the decision names the rules that set it aside). "Holds" is decided here by the reference three-valued semantics of the condition
language (conditions.logic.evaluate3) on the fact's flat view, not by the backend that made the decision,
for rules in force on the applied date that bind the actor."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from netral_rules import Engine, parse_fact
from netral_rules.conditions import evaluate3
from netral_rules.testing import engine_facts


def _holding(engine: Engine, fact: dict[str, object]) -> set[str]:
    stages = engine.stages
    prepared = stages.prepare(parse_fact(fact))
    epoch = stages.law_in_force(prepared)
    if not epoch.in_force:
        return set()
    rules = engine.law.rules
    return {rules[i].rule.id for i in epoch.applicable if evaluate3(rules[i].rule.condition, prepared.flat) is True}


@given(data=st.data())
def test_set_aside_exactly_while_the_specific_rule_holds(engine: Engine, data: st.DataObject) -> None:
    fact = data.draw(engine_facts(engine))
    decision = engine.evaluate(fact)
    holding = _holding(engine, fact)
    excluders: dict[str, set[str]] = {}
    for rule in engine.rules:
        for entry in rule.rule.sets_aside:
            excluders.setdefault(entry.rule, set()).add(rule.id)
    found = set(decision.rule_ids)
    aside = {a.rule_id for a in decision.set_aside}
    if decision.readings is None:  # a complete report: what holds is exactly what is found or set aside
        assert found | aside == holding
    else:  # an incomplete one: what holds in every reading is found or set aside in every reading
        assert holding <= found | aside
        assert found <= holding
    for rule_id in holding:
        by = excluders.get(rule_id, set()) & holding
        if by:
            assert rule_id not in found, (rule_id, by)
            assert by <= {a.by for a in decision.set_aside if a.rule_id == rule_id}
        elif decision.readings is None:
            assert rule_id in found, rule_id
        else:
            # set aside in every reading by rules that hold only in some: the decision names them
            assert rule_id in found or {a.by for a in decision.set_aside if a.rule_id == rule_id}, rule_id
