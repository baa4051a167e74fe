"""The native backend: conditions compiled once into Python closures.

Nothing from YAML is executed: the condition tree (in negation normal form, where "definitely true" is
monotone in the leaves) becomes nested closures over ``{path: value}`` dicts, with a missing field making
its comparison false. Rules are indexed by the act kinds they can match, so a fact is tested only against
rules that could apply to its kind. The matcher holds no mutable state: it is safe to share between
threads, and it pickles by recompiling from the rule data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..conditions import All, AnyOf, Compare, Condition
from ..fieldmap import fact_fields
from ..packs.lint import possible_act_kinds

Predicate = Callable[[dict[str, Any]], bool]


def _leaf(c: Compare, missing: bool = False) -> Predicate:
    p, v, op = c.path, c.value, c.op
    if op == "exists":
        return (lambda f: f.get(p) is not None) if v else (lambda f: f.get(p) is None)
    if missing:  # optimistic reading: a missing value might satisfy the comparison
        strict = _leaf(c)
        return lambda f: p not in f or strict(f)
    if op == "eq":
        return lambda f: f.get(p) == v
    if op == "in":
        values = frozenset(v)
        return lambda f: f.get(p) in values
    if op == "ne":
        return lambda f: (x := f.get(p)) is not None and x != v
    if op == "not_in":
        values = frozenset(v)
        return lambda f: (x := f.get(p)) is not None and x not in values
    if op == "lt":
        return lambda f: (x := f.get(p)) is not None and x < v
    if op == "lte":
        return lambda f: (x := f.get(p)) is not None and x <= v
    if op == "gt":
        return lambda f: (x := f.get(p)) is not None and x > v
    if op == "gte":
        return lambda f: (x := f.get(p)) is not None and x >= v
    if op == "between":
        lo, hi = v
        return lambda f: (x := f.get(p)) is not None and lo <= x <= hi
    raise ValueError(f"unknown operator {op}")  # pragma: no cover - the parser rejects it


def compile_condition(nnf: Condition, missing: bool = False) -> Predicate:
    """Compile a condition in negation normal form into a two-valued predicate.

    With ``missing=False`` a comparison on a missing value is false: the predicate is "certainly true".
    With ``missing=True`` it is true: the predicate is "could be true once the missing values are known".
    In negation normal form the condition is monotone in its comparisons, so the three-valued result is
    *unknown* exactly when the first is false and the second true.
    """
    if isinstance(nnf, Compare):
        return _leaf(nnf, missing)
    if isinstance(nnf, (All, AnyOf)):
        parts = tuple(compile_condition(i, missing) for i in nnf.items)
        if len(parts) == 1:
            return parts[0]
        if isinstance(nnf, All):
            if len(parts) == 2:
                a, b = parts
                return lambda f: a(f) and b(f)
            return lambda f: all(g(f) for g in parts)
        if len(parts) == 2:
            a, b = parts
            return lambda f: a(f) or b(f)
        return lambda f: any(g(f) for g in parts)
    raise TypeError("compile_condition needs a condition in negation normal form (no 'not')")


class NativeMatcher:
    """Matches flat facts against rules; returns the indexes of matching rules in rule order."""

    name = "native"

    def __init__(self, conditions: Sequence[Condition]) -> None:
        self._conditions = list(conditions)
        self._compile()

    def _compile(self) -> None:
        preds = [compile_condition(c) for c in self._conditions]
        kinds = fact_fields().fields["act.kind"].enum
        by_kind: dict[Any, list[int]] = {k: [] for k in kinds}
        for i, cond in enumerate(self._conditions):
            for k in possible_act_kinds(cond) or kinds:
                by_kind[k].append(i)
        self._index = {k: tuple((i, preds[i]) for i in idx) for k, idx in by_kind.items()}
        self._all = tuple(enumerate(preds))

    def match(self, flat: dict[str, Any]) -> list[int]:
        candidates = self._index.get(flat.get("act.kind"), self._all)
        return [i for i, pred in candidates if pred(flat)]

    def close(self) -> None:
        """Nothing to release; present so that every backend can be closed the same way."""

    def __getstate__(self) -> dict[str, Any]:
        return {"conditions": self._conditions}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._conditions = state["conditions"]
        self._compile()


Witness = Callable[[dict[str, Any]], "list[Compare] | None"]


def compile_witness(nnf: Condition) -> Witness:
    """Compile an NNF condition into a function returning the comparisons that make it true (one witness
    path: all children of an ``all``, the first true child of an ``any``), or None when it is not true."""
    if isinstance(nnf, Compare):
        pred = _leaf(nnf)
        leaf = [nnf]
        return lambda f: leaf if pred(f) else None
    parts = tuple(compile_witness(i) for i in nnf.items)  # type: ignore[union-attr]
    if isinstance(nnf, All):

        def all_of(f: dict[str, Any]) -> list[Compare] | None:
            out: list[Compare] = []
            for part in parts:
                found = part(f)
                if found is None:
                    return None
                out.extend(found)
            return out

        return all_of
    if isinstance(nnf, AnyOf):

        def any_of(f: dict[str, Any]) -> list[Compare] | None:
            for part in parts:
                found = part(f)
                if found is not None:
                    return found
            return None

        return any_of
    raise TypeError("compile_witness needs a condition in negation normal form (no 'not')")
