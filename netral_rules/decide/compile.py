"""Compile loaded packs into an evaluation plan, once per engine.

Everything about a rule's finding that does not depend on the fact (its cited articles with their texts,
its sanction menus after the settings' substitutions, its weakest provenance, the assumptions it rests
on) is built here, so that deciding a fact only adds what the fact changes: which conditions held, with
which values, and the rendered explanation. The aggregation ladders of PP 94/2021 Pasal 35 and the notes
for actors a pack does not bind are prepared here too.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .._fast import Prototype, build
from ..conditions import Compare, leaves, paths
from ..conditions.compiled import Deciding, Predicate, Witness, compile_condition, compile_deciding, compile_witness
from ..conditions.index import RuleIndex, RuleIndexes
from ..fact.fields import fact_fields
from ..law.citations import parse_citation
from ..law.lawbook import Lawbook
from ..law.load import LoadedPack, LoadedRule
from ..law.schema import AggregationTexts, Substitution
from ..output.render import BilingualTemplate
from ..vocabulary import Bilingual, Level
from .decision import (
    Assumption,
    CitedArticle,
    Finding,
    MatchedCondition,
    PackRef,
    SanctionChoice,
    SanctionMenu,
    SetAside,
)

_VERIFICATION_ORDER = {"verified_primary": 0, "verified_secondary": 1, "unverified": 2}


@dataclass(frozen=True)
class RulePlan:
    index: int
    rule: LoadedRule
    needs: frozenset[str]
    static: dict[str, Any]
    assumption_keys: tuple[str, ...]
    pack_in_force: Any  # the pack's Period
    possible: Predicate  # could the condition be true once missing values are known?
    witness: Witness  # the comparisons that made it true, as MatchedReport builders
    explain: BilingualTemplate
    finding: Prototype  # the Finding with everything but the matched conditions and the explanation
    deciding: Deciding  # conditions.deciding_missing of the condition, compiled
    comparisons: dict[str, tuple[Compare, ...]] = field(default_factory=dict)  # by the field compared
    _reading: list[Deciding] = field(default_factory=list)
    # the rule's when_setting holds for the engine's settings (a rule without one always does)
    setting_ok: bool = True
    # the assumption keys of its when_setting, named in a decision whenever the rule could hold
    setting_keys: tuple[str, ...] = ()
    # findings whose basis has entries cited only while their instrument is in force and binds the actor:
    # (from, until, statuses, finding) for each stretch of dates and statuses with the same basis; empty when
    # every entry is always cited
    variants: tuple[tuple[Any, Any, frozenset[str], Prototype], ...] = ()
    # the assumption keys of each variant, when they differ between variants (a menu substitution made only on
    # some dates is named on those only); empty when every variant has ``assumption_keys``
    variant_keys: tuple[tuple[str, ...], ...] = ()

    def in_force(self, day: Any, status: str) -> bool:
        return self.rule.in_force.contains(day) and status in self.rule.binds and self.pack_in_force.contains(day)

    def applies(self, day: Any, status: str) -> bool:
        return self.setting_ok and self.in_force(day, status)

    def _variant(self, day: Any, status: Any) -> int | None:
        for k, (start, until, statuses, _) in enumerate(self.variants):
            if _within(start, until, day) and status in statuses:
                return k
        return None

    def finding_on(self, day: Any, status: Any) -> Prototype:
        """The finding prototype whose basis is the one cited on ``day`` for an actor of ``status`` (see
        ``variants``)."""
        k = self._variant(day, status)
        return self.finding if k is None else self.variants[k][3]

    def keys_on(self, day: Any, status: Any) -> tuple[str, ...]:
        """The assumption keys of the finding cited on ``day`` for an actor of ``status``."""
        k = self._variant(day, status) if self.variant_keys else None
        return self.assumption_keys if k is None else self.variant_keys[k]

    def reading(self) -> Deciding:
        """The condition decided on a report being filled in (fields marked PENDING are given but not chosen
        yet), compiled on first use: only incomplete reports need it."""
        if not self._reading:  # a race between threads only compiles it twice
            self._reading.append(compile_deciding(self.rule.nnf, pending=True))
        return self._reading[0]


def jsonable(value: Any) -> Any:
    """A condition or fact value as the decision's JSON reports it (dates as text, tuples as lists)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [jsonable(v) for v in value]
    return value


