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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..conditions import All, leaves
from ..conditions.satisfy import contradiction, possible_act_kinds
from ..errors import FactError, PackError, Position, Problem
from ..fact.fields import FieldMap, fact_fields
from ..fact.labels import labels
from ..fact.model import parse_fact
from ..messages import text
from ..vocabulary import headline_rank
from .citations import Citation
from .load import CiteRef, LoadedPack, LoadedRule
from .lock import check_lock
from .quotes import check_quotes
from .schema import Period

TEMPLATE_FIELD = re.compile(r"\{([^{}]*)\}")
TEMPLATE_EXTRA = {"actor", "id", "description", "occurred_on", "applied_on"}


@dataclass
class _Wants:
    """What the loaded packs refer to that no loaded pack has: by problem, the instrument cited or rule expected."""

    cites: dict[int, tuple[str, str]] = field(default_factory=dict)  # id(problem) -> (pack id, instrument)
    rules: dict[int, tuple[str, str]] = field(default_factory=dict)  # id(problem) -> (pack id, rule id)


def lint_packs(packs: list[LoadedPack]) -> list[Problem]:
    wants = _Wants()
    problems = _lint(packs, wants)
    return _needed_packs(packs, problems, wants)


def _lint(packs: list[LoadedPack], wants: _Wants) -> list[Problem]:
    problems: list[Problem] = []
    registry: dict[Citation, Any] = {}
    for pack in packs:
        for cit, art in pack.articles.items():
            if cit in registry and registry[cit].pack_id != pack.id:
                problems.append(
                    Problem(
                        text("lint.duplicate_article_pack", cite=cit, pack=registry[cit].pack_id),
                        art.pos,
                        code="duplicate_article",
                    )
                )
            registry.setdefault(cit, art)
    instruments: dict[str, list[str]] = {}
    for c in registry:
        instruments.setdefault(c.instrument_key, []).append(str(c))
    menus = {c for c, a in registry.items() if a.article.options}
    options = {ref.citation for a in registry.values() for ref in a.option_cites if ref.citation is not None}

    def resolve(pack: LoadedPack, ref: CiteRef, what: str = "citation") -> None:
        if ref.citation is None or ref.citation in registry:
            return
        key = ref.citation.instrument_key
        # a near match only within the same regulation: another regulation's article is no suggestion
        near = difflib.get_close_matches(str(ref.citation), sorted(instruments.get(key, [])), n=1, cutoff=0.75)
        if near:
            hint = text("lint.unresolved_near", near=near[0])
        elif key in instruments:
            hint = text("lint.unresolved_add")
        else:
            hint = text("lint.unresolved_instrument", instrument=key)
        problem = Problem(
            text("lint.unresolved", cite=ref.text),
            ref.pos,
            code="unresolved_citation",
            hint=hint,
        )
        problems.append(problem)
        if key not in instruments:
            wants.cites[id(problem)] = (pack.id, key)

    for pack in packs:
        for ref in pack.cites:
            resolve(pack, ref)
        # option codes and menus
        for art in pack.articles.values():
            if art.article.options and art.article.level is None:
                problems.append(
                    Problem(text("lint.menu_level", cite=art.citation), art.pos, code="menu_level")
                )
        _check_manifest(pack, registry, menus, options, problems)

    codes: dict[str, Position] = {}
    for pack in packs:
        for art in pack.articles.values():
            for opt in art.article.options:
                if opt.code in codes:
                    problems.append(
                        Problem(
                            text("lint.duplicate_option", code=opt.code, first=codes[opt.code]),
                            art.pos,
                            code="duplicate_option",
                        )
                    )
                codes.setdefault(opt.code, art.pos)

    rule_ids: dict[str, Position] = {}
    fields = fact_fields()
    declared = {s.name: s for pack in packs for s in pack.manifest.settings}
    for pack in packs:
        for rule in pack.rules:
            _check_when_setting(rule, declared, problems)
            if rule.id in rule_ids:
                problems.append(
                    Problem(
                        text("lint.duplicate_rule", rule=rule.id, first=rule_ids[rule.id]),
                        rule.position("id"),
                        code="duplicate_rule",
                    )
                )
            rule_ids.setdefault(rule.id, rule.position("id"))
            _check_rule(pack, rule, menus | options, registry, fields, problems)

    # a rule dropped for an error already reported is still a known id: no cascade of messages about it
    known_ids = set(rule_ids) | {rid for pack in packs for rid in pack.broken_rule_ids}
    # a set-aside rule of a pack that is not loaded: one of the references _needed_packs gathers
    unknown_targets = {
        rule.position("sets_aside", k, "rule"): (pack.id, entry.rule)
        for pack in packs for rule in pack.rules for k, entry in enumerate(rule.rule.sets_aside)
        if entry.rule not in known_ids
    }
    for problem in check_exceptions(packs, known_ids):
        problems.append(problem)
        if problem.code == "unknown_rule" and isinstance(problem.where, Position) and problem.where in unknown_targets:
            wants.rules[id(problem)] = unknown_targets[problem.where]
    for pack in packs:
        _check_scenarios(pack, known_ids, problems, wants)
        problems.extend(check_quotes(pack))
        problems.extend(check_lock(pack))
    return problems


