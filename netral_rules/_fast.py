"""The engine's fast paths, behind one private seam: building trusted model instances without validation,
and writing a decision's JSON from parts serialised once.

Nothing outside the engine's decide stages and the decision JSON needs to know how these work: they reach
into pydantic's instance state (``__dict__``, fields set) and rely on its serializer writing fields in the
order of the instance's ``__dict__``. The property suite checks that what they build equals what
``model_validate`` would, and that the JSON is the bytes of ``model_dump_json``.
"""

from __future__ import annotations

from operator import is_
from types import MethodType
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import to_json

_M = TypeVar("_M", bound=BaseModel)

# --- fast construction -----------------------------------------------------------------------------
#
# Decisions are built by the engine from data it has already validated (packs at load time, the fact on
# entry). Re-validating every nested object on each evaluation cost more than the evaluation itself, and
# pydantic's own ``model_construct`` still spends several microseconds per object on defaults and
# bookkeeping. ``build`` sets the same instance state that ``model_construct`` sets (``__dict__``, fields
# set, no extras, no private attributes) from defaults computed once per class. Only trusted engine code
# calls it; anything read from outside goes through ``model_validate``.

_set_attr = object.__setattr__
_new = object.__new__
_DEFAULTS: dict[type[BaseModel], dict[str, Any]] = {}


_REQUIRED = object()  # placeholder of a required field in a template; every build() must supply it


def _defaults(cls: type[BaseModel]) -> dict[str, Any]:
    """Every field of the model, in the model's order, with its default (or a placeholder if required).

    The serializer writes fields in the order of the instance's ``__dict__``; merging a call's values into
    this template keeps the model's order, so built decisions serialise exactly like validated ones.
    """
    found = _DEFAULTS.get(cls)
    if found is None:
        found = {}
        for name, info in cls.model_fields.items():
            if info.is_required() or info.default_factory is not None:
                found[name] = _REQUIRED
            else:
                found[name] = info.default
        _DEFAULTS[cls] = found
    return found


def build(cls: type[_M], /, **values: Any) -> _M:
    """An instance of a decision model from trusted values, without validation (see above)."""
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        defaults = _defaults(cls)
    obj = _new(cls)
    _set_attr(obj, "__dict__", {**defaults, **values})
    _set_attr(obj, "__pydantic_fields_set__", set(values))
    _set_attr(obj, "__pydantic_extra__", None)
    _set_attr(obj, "__pydantic_private__", None)
    return obj


def maker(cls: type[_M], names: tuple[str, ...]) -> Any:
    """A builder of ``cls`` instances from the values of every one of its fields, in the model's order,
    given positionally (``make(a, b)``): the state :func:`build` sets, with no merging of defaults, for the
    small objects built for every decision (an explanation's two texts). Generated with one parameter per
    field: the field names are bound as constants, never written into the source."""
    if names != tuple(cls.model_fields):
        raise ValueError(f"{cls.__name__}: give every field, in order: {tuple(cls.model_fields)}")
    params = ", ".join(f"a{k}" for k in range(len(names)))
    items = ", ".join(f"N{k}: a{k}" for k in range(len(names)))
    source = (f"def make({params}):\n    obj = new(cls)\n    put(obj, '__dict__', {{{items}}})\n"
              "    put(obj, '__pydantic_fields_set__', set(fields))\n    put(obj, '__pydantic_extra__', None)\n"
              "    put(obj, '__pydantic_private__', None)\n    return obj\n")
    scope: dict[str, Any] = {"new": _new, "put": _set_attr, "cls": cls, "fields": frozenset(names),
                             **{f"N{k}": n for k, n in enumerate(names)}}
    exec(compile(source, f"<make {cls.__name__}>", "exec"), scope)  # generated: no outside text in it
    return scope["make"]


_FILLERS: dict[tuple[type, tuple[str, ...]], Any] = {}


def _filler(cls: type[BaseModel], varying: tuple[str, ...]) -> Any:
    """The positional builder of a prototype's instances, generated once per class and varying fields (the
    field names are bound as constants, never written into the source)."""
    found = _FILLERS.get((cls, varying))
    if found is None:
        params = "".join(f", a{k}" for k in range(len(varying)))
        sets = "".join(f"    d[N{k}] = a{k}\n" for k in range(len(varying)))
        source = (f"def make(self{params}):\n    d = self.base.copy()\n{sets}    obj = new(self.cls)\n"
                  "    put(obj, '__dict__', d)\n    put(obj, '__pydantic_fields_set__', set(self.fields))\n"
                  "    put(obj, '__pydantic_extra__', None)\n    put(obj, '__pydantic_private__', None)\n"
                  "    return obj\n")
        scope: dict[str, Any] = {"new": _new, "put": _set_attr, **{f"N{k}": n for k, n in enumerate(varying)}}
        exec(compile(source, f"<prototype {cls.__name__}>", "exec"), scope)  # generated: no outside text in it
        found = _FILLERS[(cls, varying)] = scope["make"]
    return found


