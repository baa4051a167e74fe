"""Runs the scenario tests that legal staff write in each pack's ``tests/*.yaml``.

A scenario is a named fact and the outcome expected of it; only the expectations written are checked.
Each failure is reported as a list of differences (what was expected, what the engine decided), so that a
lawyer can see at once whether the rule or the expectation is wrong.
"""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from ..decide.decision import Decision
from ..decide.engine import Engine
from ..errors import NetralError, Position
from ..law.citations import try_parse
from ..law.load import LoadedScenario
from ..law.schema import Expectation
from ..messages import text


@dataclass
class Difference:
    what: str  # the expectation's key (status, rules, includes_rules, ...)
    expected: Any
    actual: Any

    @property
    def words(self) -> str:
        """What differs, in the language in force."""
        return text(f"diff.{self.what}")

    def __str__(self) -> str:
        return text("diff.line", what=self.words, expected=_show(self.expected), actual=_show(self.actual))


@dataclass
class ScenarioResult:
    pack_id: str
    name: str
    position: Position
    passed: bool
    differences: list[Difference] = field(default_factory=list)
    error: str | None = None
    decision: Decision | None = None
    seconds: float = 0.0

    @property
    def label(self) -> str:
        return f"{self.pack_id}: {self.name}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "pack": self.pack_id,
            "name": self.name,
            "file": self.position.file,
            "line": self.position.line,
            "column": self.position.column,
            "passed": self.passed,
            "error": self.error,
            "differences": [
                {"what": d.what, "words": d.words, "expected": _jsonable(d.expected),
                 "actual": _jsonable(d.actual)}
                for d in self.differences
            ],
            "seconds": round(self.seconds, 6),
        }


def _show(value: Any) -> str:
    if isinstance(value, (list, tuple, set, frozenset)):
        return "[" + ", ".join(str(v) for v in sorted(value, key=str)) + "]"
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, (list, tuple)):
        return list(value)
    return value


def _norm_cite(text: str) -> str:
    citation, _ = try_parse(text)
    return str(citation) if citation else text


def compare(expect: Expectation, d: Decision) -> list[Difference]:
    """Every difference between an expectation and a decision (empty when the scenario passes)."""
    diffs: list[Difference] = []
    fired = set(d.rule_ids)
    if expect.status is not None and expect.status != d.status:
        diffs.append(Difference("status", expect.status, d.status))
    if expect.rules is not None and set(expect.rules) != fired:
        diffs.append(Difference("rules", set(expect.rules), fired))
    missing_rules = [r for r in expect.includes_rules if r not in fired]
    if missing_rules:
        diffs.append(Difference("includes_rules", missing_rules, fired))
    unwanted = [r for r in expect.excludes_rules if r in fired]
    if unwanted:
        diffs.append(Difference("excludes_rules", [], unwanted))
    if expect.level is not None and expect.level != d.aggregate.level:
        diffs.append(Difference("level", expect.level, d.aggregate.level))
    if expect.category is not None and expect.category != d.aggregate.category:
        diffs.append(Difference("category", expect.category, d.aggregate.category))
    if expect.sanctions is not None:
        top = [o for o in d.aggregate.outcomes if o.category == d.aggregate.category]
        codes = [s.code for o in top for s in o.sanctions]
        if sorted(expect.sanctions) != sorted(codes):
            diffs.append(Difference("sanctions", expect.sanctions, codes))
    cited = {b.cite for f in d.findings for b in f.basis} | {b.cite for b in d.aggregate.basis}
    absent = [c for c in expect.cites if _norm_cite(c) not in cited]
    if absent:
        diffs.append(Difference("cites", absent, cited))
    present = [c for c in expect.not_cites if _norm_cite(c) in cited]
    if present:
        diffs.append(Difference("not_cites", [], present))
    if expect.repeat is not None and expect.repeat != d.aggregate.repeat:
        diffs.append(Difference("repeat", expect.repeat, d.aggregate.repeat))
    if expect.set_aside is not None:
        aside = {a.rule_id for a in d.set_aside}
        if set(expect.set_aside) != aside:
            diffs.append(Difference("set_aside", set(expect.set_aside), aside))
    diffs.extend(_reading_differences(expect, d))
    if expect.missing is not None:
        got = {p for u in d.undetermined for p in u.missing}
        if set(expect.missing) != got:
            diffs.append(Difference("missing", set(expect.missing), got))
    if expect.assumptions is not None:
        used = sorted({a.setting for a in d.assumptions})
        if sorted(set(expect.assumptions)) != used:
            diffs.append(Difference("assumptions", set(expect.assumptions), set(used)))
    if expect.notes_contain:
        texts = [n.id + "\n" + n.en for n in d.notes]
        texts += [o.explanation.id + "\n" + o.explanation.en for o in d.aggregate.outcomes]
        texts += [f.explanation.id + "\n" + f.explanation.en for f in d.findings]
        if d.not_covered:
            texts.append(d.not_covered.id + "\n" + d.not_covered.en)
        texts += [a.effect.id + "\n" + a.effect.en for a in d.assumptions]
        for needle in expect.notes_contain:
            if not any(needle.lower() in t.lower() for t in texts):
                diffs.append(Difference("notes_contain", needle, text("diff.not_found")))
    return diffs


def _bound_text(b: object) -> str:
    violation, category, level = getattr(b, "violation", False), getattr(b, "category", None), getattr(b, "level", None)
    return "none" if not violation else f"{category} {level}"


