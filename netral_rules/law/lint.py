"""Checks over a set of loaded packs, all reported at once as ``file:line:col: message``.

Loading (:mod:`.load`) already reports syntax, schema, unknown fact paths and type mismatches. This module
adds what needs every pack at once or some reasoning: citations that do not resolve (with a "did you
mean"), sanction citations that are not sanction menus, duplicate rule ids and option codes, a rule's
in-force period outside its pack's, conditions that contradict each other so the rule can never match,
explanation placeholders that name no fact field, scenario tests whose fact is invalid or whose expected
rules do not exist, and quoted article texts that do not occur in the pack's official text.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from ..conditions import All
from ..conditions.satisfy import contradiction
from ..errors import FactError, Position, Problem
from ..fact.fields import FieldMap, fact_fields
from ..fact.model import parse_fact
from ..vocabulary import headline_rank
from .citations import Citation
from .load import CiteRef, LoadedPack, LoadedRule
from .quotes import check_quotes
from .schema import Period

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
    problems.extend(check_exceptions(packs, known_ids))
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
        for key in ("rules", "includes_rules", "excludes_rules", "set_aside"):
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


def _overlap(a: Period, b: Period) -> bool:
    return (a.until is None or b.from_ <= a.until) and (b.until is None or a.from_ <= b.until)


def check_exceptions(packs: list[LoadedPack], known_ids: set[str]) -> list[Problem]:
    """The ``sets_aside`` relation: every named rule exists, no rule sets itself aside or is named twice, no
    cycle, the two rules can be in force together for the same actor, a lighter rule says why, and the two
    conditions can hold at once (otherwise the relation never matters: a warning)."""
    problems: list[Problem] = []
    rules = {r.id: (pack, r) for pack in packs for r in pack.rules}
    edges: dict[str, list[str]] = {}
    for pack in packs:
        for rule in pack.rules:
            seen: set[str] = set()
            for k, entry in enumerate(rule.rule.sets_aside):
                where = rule.position("sets_aside", k, "rule")
                target = entry.rule
                if target == rule.id:
                    problems.append(Problem(f"rule '{rule.id}' sets itself aside", where, code="exception_self"))
                    continue
                if target in seen:
                    problems.append(
                        Problem(f"'{target}' is named twice in sets_aside", where, code="exception_duplicate")
                    )
                    continue
                seen.add(target)
                if target not in known_ids:
                    near = difflib.get_close_matches(target, sorted(known_ids), n=1, cutoff=0.6)
                    problems.append(
                        Problem(
                            f"sets_aside names rule '{target}', which no loaded pack defines",
                            where,
                            code="unknown_rule",
                            hint=f"did you mean '{near[0]}'?" if near else None,
                        )
                    )
                    continue
                if target not in rules:
                    continue  # dropped for another error, already reported
                edges.setdefault(rule.id, []).append(target)
                other_pack, other = rules[target]
                a_period, b_period = rule.in_force, other.in_force
                together = (
                    _overlap(a_period, b_period)
                    and _overlap(pack.manifest.in_force, other_pack.manifest.in_force)
                    and set(rule.binds) & set(other.binds)
                )
                if not together:
                    problems.append(
                        Problem(
                            f"'{rule.id}' and '{target}' are never in force together for the same actor "
                            f"({a_period.from_}..{a_period.until or 'open'}, {', '.join(rule.binds)} / "
                            f"{b_period.from_}..{b_period.until or 'open'}, {', '.join(other.binds)}): "
                            "setting it aside never applies",
                            where,
                            code="exception_never_together",
                        )
                    )
                    continue
                mine = headline_rank(rule.rule.then.level, rule.rule.then.category)
                theirs = headline_rank(other.rule.then.level, other.rule.then.category)
                if mine < theirs and entry.lighter is None:
                    problems.append(
                        Problem(
                            f"'{rule.id}' ({rule.rule.then.category} {rule.rule.then.level}) is lighter than the rule "
                            f"it sets aside, '{target}' ({other.rule.then.category} {other.rule.then.level})",
                            where,
                            code="exception_lighter",
                            hint="say why the lighter outcome is the law's under 'lighter' (id/en)",
                        )
                    )
                if contradiction(All((rule.nnf, other.nnf))) is not None:
                    problems.append(
                        Problem(
                            f"'{rule.id}' and '{target}' can never hold for the same fact: setting it aside never "
                            "applies",
                            where,
                            severity="warning",
                            code="exception_disjoint",
                        )
                    )
    problems.extend(_cycles(edges, rules))
    return problems


def _cycles(edges: dict[str, list[str]], rules: dict[str, tuple[LoadedPack, LoadedRule]]) -> list[Problem]:
    """One problem per cycle of the relation, at the entry that closes it. Iterative: a long chain of
    exceptions in a pack must not exhaust the interpreter's stack."""
    problems: list[Problem] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    for root in sorted(edges):
        if root in state:
            continue
        path: list[str] = [root]
        todo: list[list[str]] = [list(edges.get(root, ()))]
        state[root] = 1
        while todo:
            if not todo[-1]:
                state[path.pop()] = 2
                todo.pop()
                continue
            node, nxt = path[-1], todo[-1].pop(0)
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):] + [nxt]
                _, rule = rules[node]
                k = next(i for i, e in enumerate(rule.rule.sets_aside) if e.rule == nxt)
                problems.append(
                    Problem(
                        "sets_aside forms a cycle: " + " -> ".join(cycle),
                        rule.position("sets_aside", k, "rule"),
                        code="exception_cycle",
                    )
                )
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                todo.append(list(edges.get(nxt, ())))
    return problems
