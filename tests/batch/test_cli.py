"""The CLI as users run it: a subprocess, real files, stdin, exit codes."""

import json
import os
import subprocess
import sys
from pathlib import Path

from helpers import RULE, fact, write_pack

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def run(*args: str, stdin: str | None = None, cwd: Path | None = None, lang: str = "en") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netral_rules.batch.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=120,
        env={**os.environ, "NETRAL_RULES_LANG": lang},
    )


def test_check_examples_table() -> None:
    r = run("check", str(EXAMPLES / "facts.jsonl"))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    n_facts = sum(1 for line in (EXAMPLES / "facts.jsonl").read_text().splitlines() if line.strip())
    assert len(lines) == n_facts + 2  # header + one row per record + the summary
    assert "lap-007" in r.stdout and "dismissal without honour" in r.stdout  # levels in words
    assert lines[-1] == f"{n_facts} record(s): 12 violation, 1 no violation, 0 undetermined, 0 not covered, 0 invalid"
    r = run("check", "--lang", "id", str(EXAMPLES / "facts.jsonl"))
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["baris", "nomor", "status", "tingkat", "kategori", "aturan"]
    assert "pemberhentian tidak dengan hormat" in r.stdout
    assert lines[-1] == (f"{n_facts} laporan: 12 pelanggaran, 1 tidak ada pelanggaran, 0 belum dapat ditentukan, "
                         "0 tidak tercakup, 0 tidak sah")


def test_check_json_lines_one_record_per_input_errors_included() -> None:
    r = run("check", "--json", str(EXAMPLES / "facts-with-errors.jsonl"))
    assert r.returncode == 1  # some records were invalid
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert [rec["line"] for rec in records] == [1, 2, 3, 4]
    assert [("error" in rec) for rec in records] == [True, False, False, True]
    bad = records[0]["error"]
    assert bad["error"] == "invalid_fact"
    assert {p["where"] for p in bad["problems"]} == {"$.occurred_on", "$.actor.status", "$.act.role"}
    assert records[1]["decision"]["status"] == "violation"


def test_check_stdin_single_pretty_object_and_fail_on_violation() -> None:
    text = json.dumps(fact(mobilised_civil_servants=True), indent=2)
    r = run("check", "--json", "-", stdin=text)
    assert r.returncode == 0, r.stderr
    [rec] = [json.loads(line) for line in r.stdout.splitlines()]
    assert rec["decision"]["aggregate"]["level"] == "berat"
    r = run("check", "--fail-on-violation", "-", stdin=text)
    assert r.returncode == 1


def test_check_progress_on_stderr_for_long_batches() -> None:
    line = json.dumps(fact(mobilised_civil_servants=True))
    r = run("check", "--json", "--progress", "-", stdin="\n".join([line] * 3000) + "\n")
    assert r.returncode == 0
    assert len(r.stdout.splitlines()) == 3000
    assert "3000 records done." in r.stderr
    r = run("check", "--json", "--quiet", "-", stdin="\n".join([line] * 3000) + "\n")
    assert r.stderr == ""


def test_check_unreadable_input_is_exit_2(lang: str) -> None:
    r = run("check", "no-such-file.jsonl", lang=lang)
    assert r.returncode == 2
    assert r.stderr == {"id": "netral-rules: tidak dapat membaca no-such-file.jsonl: tidak ditemukan\n",
                        "en": "netral-rules: cannot read no-such-file.jsonl: no such file or folder\n"}[lang]


