"""Election calendars as data: the dates of the election commission (KPU) behind the candidate stage and the
campaign period.

Whether a supported person was a prospective candidate (bakal calon) or a determined one (calon) decides
between an ethics and a discipline violation (SKB 2022); whether an act fell in the campaign period decides
whether party attributes count (PP 94/2021 Penjelasan Pasal 5 huruf n angka 2). Legal staff keep one YAML
file per election in ``rules/calendars/`` (``pemilu-2024.yaml``, ``pilkada-2024.yaml``, ...), beside the
packs and read with the same positions-keeping reader. Each file gives, by contest, the day the candidates
were determined (penetapan), the campaign period, the quiet period, voting day and any second round, every
date with its source (a KPU regulation or decision, keyed in ``sources``) and its provenance status. A date
that could not be found is left out and listed under ``missing`` with the reason; nothing is inferred
from rules such as "the campaign starts three days after penetapan".

This module holds the file format (pydantic, so also JSON Schema), loading with positioned problems, the
checks ``netral-rules validate`` runs on calendars, and the questions asked of a calendar: which contests
a fact may mean, whether a date is covered, the stage and the campaign flag on a day, and which elections
cover a day (for the interview). What the engine makes of the answers is in :mod:`netral_rules.fact.derive`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from .._fast import build
from ..errors import PackError, Position, Problem
from ..fact.labels import labels
from ..messages import default_lang
from ..vocabulary import Bilingual, VerificationStatus
from .load import _validate
from .yamlread import Located, PathKey, read_yaml_file

CALENDARS_DIR = "calendars"

ElectionKind = Literal["pemilu", "pilkada"]
ContestKey = Literal["presidential", "dpr", "dpd", "dprd", "governor", "regent_mayor"]
Stage = Literal["bakal_calon", "calon"]
MissingItem = Literal[
    "cycle.from", "cycle.until", "determination", "campaign.from", "campaign.until", "quiet", "voting", "runoff"
]

# which contests each kind of election holds, in the order they are shown
KIND_CONTESTS: dict[str, tuple[str, ...]] = {
    "pemilu": ("presidential", "dpr", "dpd", "dprd"),
    "pilkada": ("governor", "regent_mayor"),
}
# the fact names the contest by `context.election.type` (and `office` for a regional election)
TYPE_CONTESTS: dict[str, tuple[str, ...]] = {
    "pilpres": ("presidential",),
    "pileg_dpr": ("dpr",),
    "pileg_dpd": ("dpd",),
    "pileg_dprd": ("dprd",),
    "pilkada": ("governor", "regent_mayor"),
}
OFFICE_CONTEST: dict[str, str] = {"governor": "governor", "regent_mayor": "regent_mayor"}
# a contest is named in words as the fact labels name its election type (or pilkada office)
CONTEST_LABEL: dict[str, tuple[str, str]] = {
    "presidential": ("context.election.type", "pilpres"),
    "dpr": ("context.election.type", "pileg_dpr"),
    "dpd": ("context.election.type", "pileg_dpd"),
    "dprd": ("context.election.type", "pileg_dprd"),
    "governor": ("context.election.office", "governor"),
    "regent_mayor": ("context.election.office", "regent_mayor"),
}

_ID = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"


# --- the file format -------------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class CalendarSource(_Strict):
    """A regulation or decision that dates are taken from, named once and referred to by its key."""

    cite: str = Field(min_length=1, description="Short citation as lawyers write it, e.g. 'PKPU 3/2022'.")
    title: str = Field(min_length=1, description="Full title of the instrument.")
    read: Literal["primary", "secondary"] = Field(
        description="primary: the instrument's own text was read; secondary: only reports of it."
    )
    where: str = Field(min_length=1, description="Where it was read, or why its text could not be found.")


class _Sourced(_Strict):
    source: str = Field(description="A key of `sources`.")
    article: str | None = Field(default=None, description="The article, Lampiran row or decision part.")
    provenance: VerificationStatus = Field(
        description="verified_primary (read in the instrument's text, quoted in `quote`), verified_secondary "
        "(from reports named in `via`) or unverified."
    )
    via: str | None = Field(default=None, description="The secondary sources the date was read in.")
    quote: str | None = Field(default=None, description="The instrument's text, for a verified_primary date.")
    note: str | None = Field(default=None, description="Disagreements between sources, caveats.")


class DateEntry(_Sourced):
    date: dt.date


class PeriodEntry(_Sourced):
    """A period whose first and last day both belong to it. A bound that could not be found is left out."""

    from_: dt.date | None = Field(default=None, alias="from")
    until: dt.date | None = None


class Span(_Strict):
    from_: dt.date | None = Field(default=None, alias="from")
    until: dt.date | None = None


class Runoff(_Sourced):
    """A second round (putaran kedua): scheduled, and held or not. A region limits it to one province."""

    held: bool = Field(description="Whether the second round took place; only a held one counts as campaign.")
    region: str | None = Field(default=None, description="The one region it concerns (e.g. DKI Jakarta).")
    determination: dt.date | None = Field(default=None, description="Determination of the second-round pairs.")
    campaign: Span | None = None
    quiet: Span | None = None
    voting: dt.date | None = None


class Contest(_Strict):
    determination: DateEntry | None = Field(default=None, description="The day the candidates were determined.")
    campaign: PeriodEntry | None = None
    quiet: PeriodEntry | None = Field(default=None, description="The quiet period (masa tenang).")
    voting: DateEntry | None = None
    runoff: Runoff | None = None


class Cycle(_Strict):
    """The first and last dated stage of the election (tahapan); dates outside it are not covered."""

    from_: DateEntry | None = Field(default=None, alias="from")
    until: DateEntry | None = None


class Missing(_Strict):
    """A date that could not be found, and so is left out."""

    contest: ContestKey | Literal["all"]
    item: MissingItem
    why: str = Field(min_length=1)
    tried: str | None = Field(default=None, description="What was searched.")


class Gap(_Strict):
    """Something else that could not be verified (a regulation's text, a decision number)."""

    what: str = Field(min_length=1)
    why: str = Field(min_length=1)
    tried: str | None = None


class CalendarFile(_Strict):
    """One election's calendar (``rules/calendars/<id>.yaml``)."""

    id: str = Field(pattern=_ID, description="The election id a fact names, e.g. pemilu-2024; the file's name.")
    kind: ElectionKind
    name: Bilingual = Field(description="Short name used in decisions, e.g. Pemilu 2024 / 2024 general election.")
    title: Bilingual = Field(description="Formal name of the election.")
    sources: dict[str, CalendarSource] = Field(min_length=1)
    cycle: Cycle = Cycle()
    contests: dict[ContestKey, Contest] = Field(min_length=1)
    missing: list[Missing] = Field(default_factory=list)
    gaps: list[Gap] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="Research notes on the calendar as a whole.")


