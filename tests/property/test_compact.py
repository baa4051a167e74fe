"""Compact decisions: expanding a compact decision with its engine's catalogue gives exactly the full decision,
byte for byte, for every fact (complete or incomplete, any date, with or without ``as_of``), on both backends
and with the settings changed; and the compact form is never longer than the full one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from netral_rules import Decision, Engine
from netral_rules.output.compact import expand, expand_json
from netral_rules.testing import engine_facts, facts, incomplete_facts

from .conftest import rules_dir


def _same_bytes(engine: Engine, decision: Decision) -> None:
    full = engine.decision_json(decision)
    compact = engine.decision_json(decision, detail="compact")
    assert expand_json(compact, engine.catalogue()) == full
    assert len(compact) < len(full)


@given(data=st.data())
def test_expanding_a_compact_decision_gives_the_full_decision(engine: Engine, data: st.DataObject) -> None:
    fact = data.draw(st.one_of(engine_facts(engine), incomplete_facts(engine), facts()))
    as_of = data.draw(st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2035, 12, 31)))
    _same_bytes(engine, engine.evaluate(fact, as_of=as_of))


_SET = Engine.from_paths([rules_dir()], settings={"salary_regulation_in_force": True})


@given(engine_facts(_SET))
def test_expanding_gives_the_full_decision_with_other_settings(fact: dict[str, Any]) -> None:
    _same_bytes(_SET, _SET.evaluate(fact))


@given(incomplete_facts(_SET))
def test_the_expanded_decision_reads_back_as_the_decision(fact: dict[str, Any]) -> None:
    decision = _SET.evaluate(fact)
    import json

    expanded = expand(json.loads(_SET.decision_json(decision, detail="compact")), _SET.catalogue().as_dict())
    assert Decision.model_validate(expanded) == decision
