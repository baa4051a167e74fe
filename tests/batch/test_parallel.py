"""``check --jobs N``: the same output, byte for byte, as one process, whatever the input holds.

A file of JSON Lines is decided in blocks by the workers, which write their output themselves in block
order (parallel.answer_file); from stdin and for pretty-printed documents the parent reads the records and
hands them out in chunks, and the workers write those in order too (parallel.answer_stream). Inputs here
exceed one block, so several workers write.
"""

import json
import multiprocessing
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import fact

from netral_rules import Engine
from netral_rules.backends.durable import unavailable_reason
from netral_rules.batch import parallel
from netral_rules.batch.parallel import BLOCK_BYTES, BatchError, answer, answer_file, parse_line

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


# UTF-8 output whatever the locale: otherwise the CLI writes through the text stream and never reaches the
# block writer, and these tests would pass without testing it
ENV = {**os.environ, "PYTHONUTF8": "1"}
FORK = "fork" in multiprocessing.get_all_start_methods()


def check(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", "check", *args], input=stdin,
                          capture_output=True, cwd=ROOT, timeout=300, env=ENV)


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


def _answer_file(engine: Engine, path: Path, out: Path, jobs: int = 2) -> bytes:
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        with path.open("rb") as src:
            answer_file(src, fd, jobs=jobs, engine=engine, as_of=None, json_out=True)
    finally:
        os.close(fd)
    return out.read_bytes()


def test_answer_file_writes_the_answers_in_order(mixed: Path, tmp_path: Path) -> None:
    engine = Engine.default()
    expected = b"".join(
        answer(engine, n, parse_line(line), None, True)[2]
        for n, line in enumerate(mixed.read_bytes().split(b"\n"), 1) if line.strip()
    )
    assert _answer_file(engine, mixed, tmp_path / "out.jsonl") == expected


def test_short_writes_resume_where_they_stopped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # a pipe or a signal can cut a write short; the rest must follow, byte for byte, in order
    real = os.writev
    # a short writev writes a prefix of the buffers' concatenation: here at most 9 bytes a call
    monkeypatch.setattr(os, "writev", lambda fd, bufs: real(fd, [b"".join(bufs)[:9]]))
    monkeypatch.setattr(parallel, "_IOV_MAX", 3)
    lines = [b"x" * n + b"\n" for n in (0, 3, 20, 6, 1, 50)]
    out = tmp_path / "out"
    fd = os.open(out, os.O_WRONLY | os.O_CREAT)
    try:
        parallel._write_lines(fd, list(lines))
    finally:
        os.close(fd)
    assert out.read_bytes() == b"".join(lines)


def _raise() -> None:
    raise RuntimeError("bug in the engine")


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would: no exception, no clean-up


@pytest.mark.skipif(not FORK, reason="the patched engine reaches the workers only through a fork")
@pytest.mark.parametrize(("fail", "error"), [(_raise, "RuntimeError"), (_die, "BrokenProcessPool")])
def test_a_failing_worker_ends_the_batch_with_its_error(mixed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        fail: Callable[[], None], error: str) -> None:
    # the other workers, waiting for their turn to write, must stop too instead of waiting for ever
    engine = Engine.default()
    real = engine.evaluate
    calls = {"n": 0}

    def flaky(record: object, **kw: object) -> object:
        calls["n"] += 1  # counted per process: each forked worker fails on its 500th record
        if calls["n"] == 500:
            fail()
        return real(record, **kw)

    monkeypatch.setattr(engine, "evaluate", flaky)
    with pytest.raises(BatchError) as caught:
        _answer_file(engine, mixed, tmp_path / "out.jsonl")
    assert type(caught.value.cause).__name__ == error
    if error == "RuntimeError":
        assert str(caught.value.cause) == "bug in the engine"  # the cause, not the stop it caused elsewhere
    # the output holds exactly the records the error counts, each whole, through the line it names
    out = (tmp_path / "out.jsonl").read_bytes()
    assert out.endswith(b"\n") or out == b""
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == caught.value.answered
    assert (records[-1]["line"] if records else 0) == caught.value.last_line


def test_stdin_from_a_file_starts_where_stdin_is(mixed: Path) -> None:
    # `read` leaves stdin just after the first line: every --jobs reads on from there, as --jobs 1 does
    outputs = [
        subprocess.run(["bash", "-c", f'read -r skipped; exec "$0" -m netral_rules.batch.cli check --json --jobs {j} -',
                        sys.executable], stdin=mixed.open("rb"), capture_output=True, cwd=ROOT, timeout=300,
                       env=ENV).stdout
        for j in (1, 2)
    ]
    assert outputs[0] == outputs[1] and outputs[0]
    assert json.loads(outputs[0].splitlines()[0])["line"] == 1  # numbered from where reading began
