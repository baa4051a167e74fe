"""Satisfiability of conditions: which facts can make a condition true.

Conditions in negation normal form are monotone in their comparisons, so a condition can be true exactly
when one conjunction of its disjunctive normal form can, and a conjunction can when, field by field, some
value passes every comparison on that field and some act kind carries all the act fields it tests. The
linter uses this to report rules that can never match, the backends to index rules by the act kinds they
can match, and the testing strategies to build witnesses and near misses.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

from ..fact.fields import FieldMap, FieldSpec, fact_fields
from ..messages import text
from .logic import holds_on
from .tree import All, AnyOf, Compare, Condition

MAX_CONJUNCTIONS = 512


def conjunctions(cond: Condition) -> Iterator[list[Compare]]:
    """The conjunctions of an NNF condition's disjunctive normal form, lazily (callers cap how many they
    read: the number can grow exponentially)."""
    if isinstance(cond, Compare):
        yield [cond]
    elif isinstance(cond, All):
        parts = [list(itertools.islice(conjunctions(i), MAX_CONJUNCTIONS)) for i in cond.items]
        for combo in itertools.product(*parts):
            yield [c for conj in combo for c in conj]
    elif isinstance(cond, AnyOf):
        for item in cond.items:
            yield from conjunctions(item)
    else:
        raise TypeError("conjunctions needs a condition in negation normal form (no 'not')")


def value_candidates(
    spec: FieldSpec, literals: list[Compare], period: tuple[dt.date, dt.date] | None = None
) -> list[Any]:
    """Values of a field that represent every case of the comparisons ``literals`` make on it.

    The set of values satisfying a conjunction of comparisons is a union of intervals (or a set of
    names) whose edges are the values mentioned, so testing the mentioned values, their neighbours and the
    midpoints between them (plus the field's bounds) decides whether any value satisfies all of them, and
    gives one when it does. ``period`` keeps dates within it (witnesses for a law's in-force period).
    """
    mentioned: list[Any] = []
    for c in literals:
        if c.op == "exists":
            continue
        mentioned.extend(c.value if isinstance(c.value, tuple) else [c.value])
    t = spec.type
    if t == "enum":
        return list(spec.enum)
    if t == "bool":
        return [True, False]
    if t == "str":
        return list(dict.fromkeys([*mentioned, "\x00other", "lainnya"]))
    if t == "date":
        base = mentioned + ([period[0], period[1]] if period else []) + [dt.date(2024, 1, 1)]
        days = [d + dt.timedelta(days=k) for d in base for k in (-1, 0, 1, 7)
                if dt.date.min + dt.timedelta(days=1) <= d <= dt.date.max - dt.timedelta(days=7)] + base
        if period:
            days = [d for d in days if period[0] <= d <= period[1]]
        return list(dict.fromkeys(days))
    nums = sorted(set(float(v) for v in mentioned)) or [0.0]
    out: list[float] = []
    for v in nums:
        out.extend([v - 1, v - 0.5, v, v + 0.5, v + 1])
    out.extend((a + b) / 2 for a, b in itertools.pairwise(nums))
    out.extend(b for b in (spec.minimum, spec.maximum) if b is not None)
    lo, hi = spec.minimum, spec.maximum
    out = [v for v in out if (lo is None or v >= lo) and (hi is None or v <= hi)]
    if t == "int":
        return list(dict.fromkeys(int(v) for v in out if v == int(v)))
    return list(dict.fromkeys(out))


def _conjunction_problem(lits: list[Compare], fields: FieldMap) -> str | None:
    return _analyse(lits, fields)[0]


def _analyse(lits: list[Compare], fields: FieldMap) -> tuple[str | None, set[str] | None]:
    """(why the conjunction is unsatisfiable or None, the act kinds it allows or None for any)."""
    by_path: dict[str, list[Compare]] = {}
    for c in lits:
        by_path.setdefault(c.path, []).append(c)
    kinds: set[str] | None = None
    for path, group in by_path.items():
        spec = fields.get(path)
        if spec is None:
            continue
        absent = [c for c in group if c.op == "exists" and c.value is False]
        present = [c for c in group if not (c.op == "exists" and c.value is False)]
        if absent and present:
            return text("cond.given_and_not", path=path), None
        if absent:
            continue
        tests = [holds_on(c) for c in present if c.op != "exists"]
        values = [v for v in value_candidates(spec, present) if all(test(v) for test in tests)]
        if not values:
            return text("cond.excludes_every_value", path=path, tests="; ".join(str(c) for c in group)), None
        if path == "act.kind":
            kinds = set(values) if kinds is None else kinds & set(values)
    for path, group in by_path.items():
        spec = fields.get(path)
        if spec is None or not spec.act_kinds or path == "act.kind":
            continue
        if all(c.op == "exists" and c.value is False for c in group):
            continue
        allowed = set(spec.act_kinds)
        if kinds is not None and not kinds & allowed:
            return text("cond.kind_mismatch", path=path, kinds=", ".join(spec.act_kinds),
                        allowed=", ".join(sorted(kinds))), None
        kinds = allowed if kinds is None else kinds & allowed
        if not kinds:
            return text("cond.no_kind", path=path), None
    return None, kinds


def contradiction(nnf: Condition, fields: FieldMap | None = None) -> str | None:
    """Why an NNF condition can never be true, or None if some fact can satisfy it (or it is too large to tell)."""
    fields = fields or fact_fields()
    first: str | None = None
    for n, conj in enumerate(conjunctions(nnf)):
        if n >= MAX_CONJUNCTIONS:
            return None
        reason = _conjunction_problem(conj, fields)
        if reason is None:
            return None
        first = first or reason
    return first


def possible_act_kinds(nnf: Condition, fields: FieldMap | None = None) -> set[str] | None:
    """The act kinds a condition can match, or None if it may match any (used to index rules)."""
    fields = fields or fact_fields()
    out: set[str] = set()
    for n, conj in enumerate(conjunctions(nnf)):
        if n >= MAX_CONJUNCTIONS:
            return None
        reason, kinds = _analyse(conj, fields)
        if reason is not None:
            continue
        if kinds is None:
            return None
        out |= kinds
    return out
