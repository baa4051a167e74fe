"""``POST /v1/questions`` (the interview, one step at a time) and ``GET /v1/labels`` (the words of the fact model).

The questions endpoint is the loop of ``netral-rules interview`` (:mod:`netral_rules.batch.interview`) over
HTTP: a report that may still be partial comes in, with the fields answered "tidak tahu" and optionally one
more answer to put in first (:func:`netral_rules.decide.questions.put`); out goes the library's
:class:`~netral_rules.decide.questions.Step` (complete? decided? the next questions with the range after each
answer, the range so far, the decision, the report as it stands) with its field paths and code values in
words. An answer the report cannot take is refused (422) and the caller keeps the report it had, as the
interview keeps it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError

from ..decide.questions import put
from ..errors import FactError, Problem
from ..fact.fields import fact_fields
from ..fact.labels import field_key, labels, model_fields
from ..vocabulary import Bilingual
from .auth import reader
from .errors import InvalidRequest, text
from .models import InterviewStep, QuestionsRequest
from .openapi_parts import body as body_schema
from .openapi_parts import ref, responses
from .state import service
from .stepwords import step_words

router = APIRouter(prefix="/v1", dependencies=[Depends(reader)])

# a fact is a few levels deep; a report nested deeper than this is no fact (and would only cost recursion)
MAX_DEPTH = 16


def _depth(node: Any, limit: int = MAX_DEPTH) -> int:
    depth, level = 0, [node]
    while level and depth <= limit:
        nxt: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                nxt.extend(item.values())
            elif isinstance(item, list):
                nxt.extend(item)
        level = nxt
        depth += 1 if nxt else 0
    return depth


def _field_words(where: str, lang: str) -> str:
    """A problem's place in words: a field's label, or for a field the model does not have, the part of the
    report it was written in (never the path as written)."""
    lab = labels()
    key = field_key(where)
    whole = "laporan" if lang == "id" else "the report"
    if key in ("", "$"):
        return whole
    found = lab.field(key, lang)
    if found != key:
        return found
    parent = key.rpartition(".")[0]
    part = _field_words(parent, lang) if parent else whole
    return f"isian yang tidak dikenal dalam {part}" if lang == "id" else f"an unknown field in {part}"


def _fields_text(problems: list[Problem], lang: str) -> str:
    """The places the problems are about, in words."""
    names = [_field_words(str(p.where or ""), lang) for p in problems]
    return ", ".join(dict.fromkeys(names)) or _field_words("", lang)


def _rejected(exc: FactError, answered: bool) -> Response:
    code = "answer_rejected" if answered else "report_rejected"
    body = exc.as_dict()
    body["text"] = Bilingual(id=text(code, fields=_fields_text(exc.problems, "id")).id,
                             en=text(code, fields=_fields_text(exc.problems, "en")).en).model_dump()
    return Response(json.dumps(body, ensure_ascii=False).encode(), 422, media_type="application/json")


def _check_value(field: str, value: Any) -> None:
    """An answer's value must be one the field can take, when it is given (not only once the report is complete,
    when the fact model would first see it): a date written YYYY-MM-DD, a listed value, a number in range."""
    spec = fact_fields().get(field_key(field))
    if spec is None:  # list items (prior sanctions) and free text: the fact model checks them
        return
    if spec.type == "date":
        ok = isinstance(value, str) and len(value) == 10 and _is_date(value)
    else:
        ok = spec.accepts(value) and not (
            spec.ordered and ((spec.minimum is not None and value < spec.minimum)
                              or (spec.maximum is not None and value > spec.maximum)))
    if not ok:
        raise FactError("invalid answer", [Problem(f"not a value of this field ({spec.describe_type()})",
                                                   "$." + field, code="value")])


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _answered(report: dict[str, Any], field: str, value: Any) -> dict[str, Any]:
    if field_key(field) not in model_fields():
        raise InvalidRequest([Problem("not a question of the report", "answer.field", code="unknown_field")])
    _check_value(field, value)
    try:
        return put(report, field, value)
    except (TypeError, KeyError, IndexError, AttributeError):  # the report holds something else at that place
        raise InvalidRequest([Problem("the report has no place for this answer", "answer.field",
                                      code="no_place")]) from None


def _request(data: bytes) -> QuestionsRequest:
    # read here rather than by FastAPI, so that any body (not JSON, not UTF-8) is a 422 in the error contract
    try:
        return QuestionsRequest.model_validate_json(data)
    except ValidationError as exc:
        raise InvalidRequest([
            Problem(str(e.get("msg", "invalid")), ".".join(str(p) for p in e.get("loc", ())) or "body",
                    code=str(e.get("type", "invalid")))
            for e in exc.errors(include_url=False)
        ]) from None


@router.post(
    "/questions",
    summary="The next questions for a partial report (the interview)",
    description="The body holds the report as it stands (it need not be a valid fact yet; `{}` starts from "
    "nothing), the fields answered \"tidak tahu\" (don't know) in `skip`, and optionally an `answer` to put in "
    "first. The answer is the library's Step (`Engine.questions`): whether the report is complete and the "
    "outcome decided, the next questions (most decisive first, each with numbered answers and the outcome "
    "range after each), the range so far, the decision on the report as it stands, the report itself; and "
    "`words`, its field paths and values in words (id/en). A value the report cannot take is answered 422 in "
    "the error contract (an answer: `answer_rejected` in `text`), and the report is as it was.",
    response_class=Response,
    responses=responses(ref("InterviewStep"), "The step.", 401, 408, 413, 422, 503),
    openapi_extra=body_schema(ref("QuestionsRequest")),
)
async def questions(request: Request) -> Response:
    body = _request(await request.body())
    if _depth(body.report) > MAX_DEPTH:
        raise InvalidRequest([Problem(f"nested more than {MAX_DEPTH} levels deep: not a report", "report",
                                      code="too_deep")])
    with service(request).engines.use() as snap:
        try:
            report = body.report
            if body.answer is not None:
                report = _answered(report, body.answer.field, body.answer.value)
            step = snap.engine.questions(report, body.skip)
        except FactError as exc:
            return _rejected(exc, body.answer is not None)
    answer = InterviewStep.model_construct(**dict(step), words=step_words(step, body.skip))
    return Response(answer.model_dump_json().encode(), media_type="application/json",
                    headers={"X-Netral-Revision": snap.revision})


@router.get(
    "/labels",
    summary="The words of the fact model",
    description="Every field's label and question, every listed value's label, yes/no/unknown, and the levels, "
    "categories and statuses of decisions, in Indonesian (id) and English (en): fact/labels.yaml, which legal "
    "staff edit.",
    response_class=Response,
    responses=responses(ref("LabelsFile"), "The labels.", 401),
)
async def fact_labels() -> Response:
    return Response(labels().data.model_dump_json().encode(), media_type="application/json")


__all__ = ["router"]
