"""Derivation from the election calendar: for every calendar entry, the stage switches exactly on the day of
penetapan and the campaign flag exactly on the first and after the last campaign day; what the fact says wins;
what the calendar cannot tell stays unknown, and every note says which entry it used, in words."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from netral_rules.fact.derive import derive
from netral_rules.fact.fields import flatten
from netral_rules.fact.model import parse_fact
from netral_rules.law.calendars import TYPE_CONTESTS, Calendars, load_calendars
from netral_rules.vocabulary import Bilingual

ROOT = Path(__file__).resolve().parents[2]
CALENDARS, _ = load_calendars([ROOT / "rules"])
DAY = dt.timedelta(days=1)
# the fact's names for each calendar contest: its type, and the office for a regional election
FACT_CONTEST = {contest: (etype, contest if etype == "pilkada" else None)
                for etype, contests in TYPE_CONTESTS.items() for contest in contests}


def derived(election: dict[str, Any], day: dt.date, calendars: Calendars = CALENDARS) -> tuple[dict[str, Any],
                                                                                                list[Bilingual]]:
    fact = parse_fact({"occurred_on": day.isoformat(), "actor": {"status": "pns"},
                       "context": {"election": election}, "act": {"kind": "voting"}})
    flat = flatten(fact)
    notes = derive(fact, flat, calendars)
    values = {k.removeprefix("context.election."): v for k, v in flat.items()
              if k in ("context.election.candidate_stage", "context.election.in_campaign_period",
                       "context.election.type")}
    return values, notes


def named(calendar_id: str, contest: str) -> dict[str, Any]:
    etype, office = FACT_CONTEST[contest]
    return {"id": calendar_id, "type": etype, **({"office": office} if office else {})}


DETERMINATIONS = [pytest.param(c.id, contest, c.model.contests[contest].determination.date,  # type: ignore[union-attr]
                               id=f"{c.id}-{contest}")
                  for c in CALENDARS for contest in c.model.contests
                  if c.model.contests[contest].determination is not None]
CAMPAIGNS = [pytest.param(c.id, contest, camp.from_, camp.until, id=f"{c.id}-{contest}")
             for c in CALENDARS for contest in c.model.contests
             if (camp := c.model.contests[contest].campaign) is not None and camp.from_ and camp.until]


def test_every_contest_with_a_date_is_checked() -> None:
    assert len(DETERMINATIONS) == 21  # 22 contests; the DCT DPRD 2014 date was not found
    assert len(CAMPAIGNS) == 21  # the DPD 2014 campaign start was not found


@pytest.mark.parametrize(("calendar_id", "contest", "determined"), DETERMINATIONS)
def test_stage_switches_on_the_day_of_penetapan(calendar_id: str, contest: str, determined: dt.date) -> None:
    before, notes_before = derived(named(calendar_id, contest), determined - DAY)
    on, notes_on = derived(named(calendar_id, contest), determined)
    assert on["candidate_stage"] == "calon"
    calendar = CALENDARS.get(calendar_id)
    assert calendar is not None
    if calendar.covers(determined - DAY):
        assert before["candidate_stage"] == "bakal_calon"
    else:
        # Pilkada 2017: the start of its cycle was not found, so the calendar covers nothing before its first
        # known date, the penetapan itself; the day before stays unknown rather than being guessed
        assert calendar_id == "pilkada-2017"
        assert "candidate_stage" not in before
        assert any("di luar tahapan pemilihan yang tercatat" in n.id for n in notes_before)
        return
    note = next(n for n in notes_on if "penetapan calon" in n.id)
    assert f"penetapan calon {determined}" in note.id and f"candidates {determined}" in note.en
    assert f"({calendar_id})" in note.id and "calon yang sudah ditetapkan" in note.id
    assert any("bakal calon" in n.id for n in notes_before)


@pytest.mark.parametrize(("calendar_id", "contest", "first", "last"), CAMPAIGNS)
def test_campaign_flag_switches_on_the_first_and_after_the_last_day(calendar_id: str, contest: str,
                                                                    first: dt.date, last: dt.date) -> None:
    election = named(calendar_id, contest)
    flags = [derived(election, day)[0].get("in_campaign_period") for day in (first - DAY, first, last, last + DAY)]
    assert flags == [False, True, True, False]


def test_explicit_stage_flag_and_dates_win() -> None:
    election = {"id": "pemilu-2024", "type": "pilpres"}
    day = dt.date(2023, 12, 1)  # calon and inside the campaign by the calendar
    values, _ = derived({**election, "candidate_stage": "bakal_calon", "in_campaign_period": False}, day)
    assert values["candidate_stage"] == "bakal_calon" and values["in_campaign_period"] is False
    values, notes = derived({**election, "candidate_determined_on": "2023-12-02", "campaign_start": "2023-12-02",
                             "campaign_end": "2024-01-01"}, day)
    assert values["candidate_stage"] == "bakal_calon" and values["in_campaign_period"] is False
    differs = [n for n in notes if "tanggal dalam laporan yang dipakai" in n.id]
    assert len(differs) == 3  # the determination, the first and the last campaign day all differ
    assert all("the report's date was used" in n.en for n in differs)
    # one explicit campaign date is enough to keep the calendar's campaign out
    values, _ = derived({**election, "campaign_start": "2023-11-28"}, day)
    assert "in_campaign_period" not in values and values["candidate_stage"] == "calon"


def test_a_date_the_calendar_does_not_cover_stays_unknown() -> None:
    values, notes = derived({"id": "pemilu-2024", "type": "pilpres"}, dt.date(2021, 1, 1))
    assert values == {"type": "pilpres"}
    assert len(notes) == 2 and all("di luar tahapan pemilihan yang tercatat" in n.id for n in notes)


def test_a_contest_without_a_determination_date_stays_unknown() -> None:
    values, notes = derived({"id": "pemilu-2014", "type": "pileg_dprd"}, dt.date(2013, 12, 1))
    assert "candidate_stage" not in values and values["in_campaign_period"] is True
    assert any("tidak mencatat tanggal penetapan calon untuk pemilihan anggota DPRD" in n.id for n in notes)
    # without the contest, the DPRD contest is one of those the fact may mean: unknown too
    values, _ = derived({"id": "pemilu-2014"}, dt.date(2013, 12, 1))
    assert "candidate_stage" not in values


def test_contests_that_agree_give_the_answer_contests_that_differ_do_not() -> None:
    values, _ = derived({"id": "pemilu-2024"}, dt.date(2023, 11, 8))  # after the DCT, before the pilpres penetapan
    assert "candidate_stage" not in values and values["in_campaign_period"] is False
    values, _ = derived({"id": "pemilu-2024"}, dt.date(2023, 11, 2))
    assert values["candidate_stage"] == "bakal_calon"
    values, notes = derived({"id": "pilkada-2024"}, dt.date(2024, 10, 1))
    assert values == {"type": "pilkada", "candidate_stage": "calon", "in_campaign_period": True}
    assert any("pemilihan kepala daerah" in n.id for n in notes)


def test_the_contest_must_be_one_of_the_calendar() -> None:
    values, notes = derived({"id": "pilkada-2024", "type": "pileg_dpr"}, dt.date(2024, 10, 1))
    assert values == {"type": "pileg_dpr"}
    assert all("tidak memuat jenis pemilihan yang disebut laporan" in n.id for n in notes)


def test_an_unknown_election_is_said_with_a_suggestion() -> None:
    values, [note] = derived({"id": "pilkada-2O24"}, dt.date(2024, 10, 1))
    assert values == {}
    assert "(maksudnya pilkada-2024?)" in note.id and "(did you mean pilkada-2024?)" in note.en


def test_no_calendars_loaded() -> None:
    values, [note] = derived({"id": "pilkada-2024"}, dt.date(2024, 10, 1), Calendars())
    assert values == {}
    assert note.id.endswith("Kalender yang dimuat: tidak ada.") and note.en.endswith("Calendars loaded: none.")


def test_notes_show_no_field_paths_or_raw_values() -> None:
    cases = [({"id": "pemilu-2024"}, dt.date(2023, 11, 8)), ({"id": "pilkada-2024"}, dt.date(2024, 9, 22)),
             ({"id": "pilkada-2017", "office": "governor"}, dt.date(2017, 3, 10)),
             ({"id": "pemilu-2014", "type": "pileg_dpd"}, dt.date(2014, 1, 10)),
             ({"id": "pemilu-2024", "type": "pilpres", "candidate_determined_on": "2023-11-14"}, dt.date(2024, 1, 1))]
    raw = re.compile(r"context\.|election\.|bakal_calon|in_campaign|pileg_|regent_mayor|verified_|campaign\.|_")
    for election, day in cases:
        _, notes = derived(election, day)
        calendar_notes = [n for n in notes if "kalender" in n.id]
        assert calendar_notes
        for note in calendar_notes:
            for text in (note.id, note.en):
                assert not raw.search(text.replace(str(election["id"]), "")), text
