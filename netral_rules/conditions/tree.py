"""The condition tree: comparisons of dotted fact paths combined by all / any / not, and its normal forms.

A condition is data, never code. Semantics are three-valued (Kleene): a comparison on a field the fact
leaves ``None`` is *unknown*, and so is ``not`` of unknown. Pushing ``not`` down to the leaves (negation
normal form, :func:`to_nnf`) keeps this meaning exactly; after it, "definitely true" is a monotone function
of the leaves, which is what the compiled predicates and both backends rely on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import Position

OPERATORS = ("eq", "ne", "in", "not_in", "lt", "lte", "gt", "gte", "between", "exists")
ORDERED_OPS = ("lt", "lte", "gt", "gte", "between")
_NEGATE = {"eq": "ne", "ne": "eq", "in": "not_in", "not_in": "in", "lt": "gte", "gte": "lt", "gt": "lte", "lte": "gt"}

Value = Any


@dataclass(frozen=True)
class Compare:
    path: str
    op: str
    value: Value
    pos: Position | None = field(default=None, compare=False, hash=False)

    def __str__(self) -> str:
        return f"{self.path} {self.op} {_fmt(self.value)}"


@dataclass(frozen=True)
class All:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


Condition = Compare | All | AnyOf | Not


def _fmt(value: Value) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def negate_compare(c: Compare) -> Condition:
    """The negation of one comparison, as comparisons (exact under three-valued logic)."""
    if c.op == "exists":
        return Compare(c.path, "exists", not c.value, c.pos)
    if c.op == "between":
        lo, hi = c.value
        return AnyOf((Compare(c.path, "lt", lo, c.pos), Compare(c.path, "gt", hi, c.pos)))
    return Compare(c.path, _NEGATE[c.op], c.value, c.pos)


def to_nnf(cond: Condition, negated: bool = False) -> Condition:
    """Negation normal form: ``not`` pushed to the leaves and absorbed into the comparisons."""
    if isinstance(cond, Compare):
        return negate_compare(cond) if negated else cond
    if isinstance(cond, Not):
        return to_nnf(cond.item, not negated)
    items = tuple(to_nnf(i, negated) for i in cond.items)
    if isinstance(cond, All):
        return AnyOf(items) if negated else All(items)
    return All(items) if negated else AnyOf(items)


def leaves(cond: Condition) -> Iterator[Compare]:
    if isinstance(cond, Compare):
        yield cond
    elif isinstance(cond, Not):
        yield from leaves(cond.item)
    else:
        for item in cond.items:
            yield from leaves(item)


def paths(cond: Condition) -> set[str]:
    return {c.path for c in leaves(cond)}
