"""Every rule of the bundled packs is exercised by the packs' own scenarios both ways: some scenario whose decision
holds the rule (a finding, or a finding set aside by a more specific rule), and some near miss that does not
hold it (a scenario naming it under ``excludes_rules``, or a scenario about the same kind of act whose decision
does not hold it). A rule no scenario fires is untested law; a rule no near miss surrounds may hold too widely.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from netral_rules.batch.scenarios import ScenarioResult, run_scenarios
from netral_rules.decide.decision import Decision
from netral_rules.decide.engine import Engine

RULES = Path(__file__).resolve().parents[2] / "rules"


def held(decision: Decision) -> set[str]:
    """The rules that hold on the decision's report: its findings and the findings set aside."""
    return {f.rule_id for f in decision.findings} | {a.rule_id for a in decision.set_aside}


@pytest.fixture(scope="module")
def results() -> Iterator[tuple[Engine, list[tuple[ScenarioResult, object]]]]:
    with Engine.from_paths([RULES]) as engine:
        scenarios = {(sc.pack_id, sc.scenario.name): sc.scenario for pack in engine.packs for sc in pack.scenarios}
        out = [(r, scenarios[(r.pack_id, r.name)]) for r in run_scenarios(engine)]
        yield engine, out


def test_every_rule_fires_in_some_scenario_and_misses_in_another(
    results: tuple[Engine, list[tuple[ScenarioResult, object]]],
) -> None:
    engine, runs = results
    decided = [(r.decision, sc) for r, sc in runs if r.decision is not None]
    assert len(decided) == len(runs), [r.label for r, _ in runs if r.decision is None]
    fires: dict[str, set[str]] = {}  # rule -> act kinds of the scenarios holding it
    for decision, sc in decided:
        for rule_id in held(decision):
            fires.setdefault(rule_id, set()).add(sc.fact["act"]["kind"])  # type: ignore[attr-defined]
    never = sorted(r.id for r in engine.rules if r.id not in fires)
    assert never == [], f"rules no scenario holds: {never}"
    missed: set[str] = set()
    for decision, sc in decided:
        missed.update(sc.expect.excludes_rules)  # type: ignore[attr-defined]
        kind = sc.fact["act"]["kind"]  # type: ignore[attr-defined]
        missed.update(r for r, kinds in fires.items() if kind in kinds and r not in held(decision))
    no_near_miss = sorted(r.id for r in engine.rules if r.id not in missed)
    assert no_near_miss == [], f"rules without a near miss: {no_near_miss}"
