"""Parsing a condition from YAML data into a tree, type-checked against the fact model.

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
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from typing import Any

from ..errors import Position, Problem
from ..fact.fields import FieldMap, FieldSpec, fact_fields
from ..messages import text
from .tree import OPERATORS, ORDERED_OPS, All, AnyOf, Compare, Condition, Not, _fmt


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
                self._err(text("cond.empty_list"), path)
                return None
            items = [self.parse(item, path + (i,)) for i, item in enumerate(raw)]
            return All(tuple(i for i in items if i is not None)) if all(i is not None for i in items) else None
        if not isinstance(raw, dict) or not raw:
            self._err(text("cond.not_a_condition"), path)
            return None
        parts: list[Condition | None] = []
        for key, value in raw.items():
            sub = path + (key,)
            if key in ("all", "any"):
                if not isinstance(value, list) or not value:
                    self._err(text("cond.takes_list", word=key), sub)
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
                    text("cond.operator_first", op=key), sub, key=True
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
            hint = text("cond.did_you_mean", near=near[0]) if near else None
            self._err(text("cond.unknown_path", path=fpath), path, key=True, hint=hint, code="unknown_path")
            return [None]
        if isinstance(value, dict):
            if not value:
                self._err(text("cond.no_operator", path=fpath), path)
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
                text("cond.unknown_operator", op=op),
                path,
                key=True,
                hint=(text("cond.did_you_mean", near=near[0]) if near
                      else text("cond.operators", ops=", ".join(OPERATORS))),
                code="unknown_operator",
            )
            return None
        if op == "exists":
            if not isinstance(operand, bool):
                self._err(text("cond.exists", value=repr(_fmt(operand))), path, code="type")
                return None
            return Compare(spec.path, op, operand, pos)
        if op in ORDERED_OPS and not spec.ordered:
            self._err(
                text("cond.ordered", op=op, path=spec.path, type=_type_words(spec)), path, key=True, code="type"
            )
            return None
        if op in ("in", "not_in"):
            if not isinstance(operand, list) or not operand:
                self._err(text("cond.list_values", op=op), path, code="type")
                return None
            ok = all(self._check_value(spec, v, path + (i,)) for i, v in enumerate(operand))
            if len(set(map(repr, operand))) != len(operand):
                self._err(
                    text("cond.duplicate_value", op=op),
                    path,
                    code="duplicate_value",
                )
                ok = False
            return Compare(spec.path, op, tuple(operand), pos) if ok else None
        if op == "between":
            if not isinstance(operand, list) or len(operand) != 2:
                self._err(text("cond.between"), path, code="type")
                return None
            ok = all(self._check_value(spec, v, path + (i,)) for i, v in enumerate(operand))
            if ok and operand[0] > operand[1]:
                self._err(
                    text("cond.between_order", low=_fmt(operand[0]), high=_fmt(operand[1])),
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
                text("cond.single_value", path=spec.path,
                     what=text("cond.a_mapping") if isinstance(value, dict) else text("cond.a_list")),
                path,
                code="type",
            )
            return False
        if spec.accepts(value):
            return True
        if spec.type == "enum" and isinstance(value, str):
            near = difflib.get_close_matches(value, spec.enum, n=1, cutoff=0.5)
            self._err(
                text("cond.not_a_value", value=value, path=spec.path, type=_type_words(spec)),
                path,
                hint=text("cond.did_you_mean", near=near[0]) if near else None,
                code="enum",
            )
            return False
        if spec.type == "date" and isinstance(value, str):
            self._err(text("cond.not_a_date", path=spec.path, value=value), path, code="type")
            return False
        if isinstance(value, dt.date):
            got = text("type.a_date")
        elif isinstance(value, bool):
            got = text("type.bool")
        elif isinstance(value, (int, float)):
            got = text("type.a_number", value=_fmt(value))
        else:
            got = text("type.a_text", value=repr(_fmt(value)))
        self._err(text("cond.wrong_type", path=spec.path, type=_type_words(spec), got=got), path, code="type")
        return False


def _type_words(spec: FieldSpec) -> str:
    """What a field holds, in words of the language in force (``one of pns, cpns, pppk``)."""
    if spec.type == "enum":
        return text("type.enum", values=", ".join(spec.enum))
    return text(f"type.{spec.type}")


def condition_json_schema() -> dict[str, Any]:
    """JSON Schema definitions for the condition language: ``{"Condition": ..., "Operators": ...}``.

    Callers put them under ``$defs`` and refer to ``#/$defs/Condition``; every fact path is listed so that
    an editor can complete it.
    """


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
