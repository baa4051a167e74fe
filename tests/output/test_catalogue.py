"""The rule catalogue: Indonesian pages with an English version, one per pack, an index of packs, an index by
article and one by kind of act, conditions in words, and no link that points nowhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netral_rules.decide.engine import Engine
from netral_rules.output.catalogue import render_catalogue

RULES = Path(__file__).resolve().parents[2] / "rules"
LINK = re.compile(r"\]\(([^)\s]+)\)")
ANCHOR = re.compile(r'<a id="([^"]+)"></a>')


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_paths([RULES])


@pytest.fixture(scope="module")
def catalogue(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("catalogue")
    render_catalogue(engine, out)
    return out


def test_pages_in_both_languages(engine: Engine, catalogue: Path) -> None:
    packs = {f"{p.id}.md" for p in engine.packs}
    assert {p.name for p in catalogue.glob("*.md")} == packs | {"index.md", "menurut-pasal.md", "menurut-tindakan.md",
                                                                 "kalender-pemilihan.md"}
    assert {p.name for p in (catalogue / "en").glob("*.md")} == packs | {"index.md", "by-article.md", "by-act.md",
                                                                          "election-calendars.md"}
    index = (catalogue / "index.md").read_text(encoding="utf-8")
    assert index.startswith("# Katalog aturan")
    for pack in engine.packs:
        assert f"({pack.id}.md)" in index
    assert "(en/index.md)" in index and "(menurut-pasal.md)" in index and "(menurut-tindakan.md)" in index
    assert "(kalender-pemilihan.md)" in index
    assert (catalogue / "en" / "index.md").read_text(encoding="utf-8").startswith("# Rule catalogue")


def test_no_broken_references(catalogue: Path) -> None:
    pages = sorted(catalogue.rglob("*.md"))
    anchors = {p: set(ANCHOR.findall(p.read_text(encoding="utf-8"))) for p in pages}
    checked = 0
    for page in pages:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            file, _, anchor = target.partition("#")
            dest = (page.parent / file).resolve() if file else page
            assert dest.is_file(), f"{page.relative_to(catalogue)} links to missing {target}"
            if anchor:
                assert anchor in anchors[dest], f"{page.relative_to(catalogue)} links to missing anchor {target}"
            checked += 1
    assert checked > 500  # every rule list, every basis and the indexes link


def test_rule_page_shows_conditions_level_sanctions_basis(engine: Engine, catalogue: Path) -> None:
    page = (catalogue / "pp_94_2021.md").read_text(encoding="utf-8")
    english = (catalogue / "en" / "pp_94_2021.md").read_text(encoding="utf-8")
    for rule in engine.rules:
        if rule.pack_id == "pp_94_2021":
            assert f"### `{rule.id}`" in page and f"### `{rule.id}`" in english
    assert "- mengerahkan PNS lain: ya" in page                        # the condition in words (id)
    assert "- mobilised other civil servants: yes" in english          # and (en)
    assert "act.mobilised_civil_servants" not in page + english
    assert "pp94.8.4.c" in page                                          # sanction option code
    assert "sebagai peserta kampanye dengan mengerahkan PNS lain;" in page   # verbatim article text
    # the PP 94/2021 Pasal 42 substitution is visible with the default setting
    assert "PP 53/2010 Pasal 7 ayat (3) (sedang), menggantikan PP 94/2021 Pasal 8 ayat (3)" in page
    assert "PP 53/2010 Pasal 7 ayat (3) (moderate), replacing PP 94/2021 Pasal 8 ayat (3)" in english
    assert "| Tingkat | tidak ditentukan oleh peraturan |" in page
    assert "| Level | not assigned by the law |" in english
    # explanation templates name their placeholders in words
    assert "‹tanggal tindakan›" in page and "{occurred_on}" not in page


def test_settings_change_the_menu_shown(tmp_path: Path) -> None:
    engine = Engine.from_paths([RULES], settings={"salary_regulation_in_force": True})
    render_catalogue(engine, tmp_path)
    page = (tmp_path / "pp_94_2021.md").read_text(encoding="utf-8")
    assert "menggantikan PP 94/2021 Pasal 8 ayat (3)" not in page
    assert "pp94.8.3.a" in page


def test_secondary_provenance_is_visible(catalogue: Path) -> None:
    assert "hanya dari sumber sekunder" in (catalogue / "skb_2022.md").read_text(encoding="utf-8")
    assert "BELUM DIVERIFIKASI" in (catalogue / "skb_2022.md").read_text(encoding="utf-8")
    assert "secondary sources only" in (catalogue / "en" / "skb_2022.md").read_text(encoding="utf-8")
    assert "UNVERIFIED" in (catalogue / "en" / "skb_2022.md").read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    start = text.index(heading + "\n")
    rest = text[start + len(heading) + 1:]
    end = re.search(r"^#{1,3} ", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


def test_index_by_article_answers_which_rules_apply_an_article(engine: Engine, catalogue: Path) -> None:
    page = (catalogue / "menurut-pasal.md").read_text(encoding="utf-8")
    pasal5 = _section(page, "### PP 94/2021 Pasal 5")
    citing = {
        r.id for r in engine.rules
        if any(ref.citation is not None and ref.citation.instrument_key == "PP 94/2021" and ref.citation.pasal == "5"
               and ref.citation.huruf == "n" and not ref.citation.penjelasan for ref in r.basis)
    }
    assert citing, "PP 94/2021 Pasal 5 huruf n is cited"
    listed = set(re.findall(r"\[`([^`]+)`\]", pasal5))
    assert listed == citing
    assert "[PP 94/2021 Pasal 5 huruf n angka 3](pp_94_2021.md#art-pp94-2021-p5-n-3)" in pasal5
    english = (catalogue / "en" / "by-article.md").read_text(encoding="utf-8")
    assert set(re.findall(r"\[`([^`]+)`\]", _section(english, "### PP 94/2021 Pasal 5"))) == citing


def test_index_by_kind_of_act(catalogue: Path) -> None:
    page = (catalogue / "menurut-tindakan.md").read_text(encoding="utf-8")
    campaign = _section(page, "## Menghadiri kampanye")
    assert "`pp94.dukungan.mengerahkan-pns`" in campaign
    assert "`pp94.kehadiran.4-6-hari`" not in campaign
    assert "`pp94.dukungan.mengerahkan-pns`" in _section(
        (catalogue / "en" / "by-act.md").read_text(encoding="utf-8"), "## Attending a campaign")


def test_committed_catalogue_is_linked_from_the_guides() -> None:
    root = RULES.parent
    for guide in ("legal-staff-guide.id.md", "legal-staff-guide.en.md"):
        text = (root / "docs" / guide).read_text(encoding="utf-8")
        assert "rules/index.md" in text
