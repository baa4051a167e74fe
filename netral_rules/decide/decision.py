"""What an evaluation returns: findings with their cited basis, the aggregate, assumptions and an audit.

All models are frozen pydantic models that serialise to JSON and back without loss
(``Decision.model_validate_json(d.model_dump_json()) == d``), and export a JSON Schema
(``netral-rules schema decision``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ..law.schema import Bilingual, Category, Level, VerificationStatus

_M = TypeVar("_M", bound=BaseModel)

DecisionStatus = Literal["violation", "no_violation", "undetermined", "not_covered"]

# Severity order used to pick "the heaviest" across findings. Moral (ethics) sanctions and dismissal are
# different procedures from disciplinary punishment; the order only ranks outcomes for reporting.
LEVEL_RANK: dict[str, int] = {"moral": 1, "ringan": 2, "sedang": 3, "berat": 4, "ptdh": 5}

# Where an outcome whose level the law leaves unassigned stands in the headline: a disciplinary sanction,
# whatever its level, is at least the lightest disciplinary type, so it is not hidden behind a moral
# (ethics) sanction; a dismissal is at least as heavy as the heaviest discipline.
_UNASSIGNED_RANK = {"disiplin": 1.5, "pemberhentian": 4.5}


def headline_rank(level: str | None, category: str | None) -> float:
    """The order of outcomes for the decision's headline (``aggregate.level`` and ``category``)."""
    if level in LEVEL_RANK:
        return LEVEL_RANK[level]
    if level == "unassigned":
        return _UNASSIGNED_RANK.get(category or "", 0.5)
    return 0.0


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CitationParts(_Frozen):
    instrument: str
    number: str
    year: int
    penjelasan: bool = False
    lampiran: str | None = None
    pasal: str | None = None
    ayat: str | None = None
    huruf: str | None = None
    angka: str | None = None


class ProvenanceInfo(_Frozen):
    status: VerificationStatus
    source: str | None = None
    note: str | None = None


class ContextText(_Frozen):
    cite: str
    text: str


class CitedArticle(_Frozen):
    """One cited unit of law with its verbatim text."""

    cite: str = Field(description="Canonical citation, e.g. 'PP 94/2021 Pasal 14 huruf i angka 1'.")
    id: str = Field(description="Machine id, e.g. 'pp94_2021.p14.i.1'.")
    parts: CitationParts
    text: str
    gloss: str
    context: tuple[ContextText, ...] = Field(default=(), description="Enclosing units' texts (the lead-in).")
    provenance: ProvenanceInfo
    pack: str


class SanctionChoice(_Frozen):
    code: str
    label: Bilingual
    cite: str
    text: str | None = None


class SanctionMenu(_Frozen):
    cite: str = Field(description="The menu applied, after any substitution.")
    level: Level | None
    options: tuple[SanctionChoice, ...]
    replaces: str | None = Field(default=None, description="The menu the rule cites, if a setting replaced it.")


class MatchedCondition(_Frozen):
    path: str
    op: str
    expected: Any
    actual: Any


class Finding(_Frozen):
    rule_id: str
    pack: str
    pack_version: str
    title: Bilingual
    category: Category
    level: Level
    nature: str | None = None
    sanctions: tuple[SanctionMenu, ...] = ()
    basis: tuple[CitedArticle, ...]
    explanation: Bilingual
    matched: tuple[MatchedCondition, ...]
    notes: tuple[Bilingual, ...] = ()
    verification: VerificationStatus = Field(
        description="The weakest provenance among the rule and its basis: secondary sources are surfaced."
    )


class Undetermined(_Frozen):
    """A rule the fact says too little about: it would be decided by the missing fields."""

    rule_id: str
    title: Bilingual
    missing: tuple[str, ...]


class PriorRef(_Frozen):
    imposed_on: dt.date
    level: str
    nature: str | None = None
    sanction: str | None = None


class Outcome(_Frozen):
    category: Category
    level: Level
    rule_ids: tuple[str, ...]
    sanctions: tuple[SanctionChoice, ...] = ()
    explanation: Bilingual


class Aggregate(_Frozen):
    """The combined outcome (PP 94/2021 Pasal 35 for disciplinary findings)."""

    level: Level | None = Field(description="Heaviest outcome level; None when nothing was found.")
    category: Category | None = None
    outcomes: tuple[Outcome, ...] = ()
    repeat: bool = False
    prior: PriorRef | None = None
    basis: tuple[CitedArticle, ...] = ()


class Assumption(_Frozen):
    setting: str
    value: bool
    default: bool
    description: Bilingual
    effect: Bilingual
    basis: tuple[str, ...] = ()


class PackRef(_Frozen):
    id: str
    version: str
    sha256: str
    instrument: str
    in_force_from: dt.date
    in_force_until: dt.date | None = None


class Audit(_Frozen):
    engine_version: str
    backend: str
    packs: tuple[PackRef, ...]
    applied_on: dt.date
    as_of_given: bool
    input_sha256: str
    settings: dict[str, bool]


class Decision(_Frozen):
    fact_id: str | None = None
    status: DecisionStatus
    applied_on: dt.date = Field(description="The date whose law was applied (occurred_on unless as_of was given).")
    findings: tuple[Finding, ...] = ()
    aggregate: Aggregate
    undetermined: tuple[Undetermined, ...] = ()
    assumptions: tuple[Assumption, ...] = ()
    notes: tuple[Bilingual, ...] = ()
    not_covered: Bilingual | None = Field(default=None, description="Why no law could be applied, if so.")
    audit: Audit

    @property
    def rule_ids(self) -> list[str]:
        return [f.rule_id for f in self.findings]

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, text: str | bytes) -> Decision:
        return cls.model_validate_json(text)


def decision_json_schema() -> dict[str, Any]:
    schema = Decision.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "netral-rules decision"
    return schema


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


class Prototype:
    """Many instances of one model that share most values (a rule's finding: everything but the matched
    conditions and the explanation). The shared state, defaults merged in, is prepared once; each
    :meth:`build` copies it and adds the rest, with the same state and fields set as :func:`build`."""

    __slots__ = ("base", "cls", "fields")

    def __init__(self, cls: type[BaseModel], shared: dict[str, Any], varying: tuple[str, ...]) -> None:
        self.cls = cls
        self.base = {**_defaults(cls), **shared}
        self.fields = frozenset(shared) | frozenset(varying)

    def build(self, **values: Any) -> Any:
        obj = _new(self.cls)
        _set_attr(obj, "__dict__", {**self.base, **values})
        _set_attr(obj, "__pydantic_fields_set__", set(self.fields))
        _set_attr(obj, "__pydantic_extra__", None)
        _set_attr(obj, "__pydantic_private__", None)
        return obj
