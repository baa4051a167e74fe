"""Hypothesis strategies over the fact model and the rule packs, for this library's tests and for yours.

Needs ``hypothesis`` (``pip install netral-rules[test]``). Everything is derived from the fact model's path
catalogue (:func:`netral_rules.fieldmap.fact_fields`), so a field added to the model is generated too.

* :func:`facts` — valid facts as JSON-compatible dicts (every act kind, realistic values, unknowns as
  missing); :func:`fact_models` gives them as :class:`~netral_rules.facts.Fact`.
* :func:`witness` / :func:`rule_witness` — facts that satisfy a condition (a rule's, on a date it is in
  force, for an actor it binds).
* :func:`near_miss` / :func:`rule_near_miss` — facts that satisfy every required part (top-level
  conjunct) of a condition but one, which they make definitely false: the rule must not fire.
* :func:`raw_conditions` / :func:`conditions` — random condition trees over the fact model, as a pack
  author writes them (``all``/``any``/``not``, every operator) and as parsed NNF conditions;
  :func:`rule_pack_files` — a whole random pack as YAML files.
* :func:`json_values` — arbitrary JSON, for robustness tests.

Example::

    from hypothesis import given
    from netral_rules import Engine
    from netral_rules.testing import facts

    engine = Engine.default()

    @given(facts())
    def test_every_fact_gets_a_decision(fact):
        assert engine.evaluate(fact).status in {"violation", "no_violation", "undetermined", "not_covered"}
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import itertools
import typing
from collections.abc import Iterable, Sequence
from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError("netral_rules.testing needs hypothesis: pip install 'netral-rules[test]'") from exc

import yaml

from ..conditions import All, Compare, Condition, ConditionParser, Not, compare_holds, to_nnf
from ..conditions.satisfy import conjunctions, value_candidates
from ..errors import FactError
from ..fact.fields import FieldSpec, fact_fields
from ..fact.model import ACT_MODELS, Fact, parse_fact

__all__ = [
    "ACT_KINDS",
    "Unsatisfiable",
    "breakable_parts",
    "conditions",
    "dump_yaml",
    "engine_facts",
    "fact_models",
    "facts",
    "flat_facts",
    "json_values",
    "near_miss",
    "raw_conditions",
    "rule_breakable_parts",
    "rule_near_miss",
    "rule_pack_files",
    "rule_witness",
    "satisfiable",
    "unflatten",
    "witness",
]

ACT_KINDS: tuple[str, ...] = tuple(fact_fields().fields["act.kind"].enum)
_KIND_MODEL = {m.model_fields["kind"].annotation.__args__[0]: m for m in ACT_MODELS}  # type: ignore[union-attr]
_DERIVED = {  # enrichment fills these from the dates beside them, or the election's calendar, when they are missing
    "context.election.candidate_stage": ("context.election.candidate_determined_on", "context.election.id"),
    "context.election.in_campaign_period": ("context.election.campaign_start", "context.election.campaign_end",
                                            "context.election.id"),
    "context.election.type": ("context.election.id",),
}
_REQUIRED = {"occurred_on", "actor.status"}

NAMES = ("Budi", "Siti Aminah", "Dr. Ütari", "Ñoman", "I Gede Putu", "Andi \"Ucok\"", "李", "")
PLATFORMS = ("facebook", "instagram", "whatsapp", "tiktok", "x", "YouTube Shorts")
NATURES = ("netralitas", "kehadiran", "partai_politik", "pencalonan", "lainnya")
SMALL_DATES = tuple(dt.date(2024, 1, 1) + dt.timedelta(days=d) for d in (-400, -3, -1, 0, 1, 2, 30))
SMALL_INTS = tuple(range(0, 16))
SMALL_FLOATS = (0.0, 0.5, 1.0, 2.5, 7.5, 8.0)
SMALL_TEXTS = ("facebook", "instagram", "Budi", "Dr. Ütari")


class Unsatisfiable(Exception):
    """No fact satisfies the condition (or the part of it asked for)."""


def _kind_values(path: str, kind: str) -> tuple[str, ...] | None:
    """The enumeration of an act field on one act kind (fields shared by kinds have different values)."""
    info = _KIND_MODEL[kind].model_fields.get(path.removeprefix("act."))
    if info is None:
        return None
    ann = info.annotation
    for arg in ((ann,) if typing.get_origin(ann) is typing.Literal else typing.get_args(ann)):
        if typing.get_origin(arg) is typing.Literal:
            return tuple(typing.get_args(arg))
    return None


def _allowed(path: str, kind: str, value: Any) -> bool:
    spec = fact_fields().fields[path]
    if not path.startswith("act.") or spec.type != "enum" or path == "act.kind":
        return True
    own = _kind_values(path, kind)
    return own is None or value in own


def _required_act_paths(kind: str) -> set[str]:
    model = _KIND_MODEL[kind]
    return {f"act.{n}" for n, info in model.model_fields.items() if info.is_required()}


# --- values ------------------------------------------------------------------------------------------


def values(spec: FieldSpec, *, small: bool = False) -> st.SearchStrategy[Any]:
    """Realistic values of one fact field (``small``: a few values, so that random rules match often)."""
    t = spec.type
    if t == "bool":
        return st.booleans()
    if t == "enum":
        return st.sampled_from(spec.enum)
    if t == "int":
        if small:
            return st.sampled_from(SMALL_INTS)
        lo = int(spec.minimum) if spec.minimum is not None else -1000
        hi = int(spec.maximum) if spec.maximum is not None else 1000
        return st.one_of(st.integers(max(lo, 0), min(hi, 40)), st.integers(lo, hi))
    if t == "float":
        if small:
            return st.sampled_from(SMALL_FLOATS)
        flo = spec.minimum if spec.minimum is not None else -1e6
        fhi = spec.maximum if spec.maximum is not None else 1e6
        return st.one_of(st.sampled_from([x for x in SMALL_FLOATS if flo <= x <= fhi]),
                         st.floats(flo, min(fhi, 24.0 * 366), allow_nan=False, allow_infinity=False))
    if t == "date":
        if small:
            return st.sampled_from(SMALL_DATES)
        return st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31))
    if small:
        return st.sampled_from(SMALL_TEXTS)
    if spec.path.endswith("platform"):
        return st.sampled_from(PLATFORMS)
    if spec.path == "context.election.id":
        return st.sampled_from(_election_ids())
    return st.one_of(st.sampled_from(NAMES), st.text(max_size=20))


@functools.lru_cache(maxsize=1)
def _election_ids() -> tuple[str, ...]:
    """The bundled calendars' election ids, and one that no calendar has."""
    from ..decide.engine import bundled_rules_dir
    from ..law.calendars import load_calendars

    calendars, _ = load_calendars([bundled_rules_dir()])
    return (*calendars.ids, "pemilu-2099")


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def unflatten(flat: dict[str, Any], prior_sanctions: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """A JSON-compatible fact dict from ``{dotted path: value}`` (``None`` values are left out)."""
    out: dict[str, Any] = {}
    for path, value in sorted(flat.items()):
        if value is None:
            continue
        parts = path.split(".")
        node = out
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = _jsonable(value)
    if prior_sanctions:
        out.setdefault("actor", {})["prior_sanctions"] = list(prior_sanctions)
    return out


# --- facts -------------------------------------------------------------------------------------------


@st.composite
def _prior_sanctions(draw: st.DrawFn, before: dt.date) -> list[dict[str, Any]]:
    out = []
    for _ in range(draw(st.integers(0, 2))):
        out.append({
            "imposed_on": (before - dt.timedelta(days=draw(st.integers(-30, 3 * 365)))).isoformat(),
            "level": draw(st.sampled_from(("ringan", "sedang", "berat", "moral"))),
            **({"nature": n} if (n := draw(_maybe(st.sampled_from(NATURES)))) else {}),
        })
    return out


@st.composite
def flat_facts(draw: st.DrawFn, *, kinds: Sequence[str] | None = None, small: bool = False,
               fixed: dict[str, Any] | None = None, absent: Iterable[str] = (),
               dates: st.SearchStrategy[dt.date] | None = None,
               statuses: Sequence[str] | None = None) -> dict[str, Any]:
    """A valid fact as ``{dotted path: value}``. ``fixed`` values are kept, ``absent`` paths left out."""
    fields = fact_fields().fields
    fixed = dict(fixed or {})
    absent = set(absent)
    kind = fixed.get("act.kind") or draw(st.sampled_from(list(kinds or ACT_KINDS)))
    required = _required_act_paths(kind) | _REQUIRED
    for derived, sources in _DERIVED.items():
        if derived in absent:
            absent.update(s for s in sources if s not in fixed)
    flat: dict[str, Any] = {"act.kind": kind}
    for path, spec in fields.items():
        if path == "act.kind":
            continue
        if spec.act_kinds and kind not in spec.act_kinds:
            continue
        if path in fixed:
            flat[path] = fixed[path]
        elif path in absent:
            continue
        elif path == "occurred_on" and dates is not None:
            flat[path] = draw(dates)
        elif path == "actor.status" and statuses:
            flat[path] = draw(st.sampled_from(list(statuses)))
        else:
            own = _kind_values(path, kind) if spec.type == "enum" and path.startswith("act.") else None
            vals = st.sampled_from(own) if own else values(spec, small=small)
            v = draw(vals) if path in required else draw(_maybe(vals))
            if v is not None:
                flat[path] = v
    # the model allows an office (governor, regent_mayor) only in a regional election
    office, election_type = "context.election.office", "context.election.type"
    if flat.get(office) is not None and flat.get(election_type) not in (None, "pilkada"):
        if office in fixed:
            flat[election_type] = "pilkada"
        else:
            del flat[office]
    return flat


@st.composite
def facts(draw: st.DrawFn, *, kinds: Sequence[str] | None = None, small: bool = False,
          dates: st.SearchStrategy[dt.date] | None = None, statuses: Sequence[str] | None = None,
          priors: bool = True) -> dict[str, Any]:
    """Valid facts as JSON-compatible dicts, over every act kind (or ``kinds``)."""
    flat = draw(flat_facts(kinds=kinds, small=small, dates=dates, statuses=statuses))
    prior = draw(_prior_sanctions(flat["occurred_on"])) if priors else []
    fact = unflatten(flat, prior)
    if draw(st.booleans()):
        fact["id"] = draw(st.text(min_size=1, max_size=12))
    return fact


def fact_models(**kwargs: Any) -> st.SearchStrategy[Fact]:
    """Like :func:`facts`, validated into :class:`Fact` objects."""
    return facts(**kwargs).map(parse_fact)


# --- witnesses and near misses -----------------------------------------------------------------------


def dnf(nnf: Condition, limit: int = 256) -> list[list[Compare]]:
    """The conjunctions of an NNF condition (at most ``limit``)."""
    return list(itertools.islice(conjunctions(nnf), limit))


def _solve(term: list[Compare], period: tuple[dt.date, dt.date] | None) -> tuple[dict[str, list[Any]], set[str],
                                                                                     list[str]] | None:
    """Per path, the values satisfying the term's literals; the paths that must be absent; the act kinds."""
    fields = fact_fields().fields
    by_path: dict[str, list[Compare]] = {}
    for c in term:
        by_path.setdefault(c.path, []).append(c)
    choices: dict[str, list[Any]] = {}
    absent: set[str] = set()
    kinds = set(ACT_KINDS)
    for path, lits in by_path.items():
        spec = fields[path]
        no = [c for c in lits if c.op == "exists" and c.value is False]
        yes = [c for c in lits if not (c.op == "exists" and c.value is False)]
        if no and yes:
            return None
        if path in _REQUIRED and no:
            return None
        if no:
            absent.add(path)
            continue
        ok = [v for v in value_candidates(spec, yes, period if path == "occurred_on" else None)
              if all(c.op == "exists" or compare_holds(c, v) for c in yes)]
        if not ok:
            return None
        choices[path] = ok
        if spec.act_kinds:
            kinds &= {k for k in spec.act_kinds if any(_allowed(path, k, v) for v in ok)}
    if "act.kind" in choices:
        kinds &= set(choices["act.kind"])
    for kind in list(kinds):  # a kind whose required fields must be absent cannot carry the term
        if _required_act_paths(kind) & absent:
            kinds.discard(kind)
    if not kinds:
        return None
    return choices, absent, sorted(kinds)


@st.composite
def witness(draw: st.DrawFn, nnf: Condition, *, period: tuple[dt.date, dt.date] | None = None,
            statuses: Sequence[str] | None = None, small: bool = False) -> dict[str, Any]:
    """A fact dict on which the NNF condition is true, dated within ``period`` (inclusive) if given.

    Raises :class:`Unsatisfiable` when no conjunction of the condition can be satisfied.
    """
    flat = draw(_witness_flat(nnf, period=period, statuses=statuses, small=small))
    return unflatten(flat, draw(_prior_sanctions(flat["occurred_on"])) if draw(st.booleans()) else [])


@st.composite
def _witness_flat(draw: st.DrawFn, nnf: Condition, *, period: tuple[dt.date, dt.date] | None,
                  statuses: Sequence[str] | None, small: bool) -> dict[str, Any]:
    terms = dnf(nnf)
    if statuses:
        terms = [t + [Compare("actor.status", "in", tuple(statuses))] for t in terms]
    order = draw(st.permutations(range(len(terms)))) if len(terms) > 1 else [0]
    for i in order:
        solved = _solve(terms[i], period)
        if solved is None:
            continue
        choices, absent, kinds = solved
        kind = draw(st.sampled_from(kinds))
        fixed = {p: draw(st.sampled_from([v for v in vs if _allowed(p, kind, v)]))
                 for p, vs in sorted(choices.items())}
        fixed["act.kind"] = kind
        dates = st.dates(period[0], period[1]) if period else None
        return draw(flat_facts(fixed=fixed, absent=absent, dates=dates, small=small))
    raise Unsatisfiable(f"no fact satisfies {nnf}")


def conjuncts(nnf: Condition) -> tuple[Condition, ...]:
    """The required parts of a condition: the items of a top-level ``all`` (or the condition itself)."""
    return nnf.items if isinstance(nnf, All) else (nnf,)


def broken(nnf: Condition, j: int) -> Condition:
    """The condition with its ``j``-th required part replaced by that part's negation (in NNF)."""
    parts = list(conjuncts(nnf))
    parts[j] = to_nnf(Not(parts[j]))
    return All(tuple(parts)) if len(parts) > 1 else parts[0]


def satisfiable(nnf: Condition, *, period: tuple[dt.date, dt.date] | None = None,
                statuses: Sequence[str] | None = None) -> bool:
    """Whether :func:`witness` can build a fact for the condition (checked over its conjunctions)."""
    extra = [Compare("actor.status", "in", tuple(statuses))] if statuses else []
    return any(_solve(t + extra, period) is not None for t in dnf(nnf))


def breakable_parts(nnf: Condition, *, period: tuple[dt.date, dt.date] | None = None,
                    statuses: Sequence[str] | None = None) -> list[int]:
    """The required parts that some valid fact can make false while keeping every other part true.

    Empty when the fact model leaves no such fact (``kind: party_membership`` with ``role in [member, board]``:
    the role has no other value on that kind, and no other kind has those roles).
    """
    return [j for j in range(len(conjuncts(nnf)))
            if satisfiable(broken(nnf, j), period=period, statuses=statuses)]


@st.composite
def near_miss(draw: st.DrawFn, nnf: Condition, *, period: tuple[dt.date, dt.date] | None = None,
              statuses: Sequence[str] | None = None) -> tuple[int, dict[str, Any]]:
    """``(j, fact)``: a fact satisfying every required part of the condition but the ``j``-th, which is false.

    Raises :class:`Unsatisfiable` if no part can be broken alone (see :func:`breakable_parts`).
    """
    parts = breakable_parts(nnf, period=period, statuses=statuses)
    if not parts:
        raise Unsatisfiable(f"no part of {nnf} can be broken alone")
    j = draw(st.sampled_from(parts))
    return j, draw(witness(broken(nnf, j), period=period, statuses=statuses))


def _rule_period(rule: Any) -> tuple[dt.date, dt.date]:
    start = rule.in_force.from_
    end = rule.in_force.until or max(start, dt.date(2026, 12, 31)) + dt.timedelta(days=365)
    return start, end


def rule_witness(rule: Any) -> st.SearchStrategy[dict[str, Any]]:
    """A fact that fires a loaded rule: it satisfies the condition, is dated in force, and binds the actor."""
    return witness(rule.nnf, period=_rule_period(rule), statuses=rule.binds)


@st.composite
def engine_facts(draw: st.DrawFn, engine: Any) -> dict[str, Any]:
    """Facts that exercise an engine's rules: half random facts, half witnesses of one of its rules."""
    if not engine.rules or draw(st.booleans()):
        return draw(facts())
    return draw(rule_witness(draw(st.sampled_from(engine.rules))))


_KEPT = {"occurred_on", "actor", "actor.status", "act", "act.kind"}


def _optional_paths(fact: dict[str, Any], prefix: str = "") -> list[str]:
    out = []
    for key, value in fact.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out += _optional_paths(value, path + ".")
        elif path not in _KEPT and not isinstance(value, list):
            out.append(path)
    return out


@st.composite
def incomplete_facts(draw: st.DrawFn, engine: Any) -> dict[str, Any]:
    """Facts of :func:`engine_facts` with some of their optional fields left out, as real reports leave them:
    the readings of an incomplete report (what is certain, what is possible) have something to weigh. A field a
    kind of act requires stays."""
    fact = draw(engine_facts(engine))
    paths = _optional_paths(fact)
    if not paths:
        return fact
    drop = draw(st.lists(st.sampled_from(paths), min_size=1, max_size=max(1, len(paths)), unique=True))
    out = copy.deepcopy(fact)
    for path in drop:
        *parents, last = path.split(".")
        node = out
        for part in parents:
            node = node[part]
        node.pop(last, None)
    try:
        parse_fact(out)
    except FactError:
        return fact  # a field the kind requires was left out: keep the fact whole
    return out


def rule_breakable_parts(rule: Any) -> list[int]:
    """:func:`breakable_parts` of a loaded rule, in force and binding."""
    return breakable_parts(rule.nnf, period=_rule_period(rule), statuses=rule.binds)


def rule_near_miss(rule: Any) -> st.SearchStrategy[tuple[int, dict[str, Any]]]:
    """A fact in force and binding for a loaded rule that breaks exactly one of its required parts."""
    return near_miss(rule.nnf, period=_rule_period(rule), statuses=rule.binds)


# --- random conditions and packs --------------------------------------------------------------------

_ORDERED = ("lt", "lte", "gt", "gte")


@st.composite
def _leaf(draw: st.DrawFn, paths: Sequence[str] | None = None) -> dict[str, Any]:
    fields = fact_fields().fields
    path = draw(st.sampled_from(list(paths or fields)))
    spec = fields[path]
    vals = values(spec, small=True)
    ops = ["eq", "ne", "in", "not_in", "exists"] + (list(_ORDERED) + ["between"] if spec.ordered else [])
    op = draw(st.sampled_from(ops))
    if op == "exists":
        operand: Any = draw(st.booleans())
    elif op in ("in", "not_in"):
        operand = draw(st.lists(vals, min_size=1, max_size=4, unique_by=repr))
    elif op == "between":
        a, b = draw(vals), draw(vals)
        operand = [min(a, b), max(a, b)]
    else:
        operand = draw(vals)
    if op == "eq" and draw(st.booleans()):
        return {path: operand}  # the shorthand a pack author writes
    return {path: {op: operand}}


def raw_conditions(*, max_leaves: int = 8, paths: Sequence[str] | None = None) -> st.SearchStrategy[Any]:
    """Random conditions as YAML data (what a pack's ``when`` holds)."""
    return st.recursive(
        _leaf(paths),
        lambda inner: st.one_of(
            st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"all": xs}),
            st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"any": xs}),
            inner.map(lambda x: {"not": x}),
        ),
        max_leaves=max_leaves,
    )