def _reading_differences(expect: Expectation, d: Decision) -> list[Difference]:
    """The expectations on the readings of an incomplete report (a complete report has one reading: its own
    outcome, and no question)."""
    diffs: list[Difference] = []
    r = d.readings
    if expect.violation_in is not None:
        got = r.violation if r is not None else {"violation": "every", "no_violation": "none"}.get(d.status, "some")
        if got != expect.violation_in:
            diffs.append(Difference("violation_in", expect.violation_in, got))
    for which in ("lightest", "heaviest"):
        want = getattr(expect, which)
        if want is None:
            continue
        if r is not None:
            b = getattr(r, which)
            got_text = _bound_text(b)
        else:
            got_text = "none" if d.aggregate.level is None else f"{d.aggregate.category} {d.aggregate.level}"
        want_text = "none" if want.category == "none" else f"{want.category} {want.level}"
        if got_text != want_text:
            diffs.append(Difference(which, want_text, got_text))
    if expect.first_question is not None:
        got_q = r.questions[0].field if r is not None and r.questions else "-"
        if got_q != expect.first_question:
            diffs.append(Difference("first_question", expect.first_question, got_q))
    if expect.irrelevant:
        have = set(r.irrelevant) if r is not None else set()
        absent = [p for p in expect.irrelevant if p not in have]
        if absent:
            diffs.append(Difference("irrelevant", absent, sorted(have)))
    return diffs


class ScenarioRunner:
    """Runs scenarios against an engine; scenarios with their own settings get an engine with those settings."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._variants: dict[tuple[tuple[str, bool], ...], Engine] = {}

    def _engine_for(self, settings: dict[str, bool]) -> Engine:
        merged = {**self.engine.settings, **settings}
        if merged == self.engine.settings:
            return self.engine
        key = tuple(sorted(merged.items()))
        if key not in self._variants:
            self._variants[key] = Engine(self.engine.packs, backend=self.engine.backend_name, settings=merged,
                                         calendars=self.engine.calendars)
        return self._variants[key]

    def run_one(self, sc: LoadedScenario) -> ScenarioResult:
        s = sc.scenario
        start = time.perf_counter()
        try:
            engine = self._engine_for(s.settings)
            decision = engine.evaluate(s.fact, as_of=s.as_of)
        except NetralError as exc:
            return ScenarioResult(sc.pack_id, s.name, sc.pos, False, error=str(exc),
                                  seconds=time.perf_counter() - start)
        diffs = compare(s.expect, decision)
        return ScenarioResult(sc.pack_id, s.name, sc.pos, not diffs, diffs, decision=decision,
                              seconds=time.perf_counter() - start)

    def run(self, select: str | None = None) -> list[ScenarioResult]:
        results = []
        for pack in self.engine.packs:
            for sc in pack.scenarios:
                if select and select.lower() not in f"{sc.pack_id}: {sc.scenario.name}".lower():
                    continue
                results.append(self.run_one(sc))
        return results

    def close(self) -> None:
        for variant in self._variants.values():
            variant.close()


def all_scenarios(engine: Engine) -> list[LoadedScenario]:
    """Every scenario of the engine's packs, in pack order (pytest parametrises over them)."""
    return [sc for pack in engine.packs for sc in pack.scenarios]


def run_scenarios(engine: Engine, select: str | None = None) -> list[ScenarioResult]:
    """Run every scenario of the engine's packs (optionally those whose 'pack: name' contains ``select``)."""
    runner = ScenarioRunner(engine)
    try:
        return runner.run(select)
    finally:
        runner.close()


# --- results for CI systems ---------------------------------------------------------------------------


def results_json(results: list[ScenarioResult]) -> str:
    """The results as one JSON document: counts, then every scenario with its position and differences."""
    failed = sum(not r.passed for r in results)
    doc = {
        "passed": len(results) - failed,
        "failed": failed,
        "errors": sum(r.error is not None for r in results),
        "scenarios": [r.as_dict() for r in results],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def results_junit(results: list[ScenarioResult]) -> str:
    """The results as JUnit XML (one ``testsuite`` per pack, one ``testcase`` per scenario), the format that
    CI systems (GitLab, Jenkins, GitHub actions' reporters) read. A scenario whose fact the engine refused is
    an ``error``; one whose outcome differs is a ``failure`` listing every difference."""
    root = ET.Element("testsuites", name="netral-rules")
    suites: dict[str, ET.Element] = {}
    counts: dict[str, list[float]] = {}
    for r in results:
        suite = suites.get(r.pack_id)
        if suite is None:
            suite = suites[r.pack_id] = ET.SubElement(root, "testsuite", name=r.pack_id)
            counts[r.pack_id] = [0, 0, 0, 0.0]
        c = counts[r.pack_id]
        case = ET.SubElement(
            suite, "testcase", classname=r.pack_id, name=r.name, file=r.position.file,
            line=str(r.position.line), time=f"{r.seconds:.6f}",
        )
        c[0] += 1
        c[3] += r.seconds
        if r.error is not None:
            c[2] += 1
            ET.SubElement(case, "error", message=r.error.splitlines()[0]).text = r.error
        elif not r.passed:
            c[1] += 1
            detail = "\n".join(str(d) for d in r.differences)
            ET.SubElement(case, "failure", message=str(r.differences[0]) if r.differences else "failed").text = detail
    totals = [0.0, 0.0, 0.0, 0.0]
    for pack_id, suite in suites.items():
        tests, failures, errors, seconds = counts[pack_id]
        suite.set("tests", str(int(tests)))
        suite.set("failures", str(int(failures)))
        suite.set("errors", str(int(errors)))
        suite.set("time", f"{seconds:.6f}")
        totals = [a + b for a, b in zip(totals, counts[pack_id], strict=True)]
    root.set("tests", str(int(totals[0])))
    root.set("failures", str(int(totals[1])))
    root.set("errors", str(int(totals[2])))
    root.set("time", f"{totals[3]:.6f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
