"""A real ``netral-rules serve`` process under uvicorn on 127.0.0.1: what the ASGI tests cannot show —
the address it listens on, streaming over a socket, a stalled body, tokens from the environment, the
decision log file, reload on SIGHUP and over the API while requests are under way, and a clean stop."""

from __future__ import annotations

import json
import re
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from netral_rules import Decision
from netral_rules.batch.cli import main as cli_main

from .conftest import ADMIN, READER, ROOT, Server, stop_server

EXAMPLES = ROOT / "examples" / "facts.jsonl"
FACT = {"occurred_on": "2024-01-10", "actor": {"status": "pns", "name": "Andi"},
        "act": {"kind": "campaign_attendance", "role": "participant", "mobilised_civil_servants": True}}


def _listening_addresses(port: int) -> set[str]:
    """The local addresses with a listening TCP socket on ``port``, from /proc/net/tcp{,6}."""
    found: set[str] = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if int(hex_port, 16) == port and state == "0A":  # LISTEN
                found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]) if len(address) == 8 else address)
    return found


def test_listens_on_loopback_only_by_default(serve: Callable[..., Server]) -> None:
    server = serve()
    port = int(server.url.rsplit(":", 1)[1])
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp on this system to read the listening address from")
    assert _listening_addresses(port) == {"127.0.0.1"}
    with server.client() as c:
        assert c.get("/v1/health").json() == {"status": "ok"}


def test_decisions_and_a_streamed_batch_are_byte_for_byte_the_clis(
        serve: Callable[..., Server], capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    data = EXAMPLES.read_bytes() + b"\nnot json\n"
    assert cli_main(["check", "--json", str(EXAMPLES)]) == 0
    expected = capsysbinary.readouterr().out
    server = serve()
    with server.client() as c:
        for line, out in zip(EXAMPLES.read_bytes().splitlines(), expected.splitlines(), strict=True):
            response = c.post("/v1/decide", content=line)
            assert out.endswith(b'"decision":' + response.content + b"}")

        def pieces() -> Iterator[bytes]:
            for i in range(0, len(data), 500):
                yield data[i : i + 500]

        with c.stream("POST", "/v1/decide/batch", content=pieces()) as response:
            assert response.headers["content-type"] == "application/x-ndjson"
            got = b"".join(response.iter_bytes())
    assert got.startswith(expected)
    assert json.loads(got.splitlines()[-1])["error"]["error"] == "invalid_fact"


def test_a_batch_cut_at_the_limit_answers_the_lines_before_it(serve: Callable[..., Server]) -> None:
    server = serve("--max-batch-body", "20k")
    line = json.dumps(FACT).encode() + b"\n"

    def pieces() -> Iterator[bytes]:
        for _ in range(400):
            yield line
            time.sleep(0.001)

    with server.client() as c:
        records = [json.loads(x) for x in c.post("/v1/decide/batch", content=pieces()).content.splitlines()]
    assert len(records) > 20 and all("decision" in r for r in records[:-1])
    assert records[-1] == {"line": len(records), "error": records[-1]["error"]}
    assert records[-1]["error"]["error"] == "body_too_large"
    with server.client() as c:  # and it goes on serving
        assert c.post("/v1/decide", json=FACT).status_code == 200


def test_a_batch_sent_at_once_over_the_limit_answers_every_line_within_it(serve: Callable[..., Server]) -> None:
    """The part of the body that crosses the limit is delivered up to the limit: the lines that lie wholly within
    the limit are answered however the client's bytes were split (under load, the earlier test's small parts
    arrive coalesced, and before this the whole part that crossed the limit was dropped)."""
    server = serve("--max-batch-body", "20k")
    line = json.dumps(FACT).encode() + b"\n"
    with server.client() as c:
        records = [json.loads(x) for x in c.post("/v1/decide/batch", content=iter([line * 400])).content.splitlines()]
    limit = 20 * 1024  # "20k", as the error's message says: 20480 bytes
    assert records[-1]["error"]["error"] == "body_too_large" and str(limit) in records[-1]["error"]["message"]
    assert all("decision" in r for r in records[:-1])
    assert len(records) - 1 == limit // len(line)  # every whole line within the limit, then the cut one
    assert records[-1]["line"] == len(records)


def test_a_stalled_body_is_answered_408(serve: Callable[..., Server]) -> None:
    server = serve("--timeout", "1")
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"occurred_on\"")
        start = time.monotonic()
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 408")
    assert 0.9 < time.monotonic() - start < 8
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["error"] == "body_timeout"


