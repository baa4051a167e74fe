"""Each class of pack problem, with the exact position the linter reports."""

from pathlib import Path

from helpers import ARTICLES, PACK, RULE, write_pack

from netral_rules.decide.engine import load_packs


def messages(root: Path) -> list[str]:
    _, problems = load_packs([root])
    return [str(p).replace(str(root), "P") for p in problems]


def test_clean_pack_has_no_problem(tmp_path: Path) -> None:
    assert messages(write_pack(tmp_path / "p")) == []


def test_unresolved_citation_suggests_the_nearest(tmp_path: Path) -> None:
    rule = RULE.replace("basis: [PP 94/2021 Pasal 5 huruf n angka 3]", "basis: [PP 94/2021 Pasal 5 huruf n angka 4]")
    out = messages(write_pack(tmp_path / "p", rules={"r.yaml": rule}))
    assert out == [
        "P/rules/r.yaml:12:15: citation 'PP 94/2021 Pasal 5 huruf n angka 4' does not resolve to an "
        "article in any loaded pack (did you mean 'PP 94/2021 Pasal 5 huruf n angka 3'?)"
    ]


def test_citation_syntax_error(tmp_path: Path) -> None:
    rule = RULE.replace("basis: [PP 94/2021 Pasal 5 huruf n angka 3]", "basis: [PP 94/2021 Pasal 5 ayat 3]")
    out = messages(write_pack(tmp_path / "p", rules={"r.yaml": rule}))
    assert len(out) == 1 and out[0].startswith("P/rules/r.yaml:12:15: cannot parse citation: ayat is written with")


def test_sanctions_must_be_a_menu(tmp_path: Path) -> None:
    rule = RULE.replace("sanctions: PP 94/2021 Pasal 8 ayat (4)", "sanctions: PP 94/2021 Pasal 5 huruf n angka 3")
    out = messages(write_pack(tmp_path / "p", rules={"r.yaml": rule}))
    assert out == [
        "P/rules/r.yaml:11:18: sanctions 'PP 94/2021 Pasal 5 huruf n angka 3' is neither a sanction menu "
        "nor one of its options"
    ]


def test_unknown_path_value_type_and_enum_all_reported(tmp_path: Path) -> None:
    rule = RULE.replace("- act.kind: campaign_attendance", "- act.kind: campaign_atendance").replace(
        "- act.mobilised_civil_servants: true", "- act.mobilized_civil_servants: yes please"
    )
    out = messages(write_pack(tmp_path / "p", rules={"r.yaml": rule}))
    assert out == [
        "P/rules/r.yaml:6:21: 'campaign_atendance' is not a value of 'act.kind' (one of social_media, "
        "campaign_attendance, declaration_attendance, campaign_props, official_decision, partisan_activity, "
        "support_letter, party_membership, candidacy, campaign_role, nomination_approach, absence, "
        "supervisor_inaction, voting, civic_event) (did you mean 'campaign_attendance'?)",
        "P/rules/r.yaml:7:11: unknown fact path 'act.mobilized_civil_servants' "
        "(did you mean 'act.mobilised_civil_servants'?)",
    ]


def test_duplicate_rule_ids_across_files(tmp_path: Path) -> None:
    out = messages(write_pack(tmp_path / "p", rules={"a.yaml": RULE, "b.yaml": RULE}))
    assert out == ["P/rules/b.yaml:2:9: duplicate rule id 't.mobilise' (first at P/rules/a.yaml:2:9)"]


def test_rule_in_force_outside_pack(tmp_path: Path) -> None:
    rule = RULE.replace("    when:", "    in_force: {from: 2020-01-01}\n    when:")
    out = messages(write_pack(tmp_path / "p", rules={"r.yaml": rule}))
    assert out == [
        "P/rules/r.yaml:4:15: rule 't.mobilise' is in force 2020-01-01..open, outside its pack's "
        "period 2021-08-31..open"
    ]


def test_contradiction(tmp_path: Path) -> None:
    rule = RULE.replace(
        "- act.mobilised_civil_servants: true",
        "- act.mobilised_civil_servants: true\n        - not: {act.mobilised_civil_servants: true}",
    )
    out = messages(write_pack(tmp_path / "p", rules={"r.yaml": rule}))
    assert out == [
        "P/rules/r.yaml:5:7: rule 't.mobilise' can never match: the tests on "
        "'act.mobilised_civil_servants' exclude every value (act.mobilised_civil_servants eq true; "
        "act.mobilised_civil_servants ne true)"
    ]
    rule = RULE.replace("- act.kind: campaign_attendance", "- act.kind: absence")
    out = messages(write_pack(tmp_path / "q", rules={"r.yaml": rule}))
    assert out == [
        "P/rules/r.yaml:5:7: rule 't.mobilise' can never match: 'act.mobilised_civil_servants' "
        "exists only on act kinds campaign_attendance, but act.kind is restricted to absence"
    ]


