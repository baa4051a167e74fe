"""The FastAPI application: routes, error answers, limits, CORS, and reload on SIGHUP.

    from netral_rules.service import ServiceConfig, create_app
    app = create_app(ServiceConfig())          # an ASGI app over the bundled packs

``netral-rules serve`` runs it with uvicorn on 127.0.0.1. Errors are answered in the library's error
contract (:mod:`.errors`) whatever raised them: an invalid fact, a bad parameter, a body over the limit,
an unknown address, a missing token; an unexpected failure is answered 500 without its details (those go
to the service log), and never for bad input.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
from collections.abc import AsyncIterator
from functools import partial
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware

from .. import __version__
from ..batch.config import rule_paths
from ..decide.engine import Engine
from ..errors import CitationError, Problem
from . import decide, law, meta, openapi, page, questions
from .auth import Forbidden, Unauthorized
from .config import ServiceConfig
from .decisionlog import DecisionLog
from .engines import EngineSet
from .errors import InvalidRequest, error_body, from_netral
from .limits import BodyTimeout, BodyTooLarge, Limits, seconds_text
from .state import ServiceState

log = logging.getLogger("netral_rules.service")

BATCH_PATHS = frozenset({"/v1/decide/batch"})


def build_engine(config: ServiceConfig) -> Engine:
    """The engine of the configured packs (none given: where ``check`` finds them, NETRAL_RULES_PATH,
    netral-rules.toml, else the bundled packs); raises PackError on packs with errors (nothing is served)."""
    paths = list(config.rules) or rule_paths(None)
    return Engine.from_paths(paths, backend=config.backend, settings=dict(config.settings))


def _json(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body, ensure_ascii=False).encode(), status, headers=headers,
                    media_type="application/json")


def _where(loc: tuple[Any, ...]) -> str:
    # ("query", "as_of") -> "as_of"; a parameter's name is where the caller wrote it
    parts = [str(p) for p in loc[1:]] or [str(p) for p in loc]
    return ".".join(parts)


def _handlers(app: FastAPI, config: ServiceConfig) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [Problem(str(e.get("msg", "invalid")), _where(tuple(e.get("loc", ()))), code=str(e.get("type")))
                    for e in exc.errors()]
        return _json(422, error_body("invalid_request", problems=problems))

    @app.exception_handler(InvalidRequest)
    async def invalid_parameter(request: Request, exc: InvalidRequest) -> Response:
        return _json(422, error_body("invalid_request", problems=exc.problems))

    @app.exception_handler(CitationError)
    async def bad_citation(request: Request, exc: CitationError) -> Response:
        return _json(422, from_netral(exc))

    @app.exception_handler(law.NotFound)
    async def not_found(request: Request, exc: law.NotFound) -> Response:
        return _json(404, error_body(exc.code, fill=exc.values))

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge) -> Response:
        return _json(413, error_body("body_too_large", limit=exc.limit), {"Connection": "close"})

    @app.exception_handler(BodyTimeout)
    async def body_timeout(request: Request, exc: BodyTimeout) -> Response:
        return _json(408, error_body("body_timeout", seconds=seconds_text(exc.seconds)), {"Connection": "close"})

    @app.exception_handler(Unauthorized)
    async def unauthorized(request: Request, exc: Unauthorized) -> Response:
        return _json(401, error_body("unauthorized"), {"WWW-Authenticate": 'Bearer realm="netral-rules"'})

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return _json(403, error_body(exc.code))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "not_acceptable")
        return _json(exc.status_code, error_body(code), dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        return _json(500, error_body("internal_error"))


def _on_sighup(engines: EngineSet, tasks: set[asyncio.Future[Any]]) -> None:
    # the handler runs on the event loop: the reload itself goes to a thread, so requests go on meanwhile
    task = asyncio.ensure_future(asyncio.to_thread(engines.reload, "SIGHUP"))
    tasks.add(task)
    task.add_done_callback(tasks.discard)


def create_app(config: ServiceConfig | None = None, engines: EngineSet | None = None) -> FastAPI:
    """The service's ASGI app. The packs are loaded here (a PackError if they have errors)."""
    config = config or ServiceConfig()
    engines = engines or EngineSet(partial(build_engine, config))
    decision_log = (DecisionLog(config.decision_log, personal_data=config.log_personal_data)
                    if config.decision_log else None)
    state = ServiceState(config, engines, decision_log)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        tasks: set[asyncio.Future[Any]] = set()
        hup = getattr(signal, "SIGHUP", None)
        installed = False
        if hup is not None:
            try:
                loop.add_signal_handler(hup, _on_sighup, engines, tasks)
                installed = True
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no signals here
                log.info("SIGHUP cannot be handled here: reload the packs through /v1/admin/reload")
        snap = engines.current
        log.info("netral-rules %s: %d pack(s), %d rule(s), revision %s, backend %s", __version__,
                 len(snap.engine.packs), len(snap.engine.rules), snap.revision[:12], snap.engine.backend_name)
        try:
            yield
        finally:
            if installed and hup is not None:
                loop.remove_signal_handler(hup)
            for task in list(tasks):
                with contextlib.suppress(Exception):
                    await task
            engines.close()
            if decision_log is not None:
                decision_log.close()

    app = FastAPI(title="netral-rules", version=__version__, openapi_url="/v1/openapi.json", docs_url=None,
                  redoc_url=None, lifespan=lifespan)
    app.state.service = state
    app.include_router(decide.router)
    app.include_router(law.router)
    app.include_router(meta.router)
    app.include_router(questions.router)
    app.include_router(page.router)
    _handlers(app, config)
    app.openapi = partial(openapi.document, app)  # type: ignore[method-assign]
    app.add_middleware(Limits, max_body=config.max_body, max_batch_body=config.max_batch_body,
                       timeout=config.timeout, streaming=BATCH_PATHS.__contains__)
    if config.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(config.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"],
                           expose_headers=["X-Decision-Id", "X-Netral-Revision", "X-Batch-Id", "X-Netral-Catalogue"])
    return app

