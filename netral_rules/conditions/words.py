"""Conditions in plain words (Indonesian and English), one line per part."""

from __future__ import annotations

from .tree import All, Compare, Condition, Not, _fmt

_WORDS = {
    "eq": ("is", "adalah"),
    "ne": ("is not", "bukan"),
    "in": ("is one of", "salah satu dari"),
    "not_in": ("is none of", "bukan salah satu dari"),
    "lt": ("is less than", "kurang dari"),
    "lte": ("is at most", "paling banyak"),
    "gt": ("is more than", "lebih dari"),
    "gte": ("is at least", "paling sedikit"),
    "between": ("is between", "antara"),
}


def describe(cond: Condition, lang: str = "en", depth: int = 0) -> list[str]:
    """The condition in plain words, one line per part, indented by nesting."""
    pad = "  " * depth
    li = 0 if lang == "en" else 1
    if isinstance(cond, Compare):
        if cond.op == "exists":
            if lang == "en":
                text = f"{cond.path} is known" if cond.value else f"{cond.path} is not given"
            else:
                text = f"{cond.path} diketahui" if cond.value else f"{cond.path} tidak diisi"
        elif cond.op == "between":
            lo, hi = cond.value
            text = f"{cond.path} {_WORDS['between'][li]} {_fmt(lo)} {'and' if lang == 'en' else 'dan'} {_fmt(hi)}"
        else:
            text = f"{cond.path} {_WORDS[cond.op][li]} {_fmt(cond.value)}"
        return [f"{pad}- {text}"]
    if isinstance(cond, Not):
        head = "none of the following holds:" if lang == "en" else "tidak berlaku hal berikut:"
        return [f"{pad}- {head}"] + describe(cond.item, lang, depth + 1)
    if isinstance(cond, All):
        if depth == 0:
            return [line for item in cond.items for line in describe(item, lang, 0)]
        head = "all of:" if lang == "en" else "semua dari:"
    else:
        head = "any of:" if lang == "en" else "salah satu dari:"
    return [f"{pad}- {head}"] + [line for item in cond.items for line in describe(item, lang, depth + 1)]
