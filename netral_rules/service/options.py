"""The ``serve`` command's options, and the configuration they make. No FastAPI import here: the CLI's
parser is built for every command."""

from __future__ import annotations

import argparse
import ipaddress
from pathlib import Path
from typing import Any

from ..messages import text as msg
from .config import (
    ADMIN_TOKENS_ENV,
    DEFAULT_HOST,
    DEFAULT_MAX_BATCH_BODY,
    DEFAULT_MAX_BODY,
    DEFAULT_PORT,
    DEFAULT_TIMEOUT,
    TOKENS_ENV,
    ServiceConfig,
    read_tokens,
)


def _bytes(text: str) -> int:
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    t = text.strip().lower().removesuffix("b")
    factor = units.get(t[-1:], 1)
    try:
        value = int(t[:-1] if t[-1:] in units else t) * factor
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(msg("args.not_size", value=repr(text)))
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(msg("args.not_seconds", value=repr(text)))
    return value


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any free port)")
    p.add_argument("--max-body", type=_bytes, default=DEFAULT_MAX_BODY, metavar="BYTES",
                   help="largest body of one request, 413 above it (default 1m)")
    p.add_argument("--max-batch-body", type=_bytes, default=DEFAULT_MAX_BATCH_BODY, metavar="BYTES",
                   help="largest body of a batch (default 256m)")
    p.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="a request must be answered within this time; a body must not stall longer (default 30)")
    p.add_argument("--token-file", metavar="PATH",
                   help=f"bearer tokens that may call /v1, one a line (also ${TOKENS_ENV}); none: no authentication")
    p.add_argument("--admin-token-file", metavar="PATH",
                   help=f"bearer tokens that may also reload the packs (also ${ADMIN_TOKENS_ENV})")
    p.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                   help="allow browser calls from this origin, e.g. https://pengaduan.example.go.id (repeatable; "
                   "default: none)")
    p.add_argument("--decision-log", metavar="PATH|-", help="append a JSON Lines decision log to PATH (- for stdout)")
    p.add_argument("--log-personal-data", action="store_true",
                   help="keep actor.name and description in the decision log (left out by default)")
    p.add_argument("--access-log", action="store_true", help="log every request (uvicorn's access log)")


def config_from(args: argparse.Namespace, rules: list[Path]) -> ServiceConfig:
    return ServiceConfig(
        rules=tuple(rules),
        backend=getattr(args, "backend", "native"),
        settings=dict(getattr(args, "setting", None) or []),
        host=args.host,
        port=args.port,
        max_body=args.max_body,
        max_batch_body=args.max_batch_body,
        timeout=args.timeout,
        tokens=read_tokens(args.token_file, TOKENS_ENV),
        admin_tokens=read_tokens(args.admin_token_file, ADMIN_TOKENS_ENV),
        cors_origins=tuple(args.cors_origin),
        decision_log=args.decision_log,
        log_personal_data=args.log_personal_data,
        access_log=args.access_log,
    )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def summary(config: ServiceConfig) -> dict[str, Any]:
    """What the service runs with, for its first log line (no tokens, only how many)."""
    return {"host": config.host, "port": config.port, "tokens": len(config.tokens),
            "admin_tokens": len(config.admin_tokens), "cors": list(config.cors_origins),
            "decision_log": config.decision_log, "personal_data": config.log_personal_data}
