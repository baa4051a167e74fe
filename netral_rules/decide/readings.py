"""Readings of an incomplete report: what is certain, what is possible, and which question decides.

A report leaves fields unknown; some rule in force reads some of them. A *reading* is one way of filling
those fields in: every boolean and list field with one of its values, every number and date with a value
from one of the regions the rules' comparisons cut its range into (all values of a region decide every
comparison alike), keeping only the ways the fact model's constraints allow (:mod:`netral_rules.fact.constraints`).
In each reading the rules are decided as on a complete report, the rules a holding rule sets aside are set
aside, and the findings that stand are aggregated (PP 94/2021 Pasal 35) into a headline.

The readings are not enumerated one by one. The search fills in one field at a time, and only a field that
some still undecided rule needs; as soon as every rule is decided, all the ways of filling in the remaining
fields give the same outcome and count as one reading (a *cylinder*). A field is never filled in before a rule
asks for it, so the work grows with the distinct outcomes, not with the product of the domains.

From the readings follow: whether the act is a violation in every reading, in some or in none; the lightest and
the heaviest headline; the findings that stand in every reading; each rule that stands only in some readings
with the condition on the unknown fields under which it does; the unknown fields no answer to which can change
the outcome; and the questions, ranked by the number of distinct outcomes left after their least decisive
answer (fewest first), each answer with the range it leaves.

``exists`` tests count a field as given in every reading: filling a field in is giving it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .._fast import build
from ..conditions import Compare
from ..conditions.compiled import PENDING, Deciding
from ..fact.constraints import Constraint, spec_bounds, value_bounds
from ..fact.fields import FieldMap, FieldSpec, fact_fields, kind_values
from ..vocabulary import Bilingual, headline_rank
from .compile import CompiledLaw
from .decision import Answer, Bound, Question, ReadingRule, Readings, SetAside, Term

MAX_LEAVES = 4096  # a bound on the distinct readings kept: past it the readings say so (see Search)

Outcome = tuple[bool, str | None, str | None]  # (violation, category, level) of the headline
NONE: Outcome = (False, None, None)
_ABSENT = object()  # a field the report did not have before a provider filled it in


@dataclass(frozen=True, slots=True)
class Choice:
    """One way of filling a field in: the value put into the report, and for a number or a date the region
    (inclusive bounds; None for an open end) every value of which decides the rules alike."""

    value: Any
    low: Any = None
    high: Any = None
    region: bool = False
    label: Bilingual | None = None  # how the value reads, where it is a code (a sanction type)
    # for a field whose value fixes others (the election: its calendar gives the stage and the campaign flag):
    # the values it puts into the report, and the values it leaves possible for other fields
    sets: tuple[tuple[str, Any], ...] = ()
    allows: tuple[tuple[str, frozenset[Any]], ...] = ()
    listed: bool = True  # False: not offered as an answer ("none of these", which is "don't know")

    def bounds(self) -> tuple[float, float] | None:
        if not self.region:
            return value_bounds(self.value)
        return (_num(self.low) if self.low is not None else -math.inf,
                _num(self.high) if self.high is not None else math.inf)

    def term(self, path: str) -> Term:
        if self.region:
            return build(Term, field=path, low=_json(self.low), high=_json(self.high))
        return build(Term, field=path, values=(_json(self.value),))


def _num(value: Any) -> float:
    return float(value.toordinal()) if isinstance(value, dt.date) else float(value)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@dataclass(frozen=True, slots=True)
class Variable:
    path: str
    choices: tuple[Choice, ...]

    @property
    def provides(self) -> frozenset[str]:
        """The fields some choice of this variable fixes or restricts."""
        return frozenset(p for c in self.choices for p, _ in (*c.sets, *c.allows))


@dataclass(slots=True)
class Leaf:
    """One reading (a cylinder: the fields not assigned may take any value)."""

    assign: dict[str, int]
    held: frozenset[int]
    kept: tuple[int, ...]
    aside: tuple[SetAside, ...]
    outcome: Outcome
    open: tuple[int, ...] = ()  # rules still undecided here, which cannot change the outcome


# --- domains ------------------------------------------------------------------------------------------------


def _ordered_choices(spec: FieldSpec, comparisons: Iterable[Compare]) -> tuple[Choice, ...]:
    """The regions the comparisons cut an ordered field's range into, each with a representative value."""
    discrete = spec.type in ("int", "date")
    step: Any = dt.timedelta(days=1) if spec.type == "date" else 1
    points: set[Any] = set()
    starts: set[Any] = set()  # for integers and dates: the first value of each region
    for c in comparisons:
        if c.op == "exists":
            continue
        values = c.value if isinstance(c.value, tuple) else (c.value,)
        for v in values:
            if spec.type == "float":
                points.add(float(v))
            elif c.op in ("eq", "ne", "in", "not_in"):
                starts.update((v, v + step))
            elif c.op in ("lt", "gte"):
                starts.add(v)
            elif c.op in ("lte", "gt"):
                starts.add(v + step)
        if c.op == "between" and discrete:
            lo, hi = c.value
            starts.update((lo, hi + step))
        elif c.op == "between":
            points.update(float(v) for v in c.value)
    lo = spec.minimum
    hi = spec.maximum
    if discrete:
        low = None if lo is None or spec.type == "date" else int(lo)
        high = None if hi is None or spec.type == "date" else int(hi)
        cuts = sorted(s for s in starts if (low is None or s > low) and (high is None or s <= high))
        bounds = [low, *cuts]
        out = []
        for i, start in enumerate(bounds):
            end = (bounds[i + 1] - step) if i + 1 < len(bounds) else high
            rep = start if start is not None else (end if end is not None else 0)
            out.append(Choice(rep, start, end, region=True))
        return tuple(out)
    # floats: each mentioned value alone, and the open gaps between them (represented by their midpoints)
    low_f = -math.inf if lo is None else float(lo)
    high_f = math.inf if hi is None else float(hi)
    pts = sorted(p for p in points if low_f <= p <= high_f)
    edges = [low_f, *pts, high_f]
    out = []
    for a, b in itertools.pairwise(edges):
        if a < b:
            rep = (a + b) / 2 if math.isfinite(a) and math.isfinite(b) else (b - 1 if math.isfinite(b) else a + 1)
            if rep not in pts:
                out.append(Choice(rep, None if not math.isfinite(a) else a, None if not math.isfinite(b) else b,
                                  region=True))
        if b in pts:
            out.append(Choice(b))
    return tuple(out)


