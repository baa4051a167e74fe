"""Reports as YAML, explain picking a record of a file, check over several files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "facts.jsonl"

YAML_REPORTS = """\
# two reports written by hand
- id: rina-1
  occurred_on: 2024-01-20
  actor: {status: pns, name: Rina}
  context:
    election: {type: pilpres, candidate_stage: calon}
  act:
    kind: partisan_activity
    activity: appeal
    audience: colleagues

- id: rina-2
  occurred_on: 2024-01-21
  actor: {status: pns, name: Rina}
  act: {kind: voting}
"""


def run(*args: str, cwd: Path = ROOT, lang: str = "en") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NETRAL_RULES_LANG": lang}
    return subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env=env)


def test_check_a_yaml_file_of_reports(tmp_path: Path) -> None:
    path = tmp_path / "laporan.yaml"
    path.write_text(YAML_REPORTS, encoding="utf-8")
    r = run("check", "--json", str(path))
    assert r.returncode == 0, r.stderr
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(rec["line"], rec["decision"]["fact_id"], rec["decision"]["status"]) for rec in records] == [
        (2, "rina-1", "violation"), (12, "rina-2", "no_violation")]


def test_explain_a_yaml_report_picked_by_id(tmp_path: Path) -> None:
    path = tmp_path / "laporan.yaml"
    path.write_text(YAML_REPORTS, encoding="utf-8")
    r = run("explain", str(path), "--id", "rina-1", lang="id")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Keputusan: PELANGGARAN  [rina-1]")
    assert "- jenis tindakan: kegiatan keberpihakan" in r.stdout
    r = run("explain", str(path), lang="id")
    assert r.returncode == 1
    assert "explain menjelaskan satu laporan, tetapi ada 2; pilih dengan --id ID atau --line N" in r.stderr
    r = run("explain", str(path))
    assert "explain takes one report, but there are 2; choose one with --id ID or --line N" in r.stderr


def test_explain_picks_a_json_lines_record_by_line_or_id() -> None:
    by_line = run("explain", str(EXAMPLES), "--line", "2")
    by_id = run("explain", str(EXAMPLES), "--id", "lap-002")
    assert by_line.returncode == by_id.returncode == 0
    assert by_line.stdout == by_id.stdout and "[lap-002]" in by_line.stdout.splitlines()[0]
    missing = run("explain", str(EXAMPLES), "--id", "lap-999", lang="id")
    assert missing.returncode == 1
    assert "tidak ada laporan dengan id 'lap-999'" in missing.stderr and "lap-001, lap-002" in missing.stderr
    beyond = run("explain", str(EXAMPLES), "--line", "99")
    assert "no report starts on line 99 (13 report(s))" in beyond.stderr


def test_check_several_files(tmp_path: Path) -> None:
    yaml_path = tmp_path / "laporan.yaml"
    yaml_path.write_text(YAML_REPORTS, encoding="utf-8")
    r = run("check", "--json", str(EXAMPLES), str(yaml_path))
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(records) == 13 + 2
    assert {rec["file"] for rec in records} == {str(EXAMPLES), str(yaml_path)}
    assert [rec["line"] for rec in records if rec["file"] == str(yaml_path)] == [2, 12]
    table = run("check", str(EXAMPLES), str(yaml_path), lang="id")
    lines = table.stdout.splitlines()
    assert f"== {yaml_path}" in lines
    assert lines[-1].startswith("15 laporan: 13 pelanggaran")


def test_a_yaml_report_that_does_not_read_is_its_error(tmp_path: Path) -> None:
    path = tmp_path / "rusak.yaml"
    path.write_text("occurred_on: 2024-01-20\nactor:\n  status: pns\n name: Rina\n", encoding="utf-8")
    r = run("check", "--json", str(path), lang="id")
    assert r.returncode == 1
    [record] = [json.loads(line) for line in r.stdout.splitlines()]
    problem = record["error"]["problems"][0]
    assert "baris 4" in problem["message"] and "spasi" in problem["message"]
