"""Batch evaluation in several processes, output in input order.

Each worker process builds its own engine once (the native backend compiles to closures, which do not
cross process boundaries; durable_rules keeps per-process C state), then decides chunks of records.
``imap`` keeps the chunks in order, so the output is identical to a single process.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from .decision import Decision
from .engine import Engine
from .errors import NetralError

CHUNK = 512
_engine: Engine | None = None
_as_of: dt.date | None = None


def _init(rule_paths: list[str], backend: str, settings: dict[str, bool], as_of: dt.date | None) -> None:
    global _engine, _as_of
    _engine = Engine.from_paths(rule_paths, backend=backend, settings=settings)
    _as_of = as_of


def _work(chunk: list[tuple[int, Any]]) -> list[tuple[int, Decision | NetralError]]:
    assert _engine is not None
    out: list[tuple[int, Decision | NetralError]] = []
    for line, record in chunk:
        if isinstance(record, NetralError):
            out.append((line, record))
            continue
        try:
            out.append((line, _engine.evaluate(record, as_of=_as_of)))
        except NetralError as exc:
            out.append((line, exc))
    return out


def _chunks(records: Iterable[tuple[int, Any]], size: int) -> Iterator[list[tuple[int, Any]]]:
    it = iter(records)
    while chunk := list(islice(it, size)):
        yield chunk


def decide_parallel(
    records: Iterable[tuple[int, Any]],
    *,
    jobs: int,
    rule_paths: list[Path],
    backend: str,
    settings: dict[str, bool],
    as_of: dt.date | None,
    chunk: int = CHUNK,
) -> Iterator[tuple[int, Decision | NetralError]]:
    ctx = mp.get_context("spawn" if backend == "durable" else None)
    with ctx.Pool(jobs, initializer=_init, initargs=([str(p) for p in rule_paths], backend, settings, as_of)) as pool:
        for result in pool.imap(_work, _chunks(records, chunk)):
            yield from result
