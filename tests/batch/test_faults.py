"""Faults in a running batch (issue 16, 3 and 4): a killed worker, a signal to the parent, a full disk,
closed standard streams, an output folder that cannot be written, a bug.

Each runs the real command in its own process group, with real worker processes, and checks the exit code,
the one-line message (no traceback unless --debug), that the output holds exactly the records the message
counts, each whole, and that no process is left afterwards (every worker the command started is gone).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ENV = {**os.environ, "PYTHONUTF8": "1", "NETRAL_RULES_LANG": "en"}
CLI = [sys.executable, "-m", "netral_rules.batch.cli"]
checked: dict[str, int] = {"processes": 0, "runs": 0}  # the figures of these tests


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    print(f"\nfault tests: {checked['runs']} runs, {checked['processes']} processes checked gone (with -s)")


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JSON Lines file that takes two workers many seconds: the faults come long before its end."""
    good = [line for line in (EXAMPLES / "facts.jsonl").read_bytes().splitlines() if line.strip()]
    path = tmp_path_factory.mktemp("faults") / "big.jsonl"
    with path.open("wb") as f:
        for n in range(120_000):
            f.write(good[n % len(good)] + b"\n")
    return path


def _processes() -> Iterator[tuple[int, list[str]]]:
    """Every process, from /proc: its id and the fields of its stat after the name (state, ppid, pgrp, ...)."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            yield int(entry), stat[stat.rindex(")") + 2 :].split()


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid``."""
    return {child for child, fields in _processes() if int(fields[1]) == pid}


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


class Run:
    """The command running in its own process group, writing to a file; its workers as they appear."""

    def __init__(self, args: list[str], out: Path, pipe: Path | None = None) -> None:
        """With ``pipe``, the command reads that file from a pipe (the parent hands out the lines)."""
        self.out = out
        with out.open("wb") as sink:
            self.proc = subprocess.Popen([*CLI, *args], stdin=subprocess.PIPE if pipe else subprocess.DEVNULL,
                                         stdout=sink, stderr=subprocess.PIPE, cwd=ROOT, env=ENV,
                                         start_new_session=True)
        self.feeder = threading.Thread(target=self._feed, args=(pipe,), daemon=True) if pipe else None
        if self.feeder:
            self.feeder.start()
        self.workers: set[int] = set()

    def _feed(self, path: Path) -> None:
        assert self.proc.stdin is not None
        try:
            with path.open("rb") as src:
                while chunk := src.read(1 << 16):
                    self.proc.stdin.write(chunk)
            self.proc.stdin.close()
        except (BrokenPipeError, ValueError, OSError):
            pass  # the command stopped reading

    def wait_for(self, workers: int, output: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.workers |= _children(self.proc.pid)
            if len(self.workers) >= workers and self.out.stat().st_size >= output:
                return
            assert self.proc.poll() is None, self.proc.stderr.read() if self.proc.stderr else ""
            time.sleep(0.02)
        raise AssertionError("the batch did not get going")

    def finish(self, timeout: float = 120) -> tuple[int, str]:
        assert self.proc.stderr is not None
        err = self.proc.stderr.read()
        self.proc.wait(timeout=timeout)
        if self.feeder:
            self.feeder.join(timeout=timeout)
        checked["runs"] += 1
        return self.proc.returncode, err.decode()

    def assert_nothing_left(self) -> None:
        # every worker seen, and anything still in the command's process group, is gone
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(p) for p in self.workers):
            time.sleep(0.05)
        left = [p for p in self.workers if _alive(p)]
        assert left == [], f"workers left running: {left}"
        try:
            os.killpg(self.proc.pid, 0)
            group_alive = any(_alive(p) for p in _group(self.proc.pid))
        except ProcessLookupError:
            group_alive = False
        assert not group_alive, "a process of the command's group is still running"
        checked["processes"] += len(self.workers) + 1

    def records(self) -> list[dict[str, object]]:
        data = self.out.read_bytes()
        assert data == b"" or data.endswith(b"\n"), "the output ends inside a record"
        return [json.loads(line) for line in data.splitlines()]


