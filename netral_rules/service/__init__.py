"""The decision service: ``netral-rules serve`` (FastAPI, run by uvicorn).

Needs the ``service`` extra (``pip install 'netral-rules[service]'``). Endpoints, versioned under ``/v1``:
decide one fact, decide a batch (JSON Lines, streamed), the text of a cited article, the rules, the packs,
the JSON Schemas, health, readiness, the OpenAPI document, and the authenticated reload of the packs. See
the service section of docs/developer-guide.md.

    from netral_rules.service import ServiceConfig, create_app
    app = create_app(ServiceConfig(rules=(Path("rules"),)))

The names are imported when first used, so that the CLI can read the ``serve`` options (in
:mod:`.options`) without importing FastAPI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import build_engine, create_app
    from .config import ServiceConfig
    from .engines import EngineSet

__all__ = ["EngineSet", "ServiceConfig", "build_engine", "create_app"]


def __getattr__(name: str) -> Any:
    if name in ("create_app", "build_engine"):
        from . import app

        return getattr(app, name)
    if name == "ServiceConfig":
        from .config import ServiceConfig

        return ServiceConfig
    if name == "EngineSet":
        from .engines import EngineSet

        return EngineSet
    raise AttributeError(name)
