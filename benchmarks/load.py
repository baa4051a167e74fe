"""A bounded load test of the service on loopback: 8 concurrent clients deciding the benchmark pool for
30 s against a real ``netral-rules serve`` process on 127.0.0.1, with a pack reload in the middle.

    python -m benchmarks.load [--seconds 30] [--clients 8] [--facts 2000] [--out docs/service-load.json]
    python -m benchmarks.load --quick          # a few seconds, for the test suite

The server decides with a copy of the bundled packs. Halfway through, one pack's version is raised on
disk and the packs are reloaded through the admin endpoint while the clients go on. Every answer is
checked byte for byte against the decision the library gives for that fact with the old packs or with
the new ones, and every request sent must be answered: the run reports requests per second, the
latency percentiles, the failures (any answer that is not 200 and one of those two decisions), the
requests lost (sent and never answered), and how many answers came from each set of packs.

The clients are a minimal HTTP/1.1 client on asyncio streams (keep-alive, one connection each), in one
process beside the server's: on this machine's two cores the two share the CPU, so the figures are the
service's throughput with its load generator beside it, not the server alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netral_rules import Engine, bundled_rules_dir

from .facts import fact_pool

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "load-test-admin-token-0123456789"
PACK = "pp_94_2021"
AUTH = f"Authorization: Bearer {TOKEN}\r\n"  # with an admin token configured, every /v1 call needs a token


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    sent: int = 0
    answered: int = 0
    failed: list[str] = field(default_factory=list)
    old: int = 0
    new: int = 0
    old_after_reload: int = 0  # answers with the old packs to requests sent after the reload returned


class Server:
    def __init__(self, rules: Path, token_file: Path) -> None:
        command = [sys.executable, "-m", "netral_rules.batch.cli", "serve", "--port", "0", "--rules", str(rules),
                   "--admin-token-file", str(token_file)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT)
        self.log: list[str] = []
        self.port = 0
        started = threading.Event()

        def pump() -> None:
            assert self.process.stdout is not None
            for raw in self.process.stdout:
                line = raw.decode("utf-8", "replace")
                self.log.append(line)
                m = re.search(r"Uvicorn running on http://127\.0\.0\.1:(\d+)", line)
                if m:
                    self.port = int(m.group(1))
                    started.set()
            started.set()

        threading.Thread(target=pump, daemon=True).start()
        if not started.wait(120) or not self.port:
            self.stop()
            raise RuntimeError("the service did not start:\n" + "".join(self.log))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, method: str, path: str,
                   body: bytes = b"", headers: str = "") -> tuple[int, bytes]:
    writer.write(f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 f"Content-Length: {len(body)}\r\n{headers}\r\n".encode() + body)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    m = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
    if m is None:
        raise RuntimeError("an answer without Content-Length")
    return status, await reader.readexactly(int(m.group(1)))


async def _client(port: int, bodies: list[bytes], expected: list[tuple[bytes, bytes]], start: int,
                  deadline: float, tally: Tally, reload_done: list[float]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = start
    try:
        # run to the deadline, and on until a moment after the reload returned: on a loaded machine a reload can
        # take most of a short run, and the answers with the new packs are part of what is measured
        while time.perf_counter() < deadline or not reload_done or time.perf_counter() < reload_done[0] + 0.25:
            k = i % len(bodies)
            i += 1
            sent_at = time.perf_counter()
            tally.sent += 1
            try:
                status, data = await _request(reader, writer, "POST", "/v1/decide", bodies[k], AUTH)
            except (OSError, asyncio.IncompleteReadError, RuntimeError) as exc:
                tally.failed.append(f"fact {k}: {type(exc).__name__}: {exc}")
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            tally.latencies.append(time.perf_counter() - sent_at)
            tally.answered += 1
            old, new = expected[k]
            if status != 200:
                tally.failed.append(f"fact {k}: HTTP {status}: {data[:200]!r}")
            elif data == old:
                tally.old += 1
                if reload_done and sent_at > reload_done[0]:
                    tally.old_after_reload += 1
            elif data == new:
                tally.new += 1
            else:
                tally.failed.append(f"fact {k}: an answer that is neither the old nor the new decision")
    finally:
        writer.close()


def _bump(rules: Path) -> str:
    manifest = rules / PACK / "pack.yaml"
    text = manifest.read_text(encoding="utf-8")
    old = re.search(r"^version: *([0-9.]+)", text, re.M).group(1)  # type: ignore[union-attr]
    manifest.write_text(text.replace(f"version: {old}", f"version: {old}-load", 1), encoding="utf-8")
    return f"{old}-load"


async def _reload(port: int, at: float, rules: Path, result: dict[str, Any], reload_done: list[float]) -> None:
    await asyncio.sleep(max(0.0, at - time.perf_counter()))
    result["version"] = _bump(rules)
    start = time.perf_counter()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        status, data = await _request(reader, writer, "POST", "/v1/admin/reload", headers=AUTH)
        writer.close()
    finally:
        reload_done.append(time.perf_counter())  # the clients stop after it, whether the reload worked or not
    result.update(status=status, seconds=round(reload_done[0] - start, 3),
                  generation=json.loads(data).get("generation"))


async def _run(port: int, bodies: list[bytes], expected: list[tuple[bytes, bytes]], clients: int, seconds: float,
               rules: Path) -> tuple[Tally, dict[str, Any], float]:
    tally = Tally()
    reload: dict[str, Any] = {}
    reload_done: list[float] = []
    begin = time.perf_counter()
    deadline = begin + seconds
    tasks = [_client(port, bodies, expected, n * len(bodies) // clients, deadline, tally, reload_done)
             for n in range(clients)]
    await asyncio.gather(*tasks, _reload(port, begin + seconds / 2, rules, reload, reload_done))
    return tally, reload, time.perf_counter() - begin


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(seconds: float, clients: int, n_facts: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="netral-load-"))
    try:
        rules = work / "rules"
        shutil.copytree(bundled_rules_dir(), rules)
        token_file = work / "admin-tokens"
        token_file.write_text(TOKEN + "\n")
        old_engine = Engine.from_paths([rules])
        facts = fact_pool(old_engine, n_facts)
        bodies = [json.dumps(f).encode() for f in facts]
        old = [old_engine.decision_json(old_engine.evaluate(f)) for f in facts]
        manifest = rules / PACK / "pack.yaml"
        original = manifest.read_text(encoding="utf-8")
        _bump(rules)
        new_engine = Engine.from_paths([rules])
        new = [new_engine.decision_json(new_engine.evaluate(f)) for f in facts]
        manifest.write_text(original, encoding="utf-8")  # the server starts with the old packs
        server = Server(rules, token_file)
        try:
            tally, reload, elapsed = asyncio.run(_run(server.port, bodies, list(zip(old, new, strict=True)),
                                                      clients, seconds, rules))
        finally:
            server.stop()
        reload_logged = any("rule packs reloaded (api)" in line for line in server.log)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lat = tally.latencies
    return {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "facts": n_facts,
        "requests": tally.answered,
        "requests_per_second": round(tally.answered / elapsed, 1),
        "latency_ms": {
            "p50": round(_percentile(lat, 0.50) * 1000, 2) if lat else None,
            "p99": round(_percentile(lat, 0.99) * 1000, 2) if lat else None,
            "max": round(max(lat) * 1000, 2) if lat else None,
            "mean": round(statistics.fmean(lat) * 1000, 2) if lat else None,
        },
        "failed": len(tally.failed),
        "failures": tally.failed[:20],
        # a request whose connection failed is counted as failed, not answered; lost are the others
        "lost": tally.sent - tally.answered - sum(1 for f in tally.failed if ": HTTP " not in f
                                                  and "neither" not in f),
        "sent": tally.sent,
        "answers_old_packs": tally.old,
        "answers_new_packs": tally.new,
        "old_packs_after_reload": tally.old_after_reload,
        "reload": {**reload, "logged": reload_logged},
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                    "load_average": [round(x, 2) for x in os.getloadavg()]},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--facts", type=int, default=2000, help="size of the benchmark pool")
    parser.add_argument("--quick", action="store_true", help="3 s with 50 facts: a smoke test, not a measure")
    parser.add_argument("--out", help="write the result as JSON here")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.facts = 3.0, 50
    result = run(args.seconds, args.clients, args.facts)
    lat = result["latency_ms"]
    print(f"{result['clients']} clients, {result['seconds']} s, pool of {result['facts']} facts")
    print(f"  requests     {result['requests']} ({result['requests_per_second']}/s)")
    print(f"  latency      p50 {lat['p50']} ms, p99 {lat['p99']} ms, max {lat['max']} ms")
    print(f"  failed       {result['failed']}; lost {result['lost']} (sent {result['sent']})")
    print(f"  reload       {result['reload']}")
    print(f"  answers      {result['answers_old_packs']} with the old packs, {result['answers_new_packs']} with "
          f"the new; {result['old_packs_after_reload']} old after the reload returned")
    for failure in result["failures"]:
        print(f"  ! {failure}")
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    ok = (result["failed"] == 0 and result["lost"] == 0 and result["reload"].get("status") == 200
          and result["old_packs_after_reload"] == 0 and result["answers_new_packs"] > 0)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
