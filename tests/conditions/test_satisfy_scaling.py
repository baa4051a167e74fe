"""The linter's satisfiability check is linear in the length of an ``in`` list (issue 16, 8).

50,000 listed values took 131 s to lint, and the 2 MB file limit allows lists of about 200,000 (the YAML
node limit). Time is measured by benchmarks, not tests; what is counted here is the work: the comparisons
of values with each other while every listed value is tested against the list, which were quadratic.
"""

from __future__ import annotations

from typing import Any

import pytest

from netral_rules.conditions import ConditionParser, to_nnf
from netral_rules.conditions.satisfy import contradiction
from netral_rules.errors import Position
from netral_rules.fact.fields import fact_fields


class Counted(str):
    """A text that counts how often it is compared for equality."""

    compared = 0

    def __eq__(self, other: object) -> bool:
        Counted.compared += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def _condition(raw: Any) -> Any:
    parser = ConditionParser(fact_fields(), lambda path, key: Position("r.yaml", 1, 1))
    cond = parser.parse(raw)
    assert cond is not None, parser.problems
    return to_nnf(cond)


@pytest.mark.parametrize("op", ["in", "not_in"])
def test_testing_every_listed_value_is_linear(op: str) -> None:
    n = 4000
    values = [Counted(f"nama-{i}") for i in range(n)]
    nnf = _condition({"all": [{"act.kind": "campaign_attendance"}, {"actor.name": {op: values}}]})
    Counted.compared = 0
    assert contradiction(nnf, fact_fields()) is None
    assert Counted.compared <= 4 * n  # quadratic was about n * n / 2 = 8,000,000


def test_a_list_that_excludes_every_value_is_still_found() -> None:
    values = [f"nama-{i}" for i in range(3000)]
    nnf = _condition({"all": [{"actor.name": {"in": values}}, {"actor.name": {"not_in": values}}]})
    assert contradiction(nnf, fact_fields()) is not None