def test_a_post_offering_an_http2_upgrade_is_answered(serve: Callable[..., Server]) -> None:
    """Java's HttpClient offers h2c on every request; the service must answer it in HTTP/1.1 (uvicorn's
    httptools parser refused it with 400 "Invalid HTTP request received")."""
    server = serve()
    with server.client() as c:
        response = c.post("/v1/decide", json=FACT, headers={
            "Connection": "Upgrade, HTTP2-Settings", "Upgrade": "h2c", "HTTP2-Settings": "AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA"})
        assert response.status_code == 200 and response.http_version == "HTTP/1.1"
    assert not any("upgrade" in line.lower() for line in server.log)  # declined quietly


def test_tokens_from_the_environment_and_none_on_the_command_line(
        serve: Callable[..., Server], capsys: pytest.CaptureFixture[str]) -> None:
    server = serve(env={"NETRAL_RULES_TOKENS": READER})
    with server.client() as c:
        assert c.post("/v1/decide", json=FACT).status_code == 401
        assert c.post("/v1/decide", json=FACT, headers={"Authorization": f"Bearer {READER}"}).status_code == 200
    assert READER not in "".join(server.log)  # the log counts the tokens, it does not show them
    assert cli_main(["serve", "--token", READER]) == 2  # no such option: a token is never an argument
    assert "unrecognized arguments" in capsys.readouterr().err


def test_the_decision_log_is_written_as_json_lines(serve: Callable[..., Server], tmp_path: Path) -> None:
    log = tmp_path / "decisions.jsonl"
    server = serve("--decision-log", str(log))
    with server.client() as c:
        ids = [c.post("/v1/decide", json=FACT).headers["x-decision-id"] for _ in range(3)]
    stop_server(server)
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert [e["decision_id"] for e in entries] == ids
    assert all(e["requested_by"].startswith("127.0.0.1:") and "name" not in e["input"]["actor"] for e in entries)


def _bump_version(rules: Path, pack: str = "pp_94_2021") -> str:
    manifest = rules / pack / "pack.yaml"
    text = manifest.read_text(encoding="utf-8")
    old = re.search(r"^version: *([0-9.]+)", text, re.M).group(1)  # type: ignore[union-attr]
    new = old + "-reloaded"
    manifest.write_text(text.replace(f"version: {old}", f"version: {new}", 1), encoding="utf-8")
    return new


def _break(rules: Path) -> str:
    """A misspelt category in a rule of pp_94_2021; returns the name of the file and ':<line>:<column>'."""
    path = sorted((rules / "pp_94_2021" / "rules").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("category: disiplin", "category: dsiplin", 1), encoding="utf-8")
    return re.escape(path.name) + r":\d+:\d+"


