"""The words of one interview step, for the page: the headline, the report as it stands, the labels of the
fields the step names, and the conditions each finding met.

The step's own data already carries its texts in Indonesian and English (questions, answers, ranges, titles,
explanations); what it gives as field paths and code values is put in words here, by the same code that
writes ``netral-rules explain`` (:mod:`netral_rules.output.report`) from the labels legal staff edit
(``fact/labels.yaml``), so that the page shows no field path or code value and reimplements no wording.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..decide.decision import Decision, MatchedCondition
from ..decide.questions import Step
from ..fact.labels import labels
from ..output.report import _LABELS, _matched
from ..output.words import outcome_text
from ..vocabulary import Bilingual
from .models import ReportLine, StepWords


def _both(word: Callable[..., str], *args: Any) -> Bilingual:
    """``word(*args, lang)`` in both languages; a Bilingual text is never empty (a blank name reads "-")."""
    return Bilingual(id=word(*args, "id") or "-", en=word(*args, "en") or "-")


def _condition(m: MatchedCondition, lang: str) -> str:
    return _matched(m, lang, _LABELS[lang]["fact"])


def _leaves(node: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(path, value) of every answered value of a JSON-like report, list items as ``name[i]``."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, f"{prefix}[{i}]")
    elif node is not None:
        yield prefix, node


def headline(decision: Decision) -> Bilingual:
    """``Pelanggaran: pelanggaran disiplin, tingkat sedang``, or the range the readings leave open."""
    lab = labels()
    readings = decision.readings

    def line(lang: str) -> str:
        status = lab.term("decision_status", decision.status, lang)
        status = status[:1].upper() + status[1:]
        if decision.not_covered is not None:
            return status
        if readings is not None:
            low, high = getattr(readings.lightest.text, lang), getattr(readings.heaviest.text, lang)
            joiner = " s.d. " if lang == "id" else " to "
            return f"{status}: {low if low == high else low + joiner + high}"
        agg = decision.aggregate
        return f"{status}: {outcome_text((decision.status == 'violation', agg.category, agg.level), lang)}"

    return _both(line)


def _named_fields(step: Step, skip: Iterable[str]) -> Iterator[str]:
    yield from skip
    for q in step.questions:
        yield q.field
    decision = step.decision
    if decision is None:
        return
    for u in decision.undetermined:
        yield from u.missing
    if decision.readings is not None:
        yield from decision.readings.irrelevant
        for q in decision.readings.questions:
            yield q.field
        for rule in decision.readings.rules:
            for alternative in rule.when:
                yield from (term.field for term in alternative)


def step_words(step: Step, skip: Iterable[str] = ()) -> StepWords:
    lab = labels()
    report = [ReportLine(field=path, label=_both(lab.field, path), value=_both(lab.value, path, value))
              for path, value in _leaves(step.fact)]
    fields = {path: _both(lab.field, path) for path in dict.fromkeys(_named_fields(step, skip))}
    decision = step.decision
    matched = [] if decision is None else [[_both(_condition, m) for m in finding.matched]
                                           for finding in decision.findings]
    return StepWords(headline=headline(decision) if decision is not None else None, report=report, fields=fields,
                     matched=matched)


__all__ = ["headline", "step_words"]
