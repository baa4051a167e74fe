"""Evaluation backends. A backend only matches: given flat facts, it returns the indexes of the rules
whose conditions hold. Everything else (law in force, citations, aggregation) is shared engine code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from ..conditions import Condition
from ..conditions.index import RuleIndexes
from ..errors import BackendUnavailable, Problem

BACKENDS = ("native", "durable")


class Matcher(Protocol):
    name: str

    def match(self, flat: dict[str, Any], among: frozenset[int] | None = None) -> list[int]:
        """Indexes of the rules (of ``among`` only, if given) whose conditions hold, in rule order."""
        ...

    def close(self) -> None: ...


def make_matcher(name: str, rules: RuleIndexes | Sequence[Condition]) -> Matcher:
    """A matcher of backend ``name`` for ``rules``: the compiled rules of the condition language (their
    conditions in negation normal form, in rule order, with the rule index the engine's law already built),
    or just the conditions. Every backend gets the same object and uses what it needs."""
    compiled = rules if isinstance(rules, RuleIndexes) else RuleIndexes(rules)
    if name == "native":
        from .native import NativeMatcher

        return NativeMatcher(compiled)
    if name == "durable":
        from .durable import DurableMatcher

        return DurableMatcher(compiled.conditions)
    raise BackendUnavailable(
        f"unknown backend '{name}'", [Problem(f"choose one of: {', '.join(BACKENDS)}", None, code="backend")]
    )
