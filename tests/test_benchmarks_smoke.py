"""A quick run of every benchmark section on tiny inputs, so that the benchmark code cannot rot.

No timing is asserted: the numbers of a quick run mean nothing (see docs/performance.md for real ones).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from benchmarks import compare, run, stages, synthetic
from netral_rules import Engine
from netral_rules.backends.durable import unavailable_reason


def test_quick_run_writes_every_section(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench.json"
    assert run.main(["--quick", "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    for section in ("throughput", "incomplete", "latency", "cli", "startup", "scaling", "load", "rss", "targets",
                    "machine"):
        assert section in result
    t = result["throughput"]
    assert {"validate", "native_evaluate", "native_match", "json_full"} <= set(t["measures"])
    assert t["measures"]["native_evaluate"]["cpu_us"] > 0
    assert "native_evaluate/validate" in t["ratios"]
    # the machine's load is recorded around every section
    assert set(result["machine"]["sections"]) >= {"throughput", "cli", "startup"}
    assert result["incomplete"]["ratio"] > 0
    if unavailable_reason() is None:
        assert t["match_disagreements"] == 0  # raw durable matching and native matching agree
        assert "durable" in result["rss"]
    assert result["cli"]["identical_output"] is True  # --jobs 2 writes what --jobs 1 writes
    assert [(row["shape"], row["rules"]) for row in result["scaling"]] == [
        ("dense", 10), ("dense", 100), ("versioned", 10), ("versioned", 100)]
    assert "target" in capsys.readouterr().out
    # the before/after table of docs/performance.md reads such runs
    rows = compare.table(result, result).splitlines()
    assert rows[0] == "| measure | before | after |"
    assert any(r.startswith("| **native `evaluate` / validation**") and "×" in r for r in rows)
    startup = result["startup"]
    assert {"warm", "cold", "floor"} <= set(startup) and startup["warm_over_floor"] > 0


def test_synthetic_packs_load_and_are_seeded(tmp_path: Path) -> None:
    assert synthetic.rules(30, seed=1) == synthetic.rules(30, seed=1)
    engine = Engine.from_paths([synthetic.write_pack(tmp_path / "p", 30)])
    assert len(engine.rules) == 30
    assert not [w for w in engine.warnings if w.severity == "error"]


def test_versioned_synthetic_packs_have_one_version_in_force(tmp_path: Path) -> None:
    n = 3 * synthetic.VERSION_RULES
    engine = Engine.from_paths([synthetic.write_pack(tmp_path / "v", n, shape="versioned")])
    assert len(engine.rules) == n
    for year in (2001, 2015, 2030):
        epoch = engine.law.epoch(dt.date(year, 6, 1), "pns")
        assert len(epoch.applicable) == synthetic.VERSION_RULES  # the version of that date, not the history
    with pytest.raises(ValueError):
        synthetic.rules(10, shape="sparse")


def test_stage_breakdown_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert stages.main(["--facts", "20", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert "evaluate (whole)" in out and "input hash" in out


def test_interleave_takes_turns_in_chunks_and_cycles_items() -> None:
    from benchmarks.harness import Measure, interleave, ratio

    calls: list[tuple[str, int]] = []
    measures = [Measure("a", lambda x: calls.append(("a", x)), [1, 2, 3]),
                Measure("b", lambda x: calls.append(("b", x)), [10, 20, 30, 40, 50])]
    rounds = interleave(measures, repeats=2, chunk=2, warmup=False)
    # 5 items in the longest list, chunks of 2: 3 rounds per repeat, 6 in all, each measure once per round
    assert len(rounds["a"].cpu) == len(rounds["b"].cpu) == 6
    kinds = [k for k, _ in calls]
    assert kinds[:8] == ["a", "a", "b", "b", "b", "b", "a", "a"]  # the order rotates from round to round
    assert [x for k, x in calls if k == "a"][:6] == [1, 2, 3, 1, 2, 3]  # a shorter list cycles
    r = ratio(rounds, "a", "b")
    assert len(r["repeats"]) == 2 and r["ratio"] > 0 and r["spread"][0] <= r["spread"][1]


def test_readings_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks import readings

    assert readings.main(["--quick"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["incomplete"] > 0 and result["complete"] > 0
    assert result["incomplete"] + result["complete"] == result["facts"]
    assert result["incomplete_us_median"] > 0 and "ratio_spread" in result


def test_benchmark_pool_does_not_depend_on_what_is_imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # hypothesis draws on constants of the project's imported modules: a pool must not change with them
    from benchmarks.facts import fact_pool

    engine = Engine.default()
    before = fact_pool(engine, 30)
    (tmp_path / "bench_constants_probe.py").write_text(
        "WORDS = ['pns', 'campaign_attendance', 'kampanye', 2024, 7, 'pilkada', 'berat']\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    __import__("bench_constants_probe")
    assert fact_pool(engine, 30) == before
