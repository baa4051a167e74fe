"""The native backend: rules matched by the compiled predicates of the condition language.

A fact is tested only against the rules the rule index files under its act kind and anchor values, each on
its residual for that kind (the branches of other kinds and the anchor test removed). The matcher holds no
mutable state: it is safe to share between threads, and it pickles by recompiling from the rule data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..conditions.compiled import _FALSE, _TRUE, Predicate, compile_condition
from ..conditions.index import RuleIndexes
from ..conditions.tree import Condition


class NativeMatcher:
    """Matches flat facts against rules; returns the indexes of matching rules in rule order."""

    name = "native"

    def __init__(self, rules: RuleIndexes | Sequence[Condition]) -> None:
        """``rules``: the compiled rules (or only their conditions, indexed here)."""
        self._compile(rules if isinstance(rules, RuleIndexes) else RuleIndexes(rules))

    def _compile(self, indexes: RuleIndexes) -> None:
        self._indexes = indexes
        self._conditions = indexes.conditions
        # Rules reached through an index are tested on their residual for the fact's kind: the branches of
        # other kinds and the anchor test are gone. An unknown kind (only possible for a flat dict that no
        # fact model produced) meets every rule, tested in full.
        compiled: dict[int, Predicate] = {}  # by id of the residual: one function for the same residual

        def predicate(cond: Condition | bool) -> Predicate:
            if isinstance(cond, bool):
                return _TRUE if cond else _FALSE
            found = compiled.get(id(cond))
            if found is None:
                found = compiled[id(cond)] = compile_condition(cond)
            return found

        residuals = self._indexes.every.residuals
        self._fast = {k: {i: predicate(c) for i, c in rs.items()} for k, rs in residuals.items()}
        self._full = tuple(compile_condition(c) for c in self._conditions)

    def match(self, flat: dict[str, Any], among: frozenset[int] | None = None) -> list[int]:
        """The rules (of ``among`` only, if given) whose conditions hold on ``flat``, in rule order."""
        index = self._indexes.every if among is None else self._indexes.of(among)[1]
        candidates = index.candidates(flat)
        if candidates is None:
            full = self._full
            return [i for i in range(len(full)) if (among is None or i in among) and full[i](flat)]
        fast = self._fast[flat["act.kind"]]
        return [i for i in candidates if fast[i](flat)]

    def close(self) -> None:
        """Nothing to release; present so that every backend can be closed the same way."""

    def __getstate__(self) -> dict[str, Any]:
        return {"conditions": self._conditions}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._compile(RuleIndexes(state["conditions"]))

