"""Batch evaluation for ``netral-rules check``: one record at a time, or in several processes, output in
input order.

A record's whole answer — decide it, then format the output line (JSON or table row) as UTF-8 — is
:func:`answer`, used the same way by a single process and by each worker, so the output cannot differ
between ``--jobs 1`` and ``--jobs N``. Workers receive the JSON Lines text and send back the finished
lines: parsing, deciding and serialising all happen in the workers, and the parent only reads, hands out
chunks and writes, so that two workers keep two cores busy (pickling decisions back to the parent cost
more than deciding them). Each worker builds its own engine once (the native backend compiles to
closures, which do not cross process boundaries; durable_rules keeps per-process C state). ``imap``
keeps the chunks in order.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing as mp
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from .decision import Decision
from .engine import Engine
from .errors import FactError, NetralError, Problem
from .report import table_row

CHUNK = 512
_engine: Engine | None = None
_as_of: dt.date | None = None
_json_out = True

# (is an error, is a violation, the output line with its newline, UTF-8)
Answer = tuple[bool, bool, bytes]
# the bytes model_dump_json() would return as text, without the decode and the encode of ~8 kB per record
_to_json = Decision.__pydantic_serializer__.to_json


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


def answer(
    engine: Engine,
    line: int,
    record: Any,
    as_of: dt.date | None,
    json_out: bool,
) -> Answer:
    """Decide one record (a parsed JSON value, or the error that replaced it) and format its output line."""
    result: Decision | NetralError
    if isinstance(record, NetralError):
        result = record
    else:
        try:
            result = engine.evaluate(record, as_of=as_of)
        except NetralError as exc:
            result = exc
    if isinstance(result, Decision):
        violation = result.status == "violation"
        if json_out:
            return False, violation, b'{"line":%d,"decision":%b}\n' % (line, _to_json(result))
        return False, violation, (table_row(line, result) + "\n").encode()
    if json_out:
        text = json.dumps({"line": line, "error": result.as_dict()}, ensure_ascii=False) + "\n"
        return True, False, text.encode()
    problems = "; ".join(str(p) for p in result.problems)
    return True, False, f"{line:>6}  ERROR  {result.message}: {problems}\n".encode()


def _init(
    rule_paths: list[str], backend: str, settings: dict[str, bool], as_of: dt.date | None, json_out: bool
) -> None:
    global _engine, _as_of, _json_out
    _engine = Engine.from_paths(rule_paths, backend=backend, settings=settings)
    _as_of = as_of
    _json_out = json_out


def _work(chunk: list[tuple[int, Any, bool]]) -> list[Answer]:
    assert _engine is not None
    return [
        answer(_engine, line, parse_line(record) if raw else record, _as_of, _json_out)
        for line, record, raw in chunk
    ]


def _chunks(records: Iterable[tuple[int, Any, bool]], size: int) -> Iterator[list[tuple[int, Any, bool]]]:
    it = iter(records)
    while chunk := list(islice(it, size)):
        yield chunk


def answer_parallel(
    records: Iterable[tuple[int, Any, bool]],
    *,
    jobs: int,
    rule_paths: list[Path],
    backend: str,
    settings: dict[str, bool],
    as_of: dt.date | None,
    json_out: bool,
    chunk: int = CHUNK,
) -> Iterator[Answer]:
    """The answers to ``(line, record, raw)`` records, in order; ``raw`` records are JSON text to parse."""
    ctx = mp.get_context("spawn" if backend == "durable" else None)
    initargs = ([str(p) for p in rule_paths], backend, settings, as_of, json_out)
    with ctx.Pool(jobs, initializer=_init, initargs=initargs) as pool:
        for result in pool.imap(_work, _chunks(records, chunk)):
            yield from result
