"""Batch evaluation for ``netral-rules check``: one record at a time, or in several processes, output in
input order.

A record's whole answer — decide it, then format the output line (JSON or table row) as UTF-8 — is
:func:`answer`, used the same way by a single process and by each worker, so the output cannot differ
between ``--jobs 1`` and ``--jobs N``. Parsing, deciding and serialising happen in the workers (pickling
decisions back to the parent cost more than deciding them); only a first line that may open a
pretty-printed document is read by the parent:

* JSON Lines in a regular file, stdin redirected from one included (:func:`answer_file`): the parent cuts
  it into blocks of whole lines;
* anything else, such as a pipe (:func:`answer_stream`): the parent reads the records and hands them out
  in chunks;

and each worker decides a block or chunk and writes its output itself, once the one before it is written.

A forked worker uses the parent's compiled engine; durable_rules keeps per-process C state, so with that
backend (and where there is no fork) the workers are spawned and compile the packs again. The workers run
under ``concurrent.futures``: one that fails or dies ends the batch with :class:`BatchError` (saying how
many records the output holds), never a hang; a signal to the parent stops them (see :mod:`.stops`).
"""

from __future__ import annotations

import ctypes
import datetime as dt
import io
import json
import multiprocessing as mp
import os
import signal
import stat
import sys
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import astuple, dataclass
from itertools import count, islice
from multiprocessing.context import BaseContext
from typing import IO, Any

from pydantic import ValidationError

from ..decide.decision import Decision
from ..decide.engine import Engine
from ..errors import FactError, NetralError
from ..fact.jsonread import duplicate_free, read_json
from ..fact.model import Fact
from ..output.report import error_row, json_line_safe, may_hold_separators, table_row
from .framing import complete_line, too_long, too_long_error
from .stops import held

STATUSES = ("violation", "no_violation", "undetermined", "not_covered")  # BlockResult's order of counts
CHUNK = 512  # stdin lines per task
_IN_FLIGHT = 2  # tasks handed out ahead per worker (blocks of a file, chunks of stdin)
_engine: Engine | None = None
_as_of: dt.date | None = None
_json_out = True
_lang = "id"  # the language of the check table (JSON output has none)

# (is an error, the decision's status or "" for an error, the output line with its newline, UTF-8)
Answer = tuple[bool, str, bytes]


def parse_line(data: bytes, *, document: bool = False) -> Any:
    """One JSON Lines record (or, with ``document``, a whole JSON document, such as a request body of the
    service), or a :class:`FactError` in its place: a line over the size limit, not UTF-8, not JSON, a key
    written twice in an object, numbers beyond what Python reads, nesting beyond its stack (see
    :func:`..fact.jsonread.read_json`)."""
    if not document and too_long(data):
        return too_long_error()
    try:
        return read_json(data, document=document)
    except FactError as exc:
        return exc


def answer_line(engine: Engine, line: int, data: bytes, as_of: dt.date | None, json_out: bool,
                lang: str = "id") -> Answer:
    """:func:`answer` for one JSON Lines line (see :func:`decide_line`)."""
    result = decide_line(engine, data, as_of)
    return render(engine, line, result, json_out, lang, plain=not may_hold_separators(data))


def decide_line(
    engine: Engine, data: bytes, as_of: dt.date | None, *, document: bool = False
) -> Decision | NetralError:
    """The decision on one JSON Lines line (or, with ``document``, one JSON document), or the error in its
    place. A valid fact is validated straight from its bytes (pydantic reading JSON text costs less than
    ``json.loads`` and then validating the dict, ~8 against ~10 µs), if it certainly wrote no key twice
    (which pydantic does not notice); anything else takes the path of :func:`parse_line`, so its error is
    the one that path reports. The two paths give the same fact, which the property tests check. The HTTP
    service decides its requests here too."""
    if not document and too_long(data):
        return too_long_error()
    try:
        fact = Fact.model_validate_json(data)
    except ValidationError:
        return decide(engine, parse_line(data, document=document), as_of)
    if not duplicate_free(data, fact):
        return decide(engine, parse_line(data, document=document), as_of)
    return decide(engine, fact, as_of)


