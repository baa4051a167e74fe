"""Safe YAML reading that keeps a file:line:column for every node.

Legal staff edit packs by hand, so every later error must point at the line they wrote. PyYAML's
``safe_load`` forgets positions and silently keeps the last of two duplicate keys; this reader takes the
parser's events (from the C parser when available) and builds plain Python values itself, without
recursion, recording the position of every key and value under its path (a tuple of keys and list indexes).

Refused, each with a position: input that is not UTF-8, control characters, files over a size limit,
several documents in one file, nesting deeper than :data:`MAX_DEPTH` (later stages recurse over the
data), duplicate keys, non-scalar keys, and aliases (``*ref``), each at the alias itself: aliases make a
pack hard to review and are the vehicle of "billion laughs" expansion, and packs never need them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import PackError, Position, Problem
from ..messages import number_too_long
from ..messages import text as msg
from .files import read_regular
from .yaml_words import yaml_problem

try:  # the C parser is several times faster; the pure-Python one gives the same nodes and marks
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 2 * 1024 * 1024
# the tags of plain YAML; an explicit tag of any other kind (!!python/..., !custom) is refused
_SCALAR_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_COLLECTION_TAGS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
MAX_NODES = 200_000
# Deep enough for any condition a person writes (rules nest all/any/not a few levels); the loader, the
# schema and the condition parser recurse over the data, and Python's stack ends near 1,000 frames.
MAX_DEPTH = 64
# YAML's printable characters (YAML 1.1, 5.1); the rest, lone surrogates included, are refused with a place
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

PathKey = tuple[str | int, ...]


@dataclass
class Located:
    """A YAML document as plain Python data plus the position of every node."""

    file: str
    data: Any
    positions: dict[PathKey, Position] = field(default_factory=dict)
    key_positions: dict[PathKey, Position] = field(default_factory=dict)

    def pos(self, path: PathKey, *, key: bool = False) -> Position:
        """Position of the node at ``path``; falls back to the nearest enclosing node."""
        table = self.key_positions if key else self.positions
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if key and p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), Position(self.file, 1, 1))


def _mark(file: str, mark: Any) -> Position:
    return Position(file, mark.line + 1, mark.column + 1)


def _decode(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise PackError(
            msg("yaml.not_utf8_file", file=file),
            [Problem(msg("yaml.not_utf8", byte=f"0x{raw[exc.start]:02x}"), Position(file, line, column),
                     code="encoding")],
        ) from None


def _place(file: str, text: str, index: int) -> Position:
    before = text[:index]
    return Position(file, before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1)


def _too_long_number(exc: BaseException) -> bool:
    # Python refuses to convert integers of more than sys.get_int_max_str_digits() digits (a ValueError
    # whose wording tells a programmer to change that limit)
    return isinstance(exc, ValueError) and "int_max_str_digits" in str(exc)


def read_yaml_text(text: str, file: str) -> Located:
    """Parse one YAML document from ``text``; ``file`` names it in positions."""
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        where = _place(file, text, bad.start())
        char = bad.group()
        if 0xD800 <= ord(char) <= 0xDFFF:  # lone surrogates cannot come from a UTF-8 file, only from a caller
            raise PackError(msg("yaml.not_unicode_file", file=file),
                            [Problem(msg("yaml.surrogate"), where, code="encoding")])
        shown = msg("yaml.control_character", char=f"U+{ord(char):04X}")
        raise PackError(f"{file}: {shown}", [Problem(shown, where, code="yaml")])
    try:
        return _read(text, file, _Loader)
    except _TooDeepForC:
        # libyaml scans far ahead and stops at its own nesting limit (1,000) before the builder reaches
        # MAX_DEPTH; the pure-Python parser looks ahead at most a line, so the builder stops it at the place
        return _read(text, file, yaml.SafeLoader)


class _TooDeepForC(Exception):
    pass


def _read(text: str, file: str, loader_class: type) -> Located:
    loader = loader_class(text)
    located = Located(file, None)
    builder = _Builder(file, located, loader)
    try:
        located.data = builder.run()
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in str(exc.problem) and loader_class is not yaml.SafeLoader:
            raise _TooDeepForC from None
        # in words: which line to change and how (indentation, a missing ':', quotes), never the parser's own
        raise PackError(msg("yaml.cannot_read", file=file), [yaml_problem(exc, text, file)]) from None
    except yaml.YAMLError:  # pragma: no cover - unmarked reader errors (control characters are refused above)
        raise PackError(msg("yaml.cannot_read", file=file),
                        [Problem(msg("yaml.other", line=1, column=1), Position(file, 1, 1), code="yaml")]) from None
    finally:
        loader.dispose()
    if builder.problems:
        raise PackError(msg("yaml.problems", file=file, count=len(builder.problems)), builder.problems)
    return located


def read_yaml_file(path: Path, *, display: str | None = None, max_bytes: int = MAX_FILE_BYTES,
                   root: Path | None = None) -> Located:
    """Read a YAML file safely (see :func:`.files.read_regular`; with ``root``, it must lie inside that
    folder); ``display`` is the name used in positions (defaults to the path)."""
    located, _ = read_yaml_bytes(path, display=display, max_bytes=max_bytes, root=root)
    return located


def read_yaml_bytes(path: Path, *, display: str | None = None, max_bytes: int = MAX_FILE_BYTES,
                    root: Path | None = None) -> tuple[Located, bytes]:
    """:func:`read_yaml_file` and the bytes read (to hash them without reading the file again). A file that
    cannot be read raises :class:`PackError`, as a file that does not parse does."""
    name = display or str(path)
    raw = read_regular(path, max_bytes, shown=name, root=root)
    return read_yaml_text(_decode(raw, name), name), raw


_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_VALUE = "tag:yaml.org,2002:value"  # a plain "=", which PyYAML resolves to a tag it cannot build: it is text
_SKIP = object()  # the value of a key already refused: read past it, keep nothing


class _Container:
    """A sequence or mapping being built: its value, its path, and (for a mapping) the key awaiting its value."""

    __slots__ = ("key", "keyed", "path", "skip", "value")

    def __init__(self, value: list[Any] | dict[Any, Any], path: PathKey, skip: bool) -> None:
        self.value = value
        self.path = path
        self.skip = skip  # inside a refused key or value: nothing is kept
        self.keyed = False  # a mapping: has the key of the next value been read?
        self.key: Any = None


class _Builder:
    """Plain values from the parser's events, one event at a time: no recursion, so no depth makes Python's
    stack overflow, and each alias, tag or key is judged where it is written."""

    def __init__(self, file: str, located: Located, loader: Any) -> None:
        self.file = file
        self.located = located
        self.loader = loader
        self.count = 0
        self.problems: list[Problem] = []

    def run(self) -> Any:
        loader = self.loader
        loader.get_event()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            self.located.positions[()] = Position(self.file, 1, 1)
            return None
        loader.get_event()  # DocumentStart
        data = self._document()
        loader.get_event()  # DocumentEnd
        if not loader.check_event(yaml.StreamEndEvent):
            where = _mark(self.file, loader.peek_event().start_mark)
            raise PackError(msg("yaml.cannot_read", file=self.file),
                            [Problem(msg("yaml.one_document"), where, code="yaml")])
        return data

    def _document(self) -> Any:
        loader = self.loader
        stack: list[_Container] = []
        root: Any = None
        while True:
            event = loader.get_event()
            top = stack[-1] if stack else None
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                done = stack.pop()
                value = None if done.skip else done.value
                if not stack:
                    return value
                self._place_value(stack[-1], value)
                continue
            self.count += 1
            if self.count > MAX_NODES:
                shown = msg("yaml.too_many_nodes", limit=f"{MAX_NODES:,}")
                raise PackError(f"{self.file}: {shown}",
                                [Problem(shown, _mark(self.file, event.start_mark), code="size")])
            position = _mark(self.file, event.start_mark)
            if top is not None and isinstance(top.value, dict) and not top.keyed:
                self._key(top, event, position, stack)
                continue
            skip = top is not None and (top.skip or top.key is _SKIP)
            path: PathKey = () if top is None else top.path + (
                (len(top.value),) if isinstance(top.value, list) else (top.key,)
            )
            if not skip:
                self.located.positions[path] = position
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    shown = msg("yaml.too_deep", limit=MAX_DEPTH)
                    raise PackError(f"{self.file}: {shown}", [Problem(shown, position, code="depth")])
                is_seq = isinstance(event, yaml.SequenceStartEvent)
                refused = not skip and not self._collection_tag_ok(event, is_seq, position)
                stack.append(_Container([] if is_seq else {}, path, skip or refused))
                continue
            if isinstance(event, yaml.AliasEvent):
                if not skip:
                    self._alias(position)
                value = None
            else:
                value = None if skip else self._scalar(event, position)
            if top is None:
                root = value
                return root
            self._place_value(top, value)

    @staticmethod
    def _place_value(top: _Container, value: Any) -> None:
        if isinstance(top.value, list):
            top.value.append(value)
            return
        if top.key is not _SKIP and not top.skip:
            top.value[top.key] = value
        top.keyed = False
        top.key = None

    def _key(self, top: _Container, event: Any, position: Position, stack: list[_Container]) -> None:
        """A mapping's key: a plain scalar, written once; anything else is refused and its value skipped."""
        top.keyed = True
        top.key = _SKIP
        if top.skip:
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                self._skip_collection()
            return
        if isinstance(event, yaml.AliasEvent):
            self._alias(position)
            return
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            self.problems.append(Problem(msg("yaml.key_not_plain"), position, code="yaml"))
            self._skip_collection()
            return
        tag = self._resolve(yaml.ScalarNode, event)
        if tag == _MERGE:
            self.problems.append(Problem(msg("yaml.merge_key"), position, code="alias"))
            return
        if tag not in _SCALAR_TAGS and tag != _VALUE:
            self.problems.append(Problem(msg("yaml.tag", tag=tag), position, code="yaml"))
            return
        key = event.value  # keys are names: keep what the author typed (`2024: x` is "2024")
        path = top.path + (key,)
        if key in top.value:
            first = self.located.key_positions.get(path)
            shown = (msg("yaml.duplicate_key_at", key=key, line=first.line) if first
                     else msg("yaml.duplicate_key", key=key))
            self.problems.append(Problem(shown, position, code="duplicate_key"))
            return
        self.located.key_positions[path] = position
        top.key = key

    def _skip_collection(self) -> None:
        """Read past a collection (a refused key) up to its end."""
        depth = 1
        while depth:
            event = self.loader.get_event()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1

    def _alias(self, position: Position) -> None:
        self.problems.append(Problem(msg("yaml.alias"), position, code="alias"))

    def _resolve(self, kind: type, event: Any) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(kind, getattr(event, "value", None), event.implicit)
        return str(tag)

    def _collection_tag_ok(self, event: Any, is_seq: bool, position: Position) -> bool:
        tag = self._resolve(yaml.SequenceNode if is_seq else yaml.MappingNode, event)
        if tag in _COLLECTION_TAGS:
            return True
        self.problems.append(Problem(msg("yaml.tag", tag=tag), position, code="yaml"))
        return False

    def _scalar(self, event: Any, position: Position) -> Any:
        tag = self._resolve(yaml.ScalarNode, event)
        if tag == _STR or tag == _VALUE:
            return event.value
        if tag not in _SCALAR_TAGS:
            self.problems.append(Problem(msg("yaml.tag", tag=tag), position, code="yaml"))
            return None
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        try:
            value = self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            # e.g. a timestamp-looking value that is not a real date (2024-02-30), a number too long to read
            if _too_long_number(exc):
                shown = number_too_long()
            elif re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", event.value):
                shown = msg("yaml.no_such_date", value=repr(event.value))
            else:
                shown = msg("yaml.invalid_value", value=repr(event.value[:60]))
            self.problems.append(Problem(shown, position, code="yaml"))
            return None
        if isinstance(value, dt.datetime):
            # YAML turns "2024-02-14 10:00" into a datetime; packs speak of dates only
            self.problems.append(Problem(msg("yaml.date_time"), position, code="yaml"))
        return value