class MatchedReport:
    """Builds the reported :class:`MatchedCondition` of one comparison of a rule.

    The comparison's side (path, operator, expected value) is converted once. A field with few values (an
    enumeration, a flag) gets one frozen object per value, shared by every decision; other values (counts,
    dates, text) are unbounded, so their objects are built per decision and never kept.
    """

    __slots__ = ("cache", "expected", "op", "path", "value")

    def __init__(self, c: Compare) -> None:
        self.path, self.op, self.value = c.path, c.op, c.value
        # a list ('in', 'between') is mutable: such a comparison's objects are never shared, so that a caller
        # changing one decision's list cannot change another's
        self.expected = None if isinstance(c.value, tuple) else jsonable(c.value)
        spec = fact_fields().get(c.path)
        shareable = spec is not None and spec.type in ("enum", "bool") and not isinstance(c.value, tuple)
        self.cache: dict[Any, MatchedCondition] | None = {} if shareable else None

    def __call__(self, flat: dict[str, Any]) -> MatchedCondition:
        actual = flat.get(self.path)
        cache = self.cache
        if cache is None:
            return self._build(jsonable(actual))
        found = cache.get(actual)
        if found is None:
            found = cache[actual] = self._build(actual)
        return found

    def reporter(self) -> Callable[[dict[str, Any]], MatchedCondition]:
        """:meth:`__call__` as a closure over what it reads (the witness calls it for every matched condition)."""
        path, cache = self.path, self.cache
        if cache is None:
            return self.__call__
        cached = cache.get

        def report(flat: dict[str, Any]) -> MatchedCondition:
            found = cached(flat.get(path))
            return found if found is not None else self(flat)

        return report

    def _build(self, actual: Any) -> MatchedCondition:
        expected = jsonable(self.value) if isinstance(self.value, tuple) else self.expected
        return build(MatchedCondition, path=self.path, op=self.op, expected=expected, actual=actual)


def matched_report(c: Compare) -> Callable[[dict[str, Any]], MatchedCondition]:
    """The builder of a comparison's reported matched condition (what the witness hands back)."""
    return MatchedReport(c).reporter()


@dataclass(frozen=True)
class LadderPlan:
    category: str
    texts: AggregationTexts
    ladder: tuple[tuple[Level, SanctionChoice], ...]
    codes: tuple[str, ...]
    basis_several: tuple[CitedArticle, ...]
    basis_repeat: tuple[CitedArticle, ...]
    assumption_keys: tuple[str, ...]
    levels: frozenset[str] = frozenset()  # the levels on the ladder, for the repeat rule
    # the aggregation is its pack's law: it applies only while that pack is in force and binds the actor
    # (PP 94/2021 Pasal 35 neither for an act of 2020 nor for a PPPK)
    period: Any = None
    binds: frozenset[str] = frozenset()

    # a ladder that holds only on some dates for one status (a menu substitution made while its replacement's
    # instrument is in force): (first day or None, last day or None, status); None for the ladder of every date
    dated: tuple[Any, Any, str] | None = None
    # an earlier sanction of a type this ladder replaced (PP 94/2021 Pasal 8 ayat (4) huruf c before UU 20/2023)
    # ranks as its replacement
    aliases: dict[str, str] = field(default_factory=dict)

    def applies(self, day: Any, status: str) -> bool:
        if self.dated is not None:
            start, until, only = self.dated
            if status != only or not _within(start, until, day):
                return False
        return status in self.binds and (self.period is None or self.period.contains(day))


@dataclass(frozen=True)
class ExceptionPlan:
    """One ``sets_aside`` entry, resolved: the rule that holds (``excluder``) sets aside ``excluded``; the
    record the decision reports is built once."""

    excluder: int
    excluded: int
    record: SetAside


