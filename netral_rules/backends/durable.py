"""The durable_rules backend: the same NNF conditions compiled into durable_rules (Rete) rulesets.

Matching only, like every backend: given a flat fact ``{path: value}`` it returns the indexes of the rules
whose conditions hold, in rule order. The rulesets are registered as data through the C module
``durable_rules_engine`` (no decorators, no generated code, no ``Host``: a stock ``Host`` starts timer
threads that never stop and can steal pending actions).

What durable-rules 2.0.28 does, and what this module does about it (measured; see docs/durable.md):

* The JSON dialect has no ``in`` and no general ``not``. Conditions arrive in negation normal form, so
  ``not`` is already absorbed into the comparisons; ``in`` becomes an ``$or`` of equalities, ``not_in`` an
  ``$and`` of ``$neq``, ``between`` an ``$and`` of ``$gte``/``$lte``.
* ``$or`` fires a rule once per satisfied branch (durable expands it into several internal rules), so
  rule names are de-duplicated.
* An object as a value is read as a reference to another fact: facts are sent flat, one field per fact
  path, and every value is a scalar checked against the fact model at compile time.
* Equality coerces across types and numbers in exponent notation do not parse (error 204): every value is
  encoded one canonical way per field type: booleans as JSON booleans, whole numbers as integers, dates as
  ISO ``YYYY-MM-DD`` strings (their text order is their date order), decimals as an order-preserving 64-bit
  integer (exact for every double, including infinities), and text as itself when it is a plain
  identifier, otherwise as a digest (text is only ever compared for equality).
* A rule whose tests are all ``$nex`` matches the engine's own session object and never returns; a fact
  matching nothing raises. Every fact carries a marker field, every rule tests it, and a catch-all rule
  (the marker alone) makes every fact handled.
* Facts persist in their session, and a ruleset holds about 1,024 sessions: one session per ruleset is
  reused, and the fact is retracted after every call, which keeps memory flat.
* The C module has no locks and is not thread-safe: one process-wide lock serialises every call.
* Hard limits of the C engine are checked when the rules are compiled (see :data:`LIMITS`): a pack is
  split into several rulesets where that keeps every ruleset within them, and refused with
  :class:`BackendLimitError` naming the limit where no split can. A failure at match time becomes a
  :class:`BackendLimitError`, and the ruleset is rebuilt so that the next call starts clean.
* durable-rules does not import on Python 3.13 and later: there this backend raises
  :class:`BackendUnavailable`, and the native backend is unaffected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import math
import re
import struct
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..conditions import All, AnyOf, Compare, Condition
from ..conditions.satisfy import conjunctions, possible_act_kinds
from ..errors import BackendLimitError, BackendUnavailable, Problem
from ..fact.fields import FieldSpec, fact_fields

# Hard limits of the durable-rules 2.0.28 C engine, measured on this machine (docs/durable.md), and the
# budgets this backend keeps to stay clear of them.
MAX_MATCHES_PER_FACT = 64  # more rule firings for one fact: error 303 at assert time
MAX_DISTINCT_TESTS_PER_FIELD = 512  # that many distinct tests on one field: error 303 or a hang
MAX_IDENTICAL_RULES = 256  # that many rules with one condition: segmentation fault
MAX_RULES_PER_RULESET = 4096  # more rules in a ruleset: error 106 at creation
MAX_FIELDS_PER_FACT = 255
# Each $and / $or of a rule's expression adds two entries (operator and end) to one expression sequence
# of at most 32 (MAX_SEQUENCE_EXPRESSIONS in the C source; error 113 when it is reached): measured, 15
# nodes work and 16 fail, counting the marker's $and. A rule beyond it is sent as its disjunctive normal
# form, one durable rule per conjunction (durable expands $or into such rules anyway, so what fires is the
# same); a single conjunction beyond it is refused.
MAX_EXPRESSION_NODES = 15

LIMITS = {
    "matches_per_fact": MAX_MATCHES_PER_FACT,
    "distinct_tests_per_field": MAX_DISTINCT_TESTS_PER_FIELD,
    "identical_rules": MAX_IDENTICAL_RULES,
    "rules_per_ruleset": MAX_RULES_PER_RULESET,
    "fields_per_fact": MAX_FIELDS_PER_FACT,
    "expression_nodes": MAX_EXPRESSION_NODES,
}

# budgets: one firing is the catch-all rule; the distinct-test budget keeps a margin below the measured
# cliff (511 worked, 512 hung, and mixed operators hung from about 520)
_FIRING_BUDGET = MAX_MATCHES_PER_FACT - 1
_DISTINCT_BUDGET = 480
_IDENTICAL_BUDGET = MAX_IDENTICAL_RULES - 1
_EXPANDED_BUDGET = MAX_RULES_PER_RULESET - 1

_MARKER = "nr__m"
_SESSION = "0"
_FACT_ID = "f"
_CATCH_ALL = "_"
_RESERVED = ("sid", "id", "$s", _MARKER)
_INT_CLAMP = 2**62  # condition integers must lie strictly inside; fact integers are clamped to it
_PLAIN = re.compile(r"[A-Za-z0-9_.\-]{1,64}")

# The C module keeps global state and has no locks: every call into it, from every matcher, goes through
# this lock. Handles of matchers collected without close() are freed by the next call that holds it
# (never from __del__, which may run inside a locked call on the same thread).
_LOCK = threading.Lock()
_ORPHANS: list[tuple[int, bool]] = []
_NAMES = itertools.count()


def _python_version() -> tuple[int, int]:
    return sys.version_info[:2]


def unavailable_reason() -> str | None:
    """Why the durable backend cannot run in this interpreter, or None if it can."""
    major, minor = _python_version()
    if (major, minor) >= (3, 13):
        return (f"durable-rules 2.0.28 does not work on Python {major}.{minor} (its C extension does not build "
                f"or import on Python 3.13 and later); use backend 'native'")
    try:
        import durable_rules_engine  # noqa: F401
    except ImportError as exc:
        return f"durable-rules is not installed or does not import ({exc}); install durable-rules==2.0.28"
    return None


def _engine() -> Any:
    reason = unavailable_reason()
    if reason is not None:
        raise BackendUnavailable("the durable backend is unavailable", [Problem(reason, None, code="backend")])
    import durable_rules_engine

    return durable_rules_engine


def _fnv1a(name: str) -> int:
    """The 32-bit FNV-1a hash durable-rules uses for property names (names are never compared as text)."""
    h = 2166136261
    for b in name.encode():
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def field_name(path: str) -> str:
    """The durable property name of a fact path: dotted paths would be read as nested objects."""
    return path.replace(".", "__")


@dataclass(frozen=True)
class _Encoder:
    """One canonical encoding per field type, shared by conditions and facts."""

    names: dict[str, str]  # fact path -> durable property name
    specs: dict[str, FieldSpec]

    @staticmethod
    def text(value: str) -> str:
        if _PLAIN.fullmatch(value):
            return value
        return "~" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:40]

    @staticmethod
    def real(value: float) -> int:
        """An integer with the same order as the double: exact, and defined for infinities."""
        if math.isnan(value):
            raise ValueError("NaN has no order")
        value = float(value) + 0.0  # -0.0 == 0.0
        bits: int = struct.unpack("<q", struct.pack("<d", value))[0]
        return bits if bits >= 0 else -(bits & 0x7FFF_FFFF_FFFF_FFFF)

    def value(self, spec: FieldSpec, value: Any, *, fact: bool) -> Any:
        t = spec.type
        if t == "bool":
            if not isinstance(value, bool):
                raise TypeError(f"{spec.path} takes true/false, got {value!r}")
            return value
        if t == "int":
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"{spec.path} takes a whole number, got {value!r}")
            if fact:
                return max(-_INT_CLAMP, min(_INT_CLAMP, value))
            if not -_INT_CLAMP < value < _INT_CLAMP:
                raise OverflowError(f"{spec.path}: {value} is outside the 63-bit range the C engine compares")
            return value
        if t == "float":
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise TypeError(f"{spec.path} takes a number, got {value!r}")
            return self.real(float(value))
        if t == "date":
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                raise TypeError(f"{spec.path} takes a date, got {value!r}")
            return value.isoformat()
        if not isinstance(value, str):
            raise TypeError(f"{spec.path} takes text, got {value!r}")
        if t == "enum" and not fact and value not in spec.enum:
            raise TypeError(f"'{value}' is not a value of {spec.path}")
        return self.text(value)


def _leaf_json(c: Compare, enc: _Encoder) -> dict[str, Any]:
    spec = enc.specs.get(c.path)
    if spec is None:
        raise TypeError(f"unknown fact path '{c.path}'")
    name = enc.names[c.path]
    if c.op == "exists":
        if not isinstance(c.value, bool):
            raise TypeError(f"'exists' takes true or false, got {c.value!r}")
        return {"$ex" if c.value else "$nex": {name: 1}}

    def v(x: Any) -> Any:
        return enc.value(spec, x, fact=False)

    if c.op == "eq":
        return {name: v(c.value)}
    if c.op in ("ne", "lt", "lte", "gt", "gte"):
        return {"$" + {"ne": "neq"}.get(c.op, c.op): {name: v(c.value)}}
    if c.op in ("in", "not_in"):
        values = list(dict.fromkeys(v(x) for x in c.value))
        if not values:
            raise TypeError(f"'{c.op}' needs at least one value")
        if c.op == "in":
            parts: list[dict[str, Any]] = [{name: x} for x in values]
            return parts[0] if len(parts) == 1 else {"$or": parts}
        parts = [{"$neq": {name: x}} for x in values]
        return parts[0] if len(parts) == 1 else {"$and": parts}
    if c.op == "between":
        lo, hi = c.value
        return {"$and": [{"$gte": {name: v(lo)}}, {"$lte": {name: v(hi)}}]}
    raise TypeError(f"unknown operator '{c.op}'")


def condition_json(nnf: Condition, enc: _Encoder) -> dict[str, Any]:
    """The durable_rules expression of one NNF condition (without the marker test)."""
    if isinstance(nnf, Compare):
        return _leaf_json(nnf, enc)
    if isinstance(nnf, (All, AnyOf)):
        if not nnf.items:
            raise TypeError("an empty all/any is not a condition")
        parts = [condition_json(i, enc) for i in nnf.items]
        if len(parts) == 1:
            return parts[0]
        return {"$and" if isinstance(nnf, All) else "$or": parts}
    raise TypeError("the durable backend needs conditions in negation normal form (no 'not')")


def _firings(nnf: Condition) -> int:
    """An upper bound on how many times durable fires the rule for one fact (once per satisfied term)."""
    if isinstance(nnf, Compare):
        return 1  # the equalities of an 'in' exclude each other: at most one holds
    if isinstance(nnf, All):
        return math.prod(_firings(i) for i in nnf.items)
    if isinstance(nnf, AnyOf):
        return sum(_firings(i) for i in nnf.items)
    raise TypeError("the durable backend needs conditions in negation normal form (no 'not')")


def _expanded(nnf: Condition) -> int:
    """How many internal rules durable expands the condition into (its disjunctive normal form)."""
    if isinstance(nnf, Compare):
        return len(nnf.value) if nnf.op == "in" else 1
    if isinstance(nnf, All):
        return math.prod(_expanded(i) for i in nnf.items)
    if isinstance(nnf, AnyOf):
        return sum(_expanded(i) for i in nnf.items)
    raise TypeError("the durable backend needs conditions in negation normal form (no 'not')")


def _tests(nnf: Condition, enc: _Encoder, out: dict[str, set[str]]) -> None:
    """The distinct tests per durable field (operator and encoded value), as the Rete network sees them."""
    if isinstance(nnf, Compare):
        name = enc.names[nnf.path]
        spec = enc.specs[nnf.path]
        bucket = out.setdefault(name, set())
        if nnf.op == "exists":
            bucket.add(f"ex:{nnf.value}")
        elif nnf.op in ("in", "not_in"):
            op = "eq" if nnf.op == "in" else "ne"
            bucket.update(f"{op}:{enc.value(spec, x, fact=False)!r}" for x in nnf.value)
        elif nnf.op == "between":
            bucket.add(f"gte:{enc.value(spec, nnf.value[0], fact=False)!r}")
            bucket.add(f"lte:{enc.value(spec, nnf.value[1], fact=False)!r}")
        else:
            bucket.add(f"{nnf.op}:{enc.value(spec, nnf.value, fact=False)!r}")
    elif isinstance(nnf, (All, AnyOf)):
        for item in nnf.items:
            _tests(item, enc, out)


def _nodes(expr: dict[str, Any]) -> int:
    """How many $and / $or nodes a durable expression has."""
    [(key, value)] = expr.items()
    if key in ("$and", "$or"):
        return 1 + sum(_nodes(item) for item in value)
    return 0


def _wrapped(expr: dict[str, Any]) -> dict[str, Any]:
    """The expression with the marker test every rule carries, flattened into one $and."""
    items = expr["$and"] if set(expr) == {"$and"} else [expr]
    return {"$and": [{_MARKER: 1}, *items]}


def rule_expressions(index: int, nnf: Condition, enc: _Encoder) -> list[dict[str, Any]]:
    """The durable expressions of one rule: one, or one per DNF conjunction when it nests too deeply."""
    whole = _wrapped(condition_json(nnf, enc))
    if _nodes(whole) <= MAX_EXPRESSION_NODES:
        return [whole]
    out = []
    for conj in itertools.islice(conjunctions(nnf), _EXPANDED_BUDGET + 1):
        expr = _wrapped(condition_json(All(tuple(conj)), enc) if len(conj) > 1 else condition_json(conj[0], enc))
        if _nodes(expr) > MAX_EXPRESSION_NODES:
            raise _limit_error(index, "expression_nodes", (
                f"one branch of this rule has {_nodes(expr)} all/any/in/between parts; the C engine accepts at most "
                f"{MAX_EXPRESSION_NODES} in one rule (error 113)"))
        out.append(expr)
    return out


@dataclass
class _RuleSpec:
    index: int
    exprs: list[dict[str, Any]]
    text: str
    kinds: frozenset[str]
    firings: int
    expanded: int
    tests: dict[str, set[str]]

    @property
    def names(self) -> list[str]:
        if len(self.exprs) == 1:
            return [f"r{self.index}"]
        return [f"r{self.index}_{k}" for k in range(len(self.exprs))]


@dataclass
class _Group:
    """Rules that share one durable ruleset, with the budgets they use."""

    rules: list[_RuleSpec] = field(default_factory=list)
    load: dict[str, int] = field(default_factory=dict)  # act kind -> firings of the rules that may match it
    tests: dict[str, set[str]] = field(default_factory=dict)
    same: dict[str, int] = field(default_factory=dict)
    expanded: int = 0

    def fits(self, r: _RuleSpec) -> bool:
        if any(self.load.get(k, 0) + r.firings > _FIRING_BUDGET for k in r.kinds):
            return False
        if self.expanded + r.expanded > _EXPANDED_BUDGET:
            return False
        if self.same.get(r.text, 0) + 1 > _IDENTICAL_BUDGET:
            return False
        return all(len(self.tests.get(n, set()) | t) <= _DISTINCT_BUDGET for n, t in r.tests.items())

    def add(self, r: _RuleSpec) -> None:
        self.rules.append(r)
        for k in r.kinds:
            self.load[k] = self.load.get(k, 0) + r.firings
        for n, t in r.tests.items():
            self.tests.setdefault(n, set()).update(t)
        self.same[r.text] = self.same.get(r.text, 0) + 1
        self.expanded += r.expanded


def _limit_error(rule: int, limit: str, detail: str) -> BackendLimitError:
    return BackendLimitError(
        f"rule #{rule} exceeds a limit of the durable_rules engine: {limit}",
        [Problem(detail, None, code=f"durable_limit.{limit}",
                 hint="split the rule into smaller rules, or use backend 'native'")],
    )


class _Ruleset:
    """One registered durable ruleset with its reused session."""

    def __init__(self, group: _Group, text: str, kinds: frozenset[str]) -> None:
        self.text = text
        self.kinds = kinds
        self.names = {name: r.index for r in group.rules for name in r.names}
        self.rules = frozenset(r.index for r in group.rules)
        self.handle: int | None = None
        self.primed = False  # the session has completed an action, so delete_state is safe on it


class DurableMatcher:
    """Matches flat facts through durable_rules; returns the indexes of matching rules in rule order."""

    name = "durable"

    def __init__(self, conditions: Sequence[Condition]) -> None:
        self._conditions = list(conditions)
        self._engine = _engine()
        self._closed = False
        fields = fact_fields()
        self._specs = dict(fields.fields)
        names = {p: field_name(p) for p in self._specs}
        _check_names(list(names.values()))
        self._enc = _Encoder(names, self._specs)
        all_kinds = frozenset(self._specs["act.kind"].enum)
        rules: list[_RuleSpec] = []
        used: set[str] = set()
        for i, nnf in enumerate(self._conditions):
            try:
                exprs = rule_expressions(i, nnf, self._enc)
                firings, expanded = _firings(nnf), _expanded(nnf)
                tests: dict[str, set[str]] = {}
                _tests(nnf, self._enc, tests)
            except (TypeError, ValueError, OverflowError, KeyError) as exc:
                raise BackendLimitError(f"rule #{i} cannot be compiled for the durable backend",
                                        [Problem(str(exc), None, code="durable_compile")]) from None
            if firings > _FIRING_BUDGET:
                raise _limit_error(i, "matches_per_fact", (
                    f"one fact can satisfy up to {firings} branches of this rule's 'any' parts, and durable fires "
                    f"a rule once per satisfied branch; the C engine fails above {MAX_MATCHES_PER_FACT} firings "
                    f"per fact (error 303)"))
            if expanded > _EXPANDED_BUDGET:
                raise _limit_error(i, "rules_per_ruleset", (
                    f"durable expands this condition into {expanded} internal rules; a ruleset holds at most "
                    f"{MAX_RULES_PER_RULESET} (error 106)"))
            for n, t in tests.items():
                if len(t) > _DISTINCT_BUDGET:
                    raise _limit_error(i, "distinct_tests_per_field", (
                        f"the rule makes {len(t)} distinct tests on '{n.replace('__', '.')}'; the C engine fails or "
                        f"hangs from about {MAX_DISTINCT_TESTS_PER_FIELD} (this backend allows {_DISTINCT_BUDGET})"))
            kinds = possible_act_kinds(nnf)
            used.update(tests)
            rules.append(_RuleSpec(i, exprs, json.dumps(exprs, sort_keys=True), frozenset(kinds) if kinds is not None
                                   else all_kinds, firings, expanded, tests))
        # only the fields some rule tests are sent: fewer properties to parse, and nothing unbounded
        self._sent = sorted((p for p, n in names.items() if n in used), key=lambda p: names[p])
        if len(self._sent) + len(_RESERVED) > MAX_FIELDS_PER_FACT:
            raise BackendLimitError("the rules test more fact fields than durable_rules accepts in one fact",
                                    [Problem(f"{len(self._sent)} fields; the limit is "
                                             f"{MAX_FIELDS_PER_FACT - len(_RESERVED)}", None,
                                             code="durable_limit.fields_per_fact")])
        groups: list[_Group] = []
        for r in rules:  # first fit, in rule order: deterministic
            for g in groups:
                if g.fits(r):
                    g.add(r)
                    break
            else:
                g = _Group()
                g.add(r)
                groups.append(g)
        self._rulesets: list[_Ruleset] = []
        self._among: dict[frozenset[int], list[_Ruleset]] = {}
        for g in groups:
            definition: dict[str, Any] = {
                name: {"all": [{"m": expr}]} for r in g.rules for name, expr in zip(r.names, r.exprs, strict=True)
            }
            definition[_CATCH_ALL] = {"all": [{"m": {_MARKER: 1}}]}
            text = json.dumps(definition, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
            self._rulesets.append(_Ruleset(g, text, frozenset(k for r in g.rules for k in r.kinds)))
        with _LOCK:
            _free_orphans(self._engine)
            try:
                for rs in self._rulesets:
                    self._register(rs)
            except BaseException:
                self._release()
                raise

    # --- C-level helpers; callers hold _LOCK ------------------------------------------------------

    def _register(self, rs: _Ruleset) -> None:
        e = self._engine
        try:
            rs.primed = False
            rs.handle = e.create_ruleset(f"netral{next(_NAMES)}", rs.text)
            # prime the session with one action, so that it is fully initialised before any real fact
            # (delete_state on a session that never ran an action frees uninitialised pointers)
            self._fire(rs, {_MARKER: 1})
            rs.primed = True
        except BackendLimitError:
            raise
        except Exception as exc:
            raise BackendLimitError("durable_rules refused the compiled ruleset",
                                    [Problem(str(exc), None, code="durable_create")]) from None

    def _fire(self, rs: _Ruleset, body: dict[str, Any]) -> set[str]:
        e = self._engine
        fact = {"sid": _SESSION, "id": _FACT_ID, **body}
        text = json.dumps(fact, ensure_ascii=True, separators=(",", ":"))
        fired: set[str] = set()
        rc, state = e.assert_fact(rs.handle, text)
        try:
            if rc != 0:
                meaning = {1: "not handled", 2: "already observed"}.get(rc, "unknown")
                raise RuntimeError(f"assert_fact returned {rc} ({meaning})")
            result = e.start_action_for_state(rs.handle, state)
            while result:
                message = json.loads(result[1] if isinstance(result, tuple) else result)
                fired.update(message)
                result = e.complete_and_start_action(rs.handle, state)
        finally:
            e.retract_fact(rs.handle, text)
        if _CATCH_ALL not in fired:
            raise RuntimeError("durable_rules did not fire the catch-all rule")
        return fired

    def _release(self) -> None:
        for rs in self._rulesets:
            _delete(self._engine, rs.handle, rs.primed)
            rs.handle = None

    def _rebuild(self, rs: _Ruleset) -> None:
        _delete(self._engine, rs.handle, rs.primed)
        rs.handle = None
        try:
            self._register(rs)
        except BackendLimitError:
            rs.handle = None

    # --- the Matcher protocol ---------------------------------------------------------------------

    def encode(self, flat: dict[str, Any]) -> dict[str, Any]:
        """The fact as sent to durable: the tested fields only, canonically encoded, plus the marker."""
        body: dict[str, Any] = {_MARKER: 1}
        for p in self._sent:
            v = flat.get(p)
            if v is not None:
                body[self._enc.names[p]] = self._enc.value(self._specs[p], v, fact=True)
        return body

    def match(self, flat: dict[str, Any], among: frozenset[int] | None = None) -> list[int]:
        """The rules (of ``among`` only, if given) whose conditions hold on ``flat``, in rule order. Only the
        rulesets holding some rule of ``among`` are asked; their other rules are matched too, and left out."""
        try:
            body = self.encode(flat)
        except (TypeError, ValueError) as exc:
            raise BackendLimitError("the fact cannot be matched by the durable backend",
                                    [Problem(str(exc), None, code="durable_value")]) from None
        kind = flat.get("act.kind")
        out: set[int] = set()
        with _LOCK:
            if _ORPHANS:
                _free_orphans(self._engine)
            if self._closed:
                raise BackendUnavailable("this durable matcher is closed",
                                         [Problem("create a new engine after close()", None, code="backend")])
            for rs in self._rulesets if among is None else self._holding(among):
                if kind not in rs.kinds and kind is not None:
                    continue
                if rs.handle is None:
                    self._rebuild(rs)
                    if rs.handle is None:
                        raise BackendLimitError("a durable ruleset could not be rebuilt after an earlier failure",
                                                [Problem("create a new engine", None, code="durable_broken")])
                try:
                    fired = self._fire(rs, body)
                except Exception as exc:
                    self._rebuild(rs)  # whatever state the failure left, the next call starts clean
                    raise BackendLimitError("durable_rules failed while matching a fact",
                                            [Problem(str(exc), None, code="durable_match")]) from None
                out.update(rs.names[n] for n in fired if n != _CATCH_ALL)
        return sorted(out if among is None else out & among)

    def _holding(self, among: frozenset[int]) -> list[_Ruleset]:
        found = self._among.get(among)
        if found is None:  # once per set asked for (an epoch's rules); kept with the matcher
            found = self._among[among] = [rs for rs in self._rulesets if not rs.rules.isdisjoint(among)]
        return found

    def close(self) -> None:
        """Delete the rulesets (and with them their sessions). Safe to call twice."""
        with _LOCK:
            if not self._closed:
                self._closed = True
                self._release()

    @property
    def rulesets(self) -> int:
        """How many durable rulesets the rules were split into."""
        return len(self._rulesets)

    def __del__(self) -> None:
        # never take the lock here: the collector may run inside a locked call on this thread
        if not getattr(self, "_closed", True) and _ORPHANS is not None:  # None while the interpreter shuts down
            self._closed = True
            _ORPHANS.extend((rs.handle, rs.primed) for rs in getattr(self, "_rulesets", []) if rs.handle is not None)

    def __getstate__(self) -> dict[str, Any]:
        return {"conditions": self._conditions}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["conditions"])  # type: ignore[misc]


def _delete(engine: Any, handle: int | None, primed: bool) -> None:
    """Free a ruleset, its session state first: delete_ruleset alone leaves the session behind (measured:
    about 675 KiB per reload of the bundled packs)."""
    if handle is None:
        return
    try:
        if primed:
            engine.delete_state(handle, _SESSION)
    except Exception:  # freeing must not fail the caller, and nothing else can be done here
        pass
    try:
        engine.delete_ruleset(handle)
    except Exception:
        pass


def _free_orphans(engine: Any) -> None:
    while _ORPHANS:
        _delete(engine, *_ORPHANS.pop())


_checked_names: set[tuple[str, ...]] = set()


def _check_names(names: list[str]) -> None:
    """durable matches property names by a 32-bit hash: two colliding names would share a slot."""
    key = tuple(sorted(names))
    if key in _checked_names:
        return
    seen: dict[int, str] = {}
    for n in list(_RESERVED) + names:
        h = _fnv1a(n)
        if h in seen and seen[h] != n:
            raise BackendUnavailable("fact field names collide in durable_rules' property hash",
                                     [Problem(f"'{seen[h]}' and '{n}' have the same FNV-1a hash", None,
                                              code="durable_hash")])
        seen[h] = n
    if len(set(names)) != len(names):
        raise BackendUnavailable("two fact paths map to one durable property name",
                                 [Problem("fact paths must not contain '__'", None, code="durable_names")])
    _checked_names.add(key)
