"""Human-readable renderings of decisions: the ``check`` table and the ``explain`` narrative (id / en)."""

from __future__ import annotations

from ..conditions.tree import Compare
from ..conditions.words import compare_words
from ..decide.decision import Decision, MatchedCondition
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
        return (
            f"{line:>6}  {(d.fact_id or '-')[:14]:<14} {lab.term('decision_status', d.status, lang):<22} "
            f"{span}{ask}"
        )
    return (
        f"{line:>6}  {(d.fact_id or '-')[:14]:<14} {lab.term('decision_status', d.status, lang):<22} "
        f"{level:<32} {category:<22} {rules}"
    )


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
    return "\n".join(out)
