"""Reading facts from JSON text strictly: a key written twice in one object is an error with its path.

JSON parsers, pydantic's included, silently keep the last of two equal keys, so ``{"status": "pppk",
"status": "pns"}`` would be decided as a PNS. Packs refuse duplicate keys; facts do too.

:func:`loads` parses with the standard library and checks every object. The batch path validates a line
straight from its bytes with pydantic, which is faster but cannot see duplicates; :func:`duplicate_free`
tells, at almost no cost, when such a validated fact certainly had none (else the line is read again with
:func:`loads`, which finds them).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from ..errors import FactError, Problem
from ..messages import number_too_long, text
from .problems import json_path


class _Repeated(dict[str, Any]):
    """An object that had a key more than once; ``repeated`` names those keys."""

    repeated: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    seen: set[str] = set()
    marked = _Repeated(obj)
    marked.repeated = []
    for key, _ in pairs:
        if key in seen and key not in marked.repeated:
            marked.repeated.append(key)
        seen.add(key)
    return marked


def loads(data: str | bytes) -> Any:
    """``json.loads``, raising :class:`FactError` for keys written twice in an object (each with its JSON path).
    Errors of the JSON itself (``json.JSONDecodeError``, ``ValueError``, ``RecursionError``) pass through."""
    value = loads_marked(data)
    problems = repeated_keys(value)
    if problems:
        raise FactError(text("fact.summary", count=len(problems)), problems)
    return value


def read_json(data: str | bytes, *, document: bool = False) -> Any:
    """:func:`loads`, every error of the text a :class:`FactError` in words: not UTF-8, not JSON (what is
    wrong and where, never the parser's wording), a key written twice, a number or a nesting Python cannot
    read. ``document``: the text is a whole input (a request body, a file), not one line of JSON Lines."""
    what = "input" if document else "line"
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FactError(text(f"json.{what}_not_utf8"), [
                Problem(text("json.byte", byte=f"0x{data[exc.start]:02x}", column=exc.start + 1), "$",
                        code="encoding")]) from None
    try:
        return loads(data)
    except json.JSONDecodeError as exc:
        at = (text("json.at_line_column", line=exc.lineno, column=exc.colno) if document
              else text("json.at_column", column=exc.colno))
        key = next((k for prefix, k in _SYNTAX if exc.msg.startswith(prefix)), "json.syntax")
        raise FactError(text(f"json.{what}_invalid"), [Problem(text(key, at=at), "$", code="json")]) from None
    except RecursionError:
        raise FactError(text(f"json.{what}_unreadable"), [Problem(text("json.too_deep"), "$", code="json")]) from None
    except ValueError as exc:  # an integer of more than 4,300 digits (Python's wording speaks to programmers)
        why = number_too_long() if "int_max_str_digits" in str(exc) else text("json.syntax", at="")
        raise FactError(text(f"json.{what}_unreadable"), [Problem(why.strip(), "$", code="json")]) from None


# the json module's messages (the same in the C and the Python scanner), in words through messages.yaml
_SYNTAX = (
    ("Expecting value", "json.expecting_value"),
    ("Expecting property name", "json.expecting_key"),
    ("Expecting ':'", "json.expecting_colon"),
    ("Expecting ','", "json.expecting_comma"),
    ("Unterminated string", "json.unterminated_string"),
    ("Invalid control character", "json.control_character"),
    ("Invalid \\", "json.bad_escape"),
    ("Extra data", "json.extra_data"),
    ("Illegal trailing comma", "json.trailing_comma"),
)


def loads_marked(data: str | bytes) -> Any:
    """``json.loads``, with each object that repeated a key marked for :func:`repeated_keys`."""
    return json.loads(data, object_pairs_hook=_pairs)


def repeated_keys(value: Any) -> list[Problem]:
    """A problem for each key written twice in an object of a value from :func:`loads_marked`, with its path
    (from the value's root)."""
    problems = []
    stack: list[tuple[Any, tuple[int | str, ...]]] = [(value, ())]
    while stack:  # not recursive: the value may nest as deep as the JSON parser allowed
        item, where = stack.pop()
        if isinstance(item, dict):
            for key in getattr(item, "repeated", ()):
                problems.append(
                    Problem(text("json.duplicate_key", key=key), json_path((*where, key)), code="duplicate_key")
                )
            stack.extend((v, (*where, k)) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((v, (*where, i)) for i, v in reversed(list(enumerate(item))))
    return problems


# --- the fast path's check ------------------------------------------------------------------------------
#
# Every key of a JSON object is followed by a colon, and a colon elsewhere can only be inside a string. A
# fact validated from the text has, per object, the set of keys it was given (pydantic's fields set), and
# its text values; keys of a valid fact are field names, which hold no colon. So the colons of the text are
# the key occurrences plus the colons of the string values, the values a repeated key overwrote included,
# while the fact accounts for the distinct keys plus the colons of the values it kept. The two counts are
# equal exactly when no key was repeated (and no overwritten value held a colon); an escaped colon
# (\u003a) would count in the fact but not in the text, so a text holding one is never called free.

_PLANS: dict[type[BaseModel], tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}


def _plan(cls: type[BaseModel]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(fields holding a model, fields holding a tuple of models, free-text fields) of a fact model."""
    found = _PLANS.get(cls)
    if found is None:
        models, many, texts = [], [], []
        for name, info in cls.model_fields.items():
            shown = repr(info.annotation)
            if "tuple[" in shown:
                many.append(name)
            elif info.annotation is str or info.annotation == (str | None):
                texts.append(name)
            elif "Literal" not in shown and any(
                isinstance(t, type) and issubclass(t, BaseModel) for t in _types(info.annotation)
            ):
                models.append(name)
        found = _PLANS[cls] = (tuple(models), tuple(many), tuple(texts))
    return found


def _types(annotation: Any) -> list[Any]:
    args = getattr(annotation, "__args__", None)
    if not args:
        return [annotation]
    return [t for a in args for t in _types(a)]


_COUNTERS: dict[type[BaseModel], Callable[[BaseModel], int]] = {}


def _accounted(obj: BaseModel) -> int:
    """The distinct keys of ``obj`` and of the models in it, plus the colons of their free-text values."""
    count = _COUNTERS.get(type(obj))
    if count is None:
        count = _COUNTERS[type(obj)] = _counter(type(obj))
    return count(obj)


def _counter(cls: type[BaseModel]) -> Callable[[BaseModel], int]:
    models, many, texts = _plan(cls)

    def count(obj: BaseModel) -> int:  # once per model of every line of a batch: kept plain
        d = obj.__dict__
        n = len(obj.__pydantic_fields_set__)
        for name in texts:
            value = d[name]
            if value:
                n += value.count(":")
        for name in models:
            value = d[name]
            if value is not None:
                n += _accounted(value)
        for name in many:
            for item in d[name]:
                n += _accounted(item)
        return n

    return count


def duplicate_free(data: bytes, fact: BaseModel) -> bool:
    """Whether the JSON text ``data``, which pydantic validated as ``fact``, certainly wrote no key twice in
    an object (see above). ``False`` means: read it with :func:`loads` to know."""
    if b"\\u003" in data and (b"\\u003a" in data or b"\\u003A" in data):
        return False
    return data.count(b":") == _accounted(fact)
