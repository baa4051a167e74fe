"""Reports written as YAML, and picking one record of a file for ``explain``.

Inspectors write a report by hand more easily in YAML than in JSON (no quotes, no braces, comments allowed).
A file named ``*.yaml`` or ``*.yml`` holds one report (a mapping) or several (a list); it is read with the
same safe reader as the packs (no tags, no aliases, a position for every value), and each report's line
number is the line where it starts, as a JSON Lines record's is its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import FactError, PackError, Problem
from ..law.yamlread import read_yaml_file
from ..messages import text

YAML_SUFFIXES = (".yaml", ".yml")


def is_yaml(name: str) -> bool:
    return name.lower().endswith(YAML_SUFFIXES)


def yaml_records(path: Path) -> list[tuple[int, Any]]:
    """``(line, report)`` for each report of a YAML file, or one ``(line, FactError)`` if it cannot be read."""
    try:
        located = read_yaml_file(path, display=str(path))
    except PackError as exc:
        first = exc.problems[0] if exc.problems else None
        line = getattr(first.where, "line", 1) if first is not None else 1
        return [(line or 1, FactError(text("report.yaml_unreadable", file=path.name), exc.problems))]
    data = located.data
    if isinstance(data, list):
        return [(located.pos((i,)).line, item) for i, item in enumerate(data)]
    if data is None:
        return []
    return [(located.pos(()).line, data)]


def pick(records: list[tuple[int, Any]], *, line: int | None, fact_id: str | None) -> tuple[int, Any]:
    """The one record ``explain`` is asked about: by ``--line``, by ``--id``, or the only one there is."""
    if line is not None:
        for n, record in records:
            if n == line:
                return n, record
        raise FactError(text("report.no_line", line=line, count=len(records)),
                        [Problem(text("report.lines", lines=_lines(records)), None, code="pick")])
    if fact_id is not None:
        found = [(n, r) for n, r in records if isinstance(r, dict) and r.get("id") == fact_id]
        if len(found) == 1:
            return found[0]
        if not found:
            ids = [str(r.get("id")) for _, r in records if isinstance(r, dict) and r.get("id") is not None]
            raise FactError(text("report.no_id", id=fact_id),
                            [Problem(text("report.ids", ids=", ".join(ids[:20]) or "-"), None, code="pick")])
        raise FactError(text("report.id_twice", id=fact_id, lines=_lines(found)), [])
    if len(records) != 1:
        raise FactError(text("report.one", count=len(records)), [])
    return records[0]


def _lines(records: list[tuple[int, Any]]) -> str:
    shown = [str(n) for n, _ in records[:20]]
    return ", ".join(shown) + (", ..." if len(records) > 20 else "")


__all__ = ["is_yaml", "pick", "yaml_records"]
