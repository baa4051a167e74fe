"""The batch CLI's fast decision JSON writes exactly what ``model_dump_json`` writes."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings

from netral_rules import Engine
from netral_rules.parallel import DecisionJSON
from netral_rules.testing import engine_facts

ENGINE = Engine.default()
ALTERED = Engine.default(settings={"salary_regulation_in_force": True})
DUMPS = {id(ENGINE): DecisionJSON(ENGINE), id(ALTERED): DecisionJSON(ALTERED)}


@settings(max_examples=200)
@given(engine_facts(ENGINE))
def test_same_bytes_as_model_dump_json(fact: dict[str, Any]) -> None:
    for engine in (ENGINE, ALTERED):
        decision = engine.evaluate(fact)
        dump = DUMPS[id(engine)]
        assert dump(decision) == decision.model_dump_json().encode()
        assert dump(decision) == decision.model_dump_json().encode()  # from the cached pieces too
