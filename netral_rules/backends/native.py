"""The native backend: conditions compiled once into Python functions.

Nothing from YAML is executed: the condition tree (in negation normal form, where "definitely true" is
monotone in the leaves) becomes one function over ``{path: value}`` dicts, with a missing field making
its comparison false. The function is generated as Python source whose only words are operators and
generated names (``k0``, ``k1``, ...); every path and value from the pack is bound to such a name as a
constant and never written into the source, so no pack text can become code. One flat function is
several times faster than the nested closures it replaces, which remain as the fallback for a condition
too deeply nested for the Python compiler.

Rules are indexed by the act kinds they can match and, within a kind, by an *anchor* (an equality on an
enumeration or boolean field that every branch of the rule requires), so a fact is tested only against
rules that could hold for its kind and anchor values (:class:`RuleIndex`). The matcher holds no mutable
state: it is safe to share between threads, and it pickles by recompiling from the rule data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..conditions.language import All, AnyOf, Compare, Condition, compare_holds
from ..conditions.satisfy import possible_act_kinds
from ..fact.fields import FieldMap, fact_fields

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
            strict = f"(get({p}) in {name(frozenset(v))})"  # type: ignore[arg-type]
        elif op == "not_in":
            strict = f"((x := get({p})) is not None and x not in {name(frozenset(v))})"  # type: ignore[arg-type]
        elif op == "between":
            lo, hi = v  # type: ignore[misc]
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


def compile_deciding(nnf: Condition) -> Deciding:
    """:func:`netral_rules.conditions.deciding_missing` compiled for one condition: (certainly true, could be
    true, the missing paths that would decide it), with the tree walked once here instead of per fact."""
    if isinstance(nnf, Compare):
        c, p = nnf, nnf.path
        if c.op == "exists":
            want = c.value

            def exists(f: dict[str, Any]) -> tuple[bool, bool, frozenset[str]]:
                holds = (f.get(p) is not None) == want
                return holds, holds, _NOTHING

            return exists
        only = frozenset((p,))

        def leaf(f: dict[str, Any]) -> tuple[bool, bool, frozenset[str]]:
            actual = f.get(p)
            if actual is None:
                return False, True, only
            holds = compare_holds(c, actual)
            return holds, holds, _NOTHING

        return leaf
    if isinstance(nnf, (All, AnyOf)):
        parts = tuple(compile_deciding(i) for i in nnf.items)
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


def _required(nnf: Condition) -> Iterable[Condition]:
    """The parts every branch of an NNF condition requires: the items of (nested) top-level ``all``s."""
    if isinstance(nnf, All):
        for item in nnf.items:
            yield from _required(item)
    else:
        yield nnf


Anchor = tuple[str, frozenset[Any]]


def anchor(nnf: Condition, fields: FieldMap | None = None) -> Anchor | None:
    """``(path, values)``: a required equality (or ``in``) on an enumeration or boolean field other than the
    act kind, so that the condition is false unless the fact's value at ``path`` is one of ``values``.

    Only enumerations and booleans qualify: their values are hashable, never coerced (the linter checks
    the types), and equal exactly when ``==`` says so, so a dict lookup decides the comparison. Of several
    candidates the one letting through the smallest share of the field's values is the most selective.
    """
    fields = fields or fact_fields()
    best: tuple[float, str, frozenset[Any]] | None = None
    for part in _required(nnf):
        if not isinstance(part, Compare) or part.op not in ("eq", "in") or part.path == "act.kind":
            continue
        spec = fields.get(part.path)
        if spec is None or spec.type not in ("enum", "bool"):
            continue
        values = frozenset((part.value,) if part.op == "eq" else part.value)  # type: ignore[arg-type]
        share = len(values) / (len(spec.enum) if spec.type == "enum" else 2)
        if best is None or share < best[0]:
            best = (share, part.path, values)
    return None if best is None else (best[1], best[2])


def assume(nnf: Condition, path: str, value: Any) -> Condition | bool:
    """The condition for facts whose ``path`` holds ``value`` (not None): every comparison on ``path`` is
    decided and the tree simplified; True or False when nothing is left to test. The original object comes
    back when nothing changed. Exact on every such fact: a rule that lists branches per act kind keeps only
    the branch of the kind at hand."""
    if isinstance(nnf, Compare):
        if nnf.path != path:
            return nnf
        return bool(nnf.value) if nnf.op == "exists" else compare_holds(nnf, value)
    if isinstance(nnf, (All, AnyOf)):
        parts = [assume(i, path, value) for i in nnf.items]
        if all(p is i for p, i in zip(parts, nnf.items, strict=True)):
            return nnf
        decisive, neutral = (False, True) if isinstance(nnf, All) else (True, False)
        if any(p is decisive for p in parts):
            return decisive
        kept = [p for p in parts if p is not neutral]
        if not kept:
            return neutral
        return kept[0] if len(kept) == 1 else type(nnf)(tuple(kept))  # type: ignore[arg-type]
    raise TypeError("assume needs a condition in negation normal form (no 'not')")


# Where a rule is filed: per act kind it can hold for, its anchor on that kind (or None) and its residual.
Filing = tuple[tuple[str, "Anchor | None", "Condition | bool"], ...]


def file_rule(cond: Condition, kinds: Sequence[str], fields: FieldMap | None = None) -> Filing:
    """Where :class:`RuleIndex` files the rule with condition ``cond`` (computed once per rule)."""
    out = []
    for k in possible_act_kinds(cond) or kinds:
        special = assume(cond, "act.kind", k)
        if special is False:
            continue  # no fact of this kind satisfies the rule
        found = None if isinstance(special, bool) else anchor(special, fields)
        out.append((k, found, special if isinstance(special, bool) else residual(special, found)))
    return tuple(out)


class RuleIndex:
    """Rule indexes by act kind, and within a kind by each rule's anchor ``(path, value)``.

    Testing every rule against every fact makes the cost grow with the size of the law; most rules need
    one act kind and one value of some enumeration, so a fact only meets the rules filed under its kind
    and its own values, plus the rules with no anchor. Both lookups return rule indexes in rule order.
    An index may hold only some of the rules (``rules``): those in force on a date for a status, so that
    the law's history (earlier versions, other instruments) costs nothing to a fact it does not govern.
    """

    __slots__ = ("_kinds", "residuals")

    def __init__(self, filings: Sequence[Filing], kinds: Sequence[str], rules: Iterable[int] | None = None) -> None:
        loose: dict[str, list[int]] = {k: [] for k in kinds}
        anchored: dict[str, dict[str, dict[Any, list[int]]]] = {k: {} for k in kinds}
        # per kind, per rule filed under it: the condition left to test on a fact of that kind found through
        # candidates() (the kind and the anchor are known to hold)
        self.residuals: dict[str, dict[int, Condition | bool]] = {k: {} for k in kinds}
        for i in sorted(range(len(filings)) if rules is None else rules):
            for k, found, rest in filings[i]:
                if found is None:
                    loose[k].append(i)
                else:
                    table = anchored[k].setdefault(found[0], {})
                    for v in found[1]:
                        table.setdefault(v, []).append(i)
                self.residuals[k][i] = rest
        # per kind: (rules without anchor, ((path, {value: rules}, every rule anchored on path), ...))
        self._kinds: dict[Any, tuple[tuple[int, ...], tuple[tuple[str, dict[Any, tuple[int, ...]],
                                                               tuple[int, ...]], ...]]] = {}
        for k in kinds:
            paths = []
            for path, table in sorted(anchored[k].items()):
                every = tuple(sorted({i for idx in table.values() for i in idx}))
                paths.append((path, {v: tuple(idx) for v, idx in table.items()}, every))
            self._kinds[k] = (tuple(loose[k]), tuple(paths))

    def candidates(self, flat: dict[str, Any]) -> list[int] | None:
        """Rules that can be true on ``flat``: its kind's, whose anchor value it has. None for an unknown kind."""
        return self._lookup(flat, False)

    def possible(self, flat: dict[str, Any]) -> list[int]:
        """Like :meth:`candidates`, plus the rules whose anchor value is missing: a missing value could still
        satisfy them (used to find the undetermined rules)."""
        return self._lookup(flat, True) or []

    def _lookup(self, flat: dict[str, Any], missing: bool) -> list[int] | None:
        entry = self._kinds.get(flat.get("act.kind"))
        if entry is None:
            return None
        loose, paths = entry
        found = list(loose)
        for path, table, every in paths:
            value = flat.get(path)
            if value is None:
                if missing:
                    found += every
            else:
                hit = table.get(value)
                if hit:
                    found += hit
        if len(found) > len(loose):
            found.sort()
        return found


