"""The five commonest mistakes of a pack author, each one message, in Indonesian and in English."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from netral_rules.decide.engine import load_packs

ROOT = Path(__file__).resolve().parents[2] / "rules"
RULES = "pp_94_2021/rules/kehadiran.yaml"

MISTAKES = {
    "misspelled key": ("      category: disiplin\n", "      categroy: disiplin\n"),
    "indentation": ("      level: ringan\n", "     level: ringan\n"),
    "value outside its list": ("      level: ringan\n", "      level: light\n"),
    "misspelled fact path": ("act.cumulative_days: {between: [4, 6]}", "act.cumulative_day: {between: [4, 6]}"),
    "citation without parentheses": ("sanctions: PP 94/2021 Pasal 8 ayat (2) huruf b",
                                     "sanctions: PP 94/2021 Pasal 8 ayat 2 huruf b"),
}

EXPECTED = {
    "misspelled key": {
        "id": "{line}:7: kunci 'categroy' tidak dikenal (maksud Anda 'category'?)",
        "en": "{line}:7: unknown key 'categroy' (did you mean 'category'?)",
    },
    "indentation": {
        "id": "{line}:6: baris {line} kurang menjorok: tambahkan 1 spasi di awal baris itu agar sejajar dengan 'category' "
              "di baris {above} (kolom 7)",
        "en": "{line}:6: line {line} is not indented enough: add 1 space(s) at its start to line it up with 'category' on "
              "line {above} (column 7)",
    },
    "value outside its list": {
        "id": "{line}:14: 'light' bukan nilai yang sah untuk 'level' (maksud Anda 'ringan'?)",
        "en": "{line}:14: 'light' is not a valid value of 'level' (did you mean 'ringan'?)",
    },
    "misspelled fact path": {
        "id": "{line}:11: jalur fakta 'act.cumulative_day' tidak dikenal (maksud Anda 'act.cumulative_days'?)",
        "en": "{line}:11: unknown fact path 'act.cumulative_day' (did you mean 'act.cumulative_days'?)",
    },
    "citation without parentheses": {
        "id": "{line}:18: kutipan tidak dapat dibaca: ayat ditulis dengan tanda kurung, misalnya 'ayat (3)', tertulis '2' "
              "(pada kolom 25 dari 'PP 94/2021 Pasal 8 ayat 2 huruf b')",
        "en": "{line}:18: cannot parse citation: ayat is written with parentheses, e.g. 'ayat (3)', got '2' (at column "
              "25 of 'PP 94/2021 Pasal 8 ayat 2 huruf b')",
    },
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_one_mistake_one_message_in_each_language(mistake: str, lang: str, tmp_path: Path) -> None:
    shutil.copytree(ROOT, tmp_path / "rules")
    path = tmp_path / "rules" / RULES
    before, after = MISTAKES[mistake]
    text = path.read_text(encoding="utf-8")
    assert text.count(before) >= 1
    path.write_text(text.replace(before, after, 1), encoding="utf-8")
    line = text[: text.index(before)].count("\n") + 1  # the line of the mistake, wherever the pack has it
    _, problems = load_packs([tmp_path / "rules"])
    errors = [str(p).replace(str(tmp_path / "rules") + "/", "") for p in problems if p.severity == "error"]
    assert errors == [f"{RULES}:" + EXPECTED[mistake][lang].format(line=line, above=line - 1)]
    # no raw parser or pydantic wording, no dotted YAML paths
    for text_ in errors:
        for raw in ("Input should", "did not find expected", "Field required", "Extra inputs", "rules.0."):
            assert raw not in text_


def test_a_failing_scenario_in_each_language(lang: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    shutil.copytree(ROOT, tmp_path / "rules")
    tests = tmp_path / "rules" / "pp_94_2021" / "tests" / "kehadiran.yaml"
    tests.write_text(tests.read_text(encoding="utf-8").replace("level: ringan", "level: sedang", 1),
                     encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", "test", "--lang", lang,
                        str(tmp_path / "rules"), "-k", "pp_94_2021"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 1, r.stdout + r.stderr
    words = {"id": ("GAGAL", "tingkat:", "diharapkan:", "hasilnya:", "lulus,"),
             "en": ("FAIL", "level:", "expected:", "actual:", "passed,")}[lang]
    for w in words:
        assert w in r.stdout, r.stdout


def test_failing_readings_expectations_are_said_in_each_language(lang: str, tmp_path: Path) -> None:
    """Each expectation of an incomplete report (violation_in, lightest, heaviest, first_question, irrelevant)
    that does not hold is said in words, never as a lookup error."""
    import subprocess
    import sys

    shutil.copytree(ROOT, tmp_path / "rules")
    tests = tmp_path / "rules" / "pp_94_2021" / "tests" / "laporan-tidak-lengkap.yaml"
    text_ = tests.read_text(encoding="utf-8")
    for key, wrong in (("violation_in", "none"), ("first_question", "act.kind")):
        assert f"    {key}: " in text_
        text_ = re.sub(rf"(?m)^    {key}: .*$", f"    {key}: {wrong}", text_, count=1)
    text_ = re.sub(r"(?m)^    heaviest: .*$", "    heaviest: {category: kode_etik, level: moral}", text_, count=1)
    text_ = re.sub(r"(?m)^    lightest: .*$", "    lightest: {category: kode_etik, level: moral}", text_, count=1)
    tests.write_text(text_, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", "test", "--lang", lang,
                        str(tmp_path / "rules"), "-k", "pp_94_2021"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stdout + r.stderr and "KeyError" not in r.stdout + r.stderr
    words = {"id": ("pelanggaran dalam pembacaan", "pertanyaan pertama", "hasil terberat", "hasil teringan"),
             "en": ("violation_in:", "first_question:", "heaviest:", "lightest:")}[lang]
    for w in words:
        assert w in r.stdout, r.stdout
