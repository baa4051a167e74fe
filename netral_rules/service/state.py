"""What the routes share: the configuration, the engines and the decision log."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from .config import ServiceConfig
from .decisionlog import DecisionLog
from .engines import EngineSet


@dataclass
class ServiceState:
    config: ServiceConfig
    engines: EngineSet
    decision_log: DecisionLog | None


def service(request: Request) -> ServiceState:
    return request.app.state.service  # type: ignore[no-any-return]


def requested_by(request: Request) -> str | None:
    client = request.client
    return f"{client.host}:{client.port}" if client else None