def _group(pgid: int) -> Iterator[int]:
    return (pid for pid, fields in _processes() if int(fields[2]) == pgid)


def _answered(message: str) -> tuple[int, int]:
    # "... ; 1234 record(s) answered before the failure, up to input line 1234"
    tail = message.split("; ")[-1]
    count = int(tail.split(" ")[0])
    line = int(tail.rsplit(" ", 1)[-1]) if "up to input line" in tail else 0
    return count, line


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("source", ["file", "pipe"])
def test_a_killed_worker_ends_the_batch_with_its_own_exit_code(big: Path, tmp_path: Path, source: str) -> None:
    # it exited 1 with a traceback, like "some records were invalid", the output cut at a block boundary
    args = ["check", "--json", "--jobs", "2", str(big) if source == "file" else "-"]
    run = Run(args, tmp_path / "out.jsonl", pipe=big if source == "pipe" else None)
    # a block's output is some megabytes: by 40 MB, several are written whole, and one is being written
    run.wait_for(workers=2, output=40_000_000)
    os.kill(max(run.workers), signal.SIGKILL)  # as the out-of-memory killer would
    code, err = run.finish()
    assert code == 3, err
    line = _one_line(err)
    assert line.startswith("netral-rules: a worker process (--jobs) died; "), line
    count, last = _answered(line)
    records = run.records()  # whole records only: one the killed worker was writing is taken back
    assert len(records) == count and (records[-1]["line"] if records else 0) == last
    assert [r["line"] for r in records] == list(range(1, count + 1))
    run.assert_nothing_left()


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)])
@pytest.mark.parametrize("source", ["file", "pipe"])
def test_a_signal_to_the_parent_stops_the_workers_at_a_record_boundary(big: Path, tmp_path: Path, sig: int,
                                                                       code: int, source: str) -> None:
    # after SIGTERM the workers lived on and kept writing to the output
    args = ["check", "--json", "--jobs", "2", str(big) if source == "file" else "-"]
    run = Run(args, tmp_path / "out.jsonl", pipe=big if source == "pipe" else None)
    run.wait_for(workers=2, output=200_000)
    os.kill(run.proc.pid, sig)
    status, err = run.finish()
    assert status == code, err
    line = _one_line(err)
    name = signal.Signals(sig).name
    assert line.startswith(f"netral-rules: stopped by {name} after ") and line.endswith(" record(s) answered"), line
    count = int(line.split(" after ")[1].split(" ")[0])
    records = run.records()
    assert len(records) == count > 0
    assert [r["line"] for r in records] == list(range(1, count + 1))
    size = run.out.stat().st_size
    time.sleep(1)
    assert run.out.stat().st_size == size, "something still writes to the output"
    run.assert_nothing_left()


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
def test_a_signal_to_the_whole_group_still_ends_cleanly(big: Path, tmp_path: Path, signum: int, status: int) -> None:
    # Ctrl-C: a terminal sends SIGINT to every process of the foreground group; SIGTERM to the group as well
    run = Run(["check", "--json", "--jobs", "2", str(big)], tmp_path / "out.jsonl")
    run.wait_for(workers=2, output=200_000)
    os.killpg(run.proc.pid, signum)
    code, err = run.finish()
    assert code == status, err
    assert _one_line(err).startswith(f"netral-rules: stopped by {signal.Signals(signum).name} after ")
    assert len(run.records()) == int(err.split(" after ")[1].split(" ")[0])
    run.assert_nothing_left()


def test_a_signal_without_workers(big: Path, tmp_path: Path) -> None:
    run = Run(["check", "--json", str(big)], tmp_path / "out.jsonl")
    run.wait_for(workers=0, output=200_000)
    os.kill(run.proc.pid, signal.SIGTERM)
    status, err = run.finish()
    assert status == 143 and _one_line(err).startswith("netral-rules: stopped by SIGTERM after ")
    assert len(run.records()) == int(err.split(" after ")[1].split(" ")[0]) > 0
    run.assert_nothing_left()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk(jobs: str) -> None:
    # it exited 1 with a traceback (OSError: [Errno 28] No space left on device)
    with open("/dev/full", "wb") as full:
        r = subprocess.run([*CLI, "check", "--json", "--jobs", jobs, str(EXAMPLES / "facts.jsonl")], stdout=full,
                           stderr=subprocess.PIPE, cwd=ROOT, env=ENV, timeout=120)
    assert r.returncode == 3
    assert _one_line(r.stderr.decode()) == ("netral-rules: cannot write standard output: the disk is full; "
                                            "0 record(s) answered before the failure")