def answer_record(engine: Engine, line: int, record: Any, raw: bool, as_of: dt.date | None,
                  json_out: bool, lang: str = "id") -> Answer:
    """The answer to a record as :func:`.framing.records` yields it: JSON text (``raw``) or a parsed value."""
    if raw:
        return answer_line(engine, line, record, as_of, json_out, lang)
    return answer(engine, line, record, as_of, json_out, lang)


def answer(
    engine: Engine,
    line: int,
    record: Any,
    as_of: dt.date | None,
    json_out: bool,
    lang: str = "id",
) -> Answer:
    """Decide one record (a parsed JSON value, or the error that replaced it) and format its output line."""
    return render(engine, line, decide(engine, record, as_of), json_out, lang)


def decide(engine: Engine, record: Any, as_of: dt.date | None) -> Decision | NetralError:
    """The decision on a record (a parsed JSON value, or the error that replaced it), or its error."""
    if isinstance(record, NetralError):
        return record
    try:
        return engine.evaluate(record, as_of=as_of)
    except NetralError as exc:
        return exc


def render(engine: Engine, line: int, result: Decision | NetralError, json_out: bool, lang: str = "id", *,
           plain: bool = False) -> Answer:
    """The output line of a record's result: ``{"line": n, "decision": ...}`` or ``{"line": n, "error": ...}``
    (``json_out``), or a table row in ``lang``. JSON Lines never carry a raw line separator (U+2028, U+2029,
    U+0085); ``plain``: the record came from text that holds none (see :func:`_separators_in_packs`), so the
    decision's JSON need not be searched for one."""
    if isinstance(result, Decision):
        status = result.status
        if json_out:
            data = b'{"line":%d,"decision":%b}\n' % (line, engine.decision_json(result))
            if not plain or _separators_in_packs(engine):
                data = json_line_safe(data)
            return False, status, data
        return False, status, (table_row(line, result, lang) + "\n").encode()
    if json_out:
        text = json.dumps({"line": line, "error": result.as_dict()}, ensure_ascii=False) + "\n"
        return True, "", json_line_safe(text.encode())
    problems = "; ".join(p.words() for p in result.problems)  # the JSON Lines above keep each one's path
    return True, "", (error_row(line, result.message, problems, lang) + "\n").encode()


_SEPARATORS_IN_PACKS: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def _separators_in_packs(engine: Engine) -> bool:
    """Whether any text of the engine's packs holds U+2028, U+2029 or U+0085 (then every decision's JSON is
    escaped, not only those of facts that hold one). Found once per engine."""
    found = _SEPARATORS_IN_PACKS.get(engine)
    if found is None:
        texts = [p.manifest.model_dump_json() for p in engine.packs]
        texts += [a.article.model_dump_json() for p in engine.packs for a in p.articles.values()]
        texts += [r.rule.model_dump_json() for r in engine.rules]
        found = any(ch in t for t in texts for ch in ("\u2028", "\u2029", "\x85"))
        _SEPARATORS_IN_PACKS[engine] = found
    return found


class BatchError(Exception):
    """A batch that ended before its input did: ``cause`` says why; the output holds exactly the first
    ``answered`` records, whole, through input line ``last_line`` (0: none) of the input ``source`` (None:
    the only one)."""

    def __init__(self, cause: BaseException, answered: int, last_line: int, source: str | None = None) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.answered = answered
        self.last_line = last_line
        self.source = source


def labelled(data: bytes, label: bytes | None) -> bytes:
    """A JSON Lines output record that names the input file it answers (``label``, a JSON string), when
    ``check`` reads several: ``{"file": ..., "line": ...}``."""
    return data if label is None else b'{"file":' + label + b"," + data[1:]


class WriteFailed(OSError):
    """Writing output lines failed after ``complete`` of them were written whole, and ``partial`` bytes of the
    next one (which :func:`trim` takes back from a regular file)."""

    def __init__(self, cause: OSError, complete: int, partial: int) -> None:
        super().__init__(cause.errno, cause.strerror, getattr(cause, "filename", None))
        self.cause = cause
        self.complete = complete
        self.partial = partial

    def __reduce__(self) -> Any:  # crosses from a worker to the parent
        return (WriteFailed, (self.cause, self.complete, self.partial))


