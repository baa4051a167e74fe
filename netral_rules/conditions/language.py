"""The condition language: data, never code.

A condition is ``all`` / ``any`` / ``not`` over comparisons of dotted fact paths::

    all:
      - act.kind: campaign_attendance             # equality shorthand
      - act.party_attributes: true
      - actor.status: {in: [pns, cpns]}
      - act.cumulative_days: {between: [11, 13]}
      - context.election.candidate_stage: {exists: true}
      - not: {act.role: listener}

A mapping's entries are combined with ``all``; a list is an ``all`` too. Operators: ``eq``, ``ne``,
``in``, ``not_in``, ``lt``, ``lte``, ``gt``, ``gte``, ``between`` (inclusive), ``exists``.

Semantics are three-valued (Kleene): a comparison on a field the fact leaves ``None`` is *unknown*, and
so is ``not`` of unknown. A rule fires only when its condition is *true*. Pushing ``not`` down to the
leaves (negation normal form, :func:`to_nnf`) keeps this meaning exactly, which is what both backends
compile: after it, "definitely true" is a monotone function of the leaves, so matching can run two-valued
with "missing" as false. The three-valued evaluator (:func:`evaluate3`) is used only to tell the caller
which missing fields left a rule undetermined.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import Position, Problem
from ..fact.fields import FieldMap, FieldSpec

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


# --- parsing and type checking ---------------------------------------------------------------------


class ConditionParser:
    """Parses raw YAML data into a condition tree, type-checking against the fact model.

    ``position`` maps a YAML path (relative to the condition root) to a file position. Problems are
    collected, not raised, so that the linter reports all of them at once.
    """

    def __init__(self, fields: FieldMap, position: Callable[[tuple[Any, ...], bool], Position | None]) -> None:
        self.fields = fields
        self.position = position
        self.problems: list[Problem] = []

    def _err(
        self,
        message: str,
        path: tuple[Any, ...],
        *,
        key: bool = False,
        hint: str | None = None,
        code: str = "condition",
    ) -> None:
        self.problems.append(Problem(message, self.position(path, key), code=code, hint=hint))

    def parse(self, raw: Any, path: tuple[Any, ...] = ()) -> Condition | None:
        if isinstance(raw, list):
            if not raw:
                self._err("an empty list is not a condition", path)
                return None
            items = [self.parse(item, path + (i,)) for i, item in enumerate(raw)]
            return All(tuple(i for i in items if i is not None)) if all(i is not None for i in items) else None
        if not isinstance(raw, dict) or not raw:
            self._err("a condition is a mapping such as {act.kind: campaign_attendance}, or all/any/not", path)
            return None
        parts: list[Condition | None] = []
        for key, value in raw.items():
            sub = path + (key,)
            if key in ("all", "any"):
                if not isinstance(value, list) or not value:
                    self._err(f"'{key}' takes a non-empty list of conditions", sub)
                    parts.append(None)
                    continue
                items = [self.parse(item, sub + (i,)) for i, item in enumerate(value)]
                if any(i is None for i in items):
                    parts.append(None)
                    continue
                clean = tuple(i for i in items if i is not None)
                parts.append(All(clean) if key == "all" else AnyOf(clean))
            elif key == "not":
                inner = self.parse(value, sub)
                parts.append(Not(inner) if inner is not None else None)
            elif key in OPERATORS:
                self._err(
                    f"operator '{key}' needs a fact path before it, e.g. {{act.role: {{{key}: ...}}}}", sub, key=True
                )
                parts.append(None)
            else:
                parts.extend(self._comparisons(str(key), value, sub))
        if any(p is None for p in parts):
            return None
        clean_parts = tuple(p for p in parts if p is not None)
        return clean_parts[0] if len(clean_parts) == 1 else All(clean_parts)

    def _comparisons(self, fpath: str, value: Any, path: tuple[Any, ...]) -> list[Condition | None]:
        spec = self.fields.get(fpath)
        if spec is None:
            near = difflib.get_close_matches(fpath, self.fields.paths(), n=1, cutoff=0.6)
            hint = f"did you mean '{near[0]}'?" if near else None
            self._err(f"unknown fact path '{fpath}'", path, key=True, hint=hint, code="unknown_path")
            return [None]
        if isinstance(value, dict):
            if not value:
                self._err(f"no operator given for '{fpath}'", path)
                return [None]
            out: list[Condition | None] = []
            for op, operand in value.items():
                out.append(self._compare(spec, str(op), operand, path + (op,)))
            return out
        return [self._compare(spec, "eq", value, path)]

    def _compare(self, spec: FieldSpec, op: str, operand: Any, path: tuple[Any, ...]) -> Compare | None:
        pos = self.position(path, False)
        if op not in OPERATORS:
            near = difflib.get_close_matches(op, OPERATORS, n=1, cutoff=0.5)
            self._err(
                f"unknown operator '{op}'",
                path,
                key=True,
                hint=f"did you mean '{near[0]}'?" if near else f"operators: {', '.join(OPERATORS)}",
                code="unknown_operator",
            )
            return None
        if op == "exists":
            if not isinstance(operand, bool):
                self._err(f"'exists' takes true or false, got {_fmt(operand)!r}", path, code="type")
                return None
            return Compare(spec.path, op, operand, pos)
        if op in ORDERED_OPS and not spec.ordered:
            self._err(
                f"'{op}' compares order, but '{spec.path}' is {spec.describe_type()}", path, key=True, code="type"
            )
            return None
        if op in ("in", "not_in"):
            if not isinstance(operand, list) or not operand:
                self._err(f"'{op}' takes a non-empty list of values", path, code="type")
                return None
            ok = all(self._check_value(spec, v, path + (i,)) for i, v in enumerate(operand))
            if len(set(map(repr, operand))) != len(operand):
                self._err(
                    f"'{op}' lists a value twice",
                    path,
                    code="duplicate_value",
                )
                ok = False
            return Compare(spec.path, op, tuple(operand), pos) if ok else None
        if op == "between":
            if not isinstance(operand, list) or len(operand) != 2:
                self._err("'between' takes a list of two values [low, high]", path, code="type")
                return None
            ok = all(self._check_value(spec, v, path + (i,)) for i, v in enumerate(operand))
            if ok and operand[0] > operand[1]:
                self._err(
                    f"'between' low {_fmt(operand[0])} is above high {_fmt(operand[1])}: it can never match",
                    path,
                    code="contradiction",
                )
                return None
            return Compare(spec.path, op, tuple(operand), pos) if ok else None
        if not self._check_value(spec, operand, path):
            return None
        return Compare(spec.path, op, operand, pos)

    def _check_value(self, spec: FieldSpec, value: Any, path: tuple[Any, ...]) -> bool:
        if isinstance(value, (dict, list)):
            self._err(
                f"'{spec.path}' takes a single value here, got a {'mapping' if isinstance(value, dict) else 'list'}",
                path,
                code="type",
            )
            return False
        if spec.accepts(value):
            return True
        if spec.type == "enum" and isinstance(value, str):
            near = difflib.get_close_matches(value, spec.enum, n=1, cutoff=0.5)
            self._err(
                f"'{value}' is not a value of '{spec.path}' ({spec.describe_type()})",
                path,
                hint=f"did you mean '{near[0]}'?" if near else None,
                code="enum",
            )
            return False
        if spec.type == "date" and isinstance(value, str):
            self._err(f"'{spec.path}' is a date, but '{value}' is not a date (write YYYY-MM-DD)", path, code="type")
            return False
        got = (
            "a date"
            if isinstance(value, dt.date)
            else ("true/false" if isinstance(value, bool) else f"{type(value).__name__} {_fmt(value)}")
        )
        self._err(f"'{spec.path}' is {spec.describe_type()}, but the value is {got}", path, code="type")
        return False


# --- normal forms ----------------------------------------------------------------------------------


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


# --- evaluation ------------------------------------------------------------------------------------


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


# --- plain words -----------------------------------------------------------------------------------

_WORDS = {
    "eq": ("is", "adalah"),
    "ne": ("is not", "bukan"),
    "in": ("is one of", "salah satu dari"),
    "not_in": ("is none of", "bukan salah satu dari"),
    "lt": ("is less than", "kurang dari"),
    "lte": ("is at most", "paling banyak"),
    "gt": ("is more than", "lebih dari"),
    "gte": ("is at least", "paling sedikit"),
    "between": ("is between", "antara"),
}


def describe(cond: Condition, lang: str = "en", depth: int = 0) -> list[str]:
    """The condition in plain words, one line per part, indented by nesting."""
    pad = "  " * depth
    li = 0 if lang == "en" else 1
    if isinstance(cond, Compare):
        if cond.op == "exists":
            if lang == "en":
                text = f"{cond.path} is known" if cond.value else f"{cond.path} is not given"
            else:
                text = f"{cond.path} diketahui" if cond.value else f"{cond.path} tidak diisi"
        elif cond.op == "between":
            lo, hi = cond.value
            text = f"{cond.path} {_WORDS['between'][li]} {_fmt(lo)} {'and' if lang == 'en' else 'dan'} {_fmt(hi)}"
        else:
            text = f"{cond.path} {_WORDS[cond.op][li]} {_fmt(cond.value)}"
        return [f"{pad}- {text}"]
    if isinstance(cond, Not):
        head = "none of the following holds:" if lang == "en" else "tidak berlaku hal berikut:"
        return [f"{pad}- {head}"] + describe(cond.item, lang, depth + 1)
    if isinstance(cond, All):
        if depth == 0:
            return [line for item in cond.items for line in describe(item, lang, 0)]
        head = "all of:" if lang == "en" else "semua dari:"
    else:
        head = "any of:" if lang == "en" else "salah satu dari:"
    return [f"{pad}- {head}"] + [line for item in cond.items for line in describe(item, lang, depth + 1)]


def condition_json_schema() -> dict[str, Any]:
    """JSON Schema definitions for the condition language: ``{"Condition": ..., "Operators": ...}``.

    Callers put them under ``$defs`` and refer to ``#/$defs/Condition``; every fact path is listed so that
    an editor can complete it.
    """
    from ..fact.fields import fact_fields

    scalar = {"type": ["string", "number", "boolean"]}
    operators = {
        "type": "object",
        "properties": {
            "eq": scalar,
            "ne": scalar,
            "in": {"type": "array", "items": scalar, "minItems": 1},
            "not_in": {"type": "array", "items": scalar, "minItems": 1},
            "lt": scalar,
            "lte": scalar,
            "gt": scalar,
            "gte": scalar,
            "between": {"type": "array", "items": scalar, "minItems": 2, "maxItems": 2},
            "exists": {"type": "boolean"},
        },
        "additionalProperties": False,
        "minProperties": 1,
    }
    comparisons: dict[str, Any] = {}
    for p, spec in fact_fields().fields.items():
        value: dict[str, Any] = {"type": "string", "enum": list(spec.enum)} if spec.enum else dict(scalar)
        comparisons[p] = {
            "anyOf": [value, {"$ref": "#/$defs/Operators"}],
            "description": spec.description or spec.describe_type(),
        }
    ref = {"$ref": "#/$defs/Condition"}
    condition = {
        "anyOf": [
            {"type": "array", "items": ref, "minItems": 1},
            {
                "type": "object",
                "properties": {
                    "all": {"type": "array", "items": ref, "minItems": 1},
                    "any": {"type": "array", "items": ref, "minItems": 1},
                    "not": ref,
                    **comparisons,
                },
                "additionalProperties": False,
                "minProperties": 1,
            },
        ],
    }
    return {"Condition": condition, "Operators": operators}
