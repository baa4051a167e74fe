"""The rule-pack file format as pydantic models (and so as JSON Schema for editors).

A pack is one folder:

* ``pack.yaml``      :class:`PackManifest`: identity, version, instrument, in-force period, whom it binds,
                     the engine settings it reads and the sanction-menu substitutions they switch.
* ``articles.yaml``  :class:`ArticlesFile`: the citable units with verbatim text, gloss and provenance.
* ``rules/*.yaml``   :class:`RulesFile`: the rules.
* ``tests/*.yaml``   :class:`ScenariosFile`: scenario tests written by legal staff.
* the official text named by ``source.file``.

Conditions (``when``) are kept as raw data here and parsed by :mod:`netral_rules.conditions`, which knows
the fact model and reports positions; citations are kept as text and parsed by :mod:`netral_rules.law`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..vocabulary import Bilingual, Category, Level, Status, VerificationStatus

_ID = r"^[a-z0-9][a-z0-9_.\-]*$"
_SEMVER = r"^[0-9]+\.[0-9]+\.[0-9]+(?:[-+][0-9A-Za-z.\-]+)?$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Period(_Strict):
    """An in-force period; ``until`` is the last day in force (inclusive), or null if still in force."""

    from_: dt.date = Field(alias="from")
    until: dt.date | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.until is not None and self.until < self.from_:
            raise ValueError(f"'until' ({self.until}) is before 'from' ({self.from_})")
        return self

    def contains(self, day: dt.date) -> bool:
        return self.from_ <= day and (self.until is None or day <= self.until)

    def within(self, other: Period) -> bool:
        if self.from_ < other.from_:
            return False
        if other.until is None:
            return True
        return self.until is not None and self.until <= other.until


class Instrument(_Strict):
    kind: str = Field(description="UU, PP, SKB, ... as used in citations")
    number: str
    year: int = Field(ge=1945, le=2100)
    title: str
    enacted_on: dt.date | None = None
    promulgated_on: dt.date | None = None
    gazette: str | None = None

    @field_validator("number", mode="before")
    @classmethod
    def _number_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


class Provenance(_Strict):
    status: VerificationStatus
    source: str | None = Field(default=None, description="Where the wording was read.")
    note: str | None = None


class Binds(_Strict):
    statuses: list[Status] = Field(min_length=1)
    basis: list[str] = Field(default_factory=list, description="Citations saying whom the instrument binds.")
    note: Bilingual | None = Field(default=None, description="Said in decisions for actors not bound.")


class OcrCorrection(_Strict):
    from_: str = Field(alias="from", min_length=1)
    to: str

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class SourceText(_Strict):
    file: str = Field(description="The official text beside the pack, e.g. source.md.")
    origin: str = Field(description="Where the text comes from (dataset, path, commit).")
    ocr_corrections: list[OcrCorrection] = Field(default_factory=list)


class Setting(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: Literal["bool"] = "bool"
    default: bool
    description: Bilingual
    basis: list[str] = Field(default_factory=list)


class Substitution(_Strict):
    """Replace one sanction menu by another depending on an engine setting (PP 94/2021 Pasal 42), on every date
    or (``while_in_force``) only while the replacement's instrument is in force."""

    setting: str
    applies_when: bool
    replace: str
    with_: str = Field(alias="with")
    while_in_force: bool = Field(
        False,
        description="Replace only on the dates when the pack of the replacement menu is in force and binds the "
        "actor (a statute that overrides an older regulation's menu from its own first day); otherwise on every "
        "date.",
    )
    basis: list[str] = Field(default_factory=list)
    note: Bilingual

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class AggregationTexts(_Strict):
    """Explanations of the aggregate; placeholders: {level}, {count}, {prior_level}, {prior_date}, {rules}."""

    several: Bilingual = Field(description="Several violations: one heaviest sanction.")
    single: Bilingual = Field(description="One violation.")
    repeat: Bilingual = Field(description="A repeat of the same nature after an earlier sanction: heavier.")
    ceiling: Bilingual = Field(description="A repeat when the earlier sanction was already the heaviest.")
    unassigned: Bilingual = Field(description="Only findings whose level the law does not assign.")
    prior_type_unknown: Bilingual = Field(description="The earlier sanction's type is not given.")


