"""Constraints between fact fields that the fact model implies (``constraints.yaml`` beside this module).

They say which ways of filling in a report's unknown fields are possible at all: a run of consecutive days
absent lies within the year's total, a determined candidate is one from the determination day on, a PPPK has
no unpaid leave. The readings of an incomplete report (:mod:`netral_rules.decide.readings`) drop every way of
filling it in that breaks one. They never reject a report that gives both sides itself.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..conditions import ConditionParser, to_nnf
from ..conditions import paths as condition_paths
from ..conditions.compiled import PENDING, Deciding, compile_deciding
from ..errors import PackError, Position, Problem
from ..vocabulary import Bilingual
from .fields import FieldMap, fact_fields

CONSTRAINTS_FILE = Path(__file__).with_name("constraints.yaml")
Op = Literal["lt", "lte", "gt", "gte", "eq", "ne"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldComparison(_Strict):
    left: str
    op: Op
    right: str


class ConstraintSpec(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")
    text: Bilingual
    basis: list[str] = Field(min_length=1)
    when: Any = None
    require: Any = None
    compare: list[FieldComparison] = Field(default_factory=list)
    mode: Literal["all", "any"] = "all"
    one_of: list[list[str]] = Field(
        default_factory=list,
        description="Groups of fields that are alternative measures of one thing: a report that gives a field of "
        "one group leaves the other groups out, and they are not filled in.",
    )


class ConstraintsFile(_Strict):
    constraints: list[ConstraintSpec]


Bounds = Callable[[str], tuple[float, float] | None]


@dataclass(frozen=True)
class Constraint:
    """One constraint, compiled: ``when`` and ``require`` as deciding functions over a report being filled
    in (:data:`PENDING` marks a value every completion gives), the comparisons as pairs of paths."""

    spec: ConstraintSpec
    when: Deciding | None
    require: Deciding | None
    compare: tuple[FieldComparison, ...]
    paths: frozenset[str]

    def left_out(self, flat: dict[str, Any]) -> set[str]:
        """The fields a report leaves out by giving an alternative measure (``one_of``), which are not filled in."""
        if not self.spec.one_of or (self.when is not None and not self.when(flat)[0]):
            return set()
        given = [any(flat.get(p) is not None for p in group) for group in self.spec.one_of]
        if not any(given):
            return set()
        return {p for group, g in zip(self.spec.one_of, given, strict=True) if not g for p in group}

    def possible(self, flat: dict[str, Any], bounds: Bounds) -> bool:
        """Whether some completion of ``flat`` satisfies the constraint; ``bounds(path)`` gives the interval a
        field's value is known to lie in (``None`` when nothing is known of it)."""
        if self.when is not None:
            if not self.when(flat)[0]:
                return True  # it may not apply: nothing to prune (a sound over-approximation)
        if self.require is not None and not self.require(flat)[1]:
            return False
        if not self.compare:
            return True
        results = (_may_hold(c, bounds) for c in self.compare)
        return all(results) if self.spec.mode == "all" else any(results)


def _may_hold(c: FieldComparison, bounds: Bounds) -> bool:
    left, right = bounds(c.left), bounds(c.right)
    if left is None or right is None:
        return True
    (llo, lhi), (rlo, rhi) = left, right
    if c.op == "lt":
        return llo < rhi
    if c.op == "lte":
        return llo <= rhi
    if c.op == "gt":
        return lhi > rlo
    if c.op == "gte":
        return lhi >= rlo
    if c.op == "eq":
        return llo <= rhi and rlo <= lhi
    return not (llo == lhi == rlo == rhi)


def value_bounds(value: Any) -> tuple[float, float] | None:
    """The one-point interval of a known ordered value (dates by their ordinal); None for others."""
    if isinstance(value, dt.date):
        n = float(value.toordinal())
        return n, n
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value), float(value)
    return None


def spec_bounds(path: str, fields: FieldMap | None = None) -> tuple[float, float] | None:
    """The interval of every value a field may take (its model bounds), for an ordered field."""
    spec = (fields or fact_fields()).get(path)
    if spec is None or not spec.ordered:
        return None
    lo = -math.inf if spec.minimum is None else spec.minimum
    hi = math.inf if spec.maximum is None else spec.maximum
    return lo, hi


def load_constraints(path: Path = CONSTRAINTS_FILE) -> tuple[tuple[Constraint, ...], list[Problem]]:
    """Read and check a constraints file: every path a field of the model, comparisons between fields of one
    ordered type, conditions in the rules' language. Problems carry file:line:column."""
    from ..law.yamlread import read_yaml_file

    located = read_yaml_file(path, display=path.name)
    problems: list[Problem] = []
    try:
        data = ConstraintsFile.model_validate(located.data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err.get("loc", ()))
            problems.append(Problem(f"{err.get('msg')}", located.pos(loc), code="constraint"))
        return (), problems
    fields = fact_fields()
    out: list[Constraint] = []
    for i, spec in enumerate(data.constraints):
        base: tuple[Any, ...] = ("constraints", i)
        parsed: dict[str, Deciding | None] = {}
        paths: set[str] = set()
        for key in ("when", "require"):
            raw = getattr(spec, key)
            if raw is None:
                parsed[key] = None
                continue
            parser = ConditionParser(fields, partial(_pos, located, base + (key,)))
            cond = parser.parse(raw)
            problems.extend(parser.problems)
            if cond is not None:
                paths |= condition_paths(cond)
                parsed[key] = compile_deciding(to_nnf(cond), pending=True)
            else:
                parsed[key] = None
        for j, c in enumerate(spec.compare):
            where = located.pos(base + ("compare", j))
            specs = [fields.get(c.left), fields.get(c.right)]
            if any(s is None for s in specs):
                unknown = c.left if specs[0] is None else c.right
                problems.append(Problem(f"unknown fact path '{unknown}'", where, code="unknown_path"))
                continue
            a, b = specs
            assert a is not None and b is not None
            if not (a.ordered and b.ordered and (a.type == "date") == (b.type == "date")):
                problems.append(
                    Problem(f"'{c.left}' and '{c.right}' cannot be compared by order", where, code="type")
                )
                continue
            paths |= {c.left, c.right}
        for j, group in enumerate(spec.one_of):
            for k, path_ in enumerate(group):
                if path_ not in fields:
                    problems.append(Problem(f"unknown fact path '{path_}'", located.pos(base + ("one_of", j, k)),
                                            code="unknown_path"))
            paths |= set(group)
        if not spec.when and not spec.require and not spec.compare and not spec.one_of:
            problems.append(Problem("a constraint needs require, compare or one_of", located.pos(base),
                                    code="constraint"))
        out.append(Constraint(spec, parsed.get("when"), parsed.get("require"), tuple(spec.compare), frozenset(paths)))
    ids = [c.spec.id for c in out]
    for i, cid in enumerate(ids):
        if cid in ids[:i]:
            problems.append(Problem(f"constraint id '{cid}' is used twice", located.pos(("constraints", i, "id")),
                                    code="duplicate_constraint"))
    return tuple(out), problems


def _pos(located: Any, base: tuple[Any, ...], path: tuple[Any, ...], key: bool) -> Position:
    return located.pos(base + path, key=key)  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def constraints() -> tuple[Constraint, ...]:
    """The constraints shipped beside the fact model (an error in the file is an error of the installation)."""
    found, problems = load_constraints()
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise PackError(f"{CONSTRAINTS_FILE.name}: {len(errors)} problem(s)", errors)
    return found


__all__ = ["PENDING", "Constraint", "constraints", "load_constraints", "spec_bounds", "value_bounds"]
