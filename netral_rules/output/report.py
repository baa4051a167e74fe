"""Human-readable renderings of decisions: the ``check`` table and the ``explain`` narrative (id / en).

Fact fields reach these texts (an id, a name in an explanation, a value that was compared), and a fact is
written by whoever filed the report. A newline, a carriage return or an ANSI escape in ``actor.name`` could
otherwise add a line "Keputusan: TIDAK ADA PELANGGARAN" to ``explain`` or rows to the table, so every line
of human-readable output goes through :func:`terminal_safe`, which writes control characters out as text.
JSON Lines output goes through :func:`json_line_safe`: JSON allows U+2028, U+2029 and U+0085 raw in
strings, but readers that split lines with ``splitlines()`` take them for line breaks.
"""

from __future__ import annotations

import re

from ..conditions.tree import Compare
from ..conditions.words import compare_words
from ..decide.decision import Decision, MatchedCondition
from ..errors import NetralError
from ..fact.labels import VOCABULARY, labels

_LABELS: dict[str, dict[str, str]] = {
    "id": {
        "decision": "Keputusan",
        "applied": "Hukum yang diterapkan: yang berlaku pada",
        "as_of": "(tanggal as_of)",
        "occurred": "(tanggal kejadian)",
        "finding": "Temuan",
        "category": "Kategori",
        "level": "tingkat",
        "matched": "Kondisi yang terpenuhi",
        "fact": "fakta",
        "basis": "Dasar hukum",
        "sanctions": "Pilihan hukuman",
        "replaces": "menggantikan",
        "explanation": "Penjelasan",
        "notes": "Catatan",
        "aggregate": "Gabungan",
        "assumptions": "Asumsi",
        "setting_value": "nilai yang dipakai",
        "undetermined": "Belum dapat ditentukan karena data kurang",
        "set_aside": "Dikesampingkan (aturan khusus yang juga terpenuhi didahulukan)",
        "by": "oleh",
        "missing": "data yang kurang",
        "audit": "Audit",
        "verification": "Verifikasi sumber",
        "not_covered": "Tidak tercakup",
        "context": "dalam",
    },
    "en": {
        "decision": "Decision",
        "applied": "Law applied: as in force on",
        "as_of": "(as_of date)",
        "occurred": "(date of the act)",
        "finding": "Finding",
        "category": "Category",
        "level": "level",
        "matched": "Conditions met",
        "fact": "fact",
        "basis": "Legal basis",
        "sanctions": "Sanction options",
        "replaces": "replacing",
        "explanation": "Explanation",
        "notes": "Notes",
        "aggregate": "Aggregate",
        "assumptions": "Assumptions",
        "setting_value": "value used",
        "undetermined": "Undetermined because the fact says too little",
        "set_aside": "Set aside (a more specific rule that also holds takes precedence)",
        "by": "by",
        "missing": "missing",
        "audit": "Audit",
        "verification": "Source verification",
        "not_covered": "Not covered",
        "context": "under",
    },
}


_TABLE = {
    "id": ("baris", "nomor", "status", "tingkat", "kategori", "aturan"),
    "en": ("line", "id", "status", "level", "category", "rules"),
}
_SUMMARY = {
    "id": ("{n} laporan", "{n} tidak sah"),
    "en": ("{n} record(s)", "{n} invalid"),
}
ROW_ERROR = {"id": "TIDAK SAH", "en": "INVALID"}  # the status column of a record that is no valid report


