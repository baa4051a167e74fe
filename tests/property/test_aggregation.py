"""Property 5: aggregation follows PP 94/2021 Pasal 35.

* the aggregate level is the heaviest finding's level (when no earlier sanction is involved);
* an earlier sanction of the same nature never lowers the outcome;
* an aggravating circumstance (state facilities, mobilising other civil servants) never lowers the level.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from netral_rules import Decision, Engine
from netral_rules.testing import facts, rule_witness
from netral_rules.vocabulary import LEVEL_RANK, headline_rank


def _rank(level: str | None) -> int:
    return LEVEL_RANK.get(level or "", 0)


def _max_rank(d: Decision) -> int:
    ranks = [_rank(o.level) for o in d.aggregate.outcomes]
    return max(ranks, default=0)


@st.composite
def _violations(draw: st.DrawFn, engine: Engine) -> dict[str, Any]:
    rules = draw(st.lists(st.sampled_from(engine.rules), min_size=1, max_size=1))
    return draw(rule_witness(rules[0]))


@given(data=st.data())
def test_aggregate_is_heaviest_finding(native: Engine, data: st.DataObject) -> None:
    fact = data.draw(_violations(native))
    fact.get("actor", {}).pop("prior_sanctions", None)
    d = native.evaluate(fact)
    assume(d.findings)
    # per category, an assigned level wins over findings whose level the law leaves open; across categories
    # the headline is the heaviest outcome (an open disciplinary level is never hidden behind a moral one)
    expected: dict[str, str] = {}
    for f in d.findings:
        current = expected.get(f.category)
        if current is None or _rank(f.level) > _rank(current) or (current not in LEVEL_RANK and f.level in LEVEL_RANK):
            expected[f.category] = f.level
    top = max(headline_rank(level, cat) for cat, level in expected.items())
    assert headline_rank(d.aggregate.level, d.aggregate.category) == top
    assert d.aggregate.category in {cat for cat, level in expected.items() if headline_rank(level, cat) == top}
    assert not d.aggregate.repeat
    for outcome in d.aggregate.outcomes:  # one sanction menu per category: never punished twice
        assert len({o.code for o in outcome.sanctions}) == len(outcome.sanctions)


@given(data=st.data(), days_before=st.integers(1, 2000),
       level=st.sampled_from(["ringan", "sedang", "berat", "moral"]), typed=st.booleans())
def test_prior_sanction_of_same_nature_never_lowers(native: Engine, data: st.DataObject, days_before: int,
                                                     level: str, typed: bool) -> None:
    fact = data.draw(_violations(native))
    fact.get("actor", {}).pop("prior_sanctions", None)
    before = native.evaluate(fact)
    natures = sorted({f.nature for f in before.findings if f.nature})
    assume(natures)
    nature = data.draw(st.sampled_from(natures))
    occurred = dt.date.fromisoformat(fact["occurred_on"])
    prior: dict[str, Any] = {"imposed_on": (occurred - dt.timedelta(days=days_before)).isoformat(), "level": level,
                             "nature": nature}
    if typed:
        codes = [o.code for menu in (m for f in before.findings for m in f.sanctions) for o in menu.options]
        if codes:
            prior["sanction"] = data.draw(st.sampled_from(codes))
    after_fact = copy.deepcopy(fact)
    after_fact["actor"]["prior_sanctions"] = [prior]
    after = native.evaluate(after_fact)
    assert after.rule_ids == before.rule_ids
    assert _rank(after.aggregate.level) >= _rank(before.aggregate.level)
    assert _max_rank(after) >= _max_rank(before)


@given(fact=facts(kinds=["campaign_attendance"]), which=st.sampled_from(["state_facilities",
                                                                       "mobilised_civil_servants"]))
def test_aggravating_circumstance_never_lowers(native: Engine, fact: dict[str, Any], which: str) -> None:
    before = native.evaluate(fact)
    worse = copy.deepcopy(fact)
    worse["act"][which] = True
    after = native.evaluate(worse)
    assert _rank(after.aggregate.level) >= _rank(before.aggregate.level), (before.rule_ids, after.rule_ids)
    assert _max_rank(after) >= _max_rank(before)
