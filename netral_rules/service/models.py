"""The bodies the service answers with, besides decisions (:class:`netral_rules.Decision`) and errors
(:class:`.errors.ErrorBody`): pydantic models, so that the OpenAPI document describes exactly what is sent."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..decide.decision import PackRef
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
