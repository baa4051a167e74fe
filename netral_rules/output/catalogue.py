"""The rule catalogue: the loaded law rendered as Markdown for legal staff (``netral-rules docs``).

One page per pack and an ``index.md``. Each rule is shown with its titles, its condition in plain words
(Indonesian and English), its category and level, the sanction options as the engine's current settings
give them (so a PP 94/2021 Pasal 42 substitution is visible), its basis with the verbatim article texts,
its in-force period, whom it binds and its provenance. The catalogue is generated from the packs, so it can
never disagree with what the engine decides.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..conditions.words import describe
from ..law.citations import Citation
from ..law.load import LoadedPack, LoadedRule
from ..law.schema import Period, Provenance

if TYPE_CHECKING:
    from ..decide.engine import Engine

_STATUS = {"verified_primary": "verified (primary text)", "verified_secondary": "secondary sources only",
           "unverified": "UNVERIFIED"}


def _period(p: Period) -> str:
    return f"{p.from_.isoformat()} – {p.until.isoformat() if p.until else 'in force'}"


def _provenance(p: Provenance | None) -> str:
    if p is None:
        return "as its basis"
    text = _STATUS.get(p.status, p.status)
    if p.source:
        text += f" — {p.source}"
    if p.note:
        text += f" ({p.note})"
    return text


def _quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.splitlines())


def _anchor(rule_id: str) -> str:
    return rule_id.replace(".", "").lower()


def _rule_section(engine: Engine, rule: LoadedRule) -> list[str]:
    r = rule.rule
    then = r.then
    out = [f"### `{r.id}`", "", f"**{r.title.id}**  ", f"*{r.title.en}*", ""]
    out += [
        "| | |", "|---|---|",
        f"| Kategori / category | {then.category} |",
        f"| Tingkat / level | {then.level} |",
        f"| Berlaku / in force | {_period(rule.in_force)} |",
        f"| Mengikat / binds | {', '.join(s.upper() for s in rule.binds)} |",
        f"| Sifat / nature (Pasal 35) | {then.nature or '—'} |",
        f"| Provenance | {_provenance(r.provenance)} |",
        "",
    ]
    out += ["**Syarat** (semua harus terpenuhi):", ""] + describe(rule.condition, "id") + [""]
    out += ["**Conditions** (all must hold):", ""] + describe(rule.condition, "en") + [""]
    if rule.sanctions:
        out += ["**Pilihan hukuman / sanction options:**", ""]
        for ref in rule.sanctions:
            if ref.citation is None:
                continue
            menu, sub = engine.lawbook.menu(ref.citation, engine.settings)
            head = f"- {menu.cite} ({menu.level or 'unassigned'})"
            if menu.replaces:
                head += f", replacing {menu.replaces}"
                if sub is not None:
                    head += f" — setting `{sub.setting}` = {str(engine.settings[sub.setting]).lower()}"
            out.append(head)
            out += [f"  - `{o.code}`: {o.label.id} / {o.label.en} ({o.cite})" for o in menu.options]
        out.append("")
    else:
        out += ["**Pilihan hukuman / sanction options:** none stated by the law for this rule.", ""]
    out += ["**Dasar hukum / basis:**", ""]
    for ref in rule.basis:
        if ref.citation is None:
            continue
        art = engine.lawbook.cited(ref.citation)
        out.append(f"- **{art.cite}** — {_STATUS.get(art.provenance.status, art.provenance.status)}")
        for ctx in art.context:
            out += ["", _quote(f"{ctx.cite}: {ctx.text}")]
        out += ["", _quote(art.text), "", f"  *{art.gloss}*", ""]
    out += _exception_lines(engine, rule)
    if then.notes:
        out += ["**Catatan / notes:**", ""]
        for note in then.notes:
            out += [f"- {note.id}", f"  *{note.en}*"]
        out.append("")
    out += ["**Penjelasan / explanation template:**", "", f"- {r.explain.id}", f"- *{r.explain.en}*", ""]
    return out


def _rule_link(engine: Engine, rule_id: str) -> str:
    pack = next((r.pack_id for r in engine.rules if r.id == rule_id), None)
    return f"[`{rule_id}`]({pack}.md#{_anchor(rule_id)})" if pack else f"`{rule_id}`"


def _exception_lines(engine: Engine, rule: LoadedRule) -> list[str]:
    """The ``sets_aside`` relation both ways: what this rule sets aside, and what sets it aside."""
    out: list[str] = []
    if rule.rule.sets_aside:
        out += ["**Mengesampingkan / sets aside** (bila keduanya terpenuhi / when both hold):", ""]
        for entry in rule.rule.sets_aside:
            out += [f"- {_rule_link(engine, entry.rule)} ({'; '.join(entry.basis)})",
                    f"  {entry.reason.id}", f"  *{entry.reason.en}*"]
        out.append("")
    by = [(other, e) for other in engine.rules for e in other.rule.sets_aside if e.rule == rule.id]
    if by:
        out += ["**Dikesampingkan oleh / set aside by:**", ""]
        for other, entry in by:
            out += [f"- {_rule_link(engine, other.id)} ({'; '.join(entry.basis)})"]
        out.append("")
    return out


def _pack_page(engine: Engine, pack: LoadedPack) -> str:
    m = pack.manifest
    ins = m.instrument
    out = [f"# {ins.kind} {ins.number}/{ins.year} — {ins.title}", ""]
    out += [
        "| | |", "|---|---|",
        f"| Pack | `{m.id}` version {m.version} |",
        f"| Berlaku / in force | {_period(m.in_force)} |",
        f"| Mengikat / binds | {', '.join(s.upper() for s in m.binds.statuses)} |",
    ]
    if ins.gazette:
        out.append(f"| Gazette | {ins.gazette} |")
    if m.revokes:
        out.append(f"| Revokes | {'; '.join(m.revokes)} |")
    if m.provenance:
        out.append(f"| Provenance | {_provenance(m.provenance)} |")
    if m.source:
        out.append(f"| Official text | `{m.source.file}` ({m.source.origin}) |")
    out.append("")
    if m.binds.note:
        out += [f"- {m.binds.note.id}", f"  *{m.binds.note.en}*", ""]
    for note in m.notes:
        out += [f"- {note.id}", f"  *{note.en}*", ""]
    for s in m.settings:
        now = str(engine.settings[s.name]).lower()
        out += [f"**Setting `{s.name}`** (default {str(s.default).lower()}, now {now}): "
                f"{s.description.id} / *{s.description.en}*", ""]
    if pack.rules:
        out += [f"## Aturan / rules ({len(pack.rules)})", ""]
        out += [f"- [`{r.id}`](#{_anchor(r.id)}) — {r.rule.title.id}" for r in pack.rules]
        out.append("")
        for rule in pack.rules:
            out += _rule_section(engine, rule)
    else:
        out += ["This pack has no rules of its own: its articles are cited by other packs.", ""]
    out += [f"## Pasal / articles ({len(pack.articles)})", ""]
    for cit in sorted(pack.articles, key=_sort_key):
        art = pack.articles[cit].article
        heading = f" — {art.heading}" if art.heading else ""
        out += [f"- **{cit}**{heading} ({_STATUS.get(art.provenance.status, art.provenance.status)})", "",
                _quote(art.text), "", f"  *{art.gloss}*", ""]
    out += [f"Scenario tests: {len(pack.scenarios)}.", ""]
    return "\n".join(out)


def _sort_key(c: Citation) -> tuple[object, ...]:
    def num(v: str | None) -> tuple[int, str]:
        if v is None:
            return (-1, "")
        digits = "".join(ch for ch in v if ch.isdigit())
        return (int(digits) if digits else 0, v)

    return (c.penjelasan, c.lampiran or "", num(c.pasal), num(c.ayat), c.huruf or "", num(c.angka))


def render_catalogue(engine: Engine, out_dir: Path) -> list[Path]:
    """Write one Markdown page per loaded pack and an ``index.md`` into ``out_dir``; return the paths written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    rows = []
    for pack in engine.packs:
        path = out_dir / f"{pack.id}.md"
        path.write_text(_pack_page(engine, pack), encoding="utf-8")
        written.append(path)
        m = pack.manifest
        rows.append(f"| [{m.instrument.kind} {m.instrument.number}/{m.instrument.year}]({pack.id}.md) | `{pack.id}` "
                    f"{m.version} | {_period(m.in_force)} | {', '.join(s.upper() for s in m.binds.statuses)} | "
                    f"{len(pack.rules)} | {len(pack.articles)} | {len(pack.scenarios)} |")
    settings = [f"- `{k}` = {str(v).lower()}" for k, v in sorted(engine.settings.items())]
    index = [
        "# Katalog aturan / rule catalogue", "",
        "Generated by `netral-rules docs` from the rule packs; do not edit by hand.", "",
        "| Instrument | Pack | In force | Binds | Rules | Articles | Scenarios |",
        "|---|---|---|---|---|---|---|",
        *rows, "",
        "Engine settings used for the sanction options shown:", "",
        *(settings or ["- (none)"]), "",
    ]
    index_path = out_dir / "index.md"
    index_path.write_text("\n".join(index), encoding="utf-8")
    written.append(index_path)
    return written


__all__ = ["render_catalogue"]
