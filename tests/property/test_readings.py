"""Properties of the readings of incomplete reports (the outcome range, the irrelevant fields, the questions):

1. filling in unknown fields with any allowed values gives an outcome inside the announced range;
2. a field announced as irrelevant never changes the outcome;
3. the first question, answered with any of its answers, never widens the range;
4. a report complete for its rules gets no readings, and the decision the direct stages give.

"Allowed" values respect the fact model's constraints (fact/constraints.yaml); a drawn completion that breaks
one is discarded, not counted.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from hypothesis import assume, event, given
from hypothesis import strategies as st

from netral_rules import Decision, Engine, parse_fact
from netral_rules.decide.questions import put
from netral_rules.decide.readings import Choice
from netral_rules.errors import FactError
from netral_rules.fact.constraints import value_bounds
from netral_rules.testing import engine_facts, incomplete_facts
from netral_rules.vocabulary import headline_rank


def _rank(violation: bool, category: str | None, level: str | None) -> float:
    return -1.0 if not violation else headline_rank(level, category)


def _range(d: Decision) -> tuple[float, float]:
    if d.readings is not None:
        lo, hi = d.readings.lightest, d.readings.heaviest
        return _rank(lo.violation, lo.category, lo.level), _rank(hi.violation, hi.category, hi.level)
    r = _rank(d.aggregate.level is not None, d.aggregate.category, d.aggregate.level)
    return r, r


def _choices(engine: Engine, fact: dict[str, Any], path: str) -> tuple[Choice, ...]:
    stages = engine.stages
    prepared = stages.prepare(parse_fact(fact))
    epoch = stages.law_in_force(prepared)
    return stages._domain(path, prepared.flat.get("act.kind"), epoch)


def _value(choice: Choice, rnd: random.Random) -> Any:
    if not choice.region:
        return choice.value
    lo, hi = choice.low, choice.high
    if isinstance(choice.value, dt.date):
        lo = lo or choice.value - dt.timedelta(days=400)
        hi = hi or choice.value + dt.timedelta(days=400)
        return lo + dt.timedelta(days=rnd.randint(0, (hi - lo).days))
    if isinstance(choice.value, int):
        lo = choice.value - 50 if lo is None else lo
        hi = choice.value + 50 if hi is None else hi
        return rnd.randint(int(lo), int(hi))
    lo = choice.value - 5 if lo is None else lo
    hi = choice.value + 5 if hi is None else hi
    return rnd.uniform(float(lo), float(hi)) if math.isfinite(lo) and math.isfinite(hi) else choice.value


def _consistent(engine: Engine, fact: dict[str, Any]) -> bool:
    flat = engine.stages.prepare(parse_fact(fact)).flat

    def bounds(path: str) -> tuple[float, float] | None:
        v = flat.get(path)
        return value_bounds(v) if v is not None else None

    return all(c.possible(flat, bounds) for c in engine.stages.constraints)


def _fill(engine: Engine, fact: dict[str, Any], paths: list[str], seed: int) -> dict[str, Any] | None:
    rnd = random.Random(seed)
    out = fact
    for path in paths:
        try:
            choices = _choices(engine, out, path)
        except FactError:  # the values filled in so far break the model (a regional office, another contest)
            return None
        if not choices:
            return None
        out = put(out, path, _value(rnd.choice(choices), rnd))
    try:
        parse_fact(out)
    except Exception:  # a value the model refuses (a date out of range): not an allowed completion
        return None
    return out if _consistent(engine, out) else None


def _incomplete(engine: Engine, data: st.DataObject) -> tuple[dict[str, Any], Decision]:
    fact = data.draw(incomplete_facts(engine))
    d = engine.evaluate(fact)
    assume(d.readings is not None)
    event(f"readings: violation in {d.readings.violation} reading(s)")
    return fact, d


@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_any_completion_lies_inside_the_range(native: Engine, data: st.DataObject, seed: int) -> None:
    fact, d = _incomplete(native, data)
    assert d.readings is not None
    unknown = sorted({q.field for q in d.readings.questions} | set(d.readings.irrelevant))
    some = data.draw(st.lists(st.sampled_from(unknown), min_size=1, unique=True)) if unknown else []
    filled = _fill(native, fact, some, seed)
    assume(filled is not None)
    assert filled is not None
    lo, hi = _range(d)
    new_lo, new_hi = _range(native.evaluate(filled))
    assert lo <= new_lo <= new_hi <= hi, (some, (lo, hi), (new_lo, new_hi))


@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_an_irrelevant_field_never_changes_the_outcome(native: Engine, data: st.DataObject, seed: int) -> None:
    fact, d = _incomplete(native, data)
    assert d.readings is not None
    assume(d.readings.irrelevant)
    path = data.draw(st.sampled_from(d.readings.irrelevant))
    filled = _fill(native, fact, [path], seed)
    assume(filled is not None)
    assert filled is not None
    after = native.evaluate(filled)
    assert _range(after) == _range(d), path


@given(data=st.data())
def test_the_first_question_never_widens_the_range(native: Engine, data: st.DataObject) -> None:
    fact, d = _incomplete(native, data)
    assert d.readings is not None
    assume(d.readings.questions)
    q = d.readings.questions[0]
    lo, hi = _range(d)
    narrowed = False
    for a in q.answers:
        answered = put(fact, q.field, a.value)
        try:
            after = native.evaluate(answered)
        except Exception:
            continue
        new_lo, new_hi = _range(after)
        assert lo <= new_lo <= new_hi <= hi, (q.field, a.value)
        narrowed = narrowed or (new_lo, new_hi) != (lo, hi)
    assert narrowed, f"no answer to the first question ({q.field}) changes the range"


@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_a_complete_report_gets_the_direct_decision(engine: Engine, data: st.DataObject, seed: int) -> None:
    fact = data.draw(engine_facts(engine))
    stages = engine.stages
    for _ in range(6):  # fill in what the rules still read, until nothing is left
        prepared = stages.prepare(parse_fact(fact))
        epoch = stages.law_in_force(prepared)
        if not epoch.in_force:
            break
        unknown = stages.unknown(prepared, epoch)
        if not unknown:
            break
        filled = _fill(engine, fact, list(unknown), seed)
        assume(filled is not None)
        assert filled is not None
        fact = filled
    prepared = stages.prepare(parse_fact(fact))
    epoch = stages.law_in_force(prepared)
    assume(epoch.in_force and not stages.unknown(prepared, epoch))
    assume(not stages._prior_types(prepared.fact, epoch.ladders))
    d = engine.evaluate(fact)
    assert d.readings is None
    # the direct stages, without the readings
    prepared.notes.extend(engine.law.unbound_notes_for(epoch, prepared.flat))
    matched = stages.set_aside(stages.match(prepared, epoch))
    from netral_rules.decide.stages import _finding

    findings = [_finding(engine.law.rules[i], prepared.flat) for i in matched.kept]
    agg = stages.aggregate(prepared, epoch, matched, findings)
    direct = stages.assemble(prepared, matched, findings, stages.undetermined(prepared, epoch, matched), agg,
                             chosen=stages.setting_readings(prepared, epoch))
    assert d == direct
    assert d.status in ("violation", "no_violation")  # nothing is left undetermined on a complete report
