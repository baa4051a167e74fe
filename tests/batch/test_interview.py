"""The terminal interview, driven through a pseudo-terminal (pexpect) as a person would, in both languages."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pexpect
import pytest

from netral_rules import Engine

CLI = [sys.executable, "-m", "netral_rules.batch.cli", "interview"]


def _spawn(*args: str, timeout: int = 60) -> pexpect.spawn:
    child = pexpect.spawn(CLI[0], [*CLI[1:], *args], encoding="utf-8", timeout=timeout, dimensions=(50, 200))
    return child


def test_from_nothing_in_indonesian(tmp_path: Path) -> None:
    saved = tmp_path / "laporan.json"
    child = _spawn("--lang", "id", "--save", str(saved))
    child.expect("Apa status kepegawaian")
    child.expect("> ")
    child.sendline("1")  # PNS
    child.expect("Kapan tindakan itu dilakukan")
    child.expect("YYYY-MM-DD")
    child.sendline("kemarin")  # not a date: asked again
    child.expect("tidak dikenali")
    # before UU 20/2023 (2023-10-31): an act towards a prospective candidate is an ethics violation (SKB 2022)
    child.sendline("2023-06-20")
    child.expect("Tindakan apa")
    child.expect("> ")
    child.sendline("2")  # campaign attendance
    child.expect("Apa peran pegawai")
    child.expect("> ")
    child.sendline("1")  # listener
    child.expect("Hasil sejauh ini: ([^\r\n]*)\r\n")
    first = child.match.group(1)
    assert "kode etik" in first and "berat" in first
    # the calendars covering 2023-06-20: the 2024 general election, whose candidates were determined in November
    child.expect("Pemilihan yang mana")
    child.expect(r"1\. Pemilu 2024 \(pemilu-2024\)")
    child.expect("> ")
    child.sendline("1")
    child.expect("Hasil sejauh ini: ([^\r\n]*)\r\n")
    assert "berat" not in child.match.group(1)  # the range narrowed: a bakal calon by the calendar
    for _ in range(12):  # answer "tidak" (2) until it stops
        i = child.expect(["> ", "Keputusan: PELANGGARAN"])
        if i == 1:
            break
        child.sendline("2")
    else:
        raise AssertionError("the interview did not come to a decision")
    child.expect("Laporan lengkap")
    child.expect(pexpect.EOF)
    assert child.wait() == 0 if child.isalive() else child.exitstatus == 0
    fact = json.loads(saved.read_text())
    assert fact["actor"]["status"] == "pns" and fact["act"]["role"] == "listener"
    assert fact["context"]["election"]["id"] == "pemilu-2024"
    # the saved report reproduces the decision with check
    with Engine.default() as engine:
        d = engine.evaluate(fact)
    assert d.status == "violation"
    assert d.held_rule_ids == ["skb.kode-etik.kegiatan-bakal-calon"]


def test_from_a_partial_report_in_english_with_dont_know(tmp_path: Path) -> None:
    start = tmp_path / "partial.json"
    start.write_text(json.dumps({
        # before UU 20/2023 (2023-10-31): towards a prospective candidate an ethics violation (SKB 2022)
        "occurred_on": "2023-03-01", "actor": {"status": "pns"},
        "act": {"kind": "social_media", "action": "like", "supports_candidate": True},
    }))
    child = _spawn(str(start), "--lang", "en")
    child.expect("Outcome so far: ([^\r\n]*)\r\n")
    assert "moral sanction" in child.match.group(1) and "heavy" in child.match.group(1)
    child.expect("determined as a candidate")
    child.expect("> ")
    child.sendline("0")  # don't know: then which election, among those whose cycle covers 2023-03-01
    child.expect("Which election")
    child.expect(r"1\. the 2024 general election \(pemilu-2024\)")
    child.expect("0. don't know")
    child.expect("> ")
    child.sendline("1")  # the general election: its candidates were determined only in November 2023
    child.expect("Decision: VIOLATION")
    child.expect("Category: ([^\r\n]*)\r\n")
    assert child.match.group(1) == "code-of-ethics violation, level: moral sanction"
    child.expect("prospective candidate")
    child.expect("Completed report")
    child.expect(pexpect.EOF)
    out = child.before
    child.close()
    assert child.exitstatus == 0
    assert '"id": "pemilu-2024"' in out


def test_the_end_of_input_is_said_and_not_a_traceback() -> None:
    child = _spawn("--lang", "en")
    child.expect("employee's status")
    child.expect("> ")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert "Traceback" not in (child.before or "")
    assert child.exitstatus == 2


@pytest.mark.parametrize("lang,word", [("id", "Yang menentukan"), ("en", "What decides")])
def test_a_number_is_typed_and_its_ranges_shown(tmp_path: Path, lang: str, word: str) -> None:
    start = tmp_path / "partial.json"
    start.write_text(json.dumps({"occurred_on": "2024-05-02", "actor": {"status": "pns"},
                                 "act": {"kind": "absence"}}))
    saved = tmp_path / "done.json"
    child = _spawn(str(start), "--lang", lang, "--save", str(saved))
    child.expect(word)
    child.expect("> ")
    child.sendline("12")  # 12 days this year: a run of 10 is still possible
    child.expect(word)
    child.expect("> ")
    child.sendline("3")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    done = json.loads(saved.read_text())
    assert done["act"] == {"kind": "absence", "cumulative_days": 12, "consecutive_days": 3}