def _generation(c: httpx.Client, want: int, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = c.get("/v1/ready").json()
        if ready["generation"] == want or (ready["last_reload"] and not ready["last_reload"]["reloaded"]):
            return ready  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError(f"generation {want} not reached")


def _pack_version(c: httpx.Client, pack: str = "pp_94_2021") -> str:
    decision = Decision.model_validate_json(c.post("/v1/decide", json=FACT).content)
    return next(p.version for p in decision.audit.packs if p.id == pack)


def test_sighup_reloads_the_packs_and_refuses_a_broken_set(serve: Callable[..., Server], rules_copy: Path) -> None:
    server = serve("--rules", str(rules_copy))
    with server.client() as c:
        before = c.get("/v1/ready").json()
        new = _bump_version(rules_copy)
        server.process.send_signal(signal.SIGHUP)
        after = _generation(c, 2)
        assert after["generation"] == 2 and after["revision"] != before["revision"]
        assert after["last_reload"]["trigger"] == "SIGHUP" and after["last_reload"]["reloaded"]
        assert _pack_version(c) == new
        server.wait_log(r"rule packs reloaded \(SIGHUP\): generation 1 -> 2")

        where = _break(rules_copy)
        server.process.send_signal(signal.SIGHUP)
        server.wait_log(r"reload refused, the old packs keep serving \(SIGHUP\)")
        refused = c.get("/v1/ready").json()
        assert refused["generation"] == 2 and refused["revision"] == after["revision"]
        assert refused["last_reload"]["reloaded"] is False and refused["last_reload"]["problems"] >= 1
        assert _pack_version(c) == new  # the old set still serves
    server.wait_log(where)  # the problem is in the log with its place


def _admin_server(serve: Callable[..., Server], rules: Path, tmp_path: Path) -> tuple[Server, dict[str, str]]:
    """A server over ``rules`` with an admin token (from a file), and the header that sends it."""
    tokens = tmp_path / "admin"
    tokens.write_text(ADMIN + "\n")
    return serve("--rules", str(rules), "--admin-token-file", str(tokens)), {"Authorization": f"Bearer {ADMIN}"}


def test_api_reload_refuses_a_broken_set_with_every_problem(serve: Callable[..., Server], rules_copy: Path,
                                                            tmp_path: Path) -> None:
    server, auth = _admin_server(serve, rules_copy, tmp_path)
    with server.client(headers=auth) as c:
        _break(rules_copy)
        response = c.post("/v1/admin/reload")
        assert response.status_code == 409
        body = response.json()
        assert body["error"] == "pack_error" and "keeps serving" in body["message"]
        assert body["text"]["id"].startswith("Paket aturan baru ditolak")
        assert any(isinstance(p["where"], dict) and p["where"]["line"] > 0 for p in body["problems"])
        assert c.get("/v1/ready").json()["generation"] == 1
        assert c.post("/v1/decide", json=FACT).status_code == 200


def test_a_batch_under_way_finishes_on_the_packs_it_started_with(serve: Callable[..., Server], rules_copy: Path,
                                                                 tmp_path: Path) -> None:
    server, auth = _admin_server(serve, rules_copy, tmp_path)
    line = json.dumps(FACT).encode() + b"\n"
    first_half_sent = threading.Event()
    reloaded = threading.Event()
    answer: dict[str, bytes] = {}

    def pieces() -> Iterator[bytes]:
        yield line * 50
        first_half_sent.set()
        assert reloaded.wait(30)
        yield line * 50

    def batch() -> None:
        with server.client(headers=auth) as c:
            answer["body"] = c.post("/v1/decide/batch", content=pieces()).content

    worker = threading.Thread(target=batch)
    worker.start()
    with server.client(headers=auth) as c:
        old = _pack_version(c)
        assert first_half_sent.wait(30)
        time.sleep(0.3)  # the server has the request and its first lines
        new = _bump_version(rules_copy)
        assert c.post("/v1/admin/reload").json()["generation"] == 2
        assert _pack_version(c) == new  # a new request gets the new packs at once
        reloaded.set()
        worker.join(30)
    records = [json.loads(x) for x in answer["body"].splitlines()]
    assert len(records) == 100
    versions = {next(p["version"] for p in r["decision"]["audit"]["packs"] if p["id"] == "pp_94_2021")
                for r in records}
    assert versions == {old}


def test_sigterm_stops_the_service_cleanly(serve: Callable[..., Server]) -> None:
    server = serve()
    # uvicorn shuts down, then ends by the signal it caught (so a supervisor sees why it stopped)
    assert stop_server(server) in (0, -signal.SIGTERM)
    server.wait_log(r"Application shutdown complete")


def test_packs_with_errors_stop_serve_before_it_listens(rules_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    where = _break(rules_copy)
    assert cli_main(["serve", "--port", "0", "--rules", str(rules_copy)]) == 2
    assert re.search(where, capsys.readouterr().err)
