"""Every benchmark side by side, on the same seeded facts: ``python -m benchmarks.run [--quick]``.

Prints a table of throughputs and ratios and the issue's targets with their measured values, and writes
everything as JSON (``benchmarks/results/run-<time>.json`` unless ``--out`` says otherwise). Each
throughput is the median of several timed passes (``time.perf_counter``) over the same facts; the
machine may be shared, so medians, never means or bests. ``--quick`` runs every section on small inputs:
the test suite uses it so that this code cannot rot, and its numbers mean nothing.

Sections (see docs/performance.md for what each one measures and why):

* in-process throughput: pydantic validation alone, native and durable ``Engine.evaluate``, native
  matching and raw durable_rules matching of the same compiled rules;
* single-evaluation latency p50/p99, both backends;
* the batch CLI (``netral-rules check --json``) over JSON Lines, ``--jobs 1`` and ``--jobs 2``;
* synthetic packs of 10 to 10,000 rules;
* engine load time in fresh processes;
* RSS after 10,000 and after 1,000,000 evaluations, both backends, each in its own process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

from netral_rules import Engine
from netral_rules.backends.durable import unavailable_reason
from netral_rules.errors import BackendLimitError, NetralError
from netral_rules.fact.derive import derive
from netral_rules.fact.fields import flatten
from netral_rules.fact.model import Fact

from .facts import fact_pool
from .synthetic import SHAPES, write_pack

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


# --- measuring --------------------------------------------------------------------------------------


def per_item(fn: Callable[[Any], Any], items: Sequence[Any], repeats: int) -> float:
    """Median seconds per item over ``repeats`` passes (after one untimed warm-up pass)."""
    for x in items:
        fn(x)
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        for x in items:
            fn(x)
        times.append((time.perf_counter() - start) / len(items))
    return statistics.median(times)


def latencies(fn: Callable[[Any], Any], items: Sequence[Any], calls: int) -> dict[str, float]:
    """p50 and p99 of single calls, in microseconds (the pool is cycled)."""
    clock = time.perf_counter
    out = []
    for n in range(calls):
        x = items[n % len(items)]
        start = clock()
        fn(x)
        out.append(clock() - start)
    out.sort()
    return {"p50_us": out[len(out) // 2] * 1e6, "p99_us": out[min(len(out) - 1, int(len(out) * 0.99))] * 1e6,
            "calls": calls}


def prepared(engine: Engine, facts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Validated, flattened and enriched facts: what a matcher receives."""
    out = []
    for f in facts:
        model = Fact.model_validate(f)
        flat = flatten(model)
        derive(model, flat)
        out.append(flat)
    return out


class RawDurable:
    """The floor of durable_rules on the engine's own compiled rulesets: the C calls only.

    Facts are encoded and serialised to the JSON text durable_rules reads before timing; a match is the C
    module's ``assert_fact``, the action loop that hands back the fired rule names, and ``retract_fact``,
    for each ruleset that can hold rules for the fact's kind. No validation, no lock, no decision. It reads
    the durable matcher's compiled rulesets (``_rulesets``, ``_engine``): the backend exposes no public
    lower-level call, and these are exactly what its ``match`` drives.
    """

    def __init__(self, engine: Engine) -> None:
        self.matcher: Any = cast(Any, engine._matcher)
        self.c: Any = self.matcher._engine

    def encode(self, flat: dict[str, Any]) -> list[tuple[int, str, dict[str, int]]]:
        body = {"sid": "0", "id": "f", **self.matcher.encode(flat)}
        text = json.dumps(body, ensure_ascii=True, separators=(",", ":"))
        kind = flat.get("act.kind")
        return [(rs.handle, text, rs.names) for rs in self.matcher._rulesets if kind in rs.kinds]

    def match(self, calls: list[tuple[int, str, dict[str, int]]]) -> list[int]:
        c = self.c
        out: set[int] = set()
        for handle, text, names in calls:
            _, state = c.assert_fact(handle, text)
            result = c.start_action_for_state(handle, state)
            while result:
                for name in json.loads(result[1] if isinstance(result, tuple) else result):
                    if name in names:
                        out.add(names[name])
                result = c.complete_and_start_action(handle, state)
            c.retract_fact(handle, text)
        return sorted(out)


