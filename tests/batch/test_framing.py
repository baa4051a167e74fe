"""How ``check`` cuts its input into records (issue 16, 1 and 11): one answer per input line, always, except
for an input that is, as a whole, one JSON document spread over lines; every line bounded in size.

The commands run as users run them (a subprocess, real files and pipes), with ``--jobs 1`` and ``--jobs 2``
(a file takes the block path, a pipe the parent's), which must answer the same.
"""

from __future__ import annotations

import json
import os
import resource
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import fact

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
GOOD = [line for line in (EXAMPLES / "facts.jsonl").read_bytes().splitlines() if line.strip()]
ENV = {**os.environ, "PYTHONUTF8": "1", "NETRAL_RULES_LANG": "en"}
TRUNCATED = b'{"occurred_on": "2024-01-10", "actor": {'


def check(*args: str, stdin: bytes | None = None, memory: int | None = None) -> subprocess.CompletedProcess[bytes]:
    def limit() -> None:
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", "check", "--json", *args], input=stdin,
                          capture_output=True, cwd=ROOT, timeout=300, env=ENV, preexec_fn=limit)


def answers(data: bytes, tmp_path: Path, *extra: str) -> list[dict[str, object]]:
    """The records ``check --json`` answers for ``data``: from a pipe and from a file, with 1 and 2 jobs, which
    must all be the same bytes."""
    path = tmp_path / "in.jsonl"
    path.write_bytes(data)
    outputs = {
        "pipe": check(*extra, "-", stdin=data),
        "file": check(*extra, str(path)),
        "pipe, 2 jobs": check(*extra, "--jobs", "2", "-", stdin=data),
        "file, 2 jobs": check(*extra, "--jobs", "2", str(path)),
    }
    first = outputs["pipe"]
    for how, r in outputs.items():
        assert r.returncode in (0, 1), (how, r.stderr)
        assert r.stdout == first.stdout, how
    return [json.loads(line) for line in first.stdout.splitlines()]


def test_a_truncated_first_record_costs_only_its_own_line(tmp_path: Path) -> None:
    # `printf '{"occurred_on": "2024-01-10", "actor": {\n' | cat - examples/facts.jsonl | check - --json | wc -l`
    # gave 1: the input was read as one JSON document, which failed, and every other record was lost
    records = answers(TRUNCATED + b"\n" + b"\n".join(GOOD) + b"\n", tmp_path)
    assert [r["line"] for r in records] == list(range(1, len(GOOD) + 2))
    assert "error" in records[0] and all("decision" in r for r in records[1:])
    problems = records[0]["error"]["problems"]  # type: ignore[index]
    assert problems[0]["where"] == "$"
    # the error says why the input was not read as one document either, and where that failed
    assert problems[-1]["message"] == "the input is not one JSON document either (error at line 2, column 1)"


@pytest.mark.parametrize("ending", ["\u00a0", "\f", "\u2028", "\u0085", "\u2029", "\x00"])
def test_a_first_record_ending_in_a_character_json_does_not_skip(tmp_path: Path, ending: str) -> None:
    # a no-break space, a form feed or U+2028 after the first record made the input one (failing) document
    first = GOOD[0] + ending.encode()
    records = answers(first + b"\n" + b"\n".join(GOOD[1:]) + b"\n", tmp_path)
    assert [r["line"] for r in records] == list(range(1, len(GOOD) + 1))
    assert records[0]["error"]["message"] == "line is not valid JSON"  # type: ignore[index]
    assert all("decision" in r for r in records[1:])


def test_white_space_json_allows_is_fine_after_a_record(tmp_path: Path) -> None:
    records = answers(b"\n".join(line + b" \t\r" for line in GOOD) + b"\n", tmp_path)
    assert len(records) == len(GOOD) and all("decision" in r for r in records)


def test_a_pretty_printed_object_and_array_are_documents(tmp_path: Path) -> None:
    one = json.dumps(fact(mobilised_civil_servants=True), indent=2).encode()
    [record] = answers(one + b"\n", tmp_path)
    assert record["line"] == 1 and record["decision"]["status"] == "violation"  # type: ignore[index]
    many = json.dumps([fact(mobilised_civil_servants=True), fact(), {"occurred_on": "x"}], indent=2).encode()
    records = answers(many, tmp_path)
    assert [r["line"] for r in records] == [1, 2, 3]  # an array's records are numbered by item
    assert ["error" in r for r in records] == [False, False, True]


def test_a_broken_document_is_answered_line_by_line(tmp_path: Path) -> None:
    # its lines are records of JSON Lines then; the first line's error says where the document broke
    text = json.dumps(fact(), indent=2).replace('"participant"', '"participant",,').encode()
    records = answers(text, tmp_path)
    lines = [n for n, line in enumerate(text.split(b"\n"), 1) if line.strip()]
    assert [r["line"] for r in records] == lines and all("error" in r for r in records)
    broken = next(n for n, line in enumerate(text.split(b"\n"), 1) if b",," in line)
    assert records[0]["error"]["problems"][-1]["message"].startswith(  # type: ignore[index]
        f"the input is not one JSON document either (error at line {broken}, ")


