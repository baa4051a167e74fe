"""The bodies the service answers with, besides decisions (:class:`netral_rules.Decision`) and errors
(:class:`.errors.ErrorBody`): pydantic models, so that the OpenAPI document describes exactly what is sent."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..decide.decision import PackRef
from ..decide.questions import Step
from ..vocabulary import Bilingual, Category, Level, Status, VerificationStatus


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleInfo(_Body):
    """A rule as its pack states it."""

    id: str
    pack: str
    pack_version: str
    title: Bilingual
    category: Category
    level: Level
    nature: str | None = None
    in_force_from: dt.date
    in_force_until: dt.date | None = None
    binds: list[Status]
    act_kinds: list[str] | None = Field(description="The act kinds the rule can apply to; null: any kind.")
    basis: list[str] = Field(description="The citations of its legal basis, as the pack writes them.")
    sanctions: list[str] = Field(description="The citations of its sanction menus.")
    when: Any = Field(description="The condition, in the pack's condition language.")
    explain: Bilingual
    verification: VerificationStatus | None = Field(description="The rule's own provenance status, if it has one.")


class RuleList(_Body):
    revision: str
    count: int
    rules: list[RuleInfo]


class PackInfo(PackRef):
    """A loaded pack: its audit reference (id, version, sha256 over its files) and what it holds."""

    title: str
    binds: list[Status]
    rules: int
    articles: int
    scenarios: int


class PackList(_Body):
    revision: str = Field(description="sha256 over every pack's id, version and sha256: names the set of law.")
    generation: int = Field(description="1 at start, one more at every reload that replaced the packs.")
    packs: list[PackInfo]


class CalendarInfo(_Body):
    """A loaded election calendar, in short: the whole file is at ``/v1/calendars/{election_id}``."""

    id: str = Field(description="The election id a fact names in `context.election.id`, e.g. pemilu-2024.")
    kind: Literal["pemilu", "pilkada"]
    name: Bilingual
    title: Bilingual
    covers_from: dt.date = Field(description="The first day of the election's cycle, as far as the calendar "
                                 "knows it.")
    covers_until: dt.date = Field(description="The last day of the cycle, as far as the calendar knows it.")
    contests: list[str] = Field(description="The contests the calendar has dates for (presidential, dpr, dpd, "
                                "dprd, governor, regent_mayor).")
    sha256: str = Field(description="sha256 of the calendar file.")


class CalendarList(_Body):
    count: int
    calendars: list[CalendarInfo]


class Health(_Body):
    status: Literal["ok"] = "ok"


class LastReload(_Body):
    trigger: str = Field(description="'SIGHUP' or 'api'.")
    reloaded: bool
    seconds: float
    problems: int


class Ready(_Body):
    status: Literal["ready"] = "ready"
    generation: int
    revision: str
    loaded_at: dt.datetime
    packs: int
    rules: int
    backend: str
    last_reload: LastReload | None = None


class ReloadReport(_Body):
    status: Literal["reloaded"] = "reloaded"
    generation: int
    revision: str
    seconds: float
    packs: list[PackRef]
    warnings: int


class BatchLine(_Body):
    """One line of a batch's answer: the line number of the record it answers, and its decision or error."""

    line: int
    decision: dict[str, Any] | None = Field(default=None, description="A decision (see Decision).")
    error: dict[str, Any] | None = Field(default=None, description="The error in its place (see ErrorBody).")


# --- the interview: POST /v1/questions ---------------------------------------------------------------

FIELD_PATH = r"^[a-z_]+(\[[0-9]{1,3}\])?(\.[a-z_]+(\[[0-9]{1,3}\])?){0,5}$"


class GivenAnswer(_Body):
    """The answer to one question, to be put in the report before the next step is worked out."""

    field: str = Field(description="The question's field, e.g. 'act.role' or 'actor.prior_sanctions[0].level'.",
                       pattern=FIELD_PATH, max_length=200)
    value: Any = Field(description="The answer's value as the question lists it (a date as YYYY-MM-DD).")


class QuestionsRequest(_Body):
    """A report that may still be partial, the fields answered "don't know", and optionally one more answer."""

    report: dict[str, Any] = Field(default_factory=dict, description="The report as it stands (see Fact); {} "
                                   "to start from nothing.")
    skip: list[Annotated[str, Field(pattern=FIELD_PATH, max_length=200)]] = Field(
        default_factory=list, max_length=500, description="Fields answered \"tidak tahu\" (don't know): not asked "
        "again.")
    answer: GivenAnswer | None = Field(default=None, description="An answer to put in the report first (as "
                                       "`netral-rules interview` does); refused with 422 if the report "
                                       "cannot take it.")


class ReportLine(_Body):
    """One field of the report as it stands, in words."""

    field: str
    label: Bilingual
    value: Bilingual


class StepWords(_Body):
    """What the step's data says, put in words by the service (from fact/labels.yaml and the condition words),
    so that a page shows no field path or code value."""

    headline: Bilingual | None = Field(description="The decision's status and its outcome or range; null while "
                                       "the report is not yet complete.")
    report: list[ReportLine] = Field(description="The report as it stands, field by field.")
    fields: dict[str, Bilingual] = Field(description="The label of every field the step names (questions, "
                                         "skipped, missing, irrelevant, readings).")
    matched: list[list[Bilingual]] = Field(description="Per finding, in order: the conditions that held, in "
                                           "words.")


class InterviewStep(Step):
    """The library's Step (see netral_rules.decide.questions.Step) with the service's words for it."""

    words: StepWords


class CompactDecision(BaseModel):
    """A decision in the compact form (``detail=compact``): what every decision repeats is written
    ``{"$ref": "<id>"}``, an entry of the catalogue ``catalogue`` names (``GET /v1/catalogue``); the other keys
    of such an object replace the entry's nulls. Expanded with that catalogue, it is exactly the full Decision."""

    model_config = ConfigDict(extra="allow", frozen=True)

    catalogue: str = Field(description="The id of the catalogue the references are entries of.")


class CatalogueBody(_Body):
    id: str = Field(description="A hash of the content: compact decisions name it.")
    objects: dict[str, Any] = Field(description="Every entry by its id, itself compact (entries refer to entries).")


class CatalogueRecord(_Body):
    """The texts compact decisions refer to, once: also the first line of ``check --detail compact``."""

    catalogue: CatalogueBody
