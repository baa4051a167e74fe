"""Truth of conditions on a flat fact ``{path: value}``: two-valued on present values, three-valued where
values are missing, and which missing values would decide a condition.

These are the reference semantics; :mod:`.compiled` compiles the same functions once per rule, and the
property suite checks the two against each other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .tree import All, AnyOf, Compare, Condition, Not


def compare_holds(c: Compare, actual: Any) -> bool:
    """Two-valued truth of one comparison on a present value (``actual`` is not None)."""
    op, v = c.op, c.value
    if op == "exists":
        return bool(v)
    if op == "eq":
        return bool(actual == v)
    if op == "ne":
        return bool(actual != v)
    if op == "in":
        return actual in v
    if op == "not_in":
        return actual not in v
    if op == "lt":
        return bool(actual < v)
    if op == "lte":
        return bool(actual <= v)
    if op == "gt":
        return bool(actual > v)
    if op == "gte":
        return bool(actual >= v)
    lo, hi = v
    return bool(lo <= actual <= hi)


def holds_on(c: Compare) -> Callable[[Any], bool]:
    """:func:`compare_holds` for one comparison, prepared once to test many values: an ``in`` list becomes a
    set, so testing every value of a list against it is linear in the list, not quadratic (the linter tests
    each listed value, and a list may hold tens of thousands)."""
    if c.op in ("in", "not_in"):
        values = frozenset(c.value)  # type: ignore[arg-type, unused-ignore]
        if c.op == "in":
            return values.__contains__
        return lambda actual: actual not in values
    return lambda actual: compare_holds(c, actual)


def evaluate3(cond: Condition, flat: dict[str, Any], missing: set[str] | None = None) -> bool | None:
    """Three-valued evaluation: True, False, or None (unknown because a needed field is missing).

    Paths whose absence made a leaf unknown are added to ``missing``.
    """
    if isinstance(cond, Compare):
        actual = flat.get(cond.path)
        if cond.op == "exists":
            return (actual is not None) is bool(cond.value)
        if actual is None:
            if missing is not None:
                missing.add(cond.path)
            return None
        return compare_holds(cond, actual)
    if isinstance(cond, Not):
        inner = evaluate3(cond.item, flat, missing)
        return None if inner is None else not inner
    results = [evaluate3(i, flat, missing) for i in cond.items]
    if isinstance(cond, All):
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True
    if any(r is True for r in results):
        return True
    return None if any(r is None for r in results) else False


def deciding_missing(nnf: Condition, flat: dict[str, Any]) -> tuple[bool, bool, frozenset[str]]:
    """For an NNF condition: (certainly true, could be true, the missing paths that would decide it).

    Only missing values that can still change the outcome are returned: none from an ``all`` that another
    item already makes false, none from an ``any`` that another item already makes true, none from a branch
    that cannot become true.
    """
    if isinstance(nnf, Compare):
        actual = flat.get(nnf.path)
        if nnf.op == "exists":
            holds = (actual is not None) == nnf.value
            return holds, holds, frozenset()
        if actual is None:
            return False, True, frozenset((nnf.path,))
        holds = compare_holds(nnf, actual)
        return holds, holds, frozenset()
    if isinstance(nnf, (All, AnyOf)):
        parts = [deciding_missing(item, flat) for item in nnf.items]
        if isinstance(nnf, All):
            certain = all(p[0] for p in parts)
            possible = all(p[1] for p in parts)
            missing = frozenset().union(*(p[2] for p in parts)) if possible and not certain else frozenset()
        else:
            certain = any(p[0] for p in parts)
            possible = any(p[1] for p in parts)
            missing = frozenset().union(*(p[2] for p in parts if p[1])) if not certain else frozenset()
        return certain, possible, missing
    raise TypeError("deciding_missing needs a condition in negation normal form")


def satisfied_leaves(nnf: Condition, flat: dict[str, Any]) -> list[Compare]:
    """The comparisons of an NNF condition that make it true on ``flat`` (one witness path)."""
    if isinstance(nnf, Compare):
        actual = flat.get(nnf.path)
        ok = (
            (actual is not None) == nnf.value
            if nnf.op == "exists"
            else (actual is not None and compare_holds(nnf, actual))
        )
        return [nnf] if ok else []
    if isinstance(nnf, All):
        out: list[Compare] = []
        for item in nnf.items:
            sub = satisfied_leaves(item, flat)
            if not sub:
                return []
            out.extend(sub)
        return out
    if isinstance(nnf, AnyOf):
        for item in nnf.items:
            sub = satisfied_leaves(item, flat)
            if sub:
                return sub
        return []
    raise TypeError("satisfied_leaves needs a condition in negation normal form")
