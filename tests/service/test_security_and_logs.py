"""Authentication, CORS, the decision log and the request timeout, through the ASGI app."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from netral_rules import Decision
from netral_rules.errors import NetralError
from netral_rules.service.config import ADMIN_TOKENS_ENV, TOKENS_ENV, read_tokens
from netral_rules.service.limits import Limits

from .conftest import ADMIN, READER

FACT = {"id": "lap-9", "occurred_on": "2024-01-10", "actor": {"status": "pns", "name": "Siti Aminah"},
        "act": {"kind": "campaign_attendance", "role": "participant", "mobilised_civil_servants": True},
        "description": "Mengajak staf ke kampanye"}


def test_without_tokens_every_endpoint_is_open(client: TestClient) -> None:
    assert client.post("/v1/decide", json=FACT).status_code == 200
    assert client.get("/v1/rules").status_code == 200


def test_with_tokens_a_bearer_token_is_needed(make_client: Any) -> None:
    c = make_client(tokens=frozenset({READER}), admin_tokens=frozenset({ADMIN}))
    for headers in ({}, {"Authorization": "Bearer wrong-token-0123456789"}, {"Authorization": READER},
                    {"Authorization": f"Basic {READER}"}):
        response = c.post("/v1/decide", json=FACT, headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        body = response.json()
        assert body["error"] == "unauthorized" and body["text"]["id"].startswith("Diperlukan token")
    for token in (READER, ADMIN):
        ok = c.post("/v1/decide", json=FACT, headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200
    assert c.get("/v1/packs").status_code == 401
    # health, readiness and the OpenAPI document stay open for load balancers and integrators
    for path in ("/v1/health", "/v1/ready", "/v1/openapi.json"):
        assert c.get(path).status_code == 200


def test_reload_needs_an_admin_token(make_client: Any) -> None:
    off = make_client(tokens=frozenset({READER}))
    response = off.post("/v1/admin/reload", headers={"Authorization": f"Bearer {READER}"})
    assert response.status_code == 403 and response.json()["error"] == "reload_disabled"
    assert "SIGHUP" in response.json()["text"]["id"]
    on = make_client(tokens=frozenset({READER}), admin_tokens=frozenset({ADMIN}))
    assert on.post("/v1/admin/reload").status_code == 401
    forbidden = on.post("/v1/admin/reload", headers={"Authorization": f"Bearer {READER}"})
    assert forbidden.status_code == 403 and forbidden.json()["error"] == "forbidden"
    done = on.post("/v1/admin/reload", headers={"Authorization": f"Bearer {ADMIN}"})
    assert done.status_code == 200 and done.json()["generation"] == 2


def test_tokens_come_from_a_file_and_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "tokens"
    file.write_text(f"# tokens of the complaint system\n{READER}\n\n  {ADMIN}  # admin\n")
    monkeypatch.setenv(TOKENS_ENV, "env-token-0123456789abcdef, other-token-0123456789abcdef")
    assert read_tokens(file, TOKENS_ENV) == {READER, ADMIN, "env-token-0123456789abcdef",
                                              "other-token-0123456789abcdef"}
    monkeypatch.delenv(ADMIN_TOKENS_ENV, raising=False)
    assert read_tokens(None, ADMIN_TOKENS_ENV) == frozenset()
    file.write_text("short\n")
    with pytest.raises(NetralError, match="too short"):
        read_tokens(file, ADMIN_TOKENS_ENV)
    with pytest.raises(NetralError, match="cannot read"):
        read_tokens(tmp_path / "missing", ADMIN_TOKENS_ENV)


def test_cors_is_off_unless_configured(client: TestClient, make_client: Any) -> None:
    origin = {"Origin": "https://pengaduan.example.go.id"}
    assert "access-control-allow-origin" not in client.get("/v1/packs", headers=origin).headers
    preflight = {**origin, "Access-Control-Request-Method": "POST"}
    assert "access-control-allow-origin" not in client.options("/v1/decide", headers=preflight).headers
    on = make_client(cors_origins=("https://pengaduan.example.go.id",))
    assert on.get("/v1/packs", headers=origin).headers["access-control-allow-origin"] == origin["Origin"]
    assert on.options("/v1/decide", headers=preflight).status_code == 200
    other = on.get("/v1/packs", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers


def _entries(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_decision_log_entries_leave_personal_data_out_by_default(make_client: Any, tmp_path: Path) -> None:
    log = tmp_path / "decisions.jsonl"
    c = make_client(decision_log=str(log))
    response = c.post("/v1/decide", json=FACT)
    decision = Decision.model_validate_json(response.content)
    c.post("/v1/decide", content=b'{"occurred_on": "2024-01-10", "actor": {"status": "pns", "name": "Siti"}}')
    entries = _entries(log)
    assert len(entries) == 2
    first = entries[0]
    assert first["decision_id"] == response.headers["x-decision-id"]
    assert first["timestamp"].endswith("Z") and first["path"] == "/v1/decide"
    assert first["input_sha256"] == decision.audit.input_sha256
    assert first["bundles"] == {p.id: {"version": p.version, "sha256": p.sha256} for p in decision.audit.packs}
    assert first["revision"] == response.headers["x-netral-revision"]
    assert first["result"] == {"status": "violation", "rule_ids": decision.rule_ids,
                               "headline": {"level": decision.aggregate.level,
                                            "category": decision.aggregate.category},
                               "applied_on": "2024-01-10"}
    assert first["metrics"]["timer_server_handler_ns"] > 0
    assert first["erased"] == ["/input/actor/name", "/input/description"]
    assert first["input"]["act"] == FACT["act"] and "name" not in first["input"]["actor"]
    text = log.read_text(encoding="utf-8")
    assert "Siti" not in text and "Mengajak" not in text  # neither the valid nor the invalid input's
    assert entries[1]["error"] == {"code": "invalid_fact", "problems": 1} and entries[1]["erased"] == ["/input"]


def test_decision_log_keeps_personal_data_when_asked(make_client: Any, tmp_path: Path) -> None:
    log = tmp_path / "decisions.jsonl"
    c = make_client(decision_log=str(log), log_personal_data=True)
    c.post("/v1/decide", json=FACT)
    entry = _entries(log)[0]
    assert entry["input"] == FACT and "erased" not in entry


def test_decision_log_of_a_batch_has_an_entry_per_line(make_client: Any, tmp_path: Path) -> None:
    log = tmp_path / "decisions.jsonl"
    c = make_client(decision_log=str(log))
    body = b"\n".join([json.dumps(FACT).encode(), b"", b"not json", json.dumps(FACT).encode()])
    response = c.post("/v1/decide/batch", content=body)
    entries = _entries(log)
    assert [e["batch"]["line"] for e in entries] == [1, 3, 4]
    assert {e["batch"]["id"] for e in entries} == {response.headers["x-batch-id"]}
    assert [("result" in e, "error" in e) for e in entries] == [(True, False), (False, True), (True, False)]
    assert "Siti" not in log.read_text(encoding="utf-8")


def test_no_decision_log_unless_asked(client: TestClient) -> None:
    assert "x-decision-id" not in client.post("/v1/decide", json=FACT).headers


def test_a_request_over_the_time_limit_is_answered_503() -> None:
    """The limit middleware around an app that takes longer than the limit (deciding never does)."""

    async def slow(scope: Any, receive: Any, send: Any) -> None:
        await asyncio.sleep(5)

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    app = Limits(slow, max_body=10, max_batch_body=10, timeout=0.2, streaming=lambda path: False)
    asyncio.run(app({"type": "http", "path": "/v1/decide", "headers": []}, receive, send))
    assert sent[0]["status"] == 503
    body = json.loads(sent[1]["body"])
    assert body["error"] == "timeout" and "0.2" in body["text"]["id"]
