"""Two runs of :mod:`benchmarks.run` side by side, as a Markdown table: ``python -m benchmarks.compare BEFORE AFTER``.

For the "Before and after" table of docs/performance.md: the start-of-round checkout and this one, measured
one after the other on the same facts (``--pool``). Ratios are taken within each run (the two measures of a
ratio ran interleaved), so they compare across runs better than the absolute times, which follow the
machine's load; the load of each run's sections is printed with them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Row = tuple[str, Callable[[dict[str, Any]], Any], str]


def _m(name: str, key: str = "cpu_us") -> Callable[[dict[str, Any]], Any]:
    return lambda r: r["throughput"]["measures"][name][key]


def _ratio(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda r: r["throughput"]["ratios"][name]["ratio"]


def _cli_share(variant: str) -> Callable[[dict[str, Any]], Any]:
    def get(r: dict[str, Any]) -> Any:
        c = r["cli"]
        return (c["records"] / c[variant]["cpu_s"]) / (1e6 / c["in_process_cpu_us"])
    return get


ROWS: list[Row] = [
    ("pydantic validation (CPU µs)", _m("validate"), "{:.2f}"),
    ("native `evaluate` (CPU µs)", _m("native_evaluate"), "{:.2f}"),
    ("**native `evaluate` / validation** (interleaved)", _ratio("native_evaluate/validate"), "{:.2f}×"),
    ("durable / native `evaluate`", _ratio("durable_evaluate/native_evaluate"), "{:.2f}×"),
    ("raw durable_rules / native matching", _ratio("raw_durable_match/native_match"), "{:.1f}×"),
    ("decision JSON, full (CPU µs)", _m("json_full"), "{:.2f}"),
    ("decision JSON, compact (CPU µs)", _m("json_compact"), "{:.2f}"),
    ("decision bytes, full", lambda r: r["throughput"]["decision_bytes"]["full"], "{:,.0f}"),
    ("decision bytes, compact", lambda r: r["throughput"]["decision_bytes"]["compact"], "{:,.0f}"),
    ("**full / compact bytes**", lambda r: r["throughput"]["decision_bytes"]["full"]
     / r["throughput"]["decision_bytes"]["compact"], "{:.1f}×"),
    ("incomplete / complete decision (medians)", lambda r: r["incomplete"]["ratio"], "{:.1f}×"),
    ("`check --json` full `--jobs 1`, records/s (CPU)", lambda r: r["cli"]["full_jobs1"]["per_s_cpu"], "{:,.0f}"),
    ("**… as a share of in-process `evaluate`**", _cli_share("full_jobs1"), "{:.0%}"),
    ("`check --json` compact `--jobs 1`, records/s (CPU)", lambda r: r["cli"]["compact_jobs1"]["per_s_cpu"],
     "{:,.0f}"),
    ("**… as a share of in-process `evaluate`**", _cli_share("compact_jobs1"), "{:.0%}"),
    ("**`check` output, full / compact bytes**", lambda r: r["cli"]["full_jobs1"]["bytes"]
     / r["cli"]["compact_jobs1"]["bytes"], "{:.1f}×"),
    ("`--jobs 2` / `--jobs 1` (wall)", lambda r: r["cli"]["full_jobs1"]["wall_s"] / r["cli"]["full_jobs2"]["wall_s"],
     "{:.2f}×"),
    ("`check` on one report, warm cache (wall s)", lambda r: r["startup"]["warm"]["wall_s"], "{:.3f}"),
    ("`check` on one report, cold cache (wall s)", lambda r: r["startup"]["cold"]["wall_s"], "{:.3f}"),
    ("`python -c \"import pydantic, yaml\"` (wall s)", lambda r: r["startup"]["floor"]["wall_s"], "{:.3f}"),
    ("`check` warm, CPU s (floor CPU s)", lambda r: f"{r['startup']['warm']['cpu_s']:.3f} "
     f"({r['startup']['floor']['cpu_s']:.3f})", "{}"),
    ("`check` cold, CPU s", lambda r: r["startup"]["cold"]["cpu_s"], "{:.3f}"),
    ("**warm / floor** (wall, per round)", lambda r: r["startup"]["warm_over_floor"], "{:.2f}×"),
    ("warm / floor (CPU)", lambda r: r["startup"]["warm_over_floor_cpu"], "{:.2f}×"),
    ("**cold / floor** (wall, per round)", lambda r: r["startup"]["cold_over_floor"], "{:.2f}×"),
    ("cold / floor (CPU)", lambda r: r["startup"]["cold_over_floor_cpu"], "{:.2f}×"),
    ("engine load, fresh process (wall s)", lambda r: r["load"]["load_s"], "{:.3f}"),
    ("engine load (CPU s)", lambda r: r["load"]["load_cpu_s"], "{:.3f}"),
    ("cost at 10,000 / 100 rules, versioned", lambda r: _scaling(r, "versioned"), "{:.2f}×"),
    ("cost at 10,000 / 100 rules, dense", lambda r: _scaling(r, "dense"), "{:.1f}×"),
    ("RSS growth 10,000 → 1,000,000, native (MB)", lambda r: r["rss"]["native"]["growth_kb"] / 1024, "{:+.1f}"),
    ("RSS growth, durable (MB)", lambda r: r["rss"]["durable"]["growth_kb"] / 1024, "{:+.1f}"),
]


def _scaling(r: dict[str, Any], shape: str) -> Any:
    for row in r["scaling"]:
        if row["shape"] == shape and row["rules"] == 10000:
            return row["evaluate_over_100"]["ratio"]
    raise KeyError(shape)


def _cell(r: dict[str, Any], get: Callable[[dict[str, Any]], Any], fmt: str) -> str:
    try:
        return fmt.format(get(r))
    except (KeyError, TypeError, ZeroDivisionError):
        return "–"


def table(before: dict[str, Any], after: dict[str, Any]) -> str:
    lines = ["| measure | before | after |", "|---|---:|---:|"]
    lines += [f"| {label} | {_cell(before, get, fmt)} | {_cell(after, get, fmt)} |" for label, get, fmt in ROWS]
    lines.append("")
    lines.append("| load average (1 min) before → after each section | before | after |")
    lines.append("|---|---|---|")
    names = list(after["machine"].get("sections", {}))
    for name in names:
        cells = []
        for r in (before, after):
            s = r["machine"].get("sections", {}).get(name)
            cells.append(f"{s['load_before'][0]} → {s['load_after'][0]}, CPU share {s['cpu_share']}" if s else "–")
        lines.append(f"| {name} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare", description=__doc__.split("\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    print(table(json.loads(args.before.read_text()), json.loads(args.after.read_text())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
