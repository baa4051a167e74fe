"""Every benchmark side by side, on the same seeded facts: ``python -m benchmarks.run [--quick]``.

Prints a table of costs and ratios and the issues' targets with their measured values, and writes everything
as JSON (``benchmarks/results/run-<time>.json`` unless ``--out`` says otherwise). The machine may be shared:
the in-process measures are interleaved in small chunks within one process and timed on the CPU clock beside
the wall clock, ratios are taken within each round, and the machine's load is recorded around each section
(see :mod:`.harness`). ``--quick`` runs every section on small inputs: the test suite uses it so that this code
cannot rot, and its numbers mean nothing.

Sections (see docs/performance.md for what each one measures and why):

* throughput: pydantic validation alone, native and durable ``Engine.evaluate``, native matching and raw
  durable_rules matching of the same compiled rules, the decision JSON (full and compact), the batch CLI's
  work per record in process; on the reports complete for the rules in force, and evaluate on the whole pool;
* incomplete: the readings of incomplete reports, per-decision medians (:mod:`.readings`);
* latency: single evaluations p50/p99, both backends in turn;
* cli: ``netral-rules check --json`` over JSON Lines (full and compact, ``--jobs 1`` and ``--jobs 2``), in
  turn with in-process evaluation of the same records;
* startup: ``netral-rules check`` on one report against the ``python -c "import pydantic, yaml"`` floor;
* scaling: synthetic packs of 10 to 10,000 rules, every size of a shape interleaved;
* load: engine load time in fresh processes;
* rss: RSS after 10,000 and after 1,000,000 evaluations, both backends, each in its own process.

``--pool FILE`` reads the facts from a file that ``--save-pool FILE`` wrote: another checkout (the start of the
round, say) is then measured on the very same facts (docs/performance.md, "Before and after").
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import resource
import shutil
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

from . import harness
from .compat import CLI_MODULE, Fact, compact_available, decide_line, derive, flatten
from .facts import fact_pool, load_pool, save_pool, split
from .harness import Measure, interleave, ratio
from .synthetic import SHAPES, write_pack

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
CHUNK = 50  # items per chunk: a few milliseconds of each measure in turn


# --- helpers ----------------------------------------------------------------------------------------


def latencies(fns: dict[str, Callable[[Any], Any]], items: Sequence[Any], calls: int) -> dict[str, dict[str, float]]:
    """p50 and p99 of single calls (wall clock: a caller waits for it), the functions in turn on each item."""
    clock = time.perf_counter
    out: dict[str, list[float]] = {name: [] for name in fns}
    for n in range(calls):
        x = items[n % len(items)]
        for name, fn in fns.items():
            start = clock()
            fn(x)
            out[name].append(clock() - start)
    result = {}
    for name, xs in out.items():
        xs.sort()
        result[name] = {"p50_us": xs[len(xs) // 2] * 1e6, "p99_us": xs[min(len(xs) - 1, int(len(xs) * 0.99))] * 1e6,
                        "calls": calls}
    return result


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
    done = subprocess.run([sys.executable, "-m", "benchmarks.run", "--child", *args], cwd=Path.cwd(),
                          capture_output=True, text=True, timeout=timeout, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def installed_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a timed command, as an installed package runs: with its modules' bytecode. pip
    compiles a wheel's modules when it installs them; a shell with PYTHONDONTWRITEBYTECODE set (this
    machine's sessions have it) would compile every module of a source checkout from its text at each start,
    about 0.1 s of a ``check`` on one report that no user pays. The first run writes the bytecode."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra or {})
    return env


def timed_command(command: list[str], *, stdout: Any = subprocess.DEVNULL, env: dict[str, str] | None = None,
                  stdin: Any = None) -> tuple[float, float]:
    """(wall s, CPU s) of a command run to its end; CPU is the child's user and system time (rusage). The
    environment is :func:`installed_env` unless ``env`` is given."""
    env = installed_env() if env is None else env
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=stdout, stdin=stdin, stderr=subprocess.DEVNULL, env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _check_command(*options: str) -> list[str]:
    # what the console script does (`from ... import main; sys.exit(main())`): `python -m` would run the CLI
    # module as __main__, a second copy beside the one the package imports
    return [sys.executable, "-c", f"import sys; from {CLI_MODULE} import main; sys.exit(main())", "check", *options]


# --- children (fresh processes) ---------------------------------------------------------------------


def child_load() -> dict[str, Any]:
    # the modules are imported already (this file imports them); what is timed is Engine.default() in a
    # process that has never loaded a pack: read the YAML, lint, check quotes, compile, build the matcher
    c0, start = time.process_time(), time.perf_counter()
    engine = Engine.default()
    return {"load_s": time.perf_counter() - start, "load_cpu_s": time.process_time() - c0, "rules": len(engine.rules)}


def child_rss(backend: str, pool_file: str, first: int, total: int) -> dict[str, Any]:
    facts = json.loads(Path(pool_file).read_text())
    engine = Engine.default(backend=backend)
    evaluate = engine.evaluate
    n = len(facts)
    for i in range(first):
        evaluate(facts[i % n])
    import gc

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


def _json_measures(native: Engine, decisions: list[Any]) -> list[Measure]:
    out = [Measure("json_pydantic", lambda d: d.model_dump_json(), decisions),
           Measure("json_full", native.decision_json, decisions)]
    if compact_available(native):
        out.append(Measure("json_compact", lambda d: native.decision_json(d, detail="compact"), decisions))
    return out


def _line_measures(native: Engine, facts: list[dict[str, Any]]) -> list[Measure]:
    """The batch CLI's work on one record, in process: the JSON line in, the output line out."""
    if decide_line is None:
        return []
    from netral_rules.batch import parallel

    lines = [json.dumps(f, ensure_ascii=False).encode() for f in facts]
    out = [Measure("line_full", lambda b: parallel.render(native, 1, decide_line(native, b, None), True), lines)]
    if compact_available(native):
        compact = native.with_detail("compact")  # what check --detail compact hands the batch code
        out.append(Measure("line_compact", lambda b: parallel.render(compact, 1, decide_line(compact, b, None), True),
                           lines))
    return out


