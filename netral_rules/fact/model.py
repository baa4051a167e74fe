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
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetPydanticSchema,
    Strict,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError, core_schema

from ..errors import FactError, Problem
from ..messages import text
from ..vocabulary import Status

EmploymentStatus = Status
PositionType = Literal[
    "jpt_madya", "jpt_pratama", "administrator", "pengawas", "pelaksana", "fungsional"
]
ElectionType = Literal["pilpres", "pileg_dpr", "pileg_dpd", "pileg_dprd", "pilkada"]
PilkadaOffice = Literal["governor", "regent_mayor"]
CandidateStage = Literal["bakal_calon", "calon"]
Audience = Literal["colleagues", "family", "public"]


# --- strict values ---------------------------------------------------------------------------------
#
# A legal decision must not rest on a guess about what the caller meant: pydantic's default would read "no",
# "off", "f" and 0 as false, "yes" and 1 as true, "5" as 5, and a Unix timestamp or a midnight date-time as
# a date. Facts are strict instead, and the JSON Schema says the same: a flag is a JSON boolean, a count a
# JSON integer (not 5.0, not "5"), a date the text YYYY-MM-DD (or a date object from Python). Duplicate
# keys are refused where the JSON is read (fact/jsonread.py).

DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DATE_TEXT = re.compile(DATE_PATTERN)