def domain(path: str, kind: str, comparisons: Sequence[Compare], fields: FieldMap) -> tuple[Choice, ...]:
    """Every way of filling a field in, for an act of ``kind``, as far as ``comparisons`` tell them apart."""
    spec = fields.fields[path]
    if path.startswith("act."):
        own = kind_values(path, kind)
        if own is not None:
            return tuple(Choice(v) for v in own)
    if spec.type == "bool":
        return (Choice(True), Choice(False))
    if spec.type == "enum":
        return tuple(Choice(v) for v in spec.enum)
    if spec.ordered:
        return _ordered_choices(spec, comparisons)
    mentioned = dict.fromkeys(v for c in comparisons if c.op != "exists"
                              for v in (c.value if isinstance(c.value, tuple) else (c.value,)))
    return (*(Choice(v) for v in mentioned), Choice("\x00other"))


# --- the search ---------------------------------------------------------------------------------------------


class Search:
    """The readings of one report under one epoch of the law."""

    def __init__(
        self,
        law: CompiledLaw,
        rules: Sequence[int],
        readers: dict[int, Deciding],
        variables: dict[str, Variable],
        flat: dict[str, Any],
        outcome: Callable[[tuple[int, ...], dict[str, Any]], Outcome],
        constraint_set: Sequence[Constraint],
        post: Sequence[Variable] = (),
        providers: Sequence[Variable] = (),
    ) -> None:
        """``post``: variables no rule reads but the aggregate does (the type of an earlier sanction): every
        reading is split by them once its rules are decided; ``outcome`` gets their values by path.
        ``providers``: variables no rule reads whose choices fix other fields (the election, whose calendar
        gives the stage and the campaign flag): while a provider is open, a rule waiting for a field it
        provides waits for the provider, which is filled in first."""
        self.law = law
        self.rules = rules
        self.readers = readers
        self.variables = dict(variables)
        self.node = dict(flat)
        for path in variables:
            self.node[path] = PENDING
        self.bounds: dict[str, tuple[float, float]] = {}
        self.outcome = outcome
        self.post = tuple(post)
        for var in self.post:
            self.variables[var.path] = var
        self.provided: dict[str, str] = {}  # field -> the provider that fixes it
        self.providers = frozenset(var.path for var in providers)
        for var in providers:
            self.variables[var.path] = var
            self.node[var.path] = PENDING
            for p in var.provides:
                self.provided[p] = var.path
        self.saved: dict[str, Any] = {}
        self.constraints = constraint_set
        self.by_path: dict[str, list[Constraint]] = {}
        for c in constraint_set:
            for p in c.paths:
                self.by_path.setdefault(p, []).append(c)
        self.fields = fact_fields()
        self.leaves: list[Leaf] = []
        self.truncated = False
        self.pruned: set[str] = set()
        # the shortcut of _explore holds only while no rule may set aside a heavier one
        self.monotone = not any(
            e.lighter is not None for i in rules for e in law.rules[i].rule.rule.sets_aside
        )

    def _bound(self, path: str) -> tuple[float, float] | None:
        found = self.bounds.get(path)
        if found is not None:
            return found
        value = self.node.get(path)
        if value is PENDING:
            return spec_bounds(path)
        return value_bounds(value) if value is not None else None

    def _consistent(self, which: Iterable[Constraint]) -> bool:
        for c in which:
            if not c.possible(self.node, self._bound):
                self.pruned.add(c.spec.id)
                return False
        return True

    def run(self) -> list[Leaf]:
        certain: set[int] = set()
        undecided: dict[int, frozenset[str]] = {}
        for i in self.rules:
            yes, maybe, missing = self.readers[i](self.node)
            if yes:
                certain.add(i)
            elif maybe:
                undecided[i] = missing
        # a report that gives values breaking a constraint itself is taken as it is (a run of days across
        # 1 January is reported so): such a constraint only stops filling in, which it cannot do here
        kept = [c for c in self.constraints if c.possible(self.node, self._bound)]
        if len(kept) < len(self.constraints):
            self.constraints = kept
            self.by_path = {}
            for c in kept:
                for p in c.paths:
                    self.by_path.setdefault(p, []).append(c)
        self._explore(certain, undecided, {})
        return self.leaves

    def _explore(self, certain: set[int], undecided: dict[int, frozenset[str]], assign: dict[str, int]) -> None:
        if len(self.leaves) >= MAX_LEAVES:
            self.truncated = True
            return
        if not undecided:
            self._leaf(certain, assign, ())
            return
        if self.monotone:
            # the headline never falls when more rules hold (a rule that sets another aside is not lighter than
            # it: the linter requires a reason where it is, and then this shortcut is off), so when the rules
            # decided so far and all of them together give one outcome, every filling-in below does
            low = self._kept_outcome(certain)
            if low == self._kept_outcome(certain | undecided.keys()):
                self._leaf(certain, assign, tuple(undecided))
                return
        # fill in the field most undecided rules wait for (fewest choices first on a tie; then by name)
        counts: dict[str, int] = {}
        provided, node = self.provided, self.node
        for missing in undecided.values():
            for p in missing:
                q = provided.get(p)
                if q is not None and node[q] is PENDING:
                    p = q
                if p in self.variables:
                    counts[p] = counts.get(p, 0) + 1
        if not counts:  # only fields that cannot be filled in: the rules stay as they are
            self._leaf(certain, assign, tuple(undecided))
            return
        path = min(counts, key=lambda p: (-counts[p], len(self.variables[p].choices), p))
        var = self.variables[path]
        readers = self.readers
        for k, choice in enumerate(var.choices):
            node[path] = choice.value
            b = choice.bounds()
            if b is not None:
                self.bounds[path] = b
            touched, more = self._put_provided(choice)
            if more is not None and self._consistent(self._affected(path, touched)) and self._allowed(path):
                now = set(certain)
                rest: dict[int, frozenset[str]] = {}
                for i, missing in undecided.items():
                    if path not in missing and missing.isdisjoint(touched):
                        rest[i] = missing
                        continue
                    yes, maybe, still = readers[i](node)
                    if yes:
                        now.add(i)
                    elif maybe:
                        rest[i] = still
                self._explore(now, rest, {**assign, **more, path: k})
            self._restore(touched)
            self.bounds.pop(path, None)
        node[path] = PENDING

    def _put_provided(self, choice: Choice) -> tuple[frozenset[str], dict[str, int] | None]:
        """Put the values a provider's choice fixes into the report: (the fields changed, their choice numbers
        where they are variables themselves; None when such a value is no choice of that variable)."""
        if not choice.sets:
            return frozenset(), {}
        node, saved = self.node, self.saved
        more: dict[str, int] | None = {}
        for p, value in choice.sets:
            saved[p] = node.get(p, _ABSENT)
            node[p] = value
            var = self.variables.get(p)
            if var is not None and more is not None:
                k = next((k for k, c in enumerate(var.choices) if c.value == value), None)
                if k is None:
                    more = None
                else:
                    more[p] = k
        return frozenset(p for p, _ in choice.sets), more

    def _restore(self, touched: frozenset[str]) -> None:
        for p in touched:
            old = self.saved.pop(p)
            if old is _ABSENT:
                del self.node[p]
            else:
                self.node[p] = old

    def _affected(self, path: str, touched: frozenset[str]) -> Sequence[Constraint]:
        if not touched:  # the common case, on the search's hot path: no copy
            return self.by_path.get(path, ())
        found = list(self.by_path.get(path, ()))
        for p in touched:
            found.extend(c for c in self.by_path.get(p, ()) if c not in found)
        return found

    def _allowed(self, path: str) -> bool:
        """Whether the values filled in so far are among those the providers' choices leave possible."""
        if not self.provided:  # no provider: nothing restricts (the common case, on the search's hot path)
            return True
        node = self.node
        if path in self.providers:  # the fields its choice restricts, as filled in so far
            choice = self._choice_of(path)
            return choice is None or all(node.get(p, PENDING) is PENDING or node[p] in ok for p, ok in choice.allows)
        q = self.provided.get(path)
        if q is None:
            return True
        choice = self._choice_of(q)
        if choice is None:
            return True
        return all(node[path] in ok for p, ok in choice.allows if p == path)

    def _choice_of(self, path: str) -> Choice | None:
        value = self.node.get(path, PENDING)
        if value is PENDING:
            return None
        return next(c for c in self.variables[path].choices if c.value == value)

    def _kept(self, held: Iterable[int]) -> tuple[tuple[int, ...], tuple[SetAside, ...]]:
        held = sorted(held)
        ex = self.law.exceptions.by_excluder
        if not ex:
            return tuple(held), ()
        inside = set(held)
        removed: set[int] = set()
        aside: list[SetAside] = []
        for i in held:
            for plan in ex.get(i, ()):
                if plan.excluded in inside:
                    removed.add(plan.excluded)
                    aside.append(plan.record)
        return tuple(i for i in held if i not in removed), tuple(aside)

    def _kept_outcome(self, held: Iterable[int]) -> Outcome:
        kept, _ = self._kept(held)
        if not kept:
            return NONE
        if not self.post:
            return self.outcome(kept, {})
        outcomes = {self.outcome(kept, values) for values in self._post_values()}
        return outcomes.pop() if len(outcomes) == 1 else (True, "\x00several", None)  # never equal: no shortcut

    def _post_values(self) -> list[dict[str, Any]]:
        return [{var.path: var.choices[k].value for var, k in zip(self.post, ks, strict=True)}
                for ks in itertools.product(*(range(len(v.choices)) for v in self.post))]

    def _leaf(self, certain: set[int], assign: dict[str, int], open_rules: tuple[int, ...]) -> None:
        kept, aside = self._kept(certain)
        held = frozenset(certain)
        if not self.post or not kept:
            outcome = self.outcome(kept, {}) if kept else NONE
            self.leaves.append(Leaf(dict(assign), held, kept, aside, outcome, open_rules))
            return
        for ks in itertools.product(*(range(len(v.choices)) for v in self.post)):
            values = {var.path: var.choices[k].value for var, k in zip(self.post, ks, strict=True)}
            more = {var.path: k for var, k in zip(self.post, ks, strict=True)}
            self.leaves.append(Leaf({**assign, **more}, held, kept, aside, self.outcome(kept, values), open_rules))