def test_check_with_own_rules_and_as_of(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p")
    early = json.dumps({**fact(mobilised_civil_servants=True), "occurred_on": "2020-01-01"})
    r = run("check", "--json", "--rules", str(root), "-", stdin=early)
    assert json.loads(r.stdout)["decision"]["status"] == "not_covered"
    r = run("check", "--json", "--rules", str(root), "--as-of", "2024-01-01", "-", stdin=early)
    assert json.loads(r.stdout)["decision"]["status"] == "violation"


def test_validate_bundled_is_clean() -> None:
    r = run("validate")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stderr.startswith("OK:")


def test_validate_reports_every_problem_with_position(tmp_path: Path) -> None:
    bad_rule = RULE.replace("act.kind", "act.knd").replace("angka 3]", "angka 9]")
    root = write_pack(tmp_path / "p", rules={"r.yaml": bad_rule})
    r = run("validate", str(root))
    assert r.returncode == 1
    out = r.stdout.replace(str(root), "P").splitlines()
    assert out[0] == "P/rules/r.yaml:6:11: unknown fact path 'act.knd' (did you mean 'act.kind'?)"
    assert out[1].startswith("P/rules/r.yaml:12:15: citation 'PP 94/2021 Pasal 5 huruf n angka 9' does not resolve")
    assert "2 error(s)" in r.stderr


def test_validate_unusable_input_is_exit_2(tmp_path: Path) -> None:
    assert run("validate", str(tmp_path / "nothing")).returncode == 2
    (tmp_path / "empty").mkdir()
    assert run("validate", str(tmp_path / "empty")).returncode == 2


def test_test_command_reports_pass_fail_and_diff(tmp_path: Path) -> None:
    tests = """\
scenarios:
  - name: mobilising is heavy
    fact: {occurred_on: 2024-01-10, actor: {status: pns}, act: {kind: campaign_attendance, role: participant, mobilised_civil_servants: true}}
    expect: {status: violation, rules: [t.mobilise], level: berat}
  - name: wrong expectation
    fact: {occurred_on: 2024-01-10, actor: {status: pns}, act: {kind: campaign_attendance, role: participant, mobilised_civil_servants: true}}
    expect: {level: sedang, cites: [PP 94/2021 Pasal 5 huruf n angka 2]}
"""
    root = write_pack(tmp_path / "p", tests={"t.yaml": tests})
    r = run("test", str(root), "-v")
    assert r.returncode == 1
    assert "PASS  test_pack: mobilising is heavy" in r.stdout
    assert "FAIL  test_pack: wrong expectation" in r.stdout
    assert "      level:\n        expected: sedang\n        actual:   berat" in r.stdout
    assert "cites (missing)" in r.stdout
    assert r.stdout.rstrip().endswith("1 passed, 1 failed")
    r = run("test", str(root), "-k", "heavy")
    assert r.returncode == 0 and r.stdout.rstrip().endswith("1 passed, 0 failed")


def test_explain_both_languages() -> None:
    one = (EXAMPLES / "facts.jsonl").read_text().splitlines()[1]
    r = run("explain", "--lang", "id", "-", stdin=one)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Keputusan: PELANGGARAN  [lap-002]")
    assert "Dasar hukum:" in r.stdout and "Pasal 35 ayat (1)" in r.stdout
    r = run("explain", "--lang", "en", "-", stdin=one)
    assert r.stdout.startswith("Decision: VIOLATION") and "Legal basis:" in r.stdout
    r = run("explain", "-", stdin='{"occurred_on": "2024-01-01"}')
    assert r.returncode == 1 and "$.actor" not in r.stderr  # the field in words, not its JSON path
    assert "employee" in r.stderr.lower() or "pegawai" in r.stderr


def test_schema_commands() -> None:
    for kind in ("fact", "decision", "pack"):
        r = run("schema", kind)
        assert r.returncode == 0
        assert json.loads(r.stdout)["$schema"].startswith("https://json-schema.org/")
    rules = json.loads(run("schema", "pack", "--file", "rules").stdout)
    assert "act.mobilised_civil_servants" in rules["$defs"]["Condition"]["anyOf"][1]["properties"]


def test_bad_arguments_exit_2() -> None:
    assert run("check", "--as-of", "yesterday").returncode == 2
    assert run("frobnicate").returncode == 2


def test_check_with_the_durable_backend_gives_the_same_decisions() -> None:
    from netral_rules.backends.durable import unavailable_reason

    reason = unavailable_reason()
    native = run("check", "--json", str(EXAMPLES / "facts.jsonl"))
    durable = run("check", "--json", "--backend", "durable", str(EXAMPLES / "facts.jsonl"))
    if reason:
        assert durable.returncode == 2 and "durable" in durable.stderr
        return
    assert durable.returncode == native.returncode == 0, durable.stderr

    def strip(line: str) -> dict[str, object]:
        record = json.loads(line)
        record["decision"]["audit"].pop("backend")
        return record

    assert [strip(x) for x in durable.stdout.splitlines()] == [strip(x) for x in native.stdout.splitlines()]


def test_check_survives_bytes_and_numbers_python_cannot_read(tmp_path: Path) -> None:
    good = json.dumps(fact(mobilised_civil_servants=True)).encode()
    data = b"\n".join([good, b'{"occurred_on": "caf\xe9"}', b"1" * 5000, b"[" * 100_000, good]) + b"\n"
    path = tmp_path / "odd.jsonl"
    path.write_bytes(data)
    r = subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", "check", "--json", str(path)], capture_output=True,
                       timeout=120)
    assert r.returncode == 1, r.stderr  # some records were invalid; none was lost
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert [rec["line"] for rec in records] == [1, 2, 3, 4, 5]
    assert ["error" in rec for rec in records] == [False, True, True, True, False]
    assert records[1]["error"]["message"] == "line is not UTF-8 text"


