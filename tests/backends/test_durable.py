"""The durable_rules backend: limits, encoding, errors, threads, reloads, availability.

Agreement with the native backend on generated facts and packs is in tests/property/test_agreement.py.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from typing import Any

import pytest

from netral_rules import BackendLimitError, BackendUnavailable, Engine
from netral_rules.backends import durable as durable_mod
from netral_rules.backends import make_matcher
from netral_rules.backends.durable import DurableMatcher, field_name, unavailable_reason
from netral_rules.conditions import AnyOf, Compare, Condition, to_nnf
from netral_rules.fact.fields import fact_fields, flatten
from netral_rules.fact.model import parse_fact
from netral_rules.testing import parse_condition

pytestmark = pytest.mark.skipif(unavailable_reason() is not None, reason=f"durable backend: {unavailable_reason()}")


def cond(raw: Any) -> Condition:
    return to_nnf(parse_condition(raw))


def flat(fact: dict[str, Any]) -> dict[str, Any]:
    base = {"occurred_on": "2024-01-10", "actor": {"status": "pns"}}
    return flatten(parse_fact({**base, **fact}))


def both(conds: list[Condition], facts: list[dict[str, Any]]) -> list[list[int]]:
    n, d = make_matcher("native", conds), make_matcher("durable", conds)
    try:
        out = []
        for f in facts:
            assert d.match(f) == n.match(f), f
            out.append(d.match(f))
        return out
    finally:
        d.close()


# --- compilation --------------------------------------------------------------------------------------


def test_or_fires_once_per_rule() -> None:
    c = cond({"any": [{"act.party_attributes": True}, {"act.civil_service_attributes": True},
                      {"act.kind": "campaign_attendance"}]})
    f = flat({"act": {"kind": "campaign_attendance", "role": "listener", "party_attributes": True,
                      "civil_service_attributes": True}})
    assert both([c, c], [f]) == [[0, 1]]


def test_every_operator_and_negation() -> None:
    conds = [cond(r) for r in [
        {"act.cumulative_days": {"between": [3, 6]}},
        {"not": {"act.cumulative_days": {"between": [3, 6]}}},
        {"act.cumulative_days": {"in": [1, 5, 9]}},
        {"act.cumulative_days": {"not_in": [1, 5, 9]}},
        {"not": {"act.cumulative_days": {"in": [1, 5, 9]}}},
        {"act.cumulative_days": {"lt": 5}}, {"act.cumulative_days": {"lte": 5}},
        {"act.cumulative_days": {"gt": 5}}, {"act.cumulative_days": {"gte": 5}},
        {"act.cumulative_days": {"ne": 5}}, {"act.cumulative_days": {"exists": True}},
        {"act.cumulative_days": {"exists": False}}, {"not": {"act.political_talk": True}},
        {"all": [{"act.kind": "absence"}, {"not": {"any": [{"act.political_talk": True},
                                                            {"act.consecutive_days": {"gte": 3}}]}}]},
    ]]
    facts = [flat({"act": {"kind": "absence", **extra}}) for extra in (
        {}, {"cumulative_days": 1}, {"cumulative_days": 3}, {"cumulative_days": 5}, {"cumulative_days": 6},
        {"cumulative_days": 7, "political_talk": False}, {"political_talk": True, "consecutive_days": 2},
    )]
    both(conds, facts)


def test_values_are_encoded_canonically() -> None:
    long_name = "Ü" * 10_000
    conds = [cond(r) for r in [
        {"actor.name": "Dr. Ütari \"U\" \\ x"}, {"actor.name": {"ne": "Dr. Ütari \"U\" \\ x"}},
        {"actor.name": long_name}, {"act.hours_absent": {"gt": 1e300}}, {"act.hours_absent": {"lt": 0.1}},
        {"act.hours_absent": 0.30000000000000004}, {"context.election.campaign_start": {"lte": dt.date(2024, 1, 9)}},
        {"act.platform": "true"}, {"act.platform": "1"},
    ]]
    facts = [
        flat({"actor": {"status": "pns", "name": "Dr. Ütari \"U\" \\ x"}, "act": {"kind": "voting"}}),
        flat({"actor": {"status": "pns", "name": "Dr. U\u0308tari \"U\" \\ x"}, "act": {"kind": "voting"}}),
        flat({"actor": {"status": "pns", "name": long_name}, "act": {"kind": "voting"}}),
        flat({"act": {"kind": "absence", "hours_absent": 1e308}}),  # facts refuse infinity; the largest finite
        flat({"act": {"kind": "absence", "hours_absent": 1e-7}}),
        flat({"act": {"kind": "absence", "hours_absent": 0.3}}),
        flat({"act": {"kind": "absence", "hours_absent": 0.30000000000000004}}),
        flat({"act": {"kind": "social_media", "action": "post", "platform": "true"}}),
        flat({"act": {"kind": "social_media", "action": "post", "platform": "1"}}),
        flat({"context": {"election": {"campaign_start": "2024-01-09"}}, "act": {"kind": "voting"}}),
        flat({"context": {"election": {"campaign_start": "2024-01-10"}}, "act": {"kind": "voting"}}),
    ]
    assert both(conds, facts)[3] == [3]


def test_field_names_are_flat_and_distinct() -> None:
    names = [field_name(p) for p in fact_fields().fields]
    assert all("." not in n for n in names) and len(set(names)) == len(names)


# --- limits -------------------------------------------------------------------------------------------


def test_too_many_firings_for_one_fact_is_refused_with_the_limit() -> None:
    c = AnyOf(tuple(Compare("act.cumulative_days", "gte", i) for i in range(70)))
    with pytest.raises(BackendLimitError) as err:
        DurableMatcher([c])
    assert err.value.problems[0].code == "durable_limit.matches_per_fact"
    assert "64" in err.value.problems[0].message


def test_too_many_distinct_values_on_one_field_is_refused_with_the_limit() -> None:
    c = Compare("actor.name", "in", tuple(f"n{i}" for i in range(600)))
    with pytest.raises(BackendLimitError) as err:
        DurableMatcher([c])
    assert err.value.problems[0].code == "durable_limit.distinct_tests_per_field"
    assert "512" in err.value.problems[0].message


def test_too_large_expansion_is_refused_with_the_limit() -> None:
    c = cond({"all": [{"actor.name": {"in": [f"n{i}" for i in range(100)]}},
                      {"act.platform": {"in": [f"p{i}" for i in range(100)]}}]})
    with pytest.raises(BackendLimitError) as err:
        DurableMatcher([c])
    assert err.value.problems[0].code == "durable_limit.rules_per_ruleset"


def test_many_rules_are_split_into_rulesets_within_the_limits() -> None:
    kinds = fact_fields().fields["act.kind"].enum
    conds: list[Condition] = [cond({"act.kind": "voting"}) for _ in range(300)]  # identical: crashes unsplit
    conds += [cond({"actor.name": f"n{i}"}) for i in range(700)]  # distinct values on one field: hangs unsplit
    conds += [cond({"act.kind": kinds[i % len(kinds)]}) for i in range(200)]
    m = DurableMatcher(conds)
    try:
        assert m.rulesets >= 5
    finally:
        m.close()
    voting = flat({"act": {"kind": "voting"}, "actor": {"status": "pns", "name": "n699"}})
    absence = flat({"act": {"kind": "absence"}})
    got = both(conds, [voting, absence])
    assert len(got[0]) == 300 + 1 + len([i for i in range(200) if kinds[i % len(kinds)] == "voting"])


# --- errors, state, threads, reloads ------------------------------------------------------------------


def test_match_time_failure_is_typed_and_the_next_call_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    c = [cond({"act.kind": "voting"})]
    m = DurableMatcher(c)
    f = flat({"act": {"kind": "voting"}})
    real = durable_mod._engine()

    class Failing:
        """The C module, except that assert_fact fails as it does beyond a limit."""

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def assert_fact(self, handle: int, text: str) -> Any:
            raise real.error("Could not assert fact, error code: 303")

    try:
        monkeypatch.setattr(m, "_engine", Failing())
        with pytest.raises(BackendLimitError) as err:
            m.match(f)
        assert "303" in str(err.value)
        monkeypatch.setattr(m, "_engine", real)
        assert m.match(f) == [0]
    finally:
        m.close()


def test_no_state_accumulates_between_calls() -> None:
    c = [cond({"act.kind": "voting"}), cond({"act.kind": "absence"})]
    m = DurableMatcher(c)
    try:
        for _ in range(3000):  # more than the 1,024 sessions a ruleset holds
            assert m.match(flat({"act": {"kind": "voting"}})) == [0]
            assert m.match(flat({"act": {"kind": "absence"}})) == [1]
            assert m.match(flat({"act": {"kind": "civic_event"}})) == []
    finally:
        m.close()


def test_closed_matcher_refuses_and_close_is_idempotent() -> None:
    m = DurableMatcher([cond({"act.kind": "voting"})])
    m.close()
    m.close()
    with pytest.raises(BackendUnavailable):
        m.match(flat({"act": {"kind": "voting"}}))


def test_threads_get_the_same_answers_as_native() -> None:
    engine_n = Engine.default()
    engine_d = Engine.default(backend="durable")
    facts = [{"occurred_on": "2024-01-10", "actor": {"status": s}, "act": a}
             for s in ("pns", "pppk") for a in (
                 {"kind": "campaign_attendance", "role": "participant", "party_attributes": True,
                  "state_facilities": True},
                 {"kind": "party_membership", "role": "member"}, {"kind": "absence", "cumulative_days": 12},
                 {"kind": "voting"})]
    expected = [engine_n.evaluate(f).rule_ids for f in facts]
    errors: list[str] = []

    def work() -> None:
        for i in range(150):
            k = i % len(facts)
            got = engine_d.evaluate(facts[k]).rule_ids
            if got != expected[k]:
                errors.append(f"{facts[k]}: {got} != {expected[k]}")

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    engine_d.close()
    assert not errors


def test_reloads_leak_no_threads_and_free_rulesets() -> None:
    packs = Engine.default().packs
    threads_before = threading.active_count()
    for i in range(150):
        e = Engine(packs, backend="durable")
        e.evaluate({"occurred_on": "2024-01-10", "actor": {"status": "pns"}, "act": {"kind": "voting"}})
        if i % 2:
            e.close()
        del e  # the other half is collected without close(): its rulesets are freed by a later call
    gc.collect()
    e = Engine(packs, backend="durable")
    e.close()
    assert not durable_mod._ORPHANS
    assert threading.active_count() == threads_before


def _rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/status"), reason="needs /proc")
def test_reloads_free_session_memory() -> None:
    # delete_ruleset alone left each ruleset's session behind: about 675 KiB per reload of the bundled packs
    conds = [r.nnf for r in Engine.default().rules]
    probe = flat({"act": {"kind": "campaign_attendance", "role": "listener", "party_attributes": True}})
    for _ in range(20):
        make_matcher("durable", conds).close()
    gc.collect()
    before = _rss_kib()
    for _ in range(100):
        m = make_matcher("durable", conds)
        m.match(probe)
        m.close()
    gc.collect()
    assert _rss_kib() - before < 16_000


def test_unavailable_on_python_313_names_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(durable_mod, "_python_version", lambda: (3, 13))
    reason = unavailable_reason()
    assert reason is not None and "3.13" in reason and "native" in reason
    with pytest.raises(BackendUnavailable) as err:
        Engine.default(backend="durable")
    assert "3.13" in str(err.value)
    native = Engine.default()
    assert native.evaluate({"occurred_on": "2024-01-10", "actor": {"status": "pns"},
                            "act": {"kind": "voting"}}).status in ("no_violation", "undetermined")


def test_deeply_nested_rule_is_sent_as_its_conjunctions() -> None:
    """durable_rules refuses a rule with more than 15 all/any parts (error 113): the backend sends such a
    rule as one durable rule per DNF conjunction, and the matches stay those of the native backend."""
    from netral_rules.backends.durable import MAX_EXPRESSION_NODES, _nodes, rule_expressions
    from netral_rules.conditions import All, AnyOf, Compare, to_nnf

    roles = ("listener", "participant", "speaker", "organiser", "campaign_team")
    pairs = [("act.party_attributes", "act.state_facilities")] * 5 + [("act.civil_service_attributes",
                                                                          "act.mobilised_civil_servants")] * 3
    branches = tuple(
        All((Compare("act.kind", "eq", "campaign_attendance"), Compare("act.role", "eq", role),
             AnyOf((Compare(a, "eq", True), Compare(b, "eq", True)))))
        for role, (a, b) in zip(roles + roles[:3], pairs, strict=True)
    )  # 18 all/any parts with the marker: beyond the C engine's 15
    nnf = to_nnf(AnyOf(branches))
    m = make_matcher("durable", [nnf])
    n = make_matcher("native", [nnf])
    try:
        assert len(rule_expressions(0, nnf, m._enc)) == 16
        assert all(_nodes(e) <= MAX_EXPRESSION_NODES for e in rule_expressions(0, nnf, m._enc))
        for role in ("listener", "speaker", "campaign_team"):
            for attrs in ({"act.party_attributes": True}, {"act.state_facilities": False}, {},
                          {"act.mobilised_civil_servants": True}):
                flat = {"act.kind": "campaign_attendance", "act.role": role, **attrs}
                assert m.match(flat) == n.match(flat)
    finally:
        m.close()