def test_contradiction_on_numbers(tmp_path: Path) -> None:
    rule = RULE.replace("- act.mobilised_civil_servants: true", "- act.state_facilities: true").replace(
        "- act.kind: campaign_attendance", "- occurred_on: {gt: 2024-01-01, lt: 2024-01-02}"
    )
    out = messages(write_pack(tmp_path / "p", rules={"r.yaml": rule}))
    assert len(out) == 1 and "can never match: the tests on 'occurred_on' exclude every value" in out[0]


def test_schema_errors_unknown_and_missing_keys(tmp_path: Path) -> None:
    rule = RULE.replace("    explain:", "    explian:")
    out = messages(write_pack(tmp_path / "p", rules={"r.yaml": rule}))
    # one mistake, one message: the misspelled key with its suggestion, not also "missing key 'explain'"
    assert out == ["P/rules/r.yaml:13:5: unknown key 'explian' (did you mean 'explain'?)"]
    pack = PACK.replace("version: 1.0.0", "version: one")
    out = messages(write_pack(tmp_path / "q", pack=pack))
    assert out == ["P/pack.yaml:2:10: 'version': 'one' is not a version; write three numbers such as 1.2.0"]


def test_template_placeholder(tmp_path: Path) -> None:
    rule = RULE.replace('en: "{actor} mobilised"', 'en: "{actor} mobilised {act.mobilized}"')
    out = messages(write_pack(tmp_path / "p", rules={"r.yaml": rule}))
    assert len(out) == 1 and out[0].startswith("P/rules/r.yaml:13:46: explanation placeholder '{act.mobilized}'")


def test_duplicate_article_and_option_code(tmp_path: Path) -> None:
    articles = (
        ARTICLES
        + """\
  - cite: PP 94/2021 Pasal 5 huruf n angka 3
    text: again
    gloss: again
    provenance: {status: verified_primary}
"""
    )
    out = messages(write_pack(tmp_path / "p", articles=articles))
    assert out == [
        "P/articles.yaml:17:11: article 'PP 94/2021 Pasal 5 huruf n angka 3' is registered twice (first at line 2)"
    ]


def test_quote_must_occur_in_source(tmp_path: Path) -> None:
    pack = PACK + "source: {file: source.md, origin: test, ocr_corrections: [{from: 'PNS lian', to: 'PNS lain'}]}\n"
    source = (
        "Pasal 5\nn. ... 3. sebagai peserta\n-14- PRESIDEN REPUBLIK INDONESIA\nkampanye dengan mengerahkan PNS lian;\n"
    )
    articles = ARTICLES.replace("text: penurunan jabatan", "text: penurunan jabatan setingkat")
    root = write_pack(tmp_path / "p", pack=pack, articles=articles, extra={"source.md": source})
    out = messages(root)
    # angka 3 is found across the page furniture and after the OCR correction; the two others are not in the text
    assert out == [
        "P/articles.yaml:6:5: quoted text of 'PP 94/2021 Pasal 8 ayat (4)' does not occur in source.md (compared "
        "word by word after OCR corrections; fix the quote or add an OCR correction)",
        "P/articles.yaml:13:5: quoted text of 'PP 94/2021 Pasal 8 ayat (4) huruf a' does not occur in source.md "
        "(compared word by word after OCR corrections; fix the quote or add an OCR correction)",
    ]


def test_a_secondary_quote_read_in_the_pack_source_is_checked_too(tmp_path: Path) -> None:
    """A quote marked verified_secondary because its source file is a third-party OCR (PP 11/2017) is still
    compared with that file; one read elsewhere (another source) is not."""
    pack = PACK + "source: {file: source.md, origin: test}\n"
    source = "Pasal 5\nn. ... 3. sebagai peserta kampanye dengan mengerahkan PNS lain;\n"
    articles = ARTICLES.replace(
        "text: sebagai peserta kampanye dengan mengerahkan PNS lain;\n    gloss: mobilising\n"
        "    provenance: {status: verified_primary}",
        "text: sebagai peserta kampanye dengan mengerahkan PNS lain yang;\n    gloss: mobilising\n"
        "    provenance: {status: verified_secondary, source: source.md (a third-party OCR)}",
    ).replace("provenance: {status: verified_primary}", "provenance: {status: verified_secondary, source: a news report}")
    root = write_pack(tmp_path / "p", pack=pack, articles=articles, extra={"source.md": source})
    assert messages(root) == [
        "P/articles.yaml:2:5: quoted text of 'PP 94/2021 Pasal 5 huruf n angka 3' does not occur in source.md "
        "(compared word by word after OCR corrections; fix the quote or add an OCR correction)",
    ]


