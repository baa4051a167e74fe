"""Soak test of the durable backend: memory and threads across reloads and evaluations.

    python benchmarks/durable_soak.py                      # 10,000 reloads, 100,000 evaluations
    python benchmarks/durable_soak.py --reloads 1000 --evaluations 10000 --engine-reloads 200

Measures the resident set size (VmRSS) and the thread counts (Python threads and OS threads of the process)
before and after:

* ``--reloads`` matcher reloads: compile the bundled packs' conditions into a new durable matcher, match
  one fact, close it (what an engine reload does to the backend);
* ``--engine-reloads`` whole-engine reloads over the already-loaded packs (``Engine(packs, backend=...)``),
  half closed explicitly and half left to the garbage collector;
* ``--evaluations`` full ``Engine.evaluate`` calls through one durable engine, cycling over generated facts
  (witnesses of every rule, so that rules fire).

Not a timed test: run it by hand (or in a scheduled job) and read the numbers.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import threading
import time
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netral_rules import Engine
from netral_rules.backends import make_matcher
from netral_rules.testing import facts, rule_witness


def rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def snapshot(label: str) -> dict[str, Any]:
    gc.collect()
    return {"at": label, "rss_kib": rss_kib(), "python_threads": threading.active_count(),
            "os_threads": len(os.listdir("/proc/self/task"))}


def sample_facts(engine: Engine, n: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    strategy = st.one_of(facts(), st.sampled_from(engine.rules).flatmap(rule_witness))

    @settings(max_examples=n, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(fact: dict[str, Any]) -> None:
        out.append(fact)

    collect()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reloads", type=int, default=10_000)
    ap.add_argument("--engine-reloads", type=int, default=1_000)
    ap.add_argument("--evaluations", type=int, default=100_000)
    args = ap.parse_args()

    native = Engine.default()
    conditions = [r.nnf for r in native.rules]
    pool = sample_facts(native, 500)
    report: dict[str, Any] = {"rules": len(conditions), "facts_in_pool": len(pool), "phases": []}

    # warm up: first-use allocations of pydantic, the C module and the caches are not leaks
    warm = Engine(native.packs, backend="durable")
    for f in pool:
        warm.evaluate(f)
    warm.close()

    before = snapshot("start")
    t = time.perf_counter()
    probe = {"act.kind": "campaign_attendance", "act.party_attributes": True, "actor.status": "pns"}
    for _ in range(args.reloads):
        m = make_matcher("durable", conditions)
        m.match(probe)
        m.close()
    report["phases"].append({"phase": f"{args.reloads} matcher reloads", "seconds": round(time.perf_counter() - t, 2),
                             "before": before, "after": snapshot("after matcher reloads")})

    before = snapshot("start")
    t = time.perf_counter()
    for i in range(args.engine_reloads):
        e = Engine(native.packs, backend="durable")
        e.evaluate(pool[i % len(pool)])
        if i % 2:
            e.close()
        del e
    report["phases"].append({"phase": f"{args.engine_reloads} engine reloads (half closed, half collected)",
                             "seconds": round(time.perf_counter() - t, 2),
                             "before": before, "after": snapshot("after engine reloads")})

    engine = Engine(native.packs, backend="durable")
    before = snapshot("start")
    t = time.perf_counter()
    fired = 0
    mismatches = 0
    checkpoints = []
    for i in range(args.evaluations):
        fact = pool[i % len(pool)]
        d = engine.evaluate(fact)
        fired += len(d.findings)
        if i < len(pool) and d.rule_ids != native.evaluate(fact).rule_ids:
            mismatches += 1
        if (i + 1) % max(1, args.evaluations // 5) == 0:
            checkpoints.append({"evaluations": i + 1, "rss_kib": rss_kib()})
    elapsed = time.perf_counter() - t
    report["phases"].append({"phase": f"{args.evaluations} evaluations", "seconds": round(elapsed, 2),
                             "per_second": round(args.evaluations / elapsed), "findings": fired,
                             "mismatches_vs_native_on_first_pass": mismatches, "rss_checkpoints": checkpoints,
                             "before": before, "after": snapshot("after evaluations")})
    engine.close()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
