"""Conditions in plain words (Indonesian and English), one line per part, through the fact labels.

``act.kind: campaign_attendance`` reads ``jenis tindakan: menghadiri kampanye``; ``act.party_attributes: true``
reads ``menggunakan atribut partai: ya``. Field and value words come from :mod:`netral_rules.fact.labels`, so
the catalogue, ``explain`` and the questions share one vocabulary.
"""

from __future__ import annotations

from typing import Any

from ..fact.labels import labels
from .tree import All, Compare, Condition, Not

# "<field>: <value>" for equality; the others put their word between field and value
_WORDS = {
    "ne": ("is not", "bukan"),
    "in": ("is one of", "salah satu dari"),
    "not_in": ("is none of", "bukan salah satu dari"),
    "lt": ("is less than", "kurang dari"),
    "lte": ("is at most", "paling banyak"),
    "gt": ("is more than", "lebih dari"),
    "gte": ("is at least", "paling sedikit"),
    "between": ("is between", "antara"),
}
_AND = {"en": "and", "id": "dan"}
_OR = {"en": "or", "id": "atau"}
_KNOWN = {"en": ("known", "not given"), "id": ("diketahui", "tidak diisi")}
_HEADS = {
    "not": {"en": "none of the following holds:", "id": "tidak berlaku hal berikut:"},
    "all": {"en": "all of:", "id": "semua dari:"},
    "any": {"en": "any of:", "id": "salah satu dari:"},
}


def value_words(path: str, value: Any, lang: str) -> str:
    """A compared value in words: a list joins its labels with "or" (``peserta atau pembicara``)."""
    lab = labels()
    if isinstance(value, (list, tuple)):
        shown = [lab.value(path, v, lang) for v in value]
        if len(shown) <= 1:
            return "".join(shown)
        return f"{', '.join(shown[:-1])} {_OR[lang]} {shown[-1]}"
    return lab.value(path, value, lang)


def compare_words(c: Compare, lang: str) -> str:
    """One comparison in words, without a leading dash."""
    lang = "en" if lang == "en" else "id"
    field = labels().field(c.path, lang)
    if c.op == "exists":
        return f"{field}: {_KNOWN[lang][0 if c.value else 1]}"
    if c.op == "ne" and isinstance(c.value, bool):  # on a known value, "not yes" is "no"
        return f"{field}: {value_words(c.path, not c.value, lang)}"
    if c.op == "eq":
        return f"{field}: {value_words(c.path, c.value, lang)}"
    if c.op == "between":
        lo, hi = c.value
        return (
            f"{field} {_WORDS['between'][lang == 'id']} {value_words(c.path, lo, lang)} {_AND[lang]} "
            f"{value_words(c.path, hi, lang)}"
        )
    if c.op in ("in", "not_in"):
        return f"{field}: {_WORDS[c.op][lang == 'id']} {', '.join(labels().value(c.path, v, lang) for v in c.value)}"
    return f"{field} {_WORDS[c.op][lang == 'id']} {value_words(c.path, c.value, lang)}"


def describe(cond: Condition, lang: str = "en", depth: int = 0) -> list[str]:
    """The condition in plain words, one line per part, indented by nesting."""
    lang = "en" if lang == "en" else "id"
    pad = "  " * depth
    if isinstance(cond, Compare):
        return [f"{pad}- {compare_words(cond, lang)}"]
    if isinstance(cond, Not):
        return [f"{pad}- {_HEADS['not'][lang]}"] + describe(cond.item, lang, depth + 1)
    if isinstance(cond, All):
        if depth == 0:
            return [line for item in cond.items for line in describe(item, lang, 0)]
        head = _HEADS["all"][lang]
    else:
        head = _HEADS["any"][lang]
    return [f"{pad}- {head}"] + [line for item in cond.items for line in describe(item, lang, depth + 1)]
