"""Any date that validate accepts builds an engine (issue 16, 6): the ends of the calendar included."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import PACK, RULE, fact, write_pack

from netral_rules import Engine, load_packs


@pytest.mark.parametrize(("pack_period", "rule_period"), [
    ("{from: 2021-08-31, until: 9999-12-31}", None),  # OverflowError in every engine build
    ("{from: 0001-01-01, until: 9999-12-31}", "{from: 0001-01-01, until: 9999-12-31}"),
    ("{from: 2021-08-31}", "{from: 2021-08-31, until: 9999-12-31}"),
])
def test_the_last_day_of_the_calendar_builds(tmp_path: Path, pack_period: str, rule_period: str | None) -> None:
    pack = PACK.replace("in_force: {from: 2021-08-31}", f"in_force: {pack_period}")
    rule = RULE.replace("    when:", f"    in_force: {rule_period}\n    when:") if rule_period else RULE
    rule = rule.replace("        - act.mobilised_civil_servants: true\n",
                        "        - act.mobilised_civil_servants: true\n"
                        "        - occurred_on: {lt: 9999-12-31}\n        - occurred_on: {gte: 0001-01-01}\n")
    root = write_pack(tmp_path / "p", pack=pack, rules={"r.yaml": rule})
    packs, problems = load_packs([root])
    assert len(packs) == 1
    assert [p for p in problems if p.severity == "error"] == []
    engine = Engine.from_paths([root])
    mobilising = fact(mobilised_civil_servants=True)
    assert engine.evaluate(mobilising).status == "violation"
    last = engine.evaluate({**mobilising, "occurred_on": "9999-12-31"})
    assert last.status == "no_violation"  # in force that day; the rule's own test excludes it
    assert last.applied_on.isoformat() == "9999-12-31"
    early = engine.evaluate({**mobilising, "occurred_on": "0001-01-01"})
    assert early.status == ("violation" if "0001" in pack_period else "not_covered")


def test_a_dated_basis_and_menu_of_a_pack_in_force_to_the_last_day_build(tmp_path: Path) -> None:
    """The bundled packs with UU 20/2023 in force until 9999-12-31: its statute entries (while_in_force) and its
    dated menu substitution cut time at its last day, which has no day after it."""
    import shutil

    from netral_rules.law.packs import bundled_rules_dir

    root = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), root)
    manifest = root / "uu_20_2023" / "pack.yaml"
    text = manifest.read_text(encoding="utf-8")
    first = "in_force:\n  from: 2023-10-31"
    assert first in text
    manifest.write_text(text.replace(first, "in_force:\n  until: 9999-12-31\n  from: 2023-10-31", 1), encoding="utf-8")
    with Engine.from_paths([root]) as engine:
        d = engine.evaluate({"occurred_on": "2024-06-10", "actor": {"status": "pns"},
                             "act": {"kind": "absence", "cumulative_days": 28, "consecutive_days": 1}})
    assert [o.code for m in d.findings[0].sanctions for o in m.options] == ["uu20.52.4.ptdh"]
