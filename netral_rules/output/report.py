"""Human-readable renderings of decisions: the ``check`` table and the ``explain`` narrative (id / en)."""

from __future__ import annotations

import json

from ..decide.decision import Decision

_LABELS = {
    "id": {
        "decision": "Keputusan",
        "status": {
            "violation": "PELANGGARAN",
            "no_violation": "TIDAK ADA PELANGGARAN",
            "undetermined": "BELUM DAPAT DITENTUKAN",
            "not_covered": "TIDAK TERCAKUP",
        },
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
        "status": {
            "violation": "VIOLATION",
            "no_violation": "NO VIOLATION",
            "undetermined": "UNDETERMINED",
            "not_covered": "NOT COVERED",
        },
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


def table_header() -> str:
    return f"{'line':>6}  {'id':<14} {'status':<13} {'level':<10} {'category':<14} rules"


def table_row(line: int, d: Decision) -> str:
    rules = ", ".join(d.rule_ids) or "-"
    return (
        f"{line:>6}  {(d.fact_id or '-')[:14]:<14} {d.status:<13} {d.aggregate.level or '-'!s:<10} "
        f"{d.aggregate.category or '-'!s:<14} {rules}"
    )


def explain_text(d: Decision, lang: str = "id") -> str:
    L = _LABELS[lang]
    status = L["status"]
    assert isinstance(status, dict)
    out: list[str] = []
    head = f"{L['decision']}: {status[d.status]}"
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
        out.append(f"  {L['category']}: {f.category}, {L['level']}: {f.level}")
        if f.verification != "verified_primary":
            out.append(f"  {L['verification']}: {f.verification}")
        out.append(f"  {L['matched']}:")
        for m in f.matched:
            out.append(
                f"    - {m.path} {m.op} {json.dumps(m.expected, ensure_ascii=False)}  "
                f"({L['fact']}: {json.dumps(m.actual, ensure_ascii=False)})"
            )
        out.append(f"  {L['basis']}:")
        for b in f.basis:
            out.append(f"    {b.cite}  [{b.provenance.status}]")
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
        out.append(f"{L['aggregate']}: {L['level']} {d.aggregate.level}, {d.aggregate.category}")
        for o in d.aggregate.outcomes:
            out.append(f"  - {o.category} / {o.level}: {getattr(o.explanation, lang)}")
            for s in o.sanctions:
                out.append(f"      * {getattr(s.label, lang)}  [{s.code}]")
        for b in d.aggregate.basis:
            out.append(f'    {b.cite}: "{b.text}"')
    if d.assumptions:
        out.append("")
        out.append(f"{L['assumptions']}:")
        for a in d.assumptions:
            out.append(f"  - {a.setting} = {str(a.value).lower()}: {getattr(a.effect, lang)}")
    if d.undetermined:
        out.append("")
        out.append(f"{L['undetermined']}:")
        for u in d.undetermined:
            out.append(f"  - {getattr(u.title, lang)} [{u.rule_id}]: {L['missing']} {', '.join(u.missing)}")
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
