"""A batch over HTTP: JSON Lines in, JSON Lines out, streamed both ways, one output line per input record.

Each record is answered by the batch code of ``netral-rules check`` (:func:`decide_line` and
:func:`render` of :mod:`netral_rules.batch.parallel`), so every output line is byte for byte the line
``check --json`` writes for the same input line, numbered the same way (blank lines count and get no
answer). Lines are answered as they arrive.

The body is read by a task of its own, ahead of the answers: a client that sends its whole body before
it reads anything (most HTTP libraries) could otherwise fill both directions' buffers and wait forever.
What is read ahead is bounded by the batch's body limit. A body cut short (over the limit, or no data
for the timeout) ends the answer with an error line for the line being read, so a reader can tell an
answer that is complete from one that is not. The whole batch is answered with one set of packs: a
reload during it does not change its law.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Literal

from starlette.responses import Response

from ..batch.parallel import decide_line, render
from ..errors import NetralError
from .decisionlog import DecisionLog, new_id
from .engines import Snapshot
from .errors import error_body
from .limits import BodyTimeout, BodyTooLarge, Message, Receive, Scope, Send, seconds_text

log = logging.getLogger("netral_rules.service")

SLICE = 256  # lines answered between two sends: output flows and other requests get their turn
_END = object()


class BatchResponse(Response):
    """An ASGI response that reads the request body itself (see the module's docstring). A
    :class:`Response` only so that FastAPI hands it on as it is; Starlette's streaming response would
    read the request's messages too, to notice a disconnect, and take the body's parts from this one."""

    media_type = "application/x-ndjson"

    def __init__(self, hold: AbstractContextManager[Snapshot], snapshot: Snapshot, as_of: dt.date | None, *,
                 decision_log: DecisionLog | None, requested_by: str | None, path: str,
                 detail: Literal["full", "compact"] = "full") -> None:
        self.hold = hold  # entered: released when the answer is complete
        self.snapshot = snapshot
        self.engine = snapshot.engine.with_detail(detail)  # the snapshot's engine, writing that detail
        self.detail = detail
        self.as_of = as_of
        self.decision_log = decision_log
        self.requested_by = requested_by
        self.path = path
        self.batch_id = new_id()
        self.status_code = 200
        self.background = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:  # type: ignore[override, unused-ignore]
        try:
            await self._answer(receive, send)
        finally:
            self.hold.__exit__(None, None, None)

    async def _answer(self, receive: Receive, send: Send) -> None:
        queue: asyncio.Queue[Any] = asyncio.Queue()
        reader = asyncio.create_task(_read(receive, queue))
        headers = [(b"content-type", self.media_type.encode()),
                   (b"x-netral-revision", self.snapshot.revision.encode()),
                   (b"x-batch-id", self.batch_id.encode())]
        if self.detail == "compact":
            headers.append((b"x-netral-catalogue", self.engine.catalogue().id.encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        pending = bytearray()
        line = 0  # the number of the last line answered or skipped
        try:
            while True:
                item = await queue.get()
                if isinstance(item, Exception):  # the body was cut: an error for the line being read
                    await send({"type": "http.response.body", "body": _cut(line + 1, item), "more_body": True})
                    break
                if item is _END:
                    if pending.strip():  # the last line, with no newline after it
                        await send({"type": "http.response.body", "body": self._answer_line(line + 1, bytes(pending)),
                                    "more_body": True})
                    break
                if item is None:  # the client went away: nobody to answer
                    return
                cut = item.rfind(b"\n")
                if cut < 0:
                    pending += item
                    continue
                data = bytes(pending) + item[: cut + 1] if pending else item[: cut + 1]
                pending = bytearray(item[cut + 1 :])
                lines = data.split(b"\n")
                lines.pop()  # the empty piece after the last newline
                for start in range(0, len(lines), SLICE):
                    out = []
                    for number, text in enumerate(lines[start : start + SLICE], line + start + 1):
                        if text.strip():
                            out.append(self._answer_line(number, text))
                    if out:
                        await send({"type": "http.response.body", "body": b"".join(out), "more_body": True})
                    await asyncio.sleep(0)
                line += len(lines)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            reader.cancel()

    def _answer_line(self, number: int, text: bytes) -> bytes:
        engine = self.engine
        start = time.perf_counter_ns()
        try:
            result = decide_line(engine, text, self.as_of)
            out = render(engine, number, result, True)[2]
        except Exception:  # a bug must not cost the other records their answers
            log.exception("batch line %d", number)
            return (json.dumps({"line": number, "error": error_body("internal_error")}, ensure_ascii=False)
                    + "\n").encode()
        if self.decision_log is not None:
            self._log(number, text, result, time.perf_counter_ns() - start)
        return out

    def _log(self, number: int, text: bytes, result: Any, duration: int) -> None:
        assert self.decision_log is not None
        try:
            fact = json.loads(text)
        except (ValueError, RecursionError):
            fact = None
        self.decision_log.record(
            decision_id=new_id(), path=self.path, requested_by=self.requested_by, result=result, fact=fact,
            revision=self.snapshot.revision, duration_ns=duration, batch={"id": self.batch_id, "line": number},
        )


def _cut(number: int, exc: Exception) -> bytes:
    if isinstance(exc, BodyTooLarge):
        body = error_body("body_too_large", limit=exc.limit)
    elif isinstance(exc, BodyTimeout):
        body = error_body("body_timeout", seconds=seconds_text(exc.seconds))
    else:
        body = error_body("internal_error")
    return (json.dumps({"line": number, "error": body}, ensure_ascii=False) + "\n").encode()


async def _read(receive: Callable[[], Any], queue: asyncio.Queue[Any]) -> None:
    """Put the body's parts on the queue, then _END; None if the client left; the exception if it was cut."""
    try:
        while True:
            message: Message = await receive()
            if message["type"] == "http.disconnect":
                queue.put_nowait(None)
                return
            body = message.get("body", b"")
            if body:
                queue.put_nowait(body)
            if not message.get("more_body", False):
                queue.put_nowait(_END)
                return
    except (BodyTooLarge, BodyTimeout) as exc:
        queue.put_nowait(exc)
    except NetralError as exc:  # pragma: no cover - receive raises nothing else of ours
        queue.put_nowait(exc)
