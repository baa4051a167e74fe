"""Fixtures of the service tests: the ASGI app in-process, and a real ``netral-rules serve`` process on
127.0.0.1 (a free port chosen by the kernel, read back from the server's log)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from netral_rules import bundled_rules_dir
from netral_rules.service import ServiceConfig, create_app

ROOT = Path(__file__).resolve().parents[2]
ADMIN = "admin-token-0123456789abcdef"
READER = "reader-token-0123456789abcdef"


@pytest.fixture
def make_client() -> Iterator[Callable[..., TestClient]]:
    """``make_client(**config)``: a TestClient (lifespan run) over an app with that configuration."""
    clients: list[TestClient] = []

    def make(**config: Any) -> TestClient:
        client = TestClient(create_app(ServiceConfig(**config)), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The default service (bundled packs, no tokens) through its ASGI app."""
    with TestClient(create_app(ServiceConfig()), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A copy of the bundled packs that a test may change and reload."""
    target = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), target)
    return target


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: list[str] = field(default_factory=list)

    def client(self, **kw: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kw)

    def wait_log(self, pattern: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.log):
                if re.search(pattern, line):
                    return line
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"no log line matching {pattern!r}; log:\n" + "".join(self.log))


def start_server(args: list[str], env: dict[str, str] | None = None) -> Server:
    command = [sys.executable, "-m", "netral_rules.batch.cli", "serve", "--port", "0", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT,
                               env={**os.environ, **(env or {})})
    log: list[str] = []

    def pump() -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            log.append(raw.decode("utf-8", "replace"))

    threading.Thread(target=pump, daemon=True).start()
    server = Server(process, "", log)
    try:
        line = server.wait_log(r"Uvicorn running on http://127\.0\.0\.1:\d+", timeout=60)
    except AssertionError:
        process.kill()
        raise
    port = re.search(r"127\.0\.0\.1:(\d+)", line).group(1)  # type: ignore[union-attr]
    server.url = f"http://127.0.0.1:{port}"
    return server


def stop_server(server: Server) -> int:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            return server.process.wait(20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
    return server.process.returncode


@pytest.fixture
def serve() -> Iterator[Callable[..., Server]]:
    """``serve(*args, env=...)``: a real ``netral-rules serve`` process; stopped after the test."""
    servers: list[Server] = []

    def start(*args: str, env: dict[str, str] | None = None) -> Server:
        server = start_server(list(args), env)
        servers.append(server)
        return server

    yield start
    for server in servers:
        stop_server(server)
