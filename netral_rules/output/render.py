"""Explanation templates: ``{path}`` placeholders filled with fact values, nothing else.

Templates come from YAML written by legal staff, so they are never given to ``str.format`` (which can
reach attributes); a placeholder is only ever a fact path or one of a few named values.
"""

from __future__ import annotations

import re
from typing import Any

from .._fast import build, maker
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


_WORDS_KEPT = 256  # the words of so many values of one placeholder are kept (a flag's or a list's: all of them)
_bilingual = maker(Bilingual, ("id", "en"))


class _PairWords:
    """The words of one fact path's values in both languages (``show``), kept for the values that recur (a flag,
    a value of a list of values, unknown): ``kept`` is looked up by the compiled renderer, this is called on a
    miss."""

    __slots__ = ("kept", "path")

    def __init__(self, path: str) -> None:
        self.path = path
        self.kept: dict[Any, tuple[str, str]] = {}

    def __call__(self, value: Any) -> tuple[str, str]:
        pair = (show(self.path, value, "id"), show(self.path, value, "en"))
        # text and unknown only: a number or a date reads as itself, nothing to save; and a flag is not kept
        # here, since True == 1 would find a flag's words for the number 1 (the renderer tests flags itself)
        if (value is None or type(value) is str) and len(self.kept) < _WORDS_KEPT:
            self.kept[value] = pair
        return pair


class _ActorPair:
    """``{actor}`` in both languages: the status in words and the name (``PNS Andi``)."""

    __slots__ = ("kept",)

    def __init__(self) -> None:
        self.kept: dict[Any, tuple[str, str]] = {}

    def __call__(self, flat: dict[str, Any]) -> tuple[str, str]:
        status = flat.get("actor.status")
        pair = self.kept.get(status) if type(status) is str else None  # a status is a word (see _PairWords)
        if pair is None:
            pair = (actor_label({"actor.status": status}, "id"), actor_label({"actor.status": status}, "en"))
            if type(status) is str and len(self.kept) < _WORDS_KEPT:
                self.kept[status] = pair
        name = flat.get("actor.name")
        return (f"{pair[0]} {name}", f"{pair[1]} {name}") if name else pair


def _compile_both(id_: Template, en: Template) -> Any:
    """One function rendering both languages: each placeholder's value read once, its words in both languages
    looked up once. Generated as Python source whose only words are generated names (paths, formats and
    lookups are bound as constants, as for compiled conditions), so no pack text becomes code."""
    names = list(dict.fromkeys(id_.names + en.names))
    consts: dict[str, Any] = {"F_id": id_.format, "F_en": en.format}
    lines = ["def render(f):", "    get = f.get"]
    for k, name in enumerate(names):
        if name == "actor":
            consts[f"A{k}"] = _ActorPair()
            lines.append(f"    i{k}, e{k} = A{k}(f)")
            continue
        words = _PairWords(name)
        consts.update({f"P{k}": name, f"K{k}": words.kept, f"W{k}": words, f"T{k}": words(True),
                       f"F{k}": words(False)})
        lines += [f"    v{k} = get(P{k})", f"    if v{k} is True:", f"        i{k}, e{k} = T{k}",
                  f"    elif v{k} is False:", f"        i{k}, e{k} = F{k}", "    else:", "        try:",
                  f"            i{k}, e{k} = K{k}[v{k}]", "        except (KeyError, TypeError):",
                  f"            i{k}, e{k} = W{k}(v{k})"]
    id_args = "".join(f"i{names.index(n)}, " for n in id_.names)
    en_args = "".join(f"e{names.index(n)}, " for n in en.names)
    lines.append(f"    return F_id % ({id_args}), F_en % ({en_args})")
    scope: dict[str, Any] = {}
    exec(compile("\n".join(lines) + "\n", "<explanation>", "exec"), consts, scope)
    return scope["render"]


class BilingualTemplate:
    """A rule's explanation, both languages rendered by one compiled function (the same text as
    :meth:`Template.render` gives for each language)."""

    __slots__ = ("_render", "en", "id")

    def __init__(self, text: Bilingual) -> None:
        self.id = Template(text.id, "id")
        self.en = Template(text.en, "en")
        self._render = _compile_both(self.id, self.en)

    def render(self, flat: dict[str, Any]) -> Bilingual:
        ids, ens = self._render(flat)
        return _bilingual(ids, ens)  # type: ignore[no-any-return]
