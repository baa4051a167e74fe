"""How ``check`` cuts its input into records: JSON Lines, or one JSON document spread over several lines.

The rule (the developer guide states it for users):

* Every line is one record (JSON Lines), answered in its place, whatever it holds; blank lines are skipped.
* Only when the first non-blank line is by itself the *beginning* of JSON, cut off at the end of the line
  (``{`` alone, or ``{"a": 1,``), may the input be one pretty-printed JSON document. It is read as one
  when the whole input is a single valid JSON document of at most :data:`MAX_DOCUMENT_BYTES`: an object
  is one record, an array one record per item. In every other case the input is JSON Lines, the first
  line included, so a truncated first record costs only its own line (its error says why the input was
  not one document either).
* A first line that is complete JSON, or that breaks before its end (``not json``, a record followed by a
  no-break space, a form feed or U+2028, which JSON does not count as white space), makes JSON Lines at once.

While a possible document is read, it is checked as it grows (at 2, 4, 8, ... lines): as soon as the text
so far cannot begin a JSON document (a record on the second line after a truncated first one), or after a
complete document a line that is not blank comes, the input is JSON Lines and the lines read so far are
answered in order. Only a document that is still growing is held back, up to the document limit.

Lines are read with a bound: a line of more than :data:`MAX_LINE_BYTES` (its line break included) is not
kept; its record is an error saying so, and reading goes on with the next line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial
from typing import IO, Any

from ..errors import FactError, Problem
from ..fact.jsonread import loads_marked, repeated_keys
from ..messages import text

MAX_LINE_BYTES = 1 << 20  # 1 MiB: a fact is a few hundred bytes; a decision about 8 kB
MAX_DOCUMENT_BYTES = 16 << 20  # 16 MiB: a document of some tens of thousands of facts
_SKIP = 1 << 16  # the step in which the rest of an over-long line is read past
_JSON_SPACE = " \t\r\n"  # JSON's white space; str.strip() would also take U+00A0, U+2028, form feeds

# (line number, record, raw): ``raw`` records are the bytes of a line, parsed where they are decided (in
# the workers with --jobs); other records are a parsed value or the error that replaced it
Record = tuple[int, Any, bool]


def bounded_lines(stream: IO[bytes]) -> Iterator[bytes]:
    """The lines of ``stream`` as ``for line in stream`` gives them (split on b"\\n" only), except that a line
    longer than :data:`MAX_LINE_BYTES` comes as its first ``MAX_LINE_BYTES + 1`` bytes (see :func:`too_long`)
    and the rest of it is read past, never kept."""
    for line in iter(partial(stream.readline, MAX_LINE_BYTES + 1), b""):
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            for rest in iter(partial(stream.readline, _SKIP), b""):
                if rest.endswith(b"\n"):
                    break
        yield line


def complete_line(stream: IO[bytes], first: bytes) -> bytes:
    """``first``, the start of a line, completed from ``stream`` within the line limit (the batch blocks of
    parallel.answer_file): an over-long line is cut as :func:`bounded_lines` cuts it, with its line break."""
    if first.endswith(b"\n"):
        return first
    room = max(MAX_LINE_BYTES + 1 - len(first), 0)
    rest = stream.readline(room) if room else b""
    line = first + rest
    if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
        for more in iter(partial(stream.readline, _SKIP), b""):
            if more.endswith(b"\n"):
                break
        return line + b"\n"
    return line


def too_long(line: bytes) -> bool:
    return len(line) > MAX_LINE_BYTES


def too_long_error() -> FactError:
    message = text("line.too_long", limit=f"{MAX_LINE_BYTES:,}")
    return FactError(message, [Problem(message, "$", code="line_too_long")])


def _syntax(data: bytes) -> tuple[str, json.JSONDecodeError | None]:
    """``complete``, ``prefix`` (valid JSON so far, cut at the end) or ``broken``, and the JSON error."""
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "broken", None
    try:
        json.loads(decoded)
    except json.JSONDecodeError as exc:
        return ("prefix" if exc.pos >= len(decoded.rstrip(_JSON_SPACE)) else "broken"), exc
    except (ValueError, RecursionError):  # a number or a nesting Python does not read: a line's own error
        return "broken", None
    return "complete", None


def may_open_document(line: bytes) -> bool:
    """Whether a first non-blank line may begin a JSON document spread over lines (see the module's doc)."""
    return not too_long(line) and _syntax(line)[0] == "prefix"


def records(stream: IO[bytes]) -> Iterator[Record]:
    """Every record of the input, in order, each with its line number (see the module's doc)."""
    source = bounded_lines(stream)
    n = 0
    for first in source:
        n += 1
        if first.strip():
            break
    else:
        return
    if not may_open_document(first):
        yield n, first, True
        yield from _lines(source, n + 1)
        return
    document, held, why = _document(first, source)
    if document is not None:
        items = document if isinstance(document, list) else [document]
        for k, item in enumerate(items, 1):
            yield k, item, False
        return
    yield n, _first_line_error(first, why), False
    for k, line in enumerate(held, n + 1):
        if line.strip():
            yield k, line, True
    yield from _lines(source, n + 1 + len(held))


def _lines(source: Iterator[bytes], start: int) -> Iterator[Record]:
    for number, line in enumerate(source, start):
        if line.strip():
            yield number, line, True


def _document(first: bytes, source: Iterator[bytes]) -> tuple[Any, list[bytes], Problem | None]:
    """The input read as one JSON document: ``(value, [], None)``; or ``(None, the lines after the first read so
    far, why it is not one)`` when it is JSON Lines after all."""
    held: list[bytes] = []
    size = len(first)
    checkpoint = 1
    complete = False
    for line in source:
        held.append(line)
        size += len(line)
        if too_long(line) or size > MAX_DOCUMENT_BYTES:
            return None, held, None
        if complete:
            if line.strip():  # something after a complete document: not one document
                return None, held, None
            continue
        if len(held) >= checkpoint:
            checkpoint *= 2
            state, error = _syntax(first + b"".join(held))
            if state == "broken":
                return None, held, _not_a_document(error)
            complete = state == "complete"
    data = first + b"".join(held)
    state, error = _syntax(data)
    if state != "complete":
        return None, held, _not_a_document(error)
    value = loads_marked(data.decode("utf-8-sig"))
    items = value if isinstance(value, list) else [value]
    # keys written twice are each record's own error, as in a line
    return [_repeated_error(item) for item in items] if isinstance(value, list) else _repeated_error(value), [], None


def _repeated_error(item: Any) -> Any:
    problems = repeated_keys(item)
    return FactError(text("fact.summary", count=len(problems)), problems) if problems else item


def _not_a_document(error: json.JSONDecodeError | None) -> Problem | None:
    if error is None:
        return None
    return Problem(text("json.not_a_document", line=error.lineno, column=error.colno), "$", code="json_document")


def _first_line_error(first: bytes, why: Problem | None) -> Any:
    from .parallel import parse_line

    record = parse_line(first)
    if isinstance(record, FactError) and why is not None:
        return FactError(record.message, [*record.problems, why])
    return record
