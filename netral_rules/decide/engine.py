"""The engine: loads and compiles the packs once, then decides facts through the stages of
:mod:`.stages`.

    from netral_rules import Engine
    engine = Engine.default()
    decision = engine.evaluate({...})

Matching is the backend's only job (native closures or durable_rules); everything else (the law in force
on the applied date, whom it binds, what is set aside, citations, explanations, the aggregate and the
audit) is shared, so the two backends can differ only where matching differs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .._fast import DecisionJSON
from ..backends import make_matcher
from ..errors import FactError, NetralError, PackError, Problem
from ..fact.derive import derive
from ..fact.fields import fact_fields, flatten
from ..fact.model import Fact, parse_fact
from ..law.calendars import Calendars
from ..law.lawbook import Lawbook
from ..law.load import LoadedPack, LoadedRule
from ..law.packs import bundled_rules_dir, load_law, load_packs
from .compile import compile_law
from .decision import Decision
from .questions import Step, next_step
from .stages import Stages

if TYPE_CHECKING:
    from ..output.compact import Catalogue

Detail = Literal["full", "compact"]
_ACT_KINDS: tuple[str, ...] = fact_fields().fields["act.kind"].enum


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
        calendars: Calendars | None = None,
    ) -> None:
        self.packs = sorted(packs, key=lambda p: p.id)
        self.calendars = calendars or Calendars()  # election calendars (rules/calendars/): see fact.derive
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
        self.backend_name = backend
        self._matcher = make_matcher(backend, self.law.indexes)
        self._detail: Detail = "full"
        self._compact: list[Any] = []  # the compact writer once built (shared by with_detail views)
        self._prototypes()

    def _prototypes(self) -> None:
        self.stages = Stages(self.law, self._matcher, self.backend_name, self._settings, self.calendars)
        # the JSON of what decisions share, serialised once (see _fast.DecisionJSON); kept aggregates join it
        self._json = DecisionJSON(Decision, self.stages.audit, ("engine_version", "backend", "packs"))
        for plan in self.law.rules:
            self._json.finding(plan.finding, tuple(plan.static))
            for *_, variant in plan.variants:  # the same finding with the basis of another stretch of dates
                self._json.finding(variant, tuple(plan.static))
        self._json.remember(*self.law.assumptions.values(), *self.law.unbound_notes.values(),
                            *(n for notes in self.stages.pack_notes.values() for n in notes),
                            *(plan.record for plans in self.law.exceptions.by_excluder.values() for plan in plans))
        self.stages.on_kept.append(self._json.remember)

    @property
    def settings(self) -> dict[str, bool]:
        """The engine settings in effect (a copy: an engine's settings are fixed when it is built)."""
        return dict(self._settings)

    # --- construction ----------------------------------------------------------------------------

    @classmethod
    def from_paths(
        cls, paths: Iterable[Path | str], *, backend: str = "native", settings: dict[str, bool] | None = None,
        cache: Path | None = None,
    ) -> Engine:
        """An engine over the packs and election calendars under ``paths``; with ``cache`` (a folder), they are
        read through the compiled-pack cache there (:mod:`netral_rules.law.packcache`), as the command line
        does."""
        paths = list(paths)
        if cache is None:
            packs, calendars, problems = load_law(paths)
        else:
            from ..law.packcache import load_law_cached

            packs, calendars, problems = load_law_cached(paths, cache)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise PackError(f"{len(errors)} problem(s) in the rule packs", errors)
        return cls(packs, backend=backend, settings=settings, warnings=[p for p in problems if p.severity != "error"],
                   calendars=calendars)

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

    def questions(self, report: dict[str, Any], skip: Iterable[str] = ()) -> Step:
        """What to ask next about a report that may still be partial (see :mod:`.questions`)."""
        return next_step(self, report, skip)

    def decision_json(self, decision: Decision, *, detail: Detail | None = None) -> bytes:
        """``decision.model_dump_json()`` as UTF-8 bytes: the same bytes, faster for this engine's decisions,
        because what they share with each other is serialised once (batch output).

        ``detail="compact"``: the compact form, which refers to the texts every decision repeats (articles,
        sanction menus, notes, packs...) by id in :meth:`catalogue` (see :mod:`netral_rules.output.compact`;
        :func:`netral_rules.output.compact.expand` gives the full form back). The default is the engine's
        detail (:meth:`with_detail`), else the full form."""
        if (detail or self._detail) == "compact":
            from ..output.compact import writer

            return writer(self)(decision)
        if detail not in (None, "full", "compact"):
            raise ValueError(f"detail must be 'full' or 'compact', not {detail!r}")
        return self._json(decision)

    def catalogue(self) -> Catalogue:
        """The texts compact decisions of this engine refer to (its JSON record: ``catalogue().json()``)."""
        from ..output.compact import writer

        return writer(self).catalogue

    def with_detail(self, detail: Detail) -> Engine:
        """This engine (the same compiled law and matcher, not a copy of them) writing ``detail`` decisions by
        default: what the batch code hands its workers for ``check --detail compact``."""
        if detail not in ("full", "compact"):
            raise ValueError(f"detail must be 'full' or 'compact', not {detail!r}")
        view = object.__new__(Engine)  # not copy.copy: that would go through __getstate__ and compile again
        view.__dict__.update(self.__dict__)
        view._detail = detail
        return view

    def match(self, fact: Fact | dict[str, Any]) -> list[str]:
        """Rule ids whose conditions hold on the fact, ignoring dates and whom a pack binds (for tests and tools)."""
        parsed = parse_fact(fact)
        flat = flatten(parsed)
        derive(parsed, flat, self.calendars)
        return [self.rules[i].id for i in self._matcher.match(flat)]

    def _decide(self, fact: Fact, as_of: dt.date | None) -> Decision:
        return self.stages.decide(fact, as_of)

    # --- pickling: rebuild the backend in the new process ----------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        # compiled closures do not pickle: the receiving process compiles again from the loaded packs
        state = dict(self.__dict__)
        state["_matcher"] = None
        state["law"] = None
        state["stages"] = state["_json"] = None
        state["_compact"] = []  # the compact writer is built again on first use
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.law = compile_law(self.packs, self.rules, self.lawbook, self._settings, _ACT_KINDS)
        self._matcher = make_matcher(self.backend_name, self.law.indexes)
        self._prototypes()



__all__ = ["Engine", "FactError", "bundled_rules_dir", "load_packs"]
