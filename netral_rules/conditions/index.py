"""The rule index: rules filed by the act kinds they can match and, within a kind, by an *anchor*.

Testing every rule against every fact makes the cost grow with the size of the law; most rules need one
act kind and one value of some enumeration (an equality every branch of the rule requires), so a fact only
meets the rules filed under its kind and its own values, plus the rules with no anchor
(:class:`RuleIndex`). The index is part of the condition language, not of a backend: the native backend
matches through it, and the engine's undetermined scan visits only the rules it can still hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..fact.fields import FieldMap, fact_fields
from .logic import compare_holds
from .satisfy import possible_act_kinds
from .tree import All, AnyOf, Compare, Condition


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
        values = frozenset((part.value,) if part.op == "eq" else part.value)  # type: ignore[arg-type, unused-ignore]
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

    __slots__ = ("_sets", "conditions", "every", "filings", "kinds")

    def __init__(self, conditions: Sequence[Condition], kinds: Sequence[str] | None = None) -> None:
        fields = fact_fields()
        self.conditions = tuple(conditions)  # in negation normal form, one per rule, in rule order
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
        return values <= frozenset((part.value,) if part.op == "eq" else part.value)  # type: ignore[arg-type, unused-ignore]

    parts = list(_required(nnf))
    kept = [p for p in parts if not implied(p)]
    if len(kept) == len(parts):
        return nnf
    if not kept:
        return True
    return kept[0] if len(kept) == 1 else All(tuple(kept))

