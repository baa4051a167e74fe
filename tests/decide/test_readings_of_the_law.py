"""Two pieces of the rule-pack format for the law's open questions and its changes over time:

* ``when_setting``: a rule that applies only under one value of an engine setting (one reading of an open legal
  question); the decision names the setting whenever such a rule could hold, under either value, and the linter
  checks the setting is declared;
* basis entries ``{cite, while_in_force: true}``: an article cited only on the dates its instrument is in force and
  for the employees it binds (a statute replaced by another while the rule stays in force).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from helpers import ARTICLES, PACK, fact, write_pack

from netral_rules import Engine
from netral_rules.decide.engine import load_packs

SETTING = PACK + """\
settings:
  - name: listener_breaches
    type: bool
    default: true
    description: {id: "Apakah pendengar melanggar", en: "Whether a listener breaches"}
    basis: [PP 94/2021 Pasal 5 huruf n angka 3]
"""


def _rule(rule_id: str, when: str, extra: str = "", basis: str = "[PP 94/2021 Pasal 5 huruf n angka 3]") -> str:
    return f"""\
  - id: {rule_id}
    title: {{id: "judul {rule_id}", en: "title {rule_id}"}}
{extra}    when: {when}
    then:
      category: disiplin
      level: berat
      sanctions: PP 94/2021 Pasal 8 ayat (4)
      basis: {basis}
    explain: {{id: "{{actor}}", en: "{{actor}}"}}
"""


LISTENER = "{all: [{act.kind: campaign_attendance}, {act.role: listener}]}"
GATED = _rule("t.listener", LISTENER, extra="    when_setting: {listener_breaches: true}\n")


def _pack(tmp_path: Path, rules: str, pack: str = SETTING, articles: str = ARTICLES, name: str = "p") -> Path:
    return write_pack(tmp_path / name, pack=pack, articles=articles, rules={"r.yaml": "rules:\n" + rules})


def test_a_rule_applies_only_under_its_setting_and_the_decision_names_the_reading(tmp_path: Path) -> None:
    root = _pack(tmp_path, GATED)
    with Engine.from_paths([root]) as engine:
        d = engine.evaluate(fact(role="listener"))
        assert d.status == "violation" and d.rule_ids == ["t.listener"]
        [a] = d.assumptions
        assert (a.setting, a.value, a.default) == ("listener_breaches", True, True)
        assert "judul t.listener" in a.effect.id and "title t.listener" in a.effect.en
        # a report the rule can never hold on does not depend on the reading
        assert engine.evaluate(fact(role="participant")).assumptions == ()
    with Engine.from_paths([root], settings={"listener_breaches": False}) as engine:
        d = engine.evaluate(fact(role="listener"))
        assert d.status == "no_violation" and d.findings == ()
        [a] = d.assumptions  # "no violation" is the reading's, and the decision says so
        assert a.value is False and "Not applied: title t.listener" in a.effect.en
        assert "Tidak diterapkan: judul t.listener" in a.effect.id


def test_a_setting_no_pack_declares_is_reported(tmp_path: Path) -> None:
    rules = _rule("t.listener", LISTENER, extra="    when_setting: {listener_breachez: true}\n")
    _, problems = load_packs([_pack(tmp_path, rules)])
    [p] = [p for p in problems if p.code == "unknown_setting"]
    assert p.severity == "error" and "listener_breachez" in p.message and p.hint and "listener_breaches" in p.hint


def test_rules_of_opposite_readings_are_never_together(tmp_path: Path) -> None:
    other = _rule("t.other", LISTENER, extra="""\
    when_setting: {listener_breaches: false}
    sets_aside:
      - rule: t.listener
        basis: [PP 94/2021 Pasal 5 huruf n angka 3]
        reason: {id: alasan, en: reason}
""")
    _, problems = load_packs([_pack(tmp_path, GATED + other)])
    assert "exception_never_together" in {p.code for p in problems}


STATUTES = """\
id: statute_{n}
version: 1.0.0
instrument: {{kind: UU, number: "{n}", year: {year}, title: Statute {n}}}
in_force: {period}
binds: {{statuses: [pns, pppk]}}
"""
STATUTE_ARTICLE = """\
articles:
  - cite: UU {n}/{year} Pasal 9 ayat (2)
    text: harus bebas
    gloss: free
    provenance: {{status: verified_primary}}
"""


def test_a_basis_entry_is_cited_only_while_its_instrument_is_in_force_and_binds_the_actor(tmp_path: Path) -> None:
    old = write_pack(tmp_path / "old", pack=STATUTES.format(n=5, year=2014, period="{from: 2014-01-15, until: 2023-10-30}"),
                     articles=STATUTE_ARTICLE.format(n=5, year=2014), rules={})
    new = write_pack(tmp_path / "new", pack=STATUTES.format(n=20, year=2023, period="{from: 2023-10-31}"),
                     articles=STATUTE_ARTICLE.format(n=20, year=2023), rules={})
    basis = ("[PP 94/2021 Pasal 5 huruf n angka 3, {cite: UU 5/2014 Pasal 9 ayat (2), while_in_force: true},"
             " {cite: UU 20/2023 Pasal 9 ayat (2), while_in_force: true}]")
    mobilise = "{all: [{act.kind: campaign_attendance}, {act.mobilised_civil_servants: true}]}"
    root = _pack(tmp_path, _rule("t.mobilise", mobilise, basis=basis), pack=PACK)
    packs, problems = load_packs([root, old, new])
    assert [p for p in problems if p.severity == "error"] == []
    with Engine(packs) as engine:
        def cited(day: str, status: str = "pns") -> list[str]:
            f = {**fact(mobilised_civil_servants=True), "occurred_on": day, "actor": {"status": status}}
            d = engine.evaluate(f)
            assert engine.decision_json(d) == d.model_dump_json().encode()  # the fast JSON of every variant
            return [b.cite for b in d.findings[0].basis]

        assert cited("2023-10-30") == ["PP 94/2021 Pasal 5 huruf n angka 3", "UU 5/2014 Pasal 9 ayat (2)"]
        assert cited("2023-10-31") == ["PP 94/2021 Pasal 5 huruf n angka 3", "UU 20/2023 Pasal 9 ayat (2)"]
        # the statutes do not bind a candidate civil servant: not cited as the basis of a CPNS finding
        assert cited("2023-10-31", "cpns") == ["PP 94/2021 Pasal 5 huruf n angka 3"]
        # an as_of date picks the basis of that date
        d = engine.evaluate({**fact(mobilised_civil_servants=True), "occurred_on": "2023-10-30"},
                            as_of=dt.date(2024, 1, 1))
        assert [b.cite for b in d.findings[0].basis][-1] == "UU 20/2023 Pasal 9 ayat (2)"