def test_closed_standard_streams() -> None:
    r = subprocess.run(["bash", "-c", 'exec "$0" -m netral_rules.batch.cli check - <&-', sys.executable],
                       capture_output=True, cwd=ROOT, env=ENV, timeout=120)
    assert r.returncode == 2 and _one_line(r.stderr.decode()) == "netral-rules: standard input is closed"
    r = subprocess.run(["bash", "-c", 'exec "$0" -m netral_rules.batch.cli check "$1" >&-', sys.executable,
                        str(EXAMPLES / "facts.jsonl")], capture_output=True, cwd=ROOT, env=ENV, timeout=120)
    assert r.returncode == 3 and _one_line(r.stderr.decode()) == "netral-rules: standard output is closed"


def test_an_output_folder_that_cannot_be_written(tmp_path: Path, lang: str) -> None:
    (tmp_path / "file").write_text("x")
    env = {**ENV, "NETRAL_RULES_LANG": lang}
    r = subprocess.run([*CLI, "docs", "--out", str(tmp_path / "file" / "docs")], capture_output=True, text=True,
                       cwd=ROOT, env=env, timeout=120)
    assert r.returncode == 3
    reason = {"id": "tidak dapat menulis {}: bukan folder", "en": "cannot write {}: not a folder"}[lang]
    assert _one_line(r.stderr) == "netral-rules: " + reason.format(tmp_path / "file" / "docs")


def test_a_bug_is_an_internal_error_and_debug_shows_it(tmp_path: Path) -> None:
    code = ("import sys; from netral_rules import Engine; from netral_rules.batch import cli\n"
            "def broken(self, *a, **k): raise ZeroDivisionError('a bug')\n"
            "Engine.evaluate = broken\n"
            "sys.exit(cli.main(sys.argv[1:]))")
    args = ["check", "--json", str(EXAMPLES / "facts.jsonl")]
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, env=ENV,
                       timeout=120)
    assert r.returncode == 3
    assert _one_line(r.stderr) == ("netral-rules: internal error (--debug shows the details); "
                                   "0 record(s) answered before the failure")
    r = subprocess.run([sys.executable, "-c", code, "--debug", *args], capture_output=True, text=True, cwd=ROOT,
                       env=ENV, timeout=120)
    assert r.returncode == 3
    assert "Traceback" in r.stderr and "ZeroDivisionError: a bug" in r.stderr
    assert r.stderr.rstrip().splitlines()[-1].startswith("netral-rules: internal error")


def test_a_bug_after_some_records_says_how_many_were_answered(tmp_path: Path) -> None:
    code = ("import sys; from netral_rules import Engine; from netral_rules.batch import cli\n"
            "real = Engine.evaluate\n"
            "def flaky(self, fact, **k):\n"
            "    if b'lap-005' in (fact if isinstance(fact, bytes) else str(fact).encode()) or "
            "getattr(fact, 'id', None) == 'lap-005': raise RuntimeError('a bug')\n"
            "    return real(self, fact, **k)\n"
            "Engine.evaluate = flaky\n"
            "sys.exit(cli.main(sys.argv[1:]))")
    out = tmp_path / "out.jsonl"
    with out.open("wb") as sink:
        r = subprocess.run([sys.executable, "-c", code, "check", "--json", str(EXAMPLES / "facts.jsonl")], stdout=sink,
                           stderr=subprocess.PIPE, text=False, cwd=ROOT, env=ENV, timeout=120)
    assert r.returncode == 3
    assert _one_line(r.stderr.decode()).endswith("; 4 record(s) answered before the failure, up to input line 4")
    assert [json.loads(line)["line"] for line in out.read_bytes().splitlines()] == [1, 2, 3, 4]