@dataclass
class Exceptions:
    """The ``sets_aside`` relation between the engine's rules, both ways."""

    by_excluder: dict[int, tuple[ExceptionPlan, ...]] = field(default_factory=dict)
    by_excluded: dict[int, tuple[ExceptionPlan, ...]] = field(default_factory=dict)

    def excluded_by(self, holding: tuple[int, ...] | list[int]) -> set[int]:
        """The rules that some rule of ``holding`` sets aside."""
        by = self.by_excluder
        return {plan.excluded for i in holding for plan in by.get(i, ())} if by else set()


def _exceptions(rules: list[LoadedRule], lawbook: Lawbook) -> Exceptions:
    index = {r.id: i for i, r in enumerate(rules)}
    out: dict[int, list[ExceptionPlan]] = {}
    back: dict[int, list[ExceptionPlan]] = {}
    for i, rule in enumerate(rules):
        for entry, refs in zip(rule.rule.sets_aside, rule.sets_aside_basis, strict=True):
            j = index.get(entry.rule)
            if j is None or j == i:
                continue  # the linter reports it; an engine is never built from packs with errors
            target = rules[j]
            record = SetAside(
                rule_id=target.id,
                title=target.rule.title,
                by=rule.id,
                by_title=rule.rule.title,
                basis=tuple(lawbook.cited(ref.citation) for ref in refs if ref.citation is not None),
                reason=entry.reason,
            )
            plan = ExceptionPlan(i, j, record)
            out.setdefault(i, []).append(plan)
            back.setdefault(j, []).append(plan)
    return Exceptions(
        {i: tuple(v) for i, v in out.items()},
        {j: tuple(v) for j, v in back.items()},
    )


@dataclass
class CompiledLaw:
    packs: list[LoadedPack]
    lawbook: Lawbook
    settings: dict[str, bool]
    rules: list[RulePlan]
    ladders: dict[str, LadderPlan]
    assumptions: dict[str, Assumption]
    pack_refs: tuple[PackRef, ...]
    indexes: RuleIndexes  # the rules by act kind and anchor value, per epoch's set of rules
    exceptions: Exceptions = field(default_factory=Exceptions)
    unbound_notes: dict[tuple[str, str], Bilingual] = field(default_factory=dict)

    # dates where some rule's or pack's period starts or ends (set by compile_law): days between two of them
    # share one Epoch, computed once per status
    bounds: list[Any] = field(default_factory=list)
    _epochs: dict[tuple[int, str], Epoch] = field(default_factory=dict)
    # ladders that replace those of ``ladders`` on some dates for one status (see LadderPlan.dated)
    dated_ladders: dict[str, tuple[LadderPlan, ...]] = field(default_factory=dict)

    def ladders_on(self, day: Any, status: str) -> dict[str, LadderPlan]:
        """The aggregations in force on ``day`` that bind an actor of ``status``, by category."""
        out = {}
        for category, plan in self.ladders.items():
            plan = next((d for d in self.dated_ladders.get(category, ()) if d.applies(day, status)), plan)
            if plan.applies(day, status):
                out[category] = plan
        return out

    def packs_in_force(self, day: Any) -> list[LoadedPack]:
        return [p for p in self.packs if p.rules and p.manifest.in_force.contains(day)]

    def unbound_notes_for(self, epoch: Epoch, flat: dict[str, Any]) -> list[Bilingual]:
        """The notes of packs in force that do not bind the actor, for a fact some rule of theirs could hold on."""
        rules = self.rules
        return [note for note, index in epoch.unbound
                if any(rules[i].possible(flat) for i in index.possible(flat))]

    def epoch(self, day: Any, status: str) -> Epoch:
        """What the applied date and the actor's status decide, computed once per epoch and status."""
        key = (bisect.bisect_right(self.bounds, day), status)
        found = self._epochs.get(key)
        if found is None:
            in_force = tuple(self.packs_in_force(day))
            unbound = []
            for pack in in_force:
                note = self.unbound_notes.get((pack.id, status))
                if note is None:
                    continue
                # the pack's rules in force on the day, as if the pack bound the actor: its note concerns a fact
                # one of them could hold on, and no other (the PPPK regulation says nothing on a PNS's report)
                rules = frozenset(p.index for p in self.rules if p.rule.pack_id == pack.id
                                  and p.rule.in_force.contains(day) and pack.manifest.in_force.contains(day))
                unbound.append((note, self.indexes.of(rules)[1]))
            applicable = frozenset(p.index for p in self.rules if p.applies(day, status))
            gated = tuple(p.index for p in self.rules if p.setting_keys and p.in_force(day, status))
            ladders = self.ladders_on(day, status)
            # epochs often apply the same rules (every status, in most periods): one set object and one index
            applicable, index = self.indexes.of(applicable)
            found = self._epochs[key] = Epoch(in_force, tuple(unbound), applicable, ladders, index, gated)
        return found



