"""Where ``Engine.evaluate`` spends its time: each stage of a decision timed alone, on the benchmark facts.

    python -m benchmarks.stages [--facts N] [--repeats N]

Each stage is run by itself over the reports complete for the rules in force (the same calls the engine
makes, on inputs prepared beforehand), the stages interleaved in small chunks with each other and with the
whole ``evaluate`` (see :mod:`.harness`), on the CPU clock, so that the stages add up to about the whole; what
is left is the engine's own glue. It reads engine internals on purpose (what a profile would show), and is
kept running by the benchmark smoke test.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
from collections.abc import Sequence
from dataclasses import replace

from netral_rules import Engine
from netral_rules.decide.stages import Prepared, _finding, _to_json
from netral_rules.fact.derive import derive
from netral_rules.fact.fields import flatten
from netral_rules.fact.model import Fact

from .facts import fact_pool, split
from .harness import Measure, interleave


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stages", description=__doc__.split("\n")[0])
    parser.add_argument("--facts", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--chunk", type=int, default=50)
    parser.add_argument("--seed", type=int, default=20240214)
    args = parser.parse_args(argv)
    engine = Engine.default()
    stages = engine.stages
    law = engine.law
    pool, _ = split(engine, fact_pool(engine, args.facts, args.seed))
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

    notes = {i: list(preps[i].notes) for i in idx}

    def fresh(i: int) -> Prepared:
        # assemble adds to the prepared notes: each call gets the notes as prepare left them
        return replace(preps[i], notes=list(notes[i]))

    aggs = {i: stages.aggregate(preps[i], epochs[i], matched[i], findings[i]) for i in idx}

    def undetermined(i: int) -> None:
        preps[i].open = None  # as evaluate does it: the unknown stage finds the open rules first
        stages.unknown(preps[i], epochs[i])
        stages.undetermined(preps[i], epochs[i], matched[i])

    parts = [
        ("pydantic validation", Fact.model_validate, pool),
        ("input hash (JSON of the fact + SHA-256)", lambda m: hashlib.sha256(_to_json(m)).hexdigest(), models),
        ("flatten + derived values", lambda m: derive(m, flatten(m)), models),
        ("prepare (hash, audit, flatten, derive)", stages.prepare, models),
        ("law in force (epoch)", stages.law_in_force, preps),
        ("match (epoch's rules)", lambda i: stages.match(preps[i], epochs[i]), idx),
        ("set aside", lambda i: stages.set_aside(holding[i]), idx),
        ("unknown fields + undetermined rules", undetermined, idx),
        ("findings (witness, explanation, object)", build_findings, idx),
        ("aggregate", lambda i: stages.aggregate(preps[i], epochs[i], matched[i], findings[i]), idx),
        ("assemble", lambda i: stages.assemble(fresh(i), matched[i], findings[i], (), aggs[i]), idx),
        ("(a copy of the prepared report)", fresh, idx),
        ("evaluate (whole)", engine.evaluate, pool),
        ("decision JSON (pydantic)", lambda d: d.model_dump_json(), decisions),
        ("decision JSON (Engine.decision_json)", engine.decision_json, decisions),
    ]
    rounds = interleave([Measure(name, fn, items) for name, fn, items in parts], repeats=args.repeats,
                        chunk=args.chunk)
    cost = {name: r.summary()["cpu_us"] for name, r in rounds.items()}
    # the stages evaluate runs, in its order (prepare includes hash and flatten; the assemble measure assembles
    # a copy of the prepared report, whose cost is taken out of it)
    staged = ["prepare (hash, audit, flatten, derive)", "law in force (epoch)", "match (epoch's rules)", "set aside",
              "unknown fields + undetermined rules", "findings (witness, explanation, object)", "aggregate"]
    assemble = cost["assemble"] - cost["(a copy of the prepared report)"]
    whole = cost["evaluate (whole)"]
    rest = whole - cost["pydantic validation"] - sum(cost[s] for s in staged) - assemble
    print(f"{len(pool)} complete reports, findings per fact {statistics.mean(len(d.findings) for d in decisions):.2f}, "
          f"undetermined per fact {statistics.mean(len(d.undetermined) for d in decisions):.2f} (CPU us per fact)")
    for name, _, _ in parts:
        if name.startswith("("):
            continue
        shown = assemble if name == "assemble" else cost[name]
        print(f"{name:<52}{shown:>9.2f} us")
        if name == "assemble":
            print(f"{'rest: glue (evaluate less the stages)':<52}{rest:>9.2f} us")
    return 0


if __name__ == "__main__":
    sys.exit(main())