class AggregationBasis(_Strict):
    several: list[str] = Field(default_factory=list, description="Cited when several violations are combined.")
    repeat: list[str] = Field(default_factory=list, description="Cited when a repeat escalates the sanction.")


class Aggregation(_Strict):
    """How several findings of one category combine (PP 94/2021 Pasal 35)."""

    category: Category
    ladder: list[str] = Field(min_length=1, description="Sanction menus from lightest to heaviest.")
    basis: AggregationBasis = AggregationBasis()
    explain: AggregationTexts


class PackManifest(_Strict):
    id: str = Field(pattern=_ID)
    version: str = Field(pattern=_SEMVER)
    instrument: Instrument
    in_force: Period
    revokes: list[str] = Field(default_factory=list)
    binds: Binds
    source: SourceText | None = None
    provenance: Provenance | None = None
    settings: list[Setting] = Field(default_factory=list)
    substitutions: list[Substitution] = Field(default_factory=list)
    aggregation: Aggregation | None = None
    notes: list[Bilingual] = Field(
        default_factory=list,
        description="Caveats on the pack as a whole: in the rule catalogue, and in every decision "
        "with a finding of this pack.",
    )

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v


class SanctionOption(_Strict):
    code: str = Field(pattern=_ID)
    cite: str
    label: Bilingual


class Article(_Strict):
    cite: str
    text: str = Field(min_length=1, description="Verbatim Indonesian text, OCR slips corrected.")
    gloss: str = Field(min_length=1, description="English gloss.")
    provenance: Provenance
    heading: str | None = Field(default=None, description="Short title of the unit, for catalogues.")
    options: list[SanctionOption] = Field(default_factory=list, description="Sanction types of a menu.")
    level: Level | None = Field(default=None, description="The level of a sanction menu.")
    category: Category | None = None


class ArticlesFile(_Strict):
    articles: list[Article]


class BasisEntry(_Strict):
    """A citation of a rule's basis that is shown only on the dates its instrument is in force: the statute
    behind a rule that outlives it (UU 5/2014 until 2023-10-30, UU 20/2023 from 2023-10-31)."""

    cite: str
    while_in_force: bool = Field(
        default=True,
        description="Cite the article only in decisions for dates on which its pack (its instrument) is in force.",
    )