@dataclass(frozen=True)
class Epoch:
    in_force: tuple[LoadedPack, ...]  # the packs with rules in force
    # for those of them that do not bind the status: each one's note, with the index of its rules in force
    unbound: tuple[tuple[Bilingual, RuleIndex], ...]
    applicable: frozenset[int]  # the rules in force (theirs and their pack's period) that bind the status
    ladders: dict[str, LadderPlan]  # the aggregations in force that bind the status, by category
    index: RuleIndex  # the applicable rules by act kind and anchor value: the undetermined scan visits only
    # rules that could hold
    gated: tuple[int, ...] = ()  # rules in force with a when_setting, whether or not the settings choose them


def _within(start: Any, until: Any, day: Any) -> bool:
    """Whether ``day`` lies in a stretch of dates whose first or last day may be open (None)."""
    return (start is None or start <= day) and (until is None or day <= until)


def _edges(periods: Iterable[Any]) -> list[Any]:
    """The days where one of the periods starts or the day after one ends (none after the calendar's last day)."""
    edges = set()
    for period in periods:
        edges.add(period.from_)
        if period.until is not None and period.until < dt.date.max:
            edges.add(period.until + dt.timedelta(days=1))
    return sorted(edges)


def _bounds(rules: list[RulePlan], dated: Iterable[Any] = ()) -> list[Any]:
    """The epochs' bounds: where a rule's or pack's period, or a dated ladder's (``dated``), starts or ends."""
    return _edges([*(p for plan in rules for p in (plan.rule.in_force, plan.pack_in_force)), *dated])


def _setting_key(name: str) -> str:
    return f"{name}|when_setting"


def _setting_assumptions(
    lawbook: Lawbook, rules: list[LoadedRule], settings: dict[str, bool]
) -> dict[str, Assumption]:
    """One assumption per setting that some rule's when_setting reads: which rules its value applies and
    which it leaves out, so that a decision names the reading it used."""
    by_setting: dict[str, list[LoadedRule]] = {}
    for rule in rules:
        for name in rule.rule.when_setting or {}:
            by_setting.setdefault(name, []).append(rule)
    out: dict[str, Assumption] = {}
    for name, gated in by_setting.items():
        setting = lawbook.settings[name]
        value = settings[name]
        on = [r.rule.title for r in gated if (r.rule.when_setting or {})[name] == value]
        off = [r.rule.title for r in gated if (r.rule.when_setting or {})[name] != value]
        parts_id: list[str] = []  # the value itself is shown beside the effect, in words
        parts_en: list[str] = []
        if on:
            parts_id.append("Diterapkan: " + "; ".join(t.id for t in on) + ".")
            parts_en.append("Applied: " + "; ".join(t.en for t in on) + ".")
        if off:
            parts_id.append("Tidak diterapkan: " + "; ".join(t.id for t in off) + ".")
            parts_en.append("Not applied: " + "; ".join(t.en for t in off) + ".")
        out[_setting_key(name)] = Assumption(
            setting=name,
            value=value,
            default=setting.default,
            description=setting.description,
            effect=Bilingual(id=" ".join(parts_id), en=" ".join(parts_en)),
            basis=tuple(setting.basis),
        )
    return out


def _key(sub: Substitution) -> str:
    return f"{sub.setting}|{sub.replace}"


