"""Safe YAML reading that keeps a file:line:column for every node.

Legal staff edit packs by hand, so every later error must point at the line they wrote. PyYAML's
``safe_load`` forgets positions and silently keeps the last of two duplicate keys; this reader composes
the node graph (with the C parser when available), then builds plain Python values itself, recording the
position of every key and value under its path (a tuple of keys and list indexes).

Refused, each with a position: input that is not UTF-8, files over a size limit, several documents in
one file, duplicate keys, non-scalar keys, and aliases (``*ref``): aliases make a pack hard to review
and are the vehicle of "billion laughs" expansion, and packs never need them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import PackError, Position, Problem
from ..messages import text as msg
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
            f"{file} is not UTF-8 text",
            [
                Problem(
                    f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
                    Position(file, line, column),
                    code="encoding",
                )
            ],
        ) from None


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


def read_yaml_text(text: str, file: str) -> Located:
    """Parse one YAML document from ``text``; ``file`` names it in positions."""
    bad = next((i for i, ch in enumerate(text) if 0xD800 <= ord(ch) <= 0xDFFF), None) if not text.isascii() else None
    if bad is not None:  # lone surrogates cannot come from a UTF-8 file, only from a caller's string
        before = text[:bad]
        line, column = before.count("\n") + 1, bad - (before.rfind("\n") + 1) + 1
        raise PackError(
            f"{file}: not valid Unicode text",
            [Problem("a lone surrogate character is not valid Unicode", Position(file, line, column), code="encoding")],
        )
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.composer.ComposerError as exc:
        where = _mark(file, exc.problem_mark) if exc.problem_mark else Position(file, 1, 1)
        if "expected a single document" in str(exc):
            problem = Problem(msg("yaml.one_document"), where, code="yaml")
        else:
            problem = yaml_problem(exc, text, file)
        raise PackError(msg("yaml.cannot_read", file=file), [problem]) from None
    except yaml.MarkedYAMLError as exc:
        # in words: which line to change and how (indentation, a missing ':', quotes), never the parser's own
        raise PackError(msg("yaml.cannot_read", file=file), [yaml_problem(exc, text, file)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked reader errors
        raise PackError(f"{file}: cannot read YAML", [Problem(str(exc), Position(file), code="yaml")]) from None
    finally:
        loader.dispose()
    located = Located(file, None)
    if root is None:
        located.positions[()] = Position(file, 1, 1)
        return located
    builder = _Builder(file, located, loader)
    located.data = builder.build(root, ())
    if builder.problems:
        raise PackError(f"{file}: {len(builder.problems)} problem(s) in YAML", builder.problems)
    return located


def read_yaml_file(path: Path, *, display: str | None = None, max_bytes: int = MAX_FILE_BYTES) -> Located:
    """Read a YAML file safely; ``display`` is the name used in positions (defaults to the path)."""
    name = display or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PackError(f"cannot read {name}", [Problem(exc.strerror or str(exc), Position(name), code="io")]) from None
    if size > max_bytes:
        raise PackError(
            f"{name} is too large",
            [Problem(f"file is {size} bytes; the limit is {max_bytes} bytes", Position(name, 1, 1), code="size")],
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PackError(f"cannot read {name}", [Problem(exc.strerror or str(exc), Position(name), code="io")]) from None
    return read_yaml_text(_decode(raw, name), name)


class _Builder:
    def __init__(self, file: str, located: Located, loader: Any) -> None:
        self.file = file
        self.located = located
        self.loader = loader
        self.seen: set[int] = set()
        self.count = 0
        self.problems: list[Problem] = []

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == "tag:yaml.org,2002:value":
            return node.value  # a plain "=", which PyYAML resolves to a tag it cannot build: it is text
        if node.tag not in _SCALAR_TAGS:
            self.problems.append(
                Problem(f"YAML tag {node.tag} is not allowed in a pack", _mark(self.file, node.start_mark), code="yaml")
            )
            return None
        try:
            value = self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            # e.g. a timestamp-looking value that is not a real date (2024-02-30)
            self.problems.append(
                Problem(
                    msg("yaml.no_such_date" if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", str(node.value))
                         else "yaml.invalid_value", value=repr(node.value)),
                    _mark(self.file, node.start_mark),
                    code="yaml",
                )
            )
            return None
        if isinstance(value, dt.datetime):
            # YAML turns "2024-02-14 10:00" into a datetime; packs speak of dates only
            self.problems.append(
                Problem(
                    msg("yaml.date_time"),
                    _mark(self.file, node.start_mark),
                    code="yaml",
                )
            )
        return value

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise PackError(
                f"{self.file}: too many YAML nodes",
                [Problem(f"more than {MAX_NODES} nodes", _mark(self.file, node.start_mark), code="size")],
            )
        position = _mark(self.file, node.start_mark)
        self.located.positions[path] = position
        if id(node) in self.seen:
            # composed nodes are shared only through anchors and aliases
            self.problems.append(
                Problem(
                    "YAML aliases (*name) are not allowed in rule packs; write the value out", position, code="alias"
                )
            )
            return None
        if isinstance(node, yaml.ScalarNode):
            self.seen.add(id(node))
            return self._scalar(node)
        self.seen.add(id(node))
        if node.tag not in _COLLECTION_TAGS:
            self.problems.append(Problem(f"YAML tag {node.tag} is not allowed in a pack", position, code="yaml"))
            return None
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key_pos = _mark(self.file, key_node.start_mark)
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problems.append(
                        Problem("YAML merge keys (<<) are not allowed in rule packs", key_pos, code="alias")
                    )
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(Problem("a mapping key must be a plain value", key_pos, code="yaml"))
                    continue
                if key_node.tag not in _SCALAR_TAGS:
                    self.problems.append(
                        Problem(f"YAML tag {key_node.tag} is not allowed in a pack", key_pos, code="yaml")
                    )
                    continue
                key = key_node.value  # keys are names: keep what the author typed (`2024: x` is "2024")
                if key in out:
                    first = self.located.key_positions.get(path + (key,))
                    where = f" (first defined at line {first.line})" if first else ""
                    self.problems.append(Problem(f"duplicate key '{key}'{where}", key_pos, code="duplicate_key"))
                    continue
                self.located.key_positions[path + (key,)] = key_pos
                out[key] = self.build(value_node, path + (key,))
            return out
        raise PackError(
            f"{self.file}: unsupported YAML node", [Problem("unsupported node", position)]
        )  # pragma: no cover
