"""Derived facts: what follows from the reported dates, or from the election calendar, without legal judgement.

Only these values are derived, each only when the caller left it out:

* ``context.election.candidate_stage``: ``calon`` from the day of the election commission's determination
  (penetapan) on, ``bakal_calon`` before it. This is the switch of the 2022 joint decree (SKB) between an
  ethics and a discipline violation.
* ``context.election.in_campaign_period``: whether ``occurred_on`` lies within the campaign dates.
* ``context.election.type``: ``pilkada`` when the fact names the calendar of a regional election.

The dates come from the fact (``candidate_determined_on``, ``campaign_start``/``campaign_end``) or, when the
fact names an election by its calendar id (``context.election.id``) and gives no such dates, from that
calendar (:mod:`netral_rules.law.calendars`). What the fact says always wins: an explicit stage or flag, and
explicit dates, are never replaced by the calendar's. The calendar is used only on a day its cycle covers
and for a contest whose dates it records; when the fact does not say the contest, only an answer that is
the same for every contest it may mean is taken. Anything else stays unknown, and the note says why.

Each derivation is reported in the decision, with the calendar entry it used, so a reader sees which values
the engine filled in and on what authority. The engine derives straight into the flat ``{path: value}``
view that rules read (:func:`derive`); rebuilding the frozen fact for it cost more than the rest of an
evaluation.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from .._fast import build
from ..law.calendars import Calendar, Calendars, CalendarTexts, Dated, calendar_texts
from ..vocabulary import Bilingual
from .model import Election, Fact


def _derivations(election: Election, day: dt.date) -> tuple[dict[str, Any], list[Bilingual]]:
    update: dict[str, Any] = {}
    notes: list[Bilingual] = []
    if election.candidate_stage is None and election.candidate_determined_on is not None:
        determined = election.candidate_determined_on
        stage = "calon" if day >= determined else "bakal_calon"
        update["candidate_stage"] = stage
        words = calendar_texts().stage(stage)  # the stage as the fact labels name it, not its code
        notes.append(build(
            Bilingual,
            id=f"Status yang didukung diturunkan dari tanggal penetapan calon ({determined}): {words.id}.",
            en=f"The supported person's status was derived from the candidate determination date "
            f"({determined}): {words.en}.",
        ))
    if election.in_campaign_period is None and election.campaign_start and election.campaign_end:
        start, end = election.campaign_start, election.campaign_end
        inside = start <= day <= end
        update["in_campaign_period"] = inside
        notes.append(build(
            Bilingual,
            id=f"Masa kampanye {start} s.d. {end}: tindakan {'di dalam' if inside else 'di luar'} masa kampanye.",
            en=f"Campaign period {start} to {end}: the act was {'inside' if inside else 'outside'} it.",
        ))
    return update, notes


def derive(fact: Fact, flat: dict[str, Any], calendars: Calendars | None = None) -> list[Bilingual]:
    """Add the derived values to ``flat`` (the fact's path view); return the notes that report them.

    ``calendars`` are the engine's loaded election calendars (none: a fact naming an election is told so).
    """
    election = fact.context.election
    if election is None:
        return []
    update, notes = _derivations(election, fact.occurred_on)
    if election.id is not None:
        more, more_notes = from_calendar(election, fact.occurred_on, calendars or Calendars())
        update.update(more)  # never overlaps: the calendar fills only what the fact and its dates leave open
        notes.extend(more_notes)
    for name, value in update.items():
        flat[f"context.election.{name}"] = value
    return notes


def from_calendar(election: Election, day: dt.date, calendars: Calendars) -> tuple[dict[str, Any], list[Bilingual]]:
    """The values the calendar of ``election.id`` gives for ``day`` where the fact leaves them open, and the
    notes reporting each (or why a value stays unknown)."""
    texts = calendar_texts()
    assert election.id is not None
    calendar = calendars.get(election.id)
    if calendar is None:
        near = calendars.suggest(election.id)
        return {}, [texts.fill(
            texts.notes["unknown_election"], given=election.id,
            hint=texts.fill(texts.notes["did_you_mean"], near=near) if near else "",
            known=", ".join(calendars.ids) if calendars else texts.notes["none"])]
    name = _name(calendar)
    update: dict[str, Any] = {}
    notes: list[Bilingual] = []
    election_type = election.type
    if election_type is None and calendar.kind == "pilkada":
        election_type = update["type"] = "pilkada"
        notes.append(_regional(calendar))
    contests = calendar.contests_for(election_type, election.office)
    notes.extend(_report_differs(election, calendar, contests, texts, name))
    wants = []
    if election.candidate_stage is None and election.candidate_determined_on is None:
        wants.append("candidate_stage")
    if election.in_campaign_period is None and election.campaign_start is None and election.campaign_end is None:
        wants.append("in_campaign_period")
    if not wants:
        return update, notes
    start, end = calendar.span
    why: tuple[str, dict[str, Any]] | None = None
    if not contests:
        why = ("no_contest", {"contests": texts.contest_names(calendar.model.contests)})
    elif not calendar.covers(day):
        why = ("not_covered", {"day": day, "start": start, "end": end})
    for field in wants:
        if why is None:
            decide = _stage if field == "candidate_stage" else _campaign
            value, note = decide(calendar, contests, day, texts, name)
            if value is not None:
                update[field] = value
            notes.append(note)
        else:
            notes.append(_not_derived(field, why, texts, name))
    return update, notes


def _not_derived(field: str, why: tuple[str, dict[str, Any]], texts: CalendarTexts, name: Bilingual) -> Bilingual:
    what = texts.notes["what_stage" if field == "candidate_stage" else "what_campaign"]
    reason, values = why
    return texts.fill(texts.notes["not_derived"], what=what, election=name,
                      why=texts.fill(texts.reasons[reason], **values))


def _used(calendar: Calendar, contests: tuple[str, ...], item: str) -> list[tuple[str, Dated]]:
    return [(c, d) for c in contests if (d := calendar.item(c, item)) is not None]


@lru_cache(maxsize=256)
def _name(calendar: Calendar) -> Bilingual:
    return calendar_texts().election(calendar)


@lru_cache(maxsize=256)
def _regional(calendar: Calendar) -> Bilingual:
    texts = calendar_texts()
    return texts.fill(texts.notes["regional_election"], election=_name(calendar))


@lru_cache(maxsize=1024)
def _entries(calendar: Calendar, used: tuple[tuple[str, str], ...]) -> Bilingual:
    """The calendar entries (contest, item) as said in a note; the same for every day, so kept."""
    return calendar_texts().entries(calendar, [(c, d) for c, i in used if (d := calendar.item(c, i)) is not None])


def _stage(calendar: Calendar, contests: tuple[str, ...], day: dt.date, texts: CalendarTexts,
           name: Bilingual) -> tuple[str | None, Bilingual]:
    readings = {c: calendar.stage_on(c, day) for c in contests}
    lacking = [c for c, v in readings.items() if v is None]
    used = _entries(calendar, tuple((c, "determination") for c in contests))
    if lacking:
        why = ("no_determination", {"contests": texts.contest_names(lacking)})
    elif len(set(readings.values())) > 1:
        why = ("disagree", {"entries": used})
    else:
        stage = next(iter(readings.values()))
        assert stage is not None
        template = texts.notes["stage_from" if stage == "calon" else "stage_before"]
        return stage, texts.fill(template, election=name, entries=used, day=day, stage=texts.stage(stage))
    return None, _not_derived("candidate_stage", why, texts, name)


def _campaign(calendar: Calendar, contests: tuple[str, ...], day: dt.date, texts: CalendarTexts,
              name: Bilingual) -> tuple[bool | None, Bilingual]:
    readings = {c: calendar.campaign_on(c, day) for c in contests}
    unknown = [(c, why) for c, (v, why) in readings.items() if v is None]
    why: tuple[str, dict[str, Any]]
    if unknown:
        reason = unknown[0][1]
        these = tuple(c for c, r in unknown if r == reason)
        runoff = calendar.contest(these[0]).runoff
        why = (reason, {"contests": texts.contest_names(these), "day": day,
                        "entries": _entries(calendar, tuple((c, "campaign") for c in these)),
                        "region": runoff.region if runoff and runoff.region else ""})
    elif len({v for v, _ in readings.values()}) > 1:
        why = ("disagree", {"entries": _entries(calendar, tuple((c, "campaign") for c in contests))})
    else:
        inside = bool(next(iter(readings.values()))[0])
        used = _entries(calendar, tuple((c, item) for c, (_, item) in readings.items()))
        template = texts.notes["campaign_inside" if inside else "campaign_outside"]
        return inside, texts.fill(template, election=name, entries=used, day=day)
    return None, _not_derived("in_campaign_period", why, texts, name)


def _report_differs(election: Election, calendar: Calendar, contests: tuple[str, ...], texts: CalendarTexts,
                    name: Bilingual) -> list[Bilingual]:
    """Notes where the fact's own dates differ from the calendar's (the fact's are used)."""
    notes = []
    checks = (
        ("determination", election.candidate_determined_on, "start"),
        ("campaign.from", election.campaign_start, "start"),
        ("campaign.until", election.campaign_end, "end"),
    )
    for label, given, end in checks:
        if given is None or not contests:
            continue
        item = label.split(".")[0]
        known = {getattr(d, end) for _, d in _used(calendar, contests, item)}
        if len(known) == 1 and None not in known and given not in known:
            notes.append(texts.fill(texts.notes["report_differs"], item=texts.items[label], given=given,
                                    election=name, calendar=next(iter(known))))
    return notes
