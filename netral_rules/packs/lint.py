"""Checks over a set of loaded packs, all reported at once as ``file:line:col: message``.

Loading (:mod:`.load`) already reports syntax, schema, unknown fact paths and type mismatches. This module
adds what needs every pack at once or some reasoning: citations that do not resolve (with a "did you
mean"), sanction citations that are not sanction menus, duplicate rule ids and option codes, a rule's
in-force period outside its pack's, conditions that contradict each other so the rule can never match,
explanation placeholders that name no fact field, scenario tests whose fact is invalid or whose expected
rules do not exist, and quoted article texts that do not occur in the pack's official text.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
from collections.abc import Iterable
from typing import Any

from ..conditions import All, AnyOf, Compare, Condition, compare_holds
from ..errors import FactError, Position, Problem
from ..facts import parse_fact
from ..fieldmap import FieldMap, FieldSpec, fact_fields
from ..law import Citation
from .load import CiteRef, LoadedPack, LoadedRule
from .quotes import check_quotes

MAX_CONJUNCTIONS = 512
TEMPLATE_FIELD = re.compile(r"\{([^{}]*)\}")
TEMPLATE_EXTRA = {"actor", "id", "description", "occurred_on", "applied_on"}


def lint_packs(packs: list[LoadedPack]) -> list[Problem]:
    problems: list[Problem] = []
    registry: dict[Citation, Any] = {}
    for pack in packs:
        for cit, art in pack.articles.items():
            if cit in registry and registry[cit].pack_id != pack.id:
                problems.append(
                    Problem(
                        f"article '{cit}' is also registered by pack '{registry[cit].pack_id}'",
                        art.pos,
                        code="duplicate_article",
                    )
                )
            registry.setdefault(cit, art)
    known = sorted(str(c) for c in registry)
    menus = {c for c, a in registry.items() if a.article.options}
    options = {ref.citation for a in registry.values() for ref in a.option_cites if ref.citation is not None}

    def resolve(ref: CiteRef, what: str = "citation") -> None:
        if ref.citation is None or ref.citation in registry:
            return
        near = difflib.get_close_matches(str(ref.citation), known, n=1, cutoff=0.75)
        problems.append(
            Problem(
                f"{what} '{ref.text}' does not resolve to an article in any loaded pack",
                ref.pos,
                code="unresolved_citation",
                hint=f"did you mean '{near[0]}'?" if near else "add it to an articles.yaml",
            )
        )

    for pack in packs:
        for ref in pack.cites:
            resolve(ref)
        # option codes and menus
        for art in pack.articles.values():
            if art.article.options and art.article.level is None:
                problems.append(
                    Problem(f"sanction menu '{art.citation}' has options but no level", art.pos, code="menu_level")
                )
        _check_manifest(pack, registry, menus, problems)

    codes: dict[str, Position] = {}
    for pack in packs:
        for art in pack.articles.values():
            for opt in art.article.options:
                if opt.code in codes:
                    problems.append(
                        Problem(
                            f"sanction option code '{opt.code}' is used twice (first at {codes[opt.code]})",
                            art.pos,
                            code="duplicate_option",
                        )
                    )
                codes.setdefault(opt.code, art.pos)

    rule_ids: dict[str, Position] = {}
    fields = fact_fields()
    for pack in packs:
        for rule in pack.rules:
            if rule.id in rule_ids:
                problems.append(
                    Problem(
                        f"duplicate rule id '{rule.id}' (first at {rule_ids[rule.id]})",
                        rule.position("id"),
                        code="duplicate_rule",
                    )
                )
            rule_ids.setdefault(rule.id, rule.position("id"))
            _check_rule(pack, rule, menus | options, registry, fields, problems)

    # a rule dropped for an error already reported is still a known id: no cascade of messages about it
    known_ids = set(rule_ids) | {rid for pack in packs for rid in pack.broken_rule_ids}
    for pack in packs:
        _check_scenarios(pack, known_ids, problems)
        problems.extend(check_quotes(pack))
    return problems


def _check_manifest(
    pack: LoadedPack, registry: dict[Citation, Any], menus: set[Citation], problems: list[Problem]
) -> None:
    m = pack.manifest
    loc = pack.manifest_located
    names = {s.name for s in m.settings}
    for i, sub in enumerate(m.substitutions):
        if sub.setting not in names:
            problems.append(
                Problem(
                    f"substitution uses setting '{sub.setting}', which this pack does not declare",
                    loc.pos(("substitutions", i, "setting")),
                    code="unknown_setting",
                )
            )
    refs = {r.pos: r for r in pack.cites}
    for i, _ in enumerate(m.substitutions):
        for key in ("replace", "with"):
            ref = refs.get(loc.pos(("substitutions", i, key)))
            if ref and ref.citation in registry and ref.citation not in menus:
                problems.append(
                    Problem(
                        f"'{ref.text}' is not a sanction menu (its article lists no options)",
                        ref.pos,
                        code="not_a_menu",
                    )
                )
    if m.aggregation:
        for i, _ in enumerate(m.aggregation.ladder):
            ref = refs.get(loc.pos(("aggregation", "ladder", i)))
            if ref and ref.citation in registry and ref.citation not in menus:
                problems.append(
                    Problem(f"ladder entry '{ref.text}' is not a sanction menu", ref.pos, code="not_a_menu")
                )


def _check_rule(
    pack: LoadedPack,
    rule: LoadedRule,
    menus: set[Citation],
    registry: dict[Citation, Any],
    fields: FieldMap,
    problems: list[Problem],
) -> None:
    if not rule.in_force.within(pack.manifest.in_force):
        p = pack.manifest.in_force
        problems.append(
            Problem(
                f"rule '{rule.id}' is in force {rule.in_force.from_}..{rule.in_force.until or 'open'}, "
                f"outside its pack's period {p.from_}..{p.until or 'open'}",
                rule.position("in_force"),
                code="in_force",
            )
        )
    bound = set(pack.manifest.binds.statuses)
    if rule.rule.binds and not set(rule.rule.binds) <= bound:
        extra = sorted(set(rule.rule.binds) - bound)
        problems.append(
            Problem(f"rule binds {', '.join(extra)}, whom its pack does not bind", rule.position("binds"), code="binds")
        )
    for ref in rule.sanctions:
        if ref.citation in registry and ref.citation not in menus:
            problems.append(
                Problem(
                    f"sanctions '{ref.text}' is neither a sanction menu nor one of its options",
                    ref.pos,
                    code="not_a_menu",
                )
            )
    reason = contradiction(rule.nnf, fields)
    if reason:
        problems.append(
            Problem(f"rule '{rule.id}' can never match: {reason}", rule.position("when"), code="contradiction")
        )
    for lang in ("id", "en"):
        text = getattr(rule.rule.explain, lang)
        for m in TEMPLATE_FIELD.finditer(text):
            name = m.group(1).strip()
            if name not in TEMPLATE_EXTRA and name not in fields and not name.startswith("actor.name"):
                near = difflib.get_close_matches(name, list(fields.paths()) + sorted(TEMPLATE_EXTRA), n=1, cutoff=0.6)
                problems.append(
                    Problem(
                        f"explanation placeholder '{{{name}}}' names no fact field",
                        rule.position("explain", lang),
                        code="template",
                        hint=f"did you mean '{{{near[0]}}}'?" if near else None,
                    )
                )


def _check_scenarios(pack: LoadedPack, rule_ids: set[str], problems: list[Problem]) -> None:
    names: dict[str, Position] = {}
    for sc in pack.scenarios:
        s = sc.scenario
        base = ("scenarios", sc.index)
        if s.name in names:
            problems.append(
                Problem(
                    f"scenario name '{s.name}' is used twice in this pack",
                    sc.located.pos(base + ("name",)),
                    code="duplicate_scenario",
                )
            )
        names.setdefault(s.name, sc.pos)
        try:
            parse_fact(s.fact)
        except FactError as exc:
            for p in exc.problems:
                json_path = str(p.where)
                yaml_path = (
                    base + ("fact",) + tuple(int(x) if x.isdigit() else x for x in re.findall(r"[^.$\[\]]+", json_path))
                )
                problems.append(
                    Problem(f"scenario fact {json_path}: {p.message}", sc.located.pos(yaml_path), code="scenario_fact")
                )
        exp = s.expect
        for key in ("rules", "includes_rules", "excludes_rules"):
            for i, rid in enumerate(getattr(exp, key) or []):
                if rid not in rule_ids:
                    near = difflib.get_close_matches(rid, sorted(rule_ids), n=1, cutoff=0.6)
                    problems.append(
                        Problem(
                            f"expected rule '{rid}' does not exist",
                            sc.located.pos(base + ("expect", key, i)),
                            code="unknown_rule",
                            hint=f"did you mean '{near[0]}'?" if near else None,
                        )
                    )


# --- contradiction detection -----------------------------------------------------------------------


def _dnf(cond: Condition) -> Iterable[list[Compare]]:
    """Conjunctions of an NNF condition (lazily; callers cap how many they look at)."""
    if isinstance(cond, Compare):
        yield [cond]
    elif isinstance(cond, All):
        parts = [list(itertools.islice(_dnf(i), MAX_CONJUNCTIONS)) for i in cond.items]
        for combo in itertools.product(*parts):
            yield [c for conj in combo for c in conj]
    elif isinstance(cond, AnyOf):
        for item in cond.items:
            yield from _dnf(item)


def _candidates(spec: FieldSpec, lits: list[Compare]) -> list[Any]:
    mentioned: list[Any] = []
    for c in lits:
        if isinstance(c.value, tuple):
            mentioned.extend(c.value)
        elif c.op != "exists":
            mentioned.append(c.value)
    if spec.type == "enum":
        return list(spec.enum)
    if spec.type == "bool":
        return [True, False]
    if spec.type == "str":
        return mentioned + ["\x00unmentioned"]
    if spec.type == "date":
        return [d + dt.timedelta(days=k) for d in mentioned for k in (-1, 0, 1)] + [dt.date(2000, 1, 1)]
    values = sorted(set(float(v) for v in mentioned))
    out: list[float] = []
    for v in values:
        out.extend([v - 1, v, v + 1])
    out.extend((a + b) / 2 for a, b in itertools.pairwise(values))
    if spec.type == "int":
        out = [float(int(v)) for v in out if v == int(v)]
    if spec.minimum is not None:
        out.append(spec.minimum)
    if spec.maximum is not None:
        out.append(spec.maximum)
    out = [
        v for v in out if (spec.minimum is None or v >= spec.minimum) and (spec.maximum is None or v <= spec.maximum)
    ]
    return (out or [0.0]) if spec.type == "float" else [int(v) for v in out] or [0]


def _conjunction_problem(lits: list[Compare], fields: FieldMap) -> str | None:
    return _analyse(lits, fields)[0]


def _analyse(lits: list[Compare], fields: FieldMap) -> tuple[str | None, set[str] | None]:
    """(why the conjunction is unsatisfiable or None, the act kinds it allows or None for any)."""
    by_path: dict[str, list[Compare]] = {}
    for c in lits:
        by_path.setdefault(c.path, []).append(c)
    kinds: set[str] | None = None
    for path, group in by_path.items():
        spec = fields.get(path)
        if spec is None:
            continue
        absent = [c for c in group if c.op == "exists" and c.value is False]
        present = [c for c in group if not (c.op == "exists" and c.value is False)]
        if absent and present:
            return f"'{path}' must be both given and not given", None
        if absent:
            continue
        values = [
            v for v in _candidates(spec, present) if all(compare_holds(c, v) for c in present if c.op != "exists")
        ]
        if not values:
            return "the tests on '" + path + "' exclude every value (" + "; ".join(str(c) for c in group) + ")", None
        if path == "act.kind":
            kinds = set(values) if kinds is None else kinds & set(values)
    for path, group in by_path.items():
        spec = fields.get(path)
        if spec is None or not spec.act_kinds or path == "act.kind":
            continue
        if all(c.op == "exists" and c.value is False for c in group):
            continue
        allowed = set(spec.act_kinds)
        if kinds is not None and not kinds & allowed:
            return (
                f"'{path}' exists only on act kinds {', '.join(spec.act_kinds)}, but act.kind is restricted "
                f"to {', '.join(sorted(kinds))}"
            ), None
        kinds = allowed if kinds is None else kinds & allowed
        if not kinds:
            return f"no act kind carries all the act fields tested (conflict at '{path}')", None
    return None, kinds


def contradiction(nnf: Condition, fields: FieldMap | None = None) -> str | None:
    """Why an NNF condition can never be true, or None if some fact can satisfy it (or it is too large to tell)."""
    fields = fields or fact_fields()
    first: str | None = None
    for n, conj in enumerate(_dnf(nnf)):
        if n >= MAX_CONJUNCTIONS:
            return None
        reason = _conjunction_problem(conj, fields)
        if reason is None:
            return None
        first = first or reason
    return first


def possible_act_kinds(nnf: Condition, fields: FieldMap | None = None) -> set[str] | None:
    """The act kinds a condition can match, or None if it may match any (used to index rules)."""
    fields = fields or fact_fields()
    out: set[str] = set()
    for n, conj in enumerate(_dnf(nnf)):
        if n >= MAX_CONJUNCTIONS:
            return None
        reason, kinds = _analyse(conj, fields)
        if reason is not None:
            continue
        if kinds is None:
            return None
        out |= kinds
    return out