def test_check_jobs_must_be_positive() -> None:
    assert run("check", "--jobs", "0", str(EXAMPLES / "facts.jsonl")).returncode == 2


def _expanded_lines(out: str, catalogue: dict[str, object]) -> list[bytes]:
    from netral_rules.output.compact import expand_json

    lines = []
    for text in out.splitlines():
        record = json.loads(text)
        if "decision" in record:
            lines.append(b'{"line":%d,"decision":%b}' % (record["line"], expand_json(json.dumps(record["decision"]),
                                                                                      catalogue)))
        else:
            lines.append(text.encode())
    return lines


def test_check_detail_compact_expands_to_check_json(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes((EXAMPLES / "facts.jsonl").read_bytes() * 3 + (EXAMPLES / "facts-with-errors.jsonl").read_bytes())
    full = run("check", "--json", str(batch))
    for jobs in ("1", "2"):
        compact = run("check", "--detail", "compact", "--jobs", jobs, str(batch))
        assert compact.returncode == full.returncode == 1  # the invalid records, as with the full form
        head, rest = compact.stdout.split("\n", 1)
        catalogue = json.loads(head)
        assert set(catalogue) == {"catalogue"}  # the first line is the catalogue record
        assert _expanded_lines(rest, catalogue) == full.stdout.encode().splitlines()
        assert len(rest) * 4 < len(full.stdout)  # the decisions (the catalogue is written once a batch)


def test_check_catalogue_file_instead_of_the_first_line(tmp_path: Path) -> None:
    target = tmp_path / "catalogue.json"
    r = run("check", "--detail", "compact", "--catalogue", str(target), str(EXAMPLES / "facts.jsonl"))
    assert r.returncode == 0, r.stderr
    catalogue = json.loads(target.read_text())
    assert not list(tmp_path.glob(".*part"))  # written under another name, then renamed
    full = run("check", "--json", str(EXAMPLES / "facts.jsonl"))
    assert _expanded_lines(r.stdout, catalogue) == full.stdout.encode().splitlines()
    assert all(json.loads(line)["decision"]["catalogue"] == catalogue["catalogue"]["id"] for line in r.stdout.splitlines())


def test_check_catalogue_needs_compact_and_a_writable_place(tmp_path: Path) -> None:
    r = run("check", "--json", "--catalogue", str(tmp_path / "c.json"), str(EXAMPLES / "facts.jsonl"))
    assert r.returncode == 2 and "--detail compact" in r.stderr
    r = run("check", "--detail", "compact", "--catalogue", str(tmp_path / "no" / "c.json"), str(EXAMPLES / "facts.jsonl"))
    assert r.returncode == 2 and "cannot write" in r.stderr


def test_usage_errors_are_said_in_the_language_of_messages() -> None:
    """argparse's English sentences are said again in words, Indonesian by default, in the --lang given even when
    the error comes before argparse has read it; exit 2 (unusable input)."""
    cases = [
        (("check", "--bogus"), "id", "netral-rules: kesalahan: argumen tidak dikenal: --bogus"),
        (("frobnicate",), "id", "kesalahan: argumen command: pilihan 'frobnicate' tidak sah (pilih salah satu: check,"),
        (("check", "--jobs", "x", "f"), "id", "argumen --jobs: perlu bilangan bulat paling sedikit 1, bukan 'x'"),
        (("check", "--lang", "en", "--jobs", "0", "f"), "id", "error: argument --jobs: expected a whole number of at "
                                                              "least 1, got '0'"),
        (("check", "--lang", "id", "--as-of", "2024-13-01", "f"), "en", "argumen --as-of: bukan tanggal (tulis "
                                                                         "YYYY-MM-DD): '2024-13-01'"),
        (("serve", "--port", "x"), "id", "argumen --port: 'x' bukan bilangan bulat"),
        ((), "en", "error: the following arguments are required: command"),
    ]
    for args, lang, expected in cases:
        r = run(*args, lang=lang)
        assert r.returncode == 2 and expected in r.stderr, (args, r.stderr)
        assert r.stderr.startswith("usage: ")  # argparse's usage line stays as it is (developer text)
