import datetime as dt
import itertools
from typing import Any

import pytest

from netral_rules.conditions import (
    All,
    AnyOf,
    Compare,
    ConditionParser,
    Not,
    describe,
    evaluate3,
    satisfied_leaves,
    to_nnf,
)
from netral_rules.conditions.compiled import compile_condition
from netral_rules.errors import Position
from netral_rules.fact.fields import fact_fields


def parse(raw: Any) -> tuple[Any, list[str]]:
    parser = ConditionParser(fact_fields(), lambda path, key: Position("r.yaml", len(path), 1 if key else 2))
    cond = parser.parse(raw)
    return cond, [str(p) for p in parser.problems]


def test_shorthand_and_operators() -> None:
    cond, problems = parse(
        {
            "all": [
                {"act.kind": "absence"},
                {"act.cumulative_days": {"between": [3, 6]}},
                {"actor.status": {"in": ["pns", "cpns"]}},
            ]
        }
    )
    assert problems == []
    assert cond == All(
        (
            Compare("act.kind", "eq", "absence"),
            Compare("act.cumulative_days", "between", (3, 6)),
            Compare("actor.status", "in", ("pns", "cpns")),
        )
    )


def test_unknown_path_suggests() -> None:
    _, problems = parse({"act.mobilized_civil_servants": True})
    assert problems == [
        "r.yaml:1:1: unknown fact path 'act.mobilized_civil_servants' (did you mean 'act.mobilised_civil_servants'?)"
    ]


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"occurred_on": {"gte": "yesterday"}}, "'occurred_on' is a date, but 'yesterday' is not a date"),
        ({"act.party_attributes": 1}, "'act.party_attributes' is true/false, but the value is the number 1"),
        ({"act.cumulative_days": True}, "'act.cumulative_days' is a whole number, but the value is true/false"),
        ({"actor.status": "asn"}, "'asn' is not a value of 'actor.status'"),
        ({"actor.status": "pnss"}, "did you mean 'pns'?"),
        ({"actor.status": {"gt": "pns"}}, "'gt' compares order, but 'actor.status' is one of"),
        ({"act.cumulative_days": {"between": [6, 3]}}, "can never match"),
        ({"act.cumulative_days": {"betwen": [3, 6]}}, "unknown operator 'betwen' (did you mean 'between'?)"),
        ({"actor.status": {"in": []}}, "non-empty list"),
        ({"act.kind": {"exists": "yes"}}, "'exists' takes true or false"),
        ({"actor": {"status": "pns"}}, "unknown fact path 'actor'"),
        ({"eq": 1}, "operator 'eq' needs a fact path"),
        ({"all": []}, "'all' takes a non-empty list"),
        ("act.kind", "a condition is a mapping"),
    ],
)
def test_type_errors(raw: Any, fragment: str) -> None:
    cond, problems = parse(raw)
    assert cond is None
    assert any(fragment in p for p in problems), problems


def _sample_facts() -> list[dict[str, Any]]:
    out = []
    for days, status, attrs in itertools.product([None, 2, 3, 7], ["pns", "pppk"], [None, True, False]):
        f: dict[str, Any] = {"actor.status": status, "act.kind": "absence"}
        if days is not None:
            f["act.cumulative_days"] = days
        if attrs is not None:
            f["act.party_attributes"] = attrs
        out.append(f)
    return out


CONDITIONS = [
    Not(All((Compare("act.cumulative_days", "between", (3, 6)), Compare("actor.status", "eq", "pns")))),
    Not(AnyOf((Compare("act.party_attributes", "eq", True), Not(Compare("act.cumulative_days", "exists", True))))),
    Not(Not(Compare("act.cumulative_days", "not_in", (2, 7)))),
    AnyOf((Not(Compare("act.cumulative_days", "lt", 3)), Compare("act.party_attributes", "ne", False))),
]


@pytest.mark.parametrize("cond", CONDITIONS)
def test_nnf_keeps_three_valued_meaning_and_native_agrees(cond: Any) -> None:
    from netral_rules.conditions.compiled import _closure, compile_witness

    nnf = to_nnf(cond)
    pred = compile_condition(nnf)
    fallback = _closure(nnf)  # used for conditions too deep for the Python compiler
    optimistic, optimistic_fallback = compile_condition(nnf, missing=True), _closure(nnf, missing=True)
    witness = compile_witness(nnf)
    for flat in _sample_facts():
        truth = evaluate3(cond, flat)
        assert evaluate3(nnf, flat) == truth
        assert pred(flat) == fallback(flat) == (truth is True)
        assert optimistic(flat) == optimistic_fallback(flat) == (truth is not False)
        assert witness(flat) == (satisfied_leaves(nnf, flat) or None)