def test_more_after_a_complete_document_makes_json_lines(tmp_path: Path) -> None:
    text = json.dumps(fact(), indent=2).encode() + b"\n" + GOOD[0] + b"\n"
    records = answers(text, tmp_path)
    assert len(records) == len(text.strip().split(b"\n"))
    assert "decision" in records[-1]


def test_a_document_with_a_key_written_twice(tmp_path: Path) -> None:
    text = b'[\n{"occurred_on": "2024-01-10", "actor": {"status": "pppk", "status": "pns"},\n' \
           b' "act": {"kind": "voting"}},\n' + json.dumps(fact()).encode() + b"\n]\n"
    records = answers(text, tmp_path)
    assert [r["line"] for r in records] == [1, 2]
    [problem] = records[0]["error"]["problems"]  # type: ignore[index]
    assert problem["where"] == "$.actor.status" and problem["code"] == "duplicate_key"
    assert problem["message"] == "the key 'status' is written more than once"
    assert "decision" in records[1]


def test_a_key_written_twice_in_a_line(tmp_path: Path) -> None:
    # it was silently last-wins: a PPPK decided as a PNS
    twice = b'{"occurred_on": "2024-01-10", "actor": {"status": "pppk", "status": "pns"}, ' \
            b'"act": {"kind": "campaign_attendance", "role": "participant", "role": "participant"}}'
    colon = json.dumps({**fact(), "description": "pukul 10:00"}).encode()  # a colon in a value is no key
    escaped = b'{"occurred_on": "2024-01-10", "actor": {"status": "pppk", "\\u0073tatus": "pns"}, ' \
              b'"act": {"kind": "voting"}}'
    records = answers(b"\n".join([twice, colon, escaped]) + b"\n", tmp_path)
    assert [p["where"] for p in records[0]["error"]["problems"]] == ["$.actor.status", "$.act.role"]  # type: ignore[index]
    assert "decision" in records[1]
    assert [p["where"] for p in records[2]["error"]["problems"]] == ["$.actor.status"]  # type: ignore[index]


def test_a_line_over_the_limit_is_its_own_error_and_is_never_held(tmp_path: Path) -> None:
    # no per-line cap: a 100 MB JSON array line took 3.4 GB. Here 60 MB, under a 1 GB address-space limit.
    huge = b"[" + b",".join([json.dumps(fact()).encode()] * 500_000) + b"]"
    assert len(huge) > 60_000_000
    data = GOOD[0] + b"\n" + huge + b"\n" + GOOD[1] + b"\n" + b"x" * (2 << 20)  # the last one without a newline
    path = tmp_path / "huge.jsonl"
    path.write_bytes(data)
    for jobs in ("1", "2"):
        r = check("--jobs", jobs, str(path), memory=1 << 30)
        assert r.returncode == 1, r.stderr[-2000:]
        records = [json.loads(line) for line in r.stdout.splitlines()]
        assert [rec["line"] for rec in records] == [1, 2, 3, 4]
        assert ["error" in rec for rec in records] == [False, True, False, True]
        for rec in (records[1], records[3]):
            assert rec["error"]["problems"][0]["message"] == "the line is longer than the limit of 1,048,576 bytes"
    r = check("-", stdin=data, memory=1 << 30)
    assert [json.loads(line)["line"] for line in r.stdout.splitlines()] == [1, 2, 3, 4]


def test_a_stream_with_a_truncated_first_line_is_answered_as_it_comes() -> None:
    # the lines after it are answered before the input ends (tail -f): no waiting for a document
    proc = subprocess.Popen([sys.executable, "-m", "netral_rules.batch.cli", "check", "--json", "-"], cwd=ROOT,
                            env=ENV, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(TRUNCATED + b"\n" + GOOD[0] + b"\n")
        proc.stdin.flush()
        got = _read_lines(proc.stdout, 2, timeout=60)
        assert [json.loads(line)["line"] for line in got] == [1, 2]
        proc.stdin.write(GOOD[1] + b"\n")
        proc.stdin.flush()
        assert json.loads(_read_lines(proc.stdout, 1, timeout=60)[0])["line"] == 3
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
        proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode == 1  # the first record was invalid


def _read_lines(stream: object, n: int, timeout: float) -> list[bytes]:
    fd = stream.fileno()  # type: ignore[attr-defined]
    data = b""
    deadline = time.monotonic() + timeout
    while data.count(b"\n") < n:
        ready, _, _ = select.select([fd], [], [], max(deadline - time.monotonic(), 0))
        if not ready:
            raise AssertionError(f"no answer within {timeout} s; got {data[:200]!r}")
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        data += chunk
    return data.splitlines()[:n]
