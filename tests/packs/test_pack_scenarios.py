"""Every scenario of every bundled rule pack (rules/*/tests/*.yaml) as its own pytest case.

The scenarios are the lawyers' tests of the packs; this file only runs them through the library's own runner,
so a failure prints the same differences that ``netral-rules test rules/`` prints.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netral_rules.batch.scenarios import ScenarioRunner, all_scenarios
from netral_rules.decide.engine import Engine, load_packs

RULES = Path(__file__).resolve().parents[2] / "rules"


@pytest.fixture(scope="module")
def runner() -> ScenarioRunner:
    r = ScenarioRunner(Engine.from_paths([RULES]))
    yield r
    r.close()


def _scenarios() -> list[pytest.param]:
    engine = Engine.from_paths([RULES])
    return [pytest.param(sc, id=f"{sc.pack_id}: {sc.scenario.name}") for sc in all_scenarios(engine)]


def test_packs_load_without_problems() -> None:
    _, problems = load_packs([RULES])
    assert [str(p) for p in problems] == []


def test_at_least_120_scenarios() -> None:
    assert len(_scenarios()) >= 120


@pytest.mark.parametrize("scenario", _scenarios())
def test_scenario(runner: ScenarioRunner, scenario: object) -> None:
    result = runner.run_one(scenario)  # type: ignore[arg-type]
    assert result.error is None, result.error
    assert result.passed, "\n".join(str(d) for d in result.differences)
