"""The next questions for a partial report, from the first word on: what an interview asks, one step at a time.

A report that is not yet a valid fact (no employment status, date or kind of act, or a kind of act without
its required details) gets the questions that make it one, in that order. A valid fact gets the questions
of its readings (:mod:`.readings`), the most decisive first, with the range of outcomes so far. Fields the
person answered "tidak tahu" (don't know) to are skipped. The step says when the outcome is decided (the
lightest and the heaviest outcome are the same) or nothing is left to ask.

Everything here is data from the fact model and its labels (``fact/labels.yaml``); no question is written in
code.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import typing
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, get_args

from pydantic import BaseModel, ConfigDict, Field

from .._fast import build
from ..errors import FactError
from ..fact.labels import labels
from ..fact.model import ACT_MODELS, parse_fact
from ..vocabulary import Bilingual
from .decision import Answer, Bound, Decision, Question

if TYPE_CHECKING:
    from .engine import Engine

BASIC = ("actor.status", "occurred_on", "act.kind")


class Step(BaseModel):
    """Where a partial report stands, and what to ask next."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    complete: bool = Field(description="The report is a valid fact (it can be decided).")
    decided: bool = Field(description="Nothing the report leaves open can change the outcome any more.")
    questions: tuple[Question, ...] = Field(default=(), description="What to ask next, most decisive first.")
    lightest: Bound | None = None
    heaviest: Bound | None = None
    decision: Decision | None = Field(default=None, description="The decision on the report as it stands.")
    fact: dict[str, Any] = Field(description="The report as it stands (the answers put in).")


def _kind_model(kind: str) -> type[BaseModel] | None:
    return next((m for m in ACT_MODELS if get_args(m.model_fields["kind"].annotation)[0] == kind), None)


def _get(fact: dict[str, Any], path: str) -> Any:
    node: Any = fact
    for part in _parts(path):
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


def _parts(path: str) -> list[str | int]:
    out: list[str | int] = []
    for piece in path.split("."):
        m = re.fullmatch(r"([a-z_]+)\[(\d+)\]", piece)
        if m:
            out += [m.group(1), int(m.group(2))]
        else:
            out.append(piece)
    return out


def put(fact: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of the report with ``value`` at ``path`` (``act.role``, ``actor.prior_sanctions[0].sanction``)."""
    import copy

    out = copy.deepcopy(fact)
    node: Any = out
    parts = _parts(path)
    for part, nxt in itertools.pairwise(parts):
        if isinstance(part, int):
            node = node[part]
            continue
        if part not in node or node[part] is None:
            node[part] = [] if isinstance(nxt, int) else {}
        node = node[part]
    last = parts[-1]
    if isinstance(value, dt.date):
        value = value.isoformat()
    node[last] = value  # type: ignore[index, unused-ignore]
    return out


def _basic_question(path: str, kind_model: type[BaseModel] | None = None) -> Question:
    words = labels()
    text = build(Bilingual, id=words.question(path, "id"), en=words.question(path, "en"))
    if path == "occurred_on":
        return build(Question, field=path, text=text, kind="date", answers=(), required=True)
    values = words.values(path)
    if kind_model is not None:  # an act field: the values of this kind of act only
        info = kind_model.model_fields[path.removeprefix("act.")]
        allowed = [v for arg in (info.annotation, *typing.get_args(info.annotation))
                   if typing.get_origin(arg) is typing.Literal for v in typing.get_args(arg)]
        values = {v: values.get(v, Bilingual(id=str(v), en=str(v))) for v in allowed}
    answers = tuple(build(Answer, value=v, label=label) for v, label in values.items())
    return build(Question, field=path, text=text, kind="choice", answers=answers, required=True)


def _missing_basics(fact: dict[str, Any]) -> list[Question]:
    out = [_basic_question(p) for p in BASIC if _get(fact, p) is None]
    kind = _get(fact, "act.kind")
    model = _kind_model(kind) if isinstance(kind, str) else None
    if model is not None:
        for name, info in model.model_fields.items():
            if name != "kind" and info.is_required() and _get(fact, f"act.{name}") is None:
                out.append(_basic_question(f"act.{name}", model))
    return out


def next_step(engine: Engine, fact: dict[str, Any], skip: Iterable[str] = ()) -> Step:
    """What to ask next about ``fact`` (a JSON-like dict, possibly partial); ``skip``: fields answered "don't
    know", not asked again. Raises :class:`FactError` when a value given is invalid (not when one is missing)."""
    skipped = set(skip)
    basics = _missing_basics(fact)
    if basics:
        return Step(complete=False, decided=False, questions=tuple(basics), fact=fact)
    try:
        decision = engine.evaluate(fact)
    except FactError:
        raise
    readings = decision.readings
    if readings is None:
        return Step(complete=True, decided=True, decision=decision, fact=fact)
    asks = tuple(q for q in readings.questions if q.field not in skipped)
    decided = readings.lightest == readings.heaviest or not asks
    return Step(complete=True, decided=decided, questions=asks, lightest=readings.lightest,
                heaviest=readings.heaviest, decision=decision, fact=fact)


def answer_value(question: Question, text: str) -> Any:
    """The value a typed answer gives a question: the number of a listed answer, or a typed number or date."""
    text = text.strip()
    if question.kind == "choice":
        k = int(text)
        if not 1 <= k <= len(question.answers):
            raise ValueError(text)
        return question.answers[k - 1].value
    if question.kind == "date":
        return dt.date.fromisoformat(text)
    if question.kind == "number":
        spec_int = "." not in text
        return int(text) if spec_int else float(text)
    return text


__all__ = ["Step", "answer_value", "next_step", "parse_fact", "put"]