def calendar_json_schema() -> dict[str, Any]:
    schema = CalendarFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "netral-rules election calendar"
    return schema


# --- loaded calendars ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dated:
    """One dated calendar item of a contest (or of the cycle), as reported in decisions and the catalogue."""

    item: str  # determination, campaign, quiet, voting, runoff, cycle.from, cycle.until
    start: dt.date | None
    end: dt.date | None  # equal to start for a single day
    entry: _Sourced
    path: PathKey


@dataclass(eq=False)
class Calendar:
    """One loaded calendar: the file's model, where it was read (with positions) and its content hash.
    Not changed after loading; what is asked of it is computed once here."""

    model: CalendarFile
    file: str
    located: Located
    digest: str
    span: tuple[dt.date, dt.date] = field(init=False)  # the days it covers (see covers)
    _dated: dict[str | None, tuple[Dated, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.span = _span(self.model)
        self._dated = {c: tuple(self._items(c)) for c in (None, *self.model.contests)}

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def kind(self) -> str:
        return self.model.kind

    def source(self, key: str) -> CalendarSource:
        return self.model.sources[key]

    def contest(self, key: str) -> Contest:
        """One contest of the calendar (keys are the contest names of :data:`KIND_CONTESTS`)."""
        return self.model.contests[key]  # type: ignore[index]

    def contests_for(self, election_type: str | None, office: str | None = None) -> tuple[str, ...]:
        """The contests of this calendar that a fact with this type (and office) may mean."""
        wanted = TYPE_CONTESTS.get(election_type, ()) if election_type else KIND_CONTESTS[self.kind]
        if office is not None and (election_type in (None, "pilkada")):
            wanted = tuple(c for c in wanted if c == OFFICE_CONTEST.get(office))
        return tuple(c for c in wanted if c in self.model.contests)

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` lies in the election's cycle as far as the calendar knows it.

        A cycle bound that could not be found is replaced by the calendar's earliest (or latest) date: that
        stage certainly belonged to the cycle, so the calendar never claims a day it knows nothing about.
        """
        return self.span[0] <= day <= self.span[1]

    def stage_on(self, contest: str, day: dt.date) -> Stage | None:
        """bakal_calon before the contest's determination day, calon from it on; None without that day."""
        det = self.contest(contest).determination
        if det is None:
            return None
        return "calon" if day >= det.date else "bakal_calon"

    def campaign_on(self, contest: str, day: dt.date) -> tuple[bool | None, str]:
        """(inside the campaign period?, the item that says so or why it is unknown).

        The item is ``campaign`` or ``runoff`` (a held national second round). ``None`` when the calendar
        cannot tell, with the reason: ``no_campaign`` (no campaign dates), ``partial_campaign`` (one end is
        missing and the day lies on its side), ``regional_runoff`` (a held second round limited to one region
        was campaigning that day, and the fact does not say the region). A second round that was not held
        never counts: its campaign did not take place.
        """
        c = self.contest(contest)
        camp = c.campaign
        if camp is None or (camp.from_ is None and camp.until is None):
            return None, "no_campaign"
        if (camp.from_ is None and camp.until is not None and day <= camp.until) or (
            camp.until is None and camp.from_ is not None and day >= camp.from_
        ):
            return None, "partial_campaign"
        if (camp.from_ is None or camp.from_ <= day) and (camp.until is None or day <= camp.until):
            return True, "campaign"
        run = c.runoff
        if run is not None and run.held and run.campaign is not None:
            lo, hi = run.campaign.from_, run.campaign.until
            if lo is not None and hi is not None and lo <= day <= hi:
                return (True, "runoff") if run.region is None else (None, "regional_runoff")
        return False, "campaign"

    def dated(self, contest: str | None = None) -> tuple[Dated, ...]:
        """The dated items of one contest (``None``: of the cycle), in calendar order."""
        return self._dated[contest]

    def item(self, contest: str, item: str) -> Dated | None:
        """One dated item of a contest (``determination``, ``campaign``, ...), if the calendar has it."""
        return next((d for d in self.dated(contest) if d.item == item), None)

    def _items(self, contest: str | None) -> list[Dated]:
        if contest is None:
            cyc = self.model.cycle
            return [Dated(f"cycle.{k}", e.date, e.date, e, ("cycle", k))
                    for k, e in (("from", cyc.from_), ("until", cyc.until)) if e is not None]
        c = self.contest(contest)
        base: PathKey = ("contests", contest)
        out: list[Dated] = []
        for name in ("determination", "campaign", "quiet", "voting"):
            e = getattr(c, name)
            if isinstance(e, DateEntry):
                out.append(Dated(name, e.date, e.date, e, base + (name,)))
            elif isinstance(e, PeriodEntry):
                out.append(Dated(name, e.from_, e.until, e, base + (name,)))
        if c.runoff is not None:
            days = _runoff_dates(c.runoff)
            out.append(Dated("runoff", min(days, default=None), max(days, default=None), c.runoff,
                             base + ("runoff",)))
        return out


def _runoff_dates(r: Runoff) -> list[dt.date]:
    out: dict[str, tuple[dt.date, PathKey]] = {}
    _dates_of(r, (), "", out)
    return [day for day, _ in out.values()]


def _held_dates(model: CalendarFile) -> list[dt.date]:
    """Every date of the calendar but those of a second round that was not held."""
    return [day for c in model.contests.values() for item, (day, _) in _contest_dates(c, ()).items()
            if not (item.startswith("runoff.") and c.runoff is not None and not c.runoff.held)]


def _span(model: CalendarFile) -> tuple[dt.date, dt.date]:
    days = _held_dates(model)
    lo = model.cycle.from_.date if model.cycle.from_ else min(days, default=dt.date.max)
    hi = model.cycle.until.date if model.cycle.until else max(days, default=dt.date.min)
    return lo, hi


class Calendars:
    """The loaded calendars by election id. Immutable; an engine without calendars has an empty one."""

    def __init__(self, calendars: Iterable[Calendar] = ()) -> None:
        self._by_id: dict[str, Calendar] = {c.id: c for c in sorted(calendars, key=lambda c: c.id)}

    def get(self, election_id: str) -> Calendar | None:
        return self._by_id.get(election_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def __iter__(self) -> Iterator[Calendar]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __bool__(self) -> bool:
        return bool(self._by_id)

    def suggest(self, election_id: str) -> str | None:
        """The known election id nearest to a mistyped one, if any is near."""
        near = difflib.get_close_matches(election_id.lower(), list(self._by_id), n=1, cutoff=0.6)
        return near[0] if near else None

    def covering(
        self, day: dt.date, *, election_type: str | None = None, office: str | None = None
    ) -> tuple[Calendar, ...]:
        """The elections whose cycle covers ``day`` and that hold the contest named (all contests if none):
        the answers to "which election?" for a fact that names none."""
        return covering(self, day, election_type=election_type, office=office)


def covering(
    calendars: Iterable[Calendar], day: dt.date, *, election_type: str | None = None, office: str | None = None
) -> tuple[Calendar, ...]:
    """The calendars whose cycle covers ``day`` and that hold a contest of ``election_type`` (and ``office``)."""
    return tuple(c for c in calendars if c.covers(day) and c.contests_for(election_type, office))


# --- loading and checks ----------------------------------------------------------------------------------


def calendar_dirs(paths: Iterable[Path | str]) -> list[Path]:
    """The calendar folders that go with these rule paths: a ``calendars`` folder named itself, the
    ``calendars`` folder inside a folder of packs, or the one beside a single pack folder (its scenario tests
    may name elections)."""
    found: list[Path] = []
    for p in (Path(x) for x in paths):
        if p.name == CALENDARS_DIR and p.is_dir():
            candidate = p
        elif (p / CALENDARS_DIR).is_dir():
            candidate = p / CALENDARS_DIR
        elif (p / "pack.yaml").is_file() and (p.parent / CALENDARS_DIR).is_dir():
            candidate = p.parent / CALENDARS_DIR
        else:
            continue
        if all(candidate.resolve() != f.resolve() for f in found):
            found.append(candidate)
    return found


def load_calendar(path: Path, *, display: str | None = None) -> tuple[Calendar | None, list[Problem]]:
    """Read and check one calendar file; the calendar is None when it has errors."""
    name = display or path.as_posix()
    problems: list[Problem] = []
    try:
        located = read_yaml_file(path, display=name)
        raw = path.read_bytes()
    except PackError as exc:
        return None, list(exc.problems)
    except OSError as exc:
        return None, [Problem(f"cannot read / tidak dapat dibaca: {exc.strerror}", Position(name), code="io")]
    model = _validate(CalendarFile, located, problems)
    if model is None:
        return None, problems
    problems.extend(_check(model, located, path.stem))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return Calendar(model, name, located, hashlib.sha256(raw).hexdigest()), problems


def load_calendars(paths: Iterable[Path | str]) -> tuple[Calendars, list[Problem]]:
    """Every calendar in the calendar folders of ``paths`` (see :func:`calendar_dirs`), and every problem."""
    problems: list[Problem] = []
    loaded: dict[str, Calendar] = {}
    for folder in calendar_dirs(paths):
        for path in sorted(folder.glob("*.yaml")):
            calendar, found = load_calendar(path)
            problems.extend(found)
            if calendar is None:
                continue
            first = loaded.get(calendar.id)
            if first is not None:
                problems.append(_problem(
                    "duplicate_election", calendar.located.pos(("id",)), id=calendar.id, first=first.file))
                continue
            loaded[calendar.id] = calendar
    return Calendars(loaded.values()), problems


# Messages of the checks, Indonesian first (one message carries both, as the catalogue's labels do).
_MESSAGES: dict[str, tuple[str, str]] = {
    "unknown_source": ("sumber '{key}' tidak ada di bagian sources{hint_id}",
                       "unknown source '{key}': not a key of sources{hint_en}"),
    "primary_unread": ("tanggal berstatus verified_primary, tetapi sumber '{key}' tidak dibaca dari teksnya "
                       "(read: secondary)",
                       "date marked verified_primary, but source '{key}' was not read in its own text "
                       "(read: secondary)"),
    "primary_quote": ("tanggal berstatus verified_primary harus mengutip teks peraturannya (quote)",
                      "a verified_primary date must quote the instrument's text (quote)"),
    "secondary_via": ("tanggal berstatus verified_secondary harus menyebut sumber sekundernya (via)",
                      "a verified_secondary date must name the secondary sources it was read in (via)"),
    "contest_kind": ("{contest} bukan kontestasi {kind}; yang boleh: {allowed}",
                     "{contest} is not a contest of a {kind}; allowed: {allowed}"),
    "order": ("tanggal tidak berurutan: {later} ({later_date}) harus {rel_id} {earlier} ({earlier_date})",
              "dates out of order: {later} ({later_date}) must be {rel_en} {earlier} ({earlier_date})"),
    "outside_cycle": ("{item} ({date}) di luar tahapan pemilihan ({start} s.d. {end})",
                      "{item} ({date}) is outside the election's cycle ({start} to {end})"),
    "empty_period": ("periode tanpa tanggal: tulis from dan/atau until, atau hapus dan catat di missing",
                     "a period without dates: give from and/or until, or remove it and list it under missing"),
    "unlisted_gap": ("{item} untuk {contest} tidak ada dan tidak dicatat di missing; jangan menebak tanggal, "
                     "catat alasannya",
                     "{item} of {contest} is left out without saying why: list it under missing"),
    "listed_present": ("{item} untuk {contest} dicatat di missing, padahal tanggalnya ada",
                       "{item} of {contest} is listed under missing but the calendar gives it"),
    "missing_contest": ("kontestasi {contest} tidak ada dalam kalender ini",
                        "contest {contest} is not in this calendar"),
    "file_name": ("nama berkas harus sama dengan id pemilihan: {id}.yaml",
                  "the file name must be the election id: {id}.yaml"),
    "duplicate_election": ("pemilihan '{id}' juga didefinisikan di {first}",
                           "election '{id}' is also defined in {first}"),
}


def _problem(code: str, where: Position, **values: Any) -> Problem:
    # in the language every other validate message takes (--lang, NETRAL_RULES_LANG, the locale)
    text_id, text_en = _MESSAGES[code]
    template = text_en if default_lang() == "en" else text_id
    return Problem(template.format(**values), where, code=f"calendar.{code}")


def _check(model: CalendarFile, located: Located, stem: str) -> list[Problem]:
    """What the schema cannot say: sources resolve, provenance is consistent, dates are in order and in the
    cycle, contests fit the kind of election, and every date left out is listed with its reason."""
    problems: list[Problem] = []
    if stem != model.id:
        problems.append(_problem("file_name", located.pos(("id",)), id=model.id))
    sources = model.sources

    def sourced(entry: _Sourced, path: PathKey) -> None:
        if entry.source not in sources:
            near = difflib.get_close_matches(entry.source, list(sources), n=1, cutoff=0.6)
            problems.append(_problem(
                "unknown_source", located.pos(path + ("source",)), key=entry.source,
                hint_id=f" (maksudnya '{near[0]}'?)" if near else "",
                hint_en=f" (did you mean '{near[0]}'?)" if near else ""))
        elif entry.provenance == "verified_primary" and sources[entry.source].read != "primary":
            problems.append(_problem("primary_unread", located.pos(path + ("provenance",)), key=entry.source))
        if entry.provenance == "verified_primary" and not entry.quote:
            problems.append(_problem("primary_quote", located.pos(path + ("provenance",))))
        if entry.provenance == "verified_secondary" and not entry.via:
            problems.append(_problem("secondary_via", located.pos(path + ("provenance",))))

    cyc = model.cycle
    for key, entry in (("from", cyc.from_), ("until", cyc.until)):
        if entry is not None:
            sourced(entry, ("cycle", key))
    allowed = KIND_CONTESTS[model.kind]
    for name, contest in model.contests.items():
        base: PathKey = ("contests", name)
        if name not in allowed:
            problems.append(_problem("contest_kind", located.pos(base, key=True), contest=name, kind=model.kind,
                                     allowed=", ".join(allowed)))
        for item in ("determination", "campaign", "quiet", "voting", "runoff"):
            entry = getattr(contest, item)
            if entry is not None:
                sourced(entry, base + (item,))
        for item in ("campaign", "quiet"):
            period = getattr(contest, item)
            if period is not None and period.from_ is None and period.until is None:
                problems.append(_problem("empty_period", located.pos(base + (item,))))
        problems.extend(_order(contest, base, located))
    problems.extend(_in_cycle(model, located))
    problems.extend(_completeness(model, located))
    return problems


# (earlier, later, strictly): "later" must come after "earlier" (on or after when not strictly)
_ORDER: tuple[tuple[str, str, bool], ...] = (
    ("campaign.from", "campaign.until", False),
    ("campaign.until", "quiet.from", True),
    ("quiet.from", "quiet.until", False),
    ("quiet.until", "voting", True),
    ("campaign.until", "voting", True),
    ("determination", "voting", True),
    ("voting", "runoff.determination", True),
    ("voting", "runoff.campaign.from", True),
    ("runoff.determination", "runoff.campaign.from", False),
    ("runoff.campaign.from", "runoff.campaign.until", False),
    ("runoff.campaign.until", "runoff.quiet.from", True),
    ("runoff.quiet.from", "runoff.quiet.until", False),
    ("runoff.quiet.until", "runoff.voting", True),
    ("runoff.campaign.until", "runoff.voting", True),
    ("voting", "runoff.voting", True),
)


def _dates_of(obj: Contest | Runoff, path: PathKey, prefix: str, out: dict[str, tuple[dt.date, PathKey]]) -> None:
    for name in ("determination", "voting"):
        value = getattr(obj, name)
        if isinstance(value, DateEntry):
            out[prefix + name] = (value.date, path + (name, "date"))
        elif isinstance(value, dt.date):  # a second round's dates stand alone
            out[prefix + name] = (value, path + (name,))
    for name in ("campaign", "quiet"):
        period = getattr(obj, name)
        if period is not None:
            for key, day in (("from", period.from_), ("until", period.until)):
                if day is not None:
                    out[f"{prefix}{name}.{key}"] = (day, path + (name, key))


def _contest_dates(contest: Contest, base: PathKey) -> dict[str, tuple[dt.date, PathKey]]:
    """Every date of a contest by item (``campaign.from``, ``runoff.voting``, ...), with its YAML path."""
    out: dict[str, tuple[dt.date, PathKey]] = {}
    _dates_of(contest, base, "", out)
    if contest.runoff is not None:
        _dates_of(contest.runoff, base + ("runoff",), "runoff.", out)
    return out


def _order(contest: Contest, base: PathKey, located: Located) -> list[Problem]:
    dates = _contest_dates(contest, base)
    problems = []
    for earlier, later, strict in _ORDER:
        if earlier in dates and later in dates:
            (d1, _), (d2, path) = dates[earlier], dates[later]
            if d2 < d1 or (strict and d2 == d1):
                problems.append(_problem(
                    "order", located.pos(path), later=later, later_date=d2, earlier=earlier, earlier_date=d1,
                    rel_id="sesudah" if strict else "sama dengan atau sesudah",
                    rel_en="after" if strict else "on or after"))
    return problems


def _in_cycle(model: CalendarFile, located: Located) -> list[Problem]:
    cyc = model.cycle
    problems: list[Problem] = []
    if cyc.from_ is not None and cyc.until is not None and cyc.until.date < cyc.from_.date:
        problems.append(_problem("order", located.pos(("cycle", "until", "date")), later="cycle.until",
                                 later_date=cyc.until.date, earlier="cycle.from", earlier_date=cyc.from_.date,
                                 rel_id="sama dengan atau sesudah", rel_en="on or after"))
        return problems
    lo = cyc.from_.date if cyc.from_ else None
    hi = cyc.until.date if cyc.until else None
    if lo is None and hi is None:
        return problems
    for name, contest in model.contests.items():
        for item, (day, path) in _contest_dates(contest, ("contests", name)).items():
            # a second round that was not held is a schedule that lapsed: its dates may lie past the cycle's end
            if item.startswith("runoff.") and contest.runoff is not None and not contest.runoff.held:
                continue
            if (lo is not None and day < lo) or (hi is not None and day > hi):
                problems.append(_problem("outside_cycle", located.pos(path), item=f"{name} {item}", date=day,
                                         start=lo or "?", end=hi or "?"))
    return problems


def _completeness(model: CalendarFile, located: Located) -> list[Problem]:
    problems: list[Problem] = []
    listed: dict[tuple[str, str], int] = {}
    for i, m in enumerate(model.missing):
        listed[(m.contest, m.item)] = i
        if m.contest != "all" and m.contest not in model.contests:
            problems.append(_problem("missing_contest", located.pos(("missing", i, "contest")), contest=m.contest))

    def present(contest: str, item: str) -> bool:
        if item.startswith("cycle."):
            return getattr(model.cycle, "from_" if item == "cycle.from" else "until") is not None
        c = model.contests[contest]  # type: ignore[index]
        if item in ("campaign.from", "campaign.until"):
            return c.campaign is not None and getattr(c.campaign, "from_" if item.endswith("from") else "until")
        if item == "runoff":  # the second round's dates (a runoff that was never scheduled is not an item)
            return c.runoff is not None and bool(_runoff_dates(c.runoff))
        return getattr(c, item) is not None

    def expect(contest: str, item: str, where: PathKey) -> None:
        keys = ((contest, item), ("all", item))
        if not present(contest, item) and not any(k in listed for k in keys):
            problems.append(_problem("unlisted_gap", located.pos(where), item=item, contest=contest))

    for item in ("cycle.from", "cycle.until"):
        expect("all", item, ("cycle",))
    for name in model.contests:
        for item in ("determination", "campaign.from", "campaign.until", "quiet", "voting"):
            expect(name, item, ("contests", name))
    for (contest, item), i in listed.items():
        if item.startswith("cycle."):
            applies = [contest]
        else:
            applies = list(model.contests) if contest == "all" else [contest] if contest in model.contests else []
        if applies and all(present(c, item) for c in applies):
            problems.append(_problem("listed_present", located.pos(("missing", i, "item")), item=item,
                                     contest=contest))
    return problems


# --- the words used when a calendar is reported -----------------------------------------------------------


class CalendarTexts(_Strict):
    """The words of calendar derivations (``calendar_texts.yaml`` beside this module): the calendar's items and
    the note templates. Contests, stages and provenance are named as the fact labels name them
    (``fact/labels.yaml``: the election type and office values, the stage values, source verification)."""

    election_: Bilingual = Field(alias="election", description="How an election is named: {name}, {id}.")
    items: dict[str, Bilingual]
    notes: dict[str, Bilingual]
    reasons: dict[str, Bilingual]

    def item(self, lang: str, key: str) -> str:
        text: str = getattr(self.items[key], lang)
        return text

    def contest_name(self, contest: str) -> Bilingual:
        path, value = CONTEST_LABEL[contest]
        return labels().data.fields[path].values[value]

    def stage(self, stage: str) -> Bilingual:
        return labels().data.fields["context.election.candidate_stage"].values[stage]

    def provenance(self, status: str) -> Bilingual:
        return labels().data.vocabulary["verification_status"][status]

    def fill(self, template: Bilingual, **values: Any) -> Bilingual:
        """The template in both languages; a :class:`Bilingual` value gives each language its own text."""
        def one(lang: str) -> str:
            text: str = getattr(template, lang)
            return text.format(**{k: getattr(v, lang) if isinstance(v, Bilingual) else str(v)
                                  for k, v in values.items()})

        # the texts were validated when the file was read; what is filled in is never empty
        return build(Bilingual, id=one("id"), en=one("en"))

    def join(self, parts: Iterable[Bilingual], sep: str = ", ") -> Bilingual:
        items = list(parts)
        return build(Bilingual, id=sep.join(p.id for p in items), en=sep.join(p.en for p in items))

    def election(self, calendar: Calendar) -> Bilingual:
        return self.fill(self.election_, name=calendar.model.name, id=calendar.id)

    def contest_names(self, contests: Iterable[str]) -> Bilingual:
        return self.join(self.contest_name(c) for c in contests)

    def source(self, calendar: Calendar, entry: _Sourced) -> str:
        cite = calendar.source(entry.source).cite
        return f"{cite}, {entry.article}" if entry.article else cite

    def entries(self, calendar: Calendar, used: Iterable[tuple[str, Dated]]) -> Bilingual:
        """Calendar entries as said in a note, contests with the same date and source said once:
        "pemilihan Gubernur ..., pemilihan Bupati ...: penetapan calon 2024-09-22 (PKPU 2/2024; ...)"."""
        groups: dict[tuple[Any, ...], list[str]] = {}
        for contest, d in used:
            key = (d.item, d.start, d.end, self.source(calendar, d.entry), d.entry.provenance)
            groups.setdefault(key, []).append(contest)
        unknown = self.notes["unknown_day"]
        parts = []
        for (item, start, end, source, provenance), contests in groups.items():
            values: dict[str, Any] = {"contests": self.contest_names(contests), "item": self.items[item],
                                      "source": source, "provenance": self.provenance(provenance)}
            if start == end and start is not None:
                parts.append(self.fill(self.notes["entry_day"], date=start, **values))
            else:
                parts.append(self.fill(self.notes["entry_period"], start=start or unknown, end=end or unknown,
                                       **values))
        return self.join(parts, "; ")


_REQUIRED_ITEMS = set(get_args(MissingItem)) | {"cycle"}
TEXTS_FILE = Path(__file__).with_name("calendar_texts.yaml")


@lru_cache(maxsize=1)
def calendar_texts() -> CalendarTexts:
    """The texts, read once. A broken file is a :class:`PackError` with its positions."""
    located = read_yaml_file(TEXTS_FILE, display=f"netral_rules/law/{TEXTS_FILE.name}")
    problems: list[Problem] = []
    texts = _validate(CalendarTexts, located, problems)
    if texts is None:
        raise PackError("the calendar texts cannot be read", problems)
    absent = sorted(_REQUIRED_ITEMS - set(texts.items))
    if absent:
        raise PackError("the calendar texts are incomplete",
                        [Problem(f"items without a label: {', '.join(absent)}", located.pos(("items",)))])
    return texts


__all__ = [
    "Calendar",
    "CalendarFile",
    "CalendarTexts",
    "Calendars",
    "Dated",
    "calendar_dirs",
    "calendar_json_schema",
    "calendar_texts",
    "covering",
    "load_calendar",
    "load_calendars",
]
