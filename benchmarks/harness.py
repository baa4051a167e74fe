"""Measuring on a shared machine: measures interleaved in small chunks in one process, CPU time beside wall
time, the spread across repeats, and the machine's load.

The machine these benchmarks run on has two cores shared with other work, so any one pass of a measure can be
slowed by what else runs at that moment, and measures run one after another are each slowed differently: a
ratio of two such passes says more about the machine's load than about the code (a figure of 4.6x and one of
10x were both measured for the same code that way). Here every measure runs a chunk of its items in turn
(validation, native, durable, JSON, ..., then the next chunk of each), the order of the measures rotating from
one round to the next, so that whatever slows the machine slows every measure alike. Each chunk is timed with
the process's CPU clock (time spent on this process only, whatever else runs) and the wall clock; a ratio is
taken within each round and the median of the rounds is reported, with the range of the per-repeat medians as
its spread. ``os.getloadavg`` is recorded before and after each section, and the share of wall time the
process spent on a CPU, which shows how contended the machine was.
"""

from __future__ import annotations

import gc
import os
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

cpu_ns = time.process_time_ns
wall_ns = time.perf_counter_ns


@dataclass
class Measure:
    """One thing to time: ``fn`` called on each item of a chunk of ``items`` (cycled)."""

    name: str
    fn: Callable[[Any], Any]
    items: Sequence[Any]


@dataclass
class Rounds:
    """The per-item cost of one measure in each round (µs), CPU and wall, in round order."""

    name: str
    repeats: int
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)

    def per_repeat(self, values: list[float]) -> list[float]:
        size = max(1, len(values) // self.repeats)
        return [statistics.median(values[k : k + size]) for k in range(0, size * self.repeats, size)]

    def summary(self) -> dict[str, Any]:
        reps = self.per_repeat(self.cpu)
        return {
            "cpu_us": statistics.median(self.cpu),
            "wall_us": statistics.median(self.wall),
            "cpu_us_repeats": [round(x, 3) for x in reps],
            "cpu_us_spread": [min(reps), max(reps)],
            "rounds": len(self.cpu),
        }


def _chunks(items: Sequence[Any], chunk: int, rounds: int) -> list[list[Any]]:
    n = len(items)
    return [[items[(r * chunk + j) % n] for j in range(chunk)] for r in range(rounds)]


def interleave(measures: Sequence[Measure], *, repeats: int, chunk: int, per_repeat: int | None = None,
               warmup: bool = True) -> dict[str, Rounds]:
    """Time every measure in chunks of ``chunk`` items, taking turns: ``repeats`` repeats of ``per_repeat``
    rounds (default: enough rounds for the longest item list to be covered once per repeat). Each measure
    cycles through its own items, so lists of different lengths are fine."""
    longest = max(len(m.items) for m in measures)
    per_repeat = per_repeat or max(1, -(-longest // chunk))
    total = repeats * per_repeat
    work = {m.name: _chunks(m.items, chunk, total) for m in measures}
    if warmup:  # one untimed pass over every item: caches filled, code paths warmed
        for m in measures:
            for x in m.items:
                m.fn(x)
    out = {m.name: Rounds(m.name, repeats) for m in measures}
    order = list(measures)
    for r in range(total):
        if r % per_repeat == 0:
            gc.collect()
        turn = order[r % len(order) :] + order[: r % len(order)]  # rotate: no measure always follows another
        for m in turn:
            fn = m.fn
            items = work[m.name][r]
            c0, w0 = cpu_ns(), wall_ns()
            for x in items:
                fn(x)
            w1, c1 = wall_ns(), cpu_ns()
            rec = out[m.name]
            rec.cpu.append((c1 - c0) / len(items) / 1e3)
            rec.wall.append((w1 - w0) / len(items) / 1e3)
    return out


def ratio(rounds: dict[str, Rounds], a: str, b: str, clock: str = "cpu") -> dict[str, Any]:
    """``a / b`` within each round (the two measured side by side), median over the rounds, and the range of
    the per-repeat medians."""
    ra, rb = rounds[a], rounds[b]
    xs = [x / y for x, y in zip(getattr(ra, clock), getattr(rb, clock), strict=True) if y > 0]
    reps = ra.per_repeat(xs)
    return {"ratio": statistics.median(xs), "spread": [min(reps), max(reps)], "repeats": [round(x, 3) for x in reps]}


def timer_overhead_ns(samples: int = 2000) -> float:
    """The median cost of one CPU-clock reading pair (subtracted from single-call timings)."""
    out = []
    for _ in range(samples):
        a = cpu_ns()
        b = cpu_ns()
        out.append(b - a)
    return float(statistics.median(out))


def load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # not on this platform
        return []


@dataclass
class Section:
    """What the machine was doing while a section ran: load averages before and after, and the share of the
    section's wall time this process and its children spent on a CPU (1.0: one CPU busy all the time; less:
    waiting for one, or for something else)."""

    name: str
    load_before: list[float] = field(default_factory=list)
    load_after: list[float] = field(default_factory=list)
    cpu_s: float = 0.0
    wall_s: float = 0.0

    def record(self) -> dict[str, Any]:
        return {"load_before": self.load_before, "load_after": self.load_after, "cpu_s": round(self.cpu_s, 2),
                "wall_s": round(self.wall_s, 2),
                "cpu_share": round(self.cpu_s / self.wall_s, 3) if self.wall_s else None}


def _cpu_with_children() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


@contextmanager
def section(name: str, machine: dict[str, Any]) -> Iterator[Section]:
    """Record the load around a section into ``machine["sections"][name]``."""
    s = Section(name, load_before=load())
    c0, w0 = _cpu_with_children(), time.perf_counter()
    try:
        yield s
    finally:
        s.cpu_s, s.wall_s = _cpu_with_children() - c0, time.perf_counter() - w0
        s.load_after = load()
        machine.setdefault("sections", {})[name] = s.record()
