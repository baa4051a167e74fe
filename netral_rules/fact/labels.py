"""The words people read instead of field paths and code values: ``labels.yaml`` beside this module.

Every field of the fact model has a label and a question in Indonesian and English, every value of a list of
values has a label, and so do the levels, categories and statuses of decisions. Explanations, the check table,
the rule catalogue, error messages and the interview all read them from here, so one edit of the YAML file
changes every text at once. :func:`missing_labels` lists what the file lacks against the model (the tests
require it to be empty); a lookup of something missing falls back to the code word rather than failing, so a
field added to the model never breaks a decision, only that test.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationError

from ..vocabulary import Bilingual, Category, DecisionStatus, Level, VerificationStatus

LABELS_FILE = Path(__file__).with_name("labels.yaml")
Lang = Literal["id", "en"]

# the decision vocabulary, by the name labels.yaml files it under
VOCABULARY: dict[str, tuple[str, ...]] = {
    "level": get_args(Level),
    "category": get_args(Category),
    "decision_status": get_args(DecisionStatus),
    "verification_status": get_args(VerificationStatus),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldLabel(_Strict):
    label: Bilingual
    question: Bilingual
    values: dict[str, Bilingual] = {}


class Answers(_Strict):
    yes: Bilingual
    no: Bilingual
    unknown: Bilingual


class LabelsFile(_Strict):
    fields: dict[str, FieldLabel]
    groups: dict[str, Bilingual]
    answers: Answers
    vocabulary: dict[str, dict[str, Bilingual]]


_INDEX = re.compile(r"\.\d+(?=\.|$)|\[\d+\]")


def field_key(path: str) -> str:
    """``actor.prior_sanctions[0].level`` or ``$.actor.prior_sanctions.0.level`` -> ``actor.prior_sanctions.level``."""
    if path.startswith("$"):
        path = path[1:].lstrip(".")
    return _INDEX.sub("", path)


class Labels:
    """Lookups over one labels file."""

    def __init__(self, data: LabelsFile) -> None:
        self.data = data

    def field(self, path: str, lang: str) -> str:
        """The field's label; a group's (``actor``) for a part of the report; else the path itself."""
        key = field_key(path)
        found = self.data.fields.get(key)
        if found is not None:
            return _pick(found.label, lang)
        group = self.data.groups.get(key)
        return _pick(group, lang) if group is not None else key

    def question(self, path: str, lang: str) -> str:
        found = self.data.fields.get(field_key(path))
        return _pick(found.question, lang) if found is not None else field_key(path) + "?"

    def value(self, path: str, value: Any, lang: str) -> str:
        """A value of a field as a person reads it: the value's label, ya/tidak, tidak diketahui, a date."""
        if value is None:
            return _pick(self.data.answers.unknown, lang)
        if isinstance(value, bool):
            return _pick(self.data.answers.yes if value else self.data.answers.no, lang)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str):
            found = self.data.fields.get(field_key(path))
            if found is not None and value in found.values:
                return _pick(found.values[value], lang)
            return value
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def values(self, path: str) -> dict[str, Bilingual]:
        """The labelled values of a field with a list of values (the interview's answers), in file order."""
        found = self.data.fields.get(field_key(path))
        return dict(found.values) if found is not None else {}

    def answer(self, which: Literal["yes", "no", "unknown"], lang: str) -> str:
        return _pick(getattr(self.data.answers, which), lang)

    def term(self, kind: str, value: str | None, lang: str) -> str:
        """A word of the decision vocabulary: ``term("level", "berat", "en")`` -> ``heavy``."""
        if value is None:
            return "-"
        found = self.data.vocabulary.get(kind, {}).get(value)
        return _pick(found, lang) if found is not None else value

    def known_value(self, path: str, value: str) -> bool:
        found = self.data.fields.get(field_key(path))
        return found is not None and value in found.values


def _pick(text: Bilingual, lang: str) -> str:
    return text.en if lang == "en" else text.id


@lru_cache(maxsize=4)
def load_labels(path: Path = LABELS_FILE) -> Labels:
    """Read and check a labels file (positions in its errors, as for packs)."""
    from ..errors import PackError, Problem
    from ..law.yamlread import read_yaml_file

    located = read_yaml_file(path, display=path.name)
    try:
        return Labels(LabelsFile.model_validate(located.data))
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = tuple(err.get("loc", ()))
            problems.append(Problem(f"{'/'.join(map(str, loc))}: {err.get('msg')}", located.pos(loc)))
        raise PackError(f"{path.name}: {len(problems)} problem(s)", problems) from None


def labels() -> Labels:
    """The labels shipped beside the fact model."""
    return load_labels(LABELS_FILE)


# --- what the model has, to check the file against ---------------------------------------------------


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return args
            annotation = args[0]
        elif origin is tuple:
            annotation = get_args(annotation)[0]
        else:
            return annotation


def model_fields() -> dict[str, tuple[str, ...]]:
    """Every field path of the fact model (nested parts and tuples included, list indexes left out) with the
    values of its list of values (empty for other fields); groups (``actor``) are not included."""
    from .model import ACT_MODELS, Fact

    out: dict[str, tuple[str, ...]] = {}

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            path = f"{prefix}{name}"
            inner = _unwrap(info.annotation)
            if isinstance(inner, list):  # the act union: its members are walked below
                continue
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                walk(inner, path + ".")
                continue
            enum = get_args(inner) if get_origin(inner) is Literal else ()
            if path == "act.kind" or (prefix == "act." and name == "kind"):
                continue
            out[path] = tuple(dict.fromkeys(out.get(path, ()) + tuple(str(v) for v in enum)))

    walk(Fact, "")
    kinds = []
    for model in ACT_MODELS:
        kinds.append(get_args(model.model_fields["kind"].annotation)[0])
        walk(model, "act.")
    out["act.kind"] = tuple(kinds)
    return out


def model_groups() -> set[str]:
    """The paths of the report's parts that hold fields (``actor``, ``context.election``, ``act``)."""
    groups: set[str] = set()
    for path in model_fields():
        parts = path.split(".")
        groups.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return groups


def missing_labels(found: Labels | None = None) -> list[str]:
    """What the labels file lacks (or has in excess) against the fact model and the decision vocabulary."""
    lab = found or labels()
    out: list[str] = []
    fields = model_fields()
    for path, enum in fields.items():
        entry = lab.data.fields.get(path)
        if entry is None:
            out.append(f"fields: no label for '{path}'")
            continue
        out.extend(f"fields: no label for value '{v}' of '{path}'" for v in enum if v not in entry.values)
        out.extend(f"fields: '{path}' has no value '{v}'" for v in entry.values if v not in enum)
    out.extend(f"fields: '{p}' is not a field of the fact model" for p in lab.data.fields if p not in fields)
    groups = model_groups()
    out.extend(f"groups: no label for '{g}'" for g in sorted(groups) if g not in lab.data.groups)
    out.extend(f"groups: '{g}' is not a part of the fact model" for g in lab.data.groups if g not in groups)
    for kind, values in VOCABULARY.items():
        have = lab.data.vocabulary.get(kind, {})
        out.extend(f"vocabulary: no label for {kind} '{v}'" for v in values if v not in have)
        out.extend(f"vocabulary: {kind} '{v}' is not a {kind}" for v in have if v not in values)
    out.extend(f"vocabulary: unknown list '{k}'" for k in lab.data.vocabulary if k not in VOCABULARY)
    return out


__all__ = ["LABELS_FILE", "Labels", "field_key", "labels", "load_labels", "missing_labels", "model_fields"]