class RuleIndexes:
    """The indexes of one list of rules: where each rule is filed (worked out once), the index of every
    rule, and an index per set of them asked for (the rules of an epoch), kept per distinct set.

    The engine's law and its native matcher share one, so that neither files the rules nor builds an
    epoch's index a second time.
    """

    __slots__ = ("_sets", "every", "filings", "kinds")

    def __init__(self, conditions: Sequence[Condition], kinds: Sequence[str] | None = None) -> None:
        fields = fact_fields()
        self.kinds = tuple(kinds or fields.fields["act.kind"].enum)
        self.filings = [file_rule(c, self.kinds, fields) for c in conditions]
        self.every = RuleIndex(self.filings, self.kinds)
        self._sets: dict[frozenset[int], tuple[frozenset[int], RuleIndex]] = {}

    def of(self, rules: frozenset[int]) -> tuple[frozenset[int], RuleIndex]:
        """The index of ``rules``, with the set object it is kept under. Sets equal to it return that same
        object: callers that key caches by it then hit on identity, where a dict lookup with an equal but
        distinct set would compare it element by element every time."""
        found = self._sets.get(rules)
        if found is None:  # a race between threads only builds the same index twice
            found = self._sets[rules] = (rules, RuleIndex(self.filings, self.kinds, rules))
        return found


def residual(nnf: Condition, found: Anchor | None) -> Condition | bool:
    """The condition without the required tests on the anchor path that allow every anchor value: a rule
    reached through :meth:`RuleIndex.candidates` is known to pass them."""
    if found is None:
        return nnf
    path, values = found

    def implied(part: Condition) -> bool:
        if not isinstance(part, Compare) or part.op not in ("eq", "in") or part.path != path:
            return False
        return values <= frozenset((part.value,) if part.op == "eq" else part.value)  # type: ignore[arg-type]

    parts = list(_required(nnf))
    kept = [p for p in parts if not implied(p)]
    if len(kept) == len(parts):
        return nnf
    if not kept:
        return True
    return kept[0] if len(kept) == 1 else All(tuple(kept))


class NativeMatcher:
    """Matches flat facts against rules; returns the indexes of matching rules in rule order."""

    name = "native"

    def __init__(self, conditions: Sequence[Condition], indexes: RuleIndexes | None = None) -> None:
        """``indexes``: the :class:`RuleIndexes` of these same conditions, if the caller has them already."""
        self._conditions = list(conditions)
        self._compile(indexes)

    def _compile(self, indexes: RuleIndexes | None = None) -> None:
        self._indexes = indexes or RuleIndexes(self._conditions)
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
        self._conditions = state["conditions"]
        self._compile()


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