def _check_manifest(
    pack: LoadedPack, registry: dict[Citation, Any], menus: set[Citation], options: set[Citation],
    problems: list[Problem],
) -> None:
    m = pack.manifest
    loc = pack.manifest_located
    names = {s.name for s in m.settings}
    for i, sub in enumerate(m.substitutions):
        if sub.setting not in names:
            problems.append(
                Problem(
                    text("lint.unknown_setting", setting=sub.setting),
                    loc.pos(("substitutions", i, "setting")),
                    code="unknown_setting",
                )
            )
    refs = {r.pos: r for r in pack.cites}
    for i, _ in enumerate(m.substitutions):
        for key in ("replace", "with"):
            ref = refs.get(loc.pos(("substitutions", i, key)))
            # a substitution replaces a whole menu or one type of one (an option), by a menu
            allowed = menus | options if key == "replace" else menus
            if ref and ref.citation in registry and ref.citation not in allowed:
                problems.append(
                    Problem(
                        text("lint.replace_not_a_menu" if key == "replace" else "lint.not_a_menu", cite=ref.text),
                        ref.pos,
                        code="not_a_menu",
                    )
                )
    if m.aggregation:
        for i, _ in enumerate(m.aggregation.ladder):
            ref = refs.get(loc.pos(("aggregation", "ladder", i)))
            if ref and ref.citation in registry and ref.citation not in menus:
                problems.append(
                    Problem(text("lint.ladder_not_a_menu", cite=ref.text), ref.pos, code="not_a_menu")
                )


def _check_when_setting(rule: LoadedRule, declared: dict[str, Any], problems: list[Problem]) -> None:
    """A rule's ``when_setting`` names settings some loaded pack declares (with a default and its basis)."""
    for name in rule.rule.when_setting or {}:
        if name not in declared:
            near = difflib.get_close_matches(name, sorted(declared), n=1, cutoff=0.6)
            problems.append(
                Problem(
                    text("lint.rule_setting", rule=rule.id, setting=name),
                    rule.position("when_setting"),
                    code="unknown_setting",
                    hint=text("lint.unresolved_near", near=near[0]) if near else text("lint.rule_setting_declare"),
                )
            )


def _settings_compatible(a: LoadedRule, b: LoadedRule) -> bool:
    """Whether some values of the engine settings apply both rules (their when_setting do not conflict)."""
    mine, theirs = a.rule.when_setting or {}, b.rule.when_setting or {}
    return all(theirs.get(name, value) == value for name, value in mine.items())


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
                text("lint.in_force", rule=rule.id, since=rule.in_force.from_,
                     until=rule.in_force.until or text("lint.open"), pack_since=p.from_,
                     pack_until=p.until or text("lint.open")),
                rule.position("in_force"),
                code="in_force",
            )
        )
    bound = set(pack.manifest.binds.statuses)
    if rule.rule.binds and not set(rule.rule.binds) <= bound:
        extra = sorted(set(rule.rule.binds) - bound)
        problems.append(
            Problem(text("lint.binds", statuses=", ".join(extra)), rule.position("binds"), code="binds")
        )
    for ref in rule.sanctions:
        if ref.citation in registry and ref.citation not in menus:
            problems.append(
                Problem(
                    text("lint.sanctions_not_a_menu", cite=ref.text),
                    ref.pos,
                    code="not_a_menu",
                )
            )
    kinds = possible_act_kinds(rule.nnf, fields)
    for leaf in leaves(rule.condition):
        spec = fields.get(leaf.path)
        if leaf.op != "exists" or spec is None:
            continue
        if spec.act_kinds and kinds is not None and not set(spec.act_kinds) & kinds:
            continue  # a field of another kind of act: never given, never filled in
        problems.append(
            Problem(
                f"'{leaf.path}: {{exists: {str(leaf.value).lower()}}}' is decided in every reading: for a report "
                "that leaves the value out the engine weighs every value it could have, so exists is always true",
                leaf.pos or rule.position("when"),
                severity="warning",
                code="exists_filled",
                hint="write the condition on the value; the decision asks for what is missing",
            )
        )
    reason = contradiction(rule.nnf, fields)
    if reason:
        problems.append(
            Problem(text("lint.contradiction", rule=rule.id, reason=reason), rule.position("when"),
                    code="contradiction")
        )
    for lang in ("id", "en"):
        template = getattr(rule.rule.explain, lang)
        for m in TEMPLATE_FIELD.finditer(template):
            name = m.group(1).strip()
            if name not in TEMPLATE_EXTRA and name not in fields:  # only a path or a named value, as written
                near = difflib.get_close_matches(name, list(fields.paths()) + sorted(TEMPLATE_EXTRA), n=1, cutoff=0.6)
                problems.append(
                    Problem(
                        text("lint.template", name=name),
                        rule.position("explain", lang),
                        code="template",
                        hint=text("lint.template_near", near=near[0]) if near else None,
                    )
                )


