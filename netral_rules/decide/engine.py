"""The engine: selects the law in force, runs a backend, builds the decision.

    from netral_rules import Engine
    engine = Engine.default()
    decision = engine.evaluate({...})

Matching is the backend's only job (native closures or durable_rules); everything else here — choosing
the packs in force on the applied date, whom they bind, citations, explanations, the aggregate and the
audit — is shared, so the two backends can differ only where matching differs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .. import __version__
from .._fast import DecisionJSON, Prototype, build
from ..backends import make_matcher
from ..errors import FactError, NetralError, PackError, Problem
from ..fact.derive import derive
from ..fact.fields import fact_fields, flatten
from ..fact.model import Fact, parse_fact
from ..law.lawbook import Lawbook
from ..law.lint import lint_packs
from ..law.load import LoadedPack, LoadedRule, discover, load_pack
from ..vocabulary import Bilingual
from .aggregate import AggregationResult, aggregate
from .compile import LadderPlan, RulePlan, compile_law
from .decision import Aggregate, Audit, Decision, Finding, Undetermined

_ACT_KINDS: tuple[str, ...] = fact_fields().fields["act.kind"].enum
_to_json = Fact.__pydantic_serializer__.to_json
_AGGREGATES_KEPT = 4096  # distinct sets of matched rules whose aggregate is kept (see Engine._aggregate)


def bundled_rules_dir() -> Path:
    """The rule packs shipped with the library (inside the wheel, or ``rules/`` in a source checkout)."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "bundled", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise PackError(
        "the bundled rule packs are missing from this installation",
        [Problem("expected netral_rules/bundled/ (wheel) or rules/ (source checkout)", str(here))],
    )


def load_packs(paths: Iterable[Path | str]) -> tuple[list[LoadedPack], list[Problem]]:
    """Load and lint every pack under ``paths``; returns the usable packs and every problem."""
    roots = discover([Path(p) for p in paths])
    problems: list[Problem] = []
    packs: list[LoadedPack] = []
    for root in roots:
        pack, found = load_pack(root)
        problems.extend(found)
        if pack is not None:
            packs.append(pack)
    if not roots:
        shown = ", ".join(str(p) for p in paths)
        problems.append(Problem("no rule pack found (a pack is a folder with pack.yaml)", shown, code="not_a_pack"))
    problems.extend(lint_packs(packs))
    return packs, problems