def _date_only(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _DATE_TEXT.match(value):
        return value  # pydantic reads it, and says so if the day does not exist
    raise PydanticCustomError("date_format", text("fact.date_format"))


# From JSON text, pydantic's strict date is exactly YYYY-MM-DD, checked in its own code (no Python call per
# date); from Python data (a dict that json.loads made, YAML), _date_only checks the form first. JSON text
# that fails is read again as Python data (parse_fact, the batch), so the error is always date_format.
Date = Annotated[
    dt.date,
    GetPydanticSchema(lambda _type, _handler: core_schema.json_or_python_schema(
        json_schema=core_schema.date_schema(strict=True),
        python_schema=core_schema.no_info_before_validator_function(_date_only, core_schema.date_schema()),
    )),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
Flag = Annotated[bool, Strict()]
Count = Annotated[int, Strict()]
Amount = Annotated[float, Strict()]  # a JSON number: 2 and 2.5, not "2.5"


class _Model(BaseModel):
    # no NaN or infinity: they break JSON round trips and have no meaning for days or hours
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class PriorSanction(_Model):
    """A disciplinary or ethics sanction imposed on the actor before this act (PP 94/2021 Pasal 35 ayat (2))."""

    imposed_on: Date = Field(description="Date the sanction decision was imposed.")
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
    on_unpaid_leave: Flag | None = Field(
        default=None, description="On cuti di luar tanggungan negara (CLTN) when the act happened."
    )
    prior_sanctions: tuple[PriorSanction, ...] = ()


class Election(_Model):
    """The election the act relates to, and the status of the person supported.

    The election may be named by its calendar id (``pemilu-2024``, ``pilkada-2024``, see ``rules/calendars``):
    the engine then derives the stage and the campaign flag from the calendar for the act's date. Explicit
    values and dates here always win over the calendar.
    """

    id: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="The election, as the id of its calendar (e.g. `pemilu-2024`, `pilkada-2024`).",
    )
    type: ElectionType | None = Field(
        default=None, description="The contest: pilpres, pileg_dpr, pileg_dpd, pileg_dprd or pilkada."
    )
    office: PilkadaOffice | None = Field(
        default=None,
        description="For a regional election (pilkada): governor, or regent_mayor (bupati or wali kota).",
    )
    candidate_stage: CandidateStage | None = Field(
        default=None,
        description="bakal_calon (prospective, before KPU determination) or calon (determined). "
        "If omitted, it is derived from `candidate_determined_on`, or else from the election's calendar.",
    )
    candidate_determined_on: Date | None = Field(
        default=None, description="Date the election commission determined the candidates (penetapan)."
    )
    campaign_start: Date | None = None
    campaign_end: Date | None = None
    in_campaign_period: Flag | None = Field(
        default=None,
        description="Whether the act fell in the campaign period. If omitted, derived from the "
        "campaign dates, or else from the election's calendar.",
    )

    @field_validator("office")
    @classmethod
    def _office_of_pilkada(cls, value: str | None, info: ValidationInfo) -> str | None:
        # governor and regent/mayor are contests of a regional election only (`type` is validated first)
        if value is not None and info.data.get("type") not in (None, "pilkada"):
            raise PydanticCustomError(
                "office_not_pilkada", "office (governor or regent_mayor) applies only to a regional election (pilkada)"
            )
        return value


class Context(_Model):
    during_working_hours: Flag | None = None
    election: Election | None = None
    examined_before_pp94: Flag | None = Field(
        default=None,
        description="For an act before 2021-08-31: whether the disciplinary examination (pemeriksaan) had been "
        "carried out before PP 94/2021 came into force (PP 94/2021 Pasal 40 ayat (3) and (4)).",
    )


# --- the act, a discriminated union by ``kind`` ----------------------------------------------------


class SocialMediaAct(_Model):
    kind: Literal["social_media"]
    action: Literal["post", "share", "like", "comment", "follow", "join_group", "photo"]
    platform: str | None = Field(default=None, description="facebook, instagram, whatsapp, ...")
    partisan_symbol: Flag | None = Field(
        default=None,
        description="A photo or post shows a partisan hand sign, party attribute or campaign prop.",
    )
    supports_candidate: Flag | None = Field(
        default=None, description="The content supports or promotes a (prospective) candidate or party."
    )


class CampaignAttendanceAct(_Model):
    kind: Literal["campaign_attendance"]
    role: Literal["listener", "participant", "speaker", "organiser", "campaign_team"]
    party_attributes: Flag | None = Field(
        default=None, description="Wore or used clothing, vehicles or media with party/candidate images."
    )
    civil_service_attributes: Flag | None = Field(
        default=None, description="Korpri or service uniform, service vehicle, and the like."
    )
    state_facilities: Flag | None = None
    mobilised_civil_servants: Flag | None = None
    registered_campaign_team: Flag | None = Field(
        default=None, description="Registered as campaign executor or campaign team (pelaksana/tim kampanye)."
    )
    active_support: Flag | None = Field(
        default=None,
        description="Actively showed partisan support at the campaign (SKB 2/2022 Lampiran II huruf B angka 4: "
        "attending a campaign and giving partisan acts or support).",
    )
    spouse_is_candidate: Flag | None = None


class DeclarationAttendanceAct(_Model):
    kind: Literal["declaration_attendance"]
    active_support: Flag | None = Field(default=None, description="Actively showed support.")
    spouse_is_candidate: Flag | None = None


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
    with_id_copy: Flag | None = Field(default=None, description="Letter accompanied by a KTP/SKTP copy.")
    collected_id_copies: Flag | None = Field(default=None, description="Collected others' KTP copies.")


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
    determined_as_candidate: Flag | None = None
    resigned_in_writing: Flag | None = None


class CampaignRoleAct(_Model):
    kind: Literal["campaign_role"]
    role: Literal["expert", "winning_team", "consultant"]


class NominationApproachAct(_Model):
    kind: Literal["nomination_approach"]
    target: Literal["party", "public"]


class AbsenceAct(_Model):
    kind: Literal["absence"]
    cumulative_days: Count | None = Field(
        default=None, ge=0, le=366, description="Working days absent without valid reason this calendar year."
    )
    consecutive_days: Count | None = Field(
        default=None, ge=0, le=366, description="Longest run of consecutive working days absent."
    )
    hours_absent: Amount | None = Field(
        default=None,
        ge=0,
        description="Hours away from duty in the current year (late arrival, early departure, time away during "
        "working hours), when the report counts hours instead of working days.",
    )
    political_talk: Flag | None = Field(default=None, description="Spent the time discussing politics.")


class SupervisorInactionAct(_Model):
    kind: Literal["supervisor_inaction"]
    subordinate_violation_level: Literal["ringan", "sedang", "berat"] | None = None


class VotingAct(_Model):
    kind: Literal["voting"]


class CivicEventAct(_Model):
    kind: Literal["civic_event"]
    partisan: Flag | None = Field(default=None, description="The event was partisan.")


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
    occurred_on: Date = Field(description="Date of the act; selects the law in force (tempus delicti).")
    actor: Actor
    context: Context = Context()
    act: Act
    description: str | None = Field(default=None, description="Free text; never read by rules.")


def problems_from_validation(exc: ValidationError, data: Any = None) -> list[Problem]:
    """One :class:`Problem` per failing field, each with its JSON path, in words (see :mod:`.problems`)."""
    from .problems import fact_problems

    return fact_problems(exc, data)


def parse_fact(data: Any) -> Fact:
    """Validate a JSON-compatible dict (or a JSON string, or a :class:`Fact`) into a :class:`Fact`.

    Raises :class:`FactError` listing every problem with its JSON path (in JSON text, a key written twice
    in an object is one).
    """
    if isinstance(data, Fact):
        return data
    if isinstance(data, (str, bytes)):
        from .jsonread import duplicate_free, loads, read_json  # it reads the model's paths: imported when used

        try:
            fact = Fact.model_validate_json(data)
        except ValidationError:
            # read again as Python data: the errors (and their codes) are those of a dict, every time, and
            # JSON that does not read is told in words (read_json raises FactError)
            data = read_json(data, document=True)
        else:
            raw = data.encode() if isinstance(data, str) else data
            if not duplicate_free(raw, fact):
                loads(raw)  # raises FactError for a key written twice, with its path
            return fact
    if not isinstance(data, dict):
        raise FactError(text("fact.summary", count=1), [not_an_object(data)])
    try:
        return Fact.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation(exc, data)
        raise FactError(text("fact.summary", count=len(problems)), problems) from None


def not_an_object(value: Any) -> Problem:
    """The problem of a record that is JSON but not an object (a list, a number, a text, null)."""
    from .problems import shown_value

    return Problem(text("fact.not_an_object", label=text("fact.the_report"), value=shown_value(value)), "$",
                   code="type")


def fact_json_schema() -> dict[str, Any]:
    schema = Fact.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "netral-rules fact"
    schema["$comment"] = (
        "Strict: a flag is a JSON boolean (not 0/1 or 'yes'/'no'), a count a JSON integer (not 5.0 or '5'), a "
        "date the text YYYY-MM-DD (not a timestamp or a date-time), and no object may write a key twice "
        "(JSON Schema cannot say the last; netral-rules refuses it with the key's path)."
    )
    return schema

