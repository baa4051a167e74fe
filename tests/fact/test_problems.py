"""Errors in a report in Indonesian and English, with did-you-mean for field names and values."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from netral_rules.errors import FactError
from netral_rules.fact.model import parse_fact

REPORT = {
    "occurred_on": "01-02-2024",
    "actor": {"status": "PNS", "nama": "Budi"},
    "act": {"kind": "media_sosial"},
}

EXPECTED = {
    "id": [
        "$.occurred_on: tanggal tindakan: '01-02-2024' bukan tanggal; tulis YYYY-MM-DD, misalnya 2024-02-01",
        "$.actor.status: 'PNS' bukan nilai status kepegawaian yang sah (maksud Anda 'pns'?)",
        "$.actor.nama: 'nama' bukan data yang dikenal di bagian pegawai ('actor') (maksud Anda 'name': nama pegawai?)",
        "$.act: 'media_sosial' bukan jenis tindakan yang dikenal (maksud Anda 'social_media': interaksi di media "
        "sosial?)",
    ],
    "en": [
        "$.occurred_on: date of the act: '01-02-2024' is not a date; write YYYY-MM-DD, for example 2024-02-01",
        "$.actor.status: 'PNS' is not a valid value of employment status (did you mean 'pns'?)",
        "$.actor.nama: 'nama' is not a field of the employee part ('actor') (did you mean 'name': name of the "
        "employee?)",
        "$.act: 'media_sosial' is not a known kind of act (did you mean 'social_media': social-media interaction?)",
    ],
}


def test_report_errors_in_both_languages(lang: str) -> None:
    with pytest.raises(FactError) as info:
        parse_fact(REPORT)
    assert [str(p) for p in info.value.problems] == EXPECTED[lang]
    assert info.value.message == {"id": "laporan tidak sah: 4 masalah", "en": "invalid report: 4 problem(s)"}[lang]
    for p in info.value.problems:
        assert "Input should" not in str(p) and "Extra inputs" not in str(p)


@pytest.mark.parametrize(
    ("report", "id_text", "en_text"),
    [
        ({"occurred_on": "2024-01-10T09:00:00", "actor": {"status": "pns"}, "act": {"kind": "voting"}},
         "memuat jam; tulis tanggalnya saja, YYYY-MM-DD", "has a time of day; write the date only, YYYY-MM-DD"),
        ({"occurred_on": "2024-01-10", "actor": {"status": "pns"},
          "act": {"kind": "campaign_attendance", "role": "participant", "party_atributes": True}},
         "(maksud Anda 'party_attributes': menggunakan atribut partai?)",
         "(did you mean 'party_attributes': used party attributes?)"),
        ({"occurred_on": "2024-01-10", "actor": {"status": "pns"}, "act": {"kind": "partisan_activity",
                                                                          "activity": "appeal", "audience": "keluarga"}},
         "'keluarga' bukan nilai sasaran kegiatan yang sah (maksud Anda 'family': anggota keluarga?)",
         "'keluarga' is not a valid value of audience (did you mean 'family': family members?)"),
        ({"occurred_on": "2024-01-10", "actor": {"status": "pns"}, "act": {"kind": "absence", "cumulative_days": 400}},
         "jumlah hari tidak masuk kerja dalam setahun paling banyak 366, bukan 400",
         "working days absent this year is at most 366, not 400"),
        ({"occurred_on": "2024-01-10", "actor": {}, "act": {"kind": "voting"}},
         "status kepegawaian wajib diisi", "employment status is required"),
        ({"occurred_on": "2024-01-10", "actor": {"status": "pns"}, "act": {}},
         "jenis tindakan wajib diisi ('kind' di dalam 'act')", "the kind of act is required ('kind' inside 'act')"),
    ],
)
def test_each_kind_of_error(report: dict[str, object], id_text: str, en_text: str, lang: str) -> None:
    with pytest.raises(FactError) as info:
        parse_fact(report)
    shown = "\n".join(str(p) for p in info.value.problems)
    assert (id_text if lang == "id" else en_text) in shown


def test_check_says_it_in_the_language_asked(tmp_path: object) -> None:
    """The command line: `check --json` keeps the JSON path and gives the message in NETRAL_RULES_LANG."""
    env = {**os.environ, "NETRAL_RULES_LANG": "id"}
    r = subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", "check", "--json", "-"], input=json.dumps(REPORT),
                       capture_output=True, text=True, timeout=120, env=env)
    error = json.loads(r.stdout)["error"]
    assert error["message"] == "laporan tidak sah: 4 masalah"
    nama = next(p for p in error["problems"] if p["where"] == "$.actor.nama")
    assert nama["hint"] == "maksud Anda 'name': nama pegawai?"
