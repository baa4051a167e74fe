"""The 2022 joint decree's entries are the sources' words, not the project's: no summary is stored as a quote.

The decree's official text was not found (issue 14 item 10): every entry rests on secondary sources, each naming
where its wording was read; the two part headings of Lampiran II are the parts' names only, marked unverified;
an item whose source goes on past the quoted words ends with an ellipsis.
"""

from __future__ import annotations

from pathlib import Path

from netral_rules.law.load import load_pack

SKB = Path(__file__).resolve().parents[2] / "rules" / "skb_2022"


def test_no_project_summary_is_stored_as_a_quote_of_the_decree() -> None:
    pack, problems = load_pack(SKB)
    assert pack is not None and problems == []
    by_cite = {str(c): a.article for c, a in pack.articles.items()}
    for part, name in (("A", "Pelanggaran Kode Etik"), ("B", "Pelanggaran Disiplin")):
        heading = by_cite[f"SKB 2/2022 Lampiran II huruf {part}"]
        assert heading.text == name == heading.heading  # the part's name, nothing composed around it
        assert heading.provenance.status == "unverified"
    for cite, article in by_cite.items():
        assert article.provenance.status != "verified_primary", cite  # no official copy was read
        assert article.provenance.source, cite  # each names where its words come from
        assert "(paraphrase)" not in article.provenance.source, cite
    for item in ("B angka 2", "B angka 7"):
        assert by_cite[f"SKB 2/2022 Lampiran II huruf {item}"].text.endswith("…"), item
    # the wording of B13 differs between the sources: not stored as settled
    assert by_cite["SKB 2/2022 Lampiran II huruf B angka 13"].provenance.status == "unverified"
