"""schemathesis hooks of the service tests (imported by test_schemathesis.py; for the command line,
``SCHEMATHESIS_HOOKS=tests.service.st_hooks st --config-file tests/service/schemathesis.toml run URL``)."""

from __future__ import annotations

import json
from typing import Any

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx: Any, value: Any) -> bytes:
    """The batch body: a string is sent as it is; anything else generated for it as one JSON line."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return json.dumps(value).encode() + b"\n"
