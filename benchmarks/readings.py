"""What incomplete reports cost: ``python -m benchmarks.readings [--facts N] [--repeats N] [--quick]``.

Draws a seeded pool of incomplete reports (``netral_rules.testing.incomplete_facts``: the benchmark facts with
some optional fields left out) and splits it into the reports that get readings and those that do not (complete
for the rules in force). Each decision is timed alone, on the process's CPU clock (the cost of reading the clock
subtracted), an incomplete and a complete report in turn, in one process, so that machine load moves both
alike; each report is decided once per repeat and its cost is the median of its repeats. The figures are the
median decision of each kind and their ratio: issue 10's budget is at most 20x. (A mean per chunk of decisions,
as this benchmark reported before, lets a few reports with many readings weigh in; the mean is shown beside the
median.)
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
from collections.abc import Sequence
from itertools import cycle, islice
from typing import Any

from netral_rules import Engine
from netral_rules.testing import incomplete_facts

from .facts import draw, split
from .harness import cpu_ns, load, timer_overhead_ns


def pool(engine: Engine, n: int, seed_value: int = 20240214) -> list[dict[str, Any]]:
    return draw(incomplete_facts(engine), n, seed_value)


def _quantile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(q * len(s)))]


def per_decision(engine: Engine, incomplete: list[Any], complete: list[Any], repeats: int) -> dict[str, Any]:
    """Each decision timed alone, the two kinds in turn; per-decision medians over ``repeats``."""
    evaluate = engine.evaluate
    for f in (*incomplete, *complete):  # warm: compiled readers, domains and aggregates as a long run has them
        evaluate(f)
    overhead = timer_overhead_ns()
    inc: list[list[float]] = [[] for _ in incomplete]
    com: list[list[float]] = [[] for _ in complete]
    rounds: list[tuple[float, float]] = []  # per repeat: (median incomplete, median complete) of that repeat
    n = max(len(incomplete), len(complete))
    before = load()
    for _ in range(repeats):
        gc.collect()
        this_inc: list[float] = []
        this_com: list[float] = []
        pairs = zip(islice(cycle(range(len(incomplete))), n), islice(cycle(range(len(complete))), n), strict=True)
        for i, j in pairs:
            c0 = cpu_ns()
            evaluate(incomplete[i])
            c1 = cpu_ns()
            evaluate(complete[j])
            c2 = cpu_ns()
            a, b = (c1 - c0 - overhead) / 1e3, (c2 - c1 - overhead) / 1e3
            inc[i].append(a)
            com[j].append(b)
            this_inc.append(a)
            this_com.append(b)
        rounds.append((statistics.median(this_inc), statistics.median(this_com)))
    inc_med = [statistics.median(x) for x in inc]
    com_med = [statistics.median(x) for x in com]
    reps = [a / b for a, b in rounds]
    return {
        "incomplete": len(incomplete),
        "complete": len(complete),
        "repeats": repeats,
        "incomplete_us_median": statistics.median(inc_med),
        "complete_us_median": statistics.median(com_med),
        "incomplete_us_mean": statistics.mean(inc_med),
        "complete_us_mean": statistics.mean(com_med),
        "incomplete_us_p90": _quantile(inc_med, 0.9),
        "ratio": statistics.median(inc_med) / statistics.median(com_med),
        "ratio_spread": [min(reps), max(reps)],
        "ratio_of_means": statistics.mean(inc_med) / statistics.mean(com_med),
        "timer_overhead_ns": overhead,
        "load_before": before,
        "load_after": load(),
    }


def measure(engine: Engine, facts: list[dict[str, Any]], repeats: int) -> dict[str, Any]:
    complete, incomplete = split(engine, facts)
    out: dict[str, Any] = {"facts": len(facts)}
    if incomplete and complete:
        out.update(per_decision(engine, incomplete, complete, repeats))
        out["questions_per_incomplete_mean"] = statistics.mean(
            len(engine.evaluate(f).readings.questions) for f in incomplete)  # type: ignore[union-attr]
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
