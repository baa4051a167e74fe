"""Explanation templates: ``{path}`` placeholders filled with fact values, nothing else.

Templates come from YAML written by legal staff, so they are never given to ``str.format`` (which can
reach attributes); a placeholder is only ever a fact path or one of a few named values.
"""

from __future__ import annotations

import re
from typing import Any

from .._fast import build
from ..fact.labels import labels
from ..vocabulary import Bilingual

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# the named values of the aggregation texts that are words of the decision vocabulary
_EXTRA_TERMS = {"level": "level", "prior_level": "level", "category": "category"}


def show(path: str, value: Any, lang: str) -> str:
    """A fact value as people read it, through the labels: ``anggota keluarga``, ``ya``, ``tidak diketahui``."""
    return labels().value(path, value, lang)


def _show_extra(name: str, value: Any, lang: str) -> str:
    term = _EXTRA_TERMS.get(name)
    if term is not None and isinstance(value, str):
        return labels().term(term, value, lang)
    return labels().value(name, value, lang)


def actor_label(flat: dict[str, Any], lang: str = "id") -> str:
    status = flat.get("actor.status")
    shown = labels().value("actor.status", status, lang) if status else "ASN"
    name = flat.get("actor.name")
    return f"{shown} {name}" if name else shown


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
                values.append(actor_label(flat, lang))
            elif extra and name in extra:
                values.append(_show_extra(name, extra[name], lang))
            else:
                values.append(show(name, flat.get(name), lang))
        return self.format % tuple(values)


class BilingualTemplate:
    __slots__ = ("en", "id")

    def __init__(self, text: Bilingual) -> None:
        self.id = Template(text.id, "id")
        self.en = Template(text.en, "en")

    def render(self, flat: dict[str, Any]) -> Bilingual:
        return build(Bilingual, id=self.id.render(flat), en=self.en.render(flat))
