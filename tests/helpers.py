"""Small builders for test packs written to a temporary folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

PACK = """\
id: test_pack
version: 1.0.0
instrument: {kind: PP, number: "94", year: 2021, title: Test}
in_force: {from: 2021-08-31}
binds: {statuses: [pns, cpns]}
"""

ARTICLES = """\
articles:
  - cite: PP 94/2021 Pasal 5 huruf n angka 3
    text: sebagai peserta kampanye dengan mengerahkan PNS lain;
    gloss: mobilising
    provenance: {status: verified_primary}
  - cite: PP 94/2021 Pasal 8 ayat (4)
    text: "berat:"
    gloss: heavy
    provenance: {status: verified_primary}
    level: berat
    options:
      - {code: t.8.4.a, cite: PP 94/2021 Pasal 8 ayat (4) huruf a, label: {id: a, en: a}}
  - cite: PP 94/2021 Pasal 8 ayat (4) huruf a
    text: penurunan jabatan
    gloss: demotion
    provenance: {status: verified_primary}
"""

RULE = """\
rules:
  - id: t.mobilise
    title: {id: Mengerahkan, en: Mobilising}
    when:
      all:
        - act.kind: campaign_attendance
        - act.mobilised_civil_servants: true
    then:
      category: disiplin
      level: berat
      sanctions: PP 94/2021 Pasal 8 ayat (4)
      basis: [PP 94/2021 Pasal 5 huruf n angka 3]
    explain: {id: "{actor} mengerahkan", en: "{actor} mobilised"}
"""


def write_pack(
    root: Path,
    *,
    pack: str = PACK,
    articles: str = ARTICLES,
    rules: dict[str, str] | None = None,
    tests: dict[str, str] | None = None,
    extra: dict[str, str | bytes] | None = None,
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pack.yaml").write_text(textwrap.dedent(pack), encoding="utf-8")
    (root / "articles.yaml").write_text(textwrap.dedent(articles), encoding="utf-8")
    (root / "rules").mkdir(exist_ok=True)
    for name, text in (rules if rules is not None else {"r.yaml": RULE}).items():
        (root / "rules" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    if tests:
        (root / "tests").mkdir(exist_ok=True)
        for name, text in tests.items():
            (root / "tests" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    for name, content in (extra or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def fact(**act: object) -> dict[str, object]:
    """A PNS campaign-attendance fact on 2024-01-10 (a determined candidate, in the campaign period), with act
    fields overridden."""
    base_act: dict[str, object] = {"kind": "campaign_attendance", "role": "participant"}
    base_act.update(act)
    return {"occurred_on": "2024-01-10", "actor": {"status": "pns"},
            "context": {"election": {"candidate_stage": "calon", "in_campaign_period": True}}, "act": base_act}
