"""Batch evaluation for ``netral-rules check``: one record at a time, or in several processes, output in
input order.

A record's whole answer — decide it, then format the output line (JSON or table row) as UTF-8 — is
:func:`answer`, used the same way by a single process and by each worker, so the output cannot differ
between ``--jobs 1`` and ``--jobs N``. Parsing, deciding and serialising happen in the workers (pickling
decisions back to the parent cost more than deciding them); only a first line that may open a
pretty-printed document is read by the parent:

* JSON Lines in a regular file, stdin redirected from one included (:func:`answer_file`): the parent cuts
  it into blocks of whole lines; each worker decides a block and writes its output itself, once the block
  before it is written;
* anything else, such as a pipe (:func:`answer_parallel`): the parent hands out chunks of lines and
  writes the returned output lines, in order.

A forked worker uses the parent's compiled engine; durable_rules keeps per-process C state, so with that
backend (and where there is no fork) the workers are spawned and compile the packs again. The workers run
under ``concurrent.futures``: one that dies ends the batch with ``BrokenProcessPool``, never a hang.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import multiprocessing as mp
import os
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
from ..errors import FactError, NetralError, Problem
from ..fact.model import Fact
from ..output.report import ROW_ERROR, table_row

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
    """One JSON Lines record (or, with ``document``, a whole JSON document), or a :class:`FactError` in its
    place: not UTF-8, not JSON, numbers beyond what Python reads, nesting beyond its recursion limit."""
    what = "input" if document else "line"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return FactError(
            f"{what} is not UTF-8 text",
            [
                Problem(
                    f"byte 0x{data[exc.start]:02x} at column {exc.start + 1} is not valid UTF-8", "$", code="encoding"
                )
            ],
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if document:
            return FactError(
                "input is neither JSON Lines nor one JSON document",
                [Problem(f"{exc.msg} at line {exc.lineno} column {exc.colno}", "$", code="json")],
            )
        # a first line that is not complete JSON may open a pretty-printed document: the caller decides
        code = "json_document" if exc.pos >= len(text.rstrip()) else "json"
        return FactError("line is not valid JSON", [Problem(f"{exc.msg} at column {exc.colno}", "$", code=code)])
    except (ValueError, RecursionError) as exc:  # e.g. an integer of more than 4,300 digits; deep nesting
        return FactError(f"{what} cannot be read as JSON", [Problem(str(exc)[:200], "$", code="json")])


def answer_line(engine: Engine, line: int, data: bytes, as_of: dt.date | None, json_out: bool,
                lang: str = "id") -> Answer:
    """:func:`answer` for one JSON Lines line (see :func:`decide_line`)."""
    return render(engine, line, decide_line(engine, data, as_of), json_out, lang)


def decide_line(
    engine: Engine, data: bytes, as_of: dt.date | None, *, document: bool = False
) -> Decision | NetralError:
    """The decision on one JSON Lines line (or, with ``document``, one JSON document), or the error in its
    place. A valid fact is validated straight from its bytes (pydantic reading JSON text costs less than
    ``json.loads`` and then validating the dict, ~8 against ~10 µs); anything else takes the path of
    :func:`parse_line`, so its error is the one that path reports. The two paths give the same fact, which
    the property tests check. The HTTP service decides its requests here too."""
    try:
        fact = Fact.model_validate_json(data)
    except ValidationError:
        return decide(engine, parse_line(data, document=document), as_of)
    return decide(engine, fact, as_of)


def answer_record(engine: Engine, line: int, record: Any, raw: bool, as_of: dt.date | None,
                  json_out: bool, lang: str = "id") -> Answer:
    """The answer to a record as ``cli._records`` yields it: JSON text (``raw``) or an already parsed value."""
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


def render(engine: Engine, line: int, result: Decision | NetralError, json_out: bool, lang: str = "id") -> Answer:
    """The output line of a record's result: ``{"line": n, "decision": ...}`` or ``{"line": n, "error": ...}``
    (``json_out``), or a table row in ``lang``."""
    if isinstance(result, Decision):
        status = result.status
        if json_out:
            return False, status, b'{"line":%d,"decision":%b}\n' % (line, engine.decision_json(result))
        return False, status, (table_row(line, result, lang) + "\n").encode()
    if json_out:
        text = json.dumps({"line": line, "error": result.as_dict()}, ensure_ascii=False) + "\n"
        return True, "", text.encode()
    problems = "; ".join(str(p) for p in result.problems)
    word = ROW_ERROR.get(lang, ROW_ERROR["id"])
    return True, "", f"{line:>6}  {word}  {result.message}: {problems}\n".encode()


def _adopt(engine: Engine, as_of: dt.date | None, json_out: bool, lang: str = "id") -> None:
    global _engine, _as_of, _json_out, _lang
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


class _Stopped(RuntimeError):
    """A worker gave up because another one failed: the other's error is the one to report."""


