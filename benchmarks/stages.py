"""Where ``Engine.evaluate`` spends its time: each stage of a decision timed alone, on the benchmark facts.

    python -m benchmarks.stages [--facts N] [--repeats N]

Each stage is run by itself over the whole pool (the same calls the engine makes, on inputs prepared
beforehand), so the stages add up to about the whole; what is left is the engine's own glue. It reads
engine internals on purpose (what a profile would show), and is kept running by the benchmark smoke test.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
from collections.abc import Sequence

from netral_rules import Engine
from netral_rules.decide.stages import _finding, _to_json
from netral_rules.fact.derive import derive
from netral_rules.fact.fields import flatten
from netral_rules.fact.model import Fact

from .facts import fact_pool
from .run import per_item


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stages", description=__doc__.split("\n")[0])
    parser.add_argument("--facts", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--seed", type=int, default=20240214)
    args = parser.parse_args(argv)
    engine = Engine.default()
    stages = engine.stages
    law = engine.law
    pool = fact_pool(engine, args.facts, args.seed)
    models = [Fact.model_validate(f) for f in pool]
    preps = [stages.prepare(m) for m in models]
    epochs = [stages.law_in_force(p) for p in preps]
    idx = [i for i in range(len(pool)) if epochs[i].in_force]
    holding = {i: stages.match(preps[i], epochs[i]) for i in idx}
    matched = {i: stages.set_aside(holding[i]) for i in idx}
    findings = {i: [_finding(law.rules[r], preps[i].flat) for r in matched[i].kept] for i in idx}
    decisions = [engine.evaluate(f) for f in pool]

    def build_findings(i: int) -> None:
        for r in matched[i].kept:
            _finding(law.rules[r], preps[i].flat)

    rows = [
        ("pydantic validation", per_item(Fact.model_validate, pool, args.repeats)),
        ("input hash (JSON of the fact + SHA-256)",
         per_item(lambda m: hashlib.sha256(_to_json(m)).hexdigest(), models, args.repeats)),
        ("flatten + derived values", per_item(lambda m: derive(m, flatten(m)), models, args.repeats)),
        ("prepare (hash, audit, flatten, derive)", per_item(stages.prepare, models, args.repeats)),
        ("law in force (epoch)", per_item(stages.law_in_force, preps, args.repeats)),
        ("match (epoch's rules)", per_item(lambda i: stages.match(preps[i], epochs[i]), idx, args.repeats)),
        ("set aside", per_item(lambda i: stages.set_aside(holding[i]), idx, args.repeats)),
        ("undetermined rules (scan, deciding fields)",
         per_item(lambda i: stages.undetermined(preps[i], epochs[i], matched[i]), idx, args.repeats)),
        ("findings (witness, explanation, object)", per_item(build_findings, idx, args.repeats)),
        ("aggregate", per_item(lambda i: stages.aggregate(preps[i], epochs[i], matched[i], findings[i]), idx,
                               args.repeats)),
    ]
    whole = per_item(engine.evaluate, pool, args.repeats)
    parts = sum(t for name, t in rows[3:])
    rows += [("rest: assemble, notes, glue", whole - parts),
             ("evaluate (whole)", whole),
             ("decision JSON (pydantic)", per_item(lambda d: d.model_dump_json(), decisions, args.repeats)),
             ("decision JSON (Engine.decision_json)", per_item(engine.decision_json, decisions, args.repeats))]
    print(f"{len(pool)} facts, findings per fact {statistics.mean(len(d.findings) for d in decisions):.2f}, "
          f"undetermined per fact {statistics.mean(len(d.undetermined) for d in decisions):.2f}")
    for name, seconds in rows:
        print(f"{name:<52}{seconds * 1e6:>9.2f} us")
    return 0


if __name__ == "__main__":
    sys.exit(main())
