"""``POST /v1/decide`` (one fact) and ``POST /v1/decide/batch`` (JSON Lines).

The decision's bytes are :meth:`Engine.decision_json` of the decision :func:`decide_line` gives, the
batch code of ``netral-rules check``: the body of a decision is byte for byte the ``decision`` of the
line ``check --json`` writes for the same fact, raw U+2028, U+2029 and U+0085 written as ``\\u`` escapes
as there (:func:`..output.report.json_line_safe`, the same JSON).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from ..batch.parallel import decide_line
from ..decide.decision import Decision
from ..errors import Problem
from ..output.report import json_line_safe
from .auth import reader
from .batchstream import BatchResponse
from .decisionlog import new_id
from .errors import InvalidRequest, from_netral
from .openapi_parts import NDJSON, body, ref, responses
from .state import requested_by, service

router = APIRouter(prefix="/v1", dependencies=[Depends(reader)])

AS_OF = Query(
    None,
    description="Apply the law in force on this date (YYYY-MM-DD) instead of the fact's occurred_on.",
    pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    json_schema_extra={"format": "date"},
)


DETAIL = Query(
    "full",
    description="`compact`: the decision refers to the articles, sanction menus, notes and packs every decision "
    "repeats by id (`{\"$ref\": ...}`), entries of the catalogue it names (`GET /v1/catalogue`).",
)
DECISION = {"anyOf": [ref("Decision"), ref("CompactDecision")]}
Detail = Literal["full", "compact"]


def query_date(value: str | None, name: str = "as_of") -> dt.date | None:
    """A calendar date written YYYY-MM-DD, as the CLI's --as-of takes it: not pydantic's lax reading, which
    would take 0 for 1970-01-01."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest([Problem("not a calendar date (YYYY-MM-DD)", name, code="date")]) from None


@router.post(
    "/decide",
    summary="Decide one fact",
    description="The body is one fact (see the Fact schema). The answer is the decision, byte for byte what "
    "`netral-rules check --json` writes for the same fact; an invalid fact is answered 422 with every problem "
    "and its JSON path.",
    response_class=Response,
    responses=responses(DECISION, "The decision (a CompactDecision with detail=compact).", 401, 408, 413, 422,
                        503),
    openapi_extra=body(ref("Fact")),
)
async def decide_one(request: Request, as_of: str | None = AS_OF, detail: Detail = DETAIL) -> Response:
    state = service(request)
    day = query_date(as_of)
    data = await request.body()
    start = time.perf_counter_ns()
    with state.engines.use() as snap:
        result = decide_line(snap.engine, data, day, document=True)
        if isinstance(result, Decision):
            status, payload = 200, json_line_safe(snap.engine.decision_json(result, detail=detail))
        else:
            status, payload = 422, json.dumps(from_netral(result), ensure_ascii=False).encode()
        catalogue = snap.engine.catalogue().id if detail == "compact" else None
    duration = time.perf_counter_ns() - start
    headers = {"X-Netral-Revision": snap.revision}
    if catalogue is not None:
        headers["X-Netral-Catalogue"] = catalogue
    if state.decision_log is not None:
        decision_id = new_id()
        headers["X-Decision-Id"] = decision_id
        state.decision_log.record(
            decision_id=decision_id, path=request.url.path, requested_by=requested_by(request), result=result,
            fact=_json_or_none(data), revision=snap.revision, duration_ns=duration,
        )
    return Response(payload, status, headers=headers, media_type="application/json")


def _json_or_none(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return None


@router.post(
    "/decide/batch",
    summary="Decide a batch of facts (JSON Lines)",
    description="The body is JSON Lines: one fact a line. The answer is JSON Lines, streamed as the records "
    "are decided, one line per input record in input order: `{\"line\": n, \"decision\": {...}}` or, for a "
    "record that is not a valid fact, `{\"line\": n, \"error\": {...}}` in its place; blank lines count and "
    "get no answer. Each line is byte for byte what `netral-rules check --json` writes for the same input "
    "(with detail=compact, what `check --detail compact` writes after its first line, the catalogue: here it "
    "is `GET /v1/catalogue`, named by the X-Netral-Catalogue header). A body cut short (over the limit, or "
    "stalled) ends with an error line for the line being read.",
    response_class=Response,
    responses=responses({"type": "string", "description": "JSON Lines, each a BatchLine."},
                        "The answers, one line per record.", 401, 413, 422, media=NDJSON),
    # an empty body is an empty batch (no records, no answers), as for check
    openapi_extra=body({"type": "string", "description": "JSON Lines: one Fact a line."}, media=NDJSON,
                       required=False),
)
async def decide_batch(request: Request, as_of: str | None = AS_OF, detail: Detail = DETAIL) -> Any:
    state = service(request)
    day = query_date(as_of)
    hold = state.engines.use()
    snap = hold.__enter__()  # released by the response when the last line is answered
    return BatchResponse(hold, snap, day, decision_log=state.decision_log, requested_by=requested_by(request),
                         path=request.url.path, detail=detail)