def rss_kb() -> tuple[int, int]:
    """(current RSS, peak RSS) of this process in kB, from /proc."""
    now = peak = 0
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                now = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1])
    return now, peak


def _child(args: list[str], timeout: float = 3600) -> dict[str, Any]:
    """Run ``python -m benchmarks.run --child ...`` in a fresh process; its last stdout line is JSON."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.run", "--child", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# --- children (fresh processes) ---------------------------------------------------------------------


def child_load() -> dict[str, Any]:
    # the modules are imported already (this file imports them); what is timed is Engine.default() in a
    # process that has never loaded a pack: read the YAML, lint, check quotes, compile, build the matcher
    start = time.perf_counter()
    engine = Engine.default()
    return {"load_s": time.perf_counter() - start, "rules": len(engine.rules)}


def child_rss(backend: str, pool_file: str, first: int, total: int) -> dict[str, Any]:
    facts = json.loads(Path(pool_file).read_text())
    engine = Engine.default(backend=backend)
    evaluate = engine.evaluate
    n = len(facts)
    for i in range(first):
        evaluate(facts[i % n])
    gc.collect()
    after_first, _ = rss_kb()
    start = time.perf_counter()
    for i in range(first, total):
        evaluate(facts[i % n])
    elapsed = time.perf_counter() - start
    gc.collect()
    after_total, peak = rss_kb()
    engine.close()
    return {"backend": backend, "first": first, "total": total, "rss_after_first_kb": after_first,
            "rss_after_total_kb": after_total, "peak_rss_kb": peak, "growth_kb": after_total - after_first,
            "seconds": elapsed}


# --- sections ---------------------------------------------------------------------------------------


def section_throughput(native: Engine, durable: Engine | None, facts: list[dict[str, Any]],
                       repeats: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    out["validate_us"] = per_item(Fact.model_validate, facts, repeats) * 1e6
    out["native_evaluate_us"] = per_item(native.evaluate, facts, repeats) * 1e6
    flats = prepared(native, facts)
    out["native_match_us"] = per_item(native._matcher.match, flats, repeats) * 1e6
    if durable is not None:
        out["durable_evaluate_us"] = per_item(durable.evaluate, facts, repeats) * 1e6
        raw = RawDurable(durable)
        encoded = [raw.encode(f) for f in flats]
        out["raw_durable_match_us"] = per_item(raw.match, encoded, repeats) * 1e6
        # the two matchers must agree, or the comparison means nothing
        mismatches = sum(raw.match(e) != native._matcher.match(f) for e, f in zip(encoded, flats, strict=True))
        out["match_disagreements"] = mismatches
        out["durable_rulesets"] = durable._matcher.rulesets  # type: ignore[attr-defined]
    decisions = [native.evaluate(f) for f in facts]
    out["statuses"] = dict(Counter(d.status for d in decisions))
    out["kinds"] = dict(Counter(f["act"]["kind"] for f in facts))
    out["findings_per_fact"] = statistics.mean(len(d.findings) for d in decisions)
    return out


def section_latency(native: Engine, durable: Engine | None, facts: list[dict[str, Any]],
                    calls: int) -> dict[str, Any]:
    out = {"native": latencies(native.evaluate, facts, calls)}
    if durable is not None:
        out["durable"] = latencies(durable.evaluate, facts, calls)
    return out


def section_cli(facts: list[dict[str, Any]], records: int, repeats: int, workdir: Path) -> dict[str, Any]:
    data = workdir / "facts.jsonl"
    with data.open("w", encoding="utf-8") as f:
        for i in range(records):
            f.write(json.dumps(facts[i % len(facts)], ensure_ascii=False) + "\n")
    out: dict[str, Any] = {"records": records}
    digests = {}
    for jobs in (1, 2):
        times = []
        target = workdir / f"out{jobs}.jsonl"
        for _ in range(repeats):
            with target.open("wb") as sink:
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", "check", "--json", "--quiet",
                                "--jobs", str(jobs), str(data)], stdout=sink, check=False, cwd=ROOT)
                times.append(time.perf_counter() - start)
        digests[jobs] = hashlib.sha256(target.read_bytes()).hexdigest()
        out[f"jobs{jobs}_s"] = statistics.median(times)
        out[f"jobs{jobs}_per_s"] = records / statistics.median(times)
    out["identical_output"] = digests[1] == digests[2]
    out["output_sha256"] = digests[1]
    return out


def epoch_rules(engine: Engine, facts: Sequence[dict[str, Any]]) -> list[frozenset[int]]:
    """The rules of each fact's epoch (in force on its date, binding its actor): what evaluate matches."""
    out = []
    for f in facts:
        model = Fact.model_validate(f)
        epoch = engine.law.epoch(model.occurred_on, model.actor.status)
        out.append(epoch.applicable if epoch.in_force else frozenset())
    return out


