"""Bearer-token authentication: off unless tokens are configured; admin tokens for the reload endpoint."""

from __future__ import annotations

import hmac

from fastapi import Request

from .config import ServiceConfig


class Unauthorized(Exception):
    """No token, or one the service does not know: 401."""


class Forbidden(Exception):
    """A known token without the right (``code``: forbidden, reload_disabled): 403."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _known(token: str, tokens: frozenset[str]) -> bool:
    # compare with every token, in constant time each, so the answer's timing does not tell which is close
    found = False
    for known in tokens:
        found |= hmac.compare_digest(token.encode(), known.encode())
    return found


def _config(request: Request) -> ServiceConfig:
    return request.app.state.service.config  # type: ignore[no-any-return]


async def reader(request: Request) -> None:
    """Any configured token (when there are tokens at all)."""
    config = _config(request)
    if not config.authenticated:
        return
    token = _bearer(request)
    if token is None or not _known(token, config.tokens | config.admin_tokens):
        raise Unauthorized()


async def admin(request: Request) -> None:
    """An admin token: only they may reload the packs; without admin tokens the endpoint is off."""
    config = _config(request)
    if not config.admin_tokens:
        raise Forbidden("reload_disabled")
    token = _bearer(request)
    if token is None:
        raise Unauthorized()
    if _known(token, config.admin_tokens):
        return
    if _known(token, config.tokens):
        raise Forbidden("forbidden")
    raise Unauthorized()