# --- workers: signals and the parent's death ----------------------------------------------------------
#
# A worker writes the output of a block itself (answer_file); it must never die in the middle of a record.
# SIGINT and SIGHUP reach the whole process group from a terminal (Ctrl-C, a closed window): the workers
# ignore them and the parent, which receives them too, stops the batch at a record boundary. SIGTERM is
# what the pool sends to workers when one of them died, and what a supervisor sends to the group: a worker
# exits at once, unless it is writing, and then right after the block it is writing. If the parent dies
# without a word (SIGKILL), the kernel kills the workers (Linux's parent-death signal), so that none goes on
# writing into an output nobody reads.

_writing = False
_term_pending = False


def _worker_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_term)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the pool's own checks remain
            pass
        if os.getppid() == 1:  # the parent died before the line above: do not outlive it
            os._exit(1)


_PR_SET_PDEATHSIG = 1


def _worker_term(signum: int, frame: Any) -> None:
    global _term_pending
    if _writing:
        _term_pending = True  # exit once the block being written is whole
        return
    os._exit(128 + signum)


def _adopt(engine: Engine, as_of: dt.date | None, json_out: bool, lang: str = "id") -> None:
    global _engine, _as_of, _json_out, _lang
    _worker_signals()
    _engine, _as_of, _json_out, _lang = engine, as_of, json_out, lang


def _context(engine: Engine) -> BaseContext:
    # The native engine goes to forked workers where the platform can fork: they inherit it compiled, as it
    # is. durable_rules keeps C state per process that a fork would share, so its workers are spawned;
    # a spawned worker (and any worker where there is no fork) gets the engine pickled, which carries the
    # loaded packs and compiles them again there (Engine.__getstate__).
    if engine.backend_name != "durable" and "fork" in mp.get_all_start_methods():
        return mp.get_context("fork")
    return mp.get_context("spawn")


