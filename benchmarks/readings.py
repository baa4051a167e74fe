"""What incomplete reports cost: ``python -m benchmarks.readings [--facts N] [--repeats N] [--quick]``.

Draws a seeded pool of incomplete reports (``netral_rules.testing.incomplete_facts``: the benchmark facts with
some optional fields left out) and splits it into the reports that get readings and those that do not (complete
for the rules in force). Both kinds are decided interleaved, a chunk of each in turn, in one process, and the
median cost per decision of each is reported with their ratio: the issue's goal is at most 20x.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings

from netral_rules import Engine
from netral_rules.testing import incomplete_facts


def pool(engine: Engine, n: int, seed_value: int = 20240214) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    @seed(seed_value)
    @settings(max_examples=n, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(incomplete_facts(engine))
    def collect(fact: dict[str, Any]) -> None:
        out.append(fact)

    collect()
    return out[:n]


def _per_decision(engine: Engine, facts: Sequence[Any]) -> float:
    start = time.process_time()
    for f in facts:
        engine.evaluate(f)
    return (time.process_time() - start) / max(1, len(facts))


def measure(engine: Engine, facts: list[dict[str, Any]], repeats: int, chunk: int = 50) -> dict[str, Any]:
    incomplete = [f for f in facts if engine.evaluate(f).readings is not None]
    complete = [f for f in facts if engine.evaluate(f).readings is None]
    inc: list[float] = []
    com: list[float] = []
    for _ in range(repeats):  # interleaved: machine load moves both alike
        for k in range(0, max(len(incomplete), len(complete)), chunk):
            if incomplete[k:k + chunk]:
                inc.append(_per_decision(engine, incomplete[k:k + chunk]))
            if complete[k:k + chunk]:
                com.append(_per_decision(engine, complete[k:k + chunk]))
    readings = [len(engine.evaluate(f).readings.questions) for f in incomplete]  # type: ignore[union-attr]
    out = {
        "facts": len(facts),
        "incomplete": len(incomplete),
        "complete": len(complete),
        "incomplete_us_median": statistics.median(inc) * 1e6 if inc else None,
        "complete_us_median": statistics.median(com) * 1e6 if com else None,
        "questions_per_incomplete_mean": statistics.mean(readings) if readings else 0,
    }
    if inc and com:
        out["ratio"] = out["incomplete_us_median"] / out["complete_us_median"]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.readings", description=__doc__.split("\n")[0])
    parser.add_argument("--facts", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="a few facts, one pass: the smoke test's run")
    args = parser.parse_args(argv)
    n, repeats = (60, 1) if args.quick else (args.facts, args.repeats)
    with Engine.default() as engine:
        result = measure(engine, pool(engine, n), repeats)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
