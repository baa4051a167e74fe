"""Limits on every request, as a plain ASGI middleware: body size and time.

* A body over its limit is answered 413: at once when ``Content-Length`` says so, else when the bytes
  received pass it (:class:`BodyTooLarge` raised from ``receive``). A batch has its own, larger limit.
* Waiting for the next part of a body longer than the timeout raises :class:`BodyTimeout` (408): a client
  that stops sending mid-body does not hold a request open.
* A request that is not a streamed batch must be answered within the timeout, or it is answered 503. A
  streamed batch is bounded by its body limit and the wait between its parts instead, since its length is
  the caller's choice.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .errors import error_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"request body over {limit} bytes")
        self.limit = limit


class BodyTimeout(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"no body data for {seconds} s")
        self.seconds = seconds


def seconds_text(seconds: float) -> str:
    return f"{seconds:g}"


async def send_json(send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]] = ()) -> None:  # type: ignore[assignment]
    data = json.dumps(body, ensure_ascii=False).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                    *headers],
    })
    await send({"type": "http.response.body", "body": data, "more_body": False})


class Limits:
    def __init__(self, app: ASGIApp, *, max_body: int, max_batch_body: int, timeout: float,
                 streaming: Callable[[str], bool]) -> None:
        self.app = app
        self.max_body = max_body
        self.max_batch_body = max_batch_body
        self.timeout = timeout
        self.streaming = streaming

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        streaming = self.streaming(scope.get("path", ""))
        limit = self.max_batch_body if streaming else self.max_body
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0  # h11 and httptools refuse such a request before it comes here
                if declared > limit:
                    await send_json(send, 413, error_body("body_too_large", limit=limit),
                                    [(b"connection", b"close")])
                    return
        timeout = self.timeout
        received = 0
        waiting = False  # for the body's next part, now

        async def limited_receive() -> Message:
            nonlocal received, waiting
            if received > limit:  # the part that crossed the limit was delivered up to it: now the cut
                raise BodyTooLarge(limit)
            waiting = True  # left set if the whole request's time runs out meanwhile (a cancellation)
            try:
                message = await asyncio.wait_for(receive(), timeout)
            except TimeoutError:
                raise BodyTimeout(timeout) from None
            waiting = False
            if message["type"] == "http.request":
                body = message.get("body", b"")
                before = received
                received += len(body)
                if received > limit:
                    # the bytes up to the limit are the body's, whichever parts the client's bytes came in: a
                    # streamed batch answers every line that lies within them, then the cut
                    return {**message, "body": body[: limit - before], "more_body": True}
            return message

        if streaming:
            await self.app(scope, limited_receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await asyncio.wait_for(self.app(scope, limited_receive, tracking_send), timeout)
        except TimeoutError:
            if started:
                return
            if waiting:  # the time ran out because the body stalled: say so
                await send_json(send, 408, error_body("body_timeout", seconds=seconds_text(timeout)),
                                [(b"connection", b"close")])
            else:
                await send_json(send, 503, error_body("timeout", seconds=seconds_text(timeout)))
