"""A pack file that does not fit the pack format, in words (Indonesian or English), one message per mistake.

pydantic reports a misspelled key twice (``categroy``: an unknown key, and ``category``: a missing one) and in
its own wording (``Input should be 'ringan', 'sedang' ...``, ``rules.0.then.level``). Here the two become one
message at the key as written ("unknown key 'categroy' (did you mean 'category'?)"), values are suggested
through the labels of the decision vocabulary (``heavy`` -> ``berat``), and a message names the key, never a
dotted path: the position already says where.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..errors import Problem
from ..fact.labels import VOCABULARY, labels
from ..fact.problems import suggest
from ..messages import default_lang, text
from .yamlread import Located

# the vocabulary whose labels help to suggest a value, by the pack key that takes it
_TERMS = {"level": "level", "category": "category", "status": "verification_status"}


def _inner(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if len(args) != 1 and not models:
                return annotation
            annotation = models[0] if models else args[0]
        elif origin in (list, tuple, dict):
            annotation = get_args(annotation)[-1]
        else:
            return annotation


def _is_mapping(annotation: Any) -> bool:
    while get_origin(annotation) is typing.Annotated or (
        get_origin(annotation) in (Union, types.UnionType) and len(
            [a for a in get_args(annotation) if a is not type(None)]) == 1):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    return get_origin(annotation) is dict


def _fields(model: type[BaseModel]) -> dict[str, Any]:
    """The model's keys as written in YAML (aliases) with their annotations."""
    return {(f.alias or name): f.annotation for name, f in model.model_fields.items()}


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    current: Any = model
    keyed = False  # the previous part named a mapping: this part is one of its keys, not a field
    for part in loc:
        if isinstance(part, int) or keyed:
            keyed = False
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        annotation = _fields(current).get(str(part))
        if annotation is None:
            return None
        keyed = _is_mapping(annotation)
        current = _inner(annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _literal_values(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[str, ...]:
    parent = _model_at(model, loc[:-1])
    if parent is None:
        return ()
    annotation = _inner(_fields(parent).get(str(loc[-1])))
    if get_origin(annotation) is Literal:
        return tuple(str(v) for v in get_args(annotation))
    args = [_inner(a) for a in get_args(annotation)] if get_origin(annotation) in (Union, types.UnionType) else []
    return tuple(str(v) for a in args if get_origin(a) is Literal for v in get_args(a))


def _key(loc: tuple[Any, ...]) -> str:
    names = [str(p) for p in loc if not isinstance(p, int)]
    return names[-1] if names else ""


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        value = value.isoformat()
    shown = value if isinstance(value, str) else repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def schema_problems(exc: ValidationError, located: Located, model: type[BaseModel],
                    prefix: tuple[Any, ...] = (), lang: str | None = None) -> list[Problem]:
    """Every mistake of one file against its model, each once, at its position."""
    lang = lang or default_lang()
    errors = exc.errors(include_url=False)
    extras: dict[tuple[Any, ...], list[Any]] = {}
    missing: dict[tuple[Any, ...], set[str]] = {}
    for err in errors:
        loc = tuple(err.get("loc", ()))
        if err.get("type") == "extra_forbidden":
            extras.setdefault(loc[:-1], []).append(err)
        elif err.get("type") == "missing":
            missing.setdefault(loc[:-1], set()).add(str(loc[-1]))
    renamed: set[tuple[tuple[Any, ...], str]] = set()  # (parent, missing key) explained by a misspelling
    out: list[Problem] = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        etype = str(err.get("type", "invalid"))
        full = prefix + loc
        key = _key(loc)
        value = err.get("input")
        hint = None
        if etype == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            allowed = list(_fields(parent)) if parent is not None else []
            near = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            lost = missing.get(loc[:-1], set())
            if near and near[0] in lost:
                renamed.add((loc[:-1], near[0]))
            message = text("pack.unknown_key", lang, field=key)
            hint = (text("pack.did_you_mean", lang, name=near[0]) if near
                    else text("pack.keys_here", lang, keys=", ".join(allowed)))
            pos = located.pos(full, key=True)
        elif etype == "missing":
            continue  # after the loop: a key that was only misspelled is not also missing
        else:
            message, hint = _value_problem(etype, err, model, loc, key, value, lang)
            pos = located.pos(full)
        out.append(Problem(message, pos, code=f"schema.{etype}", hint=hint))
    for err in errors:
        loc = tuple(err.get("loc", ()))
        if err.get("type") != "missing" or (loc[:-1], str(loc[-1])) in renamed:
            continue
        parent_key = _key(loc[:-1])
        message = (text("pack.missing_key_in", lang, field=loc[-1], parent=parent_key) if parent_key
                   else text("pack.missing_key", lang, field=loc[-1]))
        out.append(Problem(message, located.pos(prefix + loc[:-1]), code="schema.missing"))
    return sorted(out, key=lambda p: (getattr(p.where, "line", 0), getattr(p.where, "column", 0)))


def _value_problem(etype: str, err: Any, model: type[BaseModel], loc: tuple[Any, ...], key: str,
                   value: Any, lang: str) -> tuple[str, str | None]:
    ctx = err.get("ctx") or {}
    shown = _shown(value)
    if etype in ("literal_error", "enum"):
        values = _literal_values(model, loc)
        term = _TERMS.get(key)
        lab = labels()
        label_of = {v: [lab.term(term, v, "id"), lab.term(term, v, "en")] for v in values} if term else {}
        near = suggest(value, values, label_of) if isinstance(value, str) else None
        message = text("pack.not_a_value", lang, value=shown, field=key)
        if near is not None:
            return message, text("pack.did_you_mean", lang, name=near)
        return message, text("pack.values", lang, values=", ".join(values))
    if etype.startswith("date") or etype.startswith("datetime"):
        return text("pack.not_a_date", lang, field=key, value=shown), None
    if etype == "string_pattern_mismatch":
        patterns = {"version": "pack.pattern_version", "nature": "pack.pattern_name", "name": "pack.pattern_name"}
        return text(patterns.get(key, "pack.pattern_id"), lang, field=key, value=shown), None
    if etype in ("string_type", "string_too_short"):
        return text("pack.not_text", lang, field=key, value=shown), None
    if etype in ("list_type", "tuple_type", "too_short"):
        if etype == "too_short":
            return text("pack.empty_list", lang, field=key), None
        return text("pack.not_a_list", lang, field=key), None
    if etype in ("model_type", "dict_type", "model_attributes_type"):
        return text("pack.not_a_mapping", lang, field=key or "-"), None
    if etype in ("bool_type", "bool_parsing"):
        return text("pack.not_bool", lang, field=key, value=shown), None
    if etype in ("int_type", "int_parsing", "int_from_float"):
        return text("pack.not_int", lang, field=key, value=shown), None
    if etype in ("greater_than_equal", "less_than_equal"):
        limit = ctx.get("ge", ctx.get("le"))
        which = "pack.at_least" if etype == "greater_than_equal" else "pack.at_most"
        return text(which, lang, field=key, limit=limit, value=shown), None
    if etype == "value_error" and isinstance(value, dict) and "from" in value and "until" in value:
        return text("pack.until_before_from", lang, until=_shown(value["until"]), since=_shown(value["from"])), None
    return text("pack.invalid", lang, field=key or "-", value=shown), None


__all__ = ["VOCABULARY", "schema_problems"]