def _in_order(executor: Any, fn: Callable[[Any], Any], tasks: Iterable[Any], window: int) -> Iterator[Any]:
    """``fn(task)`` for every task, in the workers, returned in task order; at most ``window`` tasks are
    handed out ahead of the one awaited, so memory stays bounded whatever the input's length. A failure
    is raised as the first worker that failed saw it, not as the stop it caused in the others."""
    pending: deque[Any] = deque()
    try:
        for task in tasks:
            pending.append(executor.submit(fn, task))
            if len(pending) > window:
                yield _result(pending)
        while pending:
            yield _result(pending)
    except BaseException:
        executor.shutdown(wait=True, cancel_futures=True)
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


def _work(chunk: list[tuple[int, Any, bool]]) -> list[Answer]:
    assert _engine is not None
    return [answer_record(_engine, line, record, raw, _as_of, _json_out, _lang) for line, record, raw in chunk]


def _chunks(records: Iterable[tuple[int, Any, bool]], size: int) -> Iterator[list[tuple[int, Any, bool]]]:
    it = iter(records)
    while chunk := list(islice(it, size)):
        yield chunk


def answer_parallel(
    records: Iterable[tuple[int, Any, bool]],
    *,
    jobs: int,
    engine: Engine,
    as_of: dt.date | None,
    json_out: bool,
    chunk: int = CHUNK,
    lang: str = "id",
) -> Iterator[Answer]:
    """The answers to ``(line, record, raw)`` records, in order; ``raw`` records are JSON text to parse.

    For input that can only be read once (stdin): the parent hands out the lines and writes the answers.
    A file is better served by :func:`answer_file`."""
    with _executor(engine, jobs, _adopt, (engine, as_of, json_out, lang)) as executor:
        for result in _in_order(executor, _work, _chunks(records, chunk), jobs * _IN_FLIGHT):
            yield from result


# --- a JSON Lines file in blocks -------------------------------------------------------------------
#
# With records streamed through the parent, the parent's share of a core (reading lines, pickling them,
# receiving ~8 kB of output per record and writing it) kept two workers from two cores; even copying the
# workers' finished output in the kernel cost the parent a tenth of the work. For a file, the parent only
# cuts it into blocks of whole lines and counts their newlines (for the line numbers). Each worker decides
# a block and writes its output itself, straight to the output, when the block before it has been written:
# the blocks are handed out in order, so the one before was started earlier and has almost always
# finished, and the wait is short. A worker that fails stops the others instead of leaving them waiting.

BLOCK_BYTES = 1 << 20  # about a thousand records: output in order, in steps short enough for progress
_ABORTED = -1

_turn: Any = None  # (condition, number of the next block to write), shared by the workers of answer_file
_out_fd = -1


@dataclass(frozen=True)
class Block:
    index: int
    data: bytes  # whole lines
    first_line: int  # the number of its first line in the input


@dataclass(frozen=True)
class BlockResult:
    records: int
    errors: int
    violations: int
    no_violation: int = 0
    undetermined: int = 0
    not_covered: int = 0


def _adopt_writer(engine: Engine, as_of: dt.date | None, json_out: bool, turn: Any, out_fd: int,
                  lang: str = "id") -> None:
    global _turn, _out_fd
    _adopt(engine, as_of, json_out, lang)
    _turn, _out_fd = turn, out_fd


