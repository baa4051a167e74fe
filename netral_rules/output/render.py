"""Explanation templates: ``{path}`` placeholders filled with fact values, nothing else.

Templates come from YAML written by legal staff, so they are never given to ``str.format`` (which can
reach attributes); a placeholder is only ever a fact path or one of a few named values.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .._fast import build
from ..vocabulary import Bilingual

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_STATUS = {"pns": "PNS", "cpns": "CPNS", "pppk": "PPPK"}
_UNKNOWN = {"id": "(tidak diketahui)", "en": "(unknown)"}
_BOOL = {"id": ("ya", "tidak"), "en": ("yes", "no")}


def _show(value: Any, lang: str) -> str:
    if value is None:
        return _UNKNOWN[lang]
    if isinstance(value, bool):
        return _BOOL[lang][0 if value else 1]
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def actor_label(flat: dict[str, Any]) -> str:
    status = _STATUS.get(flat.get("actor.status", ""), "ASN")
    name = flat.get("actor.name")
    return f"{status} {name}" if name else status


def render_both(text: Bilingual, flat: dict[str, Any], extra: dict[str, Any] | None = None) -> Bilingual:
    """Both languages of a text, rendered as :func:`render` does, from templates parsed once."""
    return build(
        Bilingual, id=_parsed(text.id, "id").render(flat, extra), en=_parsed(text.en, "en").render(flat, extra)
    )


_PARSED: dict[tuple[str, str], Template] = {}
_PARSED_MAX = 4096  # pack texts are few; past this, texts are parsed each time instead of kept forever


def _parsed(text: str, lang: str) -> Template:
    found = _PARSED.get((text, lang))
    if found is None:
        found = Template(text, lang)
        if len(_PARSED) < _PARSED_MAX:
            _PARSED[(text, lang)] = found
    return found


class Template:
    """A template parsed once: the literal text becomes a ``%`` format (its own ``%`` doubled) with one
    ``%s`` per placeholder, so rendering is one C-level format, not a regex pass."""

    __slots__ = ("format", "lang", "names")

    def __init__(self, text: str, lang: str) -> None:
        self.lang = lang
        literals: list[str] = []
        names: list[str] = []
        pos = 0
        for m in _PLACEHOLDER.finditer(text):
            literals.append(text[pos : m.start()].replace("%", "%%"))
            names.append(m.group(1).strip())
            pos = m.end()
        literals.append(text[pos:].replace("%", "%%"))
        self.format = "%s".join(literals)
        self.names = tuple(names)

    def render(self, flat: dict[str, Any], extra: dict[str, Any] | None = None) -> str:
        """As :func:`render`: ``actor``, then the ``extra`` values, then fact paths."""
        if not self.names:
            return self.format % ()
        lang = self.lang
        values = []
        for name in self.names:
            if name == "actor":
                values.append(actor_label(flat))
            elif extra and name in extra:
                values.append(_show(extra[name], lang))
            else:
                values.append(_show(flat.get(name), lang))
        return self.format % tuple(values)


class BilingualTemplate:
    __slots__ = ("en", "id")

    def __init__(self, text: Bilingual) -> None:
        self.id = Template(text.id, "id")
        self.en = Template(text.en, "en")

    def render(self, flat: dict[str, Any]) -> Bilingual:
        return build(Bilingual, id=self.id.render(flat), en=self.en.render(flat))
