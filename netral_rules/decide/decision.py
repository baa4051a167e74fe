"""What an evaluation returns: findings with their cited basis, the aggregate, assumptions and an audit.

All models are frozen pydantic models that serialise to JSON and back without loss
(``Decision.model_validate_json(d.model_dump_json()) == d``), and export a JSON Schema
(``netral-rules schema decision``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..vocabulary import Bilingual, Category, DecisionStatus, Level, VerificationStatus


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


class SetAside(_Frozen):
    """A finding removed because a more specific rule that also holds sets it aside (lex specialis; one act is
    punished once, PP 94/2021 Pasal 35 ayat (3))."""

    rule_id: str = Field(description="The rule whose finding was set aside.")
    title: Bilingual
    by: str = Field(description="The rule that holds and sets it aside.")
    by_title: Bilingual
    basis: tuple[CitedArticle, ...] = Field(description="The legal basis of the precedence.")
    reason: Bilingual


class Undetermined(_Frozen):
    """A rule the fact says too little about: it would be decided by the missing fields."""

    rule_id: str
    title: Bilingual
    missing: tuple[str, ...]


class Bound(_Frozen):
    """One end of the range of outcomes over the readings of a report: the headline of one reading."""

    violation: bool
    category: Category | None = None
    level: Level | None = None
    text: Bilingual = Field(description="The outcome in words.")


class Term(_Frozen):
    """One field of a condition on unknown fields: the field has one of ``values``, or lies between ``low``
    and ``high`` (inclusive; either may be open) for a number or a date."""

    field: str
    values: tuple[Any, ...] = ()
    low: Any = None
    high: Any = None


class ReadingRule(_Frozen):
    """A rule whose finding stands in some readings of the report but not in all, and when."""

    rule_id: str
    title: Bilingual
    category: Category
    level: Level
    when: tuple[tuple[Term, ...], ...] = Field(
        description="When the rule holds: alternatives (any one), each a conjunction of terms on the unknown fields."
    )
    set_aside_by: tuple[str, ...] = Field(
        default=(), description="More specific rules that may hold too and then set its finding aside."
    )
    text: Bilingual = Field(description="The same condition in words.")


class Answer(_Frozen):
    """One answer to a question, with the range of outcomes left after it."""

    value: Any = Field(description="The value to put in the report (the lowest of a range of numbers or dates).")
    low: Any = None
    high: Any = None
    label: Bilingual
    lightest: Bound | None = Field(default=None, description="The lightest outcome left after this answer.")
    heaviest: Bound | None = Field(default=None, description="The heaviest outcome left after this answer.")
    outcomes: int | None = Field(default=None, description="How many distinct outcomes are left after this answer.")


class Question(_Frozen):
    """An unknown field whose answer can change the outcome, with the allowed answers."""

    field: str
    text: Bilingual
    kind: Literal["choice", "number", "date", "text"] = Field(
        default="choice", description="How it is answered: one of the answers, or a typed number, date or text "
        "(the answers then show the ranges that decide)."
    )
    answers: tuple[Answer, ...]
    worst_case: int | None = Field(
        default=None, description="Distinct outcomes left after the least decisive answer (the ranking)."
    )
    required: bool = Field(default=False, description="The report cannot be decided without it.")


class Readings(_Frozen):
    """What the report decides and what it leaves open: the outcome over every way its unknown fields that
    some rule in force reads could be filled in (respecting the fact model's constraints)."""

    violation: Literal["every", "some", "none"] = Field(
        description="A violation in every reading, in some, or in none (the decision's status follows it)."
    )
    readings: int = Field(description="Distinct readings considered (ways of filling in that differ for a rule).")
    lightest: Bound
    heaviest: Bound
    rules: tuple[ReadingRule, ...] = ()
    irrelevant: tuple[str, ...] = Field(default=(), description="Unknown fields that cannot change the outcome.")
    questions: tuple[Question, ...] = Field(default=(), description="Ranked: the most decisive first.")
    constraints: tuple[str, ...] = Field(default=(), description="Constraints of the fact model that removed readings.")


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
    set_aside: tuple[SetAside, ...] = Field(
        default=(), description="Findings of rules that held but were set aside by a more specific rule that holds."
    )
    aggregate: Aggregate
    undetermined: tuple[Undetermined, ...] = ()
    readings: Readings | None = Field(
        default=None, description="For a report with unknown fields some rule in force reads: the outcome range, "
        "the rules that apply only in some readings, and the questions that can decide it."
    )
    assumptions: tuple[Assumption, ...] = ()
    notes: tuple[Bilingual, ...] = ()
    not_covered: Bilingual | None = Field(default=None, description="Why no law could be applied, if so.")
    audit: Audit

    @property
    def rule_ids(self) -> list[str]:
        """The rules whose findings stand."""
        return [f.rule_id for f in self.findings]

    @property
    def held_rule_ids(self) -> list[str]:
        """Every rule whose condition held: the findings, and the rules a more specific one set aside."""
        # a rule set aside by several more specific ones is one rule that held
        return list(dict.fromkeys([*(f.rule_id for f in self.findings), *(a.rule_id for a in self.set_aside)]))

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