def section_scaling(facts: list[dict[str, Any]], sizes: Sequence[int], repeats: int, workdir: Path,
                    durable_ok: bool) -> list[dict[str, Any]]:
    rows = []
    for shape in SHAPES:
        for n in sizes:
            folder = write_pack(workdir / f"syn-{shape}-{n}", n, shape=shape)
            rows.append(_scaling_row(shape, n, folder, facts, repeats, durable_ok))
    return rows


def _scaling_row(shape: str, n: int, folder: Path, facts: list[dict[str, Any]], repeats: int,
                 durable_ok: bool) -> dict[str, Any]:
    row: dict[str, Any] = {"shape": shape, "rules": n}
    start = time.perf_counter()
    engine = Engine.from_paths([folder])
    row["native_load_s"] = time.perf_counter() - start
    row["native_evaluate_us"] = per_item(engine.evaluate, facts, repeats) * 1e6
    # matching as evaluate does it: the fact's epoch's rules only
    pairs = list(zip(prepared(engine, facts), epoch_rules(engine, facts), strict=True))
    row["native_match_us"] = per_item(lambda p: engine._matcher.match(*p), pairs, repeats) * 1e6
    row["rules_in_force_per_fact"] = statistics.mean(len(among) for _, among in pairs)
    row["matches_per_fact"] = statistics.mean(len(engine._matcher.match(*p)) for p in pairs)
    row["undetermined_per_fact"] = statistics.mean(len(engine.evaluate(f).undetermined) for f in facts)
    if durable_ok:
        try:
            start = time.perf_counter()
            durable = Engine.from_paths([folder], backend="durable")
        except BackendLimitError as exc:
            row["durable"] = f"refused: {exc.message}: {'; '.join(p.message for p in exc.problems)}"
        else:
            row["durable_load_s"] = time.perf_counter() - start
            row["durable_rulesets"] = durable._matcher.rulesets  # type: ignore[attr-defined]
            try:
                row["durable_evaluate_us"] = per_item(durable.evaluate, facts, max(1, repeats // 2)) * 1e6
            except NetralError as exc:
                row["durable"] = f"failed: {exc.message}"
            durable.close()
    return row


def section_load(repeats: int) -> dict[str, Any]:
    runs = [_child(["load"]) for _ in range(repeats)]
    return {"load_s": statistics.median(r["load_s"] for r in runs), "rules": runs[0]["rules"], "runs": len(runs)}


def section_rss(pool_file: Path, first: int, total: int, durable_ok: bool) -> dict[str, Any]:
    out = {"native": _child(["rss", "native", str(pool_file), str(first), str(total)])}
    if durable_ok:
        out["durable"] = _child(["rss", "durable", str(pool_file), str(first), str(total)])
    return out


# --- report -----------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "platform": platform.platform()}


def targets(r: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for each target of the issue that this run measured."""
    t = r["throughput"]
    out: list[tuple[str, str, bool | None]] = []
    if "raw_durable_match_us" in t:
        x = t["raw_durable_match_us"] / t["native_match_us"]
        out.append(("native matching >= 10x raw durable_rules matching", f"{x:.1f}x", x >= 10))
    x = t["native_evaluate_us"] / t["validate_us"]
    out.append(("native evaluate <= 2x pydantic validation alone", f"{x:.2f}x", x <= 2))
    if "durable_evaluate_us" in t:
        x = t["durable_evaluate_us"] / t["native_evaluate_us"]
        out.append(("native evaluate >= 2x durable evaluate throughput", f"{x:.2f}x", x >= 2))
    for shape in SHAPES:
        rows = {row["rules"]: row for row in r.get("scaling", []) if row.get("shape", "dense") == shape}
        if 100 in rows and 10000 in rows:
            x = rows[10000]["native_evaluate_us"] / rows[100]["native_evaluate_us"]
            m = rows[10000]["native_match_us"] / rows[100]["native_match_us"]
            out.append((f"cost per fact at 10,000 rules <= 5x cost at 100 ({shape})", f"{x:.2f}x", x <= 5))
            out.append(("  (matching alone)", f"{m:.2f}x", m <= 5))
    c = r.get("cli")
    if c:
        x = c["jobs1_per_s"] / (1e6 / t["native_evaluate_us"])
        out.append(("batch CLI --jobs 1 >= 50% of in-process throughput", f"{x:.0%}", x >= 0.5))
        x = c["jobs1_s"] / c["jobs2_s"]
        out.append(("--jobs 2 >= 1.8x --jobs 1, identical output",
                    f"{x:.2f}x, identical: {c['identical_output']}", x >= 1.8 and c["identical_output"]))
    if "load" in r:
        x = r["load"]["load_s"]
        out.append(("engine load (all bundled packs) < 0.5 s", f"{x:.3f} s", x < 0.5))
    for backend, m in r.get("rss", {}).items():
        g = m["growth_kb"] / 1024
        out.append((f"RSS after {m['total']:,} within 5 MB of after {m['first']:,} ({backend})",
                    f"{g:+.1f} MB (peak {m['peak_rss_kb'] / 1024:.0f} MB)", abs(g) <= 5))
    return out


def table(r: dict[str, Any]) -> str:
    t = r["throughput"]
    lines = [f"facts: {r['facts']} (seed {r['seed']}), repeats: {r['repeats']}, machine: {r['machine']['cpu']}, "
             f"{r['machine']['nproc']} cores, Python {r['machine']['python']}", "",
             f"{'measure':<44}{'us/fact':>10}{'facts/s':>12}{'vs validation':>15}"]
    names = [("validate_us", "pydantic validation alone"), ("native_evaluate_us", "native Engine.evaluate"),
             ("durable_evaluate_us", "durable Engine.evaluate"), ("native_match_us", "native matching"),
             ("raw_durable_match_us", "raw durable_rules matching")]
    for key, label in names:
        if key in t:
            lines.append(f"{label:<44}{t[key]:>10.2f}{1e6 / t[key]:>12,.0f}{t[key] / t['validate_us']:>14.2f}x")
    lat = r.get("latency", {})
    for backend, v in lat.items():
        lines.append(f"latency {backend:<36}p50 {v['p50_us']:.1f} us, p99 {v['p99_us']:.1f} us")
    if r.get("scaling"):
        lines += ["", f"{'shape':<10}{'rules':>7}{'load s':>9}{'evaluate us':>13}{'match us':>10}{'in force':>10}"
                  f"{'matches':>9}{'undet.':>8}{'durable us':>12}  durable"]
        for row in r["scaling"]:
            dur = f"{row['durable_evaluate_us']:>12.1f}" if "durable_evaluate_us" in row else f"{'-':>12}"
            note = row.get("durable", f"{row.get('durable_rulesets', '-')} ruleset(s)")
            lines.append(f"{row['shape']:<10}{row['rules']:>7}{row['native_load_s']:>9.2f}"
                         f"{row['native_evaluate_us']:>13.1f}"
                         f"{row['native_match_us']:>10.2f}{row['rules_in_force_per_fact']:>10.1f}"
                         f"{row['matches_per_fact']:>9.2f}"
                         f"{row['undetermined_per_fact']:>8.2f}{dur}  {note}")
    c = r.get("cli")
    if c:
        lines += ["", f"batch CLI over {c['records']:,} records: --jobs 1 {c['jobs1_s']:.1f} s "
                      f"({c['jobs1_per_s']:,.0f}/s), --jobs 2 {c['jobs2_s']:.1f} s ({c['jobs2_per_s']:,.0f}/s)"]
    lines += ["", f"{'target':<62}{'measured':<34}met"]
    for name, value, met in targets(r):
        lines.append(f"{name:<62}{value:<34}{'yes' if met else 'NO'}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny inputs: checks that the code runs")
    parser.add_argument("--facts", type=int, help="distinct facts in the pool (default 2000; quick 40)")
    parser.add_argument("--seed", type=int, default=20240214)
    parser.add_argument("--repeats", type=int, help="timed passes per measure (default 7; quick 1)")
    parser.add_argument("--skip", action="append", default=[],
                        choices=["durable", "latency", "cli", "scaling", "load", "rss"])
    parser.add_argument("--out", type=Path, help="JSON file (default benchmarks/results/run-<time>.json)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        found = child_load() if kind == "load" else child_rss(rest[0], rest[1], int(rest[2]), int(rest[3]))
        print(json.dumps(found))
        return 0

    quick = args.quick
    n_facts = args.facts or (40 if quick else 2000)
    repeats = args.repeats or (1 if quick else 7)
    durable_ok = unavailable_reason() is None and "durable" not in args.skip
    native = Engine.default()
    durable = Engine.default(backend="durable") if durable_ok else None
    started = time.perf_counter()
    facts = fact_pool(native, n_facts, args.seed)
    result: dict[str, Any] = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                              "machine": machine(), "quick": quick, "facts": len(facts), "seed": args.seed,
                              "repeats": repeats, "command": "python -m benchmarks.run " + " ".join(
                                  sys.argv[1:] if argv is None else argv)}
    result["generate_s"] = time.perf_counter() - started

    def log(text: str) -> None:
        if not quick:
            print(text, file=sys.stderr, flush=True)

    log(f"{len(facts)} facts generated in {result['generate_s']:.1f} s")
    result["throughput"] = section_throughput(native, durable, facts, repeats)
    log("throughput done")
    if "latency" not in args.skip:
        result["latency"] = section_latency(native, durable, facts, 200 if quick else 20000)
    with tempfile.TemporaryDirectory(prefix="netral-bench-") as tmp:
        work = Path(tmp)
        if "cli" not in args.skip:
            result["cli"] = section_cli(facts, 400 if quick else 200_000, 1 if quick else 3, work)
            log("cli done")
        if "scaling" not in args.skip:
            sizes = (10, 100) if quick else (10, 100, 1000, 10000)
            result["scaling"] = section_scaling(facts[: 20 if quick else 500], sizes, repeats, work, durable_ok)
            log("scaling done")
        if "load" not in args.skip:
            result["load"] = section_load(1 if quick else 7)
        if "rss" not in args.skip:
            pool_file = work / "pool.json"
            pool_file.write_text(json.dumps(facts))
            result["rss"] = section_rss(pool_file, 100 if quick else 10_000, 300 if quick else 1_000_000,
                                        durable_ok)
            log("rss done")
    if durable is not None:
        durable.close()
    result["targets"] = [{"target": n, "measured": v, "met": m} for n, v, m in targets(result)]
    out = args.out or RESULTS / f"run-{dt.datetime.now():%Y%m%d-%H%M%S}{'-quick' if quick else ''}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(table(result))
    print(f"\nJSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
