"""The catalogue of fact paths that rules may test, derived from the fact model.

Rules address fact fields by dotted path. This module walks the pydantic models once and records, for
every scalar leaf, its value type and (for enumerations) its allowed values. The linter type-checks
conditions against it, the backends use it to flatten a fact into ``{path: value}``, and the
``testing`` strategies use it to build witnesses. Act fields are the union over all act kinds; each
path also records which kinds carry it.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from .model import ACT_MODELS, Fact

ValueType = Literal["bool", "int", "float", "str", "enum", "date"]


@dataclass
class FieldSpec:
    path: str
    type: ValueType
    enum: tuple[str, ...] = ()
    nullable: bool = False
    act_kinds: tuple[str, ...] = ()  # empty for non-act paths
    description: str | None = None
    minimum: float | None = None
    maximum: float | None = None

    def accepts(self, value: object) -> bool:
        """Whether ``value`` (as read from YAML) is a legal value of this field, without coercion."""
        if self.type == "bool":
            return isinstance(value, bool)
        if self.type == "int":
            return isinstance(value, int) and not isinstance(value, bool)
        if self.type == "float":
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        if self.type == "date":
            return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        if self.type == "enum":
            return isinstance(value, str) and value in self.enum
        return isinstance(value, str)

    @property
    def ordered(self) -> bool:
        return self.type in ("int", "float", "date")

    def describe_type(self) -> str:
        if self.type == "enum":
            return "one of " + ", ".join(self.enum)
        return {
            "bool": "true/false",
            "int": "a whole number",
            "float": "a number",
            "str": "text",
            "date": "a date (YYYY-MM-DD)",
        }[self.type]


@dataclass
class FieldMap:
    fields: dict[str, FieldSpec] = field(default_factory=dict)

    def get(self, path: str) -> FieldSpec | None:
        return self.fields.get(path)

    def __contains__(self, path: object) -> bool:
        return path in self.fields

    def paths(self) -> list[str]:
        return sorted(self.fields)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """Strip ``X | None`` and ``Annotated``; return (inner type, nullable)."""
    nullable = False
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
            continue
        if origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) < len(get_args(annotation)):
                nullable = True
            if len(args) == 1:
                annotation = args[0]
                continue
        return annotation, nullable


def _scalar(annotation: Any) -> tuple[ValueType, tuple[str, ...]] | None:
    if get_origin(annotation) is Literal:
        values = get_args(annotation)
        if all(isinstance(v, str) for v in values):
            return "enum", tuple(values)
        return None
    if annotation is bool:
        return "bool", ()
    if annotation is int:
        return "int", ()
    if annotation is float:
        return "float", ()
    if annotation is str:
        return "str", ()
    if annotation is dt.date:
        return "date", ()
    return None


def _bounds(info: Any) -> tuple[float | None, float | None]:
    lo = hi = None
    for meta in info.metadata:
        ge = getattr(meta, "ge", None)
        le = getattr(meta, "le", None)
        if ge is not None:
            lo = float(ge)
        if le is not None:
            hi = float(le)
    return lo, hi


def _walk(model: type[BaseModel], prefix: str, out: dict[str, FieldSpec], act_kind: str | None) -> None:
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation, nullable = _unwrap(info.annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            _walk(annotation, path + ".", out, act_kind)
            continue
        scalar = _scalar(annotation)
        if scalar is None:
            continue  # tuples (prior sanctions) and the act union are not addressable as leaves
        vtype, enum = scalar
        lo, hi = _bounds(info)
        spec = out.get(path)
        if spec is None:
            out[path] = FieldSpec(
                path, vtype, enum, nullable, (act_kind,) if act_kind else (), info.description, lo, hi
            )
        else:  # the same field name on several act kinds: merge
            if spec.type != vtype:
                raise TypeError(f"fact path {path} has two types: {spec.type} and {vtype}")
            spec.enum = tuple(dict.fromkeys(spec.enum + enum))
            spec.nullable = spec.nullable or nullable
            if act_kind:
                spec.act_kinds = spec.act_kinds + (act_kind,)


@lru_cache(maxsize=1)
def fact_fields() -> FieldMap:
    out: dict[str, FieldSpec] = {}
    for name, info in Fact.model_fields.items():
        if name == "act":
            continue
        annotation, nullable = _unwrap(info.annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            _walk(annotation, name + ".", out, None)
        else:
            scalar = _scalar(annotation)
            if scalar is not None and name not in ("id", "description"):  # caller data, not law facts
                out[name] = FieldSpec(name, scalar[0], scalar[1], nullable, (), info.description)
    for model in ACT_MODELS:
        kind = get_args(model.model_fields["kind"].annotation)[0]
        _walk(model, "act.", out, kind)
    # act.kind is the discriminator: its enum is the list of kinds
    return FieldMap(dict(sorted(out.items())))


@cache
def kind_values(path: str, kind: str) -> tuple[Any, ...] | None:
    """The values an act field takes on one act kind (a field several kinds share, such as ``act.role``,
    has different values on each), or None when the kind has no such field or it has no list of values."""
    model = next((m for m in ACT_MODELS if get_args(m.model_fields["kind"].annotation)[0] == kind), None)
    info = None if model is None else model.model_fields.get(path.removeprefix("act."))
    if info is None:
        return None
    annotation, _ = _unwrap(info.annotation)
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    return (True, False) if annotation is bool else None


def flatten(fact: Fact) -> dict[str, Any]:
    """The fact as ``{dotted path: value}`` over addressable leaves; ``None`` values are omitted.

    This runs once per evaluation. It reads ``__dict__`` directly with a function generated per model class
    and prefix (its leaves, then its nested models, in field order, each path a constant), because
    ``model_dump`` or a generic walk with type checks costs several times more.
    """
    out: dict[str, Any] = {}
    _into(fact, "", out)
    return out


_Flattener = Any  # (model's __dict__, out) -> None
_FLATTENERS: dict[tuple[type, str], _Flattener] = {}


def _into(model: BaseModel, prefix: str, out: dict[str, Any]) -> None:
    found = _FLATTENERS.get((type(model), prefix))
    if found is None:
        found = _FLATTENERS[(type(model), prefix)] = _compile(type(model), prefix)
    found(model.__dict__, out)


def _parts(cls: type[BaseModel], prefix: str) -> tuple[list[tuple[str, str]], list[tuple[str, str, Any]]]:
    """A model class's leaves ``(name, path)`` and nested models ``(name, prefix, the class or None for a
    union)``, in field order."""
    leaves: list[tuple[str, str]] = []
    nested: list[tuple[str, str, Any]] = []
    for name, info in cls.model_fields.items():
        annotation, _ = _unwrap(info.annotation)
        if get_origin(annotation) is tuple:
            continue  # prior sanctions: read by the aggregation, not addressable by rules
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            nested.append((name, f"{prefix}{name}.", annotation))
        elif get_origin(annotation) in (Union, types.UnionType):
            nested.append((name, f"{prefix}{name}.", None))
        else:
            leaves.append((name, f"{prefix}{name}"))
    return leaves, nested


def _compile(cls: type[BaseModel], prefix: str) -> _Flattener:
    """The flattener of one model class at one prefix: the leaves (in field order), then each nested model
    (in field order), written inline when its class is the one the field declares, else (a union: the act)
    by the flattener of the value's class. Field names, paths and classes are bound as constants, never
    written into the source."""
    consts: dict[str, Any] = {"into": _into}
    lines = ["def flat(d, out):"]
    counter = iter(range(1 << 30))

    def emit(model: type[BaseModel], at: str, d: str, indent: str) -> None:
        leaves, nested = _parts(model, at)
        for name, path in leaves:
            k = next(counter)
            consts[f"N{k}"], consts[f"P{k}"] = name, path
            lines.extend([f"{indent}v = {d}[N{k}]", f"{indent}if v is not None:", f"{indent}    out[P{k}] = v"])
        for name, sub, sub_cls in nested:
            k = next(counter)
            consts[f"N{k}"], consts[f"S{k}"], consts[f"C{k}"] = name, sub, sub_cls
            lines.extend([f"{indent}v = {d}[N{k}]", f"{indent}if v is not None:"])
            if sub_cls is None:
                lines.append(f"{indent}    into(v, S{k}, out)")
                continue
            lines.extend([f"{indent}    if type(v) is C{k}:", f"{indent}        d{k} = v.__dict__"])
            emit(sub_cls, sub, f"d{k}", indent + "        ")
            lines.extend([f"{indent}    else:", f"{indent}        into(v, S{k}, out)"])

    emit(cls, prefix, "d", "    ")
    lines.append("    return None")
    scope: dict[str, Any] = {}
    exec(compile("\n".join(lines) + "\n", f"<flatten {cls.__name__}>", "exec"), consts, scope)
    return scope["flat"]