def test_missing_fields_are_reported() -> None:
    missing: set[str] = set()
    cond = All((Compare("act.kind", "eq", "campaign_attendance"), Compare("act.party_attributes", "eq", True)))
    assert evaluate3(cond, {"act.kind": "campaign_attendance"}, missing) is None
    assert missing == {"act.party_attributes"}
    assert evaluate3(cond, {"act.kind": "absence"}) is False


def test_describe_in_both_languages() -> None:
    cond = All((Compare("act.cumulative_days", "between", (3, 6)), Not(Compare("actor.status", "eq", "pppk"))))
    assert describe(cond, "en") == [
        "- working days absent this year is between 3 and 6",
        "- none of the following holds:",
        "  - employment status: PPPK",
    ]
    assert describe(cond, "id") == [
        "- jumlah hari tidak masuk kerja dalam setahun antara 3 dan 6",
        "- tidak berlaku hal berikut:",
        "  - status kepegawaian: PPPK",
    ]
    listed = All((Compare("act.role", "in", ("participant", "speaker")), Compare("act.state_facilities", "ne", True),
                  Compare("context.election.candidate_stage", "exists", False)))
    assert describe(listed, "id") == [
        "- peran: salah satu dari peserta, pembicara",
        "- menggunakan fasilitas negara: tidak",
        "- status orang yang didukung: tidak diisi",
    ]
    assert describe(listed, "en") == [
        "- role: is one of participant, speaker",
        "- used state facilities: no",
        "- status of the person supported: not given",
    ]


def test_dates_compare_as_dates() -> None:
    cond, problems = parse({"occurred_on": {"gte": dt.date(2023, 10, 31)}})
    assert not problems
    pred = compile_condition(to_nnf(cond))
    assert pred({"occurred_on": dt.date(2023, 10, 31)}) and not pred({"occurred_on": dt.date(2023, 10, 30)})


def test_deciding_missing_reports_only_paths_that_matter() -> None:
    from netral_rules.conditions import deciding_missing

    cond = to_nnf(
        All(
            (
                Compare("act.kind", "eq", "campaign_attendance"),
                AnyOf(
                    (
                        Compare("context.election.candidate_stage", "exists", False),
                        Compare("context.election.candidate_stage", "eq", "calon"),
                    )
                ),
                AnyOf((Compare("act.party_attributes", "eq", True), Compare("act.state_facilities", "eq", True))),
            )
        )
    )
    # the stage is absent, which the exists-branch accepts: only the attributes decide
    flat = {"act.kind": "campaign_attendance"}
    assert deciding_missing(cond, flat) == (False, True, frozenset({"act.party_attributes", "act.state_facilities"}))
    # one attribute is known true: decided, nothing missing matters
    assert deciding_missing(cond, {**flat, "act.state_facilities": True}) == (True, True, frozenset())
    # another kind: false whatever is missing
    assert deciding_missing(cond, {"act.kind": "absence"}) == (False, False, frozenset())
    # a known false branch contributes nothing; the other branch's missing value decides
    assert deciding_missing(cond, {**flat, "act.party_attributes": False}) == (
        False,
        True,
        frozenset({"act.state_facilities"}),
    )


@pytest.mark.parametrize("cond", CONDITIONS)
def test_compiled_deciding_agrees_with_the_reference(cond: Any) -> None:
    from netral_rules.conditions import deciding_missing
    from netral_rules.conditions.compiled import compile_condition, compile_deciding

    nnf = to_nnf(cond)
    compiled = compile_deciding(nnf)
    possible = compile_condition(nnf, missing=True)
    for flat in _sample_facts():
        reference = deciding_missing(nnf, flat)
        got = compiled(flat)
        assert got[:2] == reference[:2]
        if reference[1] and not reference[0]:  # only undetermined rules report what is missing
            assert got[2] == reference[2]
        assert possible(flat) == reference[1]
