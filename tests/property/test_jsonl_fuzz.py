"""Fuzz target of the JSON Lines reader (issue 16): on arbitrary bytes, one output per input line.

The reference rule, stated independently of the reader's incremental checks: the input is one JSON document
exactly when, as a whole, it is valid JSON (UTF-8, within the limits) and its first non-blank line alone
is not; then it has one record (an object) or one per item (an array), numbered from 1. Otherwise every
non-blank line is one record, numbered by its line. Every record gets exactly one output line, valid JSON,
with its number, and no raw line separator (U+2028, U+2029, U+0085) in it.

The lines mix arbitrary bytes, valid facts, fragments of JSON, characters JSON does not count as white
space, and pretty-printed documents; the line limit is lowered to 64 bytes so that over-long lines occur.
The file path's blocks are checked to cut the same lines as the stream path.

Examples: 12 times the profile's (``ci``: 300, derandomised).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from netral_rules import Engine
from netral_rules.batch import framing, parallel
from netral_rules.batch.framing import bounded_lines, records
from netral_rules.batch.parallel import answer_record

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GOOD = [line for line in (EXAMPLES / "facts.jsonl").read_bytes().splitlines() if line.strip()][:4]
SMALL = [b'{"occurred_on":"2024-01-10","actor":{"status":"pns"},"act":{"kind":"voting"}}',
         b'{"occurred_on":"2024-01-10","actor":{"status":"pns","status":"pns"},"act":{"kind":"voting"}}']
FRAGMENTS = [b"{", b"[", b"}", b"]", b"],", b"},", b'{"a": 1,', b'  "b": [', b'{"occurred_on": "2024-01-10", "actor": {',
             b"", b"   ", b"\r", b"{}\xc2\xa0", b"{}\x0c", "{}\u2028".encode(), b'"x"', b"1", b"null", b"\xef\xbb\xbf{",
             b"1" * 5000, b"[" * 3000, b'{"name": "a\\u2028b"}', "\u0085".encode(), b"\xff\xfe"]
LIMIT = 64  # the line limit while fuzzing


def _line() -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=90).map(lambda b: b.replace(b"\n", b"")),
        st.sampled_from(SMALL + GOOD + FRAGMENTS),
        st.text(max_size=30).map(lambda t: t.replace("\n", "").encode("utf-8", "replace")),
    )


def _document() -> st.SearchStrategy[bytes]:
    facts = st.lists(st.sampled_from([json.loads(line) for line in SMALL[:1]]), min_size=1, max_size=3)
    value = st.one_of(facts, facts.map(lambda f: f[0]))
    return st.builds(lambda v, indent: json.dumps(v, indent=indent).encode(), value, st.integers(1, 3))


@st.composite
def inputs(draw: st.DrawFn) -> bytes:
    if draw(st.integers(0, 4)) == 0:  # a document alone, among blank lines, or with a little more
        before = draw(st.sampled_from([b"", b"\n", b"  \n\n"]))
        after = draw(st.sampled_from([b"", b"\n", b"\n\n  ", b"\n" + SMALL[0], b"\n}"]))
        return before + draw(_document()) + after
    parts = draw(st.lists(st.one_of(_line(), _document()), max_size=12))
    ending = draw(st.sampled_from([b"", b"\n", b"\r\n"]))
    return b"\n".join(parts) + ending


def _reference(data: bytes) -> tuple[list[int], bool]:
    """The numbers of the records, and whether the input is one document."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    numbered = [n for n, line in enumerate(lines, 1) if line.strip()]
    if not numbered:
        return [], False
    first = lines[numbered[0] - 1]
    if len(data) <= framing.MAX_DOCUMENT_BYTES and all(len(line) < LIMIT for line in lines):
        whole, alone = _json(data), _json(first)
        if whole is not _NOT and alone is _NOT:
            return (list(range(1, len(whole) + 1)) if isinstance(whole, list) else [1]), True
    return numbered, False


_NOT = object()


def _json(data: bytes) -> object:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return _NOT


@settings(max_examples=settings.default.max_examples * 12, suppress_health_check=[HealthCheck.too_slow])
@given(data=inputs())
def test_one_output_per_input_line_on_arbitrary_bytes(native: Engine, data: bytes) -> None:
    with mock.patch.object(framing, "MAX_LINE_BYTES", LIMIT):
        got = list(records(io.BytesIO(data)))
        expected, document = _reference(data)
        assert [n for n, _, _ in got] == expected
        event("one document" if document else "JSON Lines")
        if any(framing.too_long(line) for line in bounded_lines(io.BytesIO(data))):
            event("an over-long line")
        event(f"records: {min(len(got), 10)}{'+' if len(got) >= 10 else ''}")
        for n, record, raw in got:
            out = answer_record(native, n, record, raw, None, True)[2]
            assert out.endswith(b"\n") and out.count(b"\n") == 1
            assert json.loads(out)["line"] == n
            for separator in ("\u2028", "\u2029", "\u0085"):
                assert separator.encode() not in out
        # the file path cuts the same lines, in blocks of whole lines, numbered from where each block starts
        with mock.patch.object(parallel, "BLOCK_BYTES", 50):
            from_blocks = []
            for block in parallel._blocks(io.BytesIO(data)):
                for k, line in enumerate(io.BytesIO(block.data)):
                    from_blocks.append((block.first_line + k, line))
        stream = list(enumerate(bounded_lines(io.BytesIO(data)), 1))
        assert [(n, framing.too_long(line) or line.rstrip(b"\n")) for n, line in from_blocks] == [
            (n, framing.too_long(line) or line.rstrip(b"\n")) for n, line in stream
        ]