def test_scenario_fact_and_expected_rule_are_checked(tmp_path: Path) -> None:
    tests = """\
scenarios:
  - name: bad
    fact:
      occurred_on: 2024-01-10
      actor: {status: asn}
      act: {kind: campaign_attendance, role: participant}
    expect:
      rules: [t.mobilize]
"""
    out = messages(write_pack(tmp_path / "p", tests={"t.yaml": tests}))
    assert out[0] == ("P/tests/t.yaml:5:23: scenario fact: 'asn' is not a valid value of employment status "
                      "(valid values: pns, cpns, pppk)")
    assert out[1] == "P/tests/t.yaml:8:15: expected rule 't.mobilize' does not exist (did you mean 't.mobilise'?)"


def test_broken_yaml_in_one_file_keeps_the_others(tmp_path: Path) -> None:
    out = messages(write_pack(tmp_path / "p", rules={"a.yaml": RULE, "b.yaml": "rules:\n  - id: [\n"}))
    assert len(out) == 1 and out[0].startswith("P/rules/b.yaml:3:1: ")
    packs, _ = load_packs([tmp_path / "p"])
    assert [r.id for r in packs[0].rules] == ["t.mobilise"]


def test_not_a_pack(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    _, problems = load_packs([tmp_path / "empty"])
    assert [p.code for p in problems] == ["not_a_pack"]


def test_quote_check_skips_furniture_but_not_short_words_or_numbers() -> None:
    from netral_rules.law.quotes import _prepare, occurs

    source = _prepare("tidak Masuk Kerja selama 3 -14- PRESIDEN REPUEUK INDONESIA SK No 202813 A (tiga) hari di kantor", ())
    assert occurs("tidak Masuk Kerja selama 3 (tiga) hari di kantor", source)
    assert not occurs("tidak Masuk Kerja selama (tiga) hari di kantor", source)  # "3" dropped
    assert not occurs("tidak Masuk Kerja selama 3 (tiga) hari kantor", source)  # "di" dropped
    assert not occurs("tidak Masuk Kerja selama 4 (tiga) hari di kantor", source)  # changed


def test_citations_in_the_long_form_resolve(tmp_path: Path) -> None:
    from helpers import fact

    from netral_rules import Engine

    rule = RULE.replace("basis: [PP 94/2021 Pasal 5 huruf n angka 3]",
                        "basis: [PP Nomor 94 Tahun 2021 Pasal 5 huruf n angka 3]")
    rule = rule.replace("sanctions: PP 94/2021 Pasal 8 ayat (4)", "sanctions: PP No. 94 Tahun 2021 Pasal 8 ayat (4)")
    root = write_pack(tmp_path / "p", rules={"r.yaml": rule})
    assert messages(root) == []
    d = Engine.from_paths([root]).evaluate(fact(mobilised_civil_servants=True))
    assert [b.cite for b in d.findings[0].basis] == ["PP 94/2021 Pasal 5 huruf n angka 3"]
    assert [m.cite for m in d.findings[0].sanctions] == ["PP 94/2021 Pasal 8 ayat (4)"]


def test_one_copied_pack_says_which_packs_it_needs(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2] / "rules"
    shutil.copytree(root, tmp_path / "copy")
    out = messages(tmp_path / "copy" / "skb_2022")
    # one message for the pack, not one per citation and expected rule of the other packs
    assert len(out) == 1, out
    [line] = out
    assert line.startswith("P/pack.yaml:1:1: pack 'skb_2022' refers to packs that are not loaded: 'pp_42_2004' (PP 42/2004")
    assert "'pp_94_2021' (PP 94/2021" in line
    command = line.split("validate them together: ")[1].rstrip(")")
    assert command.startswith("netral-rules validate P ")
    # the suggested command, run as written, validates the set
    args = [str(tmp_path / "copy" / "skb_2022") if a == "P" else a for a in command.split()[2:]]
    r = subprocess.run([sys.executable, "-m", "netral_rules.batch.cli", "validate", *args], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert all(str(tmp_path / "copy") in a for a in args)  # the copies beside it, not the bundled packs


def test_no_suggestion_from_another_regulation(tmp_path: Path) -> None:
    rule = RULE.replace("basis: [PP 94/2021 Pasal 5 huruf n angka 3]", "basis: [PP 95/2021 Pasal 5 huruf n angka 3]")
    out = messages(write_pack(tmp_path / "p", rules={"r.yaml": rule}))
    assert out == [
        "P/rules/r.yaml:12:15: citation 'PP 95/2021 Pasal 5 huruf n angka 3' does not resolve to an "
        "article in any loaded pack (no loaded pack registers articles of PP 95/2021)"
    ]


def test_a_bad_date_in_pack_yaml_is_one_error_at_its_line(tmp_path: Path) -> None:
    import shutil

    root = Path(__file__).resolve().parents[2] / "rules"
    shutil.copytree(root, tmp_path / "copy")
    manifest = tmp_path / "copy" / "pp_94_2021" / "pack.yaml"
    text = manifest.read_text(encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("  from: 2021-08-31"))
    manifest.write_text(text.replace("  from: 2021-08-31", "  from: 2021-02-30", 1), encoding="utf-8")
    out = messages(tmp_path / "copy")
    # the packs that cite PP 94/2021 do not each add a message about it: the one mistake is reported once
    assert out == [f"P/pp_94_2021/pack.yaml:{line}:9: there is no date '2021-02-30' in the calendar; write a real "
                   "date, YYYY-MM-DD"]


def test_rules_that_are_not_a_list_is_one_positioned_error(tmp_path: Path) -> None:
    # found by the robustness property: `rules: true` made the loader iterate a boolean
    write_pack(tmp_path, rules={"r.yaml": RULE, "bad.yaml": "rules: true\n"})
    packs, problems = load_packs([tmp_path])
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1 and errors[0].where.file.endswith("bad.yaml")  # type: ignore[union-attr]
    assert [len(p.rules) for p in packs] == [1]


def test_template_placeholders_are_paths_only(tmp_path: Path) -> None:
    # the template lint accepted {actor.name.__class__} and {actor.name!r} (anything starting with actor.name)
    for placeholder in ("{actor.name.__class__}", "{actor.name!r}", "{actor.name:>99}", "{actor.names}"):
        rule = RULE.replace('en: "{actor} mobilised"', f'en: "{{actor}} mobilised {placeholder}"')
        out = messages(write_pack(tmp_path / placeholder.strip("{}"), rules={"r.yaml": rule}))
        assert len(out) == 1, placeholder
        assert out[0].startswith(f"P/rules/r.yaml:13:46: explanation placeholder '{placeholder}' names no fact field")
    rule = RULE.replace('en: "{actor} mobilised"', 'en: "{actor} ({actor.name}, { actor.name }) mobilised"')
    assert messages(write_pack(tmp_path / "ok", rules={"r.yaml": rule})) == []


def test_a_substitution_replaces_a_menu_or_one_of_its_types_by_a_menu(tmp_path: Path) -> None:
    """``replace`` may name a whole menu or one type of it (UU 20/2023 Pasal 52 ayat (4) for PP 94/2021 Pasal 8
    ayat (4) huruf c); ``with`` must be a menu; an article that is neither is reported where it is written."""
    pack = PACK + """\
settings:
  - {name: s, default: false, description: {id: s, en: s}}
substitutions:
  - {setting: s, applies_when: true, replace: PP 94/2021 Pasal 8 ayat (4) huruf a, with: PP 94/2021 Pasal 8 ayat (4), note: {id: n, en: n}}
  - {setting: s, applies_when: true, replace: PP 94/2021 Pasal 5 huruf n angka 3, with: PP 94/2021 Pasal 8 ayat (4) huruf a, note: {id: n, en: n}}
"""
    out = messages(write_pack(tmp_path / "p", pack=pack))
    assert out == [
        "P/pack.yaml:10:47: 'PP 94/2021 Pasal 5 huruf n angka 3' is neither a sanction menu nor one of its options, so "
        "it cannot be replaced",
        "P/pack.yaml:10:89: 'PP 94/2021 Pasal 8 ayat (4) huruf a' is not a sanction menu (its article lists no options)",
    ]
