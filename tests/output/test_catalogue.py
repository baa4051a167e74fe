"""The rule catalogue renders one page per pack with every rule, its basis and its sanction options."""

from __future__ import annotations

from pathlib import Path

from netral_rules.decide.engine import Engine
from netral_rules.output.catalogue import render_catalogue

RULES = Path(__file__).resolve().parents[2] / "rules"


def test_one_page_per_pack_and_an_index(tmp_path: Path) -> None:
    engine = Engine.from_paths([RULES])
    written = render_catalogue(engine, tmp_path / "rules")
    names = {p.name for p in written}
    assert names == {f"{p.id}.md" for p in engine.packs} | {"index.md"}
    index = (tmp_path / "rules" / "index.md").read_text(encoding="utf-8")
    for pack in engine.packs:
        assert f"({pack.id}.md)" in index


def test_rule_page_shows_conditions_level_sanctions_basis(tmp_path: Path) -> None:
    engine = Engine.from_paths([RULES])
    render_catalogue(engine, tmp_path)
    page = (tmp_path / "pp_94_2021.md").read_text(encoding="utf-8")
    for rule in engine.rules:
        if rule.pack_id == "pp_94_2021":
            assert f"### `{rule.id}`" in page
    assert "act.mobilised_civil_servants is true" in page            # plain-words condition (en)
    assert "act.mobilised_civil_servants adalah true" in page        # and (id)
    assert "pp94.8.4.c" in page                                       # sanction option code
    assert "sebagai peserta kampanye dengan mengerahkan PNS lain;" in page   # verbatim article text
    # the PP 94/2021 Pasal 42 substitution is visible with the default setting
    assert "PP 53/2010 Pasal 7 ayat (3) (sedang), replacing PP 94/2021 Pasal 8 ayat (3)" in page
    assert "| Tingkat / level | unassigned |" in page


def test_settings_change_the_menu_shown(tmp_path: Path) -> None:
    engine = Engine.from_paths([RULES], settings={"salary_regulation_in_force": True})
    render_catalogue(engine, tmp_path)
    page = (tmp_path / "pp_94_2021.md").read_text(encoding="utf-8")
    assert "replacing PP 94/2021 Pasal 8 ayat (3)" not in page
    assert "pp94.8.3.a" in page


def test_secondary_provenance_is_visible(tmp_path: Path) -> None:
    engine = Engine.from_paths([RULES])
    render_catalogue(engine, tmp_path)
    page = (tmp_path / "skb_2022.md").read_text(encoding="utf-8")
    assert "secondary sources only" in page
    assert "UNVERIFIED" in page