class Outcome(_Strict):
    category: Category
    level: Level
    nature: str | None = Field(
        default=None,
        pattern=r"^[a-z][a-z0-9_]*$",
        description="Nature of the violation for the repeat rule (PP 94/2021 Pasal 35 ayat (2)).",
    )
    sanctions: list[str] = Field(default_factory=list, description="Citations of sanction menus.")
    basis: list[str | BasisEntry] = Field(
        min_length=1,
        description="Citations of the legal basis; an entry {cite, while_in_force: true} is cited only on the "
        "dates its instrument is in force.",
    )
    notes: list[Bilingual] = Field(default_factory=list)

    @field_validator("sanctions", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class SetsAside(_Strict):
    """One rule this rule sets aside when both hold: the general form of which this rule is the specific one
    (lex specialis), so that one act is not punished twice (PP 94/2021 Pasal 35 ayat (3))."""

    rule: str = Field(pattern=_ID, description="The id of the rule whose finding is set aside.")
    basis: list[str] = Field(
        min_length=1, description="Citations of the precedence, e.g. PP 94/2021 Pasal 35 ayat (3)."
    )
    reason: Bilingual = Field(description="Why this rule takes precedence, shown in the decision.")
    lighter: Bilingual | None = Field(
        default=None,
        description="Required when this rule's level is lighter than the level of the rule it sets aside: why "
        "the lighter outcome is the law's.",
    )


class Rule(_Strict):
    id: str = Field(pattern=_ID)
    title: Bilingual
    in_force: Period | None = None
    binds: list[Status] | None = None
    when: Any
    then: Outcome
    explain: Bilingual
    provenance: Provenance | None = None
    sets_aside: list[SetsAside] = Field(
        default_factory=list, description="Rules whose findings this rule sets aside when it holds."
    )
    when_setting: dict[str, bool] | None = Field(
        default=None,
        description="The rule applies only when these engine settings have these values: one reading of an open "
        "legal question (the setting, declared in a pack.yaml, names the question and its default).",
    )


class RulesFile(_Strict):
    rules: list[Rule]


class ExpectedBound(_Strict):
    """One end of the expected range of outcomes: ``none`` (no violation), or a category with a level."""

    category: Category | Literal["none"]
    level: Level | None = None


class Expectation(_Strict):
    status: Literal["violation", "no_violation", "undetermined", "not_covered"] | None = None
    rules: list[str] | None = Field(default=None, description="Exactly these rules fire.")
    includes_rules: list[str] = Field(default_factory=list)
    excludes_rules: list[str] = Field(default_factory=list)
    level: Level | None = Field(default=None, description="The aggregate level.")
    category: Category | None = Field(default=None, description="The aggregate category.")
    sanctions: list[str] | None = Field(default=None, description="Aggregate sanction option codes, exactly.")
    cites: list[str] = Field(default_factory=list, description="Citations that must appear in the basis.")
    not_cites: list[str] = Field(default_factory=list)
    repeat: bool | None = None
    set_aside: list[str] | None = Field(
        default=None, description="Exactly these rules held and were set aside by a more specific rule."
    )
    missing: list[str] | None = Field(default=None, description="Fact paths reported missing.")
    violation_in: Literal["every", "some", "none"] | None = Field(
        default=None, description="For an incomplete report: a violation in every reading, in some, or in none."
    )
    lightest: ExpectedBound | None = Field(default=None, description="The lightest outcome over the readings.")
    heaviest: ExpectedBound | None = Field(default=None, description="The heaviest outcome over the readings.")
    first_question: str | None = Field(
        default=None, description="The fact path of the first question (the most decisive); '-' for none."
    )
    irrelevant: list[str] = Field(
        default_factory=list, description="Fact paths that must be reported as unable to change the outcome."
    )
    notes_contain: list[str] = Field(
        default_factory=list, description="Text found in the decision's notes, explanations or assumptions."
    )
    assumptions: list[str] | None = Field(
        default=None, description="Exactly these engine settings were relied on."
    )


class Scenario(_Strict):
    name: str = Field(min_length=1)
    description: str | None = None
    fact: dict[str, Any]
    as_of: dt.date | None = None
    settings: dict[str, bool] = Field(default_factory=dict)
    expect: Expectation


class ScenariosFile(_Strict):
    scenarios: list[Scenario]


_FILE_MODELS: dict[str, type[BaseModel]] = {
    "pack": PackManifest,
    "articles": ArticlesFile,
    "rules": RulesFile,
    "tests": ScenariosFile,
}


def pack_json_schema(kind: str | None = None) -> dict[str, Any]:
    """JSON Schema of one pack file kind, or (``kind=None``) of all of them under ``$defs``.

    The ``when`` condition is described as the condition language so that editors can complete it.
    """
    if kind is not None:
        schema = _FILE_MODELS[kind].model_json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"netral-rules {kind} file"
        _describe_when(schema)
        _accept_shorthands(schema)
        return schema
    out: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "netral-rules pack files",
        "description": "pack.yaml, articles.yaml, rules/*.yaml and tests/*.yaml; pick the definition by file.",
        "oneOf": [],
        "$defs": {},
    }
    for name in _FILE_MODELS:
        sub = pack_json_schema(name)
        defs = sub.pop("$defs", {})
        out["$defs"].update(defs)
        sub.pop("$schema", None)
        out["$defs"][f"{name}_file"] = sub
        out["oneOf"].append({"$ref": f"#/$defs/{name}_file"})
    return out


# What the models accept before validation (their ``mode="before"`` validators), which pydantic's schema does not
# show: one sanction citation written as text instead of a list, an instrument number written as a number.
_SHORTHANDS: dict[tuple[str, str], dict[str, Any]] = {
    ("Outcome", "sanctions"): {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
    ("Instrument", "number"): {"type": ["string", "integer"]},
}


def _accept_shorthands(schema: dict[str, Any]) -> None:
    for (model, name), accepted in _SHORTHANDS.items():
        prop = schema.get("$defs", {}).get(model, {}).get("properties", {}).get(name)
        if prop is not None:
            kept = {k: v for k, v in prop.items() if k in ("title", "description", "default")}
            prop.clear()
            prop.update(kept, **accepted)


def _describe_when(schema: dict[str, Any]) -> None:
    from ..conditions.parse import condition_json_schema

    rule = schema.get("$defs", {}).get("Rule")
    if rule is not None:
        schema["$defs"].update(condition_json_schema())
        rule["properties"]["when"] = {"$ref": "#/$defs/Condition"}