# --- what the readings say ----------------------------------------------------------------------------------


@dataclass
class Summary:
    """The readings, summed up for the decision."""

    leaves: list[Leaf]
    held_every: frozenset[int]
    kept_some: frozenset[int]
    aside_every: tuple[SetAside, ...]
    readings: Readings
    outcomes: set[Outcome] = field(default_factory=set)


def _rank(o: Outcome) -> float:
    return -1.0 if not o[0] else headline_rank(o[2], o[1])


class Words:
    """How the readings put fields, values and outcomes into words (labels from the fact model's data)."""

    def __init__(self, field_label: Callable[[str, str], str], value_label: Callable[[str, Any, str], str],
                 question: Callable[[str, str], str], outcome_text: Callable[[Outcome, str], str]) -> None:
        self.field_label = field_label
        self.value_label = value_label
        self.question = question
        self.outcome_text = outcome_text

    def bound(self, o: Outcome) -> Bound:
        return build(Bound, violation=o[0], category=o[1], level=o[2],
                     text=build(Bilingual, id=self.outcome_text(o, "id"), en=self.outcome_text(o, "en")))

    def choice(self, path: str, choice: Choice, lang: str) -> str:
        if choice.label is not None:
            return choice.label.en if lang == "en" else choice.label.id
        if not choice.region:
            return self.value_label(path, choice.value, lang)
        lo, hi = choice.low, choice.high
        if lo is not None and hi is not None:
            if lo == hi:
                return self.value_label(path, lo, lang)
            joiner = " sampai dengan " if lang == "id" else " to "
            return f"{self.value_label(path, lo, lang)}{joiner}{self.value_label(path, hi, lang)}"
        if lo is not None:
            return f"{'paling sedikit' if lang == 'id' else 'at least'} {self.value_label(path, lo, lang)}"
        if hi is not None:
            return f"{'paling banyak' if lang == 'id' else 'at most'} {self.value_label(path, hi, lang)}"
        return "apa pun" if lang == "id" else "any"

    def term(self, path: str, choices: Sequence[Choice], lang: str) -> str:
        name = self.field_label(path, lang)
        values = [self.choice(path, c, lang) for c in choices]
        joined = (" atau " if lang == "id" else " or ").join(values)
        return f"{name}: {joined}"

    def condition(self, terms: Sequence[dict[str, tuple[int, ...]]], variables: dict[str, Variable],
                  lang: str) -> str:
        if not terms or all(not t for t in terms):
            return "dalam setiap pembacaan" if lang == "id" else "in every reading"
        parts = []
        for t in terms:
            inner = "; ".join(
                self.term(p, [variables[p].choices[k] for k in ks], lang) for p, ks in sorted(t.items()))
            parts.append(f"({inner})" if len(terms) > 1 else inner)
        return (" atau " if lang == "id" else " or ").join(parts)