def _blocks(src: IO[bytes]) -> Iterator[Block]:
    line = 1
    for index in count():
        data = src.read(BLOCK_BYTES)
        if not data:
            return
        if not data.endswith(b"\n"):
            data += src.readline()
        yield Block(index, data, line)
        line += data.count(b"\n")


def _work_block(block: Block) -> BlockResult:
    try:
        assert _engine is not None
        if _turn[1].value == _ABORTED:
            raise _Stopped("batch stopped: another worker failed")  # no block to decide for nothing
        records = errors = 0
        counts = dict.fromkeys(STATUSES, 0)
        out: list[bytes] = []
        # iterating a bytes buffer splits lines exactly as iterating the file does (on b"\n" only)
        for number, line in enumerate(io.BytesIO(block.data), block.first_line):
            if line.strip():
                error, status, data = answer_line(_engine, number, line, _as_of, _json_out, _lang)
                records += 1
                errors += error
                if status:
                    counts[status] += 1
                out.append(data)
    except BaseException:
        _abort(_turn)
        raise
    _write_in_turn(block.index, out)
    return BlockResult(records, errors, *counts.values())


def _abort(turn: Any) -> None:
    """Stop every worker: none waits any more for a block that will never be written."""
    cond, next_block = turn
    with cond:
        next_block.value = _ABORTED
        cond.notify_all()


def _write_in_turn(index: int, data: list[bytes]) -> None:
    """Write a block's output once every block before it is written."""
    cond, next_block = _turn
    with cond:
        while next_block.value not in (index, _ABORTED):
            cond.wait()
        if next_block.value == _ABORTED:
            raise _Stopped("batch stopped: another worker failed")
        try:
            _write_lines(_out_fd, data)
        except BaseException:
            next_block.value = _ABORTED
            raise
        else:
            next_block.value = index + 1
        finally:
            cond.notify_all()


try:
    _IOV_MAX = max(1, os.sysconf("SC_IOV_MAX"))  # -1 would mean no limit
except (AttributeError, ValueError, OSError):
    _IOV_MAX = 1024  # the usual limit, where it cannot be asked


def _write_lines(fd: int, lines: list[bytes]) -> None:
    # writev: the lines as they are, without joining megabytes into one buffer first (whose fresh pages
    # cost more than the copy); a partial write resumes inside the line it stopped in
    if not hasattr(os, "writev"):  # Windows
        view = memoryview(b"".join(lines))
        while view:
            view = view[os.write(fd, view) :]
        return
    limit = _IOV_MAX
    start = 0
    while start < len(lines):
        batch = lines[start : start + limit]
        written = os.writev(fd, batch)
        for line in batch:
            if written < len(line):
                break
            written -= len(line)
            start += 1
        else:
            continue
        lines[start] = lines[start][written:]


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
) -> BlockResult:
    """Decide every JSON Lines record of the file ``src``, from its current position (line 1), in ``jobs``
    processes, writing the output lines, as :func:`answer` formats them, to the file descriptor ``out_fd``
    in input order (flush any buffer over it first). Returns the totals.

    The workers write to ``out_fd`` themselves: a forked worker inherits every descriptor, a spawned one
    (the durable backend, or a platform without fork) only stdin, stdout and stderr."""
    ctx = _context(engine)
    if ctx.get_start_method() != "fork" and out_fd not in (0, 1, 2):
        raise ValueError("spawned workers can write only to stdout or stderr")
    turn = (ctx.Condition(), ctx.RawValue("q", 0))
    total = BlockResult(0, 0, 0, 0, 0, 0)
    with _executor(engine, jobs, _adopt_writer, (engine, as_of, json_out, turn, out_fd, lang)) as executor:
        try:
            for done in _in_order(executor, _work_block, _blocks(src), jobs * _IN_FLIGHT):
                total = BlockResult(*(a + b for a, b in zip(astuple(total), astuple(done), strict=True)))
                progress(done.records)
        except BaseException:
            _abort(turn)  # workers waiting for their turn stop instead of waiting for ever
            raise
    return total
