"""`netral-rules test` for CI systems: JUnit XML and JSON results, and the exit codes of validate."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from helpers import write_pack

TESTS = """\
scenarios:
  - name: mobilising is heavy
    fact:
      occurred_on: 2024-01-10
      actor: {status: pns}
      act: {kind: campaign_attendance, role: participant, mobilised_civil_servants: true}
    expect: {status: violation, level: berat, rules: [t.mobilise]}
  - name: a wrong expectation <&>
    fact:
      occurred_on: 2024-01-10
      actor: {status: pns}
      act: {kind: campaign_attendance, role: participant, mobilised_civil_servants: true}
    expect: {status: no_violation, level: sedang}
  - name: a setting no pack declares
    settings: {no_such_setting: true}
    fact:
      occurred_on: 2024-01-10
      actor: {status: pns}
      act: {kind: campaign_attendance, role: participant}
    expect: {status: no_violation}
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_junit_and_json_results(tmp_path: Path) -> None:
    write_pack(tmp_path / "p", tests={"t.yaml": TESTS})
    r = run("test", "p", "--junit", "out.xml", cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    suites = ET.parse(tmp_path / "out.xml").getroot()
    assert suites.tag == "testsuites"
    assert (suites.get("tests"), suites.get("failures"), suites.get("errors")) == ("3", "1", "1")
    [suite] = list(suites)
    assert suite.get("name") == "test_pack"
    cases = {c.get("name"): c for c in suite}
    assert set(cases) == {"mobilising is heavy", "a wrong expectation <&>", "a setting no pack declares"}
    assert list(cases["mobilising is heavy"]) == []
    [failure] = list(cases["a wrong expectation <&>"])
    assert failure.tag == "failure"
    assert failure.text is not None and "status" in failure.text and "level" in failure.text
    assert cases["a wrong expectation <&>"].get("file", "").endswith("p/tests/t.yaml")
    assert cases["a wrong expectation <&>"].get("line") == "8"
    [error] = list(cases["a setting no pack declares"])
    assert error.tag == "error" and "no_such_setting" in (error.get("message") or "")

    r = run("test", "p", "--json", cwd=tmp_path)
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert (doc["passed"], doc["failed"], doc["errors"]) == (1, 2, 1)
    wrong = next(s for s in doc["scenarios"] if s["name"] == "a wrong expectation <&>")
    assert {d["what"] for d in wrong["differences"]} == {"status", "level"}
    assert wrong["line"] == 8 and wrong["passed"] is False


def test_exit_codes_as_validate(tmp_path: Path) -> None:
    passing = TESTS.split("  - name: a wrong expectation")[0]
    write_pack(tmp_path / "ok", tests={"t.yaml": passing})
    r = run("test", "ok", "--json", "--junit", "ok.xml", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["failed"] == 0
    assert ET.parse(tmp_path / "ok.xml").getroot().get("failures") == "0"
    # a pack with errors is unusable input: 2, as validate
    write_pack(tmp_path / "bad", tests={"t.yaml": passing}, rules={"r.yaml": "rules: [{id: x}]\n"})
    assert run("test", "bad", "--junit", "bad.xml", cwd=tmp_path).returncode == 2
    assert run("validate", "bad", cwd=tmp_path).returncode == 1
    # no scenario at all is a problem: 1
    write_pack(tmp_path / "none")
    assert run("test", "none", "--json", cwd=tmp_path).returncode == 1