# C0 and C1 controls and DEL, line and paragraph separators, and the bidirectional controls that can make
# a text read otherwise than it is stored
_ESCAPES: dict[int, str] = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_ESCAPES.update({0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"})
_ESCAPES.update({c: f"\\u{c:04x}" for c in (0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F),
                                             *range(0x2066, 0x206A))})
_IN_SOURCE = re.compile(b"\xe2\x80[\xa8\xa9]|\xc2\x85|\\\\u(?:202[89]|0085)")
_SEPARATOR_ESCAPES = {b"\xe2\x80\xa8": b"\\u2028", b"\xe2\x80\xa9": b"\\u2029", b"\xc2\x85": b"\\u0085"}


def terminal_safe(text: str) -> str:
    """``text`` as one line of a terminal: control characters written out (``\\n``, ``\\x1b``, ``\\u202e``)."""
    return text if text.isprintable() else text.translate(_ESCAPES)


def terminal_error(exc: NetralError, prefix: str = "") -> str:
    """An error and its problems, one line each, as :func:`terminal_safe` shows lines (a problem's text may
    hold what a fact or a pack wrote). A fact's problems without their JSON path: the messages name the field."""
    return "\n".join(terminal_safe(line) for line in [prefix + exc.message, *(f"  {p.words()}" for p in exc.problems)])


def json_line_safe(data: bytes) -> bytes:
    """A JSON Lines record (UTF-8) with raw U+2028, U+2029 and U+0085 written as ``\\u`` escapes, which is
    the same JSON: these can only occur inside strings."""
    for raw, escaped in _SEPARATOR_ESCAPES.items():
        if raw in data:
            data = data.replace(raw, escaped)
    return data


def may_hold_separators(source: bytes) -> bool:
    """Whether JSON text (a fact, a few hundred bytes) holds a line separator, raw or escaped: a decision's
    JSON holds one only where its fact or a pack's text did. Cheaper to ask of the fact than of the ~8 kB
    of the decision."""
    if source.isascii() and b"\\u" not in source:
        return False
    return _IN_SOURCE.search(source) is not None


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "id"


def table_header(lang: str = "id") -> str:
    c = _TABLE[_lang(lang)]
    return f"{c[0]:>6}  {c[1]:<14} {c[2]:<22} {c[3]:<32} {c[4]:<22} {c[5]}"


def table_row(line: int, d: Decision, lang: str = "id") -> str:
    lang = _lang(lang)
    lab = labels()
    rules = ", ".join(d.rule_ids) or "-"
    level = lab.term("level", d.aggregate.level, lang)
    category = lab.term("category", d.aggregate.category, lang)
    r = d.readings
    if r is not None and (d.aggregate.level is None or r.lightest != r.heaviest):
        # an incomplete report: the range over its readings, and the question that decides most
        low, high = getattr(r.lightest.text, lang), getattr(r.heaviest.text, lang)
        span = low if low == high else f"{low} {'s.d.' if lang == 'id' else 'to'} {high}"
        ask = f"; {'tanya' if lang == 'id' else 'ask'}: {lab.field(r.questions[0].field, lang)}" if r.questions else ""
        return terminal_safe(
            f"{line:>6}  {terminal_safe(d.fact_id or '-')[:14]:<14} {lab.term('decision_status', d.status, lang):<22} "
            f"{span}{ask}"
        )
    return terminal_safe(
        f"{line:>6}  {terminal_safe(d.fact_id or '-')[:14]:<14} {lab.term('decision_status', d.status, lang):<22} "
        f"{level:<32} {category:<22} {rules}"
    )


def error_row(line: int, message: str, problems: str, lang: str = "id") -> str:
    """The table row of a record that could not be decided."""
    return terminal_safe(f"{line:>6}  {ROW_ERROR[_lang(lang)]}  {message}: {problems}")


def table_summary(statuses: dict[str, int], invalid: int, lang: str = "id") -> str:
    """The closing line of the check table: how many records, by decision status, and how many were invalid."""
    lang = _lang(lang)
    lab = labels()
    total = sum(statuses.values()) + invalid
    parts = [f"{statuses.get(s, 0)} {lab.term('decision_status', s, lang)}" for s in VOCABULARY["decision_status"]]
    parts.append(_SUMMARY[lang][1].format(n=invalid))
    return f"{_SUMMARY[lang][0].format(n=total)}: {', '.join(parts)}"


def _matched(m: MatchedCondition, lang: str, fact_word: str) -> str:
    expected = tuple(m.expected) if isinstance(m.expected, list) else m.expected
    text = compare_words(Compare(m.path, m.op, expected), lang)
    if m.op == "eq" or (m.op == "ne" and isinstance(m.expected, bool)):
        return text  # the fact's value is the one named
    return f"{text}  ({fact_word}: {labels().value(m.path, m.actual, lang)})"


def explain_text(d: Decision, lang: str = "id") -> str:
    lang = _lang(lang)
    lab = labels()
    L = _LABELS[lang]
    out: list[str] = []
    head = f"{L['decision']}: {lab.term('decision_status', d.status, lang).upper()}"
    if d.fact_id:
        head += f"  [{d.fact_id}]"
    out.append(head)
    when = L["as_of"] if d.audit.as_of_given else L["occurred"]
    out.append(f"{L['applied']} {d.applied_on} {when}")
    if d.not_covered:
        out.append(f"{L['not_covered']}: {getattr(d.not_covered, lang)}")
    for i, f in enumerate(d.findings, 1):
        out.append("")
        out.append(f"{L['finding']} {i}: {getattr(f.title, lang)}  [{f.rule_id}, {f.pack} {f.pack_version}]")
        category, level = lab.term("category", f.category, lang), lab.term("level", f.level, lang)
        out.append(f"  {L['category']}: {category}, {L['level']}: {level}")
        if f.verification != "verified_primary":
            out.append(f"  {L['verification']}: {lab.term('verification_status', f.verification, lang)}")
        out.append(f"  {L['matched']}:")
        for m in f.matched:
            out.append(f"    - {_matched(m, lang, str(L['fact']))}")
        out.append(f"  {L['basis']}:")
        for b in f.basis:
            out.append(f"    {b.cite}  [{lab.term('verification_status', b.provenance.status, lang)}]")
            for c in b.context:
                out.append(f'      {L["context"]} {c.cite}: "{c.text}"')
            out.append(f'      "{b.text}"')
            if lang == "en":
                out.append(f"      ({b.gloss})")
        for menu in f.sanctions:
            extra = f", {L['replaces']} {menu.replaces}" if menu.replaces else ""
            out.append(f"  {L['sanctions']} ({menu.cite}{extra}):")
            for opt in menu.options:
                out.append(f"    - {getattr(opt.label, lang)}  [{opt.code}]")
        out.append(f"  {L['explanation']}: {getattr(f.explanation, lang)}")
        for n in f.notes:
            out.append(f"  {L['notes']}: {getattr(n, lang)}")
    if d.set_aside:
        out.append("")
        out.append(f"{L['set_aside']}:")
        for aside in d.set_aside:
            out.append(
                f"  - {getattr(aside.title, lang)} [{aside.rule_id}] {L['by']} {getattr(aside.by_title, lang)} "
                f"[{aside.by}]"
            )
            out.append(f"    {getattr(aside.reason, lang)} ({'; '.join(b.cite for b in aside.basis)})")
    if d.aggregate.outcomes:
        out.append("")
        out.append(
            f"{L['aggregate']}: {lab.term('category', d.aggregate.category, lang)}, "
            f"{L['level']} {lab.term('level', d.aggregate.level, lang)}"
        )
        for o in d.aggregate.outcomes:
            out.append(
                f"  - {lab.term('category', o.category, lang)}, {L['level']} {lab.term('level', o.level, lang)}: "
                f"{getattr(o.explanation, lang)}"
            )
            for s in o.sanctions:
                out.append(f"      * {getattr(s.label, lang)}  [{s.code}]")
        for b in d.aggregate.basis:
            out.append(f'    {b.cite}: "{b.text}"')
    if d.assumptions:
        out.append("")
        out.append(f"{L['assumptions']}:")
        for a in d.assumptions:
            out.append(f"  - {getattr(a.description, lang)}")
            out.append(f"    {L['setting_value']}: {lab.value('', a.value, lang)}. {getattr(a.effect, lang)}")
    if d.undetermined:
        out.append("")
        out.append(f"{L['undetermined']}:")
        for u in d.undetermined:
            missing = "; ".join(lab.field(p, lang) for p in u.missing)
            out.append(f"  - {getattr(u.title, lang)} [{u.rule_id}]: {L['missing']}: {missing}")
    notes = [n for n in d.notes if all(n not in f.notes for f in d.findings)]
    if notes:
        out.append("")
        out.append(f"{L['notes']}:")
        for n in notes:
            out.append(f"  - {getattr(n, lang)}")
    out.append("")
    audit = d.audit
    packs = ", ".join(f"{p.id} {p.version} ({p.sha256[:12]})" for p in audit.packs)
    out.append(
        f"{L['audit']}: netral-rules {audit.engine_version}, backend {audit.backend}; {packs}; "
        f"input {audit.input_sha256[:16]}"
    )
    # each entry is one line by construction: whatever control characters it holds came from data
    return "\n".join(terminal_safe(line) for line in out)