def _assumption(lawbook: Lawbook, sub: Substitution, value: bool) -> Assumption:
    setting = lawbook.settings[sub.setting]
    applied = value == sub.applies_when
    effect = (
        sub.note
        if applied
        else Bilingual(
            # the value itself is shown beside the effect, in words ("nilai yang dipakai: tidak")
            id=f"{sub.replace} berlaku sebagaimana tertulis.",
            en=f"{sub.replace} applies as written.",
        )
    )
    return Assumption(
        setting=sub.setting,
        value=value,
        default=setting.default,
        description=setting.description,
        effect=effect,
        basis=tuple(sub.basis),
    )


def _menus(
    lawbook: Lawbook, rule: LoadedRule, settings: dict[str, bool], day: Any = None, status: str | None = None
) -> tuple[tuple[SanctionMenu, ...], set[str]]:
    menus: list[SanctionMenu] = []
    keys: set[str] = set()
    for ref in rule.sanctions:
        assert ref.citation is not None  # the linter guarantees it
        menu, _ = lawbook.menu(ref.citation, settings, day, status)
        # two types of one row replaced by the same whole menu (PP 53/2010 Pasal 7 ayat (4) huruf d and e by PP
        # 94/2021 Pasal 8 ayat (4)): that menu once, naming both
        same = next((k for k, m in enumerate(menus) if (m.cite, m.options) == (menu.cite, menu.options)), None)
        if same is None:
            menus.append(menu)
        elif menu.replaces and (earlier := menus[same].replaces) and menu.replaces not in earlier:
            menus[same] = menus[same].model_copy(update={"replaces": f"{earlier}; {menu.replaces}"})
        keys.update(_substitution_keys(lawbook, ref.citation, day, status))
    return tuple(menus), keys


def _substitution_keys(lawbook: Lawbook, citation: Any, day: Any, status: str | None) -> set[str]:
    """The assumption keys of the substitutions that could change a menu on ``day`` for ``status`` (whichever
    value the setting has, so that a decision names the reading it used)."""
    return {_key(s) for s in lawbook.substitutions_for(citation, day, status)}


_STATUSES = ("pns", "cpns", "pppk")


def _spans(periods: list[Any]) -> list[tuple[Any, Any, Any]]:
    """The stretches of dates that the periods' first and last days cut time into, as (first day or None, last
    day or None, a day inside)."""
    edges = _edges(periods)
    out = []
    for k in range(len(edges) + 1):
        start = edges[k - 1] if k else None
        until = edges[k] - dt.timedelta(days=1) if k < len(edges) else None
        out.append((start, until, start if start is not None else edges[0] - dt.timedelta(days=1)))
    return out


def _stretches(
    rule: LoadedRule, packs: dict[str, LoadedPack], lawbook: Lawbook
) -> list[tuple[Any, Any, frozenset[str], tuple[int, ...], str]]:
    """For a rule whose finding changes with the date: the stretches of dates with the same finding for the same
    statuses, as (first day or None, last day or None, statuses, indexes of the basis entries cited, one of the
    statuses); empty when nothing changes. Two things change it: basis entries cited only while their
    instrument is in force (and binds the actor), and menu substitutions made only while the replacement's
    instrument is (a statute overriding an older menu from its first day)."""
    periods: dict[int, tuple[Any, frozenset[str]]] = {}
    for i, flag in enumerate(rule.basis_while_in_force):
        citation = rule.basis[i].citation
        if flag and citation is not None and citation in lawbook.articles:
            manifest = packs[lawbook.articles[citation].pack_id].manifest
            periods[i] = (manifest.in_force, frozenset(manifest.binds.statuses))
    menus = [d for ref in rule.sanctions if ref.citation is not None for d in lawbook.dated_periods(ref.citation)]
    if not periods and not menus:
        return []
    out: list[tuple[Any, Any, frozenset[str], tuple[int, ...], str]] = []
    for start, until, probe in _spans([p for p, _ in periods.values()] + [p for p, _ in menus]):
        by_kept: dict[tuple[tuple[int, ...], tuple[bool, ...]], set[str]] = {}
        for status in _STATUSES:
            kept = tuple(
                i for i in range(len(rule.basis))
                if i not in periods or (periods[i][0].contains(probe) and status in periods[i][1])
            )
            swapped = tuple(period.contains(probe) and status in binds for period, binds in menus)
            by_kept.setdefault((kept, swapped), set()).add(status)
        out.extend((start, until, frozenset(statuses), kept, min(statuses)) for (kept, _), statuses in by_kept.items())
    return out


