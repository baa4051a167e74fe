"""Health, readiness and the authenticated reload of the packs."""

from __future__ import annotations

import asyncio
import json

from fastapi import APIRouter, Depends, Request, Response

from ..decide.decision import PackRef
from .auth import admin
from .engines import ReloadResult
from .errors import from_netral
from .models import Health, LastReload, Ready, ReloadReport
from .openapi_parts import ref, responses
from .state import service

router = APIRouter(prefix="/v1")


def _json(model: Health | Ready | ReloadReport, status: int = 200) -> Response:
    return Response(model.model_dump_json().encode(), status, media_type="application/json")


@router.get("/health", summary="Liveness: the process answers", response_class=Response,
            responses=responses(ref("Health"), "The process is alive."))
async def health() -> Response:
    return _json(Health())


@router.get("/ready", summary="Readiness: packs loaded and serving", response_class=Response,
            responses=responses(ref("Ready"), "Serving decisions with these packs."))
async def ready(request: Request) -> Response:
    engines = service(request).engines
    snap = engines.current
    last = engines.last_reload
    return _json(Ready(
        generation=snap.generation, revision=snap.revision, loaded_at=snap.loaded_at, packs=len(snap.engine.packs),
        rules=len(snap.engine.rules), backend=snap.engine.backend_name,
        last_reload=None if last is None else LastReload(
            trigger=last.trigger, reloaded=last.reloaded, seconds=round(last.seconds, 4),
            problems=len(last.error.problems) if last.error else 0),
    ))


def report(result: ReloadResult) -> Response:
    if result.error is not None:
        body = from_netral(result.error)
        body["message"] = (f"{result.error.message}; generation {result.snapshot.generation} "
                           f"(revision {result.snapshot.revision[:12]}) keeps serving")
        return Response(json.dumps(body, ensure_ascii=False).encode(), 409, media_type="application/json")
    snap = result.snapshot
    return _json(ReloadReport(
        generation=snap.generation, revision=snap.revision, seconds=round(result.seconds, 4),
        packs=[PackRef.model_validate(r.model_dump()) for r in snap.engine.law.pack_refs],
        warnings=len(snap.engine.warnings),
    ))


@router.post(
    "/admin/reload",
    summary="Reload the rule packs",
    description="Load, lint and compile the packs again from their folders; if they have no errors they "
    "replace the current ones (requests under way finish with the old ones), otherwise they are refused "
    "(409, with every problem) and the old ones keep serving. Needs an admin token. SIGHUP does the same.",
    response_class=Response,
    responses=responses(ref("ReloadReport"), "The new packs serve from now on.", 401, 403, 409),
    dependencies=[Depends(admin)],
)
async def reload(request: Request) -> Response:
    # loading and compiling take a while: in a thread, so the service goes on answering meanwhile
    result = await asyncio.to_thread(service(request).engines.reload, "api")
    return report(result)