def _simplify(terms: list[dict[str, frozenset[int]]], sizes: dict[str, int]) -> list[dict[str, frozenset[int]]]:
    """Merge conjunctions that differ in one field only (their values joined; a field with every value dropped),
    and drop a conjunction another one covers, until nothing changes: a short condition for people to read."""
    out = [dict(t) for t in terms]
    changed = True
    while changed and len(out) > 1:
        changed = False
        for a, b in itertools.combinations(range(len(out)), 2):
            ta, tb = out[a], out[b]
            if ta.keys() != tb.keys():
                continue
            diff = [p for p in ta if ta[p] != tb[p]]
            if len(diff) != 1:
                continue
            p = diff[0]
            merged = dict(ta)
            merged[p] = ta[p] | tb[p]
            if len(merged[p]) == sizes[p]:
                del merged[p]
            out = [t for i, t in enumerate(out) if i not in (a, b)] + [merged]
            changed = True
            break
    # a conjunction implied by a more general one is left out
    kept: list[dict[str, frozenset[int]]] = []
    for t in sorted(out, key=len):
        if not any(all(p in t and t[p] <= g[p] for p in g) for g in kept):
            kept.append(t)
    return kept


def holding_terms(search: Search, i: int) -> list[dict[str, frozenset[int]]]:
    """The condition on the unknown fields under which rule ``i`` holds, as conjunctions of choices (found by
    filling in only the fields the rule itself waits for, within the constraints)."""
    out: list[dict[str, frozenset[int]]] = []
    reader, node, variables = search.readers[i], search.node, search.variables

    def walk(assign: dict[str, frozenset[int]]) -> None:
        if len(out) >= MAX_LEAVES:
            return
        yes, maybe, missing = reader(node)
        if yes:
            out.append(dict(assign))
            return
        if not maybe:
            return
        path = next((p for p in sorted(missing) if p in variables and p not in assign), None)
        if path is None:  # it waits for fields no reading fills in: it may hold, under these choices
            out.append(dict(assign))
            return
        for k, choice in enumerate(variables[path].choices):
            node[path] = choice.value
            b = choice.bounds()
            if b is not None:
                search.bounds[path] = b
            if search._consistent(search.by_path.get(path, ())):
                walk({**assign, path: frozenset((k,))})
            search.bounds.pop(path, None)
        node[path] = PENDING

    walk({})
    return out