def section_throughput(native: Engine, durable: Engine | None, complete: list[dict[str, Any]],
                       every: list[dict[str, Any]], repeats: int, chunk: int) -> dict[str, Any]:
    flats = prepared(native, complete)
    decisions = [native.evaluate(f) for f in complete]
    measures = [
        Measure("validate", Fact.model_validate, complete),
        Measure("native_evaluate", native.evaluate, complete),
        Measure("native_match", native._matcher.match, flats),
        Measure("native_evaluate_pool", native.evaluate, every),
        *_json_measures(native, decisions),
        *_line_measures(native, complete),
    ]
    out: dict[str, Any] = {}
    if durable is not None:
        raw = RawDurable(durable)
        encoded = [raw.encode(f) for f in flats]
        measures += [Measure("durable_evaluate", durable.evaluate, complete), Measure("raw_durable_match", raw.match,
                                                                                      encoded)]
        # the two matchers must agree, or the comparison means nothing
        out["match_disagreements"] = sum(raw.match(e) != native._matcher.match(f)
                                         for e, f in zip(encoded, flats, strict=True))
        out["durable_rulesets"] = durable._matcher.rulesets  # type: ignore[attr-defined]
    rounds = interleave(measures, repeats=repeats, chunk=chunk)
    out["measures"] = {name: r.summary() for name, r in rounds.items()}
    pairs = [("native_evaluate", "validate"), ("durable_evaluate", "native_evaluate"),
             ("raw_durable_match", "native_match"), ("json_full", "json_compact"), ("json_pydantic", "json_full"),
             ("native_evaluate_pool", "native_evaluate")]
    out["ratios"] = {f"{a}/{b}": ratio(rounds, a, b) for a, b in pairs if a in rounds and b in rounds}
    sizes = {"full": statistics.mean(len(native.decision_json(d)) for d in decisions)}
    every_decisions = [native.evaluate(f) for f in every]
    sizes["full_pool"] = statistics.mean(len(native.decision_json(d)) for d in every_decisions)
    if compact_available(native):
        sizes["compact"] = statistics.mean(len(native.decision_json(d, detail="compact")) for d in decisions)
        sizes["compact_pool"] = statistics.mean(len(native.decision_json(d, detail="compact"))
                                                for d in every_decisions)
        sizes["catalogue"] = len(native.catalogue().json())
    out["decision_bytes"] = sizes
    out["facts_complete"] = len(complete)
    out["facts_pool"] = len(every)
    out["statuses"] = dict(Counter(d.status for d in every_decisions))
    out["kinds"] = dict(Counter(f["act"]["kind"] for f in every))
    out["findings_per_fact"] = statistics.mean(len(d.findings) for d in every_decisions)
    return out


