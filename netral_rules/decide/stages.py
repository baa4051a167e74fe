"""The decide pipeline, one named stage per step, each usable (and tested) alone::

    prepare ──► law in force ──► match ──► set aside ──► undetermined ──► aggregate ──► assemble

* :meth:`Stages.prepare`       the fact's flat view ``{path: value}``, derived values, the audit record;
* :meth:`Stages.law_in_force`  the epoch of the applied date and the actor's status (packs, rules, ladders);
* :meth:`Stages.match`         the backend: which applicable rules' conditions certainly hold;
* :meth:`Stages.set_aside`     findings a holding rule sets aside (the rules' ``sets_aside`` relation);
* :meth:`Stages.undetermined`  rules the fact says too little about, with the missing fields that decide them;
* :meth:`Stages.aggregate`     PP 94/2021 Pasal 35: one heaviest sanction, escalation on a repeat;
* :meth:`Stages.assemble`      the frozen :class:`Decision` with notes, assumptions and audit.

:meth:`Stages.decide` chains them. Everything here is shared by both backends; the backend only matches.
The fast paths (trusted model building, kept aggregates) stay behind :mod:`netral_rules._fast` and this
module's caches, so the stages read as the law does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any, NamedTuple

from .. import __version__
from .._fast import Prototype, build
from ..backends import Matcher
from ..fact.constraints import constraints
from ..fact.derive import derive, from_calendar
from ..fact.fields import fact_fields, flatten
from ..fact.model import Election, Fact
from ..law.calendars import TYPE_CONTESTS, Calendar, Calendars, calendar_texts
from ..output.words import readings_words
from ..vocabulary import Bilingual, DecisionStatus
from .aggregate import AggregationResult, aggregate
from .compile import CompiledLaw, Epoch, LadderPlan, RulePlan
from .decision import Aggregate, Assumption, Audit, Decision, Finding, SetAside, Undetermined
from .readings import Choice, Search, Summary, Variable, domain, summarise

_to_json = Fact.__pydantic_serializer__.to_json
_AGGREGATES_KEPT = 4096  # distinct sets of matched rules whose aggregate is kept (see Stages.aggregate)
_STATUS: dict[str, DecisionStatus] = {"every": "violation", "some": "undetermined", "none": "no_violation"}
_NO_TEXT = Bilingual(id="-", en="-")
_TRUNCATED = Bilingual(
    id="Laporan ini menyisakan terlalu banyak kemungkinan; hanya sebagian pembacaan yang ditimbang. Lengkapi laporan.",
    en="This report leaves too many possibilities open; only some readings were weighed. Complete the report.",
)


@dataclass(slots=True)
class Prepared:
    """What every later stage reads: the validated fact, the date whose law applies, the flat view with the
    derived values, the notes reporting the derivations, and the audit record."""

    fact: Fact
    applied_on: dt.date
    flat: dict[str, Any]
    notes: list[Bilingual]
    audit: Audit
    # the rules in force that could still hold though the report does not give every field they read (set by
    # Stages.unknown, read by the undetermined stage), and the fields no answer can give (other kinds' fields,
    # measures in another unit)
    open: tuple[int, ...] | None = None
    unfillable: frozenset[str] = frozenset()
    # the flat view with the unfillable fields absent for good (None), when there are any (set by Stages.unknown)
    closed: dict[str, Any] | None = None


class Matched(NamedTuple):
    """The result of matching and setting aside: the rules that hold (in rule order), those of them whose
    findings stand, and what was set aside by what. (A named tuple: built for every report, and a frozen
    dataclass costs a microsecond more to build.)"""

    holding: tuple[int, ...]
    kept: tuple[int, ...]
    set_aside: tuple[SetAside, ...]


class Stages:
    """The stages of one engine: its compiled law, its matcher, and what decisions share."""

    def __init__(self, law: CompiledLaw, matcher: Matcher, backend: str, settings: dict[str, bool],
                 calendars: Calendars | None = None) -> None:
        self.law = law
        self.matcher = matcher
        self.settings = settings
        self.calendars = calendars  # the election calendars derivation reads (fact.derive)
        self._pack_notes = {p.id: tuple(p.manifest.notes) for p in law.packs}
        self._aggregates: dict[tuple[Any, ...], AggregationResult] = {}
        self._ladder_levels = frozenset(lvl for plan in (*law.ladders.values(), *(d for ds in law.dated_ladders.values()
                                                                                for d in ds)) for lvl in plan.levels)
        self._excluders = frozenset(law.exceptions.by_excluder)  # the rules that set some rule aside
        # per rule: the fields it reads, and whether it could hold once missing values are known
        self._needs = [plan.needs for plan in law.rules]
        self._possible = [plan.possible for plan in law.rules]
        # per set of rules whose findings stand: their notes, and the assumptions (with the aggregate's)
        self._notes: dict[tuple[int, ...], tuple[Any, tuple[tuple[Bilingual, tuple[str, str]], ...]]] = {}
        self._assumed: dict[tuple[Any, ...], tuple[Assumption, ...]] = {}
        # what every audit and decision of this engine shares, merged once (see _fast.Prototype)
        self.audit = Prototype(
            Audit,
            {"engine_version": __version__, "backend": backend, "packs": law.pack_refs},
            ("applied_on", "as_of_given", "input_sha256", "settings"),
        )
        self.decision = Prototype(
            Decision,
            {"not_covered": None},
            ("fact_id", "status", "applied_on", "findings", "aggregate", "set_aside", "undetermined", "readings",
             "assumptions", "notes", "audit"),
        )
        self.on_kept: list[Any] = []  # callbacks told of each aggregate kept (the JSON writer remembers them)
        self.fields = fact_fields()
        self.constraints = constraints()
        self._one_of = tuple(c for c in self.constraints if c.spec.one_of)
        self.words = readings_words()
        self._kind_fields: dict[Any, frozenset[str]] = {}
        self._domains: dict[tuple[str, Any, frozenset[int]], tuple[Choice, ...]] = {}

    @property
    def pack_notes(self) -> dict[str, tuple[Bilingual, ...]]:
        return self._pack_notes

    # --- the pipeline ------------------------------------------------------------------------------

    def decide(self, fact: Fact, as_of: dt.date | None) -> Decision:
        prepared = self.prepare(fact, as_of)
        epoch = self.law_in_force(prepared)
        if not epoch.in_force:
            return self.not_covered(prepared)
        if epoch.unbound:
            prepared.notes.extend(self.law.unbound_notes_for(epoch, prepared.flat))
        matched = self.set_aside(self.match(prepared, epoch))
        unknown = self.unknown(prepared, epoch)
        summary = None
        if unknown or (prepared.fact.actor.prior_sanctions and self._prior_types(prepared.fact, epoch.ladders)):
            summary = self.readings(prepared, epoch, unknown)
            matched = settle(summary, self.law)
        undetermined = self.undetermined(prepared, epoch, matched, summary)
        day = prepared.applied_on
        findings = [_finding(self.law.rules[i], prepared.flat, day) for i in matched.kept]
        agg = self.aggregate(prepared, epoch, matched, findings)
        chosen = self.setting_readings(prepared, epoch)
        return self.assemble(prepared, matched, findings, undetermined, agg, summary, chosen)

    def prepare(self, fact: Fact, as_of: dt.date | None = None) -> Prepared:
        """The flat view with derived values, and the audit record (with the hash of the validated input)."""
        applied_on = as_of or fact.occurred_on
        # the JSON of the validated fact, fields in model order: the hash does not depend on the input's key
        # order. The serializer's to_json gives the bytes model_dump_json() would return as text, without the
        # decode and encode.
        digest = hashlib.sha256(_to_json(fact))
        if as_of is not None:
            digest.update(b"|as_of=" + as_of.isoformat().encode())
        audit = self.audit.make(applied_on, as_of is not None, digest.hexdigest(), dict(self.settings))
        flat = flatten(fact)
        notes = derive(fact, flat, self.calendars)
        return Prepared(fact, applied_on, flat, notes, audit)

    def law_in_force(self, prepared: Prepared) -> Epoch:
        """The packs, rules and aggregations in force on the applied date that bind the actor."""
        return self.law.epoch(prepared.applied_on, prepared.fact.actor.status)

    def match(self, prepared: Prepared, epoch: Epoch) -> list[int]:
        """The applicable rules whose conditions certainly hold, in rule order (the backend's one job)."""
        return self.matcher.match(prepared.flat, epoch.applicable)

    def set_aside(self, holding: list[int]) -> Matched:
        """Remove the findings that a holding rule sets aside (its ``sets_aside``), recording by which rule
        and why. A rule that holds sets aside what it names even when it is itself set aside by a third: the
        most specific form stands, and no general form is punished beside it (PP 94/2021 Pasal 35 ayat (3))."""
        relation = self.law.exceptions
        if not holding or self._excluders.isdisjoint(holding):  # no holding rule sets any other aside
            both = tuple(holding)
            return Matched(both, both, ())
        held = set(holding)
        records: list[SetAside] = []
        removed: set[int] = set()
        for i in holding:
            for plan in relation.by_excluder.get(i, ()):
                if plan.excluded in held:
                    removed.add(plan.excluded)
                    records.append(plan.record)
        if not removed:
            both = tuple(holding)
            return Matched(both, both, ())
        records.sort(key=lambda r: (r.rule_id, r.by))
        return Matched(tuple(holding), tuple(i for i in holding if i not in removed), tuple(records))

    def unknown(self, prepared: Prepared, epoch: Epoch) -> tuple[str, ...]:
        """The fields the report leaves unknown that some rule in force, which could still hold, reads (only
        fields the act's kind has): what the readings fill in. Empty for a report complete for its rules."""
        flat = prepared.flat
        present = flat.keys()
        needs, possible = self._needs, self._possible
        open_rules = [i for i in epoch.index.possible(flat) if not needs[i] <= present and possible[i](flat)]
        prepared.open = tuple(open_rules)
        if not open_rules:
            return ()
        out: set[str] = set().union(*[needs[i] - present for i in open_rules])
        unfillable = self._unfillable(flat, out)
        prepared.unfillable = unfillable  # before any return: the readings may still run (an earlier sanction)
        if unfillable:
            # A field no answer can give is absent for good, as on a complete report: a rule that could hold
            # only if one of them had a value is not open (an hours rule on a report counting days), so it is
            # neither undetermined nor left open in every reading.
            closed = prepared.closed = dict(flat)
            closed.update(dict.fromkeys(unfillable))
            open_rules = [i for i in open_rules if possible[i](closed)]
            prepared.open = tuple(open_rules)
            if not open_rules:
                return ()
            out = set().union(*[needs[i] - present for i in open_rules])
        return tuple(sorted(out - unfillable))

    def _unfillable(self, flat: dict[str, Any], fields: set[str] | frozenset[str]) -> frozenset[str]:
        """The fields of ``fields`` the report can never give: a field of another kind of act, or a measure the
        report gave in another unit (the constraints' one_of)."""
        carried = self._carried(flat.get("act.kind"))
        left_out: set[str] = set()
        for c in self._one_of:
            left_out |= c.left_out(flat)
        return frozenset(p for p in fields if (p.startswith("act.") and p not in carried) or p in left_out)

    def _carried(self, kind: Any) -> frozenset[str]:
        found = self._kind_fields.get(kind)
        if found is None:
            found = self._kind_fields[kind] = frozenset(
                p for p, spec in self.fields.fields.items() if p.startswith("act.") and kind in spec.act_kinds
            )
        return found

    def readings(self, prepared: Prepared, epoch: Epoch, unknown: tuple[str, ...]) -> Summary:
        """Every way of filling the unknown fields in that the fact model's constraints allow, decided as a
        complete report would be (:mod:`.readings`)."""
        flat = prepared.flat
        rules = self.law.rules
        kind = flat.get("act.kind")
        closed = prepared.closed or flat  # absent for good (see unknown): no rule needing one is a candidate
        candidates = [i for i in epoch.index.possible(flat) if rules[i].possible(closed)]
        variables = {p: Variable(p, self._domain(p, kind, epoch)) for p in unknown}
        named = prepared.fact.context.election
        # (an office names a regional election already: the constraints keep it so)
        if named is not None and named.id is not None and named.office is None and _TYPE in variables \
                and self.calendars:
            calendar = self.calendars.get(named.id)
            if calendar is not None:  # a report naming its election means one of the contests it holds
                held = _types_held(calendar)
                var = variables[_TYPE]
                variables[_TYPE] = Variable(_TYPE, tuple(c for c in var.choices if c.value in held))
        readers = {i: rules[i].reading() for i in candidates}
        fact, ladders = prepared.fact, epoch.ladders
        day, status = prepared.applied_on, flat.get("actor.status")
        post = self._prior_types(fact, ladders)
        facts: dict[tuple[Any, ...], Fact] = {}

        def outcome(kept: tuple[int, ...], values: dict[str, Any]) -> tuple[bool, str | None, str | None]:
            findings = [(rules[i].finding_on(day, status) if rules[i].variants else rules[i].finding).make(_NO_TEXT, ())
                        for i in kept]  # the menus cited on the applied date
            used = fact
            if values:  # the earlier sanctions with the types this reading gives them
                key = tuple(sorted(values.items()))
                used = facts.get(key) or facts.setdefault(key, _with_prior_types(fact, values))
            agg = self._aggregate(list(kept), findings, used, ladders).aggregate
            return (agg.level is not None, agg.category, agg.level)

        providers = self._elections(prepared, variables)
        search = Search(self.law, candidates, readers, variables, flat, outcome, self.constraints, post, providers)
        search.run()
        if providers and any(providers[0].path in leaf.assign for leaf in search.leaves):
            prepared.notes.append(_elections_note(providers[0], prepared.fact.occurred_on))
        summary = summarise(search, self.words, unknown)
        if search.truncated:
            prepared.notes.append(_TRUNCATED)
        return summary

    def _elections(self, prepared: Prepared, variables: dict[str, Variable]) -> list[Variable]:
        """For a report that names no election: "which election?", answered by the calendars whose cycle covers
        the act's day (and that hold the contest the report names), each giving the stage and the campaign flag
        its calendar gives for that day, as the report naming it would (:func:`from_calendar`); and "another
        election", under which those stay open. Only where the readings fill in what a calendar gives."""
        fact = prepared.fact
        election = fact.context.election or Election()
        if election.id is not None or not self.calendars or not any(p in variables for p in _FROM_CALENDAR):
            return []
        day = fact.occurred_on
        found = self.calendars.covering(day, election_type=election.type, office=election.office)
        if not found:
            return []
        texts = calendar_texts()
        choices = []
        for calendar in found:
            values, _ = from_calendar(election.model_copy(update={"id": calendar.id}), day, self.calendars)
            sets = tuple((f"context.election.{k}", v) for k, v in sorted(values.items()))
            allows: tuple[tuple[str, frozenset[Any]], ...] = ()
            if election.type is None and "type" not in values:  # the contests it holds only
                allows = (("context.election.type", _types_held(calendar)),)
            choices.append(Choice(calendar.id, label=texts.election(calendar), sets=sets, allows=allows))
        choices.append(Choice("\x00other", label=texts.notes["other_election"], listed=False))
        return [Variable("context.election.id", tuple(choices))]

    def _prior_types(self, fact: Fact, ladders: dict[str, LadderPlan]) -> list[Variable]:
        """An earlier sanction of a level on a ladder whose type the report leaves out: its possible types,
        which the repeat rule of PP 94/2021 Pasal 35 ayat (2) reads."""
        out = []
        for k, prior in enumerate(fact.actor.prior_sanctions):
            if prior.sanction is not None or prior.imposed_on >= fact.occurred_on:
                continue
            # the types of the ladder in force when it was imposed (a type replaced later ranks as its replacement,
            # LadderPlan.aliases), else of the act's
            then = self.law.epoch(prior.imposed_on, fact.actor.status).ladders or ladders
            options = [opt for plan in then.values() for lvl, opt in plan.ladder if lvl == prior.level]
            if len(options) > 1:
                choices = tuple(Choice(opt.code, label=opt.label) for opt in options)
                out.append(Variable(f"actor.prior_sanctions[{k}].sanction", choices))
        return out

    def _domain(self, path: str, kind: Any, epoch: Epoch) -> tuple[Choice, ...]:
        key = (path, kind, epoch.applicable)
        found = self._domains.get(key)
        if found is None:
            comparisons = [c for i in epoch.applicable for c in self.law.rules[i].comparisons.get(path, ())]
            found = self._domains[key] = domain(path, str(kind), comparisons, self.fields)
        return found

    def setting_readings(self, prepared: Prepared, epoch: Epoch) -> tuple[str, ...]:
        """The assumption keys of the engine settings that choose between readings of the law (rules'
        ``when_setting``) and could change this decision: a rule in force that a setting applies or leaves out
        and whose condition could hold on the report."""
        if not epoch.gated:
            return ()
        rules, flat = self.law.rules, prepared.flat
        out: list[str] = []
        for i in epoch.gated:
            plan = rules[i]
            holds, could, deciding = plan.deciding(flat)
            if not holds and (not could or deciding <= self._unfillable(flat, deciding)):
                continue  # it cannot hold, or only values the report cannot give would make it hold
            out.extend(plan.setting_keys)
        return tuple(out)

    def undetermined(
        self, prepared: Prepared, epoch: Epoch, matched: Matched, summary: Summary | None = None
    ) -> tuple[Undetermined, ...]:
        """Rules that do not certainly hold but could, once the missing values they compare are known; not
        those a holding rule sets aside whatever the missing values are. With readings: the rules whose
        findings stand in some readings but not in all."""
        if prepared.open is None:
            self.unknown(prepared, epoch)
        if not prepared.open:  # every rule in force is decided by what the report gives
            return ()
        flat = prepared.flat
        rules = self.law.rules
        done = set(matched.holding)
        excluded = self.law.exceptions.excluded_by(matched.holding)
        some = summary.kept_some if summary is not None else None
        unfillable = prepared.unfillable
        out = []
        for i in prepared.open:  # the rules in force that could hold but not on what the report gives
            plan = rules[i]
            if i in done or i in excluded:
                continue
            if some is not None and i not in some:
                continue  # it stands in no reading: it cannot decide anything
            missing = [p for p in plan.deciding(flat)[2] if p not in unfillable]
            if not missing:
                continue  # only fields the report cannot give would decide it
            out.append(
                build(
                    Undetermined,
                    rule_id=plan.rule.id,
                    title=plan.rule.rule.title,
                    missing=tuple(sorted(missing)),
                )
            )
        return tuple(out)

    def aggregate(
        self, prepared: Prepared, epoch: Epoch, matched: Matched, findings: list[Finding]
    ) -> AggregationResult:
        """The combined outcome of the findings that stand (PP 94/2021 Pasal 35)."""
        return self._aggregate(list(matched.kept), findings, prepared.fact, epoch.ladders)

    def _aggregate(
        self, kept: list[int], findings: list[Finding], fact: Fact, ladders: dict[str, LadderPlan]
    ) -> AggregationResult:
        # The aggregate reads the fact only for prior sanctions of a finding's nature, imposed before the act,
        # at a level of a ladder (PP 94/2021 Pasal 35 ayat (2)); without one it reads only what the findings'
        # rules fix (rule id, category, level, nature, sanction menus) and which aggregations apply on the
        # date to the actor, so it is the same for the same rules and ladders: it is kept, up to a bound, and
        # shared (it is frozen).
        priors = fact.actor.prior_sanctions
        if priors and findings:
            natures = {f.nature for f in findings if f.nature}
            levels = self._ladder_levels
            day = fact.occurred_on
            if any(p.imposed_on < day and p.nature in natures and p.level in levels for p in priors):
                return aggregate(findings, fact, ladders)
        # the ladders and the findings' menus as objects: both may change with the date (a menu substitution made
        # only while its replacement's instrument is in force), and each is built once per engine
        key = (tuple(kept), tuple(map(id, ladders.values())), tuple([id(f.sanctions) for f in findings]))
        found = self._aggregates.get(key)
        if found is None:
            found = aggregate(findings, fact, ladders)
            if len(self._aggregates) < _AGGREGATES_KEPT:
                self._aggregates[key] = found
                for tell in self.on_kept:
                    tell(found.aggregate, *found.notes)
        return found

    def assemble(
        self,
        prepared: Prepared,
        matched: Matched,
        findings: list[Finding],
        undetermined: tuple[Undetermined, ...],
        agg: AggregationResult,
        summary: Summary | None = None,
        chosen: tuple[str, ...] = (),
    ) -> Decision:
        """The decision: status, findings, what was set aside, the aggregate, the assumptions it rests on (the
        settings' substitutions behind its sanction menus, and the settings choosing the readings it applied,
        ``chosen``), and the notes (derivations and epoch first; rule and pack notes once each, after them)."""
        notes = prepared.notes
        notes.extend(agg.notes)
        status: DecisionStatus
        if findings:
            # the findings' notes, then their packs' notes, each text once (notes are equal exactly when their
            # texts are), less those the report's own notes already say
            static = self._static_notes(matched.kept, findings)
            if notes:
                seen = {(n.id, n.en) for n in notes}
                notes.extend([n for n, key in static if key not in seen])
            else:
                notes.extend([n for n, _ in static])
            status = "violation"
        elif undetermined:
            status = "undetermined"
        else:
            status = "no_violation"
        if summary is not None:  # the readings decide: a violation in every reading, in some, or in none
            status = _STATUS[summary.readings.violation]
        return self.decision.make(  # type: ignore[no-any-return]
            prepared.fact.id,  # the varying fields of the prototype, in its order
            status,
            prepared.applied_on,
            tuple(findings),
            agg.aggregate,
            matched.set_aside,
            undetermined,
            summary.readings if summary is not None else None,
            self._assumptions(matched.kept, agg.assumption_keys, chosen, prepared.applied_on,
                              prepared.flat.get("actor.status")),
            tuple(notes),
            prepared.audit,
        )

    def _static_notes(self, kept: tuple[int, ...], findings: list[Finding]) -> tuple[tuple[Bilingual, tuple[str, str]],
                                                                                    ...]:
        """The findings' notes and then their packs' notes, each text once, with their texts: the same for every
        decision with the same findings' notes and packs, so kept per set of rules with what they follow from."""
        # what the notes follow from, compared with what they were kept for (identical objects compare at once)
        sig = (tuple([f.notes for f in findings]), tuple([f.pack for f in findings]))
        entry = self._notes.get(kept)
        if entry is not None and entry[0] == sig:
            return entry[1]
        seen: set[tuple[str, str]] = set()
        out = []
        for n in [n for f in findings for n in f.notes] + [
            n for pack_id in dict.fromkeys(f.pack for f in findings) for n in self._pack_notes[pack_id]
        ]:
            key = (n.id, n.en)
            if key not in seen:
                seen.add(key)
                out.append((n, key))
        found = tuple(out)
        if len(self._notes) < _AGGREGATES_KEPT:
            self._notes[kept] = (sig, found)
        return found

    def _assumptions(self, kept: tuple[int, ...], agg_keys: tuple[str, ...], chosen: tuple[str, ...] = (),
                     day: Any = None, status: Any = None) -> tuple[Assumption, ...]:
        """The assumptions the findings' rules (their menus as cited on ``day`` for ``status``), the aggregate and
        the settings that chose the readings applied rest on, in key order (kept per set of rules)."""
        rules = self.law.rules
        # a rule whose menus change with the date names the substitutions of that date's menus
        dated = tuple(rules[i].keys_on(day, status) for i in kept if rules[i].variant_keys) if day else ()
        found = self._assumed.get((kept, agg_keys, chosen, dated))
        if found is None:
            law = self.law
            keys = set(agg_keys) | set(chosen)
            for i in kept:
                plan = rules[i]
                keys.update(plan.keys_on(day, status) if day and plan.variant_keys else plan.assumption_keys)
            found = tuple([law.assumptions[k] for k in sorted(keys)])
            if len(self._assumed) < _AGGREGATES_KEPT:
                self._assumed[(kept, agg_keys, chosen, dated)] = found
        return found

    def not_covered(self, prepared: Prepared) -> Decision:
        """The decision for a date no loaded pack covers: never answered with another period's law."""
        applied_on = prepared.applied_on
        periods = "; ".join(
            f"{p.manifest.instrument.kind} {p.manifest.instrument.number}/{p.manifest.instrument.year} "
            f"{p.manifest.in_force.from_}..{p.manifest.in_force.until or ''}"
            for p in self.law.packs
            if p.rules
        )
        reason = Bilingual(
            id=f"Tidak ada paket aturan yang berlaku pada {applied_on}. Paket yang dimuat: {periods or 'tidak ada'}.",
            en=f"No loaded rule pack is in force on {applied_on}. Loaded packs: {periods or 'none'}.",
        )
        return Decision(
            fact_id=prepared.fact.id,
            status="not_covered",
            applied_on=applied_on,
            aggregate=Aggregate(level=None),
            notes=tuple(prepared.notes),
            not_covered=reason,
            audit=prepared.audit,
        )


def _finding(plan: RulePlan, flat: dict[str, Any], day: dt.date | None = None) -> Finding:
    """The finding of a rule that holds, with the basis cited on ``day`` (the applied date; by default the act's)."""
    found = plan.witness(flat)
    matched = tuple([report(flat) for report in found]) if found else ()
    proto = plan.finding_on(day or flat["occurred_on"], flat.get("actor.status")) if plan.variants else plan.finding
    return proto.make(plan.explain.render(flat), matched)  # type: ignore[no-any-return]


def settle(summary: Summary, law: CompiledLaw) -> Matched:
    """The findings as the readings establish them: the rules that hold in every reading, less those set aside
    in every reading (whose records are kept); a rule set aside only in some readings stays a finding, and the
    readings say when it is set aside."""
    leaves = summary.leaves
    if not leaves:
        return Matched((), (), ())
    aside_every = frozenset.intersection(*(frozenset(a.rule_id for a in leaf.aside) for leaf in leaves))
    ids = {p.rule.id: p.index for p in law.rules} if aside_every else {}
    removed = {ids[r] for r in aside_every}
    holding = tuple(sorted(summary.held_every))
    # a rule set aside in every reading: by the rules that hold in every reading, where there are such; else by
    # each rule that sets it aside in some reading (the readings name them, with when)
    certain = {law.rules[i].rule.id for i in summary.held_every}
    found = [a for leaf in leaves for a in leaf.aside if a.rule_id in aside_every]
    by_certain = {a.rule_id for a in found if a.by in certain}
    records = {(a.rule_id, a.by): a for a in found if a.by in certain or a.rule_id not in by_certain}
    return Matched(
        holding,
        tuple(i for i in holding if i not in removed),
        tuple(records[k] for k in sorted(records)),
    )


def _with_prior_types(fact: Fact, values: dict[str, Any]) -> Fact:
    """The fact with the earlier sanctions' types a reading gives them (paths ``actor.prior_sanctions[k].sanction``)."""
    priors = list(fact.actor.prior_sanctions)
    for path, code in values.items():
        k = int(path.split("[", 1)[1].split("]", 1)[0])
        priors[k] = priors[k].model_copy(update={"sanction": code})
    actor = fact.actor.model_copy(update={"prior_sanctions": tuple(priors)})
    return fact.model_copy(update={"actor": actor})


# what an election's calendar gives a report that names the election (fact.derive.from_calendar)
_TYPE = "context.election.type"
_FROM_CALENDAR = ("context.election.candidate_stage", "context.election.in_campaign_period", _TYPE)


def _types_held(calendar: Calendar) -> frozenset[str]:
    """The election types (``context.election.type``) whose contests the calendar holds."""
    return frozenset(t for t in TYPE_CONTESTS if calendar.contests_for(t))


def _elections_note(var: Variable, day: dt.date) -> Bilingual:
    """Says that the readings considered the elections whose calendars cover the act's day."""
    texts = calendar_texts()
    names = [c.label for c in var.choices if c.listed and c.label is not None]
    return texts.fill(texts.notes["elections_considered"], day=day, elections=texts.join(names))