def summarise(search: Search, words: Words, unknown: Sequence[str]) -> Summary:
    leaves = search.leaves
    variables = search.variables
    rules = search.law.rules
    outcomes = {leaf.outcome for leaf in leaves}
    if not leaves:  # every way of filling the report in breaks a constraint: nothing is possible
        outcomes = {NONE}
    lightest = min(outcomes, key=_rank)
    heaviest = max(outcomes, key=_rank)
    violations = [leaf.outcome[0] for leaf in leaves]
    verdict = "every" if violations and all(violations) else ("some" if any(violations) else "none")
    held_every = frozenset.intersection(*(leaf.held for leaf in leaves)) if leaves else frozenset()
    kept_every = frozenset.intersection(*(frozenset(leaf.kept) for leaf in leaves)) if leaves else frozenset()
    kept_some = frozenset(i for leaf in leaves for i in (*leaf.kept, *leaf.open))
    aside_every: tuple[SetAside, ...] = ()
    if any(leaf.aside for leaf in leaves):
        every = frozenset.intersection(*(frozenset((a.rule_id, a.by) for a in leaf.aside) for leaf in leaves))
        if every:
            found = {(a.rule_id, a.by): a for leaf in leaves for a in leaf.aside if (a.rule_id, a.by) in every}
            aside_every = tuple(found[k] for k in sorted(found))

    # each rule that stands in some readings only: when it holds, and which rules may set it aside then
    sizes = {p: len(v.choices) for p, v in variables.items()}
    may_hold = kept_some | frozenset(i for leaf in leaves for i in leaf.held)
    by_excluded = search.law.exceptions.by_excluded
    reading_rules = []
    never: set[int] = set()
    for i in sorted(kept_some - kept_every, key=lambda i: rules[i].rule.id):
        terms = holding_terms(search, i)
        if not terms:  # left open by a shortcut, but no filling-in within the domains makes it hold
            never.add(i)
            continue
        simple = _simplify(terms, sizes)
        as_tuples = [{p: tuple(sorted(ks)) for p, ks in t.items()} for t in simple]
        machine = tuple(
            tuple(_term(p, [variables[p].choices[k] for k in ks]) for p, ks in sorted(t.items())) for t in as_tuples
        )
        unless = sorted({rules[plan.excluder].rule.id for plan in by_excluded.get(i, ()) if plan.excluder in may_hold})
        titles = {lang: ", ".join(getattr(rules[plan.excluder].rule.rule.title, lang)
                                  for plan in by_excluded.get(i, ()) if plan.excluder in may_hold)
                  for lang in ("id", "en")}
        texts = {lang: words.condition(as_tuples, variables, lang) for lang in ("id", "en")}
        if unless:
            texts["id"] += f"; kecuali dikesampingkan oleh aturan yang lebih khusus ({titles['id']})"
            texts["en"] += f"; unless a more specific rule sets it aside ({titles['en']})"
        plan = rules[i]
        then = plan.rule.rule.then
        reading_rules.append(build(
            ReadingRule, rule_id=plan.rule.id, title=plan.rule.rule.title, category=then.category, level=then.level,
            when=machine, set_aside_by=tuple(unless), text=build(Bilingual, id=texts["id"], en=texts["en"]),
        ))

    # questions: the fields whose value can change the outcome, ranked by the worst case
    questions = []
    asked: set[str] = set()
    relevant = _relevant(leaves, search.provided)
    for path, var in variables.items():
        if path not in relevant:
            continue
        per: list[tuple[int, set[Outcome]]] = []
        for k in range(len(var.choices)):
            left = {leaf.outcome for leaf in leaves if leaf.assign.get(path, k) == k}
            if left:
                per.append((k, left))
        if len(per) < 2:
            continue
        asked.add(path)
        # an unlisted choice ("another election") is the answer "don't know", which every question has
        per = [(k, left) for k, left in per if var.choices[k].listed]
        answers = tuple(_answer(words, path, var.choices[k], left) for k, left in per)
        worst = max(len(left) for _, left in per)
        mean = sum(len(left) for _, left in per) / len(per)
        spec = search.fields.get(_field_key(path))
        how = "choice" if spec is None or not spec.ordered else ("date" if spec.type == "date" else "number")
        questions.append((worst, mean, path, build(
            Question, field=path, text=build(Bilingual, id=words.question(path, "id"), en=words.question(path, "en")),
            kind=how, answers=answers, worst_case=worst)))
    questions.sort(key=lambda q: (q[0], q[1], q[2]))
    readings = build(
        Readings,
        violation=verdict,
        readings=len(leaves),
        lightest=words.bound(lightest),
        heaviest=words.bound(heaviest),
        rules=tuple(reading_rules),
        irrelevant=tuple(sorted(p for p in unknown if p not in asked)),
        questions=tuple(q[3] for q in questions),
        constraints=tuple(sorted(search.pruned)),
    )
    return Summary(leaves, held_every, kept_some - never, aside_every, readings, outcomes)