def section_cli(complete: list[dict[str, Any]], records: int, repeats: int, workdir: Path,
                engine: Engine) -> dict[str, Any]:
    """``check --json`` over ``records`` lines (the complete reports cycled), full and compact, ``--jobs 1`` and
    2, each run followed by in-process evaluation of a tenth as many of the same records (CPU time), so
    that the two sample the same machine."""
    data = workdir / "facts.jsonl"
    with data.open("w", encoding="utf-8") as f:
        for i in range(records):
            f.write(json.dumps(complete[i % len(complete)], ensure_ascii=False) + "\n")
    variants: list[tuple[str, list[str]]] = [("full_jobs1", ["--jobs", "1"]), ("full_jobs2", ["--jobs", "2"])]
    if compact_available(engine):
        variants += [("compact_jobs1", ["--jobs", "1", "--detail", "compact"]),
                     ("compact_jobs2", ["--jobs", "2", "--detail", "compact"])]
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in variants}
    inproc: list[float] = []  # CPU µs per record of in-process evaluate, after each run
    sample = [complete[i % len(complete)] for i in range(max(1, records // 10))]
    digests: dict[str, str] = {}
    sizes: dict[str, int] = {}
    for _ in range(repeats):
        for name, options in variants:
            target = workdir / f"{name}.jsonl"
            with target.open("wb") as sink:
                runs[name].append(timed_command(_check_command("--json", "--quiet", *options, str(data)),
                                                stdout=sink))
            digests[name] = hashlib.sha256(target.read_bytes()).hexdigest()
            sizes[name] = target.stat().st_size
            target.unlink()
            c0 = time.process_time()
            for fact in sample:
                engine.evaluate(fact)
            inproc.append((time.process_time() - c0) / len(sample) * 1e6)
    out: dict[str, Any] = {"records": records, "in_process_cpu_us": statistics.median(inproc),
                           "in_process_cpu_us_all": [round(x, 2) for x in inproc]}
    for name, _ in variants:
        walls = [w for w, _ in runs[name]]
        cpus = [c for _, c in runs[name]]
        out[name] = {"wall_s": statistics.median(walls), "cpu_s": statistics.median(cpus),
                     "per_s_wall": records / statistics.median(walls), "per_s_cpu": records / statistics.median(cpus),
                     "bytes": sizes[name], "walls": [round(w, 2) for w in walls], "cpus": [round(c, 2) for c in cpus]}
    out["identical_output"] = digests["full_jobs1"] == digests["full_jobs2"]
    if "compact_jobs1" in digests:
        out["identical_compact_output"] = digests["compact_jobs1"] == digests["compact_jobs2"]
    return out


def section_startup(fact: dict[str, Any], repeats: int, workdir: Path) -> dict[str, Any]:
    """``check`` on one report, with the compiled-pack cache warm and cold, in turn with the floor of any
    pydantic command line (``python -c "import pydantic, yaml"``); wall and CPU time of each process."""
    report = workdir / "one.json"
    report.write_text(json.dumps(fact, ensure_ascii=False))
    warm_dir = workdir / "cache-warm"
    warm_env = installed_env({"NETRAL_RULES_CACHE": str(warm_dir)})
    command = _check_command("--json", str(report))
    timed_command(command, env=warm_env)  # fills the warm cache (where the checkout has one)
    floor_cmd = [sys.executable, "-c", "import pydantic, yaml"]
    kinds: dict[str, list[tuple[float, float]]] = {"floor": [], "warm": [], "cold": []}
    for k in range(repeats):
        cold_dir = workdir / f"cache-cold-{k}"
        for kind in ("floor", "warm", "cold"):
            if kind == "floor":
                kinds[kind].append(timed_command(floor_cmd))
            elif kind == "warm":
                kinds[kind].append(timed_command(command, env=warm_env))
            else:
                kinds[kind].append(timed_command(command, env=installed_env({"NETRAL_RULES_CACHE": str(cold_dir)})))
        shutil.rmtree(cold_dir, ignore_errors=True)
    out: dict[str, Any] = {"repeats": repeats}
    for kind, xs in kinds.items():
        out[kind] = {"wall_s": statistics.median(w for w, _ in xs), "cpu_s": statistics.median(c for _, c in xs),
                     "walls": [round(w, 3) for w, _ in xs]}
    for kind in ("warm", "cold"):  # within each round: the command against the floor measured just before it
        xs = [a[0] / f[0] for a, f in zip(kinds[kind], kinds["floor"], strict=True)]
        cs = [a[1] / f[1] for a, f in zip(kinds[kind], kinds["floor"], strict=True) if f[1] > 0]
        out[f"{kind}_over_floor"] = statistics.median(xs)
        out[f"{kind}_over_floor_cpu"] = statistics.median(cs) if cs else None
        out[f"{kind}_over_floor_spread"] = [min(xs), max(xs)]
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
                    durable_ok: bool, chunk: int) -> list[dict[str, Any]]:
    rows = []
    for shape in SHAPES:
        engines: dict[int, Engine] = {}
        durables: dict[int, Engine] = {}
        shape_rows: dict[int, dict[str, Any]] = {}
        measures: list[Measure] = []
        for n in sizes:
            folder = write_pack(workdir / f"syn-{shape}-{n}", n, shape=shape)
            row: dict[str, Any] = {"shape": shape, "rules": n}
            start = time.perf_counter()
            engine = engines[n] = Engine.from_paths([folder])
            row["native_load_s"] = time.perf_counter() - start
            pairs = list(zip(prepared(engine, facts), epoch_rules(engine, facts), strict=True))
            row["rules_in_force_per_fact"] = statistics.mean(len(among) for _, among in pairs)
            row["matches_per_fact"] = statistics.mean(len(engine._matcher.match(*p)) for p in pairs)
            row["undetermined_per_fact"] = statistics.mean(len(engine.evaluate(f).undetermined) for f in facts)
            measures += [Measure(f"evaluate@{n}", engine.evaluate, facts),
                         Measure(f"match@{n}", lambda p, e=engine: e._matcher.match(*p), pairs)]
            if durable_ok:
                try:
                    start = time.perf_counter()
                    durable = durables[n] = Engine.from_paths([folder], backend="durable")
                except BackendLimitError as exc:
                    row["durable"] = f"refused: {exc.message}: {'; '.join(p.message for p in exc.problems)}"
                else:
                    row["durable_load_s"] = time.perf_counter() - start
                    row["durable_rulesets"] = durable._matcher.rulesets  # type: ignore[attr-defined]
                    measures.append(Measure(f"durable@{n}", durable.evaluate, facts))
            shape_rows[n] = row
        try:
            rounds = interleave(measures, repeats=repeats, chunk=chunk)
        except NetralError as exc:
            for row in shape_rows.values():
                row["durable"] = f"failed: {exc.message}"
            rounds = interleave([m for m in measures if not m.name.startswith("durable@")], repeats=repeats,
                                chunk=chunk)
        for n, row in shape_rows.items():
            row["native_evaluate_us"] = rounds[f"evaluate@{n}"].summary()["cpu_us"]
            row["native_match_us"] = rounds[f"match@{n}"].summary()["cpu_us"]
            if f"durable@{n}" in rounds:
                row["durable_evaluate_us"] = rounds[f"durable@{n}"].summary()["cpu_us"]
            if n != sizes[0] and 100 in shape_rows:
                row["evaluate_over_100"] = ratio(rounds, f"evaluate@{n}", "evaluate@100")
                row["match_over_100"] = ratio(rounds, f"match@{n}", "match@100")
            rows.append(row)
        for e in durables.values():
            e.close()
    return rows


def section_load(repeats: int) -> dict[str, Any]:
    runs = [_child(["load"]) for _ in range(repeats)]
    return {"load_s": statistics.median(r["load_s"] for r in runs),
            "load_cpu_s": statistics.median(r.get("load_cpu_s", r["load_s"]) for r in runs),
            "rules": runs[0]["rules"], "runs": len(runs)}


def section_rss(pool_file: Path, first: int, total: int, durable_ok: bool) -> dict[str, Any]:
    out = {"native": _child(["rss", "native", str(pool_file), str(first), str(total)])}
    if durable_ok:
        out["durable"] = _child(["rss", "durable", str(pool_file), str(first), str(total)])
    return out


def section_incomplete(engine: Engine, n: int, repeats: int, pool: list[dict[str, Any]] | None) -> dict[str, Any]:
    from . import readings

    facts = pool if pool is not None else readings.pool(engine, n)
    return readings.measure(engine, facts, repeats)


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


def _us(t: dict[str, Any], name: str) -> float:
    return float(t["measures"][name]["cpu_us"])


def targets(r: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for each target of the issues that this run measured."""
    t = r["throughput"]
    rs = t["ratios"]
    out: list[tuple[str, str, bool | None]] = []
    if "raw_durable_match/native_match" in rs:
        x = rs["raw_durable_match/native_match"]["ratio"]
        out.append(("native matching >= 10x raw durable_rules matching", f"{x:.1f}x", x >= 10))
    x = rs["native_evaluate/validate"]["ratio"]
    lo, hi = rs["native_evaluate/validate"]["spread"]
    out.append(("native evaluate <= 5x pydantic validation (issue 12)", f"{x:.2f}x ({lo:.2f}-{hi:.2f})", x <= 5))
    out.append(("native evaluate <= 2x pydantic validation (issue 5)", f"{x:.2f}x", x <= 2))
    if "durable_evaluate/native_evaluate" in rs:
        x = rs["durable_evaluate/native_evaluate"]["ratio"]
        out.append(("native evaluate >= 2x durable evaluate throughput", f"{x:.2f}x", x >= 2))
    sizes = t.get("decision_bytes", {})
    if "compact" in sizes:
        x = sizes["full"] / sizes["compact"]
        y = sizes["full_pool"] / sizes["compact_pool"]
        out.append(("compact decision JSON >= 5x smaller than the full form", f"{x:.1f}x (whole pool {y:.1f}x)",
                    x >= 5 and y >= 5))
    inc = r.get("incomplete")
    if inc and "ratio" in inc:
        x = inc["ratio"]
        out.append(("median incomplete decision <= 20x the median complete one", f"{x:.1f}x", x <= 20))
    for shape in SHAPES:
        rows = {row["rules"]: row for row in r.get("scaling", []) if row.get("shape") == shape}
        if 10000 in rows and "evaluate_over_100" in rows[10000]:
            x = rows[10000]["evaluate_over_100"]["ratio"]
            m = rows[10000]["match_over_100"]["ratio"]
            out.append((f"cost per fact at 10,000 rules <= 5x cost at 100 ({shape})", f"{x:.2f}x", x <= 5))
            out.append(("  (matching alone)", f"{m:.2f}x", m <= 5))
    c = r.get("cli")
    if c:
        inproc = c["in_process_cpu_us"]
        for name, floor, issue in (("full_jobs1", 0.5, "5"), ("compact_jobs1", 0.7, "12")):
            if name in c:
                x = (c["records"] / c[name]["cpu_s"]) / (1e6 / inproc)
                out.append((f"check --json {name.split('_')[0]} --jobs 1 >= {floor:.0%} of in-process (issue {issue})",
                            f"{x:.0%} (CPU)", x >= floor))
        if "compact_jobs1" in c:
            x = c["full_jobs1"]["bytes"] / c["compact_jobs1"]["bytes"]
            out.append(("  compact check --json output >= 5x smaller", f"{x:.1f}x (catalogue included)", x >= 5))
        x = c["full_jobs1"]["wall_s"] / c["full_jobs2"]["wall_s"]
        out.append(("--jobs 2 >= 1.8x --jobs 1, identical output",
                    f"{x:.2f}x, identical: {c['identical_output']}", x >= 1.8 and c["identical_output"]))
    s = r.get("startup")
    if s:
        x = s["warm_over_floor"]
        out.append(("check on one report <= 2.5x the import floor, warm cache", f"{x:.2f}x ({s['warm']['wall_s']:.2f}"
                    f" s, floor {s['floor']['wall_s']:.2f} s)", x <= 2.5))
        out.append(("  cold cache (compare with the run before)", f"{s['cold_over_floor']:.2f}x "
                    f"({s['cold']['wall_s']:.2f} s)", None))
    if "load" in r:
        x = r["load"]["load_s"]
        out.append(("engine load (all bundled packs) < 0.5 s", f"{x:.3f} s", x < 0.5))
    for backend, m in r.get("rss", {}).items():
        g = m["growth_kb"] / 1024
        out.append((f"RSS after {m['total']:,} within 5 MB of after {m['first']:,} ({backend})",
                    f"{g:+.1f} MB (peak {m['peak_rss_kb'] / 1024:.0f} MB)", abs(g) <= 5))
    return out


_NAMES = [("validate", "pydantic validation alone"), ("native_evaluate", "native Engine.evaluate"),
          ("durable_evaluate", "durable Engine.evaluate"), ("native_match", "native matching"),
          ("raw_durable_match", "raw durable_rules matching"), ("json_pydantic", "decision JSON (pydantic)"),
          ("json_full", "decision JSON (Engine.decision_json)"), ("json_compact", "decision JSON, compact"),
          ("line_full", "check --json work per record, in process"),
          ("line_compact", "  the same, compact"), ("native_evaluate_pool", "native evaluate, whole pool")]


def table(r: dict[str, Any]) -> str:
    t = r["throughput"]
    m = t["measures"]
    lines = [f"facts: {t['facts_complete']} complete of {t['facts_pool']} (seed {r['seed']}), repeats: {r['repeats']}, "
             f"chunks of {r['chunk']}, machine: {r['machine']['cpu']}, {r['machine']['nproc']} cores, Python "
             f"{r['machine']['python']}, load {r['load_before']} -> {r['load_after']}", "",
             f"{'measure (complete reports)':<44}{'CPU us':>9}{'spread':>16}{'wall us':>9}{'x valid.':>10}"]
    for key, label in _NAMES:
        if key in m:
            lo, hi = m[key]["cpu_us_spread"]
            lines.append(f"{label:<44}{m[key]['cpu_us']:>9.2f}{f'{lo:.1f}-{hi:.1f}':>16}{m[key]['wall_us']:>9.2f}"
                         f"{m[key]['cpu_us'] / m['validate']['cpu_us']:>9.2f}x")
    for name, v in t["ratios"].items():
        lines.append(f"ratio {name:<38}{v['ratio']:>9.2f}  (repeats {v['spread'][0]:.2f}-{v['spread'][1]:.2f})")
    b = t.get("decision_bytes", {})
    lines.append("decision bytes: " + ", ".join(f"{k} {v:,.0f}" for k, v in b.items()))
    inc = r.get("incomplete")
    if inc and "ratio" in inc:
        lines.append(f"incomplete reports: median {inc['incomplete_us_median']:.1f} us vs complete "
                     f"{inc['complete_us_median']:.1f} us: {inc['ratio']:.1f}x ({inc['ratio_spread'][0]:.1f}-"
                     f"{inc['ratio_spread'][1]:.1f}); means {inc['ratio_of_means']:.1f}x; p90 "
                     f"{inc['incomplete_us_p90']:.0f} us")
    for backend, v in r.get("latency", {}).items():
        lines.append(f"latency {backend:<36}p50 {v['p50_us']:.1f} us, p99 {v['p99_us']:.1f} us")
    if r.get("scaling"):
        lines += ["", f"{'shape':<10}{'rules':>7}{'load s':>9}{'evaluate us':>13}{'match us':>10}{'in force':>10}"
                  f"{'matches':>9}{'undet.':>8}{'durable us':>12}  durable"]
        for row in r["scaling"]:
            dur = f"{row['durable_evaluate_us']:>12.1f}" if "durable_evaluate_us" in row else f"{'-':>12}"
            note = row.get("durable", f"{row.get('durable_rulesets', '-')} ruleset(s)")
            lines.append(f"{row['shape']:<10}{row['rules']:>7}{row['native_load_s']:>9.2f}"
                         f"{row['native_evaluate_us']:>13.1f}{row['native_match_us']:>10.2f}"
                         f"{row['rules_in_force_per_fact']:>10.1f}{row['matches_per_fact']:>9.2f}"
                         f"{row['undetermined_per_fact']:>8.2f}{dur}  {note}")
    c = r.get("cli")
    if c:
        lines += ["", f"batch CLI over {c['records']:,} records (in process: {c['in_process_cpu_us']:.1f} CPU us "
                      "each):"]
        for name in ("full_jobs1", "full_jobs2", "compact_jobs1", "compact_jobs2"):
            if name in c:
                v = c[name]
                lines.append(f"  {name:<14} wall {v['wall_s']:.1f} s ({v['per_s_wall']:,.0f}/s), CPU "
                             f"{v['cpu_s']:.1f} s ({v['per_s_cpu']:,.0f}/s), {v['bytes'] / 1e6:,.0f} MB")
    s = r.get("startup")
    if s:
        lines.append(f"check on one report: warm {s['warm']['wall_s']:.3f} s, cold {s['cold']['wall_s']:.3f} s, "
                     f"floor {s['floor']['wall_s']:.3f} s (warm {s['warm_over_floor']:.2f}x, cold "
                     f"{s['cold_over_floor']:.2f}x)")
    lines += ["", f"{'target':<66}{'measured':<36}met"]
    for name, value, met in targets(r):
        lines.append(f"{name:<66}{value:<36}{'-' if met is None else 'yes' if met else 'NO'}")
    return "\n".join(lines)


SECTIONS = ["durable", "incomplete", "latency", "cli", "startup", "scaling", "load", "rss"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny inputs: checks that the code runs")
    parser.add_argument("--facts", type=int, help="distinct facts in the pool (default 2000; quick 40)")
    parser.add_argument("--seed", type=int, default=20240214)
    parser.add_argument("--repeats", type=int, help="repeats of each interleaved measure (default 7; quick 1)")
    parser.add_argument("--chunk", type=int, default=CHUNK, help="items per chunk of an interleaved measure")
    parser.add_argument("--records", type=int, help="records of the batch CLI (default 200,000; quick 400)")
    parser.add_argument("--skip", action="append", default=[], choices=SECTIONS)
    parser.add_argument("--only", action="append", default=[], choices=SECTIONS, help="only these sections "
                        "(besides throughput)")
    parser.add_argument("--pool", type=Path, help="read the facts from this file (written by --save-pool)")
    parser.add_argument("--save-pool", type=Path, help="write the facts to this file")
    parser.add_argument("--out", type=Path, help="JSON file (default benchmarks/results/run-<time>.json)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        found = child_load() if kind == "load" else child_rss(rest[0], rest[1], int(rest[2]), int(rest[3]))
        print(json.dumps(found))
        return 0

    quick = args.quick
    skip = set(args.skip) | ({s for s in SECTIONS if s not in args.only} if args.only else set())
    n_facts = args.facts or (40 if quick else 2000)
    repeats = args.repeats or (1 if quick else 7)
    chunk = 5 if quick else args.chunk
    durable_ok = unavailable_reason() is None and "durable" not in skip
    native = Engine.default()
    durable = Engine.default(backend="durable") if durable_ok else None
    started = time.perf_counter()
    readings_pool = None
    if args.pool:
        complete, incomplete, seed_value = load_pool(args.pool)
        saved = json.loads(args.pool.read_text())
        readings_pool = saved.get("readings")
    else:
        seed_value = args.seed
        complete, incomplete = split(native, fact_pool(native, n_facts, seed_value))
    if args.save_pool:
        from . import readings

        save_pool(args.save_pool, complete, incomplete, seed_value)
        data = json.loads(args.save_pool.read_text())
        data["readings"] = readings.pool(native, n_facts, seed_value)  # the incomplete section's own pool
        args.save_pool.write_text(json.dumps(data))
    meta = machine()
    result: dict[str, Any] = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "machine": meta,
                              "quick": quick, "facts": len(complete) + len(incomplete), "seed": seed_value,
                              "repeats": repeats, "chunk": chunk, "load_before": harness.load(),
                              "command": "python -m benchmarks.run " + " ".join(sys.argv[1:] if argv is None else argv)}
    result["generate_s"] = time.perf_counter() - started

    def log(text: str) -> None:
        if not quick:
            print(text, file=sys.stderr, flush=True)

    log(f"{len(complete)} complete and {len(incomplete)} incomplete facts in {result['generate_s']:.1f} s")
    with harness.section("throughput", meta):
        result["throughput"] = section_throughput(native, durable, complete, complete + incomplete, repeats, chunk)
    log("throughput done")
    if "incomplete" not in skip:
        try:
            from netral_rules.testing import incomplete_facts  # noqa: F401
        except ImportError:
            result["incomplete"] = {"skipped": "this checkout has no readings of incomplete reports"}
        else:
            with harness.section("incomplete", meta):
                result["incomplete"] = section_incomplete(native, 60 if quick else n_facts, 1 if quick else 5,
                                                          readings_pool)
            log("incomplete done")
    if "latency" not in skip:
        with harness.section("latency", meta):
            fns = {"native": native.evaluate}
            if durable is not None:
                fns["durable"] = durable.evaluate
            result["latency"] = latencies(fns, complete, 200 if quick else 20000)
    with tempfile.TemporaryDirectory(prefix="netral-bench-") as tmp:
        work = Path(tmp)
        if "cli" not in skip:
            with harness.section("cli", meta):
                records = args.records or (400 if quick else 200_000)
                result["cli"] = section_cli(complete, records, 1 if quick else 3, work, native)
            log("cli done")
        if "startup" not in skip:
            with harness.section("startup", meta):
                result["startup"] = section_startup(complete[0], 2 if quick else 15, work)
            log("startup done")
        if "scaling" not in skip:
            with harness.section("scaling", meta):
                sizes = (10, 100) if quick else (10, 100, 1000, 10000)
                result["scaling"] = section_scaling(complete[: 20 if quick else 500], sizes, repeats, work, durable_ok,
                                                    chunk)
            log("scaling done")
        if "load" not in skip:
            with harness.section("load", meta):
                result["load"] = section_load(1 if quick else 7)
        if "rss" not in skip:
            pool_file = work / "pool.json"
            pool_file.write_text(json.dumps(complete + incomplete))
            with harness.section("rss", meta):
                result["rss"] = section_rss(pool_file, 100 if quick else 10_000, 300 if quick else 1_000_000,
                                            durable_ok)
            log("rss done")
    if durable is not None:
        durable.close()
    result["load_after"] = harness.load()
    result["targets"] = [{"target": n, "measured": v, "met": m} for n, v, m in targets(result)]
    out = args.out or RESULTS / f"run-{dt.datetime.now():%Y%m%d-%H%M%S}{'-quick' if quick else ''}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(table(result))
    print(f"\nJSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
