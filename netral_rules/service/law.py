"""The law the service decides with: article texts, rules, packs and the JSON Schemas.

Everything here is read from the snapshot current when the request starts, so it always describes the
packs that the decisions are made with.
"""

from __future__ import annotations

import json
from typing import Any, Literal, get_args

from fastapi import APIRouter, Depends, Query, Request, Response

from ..conditions.satisfy import possible_act_kinds
from ..decide.decision import decision_json_schema
from ..fact.fields import fact_fields
from ..fact.model import ElectionType, PilkadaOffice, fact_json_schema
from ..law.calendars import Calendar, calendar_json_schema
from ..law.citations import Citation, parse_citation
from ..law.load import LoadedRule
from ..law.schema import pack_json_schema
from .auth import reader
from .decide import query_date
from .engines import Snapshot
from .models import CalendarInfo, CalendarList, PackInfo, PackList, RuleInfo, RuleList
from .openapi_parts import ref, responses
from .state import service

router = APIRouter(prefix="/v1", dependencies=[Depends(reader)])

ACT_KINDS: tuple[str, ...] = fact_fields().fields["act.kind"].enum
ELECTION_TYPES: tuple[str, ...] = get_args(ElectionType)
OFFICES: tuple[str, ...] = get_args(PilkadaOffice)


class NotFound(Exception):
    """A rule, pack or article that the loaded packs do not have: 404 with the text of ``code``."""

    def __init__(self, code: str, **values: str) -> None:
        super().__init__(code)
        self.code = code
        self.values: dict[str, str] = values


def _json(model: Any) -> Response:
    return Response(model.model_dump_json().encode(), media_type="application/json")


# --- articles --------------------------------------------------------------------------------------


@router.get(
    "/articles",
    summary="The text of a cited article",
    description="The unit of law a citation names, with its verbatim text, the English gloss, the texts of "
    "its enclosing units and its provenance: as decisions quote it.",
    response_class=Response,
    responses=responses(ref("CitedArticle"), "The article.", 401, 404, 422),
)
async def article(request: Request, cite: str = Query(
        ..., description="A citation as lawyers write it, e.g. 'PP 94/2021 Pasal 5 huruf n angka 1'.",
        min_length=1, max_length=300)) -> Response:
    citation = parse_citation(cite)  # CitationError: 422
    with service(request).engines.use() as snap:
        lawbook = snap.engine.lawbook
        if citation not in lawbook.articles:
            raise NotFound("article_not_found", cite=str(citation))
        return _json(lawbook.cited(citation))


# --- rules -----------------------------------------------------------------------------------------


def _info(rule: LoadedRule, version: str) -> RuleInfo:
    r = rule.rule
    kinds = possible_act_kinds(rule.nnf)
    return RuleInfo(
        id=r.id, pack=rule.pack_id, pack_version=version, title=r.title, category=r.then.category,
        level=r.then.level, nature=r.then.nature, in_force_from=rule.in_force.from_,
        in_force_until=rule.in_force.until, binds=list(rule.binds),
        act_kinds=sorted(kinds) if kinds is not None else None,
        basis=[c.text for c in rule.basis], sanctions=[c.text for c in rule.sanctions], when=r.when,
        explain=r.explain, verification=r.provenance.status if r.provenance else None,
    )


def _rules(snap: Snapshot) -> list[tuple[LoadedRule, RuleInfo]]:
    # built once per snapshot: the rules do not change until a reload replaces the snapshot
    cached = snap.cache.get("rules")
    if cached is None:
        versions = {p.id: p.version for p in snap.engine.packs}
        cached = snap.cache["rules"] = [(r, _info(r, versions[r.pack_id])) for r in snap.engine.rules]
    return cached  # type: ignore[no-any-return, unused-ignore]


def _cites(rule: LoadedRule, article: Citation) -> bool:
    """Does the rule cite ``article`` or a unit inside it (basis or sanctions)?"""
    for ref_ in (*rule.basis, *rule.sanctions):
        unit = ref_.citation
        while unit is not None:
            if unit == article:
                return True
            unit = unit.parent()
    return False


