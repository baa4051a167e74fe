"""The typed fact model: one fact is one reported act by one civil servant (ASN).

The model is deliberately plain data: frozen pydantic models, extra fields forbidden, enums as string
literals, dates as dates. Unknown information is ``None`` and never guessed; a rule that needs a field
the fact leaves ``None`` is reported as undetermined in the decision, not silently passed.

Rule packs address fields by dotted path (``act.mobilised_civil_servants``). The catalogue of valid
paths and their types is derived from these models (see :mod:`netral_rules.fieldmap`), so adding a
field here makes it available to every pack, to the linter and to both backends at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import FactError, Problem
from ..vocabulary import Status

EmploymentStatus = Status
PositionType = Literal[
    "jpt_madya", "jpt_pratama", "administrator", "pengawas", "pelaksana", "fungsional"
]
ElectionType = Literal["pilpres", "pileg_dpr", "pileg_dpd", "pileg_dprd", "pilkada"]
CandidateStage = Literal["bakal_calon", "calon"]
Audience = Literal["colleagues", "family", "public"]


class _Model(BaseModel):
    # no NaN or infinity: they break JSON round trips and have no meaning for days or hours
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class PriorSanction(_Model):
    """A disciplinary or ethics sanction imposed on the actor before this act (PP 94/2021 Pasal 35 ayat (2))."""

    imposed_on: dt.date = Field(description="Date the sanction decision was imposed.")
    level: Literal["ringan", "sedang", "berat", "moral"]
    nature: str | None = Field(
        default=None,
        description="The nature of the violation punished (a rule's `nature`, e.g. `netralitas`, "
        "`kehadiran`); a repeat of the same nature escalates.",
    )
    sanction: str | None = Field(
        default=None,
        description="The sanction type imposed, as an option code of a sanction menu "
        "(e.g. `pp94.8.3.a`); lets the repeat rule pick only heavier types.",
    )


class Actor(_Model):
    """The civil servant who committed the act."""

    status: EmploymentStatus = Field(description="pns, cpns (candidate PNS) or pppk (contract ASN).")
    name: str | None = Field(default=None, description="Name or label used in explanations.")
    position: PositionType | None = None
    on_unpaid_leave: bool | None = Field(
        default=None, description="On cuti di luar tanggungan negara (CLTN) when the act happened."
    )
    prior_sanctions: tuple[PriorSanction, ...] = ()


class Election(_Model):
    """The election the act relates to, and the status of the person supported."""

    type: ElectionType | None = None
    candidate_stage: CandidateStage | None = Field(
        default=None,
        description="bakal_calon (prospective, before KPU determination) or calon (determined). "
        "If omitted, it is derived from `candidate_determined_on`.",
    )
    candidate_determined_on: dt.date | None = Field(
        default=None, description="Date the election commission determined the candidates (penetapan)."
    )
    campaign_start: dt.date | None = None
    campaign_end: dt.date | None = None
    in_campaign_period: bool | None = Field(
        default=None,
        description="Whether the act fell in the campaign period. If omitted, derived from the "
        "campaign dates.",
    )


class Context(_Model):
    during_working_hours: bool | None = None
    election: Election | None = None
    examined_before_pp94: bool | None = Field(
        default=None,
        description="For an act before 2021-08-31: whether the disciplinary examination (pemeriksaan) had been "
        "carried out before PP 94/2021 came into force (PP 94/2021 Pasal 40 ayat (3) and (4)).",
    )


# --- the act, a discriminated union by ``kind`` ----------------------------------------------------


class SocialMediaAct(_Model):
    kind: Literal["social_media"]
    action: Literal["post", "share", "like", "comment", "follow", "join_group", "photo"]
    platform: str | None = Field(default=None, description="facebook, instagram, whatsapp, ...")
    partisan_symbol: bool | None = Field(
        default=None,
        description="A photo or post shows a partisan hand sign, party attribute or campaign prop.",
    )
    supports_candidate: bool | None = Field(
        default=None, description="The content supports or promotes a (prospective) candidate or party."
    )


class CampaignAttendanceAct(_Model):
    kind: Literal["campaign_attendance"]
    role: Literal["listener", "participant", "speaker", "organiser", "campaign_team"]
    party_attributes: bool | None = Field(
        default=None, description="Wore or used clothing, vehicles or media with party/candidate images."
    )
    civil_service_attributes: bool | None = Field(
        default=None, description="Korpri or service uniform, service vehicle, and the like."
    )
    state_facilities: bool | None = None
    mobilised_civil_servants: bool | None = None
    registered_campaign_team: bool | None = Field(
        default=None, description="Registered as campaign executor or campaign team (pelaksana/tim kampanye)."
    )
    active_support: bool | None = Field(
        default=None,
        description="Actively showed partisan support at the campaign (SKB 2/2022 Lampiran II huruf B angka 4: "
        "attending a campaign and giving partisan acts or support).",
    )
    spouse_is_candidate: bool | None = None


class DeclarationAttendanceAct(_Model):
    kind: Literal["declaration_attendance"]
    active_support: bool | None = Field(default=None, description="Actively showed support.")
    spouse_is_candidate: bool | None = None


class CampaignPropsAct(_Model):
    kind: Literal["campaign_props"]
    prop: Literal["banner", "billboard", "other"] = "banner"


class OfficialDecisionAct(_Model):
    kind: Literal["official_decision"]
    effect: Literal["favours", "harms"]


class PartisanActivityAct(_Model):
    kind: Literal["partisan_activity"]
    activity: Literal["meeting", "invitation", "appeal", "call", "goods"]
    audience: Audience | None = None


class SupportLetterAct(_Model):
    kind: Literal["support_letter"]
    with_id_copy: bool | None = Field(default=None, description="Letter accompanied by a KTP/SKTP copy.")
    collected_id_copies: bool | None = Field(default=None, description="Collected others' KTP copies.")


class PartyMembershipAct(_Model):
    kind: Literal["party_membership"]
    role: Literal["member", "board"]


class CandidacyAct(_Model):
    kind: Literal["candidacy"]
    office: Literal[
        "president",
        "vice_president",
        "dpr",
        "dpd",
        "dprd",
        "governor",
        "vice_governor",
        "regent_mayor",
        "vice_regent_mayor",
    ]
    determined_as_candidate: bool | None = None
    resigned_in_writing: bool | None = None


class CampaignRoleAct(_Model):
    kind: Literal["campaign_role"]
    role: Literal["expert", "winning_team", "consultant"]


class NominationApproachAct(_Model):
    kind: Literal["nomination_approach"]
    target: Literal["party", "public"]


class AbsenceAct(_Model):
    kind: Literal["absence"]
    cumulative_days: int | None = Field(
        default=None, ge=0, le=366, description="Working days absent without valid reason this calendar year."
    )
    consecutive_days: int | None = Field(
        default=None, ge=0, le=366, description="Longest run of consecutive working days absent."
    )
    hours_absent: float | None = Field(
        default=None, ge=0, description="Hours away from duty when less than whole days are known."
    )
    political_talk: bool | None = Field(default=None, description="Spent the time discussing politics.")


class SupervisorInactionAct(_Model):
    kind: Literal["supervisor_inaction"]
    subordinate_violation_level: Literal["ringan", "sedang", "berat"] | None = None


class VotingAct(_Model):
    kind: Literal["voting"]


class CivicEventAct(_Model):
    kind: Literal["civic_event"]
    partisan: bool | None = Field(default=None, description="The event was partisan.")


Act = Annotated[
    SocialMediaAct
    | CampaignAttendanceAct
    | DeclarationAttendanceAct
    | CampaignPropsAct
    | OfficialDecisionAct
    | PartisanActivityAct
    | SupportLetterAct
    | PartyMembershipAct
    | CandidacyAct
    | CampaignRoleAct
    | NominationApproachAct
    | AbsenceAct
    | SupervisorInactionAct
    | VotingAct
    | CivicEventAct,
    Field(discriminator="kind"),
]

ACT_MODELS: tuple[type[_Model], ...] = (
    SocialMediaAct,
    CampaignAttendanceAct,
    DeclarationAttendanceAct,
    CampaignPropsAct,
    OfficialDecisionAct,
    PartisanActivityAct,
    SupportLetterAct,
    PartyMembershipAct,
    CandidacyAct,
    CampaignRoleAct,
    NominationApproachAct,
    AbsenceAct,
    SupervisorInactionAct,
    VotingAct,
    CivicEventAct,
)


class Fact(_Model):
    """One reported act by one ASN."""

    id: str | None = Field(default=None, description="The caller's id for the report; echoed in the decision.")
    occurred_on: dt.date = Field(description="Date of the act; selects the law in force (tempus delicti).")
    actor: Actor
    context: Context = Context()
    act: Act
    description: str | None = Field(default=None, description="Free text; never read by rules.")

    @field_validator("occurred_on", mode="before")
    @classmethod
    def _date_only(cls, value: Any) -> Any:
        # A datetime would silently pass as a date; a time of day means the caller sent the wrong field.
        if isinstance(value, dt.datetime):
            raise ValueError("expected a date (YYYY-MM-DD), got a date-time")
        return value


def problems_from_validation(exc: ValidationError, data: Any = None) -> list[Problem]:
    """One :class:`Problem` per failing field, each with its JSON path, in words (see :mod:`.problems`)."""
    from .problems import fact_problems

    return fact_problems(exc, data)


def parse_fact(data: Any) -> Fact:
    """Validate a JSON-compatible dict (or a JSON string, or a :class:`Fact`) into a :class:`Fact`.

    Raises :class:`FactError` listing every problem with its JSON path.
    """
    if isinstance(data, Fact):
        return data
    try:
        if isinstance(data, (str, bytes)):
            return Fact.model_validate_json(data)
        if not isinstance(data, dict):
            raise FactError(
                "a fact must be a JSON object",
                [Problem(f"expected an object, got {type(data).__name__}", "$", code="type")],
            )
        return Fact.model_validate(data)
    except ValidationError as exc:
        from ..messages import text

        problems = problems_from_validation(exc, data if isinstance(data, dict) else None)
        raise FactError(text("fact.summary", count=len(problems)), problems) from None


def fact_json_schema() -> dict[str, Any]:
    schema = Fact.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "netral-rules fact"
    return schema

