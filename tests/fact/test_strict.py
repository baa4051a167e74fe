"""The fact model is strict (issue 16, 10): booleans are JSON booleans, counts JSON integers, dates the text
YYYY-MM-DD, a key written twice is an error with its path; the JSON Schema says the same.

It coerced loosely: "no", "off", "f" and 0 became false, "yes" and 1 true; occurred_on accepted Unix
timestamps and 2024-02-01T00:00:00Z; duplicate keys were last-wins.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from helpers import fact

from netral_rules import Engine, FactError, parse_fact
from netral_rules.fact.model import fact_json_schema


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


def _problems(data: Any) -> list[tuple[str, str]]:
    with pytest.raises(FactError) as info:
        parse_fact(data)
    return [(str(p.where), p.code) for p in info.value.problems]


@pytest.mark.parametrize("value", ["no", "off", "f", "false", 0, "yes", "on", "t", "true", 1, "1", 1.0, "", None])
def test_a_flag_is_a_json_boolean(value: object) -> None:
    data = fact(mobilised_civil_servants=value)
    if value is None:  # null is "not known", not a flag value
        assert parse_fact(data).act.mobilised_civil_servants is None  # type: ignore[union-attr]
        return
    assert _problems(data) == [("$.act.mobilised_civil_servants", "bool_type")]
    assert _problems(json.dumps(data)) == [("$.act.mobilised_civil_servants", "bool_type")]


def test_json_booleans_are_flags(engine: Engine) -> None:
    for value in (True, False):
        assert parse_fact(fact(mobilised_civil_servants=value)).act.mobilised_civil_servants is value  # type: ignore[union-attr]
        assert parse_fact(json.dumps(fact(mobilised_civil_servants=value))).act.mobilised_civil_servants is value  # type: ignore[union-attr]
    # "no" was read as false: a report saying "no" no longer passes as a decision on false
    with pytest.raises(FactError):
        engine.evaluate(fact(mobilised_civil_servants="no"))


@pytest.mark.parametrize("value", [1706745600, 1706745600.0, "2024-02-01T00:00:00Z", "2024-02-01T00:00:00",
                                   "2024-02-01 00:00", " 2024-02-01", "2024-02-01 ", "20240201", "2024-2-1",
                                   "01-02-2024", "2024/02/01", True])
def test_a_date_is_written_yyyy_mm_dd(value: object, lang: str) -> None:
    data = {**fact(), "occurred_on": value}
    for form in (data, json.dumps(data)):
        with pytest.raises(FactError) as info:
            parse_fact(form)
        [problem] = info.value.problems
        assert (problem.where, problem.code) == ("$.occurred_on", "date_format")
        # in words, through the labels (issue 15): the field, the value as written, and "tulis YYYY-MM-DD"
        shown = value if isinstance(value, str) else json.dumps(value)
        if isinstance(value, str) and re.search(r"\d[T ]\d", value):
            expected = {"id": f"tanggal tindakan: '{shown}' memuat jam; tulis tanggalnya saja, YYYY-MM-DD",
                        "en": f"date of the act: '{shown}' has a time of day; write the date only, YYYY-MM-DD"}
        else:
            expected = {"id": f"tanggal tindakan: '{shown}' bukan tanggal; tulis YYYY-MM-DD, misalnya 2024-02-01",
                        "en": f"date of the act: '{shown}' is not a date; write YYYY-MM-DD, for example 2024-02-01"}
        assert problem.message == expected[lang]


def test_dates_of_every_field_are_strict() -> None:
    data = {**fact(), "actor": {"status": "pns", "prior_sanctions": [{"imposed_on": 1600000000, "level": "ringan"}]},
            "context": {"election": {"candidate_determined_on": "2024-01-01T00:00:00Z", "campaign_start": 0,
                                     "campaign_end": "2024-02-10"}}}
    assert _problems(data) == [
        ("$.actor.prior_sanctions[0].imposed_on", "date_format"),
        ("$.context.election.candidate_determined_on", "date_format"),
        ("$.context.election.campaign_start", "date_format"),
    ]


def test_a_real_date_and_a_python_date() -> None:
    assert parse_fact({**fact(), "occurred_on": "2024-02-29"}).occurred_on == dt.date(2024, 2, 29)
    assert parse_fact({**fact(), "occurred_on": dt.date(2024, 2, 1)}).occurred_on == dt.date(2024, 2, 1)
    assert _problems({**fact(), "occurred_on": "2023-02-29"})[0][0] == "$.occurred_on"  # no such day
    assert _problems({**fact(), "occurred_on": dt.datetime(2024, 2, 1)}) == [("$.occurred_on", "date_format")]


@pytest.mark.parametrize("value", ["5", 5.0, True, "five"])
def test_a_count_is_a_json_integer(value: object) -> None:
    data = {**fact(), "act": {"kind": "absence", "cumulative_days": value}}
    assert _problems(data) == [("$.act.cumulative_days", "int_type")]
    assert _problems(json.dumps(data)) == [("$.act.cumulative_days", "int_type")]


def test_an_amount_is_a_json_number() -> None:
    for value in (2, 2.5):
        assert parse_fact({**fact(), "act": {"kind": "absence", "hours_absent": value}}).act.hours_absent == value  # type: ignore[union-attr]
    assert _problems({**fact(), "act": {"kind": "absence", "hours_absent": "2.5"}})[0][0] == "$.act.hours_absent"


def test_a_key_written_twice_is_an_error_with_its_path(lang: str) -> None:
    text = '{"occurred_on": "2024-01-10", "actor": {"status": "pppk", "status": "pns"}, "act": {"kind": "voting"}}'
    with pytest.raises(FactError) as info:
        parse_fact(text)
    [problem] = info.value.problems
    assert (problem.where, problem.code) == ("$.actor.status", "duplicate_key")
    assert problem.message == {"id": "kunci 'status' ditulis lebih dari sekali",
                               "en": "the key 'status' is written more than once"}[lang]
    with pytest.raises(FactError):
        parse_fact(text.encode())


def test_the_json_schema_says_the_same() -> None:
    schema = fact_json_schema()
    defs = schema["$defs"]
    assert schema["properties"]["occurred_on"]["type"] == "string"
    assert schema["properties"]["occurred_on"]["format"] == "date"
    assert schema["properties"]["occurred_on"]["pattern"] == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    flag = defs["CampaignAttendanceAct"]["properties"]["mobilised_civil_servants"]["anyOf"]
    assert {"type": "boolean"} in flag and {"type": "null"} in flag
    count = defs["AbsenceAct"]["properties"]["cumulative_days"]["anyOf"]
    assert any(part.get("type") == "integer" for part in count)
    imposed = defs["PriorSanction"]["properties"]["imposed_on"]
    assert imposed["pattern"] == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    assert "key twice" in schema["$comment"]