def parse_condition(raw: Any) -> Condition:
    """Parse a raw condition (as in a pack) against the fact model; raises ValueError on a problem."""
    parser = ConditionParser(fact_fields(), lambda path, key: None)
    cond = parser.parse(raw)
    if cond is None or parser.problems:
        raise ValueError("; ".join(str(p) for p in parser.problems) or "invalid condition")
    return cond


def conditions(*, max_leaves: int = 8, paths: Sequence[str] | None = None) -> st.SearchStrategy[Condition]:
    """Random conditions in negation normal form."""
    return raw_conditions(max_leaves=max_leaves, paths=paths).map(lambda raw: to_nnf(parse_condition(raw)))


PACK_ARTICLE = "PP 99/2099 Pasal 1"


@st.composite
def rule_pack_files(draw: st.DrawFn, *, pack_id: str = "gen_pack", min_rules: int = 1, max_rules: int = 6,
                    max_leaves: int = 6) -> dict[str, str]:
    """A random, loadable pack as ``{relative file name: YAML text}`` (its rules may never match)."""
    n = draw(st.integers(min_rules, max_rules))
    rules = []
    for i in range(n):
        when = draw(raw_conditions(max_leaves=max_leaves))
        rules.append({
            "id": f"gen.r{i:02d}",
            "title": {"id": f"Aturan {i}", "en": f"Rule {i}"},
            "when": when,
            "then": {
                "category": draw(st.sampled_from(["disiplin", "kode_etik", "pemberhentian", "pidana_pemilu"])),
                "level": draw(st.sampled_from(["ringan", "sedang", "berat", "moral", "ptdh", "unassigned"])),
                **({"nature": nat} if (nat := draw(_maybe(st.sampled_from(NATURES)))) else {}),
                "basis": [PACK_ARTICLE],
            },
            "explain": {"id": f"{{actor}} melanggar aturan {i}.", "en": f"{{actor}} breached rule {i}."},
        })
    manifest = {
        "id": pack_id, "version": "1.0.0",
        "instrument": {"kind": "PP", "number": "99", "year": 2099, "title": "Peraturan uji"},
        "in_force": {"from": dt.date(2020, 1, 1)},
        "binds": {"statuses": ["pns", "cpns", "pppk"]},
    }
    articles = {"articles": [{"cite": PACK_ARTICLE, "text": "Pasal uji.", "gloss": "Test article.",
                              "provenance": {"status": "unverified"}}]}

    return {"pack.yaml": dump_yaml(manifest), "articles.yaml": dump_yaml(articles),
            "rules/generated.yaml": dump_yaml({"rules": rules})}


class _PlainDumper(yaml.SafeDumper):
    """Writes every value out: packs refuse YAML aliases, which PyYAML emits for shared objects."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(data: Any) -> str:
    """YAML text as a pack author would write it (no aliases, keys in the given order, UTF-8 kept)."""
    return yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False)


def json_values(max_leaves: int = 20) -> st.SearchStrategy[Any]:
    """Arbitrary JSON values."""
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                        st.text(max_size=20))
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=max_leaves)