class Prototype:
    """Many instances of one model that share most values (a rule's finding: everything but the matched
    conditions and the explanation). The shared state, defaults merged in, is prepared once; each
    :meth:`build` copies it and adds the rest, with the same state and fields set as :func:`build`."""

    __slots__ = ("base", "cls", "fields", "make", "varying")

    def __init__(self, cls: type[BaseModel], shared: dict[str, Any], varying: tuple[str, ...]) -> None:
        self.cls = cls
        self.base = {**_defaults(cls), **shared}
        self.fields = frozenset(shared) | frozenset(varying)
        self.varying = varying
        #: ``make(*values)``: :meth:`build` with the values of ``varying``, in that order, given positionally
        #: (the shared state copied, the varying fields set in place: no merging, for the objects built for
        #: every decision)
        self.make = MethodType(_filler(cls, varying), self)

    def build(self, **values: Any) -> Any:
        obj = _new(self.cls)
        _set_attr(obj, "__dict__", {**self.base, **values})
        _set_attr(obj, "__pydantic_fields_set__", set(self.fields))
        _set_attr(obj, "__pydantic_extra__", None)
        _set_attr(obj, "__pydantic_private__", None)
        return obj


# --- decision JSON ----------------------------------------------------------------------------------
#
# A decision's JSON, fast: the bytes of ``decision.model_dump_json()``, from parts serialised once.
#
# Most of a decision's ~8 kB is the same in every decision that shares it: a rule's cited articles, titles
# and sanction menus, the packs' notes, the audit's pack references, a kept aggregate. The engine builds
# those once and shares the very objects between decisions (Prototype, above), so their JSON can be kept
# with them. :class:`DecisionJSON` keeps
#
# * for each prototype (a rule's finding, the audit), the JSON of its shared fields, joined with the keys
#   of the fields around them, used when an object still holds exactly those shared values;
# * the JSON of other shared objects the engine hands it (notes, assumptions, kept aggregates), holding
#   them, so that their ids cannot be reused;
#
# and serialises everything else with pydantic's own serializer, field by field, in the model's field order.
# The output is the same bytes as ``model_dump_json``, which the tests check on decisions of every kind.

def _key(name: str) -> bytes:
    return to_json(name) + b":"


class _Layout:
    """How objects of one prototype serialise: literal JSON for the runs of shared fields (with the keys of
    the fields between them), pydantic for the rest. ``None`` items in ``parts`` are the varying fields."""

    __slots__ = ("names", "parts", "values", "varying")

    def __init__(self, proto: Prototype, shared: tuple[str, ...]) -> None:
        self.names = shared
        self.values = tuple(proto.base[n] for n in shared)
        self.varying: list[str] = []
        parts: list[bytes | None] = []
        text = b"{"
        for i, name in enumerate(proto.cls.model_fields):
            text += (b"," if i else b"") + _key(name)
            if name in shared:
                text += to_json(proto.base[name])
            else:
                parts += [text, None]
                self.varying.append(name)
                text = b""
        self.parts = (*parts, text + b"}")

    def matches(self, d: dict[str, Any]) -> bool:
        return all(map(is_, [d[n] for n in self.names], self.values))

    def write(self, d: dict[str, Any]) -> bytes:
        values = iter([to_json(d[n]) for n in self.varying])
        return b"".join([p if p is not None else next(values) for p in self.parts])


_ITEMS = frozenset({"notes", "assumptions", "set_aside"})  # tuples whose items are often shared, each remembered alone


def _generic(obj: BaseModel, value: Any) -> bytes:
    d = obj.__dict__
    return b"{" + b",".join([_key(n) + value(d[n]) for n in type(obj).model_fields]) + b"}"


class DecisionJSON:
    """Serialises decisions to JSON bytes, reusing the JSON of what the engine shares between them."""

    __slots__ = ("_audit", "_fields", "_findings", "_known")

    def __init__(self, decision: type[BaseModel], audit: Prototype, shared_audit: tuple[str, ...]) -> None:
        """``decision``: the decision model (its fields, in order, and their keys are written as they are)."""
        self._fields = tuple((name, _key(name)) for name in decision.model_fields)
        self._known: dict[int, tuple[object, bytes]] = {}
        self._findings: dict[str, list[_Layout]] = {}
        self._audit = _Layout(audit, shared_audit)

    def finding(self, proto: Prototype, shared: tuple[str, ...]) -> None:
        """Serialise the findings built from ``proto`` with their ``shared`` fields written once (a rule may have
        several prototypes: one per stretch of dates with its own cited basis)."""
        self._findings.setdefault(proto.base["rule_id"], []).append(_Layout(proto, shared))

    def remember(self, *values: object) -> None:
        """Keep the JSON of these objects. They must be immutable: frozen models, tuples of them, text."""
        for value in values:
            self._known[id(value)] = (value, to_json(value))

    def _value(self, value: Any) -> bytes:
        hit = self._known.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        return to_json(value)

    def _finding(self, finding: BaseModel) -> bytes:
        d = finding.__dict__
        for layout in self._findings.get(d["rule_id"], ()):
            if layout.matches(d):
                return layout.write(d)
        return _generic(finding, self._value)

    def __call__(self, decision: BaseModel) -> bytes:
        """The bytes ``decision.model_dump_json()`` encodes, for any decision (faster for shared parts)."""
        d = decision.__dict__
        out = [b"{"]  # pieces joined once at the end: no intermediate copies of kilobytes
        put = out.append
        for name, key in self._fields:
            put(key)
            value = d[name]
            if name == "findings":
                put(b"[" + b",".join([self._finding(f) for f in value]) + b"]")
            elif name == "audit":
                a = value.__dict__
                put(self._audit.write(a) if self._audit.matches(a) else _generic(value, to_json))
            elif name in _ITEMS:
                put(b"[" + b",".join([self._value(v) for v in value]) + b"]")
            else:
                put(self._value(value))
            put(b",")
        out[-1] = b"}"
        return b"".join(out)