def _field_key(path: str) -> str:
    return path.split("[", 1)[0] + (path.split("]", 1)[1] if "]" in path else "")


_PAIRS_CHECKED = 200_000  # past this many pairs of readings, a field filled in anywhere counts as relevant


def _relevant(leaves: list[Leaf], provided: dict[str, str] | None = None) -> set[str]:
    """The fields whose value changes the outcome for some values of the others: two readings with different
    outcomes that differ in that field alone. (The readings are disjoint, so two readings that agree on all
    fields but one have that one filled in with different values in both.) A provider and the fields its
    choices fix count as one field: the provider."""
    assigned = {p for leaf in leaves for p in leaf.assign}
    provided = provided or {}
    if len(leaves) * len(leaves) > _PAIRS_CHECKED:
        return assigned
    found: set[str] = set()
    for a, b in itertools.combinations(leaves, 2):
        if a.outcome == b.outcome:
            continue
        differ = [p for p, k in a.assign.items() if p in b.assign and b.assign[p] != k]
        if provided and len(differ) > 1:
            owners = {provided.get(p, p) for p in differ}
            if len(owners) == 1 and (owner := owners.pop()) in differ:
                differ = [owner]
        if len(differ) == 1:
            found.add(differ[0])
            if found == assigned:
                break
    return found


def _answer(words: Words, path: str, choice: Choice, left: set[Outcome]) -> Answer:
    value = choice.value if not choice.region else (choice.low if choice.low is not None else choice.value)
    return build(
        Answer,
        value=_json(value),
        low=_json(choice.low) if choice.region else None,
        high=_json(choice.high) if choice.region else None,
        label=build(Bilingual, id=words.choice(path, choice, "id"), en=words.choice(path, choice, "en")),
        lightest=words.bound(min(left, key=_rank)),
        heaviest=words.bound(max(left, key=_rank)),
        outcomes=len(left),
    )


def _term(path: str, choices: Sequence[Choice]) -> Term:
    if len(choices) == 1:
        return choices[0].term(path)
    if all(c.region for c in choices):
        lows = [c.low for c in choices]
        highs = [c.high for c in choices]
        return build(Term, field=path, low=None if None in lows else _json(min(lows)),
                     high=None if None in highs else _json(max(highs)))
    return build(Term, field=path, values=tuple(_json(c.value) for c in choices))





