"""The library's typed errors.

Every error that can reach a caller is a :class:`NetralError`. Errors about input carry a list of
:class:`Problem` records, each with a location (a file position for packs, a JSON path for facts), so
that an editor, a CLI or a web service can point at every problem at once instead of the first one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Position:
    """A place in a source file. Lines and columns are 1-based, as editors show them."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


def _severity_word(severity: str) -> str:
    from .messages import text  # the messages need nothing of this module; imported late to keep it at the bottom

    return text("cli.warning") if severity == "warning" else severity


@dataclass(frozen=True)
class Problem:
    """One problem found in a pack or a fact.

    ``where`` is a :class:`Position` for pack files, or a JSON path string (``$.actor.status``) for facts.
    ``severity`` is ``error`` (the input is unusable or wrong) or ``warning`` (suspicious but usable).
    """

    message: str
    where: Position | str | None = None
    severity: str = "error"
    code: str = "invalid"
    hint: str | None = None

    def __str__(self) -> str:
        prefix = f"{self.where}: " if self.where is not None else ""
        return prefix + self._said()

    def words(self) -> str:
        """The problem for a person reading a report's errors: a fact's JSON path (``$.actor.status``) left out,
        since the message names the field in words; a pack file's position is kept."""
        return str(self) if isinstance(self.where, Position) else self._said()

    def _said(self) -> str:
        text = self.message if self.hint is None else f"{self.message} ({self.hint})"
        tag = "" if self.severity == "error" else f"{_severity_word(self.severity)}: "
        return f"{tag}{text}"

    def as_dict(self) -> dict[str, object]:
        where: object
        if isinstance(self.where, Position):
            where = {"file": self.where.file, "line": self.where.line, "column": self.where.column}
        else:
            where = self.where
        return {
            "message": self.message,
            "where": where,
            "severity": self.severity,
            "code": self.code,
            "hint": self.hint,
        }


class NetralError(Exception):
    """Base class of every error the library raises on purpose."""

    code = "netral_error"

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = list(problems or [])

    def __reduce__(self) -> tuple[type[NetralError], tuple[str, list[Problem]]]:
        # keep the problems when an error crosses a process boundary (parallel batches)
        return (self.__class__, (self.message, self.problems))

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        lines = [self.message] + [f"  {p}" for p in self.problems]
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        return {
            "error": self.code,
            "message": self.message,
            "problems": [p.as_dict() for p in self.problems],
        }


class PackError(NetralError):
    """A rule pack cannot be read or is wrong. ``problems`` hold file:line:column positions."""

    code = "pack_error"


class FactError(NetralError):
    """A fact does not match the fact model. ``problems`` hold JSON paths such as ``$.act.kind``."""

    code = "invalid_fact"


class CitationError(NetralError):
    """A citation cannot be parsed or does not resolve to an article of a loaded pack."""

    code = "citation_error"


class BackendUnavailable(NetralError):
    """The requested evaluation backend cannot run here (for example durable_rules on Python 3.13)."""

    code = "backend_unavailable"


class BackendLimitError(NetralError):
    """A pack exceeds a hard limit of an evaluation backend, or the backend failed at match time."""

    code = "backend_limit"
