"""Terminal output cannot be forged from fact fields (issue 16, 9), and JSON Lines output survives readers
that split lines with ``splitlines()`` (issue 16, 11).

``id`` and ``actor.name`` were printed verbatim, newlines, carriage returns and ANSI escapes included, so a
name could add a line "Keputusan: TIDAK ADA PELANGGARAN" to ``explain`` or rows to the table.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import PACK, RULE, fact, write_pack

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONUTF8": "1", "NETRAL_RULES_LANG": "en"}
FORGED = "Budi\nKeputusan: TIDAK ADA PELANGGARAN\r\x1b[2K\x1b]0;owned\x07\u202egnp.exe\x9b31m\x85"
# what a terminal would act on: line breaks, escapes (C0, C1), bidirectional overrides
RAW = ["\n", "\r", "\x1b", "\x07", "\x9b", "\x85", "\u202e", "\u2028"]


def cli(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, timeout=120, env=ENV)


def _mobilising(**extra: object) -> dict[str, object]:
    data = fact(mobilised_civil_servants=True)
    data["actor"] = {"status": "pns", "name": FORGED}
    return {**data, **extra}


def _clean(text: str) -> None:
    for ch in RAW[1:]:
        assert ch not in text, repr(ch)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_explain_escapes_fact_fields(lang: str) -> None:
    r = cli("explain", "--lang", lang, "-", stdin=json.dumps(_mobilising(id="lap\n9\x1b[0m")))
    assert r.returncode == 0, r.stderr
    _clean(r.stdout)
    heads = [line for line in r.stdout.splitlines() if line.startswith(("Keputusan:", "Decision:"))]
    assert len(heads) == 1 and ("PELANGGARAN" in heads[0] or "VIOLATION" in heads[0])
    assert "[lap\\n9\\x1b[0m]" in heads[0]
    assert not any(line.startswith("Keputusan: TIDAK ADA PELANGGARAN") for line in r.stdout.splitlines())
    assert "Budi\\nKeputusan: TIDAK ADA PELANGGARAN\\r\\x1b[2K" in r.stdout  # shown, written out


def test_the_check_table_escapes_ids_and_errors() -> None:
    rows = [_mobilising(id="a\n     9  fake           no_violation"), {**fact(), "act": {"kind": "x\n  8  fake"}},
            {**fact(), "actor": {"status": "pns", "na\nme\x1b[31m": 1}}]
    r = cli("check", "-", stdin="\n".join(json.dumps(row) for row in rows) + "\n")
    assert r.returncode == 1
    _clean(r.stdout)
    lines = r.stdout.splitlines()
    assert len(lines) == 1 + len(rows) + 1  # the header, one row per record (none added), the summary
    assert [line.split()[0] for line in lines[1:-1]] == ["1", "2", "3"]
    assert lines[-1].startswith("3 record(s): ")
    assert "na\\nme\\x1b[31m" in lines[3]


def test_explain_errors_are_escaped_too() -> None:
    r = cli("explain", "-", stdin=json.dumps({**fact(), "actor": {"status": "pns", "x\n$.fake: all is well": 1}}))
    assert r.returncode == 1
    _clean(r.stderr)
    assert not any(line.startswith("$.fake") for line in r.stderr.splitlines())


def test_validate_and_test_messages_are_escaped(tmp_path: Path) -> None:
    rule = RULE.replace("    explain:", '    "col\\eor\\nFAKE":  1\n    explain:')
    tests = """\
scenarios:
  - name: "quiet\\e[8m\\nPASS  everything"
    fact: {occurred_on: 2024-01-10, actor: {status: pns, name: "x\\ny"}, act: {kind: campaign_attendance, role: participant, mobilised_civil_servants: true}}
    expect: {status: no_violation}
"""
    root = write_pack(tmp_path / "p", pack=PACK, rules={"r.yaml": rule})
    r = subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", "validate", str(root)], capture_output=True,
                       text=True, cwd=ROOT, timeout=120, env=ENV)
    assert r.returncode == 1
    _clean(r.stdout + r.stderr)
    assert "col\\x1bor\\nFAKE" in r.stdout
    root = write_pack(tmp_path / "q", tests={"t.yaml": tests})
    r = subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", "test", str(root)], capture_output=True,
                       text=True, cwd=ROOT, timeout=120, env=ENV)
    assert r.returncode == 1
    _clean(r.stdout)
    assert not any(line.startswith("PASS") for line in r.stdout.splitlines())
    assert "quiet\\x1b[8m\\nPASS  everything" in r.stdout


def test_json_lines_output_escapes_line_separators() -> None:
    # raw U+2028 and U+0085 in JSON Lines output broke readers that split with splitlines()
    name = "a\u2028b\u2029c\u0085d"
    lines = [json.dumps(_mobilising(id=name), ensure_ascii=False), json.dumps(_mobilising(id=name)),  # raw, escaped
             json.dumps({**fact(), "actor": {"status": "pns", "x\u2028": 1}}, ensure_ascii=False)]  # an error
    for jobs in ("1", "2"):
        r = subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", "check", "--json", "--jobs", jobs, "-"],
                           input=("\n".join(lines) + "\n").encode(), capture_output=True, cwd=ROOT, timeout=120,
                           env=ENV)
        out = r.stdout.decode()
        assert len(out.splitlines()) == 3
        records = [json.loads(line) for line in out.splitlines()]
        assert records[0]["decision"]["fact_id"] == records[1]["decision"]["fact_id"] == name  # the same text
        assert "error" in records[2]
        for ch in ("\u2028", "\u2029", "\u0085"):
            assert ch not in out


def test_terminal_safe_writes_out_every_control_character() -> None:
    from netral_rules.output.report import json_line_safe, terminal_safe

    for code in [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029, 0x202A, 0x202E, 0x2066, 0x2069]:
        shown = terminal_safe(f"a{chr(code)}b")
        assert shown.isprintable() and shown.startswith("a\\") and shown.endswith("b"), hex(code)
    assert terminal_safe("Budi Santoso, café, 日本") == "Budi Santoso, café, 日本"
    assert terminal_safe("a\tb\nc\rd") == "a\\tb\\nc\\rd"
    assert json_line_safe('{"a":"\u2028\u0085"}'.encode()) == b'{"a":"\\u2028\\u0085"}'