def _rule_plan(
    index: int, rule: LoadedRule, pack: LoadedPack, lawbook: Lawbook, settings: dict[str, bool],
    packs: dict[str, LoadedPack] | None = None,
) -> RulePlan:
    then = rule.rule.then
    menus, keys = _menus(lawbook, rule, settings)
    basis = tuple(lawbook.cited(ref.citation) for ref in rule.basis if ref.citation is not None)
    static = _static(rule, pack, menus, basis, then)
    gate = rule.rule.when_setting or {}
    variants: list[tuple[Any, Any, frozenset[str], Prototype]] = []
    variant_keys: list[tuple[str, ...]] = []
    for start, until, statuses, kept, status in _stretches(rule, packs or {pack.id: pack}, lawbook):
        cited = tuple(lawbook.cited(c) for i in kept if (c := rule.basis[i].citation) is not None)
        dated_menus, dated_keys = _menus(lawbook, rule, settings, start if start is not None else until, status)
        proto = Prototype(Finding, _static(rule, pack, dated_menus, cited, then), ("explanation", "matched"))
        variants.append((start, until, statuses, proto))
        variant_keys.append(tuple(sorted(dated_keys)))
    if all(k == tuple(sorted(keys)) for k in variant_keys):
        variant_keys = []  # the same keys on every date: no lookup per decision
    return RulePlan(
        index,
        rule,
        frozenset(paths(rule.condition)),
        static,
        tuple(sorted(keys)),
        pack.manifest.in_force,
        compile_condition(rule.nnf, missing=True),
        compile_witness(rule.nnf, matched_report),
        BilingualTemplate(rule.rule.explain),
        Prototype(Finding, static, ("explanation", "matched")),
        compile_deciding(rule.nnf),
        _comparisons(rule.nnf),
        setting_ok=all(settings.get(name) == value for name, value in gate.items()),
        setting_keys=tuple(sorted(_setting_key(name) for name in gate)),
        variants=tuple(variants),
        variant_keys=tuple(variant_keys),
    )


def _static(rule: LoadedRule, pack: LoadedPack, menus: tuple[SanctionMenu, ...], basis: tuple[CitedArticle, ...],
            then: Any) -> dict[str, Any]:
    statuses = [b.provenance.status for b in basis]
    if rule.rule.provenance:
        statuses.append(rule.rule.provenance.status)
    return {
        "rule_id": rule.id,
        "pack": rule.pack_id,
        "pack_version": pack.version,
        "title": rule.rule.title,
        "category": then.category,
        "level": then.level,
        "nature": then.nature,
        "sanctions": menus,
        "basis": basis,
        "notes": tuple(then.notes),
        "verification": max(statuses, key=_VERIFICATION_ORDER.__getitem__),
    }


def _comparisons(nnf: Any) -> dict[str, tuple[Compare, ...]]:
    out: dict[str, list[Compare]] = {}
    for c in leaves(nnf):
        out.setdefault(c.path, []).append(c)
    return {p: tuple(cs) for p, cs in out.items()}


def _ladder_plans(lawbook: Lawbook, pack: LoadedPack, settings: dict[str, bool]) -> list[LadderPlan]:
    """The aggregation's ladder, and when a menu substitution on it is made only while its replacement's
    instrument is in force, one plan per stretch of dates and statuses with its own ladder (``dated``)."""
    agg = pack.manifest.aggregation
    assert agg is not None
    plain = _ladder_plan(lawbook, pack, settings)
    dated = [d for text in agg.ladder for d in lawbook.dated_periods(parse_citation(text))]
    if not dated:
        return [plain]
    plans = []
    for start, until, probe in _spans([p for p, _ in dated]):
        for status in _STATUSES:
            plan = _ladder_plan(lawbook, pack, settings, probe, status)
            if (plan.codes, plan.assumption_keys) != (plain.codes, plain.assumption_keys):
                plans.append(dataclasses.replace(plan, dated=(start, until, status)))
    return [*plans, plain]


