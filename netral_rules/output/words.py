"""The words of the readings of an incomplete report: fields, values, outcomes and questions, from the labels
of the fact model (``fact/labels.yaml``), so that no text a person reads shows a field path or a code value."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..decide.readings import Outcome, Words
from ..fact.labels import labels


def outcome_text(o: Outcome, lang: str) -> str:
    """``pelanggaran disiplin, tingkat berat`` / ``tidak ada pelanggaran``."""
    words = labels()
    if not o[0]:
        return words.term("decision_status", "no_violation", lang)
    category = words.term("category", o[1], lang)
    level = words.term("level", o[2], lang)
    return f"{category}, {'tingkat' if lang == 'id' else 'level'} {level}"


def _value(path: str, value: Any, lang: str) -> str:
    return labels().value(path, value, lang)


@lru_cache(maxsize=1)
def readings_words() -> Words:
    words = labels()
    return Words(words.field, _value, words.question, outcome_text)
