"""Pieces of the OpenAPI document that the routes declare: references to component schemas and the
error answers each route can give."""

from __future__ import annotations

from typing import Any

JSON = "application/json"
NDJSON = "application/x-ndjson"


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


_ERRORS = {
    401: "Authentication is configured and no valid bearer token was sent.",
    403: "The token may not do this, or the endpoint is off.",
    404: "Not found.",
    408: "The request body did not arrive within the timeout.",
    409: "The new rule packs have errors: refused, the old ones keep serving.",
    413: "The request body is over the configured limit.",
    422: "Invalid input: every problem with where it is.",
    503: "The request did not finish within the timeout.",
}


def responses(ok: dict[str, Any], description: str, *codes: int, media: str = JSON) -> dict[int | str, Any]:
    """``200`` with the schema ``ok`` and the error answers ``codes`` (each an ErrorBody)."""
    out: dict[int | str, Any] = {200: {"description": description, "content": {media: {"schema": ok}}}}
    for code in codes:
        out[code] = {"description": _ERRORS[code], "content": {JSON: {"schema": ref("ErrorBody")}}}
    return out


def body(schema: dict[str, Any], media: str = JSON, description: str | None = None,
         required: bool = True) -> dict[str, Any]:
    content: dict[str, Any] = {"schema": schema}
    return {"requestBody": {"required": required, "content": {media: content},
                            **({"description": description} if description else {})}}
