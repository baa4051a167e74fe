"""A YAML syntax error told as an editor of the file needs it: which line, and what to do about it.

PyYAML's own words (``expected <block end>, but found '<block mapping start>'``, ``mapping values are not
allowed here``) describe the parser's state, and the position it gives is often the line after the mistake.
The commonest mistakes in hand-written packs are indentation (a key one space off its siblings, a list item not
lined up with the one above), a missing ``:`` after a key, a ``: `` inside a value that needs quotes, an unclosed
quote or brace, and a tab. For these the message names the line to change and how (add or remove so many
spaces to line up with line N); anything else still gets a position and a plain sentence.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import Position, Problem
from ..messages import text


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(lines: list[str], n: int) -> bool:
    stripped = lines[n].strip()
    return bool(stripped) and not stripped.startswith("#")


def _previous(lines: list[str], n: int) -> int | None:
    """The nearest line above ``n`` (0-based) with content."""
    for k in range(n - 1, -1, -1):
        if _content(lines, k):
            return k
    return None


def _levels(lines: list[str], n: int) -> list[tuple[int, int]]:
    """(indent, line) of the blocks open above line ``n``: the line just above, then each line further up that
    is indented less than everything below it (its parents)."""
    out: list[tuple[int, int]] = []
    low = None
    for k in range(n - 1, -1, -1):
        if not _content(lines, k):
            continue
        ind = _indent(lines[k])
        if low is None or ind < low:
            out.append((ind, k))
            low = ind
        if ind == 0:
            break
    return out


def _key_of(line: str) -> str:
    stripped = line.strip()
    return stripped.split(":", 1)[0] if ":" in stripped else stripped[:40]


def _line_up(lines: list[str], n: int, file: str) -> Problem | None:
    """Line ``n`` (0-based) sits at an indentation that no open block has: say how many spaces to add or
    remove to line it up with the nearest one."""
    if n >= len(lines) or not _content(lines, n):
        return None
    current = _indent(lines[n])
    levels = [lv for lv in _levels(lines, n) if lv[0] != current]
    if not levels:
        return None
    # the nearest indentation; on a tie the deeper one (a sibling of the line above is the likelier intent)
    target, k = min(levels, key=lambda lv: (abs(lv[0] - current), -lv[0]))
    diff = target - current
    key = "yaml.indent_more" if diff > 0 else "yaml.indent_less"
    return Problem(
        text(key, line=n + 1, spaces=abs(diff), target=k + 1, what=_key_of(lines[k]), column=target + 1),
        Position(file, n + 1, current + 1),
        code="yaml_indent",
    )


def yaml_problem(exc: Any, source: str, file: str) -> Problem:
    """One positioned problem, in words, for a PyYAML error ``exc`` raised while reading ``source``."""
    lines = source.split("\n")
    mark = exc.problem_mark
    line = mark.line if mark is not None else 0
    column = mark.column if mark is not None else 0
    where = Position(file, line + 1, column + 1)
    problem = str(exc.problem or "")
    context = str(getattr(exc, "context", "") or "")
    context_mark = getattr(exc, "context_mark", None)
    here = lines[line] if line < len(lines) else ""
    if (column < len(here) and here[column] == "\t") or "'\\t'" in problem:
        return Problem(text("yaml.tab", line=line + 1), where, code="yaml")
    # the pure-Python parser and libyaml (the C parser) word the same errors differently
    if (problem.startswith("expected <block end>") or "expected <block mapping" in problem
            or problem in ("did not find expected key", "did not find expected '-' indicator")):
        # the parser stops at the line after an odd one out: a line indented unlike both its neighbours, which
        # agree with each other, is the one to change
        prev = _previous(lines, line)
        above = _previous(lines, prev) if prev is not None else None
        if (prev is not None and above is not None and line < len(lines)
                and _indent(lines[above]) == _indent(lines[line]) != _indent(lines[prev])):
            diff = _indent(lines[above]) - _indent(lines[prev])
            return Problem(
                text("yaml.indent_more" if diff > 0 else "yaml.indent_less", line=prev + 1, spaces=abs(diff),
                     target=above + 1, what=_key_of(lines[above]), column=_indent(lines[above]) + 1),
                Position(file, prev + 1, _indent(lines[prev]) + 1),
                code="yaml_indent",
            )
        found = _line_up(lines, line, file)
        if found is not None:
            return found
    if problem in ("mapping values are not allowed here", "mapping values are not allowed in this context"):
        first = here.find(": ")
        if 0 <= first < column:  # a second ": " on the line: the value holds one
            key = here[:first].strip().lstrip("- ")
            value = here[first + 2:].strip()
            return Problem(text("yaml.quote_value", line=line + 1, field=key, value=value), where, code="yaml")
        prev = _previous(lines, line)
        if prev is not None and _indent(here) > _indent(lines[prev]) and ":" in lines[prev].split("#", 1)[0]:
            found = _line_up(lines, line, file)  # a key indented under a line that already has its value
            if found is not None:
                return found
        if prev is not None and ":" not in lines[prev].split("#", 1)[0] and _indent(here) >= _indent(lines[prev]):
            return Problem(text("yaml.missing_colon", line=prev + 1, what=lines[prev].strip()[:40]),
                           Position(file, prev + 1, _indent(lines[prev]) + 1), code="yaml")
    if "quoted scalar" in context:
        start = context_mark.line + 1 if context_mark is not None else line + 1
        return Problem(text("yaml.unclosed_quote", line=start), Position(file, start, 1), code="yaml")
    if "flow mapping" in context or "flow sequence" in context:
        start = context_mark.line + 1 if context_mark is not None else line + 1
        col = context_mark.column + 1 if context_mark is not None else 1
        closing = "}" if "mapping" in context else "]"
        return Problem(text("yaml.unclosed_flow", line=start, column=col, closing=closing), where, code="yaml")
    if re.search(r"found (?:character|undefined alias|unhashable)", problem):
        return Problem(text("yaml.bad_character", line=line + 1, column=column + 1), where, code="yaml")
    return Problem(text("yaml.other", line=line + 1, column=column + 1), where, code="yaml")


__all__ = ["yaml_problem"]