def _executor(engine: Engine, jobs: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> Any:
    # concurrent.futures rather than multiprocessing.Pool: when a worker dies (killed, out of memory, a crash
    # in C code) its tasks fail with BrokenProcessPool instead of never returning
    return ProcessPoolExecutor(jobs, mp_context=_context(engine), initializer=initializer, initargs=initargs)


def _stop_workers(executor: Any) -> None:
    """Shut the pool down and make sure no worker outlives it: each has a few seconds to finish its task
    (a stopped batch's workers give up at once), then it is killed. Not cut short by a stop signal."""
    with held():
        processes = list((getattr(executor, "_processes", None) or {}).values())
        manager = getattr(executor, "_executor_manager_thread", None)
        executor.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            proc.join(timeout=10)
        for proc in processes:
            if proc.is_alive():  # pragma: no cover - a worker stuck in C code
                proc.kill()
                proc.join(timeout=5)
        if manager is not None:
            manager.join(timeout=10)


class _Stopped(RuntimeError):
    """A worker gave up because another one failed: the other's error is the one to report."""


def _in_order(executor: Any, fn: Callable[[Any], Any], tasks: Iterable[Any], window: int,
              on_failure: Callable[[], object] = lambda: None) -> Iterator[Any]:
    """``fn(task)`` for every task, in the workers, returned in task order; at most ``window`` tasks are
    handed out ahead of the one awaited, so memory stays bounded whatever the input's length. A failure
    is raised as the first worker that failed saw it, not as the stop it caused in the others; on any
    failure (a signal in the parent too), ``on_failure`` runs first, then the workers are stopped."""
    pending: deque[Any] = deque()
    try:
        for task in tasks:
            pending.append(executor.submit(fn, task))
            if len(pending) > window:
                yield _result(pending)
        while pending:
            yield _result(pending)
    except BaseException:
        on_failure()
        _stop_workers(executor)
        raise


def _result(pending: deque[Any]) -> Any:
    try:
        return pending.popleft().result()
    except _Stopped:
        for other in pending:  # the failure that stopped this task is in a later one
            found = other.exception()
            if found is not None and not isinstance(found, _Stopped):
                raise found from None
        raise


# --- workers that write their output themselves, in turn ---------------------------------------------
#
# With records streamed through the parent, the parent's share of a core (reading lines, pickling them,
# receiving ~8 kB of output per record and writing it) kept two workers from two cores; even copying the
# workers' finished output in the kernel cost the parent a tenth of the work. For a file, the parent only
# cuts it into blocks of whole lines and counts their newlines (for the line numbers); from anything else
# (a pipe), it hands out chunks of records. Each worker decides a block or chunk and writes its output
# itself, straight to the output, when the one before it has been written: they are handed out in order,
# so the one before was started earlier and has almost always finished, and the wait is short. A worker
# that fails stops the others instead of leaving them waiting. Results that cross back to the parent are a
# few numbers: a worker killed while it sends megabytes of output to the parent would leave the pool's
# result channel half written and the parent waiting on it for ever.
#
# The turn passes as a token: block i waits on semaphore i (mod the number of blocks that can be in flight)
# and, once written, releases semaphore i + 1. Nothing is held that a worker which dies could leave held
# (a lock, or a condition whose notify waits for every sleeper to wake, would stop every other worker with
# it), and an abort releases every semaphore, so that no worker waits for ever.
#
# The shared state says what the output holds: the records written whole and the input line of the last
# one, and (for a regular file) the offset where the last whole record ends, so that a worker killed in
# the middle of a write leaves nothing after it once the parent trims.

BLOCK_BYTES = 1 << 20  # about a thousand records: output in order, in steps short enough for progress

_turn: Any = None  # the _Turn shared by the workers of answer_file
_out_fd = -1
_label: bytes | None = None  # the input's name on each JSON record, when check reads several


@dataclass(frozen=True)
class _Turn:
    slots: tuple[Any, ...]  # Semaphores: block i may write once slots[i % len(slots)] is released to it
    aborted: Any  # RawValue: 1 once the batch stops
    answered: Any  # RawValue: records written whole
    last_line: Any  # RawValue: the input line of the last of them
    good_end: Any  # RawValue: the output offset after the last whole record (-1: not a regular file)

    @classmethod
    def make(cls, ctx: BaseContext, in_flight: int, out_fd: int) -> _Turn:
        # every block in flight is within in_flight + 1 of the one being written: no two share a slot
        slots = tuple(ctx.Semaphore(1 if i == 0 else 0) for i in range(in_flight + 2))
        return cls(slots, ctx.RawValue("b", 0), ctx.RawValue("q", 0), ctx.RawValue("q", 0),
                   ctx.RawValue("q", _offset(out_fd)))


@dataclass(frozen=True)
class Block:
    index: int
    data: bytes  # whole lines
    first_line: int  # the number of its first line in the input


@dataclass(frozen=True)
class Chunk:
    index: int
    records: list[tuple[int, Any, bool]]  # (line, record, raw) as framing.records yields them


@dataclass(frozen=True)
class BlockResult:
    records: int
    errors: int
    violations: int
    no_violation: int = 0
    undetermined: int = 0
    not_covered: int = 0


def _adopt_writer(engine: Engine, as_of: dt.date | None, json_out: bool, turn: _Turn, out_fd: int,
                  lang: str = "id", label: bytes | None = None) -> None:
    global _turn, _out_fd, _label
    _adopt(engine, as_of, json_out, lang)
    _turn, _out_fd, _label = turn, out_fd, label if json_out else None


def _blocks(src: IO[bytes]) -> Iterator[Block]:
    line = 1
    for index in count():
        data = src.read(BLOCK_BYTES)
        if not data:
            return
        last = data.rfind(b"\n") + 1  # the block ends with its last line whole, cut to the line limit
        data = data[:last] + complete_line(src, data[last:]) if last < len(data) else data
        yield Block(index, data, line)
        line += data.count(b"\n")


def _chunks(records: Iterable[tuple[int, Any, bool]], size: int) -> Iterator[Chunk]:
    it = iter(records)
    for index in count():
        chunk = list(islice(it, size))
        if not chunk:
            return
        yield Chunk(index, chunk)


def _answers(task: Block | Chunk) -> Iterator[tuple[int, Answer]]:
    assert _engine is not None
    if isinstance(task, Chunk):
        for number, record, raw in task.records:
            yield number, answer_record(_engine, number, record, raw, _as_of, _json_out, _lang)
        return
    # iterating a bytes buffer splits lines exactly as iterating the file does (on b"\n" only)
    for number, line in enumerate(io.BytesIO(task.data), task.first_line):
        if line.strip():
            yield number, answer_line(_engine, number, line, _as_of, _json_out, _lang)


def _work_block(task: Block | Chunk) -> BlockResult:
    try:
        if _turn.aborted.value:
            raise _Stopped("batch stopped: another worker failed")  # no block to decide for nothing
        records = errors = 0
        counts = dict.fromkeys(STATUSES, 0)
        out: list[bytes] = []
        numbers: list[int] = []
        for number, (error, status, data) in _answers(task):
            records += 1
            errors += error
            if status:
                counts[status] += 1
            out.append(labelled(data, _label))
            numbers.append(number)
    except BaseException:
        _abort(_turn)
        raise
    _write_in_turn(task.index, out, numbers)
    return BlockResult(records, errors, *counts.values())


def _abort(turn: _Turn) -> None:
    """Stop every worker: none waits any more for a turn that will never come."""
    turn.aborted.value = 1
    for slot in turn.slots:
        for _ in range(len(turn.slots)):  # more than there can be waiters
            slot.release()


def _write_in_turn(index: int, data: list[bytes], numbers: list[int]) -> None:
    """Write a block's output once every block before it is written."""
    global _writing
    turn: _Turn = _turn
    slots = turn.slots
    slots[index % len(slots)].acquire()
    if turn.aborted.value:
        raise _Stopped("batch stopped: another worker failed")
    _writing = True
    try:
        _write_lines(_out_fd, data)
    except WriteFailed as exc:
        _account(turn, exc.complete, numbers)
        trim(_out_fd, exc.partial)
        _abort(turn)
        raise
    except BaseException:
        _abort(turn)
        raise
    else:
        _account(turn, len(data), numbers)
        slots[(index + 1) % len(slots)].release()  # the next block's turn
    finally:
        _writing = False
    if _term_pending:
        os._exit(128 + signal.SIGTERM)


def _account(turn: _Turn, complete: int, numbers: list[int]) -> None:
    turn.answered.value += complete
    if complete:
        turn.last_line.value = numbers[complete - 1]
    if turn.good_end.value >= 0:
        turn.good_end.value = _offset(_out_fd)


def _offset(fd: int) -> int:
    """Where the next write to ``fd`` goes, if ``fd`` is a regular file (-1 otherwise)."""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return -1
        return os.lseek(fd, 0, os.SEEK_CUR)
    except OSError:
        return -1


def trim(fd: int, partial: int) -> None:
    """Take back the ``partial`` bytes of a record that were written last, if ``fd`` is a regular file."""
    end = _offset(fd)
    if partial and end >= partial:
        _truncate(fd, end - partial)


def _truncate(fd: int, end: int) -> None:
    try:
        os.ftruncate(fd, end)
        os.lseek(fd, end, os.SEEK_SET)
    except OSError:  # pragma: no cover - nothing more can be done for the output
        pass


try:
    _IOV_MAX = max(1, os.sysconf("SC_IOV_MAX"))  # -1 would mean no limit
except (AttributeError, ValueError, OSError):
    _IOV_MAX = 1024  # the usual limit, where it cannot be asked


def _write_lines(fd: int, lines: list[bytes]) -> None:
    """Write every line, whole, in order. A failure raises :class:`WriteFailed`, which says how many lines
    were written whole and how many bytes of the next one. ``lines`` is consumed."""
    # writev: the lines as they are, without joining megabytes into one buffer first (whose fresh pages
    # cost more than the copy); a partial write resumes inside the line it stopped in
    start = 0
    partial = 0
    try:
        if not hasattr(os, "writev"):  # Windows
            for k, line in enumerate(lines):
                start, partial = k, 0
                view = memoryview(line)
                while view:
                    n = os.write(fd, view)
                    partial += n
                    view = view[n:]
            start, partial = len(lines), 0
            return
        limit = _IOV_MAX
        while start < len(lines):
            batch = lines[start : start + limit]
            written = os.writev(fd, batch)
            for line in batch:
                if written < len(line):
                    break
                written -= len(line)
                start += 1
                partial = 0
            else:
                continue
            partial += written
            lines[start] = lines[start][written:]
    except OSError as exc:
        raise WriteFailed(exc, start, partial) from None


def answer_file(
    src: IO[bytes],
    out_fd: int,
    *,
    jobs: int,
    engine: Engine,
    as_of: dt.date | None,
    json_out: bool,
    progress: Callable[[int], object] = lambda n: None,
    lang: str = "id",
    label: bytes | None = None,
) -> BlockResult:
    """Decide every JSON Lines record of the file ``src``, from its current position (line 1), in ``jobs``
    processes, writing the output lines, as :func:`answer` formats them, to the file descriptor ``out_fd``
    in input order (flush any buffer over it first). Returns the totals.

    If the batch ends early (a worker failed or died, the output could not be written, a signal stopped the
    parent), :class:`BatchError` says why and how many records the output holds, whole: a record that a
    dying worker left half written in a regular file is taken back.

    The workers write to ``out_fd`` themselves: a forked worker inherits every descriptor, a spawned one
    (the durable backend, or a platform without fork) only stdin, stdout and stderr. With ``label`` (a JSON
    string), each JSON record names the input file (see :func:`labelled`)."""
    return _in_turn(_blocks(src), out_fd, jobs, engine, as_of, json_out, progress, lang, label)


def answer_stream(
    records: Iterable[tuple[int, Any, bool]],
    out_fd: int,
    *,
    jobs: int,
    engine: Engine,
    as_of: dt.date | None,
    json_out: bool,
    progress: Callable[[int], object] = lambda n: None,
    chunk: int = CHUNK,
    lang: str = "id",
    label: bytes | None = None,
) -> BlockResult:
    """:func:`answer_file` for records as :func:`.framing.records` yields them from input that can be read
    only once (a pipe): the parent reads them and hands them out in chunks; ``raw`` records are JSON text."""
    return _in_turn(_chunks(records, chunk), out_fd, jobs, engine, as_of, json_out, progress, lang, label)


def _in_turn(tasks: Iterable[Block | Chunk], out_fd: int, jobs: int, engine: Engine, as_of: dt.date | None,
             json_out: bool, progress: Callable[[int], object], lang: str, label: bytes | None) -> BlockResult:
    ctx = _context(engine)
    if ctx.get_start_method() != "fork" and out_fd not in (0, 1, 2):
        raise ValueError("spawned workers can write only to stdout or stderr")
    turn = _Turn.make(ctx, jobs * _IN_FLIGHT, out_fd)
    total = BlockResult(0, 0, 0, 0, 0, 0)
    executor = _executor(engine, jobs, _adopt_writer, (engine, as_of, json_out, turn, out_fd, lang, label))
    try:
        # workers waiting for their turn stop instead of waiting for ever, before the pool is shut down
        for done in _in_order(executor, _work_block, tasks, jobs * _IN_FLIGHT, lambda: _abort(turn)):
            total = BlockResult(*(a + b for a, b in zip(astuple(total), astuple(done), strict=True)))
            progress(done.records)
    except BaseException as exc:
        _stop_workers(executor)
        if turn.good_end.value >= 0 and _offset(out_fd) > turn.good_end.value:
            _truncate(out_fd, turn.good_end.value)  # a worker died while writing: its record is not whole
        raise BatchError(exc, turn.answered.value, turn.last_line.value) from exc
    finally:
        _stop_workers(executor)
    return total
