"""Errors in a report in words, in Indonesian or English, with "did you mean" for field names and values.

pydantic's own texts (``Extra inputs are not permitted``, ``Input should be 'pns', 'cpns' or 'pppk'``) speak
to programmers. Inspectors write reports too, often in Indonesian words (``nama`` for ``name``,
``media_sosial`` for ``social_media``, ``PNS`` for ``pns``), so each error is told with the field's label, and a
misspelled or translated name or value is matched against the model's names, case-insensitively, and against
the labels of ``labels.yaml`` in both languages, so that the suggestion names the code the report must use.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from ..errors import Problem
from ..messages import default_lang, text
from .labels import labels, model_fields, model_groups


def _children(parent: str) -> list[str]:
    """The field names directly under ``parent`` ("" for the report itself), in model order."""
    names: dict[str, None] = {}
    prefix = f"{parent}." if parent else ""
    for path in [*model_fields(), *sorted(model_groups())]:
        if path.startswith(prefix) and path != parent:
            names.setdefault(path[len(prefix):].split(".", 1)[0])
    for extra in ("id", "description") if not parent else ():
        names.setdefault(extra)
    return list(names)


def _words(text_: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text_.strip().lower())


def suggest(value: str, candidates: Iterable[str], label_of: dict[str, list[str]]) -> str | None:
    """The candidate ``value`` most likely means: the same name in other case, a name whose label (in either
    language) contains the words of ``value`` (``media_sosial`` -> the value labelled "interaksi di media
    sosial"), else the nearest name or label by spelling."""
    options = list(candidates)
    if not options or not isinstance(value, str) or not value.strip():
        return None
    words = _words(value)
    for c in options:
        if _words(c) == words:
            return c
    for c in options:
        for label in label_of.get(c, []):
            lw = _words(label)
            if words == lw or re.search(rf"(?<!\w){re.escape(words)}(?!\w)", lw):
                return c
    if len(words) >= 4:  # a root inside a derived word: "suka" in "menyukai"
        for c in options:
            if any(words in _words(label) for label in label_of.get(c, [])):
                return c
    near = difflib.get_close_matches(words, [_words(c) for c in options], n=1, cutoff=0.6)
    if near:
        return next(c for c in options if _words(c) == near[0])
    by_label = {_words(label): c for c in options for label in label_of.get(c, [])}
    near = difflib.get_close_matches(words, list(by_label), n=1, cutoff=0.6)
    return by_label[near[0]] if near else None


def _clean(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    # pydantic puts the discriminator tag into the location of union members (act.social_media.x)
    kinds = set(model_fields()["act.kind"])
    return tuple(p for i, p in enumerate(loc) if not (i > 0 and loc[i - 1] == "act" and p in kinds))


def json_path(loc: tuple[int | str, ...]) -> str:
    """``$.act.kind``, ``$.actor.prior_sanctions[0]``: where a problem is, for programs (people read the label)."""
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)


def _key(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc if not isinstance(p, int))


def shown_value(value: Any) -> str:
    """A value as a message quotes it: text as written, anything else as JSON writes it (true, null, [1, 2]: the
    report's own words, not Python's), at most 60 characters."""
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _fact_kind(data: Any) -> str | None:
    act = data.get("act") if isinstance(data, dict) else None
    kind = act.get("kind") if isinstance(act, dict) else None
    return kind if isinstance(kind, str) and kind in model_fields()["act.kind"] else None


_DATE = {"date_parsing", "date_from_datetime_parsing", "date_type", "date_from_datetime_inexact", "datetime_type",
         "datetime_parsing", "datetime_from_date_parsing", "date_format"}  # date_format: the model's strict dates
_TIMED = {"value_error", "date_from_datetime_parsing", "date_format"}  # a date-time may be behind these
_BOOL = {"bool_parsing", "bool_type"}
_INT = {"int_parsing", "int_type", "int_from_float", "int_parsing_size"}
_FLOAT = {"float_parsing", "float_type", "finite_number"}
_OBJECT = {"model_type", "model_attributes_type", "dict_type"}
_LIST = {"list_type", "tuple_type", "iterable_type"}


def fact_problems(exc: ValidationError, data: Any = None, lang: str | None = None) -> list[Problem]:
    """One :class:`Problem` per failing field: its JSON path, a message in words, and a suggestion where one is
    near. ``data`` is the report as given (it tells which kind of act the fields were meant for)."""
    lab = labels()
    lang = lang or default_lang()
    problems = []
    for err in exc.errors(include_url=False):
        etype = str(err.get("type", "invalid"))
        loc = _clean(tuple(err.get("loc", ())))
        key = _key(loc)
        value = err.get("input")
        shown = shown_value(value)
        ctx = err.get("ctx") or {}
        label = lab.field(key, lang) if key else text("fact.the_report", lang)
        hint = None
        if etype == "extra_forbidden":
            name = str(loc[-1])
            parent = _key(loc[:-1])
            children = _children(parent)
            kind = _fact_kind(data)
            if parent == "act" and kind is not None:  # the fields of the kind the report names
                children = [c for c in children if c == "kind" or kind in _kinds_of(f"act.{c}")]
            label_of = {c: _labels_of(f"{parent}.{c}" if parent else c) for c in children}
            near = suggest(name, children, label_of)
            where = (text("fact.part", lang, label=lab.field(parent, lang), name=loc[-2]) if parent
                     else text("fact.the_report", lang))
            message = text("fact.unknown_field", lang, name=name, where=where)
            if near is not None:
                hint = _did_you_mean(near, lab.field(f"{parent}.{near}".lstrip("."), lang), lang)
            else:
                hint = text("fact.fields_here", lang, names=", ".join(children))
        elif etype == "missing":
            message = text("fact.missing", lang, label=label)
        elif etype in ("literal_error", "enum") or (etype == "union_tag_invalid" and key == "act"):
            if etype == "union_tag_invalid":
                key, value = "act.kind", ctx.get("tag", value)
                message = text("fact.unknown_kind", lang, value=shown_value(value))  # the tag, not the act
            else:
                message = text("fact.not_a_value", lang, value=shown, label=label)
            values = model_fields().get(key, ())
            near = suggest(value, values, {v: _value_labels(key, v) for v in values})
            if near is not None:
                hint = _did_you_mean(near, lab.value(key, near, lang), lang)
            else:
                hint = text("fact.values", lang, values=", ".join(values))
        elif etype == "union_tag_not_found":
            message = text("fact.no_kind", lang)
            hint = text("fact.values", lang, values=", ".join(model_fields()["act.kind"]))
        elif etype == "date_from_datetime_inexact" or (etype in _TIMED and isinstance(value, str)
                                                       and re.search(r"\d[T ]\d", value)):
            message = text("fact.date_time", lang, label=label, value=shown)
        elif etype in _DATE:
            message = text("fact.not_a_date", lang, label=label, value=shown)
        elif etype in _BOOL:
            message = text("fact.not_a_bool", lang, label=label, value=shown)
        elif etype in _INT:
            message = text("fact.not_a_whole_number", lang, label=label, value=shown)
        elif etype in _FLOAT:
            message = text("fact.not_a_number", lang, label=label, value=shown)
        elif etype in ("string_type", "string_too_short"):
            message = text("fact.not_text", lang, label=label, value=shown)
        elif etype in ("greater_than_equal", "greater_than"):
            message = text("fact.at_least", lang, label=label, limit=ctx.get("ge", ctx.get("gt")), value=shown)
        elif etype in ("less_than_equal", "less_than"):
            message = text("fact.at_most", lang, label=label, limit=ctx.get("le", ctx.get("lt")), value=shown)
        elif etype in _OBJECT:
            message = text("fact.not_an_object", lang, label=label, value=shown)
        elif etype in _LIST:
            message = text("fact.not_a_list", lang, label=label, value=shown)
        else:
            message = text("fact.invalid", lang, label=label, value=shown)
        problems.append(Problem(message, json_path(loc), code=etype, hint=hint))
    return problems


def _did_you_mean(name: str, label: str, lang: str) -> str:
    if _words(label) == _words(name):  # "pns" is labelled "PNS": the label adds nothing
        return text("fact.did_you_mean_plain", lang, name=name)
    return text("fact.did_you_mean", lang, name=name, label=label)


def _kinds_of(path: str) -> tuple[str, ...]:
    from .fields import fact_fields

    spec = fact_fields().get(path)
    return spec.act_kinds if spec is not None else ()


def _labels_of(path: str) -> list[str]:
    lab = labels()
    return [lab.field(path, "id"), lab.field(path, "en")]


def _value_labels(path: str, value: str) -> list[str]:
    lab = labels()
    return [lab.value(path, value, "id"), lab.value(path, value, "en")]


__all__ = ["fact_problems", "json_path", "shown_value", "suggest"]