def _ladder_plan(
    lawbook: Lawbook, pack: LoadedPack, settings: dict[str, bool], day: Any = None, status: str | None = None
) -> LadderPlan:
    agg = pack.manifest.aggregation
    assert agg is not None
    ladder: list[tuple[Level, SanctionChoice]] = []
    keys: set[str] = set()
    aliases: dict[str, str] = {}  # the code of a type replaced on the ladder -> the code of its replacement
    for text in agg.ladder:
        citation = parse_citation(text)
        menu, _ = lawbook.menu(citation, settings, day, status)
        ladder.extend((menu.level or "unassigned", opt) for opt in menu.options)
        keys.update(_substitution_keys(lawbook, citation, day, status))
        plain, _ = lawbook.menu(citation, {}, None, None)
        if menu.replaces is not None and menu.cite == plain.cite:  # one type replaced inside the menu
            gone = [o for o in plain.options if o not in menu.options]
            new = [o for o in menu.options if o not in plain.options]
            aliases.update((o.code, new[0].code) for o in gone if new)
    return LadderPlan(
        category=agg.category,
        texts=agg.explain,
        ladder=tuple(ladder),
        codes=tuple(opt.code for _, opt in ladder),
        basis_several=tuple(lawbook.cited_text(t) for t in agg.basis.several),
        basis_repeat=tuple(lawbook.cited_text(t) for t in agg.basis.repeat),
        assumption_keys=tuple(sorted(keys)),
        levels=frozenset(lvl for lvl, _ in ladder),
        period=pack.manifest.in_force,
        binds=frozenset(pack.manifest.binds.statuses),
        aliases=aliases,
    )


def compile_law(
    packs: list[LoadedPack],
    rules: list[LoadedRule],
    lawbook: Lawbook,
    settings: dict[str, bool],
    act_kinds: tuple[str, ...],
) -> CompiledLaw:
    by_id = {p.id: p for p in packs}
    plans = [_rule_plan(i, r, by_id[r.pack_id], lawbook, settings, by_id) for i, r in enumerate(rules)]
    ladders: dict[str, LadderPlan] = {}
    dated_ladders: dict[str, tuple[LadderPlan, ...]] = {}
    for pack in packs:
        if pack.manifest.aggregation and pack.manifest.aggregation.category not in ladders:
            *dated, plain = _ladder_plans(lawbook, pack, settings)
            ladders[pack.manifest.aggregation.category] = plain
            if dated:
                dated_ladders[pack.manifest.aggregation.category] = tuple(dated)
    assumptions = {_key(s): _assumption(lawbook, s, settings[s.setting]) for s in lawbook.substitutions}
    assumptions.update(_setting_assumptions(lawbook, rules, settings))
    refs = tuple(
        PackRef(
            id=p.id,
            version=p.version,
            sha256=p.digest,
            instrument=f"{p.manifest.instrument.kind} {p.manifest.instrument.number}/{p.manifest.instrument.year}",
            in_force_from=p.manifest.in_force.from_,
            in_force_until=p.manifest.in_force.until,
        )
        for p in packs
    )
    law = CompiledLaw(
        packs,
        lawbook,
        settings,
        plans,
        ladders,
        assumptions,
        refs,
        RuleIndexes([r.nnf for r in rules], act_kinds),
        exceptions=_exceptions(rules, lawbook),
        # a dated ladder changes where its substitution's pack starts or ends
        bounds=_bounds(plans, (period for pack in packs if pack.manifest.aggregation
                               for text in pack.manifest.aggregation.ladder
                               for period, _ in lawbook.dated_periods(parse_citation(text)))),
        dated_ladders=dated_ladders,
    )
    for pack in packs:
        for status in ("pns", "cpns", "pppk"):
            if status not in pack.manifest.binds.statuses:
                title = pack.manifest.instrument.title
                law.unbound_notes[(pack.id, status)] = pack.manifest.binds.note or Bilingual(
                    id=f"{title} tidak mengikat {status.upper()}; aturannya tidak diterapkan.",
                    en=f"{title} does not bind {status.upper()}; its rules were not applied.",
                )
    return law