@router.get(
    "/rules",
    summary="The rules, optionally filtered",
    description="Every loaded rule, in pack and rule order; filtered by a cited article (the rules whose basis "
    "or sanctions cite it or a unit inside it), by an act kind (the rules that can apply to an act of that "
    "kind) and by pack.",
    response_class=Response,
    responses=responses(ref("RuleList"), "The rules.", 401, 422),
)
async def rules(
    request: Request,
    article: str | None = Query(None, description="A citation, e.g. 'PP 94/2021 Pasal 5 huruf n'.", min_length=1,
                                max_length=300),
    act_kind: Literal[ACT_KINDS] | None = Query(None, description="An act kind, e.g. 'social_media'."),  # type: ignore[valid-type]
    pack: str | None = Query(None, description="A pack id, e.g. 'pp_94_2021'.", max_length=200),
) -> Response:
    wanted = parse_citation(article) if article is not None else None
    with service(request).engines.use() as snap:
        found = [
            info for rule, info in _rules(snap)
            if (wanted is None or _cites(rule, wanted))
            and (act_kind is None or info.act_kinds is None or act_kind in info.act_kinds)
            and (pack is None or info.pack == pack)
        ]
        return _json(RuleList(revision=snap.revision, count=len(found), rules=found))


@router.get(
    "/rules/{rule_id}",
    summary="One rule",
    response_class=Response,
    responses=responses(ref("RuleInfo"), "The rule.", 401, 404, 422),
)
async def rule(request: Request, rule_id: str) -> Response:
    with service(request).engines.use() as snap:
        return _one([info for _, info in _rules(snap)], rule_id, "rule_not_found", "rule_id")


def _one(items: list[RuleInfo] | list[PackInfo], wanted: str, code: str, name: str) -> Response:
    for item in items:
        if item.id == wanted:
            return _json(item)
    raise NotFound(code, **{name: wanted})


# --- packs -----------------------------------------------------------------------------------------


def _packs(snap: Snapshot) -> list[PackInfo]:
    by_id = {p.id: p for p in snap.engine.packs}
    out = []
    for ref_ in snap.engine.law.pack_refs:
        pack = by_id[ref_.id]
        out.append(PackInfo(
            **ref_.model_dump(), title=pack.manifest.instrument.title, binds=list(pack.manifest.binds.statuses),
            rules=len(pack.rules), articles=len(pack.articles), scenarios=len(pack.scenarios),
        ))
    return out


@router.get(
    "/packs",
    summary="The loaded packs with versions and hashes",
    description="Each pack's id, version and sha256 over its files (as in every decision's audit), its "
    "instrument and in-force period; `revision` names the whole set, the election calendars included.",
    response_class=Response,
    responses=responses(ref("PackList"), "The packs.", 401),
)
async def packs(request: Request) -> Response:
    with service(request).engines.use() as snap:
        return _json(PackList(revision=snap.revision, generation=snap.generation, packs=_packs(snap)))


@router.get(
    "/packs/{pack_id}",
    summary="One pack",
    response_class=Response,
    responses=responses(ref("PackInfo"), "The pack.", 401, 404, 422),
)
async def pack(request: Request, pack_id: str) -> Response:
    with service(request).engines.use() as snap:
        return _one(_packs(snap), pack_id, "pack_not_found", "pack_id")


# --- calendars -------------------------------------------------------------------------------------


def _calendar_info(calendar: Calendar) -> CalendarInfo:
    lo, hi = calendar.span
    return CalendarInfo(id=calendar.id, kind=calendar.kind, name=calendar.model.name, title=calendar.model.title,
                        covers_from=lo, covers_until=hi, contests=list(calendar.model.contests),
                        sha256=calendar.digest)


