"""Property 1: the native and durable backends give identical decisions.

On the bundled packs (decisions), on random packs loaded from YAML files (decisions), and on random
condition trees over the whole fact model (rule matches; many cheap examples).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netral_rules import Engine
from netral_rules.backends import make_matcher
from netral_rules.conditions import Condition
from netral_rules.law.load import load_pack
from netral_rules.testing import conditions, facts, flat_facts, rule_pack_files

from .conftest import requires_durable, same_decision, under_reading

pytestmark = requires_durable


@given(fact=facts())
def test_bundled_packs_same_decision(native: Engine, durable: Engine, fact: dict[str, Any]) -> None:
    assert same_decision(native.evaluate(fact), durable.evaluate(fact))


@given(fact=st.data())
def test_bundled_packs_same_decision_on_witnesses(native: Engine, durable: Engine, fact: st.DataObject) -> None:
    # random facts rarely fire rules; witnesses of random rules do, often several at once
    from netral_rules.testing import rule_witness

    rule = fact.draw(st.sampled_from(native.rules))
    f = fact.draw(rule_witness(rule))
    # a rule of another reading of an open question (when_setting) holds under that reading's settings
    a, b = under_reading(native, rule).evaluate(f), under_reading(durable, rule).evaluate(f)
    assert rule.id in a.held_rule_ids
    assert same_decision(a, b)


@settings(max_examples=settings().max_examples * 8)  # cheap: many examples
@given(conds=st.lists(conditions(max_leaves=10), min_size=1, max_size=8),
       flats=st.lists(flat_facts(small=True), min_size=1, max_size=10))
def test_random_conditions_same_matches(conds: list[Condition], flats: list[dict[str, Any]]) -> None:
    n = make_matcher("native", conds)
    d = make_matcher("durable", conds)
    try:
        for flat in flats:
            assert n.match(flat) == d.match(flat), flat
    finally:
        d.close()


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=rule_pack_files(), fact_list=st.lists(facts(small=True), min_size=1, max_size=5))
def test_random_packs_same_decision(files: dict[str, str], fact_list: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        pack, problems = load_pack(root)
        assert pack is not None and not [p for p in problems if p.severity == "error"], problems
        # the linter would refuse rules that can never match; matching must agree on them too
        native, durable = Engine([pack], backend="native"), Engine([pack], backend="durable")
        try:
            for fact in fact_list:
                assert same_decision(native.evaluate(fact), durable.evaluate(fact))
        finally:
            durable.close()


@given(conds=st.lists(conditions(max_leaves=10), min_size=1, max_size=8),
       flats=st.lists(flat_facts(small=True), min_size=1, max_size=10), data=st.data())
def test_random_conditions_same_matches_among_some_rules(conds: list[Condition], flats: list[dict[str, Any]],
                                                         data: st.DataObject) -> None:
    # the engine asks only for the rules of an epoch (in force on the date, binding the status)
    among = frozenset(data.draw(st.sets(st.integers(0, len(conds) - 1))))
    n = make_matcher("native", conds)
    d = make_matcher("durable", conds)
    try:
        for flat in flats:
            every = n.match(flat)
            assert n.match(flat, among) == d.match(flat, among) == [i for i in every if i in among], flat
    finally:
        d.close()
