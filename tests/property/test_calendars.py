"""Property: naming the election is the same as typing in its dates.

For every calendar entry (an election's contest with a determination date, or with a campaign period) and
every date, the stage (and the campaign flag) derived from the calendar equals the one derived from the same
dates given explicitly in the fact, wherever the calendar covers the date; elsewhere it stays unknown. And a
whole decision for a random fact naming its election equals the decision for the fact with the dates typed
in, through both backends (notes aside, which say where the values came from).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from netral_rules import Engine
from netral_rules.fact.derive import derive
from netral_rules.fact.fields import flatten
from netral_rules.fact.model import parse_fact
from netral_rules.law.calendars import TYPE_CONTESTS, Calendar, load_calendars
from netral_rules.testing import facts

from .conftest import rules_dir

CALENDARS, _ = load_calendars([rules_dir()])
FACT_CONTEST = {contest: (etype, contest if etype == "pilkada" else None)
                for etype, contests in TYPE_CONTESTS.items() for contest in contests}
ENTRIES = [(c, contest) for c in CALENDARS for contest in c.model.contests]
WITH_DETERMINATION = [(c, k) for c, k in ENTRIES if c.model.contests[k].determination is not None]
WITH_CAMPAIGN = [(c, k) for c, k in ENTRIES
                 if (camp := c.model.contests[k].campaign) is not None and camp.from_ and camp.until]
YEAR = dt.timedelta(days=366)


def _named(calendar: Calendar, contest: str) -> dict[str, Any]:
    etype, office = FACT_CONTEST[contest]
    return {"id": calendar.id, "type": etype, **({"office": office} if office else {})}


def _dates(calendar: Calendar) -> st.SearchStrategy[dt.date]:
    lo, hi = calendar.span
    return st.one_of(st.dates(lo - YEAR, hi + YEAR), st.sampled_from(
        [d for contest in (None, *calendar.model.contests) for x in calendar.dated(contest)
         for d in (x.start, x.end) if d is not None]))


def _derived(election: dict[str, Any], day: dt.date) -> dict[str, Any]:
    fact = parse_fact({"occurred_on": day.isoformat(), "actor": {"status": "pns"},
                       "context": {"election": election}, "act": {"kind": "voting"}})
    flat = flatten(fact)
    derive(fact, flat, CALENDARS)
    return flat


@given(data=st.data())
def test_stage_from_the_calendar_equals_stage_from_the_dates(data: st.DataObject) -> None:
    calendar, contest = data.draw(st.sampled_from(WITH_DETERMINATION))
    day = data.draw(_dates(calendar))
    determined = calendar.model.contests[contest].determination
    assert determined is not None
    by_calendar = _derived(_named(calendar, contest), day).get("context.election.candidate_stage")
    explicit = {"type": FACT_CONTEST[contest][0], "candidate_determined_on": determined.date.isoformat()}
    by_dates = _derived(explicit, day)["context.election.candidate_stage"]
    assert by_calendar == (by_dates if calendar.covers(day) else None)


@given(data=st.data())
def test_campaign_flag_from_the_calendar_equals_flag_from_the_dates(data: st.DataObject) -> None:
    calendar, contest = data.draw(st.sampled_from(WITH_CAMPAIGN))
    day = data.draw(_dates(calendar))
    camp = calendar.model.contests[contest].campaign
    assert camp is not None and camp.from_ is not None and camp.until is not None
    by_calendar = _derived(_named(calendar, contest), day).get("context.election.in_campaign_period")
    explicit = {"type": FACT_CONTEST[contest][0], "campaign_start": camp.from_.isoformat(),
                "campaign_end": camp.until.isoformat()}
    by_dates = _derived(explicit, day)["context.election.in_campaign_period"]
    runoff = calendar.model.contests[contest].runoff
    in_held_runoff = (runoff is not None and runoff.held and runoff.campaign is not None
                      and runoff.campaign.from_ is not None and runoff.campaign.until is not None
                      and runoff.campaign.from_ <= day <= runoff.campaign.until)
    if not calendar.covers(day):
        assert by_calendar is None
    elif in_held_runoff:  # a second round's campaign: in it for a national one, unknown for one region's
        assert by_calendar is (True if runoff.region is None else None)  # type: ignore[union-attr]
    else:
        assert by_calendar == by_dates


_ELECTION_KEYS = ("id", "type", "office", "candidate_stage", "candidate_determined_on", "campaign_start",
                  "campaign_end", "in_campaign_period")


@given(data=st.data())
def test_a_decision_naming_the_election_equals_the_one_with_its_dates(engine: Engine, data: st.DataObject) -> None:
    calendar, contest = data.draw(st.sampled_from([e for e in WITH_DETERMINATION if e in WITH_CAMPAIGN]))
    lo, hi = calendar.span
    fact = data.draw(facts(dates=st.dates(lo, hi)))
    day = dt.date.fromisoformat(fact["occurred_on"])
    election = {k: v for k, v in fact.get("context", {}).get("election", {}).items() if k not in _ELECTION_KEYS}
    c = calendar.model.contests[contest]
    assert c.determination is not None and c.campaign is not None and c.campaign.from_ and c.campaign.until
    runoff = c.runoff
    if runoff is not None and runoff.held and runoff.campaign and runoff.campaign.from_ and runoff.campaign.until:
        if runoff.campaign.from_ <= day <= runoff.campaign.until:
            return  # covered by the flag property: the explicit dates know nothing of a second round
    named = {**election, **_named(calendar, contest)}
    etype, office = FACT_CONTEST[contest]
    explicit = {**election, "type": etype, **({"office": office} if office else {}),
                "candidate_determined_on": c.determination.date.isoformat(),
                "campaign_start": c.campaign.from_.isoformat(), "campaign_end": c.campaign.until.isoformat()}
    context = fact.get("context", {})
    a = engine.evaluate({**fact, "context": {**context, "election": named}})
    b = engine.evaluate({**fact, "context": {**context, "election": explicit}})
    assert (a.status, a.rule_ids, a.aggregate, a.undetermined) == (b.status, b.rule_ids, b.aggregate,
                                                                    b.undetermined)
    open_a = (a.readings.violation, a.readings.lightest, a.readings.heaviest) if a.readings else None
    open_b = (b.readings.violation, b.readings.lightest, b.readings.heaviest) if b.readings else None
    assert open_a == open_b


@given(data=st.data())
def test_each_election_answer_gives_what_naming_that_election_gives(engine: Engine, data: st.DataObject) -> None:
    """For a report that names no election, the readings consider the elections whose cycle covers its day:
    the range each answer to "which election?" promises is the range of the report naming that election."""
    calendar = data.draw(st.sampled_from(list(CALENDARS)))
    lo, hi = calendar.span
    fact = data.draw(facts(dates=st.dates(lo, hi)))
    election = {k: v for k, v in fact.get("context", {}).get("election", {}).items() if k not in _ELECTION_KEYS}
    fact = {**fact, "context": {**fact.get("context", {}), "election": election}}
    d = engine.evaluate(fact)
    question = next((q for q in (d.readings.questions if d.readings else ()) if q.field == "context.election.id"),
                    None)
    if question is None:
        return
    covering = {c.id for c in CALENDARS.covering(dt.date.fromisoformat(fact["occurred_on"]))}
    assert {a.value for a in question.answers} <= covering
    for answer in question.answers:
        named = engine.evaluate({**fact, "context": {**fact["context"], "election": {**election, "id": answer.value}}})
        if named.readings is None:  # the calendar decides every open field: one outcome
            assert answer.outcomes == 1
            assert (answer.lightest.category, answer.lightest.level) == (named.aggregate.category,
                                                                        named.aggregate.level)
        else:
            assert (answer.lightest, answer.heaviest) == (named.readings.lightest, named.readings.heaviest)
