"""``check --jobs N``: the same output, byte for byte, as one process, whatever the input holds.

A file of JSON Lines is decided in blocks by the workers, which write their output themselves in block
order (parallel.answer_file); stdin and pretty-printed documents go through the parent
(parallel.answer_parallel). Inputs here exceed one block, so several workers write.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import fact

from netral_rules import Engine
from netral_rules.backends.durable import unavailable_reason
from netral_rules.parallel import BLOCK_BYTES, answer_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def check(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "netral_rules.cli", "check", *args], input=stdin,
                          capture_output=True, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """More than two blocks of records, with every kind of bad line and blank lines between them."""
    good = [line for line in (EXAMPLES / "facts.jsonl").read_bytes().splitlines() if line.strip()]
    odd = [b"", b"   ", b'{"occurred_on": "caf\xe9"}', b"not json", b"\xef\xbb\xbf" + good[0], b"1" * 5000,
           json.dumps(fact(role="juru_kampanye")).encode()]
    lines = []
    size = n = 0
    while size < 2.5 * BLOCK_BYTES:
        line = good[n % len(good)] if n % 97 else odd[(n // 97) % len(odd)]
        lines.append(line)
        size += len(line) + 1
        n += 1
    path = tmp_path_factory.mktemp("parallel") / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines))  # no newline after the last line
    return path


@pytest.mark.parametrize("mode", [["--json"], []], ids=["json", "table"])
def test_jobs_writes_what_one_process_writes(mixed: Path, mode: list[str]) -> None:
    one = check(*mode, str(mixed))
    assert one.returncode == 1  # bad lines are reported, not fatal
    for jobs in ("2", "3"):
        many = check(*mode, "--jobs", jobs, str(mixed))
        assert many.returncode == 1, many.stderr
        assert many.stdout == one.stdout
    if mode:
        records = [json.loads(line) for line in one.stdout.splitlines()]
        lines = mixed.read_bytes().split(b"\n")
        assert [r["line"] for r in records] == [n for n, line in enumerate(lines, 1) if line.strip()]


def test_jobs_from_stdin_and_for_a_document(mixed: Path, tmp_path: Path) -> None:
    data = mixed.read_bytes()
    assert check("--json", "--jobs", "2", "-", stdin=data).stdout == check("--json", str(mixed)).stdout
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps([fact(role="juru_kampanye"), fact()], indent=2))
    one, two = check("--json", str(doc)), check("--json", "--jobs", "2", str(doc))
    assert two.returncode == one.returncode and two.stdout == one.stdout
    assert len(two.stdout.splitlines()) == 2


def test_jobs_counts_violations_and_reports_progress(mixed: Path) -> None:
    r = check("--json", "--jobs", "2", "--progress", "--fail-on-violation", str(mixed))
    n = len(r.stdout.splitlines())
    assert f"{n} records done." in r.stderr.decode()
    assert r.returncode == 1
    good = EXAMPLES / "facts.jsonl"
    clean = check("--jobs", "2", str(good))
    assert clean.returncode == 0 and check("--jobs", "2", "--fail-on-violation", str(good)).returncode == 1


def test_a_failing_worker_stops_the_batch_instead_of_hanging(mixed: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    engine = Engine.default()
    real = engine.evaluate
    calls = {"n": 0}

    def flaky(record: object, **kw: object) -> object:
        calls["n"] += 1  # counted per process: each forked worker fails on its 500th record
        if calls["n"] == 500:
            raise RuntimeError("bug in the engine")
        return real(record, **kw)

    monkeypatch.setattr(engine, "evaluate", flaky)
    out = tmp_path / "out.jsonl"
    fd = os.open(out, os.O_WRONLY | os.O_CREAT)
    try:
        with mixed.open("rb") as src, pytest.raises(RuntimeError, match="bug in the engine"):
            answer_file(src, fd, jobs=2, engine=engine, as_of=None, json_out=True)
    finally:
        os.close(fd)


def test_spawned_workers_write_only_to_standard_streams(mixed: Path) -> None:
    engine = Engine.default()
    engine.backend_name = "durable"  # only to choose the start method: the error comes before any work
    with mixed.open("rb") as src, pytest.raises(ValueError, match="stdout or stderr"):
        answer_file(src, 7, jobs=2, engine=engine, as_of=None, json_out=True)


@pytest.mark.skipif(unavailable_reason() is not None, reason=f"durable backend: {unavailable_reason()}")
def test_jobs_with_the_durable_backend(mixed: Path) -> None:
    # spawned workers (durable_rules keeps C state per process) write to the inherited stdout
    one = check("--json", "--backend", "durable", str(mixed))
    two = check("--json", "--backend", "durable", "--jobs", "2", str(mixed))
    assert two.returncode == one.returncode == 1 and two.stdout == one.stdout
