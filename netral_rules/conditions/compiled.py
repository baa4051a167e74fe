"""Conditions compiled once into Python functions over flat facts ``{path: value}``.

Nothing from YAML is executed: the condition tree (in negation normal form, where "definitely true" is
monotone in the leaves) becomes one function, with a missing field making its comparison false. The
function is generated as Python source whose only words are operators and generated names (``k0``,
``k1``, ...); every path and value from the pack is bound to such a name as a constant and never written
into the source, so no pack text can become code. One flat function is several times faster than the
nested closures it replaces, which remain as the fallback for a condition too deeply nested for the Python
compiler.

Besides the predicate ("certainly true" or "could be true"), a condition compiles into the function that
says which missing values would decide it (:func:`compile_deciding`, the compiled form of
:func:`.logic.deciding_missing`) and the function that returns the comparisons that made it true
(:func:`compile_witness`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .logic import compare_holds
from .tree import All, AnyOf, Compare, Condition

Predicate = Callable[[dict[str, Any]], bool]


def _TRUE(f: dict[str, Any]) -> bool:
    return True


def _FALSE(f: dict[str, Any]) -> bool:
    return False


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
    constants: dict[str, Any] = {}
    try:
        expr = _expr(nnf, missing, constants)
        code = compile(f"def predicate(f):\n    get = f.get\n    return {expr}\n", "<condition>", "exec")
    except (SyntaxError, RecursionError, MemoryError):  # pragma: no cover - only absurdly deep conditions
        return _closure(nnf, missing)
    namespace: dict[str, Any] = {"__builtins__": {}, **constants}
    exec(code, namespace)  # the source holds generated names only: see the module docstring
    return namespace["predicate"]  # type: ignore[no-any-return]


_OPS = {"eq": "==", "ne": "!=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}


def _expr(nnf: Condition, missing: bool, constants: dict[str, Any]) -> str:
    """Python expression text of the condition over ``get`` (the fact's ``dict.get``) and ``f``; each path
    and value becomes a generated name bound in ``constants``. Same semantics as :func:`_leaf`."""

    def name(value: Any) -> str:
        key = f"k{len(constants)}"
        constants[key] = value
        return key

    if isinstance(nnf, Compare):
        p, v, op = name(nnf.path), nnf.value, nnf.op
        if op == "exists":
            return f"(get({p}) is not None)" if v else f"(get({p}) is None)"
        if op == "eq":
            strict = f"(get({p}) == {name(v)})"
        elif op == "in":
            strict = f"(get({p}) in {name(frozenset(v))})"  # type: ignore[arg-type, unused-ignore]
        elif op == "not_in":
            strict = f"((x := get({p})) is not None and x not in {name(frozenset(v))})"  # type: ignore[arg-type, unused-ignore]
        elif op == "between":
            lo, hi = v  # type: ignore[misc, unused-ignore]
            strict = f"((x := get({p})) is not None and {name(lo)} <= x <= {name(hi)})"
        elif op in _OPS:
            strict = f"((x := get({p})) is not None and x {_OPS[op]} {name(v)})"
        else:  # pragma: no cover - the parser rejects it
            raise ValueError(f"unknown operator {op}")
        # optimistic reading: a missing value might satisfy the comparison
        return f"({p} not in f or {strict})" if missing else strict
    if isinstance(nnf, (All, AnyOf)):
        parts = [_expr(i, missing, constants) for i in nnf.items]
        if not parts:  # as all() and any() of nothing
            return "True" if isinstance(nnf, All) else "False"
        return "(" + (" and " if isinstance(nnf, All) else " or ").join(parts) + ")"
    raise TypeError("compile_condition needs a condition in negation normal form (no 'not')")


def _closure(nnf: Condition, missing: bool = False) -> Predicate:
    """The same predicate as nested closures (no generated source): for conditions too deep to compile."""
    if isinstance(nnf, Compare):
        return _leaf(nnf, missing)
    if isinstance(nnf, (All, AnyOf)):
        parts = tuple(_closure(i, missing) for i in nnf.items)
        if len(parts) == 1:
            return parts[0]
        if isinstance(nnf, All):
            return lambda f: all(g(f) for g in parts)
        return lambda f: any(g(f) for g in parts)
    raise TypeError("compile_condition needs a condition in negation normal form (no 'not')")


Deciding = Callable[[dict[str, Any]], tuple[bool, bool, frozenset[str]]]
_NOTHING: frozenset[str] = frozenset()


class _Pending:
    """The value of a field that every completion of a report gives, not chosen yet (see
    :func:`compile_deciding`): present for ``exists``, unknown for every comparison."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "PENDING"


PENDING: Any = _Pending()


def compile_deciding(nnf: Condition, *, pending: bool = False) -> Deciding:
    """:func:`netral_rules.conditions.deciding_missing` compiled for one condition: (certainly true, could be
    true, the missing paths that would decide it), with the tree walked once here instead of per fact.

    With ``pending=True`` a field may hold :data:`PENDING`: a value the report does not give but every
    completion of it will. ``exists`` then counts the field as given (a completion gives it), and every
    comparison on it is undecided, as on a missing field. This is how the readings over unknowns
    (:mod:`netral_rules.decide.readings`) evaluate a rule in the middle of filling a report in."""
    if isinstance(nnf, Compare):
        c, p = nnf, nnf.path
        if c.op == "exists":
            want = c.value

            def exists(f: dict[str, Any]) -> tuple[bool, bool, frozenset[str]]:
                holds = (f.get(p) is not None) == want
                return holds, holds, _NOTHING

            return exists
        only = frozenset((p,))
        if pending:

            def leaf(f: dict[str, Any]) -> tuple[bool, bool, frozenset[str]]:
                actual = f.get(p)
                if actual is None or actual is PENDING:
                    return False, True, only
                holds = compare_holds(c, actual)
                return holds, holds, _NOTHING

            return leaf

        def known(f: dict[str, Any]) -> tuple[bool, bool, frozenset[str]]:
            actual = f.get(p)
            if actual is None:
                return False, True, only
            holds = compare_holds(c, actual)
            return holds, holds, _NOTHING

        return known
    if isinstance(nnf, (All, AnyOf)):
        parts = tuple(compile_deciding(i, pending=pending) for i in nnf.items)
        # "certainly true" implies "could be true" at every node, so an 'all' with a part that cannot be true
        # is (False, False, nothing) and an 'any' with a part that is certainly true is (True, True,
        # nothing), whatever the other parts say: those are answered without evaluating the rest
        if isinstance(nnf, All):

            def all_of(f: dict[str, Any]) -> tuple[bool, bool, frozenset[str]]:
                certain, found = True, []
                for g in parts:
                    r = g(f)
                    if not r[1]:
                        return False, False, _NOTHING
                    if not r[0]:
                        certain = False
                    found.append(r[2])
                return certain, True, _NOTHING if certain else frozenset().union(*found)

            return all_of

        def any_of(f: dict[str, Any]) -> tuple[bool, bool, frozenset[str]]:
            possible, found = False, []
            for g in parts:
                r = g(f)
                if r[0]:
                    return True, True, _NOTHING
                if r[1]:
                    possible = True
                    found.append(r[2])
            return False, possible, frozenset().union(*found)

        return any_of
    raise TypeError("compile_deciding needs a condition in negation normal form (no 'not')")


Witness = Callable[[dict[str, Any]], "list[Any] | None"]


def compile_witness(nnf: Condition, make: Callable[[Compare], Any] | None = None) -> Witness:
    """Compile an NNF condition into a function returning the comparisons that make it true (one witness
    path: all children of an ``all``, the first true child of an ``any``), or None when it is not true.

    With ``make``, each comparison is returned as ``make(comparison)``, computed once here: the engine
    passes a builder of the reported matched condition, so nothing about the comparison is redone per fact.
    """
    if isinstance(nnf, Compare):
        pred = _leaf(nnf)
        leaf = [nnf if make is None else make(nnf)]
        return lambda f: leaf if pred(f) else None
    parts = tuple(compile_witness(i, make) for i in nnf.items)  # type: ignore[union-attr]
    if isinstance(nnf, All):

        def all_of(f: dict[str, Any]) -> list[Any] | None:
            out: list[Any] = []
            for part in parts:
                found = part(f)
                if found is None:
                    return None
                out.extend(found)
            return out

        return all_of
    if isinstance(nnf, AnyOf):

        def any_of(f: dict[str, Any]) -> list[Any] | None:
            for part in parts:
                found = part(f)
                if found is not None:
                    return found
            return None

        return any_of
    raise TypeError("compile_witness needs a condition in negation normal form (no 'not')")

