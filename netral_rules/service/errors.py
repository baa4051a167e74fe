"""The service's error answers: the library's error contract (``NetralError.as_dict``) with a text in
Indonesian and English for people.

Every error body has ``error`` (a stable code), ``message``, ``problems`` (each with its place: a JSON
path such as ``$.act.kind`` in a fact, a file position in a pack, a parameter name in a request) and
``text`` (``id`` then ``en``). An invalid fact is answered exactly as :meth:`FactError.as_dict` gives it,
plus ``text``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import NetralError, Problem
from ..vocabulary import Bilingual

# code -> (Indonesian, English); placeholders filled by error_body(**values)
TEXTS: dict[str, tuple[str, str]] = {
    "invalid_fact": (
        "Laporan tidak sesuai dengan model fakta ({count} masalah); lihat daftar masalah beserta letaknya.",
        "The report does not match the fact model ({count} problem(s)); see the problems and where they are.",
    ),
    "answer_rejected": (
        "Jawaban itu tidak dapat dipakai (isian: {fields}); laporan tetap seperti sebelum jawaban itu.",
        "That answer cannot be used (field: {fields}); the report stays as it was before that answer.",
    ),
    "report_rejected": (
        "Laporan ini tidak dapat dipakai apa adanya (isian: {fields}).",
        "This report cannot be used as it is (field: {fields}).",
    ),
    "answer_field": (
        "Pertanyaan itu tidak dikenal, atau laporan tidak mempunyai tempat untuk jawabannya.",
        "That question is not known, or the report has no place for its answer.",
    ),
    "invalid_request": (
        "Parameter permintaan tidak sah ({count} masalah).",
        "Invalid request parameters ({count} problem(s)).",
    ),
    "citation_error": (
        "Kutipan pasal tidak dapat dibaca; tulis misalnya 'PP 94/2021 Pasal 5 huruf n angka 1'.",
        "The citation cannot be read; write for example 'PP 94/2021 Pasal 5 huruf n angka 1'.",
    ),
    "body_too_large": (
        "Isi permintaan melebihi batas {limit} bita.",
        "The request body exceeds the limit of {limit} bytes.",
    ),
    "body_timeout": (
        "Isi permintaan tidak diterima lengkap dalam {seconds} detik.",
        "The request body did not arrive in full within the time limit ({seconds} s).",
    ),
    "timeout": (
        "Permintaan tidak selesai dalam batas waktu {seconds} detik.",
        "The request did not finish within the time limit ({seconds} s).",
    ),
    "unauthorized": (
        "Diperlukan token akses yang sah: kirim header 'Authorization: Bearer <token>'.",
        "A valid access token is required: send the header 'Authorization: Bearer <token>'.",
    ),
    "forbidden": (
        "Token ini tidak berwenang memuat ulang paket aturan; diperlukan token admin.",
        "This token may not reload the rule packs; an admin token is required.",
    ),
    "reload_disabled": (
        "Pemuatan ulang melalui API tidak aktif: layanan dijalankan tanpa token admin. Kirim sinyal SIGHUP "
        "ke proses layanan, atau jalankan dengan --admin-token-file.",
        "Reloading over the API is off: the service runs without admin tokens. Send SIGHUP to the service "
        "process, or start it with --admin-token-file.",
    ),
    "pack_error": (
        "Paket aturan baru ditolak ({count} masalah); paket yang lama tetap dipakai.",
        "The new rule packs were refused ({count} problem(s)); the old packs keep serving.",
    ),
    "rule_not_found": (
        "Tidak ada aturan '{rule_id}' dalam paket yang dimuat.",
        "No loaded pack has a rule '{rule_id}'.",
    ),
    "pack_not_found": (
        "Tidak ada paket '{pack_id}' yang dimuat.",
        "No pack '{pack_id}' is loaded.",
    ),
    "calendar_not_found": (
        "Tidak ada kalender pemilihan '{election_id}' yang dimuat.",
        "No election calendar '{election_id}' is loaded.",
    ),
    "article_not_found": (
        "Pasal '{cite}' tidak terdaftar dalam paket yang dimuat.",
        "The article '{cite}' is not registered in any loaded pack.",
    ),
    "not_found": ("Alamat ini tidak ada pada layanan.", "The service has no such address."),
    "method_not_allowed": (
        "Metode HTTP ini tidak dapat dipakai pada alamat ini.",
        "This HTTP method cannot be used at this address.",
    ),
    "not_acceptable": ("Permintaan tidak dapat dilayani.", "The request cannot be served."),
    "internal_error": (
        "Terjadi kesalahan di dalam layanan; kesalahan ini dicatat di log layanan.",
        "Something went wrong inside the service; it was written to the service log.",
    ),
}


class InvalidRequest(Exception):
    """A request parameter the routes check themselves: 422 ``invalid_request`` with its problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("invalid request")
        self.problems = problems


class ProblemBody(BaseModel):
    """One problem: ``where`` is a JSON path (facts), a file position (packs) or a parameter name."""

    model_config = ConfigDict(extra="forbid")

    message: str
    where: str | dict[str, Any] | None = None
    severity: str = "error"
    code: str = "invalid"
    hint: str | None = None


class ErrorBody(BaseModel):
    """The body of every error answer."""

    model_config = ConfigDict(extra="forbid")

    error: str = Field(description="A stable code: invalid_fact, invalid_request, body_too_large, ...")
    message: str
    problems: list[ProblemBody] = Field(default_factory=list)
    text: Bilingual = Field(description="What went wrong, for people: Indonesian (id) and English (en).")


def text(code: str, **values: object) -> Bilingual:
    id_, en = TEXTS.get(code, TEXTS["internal_error"])
    return Bilingual(id=id_.format(**values), en=en.format(**values))


def error_body(code: str, message: str | None = None, problems: list[Problem] | None = None,
               fill: Mapping[str, str] | None = None, **values: str | int) -> dict[str, Any]:
    """An error body for ``code``, its text filled with ``fill`` and ``values``; ``message`` defaults to the
    English text."""
    t = text(code, count=len(problems or []), **(fill or {}), **values)
    return {
        "error": code,
        "message": message or t.en,
        "problems": [p.as_dict() for p in problems or []],
        "text": t.model_dump(),
    }


def from_netral(exc: NetralError, **values: object) -> dict[str, Any]:
    """The library's own error dict, unchanged, with the bilingual ``text`` added."""
    body = exc.as_dict()
    code = str(body["error"])
    body["text"] = text(code, count=len(exc.problems), **values).model_dump()
    return body


__all__ = ["TEXTS", "ErrorBody", "InvalidRequest", "ProblemBody", "error_body", "from_netral", "text"]
