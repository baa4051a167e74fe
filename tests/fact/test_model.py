import datetime as dt
import json
from typing import Any

import pytest
from pydantic import ValidationError

from netral_rules.errors import FactError
from netral_rules.fact.fields import fact_fields, flatten
from netral_rules.fact.model import Fact, fact_json_schema, parse_fact

GOOD = {
    "id": "r1",
    "occurred_on": "2024-01-10",
    "actor": {"status": "pns", "prior_sanctions": [{"imposed_on": "2022-01-01", "level": "ringan"}]},
    "context": {"during_working_hours": True, "election": {"type": "pilpres", "candidate_stage": "calon"}},
    "act": {"kind": "campaign_attendance", "role": "participant", "party_attributes": True},
}


def test_valid_fact_has_dates_and_is_frozen() -> None:
    f = parse_fact(GOOD)
    assert f.occurred_on == dt.date(2024, 1, 10)
    assert f.actor.prior_sanctions[0].imposed_on == dt.date(2022, 1, 1)
    with pytest.raises(ValidationError):
        f.occurred_on = dt.date(2020, 1, 1)  # type: ignore[misc]


def test_every_problem_is_listed_with_its_json_path() -> None:
    bad = {
        "occurred_on": "2024-13-01",
        "actor": {"status": "asn", "nickname": "x"},
        "act": {"kind": "campaign_attendance", "role": "fan", "party_attributes": "maybe"},
    }
    with pytest.raises(FactError) as info:
        parse_fact(bad)
    where = sorted(str(p.where) for p in info.value.problems)
    assert where == ["$.act.party_attributes", "$.act.role", "$.actor.nickname", "$.actor.status", "$.occurred_on"]
    nick = next(p for p in info.value.problems if p.where == "$.actor.nickname")
    assert nick.message == "'nickname' is not a field of the employee part ('actor')"  # in words: test_problems.py


def test_unknown_act_kind_and_missing_fields() -> None:
    with pytest.raises(FactError) as info:
        parse_fact({"occurred_on": "2024-01-01", "act": {"kind": "tweeting"}})
    where = {str(p.where) for p in info.value.problems}
    assert where == {"$.actor", "$.act"}


def test_datetime_is_not_a_date() -> None:
    with pytest.raises(FactError) as info:
        parse_fact({**GOOD, "occurred_on": "2024-01-10T10:00:00"})
    assert [str(p.where) for p in info.value.problems] == ["$.occurred_on"]


def test_not_an_object() -> None:
    with pytest.raises(FactError) as info:
        parse_fact([1, 2])
    assert info.value.problems[0].where == "$"


def test_json_string_and_model_are_accepted() -> None:
    f = parse_fact(json.dumps(GOOD))
    assert parse_fact(f) is f
    assert Fact.model_validate_json(f.model_dump_json()) == f


def test_schema_is_a_discriminated_union() -> None:
    schema = fact_json_schema()
    assert schema["additionalProperties"] is False
    act = schema["properties"]["act"]
    assert act["discriminator"]["propertyName"] == "kind"
    assert len(act["oneOf"]) == len(fact_fields().fields["act.kind"].enum)


def test_field_catalogue_and_flatten() -> None:
    fields = fact_fields()
    assert fields.get("act.mobilised_civil_servants").act_kinds == ("campaign_attendance",)  # type: ignore[union-attr]
    assert fields.get("occurred_on").type == "date"  # type: ignore[union-attr]
    assert "id" not in fields and "description" not in fields
    flat = flatten(parse_fact(GOOD))
    assert flat["act.party_attributes"] is True
    assert flat["context.election.candidate_stage"] == "calon"
    assert "act.state_facilities" not in flat  # None is omitted: unknown, not false


def test_infinity_and_nan_are_refused() -> None:
    for value in ("Infinity", "NaN", 1e309):
        with pytest.raises(FactError) as info:
            parse_fact({**GOOD, "act": {"kind": "absence", "hours_absent": value}})
        assert [str(p.where) for p in info.value.problems] == ["$.act.hours_absent"]


def test_flatten_is_the_models_leaves_in_field_order() -> None:
    from hypothesis import given, settings

    from netral_rules.testing import fact_models

    def reference(model: Any, prefix: str, out: dict[str, Any]) -> None:
        # the walk flatten's generated functions replace: leaves first, then nested models, in field order
        nested = []
        for name in type(model).model_fields:
            value = getattr(model, name)
            if isinstance(value, tuple):
                continue
            if hasattr(value, "model_fields"):
                nested.append((name, value))
            elif value is not None:
                out[prefix + name] = value
        for name, value in nested:
            reference(value, f"{prefix}{name}.", out)

    @settings(max_examples=60, deadline=None)
    @given(fact_models())
    def check(fact: Any) -> None:
        want: dict[str, Any] = {}
        reference(fact, "", want)
        assert list(flatten(fact).items()) == list(want.items())

    check()