class Engine:
    """Evaluates facts against loaded rule packs. Immutable after construction; safe to share between threads
    with the native backend (the durable backend serialises calls itself)."""

    def __init__(
        self,
        packs: list[LoadedPack],
        *,
        backend: str = "native",
        settings: dict[str, bool] | None = None,
        warnings: list[Problem] | None = None,
    ) -> None:
        self.packs = sorted(packs, key=lambda p: p.id)
        self.lawbook = Lawbook.build(self.packs)
        self.warnings = list(warnings or [])
        defaults = self.lawbook.defaults()
        unknown = sorted(set(settings or {}) - set(defaults))
        if unknown:
            raise NetralError(
                f"unknown engine setting(s): {', '.join(unknown)}",
                [Problem(f"known settings: {', '.join(sorted(defaults)) or 'none'}", None, code="setting")],
            )
        # private: the sanction menus are compiled with these values, so they cannot change afterwards
        self._settings = {**defaults, **(settings or {})}
        # rules in a canonical order (pack id, then rule id) so that results do not depend on file order
        self.rules: list[LoadedRule] = sorted((r for p in self.packs for r in p.rules), key=lambda r: (r.pack_id, r.id))
        self.law = compile_law(self.packs, self.rules, self.lawbook, self._settings, _ACT_KINDS)
        self._pack_notes = {p.id: tuple(p.manifest.notes) for p in self.packs}
        self.backend_name = backend
        self._matcher = make_matcher(backend, self.law.indexes)
        self._prototypes()

    def _prototypes(self) -> None:
        self._aggregates: dict[tuple[tuple[int, ...], tuple[str, ...]], AggregationResult] = {}
        self._ladder_levels = frozenset(lvl for plan in self.law.ladders.values() for lvl in plan.levels)
        # what every audit and decision of this engine shares, merged once (see _fast.Prototype)
        self._audit = Prototype(
            Audit,
            {"engine_version": __version__, "backend": self.backend_name, "packs": self.law.pack_refs},
            ("applied_on", "as_of_given", "input_sha256", "settings"),
        )
        self._decision = Prototype(
            Decision,
            {"not_covered": None},
            ("fact_id", "status", "applied_on", "findings", "aggregate", "undetermined", "assumptions", "notes",
             "audit"),
        )
        # the JSON of what decisions share, serialised once (see jsonout); kept aggregates join it as kept
        self._json = DecisionJSON(Decision, self._audit, ("engine_version", "backend", "packs"))
        for plan in self.law.rules:
            self._json.finding(plan.finding, tuple(plan.static))
        self._json.remember(*self.law.assumptions.values(), *self.law.unbound_notes.values(),
                            *(n for notes in self._pack_notes.values() for n in notes))

    @property
    def settings(self) -> dict[str, bool]:
        """The engine settings in effect (a copy: an engine's settings are fixed when it is built)."""
        return dict(self._settings)

    # --- construction ----------------------------------------------------------------------------

    @classmethod
    def from_paths(
        cls, paths: Iterable[Path | str], *, backend: str = "native", settings: dict[str, bool] | None = None
    ) -> Engine:
        packs, problems = load_packs(list(paths))
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise PackError(f"{len(errors)} problem(s) in the rule packs", errors)
        return cls(packs, backend=backend, settings=settings, warnings=[p for p in problems if p.severity != "error"])

    @classmethod
    def default(cls, *, backend: str = "native", settings: dict[str, bool] | None = None) -> Engine:
        """An engine over the bundled packs."""
        return cls.from_paths([bundled_rules_dir()], backend=backend, settings=settings)

    def close(self) -> None:
        """Release backend resources (the durable backend's rulesets)."""
        self._matcher.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- evaluation ------------------------------------------------------------------------------

    def evaluate(self, fact: Any, *, as_of: dt.date | None = None) -> Decision:
        """Decide one fact (a dict, a JSON string or a :class:`Fact`). Raises :class:`FactError` if it is invalid."""
        if as_of is not None and (not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime)):
            raise FactError("invalid as_of", [Problem(f"as_of must be a date, got {type(as_of).__name__}",
                                                      "as_of", code="type")])
        return self._decide(parse_fact(fact), as_of)

    def evaluate_many(self, facts: Iterable[Any], *, as_of: dt.date | None = None) -> Iterator[Decision | NetralError]:
        """Decide many facts; an invalid one yields its error in its place, so every input gets an answer."""
        for item in facts:
            try:
                yield self.evaluate(item, as_of=as_of)
            except NetralError as exc:
                yield exc

    def decision_json(self, decision: Decision) -> bytes:
        """``decision.model_dump_json()`` as UTF-8 bytes: the same bytes, faster for this engine's decisions,
        because what they share with each other is serialised once (batch output)."""
        return self._json(decision)

    def match(self, fact: Fact | dict[str, Any]) -> list[str]:
        """Rule ids whose conditions hold on the fact, ignoring dates and whom a pack binds (for tests and tools)."""
        parsed = parse_fact(fact)
        flat = flatten(parsed)
        derive(parsed, flat)
        return [self.rules[i].id for i in self._matcher.match(flat)]

    def _decide(self, fact: Fact, as_of: dt.date | None) -> Decision:
        law = self.law
        applied_on = as_of or fact.occurred_on
        # the JSON of the validated fact, fields in model order: the hash does not depend on the input's key
        # order. The serializer's to_json gives the bytes model_dump_json() would return as text, without the
        # decode and encode.
        digest = hashlib.sha256(_to_json(fact))
        if as_of is not None:
            digest.update(b"|as_of=" + as_of.isoformat().encode())
        audit = self._audit.build(
            applied_on=applied_on,
            as_of_given=as_of is not None,
            input_sha256=digest.hexdigest(),
            settings=dict(self._settings),
        )
        flat = flatten(fact)
        notes = derive(fact, flat)
        status = fact.actor.status
        epoch = law.epoch(applied_on, status)
        if not epoch.in_force:
            return self._not_covered(fact, applied_on, audit, notes)
        notes.extend(epoch.unbound_notes)

        applicable = epoch.applicable
        rules = law.rules
        matched = self._matcher.match(flat, applicable)
        findings: list[Finding] = [_finding(rules[i], flat) for i in matched]
        undetermined = []
        present = flat.keys()
        done = set(matched)
        for i in epoch.index.possible(flat):
            plan = rules[i]
            # not certainly true, but could be: the missing values it compares decide it
            if not plan.needs <= present and i not in done and plan.possible(flat):
                undetermined.append(
                    build(
                        Undetermined,
                        rule_id=plan.rule.id,
                        title=plan.rule.rule.title,
                        missing=tuple(sorted(plan.deciding(flat)[2])),
                    )
                )

        agg = self._aggregate(matched, findings, fact, epoch.ladders)
        keys: set[str] = set(agg.assumption_keys)
        for i in matched:
            keys.update(rules[i].assumption_keys)
        notes.extend(agg.notes)
        if findings:
            # rule and pack notes once each, after the others; notes are equal exactly when their texts are
            seen = {(n.id, n.en) for n in notes}
            for n in [n for f in findings for n in f.notes] + [
                n for pack_id in dict.fromkeys(f.pack for f in findings) for n in self._pack_notes[pack_id]
            ]:
                if (n.id, n.en) not in seen:
                    seen.add((n.id, n.en))
                    notes.append(n)
            decision_status = "violation"
        elif undetermined:
            decision_status = "undetermined"
        else:
            decision_status = "no_violation"
        return self._decision.build(  # type: ignore[no-any-return]
            fact_id=fact.id,
            status=decision_status,
            applied_on=applied_on,
            findings=tuple(findings),
            aggregate=agg.aggregate,
            undetermined=tuple(undetermined),
            assumptions=tuple([law.assumptions[k] for k in sorted(keys)]) if keys else (),
            notes=tuple(notes),
            audit=audit,
        )

    def _aggregate(
        self, matched: list[int], findings: list[Finding], fact: Fact, ladders: dict[str, LadderPlan]
    ) -> AggregationResult:
        # The aggregate reads the fact only for prior sanctions of a finding's nature, imposed before the act,
        # at a level of a ladder (PP 94/2021 Pasal 35 ayat (2)); without one it reads only what the findings'
        # rules fix (rule id, category, level, nature, sanction menus) and which aggregations apply on the
        # date to the actor, so it is the same for the same matched rules and ladders: it is kept, up to a
        # bound, and shared (it is frozen).
        priors = fact.actor.prior_sanctions
        if priors and findings:
            natures = {f.nature for f in findings if f.nature}
            levels = self._ladder_levels
            day = fact.occurred_on
            if any(p.imposed_on < day and p.nature in natures and p.level in levels for p in priors):
                return aggregate(findings, fact, ladders)
        key = (tuple(matched), tuple(ladders))
        found = self._aggregates.get(key)
        if found is None:
            found = aggregate(findings, fact, ladders)
            if len(self._aggregates) < _AGGREGATES_KEPT:
                self._aggregates[key] = found
                self._json.remember(found.aggregate, *found.notes)
        return found

    def _not_covered(self, fact: Fact, applied_on: dt.date, audit: Audit, notes: list[Bilingual]) -> Decision:
        periods = "; ".join(
            f"{p.manifest.instrument.kind} {p.manifest.instrument.number}/{p.manifest.instrument.year} "
            f"{p.manifest.in_force.from_}..{p.manifest.in_force.until or ''}"
            for p in self.packs
            if p.rules
        )
        reason = Bilingual(
            id=f"Tidak ada paket aturan yang berlaku pada {applied_on}. Paket yang dimuat: {periods or 'tidak ada'}.",
            en=f"No loaded rule pack is in force on {applied_on}. Loaded packs: {periods or 'none'}.",
        )
        return Decision(
            fact_id=fact.id,
            status="not_covered",
            applied_on=applied_on,
            aggregate=Aggregate(level=None),
            notes=tuple(notes),
            not_covered=reason,
            audit=audit,
        )

    # --- pickling: rebuild the backend in the new process ----------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        # compiled closures do not pickle: the receiving process compiles again from the loaded packs
        state = dict(self.__dict__)
        state["_matcher"] = None
        state["law"] = None
        state["_audit"] = state["_decision"] = state["_aggregates"] = state["_json"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.law = compile_law(self.packs, self.rules, self.lawbook, self._settings, _ACT_KINDS)
        self._matcher = make_matcher(self.backend_name, self.law.indexes)
        self._prototypes()


def _finding(plan: RulePlan, flat: dict[str, Any]) -> Finding:
    matched = tuple(report(flat) for report in plan.witness(flat) or ())
    return plan.finding.build(explanation=plan.explain.render(flat), matched=matched)  # type: ignore[no-any-return]


__all__ = ["Engine", "FactError", "bundled_rules_dir", "load_packs"]
