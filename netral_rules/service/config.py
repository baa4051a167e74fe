"""The service's configuration: where the packs are, limits, who may call it, what it logs.

Kept free of FastAPI so that ``netral-rules --help`` and the CLI's parser never import the web stack.
Access tokens come from a file or the environment only: a token on the command line would be readable by
every user of the machine (``ps``) and kept in shell histories.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import NetralError, Problem

TOKENS_ENV = "NETRAL_RULES_TOKENS"
ADMIN_TOKENS_ENV = "NETRAL_RULES_ADMIN_TOKENS"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_BODY = 1 << 20  # one fact is a few hundred bytes; a megabyte leaves room for long descriptions
DEFAULT_MAX_BATCH_BODY = 256 << 20
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class ServiceConfig:
    """Everything ``netral-rules serve`` is told. ``rules`` empty means the bundled packs."""

    rules: tuple[Path, ...] = ()
    backend: str = "native"
    settings: dict[str, bool] = field(default_factory=dict)
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    max_body: int = DEFAULT_MAX_BODY
    max_batch_body: int = DEFAULT_MAX_BATCH_BODY
    timeout: float = DEFAULT_TIMEOUT
    tokens: frozenset[str] = frozenset()  # any of these (or an admin token) may call /v1; none: no authentication
    admin_tokens: frozenset[str] = frozenset()  # these may also reload the packs; none: no reload over HTTP
    cors_origins: tuple[str, ...] = ()
    decision_log: str | None = None  # a file path, or "-" for standard output; None: no decision log
    log_personal_data: bool = False  # keep actor.name and description in the decision log
    access_log: bool = False

    @property
    def authenticated(self) -> bool:
        return bool(self.tokens or self.admin_tokens)


def _split(text: str) -> list[str]:
    return [t for t in re.split(r"[\s,]+", text) if t]


def read_tokens(file: str | Path | None, env: str) -> frozenset[str]:
    """Tokens from ``file`` (one a line; blank lines and ``#`` comments skipped) and from the environment
    variable ``env`` (separated by commas or whitespace)."""
    tokens: list[str] = _split(os.environ.get(env, ""))
    if file is not None:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise NetralError(
                f"berkas token tidak dapat dibaca / cannot read the token file {file}",
                [Problem(getattr(exc, "strerror", None) or "not UTF-8 text", str(file), code="token_file")],
            ) from None
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].strip()
            if line:
                tokens.append(line)
    short = [t for t in tokens if len(t) < 16]
    if short:
        raise NetralError(
            "token terlalu pendek / a token is too short",
            [Problem("setiap token minimal 16 karakter / every token needs at least 16 characters",
                     str(file) if file else env, code="token_short")],
        )
    return frozenset(tokens)
