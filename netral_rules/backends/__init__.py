"""Evaluation backends. A backend only matches: given flat facts, it returns the indexes of the rules
whose conditions hold. Everything else (law in force, citations, aggregation) is shared engine code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from ..conditions.language import Condition
from ..errors import BackendUnavailable, Problem

BACKENDS = ("native", "durable")


class Matcher(Protocol):
    name: str

    def match(self, flat: dict[str, Any], among: frozenset[int] | None = None) -> list[int]:
        """Indexes of the rules (of ``among`` only, if given) whose conditions hold, in rule order."""
        ...

    def close(self) -> None: ...


def make_matcher(name: str, conditions: Sequence[Condition], indexes: Any = None) -> Matcher:
    """Compile ``conditions`` (negation normal form, one per rule, in rule order) for backend ``name``.
    ``indexes``: the native backend's ``RuleIndexes`` of the same conditions, when the caller has them
    (the engine's law does); other backends do not index."""
    if name == "native":
        from .native import NativeMatcher

        return NativeMatcher(conditions, indexes)
    if name == "durable":
        from .durable import DurableMatcher

        return DurableMatcher(conditions)
    raise BackendUnavailable(
        f"unknown backend '{name}'", [Problem(f"choose one of: {', '.join(BACKENDS)}", None, code="backend")]
    )