@router.get(
    "/calendars",
    summary="The election calendars, optionally those covering a day",
    description="Every loaded election calendar (`rules/calendars/`), by id. With `on`, only the elections "
    "whose cycle covers that day, and with `type` (and `office`) only those holding that contest: the "
    "answers to \"which election?\" for a report of that day.",
    response_class=Response,
    responses=responses(ref("CalendarList"), "The calendars.", 401, 422),
)
async def calendars(
    request: Request,
    on: str | None = Query(None, description="A day (YYYY-MM-DD): only the calendars covering it.",
                           pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", json_schema_extra={"format": "date"}),
    election_type: Literal[ELECTION_TYPES] | None = Query(  # type: ignore[valid-type]
        None, alias="type", description="A contest as a fact names it in `context.election.type`, e.g. 'pilkada'."),
    office: Literal[OFFICES] | None = Query(  # type: ignore[valid-type]
        None, description="For a regional election: 'governor' or 'regent_mayor'."),
) -> Response:
    day = query_date(on, "on")
    with service(request).engines.use() as snap:
        found = list(snap.engine.calendars)
        if day is not None:
            found = list(snap.engine.calendars.covering(day, election_type=election_type, office=office))
        elif election_type is not None or office is not None:
            found = [c for c in found if c.contests_for(election_type, office)]
        return _json(CalendarList(count=len(found), calendars=[_calendar_info(c) for c in found]))


@router.get(
    "/calendars/{election_id}",
    summary="One election calendar, whole",
    description="The calendar file as legal staff maintain it: every date with its source, article and "
    "provenance, the dates left out with the reason, and the research notes.",
    response_class=Response,
    responses=responses(ref("CalendarFile"), "The calendar.", 401, 404, 422),
)
async def calendar(request: Request, election_id: str) -> Response:
    with service(request).engines.use() as snap:
        found = snap.engine.calendars.get(election_id)
        if found is None:
            raise NotFound("calendar_not_found", election_id=election_id)
        return Response(found.model.model_dump_json(by_alias=True).encode(), media_type="application/json")


# --- the catalogue of compact decisions ------------------------------------------------------------


@router.get(
    "/catalogue",
    summary="The texts compact decisions refer to",
    description="Every entry a compact decision (`detail=compact`) can refer to with `{\"$ref\": id}`: articles, "
    "sanction menus and types, notes, packs, titles, the static part of each rule's finding and of the audit, "
    "the words of readings. Its `id` is a hash of its content, which compact decisions name, and the answer's "
    "ETag: send it as If-None-Match to be answered 304 while it has not changed.",
    response_class=Response,
    responses={**responses(ref("CatalogueRecord"), "The catalogue record.", 401),
               304: {"description": "The catalogue named by If-None-Match is current."}},
)
async def catalogue(request: Request) -> Response:
    with service(request).engines.use() as snap:
        found = snap.engine.catalogue()
    etag = f'"{found.id}"'
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers={"ETag": etag})
    return Response(found.json(), media_type="application/json", headers={"ETag": etag})


# --- schemas ---------------------------------------------------------------------------------------


@router.get(
    "/schemas/{kind}",
    summary="A JSON Schema: fact, pack, decision or calendar",
    description="The JSON Schemas `netral-rules schema` prints. For `pack`, `file` picks one file kind.",
    response_class=Response,
    responses=responses({"type": "object"}, "The JSON Schema.", 401, 422),
)
async def schema(
    kind: Literal["fact", "pack", "decision", "calendar"],
    file: Literal["pack", "articles", "rules", "tests"] | None = Query(
        None, description="For kind 'pack': one file kind (default: all of them)."),
) -> Response:
    if kind == "fact":
        data = fact_json_schema()
    elif kind == "decision":
        data = decision_json_schema()
    elif kind == "calendar":
        data = calendar_json_schema()
    else:
        data = pack_json_schema(file)
    return Response(json.dumps(data, ensure_ascii=False).encode(), media_type="application/json")


__all__ = ["NotFound", "router"]