def _check_scenarios(pack: LoadedPack, rule_ids: set[str], problems: list[Problem], wants: _Wants) -> None:
    names: dict[str, Position] = {}
    for sc in pack.scenarios:
        s = sc.scenario
        base = ("scenarios", sc.index)
        if s.name in names:
            problems.append(
                Problem(
                    text("lint.duplicate_scenario", name=s.name),
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
                    Problem(text("lint.scenario_fact", message=p.message), sc.located.pos(yaml_path),
                            code="scenario_fact", hint=p.hint)
                )
        exp = s.expect
        for key in ("rules", "includes_rules", "excludes_rules", "set_aside"):
            for i, rid in enumerate(getattr(exp, key) or []):
                if rid not in rule_ids:
                    near = difflib.get_close_matches(rid, sorted(rule_ids), n=1, cutoff=0.6)
                    problem = Problem(
                        text("lint.unknown_rule", rule=rid),
                        sc.located.pos(base + ("expect", key, i)),
                        code="unknown_rule",
                        hint=text("lint.unresolved_near", near=near[0]) if near else None,
                    )
                    problems.append(problem)
                    wants.rules[id(problem)] = (pack.id, rid)


def _outcome_words(rule: LoadedRule) -> str:
    lab, then = labels(), rule.rule.then
    from ..messages import default_lang

    lang = default_lang()
    return text("lint.level_of", category=lab.term("category", then.category, lang),
                level=lab.term("level", then.level, lang))


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
                    problems.append(Problem(text("lint.exception_self", rule=rule.id), where, code="exception_self"))
                    continue
                if target in seen:
                    problems.append(
                        Problem(text("lint.exception_duplicate", rule=target), where, code="exception_duplicate")
                    )
                    continue
                seen.add(target)
                if target not in known_ids:
                    near = difflib.get_close_matches(target, sorted(known_ids), n=1, cutoff=0.6)
                    problems.append(
                        Problem(
                            text("lint.exception_unknown", rule=target),
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
                    and _settings_compatible(rule, other)
                )
                if not together:
                    problems.append(
                        Problem(
                            text("lint.exception_never_together", rule=rule.id, target=target,
                                 a=f"{a_period.from_}..{a_period.until or text('lint.open')}",
                                 a_binds=", ".join(rule.binds),
                                 b=f"{b_period.from_}..{b_period.until or text('lint.open')}",
                                 b_binds=", ".join(other.binds)),
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
                            text("lint.exception_lighter", rule=rule.id, target=target,
                                 mine=_outcome_words(rule), theirs=_outcome_words(other)),
                            where,
                            code="exception_lighter",
                            hint=text("lint.exception_lighter_hint"),
                        )
                    )
                if contradiction(All((rule.nnf, other.nnf))) is not None:
                    problems.append(
                        Problem(
                            text("lint.exception_disjoint", rule=rule.id, target=target),
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
                        text("lint.exception_cycle", cycle=" -> ".join(cycle)),
                        rule.position("sets_aside", k, "rule"),
                        code="exception_cycle",
                    )
                )
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                todo.append(list(edges.get(nxt, ())))
    return problems



# --- a pack validated without the packs it refers to -----------------------------------------------------


def _known_packs(packs: list[LoadedPack]) -> tuple[list[LoadedPack], dict[str, Path]]:
    """Packs that are not loaded but could be: the folders beside the loaded packs and the bundled packs. With
    them, the pack folders beside the loaded ones that have errors of their own: a bundled pack of the same
    folder name stands in for what such a folder provides, so that its references are not counted twice."""
    from .load import discover, load_pack
    from .packs import bundled_rules_dir  # the library's idea of "bundled", without a cycle at import

    loaded_ids = {p.id for p in packs}
    loaded_roots = {p.root.resolve() for p in packs}
    neighbours: list[Path] = sorted({p.root.parent for p in packs})
    try:
        bundled = [bundled_rules_dir()]
    except PackError:  # no bundled packs: only the neighbours are offered
        bundled = []
    found: list[LoadedPack] = []
    failed: dict[str, Path] = {}  # folder name -> a neighbouring pack folder that does not load
    broken: dict[str, Path] = {}  # pack id -> that folder
    for place, is_neighbour in [*((n, True) for n in neighbours), *((b, False) for b in bundled)]:
        for root in discover([place]):
            if root.resolve() in loaded_roots:
                continue
            pack, _ = load_pack(root)
            if pack is None:
                if is_neighbour:
                    failed.setdefault(root.name, root)
                continue
            if pack.id in loaded_ids or any(pack.id == f.id for f in found):
                continue
            found.append(pack)
            if not is_neighbour and root.name in failed:
                broken[pack.id] = failed[root.name]
    return found, broken


def _needed_packs(packs: list[LoadedPack], problems: list[Problem], wants: _Wants) -> list[Problem]:
    """Replace the messages about articles and rules of packs that are not loaded by one message per pack
    needed: "pack X needs pack Y (PP 53/2010), which is not loaded; validate them together"."""
    if not wants.cites and not wants.rules:
        return problems
    known, broken = _known_packs(packs)
    by_instrument: dict[str, LoadedPack] = {}
    by_rule: dict[str, LoadedPack] = {}
    for other in known:
        for cit in other.articles:
            by_instrument.setdefault(cit.instrument_key, other)
        for rule in other.rules:
            by_rule.setdefault(rule.id, other)
    # (needing pack id, needed pack id) -> [citations, rules]
    needs: dict[tuple[str, str], list[int]] = {}
    covered: set[int] = set()
    for key, table, lookup in ((0, wants.cites, by_instrument), (1, wants.rules, by_rule)):
        for pid, (pack_id, target) in table.items():
            provider = lookup.get(target)
            if provider is None:
                continue
            covered.add(pid)
            needs.setdefault((pack_id, provider.id), [0, 0])[key] += 1
    if not needs:
        return problems
    roots = {p.id: p for p in [*packs, *known]}
    out = [p for p in problems if id(p) not in covered]
    by_pack: dict[str, list[tuple[str, int, int]]] = {}
    for (pack_id, other_id), (cites, rules) in sorted(needs.items()):
        by_pack.setdefault(pack_id, []).append((other_id, cites, rules))
    for pack_id, needed in by_pack.items():
        pack = roots[pack_id]
        parts = []
        for other_id, cites, rules in needed:
            ins = roots[other_id].manifest.instrument
            counts = ([text("lint.needs_citations", count=cites)] if cites else []) + (
                [text("lint.needs_rules", count=rules)] if rules else [])
            part = text("lint.needs_pack_part", pack=other_id, instrument=f"{ins.kind} {ins.number}/{ins.year}",
                        counts=", ".join(counts))
            if other_id in broken:
                part += text("lint.needs_broken", folder=broken[other_id].as_posix())
            parts.append(part)
        wanted = _closure(pack, [roots[o] for o, _, _ in needed], packs, known)
        together = " ".join([pack.root.as_posix(), *(broken[p.id].as_posix() if p.id in broken else p.root.as_posix()
                                                     for p in wanted)])
        if all(o in broken for o, _, _ in needed):
            continue  # knock-on of the errors of those folders, which are reported: one mistake, one message
        hint = text("lint.needs_together", paths=together)
        out.append(
            Problem(
                text("lint.needs_pack", pack=pack_id, parts="; ".join(parts)),
                Position(f"{pack.manifest_located.file}", 1, 1),
                code="needs_pack",
                hint=hint,
            )
        )
    return out


def _closure(pack: LoadedPack, needed: list[LoadedPack], loaded: list[LoadedPack],
             known: list[LoadedPack]) -> list[LoadedPack]:
    """The needed packs with what they need in turn (their citations and their scenarios' rules), so that one
    command validates the whole set."""
    have = {p.id: p for p in [*loaded, *needed]}
    todo = list(needed)
    while todo:
        current = todo.pop()
        registered = {c.instrument_key for p in have.values() for c in p.articles}
        rule_ids = {r.id for p in have.values() for r in p.rules}
        cited = {r.citation.instrument_key for r in current.cites if r.citation is not None}
        keys = ("rules", "includes_rules", "excludes_rules", "set_aside")
        expected = {rid for sc in current.scenarios for key in keys for rid in (getattr(sc.scenario.expect, key) or [])}
        for other in known:
            if other.id in have:
                continue
            if (cited - registered) & {c.instrument_key for c in other.articles} or (
                    (expected - rule_ids) & {r.id for r in other.rules}):
                have[other.id] = other
                todo.append(other)
    loaded_ids = {p.id for p in loaded}
    return sorted((p for p in have.values() if p.id not in loaded_ids and p.id != pack.id), key=lambda p: p.id)
